from setu.orgs import selectors
from setu.orgs.models import State


def test_district_list_is_filtered_by_state(db):
    state = State.objects.first()
    districts = selectors.district_list(state_code=state.pk)
    assert districts.exists() and {d.state_id for d in districts} == {state.pk}
    assert not selectors.district_list(state_code="nonsense").exists()


def test_places_by_lgd_code(db):
    state = State.objects.first()
    district = selectors.district_list(state_code=state.pk).first()
    assert selectors.state_get(code=state.pk) == state
    assert selectors.district_get(code=district.pk) == district
    assert selectors.district_get(code=0) is None
