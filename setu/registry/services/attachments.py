"""Photos and documents of persons and cases (issue 28, promise 4; docs/uploads.md).

A file is kept only after ``setu.core.uploads`` has checked it: size before it is read, type
from its content, images rebuilt from their pixels (no EXIF, no GPS, nothing appended), PDFs
without scripts, actions or embedded files. A refused file leaves nothing behind and is
audited (outcome *failed*, with the reason's code); so are every upload and every deletion.
The name the user's file had is never kept: it may be hers ("Puja_Aadhaar.jpg").
"""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction, Outcome
from setu.core import uploads
from setu.core.errors import InvalidInput
from setu.registry.models import Attachment, AttachmentKind, Case, Person
from setu.registry.services._common import _add, _remove

ATTACHMENT_FIELDS = ("person", "case", "kind", "title", "content_type", "size", "sha256")
# What each kind accepts: a photo is an image; a document may be an image (a phone's photo of
# a paper) or a PDF.
ACCEPTED = {
    AttachmentKind.PHOTO: uploads.IMAGE_TYPES,
    AttachmentKind.DOCUMENT: uploads.IMAGE_TYPES | {uploads.PDF},
}
# Files with no row (a transaction that failed after the file was written) are removed by the
# sweep once they are this old, so that an upload in progress is never taken for one.
ORPHAN_AGE_SECONDS = 3600


def _refusal_record(actor: Actor, owner: Person | Case, kind: str, reason: str) -> None:
    """Audit a refused file in its own transaction, so the record stays though nothing else does."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            outcome=Outcome.FAILED,
            target=owner,
            details={"what": "attachment", "kind": kind, "refused": reason},
        )


def attachment_add(
    *,
    actor: Actor,
    upload: IO[bytes] | Any,
    kind: str,
    person: Person | None = None,
    case: Case | None = None,
    title: str = "",
) -> Attachment:
    """Check an uploaded file and keep it as a photo or document of ``person`` or ``case``
    (exactly one). Bad input raises ``InvalidInput`` naming the field, and nothing is kept."""
    owner: Person | Case | None = person if person is not None else case
    if owner is None or (person is not None and case is not None):
        raise InvalidInput({"__all__": [_("Attach the file to a person or to a case.")]})
    policy.require(actor, Action.EDIT, owner)
    if kind not in AttachmentKind.values:
        raise InvalidInput({"kind": [_("Choose photo or document.")]})
    if upload is None:
        raise InvalidInput({"file": [_("Choose a file.")]})
    try:
        clean = uploads.check(uploads.read_limited(upload), allowed=ACCEPTED[AttachmentKind(kind)])
    except uploads.Refused as exc:
        _refusal_record(actor, owner, kind, exc.reason)
        raise InvalidInput({"file": [str(exc)]}) from exc
    attachment = Attachment(
        owner_org_id=owner.owner_org_id,
        person=person,
        case=case,
        kind=kind,
        title=(title or "").strip(),
        content_type=clean.content_type,
        size=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
        stored_name="",
        uploaded_by=actor.user,
    )
    name = uploads.store(clean.data)
    try:
        with transaction.atomic():
            attachment.stored_name = name
            _add(
                attachment,
                ATTACHMENT_FIELDS,
                record=audit.recorder(actor=actor, action=AuditAction.CREATE, target=attachment),
                exclude=["stored_name"],
            )
    except BaseException:
        uploads.remove_stored(name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment: Attachment) -> None:
    """Delete an attachment; its file is removed once the deletion is committed."""
    policy.require(actor, Action.EDIT, attachment)
    name = attachment.stored_name
    _remove(
        attachment,
        ATTACHMENT_FIELDS,
        record=audit.recorder(actor=actor, action=AuditAction.DELETE, target=attachment),
    )
    transaction.on_commit(lambda: uploads.remove_stored(name))


def attachments_remove_for(*, person_ids: Any = (), case_ids: Any = ()) -> int:
    """System write for retention: delete the attachments of these persons and cases, inside
    the caller's transaction, removing their files once it commits. Returns how many."""
    rows = Attachment.objects.filter(person_id__in=list(person_ids)) | Attachment.objects.filter(
        case_id__in=list(case_ids)
    )
    names = list(rows.values_list("stored_name", flat=True))
    rows.delete()
    transaction.on_commit(lambda: [uploads.remove_stored(name) for name in names])
    return len(names)


def attachment_orphans_remove(*, older_than: float = ORPHAN_AGE_SECONDS) -> int:
    """System job: remove kept files that no attachment names (left by a transaction that
    failed after its file was written). Returns how many were removed."""
    removed = 0
    batch: list[str] = []

    def sweep(names: list[str]) -> int:
        known = set(
            Attachment.objects.filter(stored_name__in=names).values_list("stored_name", flat=True)
        )
        for name in set(names) - known:
            uploads.remove_stored(name)
        return len(set(names) - known)

    for name in uploads.stored_names(older_than=older_than):
        batch.append(name)
        if len(batch) >= 500:
            removed += sweep(batch)
            batch = []
    if batch:
        removed += sweep(batch)
    return removed
