"""The organisation admin's view of the audit trail: search, one entry, CSV export."""

from __future__ import annotations

from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from setu.access import policy
from setu.access.actor import Actor, actor_of
from setu.audit import selectors, sentences, services
from setu.audit.forms import CaseLookupForm, EntryFilterForm
from setu.audit.models import AuditEntry
from setu.core.pages import export_page

PAGE_SIZE = 50


def _filter_form(request: HttpRequest) -> EntryFilterForm:
    actor = actor_of(request)
    return EntryFilterForm(
        request.GET or None,
        actor_choices=selectors.entry_actor_choices(actor=actor),
        record_types=selectors.entry_target_types(actor=actor),
    )


@require_http_methods(["GET", "POST"])
def entry_list(request: HttpRequest) -> HttpResponse:
    """The trail in plain sentences, filtered; POST looks up a case by its reference."""
    actor = actor_of(request)
    lookup = CaseLookupForm(request.POST or None)
    if request.method == "POST" and lookup.is_valid():
        reference = lookup.cleaned_data["reference"]
        cases = selectors.case_ids_by_reference(actor=actor, reference=reference)[:2]
        if len(cases) == 1:
            return redirect(f"{reverse('audit:entry-list')}?{urlencode({'case': cases[0]})}")
        lookup.add_error(
            "reference",
            _("No case of yours has this reference.")
            if not cases
            else _("More than one case matches; type the whole reference."),
        )
    form = _filter_form(request)
    filters = form.filters()
    entries = selectors.entry_list(actor=actor, filters=filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    _name_organisations(actor, list(page))
    labels = selectors.entry_record_labels(actor=actor, entries=list(page))
    about = ""
    if filters.case_id:
        about = labels.get(("registry.case", str(filters.case_id))) or _("a case")
    elif filters.person_id:
        about = labels.get(("registry.person", str(filters.person_id))) or _("a person")
    return render(
        request,
        "audit/entry_list.html",
        {
            "page": page,
            "lines": [sentences.describe(e, labels) for e in page],
            "filter_form": form,
            "lookup_form": lookup,
            "about": about,
            "active_nav": "audit",
        },
    )


def _name_organisations(actor: Actor, entries: list[AuditEntry]) -> None:
    """Give each entry the names of its actor's and its record's organisations, for display."""
    ids = {e.actor_org_id for e in entries} | {e.target_org_id for e in entries}
    names = selectors.organisation_names(actor=actor, ids=ids)
    for e in entries:
        e.actor_org_name = names.get(e.actor_org_id, "")  # type: ignore[attr-defined]
        e.target_org_name = names.get(e.target_org_id, "")  # type: ignore[attr-defined]


def entry_detail(request: HttpRequest, entry_hash: str) -> HttpResponse:
    actor = actor_of(request)
    entry = selectors.entry_get(actor=actor, entry_hash=entry_hash)
    _name_organisations(actor, [entry])
    labels = selectors.entry_record_labels(actor=actor, entries=[entry])
    show_changes = selectors.entry_shows_changes(actor=actor, entry=entry)
    before = (entry.changes or {}).get("before") or {}
    after = (entry.changes or {}).get("after") or {}
    names = sorted(set(before) | set(after)) if show_changes else []
    return render(
        request,
        "audit/entry_detail.html",
        {
            "entry": entry,
            "line": sentences.describe(entry, labels),
            "show_changes": show_changes,
            "has_changes": bool(before or after),
            "changes": [(name, before.get(name), after.get(name)) for name in names],
            "show_ip": selectors.entry_shows_ip(actor=actor, entry=entry),
            "active_nav": "audit",
        },
    )


@require_http_methods(["GET", "POST"])
def entry_export(request: HttpRequest) -> HttpResponse:
    """Ask for a password (GET), then send the filtered trail as an encrypted ZIP (POST)."""
    actor = actor_of(request)
    query = request.GET.urlencode()
    return export_page(
        request,
        title=_("Download the audit trail"),
        back=reverse("audit:entry-list") + (f"?{query}" if query else ""),
        filename="audit-trail",
        allowed=lambda: policy.require_allowed(
            actor, policy.Action.EXPORT, "export.audit_trail_csv"
        ),
        send=lambda password: services.entry_export(
            actor=actor, filters=_filter_form(request).filters(), password=password
        ),
        active_nav="audit",
    )


def person_access(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Every access to one person's records (breach report), with CSV and JSON downloads."""
    actor = actor_of(request)
    entries = list(selectors.person_access_list(actor=actor, person_id=person_id))
    _name_organisations(actor, entries)
    labels = selectors.entry_record_labels(actor=actor, entries=entries)
    return render(
        request,
        "audit/person_access.html",
        {
            "person_id": person_id,
            "person_label": labels.get(("registry.person", str(person_id))) or _("a person"),
            "lines": [sentences.describe(e, labels) for e in entries],
            "active_nav": "audit",
        },
    )


@require_http_methods(["GET", "POST"])
def person_access_export(request: HttpRequest, person_id: UUID, fmt: str) -> HttpResponse:
    """The breach report as a file for the 72-hour notice (DPDP Rules): ask for a password
    (GET), then send the CSV or JSON in an encrypted, watermarked ZIP (POST); audited."""
    if fmt not in services.PERSON_ACCESS_FORMATS:
        raise Http404
    actor = actor_of(request)

    def allowed() -> None:
        policy.require_allowed(actor, policy.Action.EXPORT, f"export.person_access_{fmt}")
        selectors.person_access_allowed(actor=actor, person_id=person_id)

    return export_page(
        request,
        title=_("Download the accesses to a person's records (%(format)s)")
        % {"format": fmt.upper()},
        back=reverse("audit:person-access", args=[person_id]),
        # Named by date only: a person's name never goes into a file name or URL.
        filename="person-accesses",
        allowed=allowed,
        send=lambda password: services.person_access_export(
            actor=actor, person_id=person_id, fmt=fmt, password=password
        ),
        active_nav="audit",
    )
