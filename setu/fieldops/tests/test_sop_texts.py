"""The SOP checklist in the reader's language: the network's step titles are translated, an
organisation's own steps are shown as written."""

from __future__ import annotations

import pytest
from django.utils import translation

from setu.fieldops import services, sop_texts
from setu.fieldops.models import ChecklistStep


def test_every_title_of_the_sop_file_is_listed_for_the_translators():
    in_file = [s["title"] for s in services.sop()["steps"]]
    assert sorted(in_file) == sorted(sop_texts.TITLES)


@pytest.mark.parametrize("language", ["hi", "bn", "mr", "or", "te"])
def test_every_network_step_has_a_translation(language):
    with translation.override(language):
        untranslated = [t for t in sop_texts.TITLES if translation.gettext(t) == t]
    assert untranslated == []


@pytest.mark.django_db
def test_the_checklist_is_shown_in_hindi_with_the_organisations_own_steps_as_written(
    personas,
):
    lead = personas["lead"]
    services.sop_adapt(
        actor=personas["org_admin"],
        omitted=[],
        added=[{"phase": "before", "title": "Call the district coordinator"}],
    )
    import datetime

    from django.utils import timezone

    op = services.operation_create(
        actor=lead,
        kind="rescue",
        code_name="Kadam",
        target_place="A lane",
        planned_start=timezone.now(),
        expected_end=timezone.now() + datetime.timedelta(hours=2),
    )
    base = ChecklistStep.objects.get(operation=op, code="production_cwc")
    own = ChecklistStep.objects.get(operation=op, code="own_1")
    with translation.override("hi"):
        assert base.shown_title != base.title and "24" in base.shown_title
        assert own.shown_title == "Call the district coordinator"
    # Stored as the SOP file says: the trail and the API keep one wording.
    assert base.title.startswith("A child produced before the Child Welfare Committee")
