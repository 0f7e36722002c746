"""Factories for matching tests: two organisations holding variant records of one girl.

The default member is an ordinary caseworker. ``missing_girl`` and ``rescued_girl`` are the
same fictional person recorded in West Bengal (missing) and Maharashtra (rescued) under a
variant spelling; ``sister`` shares her family and village but not her name or age.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from setu.access.actor import actor_for_user
from setu.consent.models import ConsentScope
from setu.orgs.models import District, Role, State
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory
from setu.registry.models import EventKind
from setu.registry.tests.factories import (
    AddressFactory,
    CaseFactory,
    CasePersonFactory,
    ConsentFactory,
    EventFactory,
    PersonFactory,
    PhoneFactory,
)


def place(district_name: str) -> tuple[District | None, State | None]:
    district = District.objects.select_related("state").filter(name=district_name).first()
    return district, (district.state if district else None)


def consent_matching(person: Any, **kwargs: Any) -> Any:
    """A network-wide consent to matching (and statistics)."""
    return ConsentFactory(
        person=person, scopes=[ConsentScope.MATCHING, ConsentScope.STATISTICS], **kwargs
    )


def person_in_case(org: Any, *, role: str = "victim", **fields: Any) -> tuple[Any, Any]:
    """A person of ``org`` connected to a new case of ``org``."""
    case = CaseFactory(owner_org=org)
    link = CasePersonFactory(
        case=case,
        person__owner_org=org,
        role=role,
        **{f"person__{k}": v for k, v in fields.items()},
    )
    return link.person, case


@dataclass
class Network:
    """Two organisations with a designated reviewer each, and an unrelated third."""

    source: Any
    dest: Any
    third: Any
    source_contact: Any
    dest_contact: Any
    third_member: Any

    def actor(self, who: str) -> Any:
        return actor_for_user(getattr(self, who).user)


def network() -> Network:
    source = OrganisationFactory(name="Padma Source NGO", phone="03482 250 100")
    dest = OrganisationFactory(name="Sagar Destination Trust", phone="022 2300 4000")
    third = OrganisationFactory(name="Unrelated Legal Aid")
    sc = MembershipFactory(
        organisation=source, is_designated_contact=True, user__first_name="Anita"
    )
    dc = MembershipFactory(organisation=dest, role=Role.ORG_ADMIN, user__first_name="Meera")
    tm = MembershipFactory(organisation=third)
    return Network(source, dest, third, sc, dc, tm)


def missing_girl(
    org: Any, *, reported: datetime.date = datetime.date(2024, 3, 2)
) -> tuple[Any, Any]:
    """Rupa Khatun, 16, reported missing in Murshidabad."""
    person, case = person_in_case(
        org,
        role="missing",
        given_name="Rupa",
        family_name="Khatun",
        estimated_age=16,
        age_estimated_on=reported,
        father_name="Abdul Sheikh",
        mother_name="Amina Bibi",
    )
    district, state = place("Murshidabad")
    AddressFactory(person=person, village="Jalangi", district=district, state=state)
    PhoneFactory(person=person, number="+919732012345")
    EventFactory(case=case, person=person, kind=EventKind.MISSING_REPORTED, occurred_on=reported,
                 place="Jalangi", district=district, state=state)  # fmt: skip
    return person, case


def rescued_girl(
    org: Any, *, rescued: datetime.date = datetime.date(2024, 8, 20)
) -> tuple[Any, Any]:
    """Roopa Khatoon, 17, rescued in Mumbai; says she is from Murshidabad."""
    person, case = person_in_case(
        org,
        given_name="Roopa",
        family_name="Khatoon",
        estimated_age=17,
        age_estimated_on=rescued,
        father_name="Abdul Shaikh",
    )
    district, state = place("Murshidabad")
    AddressFactory(person=person, village="Jalangee", district=district, state=state)
    mumbai, maharashtra = place("Mumbai")
    EventFactory(case=case, person=person, kind=EventKind.RESCUE, occurred_on=rescued,
                 place="Kamathipura", district=mumbai, state=maharashtra)  # fmt: skip
    return person, case


def sister(org: Any) -> tuple[Any, Any]:
    """Salma Khatun, 12: same parents, village and phone; a different girl."""
    person, case = person_in_case(
        org,
        given_name="Salma",
        family_name="Khatun",
        estimated_age=12,
        age_estimated_on=datetime.date(2024, 3, 2),
        father_name="Abdul Sheikh",
        mother_name="Amina Bibi",
    )
    district, state = place("Murshidabad")
    AddressFactory(person=person, village="Jalangi", district=district, state=state)
    PhoneFactory(person=person, number="+919732012345")
    return person, case


def pair_between(person_1: Any, person_2: Any, **fields: Any) -> Any:
    """A stored pair of two persons (side A = smaller id), open and strong unless told."""
    from setu.matching.models import MatchPair, PairKind

    a, b = sorted((person_1, person_2), key=lambda p: str(p.pk))
    kind = PairKind.DUPLICATE if a.owner_org_id == b.owner_org_id else PairKind.CROSS_ORG
    values = {"probability": 0.97, "band": "strong", "kind": kind, **fields}
    return MatchPair.objects.create(
        person_a=a, person_b=b, org_a_id=a.owner_org_id, org_b_id=b.owner_org_id, **values
    )


def persona_pair(p: Any, **fields: Any) -> Any:
    """A pair between the personas' survivor (own org) and a partner-org person."""
    other = PersonFactory(owner_org=p.partner_org, given_name="Rupa", family_name="Khatun")
    return pair_between(p.person, other, **fields)


def persona_alert(p: Any) -> Any:
    """A re-trafficking alert to the personas' own organisation about its survivor."""
    from setu.matching.models import AlertKind, MatchAlert

    return MatchAlert.objects.create(
        organisation=p.own_org, person=p.person, kind=AlertKind.RETRAFFICKING,
        event_kind=EventKind.RESCUE, event_date=datetime.date(2025, 1, 5),
    )  # fmt: skip
