"""Translation catalogues: Hindi pages render, every .po is compiled, msgstr keeps msgid's
placeholders and HTML. The .po parser is deliberately tiny so no dependency is added."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGS = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

# %(name)s / %s / %d style and {name} / {{ var }} style; "%%" is a literal percent, not a placeholder.
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]|\{\{.*?\}\}|\{[A-Za-z_0-9]*\}")
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "wbr"}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file (header included as msgid ""), enough for these checks."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, target = None, None
            continue
        if current is None:
            current = Entry()
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            key, index, value = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if key.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = value
            else:
                target = (key, 0)
                setattr(current, key, value)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], (getattr(current, target[0]) or "") + value)
    return entries


def translated(lang: str) -> list[Entry]:
    """Non-obsolete, non-fuzzy entries with a translation (what compilemessages ships)."""
    return [
        e
        for e in parse_po(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po")
        if e.msgid and not e.obsolete and "fuzzy" not in e.flags and any(e.msgstr.values())
    ]


def tags(text: str) -> list[str]:
    return sorted(
        f"{m[0]}{m[1].lower()}" for m in TAG.findall(text) if m[1].lower() not in VOID_TAGS
    )


def balanced(text: str) -> bool:
    stack: list[str] = []
    for closing, name, self_closing in TAG.findall(text):
        name = name.lower()
        if self_closing or name in VOID_TAGS:
            continue
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def test_every_language_has_a_catalogue():
    for lang in LANGS:
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").is_file(), lang


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_po(lang):
    """The committed .mo holds exactly what the .po translates: recompile after editing a .po."""
    mo_path = LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"
    assert mo_path.is_file(), f"{mo_path} missing: run scripts/i18n"
    with mo_path.open("rb") as fh:
        # _catalog is the parsed .mo table; gettext has no public way to list it.
        catalog = gettext.GNUTranslations(fh)._catalog
    stale = []
    for e in translated(lang):
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            if catalog.get(key) != e.msgstr[0]:
                stale.append(e.msgid)
        else:
            for index, text in e.msgstr.items():
                if text and catalog.get((key, index)) != text:
                    stale.append(e.msgid)
    assert not stale, f"{lang}: .mo out of date for {stale[:5]} (run scripts/i18n)"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_survive_translation(lang):
    bad = []
    for e in translated(lang):
        for index, text in e.msgstr.items():
            if not text:
                continue
            sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
            # msgstr[0] may follow either English form (e.g. a language whose singular shows n).
            wanted = [
                sorted(PLACEHOLDER.findall(s)) for s in (sources if index == 0 else sources[1:])
            ]
            if sorted(PLACEHOLDER.findall(text)) not in wanted:
                bad.append((e.msgid, text))
    assert not bad, f"{lang}: placeholders differ: {bad[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_html_in_translations_is_balanced(lang):
    bad = []
    for e in translated(lang):
        for text in e.msgstr.values():
            # A msgid such as "Bearer <token>" is text, not markup: then only the tags must match.
            if text and (tags(text) != tags(e.msgid) or (balanced(e.msgid) and not balanced(text))):
                bad.append((e.msgid, text))
    assert not bad, f"{lang}: HTML tags differ or are unbalanced: {bad[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_header_names_the_language(lang):
    header = next(
        e for e in parse_po(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po") if not e.msgid
    )
    assert f"Language: {lang}\n" in header.msgstr[0]
    assert "nplurals=INTEGER" not in header.msgstr[0]


def test_core_pages_are_translated_in_every_language():
    """Sign-in and the home page's main actions exist in every catalogue."""
    must = ["Sign in", "Sign in to Setu", "Forgot your password?", "Language", "Open a case"]
    for lang in LANGS:
        done = {e.msgid for e in translated(lang)}
        assert not [m for m in must if m not in done], lang


@pytest.mark.django_db
def test_login_page_in_hindi(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="hi")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in body
    assert "सेतु में साइन इन करें" in body  # "Sign in to Setu"
    assert "पासवर्ड भूल गए?" in body  # "Forgot your password?"
    assert "Sign in to Setu" not in body
    # allauth's field labels come from locale/hi/third_party.po, in the same plain words.
    assert "यूज़रनेम या ईमेल" in body
    assert "कूटशब्द" not in body


@pytest.mark.django_db
def test_login_page_in_bengali(client):
    body = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="bn").content.decode()
    assert "সেতুতে সাইন ইন করুন" in body


@pytest.mark.django_db
def test_home_page_in_hindi(client):
    from setu.orgs.tests.factories import MembershipFactory

    user = MembershipFactory(user__first_name="Asha").user
    client.force_login(user)
    response = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="hi")
    body = response.content.decode()
    assert response.status_code == 200
    assert "स्वागत है, Asha" in body  # "Welcome, %(name)s"
    assert "लॉग आउट" in body  # "Log out" in base.html
    assert "Log out" not in body


@pytest.mark.django_db
def test_english_stays_english(client):
    body = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in to Setu" in body


# --- every string in the source is translated in every language (issue 22.9) --------------------

# As scripts/i18n: code that shows nothing to users is not extracted.
NOT_USER_FACING = ["linkage/*", "synth/*", "bench/*", "*/tests/*"]


@pytest.fixture(scope="module")
def source_msgids(tmp_path_factory) -> set[tuple[str | None, str]]:
    """(context, msgid) of every gettext string in Setu's Python and templates, as makemessages
    extracts them today (from a scratch copy of the source, so the real catalogues are untouched)."""
    import os
    import shutil

    from django.core.management import call_command
    from django.test import override_settings

    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is needed to check the catalogues against the source")
        pytest.skip("GNU gettext (xgettext) is not installed")
    source = Path(settings.BASE_DIR)
    root = tmp_path_factory.mktemp("i18n") / "setu"
    shutil.copytree(
        source,
        root,
        ignore=shutil.ignore_patterns(
            "locale", "static", "data", "linkage", "synth", "tests", "__pycache__", "*.pyc"
        ),
    )
    (root / "locale").mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(root)
        with override_settings(LOCALE_PATHS=[str(root / "locale")]):
            call_command(
                "makemessages",
                locale=["hi"],
                ignore_patterns=NOT_USER_FACING,
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    extracted = parse_po(root / "locale" / "hi" / "LC_MESSAGES" / "django.po")
    ids = {(e.msgctxt, e.msgid) for e in extracted if e.msgid}
    assert len(ids) > 1000, "makemessages found too few strings: is the scratch copy complete?"
    return ids


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_string_is_translated(lang, source_msgids):
    """A new or changed string without a (non-fuzzy) translation fails here: run scripts/i18n and
    translate it (docs/translation.md)."""
    done = set()
    for e in translated(lang):
        if all(e.msgstr.get(i) for i in range(2 if e.msgid_plural else 1)):
            done.add((e.msgctxt, e.msgid))
    missing = sorted(msgid for ctx, msgid in source_msgids - done)
    assert not missing, f"{lang}: {len(missing)} strings untranslated or fuzzy, e.g. {missing[:8]}"


# One English word, two meanings on Setu's pages: each meaning has its own context, so that a
# language can say them differently ("To" an organisation is not "to" a date; a hearing "held"
# took place, a bed "held" is kept for someone).
HOMONYMS = [
    (("referral recipient", "To"), (None, "To")),
    (("referral sender", "From"), (None, "From")),
    (("hearing took place", "Held"), (None, "Held")),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("meaning", "other"), HOMONYMS)
def test_homonyms_are_told_apart(lang, meaning, other):
    from django.utils import translation

    def say(context, message):
        with translation.override(lang):
            if context:
                return translation.pgettext(context, message)
            return translation.gettext(message)

    assert say(*meaning) != say(*other), (lang, meaning)
    assert say(*meaning) != meaning[1], (lang, meaning)


# Literal mistranslations of short UI words, fixed once; the words they were must not return.
@pytest.mark.parametrize(
    ("lang", "message", "wrong"),
    [
        ("bn", "Field", "ঘর"),  # a room, not a field of a record
        ("bn", "Lane", "ধারা"),  # a section of a law, on pages next to the legal desk
        ("bn", "retired", "অবসরপ্রাপ্ত"),  # a person retired from work, not a closed scheme
        ("hi", "Unread", "अनपढ़ी"),  # an illiterate woman, not an unread notice
    ],
)
def test_short_words_are_not_translated_literally(lang, message, wrong):
    from django.utils import translation

    with translation.override(lang):
        assert translation.gettext(message) != wrong
