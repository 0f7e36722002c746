"""Base model shared by every Setu table."""

from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    """A row with a random UUID key (never a guessable sequence) and timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
