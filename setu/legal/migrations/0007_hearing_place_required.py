"""Every hearing carries its proceeding's organisation and case (filled by 0006): required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("legal", "0006_hearings_placed")]

    operations = [
        migrations.AlterField(
            model_name="hearing",
            name="case",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.case",
            ),
        ),
        migrations.AlterField(
            model_name="hearing",
            name="owner_org",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organisation",
            ),
        ),
    ]
