"""The site map: URL rules, text fragments, how a source's text is cut, and what each page is given."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest

from builder.build import check_site
from builder.model import PartialDate, Site
from builder.pages import Planner, plan_pages
from builder.quotes import fragment_encode, text_fragment_url
from builder.text import Block, Piece, cut_body, paragraph_spans
from builder.urls import out_path_for, url_for
from builder.views import STEP_ROLES, Page, published_text, visible_claims

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def site() -> Site:
    return check_site(FIXTURE)


@pytest.fixture(scope="module")
def pages(site: Site) -> list[Page]:
    return plan_pages(site)


def at(site: Site, base_url: str) -> Site:
    return replace(site, config=replace(site.config, base_url=base_url))


# ---------------------------------------------------------------- URL rules

def test_urls_start_with_the_base_path_at_a_subpath_and_at_a_root(site: Site) -> None:
    assert url_for(at(site, "https://example.org/ottawa-exit/"), "treaty/") == "/ottawa-exit/treaty/"
    assert url_for(at(site, "https://example.org/"), "treaty/") == "/treaty/"
    assert url_for(at(site, "https://example.org/"), "") == "/"


def test_pretty_urls_are_written_as_index_files() -> None:
    assert out_path_for("") == "index.html"
    assert out_path_for("countries/pl/") == "countries/pl/index.html"
    assert out_path_for("404.html") == "404.html"


def test_one_page_per_url_for_every_record(site: Site, pages: list[Page]) -> None:
    out_paths = [p.out_path for p in pages]
    assert len(out_paths) == len(set(out_paths))
    assert {f"countries/{c}/index.html" for c in site.countries} <= set(out_paths)
    assert {f"sources/{s}/index.html" for s in site.sources} <= set(out_paths)
    for required in ("index.html", "treaty/index.html", "countries/index.html", "compare/index.html",
                     "sources/index.html", "references/index.html", "methodology/index.html", "404.html"):
        assert required in out_paths
    for page in pages:
        assert page.url.startswith("/mini/") and page.title and page.description
        assert page.in_sitemap == (page.kind != "404")
        if page.canonical:
            assert page.canonical == "https://example.org" + page.url


def test_planning_twice_gives_equal_pages(site: Site) -> None:
    assert plan_pages(site) == plan_pages(site)


# ---------------------------------------------------------------- text fragments

def test_fragment_encoding_escapes_the_directive_syntax() -> None:
    assert fragment_encode("a-b, c & d") == "a%2Db%2C%20c%20%26%20d"
    assert fragment_encode("\u201cWe\u201d") == "%E2%80%9CWe%E2%80%9D"


def test_short_quote_is_named_whole() -> None:
    url = text_fragment_url("https://example.org/a#top", "citing the threat from Russia")
    assert url == "https://example.org/a#:~:text=citing%20the%20threat%20from%20Russia"


def test_long_quote_is_named_by_its_first_and_last_words() -> None:
    quote = "Poland, Finland, and the Baltic states\u2014move to withdraw from the 1997 Ottawa Treaty banning mines"
    url = text_fragment_url("https://example.org/a", quote)
    start, end = url.split("#:~:text=")[1].split(",")
    assert unquote(start) == "Poland, Finland, and the"
    assert unquote(end) == "Ottawa Treaty banning mines"
    # The commas inside the first words are encoded, so the only bare comma separates start from end.
    assert start == "Poland%2C%20Finland%2C%20and%20the"


# ---------------------------------------------------------------- the source text

def test_paragraphs_are_the_non_empty_lines() -> None:
    body = "\nOne line.\n\n  Two  \nThree"
    assert [body[a:b] for a, b in paragraph_spans(body)] == ["One line.", "Two", "Three"]


def cut_pieces(blocks: tuple[Block, ...]) -> list[Piece]:
    """The pieces of the paragraphs that were cut (a paragraph no claim or passage meets is its text alone)."""
    return [p for b in blocks for runs in b.paragraphs if not isinstance(runs, str) for r in runs for p in r.pieces]


def test_cut_body_keeps_the_text_and_marks_each_claim_once(site: Site) -> None:
    source = site.sources["wire"]
    claims = [c for c in visible_claims(site) if c.source_id == "wire"]
    numbers = {c.id: i for i, c in enumerate(claims, 1)}
    blocks = cut_body(site, source, numbers, claims)
    paragraphs = [p if isinstance(p, str) else "".join(piece.text for run in p for piece in run.pieces)
                  for block in blocks for p in block.paragraphs]
    assert paragraphs == [source.body[a:b] for a, b in paragraph_spans(source.body)]
    marks = [m for p in cut_pieces(blocks) for m in p.marks]
    assert sorted(m.anchor for m in marks if m.anchor) == sorted(f"claim-{c.id}" for c in claims)
    lasts = [m.claim_id for m in marks if m.last]
    assert sorted(lasts) == sorted(c.id for c in claims)


def test_overlapping_quotes_nest_marks(site: Site) -> None:
    source = site.sources["wire"]
    claims = [c for c in visible_claims(site) if c.source_id == "wire"]
    numbers = {c.id: i for i, c in enumerate(claims, 1)}
    blocks = cut_body(site, source, numbers, claims)
    pieces = cut_pieces(blocks)
    shared = next(p for p in pieces if p.text == "withdraw from the Ottawa Convention")
    assert [m.claim_id for m in shared.marks] == ["wire-four", "wire-ministers"]


def test_passages_become_blocks_or_inline_runs(site: Site) -> None:
    source = site.sources["wire"]
    claims = [c for c in visible_claims(site) if c.source_id == "wire"]
    numbers = {c.id: i for i, c in enumerate(claims, 1)}
    blocks = cut_body(site, source, numbers, claims)
    block_ids = [b.passage.id for b in blocks if b.passage]
    assert block_ids == ["appeal", "ann-post", "shop-post"]
    appeal = next(b for b in blocks if b.passage and b.passage.id == "appeal")
    assert len(appeal.paragraphs) == 2 and not appeal.passage.quotable
    shop = next(b for b in blocks if b.passage and b.passage.id == "shop-post")
    assert shop.passage.related is False and shop.passage.author == "Shop Bot"
    inline = [r for b in blocks for runs in b.paragraphs if not isinstance(runs, str) for r in runs if r.passage]
    assert [(r.passage.id, r.starts_passage) for r in inline] == [("read-more", True)]
    assert "".join(p.text for p in inline[0].pieces) == "Read more: our full coverage of European defence."


# ---------------------------------------------------------------- what pages are given

def test_home_key_dates_group_one_step_taken_by_several_countries(pages: list[Page]) -> None:
    home = next(p for p in pages if p.kind == "home")
    recommended = [k for k in home.context["key_dates"] if k.label == "Withdrawal recommended"]
    assert len(recommended) == 1
    assert [c.text for c in recommended[0].countries] == ["Estonia", "Latvia", "Lithuania", "Poland"]
    dates = [k.date.last for k in home.context["key_dates"]]
    assert dates == sorted(dates)
    assert [r.name for r in home.context["leaving"]] == ["Estonia", "Finland", "Latvia", "Lithuania", "Poland"]


def test_why_a_country_is_leaving_comes_from_claims_that_answer_why(pages: list[Page]) -> None:
    poland = next(p for p in pages if p.kind == "country" and p.context["country"].id == "pl")
    wire = next(g for g in poland.context["why"] if g.outlet == "Northern Wire")
    assert [r.text for r in wire.specific] == ["The threat from Russia", "Freedom to choose weapons for their armed "
                                               "forces"]
    finland = next(p for p in pages if p.kind == "country" and p.context["country"].id == "fi")
    assert [(g.outlet, [r.text for r in g.specific]) for g in finland.context["why"]] == [
        ("The Daily Ledger", ["Mines slow down enemy forces"])]
    russia = next(p for p in pages if p.kind == "country" and p.context["country"].id == "ru")
    assert russia.context["why"] == () and not russia.context["leaving"]


def test_citations_link_claims_to_their_highlight_and_references_to_their_entry(pages: list[Page]) -> None:
    home = next(p for p in pages if p.kind == "home")
    first = home.context["summary"][0][1]
    assert [(c.kind, c.href, c.text) for c in first] == [
        ("ref", "/mini/references/#ref-js01", "JS01"),
        ("claim", "/mini/sources/wire/#claim-wire-four", "Northern Wire, reporting")]
    references = next(p for p in pages if p.kind == "references")
    js01 = next(r for _, _, refs in references.context["groups"] for r in refs if r.id == "js01")
    assert "/mini/" in [link.href for link in js01.cited_on]


def test_draft_claims_are_never_shown(pages: list[Page]) -> None:
    daily = next(p for p in pages if p.kind == "source" and p.context["source"].id == "daily")
    assert "daily-draft" not in [c.id for c in daily.context["claims"]]


def test_claim_reviews_are_planned_for_reviewed_claims_only(site: Site, pages: list[Page]) -> None:
    reviews = [d for p in pages for d in p.json_ld if d["@type"] == "ClaimReview"]
    assert sorted(d["url"].rsplit("#claim-", 1)[1] for d in reviews) == sorted(
        c.id for c in visible_claims(site) if c.review)
    soviet = next(d for d in reviews if d["url"].endswith("#claim-daily-soviet"))
    assert soviet["reviewRating"]["ratingValue"] == soviet["reviewRating"]["worstRating"] == 1
    assert soviet["itemReviewed"]["appearance"]["url"] == site.sources["daily"].url


def test_a_claim_is_dated_by_its_sources_publication_not_by_the_day_it_speaks_of(site: Site) -> None:
    """schema.org's Claim.datePublished is when the claim was made: its source's day (the wire's 18 March), none
    for a source dated only by a window (the Ledger's "not before 2 April"), never the day the claim speaks of (a
    claim about 1940, or about the joint statement of the day before)."""
    claims = dict(site.claims)
    claims["daily-soviet"] = replace(claims["daily-soviet"], when=PartialDate(1940))
    claims["wire-four"] = replace(claims["wire-four"], when=PartialDate(2025, 3, 17))
    reviews = {d["url"].rsplit("#claim-", 1)[1]: d["itemReviewed"] for p in plan_pages(replace(site, claims=claims))
               for d in p.json_ld if d["@type"] == "ClaimReview"}
    assert {"daily-soviet", "wire-four"} <= reviews.keys()
    assert {claim_id: item.get("datePublished") for claim_id, item in reviews.items()} == {
        claim_id: "2025-03-18" if site.claims[claim_id].source_id == "wire" else None for claim_id in reviews}


def test_planner_indexes_match_a_scan(site: Site) -> None:
    planner = Planner(site)
    for country_id in site.countries:
        about = [c.id for c in visible_claims(site) if country_id in c.countries]
        assert [c.id for c in planner.claims_about.get(country_id, [])] == about


# ---------------------------------------------------------------- timelines

def test_home_timeline_lists_every_event_the_steps_marked_in_their_order_on_a_day(pages: list[Page], site: Site
                                                                                    ) -> None:
    assert site.rules is not None
    order = list(site.rules.events)
    home = next(p for p in pages if p.kind == "home")
    key_dates = home.context["key_dates"]
    kinds = {k.kind for k in key_dates}
    assert {"fact", "signed", "ratified", "in-force", "withdrawal-recommended"} <= kinds
    assert all(k.step == (k.kind in site.rules.kinds(*STEP_ROLES)) for k in key_dates)
    for before, after in zip(key_dates, key_dates[1:], strict=False):
        if before.date == after.date and before.kind != "fact" and after.kind != "fact":
            assert order.index(before.kind) <= order.index(after.kind)


def test_citations_carry_the_outlet_date_and_address_of_the_cited_page(site: Site, pages: list[Page]) -> None:
    home = next(p for p in pages if p.kind == "home")
    js01, wire = home.context["summary"][0][1]
    assert (js01.outlet, js01.date, js01.address) == ("Ministry of Defence (example)", "18 March 2025",
                                                      "https://gov.example.org/js01")
    source = site.sources["wire"]
    assert (wire.outlet, wire.date, wire.address) == (source.outlet, published_text(source), source.url)


def test_the_references_page_shows_every_page_with_our_translation(pages: list[Page]) -> None:
    references = next(p for p in pages if p.kind == "references")
    js01 = next(r for _, _, refs in references.context["groups"] for r in refs if r.id == "js01")
    first, also = js01.pages
    assert (first.outlet, first.published, first.language, first.translation) == (
        "Ministry of Defence (example)", "18 March 2025", "English (en)", "")
    assert (also.outlet, also.published, also.language, also.english) == ("Esimerkkiuutiset", "March 2025",
                                                                         "Finnish (fi)", False)
    assert also.translation == "Four countries recommend leaving the Ottawa Convention."
