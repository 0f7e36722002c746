from django.urls import path

from setu.shelters import views

app_name = "shelters"
urlpatterns = [
    path("", views.capacity_board, name="capacity-board"),
    path("manage/", views.manage, name="manage"),
    path("beds/new/", views.bed_group_create, name="bed-group-create"),
    path("beds/<uuid:bed_group_id>/", views.bed_group_edit, name="bed-group-edit"),
    path("beds/<uuid:bed_group_id>/adjust/", views.bed_group_adjust, name="bed-group-adjust"),
    path("beds/<uuid:bed_group_id>/counts/", views.bed_group_counts, name="bed-group-counts"),
    path("beds/<uuid:bed_group_id>/confirm/", views.bed_group_confirm, name="bed-group-confirm"),
    path("holds/", views.hold_list, name="hold-list"),
    path("holds/new/<uuid:referral_id>/", views.hold_create, name="hold-create"),
    path("holds/<uuid:hold_id>/", views.hold_detail, name="hold-detail"),
    path("holds/<uuid:hold_id>/release/", views.hold_release, name="hold-release"),
    path("holds/<uuid:hold_id>/rehold/", views.hold_rehold, name="hold-rehold"),
    path("holds/<uuid:hold_id>/admit/", views.hold_admit, name="hold-admit"),
    path("admit/", views.stay_create, name="stay-create"),
    path("admit/<uuid:case_id>/", views.stay_create, name="stay-create-for-case"),
    path("stays/<uuid:stay_id>/discharge/", views.stay_discharge, name="stay-discharge"),
    path("unmet/", views.unmet_record, name="unmet-record"),
    path("network/", views.network, name="network"),
]
