"""Canonical forms of the identifiers traffickers leave behind, as India writes them.

Plain Python (no Django): every function takes what a person typed and returns one canonical
string, or raises ``InvalidIdentifier`` (a ``ValueError``) saying what is wrong. Two records of
the same phone, UPI ID, account, vehicle, handle, web address, e-mail, GSTIN or agency
registration therefore carry the same value, and the cross-reference index compares values
only. Names go through the linkage engine's public normalisation (``setu.linkage.to_latin``).

The error's ``code`` lets a caller show the message in the user's language; ``str(error)`` is
the English message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from setu.linkage import to_latin

__all__ = [
    "KINDS",
    "PLATFORMS",
    "InvalidIdentifier",
    "address",
    "bank_account",
    "email",
    "gstin",
    "handle",
    "ifsc",
    "name_key",
    "normalise",
    "pan",
    "phone",
    "registration",
    "upi",
    "url",
    "vehicle",
]


class InvalidIdentifier(ValueError):
    """A value that is not a valid identifier of its kind; nothing of it should be stored."""

    def __init__(self, kind: str, code: str, message: str) -> None:
        self.kind = kind
        self.code = code
        super().__init__(message)


def _fail(kind: str, code: str, message: str) -> InvalidIdentifier:
    return InvalidIdentifier(kind, code, message)


def _text(kind: str, value: str) -> str:
    if not isinstance(value, str):
        raise _fail(kind, "empty", "Give a value.")
    value = unicodedata.normalize("NFKC", value).strip()
    if not value:
        raise _fail(kind, "empty", "Give a value.")
    if len(value) > 500:
        raise _fail(kind, "too_long", "The value is too long.")
    return value


# --- Phones -------------------------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s\-().\u2010-\u2015/]")


def phone(value: str) -> str:
    """An Indian number as +91 and its ten national digits; a foreign one as + and its digits.

    Accepts +91, 0091, 91 and a leading 0 before the ten digits, with spaces, dashes, dots and
    brackets anywhere. A mobile number has ten digits beginning with 6-9. A landline is written
    with its STD code and the leading 0 (``022 2345 6789``) or +91, since ten bare digits that
    begin with 1-5 are more likely a mistyped mobile. A foreign number needs + or 00.
    """
    kind = "phone"
    raw = _text(kind, value)
    digits = _PHONE_JUNK.sub("", raw)
    international = digits.startswith("+") or digits.startswith("00")
    digits = digits[1:] if digits.startswith("+") else digits[2:] if international else digits
    if not digits.isdigit():
        raise _fail(kind, "bad_characters", "A phone number has only digits, spaces and dashes.")
    if international and not digits.startswith("91"):
        if not 8 <= len(digits) <= 15:
            raise _fail(kind, "format", "A foreign number has 8 to 15 digits after the +.")
        return "+" + digits
    if international or (len(digits) == 12 and digits.startswith("91")):
        national, trunk = digits[2:], True
    elif len(digits) == 11 and digits.startswith("0"):
        national, trunk = digits[1:], True
    else:
        national, trunk = digits, False
    if len(national) < 10:
        raise _fail(kind, "too_short", "An Indian phone number has 10 digits (after +91 or 0).")
    if len(national) > 10:
        raise _fail(kind, "too_long", "An Indian phone number has 10 digits (after +91 or 0).")
    if national[0] == "0":
        raise _fail(kind, "format", "An Indian phone number does not begin with 00 after +91.")
    if national[0] in "12345" and not trunk:
        raise _fail(
            kind,
            "format",
            "A mobile number begins with 6, 7, 8 or 9; write a landline with its STD code "
            "and a leading 0, for example 022 2345 6789.",
        )
    if len(set(national)) == 1:
        raise _fail(kind, "format", "This is not a real phone number.")
    return "+91" + national


# --- Money: UPI, bank accounts, IFSC ----------------------------------------------------------

_UPI = re.compile(r"^([a-z0-9][a-z0-9._-]{1,255})@([a-z][a-z0-9]{1,63})$")


def upi(value: str) -> str:
    """A UPI ID (virtual payment address) ``handle@psp`` in lower case."""
    kind = "upi"
    raw = re.sub(r"\s+", "", _text(kind, value)).lower()
    if raw.count("@") != 1:
        raise _fail(kind, "format", "A UPI ID is a name, @ and the bank's handle: name@okaxis.")
    handle_part, psp = raw.split("@")
    if "." in psp:
        raise _fail(kind, "looks_like_email", "This looks like an e-mail address, not a UPI ID.")
    match = _UPI.match(raw)
    if not match:
        raise _fail(
            kind,
            "bad_characters",
            "A UPI ID uses letters, digits, dots, dashes and underscores, then @ and letters.",
        )
    if len(handle_part) > 256:
        raise _fail(kind, "too_long", "The UPI ID is too long.")
    return raw


_IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")


def ifsc(value: str) -> str:
    """An IFSC: four letters (the bank), a zero, six letters or digits (the branch)."""
    kind = "ifsc"
    raw = re.sub(r"[\s-]", "", _text(kind, value)).upper()
    if len(raw) != 11:
        raise _fail(kind, "format", "An IFSC has 11 characters, for example SBIN0001234.")
    if not _IFSC.match(raw):
        raise _fail(
            kind,
            "format",
            "An IFSC is four letters, a zero and six letters or digits, for example SBIN0001234.",
        )
    return raw


_IFSC_IN_TEXT = re.compile(r"[A-Za-z]{4}\s*0\s*[A-Za-z0-9]{6}")


def bank_account(value: str, ifsc_code: str = "") -> str:
    """A bank account as ``IFSC:number`` (9-18 digits). The IFSC may be given apart or in the
    same text (``"SBIN0001234 / 3012 4455 6677"``)."""
    kind = "bank_account"
    raw = _text(kind, value)
    if not ifsc_code:
        found = _IFSC_IN_TEXT.search(raw)
        if found is None:
            raise _fail(kind, "format", "Give the account's IFSC with its number.")
        ifsc_code, raw = found.group(0), raw[: found.start()] + raw[found.end() :]
    try:
        branch = ifsc(ifsc_code)
    except InvalidIdentifier as exc:
        raise _fail(kind, "ifsc", str(exc)) from exc
    number = re.sub(r"[\s\-/:,;.#]|(?i:a/?c|account|acct|number|ifsc|no)", "", raw)
    if not number.isdigit():
        raise _fail(kind, "bad_characters", "An account number has only digits.")
    if not 9 <= len(number) <= 18:
        raise _fail(kind, "format", "An Indian bank account number has 9 to 18 digits.")
    return f"{branch}:{number}"


# --- Vehicles -----------------------------------------------------------------------------------

# State and union-territory codes of registration marks (Motor Vehicles Act; old ones kept).
STATE_CODES = frozenset(
    [
        "AN",
        "AP",
        "AR",
        "AS",
        "BR",
        "CG",
        "CH",
        "DD",
        "DL",
        "DN",
        "GA",
        "GJ",
        "HP",
        "HR",
        "JH",
        "JK",
        "KA",
        "KL",
        "LA",
        "LD",
        "MH",
        "ML",
        "MN",
        "MP",
        "MZ",
        "NL",
        "OD",
        "OR",
        "PB",
        "PY",
        "RJ",
        "SK",
        "TN",
        "TR",
        "TS",
        "UK",
        "UP",
        "UA",
        "WB",
    ]
)
_MODERN = re.compile(r"^([A-Z]{2})(\d{1,2})([A-Z]{0,3})(\d{1,4})$")
_BHARAT = re.compile(r"^(\d{2})BH(\d{4})([A-Z]{1,2})$")
_OLD = re.compile(r"^([A-Z]{3})(\d{1,4})$")


def vehicle(value: str) -> str:
    """A registration mark without spaces or dashes: ``MH02AB1234`` (the district as two digits,
    the number as four), Bharat series ``22BH1234AA``, or an old three-letter mark ``DLA1234``."""
    kind = "vehicle"
    raw = re.sub(r"[\s\-.]", "", _text(kind, value)).upper()
    if not raw.isalnum() or not raw.isascii():
        raise _fail(kind, "bad_characters", "A registration mark has only letters and digits.")
    bharat = _BHARAT.match(raw)
    if bharat:
        return f"{bharat.group(1)}BH{bharat.group(2)}{bharat.group(3)}"
    modern = _MODERN.match(raw)
    if modern:
        state, district, series, number = modern.groups()
        if state not in STATE_CODES:
            raise _fail(kind, "unknown_state", f"{state} is not a state's registration code.")
        if int(district) == 0 or int(number) == 0:
            raise _fail(kind, "format", "The district and the number cannot be zero.")
        return f"{state}{int(district):02d}{series}{int(number):04d}"
    old = _OLD.match(raw)
    if old and int(old.group(2)) > 0:
        return f"{old.group(1)}{int(old.group(2)):04d}"
    raise _fail(
        kind,
        "format",
        "Write a registration like MH 02 AB 1234, a Bharat series mark like 22 BH 1234 AA, "
        "or an old mark like DLA 1234.",
    )


# --- Online: handles, web addresses, e-mail -----------------------------------------------------

PLATFORMS = (
    "instagram",
    "facebook",
    "telegram",
    "x",
    "youtube",
    "sharechat",
    "snapchat",
    "linkedin",
    "other",
)
_PLATFORM_HOSTS = {
    "instagram.com": "instagram",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "twitter.com": "x",
    "x.com": "x",
    "youtube.com": "youtube",
    "sharechat.com": "sharechat",
    "snapchat.com": "snapchat",
    "linkedin.com": "linkedin",
}
_HANDLE = re.compile(r"^[a-z0-9._-]{1,64}$")


def handle(value: str, platform: str = "") -> str:
    """A social-media or messaging handle as ``platform:handle`` in lower case, without @.

    A profile link (``https://www.instagram.com/Job.Offers_Mumbai/``) gives both the platform
    and the handle. WhatsApp is a phone number: record it as a phone.
    """
    kind = "handle"
    raw = _text(kind, value)
    platform = (platform or "").strip().lower()
    if "/" in raw:
        parts = urlsplit(raw if "://" in raw else "https://" + raw)
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
        from_link = _PLATFORM_HOSTS.get(host)
        path = [p for p in parts.path.split("/") if p]
        if not from_link or not path:
            raise _fail(kind, "format", "Give the handle, or a link to the profile.")
        if platform and platform != from_link:
            raise _fail(kind, "platform", "The link is to another platform than the one chosen.")
        platform, raw = from_link, path[-1] if path[0] in ("in", "u") else path[0]
    if platform not in PLATFORMS:
        raise _fail(kind, "platform", "Choose the platform the handle belongs to.")
    name = raw.strip().lstrip("@").lower()
    if not name:
        raise _fail(kind, "empty", "Give a value.")
    if not _HANDLE.match(name):
        raise _fail(
            kind, "bad_characters", "A handle has only letters, digits, dots, dashes and _."
        )
    return f"{platform}:{name}"


# Parameters that only say where a click came from: removed, so two copies of an
# advertisement's link compare equal.
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "igshid", "igsh", "mc_cid", "mc_eid", "ref_src", "si"}
)
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$")


def url(value: str) -> str:
    """A web address as ``https://host/path?query``: the scheme http or https (both become
    https), host in lower case without ``www.`` or a default port, no fragment, no trailing
    slash, tracking parameters (utm_*, fbclid, gclid, …) removed, the rest sorted."""
    kind = "url"
    raw = _text(kind, value)
    if any(ch.isspace() for ch in raw):
        raise _fail(kind, "bad_characters", "A web address has no spaces.")
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise _fail(kind, "format", "This is not a web address.") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise _fail(kind, "format", "Only web addresses (http or https) can be recorded.")
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii").lower() if host else ""
    except UnicodeError as exc:
        raise _fail(kind, "format", "The address's host name is not valid.") from exc
    host = host.removeprefix("www.")
    if not _HOST.match(host):
        raise _fail(kind, "format", "The address needs a host name such as example.com.")
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))


_EMAIL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@([a-z0-9-]{1,63}\.)+[a-z]{2,63}$")


def email(value: str) -> str:
    """An e-mail address in lower case."""
    kind = "email"
    raw = _text(kind, value).lower()
    if raw.startswith("mailto:"):
        raw = raw[len("mailto:") :]
    if raw.count("@") != 1 or not _EMAIL.match(raw):
        raise _fail(kind, "format", "Write an e-mail address as name@example.com.")
    local = raw.split("@")[0]
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise _fail(kind, "format", "Write an e-mail address as name@example.com.")
    return raw


# --- Registrations: GSTIN, PAN, licences ---------------------------------------------------------

_PAN = re.compile(r"^[A-Z]{5}\d{4}[A-Z]$")
_GSTIN = re.compile(r"^(\d{2})([A-Z]{5}\d{4}[A-Z])([1-9A-Z])Z([0-9A-Z])$")
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# GST state codes: 01-38 (states and union territories), 97 (other territory), 99 (centre).
_GST_STATES = frozenset({*range(1, 39), 97, 99})


def pan(value: str) -> str:
    """A PAN: five letters, four digits, a letter."""
    kind = "pan"
    raw = re.sub(r"\s", "", _text(kind, value)).upper()
    if not _PAN.match(raw):
        raise _fail(kind, "format", "A PAN is five letters, four digits and a letter.")
    return raw


def gstin_check_character(first14: str) -> str:
    """The 15th character of a GSTIN (the GSTN's base-36 check of the first 14)."""
    total = 0
    for i, ch in enumerate(first14):
        product = _BASE36.index(ch) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return _BASE36[(36 - total % 36) % 36]


def gstin(value: str) -> str:
    """A GSTIN: state code, the holder's PAN, entity number, Z and a check character."""
    kind = "gstin"
    raw = re.sub(r"[\s-]", "", _text(kind, value)).upper()
    if len(raw) != 15:
        raise _fail(kind, "format", "A GSTIN has 15 characters, for example 27AAPFU0939F1ZV.")
    match = _GSTIN.match(raw)
    if not match:
        raise _fail(
            kind,
            "format",
            "A GSTIN is a 2-digit state code, a PAN, a digit or letter, Z and a check character.",
        )
    if int(match.group(1)) not in _GST_STATES:
        raise _fail(kind, "unknown_state", "The first two digits are not a GST state code.")
    if gstin_check_character(raw[:14]) != raw[14]:
        raise _fail(kind, "checksum", "The last character does not match: check for a typo.")
    return raw


def registration(value: str) -> str:
    """Another registration or licence number (a recruiting agent's licence, a shop and
    establishment registration, a labour licence): upper case, single spaces, no spaces around
    / or -."""
    kind = "registration"
    raw = re.sub(r"\s+", " ", _text(kind, value)).upper()
    raw = re.sub(r"\s*([/\-.:])\s*", r"\1", raw)
    if len(re.sub(r"[^A-Z0-9]", "", raw)) < 3:
        raise _fail(kind, "too_short", "A registration number has at least 3 letters or digits.")
    if not re.fullmatch(r"[A-Z0-9 /\-.:()#&]+", raw):
        raise _fail(kind, "bad_characters", "Use letters, digits, spaces, / and - only.")
    return raw


# --- Places and names ---------------------------------------------------------------------------


def address(value: str) -> str:
    """An address in a comparable form: Latin letters, lower case, words single-spaced."""
    kind = "address"
    latin = to_latin(_text(kind, value))
    words = re.sub(r"[^a-z0-9]+", " ", latin).split()
    if len(words) < 2:
        raise _fail(kind, "too_short", "Give at least a place and a locality.")
    return " ".join(words)


def name_key(value: str) -> str:
    """A perpetrator's name as a comparable key: the linkage engine's Latin form in any Indian
    script, lower case, punctuation removed, words sorted (so "Khan, Salim" meets "Salim Khan").
    """
    kind = "name"
    latin = to_latin(_text(kind, value))
    words = sorted(re.sub(r"[^a-z0-9]+", " ", latin).split())
    if not words:
        raise _fail(kind, "format", "A name needs letters.")
    return " ".join(words)


NORMALISERS: dict[str, Callable[[str], str]] = {
    "phone": phone,
    "upi": upi,
    "bank_account": bank_account,
    "ifsc": ifsc,
    "vehicle": vehicle,
    "handle": handle,
    "url": url,
    "email": email,
    "gstin": gstin,
    "pan": pan,
    "registration": registration,
    "address": address,
    "name": name_key,
}
KINDS = tuple(NORMALISERS)


def normalise(kind: str, value: str, *, platform: str = "") -> str:
    """The canonical form of ``value`` as an identifier of ``kind`` (one of ``KINDS``)."""
    if kind == "handle":
        return handle(value, platform)
    normaliser = NORMALISERS.get(kind)
    if normaliser is None:
        raise _fail(kind, "kind", f"Unknown kind of identifier: {kind}.")
    return normaliser(value)
