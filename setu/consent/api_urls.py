from django.urls import path

from setu.consent import api

urlpatterns = [
    path(
        "persons/<uuid:person_id>/consents/",
        api.PersonConsentListApi.as_view(),
        name="person-consent-list",
    ),
    path(
        "consents/<uuid:consent_id>/withdraw/",
        api.ConsentWithdrawApi.as_view(),
        name="consent-withdraw",
    ),
]
