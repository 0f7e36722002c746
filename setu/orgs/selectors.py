"""Reads about organisations, always through the access policy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.orgs.models import (
    District,
    InvitationStatus,
    Membership,
    MembershipInvitation,
    Organisation,
    State,
)


def organisation_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Member organisations the actor may see, with the places they serve."""
    qs = Organisation.objects.filter(is_active=True).select_related("base_district__state")
    return policy.scope(actor, qs, Action.VIEW).prefetch_related("states")


def organisation_get(*, actor: Actor, organisation_id: object) -> Organisation:
    """One organisation the actor may see; NotFound otherwise."""
    from setu.core.errors import NotFound

    organisation = organisation_list(actor=actor).filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(action=Action.VIEW, target=("orgs.organisation", str(organisation_id), None))
    return organisation


def organisation_own(*, actor: Actor) -> Organisation | None:
    """The organisation the actor is acting for, if it is active."""
    if actor.organisation_id is None:
        return None
    return organisation_list(actor=actor).filter(pk=actor.organisation_id).first()


def membership_list(*, actor: Actor, organisation: Organisation) -> QuerySet[Membership]:
    """Members of ``organisation``, for those who manage its members (its admins)."""
    policy.require(actor, Action.MANAGE_ORG, organisation)
    qs = Membership.objects.filter(organisation=organisation).select_related("user")
    return policy.scope(actor, qs, Action.MANAGE_MEMBERS).order_by("user__username")


def invitation_list_pending(
    *, actor: Actor, organisation: Organisation
) -> QuerySet[MembershipInvitation]:
    """Invitations of ``organisation`` still waiting for their account holder (its admins only)."""
    policy.require(actor, Action.MANAGE_ORG, organisation)
    return (
        MembershipInvitation.objects.filter(
            organisation=organisation, status=InvitationStatus.PENDING
        )
        .select_related("user")
        .order_by("created_at")
    )


def invitation_list_own(*, actor: Actor) -> QuerySet[MembershipInvitation]:
    """Invitations addressed to the actor's own account that wait for their answer."""
    return (
        MembershipInvitation.objects.filter(user_id=actor.user.pk, status=InvitationStatus.PENDING)
        .select_related("organisation", "invited_by")
        .order_by("created_at")
    )


def organisation_address_visible(*, actor: Actor, organisation: Organisation) -> bool:
    """Whether the actor may see the organisation's address (confidential ones: members only)."""
    return policy.can(actor, Action.VIEW_ADDRESS, organisation)


def organisation_get_for_manage(*, actor: Actor, organisation_id: object) -> Organisation:
    """An organisation the actor administers; NotFound or Forbidden otherwise."""
    organisation = organisation_get(actor=actor, organisation_id=organisation_id)
    policy.require(actor, Action.MANAGE_ORG, organisation)
    return organisation


def membership_get(*, actor: Actor, membership_id: object) -> Membership:
    """A membership the actor may manage (role, contact, active); NotFound otherwise."""
    from setu.core.errors import NotFound

    qs = Membership.objects.select_related("user", "organisation")
    membership = policy.scope(actor, qs, Action.MANAGE_MEMBERS).filter(pk=membership_id).first()
    if membership is None:
        raise NotFound(
            action=Action.MANAGE_MEMBERS, target=("orgs.membership", str(membership_id), None)
        )
    return membership


def membership_list_own(*, actor: Actor) -> QuerySet[Membership]:
    """The actor's own active memberships in active organisations (for the acting-as switcher)."""
    qs = Membership.objects.filter(
        user_id=actor.user.pk, is_active=True, organisation__is_active=True
    ).select_related("organisation")
    return policy.scope(actor, qs, Action.VIEW).order_by("created_at")


def designated_contacts(*, organisation_id: object) -> QuerySet[Membership]:
    """Active designated contacts of an organisation: who receives its referrals and reminders."""
    return Membership.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        is_designated_contact=True,
        user__is_active=True,
    ).select_related("user")


def member_user_ids(*, organisation_id: object) -> list[Any]:
    """Ids of the users with an active membership of an organisation (a system read: feedback
    keeps serious complaints away from the organisation they are about)."""
    return list(
        Membership.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
            "user_id", flat=True
        )
    )


def organisation_for_system(*, organisation_id: object) -> Organisation:
    """An organisation by id for background jobs that act for no one (reminders, nudges)."""
    return Organisation.objects.get(pk=organisation_id)


def organisations_by_id(*, ids: Iterable[object]) -> dict[Any, Organisation]:
    """Organisations by id, for naming them in notices and reviews (the directory is public)."""
    return {o.pk: o for o in Organisation.objects.filter(pk__in=list(ids))}


def state_list() -> QuerySet[State]:
    """India's states and union territories (LGD; public reference data), for place pickers."""
    return State.objects.order_by("name")


def district_list(*, state_code: object = None) -> QuerySet[District]:
    """India's districts with their states (LGD), optionally of one state; none for a bad code."""
    qs = District.objects.select_related("state")
    if state_code in (None, ""):
        return qs.order_by("state__name", "name")
    try:
        code = int(state_code)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return qs.none()
    return qs.filter(state_id=code).order_by("name")


def state_get(*, code: int) -> State | None:
    """A state by LGD code."""
    return State.objects.filter(code=code).first()


def district_get(*, code: int) -> District | None:
    """A district by LGD code."""
    return District.objects.select_related("state").filter(code=code).first()


# How organisations are named wherever someone picks one (forms of every app).


def organisation_label(organisation: Organisation, *, with_type: bool = True) -> str:
    """How a person choosing an organisation sees it: full name, type and district.

    Acronyms (MAHTU, CWCM) mean nothing to a caseworker in another state; sharing a survivor's
    details with the wrong organisation cannot be undone.
    """
    name = organisation.name
    if organisation.short_name and organisation.short_name != organisation.name:
        name = _("%(name)s (%(short)s)") % {"name": name, "short": organisation.short_name}
    parts = {
        "name": name,
        "type": organisation.get_org_type_display(),
        "district": str(organisation.base_district) if organisation.base_district else "",
    }
    if with_type and parts["district"]:
        return _("%(name)s — %(type)s, %(district)s") % parts
    if with_type:
        return _("%(name)s — %(type)s") % parts
    if parts["district"]:
        return _("%(name)s, %(district)s") % parts
    return str(name)


class OrganisationChoiceField(forms.ModelChoiceField):
    """A choice of organisation, each labelled by ``organisation_label``."""

    def _set_queryset(self, queryset: QuerySet[Organisation] | None) -> None:
        if queryset is not None:
            queryset = queryset.select_related("base_district__state")
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_label(obj)


class PlaceFieldsMixin:
    """A state select that reloads the district select (htmx, ``registry:district-options``),
    with a no-JavaScript fallback: only the chosen state's districts are valid. Every form with
    a state and a district uses it (registry's, legal's appeal form)."""

    state_field = "state"
    district_field = "district"

    def _setup_places(self, data: Any) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        prefix = self.add_prefix  # type: ignore[attr-defined]
        fields[self.state_field] = forms.ModelChoiceField(
            label=_("State / UT"), queryset=state_list(), required=False
        )
        # Districts are listed once a state is chosen: ~780 options would weigh on a cheap phone.
        fields[self.district_field] = forms.ModelChoiceField(
            label=_("District"),
            queryset=district_list().none(),
            required=False,
            help_text=_("Choose the state first."),
            error_messages={"invalid_choice": _("Choose a district of the state chosen.")},
        )
        district_id = f"id_{prefix(self.district_field)}"
        fields[self.state_field].widget.attrs.update(
            {
                "hx-get": reverse_lazy("registry:district-options"),
                "hx-target": f"#{district_id}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "aria-controls": district_id,
            }
        )
        state = (data or {}).get(prefix(self.state_field)) if data else None
        state = state or (self.initial or {}).get(self.state_field)  # type: ignore[attr-defined]
        if state:
            code = getattr(state, "pk", state)
            fields[self.district_field].queryset = district_list(state_code=code)


# What the audit trail needs to name organisations and members (registered in apps.py).


def audit_organisation_labels(actor: Actor, ids: set[str]) -> dict[str, str]:
    """Full names of the organisations among ``ids``, for the trail's record labels."""
    return {str(o.pk): o.name for o in organisation_list(actor=actor).filter(pk__in=ids)}


def audit_organisation_names(actor: Actor, ids: set[str]) -> dict[str, str]:
    """Short names of the organisations among ``ids``, for the trail's columns."""
    return {str(o.pk): str(o) for o in organisation_list(actor=actor).filter(pk__in=ids)}


def audit_member_choices(actor: Actor) -> list[tuple[str, str]]:
    """Members of the actor's organisation as (user id, name), to filter the trail by."""
    organisation = organisation_get(actor=actor, organisation_id=actor.organisation_id)
    members = membership_list(actor=actor, organisation=organisation)
    return [(str(m.user_id), m.user.get_full_name() or m.user.username) for m in members]


def colleague_choices(*, organisation_id: object) -> list[tuple[str, str]]:
    """Active members of one organisation as (user id, "name, role"), for a coordinator naming
    a colleague to a duty (a complaints desk); a system read of the actor's own organisation."""
    members = (
        Membership.objects.filter(
            organisation_id=organisation_id, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return [
        (str(m.user_id), f"{m.user.get_full_name() or m.user.username}, {m.get_role_display()}")
        for m in members
    ]
