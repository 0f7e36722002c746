"""Every verdict and appeal carries its proceeding's organisation and case, and every verdict
its proceeding (filled by 0010): required."""

import django.db.models.deletion
from django.db import migrations, models


def _required(model_name, name, to, on_delete=django.db.models.deletion.PROTECT):
    return migrations.AlterField(
        model_name=model_name,
        name=name,
        field=models.ForeignKey(editable=False, on_delete=on_delete, related_name="+", to=to),
    )


class Migration(migrations.Migration):
    dependencies = [("legal", "0010_verdicts_and_appeals_placed")]

    operations = [
        _required("judgment", "proceeding", "legal.proceeding", django.db.models.deletion.CASCADE),
        _required("judgment", "owner_org", "orgs.organisation"),
        _required("judgment", "case", "registry.case"),
        _required("appeal", "owner_org", "orgs.organisation"),
        _required("appeal", "case", "registry.case"),
    ]
