"""Small values kept encrypted at rest under a key derived from ``SECRET_KEY`` (AES-256-GCM).

The number a flow start calls travels through the task queue's table, and a reply to a message
may name what the sender asked about; both are sealed so that neither a database dump nor a
look at the task table shows them. A sealed value does not survive a change of ``SECRET_KEY``
(a queued start then fails and is logged without the number).
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.crypto import salted_hmac

_NONCE = 12


def _key(purpose: str) -> bytes:
    return hashlib.sha256(f"setu.channels.{purpose}:{settings.SECRET_KEY}".encode()).digest()


def seal(text: str, *, purpose: str) -> str:
    """``text`` encrypted and authenticated for ``purpose``, as URL-safe base64."""
    nonce = os.urandom(_NONCE)
    blob = AESGCM(_key(purpose)).encrypt(nonce, text.encode("utf-8"), purpose.encode())
    return base64.urlsafe_b64encode(nonce + blob).decode("ascii")


def unseal(token: str, *, purpose: str) -> str:
    """The text ``seal`` sealed; ``ValueError`` when it was altered or sealed under another key."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
        text = AESGCM(_key(purpose)).decrypt(raw[:_NONCE], raw[_NONCE:], purpose.encode())
    except (InvalidTag, ValueError) as exc:
        raise ValueError("sealed value is damaged or was sealed under another key") from exc
    return text.decode("utf-8")


def digest(value: str, *, purpose: str) -> str:
    """A keyed HMAC-SHA256 of ``value``: equal for equal values, useless without the key."""
    return salted_hmac(f"setu.channels.{purpose}", value, algorithm="sha256").hexdigest()
