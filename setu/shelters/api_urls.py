from django.urls import path

from setu.shelters import api

urlpatterns = [
    path("shelters/capacity/", api.CapacityListApi.as_view(), name="shelters-capacity-list"),
    path(
        "shelters/capacity/<uuid:bed_group_id>/adjust/",
        api.CapacityAdjustApi.as_view(),
        name="shelters-capacity-adjust",
    ),
    path("shelters/holds/", api.HoldListApi.as_view(), name="shelters-hold-list"),
    path(
        "shelters/holds/<uuid:hold_id>/", api.HoldDetailApi.as_view(), name="shelters-hold-detail"
    ),
    path(
        "shelters/holds/<uuid:hold_id>/release/",
        api.HoldReleaseApi.as_view(),
        name="shelters-hold-release",
    ),
    path(
        "shelters/holds/<uuid:hold_id>/admit/",
        api.HoldAdmitApi.as_view(),
        name="shelters-hold-admit",
    ),
]
