"""Inbox pages."""

from django.urls import path

from setu.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("<uuid:notification_id>/read/", views.notification_read, name="read"),
    path("preferences/", views.preferences, name="preferences"),
]
