"""Legal pages: a legal officer's desk (deadlines, stale cases), a case's proceedings, one
proceeding with its forms, the hearing calendar, outcomes and the case bundle."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from setu.access import policy
from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.core.pages import export_page
from setu.legal import selectors, services
from setu.legal.forms import (
    AccusedForm,
    ClaimLinkForm,
    HearingForm,
    HearingOutcomeForm,
    JudgmentForm,
    MeasureForm,
    ProceedingForm,
)
from setu.orgs import selectors as orgs


def desk(request: HttpRequest) -> HttpResponse:
    """Flagged statutory periods, stale cases and the proceedings the actor follows."""
    actor = actor_of(request)
    selectors.require_reader(actor=actor)
    # Her own proceedings first; a reader with none assigned (a caseworker) sees all she may.
    assigned = selectors.has_assigned(actor=actor)
    mine = request.GET.get("all") != "1" and assigned
    return render(
        request,
        "legal/desk.html",
        {
            "deadlines": selectors.deadline_list(actor=actor, mine=mine),
            "stale": selectors.stale_list(actor=actor, mine=mine),
            "proceedings": selectors.proceeding_list(actor=actor, mine=mine)[:200],
            "mine": mine,
            "assigned": assigned,
            "active_nav": "legal",
        },
    )


def _proceeding_form(request: HttpRequest, **kwargs: Any) -> ProceedingForm:
    return ProceedingForm(
        request.POST if request.method == "POST" else None,
        sections=selectors.section_choices(),
        districts=orgs.district_list(),
        **kwargs,
    )


def case_proceedings(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """A case's proceedings, and opening a new one."""
    actor = actor_of(request)
    selectors.require_reader(actor=actor)
    case = selectors.case_for_legal(actor=actor, case_id=case_id)
    can_create = selectors.can_create(actor=actor) and case.owner_org_id == actor.organisation_id
    form = _proceeding_form(request)
    if request.method == "POST" and can_create and form.is_valid():
        values = form.values()
        try:
            proceeding = services.proceeding_create(
                actor=actor, case=case, legal_officer_id=actor.user.pk, **values
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("legal:proceeding-detail", proceeding_id=proceeding.pk)
    return render(
        request,
        "legal/case.html",
        {
            "case": case,
            "proceedings": selectors.proceeding_list(actor=actor, case_id=case.pk),
            "form": form,
            "can_create": can_create,
            "active_nav": "legal",
        },
    )


def proceeding_detail(request: HttpRequest, proceeding_id: UUID) -> HttpResponse:
    """One proceeding: facts, accused and verdicts, protection, hearings, running periods."""
    actor = actor_of(request)
    proceeding = selectors.proceeding_get(actor=actor, proceeding_id=proceeding_id)
    can_edit = selectors.can_edit(actor=actor, proceeding=proceeding)
    accused = list(proceeding.accused.all())
    invoked = [(c, label) for c, label in selectors.section_choices() if c in proceeding.sections]
    today = timezone.localdate()
    context = {
        "proceeding": proceeding,
        "sections": invoked,
        "accused": accused,
        "deadlines": selectors.proceeding_deadlines(proceeding),
        "plain_status": selectors.plain_status(proceeding),
        "can_edit": can_edit,
        "active_nav": "legal",
    }
    if can_edit:
        context.update(
            accused_form=AccusedForm(prefix="a"),
            judgment_form=JudgmentForm(prefix="j", accused=accused, sections=invoked),
            measure_form=MeasureForm(prefix="m", initial={"on": today}),
            hearing_form=HearingForm(prefix="h", initial={"court": proceeding.court}),
            claim_form=ClaimLinkForm(
                prefix="c", claims=selectors.case_claims(actor=actor, case_id=proceeding.case_id)
            ),
        )
    return render(request, "legal/proceeding.html", context)


def proceeding_edit(request: HttpRequest, proceeding_id: UUID) -> HttpResponse:
    """Correct a proceeding or record its next step."""
    actor = actor_of(request)
    proceeding = selectors.proceeding_get(
        actor=actor, proceeding_id=proceeding_id, action=Action.EDIT
    )
    initial = {name: getattr(proceeding, name) for name in services.PROCEEDING_FIELDS}
    initial["district"] = proceeding.district_id
    initial["closed"] = proceeding.stage == services.Stage.CLOSED
    form = _proceeding_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_update(actor=actor, proceeding=proceeding, **form.values())
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("legal:proceeding-detail", proceeding_id=proceeding.pk)
    return render(
        request,
        "legal/proceeding_form.html",
        {"proceeding": proceeding, "form": form, "active_nav": "legal"},
    )


def _form_failed(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
def proceeding_add(request: HttpRequest, proceeding_id: UUID, what: str) -> HttpResponse:
    """Add an accused, a verdict, a protection measure or a hearing, or link a claim."""
    actor = actor_of(request)
    proceeding = selectors.proceeding_get(
        actor=actor, proceeding_id=proceeding_id, action=Action.EDIT
    )
    accused = list(proceeding.accused.all())
    forms = {
        "accused": lambda: AccusedForm(request.POST, prefix="a"),
        "judgment": lambda: JudgmentForm(
            request.POST, prefix="j", accused=accused, sections=selectors.section_choices()
        ),
        "measure": lambda: MeasureForm(request.POST, prefix="m"),
        "hearing": lambda: HearingForm(request.POST, prefix="h"),
        "claim": lambda: ClaimLinkForm(
            request.POST,
            prefix="c",
            claims=selectors.case_claims(actor=actor, case_id=proceeding.case_id),
        ),
    }
    if what not in forms:
        return redirect("legal:proceeding-detail", proceeding_id=proceeding.pk)
    form = forms[what]()
    if not form.is_valid():
        _form_failed(request, form)
        return redirect("legal:proceeding-detail", proceeding_id=proceeding.pk)
    data = form.cleaned_data
    try:
        if what == "accused":
            services.accused_add(actor=actor, proceeding=proceeding, **data)
        elif what == "judgment":
            target = {str(a.pk): a for a in accused}[data.pop("accused")]
            services.judgment_record(actor=actor, accused=target, **data)
        elif what == "measure":
            services.measure_add(actor=actor, proceeding=proceeding, **data)
        elif what == "hearing":
            services.hearing_add(actor=actor, proceeding=proceeding, **data)
        else:
            services.compensation_link(actor=actor, proceeding=proceeding, claim_id=data["claim"])
    except InvalidInput as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                messages.error(request, f"{field}: {error}" if field != "__all__" else error)
    else:
        messages.success(request, _("Saved."))
    return redirect("legal:proceeding-detail", proceeding_id=proceeding.pk)


def hearing_outcome(request: HttpRequest, hearing_id: UUID) -> HttpResponse:
    """Record what happened at a hearing and the next date the court gave."""
    actor = actor_of(request)
    hearing = selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
    form = HearingOutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_record(actor=actor, hearing=hearing, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("legal:proceeding-detail", proceeding_id=hearing.proceeding_id)
    return render(
        request,
        "legal/hearing_form.html",
        {"hearing": hearing, "form": form, "active_nav": "legal"},
    )


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def calendar(request: HttpRequest) -> HttpResponse:
    """A month of hearings across the actor's proceedings, as an agenda (phone friendly)."""
    actor = actor_of(request)
    selectors.require_reader(actor=actor)
    first = _month(request.GET.get("month", ""))
    assigned = selectors.has_assigned(actor=actor)
    mine = request.GET.get("all") != "1" and assigned
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    days = selectors.calendar_month(actor=actor, year=first.year, month=first.month, mine=mine)
    links: dict[Any, str] = {}
    for day in days:
        for hearing in day.hearings:
            if hearing.proceeding_id not in links:
                links[hearing.proceeding_id] = reverse(
                    "legal:proceeding-detail", args=[hearing.proceeding_id]
                )
            hearing.link = links[hearing.proceeding_id]
    context = {
        "days": days,
        "month": first,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "mine": mine,
        "assigned": assigned,
        "today": timezone.localdate(),
        "active_nav": "legal",
    }
    template = "legal/_agenda.html" if request.headers.get("HX-Request") else "legal/calendar.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def bundle_export(request: HttpRequest, proceeding_id: UUID, fmt: str) -> HttpResponse:
    """The legal timeline as a file (JSON, or PDF with every page watermarked): ask for a
    password (GET), then send it in an encrypted, watermarked ZIP (POST); audited."""
    if fmt not in services.BUNDLE_FORMATS:
        raise Http404
    actor = actor_of(request)
    if fmt == "pdf" and not services.pdf_available():
        # No WeasyPrint here: the printable page instead, saying the PDF is not available.
        data = selectors.bundle(actor=actor, proceeding_id=proceeding_id, fmt="print")
        return render(request, "legal/bundle.html", {"bundle": data}, status=503)

    def allowed() -> None:
        policy.require_allowed(actor, Action.EXPORT, f"export.legal_bundle_{fmt}")
        selectors.proceeding_get(actor=actor, proceeding_id=proceeding_id, action=Action.EXPORT)

    return export_page(
        request,
        title=_("Download the case bundle (%(format)s)") % {"format": fmt.upper()},
        back=reverse("legal:proceeding-detail", args=[proceeding_id]),
        filename=f"legal-{proceeding_id}",
        allowed=allowed,
        send=lambda password: services.bundle_export(
            actor=actor, proceeding_id=proceeding_id, fmt=fmt, password=password
        ),
        active_nav="legal",
    )


def bundle_print(request: HttpRequest, proceeding_id: UUID) -> HttpResponse:
    """The legal timeline as a printable page."""
    data = selectors.bundle(actor=actor_of(request), proceeding_id=proceeding_id, fmt="print")
    return render(request, "legal/bundle.html", {"bundle": data})


def outcomes(request: HttpRequest) -> HttpResponse:
    """Outcomes per state, district, police station or court, with a chart and its table."""
    by = request.GET.get("by", "state")
    data = selectors.outcomes(actor=actor_of(request), by=by)
    return render(
        request,
        "legal/outcomes.html",
        {"o": data, "groupings": GROUPING_LABELS, "active_nav": "legal"},
    )


def outcomes_csv(request: HttpRequest) -> HttpResponse:
    """The outcome table as CSV (suppressed cells empty, as on the page)."""
    import csv

    data = selectors.outcomes(actor=actor_of(request), by=request.GET.get("by", "state"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="legal-outcomes-{data.by}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            data.by,
            *selectors.OUTCOME_COLUMNS,
            "conviction_rate_percent",
            "avg_days_fir_to_chargesheet",
            "avg_days_fir_to_judgment",
        ]
    )
    for row in data.rows:
        writer.writerow(
            [
                row.label,
                *(
                    "" if row.counts[c] is None else row.counts[c]
                    for c in selectors.OUTCOME_COLUMNS
                ),
                "" if row.conviction_rate is None else row.conviction_rate,
                "" if row.days_to_chargesheet is None else row.days_to_chargesheet,
                "" if row.days_to_judgment is None else row.days_to_judgment,
            ]
        )
    return response


GROUPING_LABELS = [
    ("state", _lazy("State")),
    ("district", _lazy("District")),
    ("police_station", _lazy("Police station")),
    ("court", _lazy("Court")),
]
