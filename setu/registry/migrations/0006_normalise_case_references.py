"""Write every numbered case reference in the one scheme, ``<ORG>/<year>/<nnnn>``.

``PCMS-2026-0001`` becomes ``PCMS/2026/0001``; where that number is already taken in the
organisation, the case gets the organisation's next free number of that year. Either way the
old reference is kept in ``former_reference``, so people who quote it still find the case.
"""

from collections import defaultdict

from django.db import migrations


def normalise(apps, schema_editor):
    from setu.registry.text import case_reference, normalise_case_reference, parse_case_reference

    Case = apps.get_model("registry", "Case")
    taken: dict[object, set[str]] = defaultdict(set)
    highest: dict[tuple[object, str, int], int] = defaultdict(int)
    for org_id, reference in Case.objects.values_list("owner_org_id", "reference").iterator():
        taken[org_id].add(reference)
        parsed = parse_case_reference(reference)
        if parsed:
            key = (org_id, parsed[0], parsed[1])
            highest[key] = max(highest[key], parsed[2])
    # A reference already in the scheme keeps its number; among the others, oldest first.
    for case in Case.objects.order_by("created_at", "id").iterator():
        wanted = normalise_case_reference(case.reference)
        if wanted == case.reference:
            continue
        if wanted in taken[case.owner_org_id]:
            prefix, year, _sequence = parse_case_reference(wanted)
            key = (case.owner_org_id, prefix, year)
            highest[key] += 1
            wanted = case_reference(prefix, year, highest[key])
        taken[case.owner_org_id].discard(case.reference)
        taken[case.owner_org_id].add(wanted)
        Case.objects.filter(pk=case.pk).update(
            reference=wanted, former_reference=case.former_reference or case.reference
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_case_former_reference"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
