"""Names encrypted at rest, and name search through blind indexes of their words (issue 28,
promise 3; docs/deployment.md §12): what the tables hold, what search finds, rotation and
re-indexing of the names."""

from __future__ import annotations

import base64
import json
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from setu.core import crypto
from setu.fieldkeys import services as fieldkeys
from setu.registry import selectors
from setu.registry import services as registry
from setu.registry.models import Address, Person, PersonAlias, PersonNameToken
from setu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# Every personal value the test writes, and the folded forms search works on.
CLEAR = (
    "Roopa", "Khatoon", "রূপা", "Abdul", "Amina", "Salim", "Munni", "Jalangi", "Behind the mosque",
    "rup", "katun", "muni", "jalang",
)  # fmt: skip


def _table(table: str) -> str:
    """Every value of a table as the database holds it, read with SQL, as one text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (our own table names)
        return "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall())


@pytest.fixture
def roopa(personas) -> Person:
    lead = personas["lead"]
    person = registry.person_create(
        actor=lead,
        given_name="Roopa",
        family_name="Khatoon",
        name_native="রূপা",
        father_name="Abdul",
        mother_name="Amina",
        spouse_name="Salim",
        home={"village": "Jalangi", "line": "Behind the mosque"},
    )
    registry.alias_add(actor=lead, person=person, name="Munni")
    return person


def _found(actor, query: str) -> list[Person]:
    return list(selectors.person_search(actor=actor, query=query))


def test_the_person_alias_address_and_token_tables_hold_no_name_in_clear(roopa):
    dump = "\n".join(
        _table(t)
        for t in (
            "registry_person",
            "registry_personalias",
            "registry_address",
            "registry_personnametoken",
        )
    ).casefold()
    for value in CLEAR:
        assert value.casefold() not in dump, value
    # The values open again on the instances, and only there.
    person = Person.objects.get(pk=roopa.pk)
    assert (person.given_name, person.family_name, person.name_native) == (
        "Roopa",
        "Khatoon",
        "রূপা",
    )
    assert (person.father_name, person.mother_name, person.spouse_name) == (
        "Abdul",
        "Amina",
        "Salim",
    )
    assert PersonAlias.objects.get(person=roopa).name == "Munni"
    address = Address.objects.get(person=roopa)
    assert (address.village, address.line) == ("Jalangi", "Behind the mosque")
    # The tokens are digests: as many as her words and their starts, each 64 hex characters.
    digests = list(PersonNameToken.objects.filter(person=roopa).values_list("digest", flat=True))
    assert digests and all(len(d) == 64 and int(d, 16) >= 0 for d in digests)


def test_plain_names_cannot_be_searched_in_sql(roopa):
    with pytest.raises(TypeError, match="encrypted"):
        list(Person.objects.filter(given_name="Roopa"))


def test_search_by_whole_word_by_prefix_and_by_alias(personas, roopa):
    lead = personas["lead"]
    PersonFactory(owner_org=personas.own_org, given_name="Rupali", family_name="Mondal")
    # The fixtures' Salma Khatun is found too: Khatoon and Khatun are one word once folded.
    assert roopa in _found(lead, "Khatoon")
    assert _found(lead, "rupa khatun") == [roopa]  # spelling variants fold together
    # A query word is also the start of longer names: "Roopa" folds to "rup", as Rupali begins.
    assert {p.given_name for p in _found(lead, "Roopa")} == {"Roopa", "Rupali"}
    assert _found(lead, "Roo Khat") == [roopa]  # the start of each word
    assert _found(lead, "Roo Kha") == [roopa]  # three letters typed, two once folded ("ka")
    assert _found(lead, "Munni") == [roopa]  # an alias
    assert {p.given_name for p in _found(lead, "Rup")} == {"Roopa", "Rupali"}
    # Every word must match (AND): her alias and another's family name find no one.
    assert _found(lead, "Munni Mondal") == []
    # One letter finds whole words only, not every name that starts with it.
    assert _found(lead, "R") == []
    assert _found(lead, "Kho Roopa") == []


def test_search_ranks_whole_words_before_starts_of_longer_names(personas, roopa):
    lead = personas["lead"]
    # Newer than Roopa, so recency alone would put her first.
    rupali = PersonFactory(owner_org=personas.own_org, given_name="Rupali", family_name="Khatun")
    assert _found(lead, "Roopa") == [roopa, rupali]
    assert _found(lead, "rup khatoon") == [roopa, rupali]
    # Both whole words count: the one who holds both comes before one who holds one.
    munni = PersonFactory(owner_org=personas.own_org, given_name="Munni", family_name="Khatunnessa")
    assert _found(lead, "Munni Khatun") == [roopa, munni]


def test_a_name_that_grows_stops_being_a_whole_word_match(personas):
    lead = personas["lead"]
    person = registry.person_create(actor=lead, given_name="Rupa", family_name="Biswas")
    whole = PersonNameToken.objects.filter(person=person, whole=True).count()
    registry.person_update(actor=lead, person=person, given_name="Rupali")
    tokens = PersonNameToken.objects.filter(person=person)
    # "rup" (Rupa folded) is now only the start of "rupal": still found, no longer whole.
    assert tokens.filter(whole=True).count() == whole
    newer = PersonFactory(owner_org=personas.own_org, given_name="Rupa", family_name="Biswas")
    assert _found(lead, "Rupa Biswas") == [newer, person]
    registry.person_update(actor=lead, person=newer, given_name="Rupashree")
    assert _found(lead, "Rupa Biswas") == [newer, person]  # equal again: most recent first


def test_search_in_devanagari_and_bengali_finds_latin_spellings(personas):
    lead = personas["lead"]
    rupa = PersonFactory(owner_org=personas.own_org, given_name="Rupa", family_name="Das")
    assert _found(lead, "রূপা") == [rupa]
    assert _found(lead, "रूपा") == [rupa]
    assert _found(lead, "रूपा Das") == [rupa]


def test_a_name_change_replaces_her_tokens(personas):
    lead = personas["lead"]
    person = registry.person_create(actor=lead, given_name="Roopa", family_name="Biswas")
    registry.person_update(actor=lead, person=person, given_name="Parvati")
    assert _found(lead, "Parvathi Biswas") == [person]
    assert _found(lead, "Roopa") == []


def test_another_organisations_person_is_not_found_by_name(personas, roopa):
    assert _found(personas["other_org"], "Roopa") == []


K1, K2, IDX = (base64.b64encode(os.urandom(32)).decode() for _ in range(3))


def _keys(index_key: str = IDX, **keys: str) -> override_settings:
    return override_settings(
        FIELD_KEYS=json.dumps(keys), FIELD_INDEX_KEY=index_key, FIELD_KEYS_DERIVED=False
    )


@pytest.fixture
def under_key_1(personas) -> None:
    """The fixtures' rows, written under the derived development key, moved to key 1 as a
    deployment's rotation would, so that the tests can switch between K1 and K2."""
    from django.conf import settings

    dev = crypto._keyring("", "", settings.SECRET_KEY, True).keys[crypto.DEV_KEY_ID]
    with _keys(**{crypto.DEV_KEY_ID: base64.b64encode(dev).decode(), "1": K1}):
        fieldkeys.keys_rotate()


def _raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608  (our own names)
            [Person._meta.pk.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def test_rotation_re_encrypts_the_names_and_the_old_key_retires(personas, under_key_1):
    lead = personas["lead"]
    with _keys(**{"1": K1}):
        person = registry.person_create(actor=lead, given_name="Roopa", home={"village": "Jalangi"})
        alias = registry.alias_add(actor=lead, person=person, name="Munni")
        address = Address.objects.get(person=person)
    with _keys(**{"1": K1, "2": K2}):
        columns = {(c.table, c.column) for c in fieldkeys.key_status().columns}
        assert {
            ("registry.person", "given_name"),
            ("registry.person", "mother_name"),
            ("registry.personalias", "name"),
            ("registry.address", "village"),
            ("registry.address", "line"),
        } <= columns
        assert _raw("registry_person", "given_name", person.pk).startswith("v1:")
        call_command("keys", "rotate", stdout=StringIO())
        assert fieldkeys.key_status().retirable == ["1"]
        assert _raw("registry_person", "given_name", person.pk).startswith("v2:")
        assert _raw("registry_personalias", "name", alias.pk).startswith("v2:")
        assert _raw("registry_address", "village", address.pk).startswith("v2:")
    with _keys(**{"2": K2}):
        assert Person.objects.get(pk=person.pk).given_name == "Roopa"
        assert PersonAlias.objects.get(person=person).name == "Munni"
        assert _found(lead, "Munni") == [person]


def test_a_new_index_key_needs_a_reindex_of_the_name_tokens(personas, under_key_1):
    lead = personas["lead"]
    with _keys(**{"1": K1}):
        person = registry.person_create(actor=lead, given_name="Roopa", family_name="Khatoon")
        hers = PersonNameToken.objects.filter(person=person)
        before = set(hers.values_list("digest", flat=True))
    other_index = base64.b64encode(os.urandom(32)).decode()
    with _keys(index_key=other_index, **{"1": K1}):
        assert _found(lead, "Roopa") == []
        out = StringIO()
        call_command("keys", "reindex", stdout=out)
        assert "registry.personnametoken: 2" in out.getvalue()  # hers and the fixture's
        assert _found(lead, "Roopa") == [person]
        # The fixture's survivor has a random name, perhaps a Khatun too: only hers is asserted.
        assert person in _found(lead, "Khat")
        # Her own tokens: the fixture's survivor may share a word with her (Lakshmi Khatun),
        # so the set of all digests depends on which name the fixture drew.
        after = set(hers.values_list("digest", flat=True))
        assert len(after) == len(before) and not after & before


def test_the_data_migration_steps_encrypt_plain_names_in_place_and_back(roopa):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_person SET given_name = %s WHERE id = %s",
            ["Roopa", Person._meta.pk.get_db_prep_value(roopa.pk, connection)],
        )
    assert "Roopa" in _table("registry_person")
    crypto.encrypt_table(Person)
    assert "Roopa" not in _table("registry_person")
    assert Person.objects.get(pk=roopa.pk).given_name == "Roopa"
    crypto.decrypt_table(Person)
    assert "Roopa" in _table("registry_person") and "Khatoon" in _table("registry_person")
