"""Demo intelligence: one invented trafficking network whose recruiter, transporter, placement
agency, phones, UPI ID, vehicle and Instagram handle turn up in four organisations' cases in
three states. The source NGO in Murshidabad and the destination NGO in Mumbai have a live
intelligence-sharing agreement; the NGOs in Pune and Delhi are outside it, so they learn only
that the other organisations hold the same values and whom to ask.

Runs inside ``setu.referrals.demo.load_network_demo`` after the legal demo. Rows are shaped as
the services leave them (normalised values, the cross-reference index and its links, notices),
without an audit entry each (the demo loader audits the whole load once).
Every name, number, handle and registration here is invented; the GSTIN carries a valid check
character only so that the normaliser accepts it.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from setu.access import policy
from setu.access.actor import actor_for_user
from setu.intel import identifiers, services
from setu.intel.models import Identifier, Perpetrator, SharingAgreement
from setu.orgs.models import Membership
from setu.registry.models import Case, CasePerson, CaseRole

D = datetime.timedelta(days=1)
# Demo organisations by their accounts' prefix: the first two share an agreement.
PREFERRED = ("murshidabad-ngo", "mumbai-ngo", "pune-ngo", "delhi-ngo")

# The network: (who, role, aliases, which of the four organisations know them).
MEMBERS = [
    ("Salim Khan", "recruiter", ["Sallu Bhai", "Salim Bhai"], (0, 1, 3)),
    ("Rekha Das", "harbourer", ["Rekha Didi"], (1, 2)),
    ("Munna Sheikh", "transporter", [], (0, 2)),
]
AGENCY = ("Shree Balaji Placement Services", (1, 2, 3))
# (kind, as written in each organisation, owner (member name or agency), which organisations)
MEANS = [
    ("phone", ["+91 98300 45671", "098300-45671", "9830045671"], "Salim Khan", (0, 1, 3)),
    ("phone", ["90070 22334", "+91-90070-22334"], "Rekha Das", (1, 2)),
    ("phone", ["+91 77970 11890", "077970 11890"], "Munna Sheikh", (0, 2)),
    (
        "upi",
        ["balaji.placement@okaxis", "Balaji.Placement@OKAXIS", "balaji.placement@okaxis"],
        AGENCY[0],
        (1, 2, 3),
    ),
    ("vehicle", ["WB 26 F 3456", "wb26f3456"], "Munna Sheikh", (0, 2)),
    (
        "handle",
        ["@Mumbai.Jobs.Urgent", "https://www.instagram.com/mumbai.jobs.urgent/"],
        "Salim Khan",
        (1, 3),
    ),
    (
        "url",
        [
            "http://www.balajiplacements.example/jobs/?utm_source=fb&fbclid=abc",
            "balajiplacements.example/jobs",
        ],
        AGENCY[0],
        (2, 3),
    ),
]
SOURCES = ("survivor", "phone_seizure", "fir", "bank_records", "family", "open_source")


def _gstin() -> str:
    first14 = "07AAECB4821K1Z"  # Delhi; an invented PAN
    return first14 + identifiers.gstin_check_character(first14)


def _writer(org_id: Any) -> Any:
    """Who records the organisation's intelligence in the demo: the person other organisations
    are told to ask (its designated contact, police liaison or legal officer, else its admin)."""
    user = policy.intel_contacts(org_id).first()
    return actor_for_user(user) if user else None


def _admin(org_id: Any) -> Any:
    user = policy.intel_admins(org_id).order_by("username").first()
    return actor_for_user(user) if user else None


def _organisations() -> list[Any]:
    """Four organisations with an open survivor's case, the demo's named ones first, then
    others spreading over as many states as possible."""
    chosen: list[Any] = []
    for prefix in PREFERRED:
        m = Membership.objects.filter(user__username__startswith=f"{prefix}.").first()
        if m and m.organisation_id not in chosen:
            chosen.append(m.organisation_id)
    if len(chosen) < 4:
        states: set[Any] = set()
        owners = (
            Case.objects.filter(is_restricted=False, archived_at__isnull=True)
            .values_list("owner_org_id", "owner_org__base_district__state_id")
            .distinct()
            .order_by("owner_org_id")
        )
        rows = list(owners)
        for prefer_new_state in (True, False):
            for org_id, state in rows:
                if len(chosen) >= 4 or org_id in chosen:
                    continue
                if prefer_new_state and state in states:
                    continue
                chosen.append(org_id)
                states.add(state)
    return chosen[:4]


def _case_of(org_id: Any) -> Case | None:
    """The organisation's oldest open, unrestricted case of a survivor."""
    link = (
        CasePerson.objects.filter(
            role=CaseRole.VICTIM,
            case__owner_org_id=org_id,
            case__is_restricted=False,
            case__archived_at__isnull=True,
        )
        .select_related("case")
        .order_by("case__opened_on", "case__reference")
        .first()
    )
    return link.case if link else None


def _perpetrator(writer: Any, case: Case, **fields: Any) -> Perpetrator:
    p = Perpetrator(case=case, owner_org_id=case.owner_org_id, recorded_by=writer.user, **fields)
    p.full_clean()
    p.save()
    services._index_perpetrator(p)
    return p


def _identifier(writer: Any, case: Case, kind: str, raw: str, **fields: Any) -> Identifier:
    platform = fields.pop("platform", "")
    i = Identifier(
        case=case,
        owner_org_id=case.owner_org_id,
        kind=kind,
        raw=raw,
        value=identifiers.normalise(kind, raw, platform=platform),
        recorded_by=writer.user,
        **fields,
    )
    i.full_clean()
    i.save()
    services._index_identifier(i)
    return i


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """The network above, the agreement between the first two organisations; returns counts.

    Rows are written as the services would leave them (values normalised, the index and its
    links kept, both sides' contacts notified) but without one audit entry each: the demo
    loader records the whole load in one entry."""
    today = timezone.localdate(now)
    orgs = _organisations()
    cases = [_case_of(o) for o in orgs]
    writers = [_writer(o) for o in orgs]
    if len(orgs) < 4 or None in cases or None in writers:
        return {"intel_skipped": 1}
    perpetrators: dict[tuple[int, str], Any] = {}
    counts = {"intel_perpetrators": 0, "intel_identifiers": 0}
    for name, role, aliases, where in MEMBERS:
        for i in where:
            perpetrators[(i, name)] = _perpetrator(
                writers[i],
                cases[i],
                name=name,
                role=role,
                source=rng.choice(SOURCES[:3]),
                aliases=aliases[: 1 + (i % 2)],
            )
            counts["intel_perpetrators"] += 1
    agency_name, agency_where = AGENCY
    for n, i in enumerate(agency_where):
        agency = _perpetrator(
            writers[i],
            cases[i],
            kind="organisation",
            name=agency_name,
            role="placement_agent",
            source="fir" if n == 0 else "survivor",
            note="Promised domestic work in Delhi and Mumbai; took an advance by UPI.",
        )
        perpetrators[(i, agency_name)] = agency
        counts["intel_perpetrators"] += 1
        numbers = {0: ("gstin", _gstin()), 1: ("registration", "DL/PA/2024/0173")}
        if n in numbers:
            kind, raw = numbers[n]
            _identifier(writers[i], cases[i], kind, raw, perpetrator=agency, source="fir")
            counts["intel_identifiers"] += 1
    for kind, written, owner, where in MEANS:
        for n, i in enumerate(where):
            raw = written[n % len(written)]
            first_seen = today - rng.randint(200, 500) * D
            _identifier(
                writers[i],
                cases[i],
                kind,
                raw,
                platform="instagram" if kind == "handle" and "://" not in raw else "",
                perpetrator=perpetrators.get((i, owner)),
                source=rng.choice(SOURCES),
                first_seen=first_seen,
                last_seen=first_seen + rng.randint(5, 150) * D,
            )
            counts["intel_identifiers"] += 1
    proposer, partner = _admin(orgs[0]), _admin(orgs[1])
    if proposer and partner:
        SharingAgreement.objects.create(
            proposer_org_id=orgs[0],
            partner_org_id=orgs[1],
            starts_on=today - 30 * D,
            ends_on=today + 335 * D,
            purpose="Joint work on the Murshidabad-Mumbai placement racket",
            proposed_by=proposer.user,
            accepted_by=partner.user,
            accepted_at=now - 29 * D,
        )
        counts["intel_agreements"] = 1
    return counts
