from django.urls import path

from setu.orgs import api

urlpatterns = [
    path("organisations/", api.OrganisationListApi.as_view(), name="organisation-list"),
    path(
        "organisations/<uuid:organisation_id>/",
        api.OrganisationDetailApi.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<uuid:organisation_id>/members/",
        api.OrganisationMemberListApi.as_view(),
        name="organisation-member-list",
    ),
]
