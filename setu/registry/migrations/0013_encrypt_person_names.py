"""Encrypt the names already stored (persons, aliases) and the addresses' village and line,
after filling the persons' name tokens from them (docs/deployment.md §12).

Reversible: the reverse writes the values back in clear, fills ``search_key`` again from the
names and removes the tokens.
"""

from django.db import migrations

from setu.core import crypto
from setu.registry import text

BATCH = 1000
NAMES = ("given_name", "family_name", "name_native")


def _persons(Person):
    after = None
    while True:
        qs = Person.objects.order_by("pk")
        if after is not None:
            qs = qs.filter(pk__gt=after)
        rows = list(qs.values_list("pk", *NAMES)[:BATCH])
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _aliases(PersonAlias, ids):
    out = {}
    for pk, person_id, name in PersonAlias.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "name"
    ):
        out.setdefault(person_id, []).append((pk, name))
    return out


def encrypt(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    PersonAlias = apps.get_model("registry", "PersonAlias")
    PersonNameToken = apps.get_model("registry", "PersonNameToken")
    # The tokens first, from the names while they are still in clear.
    for rows in _persons(Person):
        aliases = _aliases(PersonAlias, [r[0] for r in rows])
        PersonNameToken.objects.bulk_create(
            [
                PersonNameToken(person_id=pk, digest=digest)
                for pk, *names in rows
                for digest in sorted(
                    text.name_digests([*names, *(n for _a, n in aliases.get(pk, []))])
                )
            ],
            batch_size=5000,
        )
    Person.objects.exclude(search_key="").update(search_key="")
    for name in ("Person", "PersonAlias", "Address"):
        crypto.encrypt_table(apps.get_model("registry", name))


def decrypt(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    PersonAlias = apps.get_model("registry", "PersonAlias")
    for name in ("Person", "PersonAlias", "Address"):
        crypto.decrypt_table(apps.get_model("registry", name))
    for rows in _persons(Person):
        aliases = _aliases(PersonAlias, [r[0] for r in rows])
        for pk, *names in rows:
            key = text.search_key([*names, *(n for _a, n in sorted(aliases.get(pk, [])))])
            Person.objects.filter(pk=pk).update(search_key=key)
    apps.get_model("registry", "PersonNameToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_person_names_encrypted")]

    operations = [migrations.RunPython(encrypt, decrypt)]
