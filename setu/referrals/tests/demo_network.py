"""A small network built with factories, for the demo-data tests of the four network apps.

Six organisations (police, destination NGO, source NGO, a high-risk shelter home, legal aid, a
survivor collective) in real LGD districts of two states, their staff, and survivors' cases with
every kind of consent: network-wide, for the shelter only, statistics only (never referable),
withdrawn, expired. The shelter has residents admitted from its own cases.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from setu.consent.models import ConsentScope
from setu.orgs.models import District, Organisation, OrganisationType, Role
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory
from setu.registry.models import EventKind, Gender
from setu.registry.tests.factories import (
    CasePersonFactory,
    ConsentFactory,
    EventFactory,
)

ROLES = {
    OrganisationType.POLICE_AHTU: (Role.ORG_ADMIN, Role.CASEWORKER, Role.FIELD_OFFICER),
    OrganisationType.DESTINATION_NGO: (Role.ORG_ADMIN, Role.CASEWORKER, Role.COUNSELLOR),
    OrganisationType.SOURCE_NGO: (Role.ORG_ADMIN, Role.CASEWORKER),
    OrganisationType.SHELTER_HOME: (Role.ORG_ADMIN, Role.CASEWORKER, Role.SHELTER_MANAGER),
    OrganisationType.LEGAL_AID: (Role.ORG_ADMIN, Role.CASEWORKER, Role.LEGAL_OFFICER),
    OrganisationType.SURVIVOR_COLLECTIVE: (Role.ORG_ADMIN, Role.CASEWORKER),
}
FULL = [ConsentScope.IDENTITY, ConsentScope.CONTACT, ConsentScope.CASE_HISTORY,
        ConsentScope.HEALTH, ConsentScope.MATCHING]  # fmt: skip


@dataclass
class SmallNetwork:
    orgs: dict[str, Organisation]
    staff: dict[tuple[str, str], Any] = field(default_factory=dict)
    statistics_only: list[Any] = field(default_factory=list)  # consents never to be used
    withdrawn: list[Any] = field(default_factory=list)


def build(cases_per_org: int = 14) -> SmallNetwork:
    """Create the network; returns handles on what the tests check."""
    today = timezone.localdate()
    two_states = list(District.objects.order_by("state_id", "code").distinct())
    first = two_states[0]
    second = next(d for d in two_states if d.state_id != first.state_id)
    places = {
        OrganisationType.POLICE_AHTU: second,
        OrganisationType.DESTINATION_NGO: second,
        OrganisationType.SOURCE_NGO: first,
        OrganisationType.SHELTER_HOME: second,
        OrganisationType.LEGAL_AID: second,
        OrganisationType.SURVIVOR_COLLECTIVE: first,
    }
    net = SmallNetwork(orgs={})
    for org_type, district in places.items():
        org = OrganisationFactory(
            org_type=org_type,
            name=f"Demo {org_type}",
            base_district=district,
            phone="+915550000001",
            address="12 Hidden Lane",
            address_is_confidential=org_type == OrganisationType.SHELTER_HOME,
        )
        org.districts.set([district])
        org.states.set([district.state_id])
        net.orgs[org_type] = org
        for role in ROLES[org_type]:
            membership = MembershipFactory(
                organisation=org, role=role, is_designated_contact=role == Role.CASEWORKER
            )
            net.staff[(org_type, role)] = membership.user
    shelter = net.orgs[OrganisationType.SHELTER_HOME]
    senders = (
        OrganisationType.POLICE_AHTU,
        OrganisationType.DESTINATION_NGO,
        OrganisationType.SOURCE_NGO,
    )
    for org_type in senders:
        org = net.orgs[org_type]
        owner = net.staff[(org_type, Role.CASEWORKER)]
        for i in range(cases_per_org):
            link = CasePersonFactory(
                case__owner_org=org,
                case__case_owner=owner,
                case__opened_on=today - datetime.timedelta(days=400),
                person__estimated_age=15 + i,
                person__age_estimated_on=today,
            )
            given = today - datetime.timedelta(days=300 - i)
            person = link.person
            if i % 7 == 5:
                net.statistics_only.append(
                    ConsentFactory(person=person, scopes=["statistics"], given_on=given)
                )
            elif i % 7 == 6:
                net.withdrawn.append(
                    ConsentFactory(person=person, scopes=FULL, given_on=given,
                                   withdrawn_on=today - datetime.timedelta(days=20))
                )  # fmt: skip
            elif i % 7 == 4:
                ConsentFactory(person=person, scopes=FULL, given_on=given,
                               expires_on=today - datetime.timedelta(days=1))  # fmt: skip
            elif i % 7 == 3:
                ConsentFactory(person=person, scopes=FULL, given_on=given, recipient_org=shelter)
            else:
                ConsentFactory(person=person, scopes=FULL, given_on=given)
    # Residents of the shelter's own cases, admitted in the last weeks.
    manager = net.staff[(OrganisationType.SHELTER_HOME, Role.SHELTER_MANAGER)]
    for i in range(4):
        link = CasePersonFactory(
            case__owner_org=shelter,
            person__gender=Gender.FEMININE,
            person__estimated_age=14,
            person__age_estimated_on=today,
        )
        EventFactory(
            case=link.case,
            person=link.person,
            kind=EventKind.SHELTER_ADMISSION,
            occurred_on=today - datetime.timedelta(days=10 + i),
            recorded_by=manager,
        )
    return net
