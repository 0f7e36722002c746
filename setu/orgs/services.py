"""Writes about organisations and their members; every one checked by the policy and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.accounts import selectors as account_selectors
from setu.accounts import services as account_services
from setu.audit import services as audit
from setu.audit.services import AuditAction, Outcome
from setu.core import changes
from setu.core.errors import InvalidInput, NotFound
from setu.notifications import services as notifications
from setu.notifications.services import NoticeKind
from setu.orgs.models import (
    District,
    InvitationStatus,
    Membership,
    MembershipInvitation,
    Organisation,
    Role,
    State,
)

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
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            created_by_org_id=organisation.pk,
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


def _org_admins(organisation: Organisation) -> list[Any]:
    """The organisation's active admins: who is told about membership events."""
    members = Membership.objects.filter(
        organisation=organisation, is_active=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in members if policy.manages_organisation(m.role)]


def _platform_admin_refused(
    *, actor: Actor, organisation: Organisation, user: Any, role: str, op: str
) -> None:
    """Audit and tell the organisation that a platform-admin account was refused a role in it.

    Platform admins run organisations and never see case data; a membership would let one act
    as the organisation's staff, so platform-admin accounts hold no memberships at all. Written
    in its own transaction: the refusal that follows must not roll the record back.
    """
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.DENIED,
            outcome=Outcome.DENIED,
            target=("orgs.organisation", str(organisation.pk), organisation.pk),
            details={"op": op, "reason": "platform_admin_membership", "role": role or ""},
        )
        notifications.notification_send(
            recipients=_org_admins(organisation),
            kind=NoticeKind.OTHER,
            message=_(
                "A platform admin account (%(username)s) was refused the role %(role)s in your "
                "organisation: platform admins cannot be members of an organisation."
            )
            % {"username": user.username, "role": Role(role).label if role in Role else role},
            url=reverse("orgs:member-list", kwargs={"organisation_id": organisation.pk}),
        )


def _no_platform_admin(user: Any) -> None:
    if getattr(user, "is_platform_admin", False):
        raise InvalidInput(
            {"username": [_("Platform admin accounts cannot be members of an organisation.")]}
        )


def member_invite(
    *,
    actor: Actor,
    organisation: Organisation,
    username: str,
    role: str,
    is_designated_contact: bool = False,
) -> MembershipInvitation:
    """Invite an existing account to a role; it becomes a member only when its holder accepts.

    Adding another organisation's staff account outright would let an admin act through it and
    gain power over it, so the account holder decides (``invitation_accept``).
    """
    _require_manage_members(actor, organisation)
    user = account_selectors.user_find(username=username)
    if user is None:
        raise InvalidInput({"username": [_("No account has this username.")]})
    if user.is_platform_admin:
        _platform_admin_refused(
            actor=actor, organisation=organisation, user=user, role=role, op="member_invite"
        )
        _no_platform_admin(user)
    return _invite(
        actor=actor,
        organisation=organisation,
        user=user,
        role=role,
        is_designated_contact=is_designated_contact,
    )


@transaction.atomic
def _invite(
    *, actor: Actor, organisation: Organisation, user: Any, role: str, is_designated_contact: bool
) -> MembershipInvitation:
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise InvalidInput({"username": [_("This account is already a member.")]})
    if MembershipInvitation.objects.filter(
        user=user, organisation=organisation, status=InvitationStatus.PENDING
    ).exists():
        raise InvalidInput({"username": [_("This account has already been invited.")]})
    invitation = MembershipInvitation(
        user=user,
        organisation=organisation,
        role=role or "",
        is_designated_contact=is_designated_contact,
        invited_by=actor.user,
    )
    changes.clean(invitation, exclude=["user", "organisation", "invited_by"])
    invitation.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=("orgs.membershipinvitation", str(invitation.pk), organisation.pk),
        changes={
            "after": {
                "username": user.username,
                "role": invitation.role,
                "is_designated_contact": is_designated_contact,
                "status": invitation.status,
            }
        },
        details={"op": "member_invite"},
    )
    notifications.notification_send(
        recipients=[user],
        kind=NoticeKind.OTHER,
        message=_("%(organisation)s invites you to join as %(role)s. Sign in to accept or decline.")
        % {"organisation": organisation.name, "role": invitation.get_role_display()},
        url=reverse("orgs:invitation-list"),
    )
    return invitation


def _own_pending_invitation(actor: Actor, invitation_id: object) -> MembershipInvitation:
    invitation = (
        MembershipInvitation.objects.select_for_update()
        .filter(pk=invitation_id, user_id=actor.user.pk, status=InvitationStatus.PENDING)
        .select_related("organisation")
        .first()
    )
    if invitation is None:
        raise NotFound(
            action="answer_invitation",
            target=("orgs.membershipinvitation", str(invitation_id), None),
        )
    return invitation


def invitation_accept(*, actor: Actor, invitation_id: object) -> Membership:
    """The account holder accepts an invitation addressed to them: the membership begins."""
    with transaction.atomic():
        invitation = _own_pending_invitation(actor, invitation_id)
        organisation = invitation.organisation
    if actor.user.is_platform_admin:
        _platform_admin_refused(
            actor=actor,
            organisation=organisation,
            user=actor.user,
            role=invitation.role,
            op="invitation_accept",
        )
        _no_platform_admin(actor.user)
    return _accept(actor=actor, invitation_id=invitation_id)


@transaction.atomic
def _accept(*, actor: Actor, invitation_id: object) -> Membership:
    invitation = _own_pending_invitation(actor, invitation_id)
    if not invitation.organisation.is_active:
        raise InvalidInput({"invitation": [_("This organisation is no longer active.")]})
    invitation.status = InvitationStatus.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at", "updated_at"])
    membership, _created = Membership.objects.get_or_create(
        user_id=invitation.user_id,
        organisation_id=invitation.organisation_id,
        defaults={
            "role": invitation.role,
            "is_designated_contact": invitation.is_designated_contact,
        },
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=membership,
        changes={"after": {"username": actor.user.username, **_membership_state(membership)}},
        details={"op": "invitation_accept", "invitation": str(invitation.pk)},
    )
    notifications.notification_send(
        recipients=_org_admins(invitation.organisation),
        kind=NoticeKind.OTHER,
        message=_("%(username)s accepted the invitation to join as %(role)s.")
        % {"username": actor.user.username, "role": membership.get_role_display()},
        url=reverse("orgs:member-list", kwargs={"organisation_id": invitation.organisation_id}),
    )
    return membership


@transaction.atomic
def invitation_decline(*, actor: Actor, invitation_id: object) -> MembershipInvitation:
    """The account holder declines an invitation addressed to them."""
    invitation = _own_pending_invitation(actor, invitation_id)
    invitation.status = InvitationStatus.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("orgs.membershipinvitation", str(invitation.pk), invitation.organisation_id),
        changes={"before": {"status": "pending"}, "after": {"status": invitation.status}},
        details={"op": "invitation_decline"},
    )
    return invitation


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
    # The account itself is ended only by the organisation that created it (or a platform
    # admin); another organisation's staff merely leave this organisation.
    if (
        user.is_active
        and not still_member
        and not user.is_platform_admin
        and policy.can(actor, Action.MANAGE_MEMBERS, user)
    ):
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
        if not policy.can(actor, Action.MANAGE_MEMBERS, membership.user):
            raise InvalidInput(
                {
                    "membership": [
                        _(
                            "This account was created by another organisation; only it can "
                            "reactivate the account."
                        )
                    ]
                }
            )
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
