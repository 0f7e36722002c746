"""A small intelligence network on top of the personas: the same phone in the personas' own
case, in a case of the partner organisation (which has a live agreement with the own one) and
in a case of the unrelated organisation (no agreement)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from setu.access.actor import actor_for_user
from setu.orgs.models import Role

PHONE = "+91 98200 11223"


@dataclass
class Net:
    actors: dict[str, Any]
    own_case: Any
    partner_case: Any
    other_case: Any
    agreement: Any


def _member(org, role, name):
    from setu.orgs.tests.factories import MembershipFactory

    user = MembershipFactory(organisation=org, role=role, user__username=name).user
    return actor_for_user(user)


@pytest.fixture
def net(personas):
    from setu.intel import services
    from setu.intel.tests.factories import AgreementFactory
    from setu.registry.tests.factories import CaseFactory

    actors = dict(personas.actors)
    for name, org, role in [
        ("own_police", personas.own_org, Role.POLICE_LIAISON),
        ("own_legal", personas.own_org, Role.LEGAL_OFFICER),
        ("partner_police", personas.partner_org, Role.POLICE_LIAISON),
        ("partner_legal", personas.partner_org, Role.LEGAL_OFFICER),
        ("other_police", personas.other_org, Role.POLICE_LIAISON),
    ]:
        actors[name] = _member(org, role, name)
    partner_case = CaseFactory(owner_org=personas.partner_org)
    other_case = CaseFactory(owner_org=personas.other_org)
    agreement = AgreementFactory(proposer_org=personas.own_org, partner_org=personas.partner_org)
    for actor, case in [
        (actors["lead"], personas.case),
        (actors["partner_admin"], partner_case),
        (actors["other_admin"], other_case),
    ]:
        services.identifier_add(actor=actor, case=case, kind="phone", raw=PHONE, source="survivor")
        services.perpetrator_add(
            actor=actor, case=case, name="Salim Khan", role="recruiter", source="survivor"
        )
    return Net(actors, personas.case, partner_case, other_case, agreement)
