"""Intel API: a case's perpetrators and identifiers, cross-references, search by identifier
(POST), the network graph, counts and sharing agreements; scoped and audited like the pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.core.api import valid_input
from setu.core.errors import InvalidInput
from setu.intel import selectors, services
from setu.intel.serializers import (
    AgreementIn,
    AgreementOut,
    CaseIntelOut,
    CountsOut,
    CrossRefOut,
    GraphOut,
    IdentifierCreateIn,
    IdentifierIn,
    IdentifierOut,
    PerpetratorCreateIn,
    PerpetratorIn,
    PerpetratorMergeIn,
    PerpetratorOut,
    SearchIn,
    SearchOut,
)

TAGS = ["intel"]


def _ids(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("perpetrator_id") is not None:
        data["perpetrator_id"] = str(data["perpetrator_id"])
    return data


@extend_schema(tags=TAGS)
class CaseIntelApi(APIView):
    """GET: a case's perpetrators (with their identifiers) and identifiers of no one known."""

    @extend_schema(responses=CaseIntelOut)
    def get(self, request: Request, case_id: UUID) -> Response:
        actor = actor_of(request)
        selectors.require_reader(actor=actor)
        case = selectors.case_for_intel(actor=actor, case_id=case_id)
        return Response(CaseIntelOut(selectors.case_intel(actor=actor, case=case)).data)


@extend_schema(tags=TAGS)
class PerpetratorAddApi(APIView):
    """POST: record a perpetrator of a case (an agency with its GST and registration numbers)."""

    @extend_schema(request=PerpetratorCreateIn, responses={201: PerpetratorOut})
    def post(self, request: Request, case_id: UUID) -> Response:
        actor = actor_of(request)
        case = selectors.case_for_intel(actor=actor, case_id=case_id)
        data = valid_input(PerpetratorCreateIn, request.data)
        perpetrator = services.perpetrator_add(actor=actor, case=case, **data)
        return Response(PerpetratorOut(perpetrator).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class PerpetratorApi(APIView):
    """PATCH: correct a perpetrator. DELETE: remove one recorded in error."""

    @extend_schema(request=PerpetratorIn, responses=PerpetratorOut)
    def patch(self, request: Request, perpetrator_id: UUID) -> Response:
        actor = actor_of(request)
        perpetrator = selectors.perpetrator_get(
            actor=actor, perpetrator_id=perpetrator_id, action=Action.EDIT
        )
        data = valid_input(PerpetratorIn, request.data, partial=True)
        perpetrator = services.perpetrator_update(actor=actor, perpetrator=perpetrator, **data)
        return Response(PerpetratorOut(perpetrator).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, perpetrator_id: UUID) -> Response:
        actor = actor_of(request)
        perpetrator = selectors.perpetrator_get(
            actor=actor, perpetrator_id=perpetrator_id, action=Action.EDIT
        )
        services.perpetrator_remove(actor=actor, perpetrator=perpetrator)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class PerpetratorMergeApi(APIView):
    """POST: merge a perpetrator into another record of the same case (the same person or
    agency); returns the kept record, with the merged one's names among its other names."""

    @extend_schema(request=PerpetratorMergeIn, responses=PerpetratorOut)
    def post(self, request: Request, perpetrator_id: UUID) -> Response:
        actor = actor_of(request)
        perpetrator = selectors.perpetrator_get(
            actor=actor, perpetrator_id=perpetrator_id, action=Action.EDIT
        )
        data = valid_input(PerpetratorMergeIn, request.data)
        into = selectors.perpetrator_get(
            actor=actor, perpetrator_id=data["into"], action=Action.EDIT
        )
        kept = services.perpetrator_merge(actor=actor, perpetrator=perpetrator, into=into)
        return Response(PerpetratorOut(kept).data)


@extend_schema(tags=TAGS)
class IdentifierAddApi(APIView):
    """POST: record an identifier seen in a case, as written (Setu normalises it)."""

    @extend_schema(request=IdentifierCreateIn, responses={201: IdentifierOut})
    def post(self, request: Request, case_id: UUID) -> Response:
        actor = actor_of(request)
        case = selectors.case_for_intel(actor=actor, case_id=case_id)
        data = _ids(valid_input(IdentifierCreateIn, request.data))
        identifier = services.identifier_add(actor=actor, case=case, **data)
        return Response(IdentifierOut(identifier).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class IdentifierApi(APIView):
    """PATCH: correct an identifier (normalised again). DELETE: remove one recorded in error."""

    @extend_schema(request=IdentifierIn, responses=IdentifierOut)
    def patch(self, request: Request, identifier_id: UUID) -> Response:
        actor = actor_of(request)
        identifier = selectors.identifier_get(
            actor=actor, identifier_id=identifier_id, action=Action.EDIT
        )
        data = _ids(valid_input(IdentifierIn, request.data, partial=True))
        identifier = services.identifier_update(actor=actor, identifier=identifier, **data)
        return Response(IdentifierOut(identifier).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, identifier_id: UUID) -> Response:
        actor = actor_of(request)
        identifier = selectors.identifier_get(
            actor=actor, identifier_id=identifier_id, action=Action.EDIT
        )
        services.identifier_remove(actor=actor, identifier=identifier)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _holder(h: Any) -> dict[str, Any]:
    return {
        "organisation": {"id": h.organisation.pk, "name": h.organisation.name},
        "contacts": h.contacts,
        "detail": h.detail,
    }


@extend_schema(tags=TAGS)
class CrossRefApi(APIView):
    """GET: values of the organisation's cases that other organisations hold too, whom to ask,
    and (under a live agreement, for police liaisons and legal officers) what they hold."""

    @extend_schema(responses=CrossRefOut(many=True))
    def get(self, request: Request) -> Response:
        rows = selectors.crossref_list(actor=actor_of(request))
        data = [
            {
                "kind": x.kind,
                "own_case_id": x.own_case_id,
                "own_case_reference": x.own_case_reference,
                "holders": [_holder(h) for h in x.holders],
                "first_linked": x.first_linked,
            }
            for x in rows
        ]
        return Response(CrossRefOut(data, many=True).data)


@extend_schema(tags=TAGS)
class SearchApi(APIView):
    """POST: who holds a value (the value travels in the body, never in the URL)."""

    @extend_schema(request=SearchIn, responses=SearchOut)
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        selectors.require_reader(actor=actor)
        data = valid_input(SearchIn, request.data)
        result = selectors.identifier_search(actor=actor, **data)
        body = {
            "kind": result.kind,
            "own": [{"case_id": c, "reference": r, "intel": i} for c, r, i in result.own],
            "holders": [_holder(h) for h in result.holders],
        }
        return Response(SearchOut(body).data)


@extend_schema(tags=TAGS)
class GraphApi(APIView):
    """GET: the network within two hops of a case (``kind`` repeated; ``since``/``until``
    as YYYY-MM-DD, on the date values were recorded)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, many=True),
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
        ],
        responses=GraphOut,
    )
    def get(self, request: Request, case_id: UUID) -> Response:
        from setu.intel.forms import GraphFilterForm

        actor = actor_of(request)
        selectors.require_reader(actor=actor)
        form = GraphFilterForm(request.query_params)
        if not form.is_valid():
            raise InvalidInput({k: [str(m) for m in v] for k, v in form.errors.items()})
        case = selectors.case_for_intel(actor=actor, case_id=case_id)
        graph = selectors.network_graph(
            actor=actor,
            case=case,
            kinds=form.cleaned_data["kind"],
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
        )
        return Response(GraphOut(graph).data)


@extend_schema(tags=TAGS)
class CountsApi(APIView):
    """GET: counts of the organisation's intelligence (analysts: counts only)."""

    @extend_schema(responses=CountsOut)
    def get(self, request: Request) -> Response:
        return Response(CountsOut(selectors.intel_counts(actor=actor_of(request))).data)


@extend_schema(tags=TAGS)
class AgreementListApi(APIView):
    """GET: the organisation's sharing agreements. POST: propose one (organisation admins)."""

    @extend_schema(responses=AgreementOut(many=True))
    def get(self, request: Request) -> Response:
        rows = selectors.agreement_list(actor=actor_of(request))
        return Response(AgreementOut(rows, many=True).data)

    @extend_schema(request=AgreementIn, responses={201: AgreementOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        selectors.require_manager(actor=actor)
        data = valid_input(AgreementIn, request.data)
        agreement = services.agreement_propose(
            actor=actor,
            partner_org_id=data["partner_org"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            purpose=data.get("purpose", ""),
        )
        return Response(AgreementOut(agreement).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class AgreementAcceptApi(APIView):
    """POST: the partner organisation's admin accepts a proposed agreement."""

    @extend_schema(request=None, responses=AgreementOut)
    def post(self, request: Request, agreement_id: UUID) -> Response:
        actor = actor_of(request)
        agreement = selectors.agreement_get(
            actor=actor, agreement_id=agreement_id, action=Action.RESPOND
        )
        return Response(
            AgreementOut(services.agreement_accept(actor=actor, agreement=agreement)).data
        )


@extend_schema(tags=TAGS)
class AgreementWithdrawApi(APIView):
    """POST: either organisation's admin withdraws (or declines) an agreement."""

    @extend_schema(request=None, responses=AgreementOut)
    def post(self, request: Request, agreement_id: UUID) -> Response:
        actor = actor_of(request)
        agreement = selectors.agreement_get(
            actor=actor, agreement_id=agreement_id, action=Action.EDIT
        )
        return Response(
            AgreementOut(services.agreement_withdraw(actor=actor, agreement=agreement)).data
        )
