"""What a journey needs from the demo, found in the served database by its state, not by name.

The demo's generated data (which referral is in which state, which shelter has a free bed)
follows from its seed and from today's date, and changes whenever the demo's steps change. A
journey that named its referral ("Tuli", "Dipa Biswas") broke each time; instead it asks this
module for one in the state it needs, chosen with Setu's own selectors and policy.

Only reads: run in a subprocess against the server's database (``python -m
tests.browser.demo_picks shelter-referrals <variant>[!] ...``, "!" for a variant that needs a
bed marked "Check first"), it prints one JSON object. The journey then does everything through
the pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.browser import server


@dataclass(frozen=True)
class ShelterReferral:
    """An open shelter referral a caseworker can hold a bed for, and who admits her."""

    referral_id: str
    caseworker: str  # of the referring organisation; the referral is on her first sent page
    manager: str  # of the receiving shelter: confirms the admission and sees her name
    person: str  # as the sent list and "Staying now" show her
    status: str  # filter of the sent list that shows it
    warned: bool  # a free bed of the shelter does not fit her ("Check first")


def shelter_referrals(database: Path, wanted: dict[str, bool]) -> dict[str, ShelterReferral]:
    """One referral per variant (``wanted``: variant -> needs a "Check first" bed), none shared
    and no bed counted twice, so the variants can each admit one person in the same run."""
    args = [f"{variant}{'!' if warned else ''}" for variant, warned in wanted.items()]
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.browser.demo_picks", "shelter-referrals", *args],
        cwd=server.ROOT,
        env=server._environment(database) | {"DJANGO_SETTINGS_MODULE": "setu.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"demo_picks failed:\n{done.stderr[-3000:]}")
    return {k: ShelterReferral(**v) for k, v in json.loads(done.stdout).items()}


def _pick_shelter_referrals(wanted: list[tuple[str, bool]]) -> dict[str, dict[str, Any]]:
    from django.contrib.auth import get_user_model

    from setu.access.actor import actor_for_user
    from setu.access.policy import IDENTITY_ROLES, SHELTER_ROLES
    from setu.consent import rules
    from setu.orgs.models import Membership, Role
    from setu.referrals import selectors as referrals
    from setu.referrals.models import Referral, ReferralStatus
    from setu.shelters import selectors as shelters
    from setu.shelters.models import BedKind
    from setu.shelters.services import bed_kind_misfit

    users = get_user_model().objects

    def member(org_id: Any, roles: tuple[str, ...]) -> Any:
        for role in roles:
            m = (
                Membership.objects.filter(organisation_id=org_id, role=role, is_active=True)
                .select_related("user")
                .order_by("user__username")
                .first()
            )
            if m is not None:
                return actor_for_user(users.get(pk=m.user_id), membership_id=m.pk)
        return None

    taken: dict[Any, int] = {}  # beds of a group held by an earlier pick
    used: set[Any] = set()
    picks: dict[str, dict[str, Any]] = {}
    statuses = [ReferralStatus.IN_PROGRESS, ReferralStatus.ACCEPTED, ReferralStatus.SENT]
    candidates = list(
        Referral.objects.filter(
            need="shelter", status__in=statuses, sharing_stopped_at__isnull=True
        )
        .select_related("person", "consent")
        .order_by("sent_at", "pk")
    )
    for variant, needs_warning in wanted:
        for r in candidates:
            if r.pk in used:
                continue
            holder = member(r.from_org_id, (Role.CASEWORKER,))
            manager = member(r.to_org_id, (Role.SHELTER_MANAGER, Role.ORG_ADMIN))
            if holder is None or manager is None:
                continue
            assert manager.role in SHELTER_ROLES and manager.role in IDENTITY_ROLES
            # Named on the shelter's "Staying now" (``policy.shelter_resident_named``).
            if "identity" not in r.shared_scopes or not rules.covers(
                r.consent, scopes=["identity"], organisation_id=r.to_org_id
            ):
                continue
            if not shelters.holdable_referral_list(actor=holder).filter(pk=r.pk).exists():
                continue
            if shelters.holds_in_use(actor=holder) >= shelters.holds_per_worker():
                continue
            first_page = referrals.referral_list(actor=holder, direction="sent", status=r.status)
            if r.pk not in {x.pk for x in first_page[:25]}:
                continue
            free = [
                (g, g.free_now - taken.get(g.pk, 0))
                for g in shelters.bed_group_list(actor=holder, shelter_id=r.to_org_id)
            ]
            misfits = [g for g, n in free if n > 0 and bed_kind_misfit(g.kind, r.person)]
            # The journey holds the first free women's bed that fits her ("Hold one").
            women = [
                g
                for g, n in free
                if n > 0 and g.kind == BedKind.WOMEN and not bed_kind_misfit(g.kind, r.person)
            ]
            if not women or bool(misfits) != needs_warning:
                continue
            used.add(r.pk)
            taken[women[0].pk] = taken.get(women[0].pk, 0) + 1
            picks[variant] = asdict(
                ShelterReferral(
                    referral_id=str(r.pk),
                    caseworker=holder.user.username,
                    manager=manager.user.username,
                    person=r.person.display_name,
                    status=str(r.status),
                    warned=needs_warning,
                )
            )
            break
        else:
            raise SystemExit(
                f"the demo has no open shelter referral for {variant} "
                f"({'with' if needs_warning else 'without'} a bed to check first)"
            )
    return picks


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()
    if argv[:1] != ["shelter-referrals"]:
        print("usage: demo_picks shelter-referrals VARIANT[!] ...", file=sys.stderr)
        return 2
    wanted = [(a.rstrip("!"), a.endswith("!")) for a in argv[1:]]
    print(json.dumps(_pick_shelter_referrals(wanted)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
