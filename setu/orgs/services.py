"""Writes about organisations and their members; every one checked by the policy and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.accounts import selectors as account_selectors
from setu.accounts import services as account_services
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core import changes
from setu.core.errors import InvalidInput
from setu.orgs.models import District, Membership, Organisation, State

# Organisation fields an admin edits; the many-to-many places are handled separately.
PROFILE_FIELDS = (
    "name",
    "short_name",
    "org_type",
    "base_district",
    "phone",
    "email",
    "address",
    "address_is_confidential",
    "mfa_required",
)


def _places(data: dict[str, Any]) -> tuple[list[State], list[District]]:
    states = list(data.get("states") or [])
    districts = list(data.get("districts") or [])
    errors: dict[str, list[str]] = {}
    if any(not isinstance(s, State) for s in states):
        errors["states"] = [_("Choose states from the list.")]
    if any(not isinstance(d, District) for d in districts):
        errors["districts"] = [_("Choose districts from the list.")]
    base = data.get("base_district")
    if base is not None and not isinstance(base, District):
        errors["base_district"] = [_("Choose the district from the list.")]
    if errors:
        raise InvalidInput(errors)
    return states, districts


def _apply_profile(org: Organisation, data: dict[str, Any]) -> None:
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            setattr(org, field, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def organisation_create(*, actor: Actor, data: dict[str, Any]) -> Organisation:
    """Create a member organisation (platform admins only)."""
    policy.require_allowed(actor, Action.CREATE, "orgs.organisation")
    states, districts = _places(data)
    org = Organisation()
    _apply_profile(org, data)
    changes.clean(org)
    org.save()
    org.states.set(states)
    org.districts.set(districts)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=org,
        changes={"after": changes.snapshot(org, PROFILE_FIELDS, many=("states", "districts"))},
    )
    return org


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    """Edit an organisation's profile, places served, confidentiality and 2FA requirement."""
    policy.require(actor, Action.MANAGE_ORG, organisation)
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = changes.snapshot(org, PROFILE_FIELDS, many=("states", "districts"))
    states, districts = _places(data)
    _apply_profile(org, data)
    changes.clean(org)
    org.save()
    org.states.set(states)
    org.districts.set(districts)
    after = changes.snapshot(org, PROFILE_FIELDS, many=("states", "districts"))
    changed = {k for k in after if after[k] != before.get(k)}
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=org,
        changes={
            "before": {k: before.get(k) for k in changed},
            "after": {k: after[k] for k in changed},
        },
    )
    return org


def organisation_lock(*, organisation_id: object) -> Organisation:
    """The organisation row, locked until the transaction ends (serialises per-org numbering)."""
    return Organisation.objects.select_for_update().get(pk=organisation_id)


def _membership_state(m: Membership) -> dict[str, Any]:
    return {
        "role": m.role,
        "is_active": m.is_active,
        "is_designated_contact": m.is_designated_contact,
    }


def _check_membership(membership: Membership) -> None:
    changes.clean(membership, exclude=["user", "organisation"])


def _would_leave_no_admin(membership: Membership, *, new_role: str, active: bool) -> bool:
    """True when this change removes the organisation's last active admin."""
    if not (membership.is_active and policy.manages_organisation(membership.role)):
        return False
    if active and policy.manages_organisation(new_role):
        return False
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, is_active=True, user__is_active=True
    ).exclude(pk=membership.pk)
    return not any(policy.manages_organisation(r) for r in others.values_list("role", flat=True))


def _require_manage_members(actor: Actor, organisation: Organisation) -> None:
    """May the actor add members to this organisation? (Judged on a membership row's rule.)"""
    policy.require_allowed(actor, Action.MANAGE_MEMBERS, "orgs.membership")
    policy.require(actor, Action.MANAGE_ORG, organisation)


@transaction.atomic
def member_add_new(
    *,
    actor: Actor,
    organisation: Organisation,
    username: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_designated_contact: bool = False,
) -> tuple[Membership, str]:
    """Create an account in the organisation with a one-time password; returns it once."""
    _require_manage_members(actor, organisation)
    errors: dict[str, list[str]] = {}
    membership = Membership(organisation=organisation, role=role or "")
    try:
        _check_membership(membership)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        # Saved inside this transaction: a refused membership below rolls the account back too.
        user, password = account_services.user_create(
            username=username, first_name=first_name, last_name=last_name, email=email
        )
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            errors.setdefault(field, messages)
    if errors:
        raise InvalidInput(errors)
    membership.user = user
    membership.is_designated_contact = is_designated_contact
    membership.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=membership,
        changes={"after": {"username": user.username, **_membership_state(membership)}},
        details={"op": "member_add_new"},
    )
    return membership, password


@transaction.atomic
def member_add_existing(
    *,
    actor: Actor,
    organisation: Organisation,
    username: str,
    role: str,
    is_designated_contact: bool = False,
) -> Membership:
    """Give an existing account a role in the organisation."""
    _require_manage_members(actor, organisation)
    user = account_selectors.user_find(username=username)
    if user is None:
        raise InvalidInput({"username": [_("No account has this username.")]})
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise InvalidInput({"username": [_("This account is already a member.")]})
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role or "",
        is_designated_contact=is_designated_contact,
    )
    _check_membership(membership)
    membership.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=membership,
        changes={"after": {"username": user.username, **_membership_state(membership)}},
        details={"op": "member_add_existing"},
    )
    return membership


@transaction.atomic
def membership_update(
    *, actor: Actor, membership: Membership, role: str, is_designated_contact: bool
) -> Membership:
    """Change a member's role and whether they are a designated contact."""
    policy.require(actor, Action.MANAGE_MEMBERS, membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = _membership_state(membership)
    if _would_leave_no_admin(membership, new_role=role, active=True):
        raise InvalidInput({"role": [_("The organisation needs at least one active admin.")]})
    membership.role = role or ""
    membership.is_designated_contact = is_designated_contact
    _check_membership(membership)
    membership.save(update_fields=["role", "is_designated_contact", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=membership,
        changes={"before": before, "after": _membership_state(membership)},
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor: Actor, membership: Membership) -> Membership:
    """End a member's role; an account left with no organisation is deactivated as well."""
    policy.require(actor, Action.MANAGE_MEMBERS, membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == actor.user.pk:
        raise InvalidInput({"membership": [_("You cannot deactivate yourself.")]})
    if _would_leave_no_admin(membership, new_role=membership.role, active=False):
        raise InvalidInput({"membership": [_("The organisation needs at least one active admin.")]})
    before = _membership_state(membership)
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.ARCHIVE,
        target=membership,
        changes={"before": before, "after": _membership_state(membership)},
    )
    user = membership.user
    still_member = user.memberships.filter(is_active=True).exists()
    if user.is_active and not still_member and not user.is_platform_admin:
        account_services.user_deactivate(actor=actor, user=user)
    return membership


@transaction.atomic
def membership_reactivate(*, actor: Actor, membership: Membership) -> Membership:
    """Restore a member's role (and their account, if it was deactivated)."""
    policy.require(actor, Action.MANAGE_MEMBERS, membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = _membership_state(membership)
    membership.is_active = True
    membership.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=membership,
        changes={"before": before, "after": _membership_state(membership)},
        details={"op": "membership_reactivate"},
    )
    if not membership.user.is_active:
        account_services.user_reactivate(actor=actor, user=membership.user)
    return membership


def acting_membership_select(*, actor: Actor, membership_id: object) -> Membership:
    """Check that the actor may act for this membership of theirs and record the switch."""
    from setu.orgs.selectors import membership_list_own

    membership = membership_list_own(actor=actor).filter(pk=membership_id).first()
    if membership is None:
        raise InvalidInput({"membership": [_("Choose one of your organisations.")]})
    audit.record(
        actor=actor,
        action=AuditAction.ADMIN,
        target=membership,
        details={"op": "acting_as", "from_membership": str(actor.membership_id or "")},
    )
    return membership
