"""Registry pages. Objects by UUID; names and phones never appear in a URL (search is POST)."""

from django.urls import path

from setu.registry import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_list, name="person-list"),
    path("persons/new/", views.person_create, name="person-create"),
    path("persons/<uuid:person_id>/", views.person_detail, name="person-detail"),
    path("persons/<uuid:person_id>/edit/", views.person_edit, name="person-edit"),
    path("persons/<uuid:person_id>/archive/", views.person_archive, name="person-archive"),
    path("persons/<uuid:person_id>/aliases/add/", views.alias_add, name="alias-add"),
    path("aliases/<uuid:alias_id>/remove/", views.alias_remove, name="alias-remove"),
    path("persons/<uuid:person_id>/phones/add/", views.phone_add, name="phone-add"),
    path("phones/<uuid:phone_id>/remove/", views.phone_remove, name="phone-remove"),
    path("persons/<uuid:person_id>/addresses/add/", views.address_add, name="address-add"),
    path("addresses/<uuid:address_id>/remove/", views.address_remove, name="address-remove"),
    path("persons/<uuid:person_id>/documents/add/", views.document_add, name="document-add"),
    path("documents/<uuid:document_id>/remove/", views.document_remove, name="document-remove"),
    path(
        "persons/<uuid:person_id>/attachments/add/",
        views.person_attachment_add,
        name="person-attachment-add",
    ),
    path(
        "cases/<uuid:case_id>/attachments/add/",
        views.case_attachment_add,
        name="case-attachment-add",
    ),
    path(
        "attachments/<uuid:attachment_id>/", views.attachment_download, name="attachment-download"
    ),
    path(
        "attachments/<uuid:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment-delete",
    ),
    path("places/districts/", views.district_options, name="district-options"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<uuid:case_id>/edit/", views.case_edit, name="case-edit"),
    path("cases/<uuid:case_id>/close/", views.case_close, name="case-close"),
    path("cases/<uuid:case_id>/persons/add/", views.case_add_person, name="case-add-person"),
    path("cases/<uuid:case_id>/events/add/", views.event_add, name="event-add"),
    path("events/<uuid:event_id>/edit/", views.event_edit, name="event-edit"),
    path("cases/<uuid:case_id>/services/add/", views.service_add, name="service-add"),
    path("services/<uuid:service_id>/edit/", views.service_edit, name="service-edit"),
    path("cases/<uuid:case_id>/notes/add/", views.note_add, name="note-add"),
    path("cases/<uuid:case_id>/exploitation/", views.exploitation_edit, name="exploitation-edit"),
    path(
        "cases/<uuid:case_id>/control-means/",
        views.control_means_edit,
        name="control-means-edit",
    ),
]
