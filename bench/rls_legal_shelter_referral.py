"""Cost of row-level security on legal proceedings, shelter stays and referrals (issue 28,
promise 1; migration ``access 0006``): the list pages that read those tables, as the owner
(policies not applied) and as ``setu_app`` (applied).

    createdb -h 127.0.0.1 -U postgres setu_bench_rls6
    SETU_DEMO_MODE=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench_rls6 \\
        PGOPTIONS="-c jit=off" \\
        .venv/bin/python bench/rls_legal_shelter_referral.py --orgs 5 --persons 1000 --shares 200

Loads the network of ``bench/rls_overhead.py`` (``--orgs`` × ``--persons`` survivors, each
with a case; ``--shares`` of the other organisations' cases live-shared with the first), then
gives every case a criminal proceeding with an accused and two hearings, makes the shares cover
the legal scope, sends one referral in five to the next organisation, and puts one survivor in
five in a bed of the next organisation's shelter. It times, for the first organisation, the
legal desk and hearing calendar (its legal officer, every proceeding), the referral lists
received and sent (its caseworker), the shelter's residents page (its shelter manager), and
``count()`` on each table through a query that forgets the policy. PostgreSQL only; pass
``PGOPTIONS="-c jit=off"`` as production's roles have it (``setu db roles``). Figures:
docs/row-level-security.md, "Measured".
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.rls_overhead import RoleSwitch, _load, _setup, _time, scratch_database  # noqa: E402


def _load_more(fraction: int) -> None:
    """Proceedings, hearings and accused for every case; referrals and stays for a fifth."""
    from setu.consent.models import CaseShare, Consent
    from setu.legal.models import Accused, Hearing, Proceeding
    from setu.orgs.models import Organisation
    from setu.referrals.models import Referral, ReferralEvent
    from setu.registry.models import CasePerson
    from setu.shelters.models import BedGroup, ShelterStay

    orgs = list(Organisation.objects.filter(name__startswith="Bench NGO").order_by("short_name"))
    on = datetime.date(2026, 12, 15)
    for o, org in enumerate(orgs):
        links = list(
            CasePerson.objects.filter(case__owner_org=org)
            .select_related("case")
            .order_by("case__reference")
        )
        proceedings = Proceeding.objects.bulk_create(
            [
                Proceeding(case=link.case, owner_org=org, track="criminal", fir_number=f"{n}/26")
                for n, link in enumerate(links)
            ],
            batch_size=5000,
        )
        Hearing.objects.bulk_create(
            [
                Hearing(proceeding=p, on=on + datetime.timedelta(days=d % 14))
                for p in proceedings
                for d in (0, 7)
            ],
            batch_size=5000,
        )
        Accused.objects.bulk_create(
            [Accused(proceeding=p, name="Accused") for p in proceedings], batch_size=5000
        )
        nxt = orgs[(o + 1) % len(orgs)]
        chosen = links[::fraction]
        consents = Consent.objects.bulk_create(
            [Consent(person=link.person, scopes=["identity"]) for link in chosen],
            batch_size=5000,
        )
        referrals = Referral.objects.bulk_create(
            [
                Referral(from_org=org, to_org=nxt, case=link.case, person=link.person,
                         need="shelter", consent=consent, shared_scopes=["identity"])
                for link, consent in zip(chosen, consents, strict=True)
            ],
            batch_size=5000,
        )  # fmt: skip
        ReferralEvent.objects.bulk_create(
            [ReferralEvent(referral=r, kind="sent", actor_org=org) for r in referrals],
            batch_size=5000,
        )
        group = BedGroup.objects.create(shelter=nxt, kind="women", total=len(chosen))
        ShelterStay.objects.bulk_create(
            [ShelterStay(bed_group=group, person=link.person) for link in chosen], batch_size=5000
        )
    # The shares to the first organisation now carry the legal scope (share and consent).
    for share in CaseShare.objects.select_related("consent"):
        share.scopes = [*share.scopes, "legal"]
        share.save(update_fields=["scopes"])
        Consent.objects.filter(pk=share.consent_id).update(scopes=[*share.consent.scopes, "legal"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=5)
    parser.add_argument("--persons", type=int, default=1000, help="per organisation")
    parser.add_argument("--shares", type=int, default=200, help="shared with the first org")
    parser.add_argument("--every", type=int, default=5, help="one referral and stay in N")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--only", default="", help="time only the rows whose name contains this")
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from setu.access import rls
    from setu.accounts.models import User
    from setu.legal.models import Hearing, Proceeding
    from setu.orgs.models import Membership, Role
    from setu.referrals.models import Referral
    from setu.shelters.models import ShelterStay

    def load() -> None:
        _load(args.orgs, args.persons, args.shares)
        _load_more(args.every)

    # A database loaded by an earlier run is timed again (this bench has no --reuse).
    if not scratch_database(load, reuse=True):
        return 2
    user = User.objects.get(username="bench-rls")
    org_id = user.memberships.get().organisation_id
    settings.ALLOWED_HOSTS = ["*"]

    def client_for(role: str) -> Client:
        member, _ = User.objects.get_or_create(username=f"bench-rls6-{role}")
        Membership.objects.get_or_create(user=member, organisation_id=org_id, role=role)
        client = Client()
        client.force_login(member, backend=settings.AUTHENTICATION_BACKENDS[-1])
        return client

    caseworker = client_for(Role.CASEWORKER)
    legal = client_for(Role.LEGAL_OFFICER)
    shelter = client_for(Role.SHELTER_MANAGER)
    role = RoleSwitch("bench_rls6_role")

    def page(url: str, by: Client) -> Callable[[], object]:
        def run() -> object:
            response = by.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    def forgetful(model: type) -> Callable[[], object]:
        def run() -> object:
            with rls.acting_for(org_id):
                role.apply()
                return model.objects.count()  # type: ignore[attr-defined]

        return run

    month = "2026-12"
    rows = [
        ("legal desk (all)", page(reverse("legal:desk") + "?all=1", legal)),
        ("legal calendar (all)", page(reverse("legal:calendar") + f"?all=1&month={month}", legal)),
        ("referrals received", page(reverse("referrals:referral-list"), caseworker)),
        (
            "referrals sent",
            page(reverse("referrals:referral-list") + "?direction=sent", caseworker),
        ),
        ("shelter residents", page(reverse("shelters:manage"), shelter)),
        ("Proceeding count()", forgetful(Proceeding)),
        ("Hearing count()", forgetful(Hearing)),
        ("Referral count()", forgetful(Referral)),
        ("ShelterStay count()", forgetful(ShelterStay)),
    ]
    rows = [(what, run) for what, run in rows if args.only in what]
    # Each row as the owner and as setu_app back to back (one warm-up each), so the load of a
    # shared machine drifts less between the two.
    for what, run in rows:
        for name in ("", "setu_app"):
            role.name = name
            label = name or "owner"
            counted = run() if what.endswith("count()") else ""
            median, worst = _time(run, args.samples)
            print(
                f"{what:<24} as {label:<9} median {median:8.1f} ms  max {worst:8.1f} ms  {counted}"
            )
    role.name = ""
    role.apply()
    return 0


if __name__ == "__main__":
    sys.exit(main())
