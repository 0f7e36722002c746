"""Legal pages: a legal officer's desk (deadlines, stale cases), a case's proceedings, one
proceeding with its forms, the hearing calendar, outcomes and the case bundle."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods

from setu.access import policy
from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.audit import services as audit
from setu.core.pages import export_page, form_page
from setu.legal import selectors, services
from setu.legal.forms import (
    AccusedEditForm,
    AccusedForm,
    AppealForm,
    ClaimLinkForm,
    ConfirmForm,
    HearingEditForm,
    HearingForm,
    HearingOutcomeForm,
    JudgmentForm,
    MeasureForm,
    ProceedingForm,
    WitnessPlanForm,
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


# Every legal form page: one way to show a form, save through a service and explain refusals.
_form_page = partial(form_page, refused=audit.denial_record)


def _proceeding_form(request: HttpRequest, **kwargs: Any) -> ProceedingForm:
    return ProceedingForm(
        request.POST if request.method == "POST" else None,
        sections=selectors.section_choices(),
        districts=orgs.district_list(),
        **kwargs,
    )


def _appeal_form(request: HttpRequest, accused: Any, appeals: Any, **kwargs: Any) -> AppealForm:
    """The appeal form with the proceeding's verdicts and earlier appeals to choose from (the
    places: the state's districts only, through orgs' place fields)."""
    return AppealForm(
        request.POST if request.method == "POST" else None,
        judgments=[j for a in accused for j in a.judgments.all()],
        appeals=appeals,
        **kwargs,
    )


def _detail(proceeding_id: Any) -> str:
    return reverse("legal:proceeding-detail", args=[proceeding_id])


@require_http_methods(["GET", "POST"])
def case_proceedings(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """A case's proceedings, and opening a new one."""
    actor = actor_of(request)
    selectors.require_reader(actor=actor)
    case = selectors.case_for_legal(actor=actor, case_id=case_id)
    can_create = selectors.can_create(actor=actor) and case.owner_org_id == actor.organisation_id
    form = _proceeding_form(request)
    return _form_page(
        request,
        form,
        title=_("Open a proceeding"),
        back=reverse("legal:case", args=[case.pk]),
        submit=_("Save"),
        save=lambda data: services.proceeding_create(
            actor=actor, case=case, legal_officer_id=actor.user.pk, **form.values()
        ),
        done=lambda proceeding: _detail(proceeding.pk),
        success=_("Saved."),
        template="legal/case.html",
        extra={
            "case": case,
            "proceedings": selectors.proceeding_list(actor=actor, case_id=case.pk),
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
    today = timezone.localdate()
    for hearing in proceeding.hearings.all():
        plan = getattr(hearing, "witness_plan", None)
        hearing.plan = plan
        hearing.witness_unready = selectors.witness_unready(
            plan.status if plan else None, on=hearing.on, outcome=hearing.outcome, today=today
        )
    invoked = [(c, label) for c, label in selectors.section_choices() if c in proceeding.sections]
    context = {
        "proceeding": proceeding,
        "sections": invoked,
        "accused": accused,
        "deadlines": selectors.proceeding_deadlines(proceeding),
        "appeals": selectors.appeal_list(proceeding),
        "plain_status": selectors.plain_status(proceeding),
        "witness_alert_days": selectors.WITNESS_ALERT_DAYS,
        "can_send_status": selectors.can_send_status(actor=actor, proceeding=proceeding),
        "can_edit": can_edit,
        "active_nav": "legal",
    }
    code, name = selectors.her_language(proceeding)
    if code and code != translation.get_language():
        # Read out or sent in her language, not the caseworker's.
        context.update(
            her_language=name,
            her_language_code=code,
            plain_status_hers=selectors.plain_status(proceeding, language=code),
        )
    if can_edit:
        context.update(
            accused_form=AccusedForm(prefix="a"),
            judgment_form=JudgmentForm(prefix="j", accused=accused, sections=invoked),
            measure_form=MeasureForm(prefix="m", initial={"on": today}),
            hearing_form=HearingForm(prefix="h", initial={"court": proceeding.court}),
            appeal_form=_appeal_form(request, accused, list(proceeding.appeals.all()), prefix="p")
            if proceeding.judgment_on
            else None,
            claim_form=ClaimLinkForm(
                prefix="c", claims=selectors.case_claims(actor=actor, case_id=proceeding.case_id)
            ),
        )
    return render(request, "legal/proceeding.html", context)


@require_http_methods(["GET", "POST"])
def proceeding_edit(request: HttpRequest, proceeding_id: UUID) -> HttpResponse:
    """Correct a proceeding or record its next step."""
    actor = actor_of(request)
    proceeding = selectors.proceeding_get(
        actor=actor, proceeding_id=proceeding_id, action=Action.EDIT
    )
    initial = {name: getattr(proceeding, name) for name in services.PROCEEDING_FIELDS}
    initial["district"] = proceeding.district_id
    initial["closed"] = proceeding.stage == services.Stage.CLOSED
    back = _detail(proceeding.pk)
    form = _proceeding_form(request, initial=initial)
    return _form_page(
        request,
        form,
        title=str(proceeding),
        back=back,
        submit=_("Save"),
        save=lambda _data: services.proceeding_update(
            actor=actor, proceeding=proceeding, **form.values()
        ),
        done=lambda _p: back,
        success=_("Saved."),
        extra={"active_nav": "legal"},
    )


@require_http_methods(["GET", "POST"])
def plain_status_send(request: HttpRequest, proceeding_id: UUID) -> HttpResponse:
    """Send the survivor her case's status by SMS in her language: the page shows the message
    and where it goes; the button sends it (only with her recorded agreement)."""
    actor = actor_of(request)
    proceeding = selectors.proceeding_get(
        actor=actor, proceeding_id=proceeding_id, action=Action.SEND_MESSAGE
    )
    code, name = selectors.her_language(proceeding)
    back = _detail(proceeding.pk)
    text = selectors.plain_status(proceeding, language=code)
    phone = proceeding.reminder_phone
    intro = (
        _("This goes by SMS to her phone ending in %(digits)s, in %(language)s: “%(text)s”")
        % {"digits": phone[-2:], "language": name or _("the page's language"), "text": text}
        if phone
        else text
    )
    return _form_page(
        request,
        ConfirmForm(request.POST if request.method == "POST" else None),
        title=_("Send her the status of her case?"),
        intro=intro,
        back=back,
        submit=_("Send by SMS"),
        save=lambda _data: services.plain_status_send(actor=actor, proceeding=proceeding),
        done=lambda _text: back,
        success=_("Sent to her by SMS."),
        extra={"active_nav": "legal"},
    )


# What may be added to a proceeding from its page: the form, its prefix there, the page title.
ADDS: dict[str, tuple[type, str, Any]] = {
    "accused": (AccusedForm, "a", gettext_lazy("Add an accused")),
    "judgment": (JudgmentForm, "j", gettext_lazy("Record a verdict")),
    "measure": (MeasureForm, "m", gettext_lazy("Record a protection measure")),
    "hearing": (HearingForm, "h", gettext_lazy("Add a hearing")),
    "claim": (ClaimLinkForm, "c", gettext_lazy("Link the compensation claim")),
    "appeal": (AppealForm, "p", gettext_lazy("Record an appeal")),
}


@require_http_methods(["GET", "POST"])
def proceeding_add(request: HttpRequest, proceeding_id: UUID, what: str) -> HttpResponse:
    """Add an accused, a verdict, a protection measure or a hearing, or link a claim. The
    proceeding's page posts here; a refused entry comes back on its own page, errors in place."""
    if what not in ADDS:
        raise Http404
    actor = actor_of(request)
    proceeding = selectors.proceeding_get(
        actor=actor, proceeding_id=proceeding_id, action=Action.EDIT
    )
    form_class, prefix, title = ADDS[what]
    accused = {str(a.pk): a for a in proceeding.accused.all()}
    options: dict[str, Any] = {
        "judgment": {"accused": accused.values(), "sections": selectors.section_choices()},
        "claim": {"claims": selectors.case_claims(actor=actor, case_id=proceeding.case_id)},
        "appeal": {
            "judgments": [j for a in accused.values() for j in a.judgments.all()],
            "appeals": list(proceeding.appeals.all()),
        },
    }.get(what, {})

    def save(data: dict[str, Any]) -> Any:
        if what == "accused":
            return services.accused_add(actor=actor, proceeding=proceeding, **data)
        if what == "judgment":
            target = accused[data.pop("accused")]
            return services.judgment_record(actor=actor, accused=target, **data)
        if what == "measure":
            return services.measure_add(actor=actor, proceeding=proceeding, **data)
        if what == "hearing":
            return services.hearing_add(actor=actor, proceeding=proceeding, **data)
        if what == "appeal":
            values = AppealForm.service_values(data)
            return services.appeal_file(actor=actor, proceeding=proceeding, **values)
        return services.compensation_link(
            actor=actor, proceeding=proceeding, claim_id=data["claim"]
        )

    back = _detail(proceeding.pk)
    return _form_page(
        request,
        form_class(request.POST or None, prefix=prefix, **options),
        title=str(title),
        back=back,
        submit=_("Save"),
        save=save,
        done=lambda _r: back,
        success=_("Saved."),
        intro=str(proceeding),
        extra={"active_nav": "legal"},
    )


@require_http_methods(["GET", "POST"])
def hearing_outcome(request: HttpRequest, hearing_id: UUID) -> HttpResponse:
    """Record what happened at a hearing and the next date the court gave."""
    actor = actor_of(request)
    hearing = selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
    return _correct(
        request,
        hearing,
        HearingOutcomeForm(request.POST or None),
        title=_("Hearing of %(date)s") % {"date": _date(hearing.on)},
        save=lambda data: services.hearing_record(actor=actor, hearing=hearing, **data),
        intro=_hearing_intro(hearing),
    )


def _correct(
    request: HttpRequest,
    part: Any,
    form: Any,
    *,
    title: str,
    save: Any,
    intro: str = "",
) -> HttpResponse:
    """The page that corrects one part of a proceeding and returns to the proceeding."""
    back = _detail(part.proceeding_id)
    return _form_page(
        request,
        form,
        title=title,
        back=back,
        submit=_("Save"),
        save=save,
        done=lambda _r: back,
        success=_("Saved."),
        intro=intro or str(part.proceeding),
        extra={"active_nav": "legal"},
    )


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _hearing_intro(hearing: Any) -> str:
    return " · ".join(str(part) for part in (hearing.proceeding, hearing.court) if part)


@require_http_methods(["GET", "POST"])
def hearing_edit(request: HttpRequest, hearing_id: UUID) -> HttpResponse:
    """Correct a hearing: its date, court, purpose, attendance, outcome and reason."""
    actor = actor_of(request)
    hearing = selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
    initial = {name: getattr(hearing, name) for name in services.HEARING_FIELDS}
    return _correct(
        request,
        hearing,
        HearingEditForm(request.POST or None, initial=initial),
        title=_("Correct the hearing of %(date)s") % {"date": _date(hearing.on)},
        save=lambda data: services.hearing_update(actor=actor, hearing=hearing, **data),
        intro=_hearing_intro(hearing),
    )


@require_http_methods(["GET", "POST"])
def witness_plan(request: HttpRequest, hearing_id: UUID) -> HttpResponse:
    """A hearing's inter-state witness plan: readers see it, the proceeding's writers make or
    change it."""
    actor = actor_of(request)
    hearing, plan = selectors.witness_plan_get(actor=actor, hearing_id=hearing_id)
    can_edit = selectors.can_edit(actor=actor, proceeding=hearing.proceeding)
    title = _("Witness plan for the hearing of %(date)s") % {"date": _date(hearing.on)}
    context = {
        "hearing": hearing,
        "plan": plan,
        "can_edit": can_edit,
        "title": title,
        "back": _detail(hearing.proceeding_id),
        "intro": _hearing_intro(hearing),
        "active_nav": "legal",
    }
    if not can_edit:
        if request.method == "POST":
            selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
        return render(request, "legal/witness_plan.html", context)
    initial = {name: getattr(plan, name) for name in services.WITNESS_PLAN_FIELDS} if plan else {}
    return _form_page(
        request,
        WitnessPlanForm(request.POST or None, initial=initial),
        title=title,
        back=context["back"],
        submit=_("Save"),
        save=lambda data: services.witness_plan_save(actor=actor, hearing=hearing, **data),
        done=lambda _r: context["back"],
        success=_("Saved."),
        intro=context["intro"],
        template="legal/witness_plan.html",
        extra=context,
    )


def _confirm(
    request: HttpRequest, *, title: str, intro: str, back: str, delete: Any
) -> HttpResponse:
    """A deletion, only after the user confirms it on a page of its own."""
    return _form_page(
        request,
        ConfirmForm(request.POST if request.method == "POST" else None),
        title=title,
        back=back,
        submit=_("Delete"),
        save=lambda _data: delete(),
        done=lambda _r: back,
        success=_("Deleted."),
        intro=intro,
        extra={"active_nav": "legal", "danger": True},
    )


@require_http_methods(["GET", "POST"])
def hearing_delete(request: HttpRequest, hearing_id: UUID) -> HttpResponse:
    """Remove a hearing entered in error, after confirmation."""
    actor = actor_of(request)
    hearing = selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
    return _confirm(
        request,
        title=_("Delete the hearing of %(date)s?") % {"date": _date(hearing.on)},
        intro=_hearing_intro(hearing),
        back=_detail(hearing.proceeding_id),
        delete=lambda: services.hearing_delete(actor=actor, hearing=hearing),
    )


def _verdict_sections(accused: Any) -> list[tuple[str, str]]:
    """The sections invoked, and any section an earlier verdict names (so it can be removed)."""
    choices = selectors.section_choices()
    wanted = set(accused.proceeding.sections or []) | {j.section for j in accused.judgments.all()}
    return [(code, label) for code, label in choices if code in wanted] + [
        (code, code) for code in sorted(wanted - {c for c, _l in choices})
    ]


@require_http_methods(["GET", "POST"])
def accused_edit(request: HttpRequest, accused_id: UUID) -> HttpResponse:
    """Correct an accused (arrest, bail, custody) and the verdict on each section."""
    actor = actor_of(request)
    accused = selectors.accused_get(actor=actor, accused_id=accused_id, action=Action.EDIT)
    initial: dict[str, Any] = {name: getattr(accused, name) for name in services.ACCUSED_FIELDS}
    for j in accused.judgments.all():
        initial |= {
            f"verdict:{j.section}": j.verdict,
            f"decided_on:{j.section}": j.decided_on,
            f"sentence:{j.section}": j.sentence,
        }
    form = AccusedEditForm(
        request.POST or None, initial=initial, sections=_verdict_sections(accused)
    )
    return _correct(
        request,
        accused,
        form,
        title=_("Correct an accused"),
        save=lambda _data: services.accused_correct(actor=actor, accused=accused, **form.values()),
    )


@require_http_methods(["GET", "POST"])
def accused_delete(request: HttpRequest, accused_id: UUID) -> HttpResponse:
    """Remove an accused entered in error, with their verdicts, after confirmation."""
    actor = actor_of(request)
    accused = selectors.accused_get(actor=actor, accused_id=accused_id, action=Action.EDIT)
    verdicts = selectors.accused_verdict_count(accused=accused)
    return _confirm(
        request,
        title=_("Delete this accused?"),
        intro=ngettext(
            "%(name)s and the %(count)d verdict recorded on them will be removed.",
            "%(name)s and the %(count)d verdicts recorded on them will be removed.",
            verdicts,
        )
        % {"name": accused.name, "count": verdicts},
        back=_detail(accused.proceeding_id),
        delete=lambda: services.accused_delete(actor=actor, accused=accused),
    )


@require_http_methods(["GET", "POST"])
def appeal_edit(request: HttpRequest, appeal_id: UUID) -> HttpResponse:
    """Correct an appeal or record the higher court's decision and its date."""
    actor = actor_of(request)
    appeal = selectors.appeal_get(actor=actor, appeal_id=appeal_id, action=Action.EDIT)
    initial: dict[str, Any] = {name: getattr(appeal, name) for name in services.APPEAL_FIELDS}
    initial |= {
        "state": appeal.state_id,
        "district": appeal.district_id,
        "judgments": selectors.appeal_judgment_ids(appeal=appeal),
        "appeal_from": str(appeal.appeal_from_id) if appeal.appeal_from_id else "",
    }
    accused = selectors.proceeding_accused(proceeding=appeal.proceeding)
    earlier = [a for a in appeal.proceeding.appeals.all() if a.pk != appeal.pk]
    form = _appeal_form(request, accused, earlier, initial=initial)
    return _correct(
        request,
        appeal,
        form,
        title=_("Appeal filed on %(date)s") % {"date": _date(appeal.filed_on)},
        save=lambda _data: services.appeal_update(actor=actor, appeal=appeal, **form.values()),
    )


@require_http_methods(["GET", "POST"])
def appeal_delete(request: HttpRequest, appeal_id: UUID) -> HttpResponse:
    """Remove an appeal entered in error, after confirmation."""
    actor = actor_of(request)
    appeal = selectors.appeal_get(actor=actor, appeal_id=appeal_id, action=Action.EDIT)
    return _confirm(
        request,
        title=_("Delete the appeal filed on %(date)s?") % {"date": _date(appeal.filed_on)},
        intro=" · ".join(str(x) for x in (appeal.proceeding, appeal.court) if x),
        back=_detail(appeal.proceeding_id),
        delete=lambda: services.appeal_delete(actor=actor, appeal=appeal),
    )


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, measure_id: UUID) -> HttpResponse:
    """Correct a protection measure."""
    actor = actor_of(request)
    measure = selectors.measure_get(actor=actor, measure_id=measure_id, action=Action.EDIT)
    initial = {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
    return _correct(
        request,
        measure,
        MeasureForm(request.POST or None, initial=initial),
        title=_("Correct a protection measure"),
        save=lambda data: services.measure_update(actor=actor, measure=measure, **data),
    )


@require_http_methods(["GET", "POST"])
def measure_delete(request: HttpRequest, measure_id: UUID) -> HttpResponse:
    """Remove a protection measure entered in error, after confirmation."""
    actor = actor_of(request)
    measure = selectors.measure_get(actor=actor, measure_id=measure_id, action=Action.EDIT)
    return _confirm(
        request,
        title=_("Delete this protection measure?"),
        intro=f"{_date(measure.on)}: {measure.get_kind_display()}",
        back=_detail(measure.proceeding_id),
        delete=lambda: services.measure_delete(actor=actor, measure=measure),
    )


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


# Weekday names of the grid's columns, ours so every language has them (Django has no Odia);
# Sunday first, as Django's FIRST_DAY_OF_WEEK counts.
WEEKDAYS = [
    (pgettext_lazy("weekday", "Sunday"), pgettext_lazy("weekday, short", "Sun")),
    (pgettext_lazy("weekday", "Monday"), pgettext_lazy("weekday, short", "Mon")),
    (pgettext_lazy("weekday", "Tuesday"), pgettext_lazy("weekday, short", "Tue")),
    (pgettext_lazy("weekday", "Wednesday"), pgettext_lazy("weekday, short", "Wed")),
    (pgettext_lazy("weekday", "Thursday"), pgettext_lazy("weekday, short", "Thu")),
    (pgettext_lazy("weekday", "Friday"), pgettext_lazy("weekday, short", "Fri")),
    (pgettext_lazy("weekday", "Saturday"), pgettext_lazy("weekday, short", "Sat")),
]


def _weekdays() -> list[tuple[Any, Any]]:
    first = int(get_format("FIRST_DAY_OF_WEEK"))
    return WEEKDAYS[first:] + WEEKDAYS[:first]


def calendar(request: HttpRequest) -> HttpResponse:
    """A month of hearings across the actor's proceedings: a grid on wide screens, an agenda
    (one day after another) on phones; months change in place with htmx or as plain links."""
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
        day.name = WEEKDAYS[(day.date.weekday() + 1) % 7][0]  # type: ignore[attr-defined]
        for hearing in day.hearings:
            if hearing.proceeding_id not in links:
                links[hearing.proceeding_id] = reverse(
                    "legal:proceeding-detail", args=[hearing.proceeding_id]
                )
            hearing.link = links[hearing.proceeding_id]
    context = {
        "days": days,
        # Wide screens show the month as a grid (CSS decides); phones the agenda list.
        "weeks": selectors.month_weeks(
            year=first.year,
            month=first.month,
            days=days,
            first_weekday=int(get_format("FIRST_DAY_OF_WEEK")),
        ),
        "weekdays": _weekdays(),
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


def _outcome_filters(request: HttpRequest) -> dict[str, Any]:
    """The grouping and the year (of the FIR or of the judgment) asked for; a year that is not
    one of the offered ones counts all years."""
    year = request.GET.get("year", "")
    return {
        "by": request.GET.get("by", "state"),
        "year": int(year) if year.isdigit() and int(year) in selectors.outcome_years() else None,
        "year_of": request.GET.get("year_of", "fir"),
    }


def outcomes(request: HttpRequest) -> HttpResponse:
    """Outcomes per state, district, police station or court, with a chart and its table, and
    why hearings were adjourned there; for all years or one year of FIR or of judgment."""
    filters = _outcome_filters(request)
    data = selectors.outcomes_read(actor=actor_of(request), channel="page", **filters)
    context = {
        "o": data,
        "groupings": GROUPING_LABELS,
        "years": selectors.outcome_years(),
        "years_of": YEAR_OF_LABELS,
        "query": urlencode({"by": data.by, "year": data.year or "", "year_of": data.year_of}),
        "active_nav": "legal",
    }
    # Only the results for the form's swap; a whole page when htmx restores the history.
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        return render(request, "legal/_outcomes.html", context)
    return render(request, "legal/outcomes.html", context)


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def outcomes_csv(request: HttpRequest) -> HttpResponse:
    """The outcome table as CSV (suppressed cells empty, as on the page); with
    ``table=adjournments`` the adjourned hearings per place and reason instead, with
    ``table=appeals`` the appeals per place (filed, pending, each decided outcome)."""
    import csv

    filters = _outcome_filters(request)
    data = selectors.outcomes_read(actor=actor_of(request), channel="csv", **filters)
    table = request.GET.get("table", "")
    adjournments = table == "adjournments"
    name = {"adjournments": "legal-adjournments", "appeals": "legal-appeals"}.get(
        table, "legal-outcomes"
    )
    year = f"-{data.year_of}-{data.year}" if data.year else ""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{data.by}{year}.csv"'
    writer = csv.writer(response)
    if table == "appeals":
        # Every outcome has its column, counted or not, so files of two years line up.
        writer.writerow([data.by, *selectors.APPEAL_COLUMNS])
        for appeal_row in data.appeal_rows:
            writer.writerow(
                [
                    appeal_row.label,
                    *(_blank(appeal_row.counts[c]) for c in selectors.APPEAL_COLUMNS),
                ]
            )
        return response
    if adjournments:
        # Every reason has its column, counted or not, so files of two years line up.
        reasons = selectors.ADJOURNMENT_REASONS
        writer.writerow([data.by, "adjourned_hearings", *reasons])
        for reason_row in data.reason_rows:
            writer.writerow(
                [
                    reason_row.label,
                    _blank(reason_row.total),
                    *(_blank(reason_row.counts.get(r, 0)) for r in reasons),
                ]
            )
        return response
    writer.writerow(
        [
            data.by,
            *selectors.OUTCOME_COLUMNS,
            "conviction_rate_percent",
            "avg_days_fir_to_chargesheet",
            "avg_days_fir_to_judgment",
            "avg_days_chargesheet_to_charges",
            "avg_days_charges_to_judgment",
            "avg_days_appeal_filed_to_decided",
        ]
    )
    for row in data.rows:
        writer.writerow(
            [
                row.label,
                *(_blank(row.counts[c]) for c in selectors.OUTCOME_COLUMNS),
                _blank(row.conviction_rate),
                _blank(row.days_to_chargesheet),
                _blank(row.days_to_judgment),
                _blank(row.days_chargesheet_to_charges),
                _blank(row.days_charges_to_judgment),
                _blank(row.days_appeal_to_decision),
            ]
        )
    return response


YEAR_OF_LABELS = [
    ("fir", gettext_lazy("Year of FIR")),
    ("judgment", gettext_lazy("Year of judgment")),
]
GROUPING_LABELS = [
    ("state", gettext_lazy("State")),
    ("district", gettext_lazy("District")),
    ("police_station", gettext_lazy("Police station")),
    ("court", gettext_lazy("Court")),
]
