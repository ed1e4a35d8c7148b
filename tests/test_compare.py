"""Agreement is computed: same answers agree, differences are named, timing is told apart."""

from __future__ import annotations

from pathlib import Path

from builder.build import check_site
from tests.conftest import copy_site, write_tree

SECOND_SOURCE = """---
outlet: "Daily"
title: "Four, then five"
url: "https://example.org/daily"
language: en
published:
  not_before: 2025-04-02
  how: "It reports Finland's announcement of 1 April."
retrieved:
  date: null
  how: "Not recorded."
---
Poland and Finland are leaving the treaty, the paper said. Four countries announced it on 18 March 2025.
"""

QUESTIONS = """- id: which-countries
  text: "Which countries are leaving?"
  type: countries
  reference:
    value: [pl, fi]
    cite: [ref:r1]
- id: when
  text: "When was it announced?"
  type: date
- id: how-many
  text: "How many?"
  type: number
- id: why
  text: "Why?"
  type: points
  options:
    russia: "The threat from Russia"
"""

FINLAND = """name: "Finland"
iso2: "FI"
events:
  - kind: in-force
    date: 2012-07-01
    cite: [ref:r1]
  - kind: withdrawal-announced
    date: 2025-04-01
    cite: [ref:r1]
"""


def make_site(tmp_path: Path, wire_published: str) -> Path:
    site = copy_site(tmp_path / "site", templates=False)
    wire = site / "content/sources/wire.md"
    wire.write_text(wire.read_text().replace("  date: 2025-03-18\n  how:", wire_published + "\n  how:"))
    write_tree(site, {
        "content/sources/daily.md": SECOND_SOURCE,
        "content/questions.yaml": QUESTIONS,
        "content/countries/fi.yaml": FINLAND,
        "content/claims/daily.yaml": """- id: daily-two
  quote: "Poland and Finland are leaving the treaty"
  says: "Poland and Finland are leaving."
  kind: reporting
  answers:
    - {question: which-countries, value: [pl, fi]}
- id: daily-four
  quote: "Four countries announced it on 18 March 2025."
  says: "Four countries announced on 18 March 2025."
  kind: reporting
  answers:
    - {question: when, value: 2025-03-18}
    - {question: how-many, value: 4}
""",
    })
    claims = site / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + """- id: wire-when
  quote: "Poland said on Tuesday"
  says: "Poland said so in March 2025."
  kind: reporting
  answers:
    - {question: when, value: "2025-03"}
    - {question: how-many, value: 1}
""")
    return site


def test_verdicts_name_the_differences(tmp_path: Path) -> None:
    site = check_site(make_site(tmp_path, "  date: 2025-03-18"))
    which = site.comparisons["which-countries"]
    assert which.verdict == "differ"
    assert which.differences == ("Finland appears only in Daily, not in Wire.",)
    assert which.timing == ("Wire was written by 18 March 2025, before Finland announced its withdrawal on "
                            "1 April 2025: a difference of timing, not a contradiction.",)
    assert dict(which.reference_checks) == {"daily": True, "wire": False}
    assert site.comparisons["when"].verdict == "agree"  # March 2025 and 18 March 2025 can both be true
    assert site.comparisons["how-many"].verdict == "differ"
    assert site.comparisons["how-many"].differences == ("Daily says 4; Wire says 1.",)
    assert site.comparisons["why"].verdict == "none"


def test_an_undated_source_may_differ_by_timing(tmp_path: Path) -> None:
    site = check_site(make_site(tmp_path, "  not_before: 2025-03-19"))
    assert site.comparisons["which-countries"].timing == (
        "Wire's publication date is known only as not before 19 March 2025, so it may have been written "
        "before Finland announced its withdrawal on 1 April 2025: the difference may be one of timing.",)


def test_only_one_source(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site", templates=False)
    comparison = check_site(site).comparisons["which-countries"]
    assert comparison.verdict == "only-one"
    assert [a.display for a in comparison.answers] == ["Poland"]
