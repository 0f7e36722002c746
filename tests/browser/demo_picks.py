"""What a journey needs from the demo, found in the served database by its state, not by name.

The demo's generated data (which referral is in which state, which shelter has a free bed)
follows from its seed and from today's date, and changes whenever the demo's steps change. A
journey that named its referral ("Tuli", "Dipa Biswas") broke each time; instead it asks this
module for one in the state it needs, chosen with Setu's own selectors and policy.

Only reads: run in a subprocess against the server's database (``python -m
tests.browser.demo_picks shelter-referrals <variant>[!] ...``, "!" for a variant that needs a
bed marked "Check first"; ``python -m tests.browser.demo_picks new-referrals <variant> ...``),
it prints one JSON object. The journey then does everything through the pages.
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


@dataclass(frozen=True)
class NewReferral:
    """A case, a person of it and a service a caseworker may refer her to, within her consent."""

    caseworker: str  # of the case's organisation, who may share the case
    case_reference: str
    person: str  # as the person picker and both referral lists show her
    service_id: str  # a service of another organisation, offered by the picker
    organisation: str  # the service's organisation, by name
    district: str  # the organisation's district, as the picker shows it ("" if none)
    scopes: list[str]  # shared: one consent in force covers them all for that organisation
    refused_scope: str  # not covered with ``scopes`` by any consent of hers in force
    receiver: str  # of the receiving organisation, who sees received referrals and her name
    full_service_id: str  # a shelter service with no free bed, hidden unless asked ("" if none)


def _run_picks(database: Path, args: list[str]) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.browser.demo_picks", *args],
        cwd=server.ROOT,
        env=server._environment(database) | {"DJANGO_SETTINGS_MODULE": "setu.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"demo_picks failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def shelter_referrals(database: Path, wanted: dict[str, bool]) -> dict[str, ShelterReferral]:
    """One referral per variant (``wanted``: variant -> needs a "Check first" bed), none shared
    and no bed counted twice, so the variants can each admit one person in the same run."""
    args = [f"{variant}{'!' if warned else ''}" for variant, warned in wanted.items()]
    picks = _run_picks(database, ["shelter-referrals", *args])
    return {k: ShelterReferral(**v) for k, v in picks.items()}


def new_referrals(database: Path, variants: list[str]) -> dict[str, NewReferral]:
    """One case and person per variant (none shared), each referable to a service of another
    organisation under a consent in force that leaves some scope out."""
    picks = _run_picks(database, ["new-referrals", *variants])
    return {k: NewReferral(**v) for k, v in picks.items()}


def _pick_shelter_referrals(wanted: list[tuple[str, bool]]) -> dict[str, dict[str, Any]]:
    from setu.access.policy import IDENTITY_ROLES, SHELTER_ROLES
    from setu.consent import rules
    from setu.orgs.models import Role
    from setu.referrals import selectors as referrals
    from setu.referrals.models import Referral, ReferralStatus
    from setu.shelters import selectors as shelters
    from setu.shelters.models import BedKind, HoldStatus
    from setu.shelters.services import bed_kind_misfit

    member = _member
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
            # A hold whose time ran out is not live, but until someone releases it the
            # referral's page shows it and offers no "Hold a bed": the demo's holds run out
            # an hour or so after the load (a kept database, a slow run).
            if r.bed_holds.filter(status=HoldStatus.ACTIVE).exists():
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


def _member(org_id: Any, roles: tuple[str, ...]) -> Any:
    """The actor of the first active member of ``org_id`` (by username) in the first of
    ``roles`` the organisation has; None if it has none."""
    from django.contrib.auth import get_user_model

    from setu.access.actor import actor_for_user
    from setu.orgs.models import Membership

    for role in roles:
        m = (
            Membership.objects.filter(organisation_id=org_id, role=role, is_active=True)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if m is not None:
            return actor_for_user(get_user_model().objects.get(pk=m.user_id), membership_id=m.pk)
    return None


def _pick_new_referrals(variants: list[str]) -> dict[str, dict[str, Any]]:
    from setu.access.policy import IDENTITY_ROLES, Action, can
    from setu.consent import rules
    from setu.consent.models import Consent, ConsentScope
    from setu.directory import selectors as directory
    from setu.directory.selectors import ServiceType
    from setu.orgs.models import Membership, Role
    from setu.referrals import selectors as referrals
    from setu.registry import selectors as registry

    picks: dict[str, dict[str, Any]] = {}
    used_cases: set[Any] = set()
    used_persons: set[Any] = set()
    receivers = (Role.CASEWORKER, Role.ORG_ADMIN, *sorted(IDENTITY_ROLES))
    caseworkers = (
        Membership.objects.filter(role=Role.CASEWORKER, is_active=True)
        .order_by("organisation__name")
        .values_list("organisation_id", flat=True)
    )
    wanted = iter(variants)
    variant = next(wanted, None)
    for org_id in dict.fromkeys(caseworkers):
        if variant is None:
            break
        actor = _member(org_id, (Role.CASEWORKER,))
        free_beds = referrals.free_beds_by_shelter(actor=actor)
        # What the picker offers her (referrals.views.referral_create), and a full shelter.
        offered = [s for s in directory.service_list(actor=actor) if s.organisation_id != org_id]
        full = [
            s
            for s in offered
            if s.service_type == ServiceType.SHELTER and free_beds.get(s.organisation_id) == 0
        ]
        # A service that takes no bed: the shelter journey counts beds and open referrals.
        offered = [s for s in offered if s.service_type != ServiceType.SHELTER]
        for case in registry.case_list(actor=actor).order_by("reference"):
            if variant is None:
                break
            if case.pk in used_cases or not can(actor, Action.SHARE, case):
                continue
            persons = list(referrals.case_persons(actor=actor, case=case))
            names = [p.display_name for p in persons]
            for person in persons:
                if person.pk in used_persons or names.count(person.display_name) != 1:
                    continue
                pick = _referable(actor, person, offered, Consent, ConsentScope, rules)
                if pick is None:
                    continue
                service, scopes, refused = pick
                receiver = _member(service.organisation_id, receivers)
                if receiver is None:
                    continue
                org = service.organisation
                picks[variant] = asdict(
                    NewReferral(
                        caseworker=actor.user.username,
                        case_reference=case.reference,
                        person=person.display_name,
                        service_id=str(service.pk),
                        organisation=org.name,
                        district=str(org.base_district) if org.base_district else "",
                        scopes=scopes,
                        refused_scope=refused,
                        receiver=receiver.user.username,
                        full_service_id=str(full[0].pk) if full else "",
                    )
                )
                used_cases.add(case.pk)
                used_persons.add(person.pk)
                variant = next(wanted, None)
                break
    if variant is not None:
        raise SystemExit(f"the demo has no case to refer from for {variant}")
    return picks


def _referable(
    actor: Any, person: Any, offered: list[Any], Consent: Any, ConsentScope: Any, rules: Any
) -> tuple[Any, list[str], str] | None:
    """A service, the scopes to share with it (her name and one more at most) and a scope her
    consents in force do not cover with them; None if the person has no such consent."""
    from setu.referrals import selectors as referrals

    consents = [
        c
        for c in Consent.objects.filter(person_id=person.pk, withdrawn_on__isnull=True).order_by(
            "given_on", "pk"
        )
        if rules.covers(c) and ConsentScope.IDENTITY in (c.scopes or ())
    ]
    for consent in consents:
        shared = [s for s in referrals.REFERRAL_SCOPES if s in consent.scopes]
        scopes = [str(ConsentScope.IDENTITY), *[str(s) for s in shared if s != "identity"][:1]]
        for service in offered:
            if not rules.covers(consent, scopes=scopes, organisation_id=service.organisation_id):
                continue
            for refused in referrals.REFERRAL_SCOPES:
                if refused in scopes:
                    continue
                wider = [*scopes, str(refused)]
                if (
                    referrals.consent_covering(
                        actor=actor, person=person, to_org_id=service.organisation_id, scopes=wider
                    )
                    is None
                ):
                    return service, scopes, str(refused)
    return None


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    import django

    django.setup()
    if argv[:1] == ["shelter-referrals"]:
        wanted = [(a.rstrip("!"), a.endswith("!")) for a in argv[1:]]
        print(json.dumps(_pick_shelter_referrals(wanted)))
        return 0
    if argv[:1] == ["new-referrals"]:
        print(json.dumps(_pick_new_referrals(argv[1:])))
        return 0
    print(
        "usage: demo_picks shelter-referrals VARIANT[!] ... | new-referrals VARIANT ...",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
