"""Consent API: a person's consents, recording one and withdrawing one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from setu.access.actor import Actor, actor_of
from setu.access.policy import Action
from setu.consent import selectors, services
from setu.consent.serializers import ConsentIn, ConsentOut, ConsentWithdrawIn
from setu.core.api import paginated
from setu.core.api import valid_input as _valid
from setu.core.errors import InvalidInput, NotFound
from setu.orgs import selectors as orgs
from setu.registry import selectors as registry


def _recipient(actor: Actor, organisation_id: UUID | None) -> Any:
    if organisation_id is None:
        return None
    try:
        return orgs.organisation_get(actor=actor, organisation_id=organisation_id)
    except NotFound as exc:
        raise InvalidInput({"recipient_org": [_("No such organisation in the network.")]}) from exc


@extend_schema(tags=["consent"])
class PersonConsentListApi(APIView):
    """GET: the person's consents (a view of the person, audited). POST: record a consent."""

    # The GET answers a page (like every list); the schema documents it as one.
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(responses=ConsentOut(many=True))
    def get(self, request: Request, person_id: UUID) -> Response:
        detail = registry.person_detail(actor=actor_of(request), person_id=person_id)
        return paginated(self, request, detail.consents, ConsentOut)

    @extend_schema(request=ConsentIn, responses={201: ConsentOut})
    def post(self, request: Request, person_id: UUID) -> Response:
        actor = actor_of(request)
        person = registry.person_get(
            actor=actor, person_id=person_id, for_action=Action.MANAGE_CONSENT
        )
        data = _valid(ConsentIn, request.data)
        data["recipient_org"] = _recipient(actor, data["recipient_org"])
        consent = services.consent_record(actor=actor, person=person, **data)
        return Response(ConsentOut(consent).data, status=201)


@extend_schema(tags=["consent"])
class ConsentWithdrawApi(APIView):
    """POST: record that a consent was withdrawn; shares relying on it end at once."""

    @extend_schema(request=ConsentWithdrawIn, responses=ConsentOut)
    def post(self, request: Request, consent_id: UUID) -> Response:
        actor = actor_of(request)
        consent = selectors.consent_get(actor=actor, consent_id=consent_id, for_action=Action.EDIT)
        data = _valid(ConsentWithdrawIn, request.data)
        consent = services.consent_withdraw(actor=actor, consent=consent, **data)
        return Response(ConsentOut(consent).data)
