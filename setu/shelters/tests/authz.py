"""Authorization-matrix entries of the shelter pages and API."""

from tests.authz import MEMBERS, Entry

ADMINS = frozenset({"org_admin", "partner_admin", "other_admin"})
SHELTER = frozenset({"partner_admin"})
IDENTITY = frozenset(
    {"lead", "org_admin", "counsellor", "partner", "partner_admin", "other_org", "other_admin"}
)
HOLDERS = frozenset({"lead", "org_admin"})
HOLD_SEERS = frozenset({"lead", "org_admin", "counsellor", "partner", "partner_admin"})
UNMET = frozenset({"lead", "org_admin", "partner", "partner_admin", "other_org", "other_admin"})
NETWORK = frozenset({"analyst", "coordinator"})


def _group(p):
    from setu.shelters.tests.factories import BedGroupFactory

    return BedGroupFactory(shelter=p.partner_org, total=3)


def _referral(p):
    from setu.registry.tests.factories import CasePersonFactory
    from setu.shelters.tests.factories import ReferralFactory

    link = CasePersonFactory(case__owner_org=p.own_org)
    return ReferralFactory(link=link, to_org=p.partner_org)


def _hold(p):
    from setu.shelters import services

    return services.bed_hold_create(actor=p["lead"], referral=_referral(p), bed_group=_group(p))


def _stay(p):
    from setu.shelters.models import ShelterStay

    return ShelterStay.objects.create(bed_group=_group(p))


def group_kw(p):
    return {"bed_group_id": _group(p).pk}


def hold_kw(p):
    return {"hold_id": _hold(p).pk}


ENTRIES = [
    Entry("shelters:capacity-board", MEMBERS),
    Entry("shelters:manage", ADMINS),
    Entry("shelters:bed-group-create", ADMINS),
    Entry("shelters:bed-group-edit", SHELTER, group_kw),
    Entry(
        "shelters:bed-group-adjust",
        SHELTER,
        group_kw,
        method="post",
        data=lambda p: {"counter": "total", "delta": "1"},
    ),
    Entry(
        "shelters:bed-group-counts",
        SHELTER,
        group_kw,
        method="post",
        data=lambda p: {"total": 4, "occupied": 1, "out_of_service": 0},
    ),
    Entry("shelters:bed-group-confirm", SHELTER, group_kw, method="post"),
    Entry("shelters:hold-list", IDENTITY),
    Entry("shelters:hold-create", HOLDERS, lambda p: {"referral_id": _referral(p).pk}),
    Entry("shelters:hold-detail", HOLD_SEERS, hold_kw),
    Entry("shelters:hold-release", HOLDERS | SHELTER, hold_kw, method="post"),
    Entry("shelters:hold-rehold", HOLDERS, hold_kw, method="post"),
    Entry("shelters:hold-admit", SHELTER, hold_kw, method="post"),
    Entry("shelters:stay-create", ADMINS),
    Entry(
        "shelters:stay-create-for-case", frozenset({"org_admin"}), lambda p: {"case_id": p.case.pk}
    ),
    Entry("shelters:stay-discharge", SHELTER, lambda p: {"stay_id": _stay(p).pk}, method="post"),
    Entry("shelters:unmet-record", UNMET, method="post", data=lambda p: {"district": 1}),
    Entry("shelters:network", NETWORK),
]

ENTRIES += [
    Entry("api:shelters-capacity-list", MEMBERS, is_api=True),
    Entry(
        "api:shelters-capacity-adjust",
        SHELTER,
        group_kw,
        method="post",
        data=lambda p: {"counter": "occupied", "delta": 1},
        is_api=True,
    ),
    Entry("api:shelters-hold-list", IDENTITY, is_api=True),
    Entry("api:shelters-hold-detail", HOLD_SEERS, hold_kw, is_api=True),
    Entry("api:shelters-hold-release", HOLDERS | SHELTER, hold_kw, method="post", is_api=True),
    Entry("api:shelters-hold-admit", SHELTER, hold_kw, method="post", is_api=True),
]
