"""The status maps as pages show them: a map of every country's status, its key and its table in words, and the
series of small maps of how it changed (the drawing is builder/maps.py's)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from markupsafe import Markup

from .maps import (
    PATTERNS,
    REGIONS,
    Geometry,
    draw_small_multiple,
    draw_status_map,
    draw_swatch,
    load_geometry,
    needs_inset,
)
from .model import (
    Country,
    PartialDate,
    Site,
)
from .rules import Rules
from .status import never_joined_hedge, status_on
from .themes import THEME_DIR
from .urls import country_rel, url_for
from .views import (
    MAP_STATUS,
    NOT_COVERED,
    SERIES_MAX,
    STATUS_ORDER,
    STEP_ROLES,
    CiteLink,
    Citer,
    DatedMap,
    Link,
    rules_of,
)


@dataclass(frozen=True)
class LegendEntry:
    """One line of a map's key: the status in words, its colour and pattern, and how many countries have it."""

    key: str  # the site's key for the status (its CSS class)
    label: str
    swatch: Markup
    count: int | None  # None for the countries the site does not cover

    @property
    def count_text(self) -> str:
        return "" if self.count is None else f"{self.count} {'country' if self.count == 1 else 'countries'}"


@dataclass(frozen=True)
class MapRow:
    """One country of a map in words: the table that carries the map for screen readers and print."""

    iso2: str
    name: str
    href: str
    key: str  # the site's key for the status (its CSS class)
    label: str
    since: PartialDate | None
    swatch: Markup
    inset: bool
    current: bool = False
    hedge: str = ""  # a state never joined: the caution its page gives ("according to the cited reference, ...")


@dataclass(frozen=True)
class MapView:
    """A status map and what says the same in text: its key and its table."""

    id: str
    svg: Markup
    title: str
    on: date
    legend: tuple[LegendEntry, ...]
    rows: tuple[MapRow, ...]
    insets: str  # the countries shown in boxes below the map, as a phrase ("" when none)
    series: Link | None
    highlighted: str = ""  # the name of the country outlined, on its page
    on_map: bool = True  # False: none of the site's countries is on it, and pages show its table alone
    inset_links: tuple[tuple[MapRow, Markup], ...] = ()  # those countries as links with swatches, for a phone
    region: str = ""  # what the map shows, in words ("Europe and its neighbours")


@dataclass(frozen=True)
class StatusChange:
    iso2: str
    country: Link
    before: str
    after: str
    key: str
    on: date
    cites: tuple[CiteLink, ...]
    since: PartialDate | None = None  # the event's date, where it is known only as on or before `on`


@dataclass(frozen=True)
class SeriesMap:
    """One small map of the series: the status on a date, and in words what changed since the map before."""

    id: str
    on: date
    svg: Markup
    changes: tuple[StatusChange, ...]
    standing: tuple[tuple[str, str, tuple[Link, ...]], ...]  # the first map only: (key, label, countries)



# ---------------------------------------------------------------- maps

def map_status(key: str) -> str:
    """The status a map draws for a status: the same, but "joining" is drawn like "signed"."""
    return MAP_STATUS.get(key, key)


def status_label(key: str, rules: Rules) -> str:
    return NOT_COVERED if key == "none" else rules.status_label(key)


class StatusMaps:
    """Every map of a build: one geometry load, and the statuses, links, key and table that the maps share.

    The map of today is drawn once (home and countries pages show the same one); each country page gets it
    with that country outlined, so only that drawing is done per page.
    """

    MAP_ID = "status-map"

    def __init__(self, site: Site, geometry: Geometry | None = None) -> None:
        self.site = site
        self.region = REGIONS[site.config.map_region]
        self.geometry = geometry or load_geometry(THEME_DIR / self.region.geometry)
        self.classes = rules_of(site).status_keys  # the site's name for a status, where it has its own
        self.countries = sorted((c for c in site.countries.values() if c.status_today),
                                key=lambda c: (c.name, c.id))
        self.links = {c.iso2: url_for(site, country_rel(c.id)) for c in self.countries}
        self.names = {c.iso2: c.name for c in self.countries}
        self.insets = tuple(c.iso2 for c in self.countries if needs_inset(self.geometry, c.iso2))
        # The map is of the region site.yaml names (Europe and its neighbours by default): with none of the site's
        # countries on it, a map of countries it does not cover is noise, read out to screen readers, and pages show
        # its table alone, with no country in a "box below the map" (the map page still draws its maps, boxes and all).
        self.on_map = len(self.insets) < len(self.countries) or not self.countries
        today = {c.iso2: c.status_today for c in self.countries if c.status_today}
        self.statuses = {iso2: map_status(s.key) for iso2, s in today.items()}
        self.labels = {iso2: s.label for iso2, s in today.items()}
        self.on = site.config.as_of
        self.series_link = Link(url_for(site, "map/"), "How the map changed")
        uncovered = any(iso2 not in self.statuses for iso2 in self.geometry.countries)
        self.legend = self.key_to([s.key for s in today.values()], self.MAP_ID, count=True, uncovered=uncovered)
        self.rows = tuple(
            MapRow(iso2, self.names[iso2], self.links[iso2], status.site_key, status.label, status.since,
                   Markup(draw_swatch(map_status(status.key), id_prefix=f"{self.MAP_ID}-row-{iso2.lower()}",
                                      status_classes=self.classes)),
                   iso2 in self.insets and self.on_map,
                   hedge=never_joined_hedge(len(status.cite)) if status.key == "never-joined" else "")
            for iso2, status in sorted(today.items(), key=lambda i: (STATUS_ORDER.index(i[1].key), self.names[i[0]]))
        )
        self._today: MapView | None = None

    def key_to(self, keys: Iterable[str], prefix: str, *, count: bool, uncovered: bool) -> tuple[LegendEntry, ...]:
        """A map's key: each status shown (in a fixed order), then "not covered" when any country is."""
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        if uncovered:
            counts.setdefault("none", 0)
        rules = rules_of(self.site)
        return tuple(
            LegendEntry(rules.status_key(key), status_label(key, rules),
                        Markup(draw_swatch(map_status(key), id_prefix=f"{prefix}-key-{rules.status_key(key)}",
                                           status_classes=self.classes)),
                        counts[key] if count and key != "none" else None)
            for key in STATUS_ORDER if key in counts
        )

    def title(self, highlight: Country | None = None) -> str:
        short = self.site.rules.agreement_short if self.site.rules else "the agreement"
        title = (f"Map of {self.region.called}: each country's status under {short} on "
                 f"{PartialDate.of(self.on).human}")
        return title + (f"; {highlight.name} outlined" if highlight else "")

    def view(self, svg: str, title: str, current: str | None = None) -> MapView:
        rows = self.rows if current is None else tuple(replace(row, current=True) if row.iso2 == current else row
                                                       for row in self.rows)
        insets = ", ".join(self.names[iso2] for iso2 in self.insets)
        return MapView(self.MAP_ID, Markup(svg), title, self.on, self.legend, rows, insets, self.series_link,
                       self.names[current] if current else "", self.on_map, self.inset_links(rows, self.MAP_ID),
                       self.region.called)

    def inset_links(self, rows: Iterable[MapRow], prefix: str) -> tuple[tuple[MapRow, Markup], ...]:
        """The countries in boxes below the map, each with its swatch: on a phone the boxes' names would be a few
        pixels high, so the page lists them under the map in text instead."""
        return tuple((row, Markup(draw_swatch(self.statuses[row.iso2], id_prefix=f"{prefix}-inset-{row.iso2.lower()}",
                                              status_classes=self.classes)))
                     for row in rows if row.inset)

    def draw(self, title: str, highlight: str | None = None) -> str:
        return draw_status_map(self.geometry, self.statuses, self.links, self.labels, highlight=highlight,
                               title=title, title_id=self.MAP_ID, insets=self.insets, names=self.names,
                               inset_caption="Outside the map:", status_classes=self.classes,
                               spaced=self.region.spaced)

    def today(self) -> MapView:
        """The map of every country's status on the site's date (drawn once, shown on several pages)."""
        if self._today is None:
            title = self.title()
            self._today = self.view(self.draw(title), title)
        return self._today

    def of_country(self, country: Country) -> MapView:
        """The same map with one country outlined, for its page."""
        title = self.title(country)
        return self.view(self.draw(title, highlight=country.iso2), title, current=country.iso2)

    # ------------------------------------------------------------ the series
    def series_start(self) -> date:
        """The first day of the month of the first step out (no later than the site's date)."""
        kinds = self.site.rules.kinds(*STEP_ROLES) if self.site.rules else ()
        steps = [e.date.first for c in self.countries for e in c.events if e.kind in kinds]
        return min(min(steps, default=self.on).replace(day=1), self.on)

    def changes(self, start: date, citer: Citer) -> dict[date, list[StatusChange]]:
        """Every change of a covered country's status after `start` and by the site's date, by day."""
        found: dict[date, list[StatusChange]] = {}
        for country in self.countries:
            before = status_on(country, start, rules_of(self.site))
            for status in country.status_history:
                if start < status.on <= self.on and status.key != before.key:
                    found.setdefault(status.on, []).append(StatusChange(
                        country.iso2, Link(self.links[country.iso2], country.name), before.label, status.label,
                        status.key, status.on, citer.links(status.cite),
                        status.since if status.since is not None and status.since.by else None))
                    before = status
        return found

    def series(self, citer: Citer) -> tuple[tuple[SeriesMap, ...], tuple[LegendEntry, ...], bool]:
        """Small maps from the series' start to the site's date: one per date of change (or per month), their
        shared key, and whether there is one per month."""
        start = self.series_start()
        changes = self.changes(start, citer)
        days = sorted(changes)
        per_month = len(days) > SERIES_MAX
        if per_month:  # the last day of change in each month stands for the month
            months: dict[tuple[int, int], date] = {(d.year, d.month): d for d in days}
            days = sorted(months.values())
        state = {c.iso2: status_on(c, start, rules_of(self.site)) for c in self.countries}
        keys = {iso2: s.key for iso2, s in state.items()}
        changing = sorted({c.iso2 for day in changes for c in changes[day]})
        focus = [iso2 for iso2 in changing if iso2 not in self.insets] or list(self.region.focus)
        standing = tuple(
            (key, rules_of(self.site).status_label(key), tuple(Link(self.links[c.iso2], c.name) for c in self.countries
                                       if keys[c.iso2] == key))
            for key in STATUS_ORDER if key in keys.values()
        )
        maps = [self.small(start, keys, (), standing, focus)]
        shown = set(keys.values())
        previous = start
        for day in days:
            happened = tuple(change for d in sorted(changes) if previous < d <= day for change in changes[d])
            for change in happened:
                keys[change.iso2] = change.key
                shown.add(change.key)
            maps.append(self.small(day, keys, happened, (), focus))
            previous = day
        uncovered = any(iso2 not in keys for iso2 in self.geometry.countries)
        return tuple(maps), self.key_to(shown, "series", count=False, uncovered=uncovered), per_month

    def dated(self) -> DatedMap:
        """Today's map with, for each covered country, its status on each day from the series' start as this site
        knows it (the status history its page gives, the small maps' changes): what the map page's date control
        (assets/map-date.js) shows for any day. A day that changes nothing a reader sees is no step."""
        start = self.series_start()
        rules = rules_of(self.site)
        countries = {c.iso2: c for c in self.countries}
        rows = []
        for row in self.rows:
            country = countries[row.iso2]
            steps: list[list[str]] = []
            # the days its history turns on (its events', the notice's day of effect); each day's own status and
            # start, where a history line is dated by the step it records (status._as_step)
            for day in [start, *(s.on for s in country.status_history if start < s.on <= self.on)]:
                status = status_on(country, day, rules)
                since = [status.since.iso, status.since.human] if status.since else ["", ""]
                step = [day.isoformat(), rules.status_key(map_status(status.key)), status.label, *since]
                if not steps or steps[-1][1:] != step[1:]:
                    steps.append(step)
            rows.append((row, json.dumps(steps, ensure_ascii=False, separators=(",", ":"))))
        patterns = {rules.status_key(key): pattern for key, pattern in PATTERNS.items()}
        shown = {rules.status_key(map_status(status)) for status in self.statuses.values()}
        shown.update(step[1] for _, changes in rows for step in json.loads(changes))
        by_site_key = {rules.status_key(key): key for key in STATUS_ORDER}
        uncovered = any(iso2 not in self.statuses for iso2 in self.geometry.countries)
        legend = self.key_to([by_site_key.get(key, key) for key in shown], "dated", count=False, uncovered=uncovered)
        return DatedMap(start, self.on, self.today().svg, tuple(rows),
                        json.dumps(patterns, sort_keys=True, separators=(",", ":")), legend,
                        self.inset_links(self.rows, "dated"))

    def small(self, day: date, keys: Mapping[str, str], changes: tuple[StatusChange, ...],
              standing: tuple[tuple[str, str, tuple[Link, ...]], ...], focus: list[str]) -> SeriesMap:
        map_id = f"series-{day.isoformat()}"
        labels = {iso2: rules_of(self.site).status_label(key) for iso2, key in keys.items()}
        svg = draw_small_multiple(self.geometry, {iso2: map_status(k) for iso2, k in keys.items()}, {}, labels,
                                  title=f"Map: the status of each country on {PartialDate.of(day).human}",
                                  title_id=map_id, focus=focus, aspect=1.0, status_classes=self.classes,
                                  spaced=self.region.spaced)
        return SeriesMap(map_id, day, Markup(svg), changes, standing)


