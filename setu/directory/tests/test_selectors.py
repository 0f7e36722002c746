import pytest

from setu.directory import selectors
from setu.directory.tests.factories import ServiceFactory
from setu.orgs.models import District

pytestmark = pytest.mark.django_db


def _two_districts_of_one_state():
    first = District.objects.select_related("state").order_by("code").first()
    second = District.objects.filter(state=first.state).exclude(pk=first.pk).first()
    return first, second


def test_find_by_need_district_and_state(personas):
    here, there = _two_districts_of_one_state()
    elsewhere = District.objects.exclude(state=here.state).first()
    shelter_here = ServiceFactory(service_type="shelter", districts=[here])
    legal_here = ServiceFactory(service_type="legal_aid", districts=[here])
    statewide = ServiceFactory(service_type="shelter", states=[here.state])
    far = ServiceFactory(service_type="shelter", districts=[elsewhere])
    ServiceFactory(service_type="shelter", districts=[here], is_active=False)
    actor = personas["lead"]

    found = set(selectors.service_list(actor=actor, need="shelter", district=here))
    assert found == {shelter_here, statewide}
    assert set(selectors.service_list(actor=actor, need="shelter", district=there)) == {statewide}
    assert set(selectors.service_list(actor=actor, state=here.state)) == {
        shelter_here, legal_here, statewide,
    }  # fmt: skip
    assert far in selectors.service_list(actor=actor)


def test_district_counts_include_state_wide_services(personas):
    here, there = _two_districts_of_one_state()
    ServiceFactory(service_type="shelter", districts=[here])
    ServiceFactory(service_type="shelter", districts=[here, there])
    ServiceFactory(service_type="shelter", states=[here.state])
    ServiceFactory(service_type="medical", districts=[there])
    counts = selectors.district_service_counts(actor=personas["lead"], need="shelter")
    assert counts[here.code] == 3
    assert counts[there.code] == 2
    assert selectors.district_service_counts(actor=personas["lead"], need="medical") == {
        there.code: 1
    }


def test_anonymous_like_actor_sees_nothing(personas):
    from setu.access.actor import Actor
    from setu.orgs.tests.factories import UserFactory

    ServiceFactory()
    assert not selectors.service_list(actor=Actor(user=UserFactory())).exists()


def test_list_query_count_is_pinned(personas, django_assert_max_num_queries):
    district = District.objects.first()
    for _ in range(5):
        ServiceFactory(districts=[district], states=[district.state])
    with django_assert_max_num_queries(4):
        rows = list(selectors.service_list(actor=personas["lead"]))
        assert [d.state.name for s in rows for d in s.districts.all()]
