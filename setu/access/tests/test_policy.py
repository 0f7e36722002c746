import pytest

from setu.access import policy
from setu.access.policy import Action
from setu.registry.models import Case, Person

CASE_MATRIX = [
    ("lead", Action.VIEW, True),
    ("counsellor", Action.VIEW, True),
    ("org_admin", Action.VIEW, True),
    ("analyst", Action.VIEW, False),
    ("coordinator", Action.VIEW, False),
    ("partner", Action.VIEW, True),
    ("partner", Action.EDIT, False),
    ("partner_admin", Action.SHARE, False),
    ("other_org", Action.VIEW, False),
    ("other_admin", Action.VIEW, False),
    ("platform_admin", Action.VIEW, False),
    ("lead", Action.EDIT, True),
    ("counsellor", Action.EDIT, False),
    ("lead", Action.SHARE, True),
    ("lead", Action.EXPORT, False),
    ("org_admin", Action.EXPORT, True),
]


@pytest.mark.parametrize(("who", "action", "ok"), CASE_MATRIX)
def test_case_policy(who, action, ok, personas):
    qs = policy.scope(personas[who], Case.objects.all(), action)
    assert qs.filter(pk=personas.case.pk).exists() is ok


@pytest.mark.parametrize(
    ("who", "ok"),
    [
        ("lead", True),
        ("partner", True),
        ("other_org", False),
        ("analyst", False),
        ("platform_admin", False),
    ],
)
def test_person_visibility(who, ok, personas):
    qs = policy.scope(personas[who], Person.objects.all(), Action.VIEW)
    assert qs.filter(pk=personas.person.pk).exists() is ok


def test_withdrawn_consent_ends_the_share(personas):
    import datetime

    share = personas.case.shares.get()
    share.consent.withdrawn_on = datetime.date.today()
    share.consent.save()
    assert not policy.can(personas["partner"], Action.VIEW, personas.case)
    assert not policy.can(personas["partner"], Action.VIEW, personas.person)


def test_revoked_share_ends_access(personas):
    from django.utils import timezone

    personas.case.shares.update(revoked_at=timezone.now())
    assert not policy.can(personas["partner"], Action.VIEW, personas.case)


def test_restricted_case_only_for_its_team(personas):
    personas.case.is_restricted = True
    personas.case.save()
    assert policy.can(personas["lead"], Action.VIEW, personas.case)  # case owner
    assert policy.can(personas["org_admin"], Action.VIEW, personas.case)
    assert not policy.can(personas["counsellor"], Action.VIEW, personas.case)
    personas.case.team.add(personas.users["counsellor"])
    assert policy.can(personas["counsellor"], Action.VIEW, personas.case)


def test_require_raises_not_found_for_outsiders_and_forbidden_for_viewers(personas):
    from setu.core.errors import Forbidden, NotFound

    with pytest.raises(NotFound):
        policy.require(personas["other_org"], Action.VIEW, personas.case)
    with pytest.raises(Forbidden):
        policy.require(personas["partner"], Action.EDIT, personas.case)


def test_unknown_action_is_denied(personas):
    assert not policy.scope(personas["org_admin"], Case.objects.all(), Action.VIEW_AUDIT).exists()


def test_a_case_with_a_team_is_listed_once(personas):
    """The team rule joins a many-to-many table; the scope must not repeat the case."""
    personas.case.team.add(personas.users["counsellor"], personas.users["lead"])
    for who in ("lead", "counsellor", "org_admin"):
        ids = list(policy.scope(personas[who], Case.objects.all(), Action.VIEW).values_list("pk"))
        assert ids.count((personas.case.pk,)) == 1, who
