"""Organisation directory, profiles, and administration of organisations and their members."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from setu.access import policy
from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.orgs import selectors, services
from setu.orgs.forms import MemberExistingForm, MemberNewForm, MembershipForm, OrganisationForm


def organisation_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    organisations = selectors.organisation_list(actor=actor)
    return render(
        request,
        "orgs/organisation_list.html",
        {
            "organisations": organisations,
            "active_nav": "orgs",
            "can_create": policy.allowed(actor, Action.CREATE, "orgs.organisation"),
        },
    )


def organisation_detail(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    can_manage = policy.can(actor, Action.MANAGE_ORG, organisation)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "organisation": organisation,
            "address_visible": selectors.organisation_address_visible(
                actor=actor, organisation=organisation
            ),
            "can_manage": can_manage,
            "active_nav": "orgs",
        },
    )


def organisation_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "orgs.organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=actor, data=form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Organisation created. Now add its first admin."))
            return redirect("orgs:member-add", organisation_id=organisation.pk)
    return render(
        request,
        "orgs/organisation_form.html",
        {"form": form, "creating": True, "active_nav": "orgs"},
    )


def organisation_edit(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    organisation = selectors.organisation_get_for_manage(
        actor=actor, organisation_id=organisation_id
    )
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                services.organisation_update(
                    actor=actor, organisation=organisation, data=form.cleaned_data
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Organisation profile saved."))
                return redirect("orgs:organisation-detail", organisation_id=organisation.pk)
    else:
        form = OrganisationForm(initial=OrganisationForm.initial_for(organisation))
    return render(
        request,
        "orgs/organisation_form.html",
        {"form": form, "organisation": organisation, "active_nav": "orgs"},
    )


def member_list(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    members = selectors.membership_list(actor=actor, organisation=organisation)
    invitations = selectors.invitation_list_pending(actor=actor, organisation=organisation)
    return render(
        request,
        "orgs/member_list.html",
        {
            "organisation": organisation,
            "members": members,
            "invitations": invitations,
            "active_nav": "orgs",
        },
    )


@never_cache
def member_add(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    organisation = selectors.organisation_get_for_manage(
        actor=actor, organisation_id=organisation_id
    )
    mode = request.POST.get("mode", "new")
    new_form = MemberNewForm(request.POST if mode == "new" else None, prefix="new")
    existing_form = MemberExistingForm(
        request.POST if mode == "existing" else None, prefix="existing"
    )
    if request.method == "POST":
        form = new_form if mode == "new" else existing_form
        if form.is_valid():
            try:
                if mode == "new":
                    membership, password = services.member_add_new(
                        actor=actor, organisation=organisation, **form.cleaned_data
                    )
                    # Shown on this one response only: never stored, never put in a URL or message.
                    return render(
                        request,
                        "orgs/member_added.html",
                        {"membership": membership, "password": password, "active_nav": "orgs"},
                    )
                services.member_invite(actor=actor, organisation=organisation, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Invitation sent. The account holder must accept it before they can "
                        "act for your organisation."
                    ),
                )
                return redirect("orgs:member-list", organisation_id=organisation.pk)
    return render(
        request,
        "orgs/member_add.html",
        {
            "organisation": organisation,
            "new_form": new_form,
            "existing_form": existing_form,
            "mode": mode,
            "active_nav": "orgs",
        },
    )


def member_edit(request: HttpRequest, membership_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    membership = selectors.membership_get(actor=actor, membership_id=membership_id)
    if request.method == "POST":
        form = MembershipForm(request.POST)
        if form.is_valid():
            try:
                services.membership_update(actor=actor, membership=membership, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Member updated."))
                return redirect("orgs:member-list", organisation_id=membership.organisation_id)
    else:
        form = MembershipForm(
            initial={
                "role": membership.role,
                "is_designated_contact": membership.is_designated_contact,
            }
        )
    return render(
        request,
        "orgs/member_edit.html",
        {"form": form, "membership": membership, "active_nav": "orgs"},
    )


@require_POST
def member_deactivate(request: HttpRequest, membership_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    membership = selectors.membership_get(actor=actor, membership_id=membership_id)
    try:
        services.membership_deactivate(actor=actor, membership=membership)
    except InvalidInput as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Member deactivated."))
    return redirect("orgs:member-list", organisation_id=membership.organisation_id)


@require_POST
def member_reactivate(request: HttpRequest, membership_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    membership = selectors.membership_get(actor=actor, membership_id=membership_id)
    services.membership_reactivate(actor=actor, membership=membership)
    messages.success(request, _("Member reactivated."))
    return redirect("orgs:member-list", organisation_id=membership.organisation_id)


def invitation_list(request: HttpRequest) -> HttpResponse:
    """The signed-in account's own invitations to join organisations."""
    invitations = selectors.invitation_list_own(actor=actor_of(request))
    return render(request, "orgs/invitation_list.html", {"invitations": invitations})


@require_POST
def invitation_accept(request: HttpRequest, invitation_id: UUID) -> HttpResponse:
    try:
        membership = services.invitation_accept(
            actor=actor_of(request), invitation_id=invitation_id
        )
    except InvalidInput as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(
            request,
            _("You are now a member of %(organisation)s.")
            % {"organisation": membership.organisation.name},
        )
    return redirect("orgs:invitation-list")


@require_POST
def invitation_decline(request: HttpRequest, invitation_id: UUID) -> HttpResponse:
    services.invitation_decline(actor=actor_of(request), invitation_id=invitation_id)
    messages.success(request, _("Invitation declined."))
    return redirect("orgs:invitation-list")
