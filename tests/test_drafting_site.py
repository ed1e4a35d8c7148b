"""drafting/site.py: what ingest reads of the site it adds to, and the validator's view of a draft."""

from __future__ import annotations

from pathlib import Path

from builder.drafting.site import check_draft, read_site_facts

REPO = Path(__file__).resolve().parent.parent


def test_the_site_s_ids_countries_questions_and_topic() -> None:
    facts = read_site_facts(REPO)
    assert {"media-line", "liberty-post"} <= facts.source_ids
    assert {"pl", "ee", "lv", "lt", "fi"} <= facts.country_ids
    assert "which-countries" in {q.id for q in facts.questions}
    assert {"ottawa", "treati", "mine", "ban"} <= facts.topic.words  # stems of the site's title and treaty's names
    assert facts.topic.stems("anti-personnel landmines") == {"mine"}  # content/rules.yaml's ingest synonyms
    assert facts.topic.organisation_words == {"Mine", "Landmine", "Anti-Personnel"}


def test_a_site_whose_rules_give_ingest_no_words_has_none() -> None:
    facts = read_site_facts(REPO / "tests" / "fixtures" / "second-site")
    assert (facts.topic.synonyms, facts.topic.organisation_words) == ({}, frozenset())
    assert facts.topic.stems("anti-personnel landmines") == {"anti-personnel", "landmin"}


def test_a_drafted_claims_file_is_checked_as_if_it_were_in_content() -> None:
    source = (REPO / "content/sources/media-line.md").read_text(encoding="utf-8")
    [error] = check_draft(REPO, "media-line-copy", source, "- id: [unclosed\n")
    assert str(error) == ("content/claims/media-line-copy.yaml:2:1: invalid YAML: did not find expected ',' or ']'\n"
                          "  hint: fix the YAML syntax at this place")
