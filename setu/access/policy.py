"""The access policy: the only module in Setu that knows what each role may see and do.

Every selector, service, view, API endpoint, export and search goes through ``scope``,
``require`` or ``allowed``. Rules are a table of (model, action) -> row filter. A model or
action missing from the table is denied. Platform admins run organisations, not cases: they
get no row of case data.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from setu.access.actor import Actor
from setu.core.errors import Forbidden, NotFound
from setu.orgs.models import Role

M = TypeVar("M", bound=Model)


class Action(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    ARCHIVE = "archive"
    SHARE = "share"
    MANAGE_CONSENT = "manage_consent"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_ORG = "manage_org"
    VIEW_AGGREGATES = "view_aggregates"


# Roles that may see survivors' identities in their own organisation.
IDENTITY_ROLES = frozenset(
    {
        Role.ORG_ADMIN,
        Role.CASEWORKER,
        Role.COUNSELLOR,
        Role.SHELTER_MANAGER,
        Role.LEGAL_OFFICER,
        Role.POLICE_LIAISON,
        Role.FIELD_OFFICER,
    }
)
CASE_EDIT_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.CASEWORKER, Role.FIELD_OFFICER, Role.SHELTER_MANAGER}
)
CASE_NOTE_ROLES = CASE_EDIT_ROLES | {Role.COUNSELLOR, Role.LEGAL_OFFICER}
CONSENT_ROLES = frozenset({Role.ORG_ADMIN, Role.CASEWORKER, Role.COUNSELLOR})
SHARE_ROLES = frozenset({Role.ORG_ADMIN, Role.CASEWORKER})
EXPORT_ROLES = frozenset({Role.ORG_ADMIN})
AGGREGATE_ROLES = frozenset({Role.ORG_ADMIN, Role.ANALYST, Role.NETWORK_COORDINATOR})

# Which (model label, action) pairs need no object: "may this actor create a case at all?"
CLASS_RULES: dict[tuple[str, Action], Callable[[Actor], bool]] = {}

NOTHING = Q(pk__in=[])


def _member(actor: Actor, roles: frozenset[str]) -> bool:
    return actor.organisation_id is not None and actor.role in roles


def _active_shares(actor: Actor) -> QuerySet[Any]:
    """Shares to the actor's organisation that are live and whose consent is still in force."""
    from setu.registry.models import CaseShare

    today = timezone.localdate()
    return CaseShare.objects.filter(
        organisation_id=actor.organisation_id,
        revoked_at__isnull=True,
        consent__withdrawn_on__isnull=True,
    ).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        Q(consent__expires_on__isnull=True) | Q(consent__expires_on__gte=today),
    )


def _case_rows(actor: Actor, roles: frozenset[str], *, via_share: bool) -> Q:
    """Cases of the actor's organisation (restricted ones only for their team), plus shared ones."""
    if not _member(actor, roles):
        return NOTHING
    own = Q(owner_org_id=actor.organisation_id)
    if actor.role != Role.ORG_ADMIN:
        own &= Q(is_restricted=False) | Q(case_owner_id=actor.user.pk) | Q(team__id=actor.user.pk)
    if not via_share:
        return own
    shared = Exists(_active_shares(actor).filter(case_id=OuterRef("pk")))
    return own | Q(shared)


def _case_view(actor: Actor) -> Q:
    return _case_rows(actor, IDENTITY_ROLES, via_share=True)


def _case_edit(actor: Actor) -> Q:
    return _case_rows(actor, CASE_EDIT_ROLES, via_share=False)


def _case_share(actor: Actor) -> Q:
    return _case_rows(actor, SHARE_ROLES, via_share=False)


def _case_export(actor: Actor) -> Q:
    return _case_rows(actor, EXPORT_ROLES, via_share=False)


def _person_view(actor: Actor) -> Q:
    """Own organisation's persons, and persons in cases shared with the organisation."""
    from setu.registry.models import CasePerson

    if not _member(actor, IDENTITY_ROLES):
        return NOTHING
    shared_case_ids = _active_shares(actor).values("case_id")
    shared = Exists(
        CasePerson.objects.filter(person_id=OuterRef("pk"), case_id__in=shared_case_ids)
    )
    return Q(owner_org_id=actor.organisation_id) | Q(shared)


def _own_org(roles: frozenset[str], field: str = "owner_org_id") -> Callable[[Actor], Q]:
    def rule(actor: Actor) -> Q:
        return Q(**{field: actor.organisation_id}) if _member(actor, roles) else NOTHING

    return rule


def _via_case(case_rule: Callable[[Actor], Q], prefix: str = "case") -> Callable[[Actor], Q]:
    """Rows that belong to a case the actor may see/edit (events, services, notes, exploitation)."""

    def rule(actor: Actor) -> Q:
        from setu.registry.models import Case

        return Q(**{f"{prefix}_id__in": Case.objects.filter(case_rule(actor)).values("pk")})

    return rule


def _via_person(person_rule: Callable[[Actor], Q]) -> Callable[[Actor], Q]:
    def rule(actor: Actor) -> Q:
        from setu.registry.models import Person

        return Q(person_id__in=Person.objects.filter(person_rule(actor)).values("pk"))

    return rule


def _organisation_view(actor: Actor) -> Q:
    # The directory of member organisations is known to everyone in the network.
    return Q() if (actor.has_membership or actor.is_platform_admin) else NOTHING


def _organisation_manage(actor: Actor) -> Q:
    if actor.is_platform_admin:
        return Q()
    return Q(pk=actor.organisation_id) if _member(actor, frozenset({Role.ORG_ADMIN})) else NOTHING


def _membership_manage(actor: Actor) -> Q:
    if actor.is_platform_admin:
        return Q()
    if _member(actor, frozenset({Role.ORG_ADMIN})):
        return Q(organisation_id=actor.organisation_id)
    return NOTHING


def _membership_view(actor: Actor) -> Q:
    own = Q(user_id=actor.user.pk)
    return own | _membership_manage(actor)


def _audit_view(actor: Actor) -> Q:
    if not _member(actor, frozenset({Role.ORG_ADMIN})):
        return NOTHING
    return Q(target_org_id=actor.organisation_id) | Q(actor_org_id=actor.organisation_id)


RowRule = Callable[[Actor], Q]
RULES: dict[tuple[str, Action], RowRule] = {
    ("registry.case", Action.VIEW): _case_view,
    ("registry.case", Action.EDIT): _case_edit,
    ("registry.case", Action.ARCHIVE): _case_edit,
    ("registry.case", Action.SHARE): _case_share,
    ("registry.case", Action.EXPORT): _case_export,
    ("registry.person", Action.VIEW): _person_view,
    ("registry.person", Action.EDIT): _own_org(CASE_EDIT_ROLES),
    ("registry.person", Action.ARCHIVE): _own_org(CASE_EDIT_ROLES),
    ("registry.person", Action.MANAGE_CONSENT): _own_org(CONSENT_ROLES),
    ("registry.person", Action.EXPORT): _own_org(EXPORT_ROLES),
    ("registry.consent", Action.VIEW): _via_person(_person_view),
    ("registry.consent", Action.EDIT): _via_person(_own_org(CONSENT_ROLES)),
    ("registry.traffickingevent", Action.VIEW): _via_case(_case_view),
    ("registry.traffickingevent", Action.EDIT): _via_case(_case_edit),
    ("registry.servicerecord", Action.VIEW): _via_case(_case_view),
    ("registry.servicerecord", Action.EDIT): _via_case(_case_edit),
    ("registry.casenote", Action.VIEW): _via_case(_case_view),
    ("registry.caseexploitation", Action.VIEW): _via_case(_case_view),
    ("registry.casecontrolmeans", Action.VIEW): _via_case(_case_view),
    ("registry.caseperson", Action.VIEW): _via_case(_case_view),
    ("registry.caseshare", Action.VIEW): _via_case(_case_share),
    ("orgs.organisation", Action.VIEW): _organisation_view,
    ("orgs.organisation", Action.MANAGE_ORG): _organisation_manage,
    ("orgs.membership", Action.VIEW): _membership_view,
    ("orgs.membership", Action.MANAGE_MEMBERS): _membership_manage,
    ("audit.auditentry", Action.VIEW_AUDIT): _audit_view,
}

# Object-less permissions: may the actor do this at all (e.g. show a "New case" button)?
CLASS_RULES.update(
    {
        ("registry.case", Action.CREATE): lambda a: _member(a, CASE_EDIT_ROLES),
        ("registry.person", Action.CREATE): lambda a: _member(a, CASE_EDIT_ROLES),
        ("registry.casenote", Action.CREATE): lambda a: _member(a, CASE_NOTE_ROLES),
        ("registry.person", Action.VIEW): lambda a: _member(a, IDENTITY_ROLES),
        ("registry.case", Action.VIEW): lambda a: _member(a, IDENTITY_ROLES),
        ("registry.person", Action.EXPORT): lambda a: _member(a, EXPORT_ROLES),
        ("audit.auditentry", Action.VIEW_AUDIT): lambda a: _member(a, frozenset({Role.ORG_ADMIN})),
        ("orgs.membership", Action.MANAGE_MEMBERS): lambda a: (
            a.is_platform_admin or _member(a, frozenset({Role.ORG_ADMIN}))
        ),
        ("orgs.organisation", Action.CREATE): lambda a: a.is_platform_admin,
        ("insights", Action.VIEW_AGGREGATES): lambda a: _member(a, AGGREGATE_ROLES),
    }
)


def _label(model: type[Model] | Model | str) -> str:
    if isinstance(model, str):
        return model
    return model._meta.label_lower


def scope(actor: Actor, qs: QuerySet[M], action: Action) -> QuerySet[M]:
    """Rows of ``qs`` the actor may ``action``; the one row filter in Setu."""
    rule = RULES.get((_label(qs.model), action))
    if rule is None or actor is None:
        return qs.none()
    condition = rule(actor)
    if condition == NOTHING:
        return qs.none()
    filtered = qs.filter(condition)
    # Team membership joins a many-to-many table and may repeat rows.
    return filtered.distinct() if "team__id" in str(condition) else filtered


def allowed(actor: Actor, action: Action, model: type[Model] | str) -> bool:
    """Whether the actor may perform ``action`` on this kind of object at all."""
    rule = CLASS_RULES.get((_label(model), action))
    return bool(rule and rule(actor))


def can(actor: Actor, action: Action, obj: Model) -> bool:
    """Whether the actor may ``action`` this object, judged on its row in the database."""
    model = type(obj)
    return scope(actor, model._default_manager.filter(pk=obj.pk), action).exists()


def require(actor: Actor, action: Action, obj: Model) -> None:
    """Raise NotFound (cannot see it) or Forbidden (can see it, cannot do this); both are audited."""
    if can(actor, action, obj):
        return
    target = (_label(obj), str(obj.pk), getattr(obj, "owner_org_id", None))
    if action != Action.VIEW and can(actor, Action.VIEW, obj):
        raise Forbidden(action=action, target=target)
    raise NotFound(action=action, target=target)


def require_allowed(actor: Actor, action: Action, model: type[Model] | str) -> None:
    """Raise Forbidden when the actor may not do this kind of thing at all."""
    if not allowed(actor, action, model):
        raise Forbidden(action=action, target=(_label(model), "", None))
