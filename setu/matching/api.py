"""Matching API: notices (cross-organisation pairs), the review queue, missing <-> found pairs,
alerts, and decisions. Every list is scoped by the access policy; no other side's person data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from setu.access import policy
from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.core.errors import InvalidInput
from setu.matching import selectors, services
from setu.matching.models import PairKind, PairStatus
from setu.matching.serializers import (
    AlertOut,
    NoticeDetailOut,
    PairOut,
    ReasonIn,
    RecordLinkOut,
    pair_out,
    record_link_out,
)

# Read by the schema only (so lists are documented as pages); the views paginate themselves.
PAGINATION = api_settings.DEFAULT_PAGINATION_CLASS


def _pairs_page(view: APIView, request: Request, **filters: Any) -> Response:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.VIEW, "matching.matchpair")
    qs = selectors.pair_list(actor=actor, **filters)
    paginator = api_settings.DEFAULT_PAGINATION_CLASS()
    page = list(paginator.paginate_queryset(qs, request, view=view) or [])
    contacts = selectors.other_org_contacts(actor=actor, pairs=page)
    rows = [pair_out(p, actor.organisation_id, contacts=contacts) for p in page]
    return paginator.get_paginated_response(rows)


@extend_schema(tags=["matching"])
class NoticeListApi(APIView):
    """GET: match notices of one's organisation (pairs with another organisation)."""

    pagination_class = PAGINATION

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=PairStatus.values)],
        responses=PairOut(many=True),
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status") or None
        return _pairs_page(self, request, kind=PairKind.CROSS_ORG, status=status)


@extend_schema(tags=["matching"])
class ReviewListApi(APIView):
    """GET: pairs waiting for one's organisation's answer (duplicates and cross-organisation)."""

    pagination_class = PAGINATION

    @extend_schema(responses=PairOut(many=True))
    def get(self, request: Request) -> Response:
        return _pairs_page(self, request, awaiting=True)


@extend_schema(tags=["matching"])
class MissingListApi(APIView):
    """GET: pairs of an open missing-person report and a found (rescued/sheltered) person."""

    pagination_class = PAGINATION

    @extend_schema(responses=PairOut(many=True))
    def get(self, request: Request) -> Response:
        return _pairs_page(self, request, missing_found=True)


@extend_schema(tags=["matching"])
class NoticeDetailApi(APIView):
    """GET: one pair with its evidence in words (values only where the policy allows).

    ``field`` is a stable code; ``summary`` and each ``text`` are the engine's English sentences
    whatever the request's language, so that a client can rely on them (the pages translate).
    """

    @extend_schema(responses=NoticeDetailOut)
    def get(self, request: Request, pair_id: UUID) -> Response:
        actor = actor_of(request)
        with translation.override("en"):
            review = selectors.pair_review(actor=actor, pair_id=pair_id)
        contacts = selectors.other_org_contacts(actor=actor, pairs=[review.pair])
        body = pair_out(review.pair, actor.organisation_id, contacts=contacts)
        body["summary"] = review.summary
        body["evidence"] = [
            {"field": r.field, "text": r.text, "weight": r.weight, "ours": r.own}
            | ({"theirs": r.other} if r.other is not None else {})
            for r in review.rows
        ]
        return Response(body)


class _DecisionSchema(AutoSchema):
    """Confirming takes no body; dismissing and unlinking take a reason."""

    def get_request_serializer(self) -> Any:
        return None if self.view.decision == "confirm" else ReasonIn

    def get_response_serializers(self) -> Any:
        return PairOut

    def get_tags(self) -> list[str]:
        return ["matching"]


class PairDecisionApi(APIView):
    """POST: confirm (same person), dismiss or unlink (with a reason)."""

    decision = "confirm"
    schema = _DecisionSchema()

    def post(self, request: Request, pair_id: UUID) -> Response:
        actor = actor_of(request)
        if self.decision == "confirm":
            pair = services.pair_confirm(actor=actor, pair_id=pair_id)
        else:
            body = ReasonIn(data=request.data)
            body.is_valid(raise_exception=True)
            act = services.pair_dismiss if self.decision == "dismiss" else services.pair_unlink
            pair = act(actor=actor, pair_id=pair_id, reason=body.validated_data["reason"])
        contacts = selectors.other_org_contacts(actor=actor, pairs=[pair])
        return Response(pair_out(pair, actor.organisation_id, contacts=contacts))


@extend_schema(tags=["matching"])
class LinkListApi(APIView):
    """GET: with which organisation each of our records is linked (``?person=<uuid>`` for one)."""

    pagination_class = PAGINATION

    @extend_schema(
        parameters=[OpenApiParameter("person", UUID, description="One of our persons only.")],
        responses=RecordLinkOut(many=True),
    )
    def get(self, request: Request) -> Response:
        person = request.query_params.get("person") or None
        try:
            person_id = UUID(person) if person else None
        except ValueError:
            raise InvalidInput({"person": [_("Not a valid id.")]}) from None
        links = selectors.link_list(actor=actor_of(request), person_id=person_id)
        paginator = api_settings.DEFAULT_PAGINATION_CLASS()
        page = paginator.paginate_queryset(links, request, view=self) or []
        return paginator.get_paginated_response([record_link_out(link) for link in page])


@extend_schema(tags=["matching"])
class AlertListApi(APIView):
    """GET: re-trafficking and missing-person alerts to one's organisation (``?open=1``)."""

    pagination_class = PAGINATION

    @extend_schema(
        parameters=[OpenApiParameter("open", str, enum=["1"], description="Only open alerts.")],
        responses=AlertOut(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        policy.require_allowed(actor, Action.VIEW, "matching.matchpair")
        qs = selectors.alert_list(actor=actor, open_only=request.query_params.get("open") == "1")
        paginator = api_settings.DEFAULT_PAGINATION_CLASS()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AlertOut(page, many=True).data)


@extend_schema(tags=["matching"])
class AlertAcknowledgeApi(APIView):
    """POST: mark an alert handled."""

    @extend_schema(request=None, responses=AlertOut)
    def post(self, request: Request, alert_id: UUID) -> Response:
        alert = services.alert_acknowledge(actor=actor_of(request), alert_id=alert_id)
        return Response(AlertOut(alert).data)
