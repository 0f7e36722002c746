"""Fill Person.search_key for rows created before the field existed."""

from django.db import migrations


def backfill(apps, schema_editor):
    from setu.registry.text import search_key

    Person = apps.get_model("registry", "Person")
    for person in Person.objects.all().prefetch_related("aliases").iterator(chunk_size=500):
        names = [person.given_name, person.family_name, person.name_native]
        names += [alias.name for alias in person.aliases.all()]
        Person.objects.filter(pk=person.pk).update(search_key=search_key(names))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_person_search_key_note_topic"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
