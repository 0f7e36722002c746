"""What encryption at rest costs: sealing and opening one value, saving encrypted phones,
finding a person by phone through the blind indexes, and rotating every value to a new key.

    .venv/bin/python bench/field_crypto.py --phones 20000            # a scratch SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench_crypto \\
        .venv/bin/python bench/field_crypto.py --phones 100000

The database named by DATABASE_URL must be a scratch database (it is migrated and filled with
fictional persons of one organisation). Figures: docs/deployment.md §12, "Measured".
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("SETU_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("SETU_DEBUG", "true")
    # Tasks (the audit trail's sealing) are queued in the database, as in production, not run
    # inside each timed search.
    os.environ["SETU_LOG_LEVEL"] = "WARNING"
    if "DATABASE_URL" not in os.environ:
        scratch = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=20000)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--no-input", verbosity=0)
    # Production-shaped keys (not the derived development key).
    k1, index = _key(), _key()
    settings.FIELD_KEYS, settings.FIELD_INDEX_KEY = json.dumps({"1": k1}), index
    settings.FIELD_KEYS_DERIVED = False

    from setu.access.actor import actor_for_user
    from setu.core import crypto
    from setu.fieldkeys import services as keys
    from setu.orgs.tests.factories import MembershipFactory
    from setu.registry import selectors
    from setu.registry.models import Person, Phone

    n = 20000
    seal = timeit.timeit(lambda: crypto.seal("+919812345678", "registry.phone.number.x"), number=n)
    token = crypto.seal("+919812345678", "registry.phone.number.x")
    opened = timeit.timeit(lambda: crypto.unseal(token, "registry.phone.number.x"), number=n)
    index = timeit.timeit(lambda: crypto.blind_index("registry.phone.number", "+919812345678"),
                          number=n)  # fmt: skip
    print(f"seal {seal / n * 1e6:.1f} µs, open {opened / n * 1e6:.1f} µs, "
          f"blind index {index / n * 1e6:.1f} µs per value")  # fmt: skip

    membership = MembershipFactory(role="caseworker")
    actor = actor_for_user(membership.user)
    rng = random.Random(7)
    persons = [
        Person(owner_org=membership.organisation, given_name=f"P{i}", family_name="Bench")
        for i in range(args.phones)
    ]
    Person.objects.bulk_create(persons, batch_size=2000)
    numbers = [f"+91{rng.randrange(6_000_000_000, 9_999_999_999)}" for _ in persons]
    start = time.perf_counter()
    Phone.objects.bulk_create(
        [Phone(person=p, number=num) for p, num in zip(persons, numbers, strict=True)],
        batch_size=2000,
    )
    took = time.perf_counter() - start
    print(f"{args.phones} phones saved encrypted in {took:.1f} s ({args.phones / took:,.0f}/s) "
          f"on {connection.vendor}")  # fmt: skip

    def timed(query: str) -> float:
        start = time.perf_counter()
        found = list(selectors.person_search(actor=actor, query=query))
        assert found, query
        return (time.perf_counter() - start) * 1000

    picks = rng.sample(range(args.phones), args.samples)
    whole = [timed(numbers[i]) for i in picks]
    tail = [timed(numbers[i][-7:]) for i in picks]
    print(f"search by whole number: median {statistics.median(whole):.1f} ms; "
          f"by last 7 digits: median {statistics.median(tail):.1f} ms "
          f"({args.samples} searches each, audited)")  # fmt: skip

    # The blind-index lookup alone (what encryption changed), without the policy and audit.
    everyone = Person.objects.all()

    def lookup(query: str) -> float:
        start = time.perf_counter()
        assert selectors._persons_with_phone(query, among=everyone), query
        return (time.perf_counter() - start) * 1000

    whole = [lookup(numbers[i]) for i in picks]
    tail = [lookup(numbers[i][-7:]) for i in picks]
    print(f"  of which the index lookup: median {statistics.median(whole):.1f} ms (whole), "
          f"{statistics.median(tail):.1f} ms (last 7 digits, candidates opened)")  # fmt: skip

    settings.FIELD_KEYS = json.dumps({"1": k1, "2": _key()})
    start = time.perf_counter()
    done = keys.keys_rotate(batch=500)
    took = time.perf_counter() - start
    rows = sum(done.values())
    print(f"rotation: {rows} rows re-encrypted in {took:.1f} s ({rows / took:,.0f} rows/s)")
    assert keys.key_status().retirable == ["1"]


if __name__ == "__main__":
    main()
