from django.urls import path

from setu.registry import api

urlpatterns = [
    path("persons/", api.PersonListApi.as_view(), name="person-list"),
    path("persons/search/", api.PersonSearchApi.as_view(), name="person-search"),
    path("persons/<uuid:person_id>/", api.PersonDetailApi.as_view(), name="person-detail"),
    path(
        "persons/<uuid:person_id>/aliases/",
        api.PersonAliasCreateApi.as_view(),
        name="person-alias-create",
    ),
    path(
        "persons/<uuid:person_id>/documents/",
        api.PersonDocumentCreateApi.as_view(),
        name="person-document-create",
    ),
    path(
        "persons/<uuid:person_id>/phones/",
        api.PersonPhoneCreateApi.as_view(),
        name="person-phone-create",
    ),
    path(
        "persons/<uuid:person_id>/addresses/",
        api.PersonAddressCreateApi.as_view(),
        name="person-address-create",
    ),
    path(
        "persons/<uuid:person_id>/attachments/",
        api.PersonAttachmentListApi.as_view(),
        name="person-attachment-list",
    ),
    path("cases/", api.CaseListApi.as_view(), name="case-list"),
    path("cases/<uuid:case_id>/", api.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<uuid:case_id>/events/", api.CaseEventListApi.as_view(), name="case-event-list"),
    path(
        "cases/<uuid:case_id>/attachments/",
        api.CaseAttachmentListApi.as_view(),
        name="case-attachment-list",
    ),
    path(
        "attachments/<uuid:attachment_id>/",
        api.AttachmentDetailApi.as_view(),
        name="attachment-detail",
    ),
    path(
        "attachments/<uuid:attachment_id>/file/",
        api.AttachmentFileApi.as_view(),
        name="attachment-file",
    ),
]
