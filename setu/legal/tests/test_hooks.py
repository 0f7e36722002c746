"""legal.hooks: another app's section in the case bundle, under its watermark and audit."""

from __future__ import annotations

import datetime
import io
import json

import pytest
import pyzipper
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEntry
from setu.legal import hooks, selectors, services
from setu.legal.tests.factories import ProceedingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def intel_section():
    """A fake intelligence app: one section, only for the legal officer it was written for."""
    calls = []

    def provider(actor, case_id):
        calls.append((actor.user.pk, case_id))
        if actor.role != "legal_officer":
            return None
        return hooks.BundleSection(
            title="Intelligence linked to the case",
            note="Corroborated by two sources.",
            rows=(
                hooks.BundleRow(
                    text="Recruiter seen at Howrah station",
                    on=datetime.date(2026, 1, 4),
                    source="Field report FR-12, Saagar Sakhi Trust",
                ),
                hooks.BundleRow(text="Same phone number as case SST/2025/0003", source="CDR"),
            ),
        )

    hooks.register_bundle_section("intel", provider)
    yield calls
    hooks.unregister_bundle_section("intel")


def test_a_registered_section_joins_the_bundle_and_its_audit(
    personas, legal_officer, intel_section
):
    p = ProceedingFactory(case=personas.case)
    data = selectors.bundle(actor=legal_officer, proceeding_id=p.pk)
    assert intel_section == [(legal_officer.user.pk, personas.case.pk)]
    [section] = data["annexures"]
    assert section["key"] == "intel" and section["title"] == "Intelligence linked to the case"
    assert section["rows"][0] == {
        "date": "2026-01-04",
        "day": "04-01-2026",
        "text": "Recruiter seen at Howrah station",
        "source": "Field report FR-12, Saagar Sakhi Trust",
    }
    assert section["rows"][1]["date"] is None
    entry = AuditEntry.objects.filter(action="export", target_id=str(p.pk)).latest("seq")
    assert entry.details["annexures"] == ["intel"]


def test_the_provider_decides_per_actor(personas, intel_section):
    p = ProceedingFactory(case=personas.case)
    data = selectors.bundle(actor=personas["org_admin"], proceeding_id=p.pk)
    assert data["annexures"] == []  # the provider gave the admin nothing


def test_no_provider_is_asked_for_an_actor_refused_the_bundle(personas, intel_section):
    from setu.core.errors import NotFound

    p = ProceedingFactory(case=personas.case)
    with pytest.raises(NotFound):
        selectors.bundle(actor=personas["other_admin"], proceeding_id=p.pk)
    assert intel_section == []


def test_the_section_is_in_the_file_under_the_watermark_and_on_the_page(
    personas, legal_officer, intel_section
):
    p = ProceedingFactory(case=personas.case)
    package = services.bundle_export(
        actor=legal_officer, proceeding_id=p.pk, fmt="json", password="a strong export password"
    )
    with pyzipper.AESZipFile(io.BytesIO(package.read())) as archive:
        archive.setpassword(b"a strong export password")
        body = json.loads(archive.read(f"legal-{p.pk}.json"))
    assert next(iter(body)) == "watermark"
    assert body["annexures"][0]["rows"][0]["source"] == "Field report FR-12, Saagar Sakhi Trust"
    client = Client()
    client.force_login(legal_officer.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    page = client.get(reverse("legal:bundle-print", args=[p.pk])).content.decode()
    assert "Intelligence linked to the case" in page and "Recruiter seen at Howrah station" in page
    assert "Field report FR-12, Saagar Sakhi Trust" in page
