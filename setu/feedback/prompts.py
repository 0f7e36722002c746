"""Recorded voice prompts for the web form: one file per question per language.

No offline text-to-speech exists on the machines Setu is built on, and a synthetic voice in
Odia or Telugu would not be understood anyway, so the prompts are recorded by people (a
collective's members read them best). A prompt is used when its file is there:
``setu/feedback/static/feedback/audio/<language>/<question>.mp3`` (or ``.ogg``); see
docs/feedback.md, "Recording the voice prompts". Without a file the page simply has no player.
"""

from __future__ import annotations

import functools

from django.contrib.staticfiles import finders
from django.templatetags.static import static

QUESTIONS = ("treated", "entitled", "safe", "serious", "anything")
FORMATS = (("mp3", "audio/mpeg"), ("ogg", "audio/ogg"))


@functools.cache
def audio_prompts(language: str) -> dict[str, tuple[str, str]]:
    """Question → (URL, MIME type) of each recorded prompt there is in this language."""
    found: dict[str, tuple[str, str]] = {}
    for question in QUESTIONS:
        for ext, mime in FORMATS:
            path = f"feedback/audio/{language}/{question}.{ext}"
            if finders.find(path):
                found[question] = (static(path), mime)
                break
    return found
