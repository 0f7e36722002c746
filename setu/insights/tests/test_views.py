from django.urls import reverse


def test_overview_page_shows_counts_not_names(client, personas):
    client.force_login(personas.users["analyst"])
    response = client.get(reverse("insights:overview"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Network statistics" in body
    assert personas.person.given_name not in body
