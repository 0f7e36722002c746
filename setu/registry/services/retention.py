"""Retention: what identifies a person is removed once their cases have been closed long enough.

After ``settings.SETU_RETENTION_DAYS`` days from the closing date of a case, its free text
(summary, event places and descriptions, notes, service notes) is cleared and its photos and
documents are deleted with their files; a person whose every case is closed that long has
names, date of birth (the year stays), aliases, phones, address lines, identity documents,
photos and scanned documents (with their files) removed, leaves the match index and is
archived. What statistics count stays: cases with their status, dates, exploitation and means
of control, participants with their role and age when trafficked, persons' gender,
nationality, birth year or estimated age, and the district and state of their places.

The audit trail is append-only and cannot be edited, so it never held these values: write
services give it a mark in their place (``core.changes.Personal``). The anonymisation itself is
audited, per person and per case, naming only ids and counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.registry import hooks
from setu.registry.models import (
    Address,
    Case,
    CaseNote,
    DatePrecision,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonNameToken,
    Phone,
    ServiceRecord,
    TraffickingEvent,
)
from setu.registry.services.attachments import attachment_orphans_remove, attachments_remove_for
from setu.registry.services.cases import CLOSED_STATUSES


@dataclass(frozen=True)
class RetentionResult:
    """What one run found due (``dry_run``) or anonymised."""

    cutoff: datetime.date
    cases: int
    persons: int
    dry_run: bool


def retention_cutoff(
    *, today: datetime.date | None = None, days: int | None = None
) -> datetime.date:
    """Cases closed on or before this day are due."""
    period = settings.SETU_RETENTION_DAYS if days is None else days
    return (today or timezone.localdate()) - datetime.timedelta(days=period)


def _cases_due(cutoff: datetime.date) -> QuerySet[Case]:
    return Case.objects.filter(status__in=CLOSED_STATUSES, closed_on__lte=cutoff)


def _persons_due(cutoff: datetime.date) -> QuerySet[Person]:
    """Persons in at least one case, every one of which closed on or before ``cutoff``."""
    not_due = Case.objects.exclude(status__in=CLOSED_STATUSES, closed_on__lte=cutoff)
    return (
        Person.objects.filter(anonymised_at__isnull=True, case_links__isnull=False)
        .exclude(case_links__case__in=not_due)
        .distinct()
    )


def _case_text_left(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Due cases that still hold free text or attachments (the run is idempotent and resumable)."""
    return cases.filter(
        ~Q(summary="")
        | Q(attachments__isnull=False)
        | Q(events__in=TraffickingEvent.objects.filter(~Q(place="") | ~Q(description="")))
        | Q(notes__in=CaseNote.objects.exclude(body=""))
        | Q(services__in=ServiceRecord.objects.exclude(notes=""))
    ).distinct()


def retention_run(
    *, today: datetime.date | None = None, days: int | None = None, dry_run: bool = False
) -> RetentionResult:
    """Anonymise what is due (system job: cron or the task worker); returns the counts.

    Each case and each person is done in its own transaction, so a run stopped half-way
    keeps what it finished and the next run does the rest.
    """
    period = settings.SETU_RETENTION_DAYS if days is None else days
    cutoff = retention_cutoff(today=today, days=period)
    if period <= 0:
        return RetentionResult(cutoff, 0, 0, dry_run)
    case_ids = list(_case_text_left(_cases_due(cutoff)).values_list("pk", flat=True))
    person_ids = list(_persons_due(cutoff).values_list("pk", flat=True))
    if dry_run:
        return RetentionResult(cutoff, len(case_ids), len(person_ids), True)
    for case_id in case_ids:
        _anonymise_case(case_id, cutoff, period)
    for person_id in person_ids:
        _anonymise_person(person_id, cutoff, period)
    # Files a failed upload left without a row are not anyone's record: remove them too.
    attachment_orphans_remove()
    return RetentionResult(cutoff, len(case_ids), len(person_ids), False)


@transaction.atomic
def _anonymise_case(case_id: object, cutoff: datetime.date, period: int) -> None:
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.status not in CLOSED_STATUSES or case.closed_on is None or case.closed_on > cutoff:
        return  # reopened since the list was made
    cleared = {
        "summary": Case.objects.filter(pk=case.pk).exclude(summary="").update(summary=""),
        "events": TraffickingEvent.objects.filter(case=case)
        .filter(~Q(place="") | ~Q(description=""))
        .update(place="", description=""),
        "notes": CaseNote.objects.filter(case=case).exclude(body="").update(body=""),
        "service_notes": ServiceRecord.objects.filter(case=case).exclude(notes="").update(notes=""),
        # Scans and photos of a case (a medical report, an FIR copy) are removed, files too.
        "attachments": attachments_remove_for(case_ids=[case.pk]),
    }
    audit.record(
        actor=None,
        action=AuditAction.DELETE,
        target=case,
        details={"what": "retention", "retention_days": period, "cleared": cleared},
    )


@transaction.atomic
def _anonymise_person(person_id: object, cutoff: datetime.date, period: int) -> None:
    person = Person.objects.select_for_update().get(pk=person_id)
    if person.anonymised_at is not None or not _persons_due(cutoff).filter(pk=person.pk).exists():
        return  # done meanwhile, or a case reopened
    now = timezone.now()
    removed = {
        "aliases": PersonAlias.objects.filter(person=person).delete()[0],
        # The blind indexes of her names would still tell which persons shared a name with her.
        "name_tokens": PersonNameToken.objects.filter(person=person).delete()[0],
        "phones": Phone.objects.filter(person=person).delete()[0],
        "documents": IdentityDocument.objects.filter(person=person).delete()[0],
        # Her photos and scanned documents, with their files (removed once this commits).
        "attachments": attachments_remove_for(person_ids=[person.pk]),
        "address_lines": Address.objects.filter(person=person)
        .filter(~Q(village="") | ~Q(line="") | ~Q(pincode=""))
        .update(village="", line="", pincode=""),
    }
    for name in ("given_name", "family_name", "name_native", "father_name", "mother_name"):
        setattr(person, name, "")
    person.spouse_name = person.disability = ""
    if person.birth_date is not None:
        # The year stays for statistics by age; day and month identify.
        person.birth_date = person.birth_date.replace(month=1, day=1)
        person.birth_date_precision = DatePrecision.YEAR
    person.anonymised_at = now
    person.archived_at = person.archived_at or now
    person.save()
    audit.record(
        actor=None,
        action=AuditAction.DELETE,
        target=person,
        details={"what": "retention", "retention_days": period, "removed": removed},
    )
    # Matching drops an archived person from its index and withdraws her pairs; consent
    # forgets a guardian's name.
    hooks.person_anonymised(person.pk)
    hooks.person_saved(person.pk)
