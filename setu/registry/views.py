"""Registry pages: the caseworker's daily tool. Views parse input, call one selector or service,
and render; the policy decides which buttons appear (flags), never the template."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.access import policy
from setu.access.actor import Actor, actor_of
from setu.access.policy import Action
from setu.audit import services as audit
from setu.core import uploads
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.core.pages import form_page
from setu.orgs import selectors as places
from setu.registry import forms, selectors, services, text
from setu.registry.selectors import AttachmentKind

PAGE_SIZE = 25
SEARCH_LIMIT = 50


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# Every registry form page: a refusal for want of consent is audited.
_form_page = partial(form_page, refused=audit.denial_record)


# --- persons ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    """Persons: GET lists with non-identifying filters; POST searches by name or phone."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.VIEW, "registry.person")
    search_form = forms.PersonSearchForm(request.POST or None)
    filter_form = forms.PersonFilterForm(request.GET or None)
    context: dict[str, Any] = {
        "search_form": search_form,
        "filter_form": filter_form,
        "active_nav": "persons",
        "can_create": policy.allowed(actor, Action.CREATE, "registry.person"),
    }
    if request.method == "POST":
        results = []
        cases: list[Any] = []
        if search_form.is_valid():
            query = search_form.cleaned_data["q"]
            found = selectors.person_search(actor=actor, query=query)
            results = list(found[: SEARCH_LIMIT + 1])
            if any(ch.isdigit() for ch in query) and not text.looks_like_phone(query):
                cases = list(selectors.case_search(actor=actor, query=query)[:SEARCH_LIMIT])
        context.update(
            searched=True,
            results=results[:SEARCH_LIMIT],
            truncated=len(results) > SEARCH_LIMIT,
            case_results=cases,
        )
        if request.htmx:
            return render(request, "registry/_person_results.html", context)
        return render(request, "registry/person_list.html", context)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    context["page"] = _page(request, selectors.person_list(actor=actor, filters=filters))
    return render(request, "registry/person_list.html", context)


@require_GET
def person_detail(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """A person's record, limited to what the actor may see."""
    actor = actor_of(request)
    detail = selectors.person_detail(actor=actor, person_id=person_id)
    person = detail.person
    can_edit = policy.can(actor, Action.EDIT, person)
    context = {
        "d": detail,
        "person": person,
        "vis": detail.visibility,
        "can_edit": can_edit,
        "can_archive": can_edit and person.archived_at is None,
        "can_manage_consent": policy.can(actor, Action.MANAGE_CONSENT, person),
        "can_view_audit": policy.allowed(actor, Action.VIEW_AUDIT, "audit.auditentry"),
        # The breach report of every access is for the admins of the organisation that owns her.
        "can_report_accesses": policy.allowed(actor, Action.VIEW_AUDIT, "audit.auditentry")
        and policy.can(actor, Action.EXPORT, person),
        "active_nav": "persons",
    }
    return render(request, "registry/person_detail.html", context)


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    """Record a new person (with their home place)."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "registry.person")
    form = forms.PersonForm(
        request.POST or None, initial={"age_estimated_on": timezone.localdate()}
    )

    def save(data: dict[str, Any]) -> Any:
        # The service checks for an existing record itself and refuses without a reason.
        return services.person_create(
            actor=actor,
            create_reason=data.get("create_reason") or "",
            home=form.home_fields(),
            **form.person_fields(),
        )

    return _form_page(
        request,
        form,
        title=_("New person"),
        back=reverse("registry:person-list"),
        submit=_("Save person"),
        save=save,
        done=lambda p: reverse("registry:person-detail", args=[p.pk]),
        success=_("Person recorded."),
        template="registry/person_create.html",
        extra={
            "active_nav": "persons",
            # After a refusal (or with a reason typed) the button says what saving now does;
            # called by the template, after the POST was validated and saved or refused.
            "create_anyway": lambda: bool(
                form.errors.get("create_reason") or form.data.get("create_reason")
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Correct a person's identity."""
    actor = actor_of(request)
    person = selectors.person_get(actor=actor, person_id=person_id, for_action=Action.EDIT)
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    initial["languages"] = ", ".join(person.languages or [])
    form = forms.PersonForm(request.POST or None, initial=initial, with_home=False)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": person.display_name},
        back=reverse("registry:person-detail", args=[person.pk]),
        submit=_("Save changes"),
        save=lambda data: services.person_update(
            actor=actor, person=person, **form.person_fields()
        ),
        done=lambda p: reverse("registry:person-detail", args=[p.pk]),
        success=_("Changes saved."),
        extra={"active_nav": "persons"},
    )


@require_http_methods(["GET", "POST"])
def person_archive(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Archive a person (kept, hidden from lists), after the user confirms it on a page."""
    actor = actor_of(request)
    person = selectors.person_get(actor=actor, person_id=person_id, for_action=Action.ARCHIVE)
    if request.method == "GET":
        return render(
            request, "registry/person_archive.html", {"person": person, "active_nav": "persons"}
        )
    services.person_archive(actor=actor, person=person)
    messages.success(request, _("Person archived."))
    return redirect("registry:person-detail", person_id=person.pk)


def _person_part_add(
    request: HttpRequest,
    person_id: UUID,
    form_class: type,
    service: Callable[..., Any],
    title: str,
    success: str,
) -> HttpResponse:
    actor = actor_of(request)
    person = selectors.person_get(actor=actor, person_id=person_id, for_action=Action.EDIT)
    back = reverse("registry:person-detail", args=[person.pk])
    return _form_page(
        request,
        form_class(request.POST or None),
        title=title % {"name": person.display_name},
        back=back,
        submit=_("Add"),
        save=lambda data: service(actor=actor, person=person, **data),
        done=lambda _obj: back,
        success=success,
        extra={"active_nav": "persons"},
    )


@require_http_methods(["GET", "POST"])
def alias_add(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Add an alias."""
    return _person_part_add(
        request,
        person_id,
        forms.AliasForm,
        services.alias_add,
        _("Another name for %(name)s"),
        _("Name added."),
    )


@require_http_methods(["GET", "POST"])
def phone_add(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Add a phone number."""
    return _person_part_add(
        request,
        person_id,
        forms.PhoneForm,
        services.phone_add,
        _("Phone number for %(name)s"),
        _("Phone number added."),
    )


@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Add an address."""
    return _person_part_add(
        request,
        person_id,
        forms.AddressForm,
        services.address_add,
        _("Address for %(name)s"),
        _("Address added."),
    )


@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Add an identity document."""
    return _person_part_add(
        request,
        person_id,
        forms.DocumentForm,
        services.document_add,
        _("Identity document for %(name)s"),
        _("Document added."),
    )


def _person_part_remove(
    request: HttpRequest,
    getter: Callable[..., Any],
    service: Callable[..., Any],
    kind: str,
    pk: UUID,
) -> HttpResponse:
    actor = actor_of(request)
    obj = getter(actor=actor, **{f"{kind}_id": pk})
    service(actor=actor, **{kind: obj})
    messages.success(request, _("Removed."))
    return redirect("registry:person-detail", person_id=obj.person_id)


@require_POST
def alias_remove(request: HttpRequest, alias_id: UUID) -> HttpResponse:
    """Remove an alias."""
    return _person_part_remove(
        request, selectors.alias_get, services.alias_remove, "alias", alias_id
    )


@require_POST
def phone_remove(request: HttpRequest, phone_id: UUID) -> HttpResponse:
    """Remove a phone number."""
    return _person_part_remove(
        request, selectors.phone_get, services.phone_remove, "phone", phone_id
    )


@require_POST
def address_remove(request: HttpRequest, address_id: UUID) -> HttpResponse:
    """Remove an address."""
    return _person_part_remove(
        request, selectors.address_get, services.address_remove, "address", address_id
    )


@require_POST
def document_remove(request: HttpRequest, document_id: UUID) -> HttpResponse:
    """Remove an identity document."""
    return _person_part_remove(
        request, selectors.document_get, services.document_remove, "document", document_id
    )


@require_GET
def district_options(request: HttpRequest) -> HttpResponse:
    """``<option>``s of the districts of a state (LGD), for the dependent district select."""
    code = next((v for k, v in request.GET.items() if k.endswith("state")), None)
    districts = places.district_list(state_code=code) if code else []
    return render(request, "registry/_district_options.html", {"districts": districts})


# --- cases --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases, with non-identifying filters in the query string."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.VIEW, "registry.case")
    filter_form = forms.CaseFilterForm(request.GET or None)
    search_form = forms.CaseSearchForm(request.POST or None)
    context: dict[str, Any] = {
        "filter_form": filter_form,
        "search_form": search_form,
        "can_create": policy.allowed(actor, Action.CREATE, "registry.case"),
        "active_nav": "cases",
    }
    if request.method == "POST":
        # A reference is searched by POST, like a name: what was looked for stays out of URLs.
        found = []
        if search_form.is_valid():
            query = search_form.cleaned_data["q"]
            found = list(selectors.case_search(actor=actor, query=query)[: SEARCH_LIMIT + 1])
        context.update(
            searched=True, results=found[:SEARCH_LIMIT], truncated=len(found) > SEARCH_LIMIT
        )
        return render(request, "registry/case_list.html", context)
    context["page"] = _page(
        request, selectors.case_list(actor=actor, filters=filter_form.filters())
    )
    return render(request, "registry/case_list.html", context)


@require_GET
def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """A case with its timeline, limited to what the actor may see."""
    actor = actor_of(request)
    detail = selectors.case_detail(actor=actor, case_id=case_id)
    case = detail.case
    can_edit = policy.can(actor, Action.EDIT, case)
    context = {
        "d": detail,
        "case": case,
        "vis": detail.visibility,
        "can_edit": can_edit,
        "can_close": can_edit and case.closed_on is None,
        "can_note": policy.can(actor, Action.ADD_NOTE, case),
        "can_share": policy.can(actor, Action.SHARE, case),
        "can_view_audit": policy.allowed(actor, Action.VIEW_AUDIT, "audit.auditentry"),
        "can_see_legal": policy.allowed(actor, Action.VIEW, "legal.proceeding"),
        "can_see_intel": policy.allowed(actor, Action.VIEW, "intel.perpetrator")
        and case.owner_org_id == actor.organisation_id,
        "active_nav": "cases",
    }
    return render(request, "registry/case_detail.html", context)


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Open a case."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "registry.case")
    form = forms.CaseForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    return _form_page(
        request,
        form,
        title=_("New case"),
        back=reverse("registry:case-list"),
        submit=_("Open case"),
        save=lambda data: services.case_create(actor=actor, **data),
        done=lambda c: reverse("registry:case-detail", args=[c.pk]),
        success=_("Case opened."),
        extra={"active_nav": "cases"},
    )


def _case_for(request: HttpRequest, case_id: UUID, action: Action) -> tuple[Actor, Any, str]:
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id, for_action=action)
    return actor, case, reverse("registry:case-detail", args=[case.pk])


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Change a case's details."""
    actor, case, back = _case_for(request, case_id, Action.EDIT)
    initial = {name: getattr(case, name) for name in forms.CaseForm.base_fields}
    return _form_page(
        request,
        forms.CaseForm(request.POST or None, initial=initial),
        title=_("Edit case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Save changes"),
        save=lambda data: services.case_update(actor=actor, case=case, **data),
        done=lambda _c: back,
        success=_("Changes saved."),
        extra={"active_nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Close a case."""
    actor, case, back = _case_for(request, case_id, Action.EDIT)
    return _form_page(
        request,
        forms.CaseCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()}),
        title=_("Close case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Close case"),
        save=lambda data: services.case_close(actor=actor, case=case, **data),
        done=lambda _c: back,
        success=_("Case closed."),
        extra={"active_nav": "cases"},
    )


def _participants(actor: Actor, case: Any) -> tuple[list[Any], dict[str, Any]]:
    people = selectors.case_participant_list(actor=actor, case=case)
    return people, {str(p.link.person_id): p.link.person for p in people}


def _with_person(data: dict[str, Any], by_id: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["person"] = by_id.get(data.get("person") or "")
    return data


@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Record an event in a case (recruitment, transit, rescue, …)."""
    actor, case, back = _case_for(request, case_id, Action.EDIT)
    people, by_id = _participants(actor, case)
    form = forms.EventForm(request.POST or None, participants=people)
    return _form_page(
        request,
        form,
        title=_("What happened — case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Add event"),
        save=lambda data: services.event_add(actor=actor, case=case, **_with_person(data, by_id)),
        done=lambda _e: back,
        success=_("Event added."),
        extra={"active_nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id: UUID) -> HttpResponse:
    """Correct an event."""
    actor = actor_of(request)
    event = selectors.event_get(actor=actor, event_id=event_id)
    actor, case, back = _case_for(request, event.case_id, Action.EDIT)
    people, by_id = _participants(actor, case)
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    initial["person"] = str(event.person_id or "")
    form = forms.EventForm(request.POST or None, participants=people, initial=initial)
    return _form_page(
        request,
        form,
        title=_("Edit event — case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Save changes"),
        save=lambda data: services.event_update(
            actor=actor, event=event, **_with_person(data, by_id)
        ),
        done=lambda _e: back,
        success=_("Changes saved."),
        extra={"active_nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Record a service."""
    actor, case, back = _case_for(request, case_id, Action.EDIT)
    people, by_id = _participants(actor, case)
    form = forms.ServiceForm(
        request.POST or None,
        participants=people,
        organisations=selectors.consent_recipient_list(actor=actor),
    )
    return _form_page(
        request,
        form,
        title=_("Service — case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Add service"),
        save=lambda data: services.service_add(actor=actor, case=case, **_with_person(data, by_id)),
        done=lambda _s: back,
        success=_("Service added."),
        extra={"active_nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: UUID) -> HttpResponse:
    """Update a service (progress, dates)."""
    actor = actor_of(request)
    service = selectors.service_get(actor=actor, service_id=service_id)
    actor, case, back = _case_for(request, service.case_id, Action.EDIT)
    people, by_id = _participants(actor, case)
    initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
    initial["person"] = str(service.person_id or "")
    form = forms.ServiceForm(
        request.POST or None,
        participants=people,
        organisations=selectors.consent_recipient_list(actor=actor),
        initial=initial,
    )
    return _form_page(
        request,
        form,
        title=_("Edit service — case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Save changes"),
        save=lambda data: services.service_update(
            actor=actor, service=service, **_with_person(data, by_id)
        ),
        done=lambda _s: back,
        success=_("Changes saved."),
        extra={"active_nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Add a note to a case."""
    actor, case, back = _case_for(request, case_id, Action.ADD_NOTE)
    return _form_page(
        request,
        forms.NoteForm(request.POST or None),
        title=_("Note — case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Add note"),
        save=lambda data: services.note_add(actor=actor, case=case, **data),
        done=lambda _n: back,
        success=_("Note added."),
        extra={"active_nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
def exploitation_edit(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Choose the forms of exploitation in a case."""
    actor, case, back = _case_for(request, case_id, Action.EDIT)
    current = selectors.case_exploitation_forms(actor=actor, case=case)
    return _form_page(
        request,
        forms.ExploitationSetForm(request.POST or None, initial={"forms": current}),
        title=_("Forms of exploitation — case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Save"),
        save=lambda data: services.exploitation_set(actor=actor, case=case, forms=data["forms"]),
        done=lambda _r: back,
        success=_("Saved."),
        extra={"active_nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
def control_means_edit(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Choose the means of control used in a case."""
    actor, case, back = _case_for(request, case_id, Action.EDIT)
    current = selectors.case_control_means(actor=actor, case=case)
    return _form_page(
        request,
        forms.ControlMeansSetForm(request.POST or None, initial={"means": current}),
        title=_("Means of control — case %(ref)s") % {"ref": case.reference},
        back=back,
        submit=_("Save"),
        save=lambda data: services.control_means_set(actor=actor, case=case, means=data["means"]),
        done=lambda _r: back,
        success=_("Saved."),
        extra={"active_nav": "cases"},
    )


@require_http_methods(["GET", "POST"])
def case_add_person(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Find one of the organisation's persons (POST search) and connect them to the case."""
    actor, case, back = _case_for(request, case_id, Action.EDIT)
    search_form = forms.PersonSearchForm(request.POST if "q" in request.POST else None)
    add_form = forms.CasePersonForm(request.POST if "person" in request.POST else None)
    context: dict[str, Any] = {
        "case": case,
        "back": back,
        "search_form": search_form,
        "add_form": add_form,
        "active_nav": "cases",
    }
    if search_form.is_bound and search_form.is_valid():
        context["results"] = list(
            selectors.case_person_options(
                actor=actor, case=case, query=search_form.cleaned_data["q"]
            )[:SEARCH_LIMIT]
        )
        context["searched"] = True
        if request.htmx:
            return render(request, "registry/_case_person_options.html", context)
    if add_form.is_bound and add_form.is_valid():
        data = dict(add_form.cleaned_data)
        try:
            person = selectors.person_get(actor=actor, person_id=data.pop("person"))
            services.case_add_person(actor=actor, case=case, person=person, **data)
        except InvalidInput as exc:
            apply_errors(add_form, exc)
        else:
            messages.success(request, _("Person added to the case."))
            return redirect(back)
    return render(request, "registry/case_add_person.html", context)


# --- attachments (photos and documents) ---------------------------------------------------------


def _attachment_add(
    request: HttpRequest, *, person: Any = None, case: Any = None, back: str
) -> HttpResponse:
    actor = actor_of(request)
    kind = request.POST.get("kind") or request.GET.get("kind") or AttachmentKind.PHOTO
    kind = kind if kind in AttachmentKind.values else AttachmentKind.PHOTO
    form = forms.AttachmentForm(request.POST or None, request.FILES or None, kind=kind)
    owner_name = person.display_name if person is not None else case.reference
    title = (
        _("Photo of %(name)s") if kind == AttachmentKind.PHOTO else _("Document of %(name)s")
    ) % {"name": owner_name}
    return _form_page(
        request,
        form,
        title=title,
        back=back,
        submit=_("Upload"),
        save=lambda data: services.attachment_add(
            actor=actor,
            person=person,
            case=case,
            kind=data["kind"],
            upload=data["file"],
            title=data["title"],
        ),
        done=lambda _obj: back,
        success=_("File uploaded."),
        template="registry/attachment_form.html",
        extra={
            "active_nav": "persons" if person is not None else "cases",
            "max_mb": settings.SETU_UPLOAD_MAX_MB,
        },
    )


@require_http_methods(["GET", "POST"])
def person_attachment_add(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Upload a photo (the phone's camera) or a document of a person."""
    actor = actor_of(request)
    person = selectors.person_get(actor=actor, person_id=person_id, for_action=Action.EDIT)
    back = reverse("registry:person-detail", args=[person.pk])
    return _attachment_add(request, person=person, back=back)


@require_http_methods(["GET", "POST"])
def case_attachment_add(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Upload a photo or a document of a case."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id, for_action=Action.EDIT)
    back = reverse("registry:case-detail", args=[case.pk])
    return _attachment_add(request, case=case, back=back)


def _attachment_back(attachment: Any) -> str:
    if attachment.person_id:
        return reverse("registry:person-detail", args=[attachment.person_id])
    return reverse("registry:case-detail", args=[attachment.case_id])


@require_GET
def attachment_download(request: HttpRequest, attachment_id: UUID) -> HttpResponse:
    """The file, only to those who may see it (audited), always as a download, never cached."""
    attachment, handle = selectors.attachment_open(
        actor=actor_of(request), attachment_id=attachment_id
    )
    return uploads.file_response(
        handle, content_type=attachment.content_type, filename=attachment.download_name
    )


@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, attachment_id: UUID) -> HttpResponse:
    """Delete a photo or document (and its file), after the user confirms it on a page."""
    actor = actor_of(request)
    attachment = selectors.attachment_get(
        actor=actor, attachment_id=attachment_id, for_action=Action.EDIT
    )
    back = _attachment_back(attachment)
    if request.method == "GET":
        return render(
            request,
            "registry/attachment_delete.html",
            {
                "attachment": attachment,
                "back": back,
                "active_nav": "persons" if attachment.person_id else "cases",
            },
        )
    services.attachment_delete(actor=actor, attachment=attachment)
    messages.success(request, _("File deleted."))
    return redirect(back)
