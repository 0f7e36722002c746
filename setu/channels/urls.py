"""Webhooks of the phone adapters (POST only, authenticated by the shared secret)."""

from django.urls import path

from setu.channels import views

app_name = "channels"

urlpatterns = [
    path("sms/", views.sms, name="sms"),
    path("missed-call/", views.missed_call, name="missed-call"),
    path("rapidpro/", views.rapidpro, name="rapidpro"),
]
