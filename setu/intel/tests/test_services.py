"""Writes of the intel context and who sees what: normalised values, the index, alerts once per
pair, agreements and the policy that reads them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from setu.access import policy
from setu.access.policy import Action
from setu.audit.models import AuditEntry
from setu.core.changes import PERSONAL_MARK
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.intel import selectors, services
from setu.intel.models import Identifier, IntelKey, IntelLink, Perpetrator, SharingAgreement
from setu.intel.tests.factories import AgreementFactory
from setu.notifications.models import NoticeKind, Notification
from setu.registry import services as registry
from setu.registry.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
CANONICAL = "+919820011223"


def _sees(actor, case) -> bool:
    rows = Identifier.objects.filter(case=case)
    return policy.scope(actor, rows, Action.VIEW).exists()


def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_written(personas):
    before = (Identifier.objects.count(), IntelKey.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidInput) as exc:
        services.identifier_add(
            actor=personas.actors["lead"], case=personas.case, kind="phone", raw="98200 112",
            source="survivor",
        )  # fmt: skip
    assert "too short" in exc.value.errors["raw"][0] and "98765 43210" in exc.value.errors["raw"][0]
    assert (Identifier.objects.count(), IntelKey.objects.count()) == before[:2]


def test_values_are_stored_canonical_with_the_raw_form_and_audited_without_them(personas):
    identifier = services.identifier_add(
        actor=personas.actors["lead"], case=personas.case, kind="vehicle", raw="mh 02 ab 1234",
        source="fir", note="White Bolero",
    )  # fmt: skip
    assert (identifier.value, identifier.raw) == ("MH02AB1234", "mh 02 ab 1234")
    entry = AuditEntry.objects.filter(target_id=str(identifier.pk)).get()
    assert entry.changes["after"]["value"] == PERSONAL_MARK
    assert "MH02AB1234" not in str(entry.changes) and "Bolero" not in str(entry.changes)
    with pytest.raises(InvalidInput) as exc:
        services.identifier_add(
            actor=personas.actors["lead"], case=personas.case, kind="vehicle", raw="MH02AB1234",
            source="fir",
        )  # fmt: skip
    assert "already" in exc.value.errors["raw"][0]


def test_dates_out_of_order_are_refused(personas):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as exc:
        services.identifier_add(
            actor=personas.actors["lead"], case=personas.case, kind="upi", raw="a.b@ybl",
            source="bank_records", first_seen=today, last_seen=today - datetime.timedelta(days=3),
        )  # fmt: skip
    assert "last_seen" in exc.value.errors


def test_only_the_owning_organisations_intel_roles_write(personas):
    for who in ("partner", "counsellor", "analyst", "platform_admin", "other_org"):
        with pytest.raises((NotFound, Forbidden)):
            services.identifier_add(
                actor=personas.actors[who], case=personas.case, kind="phone", raw="9820011223",
                source="survivor",
            )  # fmt: skip
    assert not Identifier.objects.exists()


def test_the_same_value_links_organisations_and_alerts_once_per_pair(net):
    links = IntelLink.objects.filter(kind="phone")
    # own-partner, own-other, partner-other
    assert links.count() == 3
    notices = Notification.objects.filter(subject__startswith="intel.intellink:")
    assert notices.exists() and {n.kind for n in notices} == {NoticeKind.INTEL}
    assert all(CANONICAL not in n.message and "98200" not in n.message for n in notices)
    count = notices.count()
    identifier = Identifier.objects.get(case=net.own_case, kind="phone")
    services.identifier_update(actor=net.actors["lead"], identifier=identifier, note="his second phone", raw="098200 11223")  # fmt: skip
    assert links.count() == 3 and notices.count() == count


def test_names_of_two_words_and_aliases_are_cross_referenced(net):
    assert IntelLink.objects.filter(kind="name").count() == 3
    p = services.perpetrator_add(
        actor=net.actors["lead"], case=net.own_case, name="Raju", role="transporter",
        source="survivor", aliases="Bablu, Raju Driver",
    )  # fmt: skip
    assert sorted(IntelKey.objects.filter(perpetrator=p).values_list("value", flat=True)) == [
        "driver raju"
    ]


def test_agency_numbers_become_its_identifiers(personas):
    agency = services.perpetrator_add(
        actor=personas.actors["lead"], case=personas.case, kind="organisation",
        name="Star Placement Services", role="placement_agent", source="fir",
        gstin="27aapfu0939f1zv", registration="b-0123/mah",
    )  # fmt: skip
    assert sorted(agency.identifiers.values_list("kind", "value")) == [
        ("gstin", "27AAPFU0939F1ZV"),
        ("registration", "B-0123/MAH"),
    ]
    with pytest.raises(InvalidInput) as exc:
        services.perpetrator_add(
            actor=personas.actors["lead"], case=personas.case, kind="organisation",
            name="Other Agency", role="placement_agent", source="fir", gstin="27AAPFU0939F1ZW",
        )  # fmt: skip
    assert "gstin" in exc.value.errors
    assert not Perpetrator.objects.filter(name="Other Agency").exists()


# Who reads the details of another organisation's case (live agreement own <-> partner).
DETAIL_MATRIX = [
    ("own_police", "partner_case", True),
    ("own_legal", "partner_case", True),
    ("partner_police", "own_case", True),
    ("partner_legal", "own_case", True),
    ("lead", "partner_case", False),  # caseworker: existence and whom to ask only
    ("org_admin", "partner_case", False),
    ("partner", "own_case", False),
    ("own_police", "other_case", False),  # no agreement with the unrelated organisation
    ("other_police", "own_case", False),
    ("analyst", "own_case", False),  # counts only
    ("counsellor", "own_case", False),
    ("platform_admin", "own_case", False),
    ("lead", "own_case", True),
    ("org_admin", "own_case", True),
    ("own_police", "own_case", True),
]


@pytest.mark.parametrize(("who", "case", "ok"), DETAIL_MATRIX)
def test_who_reads_which_cases_intelligence(net, who, case, ok):
    assert _sees(net.actors[who], getattr(net, case)) is ok


def test_an_agreement_not_live_opens_nothing(net):
    police = net.actors["own_police"]
    today = timezone.localdate()
    net.agreement.starts_on = today + datetime.timedelta(days=2)
    net.agreement.ends_on = today + datetime.timedelta(days=20)
    net.agreement.save()
    assert not _sees(police, net.partner_case)
    net.agreement.starts_on, net.agreement.ends_on = today - datetime.timedelta(days=9), today
    net.agreement.save()
    assert _sees(police, net.partner_case)
    services.agreement_withdraw(actor=net.actors["partner_admin"], agreement=net.agreement)
    assert not _sees(police, net.partner_case)


def _restricted_flags(case) -> set[bool]:
    return set(IntelKey.objects.filter(case=case).values_list("case_restricted", flat=True))


def test_a_restricted_case_is_not_opened_by_an_agreement(net):
    admin, police = net.actors["partner_admin"], net.actors["own_police"]
    registry.case_update(actor=admin, case=net.partner_case, is_restricted=True)
    # The index rows follow the case (the agreement rule reads them, not the case row).
    assert _restricted_flags(net.partner_case) == {True}
    assert _restricted_flags(net.own_case) == {False}
    assert not _sees(police, net.partner_case)
    services.identifier_add(
        actor=admin, case=net.partner_case, kind="upi", raw="salim@okaxis", source="survivor"
    )
    assert _restricted_flags(net.partner_case) == {True}  # a row made later starts restricted
    registry.case_update(actor=admin, case=net.partner_case, is_restricted=False)
    assert _restricted_flags(net.partner_case) == {False}
    assert _sees(police, net.partner_case)


def test_the_data_migration_copies_each_cases_restriction_onto_its_index_rows(net):
    from importlib import import_module

    from django.apps import apps

    from setu.registry.models import Case

    Case.objects.filter(pk=net.partner_case.pk).update(is_restricted=True)
    assert _restricted_flags(net.partner_case) == {False}  # written around the services
    import_module("setu.intel.migrations.0004_intelkey_case_restricted_fill").fill(apps, None)
    assert _restricted_flags(net.partner_case) == {True}
    assert _restricted_flags(net.own_case) == _restricted_flags(net.other_case) == {False}
    assert not _sees(net.actors["own_police"], net.partner_case)


def test_agreement_is_proposed_by_one_admin_and_accepted_by_the_other(personas):
    a = personas.actors
    today = timezone.localdate()
    agreement = services.agreement_propose(
        actor=a["org_admin"], partner_org_id=personas.other_org.pk, starts_on=today,
        ends_on=today + datetime.timedelta(days=180), purpose="Joint work on Mumbai placement rackets",
    )  # fmt: skip
    assert selectors.agreement_state(agreement) == "proposed"
    assert Notification.objects.filter(recipient=personas.users["other_admin"]).exists()
    with pytest.raises(InvalidInput):
        services.agreement_propose(
            actor=a["other_admin"], partner_org_id=personas.own_org.pk, starts_on=today,
            ends_on=today + datetime.timedelta(days=10),
        )  # fmt: skip
    for who in ("org_admin", "other_org", "partner_admin"):
        with pytest.raises((NotFound, Forbidden)):
            services.agreement_accept(actor=a[who], agreement=agreement)
    services.agreement_accept(actor=a["other_admin"], agreement=agreement)
    agreement.refresh_from_db()
    assert selectors.agreement_state(agreement) == "live"
    assert policy.intel_partner_org_ids(a["lead"]) == [personas.other_org.pk]
    with pytest.raises((NotFound, Forbidden)):
        services.agreement_withdraw(actor=a["lead"], agreement=agreement)
    services.agreement_withdraw(actor=a["org_admin"], agreement=agreement)
    assert policy.intel_partner_org_ids(a["lead"]) == []


def test_agreement_input_is_checked(personas):
    admin = personas.actors["org_admin"]
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as exc:
        services.agreement_propose(
            actor=admin, partner_org_id=personas.own_org.pk, starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )  # fmt: skip
    assert {"partner_org", "ends_on"} <= set(exc.value.errors)
    with pytest.raises(Forbidden):
        services.agreement_propose(
            actor=personas.actors["lead"], partner_org_id=personas.other_org.pk, starts_on=today,
            ends_on=today,
        )  # fmt: skip
    assert not SharingAgreement.objects.exists()


def test_removing_an_identifier_removes_its_cross_references(net):
    identifier = Identifier.objects.get(case=net.own_case, kind="phone")
    pk = str(identifier.pk)
    services.identifier_remove(actor=net.actors["lead"], identifier=identifier)
    assert IntelLink.objects.filter(kind="phone").count() == 1  # partner-other remains
    entry = AuditEntry.objects.filter(action="delete", target_id=pk).get()
    assert CANONICAL not in str(entry.changes)


def test_editing_a_value_reindexes_it(net):
    identifier = Identifier.objects.get(case=net.own_case, kind="phone")
    services.identifier_update(actor=net.actors["lead"], identifier=identifier, raw="9000012345")
    assert IntelKey.objects.filter(identifier=identifier).get().value == "+919000012345"
    assert IntelLink.objects.filter(kind="phone").count() == 1


def test_agreement_from_factory_is_live(personas):
    agreement = AgreementFactory(proposer_org=personas.own_org, partner_org=personas.other_org)
    assert selectors.agreement_state(agreement) == "live"


def test_bundle_section_carries_provenance_and_nothing_of_other_cases(net, personas):
    section = selectors.bundle_section(actor=net.actors["own_legal"], case=net.own_case)
    person = section["perpetrators"][0]
    assert person["name"] == "Salim Khan" and person["source"] == "Survivor's statement"
    assert person["recorded_by"] and person["recorded_on"]
    phone = section["identifiers_of_no_one_known"][0]
    assert phone["value"] == CANONICAL and phone["as_written"] == "+91 98200 11223"
    assert section["also_known_to"] == sorted([personas.partner_org.name, personas.other_org.name])
    with pytest.raises(NotFound):
        selectors.bundle_section(actor=net.actors["partner_legal"], case=net.own_case)


def test_the_legal_bundle_carries_the_intelligence_section(net, personas):
    from setu.legal import hooks as legal_hooks

    sections = dict(legal_hooks.bundle_sections(net.actors["own_legal"], net.own_case.pk))
    section = sections["intel"]
    texts = [row.text for row in section.rows]
    assert any("Salim Khan" in t for t in texts)
    assert any(CANONICAL in t and "written +91 98200 11223" in t for t in texts)
    assert all(row.source and row.on for row in section.rows)
    assert personas.partner_org.name in section.note
    # A partner reading the bundle through a legal share gets nothing from intel.
    assert "intel" not in dict(legal_hooks.bundle_sections(net.actors["partner"], net.own_case.pk))


def test_merging_two_records_of_one_person_keeps_names_identifiers_and_links(net):
    lead = net.actors["lead"]
    kept = Perpetrator.objects.get(case=net.own_case, name="Salim Khan")
    twin = services.perpetrator_add(
        actor=lead, case=net.own_case, name="Sallu Bhai", aliases="Salim K", role="transporter",
        source="fir", note="drives a white Bolero",
    )  # fmt: skip
    phone = Identifier.objects.get(case=net.own_case, kind="phone")
    services.identifier_update(actor=lead, identifier=phone, perpetrator_id=str(twin.pk))
    upi = services.identifier_add(
        actor=lead, case=net.own_case, kind="upi", raw="sallu@ybl", source="bank_records",
        perpetrator_id=str(twin.pk),
    )  # fmt: skip
    links, notices = IntelLink.objects.count(), Notification.objects.count()

    merged = services.perpetrator_merge(actor=lead, perpetrator=twin, into=kept)

    assert merged.pk == kept.pk and not Perpetrator.objects.filter(pk=twin.pk).exists()
    assert (merged.name, merged.role, merged.source) == ("Salim Khan", "recruiter", "survivor")
    assert merged.aliases == ["Sallu Bhai", "Salim K"]
    assert "drives a white Bolero" in merged.note and "Transporter" in merged.note
    assert set(merged.identifiers.values_list("pk", flat=True)) == {phone.pk, upi.pk}
    keys = set(IntelKey.objects.filter(perpetrator=merged).values_list("value", flat=True))
    assert keys == {"khan salim", "bhai sallu", "k salim"}
    # The cross-references stay as they were, and nobody is alerted again.
    assert IntelLink.objects.count() == links and Notification.objects.count() == notices
    entries = AuditEntry.objects.filter(target_type="intel.perpetrator").order_by("-seq")[:2]
    assert {e.action for e in entries} == {"update", "delete"}
    assert all("Sallu" not in str(e.changes) for e in entries)
    assert entries[1].details["merged"] == str(twin.pk)


def test_merge_refuses_another_case_itself_and_other_organisations(net):
    lead = net.actors["lead"]
    kept = Perpetrator.objects.get(case=net.own_case)
    elsewhere = services.perpetrator_add(
        actor=net.actors["lead"], case=CaseFactory(owner_org=net.own_case.owner_org),
        name="Salim Khan", role="recruiter", source="fir",
    )  # fmt: skip
    for into in (elsewhere, kept):
        with pytest.raises(InvalidInput) as exc:
            services.perpetrator_merge(actor=lead, perpetrator=kept, into=into)
        assert "into" in exc.value.errors
    partners = Perpetrator.objects.get(case=net.partner_case)
    with pytest.raises((NotFound, Forbidden)):
        services.perpetrator_merge(actor=net.actors["own_police"], perpetrator=partners, into=kept)
    assert Perpetrator.objects.filter(pk__in=[kept.pk, elsewhere.pk, partners.pk]).count() == 3
