# The case's restriction on its index rows (filled by 0004): see IntelKey.case_restricted.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('intel', '0002_intellink_org_pair_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='intelkey',
            name='case_restricted',
            field=models.BooleanField(default=False),
        ),
    ]
