"""Fixtures of the field operations tests: an operation of the personas' organisation with a
team across two organisations, planned through the services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from setu.access.actor import actor_for_user
from setu.fieldops import services
from setu.fieldops.models import TeamRole
from setu.orgs.models import Role

PLACE = "Third floor above the tea stall, Lane 4, Kamathipura"


@pytest.fixture
def police(personas):
    """A police liaison of the lead organisation."""
    from setu.orgs.tests.factories import MembershipFactory

    user = MembershipFactory(
        organisation=personas.own_org, role=Role.POLICE_LIAISON, user__username="liaison"
    ).user
    return actor_for_user(user)


@pytest.fixture
def operation(personas, police):
    """A planned rescue led by "lead" (own org) with "partner" (partner org) as her buddy,
    "counsellor" as safety contact and a police liaison."""
    lead = personas["lead"]
    now = timezone.now()
    op = services.operation_create(
        actor=lead,
        kind="rescue",
        code_name="Neem",
        target_place=PLACE,
        planned_start=now + datetime.timedelta(hours=1),
        expected_end=now + datetime.timedelta(hours=7),
        partner_orgs=[personas.partner_org],
        checkin_minutes=30,
        grace_minutes=5,
        step_minutes=5,
        lead_phone="+91 98200 11111",
    )
    me = op.team.get(user=personas.users["lead"])
    services.member_add(
        actor=lead,
        operation=op,
        user_id=personas.users["partner"].pk,
        role=TeamRole.MEMBER,
        phone="09820022222",
        buddy_id=me.pk,
    )
    services.member_add(
        actor=lead,
        operation=op,
        user_id=personas.users["counsellor"].pk,
        role=TeamRole.SAFETY_CONTACT,
        phone="9820033333",
    )
    services.member_add(
        actor=lead, operation=op, user_id=police.user.pk, role=TeamRole.POLICE_LIAISON
    )
    return op


@pytest.fixture
def active(operation, personas):
    """The operation, started."""
    return services.operation_start(actor=personas["lead"], operation=operation)


def seat(op, personas, who):
    return op.team.get(user=personas.users[who])
