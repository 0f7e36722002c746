"""Encryption at rest (issue 28, promise 3): what the database holds, what opens, what fails,
rotation and retirement of keys, search through blind indexes, the data migration's steps and
the deploy check."""

from __future__ import annotations

import base64
import json
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from setu.core import checks, crypto
from setu.fieldkeys import services
from setu.fieldops.models import Operation
from setu.registry import selectors
from setu.registry import services as registry
from setu.registry.models import IdentityDocument, Phone
from setu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NUMBER = "+919812345678"
K1, K2, IDX = (base64.b64encode(os.urandom(32)).decode() for _ in range(3))


def _keys(**keys: str) -> override_settings:
    return override_settings(
        FIELD_KEYS=json.dumps(keys), FIELD_INDEX_KEY=IDX, FIELD_KEYS_DERIVED=False
    )


def _raw(model, column: str, pk) -> str:
    """A column as the database holds it, read with SQL (no Django field in between)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608  (our own names)
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def _write_raw(model, column: str, pk, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, model._meta.pk.get_db_prep_value(pk, connection)],
        )


@pytest.fixture
def under_key_1(personas) -> None:
    """The personas' names, written under the derived development key, moved to key 1 as a
    deployment's rotation would, so that the tests below can switch between K1 and K2."""
    from django.conf import settings

    dev = crypto._keyring("", "", settings.SECRET_KEY, True).keys[crypto.DEV_KEY_ID]
    with _keys(**{crypto.DEV_KEY_ID: base64.b64encode(dev).decode(), "1": K1}):
        services.keys_rotate()


@pytest.fixture
def phone(personas) -> Phone:
    return registry.phone_add(actor=personas["lead"], person=personas.person, number=NUMBER)


def test_the_column_holds_no_plain_text_and_the_value_opens_again(phone):
    stored = _raw(Phone, "number", phone.pk)
    assert stored.startswith("vdev:")
    assert NUMBER not in stored and NUMBER[3:] not in stored and "9812345678" not in stored
    assert Phone.objects.get(pk=phone.pk).number == NUMBER
    # The indexes are digests, not the number or its end.
    for column in ("number_index", "number_tail_index"):
        digest = _raw(Phone, column, phone.pk)
        assert len(digest) == 64 and "345678" not in digest


def test_the_same_number_encrypts_differently_each_time(personas):
    other = PersonFactory(owner_org=personas.own_org)
    a = registry.phone_add(actor=personas["lead"], person=personas.person, number=NUMBER)
    b = registry.phone_add(actor=personas["lead"], person=other, number=NUMBER)
    assert _raw(Phone, "number", a.pk) != _raw(Phone, "number", b.pk)
    # ...while the blind index is equal, which is what makes exact search possible.
    assert _raw(Phone, "number_index", a.pk) == _raw(Phone, "number_index", b.pk)


def test_document_numbers_and_target_places_are_encrypted_too(personas):
    doc = registry.document_add(
        actor=personas["lead"], person=personas.person, doc_type="voter_id", number="ABC1234567"
    )
    assert "1234567" not in _raw(IdentityDocument, "number", doc.pk)
    assert IdentityDocument.objects.get(pk=doc.pk).number == "ABC1234567"
    op = Operation.objects.create(
        owner_org=personas.own_org,
        kind="rescue",
        code_name="Neem",
        target_place="Third floor above the tea stall, Lane 4",
        planned_start="2026-01-01T10:00Z",
        expected_end="2026-01-01T14:00Z",
    )
    assert "tea stall" not in _raw(Operation, "target_place", op.pk)
    assert Operation.objects.get(pk=op.pk).target_place.startswith("Third floor")


def test_an_altered_value_does_not_open(phone):
    stored = _raw(Phone, "number", phone.pk)
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    _write_raw(Phone, "number", phone.pk, flipped)
    with pytest.raises(crypto.Undecryptable, match="altered or belongs to another row"):
        _ = Phone.objects.get(pk=phone.pk).number


def test_a_value_moved_to_another_row_does_not_open(personas, phone):
    other = registry.phone_add(
        actor=personas["lead"],
        person=PersonFactory(owner_org=personas.own_org),
        number="9000000001",
    )
    # Someone with write access to the database gives her number to another person's row.
    _write_raw(Phone, "number", other.pk, _raw(Phone, "number", phone.pk))
    with pytest.raises(crypto.Undecryptable):
        _ = Phone.objects.get(pk=other.pk).number
    # Nor into another column of the same row (a document's number is bound to its column).
    doc = registry.document_add(
        actor=personas["lead"], person=personas.person, doc_type="pan", number="ABCDE1234F"
    )
    _write_raw(IdentityDocument, "number", doc.pk, _raw(Phone, "number", phone.pk))
    with pytest.raises(crypto.Undecryptable):
        _ = IdentityDocument.objects.get(pk=doc.pk).number


def test_plain_text_cannot_be_written_or_searched_around_the_field(phone):
    with pytest.raises(TypeError, match="encrypted"):
        Phone.objects.filter(pk=phone.pk).update(number="+919999999999")
    with pytest.raises(TypeError, match="blind index"):
        list(Phone.objects.filter(number=NUMBER))


def test_saving_an_unchanged_row_keeps_its_ciphertext(phone):
    before = _raw(Phone, "number", phone.pk)
    loaded = Phone.objects.get(pk=phone.pk)
    loaded.note = "evenings only"
    loaded.save()
    assert _raw(Phone, "number", phone.pk) == before


def test_search_by_phone_still_finds_her(personas, phone):
    lead = personas["lead"]
    for query in (NUMBER, "98123 45678", "0091 98123-45678", "2345678", "345678"):
        found = list(selectors.person_search(actor=lead, query=query))
        assert found == [personas.person], query
    assert not selectors.person_search(actor=lead, query="98123 45679").exists()
    assert not selectors.person_search(actor=lead, query="945678").exists()
    # Another organisation, without a share, finds nothing by her number.
    assert not selectors.person_search(actor=personas["other_org"], query=NUMBER).exists()


def test_a_tail_search_checks_the_whole_end_not_just_the_last_six_digits(personas, phone):
    lead = personas["lead"]
    # Same last six digits, different seventh: the index narrows, the clear comparison decides.
    registry.phone_add(
        actor=lead, person=PersonFactory(owner_org=personas.own_org), number="+919800345678"
    )
    assert len(selectors.person_search(actor=lead, query="345678")) == 2
    assert list(selectors.person_search(actor=lead, query="2345678")) == [personas.person]


def test_search_by_document_number_finds_her(personas):
    lead = personas["lead"]
    registry.document_add(
        actor=lead, person=personas.person, doc_type="voter_id", number="ABC1234567"
    )
    for query in ("ABC1234567", "abc 123 4567", "ABC-1234567"):
        assert list(selectors.person_search(actor=lead, query=query)) == [personas.person], query
    assert not selectors.person_search(actor=lead, query="ABC1234568").exists()
    assert not selectors.person_search(actor=personas["other_org"], query="ABC1234567").exists()


def test_a_duplicate_phone_is_still_refused(personas, phone):
    from setu.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        registry.phone_add(actor=personas["lead"], person=personas.person, number="9812345678")


def test_rotation_re_encrypts_and_the_old_key_can_be_retired(personas, under_key_1):
    with _keys(**{"1": K1}):
        a = registry.phone_add(actor=personas["lead"], person=personas.person, number=NUMBER)
        b = registry.phone_add(
            actor=personas["lead"], person=personas.person, number="+919800000002"
        )
        assert _raw(Phone, "number", a.pk).startswith("v1:")
    with _keys(**{"1": K1, "2": K2}):
        # A new key encrypts new values at once; old ones still open with key 1.
        assert Phone.objects.get(pk=a.pk).number == NUMBER
        status = services.key_status()
        assert status.current == "2" and not status.retirable
        assert crypto.key_counts(Phone)["number"]["1"] == 2
        # One batch of one row, then the rest: resumable, each batch on its own.
        with transaction.atomic():
            assert crypto.rotate_batch(Phone, batch=1) == 1
        assert crypto.key_counts(Phone)["number"]["1"] == 1
        out = StringIO()
        call_command("keys", "rotate", "--batch", "1", stdout=out)
        assert "Key 1 holds no value any more: it may be retired." in out.getvalue()
        assert _raw(Phone, "number", a.pk).startswith("v2:")
        assert _raw(Phone, "number", b.pk).startswith("v2:")
        assert services.key_status().retirable == ["1"]
    with _keys(**{"2": K2}):
        # Key 1 retired: everything opens and search works.
        assert Phone.objects.get(pk=a.pk).number == NUMBER
        assert list(selectors.person_search(actor=personas["lead"], query=NUMBER)) == [
            personas.person
        ]


def test_a_key_retired_too_early_is_reported_not_silently_lost(personas):
    with _keys(**{"1": K1}):
        phone = registry.phone_add(actor=personas["lead"], person=personas.person, number=NUMBER)
    with _keys(**{"2": K2}):
        with pytest.raises(crypto.Undecryptable, match="not configured"):
            _ = Phone.objects.get(pk=phone.pk).number
        with pytest.raises(CommandError, match="under no configured key"):
            call_command("keys", "status", stdout=StringIO())


def test_a_new_index_key_needs_a_reindex_and_search_works_after_it(personas, under_key_1):
    from setu.matching import engine
    from setu.matching import services as matching
    from setu.matching.models import MatchKey, MatchRecord

    with _keys(**{"1": K1}):
        registry.phone_add(actor=personas["lead"], person=personas.person, number=NUMBER)
        matching.records_refresh([personas.person.pk])
        before = set(MatchKey.objects.values_list("key", flat=True))
    other_index = base64.b64encode(os.urandom(32)).decode()
    with override_settings(
        FIELD_KEYS=json.dumps({"1": K1}), FIELD_INDEX_KEY=other_index, FIELD_KEYS_DERIVED=False
    ):
        assert not selectors.person_search(actor=personas["lead"], query=NUMBER).exists()
        call_command("keys", "reindex", stdout=StringIO())
        assert selectors.person_search(actor=personas["lead"], query=NUMBER).exists()
        # The match index's keys were rebuilt under the new key too.
        record = MatchRecord.objects.get(person=personas.person)
        after = set(MatchKey.objects.values_list("key", flat=True))
        assert after == set(engine.index_keys(engine.record_from_data(record.data)))
        assert not after & before


def test_the_data_migration_encrypts_plain_rows_in_place_and_back(personas, phone):
    # A row as it was before encryption: plain text, no index.
    _write_raw(Phone, "number", phone.pk, NUMBER)
    _write_raw(Phone, "number_index", phone.pk, "")
    assert crypto.encrypt_table(Phone) == 1
    assert _raw(Phone, "number", phone.pk).startswith("vdev:")
    assert selectors.person_search(actor=personas["lead"], query=NUMBER).exists()
    # Run twice (a retried migration): values stay readable, not encrypted twice.
    crypto.encrypt_table(Phone)
    assert Phone.objects.get(pk=phone.pk).number == NUMBER
    # The reverse writes the plain number back and empties the index.
    assert crypto.decrypt_table(Phone) == 1
    assert _raw(Phone, "number", phone.pk) == NUMBER
    assert _raw(Phone, "number_index", phone.pk) == ""


def test_rotation_is_audited_without_any_value(personas, phone):
    from setu.audit.models import AuditEntry

    call_command("keys", "rotate", stdout=StringIO())
    entry = AuditEntry.objects.filter(target_type="fieldkeys").latest("seq")
    assert entry.details["what"] == "rotate"
    assert NUMBER not in json.dumps(entry.details)


MESSAGES = (
    "SETU_FIELD_KEYS is not set",
    "SETU_FIELD_INDEX_KEY is not set",
    "must be a JSON object",
    "32 bytes",
    "key ids",
    "must differ",
)


@pytest.mark.parametrize(
    "field_keys,index_key,message",
    [
        ("", "", "SETU_FIELD_KEYS is not set"),
        (json.dumps({"1": K1}), "", "SETU_FIELD_INDEX_KEY is not set"),
        ("not json", IDX, "must be a JSON object"),
        (json.dumps({"1": "c2hvcnQ="}), IDX, "32 bytes"),
        (json.dumps({"a:b": K1}), IDX, "key ids"),
        (json.dumps({"1": K1}), K1, "must differ"),
    ],
    # The keys are random per process: ids from the message keep both xdist workers' lists equal.
    ids=lambda value: value if value in MESSAGES else "",
)
def test_production_without_good_keys_fails_the_deploy_check(field_keys, index_key, message):
    with override_settings(
        FIELD_KEYS=field_keys, FIELD_INDEX_KEY=index_key, FIELD_KEYS_DERIVED=False
    ):
        errors = checks.field_keys_configured()
        assert [e.id for e in errors] == ["setu.E005"]
        assert message in errors[0].msg


def test_derived_keys_fail_the_deploy_check_and_configured_keys_pass():
    with override_settings(FIELD_KEYS="", FIELD_INDEX_KEY="", FIELD_KEYS_DERIVED=True):
        assert [e.id for e in checks.field_keys_configured()] == ["setu.E006"]
    with _keys(**{"1": K1}):
        assert checks.field_keys_configured() == []


def test_keys_new_prints_a_fresh_32_byte_key():
    out = StringIO()
    call_command("keys", "new", stdout=out)
    assert len(base64.b64decode(out.getvalue().strip())) == 32


def test_the_match_index_keeps_no_readable_copy_of_her(personas, phone):
    from setu.matching import services as matching
    from setu.matching.models import MatchKey, MatchRecord

    matching.records_refresh([personas.person.pk])
    record = MatchRecord.objects.get(person=personas.person)
    stored = _raw(MatchRecord, "data", record.pk)
    assert stored.startswith("vdev:")
    assert personas.person.given_name not in stored and "345678" not in stored
    assert record.data["phone"] == NUMBER and record.data["given_name"]
    # Its blocking keys are keyed digests: the engine's unkeyed ones are not stored.
    from setu import linkage
    from setu.matching import engine

    rec = engine.record_from_data(record.data)
    stored_keys = set(MatchKey.objects.filter(record=record).values_list("key", flat=True))
    assert stored_keys == set(engine.index_keys(rec))
    assert not stored_keys & set(linkage.index_keys(rec))
    # A second refresh (an unchanged record) still reads back.
    matching.records_refresh([personas.person.pk])
    assert MatchRecord.objects.get(pk=record.pk).data["phone"] == NUMBER
