"""Time from a person record saved to the match notice delivered, at network scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench \\
        .venv/bin/python bench/matching_latency.py --records 100000 --samples 30
    .venv/bin/python bench/matching_latency.py --records 20000 --worker   # through db_worker
    .venv/bin/python bench/matching_latency.py --records 1001000 --reuse --worker   # at 1M

Steps: migrate the database named by DATABASE_URL (it must be a scratch database: the script
refuses one that already holds persons unless --reuse), generate labelled synthetic records
(``setu.synth``), bulk-insert them as registry persons of their organisations with addresses,
phones and network-wide matching consent (PostgreSQL ``COPY``), build the match index with the
bulk path ``matching.index_batch`` (timed; resumable, so ``--reuse`` continues an interrupted
index build; ``VACUUM ANALYZE`` after it), then save
``--samples`` held-out records through the registry services as a caseworker would (person,
home address, consent) and time commit -> notice rows in the other organisation's inbox.

Without ``--worker`` the matching task runs in-process right after the commit (Django's
ImmediateBackend): the figure is the work a worker does. With ``--worker`` the real database
queue is used and a ``setu db_worker`` subprocess (polling every ``--interval`` seconds) picks
the task up, so the figure includes queueing. A ``--reuse`` run saves the same held-out records
again, so they also find the earlier copies in their own organisation. Figures and load times
at 1M: docs/matching-in-the-app.md, "Measured".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(worker: bool) -> None:
    os.environ.setdefault("SETU_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("SETU_DEBUG", "true")
    os.environ["SETU_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    if not worker:
        os.environ["SETU_TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()


def _date(text: str):  # type: ignore[no-untyped-def]
    import datetime

    if not text:
        return None, ""
    parts = text.split("-")
    if len(parts) == 1:
        return datetime.date(int(parts[0]), 7, 1), "year"
    return datetime.date.fromisoformat(text), "day"


def _person_fields(r: dict) -> dict:  # type: ignore[type-arg]
    import datetime

    birth, precision = _date(str(r["birth_date"] or ""))
    gender = {"F": "Feminine", "M": "Masculine"}.get(str(r["sex"]), "NonSpecifiedUnknown")
    fields = {
        "given_name": str(r["given_name"])[:100],
        "family_name": str(r["family_name"])[:100],
        "gender": gender,
        "father_name": str(r["father_name"])[:150],
        "mother_name": str(r["mother_name"])[:150],
    }
    if birth:
        fields.update(birth_date=birth, birth_date_precision=precision)
    elif r["age"] is not None:
        on = r["recorded_on"] or "2024-01-01"
        fields.update(
            estimated_age=int(r["age"]), age_estimated_on=datetime.date.fromisoformat(str(on))
        )
    return fields


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--reuse", action="store_true", help="Keep persons already loaded.")
    args = parser.parse_args(argv)
    _setup(args.worker)

    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)

    from setu.access.actor import actor_for_user
    from setu.accounts.models import User
    from setu.consent import services as consent_services
    from setu.consent.models import Consent
    from setu.core.bulk import bulk_insert
    from setu.matching import services as matching
    from setu.matching.models import MatchKey, MatchPair, MatchRecord
    from setu.notifications.models import Notification
    from setu.orgs.models import District, Membership, Organisation, OrganisationType, Role
    from setu.registry import services as registry
    from setu.registry.models import Address, Person, Phone
    from setu.synth import generate_population, persons_for_records

    if Person.objects.exists() and not args.reuse:
        print("refusing: the database already holds persons (use a scratch database or --reuse)")
        return 2

    t = time.perf_counter()
    pop = generate_population(persons_for_records(args.records + args.samples), seed=args.seed)
    records = pop.records[: args.records + args.samples]
    print(f"generated {len(records)} records in {time.perf_counter() - t:.1f}s")

    # Held-out samples: records whose person already has a record in another organisation.
    seen: dict[str, set[str]] = {}
    for r in records:
        seen.setdefault(str(r["person_id"]), set()).add(str(r["org"]))
    samples, base = [], []
    for r in reversed(records):
        if len(samples) < args.samples and len(seen[str(r["person_id"])] - {r["org"]}) >= 1:
            samples.append(r)
        else:
            base.append(r)
    base.reverse()

    districts: dict[tuple[str, str], District] = {}
    for d in District.objects.select_related("state"):
        districts[(d.name.lower(), d.state.name.lower())] = d
        districts.setdefault((d.name.lower(), ""), d)

    def district_of(r: dict):  # type: ignore[no-untyped-def,type-arg]
        name, state = str(r["district"]).lower(), str(r["state"]).lower()
        return districts.get((name, state)) or districts.get((name, ""))

    orgs: dict[str, Organisation] = {o.name: o for o in Organisation.objects.all()}
    for name in sorted({str(r["org"]) for r in records} - set(orgs)):
        orgs[name] = Organisation.objects.create(
            name=name[:200], org_type=OrganisationType.DESTINATION_NGO, phone="011 2300 0000"
        )
    users: dict[str, User] = {}
    for name, org in orgs.items():
        user, _ = User.objects.get_or_create(username=f"bench-{org.pk.hex[:12]}")
        Membership.objects.get_or_create(
            user=user,
            organisation=org,
            defaults={"role": Role.CASEWORKER, "is_designated_contact": True},
        )
        users[name] = user

    if not Person.objects.exists():
        t = time.perf_counter()
        for start in range(0, len(base), args.batch):
            chunk = base[start : start + args.batch]
            persons = [Person(owner_org=orgs[str(r["org"])], **_person_fields(r)) for r in chunk]
            bulk_insert(persons)
            addresses, phones, consents = [], [], []
            for p, r in zip(persons, chunk, strict=True):
                d = district_of(r)
                addresses.append(
                    Address(
                        person=p,
                        village=str(r["village"])[:150],
                        district=d,
                        state=d.state if d else None,
                    )
                )
                if r["phone"]:
                    phones.append(Phone(person=p, number=str(r["phone"])[:16]))
                consents.append(Consent(person=p, scopes=["matching"]))
            with transaction.atomic():
                bulk_insert(addresses)
                bulk_insert(phones)
                bulk_insert(consents)
            if start // args.batch % 20 == 0:
                print(f"  inserted {start + len(chunk)}", flush=True)
        print(f"inserted {len(base)} persons in {time.perf_counter() - t:.1f}s")

    t = time.perf_counter()
    after, done = None, 0
    while True:
        n, after = matching.index_batch(after=after, size=args.batch)
        if not n:
            break
        done += n
        rate = done / (time.perf_counter() - t)
        if done // args.batch % 20 == 1:
            print(f"  indexed {done}  ({rate:.0f}/s)", flush=True)
    built = time.perf_counter() - t
    print(
        f"index: {MatchRecord.objects.count()} records, {MatchKey.objects.count()} keys; "
        f"{done} indexed in {built:.1f}s ({done / max(built, 1e-9):.0f} persons/s)"
    )
    if done and connection.vendor == "postgresql":
        t = time.perf_counter()
        with connection.cursor() as cursor:
            for table in (Person, MatchRecord, MatchKey):
                cursor.execute(f"VACUUM ANALYZE {table._meta.db_table}")
        print(f"vacuum analyze: {time.perf_counter() - t:.1f}s")

    worker = None
    if args.worker:
        worker = subprocess.Popen(
            [sys.executable, "-m", "setu.cli", "db_worker", "--interval", str(args.interval)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)

    latencies, found, cpu = [], 0, []
    try:
        for r in samples:
            actor = actor_for_user(users[str(r["org"])])
            before = Notification.objects.count()
            marks: list[float] = []
            cpu0 = os.times()
            t0 = time.perf_counter()
            with transaction.atomic():
                # Registered first, so it runs first: the moment the save is committed.
                transaction.on_commit(lambda m=marks: m.append(time.perf_counter()))
                # A sample may be a duplicate inside its own organisation: saved anyway, as a
                # caseworker who gives the reason would (the check itself is part of the save).
                person = registry.person_create(
                    actor=actor, create_reason="bench: a known duplicate", **_person_fields(r)
                )
                d = district_of(r)
                if d is not None or r["village"]:
                    registry.address_add(actor=actor, person=person, village=str(r["village"])[:150],
                                         district=d, state=d.state if d else None)  # fmt: skip
                consent_services.consent_record(actor=actor, person=person, scopes=["matching"])
            deadline = time.perf_counter() + 30
            while Notification.objects.count() == before and time.perf_counter() < deadline:
                if not args.worker:
                    break
                time.sleep(0.01)
            end = time.perf_counter()
            cpu.append(os.times().user - cpu0.user + os.times().system - cpu0.system)
            pairs = (
                MatchPair.objects.filter(person_b=person).count()
                + MatchPair.objects.filter(person_a=person).count()
            )
            if Notification.objects.count() > before:
                found += 1
                latencies.append(end - (marks[0] if marks else t0))
            print(f"  sample: {pairs} pair(s), {'notice' if pairs else 'no notice'}, "
                  f"{(end - (marks[0] if marks else t0)) * 1000:.0f} ms", flush=True)  # fmt: skip
    finally:
        if worker is not None:
            worker.terminate()
    print()
    print(f"persons in the network: {Person.objects.count()}")
    print(f"samples with a notice: {found} of {len(samples)}")
    if latencies:
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(
            f"saved -> notice delivered: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms "
            f"({'db_worker' if args.worker else 'in-process task'})"
        )
    if cpu and not args.worker:
        print(f"CPU per save+check (this process): median {statistics.median(cpu) * 1000:.0f} ms")
    print(f"machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
