"""Authorization-matrix entries of the field operations pages and API.

The operation is led by "lead" (own organisation) with "partner" (partner organisation) as her
buddy and "counsellor" as the safety contact. It is seen by the team and by the admins of the
organisations with someone on it (org_admin, partner_admin); nobody else, not the platform
admin. The team lead and her organisation's admin change it; the team acts on alerts and steps.
The partner organisation's admin staffs her own part of the team (adds and removes "partner").
"""

from tests.authz import MEMBERS, Entry

TEAM = frozenset({"lead", "partner", "counsellor"})
VIEWERS = TEAM | {"org_admin", "partner_admin"}
EDITORS = frozenset({"lead", "org_admin"})
STAFFERS = EDITORS | {"partner_admin"}
PLANNERS = frozenset({"lead", "org_admin", "partner", "partner_admin", "other_org", "other_admin"})
ADMINS = frozenset({"org_admin", "partner_admin", "other_admin"})


def _operation(p, start=False):
    import datetime

    from django.utils import timezone

    from setu.fieldops import services

    now = timezone.now()
    op = services.operation_create(
        actor=p["lead"],
        kind="rescue",
        code_name="Neem",
        target_place="Lane 4",
        planned_start=now,
        expected_end=now + datetime.timedelta(hours=4),
        partner_orgs=[p.partner_org],
    )
    me = op.team.get(user=p.users["lead"])
    services.member_add(
        actor=p["lead"], operation=op, user_id=p.users["partner"].pk, role="member", buddy_id=me.pk
    )
    services.member_add(
        actor=p["lead"], operation=op, user_id=p.users["counsellor"].pk, role="safety_contact"
    )
    if start:
        services.operation_start(actor=p["lead"], operation=op)
    return op


def op_kw(p):
    return {"operation_id": _operation(p).pk}


def sheltered_kw(p):
    """A plan naming the partner shelter as the receiving shelter, which has a free bed."""
    from setu.fieldops.models import Operation
    from setu.shelters.tests.factories import BedGroupFactory

    op = _operation(p)
    BedGroupFactory(shelter=p.partner_org, total=2)
    Operation.objects.filter(pk=op.pk).update(receiving_shelter=p.partner_org)
    return {"operation_id": op.pk}


def _free_beds(p):
    from setu.shelters.models import BedGroup

    return {"bed_group": str(BedGroup.objects.filter(shelter=p.partner_org).first().pk)}


def active_kw(p):
    return {"operation_id": _operation(p, start=True).pk}


def closed_kw(p):
    from setu.fieldops import services

    op = _operation(p, start=True)
    services.operation_close(actor=p["lead"], operation=op)
    return {"operation_id": op.pk}


def member_kw(p):
    op = _operation(p)
    return {"member_id": op.team.get(user=p.users["partner"]).pk}


def alert_kw(p):
    from setu.fieldops import services

    op = _operation(p, start=True)
    seat = op.team.get(user=p.users["partner"])
    services.checkin_record(actor=p["partner"], member=seat, client_id="x", distress=True)
    return {"alert_id": op.alerts.get().pk}


def step_kw(p):
    return {"step_id": _operation(p, start=True).steps.first().pk}


ENTRIES = [
    Entry("fieldops:home", MEMBERS),
    Entry("fieldops:lessons", MEMBERS),
    Entry("fieldops:sop", ADMINS),
    Entry("fieldops:operation-create", PLANNERS),
    Entry("fieldops:operation-detail", VIEWERS, op_kw),
    Entry("fieldops:operation-edit", EDITORS, op_kw),
    Entry("fieldops:operation-start", EDITORS, op_kw, method="post"),
    Entry("fieldops:operation-close", EDITORS, active_kw, method="post"),
    Entry("fieldops:hold-link", EDITORS, op_kw, method="post", data=lambda p: {"hold": "none"}),
    Entry("fieldops:bed-hold", EDITORS, op_kw, method="post", data=lambda p: {"bed_group": "none"}),
    Entry("fieldops:member-add", STAFFERS, op_kw),
    Entry("fieldops:member-remove", STAFFERS, member_kw, method="post"),
    Entry("fieldops:seat-settings", TEAM, op_kw),
    Entry("fieldops:checkin", TEAM, active_kw),
    Entry("fieldops:debrief", EDITORS, closed_kw),
    Entry("fieldops:rescued-add", EDITORS, active_kw),
    Entry("fieldops:alert-detail", VIEWERS, alert_kw),
    Entry("fieldops:alert-claim", TEAM, alert_kw, method="post"),
    Entry(
        "fieldops:alert-resolve",
        TEAM,
        alert_kw,
        method="post",
        data=lambda p: {"resolution": "safe"},
    ),
    Entry("fieldops:step-tick", TEAM, step_kw, method="post"),
]

ENTRIES += [
    Entry("api:fieldops-operation-list", MEMBERS, is_api=True),
    Entry("api:fieldops-operation-detail", VIEWERS, op_kw, is_api=True),
    Entry("api:fieldops-operation-start", EDITORS, op_kw, method="post", is_api=True),
    Entry("api:fieldops-operation-close", EDITORS, active_kw, method="post", is_api=True),
    Entry(
        "api:fieldops-bed-hold",
        EDITORS,
        sheltered_kw,
        method="post",
        data=_free_beds,
        is_api=True,
    ),
    Entry(
        "api:fieldops-member-add",
        STAFFERS,
        op_kw,
        method="post",
        # Staff of the partner organisation: the lead adds them, and so does their own admin.
        data=lambda p: {"user": str(p.users["partner_admin"].pk), "role": "medical"},
        is_api=True,
    ),
    Entry(
        "api:fieldops-checkin",
        TEAM,
        active_kw,
        method="post",
        data=lambda p: {"client_id": "matrix"},
        is_api=True,
    ),
    Entry("api:fieldops-alert-claim", TEAM, alert_kw, method="post", is_api=True),
    Entry(
        "api:fieldops-alert-resolve",
        TEAM,
        alert_kw,
        method="post",
        data=lambda p: {"resolution": "false_alarm"},
        is_api=True,
    ),
    Entry("api:fieldops-step", TEAM, step_kw, method="post", data=lambda p: {}, is_api=True),
    Entry("api:fieldops-lessons", MEMBERS, is_api=True),
]
