"""Speed of the intelligence cross-reference at scale. Goals (issue 25): a cross-reference
lookup answers in under 50 ms p95 at 1,000,000 identifiers; a two-hop graph neighbourhood in
under 300 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench_intel \\
        .venv/bin/python bench/intel_speed.py --identifiers 1000000

Migrates the scratch database named by DATABASE_URL (refused if it already holds intelligence,
unless --reuse, which times the rows already there), bulk-inserts ``--identifiers`` rows of
the cross-reference index (phones, UPI IDs, vehicles, names; by COPY on PostgreSQL) over
``--cases`` cases of 40 organisations, one value in ten shared by two to four organisations'
cases, the cross-references (``IntelLink``) the services would have made between
organisations, plus ``--networks`` trafficking networks shaped like the demo's (16 values,
three of them members' names recorded as perpetrators, across 20 cases of the police
liaison's organisation, its agreed partner and others), then times:

* **lookup**: the index read every alert and search makes (``selectors.lookup_holders``: who
  holds this canonical value), for ``--samples`` values, half of them shared;
* **search**: the whole audited search as a police liaison (normalise, policy scope, details
  of readable cases, one audit entry), on a tenth of the samples;
* **two-hop**: ``selectors.network_graph`` for the police liaison's case of a network (its
  perpetrators and values, and the other cases holding them, each judged readable or "held
  by"; about 40 nodes), for ``--graphs`` networks, with the queries each graph makes.

Prints p50, p95 and max in milliseconds, and writes the figures as JSON with ``--json``.
The index rows stand for identifiers: the lookup and the graph read the index, not the
identifier rows (a bench row has no identifier behind it, which the graph handles as a value
of no one known).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOALS_MS = {"lookup": 50.0, "two_hop": 300.0}


def _setup() -> None:
    os.environ.setdefault("SETU_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("SETU_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()


def _value(kind: str, n: int) -> str:
    if kind == "phone":
        return f"+91{9_000_000_000 + n * 7919 % 999_999_999}"
    if kind == "upi":
        return f"payee{n}@okaxis"
    if kind == "vehicle":
        return f"MH{n % 50 + 1:02d}AB{n % 10_000:04d}{n // 10_000 % 100}"
    return f"name{n} family{n % 5000}"


def _load(identifiers: int, cases_n: int, networks: int, rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from setu.accounts.models import User
    from setu.intel.models import IntelKey, IntelLink, SharingAgreement
    from setu.orgs.models import Membership, Organisation, Role
    from setu.registry.models import Case

    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Bench Org {n:02d}", org_type="police_ahtu") for n in range(40)]
    )
    user = User.objects.create(username="bench-intel-police", password=make_password("x"))
    Membership.objects.create(user=user, organisation=orgs[0], role=Role.POLICE_LIAISON)
    today = datetime.date.today()
    SharingAgreement.objects.create(
        proposer_org=orgs[0],
        partner_org=orgs[1],
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=300),
        accepted_at=datetime.datetime.now(datetime.UTC),
    )
    cases = Case.objects.bulk_create(
        [Case(owner_org=orgs[n % len(orgs)], reference=f"BENCH/{n:06d}") for n in range(cases_n)],
        batch_size=5000,
    )
    started = time.perf_counter()
    now = timezone.now()
    rows: list[tuple[str, str, Any, Any, Any]] = []  # kind, value, case, org, perpetrator
    network_cases = _networks(networks, orgs, rng, rows)
    kinds = ("phone", "phone", "phone", "upi", "vehicle", "name")
    shared: list[tuple[str, str]] = []
    n = 0
    while len(rows) < identifiers:
        kind = kinds[n % len(kinds)]
        value = _value(kind, n)
        n += 1
        # One value in ten is known to two to four organisations' cases.
        copies = rng.randint(2, 4) if n % 10 == 0 else 1
        if copies > 1:
            shared.append((kind, value))
        for _ in range(copies):
            case = cases[rng.randrange(len(cases))]
            rows.append((kind, value, case.pk, case.owner_org_id, None))
    links = _links(rows)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # COPY: a million rows in seconds, where INSERTs take minutes. Ids are given so
            # that the links can name their rows; the sequence is moved past them after.
            with connection.cursor() as cursor:
                with cursor.cursor.copy(
                    "COPY intel_intelkey (id, kind, value, case_id, owner_org_id, "
                    "perpetrator_id, created_at) FROM STDIN"
                ) as copy:
                    for pk, row in enumerate(rows, start=1):
                        copy.write_row((pk, *row, now))
                with cursor.cursor.copy(
                    "COPY intel_intellink (id, key_a_id, key_b_id, kind, org_a_id, org_b_id, "
                    "created_at, updated_at) FROM STDIN"
                ) as copy:
                    for link in links:
                        copy.write_row((uuid.uuid4(), *link, now, now))
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('intel_intelkey', 'id'), %s)", [len(rows)]
                )
        else:
            IntelKey.objects.bulk_create(
                (
                    IntelKey(id=pk, kind=k, value=v, case_id=c, owner_org_id=o, perpetrator_id=p)
                    for pk, (k, v, c, o, p) in enumerate(rows, start=1)
                ),
                batch_size=5000,
            )
            IntelLink.objects.bulk_create(
                (
                    IntelLink(key_a_id=a, key_b_id=b, kind=k, org_a_id=oa, org_b_id=ob)
                    for a, b, k, oa, ob in links
                ),
                batch_size=5000,
            )
    with connection.cursor() as cursor:
        # What autovacuum does on a live database: plans follow the tables' real sizes.
        cursor.execute("ANALYZE")
    return {
        "actor_user": user,
        "cases": cases,
        "shared": shared,
        "unique_upto": n,
        "network_cases": network_cases,
        "links": len(links),
        "load_seconds": round(time.perf_counter() - started, 1),
    }


def _links(rows: list[tuple[str, str, Any, Any, Any]]) -> list[tuple[Any, ...]]:
    """The cross-references the services would have made: one per pair of rows (by id, from 1
    in ``rows`` order) of one value in two organisations' cases."""
    by_value: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for pk, (kind, value, _case, org, _p) in enumerate(rows, start=1):
        by_value.setdefault((kind, value), []).append((pk, org))
    links = []
    for (kind, _value), held in by_value.items():
        for i, (a, org_a) in enumerate(held):
            links.extend((a, b, kind, org_a, org_b) for b, org_b in held[i + 1 :] if org_b != org_a)
    return links


def _networks(
    count: int, orgs: list[Any], rng: random.Random, rows: list[tuple[str, str, Any, Any, Any]]
) -> list[Any]:
    """``count`` trafficking networks like the demo's: 16 values (phones, UPI IDs, a vehicle,
    names of three members recorded as perpetrators) held across 20 cases of the actor's
    organisation, its agreed partner and others. The graphs are timed around the actor's
    case of each, where the two-hop neighbourhood is about 40 nodes."""
    from setu.intel.models import Perpetrator
    from setu.registry.models import Case

    cases = Case.objects.bulk_create(
        [
            Case(
                owner_org=orgs[0 if i == 0 else 1 if i < 4 else rng.randrange(2, len(orgs))],
                reference=f"NET/{j:04d}/{i:02d}",
            )
            for j in range(count)
            for i in range(20)
        ],
        batch_size=5000,
    )
    members = [f"member{j} ring{j % 97} {k}" for j in range(count) for k in ("a", "b", "c")]
    perpetrators = Perpetrator.objects.bulk_create(
        [
            Perpetrator(
                case_id=case.pk,
                owner_org_id=case.owner_org_id,
                name=members[j * 3 + k],
                role="recruiter",
                source="fir",
            )
            for j in range(count)
            for case in cases[j * 20 : j * 20 + 20]
            for k in range(3)
        ],
        batch_size=5000,
    )
    by_case = {(p.case_id, p.name): p.pk for p in perpetrators}
    for j in range(count):
        values = [("phone", f"+9170{j:05d}{i:03d}") for i in range(9)]
        values += [("upi", f"ring{j}.{i}@ybl") for i in range(3)]
        values += [("vehicle", f"WB{j % 90 + 10:02d}NT{j:04d}")]
        values += [("name", members[j * 3 + k]) for k in range(3)]
        for i, case in enumerate(cases[j * 20 : j * 20 + 20]):
            for kind, value in values:
                # The actor's case holds all of them; the others about half each.
                if i == 0 or rng.random() < 0.5:
                    owner = by_case[(case.pk, value)] if kind == "name" else None
                    rows.append((kind, value, case.pk, case.owner_org_id, owner))
    return [cases[j * 20] for j in range(count)]


def _loaded(rng: random.Random) -> dict[str, Any]:
    """What ``_load`` returns, for an index loaded by an earlier (possibly interrupted) run."""
    from django.db.models import Count, Max

    from setu.accounts.models import User
    from setu.intel.models import IntelKey, IntelLink
    from setu.registry.models import Case

    shared = list(
        IntelKey.objects.values_list("kind", "value")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()[:5000]
    )
    top = IntelKey.objects.aggregate(m=Max("id"))["m"] or 0
    return {
        "actor_user": User.objects.get(username="bench-intel-police"),
        "cases": list(Case.objects.filter(reference__startswith="BENCH/")),
        "shared": [(k, v) for k, v, _n in shared],
        "network_cases": list(
            Case.objects.filter(reference__startswith="NET/", reference__endswith="/00")
        ),
        "unique_upto": max(1, int(top * 0.8)),
        "links": IntelLink.objects.count(),
        "load_seconds": 0,
    }


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--identifiers", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--graphs", type=int, default=100)
    parser.add_argument("--networks", type=int, default=100, help="demo-like networks to graph")
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument(
        "--reuse", action="store_true", help="time the index already in the database, unchanged"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from setu.access.actor import actor_for_user
    from setu.intel import selectors
    from setu.intel.models import IntelKey

    call_command("migrate", verbosity=0)
    if IntelKey.objects.exists() and not args.reuse:
        print("The database already holds intelligence; use a scratch database or --reuse.")
        return 2
    rng = random.Random(args.seed)
    if IntelKey.objects.exists():
        print("Timing the index already loaded (--reuse) …", flush=True)
        data = _loaded(rng)
    else:
        print(f"Loading {args.identifiers:,} index rows over {args.cases:,} cases …", flush=True)
        data = _load(args.identifiers, args.cases, args.networks, rng)
    actor = actor_for_user(data["actor_user"])
    total = IntelKey.objects.count()
    print(
        f"  {total:,} rows and {data.get('links', '?')} links in {data['load_seconds']} s ({connection.vendor})"
    )

    probes = [rng.choice(data["shared"]) for _ in range(args.samples // 2)]
    probes += [
        (kind, _value(kind, m))
        for m in (rng.randrange(data["unique_upto"]) for _ in range(args.samples // 2))
        for kind in [("phone", "phone", "phone", "upi", "vehicle", "name")[m % 6]]
    ]
    lookup = []
    for kind, value in probes:
        t = time.perf_counter()
        selectors.lookup_holders(kind=kind, value=value)
        lookup.append((time.perf_counter() - t) * 1000)

    search = []
    for _kind, value in [p for p in probes if p[0] == "phone"][: max(1, args.samples // 10)]:
        t = time.perf_counter()
        selectors.identifier_search(actor=actor, kind="phone", raw=value)
        search.append((time.perf_counter() - t) * 1000)

    # Graphs around the actor's case in each network (about 40 nodes, the demo's shape).
    from django.test.utils import CaptureQueriesContext

    two_hop, sizes, queries = [], [], []
    for case in data["network_cases"][: args.graphs]:
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            graph = selectors.network_graph(actor=actor, case=case)
            two_hop.append((time.perf_counter() - t) * 1000)
        sizes.append(len(graph.nodes))
        queries.append(len(ctx.captured_queries))

    result = {
        "database": connection.vendor,
        "index_rows": total,
        "cases": args.cases,
        "lookup": _ms(lookup),
        "search": _ms(search),
        "two_hop": {
            **_ms(two_hop),
            "mean_nodes": round(statistics.mean(sizes or [0]), 1),
            "queries": max(queries or [0]),
        },
        "goals_ms": GOALS_MS,
    }
    print(
        f"  graphs: {result['two_hop']['mean_nodes']} nodes on average, "
        f"at most {result['two_hop']['queries']} queries each"
    )
    for name in ("lookup", "search", "two_hop"):
        r = result[name]
        goal = GOALS_MS.get(name)
        verdict = (
            "" if goal is None else (" (goal met)" if r["p95_ms"] < goal else " (GOAL MISSED)")
        )
        print(
            f"{name:8} n={r['n']:5} p50 {r['p50_ms']:8.2f} ms  p95 {r['p95_ms']:8.2f} ms  max {r['max_ms']:8.2f} ms{verdict}"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
