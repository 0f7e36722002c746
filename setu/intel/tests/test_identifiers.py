"""The normalisers: every kind, in the forms people write it, and what they refuse. No database."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from setu.intel import identifiers as ids
from setu.intel.identifiers import InvalidIdentifier


@pytest.mark.parametrize(
    "raw",
    ["+91 98765 43210", "+91-98765-43210", "098765 43210", "9876543210", "0091 9876543210",
     "919876543210", "(+91) 98765.43210", " 98765 43210 "],
)  # fmt: skip
def test_mobile_numbers_in_any_form_meet(raw):
    assert ids.phone(raw) == "+919876543210"


def test_landline_with_std_code():
    assert ids.phone("022 2345 6789") == "+912223456789"
    assert ids.phone("+91 33 2345 6789") == "+913323456789"
    assert ids.phone("0612-2345678") == "+916122345678"


def test_foreign_number_keeps_its_country_code():
    assert ids.phone("+977 98 0123 4567") == "+9779801234567"
    assert ids.phone("00880 1712 345678") == "+8801712345678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [("98765 4321", "too_short"), ("98765432101", "too_long"), ("2223456789", "format"),
     ("98765abc10", "bad_characters"), ("", "empty"), ("   ", "empty"), ("9999999999", "format"),
     ("+91 0987654321", "format"), ("+1 23", "format")],
)  # fmt: skip
def test_bad_phones_are_refused_with_a_reason(raw, code):
    with pytest.raises(InvalidIdentifier) as exc:
        ids.phone(raw)
    assert exc.value.code == code and exc.value.kind == "phone"
    assert isinstance(exc.value, ValueError) and str(exc.value)


def test_upi():
    assert ids.upi(" Rakesh.Agent@OKAXIS ") == "rakesh.agent@okaxis"
    assert ids.upi("98765 43210@ybl") == "9876543210@ybl"
    for bad, code in [("rakesh", "format"), ("a@b@c", "format"), ("rk@gmail.com", "looks_like_email"),
                      ("ra$h@okaxis", "bad_characters"), ("r@okaxis", "bad_characters")]:  # fmt: skip
        with pytest.raises(InvalidIdentifier) as exc:
            ids.upi(bad)
        assert exc.value.code == code


def test_ifsc_and_bank_account():
    assert ids.ifsc("sbin 0001234") == "SBIN0001234"
    assert ids.bank_account("3012 4455 6677", "sbin0001234") == "SBIN0001234:301244556677"
    assert ids.bank_account("A/c 3012-4455-6677, IFSC SBIN0001234") == "SBIN0001234:301244556677"
    with pytest.raises(InvalidIdentifier, match="11 characters"):
        ids.ifsc("SBIN001234")
    with pytest.raises(InvalidIdentifier, match="zero"):
        ids.ifsc("SBIN1001234")
    with pytest.raises(InvalidIdentifier) as exc:
        ids.bank_account("301244556677")
    assert exc.value.code == "format" and "IFSC" in str(exc.value)
    with pytest.raises(InvalidIdentifier, match="9 to 18 digits"):
        ids.bank_account("1234", "SBIN0001234")
    with pytest.raises(InvalidIdentifier) as exc:
        ids.bank_account("301244556677", "SBIN1001234")
    assert exc.value.code == "ifsc"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("MH 02 AB 1234", "MH02AB1234"), ("MH02AB1234", "MH02AB1234"), ("mh-2-ab-1234", "MH02AB1234"),
     ("WB 26 F 345", "WB26F0345"), ("UP 32 1234", "UP321234"),
     ("22 BH 1234 AA", "22BH1234AA"), ("22BH1234A", "22BH1234A"), ("DLA 123", "DLA0123"),
     ("DL 3C AB 1234", "DL03CAB1234")],
)  # fmt: skip
def test_vehicle_registrations(raw, canonical):
    assert ids.vehicle(raw) == canonical


def test_vehicle_two_writings_meet():
    assert ids.vehicle("MH 02 AB 1234") == ids.vehicle("mh02ab1234")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("ZZ 02 AB 1234", "unknown_state"), ("MH 00 AB 1234", "format"), ("MH 02 AB 12345", "format"),
     ("MH02-AB#1234", "bad_characters"), ("1234", "format"), ("", "empty")],
)  # fmt: skip
def test_bad_vehicles(raw, code):
    with pytest.raises(InvalidIdentifier) as exc:
        ids.vehicle(raw)
    assert exc.value.code == code


def test_handles_with_or_without_at_any_case():
    assert ids.handle("@Job.Offers_Mumbai", "instagram") == "instagram:job.offers_mumbai"
    assert ids.handle("job.offers_mumbai", "Instagram") == "instagram:job.offers_mumbai"
    assert (
        ids.handle("https://www.instagram.com/Job.Offers_Mumbai/") == "instagram:job.offers_mumbai"
    )
    assert ids.handle("t.me/DubaiJobsNow") == "telegram:dubaijobsnow"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.handle("someone")
    assert exc.value.code == "platform"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.handle("https://t.me/x", "instagram")
    assert exc.value.code == "platform"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.handle("bad handle!", "x")
    assert exc.value.code == "bad_characters"


def test_urls_are_canonical():
    want = "https://example.com/jobs?a=1&b=2"
    for raw in [
        "HTTP://www.Example.com/jobs/?utm_source=fb&b=2&a=1&fbclid=x#top",
        "https://example.com/jobs?a=1&b=2",
        "example.com/jobs/?b=2&a=1&gclid=abc&utm_campaign=x",
        "https://EXAMPLE.com:443/jobs?b=2&a=1",
    ]:
        assert ids.url(raw) == want
    assert ids.url("https://example.com/") == "https://example.com"
    assert ids.url("http://example.com:8080/a") == "https://example.com:8080/a"
    for bad in ["ftp://example.com/x", "not a url", "https://localhost/", "https://exa mple.com",
                "https://[::1"]:  # fmt: skip
        with pytest.raises(InvalidIdentifier):
            ids.url(bad)


def test_email():
    assert ids.email(" Agent.Rao@Example.CO.IN ") == "agent.rao@example.co.in"
    assert ids.email("mailto:a@b.in") == "a@b.in"
    for bad in ["agent", "a@b", "a@@b.in", ".a@b.in", "a..b@c.in"]:
        with pytest.raises(InvalidIdentifier):
            ids.email(bad)


def test_gstin_with_its_check_character():
    assert ids.gstin("27aapfu0939f1zv") == "27AAPFU0939F1ZV"
    assert ids.gstin("27 AAPFU 0939F 1ZV") == "27AAPFU0939F1ZV"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.gstin("27AAPFU0939F1ZW")
    assert exc.value.code == "checksum"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.gstin("55AAPFU0939F1ZV")
    assert exc.value.code == "unknown_state"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.gstin("27AAPFU0939F1Z")
    assert exc.value.code == "format"


def test_pan_and_other_registrations():
    assert ids.pan("aapfu 0939f") == "AAPFU0939F"
    with pytest.raises(InvalidIdentifier):
        ids.pan("AAPF00939F")
    assert ids.registration(" b-0123 / mah / part ") == "B-0123/MAH/PART"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.registration("b-")
    assert exc.value.code == "too_short"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.registration("ABC;DROP")
    assert exc.value.code == "bad_characters"


def test_addresses_and_names():
    assert ids.address("12, Falkland Rd.,  Kamathipura") == "12 falkland rd kamathipura"
    with pytest.raises(InvalidIdentifier):
        ids.address("Mumbai")
    assert ids.name_key("Salim  KHAN") == ids.name_key("Khan, Salim") == "khan salim"
    assert ids.name_key("सलीम खान") == "khan salim"
    with pytest.raises(InvalidIdentifier):
        ids.name_key("--")


def test_normalise_dispatches_and_refuses_unknown_kinds():
    assert ids.normalise("phone", "09876543210") == "+919876543210"
    assert ids.normalise("handle", "@A_b", platform="x") == "x:a_b"
    with pytest.raises(InvalidIdentifier) as exc:
        ids.normalise("horoscope", "x")
    assert exc.value.code == "kind"
    assert set(ids.KINDS) >= {"phone", "upi", "bank_account", "vehicle", "handle", "url", "gstin"}


def test_not_a_string_is_refused():
    with pytest.raises(InvalidIdentifier):
        ids.phone(None)  # type: ignore[arg-type]


def test_imports_without_django():
    code = textwrap.dedent(
        """
        import sys
        sys.modules['django'] = None
        from setu.intel import identifiers
        assert identifiers.phone('098765 43210') == '+919876543210'
        loaded = [m for m in sys.modules if m.startswith('django') and sys.modules[m] is not None]
        assert not loaded, loaded
        """
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
