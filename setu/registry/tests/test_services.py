import datetime

import pytest
from django.utils import timezone

from setu.access import policy
from setu.access.policy import Action
from setu.audit.models import AuditAction, AuditEntry
from setu.consent import services as consent_services
from setu.consent.models import CaseShare
from setu.core.changes import PERSONAL_MARK
from setu.core.errors import ConsentRequired, Forbidden, InvalidInput, NotFound
from setu.registry import services
from setu.registry.models import Person, PersonNameToken, Phone
from setu.registry.tests.factories import (
    CaseFactory,
    CasePersonFactory,
    ConsentFactory,
    PersonFactory,
)
from setu.registry.text import aadhaar_last_four, normalise_phone, query_digests, search_key


def _entries(action, target_id):
    return AuditEntry.objects.filter(action=action, target_id=str(target_id))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9830012345", "+919830012345"),
        ("098300 12345", "+919830012345"),
        ("+91 98300-12345", "+919830012345"),
        ("919830012345", "+919830012345"),
        ("0091 9830012345", "+919830012345"),
        ("033 2222 3333", "+913322223333"),
        ("+977 9812345678", "+9779812345678"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "+91 12345", "0123456789", "phone", "+0 1234567890"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValueError, match="Indian number"):
        normalise_phone(raw)


def test_aadhaar_guard():
    assert aadhaar_last_four("XXXX XXXX 1234") == "1234"
    with pytest.raises(ValueError, match="Only the last four digits"):
        aadhaar_last_four("2345 6789 1234")
    with pytest.raises(ValueError, match="last four"):
        aadhaar_last_four("12")


def test_search_key_folds_spelling_variants():
    assert search_key(["Pooja"]) == search_key(["Puja"])
    assert search_key(["Laxmi"]) == search_key(["Lakshmi"])
    assert search_key(["Khatoon"]) == search_key(["KHATUN"])
    assert search_key(["Rāmā"]) == search_key(["rama"])


def _finds(person, query: str) -> bool:
    """Whether the person's name tokens hold every word of a name search."""
    tokens = set(PersonNameToken.objects.filter(person=person).values_list("digest", flat=True))
    digests = query_digests(query)
    return bool(digests) and set(digests) <= tokens


def test_person_create_audits_and_fills_defaults(personas):
    lead = personas["lead"]
    person = services.person_create(
        actor=lead, given_name="Puja", family_name="Mondal", name_native="পূজা", estimated_age=15
    )
    assert person.owner_org_id == lead.organisation_id
    assert person.name_native_script == "bengali"
    assert person.age_estimated_on == timezone.localdate()
    assert _finds(person, "p") is False  # one letter: whole words only
    assert _finds(person, "pu")
    assert _finds(person, "Pooj") and _finds(person, "পূজা Mondal") and _finds(person, "mond")
    entry = _entries(AuditAction.CREATE, person.pk).get()
    assert entry.changes["after"]["given_name"] == PERSONAL_MARK  # the trail keeps no names


def test_person_update_keeps_the_date_of_an_unchanged_age_estimate(personas):
    estimated_on = datetime.date(2024, 6, 30)
    person = PersonFactory(
        owner_org=personas.own_org, estimated_age=16, age_estimated_on=estimated_on
    )
    services.person_update(
        actor=personas["lead"], person=person, estimated_age=16, age_estimated_on=None
    )
    person.refresh_from_db()
    assert person.age_estimated_on == estimated_on

    services.person_update(
        actor=personas["lead"], person=person, estimated_age=17, age_estimated_on=None
    )
    person.refresh_from_db()
    assert person.age_estimated_on == timezone.localdate()


def test_person_create_refuses_dob_and_age_together_and_saves_nothing(personas):
    before = Person.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.person_create(
            actor=personas["lead"],
            given_name="Rina",
            birth_date=datetime.date(2010, 1, 1),
            estimated_age=14,
        )
    assert "estimated_age" in exc.value.errors
    assert Person.objects.count() == before


def test_person_create_refuses_unknown_fields(personas):
    with pytest.raises(InvalidInput) as exc:
        services.person_create(actor=personas["lead"], given_name="Rina", owner_org=None)
    assert "owner_org" in exc.value.errors


def test_person_update_records_before_and_after(personas):
    person = personas.person
    old = person.given_name
    services.person_update(actor=personas["lead"], person=person, given_name="Parvati")
    entry = _entries(AuditAction.UPDATE, person.pk).get()
    assert entry.changes == {
        "before": {"given_name": PERSONAL_MARK},
        "after": {"given_name": PERSONAL_MARK},
    }
    assert old not in str(entry.changes)
    person.refresh_from_db()
    assert _finds(person, "Parbat")  # v and b fold together (Parvati/Parboti)
    assert not _finds(person, old)


def test_bad_update_leaves_the_person_unchanged(personas):
    person = personas.person
    snapshot = (person.given_name, person.family_name, person.birth_date)
    with pytest.raises(InvalidInput) as exc:
        services.person_update(
            actor=personas["lead"],
            person=person,
            given_name="Changed",
            birth_date=datetime.date(2999, 1, 1),
            estimated_age=None,
        )
    assert "birth_date" in exc.value.errors
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.birth_date) == snapshot
    assert not _entries(AuditAction.UPDATE, person.pk).exists()


@pytest.mark.parametrize(("who", "error"), [("counsellor", Forbidden), ("other_org", NotFound)])
def test_only_case_editors_of_the_owning_org_may_edit(personas, who, error):
    with pytest.raises(error):
        services.person_update(actor=personas[who], person=personas.person, given_name="X")


def test_phone_add_normalises_and_rejects_duplicates(personas):
    phone = services.phone_add(actor=personas["lead"], person=personas.person, number="09830012345")
    assert phone.number == "+919830012345"
    with pytest.raises(InvalidInput) as exc:
        services.phone_add(actor=personas["lead"], person=personas.person, number="9830012345")
    assert "number" in exc.value.errors
    with pytest.raises(InvalidInput):
        services.phone_add(actor=personas["lead"], person=personas.person, number="12-34")
    assert Phone.objects.filter(person=personas.person).count() == 1


def test_full_aadhaar_number_is_never_stored(personas):
    with pytest.raises(InvalidInput) as exc:
        services.document_add(
            actor=personas["lead"],
            person=personas.person,
            doc_type="aadhaar",
            number="2345 6789 0123",
        )
    assert exc.value.errors["number"] == [
        "Only the last four digits of an Aadhaar number may be stored."
    ]
    assert not personas.person.documents.exists()
    assert not AuditEntry.objects.filter(changes__icontains="23456789").exists()
    doc = services.document_add(
        actor=personas["lead"], person=personas.person, doc_type="aadhaar", number="xxxx 0123"
    )
    assert doc.number == "0123"


def test_alias_add_and_remove_keep_the_name_tokens(personas):
    lead, person = personas["lead"], personas.person
    alias = services.alias_add(actor=lead, person=person, name="Munni")
    alias_id = alias.pk
    assert _finds(person, "Muni")
    services.alias_remove(actor=lead, alias=alias)
    assert not _finds(person, "Muni")
    assert _entries(AuditAction.DELETE, alias_id).get().changes["before"]["name"] == PERSONAL_MARK


def test_address_district_must_match_state(personas):
    from setu.orgs.models import District, State

    district = District.objects.select_related("state").first()
    other_state = State.objects.exclude(pk=district.state_id).first()
    with pytest.raises(InvalidInput) as exc:
        services.address_add(
            actor=personas["lead"], person=personas.person, district=district, state=other_state
        )
    assert "district" in exc.value.errors
    address = services.address_add(
        actor=personas["lead"], person=personas.person, district=district
    )
    assert address.state_id == district.state_id


def test_case_reference_is_numbered_per_org_and_year(personas):
    lead = personas["lead"]
    first = services.case_create(actor=lead, opened_on=datetime.date(2025, 4, 1))
    second = services.case_create(actor=lead, opened_on=datetime.date(2025, 5, 1))
    prefix = personas.own_org.short_name.upper()
    assert first.reference == f"{prefix}/2025/0001"
    assert second.reference == f"{prefix}/2025/0002"
    assert first.case_owner_id == lead.user.pk
    other = services.case_create(actor=personas["other_org"], opened_on=datetime.date(2025, 4, 1))
    assert other.reference.endswith("/2025/0001")


def test_numbering_continues_above_the_highest_number_in_either_spelling(personas):
    lead = personas["lead"]
    prefix = personas.own_org.short_name.upper()
    services.case_create(
        actor=lead, reference=f"{prefix}/2025/0007", opened_on=datetime.date(2025, 1, 2)
    )
    CaseFactory(owner_org=personas.own_org, reference=f"{prefix}-2025-0009")
    case = services.case_create(actor=lead, opened_on=datetime.date(2025, 4, 1))
    assert case.reference == f"{prefix}/2025/0010"


def test_a_typed_reference_is_written_in_the_one_scheme(personas):
    case = services.case_create(actor=personas["lead"], reference=" pcms-2026-4 ")
    assert case.reference == "PCMS/2026/0004"
    with pytest.raises(InvalidInput):
        services.case_create(actor=personas["lead"], reference="PCMS/2026/0004")
    free_form = services.case_create(actor=personas["lead"], reference="DLSA file 12/2026")
    assert free_form.reference == "DLSA file 12/2026"


def test_duplicate_reference_is_refused(personas):
    with pytest.raises(InvalidInput):
        services.case_create(actor=personas["lead"], reference=personas.case.reference)


def test_case_close_sets_date_and_note(personas):
    case = services.case_close(actor=personas["lead"], case=personas.case, reason="Restored home")
    assert case.status == "Closed" and case.closed_on == timezone.localdate()
    assert case.notes.get().body == "Restored home"


def test_case_add_person_only_own_org_persons(personas):
    stranger = PersonFactory(owner_org=personas.partner_org)
    with pytest.raises(NotFound):
        services.case_add_person(
            actor=personas["lead"], case=personas.case, person=stranger, role="family"
        )
    family = PersonFactory(owner_org=personas.own_org)
    link = services.case_add_person(
        actor=personas["lead"], case=personas.case, person=family, role="family"
    )
    assert link.case_id == personas.case.pk
    with pytest.raises(InvalidInput):
        services.case_add_person(
            actor=personas["lead"], case=personas.case, person=family, role="family"
        )


def test_event_refuses_person_outside_case_and_future_date(personas):
    outsider = PersonFactory(owner_org=personas.own_org)
    with pytest.raises(InvalidInput) as exc:
        services.event_add(
            actor=personas["lead"],
            case=personas.case,
            kind="IN:Rescue",
            person=outsider,
            occurred_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert set(exc.value.errors) == {"person", "occurred_on"}
    assert not personas.case.events.exists()


def test_exploitation_and_control_means_are_sets(personas):
    lead, case = personas["lead"], personas.case
    services.exploitation_set(actor=lead, case=case, forms=["ForcedLabour", "IN:BondedLabour"])
    services.exploitation_set(actor=lead, case=case, forms=["IN:BondedLabour"])
    assert list(case.exploitations.values_list("form", flat=True)) == ["IN:BondedLabour"]
    with pytest.raises(InvalidInput):
        services.exploitation_set(actor=lead, case=case, forms=["Nonsense"])
    services.control_means_set(actor=lead, case=case, means=["DebtBondage", "DebtBondage"])
    assert case.control_means.count() == 1


def test_service_end_before_start_is_refused(personas):
    with pytest.raises(InvalidInput) as exc:
        services.service_add(
            actor=personas["lead"],
            case=personas.case,
            service_type="Health",
            started_on=datetime.date(2025, 3, 2),
            ended_on=datetime.date(2025, 3, 1),
        )
    assert "ended_on" in exc.value.errors


def test_partner_cannot_add_notes_to_a_shared_case(personas):
    with pytest.raises(Forbidden):
        services.note_add(actor=personas["partner"], case=personas.case, body="hello")
    note = services.note_add(actor=personas["counsellor"], case=personas.case, body="hello")
    assert note.author_id == personas.users["counsellor"].pk


def test_consent_withdrawal_ends_every_share_relying_on_it(personas):
    share = personas.case.shares.get()
    consent = share.consent
    assert policy.can(personas["partner"], Action.VIEW, personas.case)
    consent_services.consent_withdraw(actor=personas["counsellor"], consent=consent)
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert not policy.can(personas["partner"], Action.VIEW, personas.case)
    entry = _entries(AuditAction.CONSENT_WITHDRAWN, consent.pk).get()
    assert entry.details["shares_ended"] == [str(share.pk)]
    assert _entries(AuditAction.UNSHARE, share.pk).exists()
    with pytest.raises(InvalidInput):
        consent_services.consent_withdraw(actor=personas["lead"], consent=consent)


def test_consent_for_a_child_needs_the_guardian_named(personas):
    with pytest.raises(InvalidInput) as exc:
        consent_services.consent_record(
            actor=personas["lead"], person=personas.person, scopes=["identity"], given_by="cwc"
        )
    assert "given_by_name" in exc.value.errors


def test_share_requires_a_consent_covering_scopes_and_org(personas):
    lead, case, other = personas["lead"], personas.case, personas.other_org
    # The survivor's network-wide consent covers identity and case history, not contact.
    with pytest.raises(ConsentRequired, match="No consent in force"):
        consent_services.case_share(
            actor=lead, case=case, organisation=other, scopes=["contact"], reason="Tracing"
        )
    share = consent_services.case_share(
        actor=lead, case=case, organisation=other, scopes=["identity"], reason="Tracing"
    )
    assert share.consent.person_id == personas.person.pk
    assert _entries(AuditAction.SHARE, share.pk).exists()


def test_consent_naming_another_org_does_not_cover(personas):
    case = personas.case
    person = CasePersonFactory(case=case).person
    ConsentFactory(person=person, scopes=["contact"], recipient_org=personas.partner_org)
    with pytest.raises(ConsentRequired):
        consent_services.case_share(
            actor=personas["lead"],
            case=case,
            organisation=personas.other_org,
            scopes=["contact"],
            reason="x",
        )


def test_share_validation_errors_name_fields(personas):
    count = CaseShare.objects.count()
    with pytest.raises(InvalidInput) as exc:
        consent_services.case_share(
            actor=personas["lead"],
            case=personas.case,
            organisation=personas.own_org,
            scopes=["statistics"],
            reason="",
        )
    assert {"organisation", "scopes", "reason"} <= set(exc.value.errors)
    assert CaseShare.objects.count() == count


def test_unshare_ends_access(personas):
    share = personas.case.shares.get()
    consent_services.case_unshare(actor=personas["lead"], share=share)
    assert not policy.can(personas["partner"], Action.VIEW, personas.case)
    with pytest.raises(InvalidInput):
        consent_services.case_unshare(actor=personas["lead"], share=share)


def test_person_archive(personas):
    services.person_archive(actor=personas["lead"], person=personas.person)
    personas.person.refresh_from_db()
    assert personas.person.archived_at is not None
    assert _entries(AuditAction.ARCHIVE, personas.person.pk).exists()
