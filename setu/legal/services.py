"""Writes of the legal context: proceedings, accused, verdicts, protection measures, hearings,
the link to a compensation claim, and hearing reminders. All through the policy, all audited.

Impossible sequences are refused with errors naming the field: an FIR is registered first, a
chargesheet follows it, then cognisance, charges, trial and judgment; no hearing or arrest
before the FIR; no verdict before charges are framed.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core import changes
from setu.core.errors import ConsentRequired, InvalidInput
from setu.legal import statutes
from setu.legal.models import (
    CONVICTION_OUTCOMES,
    FINISHED_STAGES,
    Accused,
    AdjournmentReason,
    Appeal,
    AppealCourt,
    AppealStatus,
    Appellant,
    Custody,
    Hearing,
    HearingOutcome,
    Judgment,
    MeasureKind,
    Proceeding,
    ProtectionMeasure,
    Stage,
    Track,
    Verdict,
    WitnessPlan,
    WitnessPlanStatus,
)

if TYPE_CHECKING:
    from setu.registry.models import Case

__all__ = [
    "AdjournmentReason",
    "AppealCourt",
    "AppealStatus",
    "Appellant",
    "Custody",
    "HearingOutcome",
    "MeasureKind",
    "Stage",
    "Track",
    "Verdict",
]

PROCEEDING_FIELDS = (
    "track",
    "stage",
    "title",
    "legal_officer",
    "police_station",
    "district",
    "fir_number",
    "fir_date",
    "sections",
    "chargesheet_on",
    "cognisance_on",
    "charges_framed_on",
    "trial_started_on",
    "judgment_on",
    "court",
    "cnr_number",
    "next_hearing_on",
    "reminder_consent_on",
    "reminder_phone",
    "reminder_language",
    "notes",
)
# What the API shows of them (beside the id, the case, the first appeal's date and the linked
# claim): not the survivor's phone, language and agreement to reminders, nor the free notes,
# which stay on the proceeding's page.
PROCEEDING_PRIVATE_FIELDS = ("reminder_consent_on", "reminder_phone", "reminder_language", "notes")
PROCEEDING_SHOWN_FIELDS = tuple(f for f in PROCEEDING_FIELDS if f not in PROCEEDING_PRIVATE_FIELDS)
# What callers may set: the fields, and the two relations also by their ids.
PROCEEDING_INPUT = (*PROCEEDING_FIELDS, "district_id", "legal_officer_id")
# The proceeding's fields its hearings, verdicts and appeals carry (``hearing_placed``,
# ``verdict_placed``, ``appeal_placed``): a change is copied to them.
PARTS_CARRY = ("track", "district", "district_id", "police_station", "court")
ACCUSED_FIELDS = ("name", "custody", "arrested_on", "bail_on")
HEARING_FIELDS = ("on", "court", "purpose", "outcome", "adjournment_reason", "survivor_needed")

# An FIR number as police stations write it: the serial number, a slash, the year ("0123/2025").
FIR_RE = re.compile(r"^(\d{1,6})/(\d{4})$")
# eCourts CNR: 4 letters (state and district), 2 digits (court establishment), a 6-digit serial
# and the 4-digit year of filing; 16 characters in all (e.g. MHPU010012342025).
CNR_RE = re.compile(r"^[A-Z]{4}\d{2}\d{6}(\d{4})$")

# The dated steps of the criminal track, in the order they must happen.
SEQUENCE = (
    ("fir_date", Stage.FIR),
    ("chargesheet_on", Stage.CHARGESHEET),
    ("cognisance_on", Stage.COGNISANCE),
    ("charges_framed_on", Stage.CHARGES),
    ("trial_started_on", Stage.TRIAL),
    ("judgment_on", Stage.JUDGMENT),
    ("appeal_filed_on", Stage.APPEAL),
)


def fir_number_errors(value: str, fir_date: datetime.date | None) -> list[str]:
    """What is wrong with an FIR number (empty list: nothing)."""
    match = FIR_RE.match(value)
    if not match:
        return [_("Write the FIR number as number/year, for example 0123/2025.")]
    year = int(match.group(2))
    if fir_date is not None and year != fir_date.year:
        return [_("The year in the FIR number is not the year of the FIR date.")]
    if year < 1950 or year > timezone.localdate().year:
        return [_("The year in the FIR number is not a possible year.")]
    return []


def cnr_errors(value: str) -> list[str]:
    """What is wrong with an eCourts CNR number (empty list: nothing)."""
    match = CNR_RE.match(value)
    if not match:
        return [
            _(
                "A CNR number has 16 characters: 4 letters, then 12 digits ending in the year, "
                "for example MHPU010012342025."
            )
        ]
    year = int(match.group(1))
    if year < 1950 or year > timezone.localdate().year:
        return [_("The year at the end of the CNR number is not a possible year.")]
    return []


def _check(proceeding: Proceeding) -> None:
    """Refuse malformed numbers, unknown sections and impossible sequences, naming the field."""
    errors: dict[str, list[str]] = {}
    p = proceeding
    p.cnr_number = p.cnr_number.strip().upper()
    p.fir_number = p.fir_number.strip()
    if p.fir_number:
        for message in fir_number_errors(p.fir_number, p.fir_date):
            changes.add_error(errors, "fir_number", message)
    if p.cnr_number:
        for message in cnr_errors(p.cnr_number):
            changes.add_error(errors, "cnr_number", message)
    known = statutes.sections()
    unknown = [code for code in p.sections or [] if code not in known]
    if unknown:
        changes.add_error(
            errors, "sections", _("Not in the list of sections: %s") % ", ".join(unknown)
        )
    today = timezone.localdate()
    previous: tuple[str, datetime.date] | None = None
    for field, _stage in SEQUENCE:
        value = getattr(p, field)
        if value is None:
            continue
        label = str(Proceeding._meta.get_field(field).verbose_name)
        if value > today:
            changes.add_error(errors, field, _("The %s is in the future.") % label)
        if previous is not None and value < previous[1]:
            before = str(Proceeding._meta.get_field(previous[0]).verbose_name)
            changes.add_error(
                errors,
                field,
                _("The %(this)s cannot be before the %(that)s.")
                % {
                    "this": label,
                    "that": before,
                },
            )
        previous = (field, value)
    if p.track == Track.CRIMINAL:
        if p.chargesheet_on and not p.fir_date:
            changes.add_error(errors, "fir_date", _("Give the FIR date before the chargesheet."))
        if p.judgment_on and not p.charges_framed_on:
            changes.add_error(
                errors, "judgment_on", _("A judgment needs the date the charges were framed.")
            )
    if p.appeal_filed_on and not p.judgment_on:
        changes.add_error(
            errors, "judgment_on", _("An appeal is recorded: the judgment date cannot go.")
        )
    if p.next_hearing_on and p.fir_date and p.next_hearing_on < p.fir_date:
        changes.add_error(errors, "next_hearing_on", _("A hearing cannot be before the FIR."))
    _check_reminders(p, today, errors)
    changes.raise_if(errors)


# An Indian mobile number, as SMS gateways take it: 10 digits from 6 to 9, or +91 before them.
PHONE_RE = re.compile(r"^(\+91)?[6-9]\d{9}$")


def _check_reminders(p: Proceeding, today: datetime.date, errors: dict[str, list[str]]) -> None:
    """Her agreement to SMS is a dated fact with a number it covers; a message must not go to a
    number she did not give."""
    p.reminder_phone = "".join(p.reminder_phone.split())
    if p.reminder_phone and not PHONE_RE.match(p.reminder_phone):
        changes.add_error(
            errors,
            "reminder_phone",
            _("Write a mobile number of 10 digits, with or without +91 before it."),
        )
    if p.reminder_consent_on and p.reminder_consent_on > today:
        label = str(Proceeding._meta.get_field("reminder_consent_on").verbose_name)
        changes.add_error(errors, "reminder_consent_on", _("The %s is in the future.") % label)
    if p.reminder_consent_on and not p.reminder_phone:
        changes.add_error(
            errors, "reminder_phone", _("Give the number she agreed to get messages on.")
        )


def _stage_from_dates(proceeding: Proceeding) -> None:
    """A criminal proceeding stands at the latest dated step (closing it is done by hand)."""
    if proceeding.track != Track.CRIMINAL or proceeding.stage == Stage.CLOSED:
        return
    for field, stage in reversed(SEQUENCE):
        if getattr(proceeding, field):
            proceeding.stage = stage
            return


@transaction.atomic
def proceeding_create(*, actor: Actor, case: Case, track: str, **fields: Any) -> Proceeding:
    """Open a proceeding of a case on one track (criminal, protection or compensation)."""
    policy.require(actor, Action.VIEW, case)
    policy.require_allowed(actor, Action.CREATE, "legal.proceeding")
    changes.check_fields(fields, PROCEEDING_INPUT)
    proceeding = Proceeding(
        case=case, owner_org_id=case.owner_org_id, track=track, created_by=actor.user, **fields
    )
    if "stage" not in fields:
        proceeding.stage = Stage.COMPLAINT
    _stage_from_dates(proceeding)
    _check(proceeding)
    changes.clean(proceeding)
    proceeding.save()
    # The policy judges the saved row (own organisation, restricted case); refusal rolls back.
    policy.require(actor, Action.EDIT, proceeding)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=proceeding,
        changes={"after": changes.snapshot(proceeding, PROCEEDING_FIELDS)},
    )
    return proceeding


@transaction.atomic
def proceeding_update(*, actor: Actor, proceeding: Proceeding, **fields: Any) -> Proceeding:
    """Record the next step of a proceeding (chargesheet, cognisance, charges, judgment…)."""
    policy.require(actor, Action.EDIT, proceeding)
    changes.check_fields(fields, PROCEEDING_INPUT)
    proceeding = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    before = changes.snapshot(proceeding, PROCEEDING_FIELDS)
    for name, value in fields.items():
        setattr(proceeding, name, value)
    _stage_from_dates(proceeding)
    _check(proceeding)
    first_hearing = proceeding.hearings.order_by("on").first()
    if first_hearing and proceeding.fir_date and first_hearing.on < proceeding.fir_date:
        raise InvalidInput({"fir_date": [_("A hearing is recorded before this FIR date.")]})
    changes.clean(proceeding)
    proceeding.save()
    if any(name in fields for name in PARTS_CARRY):
        _parts_follow(proceeding)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=proceeding,
        changes=changes.diff(before, changes.snapshot(proceeding, PROCEEDING_FIELDS)),
    )
    return proceeding


def _record(actor: Actor, action: str, obj: Any, proceeding: Proceeding, after: dict) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=obj,
        target_org_id=proceeding.owner_org_id,
        changes={"after": after},
    )


@transaction.atomic
def accused_add(*, actor: Actor, proceeding: Proceeding, **fields: Any) -> Accused:
    """Add an accused to a criminal proceeding, with arrest, bail and custody."""
    policy.require(actor, Action.EDIT, proceeding)
    changes.check_fields(fields, ACCUSED_FIELDS)
    accused = Accused(proceeding=proceeding, **fields)
    _check_accused(accused, proceeding)
    changes.clean(accused)
    accused.save()
    _record(
        actor, AuditAction.CREATE, accused, proceeding, changes.snapshot(accused, ACCUSED_FIELDS)
    )
    return accused


@transaction.atomic
def accused_update(*, actor: Actor, accused: Accused, **fields: Any) -> Accused:
    """Record an arrest, bail or a change of custody of an accused."""
    return _correct(actor, accused, fields, ACCUSED_FIELDS, _check_accused)


def _correct[M: (Accused, Hearing, ProtectionMeasure)](
    actor: Actor,
    obj: M,
    fields: dict[str, Any],
    allowed: tuple[str, ...],
    check: Any,
) -> M:
    """The one correction of a proceeding's part: the policy, the fields a caller may set, the
    part's own checks (``check(obj, proceeding)``), validation, and the audited before/after."""
    policy.require(actor, Action.EDIT, obj)
    changes.check_fields(fields, allowed)
    before = changes.snapshot(obj, allowed)
    for name, value in fields.items():
        setattr(obj, name, value)
    check(obj, obj.proceeding)
    changes.clean(obj)
    obj.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=obj,
        target_org_id=obj.proceeding.owner_org_id,
        changes=changes.diff(before, changes.snapshot(obj, allowed)),
    )
    return obj


def _check_accused(accused: Accused, proceeding: Proceeding) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if accused.arrested_on and accused.arrested_on > today:
        changes.add_error(errors, "arrested_on", _("The arrest date is in the future."))
    if accused.arrested_on and proceeding.fir_date and accused.arrested_on < proceeding.fir_date:
        changes.add_error(errors, "arrested_on", _("An arrest cannot be before the FIR."))
    if accused.bail_on and not accused.arrested_on:
        changes.add_error(errors, "bail_on", _("Bail needs an arrest date."))
    if accused.bail_on and accused.arrested_on and accused.bail_on < accused.arrested_on:
        changes.add_error(errors, "bail_on", _("Bail cannot be before the arrest."))
    if accused.custody in (Custody.IN_CUSTODY, Custody.BAIL) and not accused.arrested_on:
        changes.add_error(errors, "arrested_on", _("Give the arrest date."))
    changes.raise_if(errors)


JUDGMENT_FIELDS = ("section", "verdict", "decided_on", "sentence")


@transaction.atomic
def accused_correct(
    *, actor: Actor, accused: Accused, verdicts: dict[str, dict[str, Any] | None], **fields: Any
) -> Accused:
    """Correct an accused and the verdicts per section at once, or nothing.

    ``verdicts`` maps a section code to its verdict (``verdict``, ``decided_on``, ``sentence``)
    or to ``None`` to remove a verdict recorded in error. Errors name ``<field>:<section>``.
    """
    accused = accused_update(actor=actor, accused=accused, **fields)
    recorded = {j.section: j for j in accused.judgments.all()}
    errors: dict[str, list[str]] = {}
    for section, value in verdicts.items():
        current = recorded.get(section)
        if value is None or not value.get("verdict"):
            if current is not None:
                judgment_delete(actor=actor, judgment=current)
            continue
        value = {"sentence": "", **value}
        if value.get("decided_on") is None:
            changes.add_error(errors, f"decided_on:{section}", _("Give the date of the verdict."))
            continue
        if current is not None and all(
            getattr(current, name) == value[name] for name in ("verdict", "decided_on", "sentence")
        ):
            continue
        try:
            judgment_record(actor=actor, accused=accused, section=section, **value)
        except InvalidInput as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    changes.add_error(errors, f"{field}:{section}", message)
    # Raised inside the transaction: the accused's own changes are undone with the verdicts'.
    changes.raise_if(errors)
    return accused


@transaction.atomic
def accused_delete(*, actor: Actor, accused: Accused) -> None:
    """Remove an accused entered in error, with the verdicts recorded on them."""
    policy.require(actor, Action.EDIT, accused)
    for judgment in list(accused.judgments.all()):
        judgment_delete(actor=actor, judgment=judgment)
    changes.remove(accused, ACCUSED_FIELDS, record=_remover(actor, accused))


@transaction.atomic
def judgment_delete(*, actor: Actor, judgment: Judgment) -> None:
    """Remove a verdict recorded in error (the proceeding keeps its judgment date)."""
    policy.require(actor, Action.EDIT, judgment)
    changes.remove(judgment, JUDGMENT_FIELDS, record=_remover(actor, judgment))


@transaction.atomic
def judgment_record(
    *,
    actor: Actor,
    accused: Accused,
    section: str,
    verdict: str,
    decided_on: datetime.date,
    sentence: str = "",
) -> Judgment:
    """Record the verdict on one accused for one section; the proceeding moves to judgment."""
    policy.require(actor, Action.EDIT, accused)
    proceeding = Proceeding.objects.select_for_update().get(pk=accused.proceeding_id)
    errors: dict[str, list[str]] = {}
    if section not in (proceeding.sections or []):
        changes.add_error(errors, "section", _("This section is not invoked in the case."))
    if not proceeding.charges_framed_on:
        changes.add_error(
            errors, "decided_on", _("Charges must be framed before a judgment is recorded.")
        )
    elif decided_on < proceeding.charges_framed_on:
        changes.add_error(
            errors, "decided_on", _("The judgment cannot be before the charges were framed.")
        )
    if decided_on > timezone.localdate():
        changes.add_error(errors, "decided_on", _("The judgment date is in the future."))
    appealed = Appeal.objects.filter(judgments__accused=accused, judgments__section=section)
    if appealed.filter(filed_on__lt=decided_on).exists():
        changes.add_error(
            errors, "decided_on", _("An appeal against this verdict was filed before this date.")
        )
    changes.raise_if(errors)
    judgment = Judgment.objects.filter(accused=accused, section=section).first()
    created = judgment is None
    if judgment is None:
        judgment = Judgment(accused=accused, section=section)
    judgment.verdict, judgment.decided_on, judgment.sentence = verdict, decided_on, sentence
    verdict_placed(judgment, proceeding)
    changes.clean(judgment)
    judgment.save()
    if proceeding.judgment_on is None or proceeding.judgment_on < decided_on:
        proceeding.judgment_on = decided_on
        if proceeding.stage != Stage.CLOSED:
            proceeding.stage = Stage.APPEAL if proceeding.appeal_filed_on else Stage.JUDGMENT
        proceeding.save(update_fields=["judgment_on", "stage", "updated_at"])
    _record(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        judgment,
        proceeding,
        {"section": section, "verdict": verdict, "decided_on": decided_on.isoformat()},
    )
    return judgment


MEASURE_FIELDS = ("kind", "on", "detail")


def _check_measure(measure: ProtectionMeasure, proceeding: Proceeding) -> None:
    if measure.on > timezone.localdate() and measure.kind != MeasureKind.INTERSTATE_TRAVEL:
        raise InvalidInput({"on": [_("The date is in the future.")]})
    if (
        proceeding.fir_date
        and measure.on < proceeding.fir_date
        and measure.kind == MeasureKind.STATEMENT_183
    ):
        raise InvalidInput({"on": [_("A statement before a magistrate follows the FIR.")]})


@transaction.atomic
def measure_add(
    *, actor: Actor, proceeding: Proceeding, kind: str, on: datetime.date, detail: str = ""
) -> ProtectionMeasure:
    """Record a protection step: statement before a magistrate, age determination, witness
    protection, in-camera or video testimony, an inter-state witness's travel and escort."""
    policy.require(actor, Action.EDIT, proceeding)
    measure = ProtectionMeasure(proceeding=proceeding, kind=kind, on=on, detail=detail)
    _check_measure(measure, proceeding)
    changes.clean(measure)
    measure.save()
    _record(actor, AuditAction.CREATE, measure, proceeding, {"kind": kind, "on": on.isoformat()})
    return measure


@transaction.atomic
def measure_update(*, actor: Actor, measure: ProtectionMeasure, **fields: Any) -> ProtectionMeasure:
    """Correct a protection measure: its kind, date or detail."""
    return _correct(actor, measure, fields, MEASURE_FIELDS, _check_measure)


@transaction.atomic
def measure_delete(*, actor: Actor, measure: ProtectionMeasure) -> None:
    """Remove a protection measure recorded in error; the audit trail keeps what it was."""
    policy.require(actor, Action.EDIT, measure)
    changes.remove(measure, MEASURE_FIELDS, record=_remover(actor, measure))


def _remover(actor: Actor, obj: Any) -> changes.Record:
    """The audit call of a deletion of a proceeding's part (the row is named by its id)."""
    proceeding = obj.accused.proceeding if isinstance(obj, Judgment) else obj.proceeding
    return audit.recorder(
        actor=actor,
        action=AuditAction.DELETE,
        target=obj,
        target_org_id=proceeding.owner_org_id,
    )


def _check_hearing(hearing: Hearing, proceeding: Proceeding) -> None:
    errors: dict[str, list[str]] = {}
    if proceeding.fir_date and hearing.on < proceeding.fir_date:
        changes.add_error(errors, "on", _("A hearing cannot be before the FIR."))
    if hearing.outcome == HearingOutcome.ADJOURNED and not hearing.adjournment_reason:
        changes.add_error(errors, "adjournment_reason", _("Say why the hearing was adjourned."))
    if hearing.outcome != HearingOutcome.ADJOURNED:
        hearing.adjournment_reason = ""
    if hearing.outcome != HearingOutcome.SCHEDULED and hearing.on > timezone.localdate():
        changes.add_error(errors, "outcome", _("A hearing in the future has no outcome yet."))
    changes.raise_if(errors)
    # Checked, so about to be saved: with its proceeding's place (its court may have changed).
    hearing_placed(hearing, proceeding)


def _proceeding_place(
    proceeding: Proceeding, *, state: str = "state_id", district: str = "district_id"
) -> dict[str, Any]:
    """What of the proceeding its hearings, verdicts and appeals carry for the outcome
    statistics (no join there); an appeal names the place ``place_state``/``place_district``,
    as its own state and district are the appellate court's."""
    # The district's state through the relation (cached on the proceeding after the first).
    state_id = proceeding.district.state_id if proceeding.district_id else None
    return {
        "owner_org_id": proceeding.owner_org_id,
        "case_id": proceeding.case_id,
        "track": proceeding.track,
        district: proceeding.district_id,
        state: state_id,
        "police_station": proceeding.police_station,
    }


# The names an appeal carries its proceeding's state and district under (``_proceeding_place``).
APPEAL_PLACE = {"state": "place_state_id", "district": "place_district_id"}


def hearing_placed(hearing: Hearing, proceeding: Proceeding) -> Hearing:
    """The hearing with its proceeding's organisation, case, track and place copied on, and the
    court it is counted under (its own, else the proceeding's); every write of a hearing (and
    the demo's and the bench's bulk loads) goes through it."""
    for name, value in _proceeding_place(proceeding).items():
        setattr(hearing, name, value)
    hearing.place_court = hearing.court or proceeding.court
    return hearing


def verdict_placed(judgment: Judgment, proceeding: Proceeding) -> Judgment:
    """The verdict with its proceeding, the proceeding's organisation, case, track and place
    copied on, counted under the trial court (the proceeding's); every write of a verdict (and
    the demo's and the bench's bulk loads) goes through it."""
    for name, value in _proceeding_place(proceeding).items():
        setattr(judgment, name, value)
    judgment.proceeding_id = proceeding.pk
    judgment.place_court = proceeding.court
    return judgment


def appeal_placed(appeal: Appeal, proceeding: Proceeding) -> Appeal:
    """The appeal with its proceeding's organisation, case, track and place (where the case was
    tried: the proceeding's court) copied on; every write of an appeal goes through it."""
    for name, value in _proceeding_place(proceeding, **APPEAL_PLACE).items():
        setattr(appeal, name, value)
    appeal.place_court = proceeding.court
    return appeal


def _parts_follow(proceeding: Proceeding) -> None:
    """A proceeding's place (or court, or track) changed: its hearings, verdicts and appeals
    follow, one update each."""
    proceeding.hearings.update(
        **_proceeding_place(proceeding),
        place_court=models.Case(
            models.When(court="", then=models.Value(proceeding.court)), default=models.F("court")
        ),
    )
    Judgment.objects.filter(proceeding=proceeding).update(
        **_proceeding_place(proceeding), place_court=proceeding.court
    )
    proceeding.appeals.update(
        **_proceeding_place(proceeding, **APPEAL_PLACE), place_court=proceeding.court
    )


def _next_date(proceeding: Proceeding) -> None:
    """The proceeding's next date is its earliest scheduled hearing from today."""
    upcoming = (
        proceeding.hearings.filter(outcome=HearingOutcome.SCHEDULED, on__gte=timezone.localdate())
        .order_by("on")
        .first()
    )
    proceeding.next_hearing_on = upcoming.on if upcoming else None
    proceeding.save(update_fields=["next_hearing_on", "updated_at"])


@transaction.atomic
def hearing_add(*, actor: Actor, proceeding: Proceeding, **fields: Any) -> Hearing:
    """Add a hearing (a coming date, or one that took place with its outcome)."""
    policy.require(actor, Action.EDIT, proceeding)
    changes.check_fields(fields, HEARING_FIELDS)
    hearing = Hearing(proceeding=proceeding, **fields)
    if not hearing.court:
        hearing.court = proceeding.court
    _check_hearing(hearing, proceeding)
    changes.clean(hearing)
    hearing.save()
    _next_date(proceeding)
    _record(
        actor, AuditAction.CREATE, hearing, proceeding, changes.snapshot(hearing, HEARING_FIELDS)
    )
    # The next date of an adjournment recorded on its own: the adjourned hearing's plan follows.
    previous = (
        proceeding.hearings.filter(on__lt=hearing.on).exclude(pk=hearing.pk).order_by("-on").first()
    )
    if previous is not None and previous.outcome == HearingOutcome.ADJOURNED:
        _carry_witness_plan(actor, previous, hearing)
    return hearing


@transaction.atomic
def hearing_record(
    *,
    actor: Actor,
    hearing: Hearing,
    outcome: str,
    adjournment_reason: str = "",
    next_on: datetime.date | None = None,
) -> Hearing:
    """Record what happened at a hearing and, when given, the next date fixed by the court."""
    policy.require(actor, Action.EDIT, hearing)
    proceeding = hearing.proceeding
    before = changes.snapshot(hearing, HEARING_FIELDS)
    hearing.outcome, hearing.adjournment_reason = outcome, adjournment_reason
    _check_hearing(hearing, proceeding)
    if next_on is not None and next_on <= hearing.on:
        raise InvalidInput({"next_on": [_("The next date must be after this hearing.")]})
    changes.clean(hearing)
    hearing.save()
    following = None
    if next_on is not None and proceeding.stage not in FINISHED_STAGES:
        following = Hearing(
            proceeding=proceeding,
            on=next_on,
            court=hearing.court,
            purpose=hearing.purpose,
            survivor_needed=hearing.survivor_needed,
        )
        hearing_placed(following, proceeding).save()
    _next_date(proceeding)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=hearing,
        target_org_id=proceeding.owner_org_id,
        changes={
            **changes.diff(before, changes.snapshot(hearing, HEARING_FIELDS)),
            "next_on": next_on.isoformat() if next_on else None,
        },
    )
    if following is not None:
        _carry_witness_plan(actor, hearing, following)
    return hearing


@transaction.atomic
def hearing_update(*, actor: Actor, hearing: Hearing, **fields: Any) -> Hearing:
    """Correct a hearing: its date, court, purpose, whether the survivor attends, its outcome."""
    if "on" in fields and fields["on"] != hearing.on:
        hearing.reminded_at = None  # a new date is reminded again
    _correct(actor, hearing, fields, HEARING_FIELDS, _check_hearing)
    _next_date(hearing.proceeding)
    return hearing


@transaction.atomic
def hearing_delete(*, actor: Actor, hearing: Hearing) -> None:
    """Remove a hearing entered in error; the proceeding's next date follows."""
    policy.require(actor, Action.EDIT, hearing)
    proceeding = hearing.proceeding
    changes.remove(hearing, HEARING_FIELDS, record=_remover(actor, hearing))
    _next_date(proceeding)


@transaction.atomic
def compensation_link(*, actor: Actor, proceeding: Proceeding, claim_id: Any) -> Proceeding:
    """Link a compensation-track proceeding to the case's claim in entitlements."""
    from setu.entitlements import selectors as entitlements

    policy.require(actor, Action.EDIT, proceeding)
    claim = entitlements.claim_get(actor=actor, claim_id=claim_id)
    if claim.case_id != proceeding.case_id:
        raise InvalidInput({"claim": [_("This claim belongs to another case.")]})
    if proceeding.track != Track.COMPENSATION:
        raise InvalidInput({"claim": [_("Only a compensation proceeding links a claim.")]})
    before = str(proceeding.compensation_claim_id or "")
    proceeding.compensation_claim_id = claim.pk
    proceeding.save(update_fields=["compensation_claim", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=proceeding,
        changes={
            "before": {"compensation_claim": before},
            "after": {"compensation_claim": str(claim.pk)},
        },
    )
    return proceeding


# --- Appeals ----------------------------------------------------------------------------------

APPEAL_FIELDS = (
    "appellant",
    "court_level",
    "court",
    "state",
    "district",
    "cnr_number",
    "filed_on",
    "status",
    "decided_on",
    "appeal_from",
)
# What callers may set: the fields, the places also by their codes, the earlier appeal by its
# id, and the verdicts appealed.
APPEAL_INPUT = (*APPEAL_FIELDS, "state_id", "district_id", "appeal_from_id", "judgments")


def _check_appeal(appeal: Appeal, proceeding: Proceeding, judgments: list[Judgment]) -> None:
    """Refuse an appeal that cannot be, naming the field: before the judgment, decided before it
    was filed, against verdicts of another case, a conviction outcome for an acquittal."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    appeal.cnr_number = appeal.cnr_number.strip().upper()
    appeal.court = appeal.court.strip()
    for name in ("appellant", "court_level", "court"):
        if not getattr(appeal, name):
            changes.add_error(errors, name, _("This field is required."))
    if appeal.cnr_number:
        for message in cnr_errors(appeal.cnr_number):
            changes.add_error(errors, "cnr_number", message)
        if appeal.cnr_number == proceeding.cnr_number:
            changes.add_error(
                errors,
                "cnr_number",
                _("This is the trial court's CNR number; the appeal has its own."),
            )
    if appeal.district_id and appeal.state_id is None:
        appeal.state_id = appeal.district.state_id
    if appeal.district_id and appeal.district.state_id != appeal.state_id:
        changes.add_error(errors, "district", _("This district is not in that state."))
    if proceeding.track != Track.CRIMINAL or not proceeding.judgment_on:
        changes.add_error(
            errors, "filed_on", _("An appeal needs the judgment: record the judgment first.")
        )
    if appeal.filed_on > today:
        changes.add_error(errors, "filed_on", _("The appeal's filing date is in the future."))
    if any(j.accused.proceeding_id != proceeding.pk for j in judgments):
        changes.add_error(errors, "judgments", _("A verdict of another case was chosen."))
    recorded = Judgment.objects.filter(accused__proceeding=proceeding).exists()
    if recorded and not judgments:
        changes.add_error(errors, "judgments", _("Choose the verdicts appealed against."))
    judged = [j.decided_on for j in judgments] or [proceeding.judgment_on]
    latest = max((d for d in judged if d is not None), default=None)
    if latest is not None and appeal.filed_on < latest:
        changes.add_error(errors, "filed_on", _("An appeal cannot be filed before the judgment."))
    verdicts = {j.verdict for j in judgments}
    if appeal.appellant == Appellant.ACCUSED and verdicts and Verdict.CONVICTED not in verdicts:
        changes.add_error(
            errors, "appellant", _("An accused appeals against a conviction, not an acquittal.")
        )
    if appeal.status in CONVICTION_OUTCOMES and verdicts and Verdict.CONVICTED not in verdicts:
        changes.add_error(
            errors, "status", _("Only an appeal against a conviction can have this outcome.")
        )
    if appeal.status == AppealStatus.PENDING:
        if appeal.decided_on:
            changes.add_error(
                errors, "status", _("A decided appeal needs its outcome, not pending.")
            )
    elif not appeal.decided_on:
        changes.add_error(errors, "decided_on", _("Give the date the appeal was decided."))
    if appeal.decided_on and appeal.decided_on < appeal.filed_on:
        changes.add_error(
            errors, "decided_on", _("An appeal cannot be decided before it was filed.")
        )
    if appeal.decided_on and appeal.decided_on > today:
        changes.add_error(errors, "decided_on", _("The decision date is in the future."))
    _check_appeal_chain(appeal, proceeding, errors)
    changes.raise_if(errors)


def _check_appeal_chain(
    appeal: Appeal, proceeding: Proceeding, errors: dict[str, list[str]]
) -> None:
    """A second appeal lies against a decided appeal of the same proceeding, filed on or after
    that decision; an appeal that a later one is against stays decided, before it was filed."""
    earlier = appeal.appeal_from
    if earlier is not None:
        if earlier.proceeding_id != proceeding.pk or earlier.pk == appeal.pk:
            changes.add_error(errors, "appeal_from", _("Choose an appeal of this case."))
        elif earlier.status == AppealStatus.PENDING or earlier.decided_on is None:
            changes.add_error(
                errors,
                "appeal_from",
                _("The earlier appeal is still pending: record its decision first."),
            )
        elif appeal.filed_on < earlier.decided_on:
            changes.add_error(
                errors,
                "filed_on",
                _("A further appeal cannot be filed before the earlier appeal was decided."),
            )
    if appeal.pk is None:
        return
    later = list(appeal.further_appeals.values_list("filed_on", flat=True))
    if later and appeal.status == AppealStatus.PENDING:
        changes.add_error(
            errors, "status", _("A further appeal is recorded against this appeal's decision.")
        )
    elif later and appeal.decided_on and appeal.decided_on > min(later):
        changes.add_error(
            errors,
            "decided_on",
            _("A further appeal against this decision was filed before this date."),
        )


def _appeal_dates(proceeding: Proceeding) -> None:
    """The proceeding's appeal date is its first appeal's; its stage follows."""
    proceeding = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    first = proceeding.appeals.order_by("filed_on").values_list("filed_on", flat=True).first()
    proceeding.appeal_filed_on = first
    if proceeding.stage != Stage.CLOSED:
        proceeding.stage = Stage.JUDGMENT
        _stage_from_dates(proceeding)
    proceeding.save(update_fields=["appeal_filed_on", "stage", "updated_at"])


def _appeal_snapshot(appeal: Appeal) -> dict[str, Any]:
    """The appeal for the audit trail, with the verdicts appealed as sorted ids (UUIDs as text)."""
    out = changes.snapshot(appeal, APPEAL_FIELDS)
    out["judgments"] = sorted(str(pk) for pk in appeal.judgments.values_list("pk", flat=True))
    return out


def _appeal_save(
    actor: Actor, appeal: Appeal, proceeding: Proceeding, fields: dict[str, Any], created: bool
) -> Appeal:
    changes.check_fields(fields, APPEAL_INPUT)
    before = {} if created else _appeal_snapshot(appeal)
    chosen = fields.pop("judgments", None)
    for name, value in fields.items():
        setattr(appeal, name, value)
    if appeal.appeal_from_id:
        # Looked up among this proceeding's appeals only: another case's id is not found.
        earlier = proceeding.appeals.filter(pk=appeal.appeal_from_id).first()
        if earlier is None:
            raise InvalidInput({"appeal_from": [_("Choose an appeal of this case.")]})
        appeal.appeal_from = earlier
    if not chosen and created and appeal.appeal_from_id:
        # A second appeal is against the same verdicts as the first, unless others are chosen
        # (the form sends none chosen as an empty list).
        judgments = list(appeal.appeal_from.judgments.select_related("accused"))
        chosen = [j.pk for j in judgments]
    elif chosen is None:
        judgments = list(appeal.judgments.select_related("accused")) if not created else []
    else:
        wanted = {str(pk) for pk in chosen}
        judgments = list(
            Judgment.objects.filter(
                accused__proceeding=proceeding, pk__in=list(wanted)
            ).select_related("accused")
        )
        if len(judgments) != len(wanted):
            raise InvalidInput({"judgments": [_("A verdict of another case was chosen.")]})
    _check_appeal(appeal, proceeding, judgments)
    appeal_placed(appeal, proceeding)
    changes.clean(appeal)
    appeal.save()
    if chosen is not None:
        appeal.judgments.set(judgments)
    _appeal_dates(proceeding)
    after = _appeal_snapshot(appeal)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=appeal,
        target_org_id=proceeding.owner_org_id,
        changes={"after": after} if created else changes.diff(before, after),
    )
    return appeal


@transaction.atomic
def appeal_file(*, actor: Actor, proceeding: Proceeding, **fields: Any) -> Appeal:
    """Record an appeal against verdicts of a criminal proceeding: the appellate court, its CNR
    number, who appealed, against which verdicts, when; the proceeding moves to appeal."""
    policy.require(actor, Action.EDIT, proceeding)
    return _appeal_save(actor, Appeal(proceeding=proceeding), proceeding, fields, created=True)


@transaction.atomic
def appeal_update(*, actor: Actor, appeal: Appeal, **fields: Any) -> Appeal:
    """Correct an appeal, or record what the higher court decided and when."""
    policy.require(actor, Action.EDIT, appeal)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    return _appeal_save(actor, appeal, appeal.proceeding, fields, created=False)


@transaction.atomic
def appeal_delete(*, actor: Actor, appeal: Appeal) -> None:
    """Remove an appeal entered in error; the proceeding's appeal date and stage follow."""
    policy.require(actor, Action.EDIT, appeal)
    proceeding = appeal.proceeding
    if appeal.further_appeals.exists():
        raise InvalidInput(
            {
                "appeal_from": [
                    _("A further appeal is against this appeal's decision: remove that one first.")
                ]
            }
        )
    record = audit.recorder(
        actor=actor, action=AuditAction.DELETE, target=appeal, target_org_id=proceeding.owner_org_id
    )
    changes.remove(appeal, APPEAL_FIELDS, record=record)
    _appeal_dates(proceeding)


# --- Inter-state witness plans ----------------------------------------------------------------

WITNESS_PLAN_FIELDS = (
    "status",
    "travel_from",
    "travel_to",
    "travel_mode",
    "travel_on",
    "escort_name",
    "escort_org",
    "allowance_rupees",
    "allowance_paid",
    "video_requested",
    "video_granted",
    "notes",
)


def _check_witness_plan(plan: WitnessPlan, hearing: Hearing) -> None:
    """Refuse a plan that cannot work, naming the field; "ready" must mean she can be there."""
    errors: dict[str, list[str]] = {}
    if plan.travel_on and plan.travel_on > hearing.on:
        changes.add_error(errors, "travel_on", _("She must travel before the hearing, not after."))
    if plan.video_granted and not plan.video_requested:
        changes.add_error(
            errors, "video_granted", _("A video link is granted only when asked for.")
        )
    if plan.allowance_paid and not plan.allowance_rupees:
        changes.add_error(errors, "allowance_rupees", _("Give the amount that was paid."))
    if plan.status == WitnessPlanStatus.READY and not plan.video_granted:
        # Without a video link she travels: the journey and who goes with her must be settled.
        travel = ("travel_from", "travel_to", "travel_mode", "travel_on", "escort_name")
        for name in travel:
            if not getattr(plan, name):
                changes.add_error(
                    errors,
                    name,
                    _("A plan is ready only with the journey and the escort, or a video link."),
                )
    changes.raise_if(errors)


@transaction.atomic
def witness_plan_save(*, actor: Actor, hearing: Hearing, **fields: Any) -> WitnessPlan:
    """Make or change the plan that brings an inter-state witness to a hearing."""
    policy.require(actor, Action.EDIT, hearing)
    changes.check_fields(fields, WITNESS_PLAN_FIELDS)
    plan = WitnessPlan.objects.select_for_update().filter(hearing=hearing).first()
    created = plan is None
    if plan is None:
        plan = WitnessPlan(hearing=hearing, proceeding_id=hearing.proceeding_id)
    before = {} if created else changes.snapshot(plan, WITNESS_PLAN_FIELDS)
    for name, value in fields.items():
        setattr(plan, name, value)
    _check_witness_plan(plan, hearing)
    changes.clean(plan)
    plan.save()
    after = changes.snapshot(plan, WITNESS_PLAN_FIELDS)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=plan,
        target_org_id=hearing.proceeding.owner_org_id,
        changes={"after": after} if created else changes.diff(before, after),
    )
    return plan


def _carry_witness_plan(actor: Actor, hearing: Hearing, following: Hearing) -> WitnessPlan | None:
    """Copy a hearing's witness plan to the next date the court gave, so an adjournment does
    not lose it: when the hearing was adjourned, or its plan was still open (not ready). The copy
    starts as *not started*, with no travel date and the allowance unpaid: the journey and the
    escort were booked for the old date and must be confirmed again. Each plan is carried once
    (to the first next date); the old hearing keeps its own."""
    plan = WitnessPlan.objects.filter(hearing=hearing, carried_to__isnull=True).first()
    if plan is None or WitnessPlan.objects.filter(hearing=following).exists():
        return None
    if hearing.outcome != HearingOutcome.ADJOURNED and plan.status == WitnessPlanStatus.READY:
        return None
    copy = WitnessPlan(
        hearing=following,
        proceeding_id=following.proceeding_id,
        carried_from=plan,
        **{name: getattr(plan, name) for name in WITNESS_PLAN_FIELDS},
    )
    copy.status = WitnessPlanStatus.NOT_STARTED
    copy.travel_on = None
    copy.allowance_paid = False
    changes.clean(copy)
    copy.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=copy,
        target_org_id=following.proceeding.owner_org_id,
        changes={"after": changes.snapshot(copy, WITNESS_PLAN_FIELDS)},
        details={"carried_from": str(plan.pk)},
    )
    return copy


# --- Reminders (a system task) ----------------------------------------------------------------

# How many days ahead the legal officer is told to prepare the survivor and witnesses.
REMIND_DAYS_AHEAD = 3


def hearing_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind legal officers of hearings in the next days to prepare survivor and witnesses, and
    the survivor by SMS when she agreed to it. Each hearing is reminded once; returns how many.

    The messages carry no names: a date, a court and a link inside Setu.
    """
    from django.urls import reverse

    from setu.notifications import services as notifications

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS_AHEAD)
    due = (
        Hearing.objects.filter(
            outcome=HearingOutcome.SCHEDULED,
            on__gte=today,
            on__lte=horizon,
            reminded_at__isnull=True,
        )
        .select_related("proceeding__legal_officer", "proceeding__case__case_owner", "witness_plan")
        .order_by("on")
    )
    sent = 0
    for hearing in due:
        with transaction.atomic():
            proceeding = hearing.proceeding
            when = hearing.on.strftime("%d-%m-%Y")
            place = {"date": when, "court": hearing.court or _("court")}
            plan = getattr(hearing, "witness_plan", None)
            if plan is not None and plan.status != WitnessPlanStatus.READY:
                # An inter-state witness needs days to arrange: say so while there is time.
                message = (
                    _(
                        "Hearing on %(date)s at %(court)s: prepare the survivor and witnesses. "
                        "The inter-state witness plan is not ready."
                    )
                    % place
                )
            else:
                message = (
                    _("Hearing on %(date)s at %(court)s: prepare the survivor and witnesses.")
                    % place
                )
            recipients = [proceeding.legal_officer, proceeding.case.case_owner]
            notifications.notification_send(
                recipients=[r for r in recipients if r is not None],
                kind=notifications.NoticeKind.OTHER,
                message=message,
                url=reverse("legal:proceeding-detail", args=[proceeding.pk]),
                subject=f"legal.hearing:{hearing.pk}",
            )
            if (
                hearing.survivor_needed
                and proceeding.reminder_consent_on
                and proceeding.reminder_phone
            ):
                with translation.override(proceeding.reminder_language or "en"):
                    text = _(
                        "Reminder: your court date is %(date)s at %(court)s. Your caseworker "
                        "will call you about travel."
                    ) % {"date": when, "court": hearing.court or _("court")}
                notifications.sms_send(number=proceeding.reminder_phone, text=text)
            hearing.reminded_at = timezone.now()
            hearing.save(update_fields=["reminded_at", "updated_at"])
            sent += 1
    return sent


# --- Her case's status, sent to her ----------------------------------------------------------


@transaction.atomic
def plain_status_send(*, actor: Actor, proceeding: Proceeding) -> str:
    """Send the survivor where her case stands, in plain words and her language, by SMS; only
    when she agreed to SMS from Setu (recorded on the proceeding). Audited without the number or
    the text; returns the text sent."""
    from setu.legal import selectors
    from setu.notifications import services as notifications

    policy.require(actor, Action.SEND_MESSAGE, proceeding)
    if not (proceeding.reminder_consent_on and proceeding.reminder_phone):
        # Her agreement is what allows a message to her phone; without it nothing leaves.
        raise ConsentRequired(
            _("She has not agreed to messages by SMS, so nothing was sent. Read it out to her.")
        )
    language, _name = selectors.her_language(proceeding)
    with translation.override(language or translation.get_language()):
        text = _("About your court case: %(status)s") % {
            "status": selectors.plain_status(proceeding)
        }
    notifications.sms_send(number=proceeding.reminder_phone, text=text)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=proceeding,
        details={"what": "plain_status", "channel": "sms", "language": language},
    )
    return text


# --- The case bundle as a file ------------------------------------------------------------------

BUNDLE_FORMATS = ("json", "pdf")
PDF_CSS = Path(__file__).resolve().parent / "static" / "legal" / "bundle-pdf.css"


class PdfUnavailable(Exception):
    """WeasyPrint or its Pango libraries are not installed on this server."""


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def _bundle_pdf(data: dict[str, Any], mark: str) -> bytes:
    """The timeline as a PDF (WeasyPrint), every page marked with user and time, the whole
    watermark on its first page and in its metadata."""
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    context = {"bundle": data, "mark": mark, "LANGUAGE_CODE": translation.get_language()}
    html = render_to_string("legal/bundle_pdf.html", context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])


def bundle_export(*, actor: Actor, proceeding_id: Any, fmt: str, password: str) -> IO[bytes]:
    """A proceeding's legal timeline for a court file, as JSON or PDF in an encrypted ZIP,
    watermarked with user and time and audited (``audit.services.export_package``)."""
    import json

    from setu.legal import selectors

    if fmt == "pdf" and not pdf_available():
        raise PdfUnavailable
    policy.require_allowed(actor, Action.EXPORT, f"export.legal_bundle_{fmt}")
    proceeding, data = selectors.bundle_unaudited(actor=actor, proceeding_id=proceeding_id)
    name = f"legal-{proceeding.pk}.{fmt}"

    def files(mark: str) -> list[tuple[str, bytes]]:
        if fmt == "pdf":
            return [(name, _bundle_pdf(data, mark))]
        body = {"watermark": mark, **{k: v for k, v in data.items() if k != "watermark"}}
        return [(name, json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8"))]

    return audit.export_package(
        actor=actor,
        fmt=f"legal_bundle_{fmt}",
        files=files,
        password=password,
        target=proceeding,
        details={
            "what": "legal_bundle",
            "events": len(data["timeline"]),
            "annexures": [annexure["key"] for annexure in data["annexures"]],
        },
    )
