"""Legal API: proceedings, accused and verdicts, protection measures, hearings, the calendar,
statutory periods and the case bundle; scoped and audited like the pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from setu.access.actor import Actor, actor_of
from setu.access.api import ScopedListApi
from setu.access.policy import Action
from setu.core.api import valid_input
from setu.core.errors import InvalidInput
from setu.legal import selectors, services
from setu.legal.models import Proceeding
from setu.legal.serializers import (
    AccusedIn,
    AccusedOut,
    AppealIn,
    AppealOut,
    CalendarHearingOut,
    DeadlineOut,
    HearingIn,
    HearingOut,
    HearingOutcomeIn,
    HearingPatchIn,
    JudgmentIn,
    JudgmentOut,
    MeasureIn,
    MeasureOut,
    OutcomesOut,
    OutcomesQuery,
    PlainStatusOut,
    PlainStatusSentOut,
    ProceedingCreateIn,
    ProceedingDetailOut,
    ProceedingIn,
    ProceedingOut,
    WitnessPlanIn,
    WitnessPlanOut,
)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "district" in values:
        values["district_id"] = values.pop("district")
    return values


@extend_schema(tags=["legal"])
class ProceedingListApi(ScopedListApi):
    """GET: proceedings the actor may see. POST: open a proceeding of a case."""

    model = Proceeding
    serializer_class = ProceedingOut
    filter_backends: list[Any] = []

    def scoped(self, actor: Actor) -> QuerySet[Proceeding]:
        selectors.require_reader(actor=actor)
        return selectors.proceeding_list(actor=actor)

    @extend_schema(request=ProceedingCreateIn, responses={201: ProceedingDetailOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = valid_input(ProceedingCreateIn, request.data)
        values = _values(data)
        case = selectors.case_for_legal(actor=actor, case_id=values.pop("case"))
        proceeding = services.proceeding_create(
            actor=actor, case=case, legal_officer_id=actor.user.pk, **values
        )
        fresh = selectors.proceeding_get(actor=actor, proceeding_id=proceeding.pk)
        return Response(ProceedingDetailOut(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["legal"])
class ProceedingDetailApi(APIView):
    """GET: one proceeding with accused, verdicts, measures and hearings. PATCH: change it."""

    @extend_schema(responses=ProceedingDetailOut)
    def get(self, request: Request, proceeding_id: UUID) -> Response:
        proceeding = selectors.proceeding_get(actor=actor_of(request), proceeding_id=proceeding_id)
        return Response(ProceedingDetailOut(proceeding).data)

    @extend_schema(request=ProceedingIn, responses=ProceedingDetailOut)
    def patch(self, request: Request, proceeding_id: UUID) -> Response:
        actor = actor_of(request)
        proceeding = selectors.proceeding_get(
            actor=actor, proceeding_id=proceeding_id, action=Action.EDIT
        )
        data = valid_input(ProceedingIn, request.data, partial=True)
        services.proceeding_update(actor=actor, proceeding=proceeding, **_values(data))
        fresh = selectors.proceeding_get(actor=actor, proceeding_id=proceeding_id)
        return Response(ProceedingDetailOut(fresh).data)


def _add_api(
    name: str,
    doc: str,
    *,
    get: Callable[[Actor, UUID], Any],
    add: Callable[[Actor, Any, dict[str, Any]], Any],
    given: type[Serializer],
    out: type[Serializer],
) -> type[APIView]:
    """An API view that adds (POST, 201) one entry under a proceeding or an accused; ``get``
    reads the parent for EDIT, so it refuses an actor who may not write the proceeding."""

    @extend_schema(tags=["legal"])
    class AddApi(APIView):
        @extend_schema(request=given, responses={201: out})
        def post(self, request: Request, **kwargs: UUID) -> Response:
            actor = actor_of(request)
            parent = get(actor, *kwargs.values())
            data = valid_input(given, request.data)
            return Response(out(add(actor, parent, data)).data, status=status.HTTP_201_CREATED)

    AddApi.__name__ = AddApi.__qualname__ = name
    AddApi.__doc__ = doc
    return AddApi


def _proceeding_for_edit(actor: Actor, pk: UUID) -> Proceeding:
    return selectors.proceeding_get(actor=actor, proceeding_id=pk, action=Action.EDIT)


AccusedApi = _add_api(
    "AccusedApi",
    "POST: add an accused to a proceeding.",
    get=_proceeding_for_edit,
    add=lambda actor, proceeding, data: services.accused_add(
        actor=actor, proceeding=proceeding, **data
    ),
    given=AccusedIn,
    out=AccusedOut,
)

JudgmentApi = _add_api(
    "JudgmentApi",
    "POST: record the verdict on one accused for one section.",
    get=lambda actor, pk: selectors.accused_get(actor=actor, accused_id=pk, action=Action.EDIT),
    add=lambda actor, accused, data: services.judgment_record(actor=actor, accused=accused, **data),
    given=JudgmentIn,
    out=JudgmentOut,
)

MeasureApi = _add_api(
    "MeasureApi",
    "POST: record a protection measure.",
    get=_proceeding_for_edit,
    add=lambda actor, proceeding, data: services.measure_add(
        actor=actor, proceeding=proceeding, **data
    ),
    given=MeasureIn,
    out=MeasureOut,
)

HearingAddApi = _add_api(
    "HearingAddApi",
    "POST: add a hearing to a proceeding.",
    get=_proceeding_for_edit,
    add=lambda actor, proceeding, data: services.hearing_add(
        actor=actor, proceeding=proceeding, **data
    ),
    given=HearingIn,
    out=HearingOut,
)


def _appeal_values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    for name in ("state", "district", "appeal_from"):
        if name in values:
            values[f"{name}_id"] = values.pop(name)
    return values


AppealApi = _add_api(
    "AppealApi",
    """POST: record an appeal against verdicts of a criminal proceeding (appellate court, its
    eCourts CNR number, who appealed, the verdicts' ids, the filing date, the outcome).""",
    get=_proceeding_for_edit,
    add=lambda actor, proceeding, data: services.appeal_file(
        actor=actor, proceeding=proceeding, **_appeal_values(data)
    ),
    given=AppealIn,
    out=AppealOut,
)


@extend_schema(tags=["legal"])
class HearingOutcomeApi(APIView):
    """POST: record what happened at a hearing and the next date."""

    @extend_schema(request=HearingOutcomeIn, responses=HearingOut)
    def post(self, request: Request, hearing_id: UUID) -> Response:
        actor = actor_of(request)
        hearing = selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
        data = valid_input(HearingOutcomeIn, request.data)
        hearing = services.hearing_record(actor=actor, hearing=hearing, **data)
        return Response(HearingOut(hearing).data)


def _correction_api(
    name: str,
    doc: str,
    *,
    get: Callable[[Actor, UUID], Any],
    update: Callable[[Actor, Any, dict[str, Any]], Any],
    remove: Callable[[Actor, Any], None],
    given: type[Serializer],
    out: type[Serializer],
) -> type[APIView]:
    """An API view that corrects (PATCH) or removes (DELETE) one entry of a proceeding: the
    accused, a protection measure, a hearing. Each entry differs only in its selector, its
    services and its shapes; the checks (EDIT on the proceeding), the partial validation and the
    answers are the same, so they are written once here. ``get`` is called with EDIT already
    meant: it must refuse an actor who may not write the proceeding."""

    @extend_schema(tags=["legal"])
    class CorrectionApi(APIView):
        @extend_schema(request=given, responses=out)
        def patch(self, request: Request, **kwargs: UUID) -> Response:
            actor = actor_of(request)
            entry = get(actor, *kwargs.values())
            data = valid_input(given, request.data, partial=True)
            return Response(out(update(actor, entry, data)).data)

        @extend_schema(responses={204: None})
        def delete(self, request: Request, **kwargs: UUID) -> Response:
            actor = actor_of(request)
            remove(actor, get(actor, *kwargs.values()))
            return Response(status=status.HTTP_204_NO_CONTENT)

    CorrectionApi.__name__ = CorrectionApi.__qualname__ = name
    CorrectionApi.__doc__ = doc
    return CorrectionApi


AccusedDetailApi = _correction_api(
    "AccusedDetailApi",
    """PATCH: correct an accused's name, arrest, bail or custody. DELETE: remove an accused
    entered in error, with the verdicts on them.""",
    get=lambda actor, pk: selectors.accused_get(actor=actor, accused_id=pk, action=Action.EDIT),
    update=lambda actor, entry, data: services.accused_update(actor=actor, accused=entry, **data),
    remove=lambda actor, entry: services.accused_delete(actor=actor, accused=entry),
    given=AccusedIn,
    out=AccusedOut,
)

MeasureDetailApi = _correction_api(
    "MeasureDetailApi",
    "PATCH: correct a protection measure. DELETE: remove one entered in error.",
    get=lambda actor, pk: selectors.measure_get(actor=actor, measure_id=pk, action=Action.EDIT),
    update=lambda actor, entry, data: services.measure_update(actor=actor, measure=entry, **data),
    remove=lambda actor, entry: services.measure_delete(actor=actor, measure=entry),
    given=MeasureIn,
    out=MeasureOut,
)

HearingDetailApi = _correction_api(
    "HearingDetailApi",
    """PATCH: correct a hearing (date, court, purpose, attendance, outcome and reason).
    DELETE: remove one entered in error; the proceeding's next date follows.""",
    get=lambda actor, pk: selectors.hearing_get(actor=actor, hearing_id=pk, action=Action.EDIT),
    update=lambda actor, entry, data: services.hearing_update(actor=actor, hearing=entry, **data),
    remove=lambda actor, entry: services.hearing_delete(actor=actor, hearing=entry),
    given=HearingPatchIn,
    out=HearingOut,
)

AppealDetailApi = _correction_api(
    "AppealDetailApi",
    """PATCH: correct an appeal or record the higher court's decision (status, decided_on).
    DELETE: remove one entered in error; the proceeding's stage follows.""",
    get=lambda actor, pk: selectors.appeal_get(actor=actor, appeal_id=pk, action=Action.EDIT),
    update=lambda actor, entry, data: services.appeal_update(
        actor=actor, appeal=entry, **_appeal_values(data)
    ),
    remove=lambda actor, entry: services.appeal_delete(actor=actor, appeal=entry),
    given=AppealIn,
    out=AppealOut,
)


@extend_schema(tags=["legal"])
class WitnessPlanApi(APIView):
    """GET: a hearing's inter-state witness plan (404 before one is made; audited). PUT: make
    or change it (the proceeding's writers; audited)."""

    @extend_schema(responses=WitnessPlanOut)
    def get(self, request: Request, hearing_id: UUID) -> Response:
        _hearing, plan = selectors.witness_plan_get(actor=actor_of(request), hearing_id=hearing_id)
        if plan is None:
            return Response(
                {"detail": _("No witness plan has been made for this hearing.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(WitnessPlanOut(plan).data)

    @extend_schema(request=WitnessPlanIn, responses=WitnessPlanOut)
    def put(self, request: Request, hearing_id: UUID) -> Response:
        actor = actor_of(request)
        hearing = selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
        data = valid_input(WitnessPlanIn, request.data)
        plan = services.witness_plan_save(actor=actor, hearing=hearing, **data)
        return Response(WitnessPlanOut(plan).data)


@extend_schema(tags=["legal"])
class PlainStatusApi(APIView):
    """GET: where her case stands in plain words, to read out (no names). POST: send it to her
    by SMS in her language, only when she agreed to SMS (else 403, nothing sent); audited."""

    @extend_schema(responses=PlainStatusOut)
    def get(self, request: Request, proceeding_id: UUID) -> Response:
        actor = actor_of(request)
        proceeding = selectors.proceeding_get(actor=actor, proceeding_id=proceeding_id)
        code, _name = selectors.her_language(proceeding)
        data = {
            "status": selectors.plain_status(proceeding),
            "language": code,
            "status_in_her_language": (
                selectors.plain_status(proceeding, language=code) if code else None
            ),
            "can_send": selectors.can_send_status(actor=actor, proceeding=proceeding),
        }
        return Response(PlainStatusOut(data).data)

    @extend_schema(request=None, responses={202: PlainStatusSentOut})
    def post(self, request: Request, proceeding_id: UUID) -> Response:
        actor = actor_of(request)
        proceeding = selectors.proceeding_get(
            actor=actor, proceeding_id=proceeding_id, action=Action.SEND_MESSAGE
        )
        services.plain_status_send(actor=actor, proceeding=proceeding)
        code, _name = selectors.her_language(proceeding)
        return Response(
            PlainStatusSentOut({"language": code}).data, status=status.HTTP_202_ACCEPTED
        )


@extend_schema(tags=["legal"])
class CalendarApi(APIView):
    """GET: the actor's hearings in one month (``month=YYYY-MM``; ``all=1`` for every
    proceeding the actor may see, not only those assigned to her)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM"),
            OpenApiParameter("all", OpenApiTypes.BOOL),
        ],
        responses=CalendarHearingOut(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        selectors.require_reader(actor=actor)
        raw = request.query_params.get("month", "")
        try:
            first = datetime.datetime.strptime(raw, "%Y-%m").date() if raw else None
        except ValueError as exc:
            raise InvalidInput({"month": ["YYYY-MM"]}) from exc
        first = first or datetime.date.today().replace(day=1)
        days = selectors.calendar_month(
            actor=actor,
            year=first.year,
            month=first.month,
            mine=request.query_params.get("all") not in ("1", "true"),
        )
        hearings = [h for d in days for h in d.hearings]
        return Response(CalendarHearingOut(hearings, many=True).data)


@extend_schema(tags=["legal"])
class DeadlineApi(APIView):
    """GET: statutory periods of the actor's open proceedings that ran out or soon will."""

    @extend_schema(responses=DeadlineOut(many=True))
    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        selectors.require_reader(actor=actor)
        return Response(DeadlineOut(selectors.deadline_list(actor=actor), many=True).data)


@extend_schema(tags=["legal"])
class BundleApi(APIView):
    """GET: the legal timeline of a proceeding, watermarked and audited as an export."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, proceeding_id: UUID) -> Response:
        data = selectors.bundle(actor=actor_of(request), proceeding_id=proceeding_id)
        return Response(data)


@extend_schema(tags=["legal"])
class OutcomesApi(APIView):
    """GET: outcome statistics per state, district, police station or court (``by``), for all
    years or one (``year``, of the FIR or of the judgment: ``year_of``): criminal cases by
    stage, conviction rates and stage durations, adjournments by reason, and appeals filed,
    pending and decided by outcome. The same counts as the outcome pages, suppressed the same
    way (cells under 11 with other organisations' cases hidden: null); audited."""

    @extend_schema(parameters=[OutcomesQuery], responses=OutcomesOut)
    def get(self, request: Request) -> Response:
        filters = valid_input(OutcomesQuery, request.query_params)
        if filters.get("year") and filters["year"] not in selectors.outcome_years():
            raise InvalidInput({"year": [_("No statistics for a year still to come.")]})
        data = selectors.outcomes_read(actor=actor_of(request), channel="api", **filters)
        return Response(OutcomesOut(selectors.outcomes_payload(data)).data)
