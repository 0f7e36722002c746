"""Entitlements API: scheme applications and compensation claims, scoped like case data."""

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
from setu.entitlements import selectors, services
from setu.entitlements.models import CompensationClaim, Scheme, SchemeApplication
from setu.entitlements.serializers import (
    ApplicationIn,
    ApplicationOut,
    ClaimIn,
    ClaimOut,
    SchemeOut,
    StatusIn,
)


def _case_and_person(actor: Actor, data: dict[str, Any]) -> tuple[Any, Any]:
    from setu.registry import selectors as registry_selectors

    case = registry_selectors.case_get(actor=actor, case_id=data["case"])
    person = registry_selectors.person_get(actor=actor, person_id=data["person"])
    return case, person


@extend_schema(tags=["entitlements"])
class SchemeListApi(ScopedListApi):
    """GET: the network's list of schemes."""

    model = Scheme
    serializer_class = SchemeOut
    filter_backends: list[Any] = []

    def scoped(self, actor: Actor) -> QuerySet[Scheme]:
        return selectors.scheme_list(actor=actor)


@extend_schema(tags=["entitlements"])
class ApplicationListApi(ScopedListApi):
    """GET: scheme applications the actor may see. POST: record a new application."""

    model = SchemeApplication
    serializer_class = ApplicationOut
    filter_backends: list[Any] = []

    def scoped(self, actor: Actor) -> QuerySet[SchemeApplication]:
        policy.require_allowed(actor, Action.VIEW, "entitlements.schemeapplication")
        status_filter = self.request.query_params.get("status", "")
        return selectors.application_list(actor=actor, status=status_filter, with_history=True)

    @extend_schema(request=ApplicationIn, responses={201: ApplicationOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = ApplicationIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case, person = _case_and_person(actor, values)
        scheme = selectors.scheme_get(actor=actor, scheme_id=values["scheme"])
        application = services.application_create(
            actor=actor,
            case=case,
            person=person,
            scheme=scheme,
            status=values["status"],
            applied_on=values.get("applied_on"),
            reference_number=values["reference_number"],
        )
        return Response(ApplicationOut(application).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["entitlements"])
class ApplicationDetailApi(APIView):
    """GET: one application with its history."""

    @extend_schema(responses=ApplicationOut)
    def get(self, request: Request, application_id: UUID) -> Response:
        application = selectors.application_get(
            actor=actor_of(request), application_id=application_id
        )
        return Response(ApplicationOut(application).data)


@extend_schema(tags=["entitlements"])
class ApplicationStatusApi(APIView):
    """POST: move an application to a new status on a date."""

    @extend_schema(request=StatusIn, responses=ApplicationOut)
    def post(self, request: Request, application_id: UUID) -> Response:
        actor = actor_of(request)
        application = selectors.application_get(actor=actor, application_id=application_id)
        data = StatusIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_set_status(actor=actor, application=application, **data.validated_data)
        fresh = selectors.application_get(actor=actor, application_id=application_id)
        return Response(ApplicationOut(fresh).data)


@extend_schema(tags=["entitlements"])
class ClaimListApi(ScopedListApi):
    """GET: compensation claims the actor may see. POST: open a claim before the DLSA."""

    model = CompensationClaim
    serializer_class = ClaimOut
    filter_backends: list[Any] = []

    def scoped(self, actor: Actor) -> QuerySet[CompensationClaim]:
        policy.require_allowed(actor, Action.VIEW, "entitlements.schemeapplication")
        return selectors.claim_list(actor=actor)

    @extend_schema(request=ClaimIn, responses={201: ClaimOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = ClaimIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case, person = _case_and_person(actor, values)
        scheme = (
            selectors.scheme_get(actor=actor, scheme_id=values["scheme"])
            if values.get("scheme")
            else None
        )
        claim = services.claim_create(
            actor=actor,
            case=case,
            person=person,
            scheme=scheme,
            filed_on=values.get("filed_on"),
            amount_claimed=values["amount_claimed"],
            reference=values["reference"],
        )
        return Response(ClaimOut(claim).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["entitlements"])
class ClaimDetailApi(APIView):
    """GET: one claim with every stage and appeal."""

    @extend_schema(responses=ClaimOut)
    def get(self, request: Request, claim_id: UUID) -> Response:
        claim = selectors.claim_get(actor=actor_of(request), claim_id=claim_id)
        return Response(ClaimOut(claim).data)
