# The folded name words in clear are gone: name search uses PersonNameToken (0013).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0013_encrypt_person_names"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="person",
            name="search_key",
        ),
    ]
