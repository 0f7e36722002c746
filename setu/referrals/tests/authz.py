from django.utils import timezone

from setu.referrals.models import ReferralKind, ReferralStatus
from setu.referrals.tests.factories import referral_for
from tests.authz import Entry

# Members who may see survivors' identities (analysts and coordinators see counts only).
IDENTITY = frozenset(
    {"lead", "org_admin", "counsellor", "partner", "partner_admin", "other_org", "other_admin"}
)
BOTH_SIDES = frozenset({"lead", "org_admin", "counsellor", "partner", "partner_admin"})
RECEIVER = frozenset({"partner", "partner_admin"})
ACTORS = frozenset({"lead", "org_admin", "partner", "partner_admin"})


def _id(referral) -> dict:
    return {"referral_id": referral.pk}


def _accepted(p):
    return _id(referral_for(p, status=ReferralStatus.ACCEPTED, accepted_at=timezone.now()))


def _in_progress(p):
    return _id(referral_for(p, status=ReferralStatus.IN_PROGRESS, started_at=timezone.now()))


def _transfer(p):
    return _id(referral_for(p, kind=ReferralKind.TRANSFER))


ENTRIES = [
    Entry("referrals:referral-list", IDENTITY),
    Entry(
        "referrals:referral-create",
        frozenset({"lead", "org_admin"}),
        kwargs=lambda p: {"case_id": p.case.pk},
    ),
    Entry("referrals:referral-detail", BOTH_SIDES, kwargs=lambda p: _id(referral_for(p))),
    Entry(
        "referrals:referral-accept",
        RECEIVER,
        kwargs=lambda p: _id(referral_for(p)),
        method="post",
    ),
    Entry(
        "referrals:referral-decline",
        RECEIVER,
        kwargs=lambda p: _id(referral_for(p)),
        method="post",
        data=lambda p: {"why": "no_bed", "details": "No bed for a girl under 18"},
    ),
    Entry("referrals:referral-start", RECEIVER, kwargs=_accepted, method="post"),
    Entry("referrals:referral-complete", RECEIVER, kwargs=_in_progress, method="post"),
    Entry(
        "referrals:referral-close",
        ACTORS,
        kwargs=lambda p: _id(referral_for(p)),
        method="post",
        data=lambda p: {"reason": "Family took her home"},
    ),
    Entry("referrals:referral-handover", ACTORS, kwargs=_transfer, method="post"),
    Entry("referrals:referral-confirm-received", RECEIVER, kwargs=_transfer, method="post"),
    Entry("api:referral-list", IDENTITY, is_api=True),
    Entry(
        "api:referral-detail",
        BOTH_SIDES,
        kwargs=lambda p: _id(referral_for(p)),
        is_api=True,
    ),
    Entry(
        "api:referral-transition",
        RECEIVER,
        kwargs=lambda p: _id(referral_for(p)),
        method="post",
        data=lambda p: {"to": "accepted"},
        is_api=True,
    ),
    Entry(
        "api:referral-handover",
        ACTORS,
        kwargs=_transfer,
        method="post",
        data=lambda p: {"escort_arranged": "true"},
        is_api=True,
    ),
]
