import pytest
from django.urls import reverse


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.context["home"], response.content.decode()


def test_caseworker_sees_cases_and_can_record(client, personas):
    personas.case.case_owner = personas.users["lead"]
    personas.case.save()
    home, _ = _home(client, personas.users["lead"])
    assert home.case_counts["Active"] == 1
    assert [c.pk for c in home.my_cases] == [personas.case.pk]
    assert home.can_create_person and home.can_create_case
    assert home.overview is None and not home.views_audit


def test_analyst_sees_only_aggregates(client, personas):
    home, body = _home(client, personas.users["analyst"])
    assert home.case_counts is None and home.my_cases == []
    assert home.overview is not None
    assert personas.case.reference not in body


def test_org_admin_sees_administration(client, personas):
    home, _ = _home(client, personas.users["org_admin"])
    assert home.manages_members and home.views_audit


@pytest.mark.parametrize("who", ["platform_admin", "coordinator", "counsellor", "partner"])
def test_every_persona_gets_a_home_page(client, personas, who):
    _home(client, personas.users[who])


def test_platform_admin_sees_no_case_data(client, personas):
    home, body = _home(client, personas.users["platform_admin"])
    assert home.case_counts is None and home.overview is None
    assert personas.case.reference not in body


def test_the_stylesheet_and_htmx_are_served_by_setu_itself(client):
    from django.contrib.staticfiles import finders

    assert finders.find("setu/setu.css"), "the stylesheet is not in any static directory"
    assert finders.find("setu/favicon.svg")
    page = client.get(reverse("account_login")).content.decode()
    assert '/static/setu/setu.css"' in page
    assert "/static/django_htmx/" in page
