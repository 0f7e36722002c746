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
    path("subjects/", views.subject_list, name="subject-list"),
    path("subjects/new/", views.subject_form, name="subject-create"),
    path("subjects/<uuid:subject_id>/", views.subject_form, name="subject-edit"),
    path("complaint-desks/", views.complaint_desks, name="complaint-desks"),
    path(
        "complaint-desks/<uuid:desk_id>/<slug:what>/",
        views.complaint_desk_act,
        name="complaint-desk-act",
    ),
]
