"""Recompute Person.search_key: names in an Indic script are now folded through the linkage
engine's transliteration (so a Latin search finds a name written in Bengali, and back), and v/b
fold together."""

from django.db import migrations


def refill(apps, schema_editor):
    from setu.registry.text import search_key

    Person = apps.get_model("registry", "Person")
    for person in Person.objects.all().prefetch_related("aliases").iterator(chunk_size=500):
        names = [person.given_name, person.family_name, person.name_native]
        names += [alias.name for alias in person.aliases.all()]
        key = search_key(names)
        if key != person.search_key:
            Person.objects.filter(pk=person.pk).update(search_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_person_anonymised_at"),
    ]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
