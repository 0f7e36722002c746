"""The survivor's feedback pages, under /f/: no account, no cookie, nothing kept."""

from django.urls import path

from setu.feedback import views

app_name = "feedback_public"
urlpatterns = [
    path("", views.public_entry, name="entry"),
    path("<str:token>/", views.public_link, name="link"),
]
