from django.urls import path

from setu.legal import api

urlpatterns = [
    path("legal/proceedings/", api.ProceedingListApi.as_view(), name="legal-proceeding-list"),
    path(
        "legal/proceedings/<uuid:proceeding_id>/",
        api.ProceedingDetailApi.as_view(),
        name="legal-proceeding-detail",
    ),
    path(
        "legal/proceedings/<uuid:proceeding_id>/accused/",
        api.AccusedApi.as_view(),
        name="legal-accused-add",
    ),
    path(
        "legal/accused/<uuid:accused_id>/judgments/",
        api.JudgmentApi.as_view(),
        name="legal-judgment-add",
    ),
    path(
        "legal/proceedings/<uuid:proceeding_id>/measures/",
        api.MeasureApi.as_view(),
        name="legal-measure-add",
    ),
    path(
        "legal/proceedings/<uuid:proceeding_id>/hearings/",
        api.HearingAddApi.as_view(),
        name="legal-hearing-add",
    ),
    path(
        "legal/hearings/<uuid:hearing_id>/outcome/",
        api.HearingOutcomeApi.as_view(),
        name="legal-hearing-outcome",
    ),
    path(
        "legal/accused/<uuid:accused_id>/",
        api.AccusedDetailApi.as_view(),
        name="legal-accused-detail",
    ),
    path(
        "legal/measures/<uuid:measure_id>/",
        api.MeasureDetailApi.as_view(),
        name="legal-measure-detail",
    ),
    path(
        "legal/hearings/<uuid:hearing_id>/",
        api.HearingDetailApi.as_view(),
        name="legal-hearing-detail",
    ),
    path(
        "legal/proceedings/<uuid:proceeding_id>/appeals/",
        api.AppealApi.as_view(),
        name="legal-appeal-add",
    ),
    path(
        "legal/appeals/<uuid:appeal_id>/",
        api.AppealDetailApi.as_view(),
        name="legal-appeal-detail",
    ),
    path(
        "legal/hearings/<uuid:hearing_id>/witness-plan/",
        api.WitnessPlanApi.as_view(),
        name="legal-witness-plan",
    ),
    path(
        "legal/proceedings/<uuid:proceeding_id>/status/",
        api.PlainStatusApi.as_view(),
        name="legal-plain-status",
    ),
    path("legal/calendar/", api.CalendarApi.as_view(), name="legal-calendar"),
    path("legal/deadlines/", api.DeadlineApi.as_view(), name="legal-deadlines"),
    path("legal/outcomes/", api.OutcomesApi.as_view(), name="legal-outcomes"),
    path(
        "legal/proceedings/<uuid:proceeding_id>/bundle/",
        api.BundleApi.as_view(),
        name="legal-bundle",
    ),
]
