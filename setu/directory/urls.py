from django.urls import path

from setu.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.service_list, name="service-list"),
    path("map/", views.service_map, name="service-map"),
    path("new/", views.service_create, name="service-create"),
    path("export/hsds/", views.export_hsds, name="export-hsds"),
    path("<uuid:service_id>/", views.service_detail, name="service-detail"),
    path("<uuid:service_id>/edit/", views.service_edit, name="service-edit"),
]
