"""Seal the entries written before sealing existed, so an upgraded trail verifies.

Those entries were chained through the column now called ``salt`` (it held the previous entry's
hash). The old chain is checked first: sealing a trail that was already tampered with would
hide it, so the migration stops and says where, and the operator decides (see
docs/deployment.md, "Upgrading the audit trail").
"""

from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64
BATCH = 2000


def seal_existing(apps, schema_editor):
    from setu.audit.services import link_hash

    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditSeal = apps.get_model("audit", "AuditSeal")
    AuditHead = apps.get_model("audit", "AuditHead")
    head = AuditHead.objects.filter(id=1).first()
    if AuditSeal.objects.exists() or not AuditEntry.objects.exists():
        return
    prev_entry, prev_link, position, now, batch = GENESIS, GENESIS, 0, timezone.now(), []
    rows = AuditEntry.objects.order_by("seq").values_list("seq", "salt", "entry_hash")
    for seq, salt, entry_hash in rows.iterator(chunk_size=BATCH):
        if salt != prev_entry:
            raise RuntimeError(
                f"The audit chain is broken before entry #{seq}: run 'setu audit verify' with "
                "the previous release and investigate before upgrading."
            )
        position += 1
        link = link_hash(prev_link, position, seq, entry_hash)
        batch.append(
            AuditSeal(
                position=position,
                entry_seq=seq,
                entry_hash=entry_hash,
                prev_link=prev_link,
                link_hash=link,
                sealed_at=now,
            )
        )
        prev_entry, prev_link, last_seq = entry_hash, link, seq
        if len(batch) >= BATCH:
            AuditSeal.objects.bulk_create(batch)
            batch = []
    AuditSeal.objects.bulk_create(batch)
    if head is not None and (head.count != position or head.last_hash != prev_entry):
        raise RuntimeError(
            f"The audit chain head names {head.count} entries but the trail holds {position}: "
            "run 'setu audit verify' with the previous release and investigate before upgrading."
        )
    AuditHead.objects.update_or_create(
        id=1, defaults={"last_seq": last_seq, "last_hash": prev_link, "count": position}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_seals_append_only")]
    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
