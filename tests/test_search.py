"""search.py: Pagefind indexes each page's <main> and each claim and reference as a record of its own; its files
come back as bytes, only those the search page loads."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from builder import search
from builder.model import Site
from builder.pages import Planner
from builder.search import BUNDLE, index_files
from builder.views import visible_claims
from tests.conftest import write_tree

PAGE = "<html><body><nav>Menu</nav><main><h1>{title}</h1><p>{text}</p></main><footer>Footer</footer></body></html>"


def fragments(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    """Each indexed page or record, by its URL, as Pagefind stored it."""
    found = {}
    for name, data in files.items():
        if name.startswith(BUNDLE + "fragment/"):
            record = json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))
            found[record["url"]] = record
    return found


def output(tmp_path: Path) -> Any:
    """What index_files reads of an Output: the staging folder (pages made by this build) and the output folder."""
    write_tree(tmp_path / "staging", {
        "countries/pl/index.html": PAGE.format(title="Poland", text="Poland leaves the Convention."),
        "sources/wire/index.html": PAGE.format(title="Northern Wire", text="Four ministers recommend leaving."),
        "404.html": PAGE.format(title="Not found", text="Nothing here."),
    })
    write_tree(tmp_path / "public", {"treaty/index.html": PAGE.format(title="The treaty", text="Article 20.")})
    return SimpleNamespace(staging=tmp_path / "staging", out_dir=tmp_path / "public")


PAGES = [("country", "countries/pl/index.html", True), ("source", "sources/wire/index.html", True),
         ("not_found", "404.html", True), ("treaty", "treaty/index.html", False)]


def test_pages_are_indexed_by_their_main_from_where_they_are_and_every_claim_and_reference(
        mini_site: Site, tmp_path: Path) -> None:
    files = index_files(mini_site, Planner(mini_site), output(tmp_path), PAGES)
    found = fragments(files)
    assert found["/countries/pl/"]["content"] == "Poland. Poland leaves the Convention."
    assert found["/treaty/"]["meta"]["title"] == "The treaty", "an unchanged page is read from the output folder"
    assert "/404.html" not in found, "the page-not-found page is not worth finding"
    claim = visible_claims(mini_site)[0]
    outlet = mini_site.sources[claim.source_id].outlet
    record = found[f"/sources/{claim.source_id}/#claim-{claim.id}"]
    assert record["meta"]["title"] == f"{outlet}: \u201c{claim.quote}\u201d"
    assert record["content"] == f"{claim.quote} {claim.says}"
    js01 = mini_site.references["js01"]
    assert found["/references/#ref-js01"]["meta"]["title"] == f"Reference JS01: {js01.statement}"
    assert found["/references/#ref-js01"]["content"] == " ".join(
        [js01.statement, js01.excerpt, *(page.excerpt for page in js01.also)]), "every page's excerpt is found"
    assert len(found) == 3 + len(visible_claims(mini_site)) + len(mini_site.references)


def test_only_the_files_the_search_page_loads_are_kept(mini_site: Site, tmp_path: Path) -> None:
    files = index_files(mini_site, Planner(mini_site), output(tmp_path), PAGES[:1])
    names = sorted(files)
    assert all(name.startswith(BUNDLE) for name in names)
    assert {BUNDLE + "pagefind.js", BUNDLE + "pagefind-worker.js", BUNDLE + "pagefind-entry.json"} <= set(names)
    assert not [n for n in names if "-ui" in n or "highlight" in n or "playground/" in n]
    assert json.loads(files[BUNDLE + "pagefind-entry.json"])["languages"].keys() == {"en"}


def test_a_large_site_is_indexed_by_its_sources_and_countries_names(mini_site: Site, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "FULL_TEXT_SOURCES", 1)
    found = fragments(index_files(mini_site, Planner(mini_site), output(tmp_path), PAGES))
    wire = mini_site.sources["wire"]
    assert found["/sources/wire/"]["content"] == f"{wire.outlet} {wire.title}", "its name, not its page"
    assert found["/countries/pl/"]["content"] == "Poland"
    assert found["/treaty/"]["content"] == "The treaty. Article 20.", "other pages keep their text"
    assert not [url for url in found if "#claim-" in url or url.startswith("/references/")]


def test_pagefinds_own_error_is_raised_with_its_message() -> None:
    with search._Service() as service, pytest.raises(RuntimeError, match="^Pagefind: "):
        service.ask({"type": "AddFile", "index_id": 99, "url": "/x/", "file_path": None, "file_contents": ""})
