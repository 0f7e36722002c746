"""Feedback API: feedback items for those who code and answer them, the reports (every count
under 11 hidden) and "you said, we did"; scoped and audited like the pages (docs/api.md)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from setu.access import policy
from setu.access.actor import Actor, actor_of
from setu.access.api import ScopedListApi
from setu.access.policy import Action
from setu.core.api import paginated, valid_input
from setu.feedback import selectors, services
from setu.feedback.models import Feedback
from setu.feedback.serializers import (
    ChangeNoteIn,
    ChangeNoteOut,
    FeedbackDetailOut,
    FeedbackOut,
    ReportOut,
    RespondIn,
    ThemesIn,
)

TAGS = ["feedback"]


@extend_schema(
    tags=TAGS,
    parameters=[
        OpenApiParameter("lane", OpenApiTypes.STR, enum=selectors.Lane.values),
        OpenApiParameter("status", OpenApiTypes.STR, enum=selectors.Status.values),
    ],
)
class FeedbackListApi(ScopedListApi):
    """GET: the feedback the actor codes or answers (open feedback for coordinators and, for
    their campaigns, collective leaders; serious complaints for their handler), never about the
    actor's own organisation. Without her words: read one item for them."""

    model = Feedback
    serializer_class = FeedbackOut
    filter_backends: list[Any] = []

    def scoped(self, actor: Actor) -> QuerySet[Feedback]:
        selectors.require_member(actor=actor)
        lane = self.request.query_params.get("lane", "")
        state = self.request.query_params.get("status", "")
        return selectors.feedback_list(
            actor=actor,
            lane=lane if lane in selectors.Lane.values else "",
            status=state if state in selectors.Status.values else "",
        )


@extend_schema(tags=TAGS)
class FeedbackDetailApi(APIView):
    """GET: one piece of feedback with what she wrote and the answer to her (audited)."""

    @extend_schema(responses=FeedbackDetailOut)
    def get(self, request: Request, feedback_id: UUID) -> Response:
        feedback = selectors.feedback_get(actor=actor_of(request), feedback_id=feedback_id)
        return Response(FeedbackDetailOut(feedback).data)


@extend_schema(tags=TAGS)
class FeedbackCodeApi(APIView):
    """POST: code a piece of feedback against the shared themes (this acknowledges it)."""

    @extend_schema(request=ThemesIn, responses=FeedbackDetailOut)
    def post(self, request: Request, feedback_id: UUID) -> Response:
        actor = actor_of(request)
        feedback = selectors.feedback_get(actor=actor, feedback_id=feedback_id)
        data = valid_input(ThemesIn, request.data)
        feedback = services.feedback_code(actor=actor, feedback=feedback, themes=data["themes"])
        return Response(FeedbackDetailOut(feedback).data)


@extend_schema(tags=TAGS)
class FeedbackRespondApi(APIView):
    """POST: write the answer she reads with her follow-up code."""

    @extend_schema(request=RespondIn, responses=FeedbackDetailOut)
    def post(self, request: Request, feedback_id: UUID) -> Response:
        actor = actor_of(request)
        feedback = selectors.feedback_get(actor=actor, feedback_id=feedback_id)
        data = valid_input(RespondIn, request.data)
        feedback = services.feedback_respond(actor=actor, feedback=feedback, note=data["note"])
        return Response(FeedbackDetailOut(feedback).data)


@extend_schema(tags=TAGS)
class ReportApi(APIView):
    """GET: ratings, entitlement, safety and themes over the last twelve whole months by one
    dimension, the monthly counts, times to acknowledge and respond, and schemes beside the
    applications for them. Every count under 11 is null, and so is every figure over one."""

    @extend_schema(
        parameters=[
            OpenApiParameter("by", OpenApiTypes.STR, enum=list(selectors.DIMENSIONS)),
            OpenApiParameter(
                "ours", OpenApiTypes.BOOL, description="only the actor's organisation's campaigns"
            ),
        ],
        responses=ReportOut,
    )
    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        result = selectors.report(
            actor=actor,
            dimension=request.query_params.get("by", "kind"),
            campaign_org=request.query_params.get("ours") in ("1", "true"),
        )
        data = {
            "dimension": result.dimension,
            "start": result.start,
            "end": result.end,
            "small_cell": selectors.SMALL_CELL,
            "total": result.total,
            "quarters": result.quarters,
            "rows": [
                {**row.__dict__, "themes": [{"theme": t, "count": n} for t, n in row.themes]}
                for row in result.rows
            ],
            "per_month": [{"month": m, "count": n} for m, n in result.per_month],
            "response_times_by_organisation": [
                t.__dict__ for t in selectors.response_times(actor=actor, by="organisation")
            ],
            "response_times_by_district": [
                t.__dict__ for t in selectors.response_times(actor=actor, by="district")
            ],
            "schemes": [s.__dict__ for s in selectors.scheme_perception(actor=actor)],
        }
        return Response(ReportOut(data).data)


@extend_schema(tags=TAGS)
class ChangeNoteListApi(APIView):
    """GET: the "you said, we did" notes of the actor's organisation. POST: publish one;
    survivors read it on the feedback pages."""

    # The GET answers a page (like every list); the schema documents it as one.
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(responses=ChangeNoteOut(many=True))
    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        policy.require_allowed(actor, Action.CREATE, "feedback.changenote")
        notes = selectors.change_note_list(actor=actor)
        return paginated(self, request, notes, ChangeNoteOut)

    @extend_schema(request=ChangeNoteIn, responses={201: ChangeNoteOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = valid_input(ChangeNoteIn, request.data)
        note = services.change_note_add(actor=actor, **data)
        return Response(ChangeNoteOut(note).data, status=status.HTTP_201_CREATED)
