"""Copy referral notices into the one inbox (kind "referral", linked to their referral)."""

from django.db import migrations


def _copy(model, rows):
    # Inserting stamps auto_now fields with the present; the old times are put back after.
    stamps = [(r.created_at, r.updated_at) for r in rows]
    model.objects.bulk_create(rows, batch_size=1000)
    for row, (created, updated) in zip(rows, stamps, strict=True):
        row.created_at, row.updated_at = created, updated
    model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=1000)


def forward(apps, schema_editor):
    Old = apps.get_model("referrals", "Notification")
    New = apps.get_model("notifications", "Notification")
    rows = []
    for old in Old.objects.all().iterator(chunk_size=1000):
        rid = old.referral_id
        rows.append(
            New(
                id=old.id,
                created_at=old.created_at,
                updated_at=old.updated_at,
                recipient_id=old.recipient_id,
                kind="referral",
                message=old.message,
                # The path of referrals:referral-detail; reverse() is not for migrations.
                url=f"/referrals/{rid}/" if rid else "",
                subject=f"referrals.referral:{rid}" if rid else "",
                read_at=old.read_at,
            )
        )
    _copy(New, rows)


def backward(apps, schema_editor):
    Old = apps.get_model("referrals", "Notification")
    New = apps.get_model("notifications", "Notification")
    rows = []
    for new in New.objects.filter(kind="referral").iterator(chunk_size=1000):
        prefix = "referrals.referral:"
        rid = new.subject[len(prefix) :] if new.subject.startswith(prefix) else None
        rows.append(
            Old(
                id=new.id,
                created_at=new.created_at,
                updated_at=new.updated_at,
                recipient_id=new.recipient_id,
                referral_id=rid,
                message=new.message,
                read_at=new.read_at,
            )
        )
    _copy(Old, rows)
    New.objects.filter(kind="referral").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_subject_referral_kind_digest"),
        ("referrals", "0001_referral"),
    ]

    operations = [migrations.RunPython(forward, backward)]
