from django.urls import path

from setu.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("items/<uuid:feedback_id>/", views.item, name="item"),
    path("items/<uuid:feedback_id>/<slug:what>/", views.item_act, name="item-act"),
    path("assisted/", views.assisted, name="assisted"),
    path("invite/", views.invite, name="invite"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("reports/", views.reports, name="reports"),
    path("changes/", views.change_notes, name="changes"),
]
