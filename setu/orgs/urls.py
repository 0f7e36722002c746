from django.urls import path

from setu.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("new/", views.organisation_create, name="organisation-create"),
    path("invitations/", views.invitation_list, name="invitation-list"),
    path(
        "invitations/<uuid:invitation_id>/accept/",
        views.invitation_accept,
        name="invitation-accept",
    ),
    path(
        "invitations/<uuid:invitation_id>/decline/",
        views.invitation_decline,
        name="invitation-decline",
    ),
    path("<uuid:organisation_id>/", views.organisation_detail, name="organisation-detail"),
    path("<uuid:organisation_id>/edit/", views.organisation_edit, name="organisation-edit"),
    path("<uuid:organisation_id>/members/", views.member_list, name="member-list"),
    path("<uuid:organisation_id>/members/add/", views.member_add, name="member-add"),
    path("members/<uuid:membership_id>/", views.member_edit, name="member-edit"),
    path(
        "members/<uuid:membership_id>/deactivate/",
        views.member_deactivate,
        name="member-deactivate",
    ),
    path(
        "members/<uuid:membership_id>/reactivate/",
        views.member_reactivate,
        name="member-reactivate",
    ),
]
