"""Spoken questions for the web form, for a survivor who reads with difficulty: one small audio
file per question per language, played when she taps "Listen" beside the question.

The files are made at build time from the same translations the page shows, by an offline
speech engine (eSpeak NG), and committed under ``setu/feedback/static/feedback/audio/<language>/
<question>.ogg`` (Opus), so a server needs nothing to serve them. ``scripts/feedback-audio``
makes them again after a question's wording changes; ``prompts.json`` beside this module keeps a
digest of the words each file speaks, and a test fails when the page's words and the file's
words part. A recording by a person (a collective's members read them best) replaces a made
file under the same name and is marked ``"source": "recorded"`` in ``prompts.json`` so the
script leaves it alone. See docs/feedback.md, "Spoken questions".
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from setu.feedback.models import Entitled, Safe, Serious, Treated

QUESTIONS = ("treated", "entitled", "safe", "serious", "anything")
# The questions as the page shows them (public_questions.html uses the same words).
QUESTION_TEXT: dict[str, Promise] = {
    "treated": _("How were you treated?"),
    "entitled": _("Did you get what you were entitled to?"),
    "safe": _("Did you feel safe?"),
    "serious": _("Did anyone there hurt you, ask you for money, threaten you or ask you for sex?"),
    "anything": _("Anything else? (you may leave it empty; do not write your name)"),
}
# Opus first: a third of MP3's size for speech, played by Chrome and Firefox on any Android
# phone and by KaiOS; a recorded MP3 may stand in where a collective has one.
FORMATS = (("ogg", "audio/ogg; codecs=opus"), ("mp3", "audio/mpeg"))
MANIFEST = Path(__file__).with_name("prompts.json")
AUDIO_DIR = Path(__file__).parent / "static" / "feedback" / "audio"


def _choices(question: str) -> list[Promise | str]:
    # She hears the answers too, in the order the buttons show them, since she may not be able
    # to read the words under the faces.
    if question == "treated":
        return [label for _value, label in Treated.choices]
    if question == "entitled":
        return [label for _value, label in Entitled.choices]
    if question == "safe":
        return [label for _value, label in Safe.choices]
    if question == "serious":
        return [
            _("No"),
            *[label for _value, label in Serious.choices],
            _(
                "If so, it goes at once to a person outside that office. "
                "They will never learn who you are."
            ),
        ]
    return []


def spoken_text(question: str, language: str) -> str:
    """The words the prompt for ``question`` speaks in ``language``: the question, then its
    answers in the order the page shows them."""
    with translation.override(language):
        parts = [str(QUESTION_TEXT[question]), *[str(c) for c in _choices(question)]]
    # A full stop after each part: the engine pauses there, so the answers are heard apart.
    return " ".join(p if p.rstrip()[-1:] in ".?!।" else f"{p}." for p in parts)


def text_digest(text: str) -> str:
    """Digest of a prompt's words, kept in the manifest to tell when a file has gone stale."""
    return hashlib.sha256(text.encode()).hexdigest()


def manifest() -> dict:
    """The manifest of the prompt files: for each ``<language>/<question>``, the digest of the
    words it speaks, its source (the engine and voice, or ``recorded``) and its size."""
    if not MANIFEST.exists():
        return {"prompts": {}}
    return json.loads(MANIFEST.read_text())


@functools.cache
def audio_prompts(language: str) -> dict[str, tuple[str, str]]:
    """Question → (URL, MIME type) of each prompt there is in this language."""
    found: dict[str, tuple[str, str]] = {}
    for question in QUESTIONS:
        for ext, mime in FORMATS:
            path = f"feedback/audio/{language}/{question}.{ext}"
            if finders.find(path):
                found[question] = (static(path), mime)
                break
    return found
