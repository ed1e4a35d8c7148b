"""The status maps' region: site.yaml's `map:` setting, read and checked, and the note that names the countries the
map of the default region cannot draw (the drawing and the regions' geometry are builder/maps.py's)."""

from __future__ import annotations

from pathlib import Path

from .errors import ErrorLog
from .fields import AlreadyReported, FieldError, Record, one_of, user_assigned
from .load import Node
from .maps import REGIONS, load_geometry, needs_inset
from .model import Site
from .themes import theme_file

NAMED_OFF_MAP = 10  # the countries a note names of those the map cannot draw; the rest are counted


def a_map_setting(node: Node, log: ErrorLog) -> str:
    """site.yaml's `map:`: the region the status maps show (maps.REGIONS)."""
    if not isinstance(node.value, dict):
        raise FieldError("must be a mapping", "write 'map:' and, under it, 'region:' with one of "
                         + ", ".join(f"'{name}'" for name in REGIONS))
    r = Record(node, log, "site.yaml's map")
    region = r.field("region", one_of(tuple(REGIONS)))
    r.finish()
    if region is None:
        raise AlreadyReported
    return str(region)


def off_map(site: Site, config: Node, templates_dir: Path) -> tuple[str, str] | None:
    """The note (its message and hint, for validate.note_at), when site.yaml leaves the region to its default, that
    names the countries its map cannot draw (outside the region, or too small on it: maps.needs_inset), which the
    pages show only in boxes below the map. A site that names its region has chosen it, and is told no more (an
    empty `map:` names none); an invented example's code (fields.user_assigned) is on no map."""
    if not isinstance(config.value, dict):
        return None
    chosen = config.value.get("map")
    if chosen is not None and isinstance(chosen.value, dict) and "region" in chosen.value:
        return None
    region = REGIONS[site.config.map_region]
    try:
        geometry = load_geometry(theme_file(templates_dir, region.geometry))
    except (OSError, ValueError):  # the planner reports it, when it draws the map
        return None
    off = [country.name for country in sorted(site.countries.values(), key=lambda c: (c.name, c.id))
           if country.status_today and needs_inset(geometry, country.iso2) and not user_assigned(country.iso2)]
    if not off:
        return None
    shown = off[:NAMED_OFF_MAP] + ([f"{len(off) - NAMED_OFF_MAP} more"] if len(off) > NAMED_OFF_MAP else [])
    named = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    others = " or ".join(f"'region: {name}'" for name in REGIONS if name != region.name)
    return (f"{named} {'is' if len(off) == 1 else 'are'} not on the status map, which shows {region.called} (the "
            "default region): the pages show each in a box below the map",
            f"to draw them, add 'map:' to site.yaml with {others} under it (docs/content-model.md); "
            f"'region: {region.name}' keeps this map and says no more")
