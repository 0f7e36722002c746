"""An agreement opens a partner's intelligence under row-level security (issue 25/28): the web
servers' role reads the partner's linked intelligence, never the partner's case row, and a case
restricted by its organisation closes at once.

PostgreSQL only. Set-up runs as the owner; the checks ``SET ROLE setu_app`` and act for the
police liaison's organisation as a request would.
"""

from __future__ import annotations

import pytest
from django.db import connection

from setu.access import policy, rls
from setu.access.policy import Action
from setu.access.tests import test_rls
from setu.access.tests.test_rls import _as, _sql
from setu.intel.models import Identifier, Perpetrator
from setu.registry import services as registry
from setu.registry.models import Case

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
    pytest.mark.django_db,
]

roles = test_rls.roles  # the fixture creating setu_app and setu_system


def _opened(actor, case) -> dict[str, bool]:
    """What the actor reads of the case, as setu_app acting for the actor's organisation."""
    _as("setu_app")
    try:
        with rls.acting_for(actor.organisation_id):
            return {
                "identifiers": policy.scope(
                    actor, Identifier.objects.filter(case=case), Action.VIEW
                ).exists(),
                "perpetrators": policy.scope(
                    actor, Perpetrator.objects.filter(case=case), Action.VIEW
                ).exists(),
                "case row": Case.objects.filter(pk=case.pk).exists(),
            }
    finally:
        _sql("RESET ROLE")


def test_an_agreement_opens_the_partners_intelligence_not_its_case_under_setu_app(roles, net):
    police = net.actors["own_police"]
    opened = {"identifiers": True, "perpetrators": True, "case row": False}
    assert _opened(police, net.partner_case) == opened
    # No agreement with the unrelated organisation; a caseworker learns only whom to ask.
    assert not any(_opened(police, net.other_case).values())
    assert not any(_opened(net.actors["lead"], net.partner_case).values())

    registry.case_update(
        actor=net.actors["partner_admin"], case=net.partner_case, is_restricted=True
    )
    assert not any(_opened(police, net.partner_case).values())
    registry.case_update(
        actor=net.actors["partner_admin"], case=net.partner_case, is_restricted=False
    )
    assert _opened(police, net.partner_case) == opened
