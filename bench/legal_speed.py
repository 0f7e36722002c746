"""Speed of the legal pages at scale: a legal officer's calendar with 2,000 hearings, and the
outcome statistics over 100,000 proceedings. Goal: each answers in under 500 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench \\
        .venv/bin/python bench/legal_speed.py --proceedings 100000 --hearings 2000

Migrates the database named by DATABASE_URL (a scratch database: the script refuses one that
already holds proceedings unless --reuse), bulk-inserts one organisation's cases and
proceedings spread over districts, courts and stages (a third judged, with verdicts), and the
legal officer's hearings within one month and ``--adjourned`` past adjourned hearings spread
over all the cases (ANALYZE on both databases), then times, as that legal officer, the calendar
page for that month and the outcome pages by state, district, police station and court
(through Django's test client: selector, template and middleware), reporting the median and
the slowest of ``--samples`` runs with the bench's CPU time, and with ``--explain`` (PostgreSQL)
each outcome page's queries' ``EXPLAIN ANALYZE`` server time. Figures: docs/legal.md,
"Measured"."""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOAL_MS = 500


def _setup() -> None:
    os.environ.setdefault("SETU_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("SETU_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()


def _load(
    proceedings: int, hearings: int, adjourned: int, rng: random.Random
) -> tuple[object, str]:
    from django.contrib.auth.hashers import make_password

    from setu.accounts.models import User
    from setu.legal.models import (
        Accused,
        Hearing,
        Judgment,
        Proceeding,
        Stage,
        Track,
        WitnessPlan,
    )
    from setu.orgs.models import District, Membership, Organisation, Role
    from setu.registry.models import Case

    org = Organisation.objects.create(name="Bench Legal Aid", org_type="legal_aid")
    user = User.objects.create(username="bench-legal", password=make_password("x"))
    Membership.objects.create(user=user, organisation=org, role=Role.LEGAL_OFFICER)
    districts = list(District.objects.order_by("code")[:300])
    cases = Case.objects.bulk_create(
        [Case(owner_org=org, reference=f"BENCH/2026/{n:05d}") for n in range(2000)],
        batch_size=2000,
    )
    today = datetime.date.today()
    rows = []
    for n in range(proceedings):
        district = districts[n % len(districts)]
        fir = today - datetime.timedelta(days=rng.randint(200, 2000))
        p = Proceeding(
            case=cases[n % len(cases)],
            owner_org=org,
            track=Track.CRIMINAL,
            stage=Stage.FIR,
            legal_officer=user if n < 400 else None,
            district=district,
            police_station=f"{district.name} PS {n % 3}",
            court=f"Sessions Court, {district.name}",
            fir_number=f"{n % 9999:04d}/{fir.year}",
            fir_date=fir,
            sections=["BNS-143"],
        )
        if rng.random() < 0.7:
            p.chargesheet_on = fir + datetime.timedelta(days=rng.randint(30, 150))
            p.stage = Stage.CHARGESHEET
            if rng.random() < 0.6:
                p.trial_started_on = p.chargesheet_on + datetime.timedelta(days=60)
                p.stage = Stage.TRIAL
                if rng.random() < 0.5:
                    p.charges_framed_on = p.trial_started_on
                    p.judgment_on = p.trial_started_on + datetime.timedelta(days=100)
                    p.stage = Stage.JUDGMENT
        rows.append(p)
    Proceeding.objects.bulk_create(rows, batch_size=5000)
    judged = [p for p in rows if p.judgment_on]
    accused = Accused.objects.bulk_create(
        [Accused(proceeding=p, name="A", custody="bail") for p in judged], batch_size=5000
    )
    from setu.legal.services import hearing_placed, verdict_placed

    Judgment.objects.bulk_create(
        [
            verdict_placed(Judgment(accused=a, section="BNS-143", decided_on=a.proceeding.judgment_on,
                                    verdict=rng.choice(["convicted", "acquitted"])), a.proceeding)
            for a in accused
        ],
        batch_size=5000,
    )  # fmt: skip
    first = today.replace(day=1)
    mine = rows[:400]

    dated = Hearing.objects.bulk_create(
        [hearing_placed(h, h.proceeding) for h in [
            Hearing(proceeding=mine[n % len(mine)], on=first + datetime.timedelta(days=n % 28),
                    court=mine[n % len(mine)].court, outcome="adjourned" if n % 2 else "scheduled",
                    adjournment_reason="witness_absent" if n % 2 else "")
            for n in range(hearings)
        ]],
        batch_size=5000,
    )  # fmt: skip
    # One hearing in five brings an inter-state witness; half of those plans are not ready.
    WitnessPlan.objects.bulk_create(
        [
            WitnessPlan(hearing=h, proceeding_id=h.proceeding_id, travel_from="Murshidabad",
                        travel_to="Mumbai", status="ready" if n % 2 else "not_started")
            for n, h in enumerate(dated[::5])
        ],
        batch_size=5000,
    )  # fmt: skip
    # Past adjourned hearings over all the proceedings, for the adjournment reasons per place;
    # a third in a court other than the proceeding's (before committal to the Sessions Court).
    reasons = ["witness_absent"] * 5 + ["accused_absent"] * 3 + ["prosecutor_absent"] * 2
    reasons += ["no_escort", "court_leave", "defence", "records", "other"]
    Hearing.objects.bulk_create(
        [hearing_placed(h, p) for h, p in [
            (Hearing(proceeding=p, on=p.fir_date + datetime.timedelta(days=rng.randint(30, 190)),
                    court=f"CJM Court, {p.district.name}" if n % 3 == 0 else p.court,
                    outcome="adjourned", adjournment_reason=rng.choice(reasons)), p)
            for n, p in enumerate(rng.choice(rows) for _ in range(adjourned))
        ]],
        batch_size=5000,
    )  # fmt: skip
    _appeals(rng)
    return user, first.strftime("%Y-%m")


def _appeals(rng: random.Random) -> int:
    """Appeals for a third of the judged proceedings (half decided, some with a further appeal),
    for the appeals per place; also added to a database loaded before the bench made them."""
    from setu.legal.models import Appeal, Proceeding
    from setu.legal.services import appeal_placed

    judged = list(Proceeding.objects.filter(judgment_on__isnull=False).select_related("district"))
    rows, further = [], []
    outcomes = ["dismissed", "allowed", "upheld", "set_aside", "sentence_modified", "remanded"]
    for p in judged[::3]:
        filed = p.judgment_on + datetime.timedelta(days=rng.randint(20, 60))
        decided = rng.random() < 0.5
        rows.append(appeal_placed(
            Appeal(proceeding_id=p.pk, appellant="accused", court_level="high_court",
                   court="High Court", filed_on=filed, status=rng.choice(outcomes) if decided
                   else "pending", decided_on=filed + datetime.timedelta(days=rng.randint(90, 400))
                   if decided else None), p)
        )  # fmt: skip
    Appeal.objects.bulk_create(rows, batch_size=5000)
    by_id = {p.pk: p for p in judged}
    for appeal in rows[::10]:
        if appeal.decided_on:
            further.append(appeal_placed(
                Appeal(proceeding_id=appeal.proceeding_id, appeal_from=appeal, appellant="accused",
                       court_level="supreme_court", court="Supreme Court of India",
                       filed_on=appeal.decided_on + datetime.timedelta(days=30)), by_id[appeal.proceeding_id])
            )  # fmt: skip
    Appeal.objects.bulk_create(further, batch_size=5000)
    return len(rows) + len(further)


def _time(client: object, url: str, samples: int) -> tuple[float, float, float]:
    """Median and slowest wall time, and the median CPU time of this process (all of the work
    on SQLite; on PostgreSQL the server's is not in it), in ms. On a shared machine the CPU
    time is the steadier figure."""
    times, cpu = [], []
    for _ in range(samples):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), statistics.median(cpu)


def _explain(user: object, pages: set[str], samples: int) -> None:
    """PostgreSQL only: each outcome page's queries (those the selector runs over the legal
    tables, captured as it runs) under ``EXPLAIN ANALYZE``, the median server execution time of
    each over ``samples`` runs and their sum per page. The server's own time, so the figure the
    bench's client-side CPU time misses, and steadier than wall time on a shared machine."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from setu.access.actor import actor_for_user
    from setu.legal import selectors

    actor = actor_for_user(user)
    last_year = datetime.date.today().year - 1
    runs: list[tuple[str, dict[str, Any]]] = [
        (by, {"by": by}) for by in ("state", "district", "police_station", "court") if by in pages
    ]
    if "year" in pages:
        judged = {"by": "court", "year": last_year, "year_of": "judgment"}
        runs.append(("court, judged last year", judged))
    for label, kwargs in runs:
        with CaptureQueriesContext(connection) as captured:
            selectors.outcomes(actor=actor, **kwargs)  # type: ignore[arg-type]
        queries = [
            (match.group(1), q["sql"])
            for q in captured.captured_queries
            if (match := re.search(r'FROM "(legal_\w+)"', q["sql"]))
        ]
        times: list[list[float]] = [[] for _ in queries]
        with connection.cursor() as cursor:
            for _ in range(samples):
                for n, (_table, sql) in enumerate(queries):
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    plan = plan[0] if isinstance(plan, list) else plan
                    times[n].append(plan["Execution Time"])
        each = [statistics.median(t) for t in times]
        parts = ", ".join(
            f"{table[6:]} {ms:.0f}" for (table, _sql), ms in zip(queries, each, strict=True)
        )
        print(f"explain, outcomes by {label:<24} {sum(each):7.1f} ms server ({parts})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proceedings", type=int, default=100_000)
    parser.add_argument("--hearings", type=int, default=2000)
    parser.add_argument(
        "--adjourned", type=int, default=100_000, help="past adjourned hearings over all cases"
    )
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="PostgreSQL: also the outcome queries' EXPLAIN ANALYZE server time",
    )
    parser.add_argument(
        "--pages",
        default="calendar,state,district,police_station,court,year,csv",
        help="which pages to time: calendar; outcomes by state, district, police_station, court;"
        " year (by court, judgments of last year); csv (adjournments by police station)",
    )
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from setu.accounts.models import User
    from setu.legal.models import Proceeding

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - start:.1f} s")
    if Proceeding.objects.exists() and not args.reuse:
        print("The database already holds proceedings; use a scratch database or --reuse.")
        return 2
    if not Proceeding.objects.exists():
        start = time.perf_counter()
        user, month = _load(args.proceedings, args.hearings, args.adjourned, random.Random(7))
        print(f"loaded {args.proceedings} proceedings in {time.perf_counter() - start:.1f} s")
    else:
        user = User.objects.get(username="bench-legal")
        month = datetime.date.today().strftime("%Y-%m")
        from setu.legal.models import Appeal

        if not Appeal.objects.exists():
            print(f"added {_appeals(random.Random(7))} appeals")
    from django.db import connection

    # Statistics for the planner, as autovacuum keeps them on PostgreSQL and `ANALYZE` (or
    # `PRAGMA optimize`) on SQLite: without them SQLite walks all 100,000 proceedings to find
    # the few thousand verdicts or hearings (docs/legal.md, "Measured"). Also after --reuse, as
    # the migrations may just have rewritten the tables.
    with connection.cursor() as cursor:
        # VACUUM too on PostgreSQL (as autovacuum would): index-only scans need the visibility map.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    failed = False
    pages = set(args.pages.split(","))
    urls = [(f"calendar, {args.hearings} hearings", f"/legal/calendar/?month={month}")]
    urls = urls if "calendar" in pages else []
    urls += [(f"outcomes by {by}", f"/legal/outcomes/?by={by}")
             for by in ("state", "district", "police_station", "court") if by in pages]  # fmt: skip
    last_year = datetime.date.today().year - 1
    if "year" in pages:
        urls.append((f"outcomes by court, judged {last_year}",
                     f"/legal/outcomes/?by=court&year={last_year}&year_of=judgment"))  # fmt: skip
    if "csv" in pages:
        urls.append(("CSV, adjournments by station",
                     "/legal/outcomes.csv?by=police_station&table=adjournments"))  # fmt: skip
    for label, url in urls:
        median, worst, cpu = _time(client, url, args.samples)
        ok = median < GOAL_MS
        failed = failed or not ok
        print(
            f"{label:<32} median {median:7.1f} ms  max {worst:7.1f} ms  "
            f"cpu {cpu:7.1f} ms  {'ok' if ok else 'SLOW'}"
        )
    if args.explain and connection.vendor == "postgresql":
        _explain(user, pages, args.samples)
    print(f"load average {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
