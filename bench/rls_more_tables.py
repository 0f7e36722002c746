"""Cost of row-level security on entitlements, the match index, intelligence and the audit
trail (issue 28, promise 1; migration ``access 0007``): their list pages as the owner (policies
not applied) and as ``setu_app`` (applied). The pattern of ``bench/rls_overhead.py``.

    createdb -h 127.0.0.1 -U postgres setu_bench_rls2
    SETU_DEMO_MODE=true PGOPTIONS="-c jit=off" \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench_rls2 \\
        .venv/bin/python bench/rls_more_tables.py --orgs 5 --persons 2000 --shares 200

PostgreSQL only. Migrates the scratch database named by DATABASE_URL (it refuses one that
already holds persons unless --reuse), creates the roles with ``setu db roles``, and
bulk-inserts ``--orgs`` organisations with ``--persons`` survivors each, one case per
survivor. Each case gets a scheme application with a status change, a compensation claim with
a stage, a perpetrator with an identifier and its index row, and three audit entries; each
person a match record with two blocking keys. ``--shares`` of the other organisations' cases
are live-shared with the first organisation, and as many of their persons are paired with
and cross-referenced to the first organisation's. It times, as the first organisation's admin,
the entitlements overview, the match list, the intelligence cross-references and the audit
trail through Django's test client, and ``count()`` of each table without the policy; each as
the owner and as ``setu_app``, median and slowest of ``--samples``. ``SET ROLE`` does not
apply the roles' ``jit = off``: pass ``PGOPTIONS="-c jit=off"`` to measure as production runs.
Figures: docs/row-level-security.md, "Measured".
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.rls_overhead import RoleSwitch, _setup, _time, scratch_database  # noqa: E402


def _load(orgs: int, persons: int, shares: int) -> object:
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from setu.accounts.models import User
    from setu.audit.models import AuditEntry
    from setu.consent.models import CaseShare, Consent
    from setu.entitlements.models import (
        ApplicationStatusChange,
        CompensationClaim,
        CompensationStage,
        Scheme,
        SchemeApplication,
    )
    from setu.intel.models import Identifier, IntelKey, IntelLink, Perpetrator
    from setu.matching.models import MatchKey, MatchPair, MatchRecord
    from setu.orgs.models import Membership, Organisation, Role
    from setu.registry.models import Case, CasePerson, Person

    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Bench NGO {n}", short_name=f"BN{n}") for n in range(orgs)]
    )
    user = User.objects.create(username="bench-rls2", password=make_password("x"))
    Membership.objects.create(user=user, organisation=organisations[0], role=Role.ORG_ADMIN)
    scheme = Scheme.objects.order_by("name").first()
    today = timezone.localdate()
    now = timezone.now()
    batch = 5000
    mine: list[tuple[object, object, object]] = []
    for o, org in enumerate(organisations):
        people = Person.objects.bulk_create(
            [
                Person(owner_org=org, given_name=f"Given{n}", family_name=f"Family{o}")
                for n in range(persons)
            ],
            batch_size=batch,
        )
        cases = Case.objects.bulk_create(
            [Case(owner_org=org, reference=f"B{o}/{n:06d}") for n in range(persons)],
            batch_size=batch,
        )
        pairs = list(zip(cases, people, strict=True))
        CasePerson.objects.bulk_create(
            [CasePerson(case=c, person=p, role="victim") for c, p in pairs], batch_size=batch
        )
        applications = SchemeApplication.objects.bulk_create(
            [SchemeApplication(case=c, person=p, owner_org=org, scheme=scheme) for c, p in pairs],
            batch_size=batch,
        )
        ApplicationStatusChange.objects.bulk_create(
            [ApplicationStatusChange(application=a, to_status="applied", changed_on=today)
             for a in applications],
            batch_size=batch,
        )  # fmt: skip
        claims = CompensationClaim.objects.bulk_create(
            [CompensationClaim(case=c, person=p, owner_org=org) for c, p in pairs],
            batch_size=batch,
        )
        CompensationStage.objects.bulk_create(
            [CompensationStage(claim=k, forum="dlsa", filed_on=today) for k in claims],
            batch_size=batch,
        )
        records = MatchRecord.objects.bulk_create(
            [MatchRecord(person=p, organisation=org, cross_org=True) for _c, p in pairs],
            batch_size=batch,
        )
        MatchKey.objects.bulk_create(
            [
                MatchKey(record=r, key=f"{kind}:{n % 500}", organisation_id=org.pk, cross_org=True)
                for n, r in enumerate(records)
                for kind in ("name", "village")
            ],
            batch_size=batch,
        )
        perpetrators = Perpetrator.objects.bulk_create(
            [Perpetrator(case=c, owner_org=org, name=f"Agent {n}", role="recruiter",
                         source="survivor") for n, (c, _p) in enumerate(pairs)],
            batch_size=batch,
        )  # fmt: skip
        identifiers = Identifier.objects.bulk_create(
            [
                Identifier(case=c, owner_org=org, perpetrator=k, kind="phone",
                           value=f"+91{o:02d}{n:08d}", raw=f"+91{o:02d}{n:08d}",
                           source="survivor")
                for n, ((c, _p), k) in enumerate(zip(pairs, perpetrators, strict=True))
            ],
            batch_size=batch,
        )  # fmt: skip
        keys = IntelKey.objects.bulk_create(
            [IntelKey(kind="phone", value=i.value, case_id=i.case_id, owner_org=org, identifier=i)
             for i in identifiers],
            batch_size=batch,
        )  # fmt: skip
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(at=now, actor_org_id=org.pk, action="view",
                           target_type="registry.case", target_id=str(c.pk),
                           target_org_id=org.pk, salt="bench",
                           entry_hash=secrets.token_hex(32))
                for c, _p in pairs
                for _ in range(3)
            ],
            batch_size=batch,
        )  # fmt: skip
        if o == 0:
            mine = list(zip(people, records, keys, strict=True))
            continue
        chosen = list(zip(pairs, records, keys, strict=True))[: max(0, shares // max(1, orgs - 1))]
        consents = Consent.objects.bulk_create(
            [Consent(person=p, scopes=["identity", "case_history"]) for (_c, p), _r, _k in chosen]
        )
        CaseShare.objects.bulk_create(
            [
                CaseShare(case=c, organisation=organisations[0], consent=k,
                          scopes=["identity", "case_history"], reason="bench",
                          expires_on=today + datetime.timedelta(days=365))
                for ((c, _p), _r, _k), k in zip(chosen, consents, strict=True)
            ]
        )  # fmt: skip
        MatchPair.objects.bulk_create(
            [
                MatchPair(person_a=m[0], person_b=p, org_a_id=organisations[0].pk, org_b_id=org.pk,
                          probability=0.97, band="strong", kind="cross_org")
                for m, ((_c, p), _r, _k) in zip(mine, chosen, strict=False)
            ]
        )  # fmt: skip
        IntelLink.objects.bulk_create(
            [
                IntelLink(key_a=k, key_b=m[2], kind="phone", org_a=org, org_b=organisations[0])
                for m, (_cp, _r, k) in zip(mine, chosen, strict=False)
            ]
        )
    return user


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=5)
    parser.add_argument("--persons", type=int, default=2000, help="per organisation")
    parser.add_argument("--shares", type=int, default=200, help="shared with the first org")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--only", default="", help="time only the rows whose name contains this")
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from setu.access import rls
    from setu.accounts.models import User
    from setu.audit.models import AuditEntry
    from setu.entitlements.models import CompensationClaim, SchemeApplication
    from setu.intel.models import Identifier, IntelKey
    from setu.matching.models import MatchKey, MatchPair, MatchRecord

    if not scratch_database(lambda: _load(args.orgs, args.persons, args.shares), reuse=args.reuse):
        return 2
    user = User.objects.get(username="bench-rls2")
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    org_id = user.memberships.get().organisation_id
    role = RoleSwitch("bench_rls2_role")

    def page(url: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    def forgetful(model: type) -> Callable[[], object]:
        def run() -> object:
            with rls.acting_for(org_id):
                role.apply()
                return model.objects.count()

        return run

    rows: list[tuple[str, Callable[[], object]]] = [
        ("entitlements overview", page(reverse("entitlements:overview"))),
        ("match list", page(reverse("matching:pair-list"))),
        ("intel cross-references", page(reverse("intel:crossref"))),
        ("audit trail", page(reverse("audit:entry-list"))),
    ]
    models = (SchemeApplication, CompensationClaim, MatchRecord, MatchKey, MatchPair,
              Identifier, IntelKey, AuditEntry)  # fmt: skip
    rows += [(f"{m.__name__}.count()", forgetful(m)) for m in models]
    rows = [(what, run) for what, run in rows if args.only in what]
    for name in ("", "setu_app"):
        role.name = name
        label = name or "owner"
        for what, run in rows:
            median, worst = _time(run, args.samples)
            counted = f"  rows {run()}" if what.endswith("count()") else ""
            print(f"{what:<26} as {label:<9} median {median:7.1f} ms  max {worst:7.1f} ms{counted}")
    role.name = ""
    role.apply()
    return 0


if __name__ == "__main__":
    sys.exit(main())
