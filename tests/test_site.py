"""The built site read back: every link resolves, every anchor exists, every page shows what it must.

Built from the shipped content (when it validates) and from the small fixture site, each at a project subpath
and at a domain root, because every URL is made from the base path.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from builder.build import check_site, publish
from builder.compare import judge_claim
from builder.errors import ContentErrors
from builder.mapviews import map_status
from builder.model import STATUSES, PartialDate, Site
from builder.status import never_joined_hedge
from builder.views import MARKS, language_name, published_text

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "mini"
BASE_URLS = ("https://example.org/ottawa-exit/", "https://example.org/")  # the first the browser tests' too


def shipped_content_validates() -> bool:
    try:
        check_site(REPO)
    except ContentErrors:
        return False
    return True


ROOTS = [pytest.param(FIXTURE, id="fixture"),
         pytest.param(REPO, id="shipped", marks=pytest.mark.skipif(not shipped_content_validates(),
                                                                   reason="content/ does not validate yet"))]


def build(root: Path, base_url: str, out: Path) -> tuple[Site, Path]:
    site = check_site(root, base_url=base_url)
    publish(site, REPO / "templates", out)
    return site, out


@pytest.fixture(scope="module", params=[(r, b) for r in ROOTS for b in BASE_URLS],
                ids=lambda p: f"{p[0].id}-{'root' if p[1] == BASE_URLS[1] else 'sub'}")
def built(request: pytest.FixtureRequest, build_once: Callable[[Path, str], tuple[Site, Path]]
          ) -> tuple[Site, Path]:
    root_param, base_url = request.param
    for mark in root_param.marks:
        if mark.name == "skipif" and mark.args[0]:
            pytest.skip(mark.kwargs["reason"])
    return build_once(root_param.values[0], base_url)


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


_BY_ID: dict[int, dict[str, Tag]] = {}


def by_id(doc: BeautifulSoup) -> dict[str, Tag]:
    """Each id on a page and the first element that has it (what `doc.find(id=...)` finds), searched once per page:
    a find walks the page up to the element, and the references page (2,900 elements) looks up every reference."""
    index = _BY_ID.get(id(doc))  # a page's soup is kept for the whole run (soup), so its id() is its own
    if index is None:
        index = {}
        for element in doc.find_all(id=True):
            index.setdefault(str(element["id"]), element)
        _BY_ID[id(doc)] = index
    return index


@cache
def ids(path: Path) -> frozenset[str]:
    """Every id on a page: looked up for each link to an anchor."""
    return frozenset(by_id(soup(path)))


class _Links(HTMLParser):
    """What a link check reads from a page: each a, link, img and script with its address, and every id. The
    tokenizer is the one BeautifulSoup's html.parser uses, without building a tree (a sixth of the time)."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str | None, str]] = []  # tag, href or src, rel
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id") is not None:
            self.ids.add(str(found["id"]))
        if tag in ("a", "link", "img", "script"):
            self.refs.append((tag, found.get("href") or found.get("src"), found.get("rel") or ""))

    handle_startendtag = handle_starttag


@cache
def links_and_ids(path: Path) -> tuple[list[tuple[str, str | None, str]], frozenset[str]]:
    """A page's links (tag, address, rel) and its ids, for pages too many to read with BeautifulSoup."""
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.refs, frozenset(parser.ids)


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def target_of(href: str, page: Path, out: Path, base_path: str) -> tuple[Path, str] | None:
    """The file and anchor an internal link points at, or None for a link that leaves the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    assert parts.path.startswith(base_path), f"{page}: link {href!r} is not under the base path {base_path!r}"
    rel = unquote(parts.path[len(base_path):])
    target = out / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def page_of(out: Path, rel: str) -> BeautifulSoup:
    return soup(out / rel / "index.html" if rel else out / "index.html")


def visible(site: Site) -> list:
    return [c for c in site.claims.values() if not c.draft]


# ---------------------------------------------------------------- links, anchors, structure

def test_every_internal_link_and_anchor_resolves(built: tuple[Site, Path]) -> None:
    site, out = built
    base_path = site.config.base_path
    problems = []
    for page in html_files(out):
        for element in soup(page).find_all(["a", "link", "img", "script"]):
            ref = element.get("href") or element.get("src")
            if not ref or element.name == "link" and element.get("rel") in (["canonical"],):
                continue
            target = target_of(ref, page, out, base_path)
            if target is None:
                continue
            file, anchor = target
            if not file.is_file():
                problems.append(f"{page.relative_to(out)}: {ref} -> missing {file.relative_to(out)}")
            elif anchor and file.suffix == ".html" and anchor not in ids(file):
                problems.append(f"{page.relative_to(out)}: {ref} -> no id '{anchor}' in {file.relative_to(out)}")
    assert problems == []


def test_links_are_built_from_the_base_path(built: tuple[Site, Path]) -> None:
    site, out = built
    for page in html_files(out):
        for a in soup(page).find_all("a", href=True):
            href = a["href"]
            if not href.startswith(("http:", "https:", "#")):
                assert href.startswith(site.config.base_path), f"{page}: {href}"
        canonical = soup(page).find("link", rel="canonical")
        if page.name != "404.html":
            assert canonical["href"].startswith(site.config.base_url)


def test_one_h1_and_ordered_headings(built: tuple[Site, Path]) -> None:
    _, out = built
    for page in html_files(out):
        doc = soup(page)
        assert len(doc.find_all("h1")) == 1, page
        levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, page
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{page}: heading level jumps from h{before} to h{after}"


def test_ids_are_unique(built: tuple[Site, Path]) -> None:
    _, out = built
    for page in html_files(out):
        ids = [e["id"] for e in soup(page).find_all(id=True)]
        assert len(ids) == len(set(ids)), f"{page}: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})}"


def test_head_has_title_description_canonical_social_and_csp(built: tuple[Site, Path]) -> None:
    site, out = built
    for page in html_files(out):
        doc = soup(page)
        assert doc.title and doc.title.string.strip(), page
        assert doc.find("meta", attrs={"name": "description"})["content"], page
        csp = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp, page
        for prop in ("og:title", "og:description", "og:type", "og:site_name"):
            assert doc.find("meta", property=prop), f"{page}: {prop}"
        assert doc.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        card = doc.find("meta", property="og:image")["content"]
        assert card.startswith(site.config.base_url + "cards/") and card.endswith(".png"), page
        assert (out / card.removeprefix(site.config.base_url)).read_bytes()[:4] == b"\x89PNG", page
        assert doc.find("meta", property="og:image:alt")["content"], page
        assert doc.find(["header"]) and doc.find("nav") and doc.find("main") and doc.find("footer"), page
        assert doc.find("a", class_="skip-link")["href"] == "#main" and doc.find("main", id="main"), page
        # CSP: style only from the stylesheet, no script but JSON-LD data blocks.
        assert not doc.find(style=True) and not doc.find("style"), f"{page}: inline style"
        assert all(s.get("type") == "application/ld+json" or s.get("src", "").endswith(
            ("/assets/search.js", "/assets/map-date.js")) for s in doc.find_all("script")), page
        footer = doc.find("footer").get_text(" ", strip=True)
        assert f"Status as of {site.config.as_of.day} " in footer, page


def test_nothing_comes_from_another_host(built: tuple[Site, Path]) -> None:
    _, out = built
    for page in html_files(out):
        for element in soup(page).find_all(["link", "script", "img", "iframe"]):
            ref = element.get("href") or element.get("src") or ""
            if element.name == "link" and element.get("rel") == ["canonical"]:
                continue
            assert not urlsplit(ref).netloc, f"{page}: {element}"
    css = (out / "assets" / "style.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css and "@font-face" not in css


# ---------------------------------------------------------------- what each page shows

def test_home_shows_summary_statuses_dates_and_ways_in(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "")
    text = doc.get_text(" ", strip=True)
    for sentence in site.summary:
        assert sentence.text in text
    summary = doc.find(id="what-happened").parent
    assert len(summary.select(".summary-sentence .cites")) == len(site.summary)
    for country_id in ("pl", "fi", "ee", "lv", "lt"):
        country = site.countries[country_id]
        item = doc.select_one(f'.status-list a[href$="countries/{country_id}/"]').find_parent("li")
        assert country.status_today.label in item.get_text(" ", strip=True)
        assert item.select(".cites a")
    assert f"Where each country stands on {site.config.as_of.day}" in text
    assert doc.select(".timeline li") and doc.select(".ways-in a")
    for rel in ("treaty/", "countries/", "map/", "compare/", "sources/", "references/", "methodology/"):
        assert doc.select_one(f'.ways-in a[href="{site.config.base_path}{rel}"]'), rel
    ld = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
    assert [d["@type"] for d in ld] == ["WebSite"] and ld[0]["url"] == site.config.base_url


def test_the_home_lead_does_not_say_every_claim_was_checked(built: tuple[Site, Path]) -> None:
    """site.yaml's description is the home page's lead, its previews' text and its WebSite's description: with
    claims the references do not settle, it must not say the articles were checked quote by quote."""
    site, out = built
    doc = page_of(out, "")
    lead = doc.select_one(".lead").get_text()
    assert lead == meta(doc, "description") == site.config.description
    if any(judge_claim(c, site.sources[c.source_id], site.config.as_of).key == "unchecked" for c in visible(site)):
        assert "checked quote by quote" not in lead
    if site.config.title == "Leaving the mine ban":  # the shipped site
        assert lead.endswith(": two news articles read quote by quote, their claims checked against the treaty "
                             "text and dated references where these settle them.")


def test_treaty_page_quotes_articles_and_lists_non_members(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "treaty/")
    for article in site.treaty.articles:
        block = by_id(doc).get(f"article-{article.number}")
        assert block is not None
        quoted = " ".join(p.get_text() for p in block.select("blockquote p"))
        assert quoted == " ".join(line.strip() for line in article.text.splitlines() if line.strip())
    assert doc.find(id="article-20")
    for fact in site.treaty.facts:
        assert fact.value in doc.get_text(" ", strip=True)
    never = [c for c in site.countries.values() if c.status_today and c.status_today.key == "never-joined"]
    members = doc.find(id="members").parent
    for country in never:
        assert members.select_one(f'a[href$="countries/{country.id}/"]'), country.id


def test_country_pages_show_status_history_timeline_and_sources(built: tuple[Site, Path]) -> None:
    site, out = built
    for country in site.countries.values():
        doc = page_of(out, f"countries/{country.id}/")
        status = doc.find(id="status").parent
        assert country.status_today.label in status.get_text(" ", strip=True)
        assert status.find("time")["datetime"] == site.config.as_of.isoformat()
        if country.status_history:
            assert len(doc.select("#history ~ ol.history > li")) == len(country.status_history)
        if country.events:
            assert len(doc.select("#timeline ~ ol.timeline > li")) == len(country.events)
        mentions = [c for c in visible(site) if country.id in c.countries]
        about = doc.find(id="about").parent
        # Each claim about the country once: as a reason it gives for leaving, or else under what each source says.
        sections = [about] + ([doc.find(id="why").parent] if doc.find(id="why") else [])
        # The claim cards' links, selected once per page rather than once per claim (`a[href$=...]` for each).
        linked = [a["href"] for s in sections for a in s.select(".claim .attribution a[href]")]
        for claim in mentions:
            cards = [href for href in linked if href.endswith(f"#claim-{claim.id}")]
            assert len(cards) == 1, claim.id
        assert all(card.select_one(".kind") for card in about.select(".claim"))
    pl = page_of(out, "countries/pl/")
    assert pl.find(id="why"), "a leaving country says why it is leaving"
    assert pl.select("#why ~ .source-group .reason")


def test_compare_page_has_a_section_and_verdict_per_question(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "compare/")
    sections = doc.select("section.question")
    assert [s["id"] for s in sections] == [f"q-{qid}" for qid in site.questions]
    for section, (qid, comparison) in zip(sections, site.comparisons.items(), strict=True):
        verdict = section.select_one(".verdict-line .verdict")
        assert verdict.get_text(" ", strip=True).endswith(comparison.verdict_label)
        answers = section.select(".answer")
        assert len(answers) == len(comparison.answers), qid
        for answer, model in zip(answers, comparison.answers, strict=True):
            assert model.display in answer.get_text(" ", strip=True)
            # Each claim quoted under the first question it answers, and linked from later ones.
            assert len(answer.select(".claim blockquote")) + len(answer.select(".shown-before a")) \
                == len(model.claim_ids)
            # How the answer was read from each claim's quote (its notes), under the answer.
            read = [squash(n.get_text(" ")) for n in answer.select(".answer-note")]
            notes = dict.fromkeys(given.note for cid in model.claim_ids for given in site.claims[cid].answers
                                  if given.question_id == qid and given.note)
            assert read == [f"How it is read: {note}" for note in notes], qid
        for difference in comparison.differences:
            assert difference in section.get_text(" ", strip=True)
        for note in comparison.timing:
            assert note.text in squash(section.select_one(".timing").get_text(" "))
        if comparison.reference_display:
            assert comparison.reference_display in section.select_one(".reference-answer").get_text(" ")
        for answer, model in zip(answers, comparison.answers, strict=True):
            check = answer.select_one(".check")
            if model.judgement:  # how the answer stood against the references, in words
                assert model.judgement.label in check.get_text(" "), qid
            else:
                assert check is None, qid
    # Every claim card says how the claim stood against the references, or that it was not checked.
    shown = {a["href"].rsplit("#claim-", 1)[1] for a in doc.select(".claim .attribution a[href*='#claim-']")}
    assert shown
    for claim_id in shown:
        claim = site.claims[claim_id]
        card = doc.select_one(f".claim .attribution a[href$='#claim-{claim_id}']").find_parent(class_="claim")
        judged = judge_claim(claim, site.sources[claim.source_id], site.config.as_of)
        assert judged.label in card.select_one(".rating").get_text(" ", strip=True)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_source_pages_highlight_every_claim_and_mark_every_passage(built: tuple[Site, Path]) -> None:
    site, out = built
    for source in site.sources.values():
        doc = page_of(out, f"sources/{source.id}/")
        text = doc.select_one(".source-text")
        for claim in (c for c in visible(site) if c.source_id == source.id):
            mark = text.find("mark", id=f"claim-{claim.id}")
            assert mark is not None, claim.id
            # The highlight starts where the quote starts in the captured text.
            assert source.body[claim.span[0]:claim.span[1]].startswith(mark.get_text()), claim.id
            assert len(text.select(f'a.claim-ref[href="#about-{claim.id}"]')) == 1
            entry = by_id(doc).get(f"about-{claim.id}")
            assert claim.kind_label in entry.get_text(" ", strip=True) and claim.says in entry.get_text()
            judged = judge_claim(claim, source, site.config.as_of)
            assert judged.label in entry.get_text()
            if claim.review:
                assert claim.review.says in entry.get_text()
            # Each answer's note, how it was read from the quote, is shown with it (a year the article does not
            # print, read from the references, is said to be the site's reading).
            notes = [squash(n.get_text(" ")) for n in entry.select(".claim-answers .answer-note")]
            assert notes == [f"(how it is read: {a.note})" for a in claim.answers if a.note], claim.id
            # The mark after the quote says the judgement in words too, not by colour alone.
            ref = text.select_one(f'a.claim-ref[href="#about-{claim.id}"]')
            assert judged.label in ref.get_text() and f"check-{judged.key}" in ref["class"]
            original = [a for a in entry.find_all("a") if "Find in the original" in a.get_text()]
            assert len(original) == 1 and original[0]["href"].startswith(source.url + "#:~:text=")
        for draft in (c for c in site.claims.values() if c.draft and c.source_id == source.id):
            assert by_id(doc).get(f"claim-{draft.id}") is None
        for passage in source.passages:
            element = by_id(doc).get(f"passage-{passage.id}")
            assert element is not None, passage.id
            label = squash((element.find("figcaption") or element.select_one(".passage-tag")).get_text())
            assert passage.label in label and "Not the outlet" in label
            if passage.author:
                assert passage.author in label and passage.handle in label
            assert ("unrelated to the story" in label) == (not passage.related)
        # Take away what the site adds (labels, claim numbers): the text is the captured text, line by line. (From a
        # copy: the page's soup is shared by every test.)
        text = BeautifulSoup(str(text), "html.parser")
        for added in text.select("figcaption, .passage-tag, .claim-ref"):
            added.decompose()
        shown = [squash(p.get_text()) for p in text.find_all("p")]
        assert shown == [squash(line) for line in source.body.split("\n") if line.strip()]
        meta = squash(doc.select_one("dl.meta").get_text(" "))
        assert source.outlet in meta and source.url in meta and squash(source.published.how) in meta
        assert (source.byline or "None") in meta and squash(source.retrieved.how) in meta


def test_source_page_json_ld_has_a_claim_review_per_reviewed_claim(built: tuple[Site, Path]) -> None:
    site, out = built
    reviews = {}
    for page in html_files(out):
        for block in soup(page).find_all("script", type="application/ld+json"):
            data = json.loads(block.string)
            if data["@type"] == "ClaimReview":
                reviews[data["url"].rsplit("#claim-", 1)[1]] = data
    judged = {c.id: judge_claim(c, site.sources[c.source_id], site.config.as_of) for c in visible(site)}
    reviewed = {c.id: c for c in visible(site) if judged[c.id].key != "unchecked"}
    assert set(reviews) == set(reviewed)
    for claim_id, data in reviews.items():
        claim = reviewed[claim_id]
        source = site.sources[claim.source_id]
        assert data["itemReviewed"]["@type"] == "Claim"
        assert data["itemReviewed"]["appearance"]["url"] == source.url
        assert data["reviewRating"]["alternateName"] == judged[claim_id].label
        assert data["author"]["url"] == site.config.base_url
    for source in site.sources.values():
        types = [json.loads(s.string)["@type"]
                 for s in page_of(out, f"sources/{source.id}/").find_all("script", type="application/ld+json")]
        assert types[0] == "WebPage"  # the site's page about the article (test below), then its reviews


def meta(doc: BeautifulSoup, name: str) -> str:
    """A <meta>'s content, by its name or its property (og:...)."""
    found = doc.find("meta", attrs={"name": name}) or doc.find("meta", property=name)
    return str(found["content"])


def test_a_source_pages_head_gives_the_headline_as_the_outlets_and_counts_only_the_claims_checked(
        built: tuple[Site, Path]) -> None:
    """The site checks a headline, it does not say it: the head's title, the previews' titles, the JSON-LD and
    the card give it quoted and attributed, and the description never calls an unchecked claim checked."""
    site, out = built
    unchecked_seen = False
    for source in site.sources.values():
        doc = page_of(out, f"sources/{source.id}/")
        named = f"{source.outlet}: \u201c{source.title}\u201d"
        assert doc.title.string == f"{named} \u2014 {site.config.title}"
        assert meta(doc, "og:title") == meta(doc, "twitter:title") == named
        assert doc.find("h1").get_text() == source.title, "the page's own heading, under its outlet's name"
        page_ld = json.loads(doc.find("script", type="application/ld+json").string)
        assert (page_ld["@type"], page_ld["headline"]) == ("WebPage", named)
        assert "author" not in page_ld, "the site is not the author of the outlet's article"
        assert page_ld["about"]["headline"] == source.title
        assert page_ld["about"]["publisher"]["name"] == source.outlet
        assert meta(doc, "og:image:alt").startswith(
            f"{site.config.title}: Headline, as {source.outlet} published it, \u201c{source.title}\u201d.")
        claims = [c for c in visible(site) if c.source_id == source.id]
        checked = sum(judge_claim(c, source, site.config.as_of).key != "unchecked" for c in claims)
        # The card says how the site rates the headline (where a claim quotes it whole), else how many claims it
        # checked: a headline in large type, seen alone, is not the site's own word.
        headline = next((c for c in claims if c.quote == source.title), None)
        said = (f"{len(claims)} claims, {checked} checked against the references" if headline is None else
                f"Headline checked against the references: {judge_claim(headline, source, site.config.as_of).label}")
        published = published_text(source)
        assert meta(doc, "og:image:alt").endswith(f"\u201d. {said}. {published[:1].upper()}{published[1:]}")
        description = meta(doc, "description")
        assert description == meta(doc, "og:description") == page_ld["description"]
        if checked < len(claims):
            unchecked_seen = True
            assert description.endswith(f", {len(claims)} claims highlighted where they appear, {checked or 'none'} "
                                        "of them checked against the references."), description
    assert unchecked_seen, "a source with a claim not checked (both sites have one)"


def test_a_country_pages_description_and_card_say_what_its_page_says(built: tuple[Site, Path]) -> None:
    """A status no event dates (never joined) keeps the page's hedge instead of 'as of' the site's date, in the
    page's own words (the page, the description and the card had worded it three ways, "references" for one); a
    country that has left says why it left, not why it is leaving."""
    from builder.status import never_joined_hedge

    site, out = built
    for country in site.countries.values():
        doc = page_of(out, f"countries/{country.id}/")
        status = country.status_today
        description = meta(doc, "description")
        if status.key == "never-joined":
            hedge = never_joined_hedge(len(country.never_joined))
            assert hedge == ("according to the cited reference, which does not cover later changes"
                             if len(country.never_joined) == 1 else
                             "according to the cited references, which do not cover later changes")
            assert f"Never joined the Convention, {hedge}." in " ".join(doc.get_text(" ").split())
            assert description.startswith(f"{country.name} and the Ottawa Convention: never joined, {hedge}, "), (
                description)
            assert meta(doc, "og:image:alt").endswith(f"Never joined, {hedge}")
        else:
            assert f": {status.label.lower()} as of {PartialDate.of(site.config.as_of).human}" in description
        if status.key == "withdrawn":
            assert "why it left as each source reports it" in description and "is leaving" not in description
        elif doc.find(id="why"):
            assert "why it is leaving as each source reports it" in description
    keys = {c.status_today.key for c in site.countries.values()}
    assert {"never-joined", "withdrawn"} <= keys
    home = page_of(out, "").select_one(".ways-in").get_text(" ", strip=True)
    left = all(site.countries[c].status_today.key == "withdrawn" for c in ("pl", "fi", "ee", "lv", "lt"))
    assert f"its timeline, and why it {'left' if left else 'is leaving'}." in home


def test_the_references_page_counts_the_unconfirmed_apart_and_names_each_subject(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "references/")
    unconfirmed = sum(r.confidence == "unconfirmed" for r in site.references.values())
    assert unconfirmed, "both sites have a reference they could not confirm"
    logged = sum(p.get_text(" ", strip=True).startswith("Cited only by the change log")
                 for p in doc.select(".reference-confirmed .cited-on"))  # counted apart (test below)
    assert meta(doc, "description").startswith(
        f"The {len(site.references) - unconfirmed - logged} background facts the site relies on"
        + (f", {logged} that only its change log cites" if logged else "") + f" and {unconfirmed} it "
        "could not confirm, each with")
    headings = [h.get_text() for h in doc.select('h2[id^="subject-"]')]
    countries = {c.name.lower(): c.name for c in site.countries.values()}
    subjects = list(dict.fromkeys(r.subject for r in site.references.values()))
    assert len(headings) == len(subjects)
    for subject in subjects:
        words = subject.split("-")
        for heading in headings:  # a country's name among a subject's words keeps its capitals ('War in Ukraine')
            if heading.lower() == " ".join(words) and any(name in words for name in countries):
                assert any(name in heading for name in countries.values()), heading
    if "us-policy" in subjects:  # the shipped site: its rules.yaml names the subjects its ids cannot
        assert {"United States policy", "War in Ukraine", "The joint statement of 18 March 2025",
                "States Parties", "Non-parties"} <= set(headings)
        assert not {"Us policy", "War in ukraine", "Joint statement 2025 03 18"} & set(headings)


def test_every_reference_the_site_relies_on_is_cited(built: tuple[Site, Path]) -> None:
    """The references page counts its confirmed references as "the background facts the site relies on": one that no
    page cites is not relied on (the shipped site listed four so, among them Tamar Gabelnick's stored words); one that
    only the change log cites records a correction, and is listed and counted as such (TASS's vote count for Latvia,
    which LETA and Xinhua contradict, had been counted among the facts relied on)."""
    site, out = built
    doc = page_of(out, "references/")
    entries = by_id(doc)
    cited = {r.id: entries[f"ref-{r.id}"].find(class_="cited-on") for r in site.references.values()
             if r.confidence == "confirmed"}
    assert [ref_id for ref_id, where in cited.items() if where is None] == []
    logged = [ref_id for ref_id, where in cited.items()
              if {a.get_text(" ", strip=True) for a in where.find_all("a")} == {"What changed"}]
    assert [ref_id for ref_id in logged
            if not cited[ref_id].get_text(" ", strip=True).startswith("Cited only by the change log:")] == []
    assert [ref_id for ref_id, where in cited.items()
            if ref_id not in logged and not where.get_text(" ", strip=True).startswith("Cited on:")] == []
    if logged:
        unconfirmed = sum(r.confidence == "unconfirmed" for r in site.references.values())
        relied = len(site.references) - unconfirmed - len(logged)
        assert meta(doc, "description").startswith(f"The {relied} background facts the site relies on, "
                                                   f"{len(logged)} that only its change log cites and ")


def test_references_page_lists_every_reference(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "references/")
    for reference in site.references.values():
        entry = by_id(doc).get(f"ref-{reference.id}")
        assert entry is not None and reference.statement in entry.get_text()
        figures = entry.find_all("figure", class_="reference-quote")
        for page, figure in zip((p for p in (reference, *reference.also) if p.url or p.excerpt), figures,
                                strict=True):
            caption = figure.find("figcaption")
            assert caption.find(class_="outlet").get_text() == page.outlet
            assert caption.find(class_="page-date").get_text() == (page.published.human if page.published
                                                                   else "date not stated")
            assert f"In {language_name(page.language)}." in caption.get_text()
            if page.url:
                assert caption.find("a", href=page.url)
            if page.excerpt:
                quote = figure.find("blockquote")
                assert quote.get_text().strip() == page.excerpt
                assert quote.get("lang") == (None if page.language == "en" else page.language)
            translation = figure.find(class_="translation")
            if page.translation:
                label = translation.find(class_="translation-label").get_text()
                assert label == f"Our translation from {language_name(page.language)}:"
                assert translation.get_text().endswith(page.translation)
            else:
                assert translation is None
        assert reference.confidence in entry.get_text(" ").lower()


def test_every_citation_shows_its_outlet_and_date_and_prints_its_address(built: tuple[Site, Path]) -> None:
    site, out = built
    seen = 0
    for path in html_files(out):
        for wrap in soup(path).select(".cites .cite-wrap"):
            link = wrap.find("a", class_="cite")
            tip = wrap.find(class_="cite-tip")
            if link["href"].split("#")[-1].startswith("ref-"):
                reference = site.references[link["href"].rsplit("#ref-", 1)[1]]
                outlet, when = reference.outlet, (reference.published.human if reference.published
                                                  else "date not stated")
                address = reference.url
            else:
                claim = site.claims[link["href"].rsplit("#claim-", 1)[1]]
                source = site.sources[claim.source_id]
                outlet, when, address = source.outlet, published_text(source), source.url
            assert tip.find(class_="cite-outlet").get_text() == outlet, path
            assert tip.find(class_="cite-date").get_text() == when, path
            assert tip.find(class_="cite-address").get_text() == f", {address}", path
            more = wrap.find("button", class_="cite-more")
            assert more["type"] == "button" and more["tabindex"] == "-1" and more["aria-hidden"] == "true"
            seen += 1
    assert seen > 20


def test_methodology_escapes_raw_html_and_links_downloads(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "methodology/")
    prose = doc.select_one(".prose")
    assert not prose.find(["script", "b", "iframe", "style"])
    assert not any(attr.startswith("on") for e in prose.find_all(True) for attr in e.attrs)
    for rel in ("data/site.json", "data/claims.csv"):
        assert doc.find("a", href=site.config.base_path + rel)


def test_404_works_at_any_depth(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = soup(out / "404.html")
    assert doc.find("h1").get_text() == "Page not found"
    assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    for element in doc.find_all(["a", "link"], href=True):
        href = element["href"]
        assert href.startswith((site.config.base_path, "#")), f"relative link in 404.html: {href}"


# ---------------------------------------------------------------- pictures: maps, timelines, the grid

SVG = "{http://www.w3.org/2000/svg}"


def svgs(path: Path) -> list[ET.Element]:
    """Every inline SVG of a built page, parsed as XML (which fails on anything not well-formed)."""
    html = path.read_text(encoding="utf-8")
    return [ET.fromstring(found) for found in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def the_map(path: Path) -> ET.Element:
    maps = [svg for svg in svgs(path) if "map-swatch" not in svg.get("class", "") and svg.get("role") == "group"]
    assert len(maps) == 1, path
    return maps[0]


def shape_of(svg: ET.Element, iso2: str) -> tuple[ET.Element, ET.Element]:
    """A country's link on the map and its filled shape."""
    links = [a for a in svg.iter(f"{SVG}a") if f"country-{iso2.lower()}" in a.get("class", "").split()]
    assert len(links) == 1, iso2
    shape = next(e for e in links[0] if "country" in e.get("class", "").split())
    return links[0], shape


def test_maps_are_well_formed_svg(built: tuple[Site, Path]) -> None:
    site, out = built
    pages = [out / "index.html", out / "countries" / "index.html", out / "map" / "index.html"]
    pages += [out / "countries" / c / "index.html" for c in site.countries]
    for page in pages:
        found = svgs(page)
        assert found, page
        for svg in found:
            assert svg.tag == f"{SVG}svg", page
            if svg.get("aria-hidden") != "true":  # a map (not a key's swatch) is named by its title
                title = svg.find(f"{SVG}title")
                assert title is not None and title.get("id") == svg.get("aria-labelledby") and title.text, page


def test_every_country_is_on_the_map_in_its_status_and_links_to_its_page(built: tuple[Site, Path]) -> None:
    site, out = built
    for rel in ("", "countries/"):
        svg = the_map(out / rel / "index.html" if rel else out / "index.html")
        linked = {a.get("href") for a in svg.iter(f"{SVG}a")}
        assert linked == {f"{site.config.base_path}countries/{c}/" for c in site.countries}
        for country in site.countries.values():
            link, shape = shape_of(svg, country.iso2)
            assert link.get("href") == f"{site.config.base_path}countries/{country.id}/"
            assert f"status-{map_status(country.status_today.key)}" in shape.get("class").split(), country.id
            assert link.get("aria-label") == f"{country.name}: {country.status_today.label}"
    # Countries without a page are drawn, neutral: "not covered".
    svg = the_map(out / "index.html")
    uncovered = [e for e in svg.iter() if "country" in (e.get("class") or "").split()
                 and "status-none" in e.get("class").split()]
    assert uncovered
    # The US and China lie outside the frame: they are boxes in the strip below it, linked like the rest.
    insets = {g.find(f"{SVG}a").get("class").split()[-1] for g in svg.iter(f"{SVG}g")
              if g.get("class") == "map-inset"}
    assert {f"country-{c}" for c in ("us", "cn") if c in site.countries} <= insets


def test_map_key_and_table_match_the_computed_statuses(built: tuple[Site, Path]) -> None:
    site, out = built
    statuses = [c.status_today.key for c in site.countries.values()]
    for rel in ("", "countries/", f"countries/{sorted(site.countries)[0]}/"):
        doc = page_of(out, rel)
        key = doc.select_one(".map-figure .map-key")
        entries = {li["class"][0].removeprefix("map-key-"): li.get_text(" ", strip=True) for li in key.find_all("li")}
        assert set(entries) == set(statuses) | {"none"}, rel
        for status in set(statuses):
            count = statuses.count(status)
            assert entries[status] == f"{STATUSES[status]} ({count} {'country' if count == 1 else 'countries'})"
        assert "Not covered" in entries["none"]
        swatches = {li["class"][0]: li.select_one("svg.map-swatch .country")["class"] for li in key.find_all("li")}
        for status, classes in swatches.items():
            assert f"status-{map_status(status.removeprefix('map-key-'))}" in classes
        table = doc.select_one("table.map-table")
        assert table.caption and table.select("thead th[scope=col]")
        rows = {tr.th.a["href"]: tr for tr in table.select("tbody tr")}
        assert set(rows) == {f"{site.config.base_path}countries/{c}/" for c in site.countries}
        for country in site.countries.values():
            row = rows[f"{site.config.base_path}countries/{country.id}/"]
            assert row.th["scope"] == "row" and country.name in row.th.get_text()
            # A state said never to have joined carries the caution its own page gives, here too.
            status = country.status_today
            hedge = f", {never_joined_hedge(len(status.cite))}" if status.key == "never-joined" else ""
            assert row.find_all("td")[0].get_text(strip=True) == status.label + hedge
        assert doc.select_one(".map-more a")["href"] == f"{site.config.base_path}map/"
    never = {c.iso2.lower(): never_joined_hedge(len(c.status_today.cite)) for c in site.countries.values()
             if c.status_today.key == "never-joined"}
    assert never, "both sites have a state that never joined"
    for tr in page_of(out, "map/").select(".map-date-table tr[data-iso]"):  # the date control's table too
        assert (never.get(tr["data-iso"], "") in tr.find_all("td")[0].get_text()) if tr["data-iso"] in never \
            else "cited reference" not in tr.get_text()


def test_country_pages_outline_their_country_on_the_map(built: tuple[Site, Path]) -> None:
    site, out = built
    for country in site.countries.values():
        doc = page_of(out, f"countries/{country.id}/")
        svg = the_map(out / "countries" / country.id / "index.html")
        # Only this country is outlined: its shape (China: its box, and its sliver at the map's edge).
        highlighted = [e for e in svg.iter() if "is-highlighted" in (e.get("class") or "").split()]
        _, shape = shape_of(svg, country.iso2)
        assert shape in highlighted and len(highlighted) <= 2, country.id
        for element in highlighted:
            assert f"status-{map_status(country.status_today.key)}" in element.get("class").split(), country.id
        current = doc.select("table.map-table a[aria-current=page]")
        assert [a.get_text() for a in current] == [country.name]
        assert f"{country.name} outlined" in doc.select_one(".map-caption-text").get_text()


def test_map_series_shows_each_change_from_the_start_to_the_site_date(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "map/")
    figures = doc.select("ol.map-series > li > figure")
    dates = [date.fromisoformat(f.select_one(".series-date time")["datetime"]) for f in figures]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    first_step = min(e.date.first for c in site.countries.values() for e in c.events
                     if e.kind in ("withdrawal-recommended", "withdrawal-announced", "suspension-notified"))
    assert dates[0] == first_step.replace(day=1) and dates[-1] <= site.config.as_of
    # Every day on which a status changed by the site's date has its map, and nothing else does.
    changed = {s.on for c in site.countries.values()
               for before, s in zip(c.status_history, c.status_history[1:], strict=False)
               if s.key != before.key and dates[0] < s.on <= site.config.as_of}
    assert set(dates[1:]) == changed
    # The last map is today's: each country in the frame is coloured by its status now.
    last = ET.fromstring(re.findall(r"<svg\b.*?</svg>", str(figures[-1]), flags=re.S)[0])
    assert last.get("role") == "img"
    for country in site.countries.values():
        found = [g for g in last.iter(f"{SVG}g") if f"country-{country.iso2.lower()}" in g.get("class", "").split()]
        if found:
            shape = next(e for e in found[0] if "country" in e.get("class", "").split())
            assert f"status-{map_status(country.status_today.key)}" in shape.get("class").split(), country.id
    # Each map after the first says in words which country changed, to what.
    for figure, day in zip(figures[1:], dates[1:], strict=True):
        changes = figure.select(".series-changes li")
        assert changes, day
        for item in changes:
            country = next(c for c in site.countries.values() if c.name == item.a.get_text())
            assert item.select_one(".series-status").get_text() in {s.label for s in country.status_history}
    nav = [a["href"] for a in doc.select("nav.site-nav a")]
    assert f"{site.config.base_path}map/" in nav


def test_home_timeline_has_every_dated_event_with_its_date_and_citation(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "")
    items = doc.select("#key-dates ~ ol.timeline > li")
    expected = {(f.date.iso, f.label) for f in site.treaty.facts if f.date}
    expected |= {(e.date.iso, site.event_label(e)) for c in site.countries.values() for e in c.events}
    shown = {(li.time["datetime"], li.select_one(".timeline-what strong").get_text()) for li in items}
    assert shown == expected
    for item in items:
        assert item.select(".cites a"), item.get_text(" ", strip=True)
    for country in site.countries.values():
        for event in country.events:
            line = next(li for li in items if li.time["datetime"] == event.date.iso
                        and li.select_one(".timeline-what strong").get_text() == site.event_label(event))
            assert line.find("a", string=country.name), (country.id, event.kind)
    lasts = [PartialDate(*map(int, li.time["datetime"].split("-"))).last for li in items]
    assert lasts == sorted(lasts)


def test_compare_grid_matches_the_verdicts_and_reference_checks(built: tuple[Site, Path]) -> None:
    site, out = built
    doc = page_of(out, "compare/")
    region = doc.select_one(".matrix-scroll")
    assert region["role"] == "region" and region["tabindex"] == "0" and doc.find(id=region["aria-labelledby"])
    table = region.select_one("table.matrix")
    assert table.caption.get_text(strip=True)
    sources = sorted(site.sources.values(), key=lambda s: (s.outlet, s.id))
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    assert heads == ["Question"] + [s.outlet for s in sources] + ["Verdict"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    rows = table.select("tbody tr")
    assert len(rows) == len(site.comparisons)
    for row, (question_id, comparison) in zip(rows, site.comparisons.items(), strict=True):
        assert row.th["scope"] == "row" and row.th.a["href"] == f"#q-{question_id}"
        assert row.th.get_text(strip=True) == site.questions[question_id].text
        answers = {a.source_id: a for a in comparison.answers}
        cells = row.find_all("td")
        assert len(cells) == len(sources) + 1
        for cell, source in zip(cells, sources, strict=False):
            classes = cell["class"]
            mark = cell.select_one(".mark").get_text(" ", strip=True)
            if source.id not in answers:
                assert "mark-none" in classes and "No answer" in mark and cell.select_one(".cell-answer") is None
                continue
            assert f"mark-{comparison.verdict}" in classes, (question_id, source.id)
            assert mark.endswith(MARKS[comparison.verdict][1])
            link = cell.select_one("a.cell-answer")
            assert link["href"] == f"#q-{question_id}"
            shown = link.get_text()
            full = answers[source.id].display
            assert shown == full or shown.endswith(("\u2026", " more")) and len(shown) <= 48, shown
            check = cell.select_one(".check-mark")
            judged = answers[source.id].judgement
            if judged:  # the judgement in words, and its key as the cell's class
                assert f"check-{judged.key}" in classes and "claim-check" not in check["class"]
                assert check.get_text(" ", strip=True).endswith(judged.label)
                continue
            # No references' answer: the claims' own check, in words that say so, where they are judged alike.
            assert "claim-check" in check["class"] and not any(c.startswith("check-") for c in classes)
            claims = [site.claims[claim_id] for claim_id in answers[source.id].claim_ids]
            judged = [judge_claim(c, site.sources[c.source_id], site.config.as_of) for c in claims]
            labels = {j.label for j in judged if j.key != "unchecked"}
            unchecked = sum(j.key == "unchecked" for j in judged)  # counted apart, never a verdict among the others
            rest = f"; {unchecked} not checked" if unchecked else ""
            shown = check.get_text(" ", strip=True)
            if len(labels) > 1:
                assert shown.endswith(f"Claims checked differently{rest}: see each in the detail"), shown
            elif not labels:
                assert shown.endswith("not checked against the references"), shown
            else:
                assert shown.endswith(f"checked: {labels.pop()}{rest}") and \
                    f"claim-check-{check['class'][-1][6:]}" in classes, shown
        assert cells[-1].get_text(" ", strip=True).endswith(comparison.verdict_label)
        assert by_id(doc).get(f"q-{question_id}")


# ---------------------------------------------------------------- downloads, sitemap, determinism

def test_downloads_parse_and_hold_every_claim(built: tuple[Site, Path]) -> None:
    site, out = built
    data = json.loads((out / "data" / "site.json").read_text(encoding="utf-8"))
    assert set(data["claims"]) == {c.id for c in visible(site)}
    assert data["config"]["as_of"] == site.config.as_of.isoformat()
    assert list(data["question_order"]) == list(site.questions)
    assert set(data["sources"]) == set(site.sources) and set(data["countries"]) == set(site.countries)
    rows = list(csv.DictReader(io.StringIO((out / "data" / "claims.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == sorted((c.id for c in visible(site)),
                                             key=lambda i: (site.claims[i].source_id, site.claims[i].span, i))
    for row in rows:
        claim = site.claims[row["id"]]
        assert row["quote"] == claim.quote and row["kind"] == claim.kind
        assert row["page_url"] == f"{site.config.base_url}sources/{claim.source_id}/#claim-{claim.id}"


def test_sitemap_lists_every_page_and_robots_points_to_it(built: tuple[Site, Path]) -> None:
    site, out = built
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    expected = []
    for page in html_files(out):
        rel = page.relative_to(out).as_posix()
        if rel == "404.html":
            continue
        expected.append(site.config.base_url + rel.removesuffix("index.html"))
    assert sorted(locations) == sorted(expected)
    assert f"Sitemap: {site.config.base_url}sitemap.xml" in (out / "robots.txt").read_text()
    assert (out / ".nojekyll").is_file() and (out / "assets" / "style.css").is_file()


def test_two_builds_are_byte_identical(tmp_path: Path, build_once: Callable[[Path, str], tuple[Site, Path]]
                                       ) -> None:
    roots = [FIXTURE] + ([REPO] if shipped_content_validates() else [])
    for root in roots:
        _, first = build_once(root, BASE_URLS[0])  # the build the other tests read, made earlier
        _, second = build(root, BASE_URLS[0], tmp_path / f"{root.name}-2")
        files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
        for rel in files:
            assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


# ---------------------------------------------------------------- draft sources

DRAFT_SOURCE = """---
outlet: "Zephyr Gazette"
title: "Quokka ministers quit the treaty"
url: "https://zephyr.example.net/quokka"
byline: null
language: en
published:
  date: 2025-03-18
  how: "Given when it was ingested."
retrieved:
  date: null
  how: "Ingested from a saved page."
draft: true
---
Quokka ministers said on Tuesday that Poland would quit the Ottawa Convention.
"""
DRAFT_CLAIMS = """- id: zephyr-quokka
  quote: "Quokka ministers said on Tuesday that Poland would quit the Ottawa Convention."
  says: "Poland will quit the treaty."
  kind: reporting
  countries: [pl]
  answers:
    - question: which-countries
      value: [pl]
"""


@pytest.mark.parametrize("in_workers", [False, True], ids=["one-process", "workers"])
def test_a_draft_source_and_its_claims_appear_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      in_workers: bool) -> None:
    from builder import parallel
    from builder.build import build_site
    from tests.conftest import copy_site, write_tree

    root = copy_site(tmp_path / "site")  # the small valid site of tests/errors/_base
    write_tree(root, {"content/sources/zephyr-gazette.md": DRAFT_SOURCE,
                      "content/claims/zephyr-gazette.yaml": DRAFT_CLAIMS})
    if in_workers:
        monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
        monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    site = check_site(root)
    assert "zephyr-gazette" not in site.sources and "zephyr-quokka" not in site.claims
    build_site(root, tmp_path / "public")
    files = [p for p in (tmp_path / "public").rglob("*") if p.is_file()]
    assert any(p.name == "claims.csv" for p in files) and any(p.name == "site.json" for p in files)
    assert any(p.name == "sitemap.xml" for p in files)
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace").lower()
        for word in ("zephyr", "quokka"):
            assert word not in text, f"{path.relative_to(tmp_path)} mentions the draft source ('{word}')"


def test_words_in_another_language_keep_their_own_direction(built: tuple[Site, Path]) -> None:
    """A quote, excerpt or title in another language than the site's takes its direction from its own words
    (dir="auto"): a Hebrew excerpt in an English page reads right to left, its full stop at its end, not its start."""
    site, out = built
    marked = [tag for path in sorted(out.rglob("*.html")) for tag in soup(path).find_all(lang=True)
              if tag.name != "html" and not tag.get("lang", "").startswith("en")]
    assert all(tag.get("dir") == "auto" for tag in marked), [str(tag)[:120] for tag in marked if not tag.get("dir")]
    if "rv28" in site.references:  # the shipped site's Hebrew excerpt is among them
        assert any(tag.get("lang") == "he" for tag in marked)
