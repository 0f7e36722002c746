"""Link tokens and short codes for feedback: random, unguessable, and kept only as keyed digests.

A link token is 192 random bits (``secrets.token_urlsafe(24)``). A short code, for a printed
card, an SMS or a phone's keypad, is 10 symbols of a 32-symbol alphabet without look-alikes
(0/O, 1/I): 50 random bits, written ``XXXXX-XXXXX``. Guessing is also rate-limited per address
and overall (``feedback.services``), so with 100,000 live codes an attacker allowed 1,000
guesses an hour would need on the order of a million years to expect one hit.

Only an HMAC under the secret key is stored: a leaked database gives no working link, and a
50-bit code cannot be brute-forced offline from its digest without the key.
"""

from __future__ import annotations

import secrets
import unicodedata

from django.utils.crypto import salted_hmac

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
TOKEN_BYTES = 24


def new_token() -> str:
    """A fresh link token (URL-safe, 32 characters, 192 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_code() -> str:
    """A fresh short code, grouped for reading aloud: ``7KQ4M-XH2PD``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(text: str) -> str:
    """The code's symbols only: upper case, digits of any script as ASCII, separators dropped;
    O and I read as 0 and 1 would be, which the alphabet leaves out, so they count as typos."""
    out = []
    for char in text.strip().upper():
        if char.isdigit():
            char = str(unicodedata.digit(char))
        if char in ALPHABET:
            out.append(char)
    return "".join(out)


def digest(kind: str, value: str) -> str:
    """The keyed digest stored in place of a token or code (``kind`` keeps them apart)."""
    return salted_hmac(f"setu.feedback.{kind}", value, algorithm="sha256").hexdigest()


def token_digest(token: str) -> str:
    return digest("token", token.strip())


def code_digest(code: str) -> str:
    return digest("code", normalise_code(code))


def looks_like_token(token: str) -> bool:
    """Cheap shape check before any database read: 32 URL-safe characters."""
    return len(token) == 32 and all(c.isalnum() or c in "-_" for c in token)


def looks_like_code(code: str) -> bool:
    return len(normalise_code(code)) == CODE_LENGTH
