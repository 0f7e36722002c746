"""Who reads feedback one by one: never the organisation it is about, never a platform admin."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from setu.access import policy
from setu.access.policy import Action
from setu.feedback import selectors
from setu.feedback.models import Feedback, Lane
from setu.feedback.tests.factories import CampaignFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def _visible(actor, feedback) -> bool:
    return policy.scope(actor, Feedback.objects.all(), Action.VIEW).filter(pk=feedback.pk).exists()


@pytest.fixture
def items(network):
    campaign = CampaignFactory(organisation=network.collective)
    return {
        "open": FeedbackFactory(subject=network.subject),
        "campaign": FeedbackFactory(subject=network.subject, campaign=campaign),
        "serious": FeedbackFactory(
            subject=network.subject,
            lane=Lane.SERIOUS,
            serious_kind="bribery",
            handler=network.users["handler"],
        ),
        "unrouted": FeedbackFactory(
            subject=network.subject, lane=Lane.SERIOUS, serious_kind="threats"
        ),
    }


MATRIX = [
    # The network body's coordinator codes open feedback and picks up unrouted complaints.
    ("body_coordinator", "open", True),
    ("body_coordinator", "campaign", True),
    ("body_coordinator", "serious", False),
    ("body_coordinator", "unrouted", True),
    # The handler reads the complaint routed to her, nothing else.
    ("handler", "serious", True),
    ("handler", "open", False),
    # The collective leader reads her own campaign's answers only; the peer supporter none.
    ("leader", "campaign", True),
    ("leader", "open", False),
    ("leader", "serious", False),
    ("peer", "campaign", False),
    # The organisation concerned: not even its coordinator or admin, not even the open lane.
    ("police_coordinator", "open", False),
    ("police_coordinator", "unrouted", False),
    ("police_admin", "open", False),
    ("police_admin", "serious", False),
    # Everyone else among the personas.
    ("lead", "open", False),
    ("org_admin", "open", False),
    ("analyst", "open", False),
    ("partner", "open", False),
    ("other_admin", "serious", False),
    ("platform_admin", "open", False),
    ("platform_admin", "serious", False),
]


@pytest.mark.parametrize(("who", "which", "ok"), MATRIX)
def test_who_reads_feedback(network, items, who, which, ok):
    assert _visible(network.actors[who], items[which]) is ok


def test_a_coordinator_never_reads_feedback_about_her_own_organisation(network, items):
    """Even a coordinator's role gives nothing about her own organisation."""
    coordinator = network.actors["police_coordinator"]
    assert items["open"].pk not in {f.pk for f in selectors.feedback_list(actor=coordinator)}


def test_the_organisation_concerned_gets_404_on_the_page(network, items):
    client = Client()
    client.force_login(network.users["police_admin"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    for item in items.values():
        assert client.get(f"/feedback/items/{item.pk}/").status_code == 404


def test_the_handler_reads_the_complaints_text_and_the_read_is_audited(network, items):
    from setu.audit.models import AuditEntry

    client = Client()
    client.force_login(network.users["handler"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    page = client.get(f"/feedback/items/{items['serious'].pk}/")
    assert page.status_code == 200
    assert "They made me wait all day." in page.content.decode()
    entry = AuditEntry.objects.get(action="view", target_id=str(items["serious"].pk))
    assert entry.actor_user_id == network.users["handler"].pk and entry.target_org_id is None


def test_the_collective_leader_codes_her_campaigns_feedback_with_the_coordinators(network, items):
    """Co-analysis: the leader and the network's coordinator code the same campaign answer;
    the leader cannot code feedback outside her campaigns, nor the peer supporter any."""
    from setu.core.errors import NotFound
    from setu.feedback import services

    campaign_item = items["campaign"]
    services.feedback_code(actor=network.actors["leader"], feedback=campaign_item, themes=["delay"])
    campaign_item.refresh_from_db()
    assert campaign_item.themes == ["delay"] and campaign_item.acknowledged_at is not None
    services.feedback_code(
        actor=network.actors["body_coordinator"],
        feedback=campaign_item,
        themes=["delay", "language"],
    )
    campaign_item.refresh_from_db()
    assert campaign_item.themes == ["delay", "language"]
    for who, which in (("leader", "open"), ("leader", "serious"), ("peer", "campaign")):
        with pytest.raises(NotFound):
            services.feedback_code(actor=network.actors[who], feedback=items[which], themes=[])
