import datetime

import pytest

from setu.audit.models import AuditAction, AuditEntry
from setu.core.errors import NotFound
from setu.registry import selectors, services
from setu.registry.models import CaseStatus
from setu.registry.tests.factories import (
    CaseFactory,
    CasePersonFactory,
    EventFactory,
    PersonFactory,
)


@pytest.fixture
def sunita(personas):
    """A survivor of the lead's organisation with an alias, a native-script name and a phone."""
    lead = personas["lead"]
    # The factory cycles through common names; give the other survivor one no query here matches.
    services.person_update(
        actor=lead, person=personas.person, given_name="Rina", family_name="Oraon"
    )
    person = services.person_create(
        actor=lead, given_name="Suneeta", family_name="Kerketta", name_native="सुनीता"
    )
    services.alias_add(actor=lead, person=person, name="Laxmi")
    services.phone_add(actor=lead, person=person, number="98300 12345")
    return person


@pytest.mark.parametrize(
    "query",
    [
        "sunita",
        "SUNITA kerketta",
        "Sunīta",
        "lakshmi",
        "सुनीता",
        "+91 98300 12345",
        "098300-12345",
        "0012345",
    ],
)
def test_search_finds_name_variants_aliases_native_and_phone(personas, sunita, query):
    assert list(selectors.person_search(actor=personas["lead"], query=query)) == [sunita]


@pytest.mark.parametrize("query", ["Rina", "9830099999", "12", ""])
def test_search_does_not_overmatch(personas, sunita, query):
    assert sunita not in selectors.person_search(actor=personas["lead"], query=query)


@pytest.fixture
def rupas(personas):
    """Two Latin spellings of Rupa, a name written only in Bengali script, and two other names
    that the old per-letter folding of Bengali used to find for "রূপা"."""
    lead = personas["lead"]
    services.person_update(
        actor=lead, person=personas.person, given_name="Rina", family_name="Oraon"
    )
    make = lambda **names: services.person_create(actor=lead, **names)  # noqa: E731
    return {
        "rupa": make(given_name="Rupa", family_name="Khatun"),
        "roopa": make(given_name="Roopa", family_name="Das"),
        "bengali": make(name_native="দেবাশিস রায়"),
        "rokhsana": make(given_name="Rokhsana", family_name="Bibi", name_native="রোকসানা বিবি"),
        "debashis": make(given_name="Debashis", family_name="Roy"),
    }


@pytest.mark.parametrize("query", ["রূপা", "रूपा", "Rupa", "Roopa"])
def test_a_name_in_bengali_or_devanagari_finds_its_latin_spellings(personas, rupas, query):
    found = set(selectors.person_search(actor=personas["lead"], query=query))
    assert found == {rupas["rupa"], rupas["roopa"]}


@pytest.mark.parametrize("query", ["Debashis", "Debasish Ray", "দেবাশিস", "देबाशीस"])
def test_a_latin_name_finds_a_record_written_in_bengali_script(personas, rupas, query):
    found = set(selectors.person_search(actor=personas["lead"], query=query))
    assert rupas["bengali"] in found
    assert rupas["rupa"] not in found


def test_search_is_audited_without_the_query(personas, sunita):
    selectors.person_search(actor=personas["lead"], query="Suneeta")
    entry = AuditEntry.objects.filter(action=AuditAction.LIST).latest("seq")
    assert entry.details == {"search": "name", "results": 1}
    assert "Suneeta" not in str(entry.changes) + str(entry.details)


def test_other_organisations_cannot_find_the_person(personas, sunita):
    assert not selectors.person_search(actor=personas["other_org"], query="Suneeta").exists()
    assert not selectors.person_search(actor=personas["analyst"], query="Suneeta").exists()


def test_partner_finds_shared_person_by_name_but_not_by_phone_without_contact(personas):
    lead, person = personas["lead"], personas.person
    services.phone_add(actor=lead, person=person, number="9830011111")
    partner = personas["partner"]
    assert person in selectors.person_search(actor=partner, query=person.given_name)
    # The share covers identity and case history, not contact: a phone must not confirm a match.
    assert person not in selectors.person_search(actor=partner, query="9830011111")
    assert person in selectors.person_search(actor=lead, query="9830011111")


def test_person_list_hides_shared_persons_without_identity_scope(personas):
    share = personas.case.shares.get()
    share.scopes = ["case_history"]
    share.save()
    assert personas.person not in selectors.person_list(actor=personas["partner"])
    assert personas.person in selectors.person_list(actor=personas["lead"])


def test_person_get_audits_a_view(personas):
    selectors.person_get(actor=personas["partner"], person_id=personas.person.pk)
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW).latest("seq")
    assert entry.target_id == str(personas.person.pk)
    assert entry.actor_org_id == personas.partner_org.pk
    with pytest.raises(NotFound):
        selectors.person_get(actor=personas["other_org"], person_id=personas.person.pk)


def test_partner_sees_only_shared_scopes_of_a_person(personas):
    lead, person = personas["lead"], personas.person
    services.phone_add(actor=lead, person=person, number="9830011111")
    services.alias_add(actor=lead, person=person, name="Munni")
    own = selectors.person_detail(actor=lead, person_id=person.pk)
    shared = selectors.person_detail(actor=personas["partner"], person_id=person.pk)
    assert own.phones and own.aliases
    assert shared.visibility.identity and not shared.visibility.contact
    assert shared.aliases and not shared.phones and not shared.addresses


def test_case_get_audits_and_scopes(personas):
    case = selectors.case_get(actor=personas["counsellor"], case_id=personas.case.pk)
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, target_id=str(case.pk)).exists()
    for who in ("other_org", "analyst", "platform_admin", "coordinator"):
        with pytest.raises(NotFound):
            selectors.case_get(actor=personas[who], case_id=personas.case.pk)
    with pytest.raises(NotFound):
        selectors.case_get(actor=personas["lead"], case_id="not-a-uuid")


def test_case_list_filters(personas):
    lead = personas["lead"]
    own = personas.own_org
    closed = CaseFactory(
        owner_org=own, status=CaseStatus.CLOSED, opened_on=datetime.date(2024, 1, 5)
    )
    rescue = CaseFactory(owner_org=own, opened_on=datetime.date(2025, 2, 1))
    EventFactory(case=rescue, kind="IN:Rescue")
    services.exploitation_set(actor=lead, case=rescue, forms=["IN:BondedLabour"])

    def refs(**filters):
        return set(selectors.case_list(actor=lead, filters=filters).values_list("pk", flat=True))

    assert refs(status="Closed") == {closed.pk}
    assert refs(event_kind="IN:Rescue") == {rescue.pk}
    assert refs(exploitation_form="IN:BondedLabour") == {rescue.pk}
    assert closed.pk not in refs(opened_from=datetime.date(2025, 1, 1))
    assert refs(opened_to=datetime.date(2024, 12, 31)) == {closed.pk}
    assert refs(mine=True) == {personas.case.pk}


def test_case_list_place_filter_matches_events_and_survivor_homes(personas):
    from setu.orgs.models import District

    lead = personas["lead"]
    d1, d2 = District.objects.order_by("code")[:2]
    by_event = CaseFactory(owner_org=personas.own_org)
    EventFactory(case=by_event, district=d1, state=d1.state)
    by_home = CasePersonFactory(case=CaseFactory(owner_org=personas.own_org))
    services.address_add(actor=lead, person=by_home.person, district=d1)
    elsewhere = CaseFactory(owner_org=personas.own_org)
    EventFactory(case=elsewhere, district=d2, state=d2.state)
    found = set(selectors.case_list(actor=lead, filters={"district": d1.pk}))
    assert {by_event, by_home.case} <= found and elsewhere not in found


def test_case_counts(personas):
    CaseFactory(owner_org=personas.own_org, status=CaseStatus.CLOSED)
    counts = selectors.case_count_by_status(actor=personas["lead"])
    assert counts["Active"] == 1 and counts["Closed"] == 1 and counts["FollowUp"] == 0
    assert selectors.case_count(actor=personas["partner"]) == 1
    assert selectors.case_count(actor=personas["other_org"]) == 0
    assert selectors.person_count(actor=personas["lead"]) == 1


def test_timeline_merges_everything_newest_first(personas):
    lead, case = personas["lead"], personas.case
    services.event_add(
        actor=lead, case=case, kind="Recruitment", occurred_on=datetime.date(2024, 1, 1)
    )
    services.event_add(
        actor=lead, case=case, kind="IN:Rescue", occurred_on=datetime.date(2025, 1, 1)
    )
    services.service_add(
        actor=lead, case=case, service_type="IN:Shelter", started_on=datetime.date(2025, 1, 2)
    )
    services.note_add(actor=lead, case=case, body="Spoke to mother")
    items = selectors.case_timeline(actor=lead, case=case)
    kinds = [i.kind for i in items]
    assert {"event", "service", "note", "consent", "share"} <= set(kinds)
    days = [i.day for i in items]
    assert days == sorted(days, reverse=True)
    assert kinds[-1] == "event" and items[-1].obj.kind == "Recruitment"


def test_partner_timeline_honours_share_and_consent_scopes(personas):
    lead, case = personas["lead"], personas.case
    services.event_add(actor=lead, case=case, kind="IN:Rescue")
    services.service_add(actor=lead, case=case, service_type="Health")
    services.service_add(actor=lead, case=case, service_type="IN:Shelter")
    services.note_add(actor=lead, case=case, body="HIV test", topic="health")
    services.note_add(actor=lead, case=case, body="Met family", topic="general")
    partner = personas["partner"]
    items = selectors.case_timeline(actor=partner, case=case)
    bodies = {i.detail for i in items if i.kind == "note"}
    # The share gives identity + case history: events and general notes, no services or health.
    assert bodies == {"Met family"}
    assert "event" in {i.kind for i in items}
    assert "service" not in {i.kind for i in items}
    assert "share" not in {i.kind for i in items}  # shares are the owner's business

    share = case.shares.get()
    share.scopes = ["identity", "case_history", "services", "health"]
    share.save()
    items = selectors.case_timeline(actor=partner, case=case)
    # The consent behind the share covers neither services nor health: still hidden.
    assert "service" not in {i.kind for i in items}
    consent = share.consent
    consent.scopes = ["identity", "case_history", "services", "health"]
    consent.save()
    items = selectors.case_timeline(actor=partner, case=case)
    assert {i.obj.service_type for i in items if i.kind == "service"} == {"Health", "IN:Shelter"}
    assert "HIV test" in {i.detail for i in items if i.kind == "note"}


def test_case_detail_masks_identities_without_identity_scope(personas):
    share = personas.case.shares.get()
    share.scopes = ["case_history"]
    share.save()
    detail = selectors.case_detail(actor=personas["partner"], case_id=personas.case.pk)
    assert [p.name for p in detail.participants] == ["(identity not shared)"]
    assert not detail.visibility.identity and detail.visibility.case_history
    assert detail.shares == []


def test_person_list_filters(personas):
    lead = personas["lead"]
    other = PersonFactory(owner_org=personas.own_org, gender="Masculine")
    assert set(selectors.person_list(actor=lead, filters={"gender": "Masculine"})) == {other}
    assert set(selectors.person_list(actor=lead, filters={"role": "victim"})) == {personas.person}


def test_phone_search_does_not_reveal_a_name_shared_without_identity(personas):
    from setu.consent.models import ConsentScope

    services.phone_add(actor=personas["lead"], person=personas.person, number="9830022222")
    share = personas.case.shares.get()
    share.scopes = [ConsentScope.CONTACT]
    share.save()
    share.consent.scopes = [ConsentScope.CONTACT]
    share.consent.save()
    # Contact is shared but identity is not: the result row would show a name, so none is found.
    assert personas.person not in selectors.person_search(
        actor=personas["partner"], query="9830022222"
    )
