"""Registry API: persons, their names, documents, phones and places; cases and events.

Each method parses input, calls one selector or service (which apply the access policy and
audit), and renders an explicit output shape. Names and phone numbers are searched with POST
so that they never appear in a URL, a proxy log or browser history.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from setu.access import policy
from setu.access.actor import Actor, actor_of
from setu.access.api import ScopedListApi
from setu.access.policy import Action
from setu.core import uploads
from setu.core.api import paginated
from setu.core.api import valid_input as _valid
from setu.core.errors import InvalidInput
from setu.registry import selectors, services
from setu.registry.models import Case, Person
from setu.registry.serializers import (
    AddressIn,
    AddressOut,
    AliasIn,
    AliasOut,
    AttachmentIn,
    AttachmentOut,
    CaseDetailOut,
    CaseFilterIn,
    CaseIn,
    CaseOut,
    DocumentIn,
    DocumentOut,
    EventIn,
    EventOut,
    PersonCreateIn,
    PersonDetailOut,
    PersonFilterIn,
    PersonIn,
    PersonOut,
    PersonPageOut,
    PersonSearchIn,
    PhoneIn,
    PhoneOut,
)

# --- persons ------------------------------------------------------------------------------------


@extend_schema(tags=["persons"])
class PersonListApi(ScopedListApi):
    """GET: persons the actor may see, by non-identifying filters. POST: record a new person."""

    model = Person
    serializer_class = PersonOut
    filter_backends: list = []

    def scoped(self, actor: Actor) -> QuerySet[Person]:
        # Roles without access to identities are refused outright, not shown an empty list.
        policy.require_allowed(actor, Action.VIEW, "registry.person")
        filters = _valid(PersonFilterIn, self.request.query_params)
        return selectors.person_list(actor=actor, filters=filters)

    @extend_schema(parameters=[PersonFilterIn])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PersonCreateIn, responses={201: PersonDetailOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        person = services.person_create(actor=actor, **_valid(PersonCreateIn, request.data))
        detail = selectors.person_detail(actor=actor, person_id=person.pk)
        return Response(PersonDetailOut(detail).data, status=201)


@extend_schema(tags=["persons"])
class PersonSearchApi(APIView):
    """POST: find persons by name, alias, native-script name or phone (the search is audited)."""

    @extend_schema(request=PersonSearchIn, responses=PersonPageOut)
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        policy.require_allowed(actor, Action.VIEW, "registry.person")
        query = _valid(PersonSearchIn, request.data)["query"]
        persons = selectors.person_search(actor=actor, query=query)
        return paginated(self, request, persons, PersonOut)


@extend_schema(tags=["persons"])
class PersonDetailApi(APIView):
    """GET: a person's record as the actor may see it (audited). PATCH: change identity fields."""

    @extend_schema(responses=PersonDetailOut)
    def get(self, request: Request, person_id: UUID) -> Response:
        detail = selectors.person_detail(actor=actor_of(request), person_id=person_id)
        return Response(PersonDetailOut(detail).data)

    @extend_schema(request=PersonIn, responses=PersonDetailOut)
    def patch(self, request: Request, person_id: UUID) -> Response:
        actor = actor_of(request)
        person = selectors.person_get(actor=actor, person_id=person_id, for_action=Action.EDIT)
        services.person_update(actor=actor, person=person, **_valid(PersonIn, request.data))
        detail = selectors.person_detail(actor=actor, person_id=person_id)
        return Response(PersonDetailOut(detail).data)


def _person_for_edit(request: Request, person_id: UUID) -> tuple[Actor, Person]:
    actor = actor_of(request)
    return actor, selectors.person_get(actor=actor, person_id=person_id, for_action=Action.EDIT)


@extend_schema(tags=["persons"])
class PersonAliasCreateApi(APIView):
    """POST: add another name the person is known by."""

    @extend_schema(request=AliasIn, responses={201: AliasOut})
    def post(self, request: Request, person_id: UUID) -> Response:
        actor, person = _person_for_edit(request, person_id)
        alias = services.alias_add(actor=actor, person=person, **_valid(AliasIn, request.data))
        return Response(AliasOut(alias).data, status=201)


@extend_schema(tags=["persons"])
class PersonDocumentCreateApi(APIView):
    """POST: record an identity document (Aadhaar: the last four digits only)."""

    @extend_schema(request=DocumentIn, responses={201: DocumentOut})
    def post(self, request: Request, person_id: UUID) -> Response:
        actor, person = _person_for_edit(request, person_id)
        document = services.document_add(
            actor=actor, person=person, **_valid(DocumentIn, request.data)
        )
        return Response(DocumentOut(document).data, status=201)


@extend_schema(tags=["persons"])
class PersonPhoneCreateApi(APIView):
    """POST: add a phone number (stored normalised, e.g. +91XXXXXXXXXX)."""

    @extend_schema(request=PhoneIn, responses={201: PhoneOut})
    def post(self, request: Request, person_id: UUID) -> Response:
        actor, person = _person_for_edit(request, person_id)
        phone = services.phone_add(actor=actor, person=person, **_valid(PhoneIn, request.data))
        return Response(PhoneOut(phone).data, status=201)


@extend_schema(tags=["persons"])
class PersonAddressCreateApi(APIView):
    """POST: add a place linked to the person (village, LGD district and state)."""

    @extend_schema(request=AddressIn, responses={201: AddressOut})
    def post(self, request: Request, person_id: UUID) -> Response:
        actor, person = _person_for_edit(request, person_id)
        address = services.address_add(
            actor=actor, person=person, **_valid(AddressIn, request.data)
        )
        return Response(AddressOut(address).data, status=201)


# --- cases --------------------------------------------------------------------------------------


@extend_schema(tags=["cases"])
class CaseListApi(ScopedListApi):
    """GET: cases the actor may see, filtered. POST: open a case in the actor's organisation."""

    model = Case
    serializer_class = CaseOut
    filter_backends: list = []

    def scoped(self, actor: Actor) -> QuerySet[Case]:
        policy.require_allowed(actor, Action.VIEW, "registry.case")
        filters = _valid(CaseFilterIn, self.request.query_params)
        return selectors.case_list(actor=actor, filters=filters)

    @extend_schema(parameters=[CaseFilterIn])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CaseIn, responses={201: CaseDetailOut})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        case = services.case_create(actor=actor, **_valid(CaseIn, request.data))
        detail = selectors.case_detail(actor=actor, case_id=case.pk)
        return Response(CaseDetailOut(detail).data, status=201)


@extend_schema(tags=["cases"])
class CaseDetailApi(APIView):
    """GET: a case as the actor may see it (audited). PATCH: change the case's fields."""

    @extend_schema(responses=CaseDetailOut)
    def get(self, request: Request, case_id: UUID) -> Response:
        detail = selectors.case_detail(actor=actor_of(request), case_id=case_id)
        return Response(CaseDetailOut(detail).data)

    @extend_schema(request=CaseIn, responses=CaseDetailOut)
    def patch(self, request: Request, case_id: UUID) -> Response:
        actor = actor_of(request)
        case = selectors.case_get(actor=actor, case_id=case_id, for_action=Action.EDIT)
        services.case_update(actor=actor, case=case, **_valid(CaseIn, request.data))
        detail = selectors.case_detail(actor=actor, case_id=case_id)
        return Response(CaseDetailOut(detail).data)


def _case_person(actor: Actor, case: Case, person_id: UUID | None) -> Person | None:
    """The person of an event: someone already connected to the case (else a field error)."""
    if person_id is None:
        return None
    for participant in selectors.case_participant_list(actor=actor, case=case):
        if participant.link.person_id == person_id:
            return participant.link.person
    raise InvalidInput({"person": [_("This person is not part of the case.")]})


@extend_schema(tags=["cases"])
class CaseEventListApi(APIView):
    """GET: what happened in a case (if the share covers case history). POST: add an event."""

    # The GET answers a page (like every list); the schema documents it as one.
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(responses=EventOut(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        actor = actor_of(request)
        case = selectors.case_get(actor=actor, case_id=case_id)
        timeline = selectors.case_timeline(actor=actor, case=case)
        events = sorted(
            (item.obj for item in timeline if item.kind == "event"),
            key=lambda e: (e.occurred_on is None, e.occurred_on or datetime.date.min, e.created_at),
        )
        return paginated(self, request, events, EventOut)

    @extend_schema(request=EventIn, responses={201: EventOut})
    def post(self, request: Request, case_id: UUID) -> Response:
        actor = actor_of(request)
        case = selectors.case_get(actor=actor, case_id=case_id, for_action=Action.EDIT)
        data = _valid(EventIn, request.data)
        data["person"] = _case_person(actor, case, data["person"])
        event = services.event_add(actor=actor, case=case, **data)
        return Response(EventOut(event).data, status=201)


# --- attachments (photos and documents) ---------------------------------------------------------


class _AttachmentListApi(APIView):
    """GET: the photos and documents the actor may see. POST (multipart): upload one."""

    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS
    parser_classes = [MultiPartParser, FormParser]

    def owner(self, actor: Actor, pk: UUID, for_action: Action) -> dict[str, Any]:
        raise NotImplementedError

    def list(self, request: Request, pk: UUID) -> Response:
        actor = actor_of(request)
        owner = self.owner(actor, pk, Action.VIEW)
        return paginated(
            self, request, selectors.attachment_list(actor=actor, **owner), AttachmentOut
        )

    def upload(self, request: Request, pk: UUID) -> Response:
        actor = actor_of(request)
        owner = self.owner(actor, pk, Action.EDIT)
        data = _valid(AttachmentIn, request.data)
        attachment = services.attachment_add(
            actor=actor, upload=data["file"], kind=data["kind"], title=data["title"], **owner
        )
        return Response(AttachmentOut(attachment).data, status=201)


@extend_schema(tags=["persons"])
class PersonAttachmentListApi(_AttachmentListApi):
    """GET: a person's photos and documents (a partner: where her identity is shared).
    POST: upload a photo or document (multipart/form-data)."""

    def owner(self, actor: Actor, pk: UUID, for_action: Action) -> dict[str, Any]:
        return {"person": selectors.person_get(actor=actor, person_id=pk, for_action=for_action)}

    @extend_schema(responses=AttachmentOut(many=True))
    def get(self, request: Request, person_id: UUID) -> Response:
        return self.list(request, person_id)

    @extend_schema(request={"multipart/form-data": AttachmentIn}, responses={201: AttachmentOut})
    def post(self, request: Request, person_id: UUID) -> Response:
        return self.upload(request, person_id)


@extend_schema(tags=["cases"])
class CaseAttachmentListApi(_AttachmentListApi):
    """GET: a case's photos and documents (a partner: where the case's history is shared).
    POST: upload a photo or document (multipart/form-data)."""

    def owner(self, actor: Actor, pk: UUID, for_action: Action) -> dict[str, Any]:
        return {"case": selectors.case_get(actor=actor, case_id=pk, for_action=for_action)}

    @extend_schema(responses=AttachmentOut(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        return self.list(request, case_id)

    @extend_schema(request={"multipart/form-data": AttachmentIn}, responses={201: AttachmentOut})
    def post(self, request: Request, case_id: UUID) -> Response:
        return self.upload(request, case_id)


@extend_schema(tags=["attachments"])
class AttachmentDetailApi(APIView):
    """GET: an attachment's description. DELETE: delete it and its file."""

    @extend_schema(responses=AttachmentOut)
    def get(self, request: Request, attachment_id: UUID) -> Response:
        attachment = selectors.attachment_get(actor=actor_of(request), attachment_id=attachment_id)
        return Response(AttachmentOut(attachment).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, attachment_id: UUID) -> Response:
        actor = actor_of(request)
        attachment = selectors.attachment_get(
            actor=actor, attachment_id=attachment_id, for_action=Action.EDIT
        )
        services.attachment_delete(actor=actor, attachment=attachment)
        return Response(status=204)


class _AnyAccept(BaseContentNegotiation):
    """The file answers in its own type whatever the client accepts; errors answer JSON."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


@extend_schema(tags=["attachments"])
class AttachmentFileApi(APIView):
    """GET: the file itself (audited), as a download in the type its content was checked to be."""

    content_negotiation_class = _AnyAccept

    @extend_schema(
        responses={(200, media): OpenApiTypes.BINARY for media in sorted(uploads.EXTENSIONS)}
    )
    def get(self, request: Request, attachment_id: UUID) -> Any:
        attachment, handle = selectors.attachment_open(
            actor=actor_of(request), attachment_id=attachment_id
        )
        return uploads.file_response(
            handle, content_type=attachment.content_type, filename=attachment.download_name
        )
