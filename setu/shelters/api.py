"""Shelter API: capacity (read by every member, counters changed by the shelter) and bed holds."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setu.access import policy
from setu.access.actor import Actor, actor_of
from setu.access.api import ScopedListApi
from setu.access.policy import Action
from setu.shelters import selectors, services
from setu.shelters.models import BedGroup, BedHold, ReleaseReason
from setu.shelters.serializers import AdjustIn, BedGroupOut, HoldIn, HoldOut


@extend_schema(tags=["shelters"])
class CapacityListApi(ScopedListApi):
    """GET: bed groups of the network with live free counts (filters: state, district, kind)."""

    model = BedGroup
    serializer_class = BedGroupOut
    filter_backends: list[Any] = []

    def scoped(self, actor: Actor) -> QuerySet[BedGroup]:
        policy.require_allowed(actor, Action.VIEW, "shelters.bedgroup")
        params = self.request.query_params
        return selectors.bed_group_list(
            actor=actor,
            state_id=int(params["state"]) if params.get("state", "").isdigit() else None,
            district_id=int(params["district"]) if params.get("district", "").isdigit() else None,
            kind=params.get("kind", ""),
            only_free=params.get("only_free") == "true",
        )


@extend_schema(tags=["shelters"])
class CapacityAdjustApi(APIView):
    """POST: add or take one from a counter of the actor's own shelter; refused if it overbooks."""

    @extend_schema(request=AdjustIn, responses=BedGroupOut)
    def post(self, request: Request, bed_group_id: UUID) -> Response:
        actor = actor_of(request)
        group = selectors.bed_group_get(actor=actor, bed_group_id=bed_group_id, action=Action.EDIT)
        data = AdjustIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.bed_group_adjust(actor=actor, bed_group=group, **data.validated_data)
        fresh = selectors.bed_group_get(actor=actor, bed_group_id=bed_group_id)
        return Response(BedGroupOut(fresh).data)


@extend_schema(tags=["shelters"])
class HoldListApi(ScopedListApi):
    """GET: holds made by the actor's organisation or on its beds. POST: hold a bed."""

    model = BedHold
    serializer_class = HoldOut
    filter_backends: list[Any] = []

    def scoped(self, actor: Actor) -> QuerySet[BedHold]:
        policy.require_allowed(actor, Action.VIEW, "shelters.bedhold")
        return selectors.bed_hold_list(actor=actor)

    @extend_schema(request=HoldIn, responses={201: HoldOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = HoldIn(data=request.data)
        data.is_valid(raise_exception=True)
        referral = selectors.referral_for_hold(
            actor=actor, referral_id=data.validated_data["referral"]
        )
        group = selectors.bed_group_get(actor=actor, bed_group_id=data.validated_data["bed_group"])
        hold = services.bed_hold_create(
            actor=actor,
            referral=referral,
            bed_group=group,
            confirm_misfit=data.validated_data["confirm_misfit"],
        )
        return Response(HoldOut(hold).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["shelters"])
class HoldDetailApi(APIView):
    """GET: one hold."""

    @extend_schema(responses=HoldOut)
    def get(self, request: Request, hold_id: UUID) -> Response:
        return Response(
            HoldOut(selectors.bed_hold_get(actor=actor_of(request), hold_id=hold_id)).data
        )


@extend_schema(tags=["shelters"])
class HoldReleaseApi(APIView):
    """POST: give the held bed back (the holder or the shelter)."""

    @extend_schema(request=None, responses=HoldOut)
    def post(self, request: Request, hold_id: UUID) -> Response:
        actor = actor_of(request)
        hold = selectors.bed_hold_get(actor=actor, hold_id=hold_id)
        by_shelter = policy.can(actor, Action.EDIT, hold.bed_group)
        reason = ReleaseReason.BY_SHELTER if by_shelter else ReleaseReason.BY_HOLDER
        hold = services.bed_hold_release(actor=actor, hold=hold, reason=reason)
        return Response(HoldOut(hold).data)


@extend_schema(tags=["shelters"])
class HoldAdmitApi(APIView):
    """POST: the shelter confirms the person arrived; the held bed becomes occupied."""

    @extend_schema(request=None, responses=HoldOut)
    def post(self, request: Request, hold_id: UUID) -> Response:
        actor = actor_of(request)
        hold = selectors.bed_hold_get(actor=actor, hold_id=hold_id)
        services.bed_hold_admit(actor=actor, hold=hold)
        return Response(HoldOut(selectors.bed_hold_get(actor=actor, hold_id=hold_id)).data)
