"""Make builder/theme/geo/europe.json and world.json: small, pre-projected maps of Europe and of the world.

The site draws its treaty-status maps as inline SVG at build time (builder/maps.py), so the geometry it needs
is committed as one small JSON file and nothing is fetched when a page is viewed. This script is run by hand,
rarely, when the projection, frame or simplification should change; the build never runs it.

How to run it (Python 3.11, with `pycountry` installed; no other dependency):

    npm install --no-save --prefix /tmp/geo world-atlas       # Natural Earth countries as TopoJSON
    python scripts/make_geo.py /tmp/geo/node_modules/world-atlas/countries-50m.json                  # Europe
    python scripts/make_geo.py /tmp/geo/node_modules/world-atlas/countries-50m.json --region world   # the world

It writes builder/theme/geo/<region>.json (or the path given with --out); a site picks the region in site.yaml
(`map: {region: world}`). The version of world-atlas is read from
the package.json beside the input file and recorded in the output's "source". The output is deterministic:
the same input gives byte-identical output.

What it does, and why:
- decodes the TopoJSON itself (delta-decoded, quantised arcs + the transform): the repo needs no GIS library;
- projects Europe with Lambert azimuthal equal-area centred on 22°E 52°N: areas stay comparable (Russia is not
  inflated the way Mercator inflates it) and Europe, from Iceland and Portugal to Iran, is only mildly skewed;
- projects the world with Equal Earth (Šavrič, Patterson and Jenny, "The Equal Earth map projection",
  International Journal of Geographical Information Science 33:3, 2019; the formula in equal_earth), equal-area
  too, the whole world in the frame, centred on Greenwich; world-atlas's rings that cross the antimeridian
  (Chukotka, Wrangel Island, Fiji) are cut there and closed along the map's edge, and Antarctica, whose outline
  encircles the South Pole, is closed along the pole line (cut_antimeridian, close_runs);
- simplifies the shared *arcs* (Douglas–Peucker) before assembling rings, so neighbouring countries keep one
  common border and no slivers or gaps open between them;
- clips every ring to the frame (a little outside the viewBox, so clipped edges are never seen), drops islands
  and holes too small to see, and rounds to 0.1 unit in a 1000 x 800 viewBox;
- writes each country's path as relative SVG commands (short), a label anchor (the pole of inaccessibility
  of its largest polygon, so a label sits inside the shape, even for Croatia or Norway) and its bounding box;
- marks as "partial" the countries mostly outside the frame (China, Kazakhstan, ...): the map may draw
  them as inset boxes too, and put no label on their sliver;
- lists, under "outside", the names of the countries that are not drawn (the United States, China, ...), so
  the map can still show them as labelled boxes.
The 50m data is used: at 110m Lebanon, Israel and the Baltic coast lose their shape at ~800 px wide. The world
is simplified more (WORLD below) to stay small; a country too small to see on it (Monaco, Malta) is listed under
"outside", and the map shows it as a box like a country outside Europe's frame.

Natural Earth quirks handled here: Kosovo has no ISO code in the data and gets the user-assigned code XK;
"N. Cyprus" is drawn as part of Cyprus (the treaty applies to the Republic of Cyprus, a state party) and
"Somaliland" as part of Somalia (outside the frame anyway).
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycountry

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # exterior first, then holes

WIDTH = 1000.0
CLIP_MARGIN = 4.0  # clip this far outside the viewBox, so the clipped edge is never on screen
DECIMALS = 1
PARTIAL_SHARE = 0.5  # a country with less than this share of its area in the frame is marked "partial"


@dataclass(frozen=True)
class Region:
    """What differs between the maps: the projection (on the unit sphere, y pointing down), the frame in its
    units, which countries are projected, and how much is simplified away."""

    name: str
    projection: Callable[[float, float], Point]  # longitude, latitude in degrees -> unit-sphere x, y (y down)
    described: str  # the output's "projection"
    frame_x: tuple[float, float]
    frame_y: tuple[float, float]
    # Only countries whose lon/lat box meets this box are projected (everything is then clipped to the frame).
    select_lon: tuple[float, float] = (-180.0, 180.0)
    select_lat: tuple[float, float] = (-90.0, 90.0)
    tolerance: float = 0.45  # Douglas-Peucker tolerance, in viewBox units
    min_ring_area: float = 1.5  # islands and holes smaller than this (square units) are dropped
    min_shape_area: float = 0.2  # a country smaller than this is listed as outside: a box shows it better
    cut_antimeridian: bool = False  # the frame holds both sides of 180°: rings crossing it are cut there
    # A small country's arcs are simplified to at most this share of its size (the square root of its box's area),
    # so that one too small for `tolerance` keeps its shape rather than becoming a triangle; None: `tolerance` alone.
    small_share: float | None = None

    @property
    def height(self) -> float:
        return round(WIDTH * (self.frame_y[1] - self.frame_y[0]) / (self.frame_x[1] - self.frame_x[0]))

    def project(self, lon: float, lat: float) -> Point:
        """The projection, scaled and shifted into the viewBox (y down)."""
        x, y = self.projection(lon, lat)
        scale = WIDTH / (self.frame_x[1] - self.frame_x[0])
        return (x - self.frame_x[0]) * scale, (y - self.frame_y[0]) * scale


CENTRE_LON = 22.0
CENTRE_LAT = 52.0


def lambert_azimuthal(lon: float, lat: float) -> Point:
    """Lambert azimuthal equal-area centred on CENTRE_LON, CENTRE_LAT (y down)."""
    lam = math.radians(lon - CENTRE_LON)
    phi = math.radians(lat)
    phi0 = math.radians(CENTRE_LAT)
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
    k = math.sqrt(2.0 / max(1.0 + cos_c, 1e-12))
    x = k * math.cos(phi) * math.sin(lam)
    y = -k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, y


# Equal Earth's coefficients (Šavrič, Patterson and Jenny 2019, equation 2)
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> Point:
    """Equal Earth, centred on Greenwich (y down): with sin θ = (√3/2) sin φ,
    x = λ cos θ / ((√3/2)(A1 + 3 A2 θ² + θ⁶ (7 A3 + 9 A4 θ²))) and y = θ (A1 + A2 θ² + θ⁶ (A3 + A4 θ²))."""
    lam = math.radians(lon)
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y


# Europe: the frame in projected units, Iceland and Portugal to Iran, Svalbard's southern tip to Sinai, chosen by
# looking at the rendered map; simplified to ~3 km (a unit is ~6.6 km).
EUROPE = Region(
    "europe", lambert_azimuthal, f"Lambert azimuthal equal-area centred {CENTRE_LON:g}°E {CENTRE_LAT:g}°N",
    frame_x=(-0.45, 0.66), frame_y=(-0.43, 0.458), select_lon=(-35.0, 75.0), select_lat=(15.0, 85.0),
)
# The world: the whole of Equal Earth's outline (x to ±2.7066, y to ±1.3174 on the unit sphere) with a sliver of
# margin; a unit is ~34 km, so the tolerance (~20 km) is under half a pixel at 800 px wide, and islands under
# ~1,200 km² other than a country's largest are dropped.
WORLD = Region(
    "world", equal_earth, "Equal Earth centred 0°", frame_x=(-2.72, 2.72), frame_y=(-1.33, 1.33),
    tolerance=0.6, min_ring_area=1.0, min_shape_area=1.0, cut_antimeridian=True, small_share=0.05,
)
REGIONS = {region.name: region for region in (EUROPE, WORLD)}

NO_ID = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
NAMES = {
    "BO": "Bolivia",
    "CD": "DR Congo",
    "CG": "Congo",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "KP": "North Korea",
    "KR": "South Korea",
    "PS": "Palestine",
    "RU": "Russia",
    "US": "United States",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
    "XK": "Kosovo",
}


def country_name(iso2: str) -> str:
    """A short English name: pycountry's common name where it has one, else its name, else an override."""
    if iso2 in NAMES:
        return NAMES[iso2]
    country = pycountry.countries.get(alpha_2=iso2)
    if country is None:
        raise SystemExit(f"no country with code {iso2}")
    name = getattr(country, "common_name", None) or country.name
    return name.split(", ")[0]


def iso2_of(geometry: dict) -> str | None:
    """world-atlas ids are ISO 3166-1 numeric codes (as strings); a few areas have none."""
    ident = geometry.get("id")
    if ident is None:
        return NO_ID.get(geometry.get("properties", {}).get("name", ""))
    country = pycountry.countries.get(numeric=str(ident).zfill(3))
    return None if country is None else country.alpha_2


def decode_arcs(topology: dict) -> list[list[Point]]:
    """TopoJSON arcs are quantised and delta-encoded: undo both to get longitude/latitude."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: list[Point] = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Keep the endpoints (shared with the neighbouring arcs) and every point that matters at this scale."""
    if len(points) < 3:
        return list(points)
    if points[0] == points[-1]:
        # A closed arc (an island): split it at its farthest point so both halves have distinct ends.
        far = max(range(1, len(points) - 1), key=lambda i: math.dist(points[0], points[i]))
        first = douglas_peucker(points[: far + 1], tolerance)
        return first + douglas_peucker(points[far:], tolerance)[1:]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        best, best_index = 0.0, -1
        for i in range(start + 1, end):
            distance = _segment_distance(points[i], points[start], points[end])
            if distance > best:
                best, best_index = distance, i
        if best > tolerance:
            keep[best_index] = True
            stack.append((start, best_index))
            stack.append((best_index, end))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def assemble_ring(indices: Iterable[int], arcs: Sequence[Sequence[Point]]) -> Ring:
    """A ring is a chain of arcs; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indices:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(arc if not ring else arc[1:])
    return ring


def clip_ring(ring: Ring, x0: float, y0: float, x1: float, y1: float) -> Ring:
    """Sutherland–Hodgman against an axis-aligned rectangle; fine for filling, which is all the map does."""

    def clip(points: Ring, inside: Callable[[Point], bool], cross: Callable[[Point, Point], Point]) -> Ring:
        out: Ring = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        return out

    def at_x(x: float) -> Callable[[Point, Point], Point]:
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def at_y(y: float) -> Callable[[Point, Point], Point]:
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    edges: list[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]]] = [
        (lambda p: p[0] >= x0, at_x(x0)),
        (lambda p: p[0] <= x1, at_x(x1)),
        (lambda p: p[1] >= y0, at_y(y0)),
        (lambda p: p[1] <= y1, at_y(y1)),
    ]
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for inside, cross in edges:
        if not points:
            break
        points = clip(points, inside, cross)
    return points


def round_ring(ring: Ring) -> Ring:
    """Round to the output precision and drop points that became repeats or that lie on a straight line."""
    rounded: Ring = []
    for x, y in ring:
        point = (round(x, DECIMALS), round(y, DECIMALS))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    while len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    changed = True
    while changed and len(rounded) >= 3:
        changed = False
        for i in range(len(rounded)):
            a, b, c = rounded[i - 1], rounded[i], rounded[(i + 1) % len(rounded)]
            if (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) == 0:
                # collinear (clipped edges along the frame, or spikes): b adds nothing to the filled shape
                del rounded[i]
                changed = True
                break
    return rounded


def ring_area(ring: Ring) -> float:
    """Signed shoelace area."""
    return 0.5 * sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True))


def ring_centroid(ring: Ring) -> Point:
    area = ring_area(ring)
    if area == 0:
        return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    cx = cy = 0.0
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = a[0] * b[1] - b[0] * a[1]
        cx += (a[0] + b[0]) * cross
        cy += (a[1] + b[1]) * cross
    return cx / (6 * area), cy / (6 * area)


def _signed_distance(x: float, y: float, polygon: Polygon) -> float:
    """Distance from (x, y) to the polygon's outline; negative outside (even-odd rule)."""
    inside = False
    best = math.inf
    for ring in polygon:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if (a[1] > y) != (b[1] > y) and x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]:
                inside = not inside
            best = min(best, _segment_distance((x, y), a, b))
    return best if inside else -best


def pole_of_inaccessibility(polygon: Polygon, precision: float = 0.5) -> Point:
    """The point inside the polygon farthest from its edges (Mapbox's polylabel): where a label fits best."""
    xs = [p[0] for p in polygon[0]]
    ys = [p[1] for p in polygon[0]]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    size = min(max_x - min_x, max_y - min_y)
    if size == 0:
        return min_x, min_y
    half = size / 2
    queue: list[tuple[float, float, float, float, float]] = []

    def push(x: float, y: float, h: float) -> None:
        d = _signed_distance(x, y, polygon)
        heapq.heappush(queue, (-(d + h * math.sqrt(2)), d, x, y, h))

    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            push(x + half, y + half, half)
            y += size
        x += size
    cx, cy = ring_centroid(polygon[0])
    best = (_signed_distance(cx, cy, polygon), cx, cy)
    while queue:
        _, d, x, y, h = heapq.heappop(queue)
        if d > best[0]:
            best = (d, x, y)
        if d + h * math.sqrt(2) - best[0] <= precision:
            continue
        h /= 2
        for dx, dy in ((-h, -h), (h, -h), (-h, h), (h, h)):
            push(x + dx, y + dy, h)
    return best[1], best[2]


def path_data(polygons: Sequence[Polygon]) -> str:
    """Relative SVG path commands: "m" to each ring's start, "l" steps, "z" (short, exact after rounding)."""

    def num(value: float) -> str:
        text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    def join(numbers: Iterable[float]) -> str:
        out = ""
        for value in numbers:
            text = num(value)
            out += text if not out or text.startswith("-") else " " + text
        return out

    parts: list[str] = []
    pen = (0.0, 0.0)
    for polygon in polygons:
        for ring in polygon:
            steps = [c for a, b in zip(ring, ring[1:], strict=False) for c in (b[0] - a[0], b[1] - a[1])]
            parts.append(f"m{join((ring[0][0] - pen[0], ring[0][1] - pen[1]))}l{join(steps)}z")
            pen = ring[0]  # after "z" the pen is back at the ring's first point
    return "".join(parts)


def merge_polygons(
    polygons: Sequence[Sequence[Sequence[int]]], arcs: Sequence[Sequence[Point]]
) -> list[list[list[int]]]:
    """Outline of several polygons as one (TopoJSON's merge): drop the arcs they share, chain the rest.

    Used where Natural Earth splits a state in two (Cyprus and "N. Cyprus"), so no border is drawn inside it.
    Every outer ring becomes a polygon of its own; the map fills with the even-odd rule, so holes still show.
    """
    directed = [i for polygon in polygons for ring in polygon for i in ring]
    shared = {i for i in directed if ~i in directed}
    outline = [i for i in directed if i not in shared]

    def start(i: int) -> Point:
        return arcs[i][0] if i >= 0 else arcs[~i][-1]

    def end(i: int) -> Point:
        return arcs[i][-1] if i >= 0 else arcs[~i][0]

    by_start: dict[Point, list[int]] = {}
    for i in outline:
        by_start.setdefault(start(i), []).append(i)
    rings: list[list[list[int]]] = []
    used: set[int] = set()
    for first in outline:
        if first in used:
            continue
        ring = [first]
        used.add(first)
        while end(ring[-1]) != start(first):
            following = [i for i in by_start.get(end(ring[-1]), []) if i not in used]
            if not following:
                raise SystemExit(f"cannot close a merged ring at {end(ring[-1])}")
            ring.append(following[0])
            used.add(following[0])
        rings.append([ring])
    return rings


@dataclass(frozen=True)
class Piece:
    """A stretch of an arc on one side of 180°: its points projected and simplified, its ends' lon/lat."""

    points: list[Point]
    start: Point
    end: Point

    def reversed(self) -> Piece:
        return Piece(list(reversed(self.points)), self.end, self.start)


def cut_antimeridian(arc: Sequence[Point]) -> list[list[Point]]:
    """An arc (lon/lat) in pieces that each stay on one side of 180°: where it crosses (a step of more than half
    the world), one piece ends on the meridian and the next starts there, on the other side (±180)."""
    pieces: list[list[Point]] = [[arc[0]]]
    for (lon0, lat0), (lon1, lat1) in zip(arc, arc[1:], strict=False):
        if abs(lon1 - lon0) > 180:
            edge = 180.0 if lon0 > 0 else -180.0
            unwrapped = lon1 + (360.0 if lon0 > 0 else -360.0)
            t = 0.0 if unwrapped == lon0 else (edge - lon0) / (unwrapped - lon0)
            crossing = lat0 + t * (lat1 - lat0)
            if pieces[-1][-1] != (edge, crossing):
                pieces[-1].append((edge, crossing))
            pieces.append([(-edge, crossing)])
        if pieces[-1][-1] != (lon1, lat1):
            pieces[-1].append((lon1, lat1))
    return pieces


def polar(indices: Iterable[int], arcs: Sequence[Sequence[Point]]) -> bool:
    """A ring along a pole (Natural Earth closes Antarctica so): nothing to draw, the pole line is the map's edge."""
    return all(abs(lat) > 89.9 for i in indices for _, lat in arcs[i if i >= 0 else ~i])


def close_runs(indices: Iterable[int], pieces: Sequence[Sequence[Piece]], region: Region) -> list[Ring]:
    """A ring assembled from its arcs' pieces: as it is if it never crosses 180°, else one ring per side, each
    closed along the map's edge (the meridian, drawn every degree), or through the pole for a ring around it."""
    runs: list[tuple[Ring, list[Point]]] = [([], [])]  # each run's points, and its ends in lon/lat
    for index in indices:
        parts = pieces[index] if index >= 0 else [piece.reversed() for piece in reversed(pieces[~index])]
        for n, part in enumerate(parts):
            if n:
                runs.append(([], []))
            ring, ends = runs[-1]
            ring.extend(part.points if not ring else part.points[1:])
            ends[1:] = [part.end]
            if len(ends) == 1:
                ends.insert(0, part.start)
    if len(runs) == 1:
        return [runs[0][0]]
    last, first = runs.pop(), runs.pop(0)
    runs.append((last[0] + first[0][1:], [last[1][0], first[1][-1]]))

    def edge(lon: float, lat0: float, lat1: float) -> list[Point]:
        step = 1.0 if lat1 > lat0 else -1.0
        lats = [lat0 + step * k for k in range(1, int(abs(lat1 - lat0)))] + [lat1]
        return [region.project(lon, lat) for lat in lats]

    rings: list[Ring] = []
    sides = [ends[0][0] > 0 for _, ends in runs]
    if len(set(sides)) != len(sides):
        raise SystemExit("a ring crosses 180° more than twice on one side: close_runs cannot close it")
    for ring, ((lon0, lat0), (lon1, lat1)) in runs:
        if (lon0 > 0) == (lon1 > 0):
            rings.append(ring + edge(lon1, lat1, lat0))
        else:
            pole = -90.0 if lat0 + lat1 < 0 else 90.0
            rings.append(ring + edge(lon1, lat1, pole) + edge(lon0, pole, lat0))
    return rings


def arc_tolerances(wanted: dict[str, list[list[list[list[int]]]]], arcs: Sequence[Sequence[Point]],
                   region: Region) -> dict[int, float]:
    """Each arc's Douglas-Peucker tolerance, where a small country needs a finer one than the region's (its
    small_share): the finest of the countries it bounds, so two neighbours still share one border."""
    if region.small_share is None:
        return {}
    found: dict[int, float] = {}
    for parts in wanted.values():
        indices = {i if i >= 0 else ~i for part in parts for polygon in part for ring in polygon for i in ring}
        projected = [region.project(lon, lat) for i in indices for lon, lat in arcs[i]]
        xs, ys = [p[0] for p in projected], [p[1] for p in projected]
        size = math.sqrt((max(xs) - min(xs)) * (max(ys) - min(ys)))
        tolerance = min(region.tolerance, size * region.small_share)
        for i in indices:
            found[i] = min(found.get(i, tolerance), tolerance)
    return found


def build(topology: dict, source: str, region: Region = EUROPE) -> dict:
    arcs_lonlat = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    wanted: dict[str, list[list[list[list[int]]]]] = {}  # ISO2 -> its geometries -> polygons -> rings -> arcs
    outside: dict[str, str] = {}
    used_arcs: set[int] = set()
    (lon0, lon1), (lat0, lat1) = region.select_lon, region.select_lat
    for geometry in geometries:
        iso2 = iso2_of(geometry)
        if iso2 is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        indices = {i if i >= 0 else ~i for polygon in polygons for ring in polygon for i in ring}
        points = [p for i in indices for p in arcs_lonlat[i]]
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        if max(lons) < lon0 or min(lons) > lon1 or max(lats) < lat0 or min(lats) > lat1:
            outside[iso2] = country_name(iso2)
            continue
        wanted.setdefault(iso2, []).append(polygons)
        used_arcs |= indices

    tolerances = arc_tolerances(wanted, arcs_lonlat, region)

    def simplified(points: Sequence[Point], i: int) -> list[Point]:
        return douglas_peucker([region.project(lon, lat) for lon, lat in points], tolerances.get(i, region.tolerance))

    arcs: dict[int, list[Point]] = {} if region.cut_antimeridian else {
        i: simplified(arcs_lonlat[i], i) for i in sorted(used_arcs)
    }
    arc_list: list[list[Point]] = [arcs.get(i, []) for i in range(len(arcs_lonlat))]
    pieces: dict[int, list[Piece]] = {
        i: [Piece(simplified(part, i), part[0], part[-1]) for part in cut_antimeridian(arcs_lonlat[i])]
        for i in sorted(used_arcs) if region.cut_antimeridian
    }
    piece_list = [pieces.get(i, []) for i in range(len(arcs_lonlat))]
    frame = (-CLIP_MARGIN, -CLIP_MARGIN, WIDTH + CLIP_MARGIN, region.height + CLIP_MARGIN)

    def assembled(polygon: Sequence[Sequence[int]]) -> list[list[Ring]]:
        """A polygon's rings (exterior first), or, cut at 180°, the pieces of its exterior (the holes with the
        first)."""
        if not region.cut_antimeridian:
            return [[assemble_ring(ring, arc_list) for ring in polygon]]
        rings = [close_runs(ring, piece_list, region) for ring in polygon if not polar(ring, arcs_lonlat)]
        if not rings:
            return []
        return [[exterior, *(hole for holes in rings[1:] for hole in holes)] if n == 0 else [exterior]
                for n, exterior in enumerate(rings[0])]

    countries: dict[str, dict] = {}
    for iso2, parts in sorted(wanted.items()):
        merged = [polygon for part in parts for polygon in part]
        polygons = parts[0] if len(parts) == 1 else merge_polygons(merged, arcs_lonlat)
        shapes: list[Polygon] = []
        whole_area = 0.0
        for whole in (rings for polygon in polygons for rings in assembled(polygon)):
            whole_area += abs(ring_area(whole[0]))
            rings = [round_ring(clip_ring(ring, *frame)) for ring in whole]
            if len(rings[0]) < 3:
                continue
            holes = [r for r in rings[1:] if len(r) >= 3 and abs(ring_area(r)) >= region.min_ring_area]
            shapes.append([rings[0], *holes])
        if not shapes:
            if iso2 not in countries:
                outside[iso2] = country_name(iso2)
            continue
        largest = max(shapes, key=lambda s: abs(ring_area(s[0])))
        shapes = [s for s in shapes if s is largest or abs(ring_area(s[0])) >= region.min_ring_area]
        if abs(ring_area(largest[0])) < region.min_shape_area:
            outside[iso2] = country_name(iso2)  # smaller than a pixel or so: an inset box shows it better
            continue
        shown_area = sum(abs(ring_area(s[0])) for s in shapes)
        label = pole_of_inaccessibility(largest)
        xs = [p[0] for s in shapes for p in s[0]]
        ys = [p[1] for s in shapes for p in s[0]]
        countries[iso2] = {
            "name": country_name(iso2),
            "d": path_data(shapes),
            "label": [round(label[0], DECIMALS), round(label[1], DECIMALS)],
            "bbox": [round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))],
        }
        if shown_area < PARTIAL_SHARE * whole_area:
            countries[iso2]["partial"] = True
    for iso2 in countries:
        outside.pop(iso2, None)
    return {
        "viewBox": f"0 0 {WIDTH:g} {region.height:g}",
        "source": source,
        "projection": region.described,
        "countries": countries,
        "outside": dict(sorted(outside.items())),
    }


def to_json(data: dict) -> str:
    """Sorted keys, one country per line: deterministic, compact, and a re-run's diff is readable."""

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    lines = ["{"]
    keys = sorted(data)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        value = data[key]
        if isinstance(value, dict) and value:
            lines.append(f" {dump(key)}:{{")
            items = sorted(value.items())
            for i, (k, v) in enumerate(items):
                lines.append(f"  {dump(k)}:{dump(v)}{',' if i < len(items) - 1 else ''}")
            lines.append(f" }}{comma}")
        else:
            lines.append(f" {dump(key)}:{dump(value)}{comma}")
    return "\n".join(lines) + "\n}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json (or countries-110m.json)")
    parser.add_argument("--region", choices=sorted(REGIONS), default=EUROPE.name,
                        help="the map to make (default: %(default)s)")
    parser.add_argument("--out", type=Path, help="where to write it (default: builder/theme/geo/REGION.json)")
    args = parser.parse_args(argv)
    region = REGIONS[args.region]
    out = args.out or Path(__file__).resolve().parent.parent / "builder" / "theme" / "geo" / f"{region.name}.json"
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    package = args.topojson.parent / "package.json"
    version = json.loads(package.read_text(encoding="utf-8"))["version"] if package.exists() else "unknown"
    data = build(topology, f"Natural Earth via world-atlas {version} ({args.topojson.name}), public domain", region)
    text = to_json(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}: {len(data['countries'])} countries, {len(text.encode('utf-8')):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
