"""The search page in Chromium marks the words a result quotes in another language than the site's with theirs
(`lang`), and only those: a screen reader speaks a Spanish quote in Spanish and our labels around it in English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import build_site
from tests.conftest import REPO, copy_site
from tests.support.browser import Tab, serve_directory

SUBPATH = "/mini/"  # the fixture's base_url is https://example.org/mini/
UKRAINE = "Ukraine \U0001f1fa\U0001f1e6, at war with Russia, has also said it will leave."  # the flag: 4 UTF-16 units

# Each result as the reader's browser built it: the link's text, the excerpt's, and each element's text with its
# lang, outermost first (what a screen reader is told of each part's language).
RESULTS = """() => [...document.querySelectorAll(".search-list li")].map((li) => ({
  href: li.querySelector("a").getAttribute("href"),
  title: li.querySelector("a").textContent,
  text: li.querySelector("p").textContent,
  marked: [...li.querySelectorAll("[lang]")].map((e) => [e.parentElement.localName, e.lang, e.textContent]),
}))"""


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small site with its Daily Ledger in Spanish (a flag in one quote), and a post in Spanish in the English
    Northern Wire."""
    root = tmp_path_factory.mktemp("languages")
    site = copy_site(root / "site", base=REPO / "tests" / "fixtures" / "mini", templates=False)
    edit(site, "content/sources/daily.md", "language: en\n", "language: es\n")
    edit(site, "content/sources/daily.md", "Ukraine, at war with Russia, has also said it will leave.", UKRAINE)
    edit(site, "content/claims/daily.yaml", "Ukraine, at war with Russia, has also said it will leave.", UKRAINE)
    handle = '    handle: "@annanalyst"\n'
    edit(site, "content/sources/wire.md", handle, handle + "    language: es\n")
    build_site(site, out := root / "public")
    with serve_directory(out, SUBPATH) as base:
        yield base


def results(tab: Tab, server: str, words: str) -> dict[str, dict]:
    tab.load(server + "search/?q=" + words)
    tab.page.wait_for_selector(".search-count")
    return {r["href"].removeprefix(SUBPATH): r for r in tab.page.evaluate(RESULTS)}


def test_a_result_marks_the_words_it_quotes_in_spanish_and_not_ours(server: str, tabs: dict[str, Tab]) -> None:
    tab = tabs["policy"]
    found = results(tab, server, "leave")
    claim = found["sources/daily/#claim-daily-ukraine"]
    quoted = f"\u201c{UKRAINE}\u201d"
    # The quote, in the title and in the excerpt, and nothing else: the outlet, the kind, the rating, "In plain
    # words:" and the site's restatement are the page's English.
    assert claim["title"] == f"The Daily Ledger, reporting: {quoted} \u2014 Imprecise"
    assert claim["text"].startswith(f"Reporting: {quoted} In plain words: ")
    assert claim["marked"] == [["a", "es", quoted], ["p", "es", quoted]]
    assert claim["text"].count("leave") == 2 and tab.page.locator(
        ".search-list li:has(a[href$='#claim-daily-ukraine']) span[lang=es] mark").count() == 1
    # Each takes its direction from its own words (a right-to-left quote keeps its order in an English line).
    assert tab.page.locator(".search-list [lang][dir=auto]").count() > 0
    assert tab.page.locator(".search-list [lang]:not([dir=auto])").count() == 0
    # The source's page: its headline and its text, not its outlet's name.
    source = found["sources/daily/"]
    assert source["marked"][0] == ["a", "es", "\u201cFive states leave the mine ban\u201d"]
    assert [m[:2] for m in source["marked"][1:]] == [["p", "es"]] and "The Daily Ledger" not in source["marked"][1][2]
    # The Spanish post in the English Northern Wire: the claim quoting it, as above, and the post's own result (its
    # text; its title is ours).
    found = results(tab, server, "aggressive")
    assert found["sources/wire/#claim-wire-ann"]["marked"] == [
        ["a", "es", "\u201cmade for a different world. It was not built for an aggressive neighbour.\u201d"],
        ["p", "es", "\u201cmade for a different world. It was not built for an aggressive neighbour.\u201d"]]
    post = found["sources/wire/#passage-ann-post"]
    assert [m[:2] for m in post["marked"]] == [["p", "es"]] and post["marked"][0][2] in post["text"]
    assert not post["title"].count("\u201c")
    # The Northern Wire's own words: nothing marked.
    found = results(tab, server, "Tuesday")
    assert found and all(r["marked"] == [] for url, r in found.items() if url.startswith("sources/wire/"))
    assert tab.errors == []
