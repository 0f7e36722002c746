from django.urls import path

from setu.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("export/", views.entry_export, name="entry-export"),
    path("person/<uuid:person_id>/", views.person_access, name="person-access"),
    path(
        "person/<uuid:person_id>/export.<str:fmt>",
        views.person_access_export,
        name="person-access-export",
    ),
    path("<slug:entry_hash>/", views.entry_detail, name="entry-detail"),
]
