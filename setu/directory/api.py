"""Service directory API: list, read, create and change services; HSDS export."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from setu.access.actor import actor_of
from setu.directory import selectors, services
from setu.directory.serializers import ServiceFilterIn, ServiceIn, ServiceOut
from setu.orgs import selectors as orgs


def _places(data: dict[str, Any]) -> dict[str, Any]:
    places: dict[str, Any] = {}
    if "district_codes" in data:
        places["districts"] = [
            d for code in data.pop("district_codes") if (d := orgs.district_get(code=code))
        ]
    if "state_codes" in data:
        places["states"] = [
            s for code in data.pop("state_codes") if (s := orgs.state_get(code=code))
        ]
    return places


@extend_schema(tags=["directory"])
class ServiceListApi(APIView):
    """GET: services by need, state and district. POST: add a service for one's organisation."""

    # Read by the schema only (so the list is documented as a page); ``get`` paginates itself.
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(parameters=[ServiceFilterIn], responses=ServiceOut(many=True))
    def get(self, request: Request) -> Response:
        filters = ServiceFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        state = district = None
        if filters.validated_data.get("state"):
            state = orgs.state_get(code=filters.validated_data["state"])
        if filters.validated_data.get("district"):
            district = orgs.district_get(code=filters.validated_data["district"])
        qs = selectors.service_list(
            actor=actor_of(request),
            need=filters.validated_data.get("need", ""),
            state=state,
            district=district,
        )
        paginator = api_settings.DEFAULT_PAGINATION_CLASS()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ServiceOut(page, many=True).data)

    @extend_schema(request=ServiceIn, responses={201: ServiceOut})
    def post(self, request: Request) -> Response:
        body = ServiceIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        places = _places(data)
        service = services.service_create(actor=actor_of(request), data=data, **places)
        return Response(ServiceOut(service).data, status=201)


@extend_schema(tags=["directory"])
class ServiceDetailApi(APIView):
    """GET: one service. PATCH: change one of one's organisation's services."""

    @extend_schema(responses=ServiceOut)
    def get(self, request: Request, service_id: UUID) -> Response:
        service = selectors.service_get(actor=actor_of(request), service_id=service_id)
        return Response(ServiceOut(service).data)

    @extend_schema(request=ServiceIn, responses=ServiceOut)
    def patch(self, request: Request, service_id: UUID) -> Response:
        actor = actor_of(request)
        service = selectors.service_get(actor=actor, service_id=service_id)
        body = ServiceIn(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        places = _places(data)
        service = services.service_update(actor=actor, service=service, data=data, **places)
        return Response(ServiceOut(service).data)


@extend_schema(tags=["directory"])
class HsdsExportApi(APIView):
    """GET: the whole directory as one HSDS 3.0 page of services (audited)."""

    # The HSDS 3.0 page is defined by the HSDS standard, not by a Setu serializer.
    @extend_schema(operation_id="directory_hsds_export", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(services.directory_export(actor=actor_of(request), fmt="json"))
