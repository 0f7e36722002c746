"""Server-side SVG maps of India's districts: no JavaScript, no tiles, no CDN.

District outlines come from ``setu/data/india/districts.geojson`` (DataMeet boundaries simplified
to about 1.5 km; see docs/referrals.md). Longitude/latitude are projected with an equirectangular
projection corrected for latitude, snapped to whole pixels, and consecutive duplicate points are
dropped, so the whole-India map stays small enough for a cheap phone.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "india" / "districts.geojson"
WIDTH = 600


@dataclass(frozen=True)
class Shape:
    """One district outline as an SVG path, with the LGD codes it stands for."""

    lgd_code: int | None
    name: str
    state_code: int
    covers: tuple[int, ...]
    path: str


@dataclass(frozen=True)
class ShapeSet:
    """Projected outlines of a region and the SVG view box they fit."""

    shapes: tuple[Shape, ...]
    width: int
    height: int


@lru_cache(maxsize=1)
def _features() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


@lru_cache(maxsize=64)
def shapes(state_code: int | None = None) -> ShapeSet:
    """District outlines of India, or of one state, projected to an SVG box ``WIDTH`` wide."""
    features = [
        f
        for f in _features()
        if state_code is None or f["properties"].get("state_code") == state_code
    ]
    points = [
        point
        for f in features
        for polygon in _polygons(f["geometry"])
        for ring in polygon
        for point in ring
    ]
    if not points:
        return ShapeSet((), WIDTH, 1)
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    # Longitude degrees shrink with latitude; scale x by cos(mid-latitude) so shapes look right.
    k = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * k, 1e-6)
    scale = (WIDTH - 10) / span_x
    height = int((max_y - min_y) * scale) + 10

    def project(lon: float, lat: float) -> tuple[int, int]:
        return round((lon - min_x) * k * scale) + 5, round((max_y - lat) * scale) + 5

    out = []
    for f in features:
        parts = []
        for polygon in _polygons(f["geometry"]):
            for ring in polygon:
                pixels: list[tuple[int, int]] = []
                for lon, lat in ring:
                    xy = project(lon, lat)
                    if not pixels or pixels[-1] != xy:
                        pixels.append(xy)
                if len(pixels) >= 3:
                    parts.append("M" + "L".join(f"{x} {y}" for x, y in pixels) + "Z")
        if not parts:
            continue
        props = f["properties"]
        out.append(
            Shape(
                lgd_code=props.get("lgd_code"),
                name=props.get("name", ""),
                state_code=props.get("state_code"),
                covers=tuple(props.get("covers") or ()),
                path="".join(parts),
            )
        )
    return ShapeSet(tuple(out), WIDTH, height)


def shade(count: int, top: int) -> str:
    """A fill class from none to five steps, relative to the best-served district."""
    if count <= 0 or top <= 0:
        return "m0"
    return f"m{min(5, 1 + (4 * count) // max(top, 1))}"
