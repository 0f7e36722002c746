"""Legal API: proceedings, accused and verdicts, protection measures, hearings, the calendar,
statutory periods and the case bundle; scoped and audited like the pages."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
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
    DeadlineOut,
    HearingIn,
    HearingOut,
    HearingOutcomeIn,
    HearingPatchIn,
    JudgmentIn,
    JudgmentOut,
    MeasureIn,
    MeasureOut,
    ProceedingCreateIn,
    ProceedingDetailOut,
    ProceedingIn,
    ProceedingOut,
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


@extend_schema(tags=["legal"])
class AccusedApi(APIView):
    """POST: add an accused to a proceeding."""

    @extend_schema(request=AccusedIn, responses={201: AccusedOut})
    def post(self, request: Request, proceeding_id: UUID) -> Response:
        actor = actor_of(request)
        proceeding = selectors.proceeding_get(
            actor=actor, proceeding_id=proceeding_id, action=Action.EDIT
        )
        data = valid_input(AccusedIn, request.data)
        accused = services.accused_add(actor=actor, proceeding=proceeding, **data)
        return Response(AccusedOut(accused).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["legal"])
class JudgmentApi(APIView):
    """POST: record the verdict on one accused for one section."""

    @extend_schema(request=JudgmentIn, responses={201: JudgmentOut})
    def post(self, request: Request, accused_id: UUID) -> Response:
        actor = actor_of(request)
        accused = selectors.accused_get(actor=actor, accused_id=accused_id, action=Action.EDIT)
        data = valid_input(JudgmentIn, request.data)
        judgment = services.judgment_record(actor=actor, accused=accused, **data)
        return Response(JudgmentOut(judgment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["legal"])
class MeasureApi(APIView):
    """POST: record a protection measure."""

    @extend_schema(request=MeasureIn, responses={201: MeasureOut})
    def post(self, request: Request, proceeding_id: UUID) -> Response:
        actor = actor_of(request)
        proceeding = selectors.proceeding_get(
            actor=actor, proceeding_id=proceeding_id, action=Action.EDIT
        )
        data = valid_input(MeasureIn, request.data)
        measure = services.measure_add(actor=actor, proceeding=proceeding, **data)
        return Response(MeasureOut(measure).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["legal"])
class HearingAddApi(APIView):
    """POST: add a hearing to a proceeding."""

    @extend_schema(request=HearingIn, responses={201: HearingOut})
    def post(self, request: Request, proceeding_id: UUID) -> Response:
        actor = actor_of(request)
        proceeding = selectors.proceeding_get(
            actor=actor, proceeding_id=proceeding_id, action=Action.EDIT
        )
        data = valid_input(HearingIn, request.data)
        hearing = services.hearing_add(actor=actor, proceeding=proceeding, **data)
        return Response(HearingOut(hearing).data, status=status.HTTP_201_CREATED)


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


@extend_schema(tags=["legal"])
class AccusedDetailApi(APIView):
    """PATCH: correct an accused's name, arrest, bail or custody. DELETE: remove an accused
    entered in error, with the verdicts on them."""

    @extend_schema(request=AccusedIn, responses=AccusedOut)
    def patch(self, request: Request, accused_id: UUID) -> Response:
        actor = actor_of(request)
        accused = selectors.accused_get(actor=actor, accused_id=accused_id, action=Action.EDIT)
        data = valid_input(AccusedIn, request.data, partial=True)
        return Response(
            AccusedOut(services.accused_update(actor=actor, accused=accused, **data)).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request: Request, accused_id: UUID) -> Response:
        actor = actor_of(request)
        accused = selectors.accused_get(actor=actor, accused_id=accused_id, action=Action.EDIT)
        services.accused_delete(actor=actor, accused=accused)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["legal"])
class MeasureDetailApi(APIView):
    """PATCH: correct a protection measure. DELETE: remove one entered in error."""

    @extend_schema(request=MeasureIn, responses=MeasureOut)
    def patch(self, request: Request, measure_id: UUID) -> Response:
        actor = actor_of(request)
        measure = selectors.measure_get(actor=actor, measure_id=measure_id, action=Action.EDIT)
        data = valid_input(MeasureIn, request.data, partial=True)
        return Response(
            MeasureOut(services.measure_update(actor=actor, measure=measure, **data)).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request: Request, measure_id: UUID) -> Response:
        actor = actor_of(request)
        measure = selectors.measure_get(actor=actor, measure_id=measure_id, action=Action.EDIT)
        services.measure_delete(actor=actor, measure=measure)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["legal"])
class HearingDetailApi(APIView):
    """PATCH: correct a hearing (date, court, purpose, attendance, outcome and reason).
    DELETE: remove one entered in error; the proceeding's next date follows."""

    @extend_schema(request=HearingPatchIn, responses=HearingOut)
    def patch(self, request: Request, hearing_id: UUID) -> Response:
        actor = actor_of(request)
        hearing = selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
        data = valid_input(HearingPatchIn, request.data, partial=True)
        return Response(
            HearingOut(services.hearing_update(actor=actor, hearing=hearing, **data)).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request: Request, hearing_id: UUID) -> Response:
        actor = actor_of(request)
        hearing = selectors.hearing_get(actor=actor, hearing_id=hearing_id, action=Action.EDIT)
        services.hearing_delete(actor=actor, hearing=hearing)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["legal"])
class CalendarApi(APIView):
    """GET: the actor's hearings in one month (``month=YYYY-MM``; ``all=1`` for every
    proceeding the actor may see, not only those assigned to her)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM"),
            OpenApiParameter("all", OpenApiTypes.BOOL),
        ],
        responses=HearingOut(many=True),
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
        return Response(HearingOut([h for d in days for h in d.hearings], many=True).data)


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
