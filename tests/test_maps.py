"""The status maps: well-formed SVG, links and classes as given, patterns besides colours, escaping,
determinism, and a committed geometry file that has the countries the site talks about and stays small."""

from __future__ import annotations

import importlib.util
import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from builder import maps
from tests.test_status import rules_from

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("PL", "FI", "EE", "LV", "LT", "UA", "RU", "BY", "IL", "LB", "IR")

STATUSES = {
    "PL": "withdrawn",
    "FI": "pending",
    "EE": "announced",
    "LV": "withdrawn",
    "LT": "withdrawn",
    "UA": "disputed",
    "RU": "never-joined",
    "US": "never-joined",
    "CN": "never-joined",
    "DE": "party",
}
LABELS = {
    "PL": "withdrawn",
    "FI": "withdrawal pending",
    "EE": "withdrawal announced",
    "LV": "withdrawn",
    "LT": "withdrawn",
    "UA": "status disputed",
    "RU": "never joined",
    "US": "never joined",
    "CN": "never joined",
    "DE": "State Party",
}
LINKED = ("PL", "FI", "EE", "LV", "LT", "UA", "RU", "US", "CN")
LINKS = {code: f"/countries/{code.lower()}/" for code in LINKED}


@pytest.fixture(scope="module")
def geometry() -> maps.Geometry:
    return maps.load_geometry(maps.DEFAULT_GEOMETRY)


def draw(geometry: maps.Geometry, **overrides: object) -> str:
    arguments: dict = {
        "statuses": STATUSES,
        "links": LINKS,
        "labels": LABELS,
        "highlight": "PL",
        "title": "Treaty status on 23 November 2026",
        "title_id": "status-map",
        "insets": ("US", "CN"),
    }
    arguments.update(overrides)
    return maps.draw_status_map(geometry, **arguments)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def links_by_href(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("href", ""): a for a in root.iter(f"{SVG}a")}


def country_element(root: ET.Element, iso2: str) -> ET.Element:
    """The filled shape of one country (path on the map, rect for an inset box)."""
    for wrapper in root.iter():
        if f"country-{iso2.lower()}" in (wrapper.get("class") or "").split():
            for child in wrapper:
                if "country" in (child.get("class") or "").split():
                    return child
    raise AssertionError(f"{iso2} is not drawn")


def classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


# The committed geometry -----------------------------------------------------------------------------------


def test_committed_geometry_has_the_countries_and_is_small(geometry: maps.Geometry) -> None:
    assert maps.DEFAULT_GEOMETRY.stat().st_size < 150_000
    missing = [code for code in REQUIRED if code not in geometry.countries]
    assert not missing
    assert "world-atlas" in geometry.source and "public domain" in geometry.source
    x, y, width, height = geometry.view_box
    assert (width, height) == (1000, 800)
    path = re.compile(r"^(m-?[\d.]+[ -][-\d. ]*l[-\d. ]+z)+$")
    for code, shape in geometry.countries.items():
        assert path.match(shape.d), code
        assert x <= shape.label[0] <= x + width and y <= shape.label[1] <= y + height, code
        min_x, min_y, max_x, max_y = shape.bbox
        assert min_x <= shape.label[0] <= max_x and min_y <= shape.label[1] <= max_y, code
        xs, ys = zip(*points(shape.d), strict=True)  # the relative commands add up to the recorded box
        assert (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))) == shape.bbox, code
    assert geometry.name("PL") == "Poland"
    assert geometry.name("us") == "United States"  # outside the frame, named for its inset box
    assert geometry.countries["CN"].partial and not geometry.countries["PL"].partial


def test_load_geometry_rejects_a_wrong_file(tmp_path: Path) -> None:
    wrong = tmp_path / "europe.json"
    wrong.write_text('{"viewBox": "0 0 10 10"}', encoding="utf-8")
    with pytest.raises(ValueError, match="make_geo"):
        maps.load_geometry(wrong)


# The drawn map ----------------------------------------------------------------------------------------


def test_svg_is_well_formed_and_named(geometry: maps.Geometry) -> None:
    root = parse(draw(geometry))
    assert root.tag == f"{SVG}svg"
    assert root.get("aria-labelledby") == "status-map"
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == "status-map"
    assert title.text == "Treaty status on 23 November 2026"
    assert "status-map" in classes(root)


def test_role_is_img_without_links_and_group_with_them(geometry: maps.Geometry) -> None:
    assert parse(draw(geometry, links={})).get("role") == "img"
    # an "img" would hide its links from assistive technology
    assert parse(draw(geometry)).get("role") == "group"


def test_every_link_is_drawn_with_its_href_and_spoken_status(geometry: maps.Geometry) -> None:
    root = parse(draw(geometry))
    found = links_by_href(root)
    for code, href in LINKS.items():
        assert href in found, code
        name = geometry.name(code)
        assert found[href].get("aria-label") == f"{name}: {LABELS[code]}"
    assert found["/countries/pl/"].get("aria-label") == "Poland: withdrawn"
    assert len(list(root.iter(f"{SVG}a"))) == len(LINKS)  # one link per country, no duplicates


def test_classes_match_the_statuses(geometry: maps.Geometry) -> None:
    root = parse(draw(geometry))
    for code, status in STATUSES.items():
        assert f"status-{status}" in classes(country_element(root, code)), code
    assert "status-none" in classes(country_element(root, "FR"))  # no status given
    assert "status-none" in classes(country_element(root, "IS"))


def test_countries_the_site_says_nothing_of_are_not_read_out(geometry: maps.Geometry) -> None:
    """rev-user: screen readers heard some 80 European countries' names (178 on a world map) before the few the
    site is about. A country with no status keeps its name as a tooltip, hidden from them; the others are read."""
    root = parse(draw(geometry))

    def wrapper(iso2: str) -> ET.Element:
        return next(w for w in root.iter() if f"country-{iso2.lower()}" in (w.get("class") or "").split())

    for code in ("FR", "IS"):
        assert wrapper(code).get("aria-hidden") == "true" and wrapper(code).findtext(f"{SVG}title") == \
            geometry.name(code)
    for code in STATUSES:  # the linked ones and Germany, a State Party drawn with no page
        assert wrapper(code).get("aria-hidden") is None, code


def test_lowercase_codes_are_accepted(geometry: maps.Geometry) -> None:
    lower = draw(
        geometry,
        statuses={k.lower(): v for k, v in STATUSES.items()},
        links={k.lower(): v for k, v in LINKS.items()},
        labels={k.lower(): v for k, v in LABELS.items()},
        highlight="pl",
        insets=("us", "cn"),
    )
    assert lower == draw(geometry)


def test_colour_comes_from_classes_and_patterns_mark_the_statuses(geometry: maps.Geometry) -> None:
    svg = draw(geometry)
    root = parse(svg)
    assert "style=" not in svg
    for element in root.iter():
        fill = element.get("fill")
        assert fill is None or fill.startswith("url(#"), element.attrib
    defined = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    for code in ("PL", "FI", "EE", "UA", "RU", "US"):
        wrapper = next(w for w in root.iter() if f"country-{code.lower()}" in classes(w))
        overlays = [c for c in wrapper if "map-pattern" in classes(c)]
        assert len(overlays) == 1, code
        reference = re.fullmatch(r"url\(#(.+)\)", overlays[0].get("fill", ""))
        assert reference and reference.group(1) in defined, code
    # different statuses, different patterns: colour is never the only signal
    patterns = {status: maps.PATTERNS[status] for status in ("announced", "pending", "withdrawn", "disputed")}
    assert len(set(patterns.values())) == len(patterns)
    wrapper = next(w for w in root.iter() if "country-de" in classes(w))
    assert not [c for c in wrapper if "map-pattern" in classes(c)]  # a plain State Party


def test_pattern_ids_are_prefixed_so_maps_can_share_a_page(geometry: maps.Geometry) -> None:
    first = parse(draw(geometry, title_id="map-a"))
    second = parse(draw(geometry, title_id="map-b"))
    ids_a = {e.get("id") for e in first.iter() if e.get("id")}
    ids_b = {e.get("id") for e in second.iter() if e.get("id")}
    assert ids_a and ids_b and not ids_a & ids_b


def test_highlight(geometry: maps.Geometry) -> None:
    root = parse(draw(geometry, highlight="FI"))
    highlighted = [e for e in root.iter() if "is-highlighted" in classes(e)]
    assert highlighted == [country_element(root, "FI")]
    countries = root.find(f"{SVG}g[@class='map-countries']")
    assert countries is not None
    last = list(countries)[-1]
    assert "country-fi" in classes(last)  # drawn last, so no neighbour covers its outline
    assert [c for c in last if "map-outline" in classes(c)]
    plain = parse(draw(geometry, highlight=None))
    assert not [e for e in plain.iter() if "is-highlighted" in classes(e) or "map-outline" in classes(e)]


def test_outline_of_gives_the_highlighted_countrys_outline_alone(geometry: maps.Geometry) -> None:
    svg = draw(geometry, highlight="FI")
    outline = maps.outline_of(svg)
    drawn = [e for e in parse(svg).iter() if "map-outline" in classes(e)]
    alone = list(parse(f'<svg xmlns="http://www.w3.org/2000/svg">{outline}</svg>'))
    assert [(e.tag, e.attrib) for e in alone] == [(e.tag, e.attrib) for e in drawn] and len(alone) == 1
    assert alone[0].get("d") == geometry.countries["FI"].d
    assert maps.outline_of(draw(geometry, highlight=None)) == ""


def test_insets_are_boxes_coloured_and_linked_like_the_rest(geometry: maps.Geometry) -> None:
    root = parse(draw(geometry, insets=("US", "CN", "PL")))
    insets = [g for g in root.iter(f"{SVG}g") if "map-inset" in classes(g)]
    boxes = {}
    for inset in insets:
        link = inset.find(f"{SVG}a")
        assert link is not None
        boxes[link.get("href")] = link
    # PL is drawn on the map, so it gets no box; CN is only a sliver at the edge, so it does
    assert set(boxes) == {"/countries/us/", "/countries/cn/"}
    us = boxes["/countries/us/"]
    assert us.get("aria-label") == "United States: never joined"
    rect = next(c for c in us if c.tag == f"{SVG}rect" and "country" in classes(c))
    assert "status-never-joined" in classes(rect)
    assert "United States" in "".join(us.itertext())
    # the sliver of China keeps its colour but not a second link
    assert len([a for a in root.iter(f"{SVG}a") if a.get("href") == "/countries/cn/"]) == 1


def test_links_to_countries_not_on_the_map_are_ignored(geometry: maps.Geometry) -> None:
    root = parse(draw(geometry, insets=()))
    assert "/countries/us/" not in links_by_href(root)
    assert not [g for g in root.iter(f"{SVG}g") if "map-inset" in classes(g)]


def test_text_and_attributes_are_escaped(geometry: maps.Geometry) -> None:
    hostile = '<script>alert("x")</script>'
    svg = draw(
        geometry,
        labels={**LABELS, "PL": hostile},
        links={**LINKS, "PL": '/p?a=1&b="2"'},
        title="Mines & <borders>",
        names={"PL": "Pol<and>"},
    )
    assert "<script" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    link = links_by_href(root)['/p?a=1&b="2"']
    assert link.get("aria-label") == f"Pol<and>: {hostile}"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Mines & <borders>"


def test_unknown_status_is_a_bug(geometry: maps.Geometry) -> None:
    with pytest.raises(ValueError, match="unknown status"):
        draw(geometry, statuses={"PL": "left"})


def test_output_is_deterministic(geometry: maps.Geometry) -> None:
    first = draw(geometry)
    assert first == draw(geometry)
    reordered = draw(
        geometry,
        statuses=dict(reversed(list(STATUSES.items()))),
        links=dict(reversed(list(LINKS.items()))),
        labels=dict(reversed(list(LABELS.items()))),
        insets=("CN", "US"),
    )
    assert reordered == first


def test_labels_name_the_linked_countries(geometry: maps.Geometry) -> None:
    root = parse(draw(geometry))
    labels = root.find(f"{SVG}g[@class='map-labels']")
    assert labels is not None and labels.get("aria-hidden") == "true"
    texts = {t.text for t in labels}
    assert {"Poland", "Finland", "Estonia", "Latvia", "Lithuania", "Ukraine", "Russia"} <= texts
    assert "China" not in texts  # shown by its inset box instead


def test_small_multiple_is_compact_and_zoomed(geometry: maps.Geometry) -> None:
    svg = maps.draw_small_multiple(
        geometry, STATUSES, LINKS, LABELS, title="Status on 1 January 2026", title_id="m-2026-01"
    )
    root = parse(svg)
    assert "is-compact" in classes(root)
    assert root.find(f"{SVG}g[@class='map-labels']") is None, "no names: they would be unreadable this small"
    codes = root.find(f"{SVG}g[@class='map-labels map-codes']")
    assert codes is not None and codes.get("aria-hidden") == "true", "each country is marked by its code instead"
    assert {t.text for t in codes.iter(f"{SVG}text")} >= {"PL", "FI", "EE", "LV", "LT"}
    width = float(root.get("viewBox", "").split()[2])
    assert width < geometry.view_box[2] / 2
    assert "/countries/pl/" in links_by_href(root)
    assert "country-es" not in svg  # Spain lies outside the frame and is left out
    assert svg == maps.draw_small_multiple(
        geometry, STATUSES, LINKS, LABELS, title="Status on 1 January 2026", title_id="m-2026-01"
    )


def test_insets_that_do_not_fit_in_a_row_take_more_rows(geometry: maps.Geometry) -> None:
    # eight countries outside the frame, as a site on the world's agreements has: none runs off the map's edge
    outside = ("US", "BR", "CA", "AU", "ZA", "NG", "MX", "AR")
    for compact in (False, True):
        svg = draw(geometry, insets=outside, statuses={c: "party" for c in outside}, compact=compact)
        root = parse(svg)
        _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
        boxes = [r for g in root.iter(f"{SVG}g") if "map-inset" in classes(g) for r in g.iter(f"{SVG}rect")]
        assert len(boxes) == len(outside)
        for box in boxes:
            x, y = float(box.get("x", "")), float(box.get("y", ""))
            assert x + float(box.get("width", "")) < width and y + float(box.get("height", "")) < height
        rows = sorted({float(box.get("y", "")) for box in boxes})
        assert len(rows) == 2 and root.find(f".//{SVG}rect[@class='map-strip']").get("height") == \
            maps._num(2 * (width * (0.075 if compact else 0.045)))
    labels = [t for g in parse(draw(geometry, insets=outside)).iter(f"{SVG}g") if "map-inset" in classes(g)
              for t in g.iter(f"{SVG}text")]
    assert all(float(t.get("x", "")) + len(t.text or "") * 18 * 0.58 < 1000 for t in labels)


def test_compact_insets_show_codes(geometry: maps.Geometry) -> None:
    root = parse(draw(geometry, compact=True))
    inset_text = " ".join(
        t.text or "" for g in root.iter(f"{SVG}g") if "map-inset" in classes(g) for t in g.iter(f"{SVG}text")
    )
    assert "US" in inset_text and "United States" not in inset_text


def test_swatch(geometry: maps.Geometry) -> None:
    root = parse(maps.draw_swatch("pending", id_prefix="legend-pending"))
    assert root.get("aria-hidden") == "true"
    assert [p.get("id") for p in root.iter(f"{SVG}pattern")] == ["legend-pending-pattern-dots"]
    assert parse(maps.draw_swatch("party", id_prefix="legend-party")).find(f"{SVG}defs") is None


@pytest.mark.parametrize(("stylesheet", "rules"), [
    ("builder/theme/assets/style.css", ""),
    ("templates/assets/style.css", "content/rules.yaml"),
])
def test_the_stylesheets_style_every_status(stylesheet: str, rules: str) -> None:
    """Colours live in the one stylesheet (no inline style under the CSP), so every status needs a rule there,
    under the class the site draws it with (the theme's: the builder's keys; the shipped site's: its own)."""
    css = (ROOT / stylesheet).read_text(encoding="utf-8")
    keys = rules_from((ROOT / rules).read_text(encoding="utf-8")).status_keys if rules else {}
    for status in maps.STATUSES:
        assert f".status-map .status-{keys.get(status, status)} {{" in css


def test_only_countries_outside_the_frame_or_slivers_need_insets(geometry: maps.Geometry) -> None:
    assert maps.needs_inset(geometry, "us") and maps.needs_inset(geometry, "CN")
    assert not maps.needs_inset(geometry, "RU"), "partial, but most of the map's east"
    assert not any(maps.needs_inset(geometry, code) for code in REQUIRED)


# scripts/make_geo.py ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def make_geo():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_geo", ROOT / "scripts" / "make_geo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_geo"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def tiny_topology() -> dict:
    """Two squares sharing one edge, quantised and delta-encoded as TopoJSON does: Poland and Belarus-ish."""
    # quantised grid: x = 14 + q * 0.5 (lon), y = 49 + q * 0.5 (lat)
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [14, 49]},
        "arcs": [
            [[20, 0], [0, 10]],  # shared edge, lon 24, lat 49 -> 54
            [[20, 10], [-20, 0], [0, -10], [20, 0]],  # Poland's other three sides
            [[20, 0], [10, 0], [0, 10], [-10, 0]],  # Belarus's other three sides
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "id": "616", "properties": {"name": "Poland"}, "arcs": [[0, 1]]},
                    {"type": "Polygon", "id": "112", "properties": {"name": "Belarus"}, "arcs": [[2, -1]]},
                ],
            }
        },
    }


def test_make_geo_decodes_projects_and_writes_deterministically(make_geo) -> None:  # type: ignore[no-untyped-def]
    topology = tiny_topology()
    arcs = make_geo.decode_arcs(topology)
    assert arcs[0] == [(24.0, 49.0), (24.0, 54.0)]
    data = make_geo.build(topology, "test")
    assert sorted(data["countries"]) == ["BY", "PL"]
    poland = data["countries"]["PL"]
    assert poland["name"] == "Poland" and poland["d"].startswith("m") and poland["d"].endswith("z")
    x0, y0, x1, y1 = poland["bbox"]
    assert x0 <= poland["label"][0] <= x1 and y0 <= poland["label"][1] <= y1
    # the shared border is one arc, so both countries have exactly the same points along it
    border = {(round(x, 1), round(y, 1)) for x, y in (make_geo.EUROPE.project(24, 49), make_geo.EUROPE.project(24, 54))}
    assert border <= points(poland["d"]) and border <= points(data["countries"]["BY"]["d"])
    assert make_geo.to_json(data) == make_geo.to_json(make_geo.build(tiny_topology(), "test"))


def points(d: str) -> set[tuple[float, float]]:
    """The absolute points of a path written by make_geo (relative m/l/z only)."""
    found: set[tuple[float, float]] = set()
    x = y = 0.0
    for ring in d.split("z")[:-1]:
        move, steps = ring[1:].split("l")
        dx, dy = (float(v) for v in re.findall(r"-?[\d.]+", move))
        x, y = start = (round(x + dx, 1), round(y + dy, 1))
        found.add(start)
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", steps)]
        for i in range(0, len(numbers), 2):
            x, y = round(x + numbers[i], 1), round(y + numbers[i + 1], 1)
            found.add((x, y))
        x, y = start
    return found


def test_douglas_peucker_keeps_ends_and_corners(make_geo) -> None:  # type: ignore[no-untyped-def]
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (2.0, 5.0)]
    assert make_geo.douglas_peucker(line, 0.1) == [(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]
    ring = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    assert make_geo.douglas_peucker(ring, 0.1) == ring


def test_equal_earth_is_equal_area_and_holds_the_whole_world(make_geo) -> None:  # type: ignore[no-untyped-def]
    project = make_geo.equal_earth
    assert project(180, 0)[0] == pytest.approx(2.7066, abs=1e-4)  # the equator's half-length
    assert project(0, 90)[1] == pytest.approx(-1.3173, abs=1e-4)  # the pole line's height (y down)

    def cell(lon: float, lat: float) -> float:  # a degree square, projected (its edges are nearly straight)
        corners = [project(lon, lat), project(lon + 1, lat), project(lon + 1, lat + 1), project(lon, lat + 1)]
        return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(corners, corners[1:] + corners[:1], strict=True)))

    sphere = [math.sin(math.radians(lat + 1)) - math.sin(math.radians(lat)) for lat in (0, 45, 70)]
    for lon in (-170, 10, 120):  # equal areas on the sphere stay equal, wherever they are
        areas = [cell(lon, lat) for lat in (0, 45, 70)]
        assert [a / areas[0] for a in areas] == pytest.approx([s / sphere[0] for s in sphere], rel=2e-3)
    (x0, x1), (y0, y1) = make_geo.WORLD.frame_x, make_geo.WORLD.frame_y  # the frame holds the whole outline
    assert x0 < -2.7066 and x1 > 2.7066 and y0 < -1.3173 and y1 > 1.3173


def crossing_island() -> dict:
    """An island across 180° (179°E to 179°W, 17°S to 16°S, like Fiji's Taveuni), as world-atlas stores it: one ring
    whose step from 179° to -179° is the crossing."""
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [-180, -90]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "242", "properties": {"name": "Fiji"}, "arcs": [[0]]},
        ]}},
        "arcs": [[[718, 146], [-716, 0], [0, 2], [716, 0], [0, -2]]],
    }


def test_the_world_cuts_a_ring_at_the_antimeridian(make_geo) -> None:  # type: ignore[no-untyped-def]
    fiji = make_geo.build(crossing_island(), "test", make_geo.WORLD)["countries"]["FJ"]
    rings = fiji["d"].count("m")
    found = points(fiji["d"])
    # one ring at each edge of the map, each closed along the edge; nothing drawn across the map
    assert rings == 2 and all(x < 40 or x > 960 for x, _ in found)
    assert min(x for x, _ in found) == pytest.approx(make_geo.WORLD.project(-180, -16)[0], abs=0.2)
    assert max(x for x, _ in found) == pytest.approx(make_geo.WORLD.project(180, -16)[0], abs=0.2)
    europe = make_geo.build(crossing_island(), "test", make_geo.EUROPE)  # Europe's frame leaves it out
    assert "FJ" not in europe["countries"]


def test_the_committed_world_is_whole_small_and_uncut(make_geo) -> None:  # type: ignore[no-untyped-def]
    path = maps.DEFAULT_GEOMETRY.parent / "world.json"
    assert path.stat().st_size < 150_000
    world = maps.load_geometry(path)
    assert {"US", "AR", "RU", "FJ", "AQ", "BR", "CN", "AU", "PL"} <= set(world.countries)
    assert not any(shape.partial for shape in world.countries.values())  # the whole world is in the frame
    assert {"MC", "VA", "SG"} <= set(world.outside)  # too small to see: boxes below the map
    _, _, width, height = world.view_box
    for shape in world.countries.values():
        x0, y0, x1, y1 = shape.bbox
        assert x0 >= 0 and x1 <= width and y0 >= 0 and y1 <= height
        # no step of a ring crosses the map (a ring not cut at 180°) but the South Pole's line, at the bottom edge
        steps = [abs(float(v)) for ring in shape.d.split("z")[:-1]
                 for v in re.findall(r"-?[\d.]+", ring.split("l")[1])[::2]]
        assert max(steps) < 300 or shape.iso2 == "AQ"
    chukotka = make_geo.WORLD.project(-172, 66)[0]  # Russia's land west of 180°, at the map's western edge
    assert world.countries["RU"].bbox[0] < chukotka < 200 and world.countries["RU"].bbox[2] > 800


def test_a_world_map_s_names_are_spaced(geometry: maps.Geometry) -> None:
    world = maps.load_geometry(maps.DEFAULT_GEOMETRY.parent / "world.json")
    everyone = {code: "party" for code in world.countries}

    def boxes(spaced: bool) -> list[tuple[float, float, float, float]]:
        svg = maps.draw_status_map(world, everyone, {c: f"/{c}/" for c in everyone}, {}, title="t", title_id="m",
                                   spaced=spaced)
        found = []
        for text in parse(svg).iter(f"{SVG}text"):
            x, y, size = (float(text.get(k, "")) for k in ("x", "y", "font-size"))
            width = len(text.text or "") * size * 0.6
            left = x - width if text.get("text-anchor") == "end" else x - width / 2
            found.append((left, y - size / 2, left + width, y + size / 2))
        return found

    def crowded(found: list[tuple[float, float, float, float]]) -> int:
        return sum(maps._overlaps(a, b) for i, a in enumerate(found) for b in found[i + 1:])

    assert crowded(boxes(False)) > 100  # a name for each of 178 countries: Europe's are set over each other
    spaced = boxes(True)
    assert crowded(spaced) == 0 and len(spaced) > 40  # the larger countries' names, none over another
    assert all(box[0] >= 0 and box[2] <= 1000 for box in spaced)  # and none past the edge (Samoa's, west of it)
