"""Feedback pages. Two kinds:

* the survivor's pages under ``/f/`` (no account): one entry page that takes a short code, her
  personal link, the questions, the thanks with her follow-up code and the follow-up itself.
  Every answer is ``no-store`` and ``no-referrer``, sets no cookie, and carries no code or
  token in a URL after the first (the link's token is in the page's own URL, which the page's
  script replaces with ``/f/`` at once, and which stops working when she has answered);
* the members' pages under ``/feedback/``: the desk of those who code and answer feedback, one
  item, invitations, campaigns, reports and "you said, we did".
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.access import policy
from setu.access.actor import actor_of, client_ip
from setu.access.policy import Action
from setu.core import charts
from setu.core.errors import InvalidInput, NotFound
from setu.core.forms import apply_errors
from setu.core.pages import form_page
from setu.feedback import icons, prompts, selectors, services
from setu.feedback.forms import (
    AssistedForm,
    CampaignForm,
    ChangeNoteForm,
    CodeThemesForm,
    ComplaintDeskForm,
    InviteForm,
    RespondForm,
    SubjectForm,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Where the quick-exit button goes: a neutral page that looks like ordinary browsing.
EXIT_URL = getattr(settings, "SETU_FEEDBACK_EXIT_URL", "https://www.google.com/search?q=weather")


# --- The survivor's pages (no account) -------------------------------------------------------


def _language(request: HttpRequest, fallback: str = "") -> str:
    chosen = request.POST.get("lang") or request.GET.get("lang") or ""
    if chosen in LANGUAGE_CODES:
        return chosen
    if fallback in LANGUAGE_CODES:
        return fallback
    return translation.get_language() or settings.LANGUAGE_CODE


def _private(response: HttpResponse) -> HttpResponse:
    """Nothing of her visit stays on the phone or leaks to the next site."""
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _public(
    request: HttpRequest, template: str, context: dict[str, Any], lang: str, status: int = 200
) -> HttpResponse:
    with translation.override(lang):
        page = render(
            request,
            template,
            {
                **context,
                "lang": lang,
                "languages": settings.LANGUAGES,
                "exit_url": EXIT_URL,
                "icons": icons,
                "audio": prompts.audio_prompts(lang),
                "questions": prompts.QUESTION_TEXT,
            },
            status=status,
        )
    page["Content-Language"] = lang
    return _private(page)


def _questions_context(credential: services.Credential, errors: dict, data: Any) -> dict:
    invitation = credential.invitation
    fixed = invitation.subject or (invitation.campaign.subject if invitation.campaign else None)
    return {
        "subject": fixed,
        "subjects": [] if fixed else list(selectors.subjects_public()),
        "errors": errors,
        "general_errors": errors.get("__all__", []),
        "data": data,
        "faces": [(n, label, icons.FACES[n]) for n, label in selectors.Treated.choices],
        "entitled_choices": selectors.Entitled.choices,
        "safe_choices": selectors.Safe.choices,
        "serious_choices": selectors.Serious.choices,
    }


@login_not_required
@require_GET
def public_link(request: HttpRequest, token: str) -> HttpResponse:
    """Her personal link: the questions at once (the token travels on in the form's body)."""
    try:
        credential = services.credential_open(address=client_ip(request), token=token)
    except services.TooManyAttempts:
        return _public(request, "feedback/public_wait.html", {}, _language(request), 429)
    except NotFound:
        return _public(request, "feedback/public_entry.html", {"gone": True}, _language(request))
    lang = _language(request, credential.invitation.language)
    context = {**_questions_context(credential, {}, {}), "token": token}
    return _public(request, "feedback/public_questions.html", context, lang)


# Forged submissions need a live code or token, which is the form's own secret: a CSRF cookie
# would only leave a trace on her phone.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def public_entry(request: HttpRequest) -> HttpResponse:
    """The page behind ``/f/``: enter a code; then the questions, the thanks, or her follow-up,
    each answered by one POST that replaces the page."""
    lang = _language(request)
    if request.method == "GET":
        notes = selectors.change_notes_public()
        return _public(request, "feedback/public_entry.html", {"notes": notes}, lang)
    token = request.POST.get("token", "")
    code = request.POST.get("code", "")
    step = request.POST.get("step", "")
    if not (token or code):
        return _public(request, "feedback/public_entry.html", {}, lang)
    try:
        credential = services.credential_open(address=client_ip(request), token=token, code=code)
    except services.TooManyAttempts:
        return _public(request, "feedback/public_wait.html", {}, lang, 429)
    except NotFound:
        return _public(request, "feedback/public_entry.html", {"refused": True}, lang, 404)
    keep = {"token": token, "code": code}
    if credential.feedback is not None:
        return _public_followup(request, credential, step, keep, lang)
    lang = _language(request, credential.invitation.language)
    if step != "answer":
        context = {**_questions_context(credential, {}, {}), **keep}
        return _public(request, "feedback/public_questions.html", context, lang)
    try:
        with translation.override(lang):
            answers = services.answers_from(request.POST)
            feedback, followup = services.feedback_give(
                credential=credential,
                subject_id=request.POST.get("subject") or None,
                answers=answers,
                language=lang,
                channel=services.Channel.SHORT_CODE if code else services.Channel.WEB_LINK,
            )
    except InvalidInput as exc:
        context = {**_questions_context(credential, exc.errors, request.POST), **keep}
        return _public(request, "feedback/public_questions.html", context, lang, 400)
    except NotFound:
        return _public(request, "feedback/public_entry.html", {"refused": True}, lang, 404)
    notes = selectors.change_notes_public(organisation_id=feedback.concerns_org_id)
    context = {"followup": followup, "serious": feedback.lane == "serious", "notes": notes}
    return _public(request, "feedback/public_thanks.html", context, lang)


def _public_followup(
    request: HttpRequest, credential: services.Credential, step: str, keep: dict, lang: str
) -> HttpResponse:
    feedback = credential.feedback
    if step == "satisfied" and request.POST.get("satisfied") in ("yes", "no"):
        feedback = services.feedback_satisfied(
            credential=credential, satisfied=request.POST["satisfied"] == "yes"
        )
    lang = _language(request, feedback.language)
    notes = selectors.change_notes_public(organisation_id=feedback.concerns_org_id)
    context = {"feedback": feedback, "notes": notes, **keep}
    return _public(request, "feedback/public_followup.html", context, lang)


# --- Members' pages ----------------------------------------------------------------------------


def _members_only(request: HttpRequest) -> Any:
    actor = actor_of(request)
    selectors.require_member(actor=actor)
    return actor


def desk(request: HttpRequest) -> HttpResponse:
    """Feedback to code and answer, and serious complaints routed to the actor."""
    actor = _members_only(request)
    lane = request.GET.get("lane", "")
    lane = lane if lane in selectors.Lane.values else ""
    status = request.GET.get("status", "")
    status = status if status in selectors.Status.values else ""
    counts = selectors.feedback_counts(actor=actor)
    return render(
        request,
        "feedback/desk.html",
        {
            "items": selectors.feedback_list(actor=actor, lane=lane, status=status)[:200],
            "lane": lane,
            "status": status,
            "lanes": [(v, label, counts.get(v, 0)) for v, label in selectors.Lane.choices],
            "statuses": selectors.Status.choices,
            "can_assist": policy.allowed(actor, Action.CREATE, "feedback.feedback"),
            "can_invite": policy.allowed(actor, Action.CREATE, "feedback.invitation"),
            "can_report": policy.allowed(actor, Action.VIEW_AGGREGATES, "feedback.report"),
            "can_campaign": policy.allowed(actor, Action.VIEW, "feedback.campaign"),
            "can_note": policy.allowed(actor, Action.CREATE, "feedback.changenote"),
            "can_subjects": policy.allowed(actor, Action.EDIT, "feedback.subject"),
            "can_desks": policy.allowed(actor, Action.EDIT, "feedback.complaintdesk"),
            "active_nav": "feedback",
        },
    )


def item(request: HttpRequest, feedback_id: UUID) -> HttpResponse:
    """One piece of feedback with its free text, the theme coding and the answer to her."""
    actor = actor_of(request)
    feedback = selectors.feedback_get(actor=actor, feedback_id=feedback_id)
    return render(
        request,
        "feedback/item.html",
        {
            "feedback": feedback,
            "themes_form": CodeThemesForm(initial={"themes": feedback.themes}),
            "respond_form": RespondForm(initial={"note": feedback.response_note}),
            "active_nav": "feedback",
        },
    )


@require_POST
def item_act(request: HttpRequest, feedback_id: UUID, what: str) -> HttpResponse:
    """Code themes, acknowledge, or answer her."""
    actor = actor_of(request)
    feedback = selectors.feedback_get(actor=actor, feedback_id=feedback_id)
    forms_by_step = {"code": CodeThemesForm, "respond": RespondForm}
    if what == "acknowledge":
        services.feedback_acknowledge(actor=actor, feedback=feedback)
        messages.success(request, _("Acknowledged."))
        return redirect("feedback:item", feedback_id=feedback.pk)
    if what not in forms_by_step:
        raise Http404
    form = forms_by_step[what](request.POST)
    if form.is_valid():
        try:
            if what == "code":
                services.feedback_code(
                    actor=actor, feedback=feedback, themes=form.cleaned_data["themes"]
                )
            else:
                services.feedback_respond(
                    actor=actor, feedback=feedback, note=form.cleaned_data["note"]
                )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("feedback:item", feedback_id=feedback.pk)
    context = {
        "feedback": feedback,
        "themes_form": form if what == "code" else CodeThemesForm(),
        "respond_form": form if what == "respond" else RespondForm(),
        "active_nav": "feedback",
    }
    return render(request, "feedback/item.html", context, status=400)


def _subject_choices(actor: Any) -> list[tuple[str, str]]:
    return [("", "—")] + [
        (str(s.pk), _subject_label(s)) for s in selectors.subject_list(actor=actor)
    ]


def _subject_label(subject: Any) -> str:
    place = f", {subject.district.name}" if subject.district_id else ""
    return f"{subject.name}{place} ({subject.get_kind_display()})"


@require_http_methods(["GET", "POST"])
def assisted(request: HttpRequest) -> HttpResponse:
    """A caseworker or peer supporter records a survivor's answers with her, marked as such."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "feedback.feedback")
    form = AssistedForm(request.POST or None, subjects=_subject_choices(actor))
    if request.method == "POST" and form.is_valid():
        try:
            subject = selectors.subject_get(actor=actor, subject_id=form.cleaned_data["subject"])
            answers = services.answers_from(form.cleaned_data)
            feedback, followup = services.feedback_record_assisted(
                actor=actor,
                subject=subject,
                answers=answers,
                language=form.cleaned_data["language"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            return _private(
                render(
                    request,
                    "feedback/assisted_done.html",
                    {"followup": followup, "feedback": feedback, "active_nav": "feedback"},
                )
            )
    return render(request, "feedback/assisted.html", {"form": form, "active_nav": "feedback"})


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    """Make invitations (a link and a code each) to print on cards or send by SMS."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "feedback.invitation")
    campaigns = [("", "—")] + [(str(c.pk), c.name) for c in selectors.campaign_list(actor=actor)]
    form = InviteForm(
        request.POST or None,
        subjects=_subject_choices(actor),
        campaigns=campaigns,
        initial={"campaign": request.GET.get("campaign", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = (
                selectors.subject_get(actor=actor, subject_id=data["subject"])
                if data["subject"]
                else None
            )
            campaign = (
                selectors.campaign_get(actor=actor, campaign_id=data["campaign"])
                if data["campaign"]
                else None
            )
            issued = services.invitations_issue(
                actor=actor,
                subject=subject,
                campaign=campaign,
                count=data["count"],
                language=data["language"],
                days=data["days"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            base = request.build_absolute_uri(reverse("feedback_public:entry"))
            cards = [
                (request.build_absolute_uri(f"{base}{i.token}/"), i.code, i.invitation.expires_at)
                for i in issued
            ]
            # The only page that ever shows the links: not kept by the browser.
            return _private(
                render(
                    request,
                    "feedback/invite_done.html",
                    {"cards": cards, "entry": base, "active_nav": "feedback"},
                )
            )
    return render(request, "feedback/invite.html", {"form": form, "active_nav": "feedback"})


@require_http_methods(["GET", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    """The organisation's campaigns, and a form to start one."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.VIEW, "feedback.campaign")
    can_create = policy.allowed(actor, Action.CREATE, "feedback.campaign")
    form = CampaignForm(request.POST or None, subjects=_subject_choices(actor))
    if request.method == "POST" and can_create and form.is_valid():
        data = form.cleaned_data
        try:
            subject = (
                selectors.subject_get(actor=actor, subject_id=data["subject"])
                if data["subject"]
                else None
            )
            services.campaign_create(
                actor=actor,
                name=data["name"],
                subject=subject,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Campaign started."))
            return redirect("feedback:campaigns")
    elif request.method == "POST" and not can_create:
        policy.require_allowed(actor, Action.CREATE, "feedback.campaign")
    return render(
        request,
        "feedback/campaigns.html",
        {
            "campaigns": selectors.campaign_list(actor=actor),
            "form": form if can_create else None,
            "active_nav": "feedback",
        },
    )


def reports(request: HttpRequest) -> HttpResponse:
    """Ratings and themes over time by service kind, place, subject, organisation or scheme;
    every count under 11 hidden."""
    actor = actor_of(request)
    by = request.GET.get("by", "kind")
    ours = request.GET.get("ours") == "1"
    result = selectors.report(actor=actor, dimension=by, campaign_org=ours)
    chart = charts.bar_chart(result.per_month, title=_("Feedback received per month"))
    return render(
        request,
        "feedback/reports.html",
        {
            "report": result,
            "chart": chart,
            "ours": ours,
            "dimensions": [
                ("kind", _("Kind of service")),
                ("subject", _("Police station, court, office")),
                ("district", _("District")),
                ("organisation", _("Organisation")),
                ("scheme", _("Scheme")),
            ],
            "timing_tables": [
                (_("By organisation"), selectors.response_times(actor=actor, by="organisation")),
                (_("By district"), selectors.response_times(actor=actor, by="district")),
            ],
            "schemes": selectors.scheme_perception(actor=actor),
            "small": selectors.SMALL_CELL,
            "active_nav": "feedback",
        },
    )


@require_http_methods(["GET", "POST"])
def change_notes(request: HttpRequest) -> HttpResponse:
    """ "You said, we did": what the organisation changed; survivors read it on /f/."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "feedback.changenote")
    return form_page(
        request,
        ChangeNoteForm(request.POST or None),
        title=_("You said, we did"),
        back=reverse("feedback:changes"),
        submit=_("Publish"),
        save=lambda data: services.change_note_add(actor=actor, **data),
        done=lambda _note: reverse("feedback:changes"),
        success=_("Published."),
        template="feedback/changes.html",
        extra={
            "notes": selectors.change_note_list(actor=actor),
            "today": timezone.localdate(),
            "active_nav": "feedback",
        },
    )


# --- Keeping the lists: subjects and complaint desks (coordinators) ---------------------------


def subject_list(request: HttpRequest) -> HttpResponse:
    """Every subject survivors can speak about, retired ones too."""
    actor = actor_of(request)
    return render(
        request,
        "feedback/subject_list.html",
        {"subjects": selectors.subject_list_all(actor=actor), "active_nav": "feedback"},
    )


@require_http_methods(["GET", "POST"])
def subject_form(request: HttpRequest, subject_id: UUID | None = None) -> HttpResponse:
    """Add a subject, or correct or retire one."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.EDIT, "feedback.subject")
    subject = (
        selectors.subject_get_for_edit(actor=actor, subject_id=subject_id) if subject_id else None
    )
    initial = {f: getattr(subject, f) for f in SubjectForm.base_fields} if subject else {}
    form = SubjectForm(
        request.POST or None, initial=initial, **selectors.subject_form_choices(actor=actor)
    )

    def save(data: dict[str, Any]) -> Any:
        if subject:
            return services.subject_update(actor=actor, subject=subject, **data)
        return services.subject_create(actor=actor, **data)

    back = reverse("feedback:subject-list")
    return form_page(
        request,
        form,
        title=subject.name if subject else _("Add a service, office or scheme"),
        back=back,
        submit=_("Save"),
        save=save,
        done=lambda _subject: back,
        success=_("Saved."),
        template="feedback/subject_form.html",
        extra={"subject": subject, "active_nav": "feedback"},
    )


@require_http_methods(["GET", "POST"])
def complaint_desks(request: HttpRequest) -> HttpResponse:
    """The organisation's named handlers of serious complaints, and a form to name one."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.EDIT, "feedback.complaintdesk")
    back = reverse("feedback:complaint-desks")
    return form_page(
        request,
        ComplaintDeskForm(request.POST or None, handlers=selectors.handler_choices(actor=actor)),
        title=_("Complaint handlers"),
        back=back,
        submit=_("Save"),
        save=lambda data: services.complaint_desk_add(
            actor=actor, handler_id=data["handler"], priority=data["priority"]
        ),
        done=lambda _desk: back,
        success=_("Saved."),
        template="feedback/complaint_desks.html",
        extra={"desks": selectors.complaint_desk_list(actor=actor), "active_nav": "feedback"},
    )


@require_POST
def complaint_desk_act(request: HttpRequest, desk_id: UUID, what: str) -> HttpResponse:
    """Stop or resume sending serious complaints to a handler."""
    actor = actor_of(request)
    if what not in ("stop", "resume"):
        raise Http404
    desk = selectors.complaint_desk_get(actor=actor, desk_id=desk_id)
    services.complaint_desk_set_active(actor=actor, desk=desk, active=what == "resume")
    messages.success(request, _("Saved."))
    return redirect("feedback:complaint-desks")
