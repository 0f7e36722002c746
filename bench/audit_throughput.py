"""Audited reads and writes under concurrency, on PostgreSQL: throughput, p95, nothing lost.

    .venv/bin/python bench/audit_throughput.py --clients 1 4 16 --seconds 15
    # the locking release, from a checkout of it (git worktree add /tmp/setu-0cab4d6 0cab4d6):
    .venv/bin/python bench/audit_throughput.py --tree /tmp/setu-0cab4d6 --label before

Each client is a separate process with its own database connection. It repeats what two
requests do (``ATOMIC_REQUESTS`` is off in ``setu/settings.py``, so each service is its own
transaction): a case detail read through ``registry.selectors.case_get`` (one audited VIEW,
committed on its own) and an event written through ``registry.services.event_add`` (one
audited CREATE inside the service's transaction). Every client has its own caseworker and its
own case, so the only thing the clients share is the audit trail. While they run, a sealer
process calls ``audit.services.chain_seal`` every ``--seal-every`` seconds, as the task worker
would (tasks themselves go to the dummy backend, so nothing else runs in the background). The
locking release has no sealer. ``--hold-ms N`` keeps each write's transaction open N ms
longer (the service runs inside an outer ``transaction.atomic`` that sleeps before commit), to
stand for a slower request: more queries, a database across a network.

After each level the script checks that the trail grew by exactly one entry per completed
call, and at the end that ``verify`` reports the trail intact (after sealing). The database
named by ``--database-url`` is dropped and recreated: use a scratch name. Prints a table and
writes JSON to ``--output`` (default ``bench/out/audit_<label>.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/setu_bench_audit"


def _setup(tree: Path, url: str) -> None:
    sys.path.insert(0, str(tree))
    os.environ.update(
        DATABASE_URL=url,
        SETU_SECRET_KEY="bench-only-secret-key",
        SETU_DEBUG="false",  # DEBUG would keep every query in memory
        SETU_TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend",
        DJANGO_SETTINGS_MODULE="setu.settings",
    )
    import django

    django.setup()


def _recreate_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    with psycopg.connect(
        host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], dbname="postgres",
        password=cfg["PASSWORD"] or None, autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def _fixtures(clients: int) -> list[tuple[Any, Any]]:
    """One organisation; per client a caseworker and a case of their own (user pk, case pk)."""
    from setu.orgs.models import Role
    from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory
    from setu.registry.tests.factories import CaseFactory

    org = OrganisationFactory(name="Bench NGO")
    pairs = []
    for n in range(clients):
        user = MembershipFactory(
            organisation=org, role=Role.CASEWORKER, user__username=f"cw{n}"
        ).user
        pairs.append((user.pk, CaseFactory(owner_org=org, case_owner=user).pk))
    return pairs


def _entries() -> int:
    from setu.audit.models import AuditEntry

    return AuditEntry.objects.count()


def _client(user_pk: Any, case_pk: Any, go: Any, stop_at: Any, hold: float, results: Any) -> None:
    from django.db import connections, transaction

    connections.close_all()  # never share the parent's connection
    from setu.access.actor import actor_for_user
    from setu.accounts.models import User
    from setu.registry import selectors, services
    from setu.registry.models import EventKind

    actor = actor_for_user(User.objects.get(pk=user_pk))
    reads: list[float] = []
    writes: list[float] = []
    go.wait()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    while time.time() < stop_at.value:
        t0 = time.perf_counter()
        case = selectors.case_get(actor=actor, case_id=case_pk)
        t1 = time.perf_counter()
        with transaction.atomic():
            services.event_add(
                actor=actor, case=case, kind=EventKind.RESCUE, occurred_on=dt.date(2025, 3, 14)
            )
            if hold:
                time.sleep(hold)  # --hold-ms: the rest of a slower request's transaction
        t2 = time.perf_counter()
        reads.append(t1 - t0)
        writes.append(t2 - t1)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    connections.close_all()
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    results.put((reads, writes, cpu))


def _sealer(go: Any, stop: Any, every: float, results: Any) -> None:
    from django.db import connections

    connections.close_all()
    from setu.audit import services

    sealed = runs = 0
    busy = 0.0
    go.wait()
    while not stop.is_set():
        t0 = time.perf_counter()
        sealed += services.chain_seal()
        busy += time.perf_counter() - t0
        runs += 1
        stop.wait(every)
    connections.close_all()
    results.put({"sealed": sealed, "runs": runs, "busy_s": round(busy, 3)})


def _machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of every CPU since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _lock_sampler(stop: Any, every: float, results: Any) -> None:
    """Share of samples in which a client's backend waits for a lock (pg_stat_activity)."""
    from django.db import connection, connections

    connections.close_all()
    waiting = active = 0
    with connection.cursor() as cursor:
        while not stop.is_set():
            cursor.execute(
                "SELECT wait_event_type FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state IN ('active', 'idle in transaction')"
            )
            for (wait,) in cursor.fetchall():
                active += 1
                waiting += wait == "Lock"
            stop.wait(every)
    connections.close_all()
    results.put((waiting, active))


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def _level(
    pairs: list[tuple[Any, Any]], seconds: float, seal_every: float, hold: float
) -> dict[str, Any]:
    from django.db import connections

    from setu.audit import services as audit

    connections.close_all()
    ctx = mp.get_context("fork")
    go, stop, results, seal_results = ctx.Event(), ctx.Event(), ctx.Queue(), ctx.Queue()
    lock_stop, lock_results = ctx.Event(), ctx.Queue()
    stop_at = ctx.Value("d", 0.0)
    before = _entries()
    connections.close_all()
    procs = [ctx.Process(target=_client, args=(u, c, go, stop_at, hold, results)) for u, c in pairs]
    sealer = None
    if hasattr(audit, "chain_seal"):
        sealer = ctx.Process(target=_sealer, args=(go, stop, seal_every, seal_results))
        sealer.start()
    for p in procs:
        p.start()
    sampler = ctx.Process(target=_lock_sampler, args=(lock_stop, 0.05, lock_results))
    sampler.start()
    time.sleep(1.0)  # let every client connect before the clock starts
    busy0, total0 = _machine_busy()
    start = time.time()
    stop_at.value = start + seconds
    go.set()
    outcomes = [results.get() for _ in procs]
    wall = time.time() - start
    busy1, total1 = _machine_busy()
    lock_stop.set()
    waiting, sampled = lock_results.get()
    sampler.join()
    for p in procs:
        p.join()
    seal_info = None
    if sealer is not None:
        stop.set()
        seal_info = seal_results.get()
        sealer.join()
    reads = [x for r, _, _ in outcomes for x in r]
    writes = [x for _, w, _ in outcomes for x in w]
    client_cpu = sum(cpu for _, _, cpu in outcomes)
    ops = len(reads) + len(writes)
    grown = _entries() - before
    return {
        "clients": len(pairs),
        "ops": ops,
        "wall_s": round(wall, 2),
        "ops_per_s": round(ops / wall, 1),
        "p95_ms": round(_p95(reads + writes) * 1000, 1),
        "read_p95_ms": round(_p95(reads) * 1000, 1),
        "write_p95_ms": round(_p95(writes) * 1000, 1),
        "entries_written": grown,
        "lost": ops - grown,
        "client_cpu_ms_per_op": round(client_cpu / ops * 1000, 2),
        "machine_busy_pct": round(100 * (busy1 - busy0) / max(1, total1 - total0), 1),
        "backends_waiting_on_lock_pct": round(100 * waiting / max(1, sampled), 1),
        "sealer": seal_info,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    p.add_argument("--seconds", type=float, default=15.0, help="per level")
    p.add_argument("--seal-every", type=float, default=1.0, help="sealer interval, seconds")
    p.add_argument(
        "--database-url", default=os.environ.get("BENCH_AUDIT_DATABASE_URL", DEFAULT_URL)
    )
    p.add_argument("--tree", type=Path, default=ROOT, help="the Setu source tree to measure")
    p.add_argument("--label", default="after")
    p.add_argument(
        "--hold-ms",
        type=float,
        default=0.0,
        help="keep each write's transaction open this much longer (a slower request)",
    )
    p.add_argument("--output", type=Path)
    opts = p.parse_args(argv)

    _recreate_database(opts.database_url)
    _setup(opts.tree.resolve(), opts.database_url)
    from django.core.management import call_command

    from setu.audit import services as audit

    call_command("migrate", verbosity=0)
    pairs = _fixtures(max(opts.clients))
    levels = []
    for n in opts.clients:
        row = _level(pairs[:n], opts.seconds, opts.seal_every, opts.hold_ms / 1000)
        levels.append(row)
        print(
            f"{opts.label:>7} {n:>3} clients: {row['ops_per_s']:>7} ops/s, "
            f"p95 {row['p95_ms']} ms (read {row['read_p95_ms']}, write {row['write_p95_ms']}), "
            f"{row['ops']} ops, lost {row['lost']}, client CPU {row['client_cpu_ms_per_op']} ms/op, "
            f"machine busy {row['machine_busy_pct']}%, "
            f"waiting on a lock {row['backends_waiting_on_lock_pct']}%, sealer {row['sealer']}",
            flush=True,
        )
    t0 = time.perf_counter()
    count, problems = audit.verify()
    verify_s = time.perf_counter() - t0
    result = {
        "label": opts.label,
        "tree": str(opts.tree),
        "cpus": os.cpu_count(),
        "load_avg_at_end": os.getloadavg(),
        "seconds_per_level": opts.seconds,
        "hold_ms": opts.hold_ms,
        "levels": levels,
        "verify": {"entries": count, "problems": len(problems), "seconds": round(verify_s, 2)},
    }
    print(f"verify: {count} entries, {len(problems)} problems, {verify_s:.1f} s")
    out = opts.output or ROOT / "bench" / "out" / f"audit_{opts.label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    lost = sum(row["lost"] for row in levels)
    return 0 if not problems and lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
