"""The preview's open pages made first (builder/hot.py): they must be exactly what the whole build then writes,
and every edit it cannot be sure of must be left to the whole build."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import Builder
from tests.test_warm import Site

OPEN = ["sources/daily/index.html", "sources/wire/index.html", "countries/ua/index.html",
        "countries/fi/index.html", "compare/index.html"]
MADE_FIRST = OPEN[:4]  # the compare page is made from every claim: only the whole build makes it


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Site, Builder]:
    site = Site(tmp_path / "site")
    builder = Builder(site.root, tmp_path / "out")
    builder.build()
    return site, builder


def build_with_hot(builder: Builder, changed: list[str]) -> tuple[list[str], dict[str, bytes]]:
    """Build as the preview does; the pages made first, and their bytes as they were just then."""
    told: list[str] = []
    early: dict[str, bytes] = {}

    def on_hot(pages: list[str]) -> None:
        told.extend(pages)
        early.update((page, (builder.out_dir / page).read_bytes()) for page in pages)

    builder.build(changed, OPEN, on_hot)
    return told, early


@pytest.mark.parametrize(("rel", "old", "new", "shows"), [
    ("content/claims/daily.yaml", 'says: "Ukraine has said', 'says: "Edited: Ukraine has said', "Edited: Ukraine"),
    ("content/claims/daily.yaml", "countries: [ua, ru]", "countries: [ru]", None),  # a claim leaves a country
    ("content/claims/daily.yaml", "kind: reporting", "kind: reporting\n  draft: true", None),  # and a page
    ("content/sources/daily.md", 'title: "', 'title: "Edited: ', "Edited: "),
    ("templates/source.html", ">{{ source.title }}</h1>", ">{{ source.title }} (edited)</h1>", "(edited)"),
])
def test_pages_made_first_are_what_the_whole_build_writes(warm: tuple[Site, Builder], rel: str, old: str,
                                                          new: str, shows: str | None) -> None:
    site, builder = warm
    site.edit(rel, old, new)
    told, early = build_with_hot(builder, [rel])
    assert sorted(told) == sorted(MADE_FIRST)
    for page in told:
        assert early[page] == (builder.out_dir / page).read_bytes(), page
    assert sorted(builder.kept_hot) == sorted(told)
    if shows:
        assert any(shows in data.decode() for data in early.values())


def test_the_stylesheet_is_copied_first(warm: tuple[Site, Builder]) -> None:
    site, builder = warm
    site.edit("templates/assets/style.css", "", "\n.edited { color: red; }\n")
    told, early = build_with_hot(builder, ["templates/assets/style.css"])
    assert "assets/style.css" in told and b".edited { color: red; }" in early["assets/style.css"]
    # with the claim pieces' outline rules the build writes after it (render.with_part_rules)
    assert early["assets/style.css"] == (builder.out_dir / "assets/style.css").read_bytes()


@pytest.mark.parametrize(("rel", "old", "new"), [
    ("site.yaml", 'title: "', 'title: "Edited: '),  # what every page shows
    ("content/questions.yaml", "?", "? (edited)"),
    ("content/countries/ua.yaml", 'name: "', 'name: "Edited: '),
    ("content/claims/daily.yaml", "countries: [ua, ru]", "countries: [ua, xx]"),  # an error
    ("content/claims/daily.yaml", "- id: daily-ukraine", "- id: wire-four"),  # an id the other source uses
    ("content/claims/daily.yaml", 'says: "Ukraine has said', 'says: [broken'),
])
def test_edits_it_cannot_be_sure_of_are_left_to_the_whole_build(warm: tuple[Site, Builder], rel: str, old: str,
                                                                new: str) -> None:
    site, builder = warm
    assert builder.remaker is not None
    before = {page: (builder.out_dir / page).read_bytes() for page in OPEN}
    site.edit(rel, old, new)
    assert builder.remaker.remake(site.root, [rel], OPEN, builder.cache.parses) == {}
    assert {page: (builder.out_dir / page).read_bytes() for page in OPEN} == before


def test_a_new_source_is_left_to_the_whole_build(warm: tuple[Site, Builder]) -> None:
    site, builder = warm
    assert builder.remaker is not None
    source = site.root / "content" / "sources" / "daily.md"
    (site.root / "content" / "sources" / "extra.md").write_text(source.read_text(encoding="utf-8"))
    assert builder.remaker.remake(site.root, ["content/sources/extra.md"], OPEN, builder.cache.parses) == {}
