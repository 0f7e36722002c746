from django.urls import path

from setu.directory import api

urlpatterns = [
    path("services/", api.ServiceListApi.as_view(), name="directory-service-list"),
    path(
        "services/<uuid:service_id>/",
        api.ServiceDetailApi.as_view(),
        name="directory-service-detail",
    ),
    path("directory/hsds/", api.HsdsExportApi.as_view(), name="directory-hsds"),
]
