"""Matching pages: the check-before-create panel, progress panel, review, history, alerts."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from setu.audit.models import AuditEntry
from setu.matching import services
from setu.matching.models import MatchPair, PairStatus, SideState
from setu.matching.tests import factories as f

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


@pytest.fixture
def net():
    return f.network()


def test_check_panel_shows_own_records_with_evidence_and_others_as_count_and_names(net):
    own, _ = f.missing_girl(net.source)
    elsewhere, _ = f.rescued_girl(net.dest)
    f.consent_matching(elsewhere)
    services.records_refresh([own.pk, elsewhere.pk])
    district, state = f.place("Murshidabad")
    response = _client(net.source_contact.user).post(
        reverse("matching:check"),
        {
            "given_name": "Rupa",
            "family_name": "Khatoon",
            "gender": "Feminine",
            "estimated_age": "16",
            "father_name": "Abdul Shaikh",
            "state": state.pk,
            "district": district.pk,
            "village": "Jalangi",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("registry:person-detail", args=[own.pk]) in html  # our own record, linked
    assert "sound" in html  # field-by-field evidence
    assert "Sagar Destination Trust" in html  # the other organisation, by name only
    assert "Roopa" not in html and str(elsewhere.pk) not in html


def test_check_panel_never_takes_names_in_the_url(net):
    response = _client(net.source_contact.user).get(
        reverse("matching:check"), {"given_name": "Rupa"}
    )
    assert response.status_code == 405


def test_new_person_form_carries_the_check_panel(net):
    html = _client(net.source_contact.user).get(reverse("registry:person-create")).content.decode()
    assert reverse("matching:check") in html and "hx-post" in html


def test_progress_panel_polls_until_checked(net):
    person, _ = f.missing_girl(net.source)
    client = _client(net.source_contact.user)
    url = reverse("matching:person-status", args=[person.pk])
    first = client.get(url).content.decode()
    assert "Checking against the network" in first and "hx-get" in first
    services.person_check(person_id=person.pk)
    done = client.get(url).content.decode()
    assert "Checked against the network" in done and "hx-get" not in done


def test_pair_flow_through_the_pages(net):
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(missing)
    f.consent_matching(rescued)
    services.records_refresh([missing.pk, rescued.pk])
    services.person_check(person_id=rescued.pk)
    pair = MatchPair.objects.get()
    source, dest = _client(net.source_contact.user), _client(net.dest_contact.user)
    queue = source.get(reverse("matching:pair-list")).content.decode()
    assert reverse("matching:pair-detail", args=[pair.pk]) in queue
    assert source.post(reverse("matching:pair-confirm", args=[pair.pk])).status_code == 302
    # History of the other side is closed until both confirmed.
    assert dest.get(reverse("matching:pair-history", args=[pair.pk])).status_code == 404
    dest.post(reverse("matching:pair-confirm", args=[pair.pk]))
    pair.refresh_from_db()
    assert pair.status == PairStatus.LINKED
    before = AuditEntry.objects.filter(details__via="match_link").count()
    history = dest.get(reverse("matching:pair-history", args=[pair.pk]))
    html = history.content.decode()
    assert history.status_code == 200 and "Reported missing" in html and "Murshidabad" in html
    assert AuditEntry.objects.filter(details__via="match_link").count() == before + 1
    # After the link the reviewer sees the other record's values (identity consent permitting:
    # here only matching was agreed, so still words only).
    assert (
        "Jalangi" not in dest.get(reverse("matching:pair-detail", args=[pair.pk])).content.decode()
    )
    dest.post(reverse("matching:pair-unlink", args=[pair.pk]), {"reason": "Different girl"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.UNLINKED
    assert dest.get(reverse("matching:pair-history", args=[pair.pk])).status_code == 404


def test_nav_shows_matches_and_unread_inbox(net):
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(missing)
    f.consent_matching(rescued)
    services.records_refresh([missing.pk, rescued.pk])
    services.person_check(person_id=rescued.pk)
    html = _client(net.source_contact.user).get(reverse("matching:pair-list")).content.decode()
    assert reverse("matching:pair-list") in html
    assert "Inbox (" in html


def test_calibration_page_lists_bands(net):
    html = _client(net.dest_contact.user).get(reverse("matching:calibration")).content.decode()
    assert "0.40" in html and "0.95" in html


def test_check_panel_is_rate_limited_per_user_and_audited_without_names(net, settings, monkeypatch):
    import types

    from django.core.cache import cache

    from setu.audit.models import AuditAction, Outcome
    from setu.core import ratelimit

    # One fixed moment: the counting window must not roll over halfway through the test.
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))
    cache.clear()
    settings.SETU_MATCH_CHECKS_PER_MINUTE = 3
    client = _client(net.source_contact.user)
    data = {"given_name": "Rupa", "family_name": "Khatoon", "village": "Jalangi"}
    statuses = [client.post(reverse("matching:check"), data).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.post(reverse("matching:check"), data)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Too many checks" in refused.content.decode()
    by_htmx = client.post(reverse("matching:check"), data, HTTP_HX_REQUEST="true")
    assert by_htmx.status_code == 200 and "Too many checks" in by_htmx.content.decode()
    # Another user is not held back by this one's checks.
    other = _client(net.dest_contact.user)
    assert other.post(reverse("matching:check"), data).status_code == 200
    checks = AuditEntry.objects.filter(action=AuditAction.LIST, details__via="match_check")
    assert checks.filter(outcome=Outcome.OK).count() == 4
    assert checks.filter(outcome=Outcome.DENIED, details__refused="rate_limited").count() == 2
    for entry in checks:
        assert entry.details["fields"] == ["family_name", "given_name", "village"]
        assert "Rupa" not in str(entry.details) and "Jalangi" not in str(entry.details)
    cache.clear()


def test_the_pair_page_speaks_the_readers_language(net):
    # Seen in Bengali: the answers ("pending"), the field names and the verdict were English.
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(missing)
    f.consent_matching(rescued)
    services.records_refresh([missing.pk, rescued.pk])
    services.person_check(person_id=rescued.pk)
    pair = MatchPair.objects.get()
    client = _client(net.source_contact.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    url = reverse("matching:pair-detail", args=[pair.pk])
    html = client.get(url).content.decode()
    with translation.override("bn"):
        expected = [str(SideState.PENDING.label), translation.gettext("Sex")]
    assert all(text in html for text in expected), expected
    for english in ("pending", ">Sex<", "Likely the same person", "Possibly the same person"):
        assert english not in html


def _bn_page(client: Client, pair: MatchPair) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    return client.get(reverse("matching:pair-detail", args=[pair.pk])).content.decode()


def test_the_evidence_sentences_are_in_the_readers_language(net):
    # Seen in Bengali (issue 22): the evidence column and the summary stayed English.
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(missing)
    f.consent_matching(rescued)
    services.records_refresh([missing.pk, rescued.pk])
    services.person_check(person_id=rescued.pk)
    html = _bn_page(_client(net.source_contact.user), MatchPair.objects.get())
    # Roopa and Rupa sound the same.
    english = "Given names sound the same"
    with translation.override("bn"):
        bengali = translation.gettext(english)
    assert english not in html and bengali != english and bengali in html


def test_the_evidence_of_a_duplicate_with_values_is_in_the_readers_language(net):
    # Within one organisation the values are shown: the sentences beside them (the engine's
    # English with values inside) and the summary come in the reader's language too.
    first, _ = f.missing_girl(net.source)
    second, _ = f.rescued_girl(net.source)
    services.records_refresh([first.pk, second.pk])
    pair = f.pair_between(first, second)
    html = _bn_page(_client(net.source_contact.user), pair)
    assert "Roopa" in html and "Rupa" in html  # the values are shown in their columns
    for english in ("Given names sound the same", "(Rupa", "For:", "probability"):
        assert english not in html
    with translation.override("bn"):
        expected = [translation.gettext("Given names sound the same")]
        expected.append(translation.gettext("For: %(items)s.").split("%")[0])
    assert all(text in html for text in expected), expected


def test_a_bengali_pair_page_shows_no_english_evidence_text(net):
    # Seen in Bengali (issue 22): the values beside the sentences were the engine's English
    # ("age 16 on 2024-03-02", "F", "[Murshidabad, LGD 304]").
    from setu.matching import engine, records

    first, _ = f.missing_girl(net.source)
    second, _ = f.rescued_girl(net.source)
    services.records_refresh([first.pk, second.pk])
    pair = f.pair_between(first, second)
    html = _bn_page(_client(net.source_contact.user), pair)
    own, other = records.person_record(first), records.person_record(second)
    ex = engine.explain(own, other)
    # Nothing the engine wrote in English: its sentences (values inside), its summary, and its
    # descriptions of ages, sexes and places.
    english = [ev.text for ev in ex.fields] + [ex.summary]
    english += [
        v for ev in ex.fields if ev.field in ("birth", "place") for v in (ev.left, ev.right)
    ]
    assert len(english) > 10 and [e for e in english if e and e in html] == []
    assert "LGD" not in html and '">F</td>' not in html
    # What it found, in Bengali: the values in Bengali words, the dates day-month-year.
    with translation.override("bn"):
        expected = [
            engine.value_text(field, rec)
            for field in ("sex", "birth", "place")
            for rec in (own, other)
        ]
        female = translation.gettext("Female")
    assert female != "Female" and female in expected
    assert all(text and text in html for text in expected), expected


def test_the_check_panel_in_bengali_shows_no_english_evidence_text(net):
    own, _ = f.missing_girl(net.source)
    services.records_refresh([own.pk])
    client = _client(net.source_contact.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    draft = {"given_name": "Roopa", "family_name": "Khatoon", "estimated_age": "16"}
    html = client.post(reverse("matching:check"), draft).content.decode()
    assert reverse("registry:person-detail", args=[own.pk]) in html  # she is found
    for english in ("Given names sound the same", "probability", "For:", "years old", "Female"):
        assert english not in html
    with translation.override("bn"):
        bengali = translation.gettext("Given names sound the same")
        likely = translation.gettext("For: %(items)s.").split("%")[0]
    assert bengali in html and likely in html
    assert "Roopa Khatoon / Rupa Khatun" in html  # the values, typed and recorded
