"""Lists for the API that start from a policy-scoped selector."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import generics

from setu.access.actor import Actor, actor_of


class ScopedListApi(generics.ListAPIView):
    """A list endpoint whose rows always come from a policy-scoped selector.

    Subclasses set ``model`` and implement ``scoped(actor)``; nothing else feeds the list.
    """

    model: type[Model]

    def scoped(self, actor: Actor) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            # Schema generation only needs the model; no request, no actor, no rows.
            return self.model._default_manager.none()
        return self.scoped(actor_of(self.request))
