"""Demo survivor feedback: police stations, courts, a CWC, DLSAs, shelters, an official and
schemes in the demo's West Bengal, Jharkhand and Odisha districts, over the last twelve months.

Runs inside ``setu.referrals.demo.load_network_demo`` after the legal demo. Enough answers
fall on the busiest subjects that their cells pass the threshold of 11; the rest stay hidden,
as they would in a real network. One serious complaint (a bribe demanded at a shelter) is on
its way through the second lane, with the network's complaints handler; the Notun Bhor
collective runs a listening campaign about Canning police station; three organisations
have said what they changed. Every row is shaped as the services would leave it.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from setu.accounts.models import User
from setu.entitlements.models import Scheme
from setu.feedback import tokens
from setu.feedback.models import (
    Campaign,
    ChangeNote,
    Channel,
    ComplaintDesk,
    Feedback,
    Invitation,
    Lane,
    Status,
    Subject,
    SubjectKind,
    Theme,
)
from setu.notifications.models import NoticeKind, Notification
from setu.orgs.models import District, Organisation, OrganisationType

D = datetime.timedelta(days=1)
K = SubjectKind
# (kind, name, LGD district, organisation type it is, weight, mean rating)
PLACES = (
    (K.POLICE_STATION, "Canning Police Station", 304, None, 14, 2.4),
    (K.POLICE_STATION, "Baruipur Police Station", 304, None, 6, 3.1),
    (K.POLICE_STATION, "Berhampore Police Station", 319, None, 8, 2.8),
    (K.POLICE_STATION, "Gumla Police Station", 331, None, 5, 2.6),
    (K.POLICE_STATION, "Berhampur Town Police Station", 354, None, 4, 3.3),
    (K.POLICE_STATION, "AHTU, West Bengal CID", None, OrganisationType.POLICE_AHTU, 6, 3.6),
    (K.COURT, "Alipore District and Sessions Court", 304, None, 7, 3.0),
    (K.COURT, "Berhampore Sessions Court", 319, None, 4, 2.9),
    (K.CWC, "Child Welfare Committee, Murshidabad", None, OrganisationType.CHILD_WELFARE_COMMITTEE, 6, 3.4),
    (K.DLSA, "DLSA South 24 Parganas", 304, None, 5, 3.2),
    (K.DLSA, "DLSA Murshidabad", 319, None, 3, 3.5),
    (K.SHELTER, "Nabadiganta Shelter Home", None, OrganisationType.SHELTER_HOME, 7, 3.7),
    (K.OFFICIAL, "Block Development Officer, Canning-I", 304, None, 4, 2.5),
)  # fmt: skip
THEMES_LOW = (Theme.DELAY, Theme.DISRESPECT, Theme.LANGUAGE, Theme.INFORMATION_MISSING,
              Theme.BLAMED, Theme.PRIVACY, Theme.DOCUMENTS, Theme.BRIBE_DEMANDED)  # fmt: skip
THEMES_HIGH = (Theme.RESPECT, Theme.HELPFUL, Theme.INFORMATION_GIVEN)
COMMENTS = (
    "They made me wait from morning till evening.",
    "The lady constable spoke to me kindly.",
    "Nobody explained what the papers said.",
    "They asked the same questions again and again in front of everyone.",
    "Only Hindi was spoken; I understand Bengali.",
    "The didi from the collective came with me, so I was not afraid.",
    "",
    "",
)
NOTES = (
    (OrganisationType.POLICE_AHTU, Theme.LANGUAGE, "Nobody at the desk spoke Bengali.",
     "A Bengali-speaking woman officer now takes statements on weekdays."),
    (OrganisationType.SHELTER_HOME, Theme.PRIVACY, "Visitors could hear what we told the counsellor.",
     "Counselling now happens in a closed room, one person at a time."),
    (OrganisationType.CHILD_WELFARE_COMMITTEE, Theme.DELAY, "We waited months for the hearing.",
     "The committee now sits twice a week and tells families the date by SMS."),
)  # fmt: skip
CHANNELS = (
    (Channel.WEB_LINK, 30),
    (Channel.SHORT_CODE, 25),
    (Channel.SMS, 15),
    (Channel.IVR, 15),
    (Channel.ASSISTED, 15),
)


def _org(org_type: str) -> Organisation | None:
    return Organisation.objects.filter(org_type=org_type).order_by("name").first()


def _subjects() -> list[tuple[Subject, int, float]]:
    districts = {
        d.code: d for d in District.objects.filter(code__in=[p[2] for p in PLACES if p[2]])
    }
    out = []
    for kind, name, code, org_type, weight, mean in PLACES:
        org = _org(org_type) if org_type else None
        district = districts.get(code) if code else (org.base_district if org else None)
        subject, _created = Subject.objects.get_or_create(
            kind=kind, name=name, district=district, defaults={"organisation": org}
        )
        out.append((subject, weight, mean))
    for scheme in Scheme.objects.filter(is_active=True, state__isnull=True).order_by("name")[:4]:
        subject, _created = Subject.objects.get_or_create(
            kind=K.SCHEME, name=str(scheme), district=None, defaults={"scheme": scheme}
        )
        out.append((subject, 4, 2.7))
    return out


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 1.0))))


def _feedback(
    rng: random.Random, subject: Subject, mean: float, given_on: datetime.date, today: datetime.date
) -> Feedback:
    treated = _rating(rng, mean) if rng.random() < 0.95 else None
    low = treated is not None and treated <= 2
    entitled = rng.choices(["yes", "partly", "no", ""], [3, 2, 2 + 2 * low, 1])[0]
    safe = rng.choices(["yes", "no", ""], [5, 1 + 2 * low, 1])[0]
    channel = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
    age = (today - given_on).days
    themes: list[str] = []
    if age > 10 and rng.random() < 0.7:
        pool = THEMES_LOW if low or (treated or 3) <= 3 else THEMES_HIGH
        themes = sorted(set(rng.sample(pool, k=rng.randint(1, 2))))
    status = Status.NEW
    if themes:
        status = Status.ACKNOWLEDGED
        if rng.random() < 0.45:
            status = rng.choices([Status.RESPONDED, Status.CLOSED, Status.REOPENED], [3, 4, 1])[0]
    return Feedback(
        subject=subject,
        concerns_org_id=subject.organisation_id,
        district_id=subject.district_id,
        kind=subject.kind,
        channel=channel,
        assisted=channel == Channel.ASSISTED,
        language=rng.choices(["bn", "hi", "en", "or"], [6, 3, 1, 1])[0],
        given_on=given_on,
        treated=treated,
        entitled=entitled,
        felt_safe=safe,
        comment=rng.choice(COMMENTS),
        themes=themes,
        status=status,
        satisfied={Status.CLOSED: "yes", Status.REOPENED: "no"}.get(status, ""),
        response_note=(
            "Your feedback was taken to the officer in charge, who has agreed to change this."
            if status in (Status.RESPONDED, Status.CLOSED, Status.REOPENED)
            else ""
        ),
    )


def _timestamps(rng: random.Random, rows: list[Feedback]) -> None:
    """created_at is the day she answered; acknowledged and responded some hours/days later."""
    for row in rows:
        created = timezone.make_aware(
            datetime.datetime.combine(row.given_on, datetime.time(9 + rng.randint(0, 10)))
        )
        fields: dict[str, Any] = {"created_at": created}
        if row.status != Status.NEW:
            fields["acknowledged_at"] = created + datetime.timedelta(hours=rng.randint(2, 120))
        if row.response_note:
            fields["responded_at"] = created + datetime.timedelta(days=rng.randint(3, 30))
        Feedback.objects.filter(pk=row.pk).update(**fields)


def _demo_digest(rng: random.Random, kind: str) -> str:
    # Nobody can open the demo's invitations: their clear values are thrown away.
    return tokens.digest(kind, "".join(rng.choice(tokens.ALPHABET) for _ in range(24)))


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """Subjects, about 450 answers over twelve months, a serious complaint with its handler,
    the collective's campaign and three "you said, we did" notes; returns counts."""
    today = timezone.localdate(now)
    subjects = _subjects()
    network = _org(OrganisationType.NETWORK_BODY)
    collective = _org(OrganisationType.SURVIVOR_COLLECTIVE)
    handler = User.objects.filter(username="network.caseworker").first()
    if network and handler:
        ComplaintDesk.objects.get_or_create(organisation=network, handler=handler)
    leader = User.objects.filter(username="survivor-collective.collective_leader").first()
    if collective and leader:
        ComplaintDesk.objects.get_or_create(
            organisation=collective, handler=leader, defaults={"priority": 2}
        )
    weights = [w for _s, w, _m in subjects]
    rows = []
    for _n in range(450):
        subject, _w, mean = rng.choices(subjects, weights)[0]
        rows.append(_feedback(rng, subject, mean, today - rng.randint(1, 365) * D, today))
    campaign = None
    canning = next(s for s, _w, _m in subjects if s.name == "Canning Police Station")
    if collective:
        campaign = Campaign.objects.create(
            organisation=collective,
            name="Canning police: tell us how you were treated",
            subject=canning,
            starts_on=today - 45 * D,
            ends_on=today + 15 * D,
        )
        Invitation.objects.bulk_create(
            Invitation(
                issued_by_org=collective,
                campaign=campaign,
                token_digest=_demo_digest(rng, "token"),
                code_digest=_demo_digest(rng, "code"),
                language="bn",
                expires_at=now + 15 * D,
                used_at=now - rng.randint(1, 40) * D if n < 24 else None,
            )
            for n in range(40)
        )
        for _n in range(24):
            row = _feedback(rng, canning, 2.4, today - rng.randint(1, 40) * D, today)
            row.campaign = campaign
            rows.append(row)
    shelter = next(s for s, _w, _m in subjects if s.kind == K.SHELTER)
    complaint = Feedback(
        subject=shelter,
        concerns_org_id=shelter.organisation_id,
        district_id=shelter.district_id,
        kind=shelter.kind,
        channel=Channel.SHORT_CODE,
        language="bn",
        given_on=today - 6 * D,
        treated=1,
        entitled="no",
        felt_safe="no",
        lane=Lane.SERIOUS,
        serious_kind="bribery",
        handler=handler,
        status=Status.ACKNOWLEDGED,
        comment="A staff member said I must pay before my papers are sent to the court.",
    )
    rows.append(complaint)
    Feedback.objects.bulk_create(rows)
    _timestamps(rng, rows)
    if handler:
        Notification.objects.create(
            recipient=handler,
            kind=NoticeKind.FEEDBACK,
            message="A serious complaint was made and is waiting for you.",
            url=f"/feedback/items/{complaint.pk}/",
            subject=f"feedback.feedback:{complaint.pk}",
        )
    notes = 0
    for org_type, theme, said, did in NOTES:
        org = _org(org_type)
        if org:
            ChangeNote.objects.create(
                organisation=org,
                theme=theme,
                you_said=said,
                we_did=did,
                published_on=today - rng.randint(5, 60) * D,
            )
            notes += 1
    return {
        "feedback_subjects": len(subjects),
        "feedback": len(rows),
        "feedback_serious": sum(1 for r in rows if r.lane == Lane.SERIOUS),
        "feedback_campaigns": 1 if campaign else 0,
        "feedback_change_notes": notes,
    }
