"""Charts drawn on the server as SVG: no JavaScript, no chart library, no CDN.

Each chart has a title and description for screen readers; pages also show the numbers as a
table, which is what assistive technology and the phone's small screen rely on. Colours come
from setu.css (`svg.chart`): a `<style>` inside the SVG would need a CSP with 'unsafe-inline'.
"""

from __future__ import annotations

import hashlib

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 40


def _frame(title: str, body: list[str], max_value: int) -> SafeString:
    inner_h = HEIGHT - TOP - BOTTOM
    grid = []
    for step in range(5):
        value = round(max_value * step / 4)
        y = TOP + inner_h - inner_h * step / 4
        grid.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    # Several charts share a page: each title needs its own id for aria-labelledby.
    title_id = "chart-" + hashlib.sha256(title.encode()).hexdigest()[:8]
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id}" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>' + "".join(grid) + "".join(body) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every label above is escaped; numbers are ints


def _x_labels(labels: list[str], xs: list[float]) -> list[str]:
    every = max(1, len(labels) // 6)
    out = []
    for i, (label, x) in enumerate(zip(labels, xs, strict=True)):
        if i % every == 0 or i == len(labels) - 1:
            out.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{x:.1f}",
                    HEIGHT - BOTTOM + 16,
                    label,
                )
            )
    return out


def line_chart(points: list[tuple[str, int]], *, title: str) -> SafeString:
    """A line of values over time (e.g. free beds per day)."""
    if not points:
        return _frame(title, [], 1)
    max_value = max(1, *(v for _, v in points))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(1, len(points) - 1)
    xs = [LEFT + i * step for i in range(len(points))]
    ys = [TOP + inner_h - inner_h * v / max_value for _, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    body = [f'<polyline class="line" points="{path}"/>']
    body += [f'<circle class="dot" cx="{xs[-1]:.1f}" cy="{ys[-1]:.1f}" r="3.5"/>']
    body += _x_labels([label for label, _ in points], xs)
    return _frame(title, body, max_value)


def bar_chart(points: list[tuple[str, int | None]], *, title: str) -> SafeString:
    """Bars per period; a suppressed value (None: fewer than 5) is drawn as a short marked stub."""
    values = [v for _, v in points if v is not None]
    max_value = max([5, *values])
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(1, len(points))
    body, xs = [], []
    for i, (_, value) in enumerate(points):
        x = LEFT + i * slot + slot * 0.15
        xs.append(x + slot * 0.35)
        height = inner_h * (value if value is not None else 2) / max_value
        css = "bar" if value is not None else "small"
        body.append(
            f'<rect class="{css}" x="{x:.1f}" y="{TOP + inner_h - height:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}"/>'
        )
    body += _x_labels([label for label, _ in points], xs)
    return _frame(title, body, max_value)
