"""Mark which name tokens are whole words (search ranks whole-word hits first), by recomputing
each person's tokens from her names and aliases: a token's digest alone cannot tell a whole
word from the start of a longer one."""

from django.db import migrations, models

from setu.registry import text

BATCH = 500


def mark_whole_words(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    PersonAlias = apps.get_model("registry", "PersonAlias")
    PersonNameToken = apps.get_model("registry", "PersonNameToken")
    after = None
    while True:
        qs = Person.objects.order_by("pk").only("pk", "given_name", "family_name", "name_native")
        persons = list((qs.filter(pk__gt=after) if after is not None else qs)[:BATCH])
        if not persons:
            return
        ids = [p.pk for p in persons]
        aliases = {}
        # Names are read through model instances: each value opens against its own row.
        for alias in PersonAlias.objects.filter(person_id__in=ids).only("pk", "person_id", "name"):
            aliases.setdefault(alias.person_id, []).append(alias.name)
        PersonNameToken.objects.filter(person_id__in=ids).delete()
        PersonNameToken.objects.bulk_create(
            [
                PersonNameToken(person_id=p.pk, digest=digest, whole=whole)
                for p in persons
                for digest, whole in sorted(
                    text.name_tokens(
                        [p.given_name, p.family_name, p.name_native, *aliases.get(p.pk, [])]
                    ).items()
                )
            ],
            batch_size=5000,
        )
        after = ids[-1]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_remove_person_search_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="personnametoken",
            name="whole",
            field=models.BooleanField(default=False),
        ),
        # Backwards the column goes; the tokens themselves are the same either way.
        migrations.RunPython(mark_whole_words, migrations.RunPython.noop, elidable=True),
    ]
