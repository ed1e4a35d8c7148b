"""Pages that stay readable at scale: a large synthetic site has no HTML page over the limit, its split comparison,
paginated country pages and sources list link up, and each source's downloads hold what the whole files hold.

The synthetic site is the golden test's (bench/make_synthetic.py at 600 pages, 1,200 claims), a sixteenth of the
10,000-page benchmark, so the 1 MB rule is checked here with a lower limit: before the comparison was split, its
"What the sources say" weighed 958 KB; now its largest page (the first 500 sources) weighs 300 KB. The shipped
site's pages are unchanged (its digests are tests/golden/shipped.txt).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, SoupStrainer

from builder import comparisons, paging
from builder.build import check_site
from builder.model import PartialDate, Site
from builder.pages import Planner
from builder.paging import CLAIMS_PER_PAGE, KEY_DATES_ON_HOME, NOTES_ON_PAGE, SOURCES_PER_PAGE, home_dates
from builder.views import (
    FINDINGS_ON_HOME,
    KeyDate,
)
from tests.test_site import html_files, links_and_ids, soup, target_of

META = SoupStrainer(class_="meta")  # a source page's facts, its downloads among them: the rest is not built
PAGE_LIMIT = 500_000  # bytes: 1 MB at 10,000 pages, here half of it (see above)


@pytest.fixture(scope="module")
def large(build_once: Callable[[Path, str | None], tuple[Site, Path]], synthetic_site: Path) -> tuple[Site, Path]:
    """The synthetic site built at its own base URL (once per test run: tests/conftest.py)."""
    return build_once(synthetic_site, None)


def claim_ids_on(page: Path) -> list[str]:
    """The claims a page shows as cards, by the link to their highlight."""
    return [a["href"].rsplit("#claim-", 1)[1] for a in soup(page).select(".claim .attribution a[href*='#claim-']")]


def test_no_html_page_is_over_the_limit(large: tuple[Site, Path]) -> None:
    _, out = large
    sizes = {page.relative_to(out).as_posix(): page.stat().st_size for page in html_files(out)}
    assert {path: size for path, size in sizes.items() if size > PAGE_LIMIT} == {}
    assert len(sizes) > 600  # the site's pages, and the further pages of its long listings


def test_every_internal_link_and_anchor_resolves(large: tuple[Site, Path]) -> None:
    site, out = large
    problems = []
    for page in html_files(out):
        for tag, ref, rel in links_and_ids(page)[0]:
            if not ref or tag == "link" and rel.split() == ["canonical"]:
                continue
            target = target_of(ref, page, out, site.config.base_path)
            if target is None:
                continue
            file, anchor = target
            if not file.is_file():
                problems.append(f"{page.relative_to(out)}: {ref} -> missing {file.relative_to(out)}")
            elif anchor and file.suffix == ".html" and anchor not in links_and_ids(file)[1]:
                problems.append(f"{page.relative_to(out)}: {ref} -> no id '{anchor}' in {file.relative_to(out)}")
    assert problems == []


def test_the_comparison_is_an_index_of_a_page_per_question(large: tuple[Site, Path]) -> None:
    site, out = large
    index = soup(out / "compare" / "index.html")
    assert claim_ids_on(out / "compare" / "index.html") == []  # no claim cards: they are on the questions' pages
    rows = [a["href"] for a in index.select("table.matrix th[scope=row] a")]
    assert rows == [f"{site.config.base_path}compare/{qid}/" for qid in site.comparisons]
    for question_id, comparison in site.comparisons.items():
        page = soup(out / "compare" / question_id / "index.html")
        assert page.h1.get_text() == site.questions[question_id].text
        assert page.select_one(".eyebrow a")["href"] == f"{site.config.base_path}compare/"
        # Every claim of every answer, each answer's in order (none "shown above": a page stands alone).
        assert claim_ids_on(out / "compare" / question_id / "index.html") == [
            c for answer in comparison.answers for c in answer.claim_ids]
    # A claim's answer links to its question's page, wherever the claim is shown.
    claim = next(c for c in site.claims.values() if c.answers)
    source_page = soup(out / "sources" / claim.source_id / "index.html")
    links = {a["href"] for a in source_page.select(".claim-answers a")}
    assert f"{site.config.base_path}compare/{claim.answers[0].question_id}/" in links


def test_a_country_with_many_claims_has_further_pages(large: tuple[Site, Path]) -> None:
    site, out = large
    country_id = max(site.countries, key=lambda c: sum(c in claim.countries for claim in site.claims.values()))
    naming = {c.id for c in site.claims.values() if country_id in c.countries and not c.draft}
    count = math.ceil(len(naming) / CLAIMS_PER_PAGE)
    assert count >= 2
    folder = out / "countries" / country_id
    files = [folder / "index.html"] + [folder / "page" / str(n) / "index.html" for n in range(2, count + 1)]
    assert not (folder / "page" / str(count + 1)).exists()
    shown = [claim_ids_on(file) for file in files]
    assert all(0 < len(ids) <= CLAIMS_PER_PAGE for ids in shown)
    assert sorted(c for ids in shown for c in ids) == sorted(naming)  # each claim once, none left out
    for number, file in enumerate(files, 1):
        pager = soup(file).select_one("nav.pager")
        assert pager.select_one("[aria-current=page]").get_text() == f"Page {number}"
        assert len(pager.select("li")) == count + (number > 1) + (number < count)


def test_the_sources_list_is_cut_into_pages(large: tuple[Site, Path]) -> None:
    site, out = large
    first, second = out / "sources" / "index.html", out / "sources" / "page" / "2" / "index.html"
    listed = [[a["href"] for a in soup(file).select(".source-index h2 a")] for file in (first, second)]
    assert len(listed[0]) == SOURCES_PER_PAGE
    assert sorted(listed[0] + listed[1]) == sorted(f"{site.config.base_path}sources/{s}/" for s in site.sources)
    assert soup(second).select_one("nav.pager a[rel=prev]")["href"] == f"{site.config.base_path}sources/"
    assert soup(second).h1.get_text() == "Sources, page 2 of 2"


def test_the_home_page_lists_no_sources(large: tuple[Site, Path]) -> None:
    site, out = large
    home = soup(out / "index.html")
    # Source pages only where a finding or the summary cites one: the page's weight does not grow with them.
    to_sources = {a["href"].split("#")[0] for a in home.select("main a[href*='/sources/s']")}
    cited = {a["href"].split("#")[0] for a in home.select(".finding-more, .summary-sentence a")}
    assert to_sources <= cited and len(home.select(".finding")) <= FINDINGS_ON_HOME
    assert len(home.select("#key-dates ~ ol > li, ol.timeline > li")) <= KEY_DATES_ON_HOME


def facts(page: str) -> str:
    """A source page's facts, its downloads among them (`<dl class="meta">`, near its top): a page is mostly its
    source's text, which need not be parsed to find them (580 pages: 1.5 s of CPU, nine tenths of the test)."""
    start = page.index('<dl class="meta">')
    return page[start:page.index("</dl>", start) + len("</dl>")]


def test_each_source_has_downloads_that_match_the_whole(large: tuple[Site, Path]) -> None:
    site, out = large
    whole = json.loads((out / "data" / "site.json").read_bytes())
    with (out / "data" / "claims.csv").open(encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    for source_id in site.sources:
        one = json.loads((out / "data" / "sources" / f"{source_id}.json").read_bytes())
        assert one["source"] == whole["sources"][source_id]
        assert one["claims"] == {k: c for k, c in whole["claims"].items() if c["source_id"] == source_id}
        text = (out / "data" / "sources" / f"{source_id}.csv").read_text(encoding="utf-8")
        assert list(csv.reader(io.StringIO(text, newline=""))) == [header] + [r for r in rows if r[1] == source_id]
        page = (out / "sources" / source_id / "index.html").read_text(encoding="utf-8")
        links = [a["href"] for a in BeautifulSoup(facts(page), "html.parser", parse_only=META).select(".meta dd a")]
        assert {f"{site.config.base_path}data/sources/{source_id}.json",
                f"{site.config.base_path}data/sources/{source_id}.csv"} <= set(links)
    assert sum(len(json.loads(p.read_bytes())["claims"]) for p in (out / "data" / "sources").glob("*.json")) \
        == len(whole["claims"])


def test_a_question_with_many_answers_is_cut_into_pages(large: tuple[Site, Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    site, _ = large
    monkeypatch.setattr(comparisons, "CLAIMS_PER_PAGE", 10)
    planner = Planner(site)
    question_id = next(iter(site.comparisons))
    cut = planner.answer_pages(question_id)
    assert [a for part in cut for a in part] == list(site.comparisons[question_id].answers)
    assert all(sum(len(a.claim_ids) for a in part) <= 10 for part in cut) and len(cut) > 1
    assert [job for job in planner.jobs if job[0] == "question" and job[1].split("/")[0] == question_id] == [
        ("question", question_id)] + [("question", f"{question_id}/{n}") for n in range(2, len(cut) + 1)]
    page = planner.plan(("question", f"{question_id}/2"))
    assert page.out_path == f"compare/{question_id}/page/2/index.html"
    assert page.context["q"].answers and page.context["pager"].previous == f"/bench/compare/{question_id}/"


def test_a_small_site_keeps_one_comparison_page_and_no_source_downloads(tmp_path: Path) -> None:
    from tests.test_site import FIXTURE

    site = check_site(FIXTURE)
    planner = Planner(site)
    assert not planner.scale.split_compare and not planner.scale.source_downloads
    assert [job for job in planner.jobs if job[0] in ("question", "country_more", "sources_more")] == []


EXAMPLE = KeyDate(PartialDate.of(date(2025, 1, 1)), "Signed", (), None, (), False)


def test_the_home_page_shows_a_bounded_number_of_key_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "KEY_DATES_ON_HOME", 5)
    dates = [replace(EXAMPLE, label=str(day), kind="ratified") for day in range(20)]
    dates[3] = replace(dates[3], kind="fact")
    dates[7] = replace(dates[7], kind="withdrawal-announced", step=True)
    shown = home_dates(dates)
    assert [k.label for k in shown] == ["3", "7", "17", "18", "19"]  # the Convention's, the step, the newest
    assert home_dates(dates[:5]) == tuple(dates[:5])
    assert KEY_DATES_ON_HOME >= 42  # the shipped site's key dates are all shown


def test_a_question_page_shows_its_first_notes_and_says_where_the_rest_are(large: tuple[Site, Path]) -> None:
    site, out = large
    question_id, comparison = max(site.comparisons.items(), key=lambda item: len(item[1].timing))
    assert len(comparison.timing) > NOTES_ON_PAGE
    page = soup(out / "compare" / question_id / "index.html")
    assert [li.get_text(" ", strip=True).split(" Sources:")[0] for li in page.select(".timing li")] == [
        note.text for note in comparison.timing[:NOTES_ON_PAGE]]
    rest = next(p for p in page.select("p.muted") if p.get_text().startswith("Shown: the first"))
    total = len(comparison.differences) + len(comparison.timing)
    assert rest.get_text() == (f"Shown: the first differences and timing notes; all {total:,} are in the "
                               "comparisons of the whole site as JSON.")
