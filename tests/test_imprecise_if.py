"""Imprecise if written before a date: an imprecise claim that a later event made come true, from a source whose
possible dates straddle that event, is imprecise only if written before it. Every page, file and record that shows
a claim's judgement shows it so; before that day, and for a source written before it, the claim is plainly
imprecise."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import build_site, check_site
from builder.compare import judge_claim
from builder.pages import Planner
from tests.conftest import REPO, copy_site

# Wire's date is known only as "not before 18 March 2025"; what it says came true on 18 July 2025.
CLAIM = """- id: wire-leave
  quote: "Poland said on Tuesday it would leave the Ottawa Convention."
  says: "Poland has left the Convention."
  kind: reporting
  countries: [pl]
  review:
    rating: imprecise
    says: "Poland had only said it would leave."
    cite: [ref:r1]
    overtaken:
      date: 2025-07-18
      says: "On 18 July 2025 Poland's withdrawal took effect."
      cite: [ref:r1]
"""
LABEL = "Imprecise if written before 18 July 2025"


def make_site(tmp_path: Path, published: str = "  not_before: 2025-03-18") -> Path:
    site = copy_site(tmp_path / "site", templates=False)
    wire = site / "content/sources/wire.md"
    wire.write_text(wire.read_text().replace("  date: 2025-03-18\n", published + "\n"))
    claims = site / "content/claims/wire.yaml"
    text = claims.read_text()
    first = text.index("- id: wire-minister")
    claims.write_text(CLAIM + text[first:])  # in place of the accurate wire-leave of 18 March 2025
    facts = site / "content/references/facts.yaml"  # r1 tells of 2026, which a build of 2025 cannot cite
    facts.write_text(facts.read_text().replace('"Poland joined in 2013 and left in 2026."\n  value: "2026-02-20"',
                                               '"Poland joined in 2013."\n  value: "2013"'))
    return site


@pytest.mark.parametrize(("published", "as_of", "key"), [
    ("  not_before: 2025-03-18", None, "imprecise-if"),
    ("  not_before: 2025-03-18", date(2025, 7, 17), "imprecise"),  # the day before: imprecise on every date
    ("  not_before: 2025-03-18\n  not_after: 2025-07-17", None, "imprecise"),  # written before it
])
def test_an_imprecise_claim_made_true_later_is_imprecise_if_written_before(
        tmp_path: Path, published: str, as_of: date | None, key: str) -> None:
    site = check_site(make_site(tmp_path, published), as_of=as_of)
    judged = judge_claim(site.claims["wire-leave"], site.sources["wire"], site.config.as_of)
    assert judged.key == key
    assert judged.label == (LABEL if key == "imprecise-if" else "Imprecise")
    assert (judged.later is not None) == (as_of is None)  # what made it come true, once it has happened
    findings = [f for f in Planner(site).findings() if "wire" in f.href]
    assert [(f.kind, f.label) for f in findings] == [("imprecise", judged.label)], "a finding, as imprecise"


def test_the_grids_key_lists_imprecise_if_where_a_cell_gives_it(tmp_path: Path) -> None:
    """An answer to a question the references do not answer shows its claim's own check in the grid: where that is
    "imprecise if written before", the grid's key lists it too (rev-code24)."""
    site = make_site(tmp_path)
    questions = site / "content/questions.yaml"
    questions.write_text(questions.read_text() + '- id: what-stage\n  text: "What stage had it reached?"\n'
                         '  type: text\n')
    claims = site / "content/claims/wire.yaml"
    claims.write_text(claims.read_text().replace(
        '  countries: [pl]\n  review:\n    rating: imprecise\n',
        '  countries: [pl]\n  answers:\n    - question: what-stage\n      value: "left"\n'
        '  review:\n    rating: imprecise\n', 1))
    build_site(site, out := tmp_path / "public")
    compare = BeautifulSoup((out / "compare/index.html").read_text(), "html.parser")
    cells = [" ".join(c.get_text(" ", strip=True).split()) for c in compare.select(".matrix td")]
    assert any(f"Claim checked: {LABEL}" in cell for cell in cells), cells
    key = [li.get_text(" ", strip=True) for li in compare.select(".matrix-key .check-mark")]
    assert any("Imprecise if written before a later event" in k for k in key), key


def test_every_page_and_download_shows_imprecise_if_written_before(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_site(make_site(tmp_path), out)
    source = BeautifulSoup((out / "sources/wire/index.html").read_text(), "html.parser")
    review = source.select_one("#about-wire-leave .review")
    assert review is not None and "review-imprecise-if" in review["class"]
    badge = review.select_one(".badge.rating-imprecise-if")
    assert badge is not None and badge.get_text(" ", strip=True).endswith(LABEL)
    later = review.select_one(".review-later")
    assert later is not None
    assert " ".join(later.get_text(" ", strip=True).split()).startswith(
        "Since 18 July 2025 : On 18 July 2025 Poland's withdrawal took effect.")
    mark = source.select_one("#claim-wire-leave")
    assert mark is not None and "check-imprecise-if" in mark["class"]
    score = [" ".join(li.get_text(" ", strip=True).split()) for li in source.select(".scorecard li")]
    assert "\u2248 Imprecise if written before a later event 1" in score
    reviews = [json.loads(s.string) for s in source.select('script[type="application/ld+json"]')]
    rating = next(r["reviewRating"] for r in reviews if r.get("@type") == "ClaimReview"
                  and r["url"].endswith("#claim-wire-leave"))
    # Between imprecise (2) and the right-when-written ones (4, 5): imprecise on some of its possible dates only.
    assert (rating["ratingValue"], rating["alternateName"]) == (3, LABEL)

    compare = BeautifulSoup((out / "compare/index.html").read_text(), "html.parser")
    heading = next(h for h in compare.select(".findings h3") if h.get_text() == "Where a source is imprecise")
    items = heading.find_next("ul").select("li")
    assert [i.select_one(".badge").get_text() for i in items] == [LABEL]
    assert "Poland had only said it would leave. On 18 July 2025 Poland's withdrawal took effect." in items[0].text
    key = [li.get_text(" ", strip=True) for li in compare.select(".matrix-key .check-mark")]
    assert key and not any("Imprecise if" in k for k in key), "the grid's key is of answers: never imprecise-if"
    home = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    assert LABEL in [b.get_text() for b in home.select(".finding .badge")]

    methodology = BeautifulSoup((out / "methodology/index.html").read_text(), "html.parser")
    entry = next(d for d in methodology.select("#judgements ~ dl > div")
                 if d.dt and "Imprecise if written before a date" in d.dt.get_text())
    example = entry.select_one("dd a")
    assert example is not None and example["href"].endswith("/sources/wire/#claim-wire-leave")

    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "data/claims.csv").read_text()))}
    row = rows["wire-leave"]
    assert (row["judgement"], row["judgement_label"], row["review_rating"]) == ("imprecise-if", LABEL, "imprecise")
    assert row["overtaken_date"] == "2025-07-18"
    found = "".join(p.read_text() for p in (out / "search").glob("*.json"))
    assert re.search(r"\u201cPoland said on Tuesday it would leave the Ottawa Convention\.\u201d \u2014 "
                     + re.escape(LABEL), found)


def test_the_shipped_headline_is_imprecise_if_written_before_27_december_2025() -> None:
    """Liberty Post's page has no date (19 March 2025 or later): "Exit" was imprecise until the withdrawals of
    Estonia, Latvia and Lithuania took effect on 27 December 2025. Before that day it is imprecise on every date
    it could have been written."""
    for as_of, key, label in ((None, "imprecise-if", "Imprecise if written before 27 December 2025"),
                              (date(2025, 12, 27), "imprecise-if", "Imprecise if written before 27 December 2025"),
                              (date(2025, 12, 26), "imprecise", "Imprecise")):
        site = check_site(REPO, as_of=as_of)
        judged = judge_claim(site.claims["lp-headline"], site.sources["liberty-post"], site.config.as_of)
        assert (judged.key, judged.label) == (key, label), as_of
        headline = next(f for f in Planner(site).findings() if "Exit Landmine Ban" in f.text)
        assert (headline.kind, headline.label) == ("imprecise", label)
        examples = {k: link for k, _, _, _, link in Planner(site).judgement_examples()}
        imprecise_if = examples["imprecise-if"]
        if key == "imprecise-if":
            assert imprecise_if is not None and imprecise_if.href.endswith("#claim-lp-headline")
            assert examples["imprecise"] is not None and "lp-headline" not in examples["imprecise"].href
        else:
            assert imprecise_if is None
