"""Encryption at rest of the most sensitive columns, and blind indexes to find them again
(issue 28, promise 3; docs/deployment.md §12).

A column of ``EncryptedTextField`` holds ``v<key id>:<base64url(nonce | AES-256-GCM ciphertext)>``.
The associated data is the table, the column and the row's primary key, so a value copied to
another row or column no longer opens: reading it raises ``Undecryptable`` instead of showing
one survivor's phone on another's page. Keys come from ``SETU_FIELD_KEYS`` (a JSON object of
key id -> base64 32-byte key, oldest first: the last one encrypts); older keys only decrypt
until ``setu keys rotate`` has re-encrypted their rows and they are retired.

Exact search runs on ``BlindIndexField`` columns: an HMAC-SHA256 under a separate key
(``SETU_FIELD_INDEX_KEY``) of the normalised value, so equal values have equal digests while
the column tells nothing to whoever holds the database without the key.

Development, demo and test runs derive both keys from the secret key (key id ``dev``); a
production server without them fails the deploy check ``setu.E005`` and refuses to read or
write these columns.

The field decrypts when the attribute is read on a model instance (it needs the row's key),
so ``values()`` / ``values_list()`` of an encrypted column return the stored ciphertext
(``Stored``), which is what a backup wants. Writes go through ``save()`` / ``bulk_create``,
which encrypt; ``update(col=plain text)`` or ``filter(col=plain text)`` raise ``TypeError``:
search the blind index instead.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import validators
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router
from django.db.models.query_utils import DeferredAttribute

KEY_ID = re.compile(r"[A-Za-z0-9]{1,16}")
_TOKEN = re.compile(r"v([A-Za-z0-9]{1,16}):([A-Za-z0-9_-]+)")
_NONCE = 12
DEV_KEY_ID = "dev"


class Undecryptable(Exception):
    """A stored value that does not open: unknown or retired key, altered, or moved from
    another row or column."""


@dataclass(frozen=True)
class Keyring:
    """The field keys (oldest first; the last encrypts) and the blind-index key."""

    keys: dict[str, bytes]
    index_key: bytes
    derived: bool

    @property
    def current(self) -> str:
        return next(reversed(self.keys))


def _b64key(name: str, raw: str) -> bytes:
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name}: a key is not valid base64") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name}: a key must be 32 bytes (base64 of 32 random bytes)")
    return key


@functools.lru_cache(maxsize=8)
def _keyring(field_keys: str, index_key: str, secret: str, derive: bool) -> Keyring:
    if not field_keys.strip() and not index_key.strip() and derive:
        # Development, demo and tests: stable keys from the secret key, never configured.
        dev = hmac.new(secret.encode(), b"setu field key dev", hashlib.sha256).digest()
        idx = hmac.new(secret.encode(), b"setu field index key dev", hashlib.sha256).digest()
        return Keyring({DEV_KEY_ID: dev}, idx, derived=True)
    if not field_keys.strip():
        raise ImproperlyConfigured(
            "SETU_FIELD_KEYS is not set: the encrypted columns cannot be read or written "
            "(docs/deployment.md §12)."
        )
    if not index_key.strip():
        raise ImproperlyConfigured("SETU_FIELD_INDEX_KEY is not set (docs/deployment.md §12).")
    try:
        parsed = json.loads(field_keys)
    except ValueError:
        raise ImproperlyConfigured("SETU_FIELD_KEYS must be a JSON object") from None
    if not isinstance(parsed, dict) or not parsed:
        raise ImproperlyConfigured("SETU_FIELD_KEYS must be a JSON object of key id -> key")
    keys: dict[str, bytes] = {}
    for kid, raw in parsed.items():
        if not KEY_ID.fullmatch(str(kid)) or not isinstance(raw, str):
            raise ImproperlyConfigured(
                "SETU_FIELD_KEYS: key ids are 1-16 letters or digits, keys base64 strings"
            )
        keys[str(kid)] = _b64key("SETU_FIELD_KEYS", raw)
    idx = _b64key("SETU_FIELD_INDEX_KEY", index_key)
    if idx in keys.values():
        raise ImproperlyConfigured("SETU_FIELD_INDEX_KEY must differ from every field key")
    return Keyring(keys, idx, derived=False)


def keyring() -> Keyring:
    """The keys in force, from settings (raises ImproperlyConfigured when they are missing)."""
    return _keyring(
        getattr(settings, "FIELD_KEYS", ""),
        getattr(settings, "FIELD_INDEX_KEY", ""),
        settings.SECRET_KEY,
        bool(getattr(settings, "FIELD_KEYS_DERIVED", False)),
    )


def new_key() -> str:
    """A fresh random key, base64, for SETU_FIELD_KEYS or SETU_FIELD_INDEX_KEY."""
    return base64.b64encode(os.urandom(32)).decode("ascii")


# --- values -------------------------------------------------------------------------------------


class Stored(str):
    """A column's value exactly as stored (ciphertext): written back verbatim."""

    __slots__ = ()


class Verbatim(Stored):
    """Ciphertext to write back unopened (a restore from backup needs no key to copy it)."""

    __slots__ = ()


class Opened(str):
    """A decrypted value that remembers the ciphertext it came from, so that saving the row
    unchanged (or a raw insert) writes that ciphertext back instead of re-encrypting."""

    token: str
    aad: str

    def __new__(cls, text: str, *, token: str, aad: str) -> Opened:
        obj = super().__new__(cls, text)
        obj.token, obj.aad = token, aad
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled or copied, it is plain text again: never ciphertext bound to another row.
        return (str, (str(self),))


def key_id_of(token: str) -> str | None:
    """The key id a stored value was encrypted with, or None when it is no token."""
    m = _TOKEN.fullmatch(token or "")
    return m.group(1) if m else None


def seal(text: str, aad: str) -> str:
    """``text`` encrypted under the current key, bound to ``aad``."""
    ring = keyring()
    kid = ring.current
    nonce = os.urandom(_NONCE)
    data = AESGCM(ring.keys[kid]).encrypt(nonce, text.encode("utf-8"), aad.encode("utf-8"))
    return f"v{kid}:" + base64.urlsafe_b64encode(nonce + data).rstrip(b"=").decode("ascii")


def unseal(token: str, aad: str) -> str:
    """The text of a stored value; raises ``Undecryptable`` (never says more than which key)."""
    m = _TOKEN.fullmatch(token or "")
    if m is None:
        raise Undecryptable("not an encrypted value")
    kid, body = m.groups()
    key = keyring().keys.get(kid)
    if key is None:
        raise Undecryptable(f"encrypted under key {kid!r}, which is not configured")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plain = AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], aad.encode("utf-8"))
    except (InvalidTag, ValueError, binascii.Error):
        raise Undecryptable("the value was altered or belongs to another row") from None
    return plain.decode("utf-8")


# --- blind indexes ------------------------------------------------------------------------------


def _words(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.casefold()))


def _alnum_upper(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def _tail6(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[-6:] if len(digits) >= 6 else ""


# How each index normalises its value before hashing; named, so that migrations name them.
TRANSFORMS = {
    "exact": str.strip,
    "words": _words,  # case, punctuation and spacing ignored (places)
    "alnum": _alnum_upper,  # document numbers: "ab-123 45" == "AB12345"
    "tail6": _tail6,  # the last six digits (partial phone search)
}


def blind_index(purpose: str, value: str, transform: str = "exact") -> str:
    """HMAC-SHA256 (hex) of the normalised value under the index key; '' for no value."""
    text = TRANSFORMS[transform](value or "")
    if not text:
        return ""
    msg = purpose.encode() + b"\x00" + text.encode("utf-8")
    return hmac.new(keyring().index_key, msg, hashlib.sha256).hexdigest()


# --- model fields -------------------------------------------------------------------------------


class _Decrypting(DeferredAttribute):
    """Decrypts the stored value on first read from the instance (the key needs its pk). A data
    descriptor (it has ``__set__``), so reads come here even once the value is loaded."""

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if type(value) is Stored:
            field: EncryptedTextField = self.field  # type: ignore[assignment]
            value = field.opened(instance, value)
            instance.__dict__[self.field.attname] = value
        return value


class EncryptedTextField(models.TextField):
    """Text encrypted with AES-256-GCM under the newest field key, bound to its row and column.

    ``max_length`` limits the plain text (validation), not the column, which is ``text``."""

    descriptor_class = _Decrypting

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def aad(self, instance: Any) -> str:
        """What the ciphertext is bound to: table, column and primary key."""
        if instance.pk is None:
            raise ValueError(f"{self.model._meta.label_lower}: an encrypted row needs its pk first")
        return self.aad_for(instance.pk)

    def aad_for(self, pk: Any) -> str:
        return f"{self.model._meta.label_lower}.{self.name}.{pk}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return Stored(value) if value else value

    def opened(self, instance: Any, stored: Stored) -> Any:
        """The value of a stored ciphertext, as the attribute shows it."""
        aad = self.aad(instance)
        return Opened(unseal(stored, aad), token=str(stored), aad=aad)

    def plain_text(self, value: Any) -> str:
        return str(value)

    def unchanged_token(self, instance: Any, value: Any, aad: str) -> str | None:
        """The ciphertext this value was read from, when it is still that row's value."""
        return value.token if isinstance(value, Opened) and value.aad == aad else None

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value is None or value == "":
            return value
        aad = self.aad(model_instance)
        token = self.unchanged_token(model_instance, value, aad)
        if token is not None and key_id_of(token) == keyring().current:
            return Stored(token)
        return Stored(seal(self.plain_text(value), aad))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or value == "":
            return value
        if isinstance(value, Opened):
            return value.token
        if isinstance(value, Stored):
            return str(value)
        raise TypeError(
            f"{self.model._meta.label_lower}.{self.name} is encrypted: write it by saving the "
            "instance, and look it up by its blind index, not by its text"
        )


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict or list) kept as encrypted text; the attribute is the decoded value."""

    def _cache(self) -> str:
        return f"_{self.attname}_sealed"

    def opened(self, instance: Any, stored: Stored) -> Any:
        aad = self.aad(instance)
        text = unseal(stored, aad)
        instance.__dict__[self._cache()] = (str(stored), aad, text)
        return json.loads(text)

    def plain_text(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def unchanged_token(self, instance: Any, value: Any, aad: str) -> str | None:
        cached = instance.__dict__.get(self._cache())
        if cached and cached[1] == aad and cached[2] == self.plain_text(value):
            return str(cached[0])
        return None

    def to_python(self, value: Any) -> Any:
        return value


class BlindIndexField(models.CharField):
    """HMAC of another field's normalised value, kept on every save, for exact lookups."""

    def __init__(self, *args: Any, source: str, transform: str = "exact", **kwargs: Any) -> None:
        if transform not in TRANSFORMS:
            raise ValueError(f"unknown blind index transform {transform!r}")
        self.source, self.transform = source, transform
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["transform"] = self.source, self.transform
        for key, default in (("max_length", 64), ("blank", True), ("default", ""),
                             ("editable", False), ("db_index", True)):  # fmt: skip
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    @property
    def purpose(self) -> str:
        """Domain separation: the same phone in two columns has two unrelated digests."""
        return f"{self.model._meta.label_lower}.{self.source}.{self.transform}"

    def digest(self, value: str) -> str:
        """The index value for ``value``: what to filter this column by."""
        return blind_index(self.purpose, value, self.transform)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = self.digest(str(getattr(model_instance, self.source) or ""))
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    """The encrypted columns of a model."""
    return [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]


def index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    """The blind-index columns of a model."""
    return [f for f in model._meta.local_concrete_fields if isinstance(f, BlindIndexField)]


# --- whole tables: data migrations, rotation, re-indexing -------------------------------------


def _needs_key(model: type[models.Model], key_id: str | None) -> models.Q:
    """Rows with an encrypted value not under ``key_id`` (None: any non-empty value)."""
    q = models.Q(pk__in=[])
    for f in encrypted_fields(model):
        filled = models.Q(**{f"{f.attname}__isnull": False}) & ~models.Q(**{f.attname: ""})
        if key_id is not None:
            filled &= ~models.Q(**{f"{f.attname}__startswith": f"v{key_id}:"})
        q |= filled
    return q


def _rewrite(
    model: type[models.Model], pks: list[Any], *, encrypt: bool, legacy: bool = False
) -> int:
    """Re-encrypt (under the current key) or decrypt these rows, and refill their indexes.
    ``legacy``: the column may still hold plain text (the first data migration only)."""
    enc, idx = encrypted_fields(model), index_fields(model)
    names = [f.attname for f in enc]
    rows = model._base_manager.filter(pk__in=pks).values_list("pk", *names)
    changed = []
    for pk, *values in rows:
        plain: dict[str, str] = {}
        updates: dict[str, Any] = {}
        for f, value in zip(enc, values, strict=True):
            if value is None or value == "":
                # An empty value stays as it is (a row may fill only some of its columns).
                plain[f.name], updates[f.attname] = "", value
                continue
            # A JSON column not yet encrypted comes back decoded by the database driver.
            text = value if isinstance(value, str) else f.plain_text(value)
            if key_id_of(text) is not None:
                try:
                    text = unseal(text, f.aad_for(pk))
                except Undecryptable:
                    if not legacy:
                        raise
                    # Plain text from before encryption that merely looks like a token.
            plain[f.name] = text
            updates[f.attname] = Verbatim(seal(text, f.aad_for(pk)) if encrypt else text)
        for i in idx:
            updates[i.attname] = i.digest(plain.get(i.source, "")) if encrypt else ""
        changed.append((pk, updates))
    if not changed:
        return 0
    # One prepared UPDATE run for every row (executemany): bulk_update's CASE expressions cost
    # more in Python than the encryption itself. Only text columns, so no adaptation is needed.
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    columns = [*enc, *idx]
    sql = (
        f"UPDATE {qn(model._meta.db_table)} SET "  # noqa: S608  (names from the model)
        + ", ".join(f"{qn(f.column)} = %s" for f in columns)
        + f" WHERE {qn(model._meta.pk.column)} = %s"
    )
    pk_field = model._meta.pk
    params = [
        [None if updates[f.attname] is None else str(updates[f.attname]) for f in columns]
        + [pk_field.get_db_prep_value(pk, connection)]
        for pk, updates in changed
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(changed)


def encrypt_table(model: type[models.Model], *, batch: int = 1000) -> int:
    """Encrypt every row's plain values in place and fill the blind indexes (a data migration's
    forward step; values already under the current key are re-sealed unchanged in meaning)."""
    return _each_batch(model, model._base_manager.all(), batch, encrypt=True, legacy=True)


def decrypt_table(model: type[models.Model], *, batch: int = 1000) -> int:
    """Write every row's values back in clear and empty the indexes (the migration's reverse)."""
    return _each_batch(
        model, model._base_manager.filter(_needs_key(model, None)), batch, encrypt=False
    )


def _each_batch(
    model: type[models.Model], qs: Any, batch: int, *, encrypt: bool, legacy: bool = False
) -> int:
    total, after = 0, None
    while True:
        page = qs.order_by("pk")
        if after is not None:
            page = page.filter(pk__gt=after)
        pks = list(page.values_list("pk", flat=True)[:batch])
        if not pks:
            return total
        total += _rewrite(model, pks, encrypt=encrypt, legacy=legacy)
        after = pks[-1]


def rotate_batch(model: type[models.Model], *, batch: int = 500) -> int:
    """Re-encrypt up to ``batch`` rows holding a value under an older key (the caller's
    transaction); 0 when none is left. Resumable: the rows left are found by their key id."""
    current = keyring().current
    pks = list(
        model._base_manager.filter(_needs_key(model, current))
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    return _rewrite(model, pks, encrypt=True) if pks else 0


def reindex_batch(
    model: type[models.Model], *, after: Any = None, batch: int = 500
) -> tuple[int, Any]:
    """Recompute the blind indexes of the next ``batch`` rows after ``after`` (for a new index
    key); returns (rows, last pk)."""
    qs = model._base_manager.order_by("pk")
    if after is not None:
        qs = qs.filter(pk__gt=after)
    pks = list(qs.values_list("pk", flat=True)[:batch])
    return (_rewrite(model, pks, encrypt=True), pks[-1]) if pks else (0, after)


def key_counts(model: type[models.Model]) -> dict[str, dict[str, int]]:
    """Per encrypted column: how many values each configured key id holds, and ``other`` for
    values under no configured key (a retired key still in use, or not encrypted at all)."""
    ring = keyring()
    out: dict[str, dict[str, int]] = {}
    for f in encrypted_fields(model):
        qs = model._base_manager.exclude(**{f.attname: ""}).filter(
            **{f"{f.attname}__isnull": False}
        )
        total = qs.count()
        counts = {
            kid: qs.filter(**{f"{f.attname}__startswith": f"v{kid}:"}).count() for kid in ring.keys
        }
        counts["other"] = total - sum(counts.values())
        out[f.name] = counts
    return out


def encrypted_models() -> list[type[models.Model]]:
    """Every installed model with an encrypted column."""
    from django.apps import apps

    return [m for m in apps.get_models() if encrypted_fields(m)]
