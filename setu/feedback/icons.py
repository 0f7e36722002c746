"""The feedback form's icons: small inline SVG drawn here (no image files, no icon font, no
CDN), so a page is one request on a 2G phone. Each is decorative (``aria-hidden``): the
answer's words are always next to it."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

_SVG = (
    '<svg class="ico" viewBox="0 0 48 48" width="40" height="40" aria-hidden="true" '
    'focusable="false" xmlns="http://www.w3.org/2000/svg">{}</svg>'
)
_FACE = '<circle cx="24" cy="24" r="21" class="{cls}"/><circle cx="17" cy="19" r="2.5"/><circle cx="31" cy="19" r="2.5"/><path d="{mouth}" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"/>'
_MOUTHS = {
    1: ("f1", "M14 35 Q24 25 34 35"),
    2: ("f2", "M15 33 Q24 28 33 33"),
    3: ("f3", "M15 31 L33 31"),
    4: ("f4", "M15 29 Q24 35 33 29"),
    5: ("f5", "M13 27 Q24 39 35 27"),
}


def _svg(body: str) -> SafeString:
    return mark_safe(_SVG.format(body))  # noqa: S308 - constant markup defined in this module


FACES = {n: _svg(_FACE.format(cls=cls, mouth=mouth)) for n, (cls, mouth) in _MOUTHS.items()}
YES = _svg(
    '<circle cx="24" cy="24" r="21" class="f5"/><path d="M14 25 L21 32 L34 17" fill="none" '
    'stroke="currentColor" stroke-width="4" stroke-linecap="round"/>'
)
PARTLY = _svg(
    '<circle cx="24" cy="24" r="21" class="f3"/><path d="M24 3 A21 21 0 0 1 24 45 Z" class="f5"/>'
)
NO = _svg(
    '<circle cx="24" cy="24" r="21" class="f1"/><path d="M16 16 L32 32 M32 16 L16 32" '
    'stroke="currentColor" stroke-width="4" stroke-linecap="round"/>'
)
SHIELD = _svg(
    '<path d="M24 4 L40 10 V24 C40 34 32 41 24 44 C16 41 8 34 8 24 V10 Z" class="f4"/>'
    '<path d="M17 24 L22 29 L31 19" fill="none" stroke="currentColor" stroke-width="4" '
    'stroke-linecap="round"/>'
)
ALERT = _svg(
    '<path d="M24 4 L45 42 H3 Z" class="f1"/><path d="M24 17 V30" stroke="currentColor" '
    'stroke-width="4" stroke-linecap="round"/><circle cx="24" cy="36" r="2.5"/>'
)
SPEECH = _svg(
    '<path d="M6 8 H42 V34 H20 L10 43 V34 H6 Z" class="f3"/><path d="M13 17 H35 M13 25 H29" '
    'stroke="currentColor" stroke-width="3" stroke-linecap="round"/>'
)
# A loudspeaker on the "Listen" button: the one sign a woman who cannot read knows as "hear it".
SPEAKER = mark_safe(
    '<svg class="ico" viewBox="0 0 48 48" width="26" height="26" aria-hidden="true" '
    'focusable="false" xmlns="http://www.w3.org/2000/svg"><path d="M6 18 H15 L26 8 V40 L15 30 '
    'H6 Z" fill="currentColor"/><path d="M32 17 Q37 24 32 31 M37 12 Q46 24 37 36" fill="none" '
    'stroke="currentColor" stroke-width="3.5" stroke-linecap="round"/></svg>'
)
ANSWER_ICONS = {"yes": YES, "partly": PARTLY, "no": NO}
