"""Reads of consents and case shares. Actor-facing selectors start from ``policy.scope``; the
system reads (no actor) serve other apps' rules and apply ``rules.covering`` only."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, QuerySet, Value, When
from django.db.models import Case as CaseExpr
from django.utils import timezone

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.consent import rules
from setu.consent.models import CaseShare, Consent
from setu.consent.models import ConsentGiver as ConsentGiver
from setu.consent.models import ConsentScope as ConsentScope
from setu.core.errors import NotFound
from setu.registry import selectors as registry

if TYPE_CHECKING:
    from setu.orgs.models import Organisation
    from setu.registry.models import Case


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def consent_get(*, actor: Actor, consent_id: Any, for_action: Action = Action.VIEW) -> Consent:
    """A consent the actor may see (and ``for_action``, else Forbidden)."""
    pk = _uuid(consent_id)
    qs = policy.scope(actor, Consent.objects.select_related("person"), Action.VIEW)
    consent = qs.filter(pk=pk).first() if pk else None
    if consent is None:
        raise NotFound(action=Action.VIEW, target=("consent.consent", str(consent_id), None))
    if for_action != Action.VIEW:
        policy.require(actor, for_action, consent)
    return consent


def consent_list(*, actor: Actor, person_ids: Iterable[Any]) -> QuerySet[Consent]:
    """Consents of these persons that the actor may see, newest first. Each carries
    ``giver_shown``: whether the actor may read ``given_by_name`` (``policy.consent_giver_shown``)."""
    qs = Consent.objects.filter(person_id__in=person_ids)
    shown = CaseExpr(
        When(policy.consent_giver_shown(actor), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        policy.scope(actor, qs, Action.VIEW)
        .select_related("person", "recipient_org")
        .annotate(giver_shown=shown)
    )


def share_get(*, actor: Actor, share_id: Any) -> CaseShare:
    """A share of a case the actor may share (the owning organisation's share roles)."""
    pk = _uuid(share_id)
    qs = policy.scope(actor, CaseShare.objects.select_related("case", "organisation"), Action.VIEW)
    share = qs.filter(pk=pk).first() if pk else None
    if share is None:
        raise NotFound(action=Action.VIEW, target=("consent.caseshare", str(share_id), None))
    return share


def _survivors(case: Case) -> QuerySet[Any]:
    return registry.case_survivor_ids(case_id=case.pk)


def consents_covering(
    *, case: Case, organisation: Organisation, scopes: Iterable[str]
) -> list[Consent]:
    """Consents in force today, of a survivor in ``case``, covering ``scopes`` for ``organisation``:
    narrowest first (``rules.narrowest_first``). Callers check SHARE."""
    qs = Consent.objects.filter(
        rules.covering(scopes=scopes, organisation_id=organisation.pk),
        person_id__in=_survivors(case),
    ).select_related("person", "recipient_org")
    return list(rules.narrowest_first(qs))


def case_share_consents(
    *, actor: Actor, case: Case, organisation: Organisation | None = None
) -> list[Consent]:
    """Consents in force of the case's survivors that could back a share (to ``organisation``)."""
    policy.require(actor, Action.SHARE, case)
    if organisation is None:
        qs = Consent.objects.filter(rules.covering(), person_id__in=_survivors(case))
        return list(qs.select_related("person", "recipient_org"))
    return consents_covering(case=case, organisation=organisation, scopes=())


def person_consent_covering(
    *, actor: Actor, person_id: Any, organisation_id: Any, scopes: Iterable[str]
) -> Consent | None:
    """The narrowest consent in force today, of a person the actor may see, covering every one of
    ``scopes`` for ``organisation_id`` (a named consent beats a network-wide one)."""
    qs = Consent.objects.filter(
        rules.covering(scopes=scopes, organisation_id=organisation_id), person_id=person_id
    )
    return rules.narrowest_first(policy.scope(actor, qs, Action.VIEW)).first()


@policy.system_read
def matching_consent_rows(person_ids: Iterable[Any]) -> list[tuple[Any, Any]]:
    """(person id, recipient organisation id or None) of every MATCHING consent in force today;
    a system read for the matching index."""
    qs = Consent.objects.filter(
        rules.covering(scopes=[ConsentScope.MATCHING]), person_id__in=list(person_ids)
    )
    return list(qs.values_list("person_id", "recipient_org_id"))


@policy.system_read
def identity_consented(*, person_id: Any, organisation_id: Any) -> bool:
    """Whether a consent in force lets the person's identity reach this organisation."""
    return Consent.objects.filter(
        rules.covering(scopes=[ConsentScope.IDENTITY], organisation_id=organisation_id),
        person_id=person_id,
    ).exists()


def consents_expired(*, day: Any = None) -> list[Any]:
    """Ids of consents whose expiry date has passed but whose end has not reached the shares and
    the subscribers yet (system read for ``consents_lapse``)."""
    day = day or timezone.localdate()
    lapsed = Consent.objects.filter(
        withdrawn_on__isnull=True, ended_at__isnull=True, expires_on__lt=day
    )
    return list(lapsed.order_by("expires_on", "pk").values_list("pk", flat=True))


@dataclass(frozen=True)
class PreviewRow:
    """One person of a case as a share would carry them to the receiving organisation."""

    person_id: Any
    name: str
    roles: list[str]
    scopes: list[str]  # labels of what the partner will see; empty: only her role in the case


def case_share_preview(
    *,
    actor: Actor,
    case: Case,
    organisation: Organisation,
    scopes: Iterable[str],
    consent: Consent | None = None,
) -> tuple[Consent | None, list[PreviewRow]]:
    """Who the partner would see, and what of each, if ``case`` were shared now: the consent
    the share would rest on (None: no consent covers it) and one row per person of the case
    (``policy.carried_scopes``, the rule the partner's every read applies)."""
    policy.require(actor, Action.SHARE, case)
    wanted = list(dict.fromkeys(scopes))
    covering = consents_covering(case=case, organisation=organisation, scopes=wanted)
    if consent is not None:
        covering = [c for c in covering if c.pk == consent.pk]
    if not covering:
        return None, []
    chosen = covering[0]
    carried = policy.carried_scopes(
        organisation.pk, [(case.pk, wanted, chosen.scopes, chosen.person_id)]
    )
    labels = dict(ConsentScope.choices)
    people: dict[Any, PreviewRow] = {}
    for participant in registry.case_participant_list(actor=actor, case=case):
        link = participant.link
        row = people.get(link.person_id)
        if row is None:
            found = carried.get((case.pk, link.person_id), frozenset())
            row = PreviewRow(
                person_id=link.person_id,
                name=participant.name,
                roles=[],
                scopes=[str(labels[s]) for s in ConsentScope.values if s in found],
            )
            people[link.person_id] = row
        row.roles.append(str(link.get_role_display()))
    return chosen, list(people.values())


def share_people(*, actor: Actor, case: Case, organisation_id: Any) -> list[Any]:
    """People a share of ``case`` could name at ``organisation_id`` (an active member
    organisation other than the case's own); empty when that is no such organisation."""
    policy.require(actor, Action.SHARE, case)
    pk = _uuid(organisation_id)
    if pk is None or not registry.share_recipient_list(actor=actor, case=case).filter(pk=pk):
        return []
    return list(policy.restricted_share_recipients(pk))


# What the registry's pages show of consent (registered with ``registry.hooks`` in apps.py).


def person_consents(actor: Actor, person_ids: Any) -> list[Consent]:
    """Consents of these persons the actor may see, newest first (a person's page)."""
    return list(consent_list(actor=actor, person_ids=person_ids))


def case_shares(actor: Actor, case: Case) -> list[CaseShare]:
    """Shares of a case the actor may see, newest first (a case's page)."""
    qs = policy.scope(actor, CaseShare.objects.filter(case=case), Action.VIEW)
    qs = qs.select_related("organisation", "consent__person").prefetch_related("recipients")
    return list(qs.order_by("-created_at"))


def case_timeline_items(
    actor: Actor, case: Case, person_ids: Any, show_names: bool
) -> list[registry.TimelineItem]:
    """The case timeline's lines for consents given and withdrawn (of the case's persons) and
    shares started and stopped; a person's name only where what the actor may see of her in
    this case covers identity (``policy.case_person_scopes``: her own consent, docs/sharing.md),
    whatever ``show_names`` says of the case as a whole."""
    from django.utils.translation import gettext as _

    day = registry.timeline_day
    items: list[registry.TimelineItem] = []
    consents = list(consent_list(actor=actor, person_ids=person_ids))
    per_person = policy.case_person_scopes(actor, case) if consents else {}
    for c in consents:
        named = "identity" in per_person.get(c.person_id, frozenset())
        who = c.person.display_name if named else _("a person in the case")
        items.append(
            registry.TimelineItem(
                "consent", c.given_on, c.created_at, _("Consent recorded"), who, c
            )
        )
        if c.withdrawn_on:
            items.append(
                registry.TimelineItem(
                    "consent_withdrawn",
                    c.withdrawn_on,
                    c.updated_at,
                    _("Consent withdrawn"),
                    who,
                    c,
                )
            )
    shares = policy.scope(actor, CaseShare.objects.filter(case=case), Action.VIEW)
    for sh in shares.select_related("organisation"):
        org = str(sh.organisation)
        items.append(
            registry.TimelineItem("share", day(sh.created_at), sh.created_at, _("Shared"), org, sh)
        )
        if sh.revoked_at:
            items.append(
                registry.TimelineItem(
                    "unshare", day(sh.revoked_at), sh.revoked_at, _("Sharing stopped"), org, sh
                )
            )
    return items


def consent_records_of_person(actor: Actor, person_id: Any) -> dict[str, set[str]]:
    """Ids of one person's consents, for the report of who accessed her records.

    The registry's finder checks that the actor may export the person (her organisation's
    admins) and refuses otherwise; this only names which consent rows are hers.
    """
    try:
        pk = uuid.UUID(str(person_id))
    except ValueError:
        return {}
    ids = Consent.objects.filter(person_id=pk).values_list("pk", flat=True)
    return {"consent.consent": {str(i) for i in ids}}
