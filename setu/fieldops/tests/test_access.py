"""Who sees an operation, its place and its people; pages, API and feature phones."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.access import policy
from setu.access.policy import Action
from setu.audit.models import AuditEntry
from setu.channels import hooks as channels
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.fieldops import selectors, services
from setu.fieldops.models import Alert, CheckIn, Operation
from setu.fieldops.tests.conftest import PLACE, seat

pytestmark = pytest.mark.django_db

SEES = [
    ("lead", True),
    ("partner", True),
    ("counsellor", True),
    ("org_admin", True),
    ("partner_admin", True),
    ("analyst", False),
    ("coordinator", False),
    ("other_org", False),
    ("other_admin", False),
    ("platform_admin", False),
]


@pytest.mark.parametrize(("who", "ok"), SEES)
def test_only_the_team_and_its_organisations_admins_see_a_plan(who, ok, personas, operation):
    rows = policy.scope(personas[who], Operation.objects.filter(pk=operation.pk), Action.VIEW)
    assert rows.exists() is ok


@pytest.mark.parametrize(
    ("who", "ok"),
    [("lead", True), ("partner", True), ("org_admin", False), ("partner_admin", False)],
)
def test_the_place_never_leaves_the_team(who, ok, personas, operation):
    assert policy.fieldops_sees_place(personas[who], operation) is ok


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_the_plan_page_hides_the_place_and_other_organisations_staff(personas, operation):
    url = reverse("fieldops:operation-detail", args=[operation.pk])
    lead = personas.users["lead"]
    lead.first_name, lead.last_name = "Meera", "Joshi"
    lead.save()
    team_page = _client(personas.users["partner"]).get(url).content.decode()
    assert "Lane 4" in team_page and "Meera Joshi" in team_page
    admin_page = _client(personas.users["partner_admin"]).get(url).content.decode()
    assert "Lane 4" not in admin_page and "Seen only by the team." in admin_page
    # The partner's admin sees her own colleague by name and the lead organisation's as a role.
    assert "Meera Joshi" not in admin_page and "Team lead, " in admin_page
    own_admin_page = _client(personas.users["org_admin"]).get(url).content.decode()
    assert "Meera Joshi" in own_admin_page and "Lane 4" not in own_admin_page
    # Every view is audited, by whom.
    viewers = set(
        AuditEntry.objects.filter(
            target_type="fieldops.operation", target_id=str(operation.pk), action="view"
        ).values_list("actor_label", flat=True)
    )
    assert viewers == {"partner", "partner_admin", "org_admin"}


def test_the_api_gives_the_place_to_the_team_only(personas, operation):
    url = reverse("api:fieldops-operation-detail", args=[operation.pk])
    assert _client(personas.users["lead"]).get(url).json()["target_place"] == PLACE
    assert _client(personas.users["org_admin"]).get(url).json()["target_place"] is None
    listed = _client(personas.users["org_admin"]).get(reverse("api:fieldops-operation-list"))
    assert PLACE not in listed.content.decode()


def test_an_outsider_gets_404_and_the_refusal_is_audited(personas, operation):
    url = reverse("fieldops:operation-detail", args=[operation.pk])
    assert _client(personas.users["other_admin"]).get(url).status_code == 404
    assert AuditEntry.objects.filter(outcome="denied", actor_label="other_admin").exists()


def test_the_checkin_and_settings_pages_are_audited_and_a_stranger_is_refused(personas, active):
    me = seat(active, personas, "partner")
    client = _client(personas.users["partner"])
    assert client.get(reverse("fieldops:checkin", args=[active.pk])).status_code == 200
    assert client.get(reverse("fieldops:seat-settings", args=[active.pk])).status_code == 200
    reads = AuditEntry.objects.filter(
        target_type="fieldops.teammember", target_id=str(me.pk), action="view"
    )
    assert sorted(reads.values_list("details__page", flat=True)) == ["checkin", "settings"]
    assert set(reads.values_list("actor_label", flat=True)) == {"partner"}
    # The check-in itself is a write, audited with its channel, never its coordinates.
    client.post(reverse("fieldops:checkin", args=[active.pk]), {"client_id": "tap-1"})
    wrote = AuditEntry.objects.get(target_type="fieldops.checkin", action="create")
    assert wrote.details["channel"] == "web" and wrote.actor_label == "partner"
    # Someone with no seat gets 404, and the refusal is audited.
    outsider = _client(personas.users["org_admin"])
    assert outsider.get(reverse("fieldops:checkin", args=[active.pk])).status_code == 404
    assert AuditEntry.objects.filter(outcome="denied", actor_label="org_admin").exists()


def test_a_retried_api_checkin_counts_once_and_duress_answers_the_same(personas, active):
    me = seat(active, personas, "partner")
    services.member_settings(actor=personas["partner"], member=me, pin="2468", duress_pin="1357")
    client = _client(personas.users["partner"])
    url = reverse("api:fieldops-checkin", args=[active.pk])
    first = client.post(url, {"client_id": "c1", "pin": "2468"}, content_type="application/json")
    retry = client.post(url, {"client_id": "c1", "pin": "2468"}, content_type="application/json")
    assert first.status_code == retry.status_code == 200
    assert first.json() == retry.json() and CheckIn.objects.filter(member=me).count() == 1
    forced = client.post(url, {"client_id": "c2", "pin": "1357"}, content_type="application/json")
    assert forced.status_code == 200 and set(forced.json()) == set(first.json())
    assert Alert.objects.get().reason == "duress"


def test_the_checkin_page_answers_the_duress_pin_like_a_safe_checkin(personas, active):
    me = seat(active, personas, "partner")
    services.member_settings(actor=personas["partner"], member=me, pin="2468", duress_pin="1357")
    client = _client(personas.users["partner"])
    url = reverse("fieldops:checkin", args=[active.pk])
    safe = client.post(url, {"client_id": "w1", "pin": "2468"}, follow=True)
    forced = client.post(url, {"client_id": "w2", "pin": "1357"}, follow=True)
    assert safe.status_code == forced.status_code == 200
    assert "Checked in. Thank you." in forced.content.decode()
    assert forced.redirect_chain == safe.redirect_chain
    assert Alert.objects.filter(reason="duress").count() == 1


def test_location_is_kept_coarse_and_only_when_allowed(personas, active):
    me = seat(active, personas, "partner")
    services.checkin_record(
        actor=personas["partner"],
        member=me,
        client_id="no",
        latitude="19.0761",
        longitude="72.8775",
    )
    services.checkin_record(
        actor=personas["partner"],
        member=me,
        client_id="yes",
        latitude="19.0761",
        longitude="72.8775",
        share_location=True,
    )
    kept = dict(CheckIn.objects.values_list("client_id", "latitude"))
    assert kept["no"] is None and str(kept["yes"]) == "19.08"


def _sms(keyword: str, sender: str, text: str = "", when=None) -> str | None:
    from setu.channels.hooks import InboundMessage

    message = InboundMessage(
        channel="sms", sender=sender, text=text, received_at=when or timezone.now()
    )
    return channels.keyword_handler(keyword)(message)


def test_a_feature_phone_checks_in_by_sms_and_missed_call(personas, active):
    me = seat(active, personas, "partner")
    services.member_settings(actor=personas["partner"], member=me, pin="2468", duress_pin="1357")
    at = timezone.now()
    assert _sms("SAFE", "+919820022222", when=at) == "Received."
    assert _sms("SAFE", "+919820022222", when=at) == "Received."  # the gateway's repeat
    assert CheckIn.objects.filter(member=me, channel="sms").count() == 1
    assert _sms("CHECKIN", "+91 98200 22222", "1357") == "Received."  # duress: same answer
    assert Alert.objects.get().reason == "duress"
    assert _sms("CHECKIN", "+919820022222", "0000") == "Not recognised."
    assert _sms("SAFE", "+919999900000") == "Not recognised."  # a stranger learns nothing
    from setu.channels.hooks import InboundMessage

    call = InboundMessage("missed_call", "09820022222", "", timezone.now(), line="checkin")
    channels.missed_call_handler("checkin")(call)
    assert CheckIn.objects.filter(member=me, channel="missed_call").count() == 1


def test_help_by_sms_pages_the_team_at_once(personas, active):
    assert _sms("HELP", "+919820022222") == "Received."
    alert = Alert.objects.get()
    assert alert.reason == "distress" and alert.steps.filter(skipped=False).exists()


def test_a_check_in_after_the_operation_closed_is_refused(personas, active):
    services.operation_close(actor=personas["lead"], operation=active)
    assert _sms("SAFE", "+919820022222") == "Not recognised."
    url = reverse("fieldops:checkin", args=[active.pk])
    assert _client(personas.users["partner"]).get(url).status_code == 404


def test_the_home_page_has_a_check_in_button_during_an_operation(personas, active):
    page = _client(personas.users["partner"]).get(reverse("fieldops:home")).content.decode()
    assert reverse("fieldops:checkin", args=[active.pk]) in page


def test_planning_a_plan_through_the_page(personas):
    start = timezone.localtime() + datetime.timedelta(days=1)
    response = _client(personas.users["lead"]).post(
        reverse("fieldops:operation-create"),
        {
            "kind": "interception",
            "code_name": "Banyan",
            "target_place": "Platform 3",
            "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
            "expected_end": (start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "checkin_minutes": 30,
            "grace_minutes": 5,
            "step_minutes": 5,
        },
    )
    assert response.status_code == 200 and "The expected end must be after the start." in (
        response.content.decode()
    )
    assert not Operation.objects.exists()


def test_the_home_page_query_count_does_not_grow_with_operations(
    personas, operation, django_assert_max_num_queries
):
    client = _client(personas.users["lead"])
    url = reverse("fieldops:home")
    client.get(url)
    for n in range(5):
        services.operation_create(
            actor=personas["lead"],
            kind="home_visit",
            code_name=f"Visit {n}",
            target_place="A house",
            planned_start=timezone.now(),
            expected_end=timezone.now() + datetime.timedelta(hours=1),
        )
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


@pytest.fixture
def partner_officer(personas):
    """A field officer of the partner organisation, not yet on the team."""
    from setu.orgs.models import Role
    from setu.orgs.tests.factories import MembershipFactory

    return MembershipFactory(
        organisation=personas.partner_org, role=Role.FIELD_OFFICER, user__username="ahtu-officer"
    ).user


def test_a_partner_admin_adds_and_removes_her_own_staff_only(personas, operation, partner_officer):
    admin = personas["partner_admin"]
    choices = dict(selectors.team_choices(actor=admin, operation=operation))
    assert str(partner_officer.pk) in choices
    assert str(personas.users["analyst"].pk) not in choices  # the lead organisation's staff
    member = services.member_add(
        actor=admin, operation=operation, user_id=partner_officer.pk, role="female_officer"
    )
    assert member.organisation_id == personas.partner_org.pk
    written = AuditEntry.objects.get(target_type="fieldops.teammember", target_id=str(member.pk))
    assert written.actor_label == "partner_admin"
    with pytest.raises(InvalidInput):  # not the lead organisation's people
        services.member_add(
            actor=admin, operation=operation, user_id=personas.users["analyst"].pk, role="member"
        )
    with pytest.raises(InvalidInput):  # and never the team lead: that hands over the plan
        services.member_add(
            actor=admin, operation=operation, user_id=personas.users["partner_admin"].pk,
            role="lead",
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        services.member_remove(actor=admin, member=seat(operation, personas, "counsellor"))
    services.member_remove(actor=admin, member=member)
    assert not operation.team.filter(user=partner_officer).exists()


@pytest.mark.parametrize("who", ["partner", "other_admin", "platform_admin", "analyst"])
def test_nobody_else_staffs_the_team(who, personas, operation, partner_officer):
    with pytest.raises((Forbidden, NotFound)):
        services.member_add(
            actor=personas[who], operation=operation, user_id=partner_officer.pk, role="member"
        )


def test_a_partner_admin_whose_staff_are_not_yet_on_the_team_sees_the_plan_not_the_place(
    personas, partner_officer
):
    op = services.operation_create(
        actor=personas["lead"],
        kind="rescue",
        code_name="Amla",
        target_place=PLACE,
        planned_start=timezone.now(),
        expected_end=timezone.now() + datetime.timedelta(hours=3),
        partner_orgs=[personas.partner_org],
    )
    page = _client(personas.users["partner_admin"]).get(
        reverse("fieldops:operation-detail", args=[op.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Lane 4" not in html
    assert reverse("fieldops:member-add", args=[op.pk]) in html
    form = _client(personas.users["partner_admin"]).post(
        reverse("fieldops:member-add", args=[op.pk]),
        {"user": str(partner_officer.pk), "role": "female_officer", "phone": "", "buddy": ""},
    )
    assert form.status_code == 302
    assert op.team.filter(user=partner_officer, organisation=personas.partner_org).exists()
    # An admin of an organisation not taking part sees nothing of it.
    other = _client(personas.users["other_admin"])
    assert other.get(reverse("fieldops:operation-detail", args=[op.pk])).status_code == 404


def test_the_plan_page_holds_a_bed_and_the_shelter_sees_what_for_never_the_place(
    personas, operation
):
    from setu.orgs.models import Role
    from setu.orgs.tests.factories import MembershipFactory
    from setu.shelters.tests.factories import BedGroupFactory

    beds = BedGroupFactory(total=1)
    Operation.objects.filter(pk=operation.pk).update(receiving_shelter=beds.shelter)
    lead = _client(personas.users["lead"])
    page = lead.get(reverse("fieldops:operation-detail", args=[operation.pk])).content.decode()
    assert reverse("fieldops:bed-hold", args=[operation.pk]) in page
    answer = lead.post(
        reverse("fieldops:bed-hold", args=[operation.pk]), {"bed_group": str(beds.pk)}
    )
    assert answer.status_code == 302
    operation.refresh_from_db()
    assert operation.bed_hold_id is not None
    manager = MembershipFactory(organisation=beds.shelter, role=Role.SHELTER_MANAGER).user
    hold_page = _client(manager).get(reverse("shelters:hold-detail", args=[operation.bed_hold_id]))
    html = hold_page.content.decode()
    assert hold_page.status_code == 200 and "Rescue (field operation)" in html
    assert "Neem" not in html and "Lane 4" not in html
    assert reverse("shelters:hold-admit", args=[operation.bed_hold_id]) in html


def test_the_plan_names_the_support_roles_nobody_fills_yet(personas, operation):
    url = reverse("fieldops:operation-detail", args=[operation.pk])
    lead = _client(personas.users["lead"])
    page = lead.get(url).content.decode()
    assert "not yet on the team:" in page and "Female officer, Counsellor, Interpreter" in page
    api = reverse("api:fieldops-operation-detail", args=[operation.pk])
    assert lead.get(api).json()["to_arrange"] == [
        "female_officer",
        "counsellor",
        "interpreter",
        "medical",
    ]
    services.member_add(
        actor=personas["lead"],
        operation=operation,
        user_id=personas.users["org_admin"].pk,
        role="female_officer",
    )
    assert lead.get(api).json()["to_arrange"] == ["counsellor", "interpreter", "medical"]
