"""Reads of the intel context through the access policy: a case's intelligence, the
cross-references with other organisations, search by identifier, the network graph, counts and
agreements. Every read of intelligence is audited; values never enter the audit trail."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core.errors import NotFound
from setu.intel import services
from setu.intel.models import (
    NAME_KIND,
    Identifier,
    IdentifierKind,
    IntelKey,
    IntelLink,
    Perpetrator,
    SharingAgreement,
)

# A graph never grows past this many nodes: a value known in hundreds of cases (a bus
# company's phone) would otherwise drown the picture.
GRAPH_NODE_CAP = 300
GRAPH_CASES_PER_VALUE = 25


def require_reader(*, actor: Actor) -> None:
    """Refuse (audited) an actor whose role reads no intelligence."""
    policy.require_allowed(actor, Action.VIEW, "intel.perpetrator")


def can_write(*, actor: Actor, case: Any) -> bool:
    """Whether the actor records intelligence on this case (own organisation's intel roles)."""
    return (
        policy.allowed(actor, Action.CREATE, "intel.perpetrator")
        and case.owner_org_id == actor.organisation_id
    )


def case_for_intel(*, actor: Actor, case_id: Any) -> Any:
    """The case (through the registry's selector, which audits the read)."""
    from setu.registry import selectors as registry

    return registry.case_get(actor=actor, case_id=case_id)


@dataclass
class CaseIntel:
    """A case's perpetrators (each with its identifiers) and identifiers of no one known."""

    perpetrators: list[Perpetrator]
    unattached: list[Identifier]
    links: dict[Any, list[Any]] = field(default_factory=dict)


def _items(actor: Actor, case_ids: list[Any]) -> tuple[list[Perpetrator], list[Identifier]]:
    perpetrators = list(
        policy.scope(actor, Perpetrator.objects.filter(case_id__in=case_ids), Action.VIEW)
        .select_related("owner_org", "recorded_by")
        .order_by("name")
    )
    found = list(
        policy.scope(actor, Identifier.objects.filter(case_id__in=case_ids), Action.VIEW)
        .select_related("recorded_by")
        .order_by("kind", "value")
    )
    return perpetrators, found


def _group(perpetrators: list[Perpetrator], found: list[Identifier]) -> CaseIntel:
    by_owner: dict[Any, list[Identifier]] = defaultdict(list)
    for identifier in found:
        by_owner[identifier.perpetrator_id].append(identifier)
    for perpetrator in perpetrators:
        perpetrator.identifier_list = by_owner.pop(perpetrator.pk, [])  # type: ignore[attr-defined]
    unattached = [i for rows in by_owner.values() for i in rows]
    return CaseIntel(perpetrators=perpetrators, unattached=unattached)


def case_intel(*, actor: Actor, case: Any) -> CaseIntel:
    """The intelligence of one of the actor's organisation's cases, with the other
    organisations that hold each item too; audited as a read of the case's intelligence.
    Another organisation's case is read only through the cross-references."""
    require_reader(actor=actor)
    if case.owner_org_id != actor.organisation_id:
        raise NotFound(action=Action.VIEW, target=("intel.case", str(case.pk), case.owner_org_id))
    perpetrators, found = _items(actor, [case.pk])
    intel = _group(perpetrators, found)
    intel.links = _known_elsewhere(actor, case_ids=[case.pk])
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=("intel.case", str(case.pk), case.owner_org_id),
        details={"perpetrators": len(perpetrators), "identifiers": len(found)},
    )
    return intel


def _known_elsewhere(actor: Actor, *, case_ids: list[Any]) -> dict[Any, list[Any]]:
    """Per identifier or perpetrator id of these cases: the other organisations holding it."""
    from setu.orgs import selectors as orgs

    links = policy.scope(
        actor,
        IntelLink.objects.filter(Q(key_a__case_id__in=case_ids) | Q(key_b__case_id__in=case_ids)),
        Action.VIEW,
    ).select_related("key_a", "key_b")
    found: dict[Any, set[Any]] = defaultdict(set)
    for link in links:
        for mine, other in ((link.key_a, link.key_b), (link.key_b, link.key_a)):
            if mine.case_id in case_ids:
                found[mine.identifier_id or mine.perpetrator_id].add(other.owner_org_id)
    names = orgs.organisations_by_id(ids={o for orgs_ in found.values() for o in orgs_})
    return {
        item: sorted((names[o] for o in ids), key=lambda o: o.name) for item, ids in found.items()
    }


def perpetrator_get(
    *, actor: Actor, perpetrator_id: Any, action: Action = Action.VIEW
) -> Perpetrator:
    """One perpetrator (``action=EDIT`` to change or remove it)."""
    return _get(Perpetrator, actor, perpetrator_id, action)


def identifier_get(*, actor: Actor, identifier_id: Any, action: Action = Action.VIEW) -> Identifier:
    """One identifier (``action=EDIT`` to change or remove it)."""
    return _get(Identifier, actor, identifier_id, action)


def _get(model: type[Any], actor: Actor, pk: Any, action: Action) -> Any:
    obj = (
        policy.scope(actor, model.objects.all(), Action.VIEW)
        .select_related("case", "owner_org")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise NotFound(action=action, target=(model._meta.label_lower, str(pk), None))
    if action != Action.VIEW:
        policy.require(actor, action, obj)
    else:
        audit.record(actor=actor, action=AuditAction.VIEW, target=obj)
    return obj


def perpetrator_choices(*, actor: Actor, case: Any) -> list[tuple[str, str]]:
    """The case's perpetrators, for the identifier form's "whose" field."""
    rows = policy.scope(actor, Perpetrator.objects.filter(case_id=case.pk), Action.EDIT)
    return [(str(p.pk), p.name) for p in rows.order_by("name")]


# --- Cross-references ---------------------------------------------------------------------------


@dataclass
class Holder:
    """Another organisation that holds a value too: whom to ask, and (under a live agreement,
    for police liaisons and legal officers) what it holds about it."""

    organisation: Any
    contacts: list[Any]
    case_id: Any
    detail: CaseIntel | None = None


@dataclass
class CrossRef:
    """One value of the actor's organisation's cases that other organisations hold too."""

    kind: str
    kind_label: str
    own_case_id: Any
    own_case_reference: str
    own_item: Any
    holders: list[Holder]
    first_linked: datetime.datetime | None = None


def _kind_label(kind: str) -> str:
    return _("Name") if kind == NAME_KIND else str(IdentifierKind(kind).label)


def _contacts(org_ids: set[Any]) -> dict[Any, list[Any]]:
    return {org_id: list(policy.intel_contacts(org_id)[:3]) for org_id in org_ids}


def _details(actor: Actor, case_ids: set[Any]) -> dict[Any, CaseIntel]:
    """The intelligence of other organisations' cases the actor may read (agreed partners'),
    each read audited against the case's organisation."""
    readable = set(
        policy.scope(actor, IntelKey.objects.filter(case_id__in=case_ids), Action.VIEW)
        .values_list("case_id", flat=True)
        .distinct()
    )
    out: dict[Any, CaseIntel] = {}
    if not readable:
        return out
    perpetrators, found = _items(actor, sorted(readable, key=str))
    owners: dict[Any, Any] = {}
    for case_id in readable:
        mine_p = [p for p in perpetrators if p.case_id == case_id]
        mine_i = [i for i in found if i.case_id == case_id]
        out[case_id] = _group(mine_p, mine_i)
        owners[case_id] = (mine_p or mine_i or [None])[0]
    for case_id, item in owners.items():
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            target=("intel.case", str(case_id), getattr(item, "owner_org_id", None)),
            details={"via": "cross_reference"},
        )
    return out


def crossref_list(*, actor: Actor) -> list[CrossRef]:
    """Values of the actor's organisation's cases also held by other organisations: for each,
    who holds it and whom to ask; details only where an agreement opens them. Audited."""
    from setu.orgs import selectors as orgs
    from setu.registry import selectors as registry

    require_reader(actor=actor)
    links = list(
        policy.scope(actor, IntelLink.objects.all(), Action.VIEW)
        .select_related("key_a", "key_b")
        .order_by("-created_at")[:500]
    )
    own_cases = set(
        policy.scope(
            actor,
            IntelKey.objects.filter(
                case_id__in={k.case_id for link in links for k in (link.key_a, link.key_b)}
            ),
            Action.VIEW,
        )
        .filter(owner_org_id=actor.organisation_id)
        .values_list("case_id", flat=True)
    )
    grouped: dict[tuple[Any, Any], list[tuple[IntelKey, IntelLink]]] = defaultdict(list)
    for link in links:
        for mine, other in ((link.key_a, link.key_b), (link.key_b, link.key_a)):
            if mine.case_id in own_cases and other.owner_org_id != actor.organisation_id:
                grouped[(mine.pk, mine.case_id)].append((other, link))
    other_orgs = {o.owner_org_id for rows in grouped.values() for o, _l in rows}
    other_cases = {o.case_id for rows in grouped.values() for o, _l in rows}
    names = orgs.organisations_by_id(ids=other_orgs)
    contacts = _contacts(other_orgs)
    details = _details(actor, other_cases)
    own_keys = {
        k.pk: k
        for k in IntelKey.objects.filter(pk__in=[pk for pk, _c in grouped]).select_related(
            "identifier", "perpetrator"
        )
    }
    references = registry.case_references(actor=actor, ids={c for _k, c in grouped})
    out: list[CrossRef] = []
    for (key_pk, case_id), rows in grouped.items():
        key = own_keys[key_pk]
        holders: dict[Any, Holder] = {}
        for other, _link in rows:
            holders.setdefault(
                other.case_id,
                Holder(
                    organisation=names[other.owner_org_id],
                    contacts=contacts[other.owner_org_id],
                    case_id=other.case_id,
                    detail=details.get(other.case_id),
                ),
            )
        out.append(
            CrossRef(
                kind=key.kind,
                kind_label=_kind_label(key.kind),
                own_case_id=case_id,
                own_case_reference=references.get(str(case_id), ""),
                own_item=key.identifier or key.perpetrator,
                holders=sorted(holders.values(), key=lambda h: h.organisation.name),
                first_linked=min(link.created_at for _o, link in rows),
            )
        )
    audit.record(
        actor=actor,
        action=AuditAction.LIST,
        target=("intel.intellink", "", actor.organisation_id),
        details={"cross_references": len(out), "with_details": len(details)},
    )
    return out


# --- Search by identifier ---------------------------------------------------------------------


@dataclass
class SearchResult:
    """What a search found: the actor's own cases holding the value (with their intelligence),
    readable partners' cases (details), and other holders (whom to ask only)."""

    kind: str
    own: list[tuple[Any, str, CaseIntel]]
    holders: list[Holder]


def identifier_search(*, actor: Actor, kind: str, raw: str, platform: str = "") -> SearchResult:
    """Where a value is held: normalised as the index holds it (bad input is ``InvalidInput``).
    Audited with the kind and what was found, never the value searched."""
    from setu.orgs import selectors as orgs
    from setu.registry import selectors as registry

    require_reader(actor=actor)
    value = services.canonical(kind, raw, platform=platform)
    if kind == NAME_KIND and len(value.split()) < services.MIN_NAME_WORDS:
        from setu.core.errors import InvalidInput

        raise InvalidInput({"raw": [_("Search a name of at least two words.")]})
    keys = list(
        IntelKey.objects.filter(kind=kind, value=value).values_list("case_id", "owner_org_id")
    )
    own_cases = set(
        policy.scope(actor, IntelKey.objects.filter(kind=kind, value=value), Action.VIEW)
        .filter(owner_org_id=actor.organisation_id)
        .values_list("case_id", flat=True)
    )
    other = {(c, o) for c, o in keys if o != actor.organisation_id}
    own_detail = _details_own(actor, own_cases)
    details = _details(actor, {c for c, _o in other})
    names = orgs.organisations_by_id(ids={o for _c, o in other})
    contacts = _contacts({o for _c, o in other})
    holders = [
        Holder(organisation=names[o], contacts=contacts[o], case_id=c, detail=details.get(c))
        for c, o in sorted(other, key=lambda pair: (names[pair[1]].name, str(pair[0])))
    ]
    audit.record(
        actor=actor,
        action=AuditAction.LIST,
        target=("intel.search", "", actor.organisation_id),
        details={"kind": kind, "own_cases": len(own_cases), "other_holders": len(holders)},
    )
    references = registry.case_references(actor=actor, ids=own_cases)
    own = sorted(
        ((c, references.get(str(c), ""), intel) for c, intel in own_detail.items()),
        key=lambda row: row[1],
    )
    return SearchResult(kind=kind, own=own, holders=holders)


def _details_own(actor: Actor, case_ids: set[Any]) -> dict[Any, CaseIntel]:
    if not case_ids:
        return {}
    perpetrators, found = _items(actor, sorted(case_ids, key=str))
    return {
        c: _group([p for p in perpetrators if p.case_id == c], [i for i in found if i.case_id == c])
        for c in case_ids
    }


def lookup_holders(*, kind: str, value: str) -> list[tuple[Any, Any]]:
    """(case id, organisation id) of every row holding a canonical value: the index lookup
    that alerts and searches make (no actor: the caller decides what to show)."""
    return list(
        IntelKey.objects.filter(kind=kind, value=value).values_list("case_id", "owner_org_id")
    )


# --- The network graph ----------------------------------------------------------------------------


@dataclass
class Graph:
    """Nodes (cases, perpetrators, values) and edges within two hops of a case."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool = False


def network_graph(
    *,
    actor: Actor,
    case: Any,
    kinds: list[str] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Graph:
    """The case, its perpetrators and values (hop one), and the other cases holding those values
    (hop two). A case the actor may not read appears only as "held by <organisation>".
    Filters: kinds of value, and the period in which values were recorded. Audited."""
    from setu.orgs import selectors as orgs
    from setu.registry import selectors as registry

    require_reader(actor=actor)
    own_keys = policy.scope(actor, IntelKey.objects.filter(case_id=case.pk), Action.VIEW)
    if case.owner_org_id != actor.organisation_id and not own_keys.exists():
        raise NotFound(action=Action.VIEW, target=("intel.case", str(case.pk), case.owner_org_id))
    if kinds:
        own_keys = own_keys.filter(kind__in=kinds)
    if since:
        own_keys = own_keys.filter(created_at__date__gte=since)
    if until:
        own_keys = own_keys.filter(created_at__date__lte=until)
    keys = list(own_keys.select_related("identifier"))
    nodes: dict[str, dict[str, Any]] = {}
    edges: set[tuple[str, str]] = set()
    case_node = f"case:{case.pk}"
    nodes[case_node] = {"id": case_node, "type": "case", "label": case.reference, "hop": 0}
    perpetrators = {
        p.pk: p
        for p in policy.scope(actor, Perpetrator.objects.filter(case_id=case.pk), Action.VIEW)
    }
    for p in perpetrators.values():
        node = f"person:{p.pk}"
        nodes[node] = {
            "id": node,
            "type": "person",
            "label": p.name,
            "role": p.get_role_display(),
            "hop": 1,
        }
        edges.add((case_node, node))
    value_nodes: dict[tuple[str, str], str] = {}
    for key in keys:
        node = f"value:{key.pk}"
        pair = (key.kind, key.value)
        if pair in value_nodes:
            node = value_nodes[pair]
        else:
            value_nodes[pair] = node
            nodes[node] = {
                "id": node,
                "type": "value",
                "kind": key.kind,
                "kind_label": _kind_label(key.kind),
                "label": key.value if key.kind != NAME_KIND else key.value.title(),
                "hop": 1,
            }
        owner = key.perpetrator_id or (key.identifier.perpetrator_id if key.identifier else None)
        edges.add((f"person:{owner}" if owner in perpetrators else case_node, node))
    truncated = False
    if value_nodes:
        condition = Q()
        for kind, value in value_nodes:
            condition |= Q(kind=kind, value=value)
        others = list(
            IntelKey.objects.filter(condition)
            .exclude(case_id=case.pk)
            .values_list("kind", "value", "case_id", "owner_org_id")[: GRAPH_NODE_CAP * 4]
        )
        readable = set(
            policy.scope(
                actor, IntelKey.objects.filter(case_id__in={o[2] for o in others}), Action.VIEW
            ).values_list("case_id", flat=True)
        )
        names = orgs.organisations_by_id(ids={o[3] for o in others})
        references = registry.case_references(
            actor=actor, ids={c for _k, _v, c, o in others if o == actor.organisation_id}
        )
        per_value: dict[str, int] = defaultdict(int)
        for kind, value, other_case, org_id in others:
            source = value_nodes[(kind, value)]
            if per_value[source] >= GRAPH_CASES_PER_VALUE or len(nodes) >= GRAPH_NODE_CAP:
                truncated = True
                continue
            per_value[source] += 1
            node = f"case:{other_case}"
            if node not in nodes:
                if other_case in readable:
                    label = references.get(str(other_case)) or _("Case of %(organisation)s") % {
                        "organisation": names[org_id].name
                    }
                    nodes[node] = {"id": node, "type": "case", "label": label, "hop": 2}
                else:
                    nodes[node] = {
                        "id": node,
                        "type": "held",
                        "label": _("Held by %(organisation)s")
                        % {"organisation": names[org_id].name},
                        "hop": 2,
                    }
                nodes[node]["organisation"] = names[org_id].name
            edges.add((source, node))
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=("intel.case", str(case.pk), case.owner_org_id),
        details={"graph_nodes": len(nodes), "kinds": sorted(kinds or []), "truncated": truncated},
    )
    return Graph(
        nodes=list(nodes.values()),
        edges=[{"source": a, "target": b} for a, b in sorted(edges)],
        truncated=truncated,
    )


# --- Counts -----------------------------------------------------------------------------------


@dataclass
class IntelCounts:
    """Counts of the organisation's intelligence: no names, no values, no cases."""

    perpetrators: int
    identifiers_by_kind: list[tuple[str, int]]
    cross_references: int
    organisations_linked: int
    identifiers_by_code: dict[str, int] = field(default_factory=dict)


def intel_counts(*, actor: Actor) -> IntelCounts:
    """How much intelligence the actor's organisation holds, and how much of it other
    organisations hold too; for analysts (and admins and coordinators). Audited."""
    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "intel.counts")
    perpetrators = policy.scope(actor, Perpetrator.objects.all(), Action.VIEW_AGGREGATES).count()
    by_kind = dict(
        policy.scope(actor, Identifier.objects.all(), Action.VIEW_AGGREGATES)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    links = policy.scope(actor, IntelLink.objects.all(), Action.VIEW_AGGREGATES)
    others = {
        b if a == actor.organisation_id else a for a, b in links.values_list("org_a_id", "org_b_id")
    }
    audit.record(
        actor=actor,
        action=AuditAction.LIST,
        target=("intel.counts", "", actor.organisation_id),
    )
    return IntelCounts(
        perpetrators=perpetrators,
        identifiers_by_kind=[
            (str(label), by_kind.get(kind, 0)) for kind, label in IdentifierKind.choices
        ],
        cross_references=links.count(),
        organisations_linked=len(others),
        identifiers_by_code={kind: by_kind.get(kind, 0) for kind in IdentifierKind.values},
    )


# --- Agreements ---------------------------------------------------------------------------------


def agreement_list(*, actor: Actor) -> QuerySet[SharingAgreement]:
    """The agreements of the actor's organisation, newest first."""
    policy.require_allowed(actor, Action.VIEW, "intel.sharingagreement")
    return (
        policy.scope(actor, SharingAgreement.objects.all(), Action.VIEW)
        .select_related("proposer_org", "partner_org", "proposed_by", "accepted_by", "withdrawn_by")
        .order_by("-created_at")
    )


def agreement_get(
    *, actor: Actor, agreement_id: Any, action: Action = Action.VIEW
) -> SharingAgreement:
    """One agreement (``EDIT`` to withdraw, ``RESPOND`` to accept)."""
    agreement = (
        policy.scope(actor, SharingAgreement.objects.all(), Action.VIEW)
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise NotFound(action=action, target=("intel.sharingagreement", str(agreement_id), None))
    if action != Action.VIEW:
        policy.require(actor, action, agreement)
    return agreement


def agreement_state(agreement: SharingAgreement) -> str:
    """proposed, live, scheduled (accepted, not started), ended or withdrawn."""
    today = timezone.localdate()
    if agreement.withdrawn_at:
        return "withdrawn"
    if not agreement.accepted_at:
        return "proposed" if agreement.ends_on >= today else "ended"
    if agreement.ends_on < today:
        return "ended"
    return "scheduled" if agreement.starts_on > today else "live"


def can_manage_agreements(*, actor: Actor) -> bool:
    """Whether the actor proposes, accepts and withdraws agreements (an organisation admin)."""
    return policy.allowed(actor, Action.CREATE, "intel.sharingagreement")


def can_respond(*, actor: Actor, agreement: SharingAgreement) -> bool:
    return policy.can(actor, Action.RESPOND, agreement)


def can_withdraw(*, actor: Actor, agreement: SharingAgreement) -> bool:
    return agreement.withdrawn_at is None and policy.can(actor, Action.EDIT, agreement)


def partner_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """Other organisations of the network, by name, for proposing an agreement."""
    from setu.orgs import selectors as orgs

    return [
        (str(o.pk), orgs.organisation_label(o))
        for o in orgs.organisation_list(actor=actor).exclude(pk=actor.organisation_id)
    ]


def require_manager(*, actor: Actor) -> None:
    """Refuse (audited) an actor who may not propose agreements."""
    policy.require_allowed(actor, Action.CREATE, "intel.sharingagreement")


# --- Evidence for prosecution -------------------------------------------------------------------


def bundle_section(*, actor: Actor, case: Any) -> dict[str, Any]:
    """The case's intelligence with where each item came from, as the legal case bundle shows
    it (JSON-safe): perpetrators with their identifiers, then identifiers of no one known.
    Only for readers of the case's own organisation; audited as a read of its intelligence."""
    intel = case_intel(actor=actor, case=case)

    def identifier(i: Identifier) -> dict[str, Any]:
        return {
            "kind": i.get_kind_display(),
            "value": i.value,
            "as_written": i.raw,
            "source": i.get_source_display(),
            "first_seen": i.first_seen.isoformat() if i.first_seen else None,
            "last_seen": i.last_seen.isoformat() if i.last_seen else None,
            "recorded_by": i.recorded_by.get_full_name() or i.recorded_by.username
            if i.recorded_by
            else "",
            "recorded_on": timezone.localtime(i.created_at).date().isoformat(),
            "note": i.note,
        }

    return {
        "title": str(_("Intelligence")),
        "perpetrators": [
            {
                "name": p.name,
                "other_names": list(p.aliases or []),
                "kind": p.get_kind_display(),
                "role": p.get_role_display(),
                "source": p.get_source_display(),
                "recorded_by": p.recorded_by.get_full_name() or p.recorded_by.username
                if p.recorded_by
                else "",
                "recorded_on": timezone.localtime(p.created_at).date().isoformat(),
                "note": p.note,
                "identifiers": [identifier(i) for i in p.identifier_list],  # type: ignore[attr-defined]
            }
            for p in intel.perpetrators
        ],
        "identifiers_of_no_one_known": [identifier(i) for i in intel.unattached],
        "also_known_to": sorted({o.name for orgs_ in intel.links.values() for o in orgs_}),
    }


def legal_bundle_section(actor: Actor, case_id: Any) -> Any:
    """The case's intelligence as a section of the legal case bundle (``legal.hooks``): one
    row per perpetrator and identifier, dated, naming its source and who recorded it. Only for
    the case's own organisation's intel roles; anyone else (a partner through a legal share)
    gets nothing from intel."""
    from setu.legal.hooks import BundleRow, BundleSection
    from setu.registry import selectors as registry

    if not policy.allowed(actor, Action.VIEW, "intel.perpetrator"):
        return None
    case = registry.case_get_in_scope(actor=actor, case_id=case_id, action=Action.VIEW)
    if case.owner_org_id != actor.organisation_id:
        return None
    data = bundle_section(actor=actor, case=case)
    rows: list[Any] = []

    def source(item: dict[str, Any]) -> str:
        who = item["recorded_by"]
        return f"{item['source']} ({who})" if who else item["source"]

    def identifier_row(i: dict[str, Any], whose: str = "") -> Any:
        text = f"{i['kind']}: {i['value']}"
        if i["as_written"] != i["value"]:
            text += " " + _("(written %(raw)s)") % {"raw": i["as_written"]}
        if whose:
            text += " — " + whose
        day = i["first_seen"] or i["recorded_on"]
        return BundleRow(text=text, on=datetime.date.fromisoformat(day), source=source(i))

    for p in data["perpetrators"]:
        text = f"{p['name']} — {p['role']} ({p['kind']})"
        if p["other_names"]:
            text += "; " + _("other names: %(names)s") % {"names": ", ".join(p["other_names"])}
        on = datetime.date.fromisoformat(p["recorded_on"])
        rows.append(BundleRow(text=text, on=on, source=source(p)))
        rows.extend(identifier_row(i, p["name"]) for i in p["identifiers"])
    rows.extend(identifier_row(i) for i in data["identifiers_of_no_one_known"])
    if not rows:
        return None
    note = ""
    if data["also_known_to"]:
        note = _("Also known to: %(organisations)s.") % {
            "organisations": ", ".join(data["also_known_to"])
        }
    return BundleSection(title=str(_("Intelligence")), rows=tuple(rows), note=note)
