"""Field operations API: plans, team, start and close, check-ins (tiny and idempotent),
alerts (claim, resolve), checklist steps and the network's lessons; scoped and audited like the
pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setu.access.actor import Actor, actor_of
from setu.access.api import ScopedListApi
from setu.access.policy import Action
from setu.core.api import valid_input
from setu.fieldops import selectors, services
from setu.fieldops.models import Operation
from setu.fieldops.serializers import (
    FieldOpAlertOut,
    FieldOpBedIn,
    FieldOpCheckInIn,
    FieldOpCheckInOut,
    FieldOpClaimOut,
    FieldOpLessonOut,
    FieldOpMemberIn,
    FieldOpMemberOut,
    FieldOpOperationDetailOut,
    FieldOpOperationIn,
    FieldOpOperationOut,
    FieldOpResolveIn,
    FieldOpStepIn,
    FieldOpStepStateOut,
)
from setu.orgs import selectors as orgs


def _plan(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "district" in values:
        values["district_id"] = values.pop("district")
    for name in ("receiving_shelter", "authority_org"):
        if values.get(name):
            values[name] = orgs.organisation_get(actor=actor, organisation_id=values[name])
    values["partner_orgs"] = [
        orgs.organisation_get(actor=actor, organisation_id=pk)
        for pk in values.pop("partner_orgs", [])
    ]
    return values


@extend_schema(tags=["fieldops"])
class OperationListApi(ScopedListApi):
    """GET: operations the actor may see (no places). POST: plan one (the actor leads it)."""

    model = Operation
    serializer_class = FieldOpOperationOut
    filter_backends: list[Any] = []

    def scoped(self, actor: Actor) -> QuerySet[Operation]:
        selectors.require_member(actor)
        return selectors.operation_list(actor=actor)

    @extend_schema(request=FieldOpOperationIn, responses={201: FieldOpOperationDetailOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = valid_input(FieldOpOperationIn, request.data)
        op = services.operation_create(actor=actor, **_plan(actor, data))
        view = selectors.operation_view(actor=actor, operation_id=op.pk)
        return Response(FieldOpOperationDetailOut(view).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["fieldops"])
class OperationDetailApi(APIView):
    """GET: one operation with its team (named as the viewer may see them), checklist and
    alerts; the place only for the team. Audited."""

    @extend_schema(responses=FieldOpOperationDetailOut)
    def get(self, request: Request, operation_id: UUID) -> Response:
        view = selectors.operation_view(actor=actor_of(request), operation_id=operation_id)
        return Response(FieldOpOperationDetailOut(view).data)


class _OperationAction(APIView):
    def act(self, actor: Actor, op: Operation) -> None:
        raise NotImplementedError

    @extend_schema(request=None, responses=FieldOpOperationDetailOut)
    def post(self, request: Request, operation_id: UUID) -> Response:
        actor = actor_of(request)
        op = selectors.operation_get(actor=actor, operation_id=operation_id, action=Action.EDIT)
        self.act(actor, op)
        view = selectors.operation_view(actor=actor, operation_id=operation_id)
        return Response(FieldOpOperationDetailOut(view).data)


@extend_schema(tags=["fieldops"])
class OperationStartApi(_OperationAction):
    """POST: start the operation: the escalation policy is frozen, the timers start."""

    def act(self, actor: Actor, op: Operation) -> None:
        services.operation_start(actor=actor, operation=op)


@extend_schema(tags=["fieldops"])
class OperationCloseApi(_OperationAction):
    """POST: close an operation under way (refused while an alert is open)."""

    def act(self, actor: Actor, op: Operation) -> None:
        services.operation_close(actor=actor, operation=op)


@extend_schema(tags=["fieldops"])
class BedHoldApi(APIView):
    """POST: hold a bed at the plan's receiving shelter for the persons the operation will
    bring (no referral yet); given back if the operation ends without an admission."""

    @extend_schema(request=FieldOpBedIn, responses=FieldOpOperationDetailOut)
    def post(self, request: Request, operation_id: UUID) -> Response:
        actor = actor_of(request)
        op = selectors.operation_get(actor=actor, operation_id=operation_id, action=Action.EDIT)
        data = valid_input(FieldOpBedIn, request.data)
        services.operation_hold_bed(actor=actor, operation=op, bed_group_id=data["bed_group"])
        view = selectors.operation_view(actor=actor, operation_id=operation_id)
        return Response(FieldOpOperationDetailOut(view).data)


@extend_schema(tags=["fieldops"])
class MemberAddApi(APIView):
    """POST: put a member of the lead or a partner organisation on the team (a partner
    organisation's admin: her own staff, in any role but team lead)."""

    @extend_schema(request=FieldOpMemberIn, responses={201: FieldOpMemberOut})
    def post(self, request: Request, operation_id: UUID) -> Response:
        actor = actor_of(request)
        op = selectors.operation_get(
            actor=actor, operation_id=operation_id, action=Action.MANAGE_MEMBERS
        )
        data = valid_input(FieldOpMemberIn, request.data)
        member = services.member_add(
            actor=actor,
            operation=op,
            user_id=data["user"],
            role=data["role"],
            phone=data.get("phone", ""),
            buddy_id=data.get("buddy"),
        )
        return Response(FieldOpMemberOut(member).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["fieldops"])
class CheckInApi(APIView):
    """POST: check in (or signal distress) on an operation under way. Send the same
    ``client_id`` again on a retry: it is recorded once. The answer is the same for the
    duress PIN as for a safe check-in."""

    @extend_schema(request=FieldOpCheckInIn, responses=FieldOpCheckInOut)
    def post(self, request: Request, operation_id: UUID) -> Response:
        actor = actor_of(request)
        seat = selectors.checkin_seat(actor=actor, operation_id=operation_id, audited=False)
        data = valid_input(FieldOpCheckInIn, request.data)
        result = services.checkin_record(
            actor=actor, member=seat, channel=services.Channel.API, **data
        )
        return Response(
            FieldOpCheckInOut({"received": True, "next_due_at": result.next_due_at}).data
        )


@extend_schema(tags=["fieldops"])
class AlertClaimApi(APIView):
    """POST: "I've got it": the first claim stops further paging."""

    @extend_schema(request=None, responses=FieldOpClaimOut)
    def post(self, request: Request, alert_id: UUID) -> Response:
        actor = actor_of(request)
        alert = selectors.alert_get(actor=actor, alert_id=alert_id, action=Action.RESPOND)
        alert, won = services.alert_claim(actor=actor, alert=alert)
        return Response(FieldOpClaimOut({"alert": alert, "claimed_by_you": won}).data)


@extend_schema(tags=["fieldops"])
class AlertResolveApi(APIView):
    """POST: close an alert as safe, false alarm or a real emergency handled."""

    @extend_schema(request=FieldOpResolveIn, responses=FieldOpAlertOut)
    def post(self, request: Request, alert_id: UUID) -> Response:
        actor = actor_of(request)
        alert = selectors.alert_get(actor=actor, alert_id=alert_id, action=Action.RESPOND)
        data = valid_input(FieldOpResolveIn, request.data)
        alert = services.alert_resolve(actor=actor, alert=alert, **data)
        return Response(FieldOpAlertOut(alert).data)


@extend_schema(tags=["fieldops"])
class StepApi(APIView):
    """POST: tick an SOP step done, or skip it with a reason."""

    @extend_schema(request=FieldOpStepIn, responses=FieldOpStepStateOut)
    def post(self, request: Request, step_id: UUID) -> Response:
        actor = actor_of(request)
        step = selectors.step_get(actor=actor, step_id=step_id)
        data = valid_input(FieldOpStepIn, request.data)
        step = services.step_tick(actor=actor, step=step, **data)
        return Response(FieldOpStepStateOut(step).data)


@extend_schema(tags=["fieldops"])
class LessonListApi(APIView):
    """GET: lessons from every organisation's debriefs, without names or places."""

    @extend_schema(responses=FieldOpLessonOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            FieldOpLessonOut(selectors.lesson_list(actor=actor_of(request)), many=True).data
        )
