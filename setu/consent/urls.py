"""Consent pages, mounted under /registry/ next to the person and case pages (paths unchanged
since they moved here from the registry)."""

from django.urls import path

from setu.consent import views

app_name = "consent"
urlpatterns = [
    path("persons/<uuid:person_id>/consents/add/", views.consent_record, name="consent-record"),
    path("consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("cases/<uuid:case_id>/share/", views.case_share, name="case-share"),
    path("shares/<uuid:share_id>/stop/", views.case_unshare, name="case-unshare"),
]
