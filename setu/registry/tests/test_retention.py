"""Retention (issue 28, promise 6): closed cases are anonymised after the configured period,
statistics stay, and the audit trail still verifies because it never held the values."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from setu.audit import services as audit
from setu.audit.models import AuditEntry
from setu.consent.models import Consent
from setu.core.changes import PERSONAL_MARK
from setu.matching.models import MatchRecord
from setu.orgs.models import District
from setu.registry import services
from setu.registry.models import (
    Address,
    CaseNote,
    CasePerson,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonNameToken,
    Phone,
)
from setu.registry.services import retention
from setu.registry.tests.factories import CaseFactory, CasePersonFactory, ConsentFactory

# The case closes today; retention runs as if 3,000 days (over the 2,555 configured) had passed.
CLOSED = datetime.date.today()
TODAY = CLOSED + datetime.timedelta(days=3000)
# Values a survivor gave; none may remain anywhere once retention ran.
NAME, FAMILY, NEW_NAME = "Sulekha", "Bibi", "Sulekhaa"
PHONE, VILLAGE, DOC, NOTE = "9876501234", "Char Bhadrapur", "XK4455", "Sulekha said her aunt"
GUARDIAN = "Rahima Bibi"


@pytest.fixture
def closed_long_ago(personas):
    """A survivor recorded through the services, in a case closed 3,000 days before TODAY."""
    lead = personas["lead"]
    district = District.objects.order_by("code").first()
    person = services.person_create(
        actor=lead,
        given_name=NAME,
        family_name=FAMILY,
        gender="Feminine",
        birth_date=datetime.date(2008, 7, 14),
        father_name="Anwar",
        mother_name="Jahanara",
    )
    services.person_update(actor=lead, person=person, given_name=NEW_NAME)
    services.alias_add(actor=lead, person=person, name="Sulu")
    services.phone_add(actor=lead, person=person, number=PHONE)
    services.address_add(actor=lead, person=person, village=VILLAGE, district=district)
    services.document_add(actor=lead, person=person, doc_type="voter_id", number=DOC)
    case = personas.case
    services.case_add_person(actor=lead, case=case, person=person, role="victim")
    services.note_add(actor=lead, case=case, body=NOTE)
    ConsentFactory(person=person, given_by="guardian", given_by_name=GUARDIAN)
    services.case_close(actor=lead, case=case, closed_on=CLOSED)
    return person


def _trail_text() -> str:
    return json.dumps(
        [[e.actor_label, e.target_id, e.changes, e.details] for e in AuditEntry.objects.all()],
        ensure_ascii=False,
    )


def test_the_trail_never_holds_the_personal_values_only_which_field_changed(closed_long_ago):
    trail = _trail_text()
    for value in (NAME, NEW_NAME, FAMILY, PHONE, VILLAGE, DOC, NOTE, "Anwar", "2008-07-14"):
        assert value not in trail, value
    update = AuditEntry.objects.filter(action="update", target_id=str(closed_long_ago.pk)).first()
    assert update.changes == {
        "before": {"given_name": PERSONAL_MARK},
        "after": {"given_name": PERSONAL_MARK},
    }


def test_closed_cases_past_the_period_are_anonymised_and_statistics_stay(closed_long_ago):
    person = closed_long_ago
    district_id = Address.objects.get(person=person).district_id
    other = CasePersonFactory(  # the person of a case still open
        case=CaseFactory(owner_org=person.owner_org)
    ).person

    result = retention.retention_run(today=TODAY, days=2555)

    # She and the fixture's survivor, the case's two persons.
    assert (result.cases, result.persons) == (1, 2)
    person.refresh_from_db()
    assert person.anonymised_at is not None and person.archived_at is not None
    assert [person.given_name, person.family_name, person.father_name, person.mother_name] == [
        "",
        "",
        "",
        "",
    ]
    assert not PersonNameToken.objects.filter(person=person).exists()
    assert str(person) == "(anonymised)"
    assert person.birth_date == datetime.date(2008, 1, 1) and person.birth_date_precision == "year"
    assert not PersonAlias.objects.filter(person=person).exists()
    assert not Phone.objects.filter(person=person).exists()
    assert not IdentityDocument.objects.filter(person=person).exists()
    assert not MatchRecord.objects.filter(person_id=person.pk).exists()
    address = Address.objects.get(person=person)
    assert (address.village, address.district_id) == ("", district_id)
    assert not CaseNote.objects.filter(case=closed_long_ago.case_links.get().case, body=NOTE)
    assert Consent.objects.get(person=person).given_by_name == ""
    # What statistics count is still there.
    assert person.gender == "Feminine"
    assert CasePerson.objects.get(person=person).role == "victim"
    # The person of an open case is untouched.
    other.refresh_from_db()
    assert other.anonymised_at is None and other.given_name

    # Nothing of her remains in the database's person tables or the trail, and it verifies.
    assert not [p for p in Person.objects.all() if p.given_name in (NAME, NEW_NAME)]
    trail = _trail_text()
    for value in (NAME, NEW_NAME, PHONE, VILLAGE, DOC, NOTE, GUARDIAN):
        assert value not in trail, value
    report = audit.verify_report()
    assert report.problems == []
    retention_entry = AuditEntry.objects.filter(
        target_id=str(person.pk), details__what="retention"
    ).get()
    assert retention_entry.details["removed"]["phones"] == 1


def test_a_person_with_an_open_or_recent_case_is_kept(closed_long_ago):
    # The same person in a second case, closed only last year: she is not due yet.
    recent = CaseFactory(
        owner_org=closed_long_ago.owner_org,
        status="Closed",
        closed_on=TODAY - datetime.timedelta(days=365),
    )
    CasePersonFactory(case=recent, person=closed_long_ago)
    result = retention.retention_run(today=TODAY, days=2555)
    assert (result.cases, result.persons) == (1, 1)  # only the fixture's survivor
    closed_long_ago.refresh_from_db()
    assert closed_long_ago.given_name == NEW_NAME


def test_zero_days_turns_retention_off(closed_long_ago):
    with override_settings(SETU_RETENTION_DAYS=0):
        result = retention.retention_run(today=TODAY)
    assert (result.cases, result.persons) == (0, 0)


def test_the_command_counts_first_and_a_second_run_finds_nothing(closed_long_ago, monkeypatch):
    monkeypatch.setattr(retention.timezone, "localdate", lambda: TODAY)
    out = StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    assert "Due: 1 cases" in out.getvalue() and "2 persons" in out.getvalue()
    closed_long_ago.refresh_from_db()
    assert closed_long_ago.anonymised_at is None
    call_command("retention", "run", stdout=out)
    again = StringIO()
    call_command("retention", "run", stdout=again)
    assert "Anonymised: 0 cases" in again.getvalue() and "0 persons" in again.getvalue()


def test_retention_removes_her_photos_and_the_cases_documents_with_their_files(
    closed_long_ago, personas, django_capture_on_commit_callbacks
):
    from setu.core import uploads
    from setu.registry.models import Attachment
    from setu.registry.tests import uploadfiles

    lead = personas["lead"]
    photo = services.attachment_add(
        actor=lead,
        person=closed_long_ago,
        kind="photo",
        upload=uploadfiles.upload(uploadfiles.photo()),
        title=f"{NAME} at the rescue",
    )
    scan = services.attachment_add(
        actor=lead,
        case=personas.case,
        kind="document",
        upload=uploadfiles.upload(uploadfiles.pdf()),
    )
    # Someone else's photo, in a case still open, stays.
    kept = services.attachment_add(
        actor=lead,
        person=CasePersonFactory(case=CaseFactory(owner_org=personas.own_org)).person,
        kind="photo",
        upload=uploadfiles.upload(uploadfiles.photo()),
    )
    paths = [uploads.stored_path(a.stored_name) for a in (photo, scan, kept)]

    with django_capture_on_commit_callbacks(execute=True):
        retention.retention_run(today=TODAY, days=2555)

    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert [p.exists() for p in paths] == [False, False, True]
    assert NAME not in _trail_text()  # the caption named her; the trail never held it
    removed = AuditEntry.objects.get(target_id=str(closed_long_ago.pk), details__what="retention")
    assert removed.details["removed"]["attachments"] == 1
    assert audit.verify_report().problems == []
