"""Person search by name on the demo network, and what opening every person's names costs the
matching engine's bulk load (names encrypted at rest, docs/deployment.md §12).

    SETU_DEMO_MODE=true .venv/bin/python bench/name_search.py            # a scratch SQLite file
    SETU_DEMO_MODE=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench_names \\
        .venv/bin/python bench/name_search.py --persons 10000

It loads the demo network (``setu demo load``) into the scratch database, then times
``registry.selectors.person_search`` as a caseworker of the organisation holding the most
persons (the policy, the search and the audit entry, as the page runs them), by a whole given
name, by the first three letters of a family name, and by given and family name together, and
times building the engine's records of every person (``matching.records.person_record`` over
``persons_for_matching``), which opens each name. Only calls that exist before and after the
names were encrypted, so the same script measures both.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("SETU_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("SETU_DEBUG", "true")
    os.environ["SETU_DEMO_MODE"] = "true"
    os.environ["SETU_LOG_LEVEL"] = "WARNING"
    # The demo's notices would otherwise be printed by the console e-mail backend.
    os.environ["SETU_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    if "DATABASE_URL" not in os.environ:
        scratch = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[max(0, round(len(values) * 0.95) - 1)]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from setu.access.actor import actor_for_user
    from setu.matching.records import person_record
    from setu.orgs.models import Membership
    from setu.registry import selectors
    from setu.registry.models import Person

    call_command("migrate", "--no-input", verbosity=0)
    start = time.perf_counter()
    call_command("demo", "load", "--persons", str(args.persons), stdout=StringIO())
    print(f"demo network of {args.persons} persons loaded in {time.perf_counter() - start:.0f} s "
          f"on {connection.vendor}")  # fmt: skip

    org_id = (
        Person.objects.values("owner_org_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["owner_org_id"]
    )
    membership = Membership.objects.filter(organisation_id=org_id, role="caseworker").first()
    actor = actor_for_user(membership.user)
    rng = random.Random(7)
    persons = [
        p
        for p in Person.objects.filter(owner_org_id=org_id, archived_at__isnull=True)
        if p.given_name and p.family_name and len(p.family_name) >= 3
    ]
    picks = rng.sample(persons, min(args.samples, len(persons)))
    print(f"searching as a caseworker of an organisation with {len(persons)} named persons")

    def timed(query: str, must_find: bool = True) -> float:
        start = time.perf_counter()
        qs = selectors.person_search(actor=actor, query=query)
        # What the result page does: count them and show the first page.
        qs.count()
        page = list(qs[:25])
        took = (time.perf_counter() - start) * 1000
        assert page or not must_find, query
        return took

    whole = [timed(p.given_name) for p in picks]
    # Three typed letters may fold to one ("Chh"): those find whole words only, maybe none.
    prefix = [timed(p.family_name[:3], must_find=False) for p in picks]
    both = [timed(f"{p.given_name} {p.family_name}") for p in picks]
    print(f"search by given name: {_ms(whole)}")
    print(f"search by the first three letters of a family name: {_ms(prefix)}")
    print(f"search by given and family name: {_ms(both)}  ({len(picks)} searches each, audited)")

    start = time.perf_counter()
    total = Person.objects.count()
    records = [person_record(p) for p in selectors.persons_for_matching().order_by("pk")]
    took = time.perf_counter() - start
    print(f"engine records of all {total} persons (names, aliases, village, phone opened): "
          f"{took:.2f} s ({took / max(1, len(records)) * 1e6:.0f} µs per person)")  # fmt: skip


if __name__ == "__main__":
    main()
