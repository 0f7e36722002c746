"""Cost of row-level security (issue 28, promise 1): the same pages and queries as the owner
(policies not applied) and as ``setu_app`` (applied), at network scale.

    createdb -h 127.0.0.1 -U postgres setu_bench_rls
    SETU_DEMO_MODE=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench_rls \\
        .venv/bin/python bench/rls_overhead.py --orgs 20 --persons 5000 --shares 500

PostgreSQL only. Migrates the scratch database named by DATABASE_URL (it refuses one that
already holds persons unless --reuse), creates ``setu_app`` and ``setu_system`` with
``setu db roles``, and bulk-inserts ``--orgs`` organisations with ``--persons`` survivors
each (one case per survivor, with a phone), then ``--shares`` of the other organisations' cases
live-shared with the first organisation, whose survivors also consented to statistics. It
times, as the first organisation's caseworker, the person list and case list pages through
Django's test client (middleware, selector, template), and a query that forgets the policy
(``Person.objects.count()``); as its analyst, the network statistics page (``/insights/``, a
system read), with the number of cases it counted; each as the owner and as ``setu_app``. It reports the median and slowest of ``--samples`` runs, and how many
``set_config`` statements one page request issued. It switches roles with ``SET ROLE``, so
the ``jit = off`` that ``setu db roles`` gives the roles at login does not apply: pass
``PGOPTIONS="-c jit=off"`` to measure as production runs. Figures: docs/row-level-security.md,
"Measured".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("SETU_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("SETU_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()


def _load(orgs: int, persons: int, shares: int) -> object:
    from django.contrib.auth.hashers import make_password

    from setu.accounts.models import User
    from setu.consent.models import CaseShare, Consent
    from setu.orgs.models import Membership, Organisation, Role
    from setu.registry.models import Case, CasePerson, Person, Phone

    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Bench NGO {n}", short_name=f"BN{n}") for n in range(orgs)]
    )
    user = User.objects.create(username="bench-rls", password=make_password("x"))
    Membership.objects.create(user=user, organisation=organisations[0], role=Role.CASEWORKER)
    analyst = User.objects.create(username="bench-rls-analyst", password=make_password("x"))
    Membership.objects.create(user=analyst, organisation=organisations[0], role=Role.ANALYST)
    for o, org in enumerate(organisations):
        people = Person.objects.bulk_create(
            [
                Person(owner_org=org, given_name=f"Given{n}", family_name=f"Family{o}")
                for n in range(persons)
            ],
            batch_size=5000,
        )  # fmt: skip
        cases = Case.objects.bulk_create(
            [Case(owner_org=org, reference=f"B{o}/{n:06d}") for n in range(persons)],
            batch_size=5000,
        )
        CasePerson.objects.bulk_create(
            [
                CasePerson(case=c, person=p, role="victim")
                for c, p in zip(cases, people, strict=True)
            ],
            batch_size=5000,
        )
        Phone.objects.bulk_create(
            [Phone(person=p, number=f"+91{o:02d}{n:08d}") for n, p in enumerate(people)],
            batch_size=5000,
        )
        if o == 0:
            continue
        chosen = list(zip(cases, people, strict=True))[: max(0, shares // max(1, orgs - 1))]
        consents = Consent.objects.bulk_create(
            [
                Consent(person=p, scopes=["identity", "case_history", "statistics"])
                for _c, p in chosen
            ]
        )
        CaseShare.objects.bulk_create(
            [
                CaseShare(case=c, organisation=organisations[0], consent=k,
                          scopes=["identity", "case_history"], reason="bench")
                for (c, _p), k in zip(chosen, consents, strict=True)
            ]
        )  # fmt: skip
    return user


def scratch_database(load: Callable[[], object], *, reuse: bool) -> bool:
    """The row-level security benches' preamble. On PostgreSQL only: migrate the scratch
    database named by DATABASE_URL, make the roles (``setu db roles --apply``), and load the
    bench's data with ``load`` unless it holds persons already (then ``ANALYZE``). Says why and
    returns False when the bench cannot run: not PostgreSQL, or persons there without
    ``reuse``."""
    from django.core.management import call_command
    from django.db import connection

    from setu.registry.models import Person

    if connection.vendor != "postgresql":
        print("Row-level security is PostgreSQL's: point DATABASE_URL at a scratch database.")
        return False
    call_command("migrate", verbosity=0)
    call_command("db", "roles", "--apply", verbosity=0)
    if Person.objects.exists():
        if not reuse:
            print("The database already holds persons; use a scratch database or --reuse.")
        return reuse
    start = time.perf_counter()
    load()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - start:.1f} s")
    return True


class RoleSwitch:
    """Runs each test-client request, and each ``apply()``, as ``name``: the owner when empty
    (policies not applied), else that role (``setu_app``)."""

    def __init__(self, uid: str) -> None:
        from django.core.signals import request_started

        self.name = ""
        request_started.connect(self.apply, dispatch_uid=uid, weak=False)

    def apply(self, **_: object) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {self.name}" if self.name else "RESET ROLE")


def _time(run: Callable[[], object], samples: int) -> tuple[float, float]:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--persons", type=int, default=5000, help="per organisation")
    parser.add_argument("--shares", type=int, default=500, help="shared with the first org")
    parser.add_argument("--samples", type=int, default=9)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--only", default="", help="time only the rows whose name contains this")
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from setu.access import rls
    from setu.access.actor import actor_for_user
    from setu.accounts.models import User
    from setu.insights import selectors as insights
    from setu.registry.models import Person

    if not scratch_database(lambda: _load(args.orgs, args.persons, args.shares), reuse=args.reuse):
        return 2
    user = User.objects.get(username="bench-rls")
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    analyst = Client()
    analyst.force_login(
        User.objects.get(username="bench-rls-analyst"), backend=settings.AUTHENTICATION_BACKENDS[-1]
    )
    role = RoleSwitch("bench_rls_role")

    def page(url: str, by: Client = client) -> Callable[[], object]:
        def run() -> object:
            response = by.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    def forgetful() -> object:
        with rls.acting_for(user.memberships.get().organisation_id):
            role.apply()
            return Person.objects.count()

    rows = [
        ("person list page", page(reverse("registry:person-list"))),
        ("case list page", page(reverse("registry:case-list"))),
        ("Person.objects.count()", forgetful),
        ("insights overview page", page(reverse("insights:overview"), analyst)),
    ]
    rows = [(what, run) for what, run in rows if args.only in what]
    for name in ("", "setu_app"):
        role.name = name
        label = name or "owner"
        for what, run in rows:
            median, worst = _time(run, args.samples)
            print(f"{what:<26} as {label:<9} median {median:7.1f} ms  max {worst:7.1f} ms")
        role.apply()
        with rls.acting_for(user.memberships.get().organisation_id):
            print(f"{'':<26} as {label:<9} count {Person.objects.count()}")
            counted = insights.network_overview(
                actor=actor_for_user(User.objects.get(username="bench-rls-analyst"))
            ).cases_counted
            print(f"{'':<26} as {label:<9} insights cases counted {counted}")
    role.name = "setu_app"
    calls = {"n": 0}
    holds = rls._session_holds

    def counting(conn: object, want: str) -> bool:
        held = holds(conn, want)  # type: ignore[arg-type]
        calls["n"] += not held
        return held

    rls._session_holds = counting  # type: ignore[assignment]
    client.get(reverse("registry:person-list"))
    rls._session_holds = holds  # type: ignore[assignment]
    print(f"set_config statements in one page request: {calls['n']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
