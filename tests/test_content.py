"""The shipped content passes, every quote is in its source, and the copies match what they copy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.build import check_site
from builder.load import load_content
from builder.quotes import SearchableText

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = {"media-line": "000_2dfd167fcd1a48fd.txt", "liberty-post": "002_3b4d0db3dee6311c.txt"}


@pytest.fixture(scope="module")
def site():
    return check_site(REPO)


def test_shipped_content_passes(site) -> None:
    assert set(site.sources) == set(SEEDS)
    assert len(site.claims) >= 20
    assert {"pl", "fi", "ee", "lv", "lt", "ua", "ru", "us", "cn", "il", "lb"} <= set(site.countries)


def test_every_quote_is_found_in_its_source(site) -> None:
    for claim in site.claims.values():
        body = site.sources[claim.source_id].body
        assert SearchableText(body).find(claim.quote) == claim.span, claim.id
        assert body[claim.span[0]:claim.span[1]].strip(), claim.id


def test_every_question_is_answered(site) -> None:
    for question_id, comparison in site.comparisons.items():
        assert comparison.verdict != "none", question_id


def test_the_five_have_withdrawn_by_the_site_date(site) -> None:
    for country_id in ("pl", "fi", "ee", "lv", "lt"):
        assert site.countries[country_id].status_today.key == "withdrawn", country_id


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the repo")
def test_source_bodies_are_the_seeds_verbatim() -> None:
    raw, _ = load_content(REPO)
    for source_id, seed in SEEDS.items():
        assert raw.sources[source_id].body == (SHARED / "seeds" / seed).read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the repo")
def test_references_are_copied_verbatim() -> None:
    shared = {entry["id"].lower(): entry for entry in
              yaml.safe_load((SHARED / "reference" / "reference-facts.yaml").read_text(encoding="utf-8"))}
    ours = yaml.safe_load((REPO / "content" / "references" / "facts.yaml").read_text(encoding="utf-8"))
    for entry in ours:
        original = shared[entry["id"]]
        assert entry["excerpt"] == original["excerpt"], entry["id"]
        assert entry["url"] == original["source_url"], entry["id"]
        assert entry["statement"] == original["statement"], entry["id"]
        assert entry["confidence"] == original["confidence"], entry["id"]
    assert (REPO / "content/references/treaty-text.md").read_text() == \
        (SHARED / "reference/treaty-text.md").read_text()
