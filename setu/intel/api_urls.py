from django.urls import path

from setu.intel import api

urlpatterns = [
    path("intel/cases/<uuid:case_id>/", api.CaseIntelApi.as_view(), name="intel-case"),
    path(
        "intel/cases/<uuid:case_id>/perpetrators/",
        api.PerpetratorAddApi.as_view(),
        name="intel-perpetrator-add",
    ),
    path(
        "intel/cases/<uuid:case_id>/identifiers/",
        api.IdentifierAddApi.as_view(),
        name="intel-identifier-add",
    ),
    path("intel/cases/<uuid:case_id>/graph/", api.GraphApi.as_view(), name="intel-graph"),
    path(
        "intel/perpetrators/<uuid:perpetrator_id>/",
        api.PerpetratorApi.as_view(),
        name="intel-perpetrator",
    ),
    path(
        "intel/perpetrators/<uuid:perpetrator_id>/merge/",
        api.PerpetratorMergeApi.as_view(),
        name="intel-perpetrator-merge",
    ),
    path(
        "intel/identifiers/<uuid:identifier_id>/",
        api.IdentifierApi.as_view(),
        name="intel-identifier",
    ),
    path("intel/crossrefs/", api.CrossRefApi.as_view(), name="intel-crossrefs"),
    path("intel/search/", api.SearchApi.as_view(), name="intel-search"),
    path("intel/counts/", api.CountsApi.as_view(), name="intel-counts"),
    path("intel/agreements/", api.AgreementListApi.as_view(), name="intel-agreement-list"),
    path(
        "intel/agreements/<uuid:agreement_id>/accept/",
        api.AgreementAcceptApi.as_view(),
        name="intel-agreement-accept",
    ),
    path(
        "intel/agreements/<uuid:agreement_id>/withdraw/",
        api.AgreementWithdrawApi.as_view(),
        name="intel-agreement-withdraw",
    ),
]
