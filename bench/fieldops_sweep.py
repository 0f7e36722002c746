"""Speed of the check-in sweep and of a check-in with many operations under way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/setu_bench_fieldops \\
        .venv/bin/python bench/fieldops_sweep.py --operations 500 --overdue 50

Migrates the (scratch) database named by DATABASE_URL, starts ``--operations`` operations of
five members each (lead, buddy, member, police liaison on timers; a safety contact at base),
puts ``--overdue`` members past their deadline, then times: the sweep that raises their alerts
and sends the prompts (step 0), an idle sweep (nothing due: the cost cron pays every minute),
the sweep that pages every buddy, and ``--samples`` safe check-ins through the service.
Figures: docs/field-operations.md, "Measured".
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("SETU_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("SETU_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    os.environ.setdefault("SETU_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()


def _timed(label: str, func: object) -> object:
    start = time.perf_counter()
    result = func()  # type: ignore[operator]
    print(f"{label}: {(time.perf_counter() - start) * 1000:,.0f} ms -> {result}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--operations", type=int, default=500)
    parser.add_argument("--overdue", type=int, default=50)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    _setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from setu.access.actor import actor_for_user
    from setu.accounts.models import User
    from setu.fieldops import services
    from setu.fieldops.models import Operation, TeamMember, TeamRole
    from setu.orgs.models import Membership, Organisation

    if Operation.objects.exists():
        print("The database already holds operations: use a scratch database.")
        return 1
    org = Organisation.objects.create(name="Bench NGO", org_type="destination_ngo")
    password = make_password("x")
    roles = ["caseworker", "field_officer", "field_officer", "police_liaison", "counsellor"]
    users = []
    for n, role in enumerate(roles):
        user = User.objects.create(username=f"bench-{n}", password=password)
        Membership.objects.create(user=user, organisation=org, role=role)
        users.append(user)
    lead = actor_for_user(users[0])
    now = timezone.now()
    started = time.perf_counter()
    for n in range(args.operations):
        op = services.operation_create(
            actor=lead,
            kind="rescue",
            code_name=f"Bench {n}",
            target_place=f"Place {n}",
            planned_start=now,
            expected_end=now + datetime.timedelta(hours=6),
        )
        me = op.team.get()
        team_roles = [TeamRole.MEMBER, TeamRole.MEMBER, TeamRole.POLICE_LIAISON]
        team_roles.append(TeamRole.SAFETY_CONTACT)
        for user, role in zip(users[1:], team_roles, strict=True):
            services.member_add(
                actor=lead,
                operation=op,
                user_id=user.pk,
                role=role,
                buddy_id=me.pk if role == TeamRole.MEMBER and me.buddy_id is None else None,
            )
        services.operation_start(actor=lead, operation=op)
    print(f"set up {args.operations} operations in {time.perf_counter() - started:.0f} s")
    timers = TeamMember.objects.exclude(next_due_at=None)
    due = list(timers.order_by("pk").values_list("pk", flat=True)[: args.overdue])
    past = timezone.now() - datetime.timedelta(minutes=1)
    TeamMember.objects.filter(pk__in=due).update(next_due_at=past)
    print(f"{timers.count()} timers running, {len(due)} overdue")
    _timed("sweep raising alerts and prompting", services.checkin_sweep)
    _timed("idle sweep (nothing due)", services.checkin_sweep)
    later = timezone.now() + datetime.timedelta(minutes=6)
    _timed("sweep paging every buddy", lambda: services.checkin_sweep(now=later))
    seat = TeamMember.objects.filter(user=users[1], next_due_at__isnull=False).first()
    actor = actor_for_user(users[1])
    times = []
    for n in range(args.samples):
        start = time.perf_counter()
        services.checkin_record(actor=actor, member=seat, client_id=f"bench-{n}")
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"check-in: median {statistics.median(times):.1f} ms, "
        f"slowest {max(times):.1f} ms over {args.samples}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
