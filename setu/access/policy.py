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
    VIEW_ADDRESS = "view_address"
    HOLD_BED = "hold_bed"
    RESPOND = "respond"  # act on a referral received by one's organisation
    ADD_NOTE = "add_note"
    VIEW_LINKED = "view_linked"  # the agreed minimal history of a record linked by a match
    SEND_MESSAGE = "send_message"  # a message to the survivor herself, only with her consent


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
    """Shares to the actor's organisation that are live, reach the actor, and rest on a consent
    still in force of a survivor (victim or missing person) in the shared case."""
    from setu.consent import rules
    from setu.consent.models import CaseShare
    from setu.registry.models import CasePerson, CaseRole

    today = timezone.localdate()
    survivor = CasePerson.objects.filter(
        case_id=OuterRef("case_id"),
        person_id=OuterRef("consent__person_id"),
        role__in=[CaseRole.VICTIM, CaseRole.MISSING],
    )
    return CaseShare.objects.filter(
        rules.covering(day=today, prefix="consent__"),
        Exists(survivor),
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        _share_reaches(actor),
        organisation_id=actor.organisation_id,
        revoked_at__isnull=True,
    )


def _share_reaches(actor: Actor) -> Q:
    """Whom at the partner a share reaches: the people it names, if it names any; otherwise
    everyone of the partner's identity roles, but never for a restricted case. A restricted case
    is shared only by the owning organisation's admin to named people (``case_share``), and a
    case restricted after it was shared stops reaching the partner until people are named."""
    from setu.consent.models import CaseShare

    named = CaseShare.recipients.through.objects.filter(caseshare_id=OuterRef("pk"))
    return Q(Exists(named.filter(user_id=actor.user.pk))) | (
        ~Q(Exists(named)) & Q(case__is_restricted=False)
    )


def _repeats_rows(condition: Q) -> Q:
    """Mark a condition that joins a many-to-many table, so `scope` removes repeated rows."""
    condition.repeats_rows = True  # type: ignore[attr-defined]
    return condition


def _case_rows(actor: Actor, roles: frozenset[str], *, via_share: bool) -> Q:
    """Cases of the actor's organisation (restricted ones only for their team), plus shared ones."""
    if not _member(actor, roles):
        return NOTHING
    own = Q(owner_org_id=actor.organisation_id)
    joins_team = actor.role != Role.ORG_ADMIN
    if joins_team:
        own &= Q(is_restricted=False) | Q(case_owner_id=actor.user.pk) | Q(team__id=actor.user.pk)
    rows = (
        own | Q(Exists(_active_shares(actor).filter(case_id=OuterRef("pk")))) if via_share else own
    )
    return _repeats_rows(rows) if joins_team else rows


def _case_view(actor: Actor) -> Q:
    return _case_rows(actor, IDENTITY_ROLES, via_share=True)


def _case_edit(actor: Actor) -> Q:
    return _case_rows(actor, CASE_EDIT_ROLES, via_share=False)


def _case_share(actor: Actor) -> Q:
    """Cases the actor may share: a restricted case only by the organisation's admin."""
    rows = _case_rows(actor, SHARE_ROLES, via_share=False)
    if rows == NOTHING or actor.role == Role.ORG_ADMIN:
        return rows
    return _repeats_rows(rows & Q(is_restricted=False))


def _case_shares_seen(actor: Actor) -> Q:
    """Cases whose shares the actor sees listed: those of its organisation it may open."""
    return _case_rows(actor, SHARE_ROLES, via_share=False)


def _case_export(actor: Actor) -> Q:
    return _case_rows(actor, EXPORT_ROLES, via_share=False)


def _own_persons(roles: frozenset[str]) -> Callable[[Actor], Q]:
    """The organisation's own persons, less those the actor must not know of: a person who
    appears in a restricted case the actor may not open, and in no case the actor may open,
    is covered by that case's restriction (the organisation's admin sees every one)."""

    def rule(actor: Actor) -> Q:
        from setu.registry.models import Case, CasePerson

        if not _member(actor, roles):
            return NOTHING
        own = Q(owner_org_id=actor.organisation_id)
        if actor.role == Role.ORG_ADMIN:
            return own
        openable = Case.objects.filter(_case_rows(actor, IDENTITY_ROLES, via_share=False))
        links = CasePerson.objects.filter(person_id=OuterRef("pk"))
        closed = links.filter(
            case__owner_org_id=actor.organisation_id, case__is_restricted=True
        ).exclude(case_id__in=openable.values("pk"))
        opened = links.filter(case_id__in=openable.values("pk"))
        return own & (~Q(Exists(closed)) | Q(Exists(opened)))

    return rule


def _person_view(actor: Actor) -> Q:
    """Own organisation's persons (restricted cases' persons only for those who may open the
    case), and persons of shared cases whom a share carries something of (``carried_scopes``)."""
    if not _member(actor, IDENTITY_ROLES):
        return NOTHING
    shared = list(shared_person_scopes(actor))
    return _own_persons(IDENTITY_ROLES)(actor) | Q(pk__in=shared)


def _consent_view(actor: Actor) -> Q:
    """Every consent of the organisation's own persons; of a person shared with it, only the
    consents that name it or the whole network, since a consent to a third organisation would
    tell a partner who else holds her (a shelter, say)."""
    from setu.registry.models import Person

    if not _member(actor, IDENTITY_ROLES):
        return NOTHING
    own = Q(person__owner_org_id=actor.organisation_id)
    visible = Person.objects.filter(_person_view(actor)).values("pk")
    addressed = Q(recipient_org_id=actor.organisation_id) | Q(recipient_org__isnull=True)
    return Q(person_id__in=visible) & (own | addressed)


def consent_giver_shown(actor: Actor) -> Q:
    """Consents whose giver's name (a guardian's, say) the actor may read: all of its own
    organisation's persons; of a shared person, only a consent in force whose scopes cover
    identity for the actor's organisation, and only where her identity reaches the actor."""
    from setu.consent import rules

    if not _member(actor, IDENTITY_ROLES):
        return NOTHING
    own = Q(person__owner_org_id=actor.organisation_id)
    covered = rules.covering(scopes=["identity"], organisation_id=actor.organisation_id)
    shared = [pid for pid, found in shared_person_scopes(actor).items() if "identity" in found]
    return own | (covered & Q(person_id__in=shared))


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


def _user_manage(actor: Actor) -> Q:
    """Accounts an admin may deactivate or reactivate: those their organisation created.

    A member who joined from another organisation (by invitation) can be removed from this
    organisation, but their account belongs to the organisation that created it.
    """
    if actor.is_platform_admin:
        return Q()
    if _member(actor, frozenset({Role.ORG_ADMIN})):
        return Q(created_by_org_id=actor.organisation_id, is_platform_admin=False)
    return NOTHING


def _own_tokens(actor: Actor) -> Q:
    """API tokens are seen and revoked only by the user they belong to."""
    return Q(user_id=actor.user.pk)


def _organisation_address(actor: Actor) -> Q:
    """A confidential address (e.g. a shelter's) is seen only by the organisation's own members."""
    from setu.orgs.models import Membership

    mine = Membership.objects.filter(user_id=actor.user.pk, is_active=True).values(
        "organisation_id"
    )
    return Q(address_is_confidential=False) | Q(pk__in=mine)


def manages_organisation(role: str) -> bool:
    """Whether a membership with this role administers its organisation."""
    return role == Role.ORG_ADMIN


def _audit_view(actor: Actor) -> Q:
    if not _member(actor, frozenset({Role.ORG_ADMIN})):
        return NOTHING
    return Q(target_org_id=actor.organisation_id) | Q(actor_org_id=actor.organisation_id)


def _case_counted(actor: Actor) -> Q:
    """Cases that may be counted in aggregates: the actor's organisation's own cases, and other
    organisations' cases whose survivor consented to anonymous statistics."""
    from setu.consent import rules
    from setu.consent.models import Consent, ConsentScope
    from setu.registry.models import CasePerson, CaseRole

    if not _member(actor, AGGREGATE_ROLES):
        return NOTHING
    statistics = rules.covering(scopes=[ConsentScope.STATISTICS])
    consenting = Consent.objects.filter(statistics).values("person_id")
    victims = CasePerson.objects.filter(role=CaseRole.VICTIM, person_id__in=consenting)
    return Q(owner_org_id=actor.organisation_id) | Q(pk__in=victims.values("case_id"))


RowRule = Callable[[Actor], Q]
RULES: dict[tuple[str, Action], RowRule] = {
    ("registry.case", Action.VIEW): _case_view,
    ("registry.case", Action.EDIT): _case_edit,
    ("registry.case", Action.ARCHIVE): _case_edit,
    ("registry.case", Action.SHARE): _case_share,
    ("registry.case", Action.EXPORT): _case_export,
    ("registry.case", Action.VIEW_AGGREGATES): _case_counted,
    ("registry.person", Action.VIEW): _person_view,
    ("registry.person", Action.EDIT): _own_persons(CASE_EDIT_ROLES),
    ("registry.person", Action.ARCHIVE): _own_persons(CASE_EDIT_ROLES),
    ("registry.person", Action.MANAGE_CONSENT): _own_persons(CONSENT_ROLES),
    ("registry.person", Action.EXPORT): _own_org(EXPORT_ROLES),
    ("consent.consent", Action.VIEW): _consent_view,
    ("consent.consent", Action.EDIT): _via_person(_own_persons(CONSENT_ROLES)),
    ("registry.traffickingevent", Action.VIEW): _via_case(_case_view),
    ("registry.traffickingevent", Action.EDIT): _via_case(_case_edit),
    ("registry.servicerecord", Action.VIEW): _via_case(_case_view),
    ("registry.servicerecord", Action.EDIT): _via_case(_case_edit),
    ("registry.casenote", Action.VIEW): _via_case(_case_view),
    ("registry.caseexploitation", Action.VIEW): _via_case(_case_view),
    ("registry.casecontrolmeans", Action.VIEW): _via_case(_case_view),
    ("registry.caseperson", Action.VIEW): _via_case(_case_view),
    ("consent.caseshare", Action.VIEW): _via_case(_case_shares_seen),
    ("orgs.organisation", Action.VIEW): _organisation_view,
    ("orgs.organisation", Action.MANAGE_ORG): _organisation_manage,
    ("orgs.membership", Action.VIEW): _membership_view,
    ("orgs.membership", Action.MANAGE_MEMBERS): _membership_manage,
    ("orgs.organisation", Action.VIEW_ADDRESS): _organisation_address,
    ("accounts.user", Action.MANAGE_MEMBERS): _user_manage,
    ("accounts.apitoken", Action.VIEW): _own_tokens,
    ("accounts.apitoken", Action.EDIT): _own_tokens,
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
        ("accounts.apitoken", Action.CREATE): lambda a: a.has_membership or a.is_platform_admin,
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
    return filtered.distinct() if getattr(condition, "repeats_rows", False) else filtered


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


# --- What of a visible case or person an actor may see (consent scopes) -----------------------

# Everything, for the organisation that owns the record.
ALL_SCOPES = frozenset(
    {"matching", "identity", "contact", "case_history", "services", "health", "legal", "statistics"}
)

# Notes may be added by the owning organisation's note-writing roles, not through a share.
RULES[("registry.case", Action.ADD_NOTE)] = lambda actor: _case_rows(
    actor, CASE_NOTE_ROLES, via_share=False
)


def shared_case_scopes(actor: Actor) -> dict[Any, frozenset[str]]:
    """Per case shared with the actor's organisation: the scopes its live shares and consents allow."""
    if not _member(actor, IDENTITY_ROLES):
        return {}
    found: dict[Any, frozenset[str]] = {}
    rows = _active_shares(actor).values_list("case_id", "scopes", "consent__scopes")
    for case_id, share_scopes, consent_scopes in rows:
        # A share never shows more than the consent behind it, whatever the share row says.
        allowed_here = frozenset(share_scopes or ()) & frozenset(consent_scopes or ())
        found[case_id] = found.get(case_id, frozenset()) | allowed_here
    return found


# What a share carries about the people of a case (docs/sharing.md). A share rests on the
# consent of one survivor in the case: it carries her record within that consent. Every other
# person is a person in her own right:
# * another survivor (victim or missing person), a witness or anyone else: only what her own
#   consent in force for the receiving organisation covers; with none, nothing but her role;
# * a family member: her relationship to the case; her name and contact also when the
#   survivor's consent and the share cover "family" (tracing and return home), or on her own
#   consent;
# * an alleged perpetrator: the role in the case only, never name, contact or home district
#   (an accusation is not for a partner's files; the police hold it).
FAMILY_CARRIES = frozenset({"identity", "contact"})


def participant_scopes(
    roles: frozenset[str], *, consenting: bool, base: frozenset[str], own: frozenset[str]
) -> frozenset[str]:
    """What a share carries of one person of the case. ``roles``: her roles in the case;
    ``consenting``: she gave the consent the share rests on; ``base``: the share's scopes within
    that consent; ``own``: the scopes of her own consents in force for the receiving side."""
    from setu.registry.models import CaseRole

    if CaseRole.PERPETRATOR in roles:
        return frozenset()
    if consenting and roles & {CaseRole.VICTIM, CaseRole.MISSING}:
        return base
    carried = base & own
    if CaseRole.FAMILY in roles and "family" in base:
        carried |= base & FAMILY_CARRIES
    return carried


def carried_scopes(
    organisation_id: Any, shares: list[tuple[Any, Any, Any, Any]]
) -> dict[tuple[Any, Any], frozenset[str]]:
    """Per (case id, person id): what ``shares`` carry to ``organisation_id``. Each share is
    (case id, share scopes, consent scopes, id of the person who gave the consent)."""
    from setu.consent import rules
    from setu.consent.models import Consent
    from setu.registry.models import CasePerson

    if not shares:
        return {}
    roles: dict[tuple[Any, Any], set[str]] = {}
    links = CasePerson.objects.filter(case_id__in={s[0] for s in shares})
    for case_id, person_id, role in links.values_list("case_id", "person_id", "role"):
        roles.setdefault((case_id, person_id), set()).add(role)
    own: dict[Any, frozenset[str]] = {}
    consents = Consent.objects.filter(
        rules.covering(organisation_id=organisation_id),
        person_id__in={person_id for _case, person_id in roles},
    )
    for person_id, scopes in consents.values_list("person_id", "scopes"):
        own[person_id] = own.get(person_id, frozenset()) | frozenset(scopes or ())
    found: dict[tuple[Any, Any], frozenset[str]] = {}
    for case_id, share_scopes, consent_scopes, consenting_id in shares:
        # A share never shows more than the consent behind it, whatever the share row says.
        base = frozenset(share_scopes or ()) & frozenset(consent_scopes or ())
        for (link_case, person_id), person_roles in roles.items():
            if link_case != case_id:
                continue
            carried = participant_scopes(
                frozenset(person_roles),
                consenting=person_id == consenting_id,
                base=base,
                own=own.get(person_id, frozenset()),
            )
            key = (case_id, person_id)
            found[key] = found.get(key, frozenset()) | carried
    return found


def _live_share_rows(actor: Actor, case_ids: list[Any] | None = None) -> list[tuple[Any, ...]]:
    rows = _active_shares(actor)
    if case_ids is not None:
        rows = rows.filter(case_id__in=case_ids)
    return list(rows.values_list("case_id", "scopes", "consent__scopes", "consent__person_id"))


def shared_person_scopes(actor: Actor) -> dict[Any, frozenset[str]]:
    """Per person in a case shared with the actor's organisation: the scopes they may see
    (``participant_scopes``); a person the shares carry nothing of is absent."""
    if not _member(actor, IDENTITY_ROLES):
        return {}
    found: dict[Any, frozenset[str]] = {}
    for (_case, person_id), scopes in carried_scopes(
        actor.organisation_id, _live_share_rows(actor)
    ).items():
        if scopes:
            found[person_id] = found.get(person_id, frozenset()) | scopes
    return found


def case_person_scopes(actor: Actor, case: Model) -> dict[Any, frozenset[str]]:
    """Per person of ``case``: what the actor may see of them in this case (all of it in the
    owning organisation, else what the live shares of this case carry)."""
    from setu.registry.models import CasePerson

    if not can(actor, Action.VIEW, case):
        return {}
    if case.owner_org_id == actor.organisation_id:  # type: ignore[attr-defined]
        people = CasePerson.objects.filter(case_id=case.pk).values_list("person_id", flat=True)
        return dict.fromkeys(people, ALL_SCOPES)
    shares = _live_share_rows(actor, [case.pk])
    return {
        person_id: scopes
        for (_case, person_id), scopes in carried_scopes(actor.organisation_id, shares).items()
    }


def cases_with_scope(actor: Actor, scope_name: str) -> Q:
    """Row filter for cases whose ``scope_name`` data the actor may see (add to a VIEW scope)."""
    if not _member(actor, IDENTITY_ROLES):
        return NOTHING
    shared = [cid for cid, found in shared_case_scopes(actor).items() if scope_name in found]
    return Q(owner_org_id=actor.organisation_id) | Q(pk__in=shared)


def restricted_share_recipients(organisation_id: Any) -> QuerySet[Any]:
    """People a share can name at ``organisation_id``: its active members of identity roles."""
    from setu.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=IDENTITY_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def visible_scopes(actor: Actor, case: Model) -> frozenset[str]:
    """What of ``case`` the actor may see: all of it in the owning organisation, else only the
    scopes that a live share to their organisation and the consent behind it both allow."""
    if not can(actor, Action.VIEW, case):
        return frozenset()
    if case.owner_org_id == actor.organisation_id:  # type: ignore[attr-defined]
        return ALL_SCOPES
    return shared_case_scopes(actor).get(case.pk, frozenset())


def person_visible_scopes(actor: Actor, person: Model) -> frozenset[str]:
    """What of ``person`` the actor may see (see ``visible_scopes``; unions over shared cases)."""
    if not can(actor, Action.VIEW, person):
        return frozenset()
    if person.owner_org_id == actor.organisation_id:  # type: ignore[attr-defined]
        return ALL_SCOPES
    return shared_person_scopes(actor).get(person.pk, frozenset())


# --- Service directory and referrals -------------------------------------------------------------

# Who keeps an organisation's entries in the service directory up to date.
DIRECTORY_EDIT_ROLES = frozenset({Role.ORG_ADMIN, Role.CASEWORKER})
# Who may act on a referral received by their organisation (accept, decline, progress, complete).
REFERRAL_RESPOND_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.CASEWORKER, Role.SHELTER_MANAGER, Role.LEGAL_OFFICER, Role.COUNSELLOR}
)


def _service_view(actor: Actor) -> Q:
    """The service directory is known to everyone in the network (not to anonymous users)."""
    return Q() if (actor.has_membership or actor.is_platform_admin) else NOTHING


def _referral_sender_rows(actor: Actor, roles: frozenset[str]) -> Q:
    """Referrals sent by the actor's organisation from cases the actor may see."""
    from setu.registry.models import Case

    if not _member(actor, roles):
        return NOTHING
    cases = Case.objects.filter(_case_rows(actor, roles, via_share=False)).values("pk")
    return Q(from_org_id=actor.organisation_id, case_id__in=cases)


def _referral_view(actor: Actor) -> Q:
    """Both sides: the sending organisation (through its case) and the receiving organisation."""
    received = Q(to_org_id=actor.organisation_id) if _member(actor, IDENTITY_ROLES) else NOTHING
    return _referral_sender_rows(actor, IDENTITY_ROLES) | received


def _referral_edit(actor: Actor) -> Q:
    """The sending side may close a referral, update the handover and re-send after a decline."""
    return _referral_sender_rows(actor, SHARE_ROLES)


def _referral_respond(actor: Actor) -> Q:
    """The receiving side accepts, declines, starts, completes and confirms arrival."""
    if not _member(actor, REFERRAL_RESPOND_ROLES):
        return NOTHING
    return Q(to_org_id=actor.organisation_id)


def _via_referral(rule: Callable[[Actor], Q]) -> Callable[[Actor], Q]:
    def via(actor: Actor) -> Q:
        from setu.referrals.models import Referral

        return Q(referral_id__in=Referral.objects.filter(rule(actor)).values("pk"))

    return via


RULES.update(
    {
        ("directory.service", Action.VIEW): _service_view,
        ("directory.service", Action.EDIT): _own_org(DIRECTORY_EDIT_ROLES, "organisation_id"),
        ("referrals.referral", Action.VIEW): _referral_view,
        ("referrals.referral", Action.EDIT): _referral_edit,
        ("referrals.referral", Action.RESPOND): _referral_respond,
        ("referrals.referralevent", Action.VIEW): _via_referral(_referral_view),
    }
)
# Export formats (issue 28, promise 5): who may take which file out of Setu. Every export goes
# through ``audit.services.export_package``, which asks this table by the format's label.
# Legal officers and organisation admins write proceedings; caseworkers and police liaisons of
# the owning organisation read them (and may take the case bundle for a court file).
LEGAL_WRITE_ROLES = frozenset({Role.ORG_ADMIN, Role.LEGAL_OFFICER})
LEGAL_READ_ROLES = LEGAL_WRITE_ROLES | {Role.CASEWORKER, Role.POLICE_LIAISON}
# The format rule comes on top of the record's rule: the person-access report also needs the
# person (``audit.person_access``), a case bundle the proceeding (``legal.proceeding`` EXPORT).
EXPORT_FORMAT_ROLES: dict[str, frozenset[str]] = {
    "export.audit_trail_csv": frozenset({Role.ORG_ADMIN}),
    "export.person_access_csv": frozenset({Role.ORG_ADMIN}),
    "export.person_access_json": frozenset({Role.ORG_ADMIN}),
    "export.legal_bundle_json": LEGAL_READ_ROLES,
    "export.legal_bundle_pdf": LEGAL_READ_ROLES,
}


def _export_rule(roles: frozenset[str]) -> Callable[[Actor], bool]:
    return lambda actor: _member(actor, roles)


CLASS_RULES.update(
    {(label, Action.EXPORT): _export_rule(roles) for label, roles in EXPORT_FORMAT_ROLES.items()}
)
CLASS_RULES.update(
    {
        ("directory.service", Action.VIEW): lambda a: a.has_membership or a.is_platform_admin,
        ("directory.service", Action.EXPORT): lambda a: a.has_membership or a.is_platform_admin,
        ("directory.service", Action.CREATE): lambda a: _member(a, DIRECTORY_EDIT_ROLES),
        ("referrals.referral", Action.VIEW): lambda a: _member(a, IDENTITY_ROLES),
        ("referrals.referral", Action.CREATE): lambda a: _member(a, SHARE_ROLES),
    }
)


# --- Shelters: capacity is known to every member; only the shelter changes its counts ---------

SHELTER_ROLES = frozenset({Role.ORG_ADMIN, Role.SHELTER_MANAGER})
# Who may hold a bed for a referral their organisation sent.
HOLD_ROLES = frozenset({Role.ORG_ADMIN, Role.CASEWORKER, Role.FIELD_OFFICER})
# Who sees network-wide counts (referral flows, free-bed trends, unmet demand).
NETWORK_VIEW_ROLES = frozenset({Role.NETWORK_COORDINATOR, Role.ANALYST})
# Scheme applications and compensation claims: case editors plus legal officers.
ENTITLEMENT_EDIT_ROLES = CASE_EDIT_ROLES | {Role.LEGAL_OFFICER, Role.COUNSELLOR}


def _any_member(actor: Actor) -> Q:
    """Every member organisation's staff: free-bed counts carry no identities."""
    return Q() if actor.has_membership else NOTHING


def _holdable_referral(actor: Actor) -> Q:
    """Open referrals the actor's organisation sent, for which its caseworkers may hold a bed."""
    if not _member(actor, HOLD_ROLES):
        return NOTHING
    return Q(from_org_id=actor.organisation_id, status__in=["sent", "accepted", "in_progress"])


def _hold_view(actor: Actor) -> Q:
    """Holds the actor's organisation made, and holds on the actor's own shelter beds."""
    if not _member(actor, IDENTITY_ROLES):
        return NOTHING
    return Q(holder_org_id=actor.organisation_id) | Q(bed_group__shelter_id=actor.organisation_id)


def shelter_resident_named(actor: Actor, stay: Model) -> bool:
    """Whether the shelter's staff may see who is staying in one of its beds (its resident).

    She is named to her shelter when the stay is under the shelter's own case (its own record),
    or when she was admitted from a bed hold whose referral to this shelter shares her identity
    under a consent still in force. Admission alone does not name her: the referral's consent
    decides, and once it is withdrawn the bed shows only who referred her.
    """
    from setu.consent import rules

    if not _member(actor, IDENTITY_ROLES):
        return False
    if stay.bed_group.shelter_id != actor.organisation_id:  # type: ignore[attr-defined]
        return False
    if stay.case_id is not None:  # type: ignore[attr-defined]
        return stay.case.owner_org_id == actor.organisation_id  # type: ignore[attr-defined]
    hold = stay.hold  # type: ignore[attr-defined]
    if hold is None or hold.referral_id is None:
        # A bed held for a rescue carries no consent: her own case at the shelter names her.
        return False
    referral = hold.referral
    return (
        referral.to_org_id == actor.organisation_id
        and referral.sharing_stopped_at is None
        and "identity" in referral.shared_scopes
        and rules.covers(
            referral.consent, scopes=["identity"], organisation_id=actor.organisation_id
        )
    )


def _hold_release(actor: Actor) -> Q:
    """The holding organisation's caseworkers and the shelter's managers may release a hold."""
    rows = NOTHING
    if _member(actor, HOLD_ROLES):
        rows = Q(holder_org_id=actor.organisation_id)
    if _member(actor, SHELTER_ROLES):
        rows = rows | Q(bed_group__shelter_id=actor.organisation_id)
    return rows


def _scheme_edit(actor: Actor) -> Q:
    """The list of schemes is network reference data, kept by coordinators and platform admins."""
    if actor.is_platform_admin or _member(actor, frozenset({Role.NETWORK_COORDINATOR})):
        return Q()
    return NOTHING


def _entitlement_edit(actor: Actor) -> Q:
    return _case_rows(actor, ENTITLEMENT_EDIT_ROLES, via_share=False)


RULES.update(
    {
        ("shelters.bedgroup", Action.VIEW): _any_member,
        ("shelters.bedgroup", Action.EDIT): _own_org(SHELTER_ROLES, "shelter_id"),
        ("shelters.bedhold", Action.VIEW): _hold_view,
        ("shelters.bedhold", Action.EDIT): _hold_release,
        ("shelters.shelterstay", Action.VIEW): _own_org(IDENTITY_ROLES, "bed_group__shelter_id"),
        ("shelters.shelterstay", Action.EDIT): _own_org(SHELTER_ROLES, "bed_group__shelter_id"),
        ("referrals.referral", Action.HOLD_BED): _holdable_referral,
        ("entitlements.scheme", Action.VIEW): lambda a: (
            Q() if a.has_membership or a.is_platform_admin else NOTHING
        ),
        ("entitlements.scheme", Action.EDIT): _scheme_edit,
        ("entitlements.schemeapplication", Action.VIEW): _via_case(_case_view),
        ("entitlements.schemeapplication", Action.EDIT): _via_case(_entitlement_edit),
        ("entitlements.compensationclaim", Action.VIEW): _via_case(_case_view),
        ("entitlements.compensationclaim", Action.EDIT): _via_case(_entitlement_edit),
        ("entitlements.compensationstage", Action.VIEW): _via_case(_case_view, "claim__case"),
        ("entitlements.compensationstage", Action.EDIT): _via_case(
            _entitlement_edit, "claim__case"
        ),
    }
)
CLASS_RULES.update(
    {
        ("shelters.bedgroup", Action.VIEW): lambda a: a.has_membership,
        ("shelters.bedgroup", Action.EDIT): lambda a: _member(a, SHELTER_ROLES),
        ("shelters.bedgroup", Action.CREATE): lambda a: _member(a, SHELTER_ROLES),
        ("shelters.bedhold", Action.CREATE): lambda a: _member(a, HOLD_ROLES),
        ("shelters.bedhold", Action.VIEW): lambda a: _member(a, IDENTITY_ROLES),
        ("shelters.shelterstay", Action.CREATE): lambda a: _member(a, SHELTER_ROLES),
        ("shelters.unmetdemand", Action.CREATE): lambda a: _member(a, HOLD_ROLES | SHELTER_ROLES),
        ("shelters.network", Action.VIEW_AGGREGATES): lambda a: _member(a, NETWORK_VIEW_ROLES),
        ("entitlements.scheme", Action.EDIT): lambda a: (
            a.is_platform_admin or _member(a, frozenset({Role.NETWORK_COORDINATOR}))
        ),
        ("entitlements.schemeapplication", Action.VIEW): lambda a: _member(a, IDENTITY_ROLES),
        ("entitlements.schemeapplication", Action.CREATE): lambda a: _member(
            a, ENTITLEMENT_EDIT_ROLES
        ),
    }
)


def persons_with_scope(actor: Actor, scope_name: str) -> Q:
    """Row filter for persons whose ``scope_name`` data the actor may see (add to a VIEW scope)."""
    if not _member(actor, IDENTITY_ROLES):
        return NOTHING
    shared = [pid for pid, found in shared_person_scopes(actor).items() if scope_name in found]
    return Q(owner_org_id=actor.organisation_id) | Q(pk__in=shared)


# --- Matching: match notices, reviews, links and alerts ---------------------------------------

# Who reviews possible matches for their organisation (confirm, dismiss, unlink, acknowledge).
MATCH_REVIEW_ROLES = frozenset({Role.ORG_ADMIN, Role.CASEWORKER})
# Who reads how well matching works (reviewers' decisions by score band): those who tune it.
CALIBRATION_ROLES = frozenset({Role.ORG_ADMIN, Role.NETWORK_COORDINATOR})


def _match_pair_rows(actor: Actor) -> Q:
    """Pairs with a record of the actor's organisation on either side."""
    if not _member(actor, MATCH_REVIEW_ROLES):
        return NOTHING
    return Q(org_a_id=actor.organisation_id) | Q(org_b_id=actor.organisation_id)


def _match_linked_rows(actor: Actor) -> Q:
    """Linked pairs only: the other side's minimal history is visible after both confirmed."""
    rows = _match_pair_rows(actor)
    return NOTHING if rows == NOTHING else rows & Q(status="linked")


def match_notice_recipients(organisation_id: Any) -> QuerySet[Any]:
    """Users who receive an organisation's match notices and alerts: its designated contacts
    among the reviewers, or else its organisation admins."""
    from setu.accounts.models import User

    active = User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__is_active=True,
    )
    designated = active.filter(
        memberships__is_designated_contact=True, memberships__role__in=MATCH_REVIEW_ROLES
    ).distinct()
    if designated.exists():
        return designated
    return active.filter(memberships__role=Role.ORG_ADMIN).distinct()


RULES.update(
    {
        ("matching.matchpair", Action.VIEW): _match_pair_rows,
        ("matching.matchpair", Action.RESPOND): _match_pair_rows,
        ("matching.matchpair", Action.VIEW_LINKED): _match_linked_rows,
        ("matching.matchalert", Action.VIEW): _own_org(MATCH_REVIEW_ROLES, "organisation_id"),
        ("matching.matchalert", Action.RESPOND): _own_org(MATCH_REVIEW_ROLES, "organisation_id"),
        ("notifications.notification", Action.VIEW): lambda actor: Q(recipient_id=actor.user.pk),
    }
)
CLASS_RULES.update(
    {
        ("matching.matchpair", Action.VIEW): lambda a: _member(a, MATCH_REVIEW_ROLES),
        ("matching.calibration", Action.VIEW): lambda a: _member(a, CALIBRATION_ROLES),
        ("notifications.notification", Action.VIEW): lambda a: a.user is not None,
    }
)


# --- Legal: proceedings, hearings and outcomes ------------------------------------------------

# LEGAL_WRITE_ROLES and LEGAL_READ_ROLES are defined with the export formats above.


def _legally_shared_cases(actor: Actor) -> list[Any]:
    """Cases shared with the actor's organisation whose live share and consent both cover LEGAL."""
    return [case_id for case_id, found in shared_case_scopes(actor).items() if "legal" in found]


def _proceeding_view(actor: Actor) -> Q:
    """The owning organisation's readers, and a partner through a share whose consent covers
    the legal scope."""
    from setu.registry.models import Case

    if not _member(actor, LEGAL_READ_ROLES):
        return NOTHING
    own = Case.objects.filter(_case_rows(actor, LEGAL_READ_ROLES, via_share=False)).values("pk")
    return Q(case_id__in=own) | Q(case_id__in=_legally_shared_cases(actor))


def _proceeding_edit(actor: Actor) -> Q:
    """Legal officers and admins of the organisation that owns the case."""
    from setu.registry.models import Case

    if not _member(actor, LEGAL_WRITE_ROLES):
        return NOTHING
    rows = Case.objects.filter(_case_rows(actor, LEGAL_WRITE_ROLES, via_share=False)).values("pk")
    return Q(case_id__in=rows)


def _via_proceeding(rule: Callable[[Actor], Q], prefix: str = "proceeding") -> Callable[[Actor], Q]:
    def via(actor: Actor) -> Q:
        from setu.legal.models import Proceeding

        return Q(**{f"{prefix}_id__in": Proceeding.objects.filter(rule(actor)).values("pk")})

    return via


def _proceeding_counted(actor: Actor) -> Q:
    """Proceedings counted in outcome statistics: the actor's organisation's own, and other
    organisations' whose survivor consented to anonymous statistics (as ``_case_counted``)."""
    from setu.consent import rules
    from setu.consent.models import Consent, ConsentScope
    from setu.registry.models import CasePerson, CaseRole

    if not _member(actor, AGGREGATE_ROLES | LEGAL_READ_ROLES):
        return NOTHING
    consenting = Consent.objects.filter(rules.covering(scopes=[ConsentScope.STATISTICS]))
    victims = CasePerson.objects.filter(
        role=CaseRole.VICTIM, person_id__in=consenting.values("person_id")
    )
    return Q(owner_org_id=actor.organisation_id) | Q(case_id__in=victims.values("case_id"))


RULES.update(
    {
        ("legal.proceeding", Action.VIEW): _proceeding_view,
        ("legal.proceeding", Action.EDIT): _proceeding_edit,
        ("legal.proceeding", Action.EXPORT): _proceeding_view,
        ("legal.hearing", Action.VIEW): _via_proceeding(_proceeding_view),
        ("legal.hearing", Action.EDIT): _via_proceeding(_proceeding_edit),
        ("legal.accused", Action.VIEW): _via_proceeding(_proceeding_view),
        ("legal.accused", Action.EDIT): _via_proceeding(_proceeding_edit),
        ("legal.protectionmeasure", Action.VIEW): _via_proceeding(_proceeding_view),
        ("legal.judgment", Action.VIEW): _via_proceeding(_proceeding_view, "accused__proceeding"),
        ("legal.proceeding", Action.VIEW_AGGREGATES): _proceeding_counted,
    }
)
CLASS_RULES.update(
    {
        ("legal.proceeding", Action.VIEW): lambda a: _member(a, LEGAL_READ_ROLES),
        ("legal.proceeding", Action.CREATE): lambda a: _member(a, LEGAL_WRITE_ROLES),
        ("legal.outcomes", Action.VIEW_AGGREGATES): lambda a: _member(
            a, AGGREGATE_ROLES | LEGAL_READ_ROLES
        ),
    }
)


# --- Legal: correcting and removing a proceeding's parts (issue 24) --------------------------

RULES.update(
    {
        # Those who write the proceeding correct or remove its measures and verdicts.
        ("legal.protectionmeasure", Action.EDIT): _via_proceeding(_proceeding_edit),
        ("legal.judgment", Action.EDIT): _via_proceeding(_proceeding_edit, "accused__proceeding"),
    }
)


# --- Fieldops: field operations, their checklists and the safety of the team ------------------

# Who may plan an operation at all.
FIELDOPS_PLAN_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.CASEWORKER, Role.FIELD_OFFICER, Role.POLICE_LIAISON}
)


def _on_team(actor: Actor, prefix: str = "") -> Q:
    """Rows of operations on whose team the actor is (need to know by membership)."""
    from setu.fieldops.models import TeamMember

    seats = TeamMember.objects.filter(user_id=actor.user.pk).values("operation_id")
    return Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}_id__in": seats})


def _operation_view(actor: Actor, prefix: str = "") -> Q:
    """The team, and the admins of the organisations that have someone on the team (or lead
    it). Nobody else: not partner organisations' other staff, not platform admins."""
    from setu.fieldops.models import TeamMember

    if actor.user is None or actor.is_platform_admin or not actor.has_membership:
        return NOTHING
    rows = _on_team(actor, prefix)
    if actor.role == Role.ORG_ADMIN:
        mine = TeamMember.objects.filter(organisation_id=actor.organisation_id)
        key = f"{prefix}_id__in" if prefix else "pk__in"
        owner = f"{prefix}__owner_org_id" if prefix else "owner_org_id"
        rows |= Q(**{key: mine.values("operation_id")}) | Q(**{owner: actor.organisation_id})
        # A partner organisation's admin sees the plan to staff her part of it.
        rows |= fieldops_partner_admin(actor, prefix)
    return rows


def _operation_edit(actor: Actor) -> Q:
    """The team lead, and the lead organisation's admin."""
    from setu.fieldops.models import TeamMember, TeamRole

    if actor.user is None or actor.is_platform_admin or not actor.has_membership:
        return NOTHING
    leads = TeamMember.objects.filter(user_id=actor.user.pk, role=TeamRole.LEAD)
    rows = Q(pk__in=leads.values("operation_id"))
    if actor.role == Role.ORG_ADMIN:
        rows |= Q(owner_org_id=actor.organisation_id)
    return rows


def _own_seat(actor: Actor) -> Q:
    """A member checks in only for themself, and only while the operation is under way."""
    if actor.user is None or actor.is_platform_admin or not actor.has_membership:
        return NOTHING
    return Q(user_id=actor.user.pk, operation__status="active")


def _team_of_operation(actor: Actor) -> Q:
    """Alerts and steps of an operation: its team acts on them (claims, resolves, ticks)."""
    if actor.user is None or actor.is_platform_admin or not actor.has_membership:
        return NOTHING
    return _on_team(actor, "operation")


def fieldops_sees_place(actor: Actor, operation: Model) -> bool:
    """The target place never leaves the team: not even the organisations' admins see it."""
    from setu.fieldops.models import TeamMember

    if actor.user is None or actor.is_platform_admin:
        return False
    return TeamMember.objects.filter(operation_id=operation.pk, user_id=actor.user.pk).exists()


def fieldops_names_staff(actor: Actor, operation: Model, member_org_id: Any) -> bool:
    """Staff are named to the team, and to others only within their own organisation: a
    partner organisation's admin outside the team sees the other organisations' people as
    roles."""
    return member_org_id == actor.organisation_id or fieldops_sees_place(actor, operation)


RULES.update(
    {
        ("fieldops.operation", Action.VIEW): _operation_view,
        ("fieldops.operation", Action.EDIT): _operation_edit,
        ("fieldops.teammember", Action.VIEW): lambda a: _operation_view(a, "operation"),
        ("fieldops.teammember", Action.RESPOND): _own_seat,
        ("fieldops.alert", Action.VIEW): lambda a: _operation_view(a, "operation"),
        ("fieldops.alert", Action.RESPOND): _team_of_operation,
        ("fieldops.checkliststep", Action.VIEW): lambda a: _operation_view(a, "operation"),
        ("fieldops.checkliststep", Action.EDIT): _team_of_operation,
        ("fieldops.debrief", Action.VIEW): lambda a: _operation_view(a, "operation"),
        # Adapting the SOP checklist is the organisation admin's.
        ("fieldops.sopadaptation", Action.EDIT): _own_org(
            frozenset({Role.ORG_ADMIN}), "organisation_id"
        ),
    }
)
CLASS_RULES.update(
    {
        ("fieldops.operation", Action.VIEW): lambda a: a.has_membership,
        ("fieldops.operation", Action.CREATE): lambda a: _member(a, FIELDOPS_PLAN_ROLES),
        # Lessons carry no names or places: every member organisation's staff may read them.
        ("fieldops.debrief", Action.VIEW_AGGREGATES): lambda a: a.has_membership,
        ("fieldops.operation", Action.VIEW_AGGREGATES): lambda a: _member(
            a, frozenset({Role.ORG_ADMIN})
        ),
        ("fieldops.sopadaptation", Action.EDIT): lambda a: _member(a, frozenset({Role.ORG_ADMIN})),
    }
)


# --- Uploads: photos and documents of persons and cases (issue 28, promise 4) ----------------

# What a partner needs of the record an attachment belongs to: a person's photos and documents
# show who she is (her consent's "my name, age and photo"); a case's belong to its history.
ATTACHMENT_SCOPES = {"person": "identity", "case": "case_history"}


def _attachment_view(actor: Actor) -> Q:
    """Attachments of persons the actor may see and whose identity reaches them, and of cases
    the actor may see whose history reaches them; the owning organisation sees all it may open."""
    from setu.registry.models import Case, Person

    if not _member(actor, IDENTITY_ROLES):
        return NOTHING
    persons = Person.objects.filter(_person_view(actor)).filter(
        persons_with_scope(actor, ATTACHMENT_SCOPES["person"])
    )
    cases = Case.objects.filter(_case_view(actor)).filter(
        cases_with_scope(actor, ATTACHMENT_SCOPES["case"])
    )
    return Q(person_id__in=persons.values("pk")) | Q(case_id__in=cases.values("pk"))


def _attachment_edit(actor: Actor) -> Q:
    """Upload and delete: those who may edit the person or case, in the owning organisation."""
    from setu.registry.models import Case, Person

    if not _member(actor, CASE_EDIT_ROLES):
        return NOTHING
    persons = Person.objects.filter(_own_persons(CASE_EDIT_ROLES)(actor)).values("pk")
    cases = Case.objects.filter(_case_edit(actor)).values("pk")
    return Q(person_id__in=persons) | Q(case_id__in=cases)


RULES.update(
    {
        ("registry.attachment", Action.VIEW): _attachment_view,
        ("registry.attachment", Action.EDIT): _attachment_edit,
    }
)


# --- Intel: perpetrators, identifiers, cross-references and sharing agreements ----------------

# Who records and reads the intelligence of their own organisation's cases.
INTEL_ROLES = frozenset({Role.ORG_ADMIN, Role.CASEWORKER, Role.LEGAL_OFFICER, Role.POLICE_LIAISON})
# Who reads the details a partner organisation holds, under a live sharing agreement.
INTEL_DETAIL_ROLES = frozenset({Role.LEGAL_OFFICER, Role.POLICE_LIAISON})
# Who proposes, accepts and withdraws agreements for their organisation.
INTEL_AGREEMENT_ROLES = frozenset({Role.ORG_ADMIN})
# Who sees counts only (no names, no values, no cases).
INTEL_COUNT_ROLES = frozenset({Role.ORG_ADMIN, Role.ANALYST, Role.NETWORK_COORDINATOR})


def intel_live_agreement(prefix: str = "") -> Q:
    """Agreements in force today: accepted, not withdrawn, today between the two dates."""
    today = timezone.localdate()
    return Q(
        **{
            f"{prefix}accepted_at__isnull": False,
            f"{prefix}withdrawn_at__isnull": True,
            f"{prefix}starts_on__lte": today,
            f"{prefix}ends_on__gte": today,
        }
    )


def intel_partner_org_ids(actor: Actor) -> list[Any]:
    """Organisations that have a live sharing agreement with the actor's organisation."""
    from setu.intel.models import SharingAgreement

    if actor.organisation_id is None:
        return []
    mine = actor.organisation_id
    rows = SharingAgreement.objects.filter(
        intel_live_agreement(), Q(proposer_org_id=mine) | Q(partner_org_id=mine)
    ).values_list("proposer_org_id", "partner_org_id")
    return sorted({b if a == mine else a for a, b in rows}, key=str)


def _intel_own_cases(actor: Actor) -> QuerySet[Any]:
    from setu.registry.models import Case

    return Case.objects.filter(_case_rows(actor, INTEL_ROLES, via_share=False)).values("pk")


def _intel_partner_cases(actor: Actor) -> Q:
    """Rows (of any model with ``case`` and ``owner_org``) of an agreed partner's case that
    shares a value with a case of the actor's own: their intelligence (never the survivor's
    record) is what the agreement opens, and only for police liaisons and legal officers.
    Restricted cases are never opened this way: the flag is read from the index row
    (``IntelKey.case_restricted``), not the partner's case row, which row-level security
    rightly withholds from the actor's organisation.

    "Shares a value" is read from the cross-references (``IntelLink``), which the services
    keep for every pair of index rows of one value in two organisations: the links between
    the two organisations are few and indexed by organisation, where matching the index
    against itself walks every value of the actor's cases (seconds at a million rows)."""
    from setu.intel.models import IntelLink

    if not _member(actor, INTEL_DETAIL_ROLES):
        return NOTHING
    partners = intel_partner_org_ids(actor)
    if not partners:
        return NOTHING
    mine = actor.organisation_id
    own = _intel_own_cases(actor)
    theirs_a = IntelLink.objects.filter(
        org_a_id__in=partners,
        org_b_id=mine,
        key_b__case_id__in=own,
        key_a__case_restricted=False,
    ).values("key_a__case_id")
    theirs_b = IntelLink.objects.filter(
        org_b_id__in=partners,
        org_a_id=mine,
        key_a__case_id__in=own,
        key_b__case_restricted=False,
    ).values("key_b__case_id")
    return Q(owner_org_id__in=partners) & (Q(case_id__in=theirs_a) | Q(case_id__in=theirs_b))


def _intel_view(actor: Actor) -> Q:
    """Intelligence of the actor's own cases, and of an agreed partner's linked cases."""
    if not _member(actor, INTEL_ROLES):
        return NOTHING
    return Q(case_id__in=_intel_own_cases(actor)) | _intel_partner_cases(actor)


def _intel_edit(actor: Actor) -> Q:
    """Only the organisation that owns the case writes its intelligence."""
    if not _member(actor, INTEL_ROLES):
        return NOTHING
    return Q(case_id__in=_intel_own_cases(actor))


def _intel_link_view(actor: Actor) -> Q:
    """Cross-references with one side in a case of the actor's own: both sides learn that the
    link exists and whom to ask, whatever agreement there is."""
    if not _member(actor, INTEL_ROLES):
        return NOTHING
    own = _intel_own_cases(actor)
    return Q(key_a__case_id__in=own) | Q(key_b__case_id__in=own)


def _intel_agreement_view(actor: Actor) -> Q:
    if not _member(actor, INTEL_ROLES):
        return NOTHING
    return Q(proposer_org_id=actor.organisation_id) | Q(partner_org_id=actor.organisation_id)


def _intel_agreement_edit(actor: Actor) -> Q:
    """Either side's admin may withdraw an agreement."""
    if not _member(actor, INTEL_AGREEMENT_ROLES):
        return NOTHING
    return Q(proposer_org_id=actor.organisation_id) | Q(partner_org_id=actor.organisation_id)


def _intel_agreement_respond(actor: Actor) -> Q:
    """Only the partner's admin accepts (or declines) a proposal, while it is open."""
    if not _member(actor, INTEL_AGREEMENT_ROLES):
        return NOTHING
    return Q(
        partner_org_id=actor.organisation_id, accepted_at__isnull=True, withdrawn_at__isnull=True
    )


def intel_contacts(organisation_id: Any) -> QuerySet[Any]:
    """Whom another organisation should ask about an item: the organisation's designated
    contacts among its intel roles, else its police liaisons and legal officers, else its admins."""
    from setu.accounts.models import User

    active = User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__is_active=True,
    )
    for rows in (
        active.filter(memberships__is_designated_contact=True, memberships__role__in=INTEL_ROLES),
        active.filter(memberships__role__in=INTEL_DETAIL_ROLES),
        active.filter(memberships__role=Role.ORG_ADMIN),
    ):
        found = rows.distinct().order_by("first_name", "last_name", "username")
        if found.exists():
            return found
    return active.none()


def intel_admins(organisation_id: Any) -> QuerySet[Any]:
    """The admins of an organisation, who answer a proposed sharing agreement."""
    from setu.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__is_active=True,
        memberships__role__in=INTEL_AGREEMENT_ROLES,
    ).distinct()


RULES.update(
    {
        ("intel.perpetrator", Action.VIEW): _intel_view,
        ("intel.perpetrator", Action.EDIT): _intel_edit,
        ("intel.identifier", Action.VIEW): _intel_view,
        ("intel.identifier", Action.EDIT): _intel_edit,
        ("intel.intelkey", Action.VIEW): _intel_view,
        ("intel.intellink", Action.VIEW): _intel_link_view,
        ("intel.sharingagreement", Action.VIEW): _intel_agreement_view,
        ("intel.sharingagreement", Action.EDIT): _intel_agreement_edit,
        ("intel.sharingagreement", Action.RESPOND): _intel_agreement_respond,
        ("intel.perpetrator", Action.VIEW_AGGREGATES): _own_org(INTEL_COUNT_ROLES),
        ("intel.identifier", Action.VIEW_AGGREGATES): _own_org(INTEL_COUNT_ROLES),
        ("intel.intellink", Action.VIEW_AGGREGATES): lambda a: (
            Q(org_a_id=a.organisation_id) | Q(org_b_id=a.organisation_id)
            if _member(a, INTEL_COUNT_ROLES)
            else NOTHING
        ),
    }
)
CLASS_RULES.update(
    {
        ("intel.perpetrator", Action.VIEW): lambda a: _member(a, INTEL_ROLES),
        ("intel.perpetrator", Action.CREATE): lambda a: _member(a, INTEL_ROLES),
        ("intel.sharingagreement", Action.VIEW): lambda a: _member(a, INTEL_ROLES),
        ("intel.sharingagreement", Action.CREATE): lambda a: _member(a, INTEL_AGREEMENT_ROLES),
        ("intel.counts", Action.VIEW_AGGREGATES): lambda a: _member(a, INTEL_COUNT_ROLES),
    }
)


# --- Feedback: survivor voice (issue 26) -------------------------------------------------------
#
# Feedback is given without an account and names nobody. The organisation a piece of feedback
# is about never reads it one by one, and never a serious complaint about it: every rule below
# leaves out rows whose ``concerns_org`` is the actor's organisation. Open feedback is read and
# coded by network coordinators, and by collective leaders for their own campaigns; a serious
# complaint only by the handler it was routed to (while unrouted, by network coordinators).
# Counts (suppressed under 11) are for the statistics roles and collective leaders.

COLLECTIVE_ROLES = frozenset({Role.COLLECTIVE_LEADER, Role.PEER_SUPPORTER})
# Who hands out invitations (links and codes) and records feedback on a survivor's behalf.
FEEDBACK_INVITE_ROLES = (IDENTITY_ROLES | COLLECTIVE_ROLES | {Role.NETWORK_COORDINATOR}) - {
    Role.POLICE_LIAISON
}
FEEDBACK_ASSIST_ROLES = frozenset(
    {Role.CASEWORKER, Role.COUNSELLOR, Role.FIELD_OFFICER, *COLLECTIVE_ROLES}
)
FEEDBACK_REPORT_ROLES = AGGREGATE_ROLES | {Role.COLLECTIVE_LEADER}
# Who runs campaigns (a batch of invitations about one subject).
CAMPAIGN_ROLES = frozenset({Role.ORG_ADMIN, Role.NETWORK_COORDINATOR, Role.COLLECTIVE_LEADER})
# Who records "you said, we did" for their organisation.
CHANGE_NOTE_ROLES = frozenset({Role.ORG_ADMIN, Role.NETWORK_COORDINATOR})


def _not_about_own(actor: Actor) -> Q:
    """Never a row about the actor's own organisation, whatever else allows it."""
    return ~Q(concerns_org_id=actor.organisation_id)


def _feedback_view(actor: Actor) -> Q:
    """Open feedback for coordinators (all) and collective leaders (their campaigns); a serious
    complaint for its handler, or coordinators while it has none; never about one's own org."""
    rows = NOTHING
    if _member(actor, frozenset({Role.NETWORK_COORDINATOR})):
        rows = Q(lane="open") | Q(lane="serious", handler__isnull=True)
    if _member(actor, frozenset({Role.COLLECTIVE_LEADER})):
        rows = rows | Q(lane="open", campaign__organisation_id=actor.organisation_id)
    if actor.organisation_id is not None:
        rows = rows | Q(lane="serious", handler_id=actor.user.pk)
    if rows == NOTHING:
        return NOTHING
    return rows & _not_about_own(actor)


def _campaign_view(actor: Actor) -> Q:
    return _own_org(CAMPAIGN_ROLES | FEEDBACK_INVITE_ROLES, "organisation_id")(actor)


def _change_note_edit(actor: Actor) -> Q:
    return _own_org(CHANGE_NOTE_ROLES, "organisation_id")(actor)


RULES.update(
    {
        ("feedback.feedback", Action.VIEW): _feedback_view,
        ("feedback.feedback", Action.EDIT): _feedback_view,
        # Counts only, suppressed under 11 by the selectors: every answer may be counted.
        ("feedback.feedback", Action.VIEW_AGGREGATES): lambda a: (
            Q() if _member(a, FEEDBACK_REPORT_ROLES) else NOTHING
        ),
        ("feedback.subject", Action.VIEW): lambda a: Q() if a.has_membership else NOTHING,
        ("feedback.subject", Action.EDIT): _scheme_edit,
        ("feedback.campaign", Action.VIEW): _campaign_view,
        ("feedback.campaign", Action.EDIT): _own_org(CAMPAIGN_ROLES, "organisation_id"),
        ("feedback.changenote", Action.EDIT): _change_note_edit,
        ("feedback.complaintdesk", Action.VIEW): _own_org(
            frozenset({Role.NETWORK_COORDINATOR, Role.ORG_ADMIN}), "organisation_id"
        ),
    }
)
CLASS_RULES.update(
    {
        ("feedback.feedback", Action.VIEW): lambda a: (
            a.organisation_id is not None
            and a.role in {Role.NETWORK_COORDINATOR, Role.COLLECTIVE_LEADER}
        ),
        ("feedback.feedback", Action.CREATE): lambda a: _member(a, FEEDBACK_ASSIST_ROLES),
        ("feedback.invitation", Action.CREATE): lambda a: _member(a, FEEDBACK_INVITE_ROLES),
        ("feedback.campaign", Action.CREATE): lambda a: _member(a, CAMPAIGN_ROLES),
        ("feedback.campaign", Action.VIEW): lambda a: _member(
            a, CAMPAIGN_ROLES | FEEDBACK_INVITE_ROLES
        ),
        ("feedback.subject", Action.EDIT): lambda a: (
            a.is_platform_admin or _member(a, frozenset({Role.NETWORK_COORDINATOR}))
        ),
        ("feedback.changenote", Action.CREATE): lambda a: _member(a, CHANGE_NOTE_ROLES),
        ("feedback.complaintdesk", Action.EDIT): lambda a: _member(
            a, frozenset({Role.NETWORK_COORDINATOR})
        ),
        ("feedback.report", Action.VIEW_AGGREGATES): lambda a: _member(a, FEEDBACK_REPORT_ROLES),
    }
)


# --- Feedback: complaint desks kept by coordinators (issue 26) -----------------------------------
#
# A network coordinator names and retires her own organisation's complaints handlers (the
# serious-complaint lane routes to the first active desk outside the organisation concerned).
RULES[("feedback.complaintdesk", Action.EDIT)] = _own_org(
    frozenset({Role.NETWORK_COORDINATOR}), "organisation_id"
)


# --- Fieldops: each organisation on a joint operation staffs its own part ---------------------


def fieldops_partner_admin(actor: Actor, prefix: str = "") -> Q:
    """Operations on which the actor's organisation is a partner, for that organisation's admin:
    she sees the plan (never the place: that stays with the team) and puts her own staff on
    the team."""
    from setu.fieldops.models import Operation

    if (
        actor.user is None
        or actor.is_platform_admin
        or not _member(actor, frozenset({Role.ORG_ADMIN}))
    ):
        return NOTHING
    partners = Operation.partner_orgs.through.objects.filter(
        organisation_id=actor.organisation_id
    ).values("operation_id")
    return Q(**{f"{prefix}_id__in" if prefix else "pk__in": partners})


def _fieldops_staff_own(actor: Actor) -> Q:
    """Who adds their own organisation's staff to a team: those who may change the plan (the
    team lead, the lead organisation's admin) and each partner organisation's admin."""
    return _operation_edit(actor) | fieldops_partner_admin(actor)


RULES.update(
    {
        ("fieldops.operation", Action.MANAGE_MEMBERS): _fieldops_staff_own,
    }
)


# --- Legal: her case's status sent to the survivor (issue 24) -----------------------------------

# The case team of the owning organisation, who know her and her phone: not a partner.
LEGAL_MESSAGE_ROLES = LEGAL_WRITE_ROLES | {Role.CASEWORKER}


def _proceeding_message(actor: Actor) -> Q:
    """The owning organisation's legal officers, admins and caseworkers may send the survivor
    her case's status (the service also needs her recorded agreement to SMS)."""
    from setu.registry.models import Case

    if not _member(actor, LEGAL_MESSAGE_ROLES):
        return NOTHING
    rows = Case.objects.filter(_case_rows(actor, LEGAL_MESSAGE_ROLES, via_share=False))
    return Q(case_id__in=rows.values("pk"))


RULES.update({("legal.proceeding", Action.SEND_MESSAGE): _proceeding_message})


# --- System reads across organisations (row-level security, issue 28 promise 1) ---------------
# Some reads cross organisations on purpose and show the user only what they decide: the
# matcher's consent and history reads, the network's statistics (counts only). The policy above
# is their line; on PostgreSQL, row-level security would otherwise hide the other organisations'
# rows from the app's role and they would answer wrongly (undercount, "no consent"). Each such
# read is a named selector of the app owning the rows, decorated here, so the database admits
# every organisation's rows for its queries and for nothing else in the request.
# docs/row-level-security.md "System reads"; access/tests/test_system_reads.py lists them.

_SystemRead = TypeVar("_SystemRead", bound=Callable[..., Any])


def system_read(func: _SystemRead) -> _SystemRead:
    """Run a named system read with row-level security admitting every organisation's rows.

    The read must finish inside: a lazy QuerySet would run its query after the scope closed,
    so returning one is an error (return a list, a count or a dataclass instead)."""
    import functools

    from setu.access import rls

    @functools.wraps(func)
    def read(*args: Any, **kwargs: Any) -> Any:
        with rls.system_scope():
            result = func(*args, **kwargs)
        if isinstance(result, QuerySet):
            raise TypeError(f"{func.__qualname__}: a system read must not return a QuerySet.")
        return result

    read.setu_system_read = True  # type: ignore[attr-defined]
    return read  # type: ignore[return-value]


# --- Legal: inter-state witness plans (issue 24, point 3) -------------------------------------

RULES.update(
    {
        # A hearing's witness plan is read and written exactly as its proceeding.
        ("legal.witnessplan", Action.VIEW): _via_proceeding(_proceeding_view),
        ("legal.witnessplan", Action.EDIT): _via_proceeding(_proceeding_edit),
    }
)


# --- Legal: outcome statistics over hearings and verdicts (issue 24, point 4) -----------------


def _prefixed(condition: Q, prefix: str) -> Q:
    """``condition`` on a related model's rows: each lookup behind ``prefix__``."""
    moved = Q(
        *(
            _prefixed(child, prefix)
            if isinstance(child, Q)
            else (f"{prefix}__{child[0]}", child[1])
            for child in condition.children
        ),
        _connector=condition.connector,
        _negated=condition.negated,
    )
    return moved


def _counted_through(prefix: str) -> Callable[[Actor], Q]:
    """Verdicts (or other parts) counted in outcome statistics: those of counted proceedings, as a
    condition on the joined proceeding (not a list of 100,000 ids for the database to probe)."""

    def rule(actor: Actor) -> Q:
        condition = _proceeding_counted(actor)
        return NOTHING if condition == NOTHING else _prefixed(condition, prefix)

    return rule


RULES.update(
    {
        # A hearing carries its proceeding's organisation and case (legal 0005), so the
        # proceeding's own rule applies to it with no join.
        ("legal.hearing", Action.VIEW_AGGREGATES): _proceeding_counted,
        ("legal.judgment", Action.VIEW_AGGREGATES): _counted_through("accused__proceeding"),
    }
)


# --- Legal: appeals (issue 24, appeals as records) --------------------------------------------

RULES.update(
    {
        # An appeal is one of the proceeding's parts: read and written exactly as its proceeding.
        ("legal.appeal", Action.VIEW): _via_proceeding(_proceeding_view),
        ("legal.appeal", Action.EDIT): _via_proceeding(_proceeding_edit),
    }
)


# --- Audit trail under row-level security (issue 28, promise 1) -------------------------------
# Migration access 0007 lets a session read the audit entries about its organisation or by its
# members only; ``audit.services.record`` asks this whether the entry it appends is such a one.


def acts_for(organisation_id: Any) -> bool:
    """Whether this thread's database session acts for the organisation (``access.rls``)."""
    from setu.access import rls

    return bool(organisation_id) and rls.bound() == str(organisation_id)


def entitlement_case_writable(actor: Actor, case: Model) -> bool:
    """Whether the actor may record a scheme application or a compensation claim in the case
    (the EDIT rule of both), judged before the row exists: row-level security refuses the
    insert for another organisation's case, so the policy must refuse first."""
    from setu.registry.models import Case

    return Case.objects.filter(pk=case.pk).filter(_entitlement_edit(actor)).exists()


# --- Legal: appeals in the outcome statistics (issue 24) --------------------------------------

RULES.update(
    {
        # Appeals counted in outcome statistics: those of counted proceedings (own organisation's,
        # or with the survivor's consent to anonymous statistics), as the verdicts are.
        ("legal.appeal", Action.VIEW_AGGREGATES): _counted_through("proceeding"),
    }
)


# --- Legal: verdicts and appeals carry their proceeding's place (issue 24) --------------------

RULES.update(
    {
        # A verdict and an appeal carry their proceeding's organisation and case (legal 0009), so
        # the proceeding's own rule counts them with no join, as it counts hearings.
        ("legal.judgment", Action.VIEW_AGGREGATES): _proceeding_counted,
        ("legal.appeal", Action.VIEW_AGGREGATES): _proceeding_counted,
    }
)
