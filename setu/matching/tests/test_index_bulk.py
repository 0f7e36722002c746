"""The bulk index path (``index_batch``, ``setu matching rematch --index-only``) writes exactly
the rows the incremental path (``records_refresh``) writes, batch by batch, all or nothing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from setu.matching import services
from setu.matching.models import MatchKey, MatchRecord, PairStatus
from setu.matching.tests import factories as f
from setu.registry.models import Person
from setu.registry.tests.factories import AliasFactory, PersonFactory, PhoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Persons of every kind the index distinguishes: missing, found, without consent, with a
    withdrawn or a future-dated consent, with consent naming two organisations, with aliases and
    phones, and without any name."""
    net = f.network()
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    sister, _ = f.sister(net.source)
    for p in (missing, rescued, sister):
        f.consent_matching(p)
    withdrawn = PersonFactory(owner_org=net.dest, given_name="Salma", family_name="Bibi")
    f.consent_matching(withdrawn, withdrawn_on=timezone.localdate())
    future = PersonFactory(owner_org=net.dest, given_name="Jharna", estimated_age=15)
    f.consent_matching(future, given_on=timezone.localdate() + datetime.timedelta(days=10))
    aliased = PersonFactory(owner_org=net.third, given_name="Mousumi", family_name="Das")
    AliasFactory(person=aliased, name="Mou")
    PhoneFactory(person=aliased, number="9800012345")
    PersonFactory(owner_org=net.third, given_name="", family_name="", name_native="রুমা")
    named = PersonFactory(owner_org=net.third, given_name="Rupali", family_name="Sardar")
    for org in (net.source, net.dest):
        f.consent_matching(named, recipient_org=org)
    return list(Person.objects.order_by("pk").values_list("pk", flat=True))


def _rows() -> tuple[dict, list]:
    # ``data`` is encrypted (a fresh nonce each write): compared as read, not as stored.
    records = {
        r.person_id: {
            "organisation_id": r.organisation_id,
            "data": r.data,
            "cross_org": r.cross_org,
            "matching_orgs": r.matching_orgs,
            "missing_open": r.missing_open,
            "found": r.found,
            "engine_version": r.engine_version,
        }
        for r in MatchRecord.objects.all()
    }
    keys = sorted(
        (str(pid), key, str(org), cross, str(allowed))
        for pid, key, org, cross, allowed in MatchKey.objects.values_list(
            "record__person_id", "key", "organisation_id", "cross_org", "allowed_org_id"
        )
    )
    return records, keys


def _index_all(size: int) -> int:
    after, done = None, 0
    while True:
        n, after = services.index_batch(after=after, size=size)
        if not n:
            return done
        done += n


def test_bulk_index_writes_the_rows_of_the_incremental_path(people):
    services.records_refresh(people)
    expected = _rows()
    assert len(expected[0]) == len(people) and expected[1]
    assert any(allowed != "None" for *_, allowed in expected[1])
    MatchRecord.objects.all().delete()
    assert _index_all(size=3) == len(people)
    assert _rows() == expected


def test_bulk_reindex_of_stale_records_keeps_ids_and_progress(people):
    services.records_refresh(people)
    expected = _rows()
    ids = dict(MatchRecord.objects.values_list("person_id", "pk"))
    queued = timezone.now() - datetime.timedelta(hours=1)
    # An index from an older engine: other version, other data, a stray key, missing keys.
    MatchRecord.objects.update(engine_version="old", cross_org=False, queued_at=queued)
    for record in MatchRecord.objects.all():
        record.data = {}
        record.save(update_fields=["data"])
    first = MatchRecord.objects.order_by("pk").first()
    MatchKey.objects.filter(record=first).delete()
    MatchKey.objects.create(record=first, key="x:stale", organisation_id=first.organisation_id)
    assert _index_all(size=4) == len(people)
    assert _rows() == expected
    assert dict(MatchRecord.objects.values_list("person_id", "pk")) == ids
    assert set(MatchRecord.objects.values_list("queued_at", flat=True)) == {queued}


def test_batches_resume_after_the_last_id_and_skip_up_to_date_records(people):
    n, last = services.index_batch(size=2)
    assert (n, last) == (2, people[1])
    assert services.index_progress() == (2, len(people))
    n, last = services.index_batch(after=last, size=100)
    assert n == len(people) - 2 and last == people[-1]
    assert services.index_batch(after=last) == (0, last)
    # Everyone is up to date: a fresh run finds nothing to do.
    assert services.index_batch() == (0, None)


def test_a_failing_batch_writes_nothing(people, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("failure after the records and keys were written")

    # The last step of a batch fails: its records and keys must be rolled back with it.
    monkeypatch.setattr(services, "_withdraw_pairs", failing)
    with pytest.raises(RuntimeError):
        services.index_batch(size=100)
    assert not MatchRecord.objects.exists() and not MatchKey.objects.exists()


def test_bulk_index_withdraws_pairs_whose_consent_is_gone(people):
    services.records_refresh(people)
    by_name = {p.given_name: p for p in Person.objects.all()}
    missing = by_name["Rupa"]
    pair = f.pair_between(missing, by_name["Roopa"])
    missing.consents.update(withdrawn_on=timezone.localdate())
    MatchRecord.objects.update(engine_version="old")
    _index_all(size=100)
    pair.refresh_from_db()
    assert pair.status == PairStatus.WITHDRAWN
    assert not MatchRecord.objects.get(person=missing).cross_org


def test_rematch_index_only_command_uses_the_bulk_path(people):
    out = StringIO()
    call_command("matching", "rematch", "--index-only", "--batch", "3", stdout=out)
    assert MatchRecord.objects.filter(engine_version=services.ENGINE_VERSION).count() == len(people)
    assert "done:" in out.getvalue()


def test_index_only_before_stops_at_that_person_so_processes_can_split_a_reindex(people):
    split = people[len(people) // 2]
    call_command("matching", "rematch", "--index-only", "--before", str(split), stdout=StringIO())
    indexed = set(MatchRecord.objects.values_list("person_id", flat=True))
    assert indexed == {pid for pid in people if str(pid) < str(split)}
    # The second process: from the split on.
    call_command("matching", "rematch", "--index-only", "--after", str(max(indexed, key=str)),
                 stdout=StringIO())  # fmt: skip
    assert MatchRecord.objects.count() == len(people)


def test_before_without_index_only_is_refused_and_indexes_nothing(people):
    with pytest.raises(CommandError, match="--before is for --index-only"):
        call_command("matching", "rematch", "--before", str(people[-1]), stdout=StringIO())
    assert not MatchRecord.objects.exists()
