"""Speed of the phone webhooks, and de-duplication under concurrent re-delivery.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench_channels \\
        .venv/bin/python bench/channels_webhooks.py --messages 2000 --threads 8

Migrates the scratch database named by DATABASE_URL, registers a keyword whose handler does
nothing but count, and posts through Django's test client (every middleware, the secret check,
body checks, the delivery claim, audit): ``--messages`` SMS with fresh ids, then the same
number again as re-deliveries (answered from the stored result), reporting the median and p95
per request and requests per second. Then ``--threads`` threads post one new id at the same
moment, ``--rounds`` times: the handler must have run once per round (PostgreSQL makes the
second claim of an id wait for the first one's transaction). Figures: docs/channels.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SECRET = "bench-only-channels-secret-0123456789"


def _setup() -> None:
    os.environ.setdefault("SETU_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("SETU_DEBUG", "true")
    os.environ["SETU_CHANNELS_SECRET"] = SECRET
    os.environ["SETU_CHANNELS_RATE"] = "0"
    os.environ.setdefault("SETU_LOG_LEVEL", "WARNING")
    os.environ.setdefault("SETU_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()


def _post(client, message_id: str, n: int) -> tuple[float, float]:
    body = json.dumps({"from": f"98{n % 100000000:08d}", "text": f"BENCH {n}", "id": message_id})
    start, cpu = time.perf_counter(), time.process_time()
    response = client.post(
        "/channels/sms/", body, content_type="application/json", HTTP_X_SETU_SECRET=SECRET
    )
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert response.status_code == 200, response.content
    return elapsed, cpu


def _report(label: str, samples: list[tuple[float, float]]) -> None:
    """Wall-clock median and p95 (they grow with the machine's load) and the CPU time of this
    process per request (Setu's own work, much less sensitive to other load; the database's
    CPU is not in it)."""
    ms = sorted(wall * 1000 for wall, _cpu in samples)
    cpu = statistics.mean(c * 1000 for _wall, c in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(
        f"{label:<16} n={len(ms):>5}  median {statistics.median(ms):6.1f} ms  "
        f"p95 {p95:6.1f} ms  {len(ms) / (sum(ms) / 1000):5.0f} req/s  cpu {cpu:5.1f} ms/req"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client

    from setu.channels import hooks
    from setu.channels.models import Delivery

    call_command("migrate", verbosity=0)
    if Delivery.objects.exists():
        sys.exit("The database already holds deliveries: use a scratch database.")
    handled: list[int] = []
    lock = threading.Lock()

    def on_bench(message: hooks.InboundMessage) -> str:
        with lock:
            handled.append(1)
        return "ok"

    hooks.register_keyword("BENCH", on_bench)
    client = Client()
    print(f"database: {connection.vendor}")
    _report("new messages", [_post(client, f"m{n}", n) for n in range(args.messages)])
    _report("re-deliveries", [_post(client, f"m{n}", n) for n in range(args.messages)])
    assert len(handled) == args.messages, (len(handled), args.messages)

    handled.clear()
    for round_ in range(args.rounds):
        barrier = threading.Barrier(args.threads)

        def deliver(round_: int = round_, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            _post(Client(), f"race-{round_}", round_)
            connections.close_all()

        threads = [threading.Thread(target=deliver) for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    print(
        f"concurrent re-delivery: {args.rounds} rounds x {args.threads} threads, "
        f"handler ran {len(handled)} time(s) (expected {args.rounds})"
    )
    assert len(handled) == args.rounds


if __name__ == "__main__":
    main()
