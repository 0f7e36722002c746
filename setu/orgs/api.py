"""Organisations API: the network directory, and members for an organisation's admins."""

from __future__ import annotations

from uuid import UUID

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setu.access.actor import Actor, actor_of
from setu.access.api import ScopedListApi
from setu.orgs import selectors
from setu.orgs.models import Membership, Organisation, OrganisationType
from setu.orgs.serializers import MembershipOut, OrganisationOut


class OrganisationFilter(django_filters.FilterSet):
    """Non-identifying filters of the directory, safe in a query string."""

    org_type = django_filters.ChoiceFilter(choices=OrganisationType.choices)
    state = django_filters.NumberFilter(
        field_name="states__code", distinct=True, label="LGD state code served"
    )
    district = django_filters.NumberFilter(
        field_name="districts__code", distinct=True, label="LGD district code served"
    )

    class Meta:
        model = Organisation
        fields = ["org_type", "state", "district"]


@extend_schema(tags=["organisations"])
class OrganisationListApi(ScopedListApi):
    """GET: member organisations of the network (everyone in the network sees the directory)."""

    model = Organisation
    serializer_class = OrganisationOut
    filterset_class = OrganisationFilter

    def scoped(self, actor: Actor) -> QuerySet[Organisation]:
        return selectors.organisation_list(actor=actor)


@extend_schema(tags=["organisations"])
class OrganisationDetailApi(APIView):
    """GET: one organisation."""

    @extend_schema(responses=OrganisationOut)
    def get(self, request: Request, organisation_id: UUID) -> Response:
        organisation = selectors.organisation_get(
            actor=actor_of(request), organisation_id=organisation_id
        )
        return Response(OrganisationOut(organisation).data)


@extend_schema(tags=["organisations"])
class OrganisationMemberListApi(ScopedListApi):
    """GET: the organisation's members and roles; only for those who manage the organisation."""

    model = Membership
    serializer_class = MembershipOut
    filter_backends: list = []

    def scoped(self, actor: Actor) -> QuerySet[Membership]:
        organisation = selectors.organisation_get(
            actor=actor, organisation_id=self.kwargs["organisation_id"]
        )
        return selectors.membership_list(actor=actor, organisation=organisation)
