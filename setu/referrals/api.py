"""Referral API: list and send, read (with what was shared), move through statuses, handover."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from setu.access.actor import actor_of
from setu.core.errors import InvalidInput
from setu.directory import selectors as directory
from setu.referrals import selectors, services
from setu.referrals.models import ReferralStatus
from setu.referrals.serializers import (
    EventOut,
    HandoverIn,
    ReferralCreateIn,
    ReferralDetailOut,
    ReferralOut,
    TransitionIn,
    shared_to_dict,
)


@extend_schema(tags=["referrals"])
class ReferralListApi(APIView):
    """GET: referrals of one's organisation (``?direction=sent|received&status=``). POST: send."""

    # Read by the schema only (so the list is documented as a page); ``get`` paginates itself.
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        parameters=[
            OpenApiParameter("direction", str, enum=["sent", "received"]),
            OpenApiParameter("status", str, enum=ReferralStatus.values),
        ],
        responses=ReferralOut(many=True),
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status", "")
        qs = selectors.referral_list(
            actor=actor_of(request),
            direction=request.query_params.get("direction", ""),
            status=status if status in ReferralStatus.values else "",
        )
        paginator = api_settings.DEFAULT_PAGINATION_CLASS()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ReferralOut(page, many=True).data)

    @extend_schema(request=ReferralCreateIn, responses={201: ReferralOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        body = ReferralCreateIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = selectors.case_get_for_referral(actor=actor, case_id=data["case_id"])
        person = selectors.case_person_get(actor=actor, case=case, person_id=data["person_id"])
        service = None
        if data.get("to_service_id"):
            service = directory.service_get(actor=actor, service_id=data["to_service_id"])
        referral = services.referral_send(
            actor=actor,
            case=case,
            person=person,
            to_service=service,
            to_org_id=data.get("to_org_id"),
            need=data.get("need", ""),
            urgency=data["urgency"],
            kind=data["kind"],
            scopes=data["scopes"],
            message=data["message"],
        )
        return Response(ReferralOut(referral).data, status=201)


@extend_schema(tags=["referrals"])
class ReferralDetailApi(APIView):
    """GET: the referral, what was shared (consent checked now) and its history."""

    @extend_schema(responses=ReferralDetailOut)
    def get(self, request: Request, referral_id: UUID) -> Response:
        actor = actor_of(request)
        referral = selectors.referral_get(actor=actor, referral_id=referral_id)
        shared = services.referral_view_shared(actor=actor, referral=referral)
        events = selectors.referral_events(actor=actor, referral=referral)
        body = ReferralOut(referral).data
        body["shared"] = shared_to_dict(shared)
        body["events"] = EventOut(events, many=True).data
        return Response(body)


@extend_schema(tags=["referrals"])
class ReferralTransitionApi(APIView):
    """POST ``{"to": status, "reason"|"note"}``: accept, decline, start, complete or close."""

    @extend_schema(request=TransitionIn, responses=ReferralOut)
    def post(self, request: Request, referral_id: UUID) -> Response:
        actor = actor_of(request)
        referral = selectors.referral_get(actor=actor, referral_id=referral_id)
        body = TransitionIn(data=request.data)
        body.is_valid(raise_exception=True)
        to, reason, note = (body.validated_data[k] for k in ("to", "reason", "note"))
        if to == ReferralStatus.ACCEPTED:
            referral = services.referral_accept(actor=actor, referral=referral, note=note)
        elif to == ReferralStatus.DECLINED:
            referral = services.referral_decline(
                actor=actor,
                referral=referral,
                reason=reason,
                no_bed=body.validated_data["no_bed"],
            )
        elif to == ReferralStatus.IN_PROGRESS:
            referral = services.referral_start(actor=actor, referral=referral, note=note)
        elif to == ReferralStatus.COMPLETED:
            referral = services.referral_complete(actor=actor, referral=referral, outcome=note)
        elif to == ReferralStatus.CLOSED:
            referral = services.referral_close(actor=actor, referral=referral, reason=reason)
        else:  # pragma: no cover - the serializer limits ``to``
            raise InvalidInput({"to": ["Unknown status."]})
        return Response(ReferralOut(referral).data)


@extend_schema(tags=["referrals"])
class ReferralHandoverApi(APIView):
    """PATCH: update the handover checklist; ``received: true`` confirms arrival."""

    @extend_schema(request=HandoverIn, responses=ReferralOut)
    def patch(self, request: Request, referral_id: UUID) -> Response:
        actor = actor_of(request)
        referral = selectors.referral_get(actor=actor, referral_id=referral_id)
        body = HandoverIn(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        received = data.pop("received", False)
        if data:
            referral = services.referral_update_handover(actor=actor, referral=referral, data=data)
        if received:
            referral = services.referral_confirm_received(actor=actor, referral=referral)
        return Response(ReferralOut(referral).data)

    post = patch
