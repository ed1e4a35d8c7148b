"""Treaty-status maps as inline SVG, drawn at build time from a small pre-projected geometry file.

Why this shape: the site must work without JavaScript, tiles or anything fetched when a page is viewed, so a
map is plain SVG markup in the page. The geometry (the theme's geo/europe.json or geo/world.json, made by
scripts/make_geo.py; a site picks its region in site.yaml) is already projected, simplified and rounded; drawing is
string assembly only.

Colours come from CSS classes (`status-<status>`), never from inline fills, so the site's stylesheet controls
light and dark themes (the map rules are in the theme's assets/style.css). Every status but the plain ones also
gets a hatch or dot pattern (an overlay path filled from <defs>), so colour is never the only signal: the
patterns are the same in every theme and survive greyscale printing and colour-blindness.

All functions are pure and deterministic (sorted iteration, fixed number formatting): the same input gives
byte-identical SVG, which keeps builds reproducible and diffs of the built site meaningful.

Country codes are ISO 3166-1 alpha-2 and may be passed in any case ("pl" or "PL").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True)
class Region:
    """A map the theme ships a geometry for: what pages call it, where its series zooms when no country on it
    changes (an empty `focus`: the whole map), and whether its names are spaced (draw_status_map's `spaced`)."""

    name: str
    called: str  # "Map of {called}", "The map shows {called}"
    focus: tuple[str, ...] = ()
    spaced: bool = False

    @property
    def geometry(self) -> str:
        """The geometry file, relative to the templates folder (a site's own replaces the theme's)."""
        return f"geo/{self.name}.json"


REGIONS: Mapping[str, Region] = MappingProxyType({
    "europe": Region("europe", "Europe and its neighbours", ("PL", "FI", "EE", "LV", "LT")),
    "world": Region("world", "the world", spaced=True),
})
DEFAULT_REGION = "europe"  # a site.yaml without `map:`
DEFAULT_GEOMETRY = Path(__file__).resolve().parent / "theme" / REGIONS[DEFAULT_REGION].geometry

# Every status the map can show. The first seven are the map's vocabulary; "signed" and "unknown" are the
# other values builder.status computes, accepted so its output can be passed straight in. A site that names a
# status otherwise (content/rules.yaml's `status_keys`) passes `status_classes`: its name becomes the class.
STATUSES = (
    "party",
    "announced",
    "pending",
    "withdrawn",
    "never-joined",
    "disputed",
    "none",
    "signed",
    "unknown",
)

# Which pattern marks which status. Plain statuses (party, none, unknown) differ by colour and by being plain;
# the five states' statuses get the strongest marks.
PATTERNS: Mapping[str, str] = MappingProxyType(
    {
        "announced": "sparse-diagonal",  # thin, wide-spaced diagonal lines
        "pending": "dots",
        "withdrawn": "diagonal",  # dense diagonal hatch
        "disputed": "cross",  # cross-hatch
        "never-joined": "horizontal",
        "signed": "vertical",
    }
)



@dataclass(frozen=True)
class CountryShape:
    """One country as drawn: its SVG path (already projected), where its label goes, and its bounding box."""

    iso2: str
    name: str
    d: str
    label: tuple[float, float]
    bbox: tuple[float, float, float, float]  # min x, min y, max x, max y
    partial: bool = False  # most of it lies outside the frame (China): may also be shown as an inset box


@dataclass(frozen=True)
class Geometry:
    """The map's base: the frame, the drawn countries, and the names of countries outside it (for insets)."""

    view_box: tuple[float, float, float, float]  # min x, min y, width, height
    source: str
    countries: Mapping[str, CountryShape]
    outside: Mapping[str, str]  # ISO2 -> name, for countries not drawn (shown as insets when asked)

    def name(self, iso2: str) -> str:
        """The country's short English name from the geometry file, or the code itself if it has none."""
        code = iso2.upper()
        if code in self.countries:
            return self.countries[code].name
        return self.outside.get(code, code)


def load_geometry(path: Path = DEFAULT_GEOMETRY) -> Geometry:
    """Read a file written by scripts/make_geo.py; a malformed file is a bug, so it raises ValueError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        view_box = tuple(float(v) for v in data["viewBox"].split())
        if len(view_box) != 4:
            raise ValueError(f"viewBox must have four numbers, not {data['viewBox']!r}")
        countries = {
            iso2.upper(): CountryShape(
                iso2=iso2.upper(),
                name=str(entry["name"]),
                d=str(entry["d"]),
                label=(float(entry["label"][0]), float(entry["label"][1])),
                bbox=tuple(float(v) for v in entry["bbox"]),  # type: ignore[arg-type]
                partial=bool(entry.get("partial", False)),
            )
            for iso2, entry in sorted(data["countries"].items())
        }
        outside = {iso2.upper(): str(name) for iso2, name in sorted(data.get("outside", {}).items())}
        source = str(data["source"])
    except (KeyError, TypeError, IndexError, AttributeError, json.JSONDecodeError) as error:
        message = f"{path}: not a map geometry file ({error!r}); regenerate it with scripts/make_geo.py"
        raise ValueError(message) from error
    return Geometry(
        view_box=view_box,  # type: ignore[arg-type]
        source=source,
        countries=MappingProxyType(countries),
        outside=MappingProxyType(outside),
    )


def needs_inset(geometry: Geometry, iso2: str, *, min_share: float = 0.05) -> bool:
    """Whether a country must be shown as an inset box: not drawn, or only a sliver of it is in the frame.

    China is drawn as a strip at the eastern edge (too thin to see or click); Russia is also "partial" but its
    European part fills much of the map, so it stays on it. A partial country is a sliver when its box in the
    frame is narrower or shorter than `min_share` of the frame's width.
    """
    shape = geometry.countries.get(iso2.upper())
    if shape is None:
        return True
    if not shape.partial:
        return False
    min_x, min_y, max_x, max_y = shape.bbox
    return min(max_x - min_x, max_y - min_y) < geometry.view_box[2] * min_share


def frame_around(
    geometry: Geometry, iso2s: Iterable[str], *, margin: float = 0.25, aspect: float | None = None
) -> tuple[float, float, float, float]:
    """A viewBox (x, y, width, height) around some countries, for small multiples that zoom on the story.

    `margin` is a fraction of the countries' extent added on every side; `aspect` (width / height), when
    given, widens the shorter side so every map in a series has the same shape.
    """
    boxes = [geometry.countries[c.upper()].bbox for c in iso2s if c.upper() in geometry.countries]
    if not boxes:
        return geometry.view_box
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width, height = x1 - x0, y1 - y0
    x0, y0 = x0 - width * margin, y0 - height * margin
    width, height = width * (1 + 2 * margin), height * (1 + 2 * margin)
    if aspect:
        if width / height < aspect:
            x0 -= (height * aspect - width) / 2
            width = height * aspect
        else:
            y0 -= (width / aspect - height) / 2
            height = width / aspect
    return (round(x0, 1), round(y0, 1), round(width, 1), round(height, 1))


def _num(value: float) -> str:
    """Fixed formatting (at most one decimal, no "-0"), so output never depends on float repr quirks."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Do two boxes (min x, min y, max x, max y) meet?"""
    return a[2] >= b[0] and a[0] <= b[2] and a[3] >= b[1] and a[1] <= b[3]


def _num2(value: float) -> str:
    """Like _num with two decimals, for stroke widths below one unit."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _pattern_defs(prefix: str, kinds: Iterable[str], cell: float) -> list[str]:
    """One <pattern> per kind used. Ids carry the map's prefix, so several maps can share a page."""
    c, w, half = _num(cell), _num(cell * 0.16), _num(cell / 2)
    ink = 'class="map-hatch map-hatch-{kind}" stroke-width="{w}"'
    out: list[str] = []
    for kind in sorted(set(kinds)):
        pid = _attr(f"{prefix}-pattern-{kind}")
        if kind == "dots":
            body = f'<circle class="map-dot" cx="{half}" cy="{half}" r="{_num(cell * 0.2)}"/>'
            size = c
            transform = ""
        elif kind == "cross":
            body = f'<path {ink.format(kind=kind, w=w)} d="M0 {half}H{c}M{half} 0V{c}"/>'
            size = c
            transform = ' patternTransform="rotate(45)"'
        else:
            spacing = cell * (2 if kind == "sparse-diagonal" else 1)
            s = _num(spacing)
            body = f'<path {ink.format(kind=kind, w=w)} d="M0 {_num(spacing / 2)}H{s}"/>'
            size = s
            angle = {"diagonal": -45, "sparse-diagonal": -45, "horizontal": 0, "vertical": 90}[kind]
            transform = f' patternTransform="rotate({angle})"' if angle else ""
        out.append(
            f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="{size}" height="{size}"{transform}>'
            f"{body}</pattern>"
        )
    return out


def _normalise(mapping: Mapping[str, str]) -> dict[str, str]:
    return {key.upper(): value for key, value in mapping.items()}


def _shape_markup(
    d: str | None,
    rect: tuple[float, float, float, float] | None,
    *,
    classes: str,
    status: str,
    prefix: str,
    highlighted: bool,
    outline: float = 0.0,
) -> str:
    """The country's filled shape, its pattern overlay (same outline, pattern fill) and, if highlighted, an
    outline on top; a path for drawn countries, a rect for inset boxes."""

    def element(cls: str, extra: str = "") -> str:
        if d is not None:
            return f'<path class="{cls}" d="{_attr(d)}"{extra}/>'
        assert rect is not None
        x, y, w, h = (_num(v) for v in rect)
        return f'<rect class="{cls}" x="{x}" y="{y}" width="{w}" height="{h}"{extra}/>'

    parts = [element(classes)]
    if status in PATTERNS:
        parts.append(element("map-pattern", f' fill="url(#{_attr(prefix)}-pattern-{PATTERNS[status]})"'))
    if highlighted:
        parts.append(element("map-outline", f' stroke-width="{_num(outline)}"'))
    return "".join(parts)


# A site draws the same map again for each country's page, with only that country outlined: every other
# country's markup is the same each time, so it is kept rather than drawn again (drawing was half the time of
# planning 200 country pages). The key is every input, so a kept markup is always the one the call would draw.
@lru_cache(maxsize=4096)
def _country_group(
    iso2: str,
    d: str | None,
    rect: tuple[float, float, float, float] | None,
    extra: str,
    status: str,
    link: str | None,
    spoken: str,
    highlighted: bool,
    outline: float,
    prefix: str,
    status_class: str,
) -> str:
    """One country's shape, pattern and tooltip, linked to its page when it has one."""
    classes = f"country status-{status_class}" + (" is-highlighted" if highlighted else "")
    shape = _shape_markup(
        d, rect, classes=classes, status=status, prefix=prefix, highlighted=highlighted, outline=outline
    )
    tip = f"<title>{escape(spoken)}</title>"
    if link is not None:
        return (
            f'<a href="{_attr(link)}" aria-label="{_attr(spoken)}" '
            f'class="map-link country-{iso2.lower()}">{tip}{shape}{extra}</a>'
        )
    # A country the site says nothing of is only the map's ground: its name as a tooltip, not read out (a world
    # map's 178 names, or Europe's 80, before the few the site is about; the table beside the map lists those).
    hidden = ' aria-hidden="true"' if status == "none" else ""
    return f'<g class="country-{iso2.lower()}"{hidden}>{tip}{shape}{extra}</g>'


# Like the countries' groups, each name on the map is the same on every page that draws the map (formatting the
# positions of 200 names and insets on each of 200 country pages was a third of drawing their maps).
@lru_cache(maxsize=4096)
def _label(x: float, y: float, font: float, text: str, *, before: str = "", after: str = "") -> str:
    """A country's name on the map or beside its inset box; `before` and `after` are further attributes."""
    return (f'<text class="map-label"{before} x="{_num(x)}" y="{_num(y)}" font-size="{_num(font)}" '
            f'dy="0.35em"{after}>{escape(text)}</text>')


def _uncrowded(geometry: Geometry, labels: Mapping[str, tuple[float, float, float, str, bool]],
               frame: tuple[float, float, float, float]) -> list[str]:
    """The labels (x, y, font size, text, set to the west) that lie within the frame (x, y, width, height) and
    overlap none of a larger country's, in their order: on a world map the names of small neighbours would be set
    over each other, or past the edge, and the table names them anyway."""
    def box(x: float, y: float, font: float, text: str, west: bool) -> tuple[float, float, float, float]:
        width = len(text) * font * 0.6
        left = x - width if west else x - width / 2
        return (left, y - font / 2, left + width, y + font / 2)

    def size(iso2: str) -> float:
        x0, y0, x1, y1 = geometry.countries[iso2].bbox
        return (x1 - x0) * (y1 - y0)

    fx, fy, fw, fh = frame
    kept: dict[str, tuple[float, float, float, float]] = {}
    for iso2 in sorted(labels, key=lambda c: (-size(c), c)):
        found = box(*labels[iso2])
        inside = fx <= found[0] and found[2] <= fx + fw and fy <= found[1] and found[3] <= fy + fh
        if inside and not any(_overlaps(found, other) for other in kept.values()):
            kept[iso2] = found
    return [iso2 for iso2 in labels if iso2 in kept]


def _inset_rows(codes: Sequence[str], texts: Sequence[str], vx: float, vw: float, strip: float, caption: str,
                font_share: float) -> list[list[tuple[str, float]]]:
    """Where each inset box goes, row by row below the map (the first row after the caption): a row holds the boxes
    that fit in the map's width, so a world map's many small countries do not run off its edge."""
    font = strip * font_share
    start = vx + strip * 0.3
    x = start + (len(caption) * font * 0.55 + strip * 0.3 if caption else 0.0)
    rows: list[list[tuple[str, float]]] = [[]]
    for code, text in zip(codes, texts, strict=True):
        # (a name's width is judged wider here than the boxes are spaced, so that a wide one never runs off the edge)
        if rows[-1] and x + strip * 0.55 + strip * 0.15 + len(text) * font * 0.62 + strip * 0.3 > vx + vw:
            rows.append([])
            x = start
        rows[-1].append((code, x))
        x += strip * 0.55 + strip * 0.15 + len(text) * font * 0.58 + strip * 0.5
    return rows if codes else []


def draw_status_map(
    geometry: Geometry,
    statuses: Mapping[str, str],
    links: Mapping[str, str],
    labels: Mapping[str, str],
    *,
    highlight: str | None = None,
    title: str,
    title_id: str,
    insets: Sequence[str] = (),
    compact: bool = False,
    frame: tuple[float, float, float, float] | None = None,
    names: Mapping[str, str] | None = None,
    inset_caption: str = "Elsewhere:",
    status_classes: Mapping[str, str] = MappingProxyType({}),
    spaced: bool = False,
) -> str:
    """An inline SVG map: every country filled by its treaty status, each country with a page linked to it.

    statuses: ISO2 -> one of STATUSES; countries not listed get `status-none`.
    links:    ISO2 -> href (already a URL; it is escaped, not rewritten). A linked country is wrapped in <a>
              with aria-label "<name>: <label>", so the link says where it goes without colour or shape.
    labels:   ISO2 -> the human status label ("withdrawn", "State Party"); used in aria-labels and tooltips.
    highlight: the country the page is about: class `is-highlighted`, drawn last with a thick outline.
    title, title_id: the map's accessible name (<title id=title_id>, aria-labelledby). title_id must be unique
              on the page; it also prefixes the pattern ids, so several maps can share a page.
    insets:   countries that matter but are not in the frame (US, CN): drawn as small boxes in a strip below
              the map, coloured, patterned and linked like the rest. A country the geometry marks "partial"
              (China: a sliver at the edge) gets a box too; its sliver keeps its colour but loses link and
              label. Other countries that are drawn are ignored here.
    compact:  a small multiple: no name labels on the map, insets show codes instead of names, patterns larger
              relative to the map so they stay visible when the map is small.
    frame:    a viewBox (x, y, width, height) to zoom on part of the map (see frame_around); countries wholly
              outside it are left out.
    names:    ISO2 -> name, overriding the geometry file's names (e.g. the site's own spelling).
    status_classes: status -> the site's name for it, drawn as its class (`status-<name>`), where it differs.
    spaced:   leave out a name (or a small multiple's code) that would overlap a larger country's (a world map's
              small neighbours); the table and the tooltips name every country.

    The root is role="img" when the map has no links (one picture, one name). With links it is role="group":
    an "img" hides its children from assistive technology, which would hide the links.
    Links, statuses and labels of countries that are neither drawn nor insets are ignored, so one set of
    mappings can serve a whole series of maps. Raises ValueError for an unknown status.
    """
    statuses_by = _normalise(statuses)
    links_by = _normalise(links)
    labels_by = _normalise(labels)
    names_by = _normalise(names or {})
    focus = highlight.upper() if highlight else None
    drawn = geometry.countries
    inset_codes = sorted({c.upper() for c in insets if c.upper() not in drawn or drawn[c.upper()].partial})
    for iso2, status in sorted(statuses_by.items()):
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} for {iso2}; expected one of {', '.join(STATUSES)}")

    def name(iso2: str) -> str:
        return names_by.get(iso2) or geometry.name(iso2)

    def spoken(iso2: str) -> str:
        label = labels_by.get(iso2)
        return f"{name(iso2)}: {label}" if label else name(iso2)

    vx, vy, vw, vh = frame or geometry.view_box
    cell = vw / (60 if compact else 150)
    # Strokes in map units, sized for the width the map is usually shown at (about 800 px, or 300 px for a
    # small multiple), so borders look the same in a full map and a zoomed one. (CSS vector-effect would do
    # it too, but not every validator knows it.)
    pixel = vw / (300 if compact else 800)
    strip = vw * (0.075 if compact else 0.045) if inset_codes else 0.0  # the height of a row of inset boxes
    rows = _inset_rows(inset_codes, [c if compact else name(c) for c in inset_codes], vx, vw, strip,
                       "" if compact else inset_caption, 0.45 if compact else 0.4)
    prefix = title_id
    shown = [
        iso2
        for iso2, shape in sorted(geometry.countries.items())
        if _overlaps(shape.bbox, (vx, vy, vx + vw, vy + vh))
    ]
    if focus in shown:
        shown = [c for c in shown if c != focus] + [focus]  # last, so neighbours do not cover its outline
    used = [statuses_by.get(c, "none") for c in shown + inset_codes]
    kinds = [PATTERNS[s] for s in used if s in PATTERNS]

    boxed = set(inset_codes)

    def country_group(
        iso2: str, d: str | None, rect: tuple[float, float, float, float] | None, extra: str = ""
    ) -> str:
        # the sliver of a country that also has an inset box is not linked: the box is
        link = links_by.get(iso2) if rect is not None or iso2 not in boxed else None
        status = statuses_by.get(iso2, "none")
        return _country_group(iso2, d, rect, extra, status, link, spoken(iso2), iso2 == focus, pixel * 2.5, prefix,
                              status_classes.get(status, status))

    role = "group" if links_by else "img"
    classes = "status-map is-compact" if compact else "status-map"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" '
        f'viewBox="{_num(vx)} {_num(vy)} {_num(vw)} {_num(vh + strip * len(rows))}" '
        f'role="{role}" aria-labelledby="{_attr(title_id)}">',
        f'<title id="{_attr(title_id)}">{escape(title)}</title>',
    ]
    if kinds:
        parts.append("<defs>" + "".join(_pattern_defs(prefix, kinds, cell)) + "</defs>")
    parts.append(
        f'<rect class="map-sea" x="{_num(vx)}" y="{_num(vy)}" width="{_num(vw)}" height="{_num(vh)}"/>'
    )
    parts.append(
        f'<g class="map-countries" fill-rule="evenodd" stroke-width="{_num2(pixel * 0.6)}" '
        'stroke-linejoin="round">'
    )
    parts.extend(country_group(iso2, geometry.countries[iso2].d, None) for iso2 in shown)
    parts.append("</g>")

    font = vw / 56  # 12px where the map is drawn 672px wide or more (style.css hides the names below)
    if compact:  # a small multiple names what it shows by code (its caption and the key say them in words)
        coded = [c for c in shown if c in statuses_by and c not in inset_codes
                 and vx <= geometry.countries[c].label[0] <= vx + vw
                 and vy <= geometry.countries[c].label[1] <= vy + vh]
        if coded:
            code_font = vw / 16
            parts.append(
                '<g class="map-labels map-codes" aria-hidden="true" pointer-events="none" text-anchor="middle" '
                f'paint-order="stroke" stroke-linejoin="round" stroke-width="{_num(code_font * 0.2)}">'
            )
            if spaced:
                coded = _uncrowded(geometry, {c: (*geometry.countries[c].label, code_font, c, False) for c in coded},
                                   (vx, vy, vw, vh))
            parts.extend(_label(*geometry.countries[iso2].label, code_font, iso2) for iso2 in coded)
            parts.append("</g>")
    else:
        labelled = [c for c in shown if (c in links_by or c == focus) and c not in inset_codes]
        if labelled:
            parts.append(
                '<g class="map-labels" aria-hidden="true" pointer-events="none" text-anchor="middle" '
                f'paint-order="stroke" stroke-linejoin="round" stroke-width="{_num(font * 0.22)}">'
            )
            placed: dict[str, tuple[float, float, float, str, bool]] = {}
            for iso2 in labelled:
                shape = geometry.countries[iso2]
                x, y = shape.label
                if shape.bbox[2] - shape.bbox[0] < font * 2:
                    # too narrow for its name (Israel, Lebanon): set it beside the shape, to the west
                    placed[iso2] = (shape.bbox[0] - font * 0.3, y, font, name(iso2), True)
                else:
                    placed[iso2] = (x, y, font, name(iso2), False)
            kept = _uncrowded(geometry, placed, (vx, vy, vw, vh)) if spaced else labelled
            for iso2 in kept:
                x, y, size, text, west = placed[iso2]
                parts.append(_label(x, y, size, text, after=' text-anchor="end"' if west else ""))
            parts.append("</g>")

    if inset_codes:
        top = vy + vh
        parts.append(
            f'<g class="map-insets"><rect class="map-strip" x="{_num(vx)}" y="{_num(top)}" '
            f'width="{_num(vw)}" height="{_num(strip * len(rows))}"/>'
        )
        box = strip * 0.55
        inset_font = strip * (0.45 if compact else 0.4)
        if not compact:
            parts.append(
                f'<text class="map-inset-caption" aria-hidden="true" x="{_num(vx + strip * 0.3)}" '
                f'y="{_num(top + strip / 2)}" font-size="{_num(inset_font)}" dy="0.35em">{escape(inset_caption)}</text>'
            )
        for row, placed in enumerate(rows):
            middle = top + strip * row + strip / 2
            for iso2, x in placed:
                text = iso2 if compact else name(iso2)
                rect = (x, middle - box / 2, box, box)
                # the name goes inside the link, so clicking the name follows it too
                label = _label(x + box + strip * 0.15, middle, inset_font, text, before=' aria-hidden="true"')
                parts.append(f'<g class="map-inset">{country_group(iso2, None, rect, label)}</g>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def outline_of(svg: str) -> str:
    """The outline that draw_status_map drew around its highlighted country, as markup alone: a share card draws
    it over the map of the day (cards.py) rather than drawing the whole map again for each country."""
    return "".join(re.findall(r'<(?:path|rect) class="map-outline"[^>]*/>', svg))


def draw_small_multiple(
    geometry: Geometry,
    statuses: Mapping[str, str],
    links: Mapping[str, str],
    labels: Mapping[str, str],
    *,
    title: str,
    title_id: str,
    focus: Sequence[str] = ("PL", "FI", "EE", "LV", "LT"),
    highlight: str | None = None,
    insets: Sequence[str] = (),
    aspect: float = 1.0,
    status_classes: Mapping[str, str] = MappingProxyType({}),
    spaced: bool = False,
) -> str:
    """One map of a series by date: compact, zoomed on `focus` (by default the five states), same shape.

    Every map of a series gets the same frame (it depends only on the geometry, `focus` and `aspect`), so the
    eye compares colours, not outlines.
    """
    return draw_status_map(
        geometry,
        statuses,
        links,
        labels,
        highlight=highlight,
        title=title,
        title_id=title_id,
        insets=insets,
        compact=True,
        frame=frame_around(geometry, focus, margin=0.12, aspect=aspect),
        status_classes=status_classes,
        spaced=spaced,
    )


def draw_swatch(status: str, *, id_prefix: str, width: int = 28, height: int = 18,
                status_classes: Mapping[str, str] = MappingProxyType({})) -> str:
    """A legend key: a small decorative SVG with the status's class and pattern, for an HTML legend or table.

    It is aria-hidden: the legend's text names the status; the swatch repeats the map's colour and pattern.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    cell = 6.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="status-map map-swatch" aria-hidden="true" '
        f'focusable="false" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    if status in PATTERNS:
        parts.append("<defs>" + "".join(_pattern_defs(id_prefix, [PATTERNS[status]], cell)) + "</defs>")
    rect = (0.5, 0.5, width - 1.0, height - 1.0)
    parts.append(
        _shape_markup(
            None, rect, classes=f"country status-{status_classes.get(status, status)}", status=status,
            prefix=id_prefix, highlighted=False
        )
    )
    parts.append("</svg>")
    return "".join(parts)
