import re
from collections import Counter

from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.entitlements.models import ClaimStatus, CompensationClaim, SchemeApplication
from setu.entitlements.tests.factories import SchemeFactory


def _client(personas, who):
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_recording_an_application_and_its_refusal(personas):
    scheme = SchemeFactory()
    client = _client(personas, "lead")
    url = reverse("entitlements:case", args=[personas.case.pk])
    response = client.post(
        url,
        {
            "form": "application",
            "person": personas.person.pk,
            "scheme": scheme.pk,
            "status": "applied",
            "applied_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    application = SchemeApplication.objects.get()
    detail = reverse("entitlements:application-detail", args=[application.pk])
    client.post(detail, {"status": "rejected", "changed_on": "2026-02-01", "note": "No proof"})
    application.refresh_from_db()
    assert application.status == "rejected"
    page = client.get(detail).text
    assert "No proof" in page and "Rejected" in page


def test_a_claim_is_opened_decided_and_appealed_through_the_pages(personas):
    client = _client(personas, "lead")
    client.post(
        reverse("entitlements:case", args=[personas.case.pk]),
        {
            "form": "claim",
            "person": personas.person.pk,
            "filed_on": "2025-06-01",
            "amount_claimed": "200000",
        },
    )
    claim = CompensationClaim.objects.get()
    stage = claim.stages.get()
    response = client.post(
        reverse("entitlements:stage-edit", args=[stage.pk]),
        {
            "outcome": "rejected",
            "order_on": "2025-09-01",
            "amount_claimed": "200000",
            "amount_awarded": "0",
            "amount_paid": "0",
            "appeal_deadline": "2025-12-01",
        },
    )
    assert response.status_code == 302
    client.post(reverse("entitlements:stage-appeal", args=[stage.pk]), {"filed_on": "2025-10-01"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPEALED
    assert [s.forum for s in claim.stages.all()] == ["dlsa", "slsa"]
    assert (
        "State Legal Services Authority"
        in client.get(reverse("entitlements:claim-detail", args=[claim.pk])).text
    )


def test_the_partner_sees_but_cannot_add(personas):
    client = _client(personas, "partner")
    page = client.get(reverse("entitlements:case", args=[personas.case.pk]))
    assert page.status_code == 200
    assert "Record an application" not in page.text


def _link(personas):
    from setu.registry.models import CasePerson

    return CasePerson.objects.get(case=personas.case, person=personas.person)


def test_longest_waiting_lists_only_applications_still_waiting(personas):
    from setu.entitlements.models import ApplicationStatus
    from setu.entitlements.tests.factories import ApplicationFactory

    link = _link(personas)
    waiting = {
        status: ApplicationFactory(link=link, status=status) for status in ApplicationStatus.values
    }
    page = _client(personas, "lead").get(reverse("entitlements:overview"))
    shown = {a.pk for a in page.context["applications"]}
    assert shown == {
        waiting[ApplicationStatus.APPLIED].pk,
        waiting[ApplicationStatus.DOCUMENTS_MISSING].pk,
    }


def test_claims_name_the_survivor_only_to_those_who_may_see_who_they_are(personas):
    from setu.consent.models import CaseShare
    from setu.entitlements.tests.factories import ClaimFactory

    claim = ClaimFactory(link=_link(personas))
    name = personas.person.display_name
    case_page = reverse("entitlements:case", args=[personas.case.pk])
    for url in (
        reverse("entitlements:claim-detail", args=[claim.pk]),
        reverse("entitlements:overview"),
        case_page,
    ):
        assert name in _client(personas, "lead").get(url).text
    # The partner's share carries identity; without it the name is not shown.
    CaseShare.objects.filter(case=personas.case).update(scopes=["case_history"])
    for url in (reverse("entitlements:overview"), case_page):
        page = _client(personas, "partner").get(url)
        assert page.status_code == 200 and name not in page.text


def test_the_case_lists_each_claim_with_its_date_stages_and_money_in_lakhs(personas):
    client = _client(personas, "lead")
    url = reverse("entitlements:case", args=[personas.case.pk])
    response = client.post(
        url,
        {
            "form": "claim",
            "person": personas.person.pk,
            "filed_on": "2025-06-01",
            "amount_claimed": "300000",
            "reference": "DLSA/VC/118/2025",
        },
    )
    assert response.status_code == 302
    [row] = client.get(url).context["claims"]
    page = client.get(url).text
    row_html = page[page.index(str(row.pk)) :]
    row_html = row_html[: row_html.index("</tr>")]
    assert "1 Jun 2025" in row_html  # day-month-year, never 06/01/2025
    assert "₹3,00,000 / ₹0 / ₹0" in row_html  # lakh grouping, not 300,000
    assert "District Legal Services Authority" in row_html
    assert "DLSA/VC/118/2025" in row_html
    assert personas.person.display_name in row_html


def test_each_label_of_the_case_page_names_a_field_of_its_own_form(personas):
    # The application and the claim form both have a "Survivor": one id each, or the claim's
    # label would point at (and a screen reader announce) the application's field.
    page = _client(personas, "lead").get(reverse("entitlements:case", args=[personas.case.pk]))
    ids = Counter(re.findall(r'\sid="([^"]+)"', page.text))
    assert ids["claim-person"] == ids["application-person"] == 1
    assert [i for i, n in ids.items() if n > 1] == []
    assert 'for="claim-person"' in page.text
