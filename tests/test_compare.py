"""Verdicts and judgements are computed: agreement, contradiction, compatible details and timing are told apart,
and each claim and answer is judged as the references stood when its source wrote, and on the site's date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from builder.build import check_site
from builder.errors import ContentErrors
from builder.model import Citation, Site
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
It bans anti-personnel mines.
"""

# Which countries are leaving changed on 1 April 2025, when Finland announced; the other questions have one
# reference answer throughout, or none.
QUESTIONS = """- id: which-countries
  text: "Which countries are leaving?"
  type: countries
  reference:
    - since: 2025-03-18
      value: [pl]
      cite: [ref:r1]
    - since: 2025-04-01
      value: [pl, fi]
      cite: [ref:r1]
      note: "Finland announced on 1 April 2025."
- id: leaving-now
  text: "Which countries are leaving, as the references have it today?"
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
- id: what-banned
  text: "What does the treaty ban?"
  type: text
  reference:
    value: "anti-personnel mines"
    cite: [ref:r1]
- id: enforced
  text: "Is it enforced?"
  type: text
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

DAILY_CLAIMS = """- id: daily-two
  quote: "Poland and Finland are leaving the treaty"
  says: "Poland and Finland are leaving."
  kind: reporting
  answers:
    - {question: which-countries, value: [pl, fi]}
    - {question: leaving-now, value: [pl, fi]}
- id: daily-four
  quote: "Four countries announced it on 18 March 2025."
  says: "Four countries announced on 18 March 2025."
  kind: reporting
  answers:
    - {question: when, value: 2025-03-18}
    - {question: how-many, value: 4}
    - {question: enforced, value: "Yes"}
- id: daily-bans
  quote: "It bans anti-personnel mines."
  says: "The treaty bans anti-personnel mines."
  kind: reporting
  answers:
    - {question: what-banned, value: "anti-personnel mines"}
"""

WIRE_CLAIMS = """- id: wire-when
  quote: "Poland said on Tuesday"
  says: "Poland said so in March 2025."
  kind: reporting
  answers:
    - {question: when, value: "2025-03"}
    - {question: how-many, value: 1}
    - {question: leaving-now, value: [pl]%s}
    - {question: what-banned, value: "landmines"}
    - {question: enforced, value: "No"}
  review:
    rating: imprecise
    says: "It bans anti-personnel mines, not all landmines."
    cite: [ref:r1]
"""


def make_site(tmp_path: Path, wire_published: str, *, complete: bool = False) -> Path:
    """Wire (dated as `wire_published`) names Poland; Daily (not before 2 April 2025) names Poland and Finland."""
    site = copy_site(tmp_path / "site", templates=False)
    wire = site / "content/sources/wire.md"
    wire.write_text(wire.read_text().replace("  date: 2025-03-18\n  how:", wire_published + "\n  how:"))
    write_tree(site, {
        "content/sources/daily.md": SECOND_SOURCE,
        "content/questions.yaml": QUESTIONS,
        "content/countries/fi.yaml": FINLAND,
        "content/claims/daily.yaml": DAILY_CLAIMS,
    })
    claims = site / "content/claims/wire.yaml"
    # The source's own date, not the claim's, is what these tests vary.
    text = claims.read_text().replace("  when: 2025-03-18\n", "")
    claims.write_text(text + WIRE_CLAIMS % (", complete: true" if complete else ""))
    return site


def answer_check(site: Site, question_id: str, source_id: str) -> str | None:
    found = next(a for a in site.comparisons[question_id].answers if a.source_id == source_id)
    return found.judgement.label if found.judgement else None


def test_each_verdict_class(tmp_path: Path) -> None:
    site = check_site(make_site(tmp_path, "  date: 2025-03-18"))
    verdicts = {question_id: c.verdict for question_id, c in site.comparisons.items()}
    assert verdicts == {
        "which-countries": "timing",  # each named what the references had on its own date
        "leaving-now": "complement",  # Wire names fewer countries, but does not say its list is complete
        "when": "agree",  # March 2025 and 18 March 2025 can both be true
        "how-many": "contradict",  # 1 and 4 cannot both be true
        "what-banned": "complement",  # the references find one right and the other imprecise
        "enforced": "contradict",  # "Yes" and "No", and nothing says they mean the same
        "why": "none",
    }
    which = site.comparisons["which-countries"]
    assert which.differences == ("Finland appears only in Daily, not in Wire.",)
    assert [note.text for note in which.timing] == [
        "Wire was written by 18 March 2025, before Finland announced its withdrawal on 1 April 2025: a "
        "difference of timing, not a contradiction."]
    assert [str(c) for note in which.timing for c in note.cite] == ["ref:r1"]  # the announcement's citation
    assert site.comparisons["how-many"].differences == ("Daily says 4; Wire says 1.",)


def test_a_list_its_source_calls_complete_is_contradicted_by_a_longer_one(tmp_path: Path) -> None:
    site = check_site(make_site(tmp_path, "  date: 2025-03-18", complete=True))
    assert site.comparisons["leaving-now"].verdict == "contradict"


def test_answers_are_judged_as_of_when_their_source_wrote(tmp_path: Path) -> None:
    site = check_site(make_site(tmp_path, "  date: 2025-03-18"))
    # Right on 18 March 2025; Finland's announcement of 1 April changed the answer, which the site's date shows.
    wire = next(a for a in site.comparisons["which-countries"].answers if a.source_id == "wire")
    assert wire.judgement is not None and wire.judgement.key == "overtaken"
    assert wire.judgement.label == "Right when written, since overtaken"
    assert wire.judgement.later is not None and wire.judgement.later.on.iso == "2025-04-01"
    assert wire.judgement.later.says == "Finland announced on 1 April 2025. The answer leaves out Finland."
    assert answer_check(site, "which-countries", "daily") == "Right when written"
    # A list that leaves out what the references had already established is incomplete, not wrong.
    assert answer_check(site, "leaving-now", "wire") == "Incomplete"
    # Differing words are judged by the claim's review, never by spelling alone.
    assert answer_check(site, "what-banned", "wire") == "Imprecise"
    assert answer_check(site, "what-banned", "daily") == "Right when written"
    assert answer_check(site, "how-many", "wire") is None  # no reference answers it


def test_an_answer_the_references_later_only_dispute_is_since_contested(tmp_path: Path) -> None:
    """A reference answer marked `contested` puts the earlier one in dispute without settling it (Ukraine's
    "suspension", which no reference says ended its membership): the answer right on its date is "since
    contested", never "since overtaken", which would tell a reader the answer is now otherwise; with what
    happened since, and as right on its own date when the sources differ in timing."""
    site_dir = make_site(tmp_path, "  date: 2025-03-18")
    questions = site_dir / "content/questions.yaml"
    questions.write_text(questions.read_text().replace(
        '      cite: [ref:r1]\n      note: "Finland announced on 1 April 2025."',
        '      contested: true\n      cite: [ref:r1]\n      note: "Finland announced on 1 April 2025."', 1))
    site = check_site(site_dir)
    wire = next(a for a in site.comparisons["which-countries"].answers if a.source_id == "wire")
    assert wire.judgement is not None
    assert (wire.judgement.key, wire.judgement.label) == ("contested", "Right when written, since contested")
    assert wire.judgement.later is not None and wire.judgement.later.contested
    assert wire.judgement.later.says == "Finland announced on 1 April 2025. The answer leaves out Finland."
    assert site.comparisons["which-countries"].verdict == "timing"


def test_a_source_dated_only_by_a_range_is_right_if_written_before_the_change(tmp_path: Path) -> None:
    site = check_site(make_site(tmp_path, "  not_before: 2025-03-19"))
    assert answer_check(site, "which-countries", "wire") == "Right if written before 1 April 2025"
    which = site.comparisons["which-countries"]
    # Whether Wire wrote before the change is not known: the verdict does not say timing explains it (it says
    # what can be said: the lists differ and can both be true), and the timing note gives both readings.
    assert which.verdict == "complement"
    assert [note.text for note in which.timing] == [
        "Wire is dated by inference not before 19 March 2025, so it may have been written before Finland "
        "announced its withdrawal on 1 April 2025: if it was, the difference is one of timing; if not, Wire "
        "leaves Finland out."]


def test_a_source_written_after_the_change_is_incomplete_and_its_omission_is_not_timing(tmp_path: Path) -> None:
    site = check_site(make_site(tmp_path, "  not_before: 2025-04-03"))
    assert answer_check(site, "which-countries", "wire") == "Incomplete"
    which = site.comparisons["which-countries"]
    assert which.verdict == "complement"
    assert [note.text for note in which.timing] == [
        "Wire was written after Finland announced its withdrawal on 1 April 2025: its omission is not "
        "explained by timing."]


def test_a_set_answer_naming_what_the_references_do_not_is_wrong(tmp_path: Path) -> None:
    site = make_site(tmp_path, "  date: 2025-03-18")
    text = (site / "content/claims/daily.yaml").read_text()
    (site / "content/claims/daily.yaml").write_text(text.replace(
        "{question: leaving-now, value: [pl, fi]}", "{question: leaving-now, value: [pl, fi, ee]}"))
    write_tree(site, {"content/countries/ee.yaml": FINLAND.replace("Finland", "Estonia").replace("FI", "EE")})
    assert answer_check(check_site(site), "leaving-now", "daily") == "Wrong when written"


R3 = """- id: r3
  subject: poland
  statement: "Finland announced on 1 April 2025."
  value: "2025-04-01"
  url: "https://example.org/r3"
  title: "Reference three"
  outlet: "Example outlet"
  language: en
  excerpt: "Finland announced today."
  confidence: confirmed
"""


def test_an_answer_is_judged_with_the_first_reference_answer_in_its_window_that_settles_it(tmp_path: Path
                                                                                           ) -> None:
    """A source that may have written on either side of a change in the references' answer is judged with the
    answer of its first possible day: the later answer's pages speak of what it may never name. Only where the
    later answer changed the outcome does the judgement cite it, and say from when."""
    site = make_site(tmp_path, "  not_before: 2025-03-19")
    facts = site / "content/references/facts.yaml"
    facts.write_text(facts.read_text() + R3)
    questions = site / "content/questions.yaml"
    questions.write_text(questions.read_text().replace(
        '      value: [pl, fi]\n      cite: [ref:r1]\n      note: "Finland announced on 1 April 2025."',
        '      value: [pl, fi]\n      cite: [ref:r3]\n      note: "Finland announced on 1 April 2025."', 1)
        + """- id: members
  text: "Are they members?"
  type: text
  reference:
    - {since: 2025-03-18, value: "Yes", cite: [ref:r1]}
    - {since: 2025-04-01, value: "Yes", cite: [ref:r3]}
- id: first-named
  text: "Which was named first?"
  type: countries
  reference:
    - {since: 2025-03-18, value: [pl, fi], cite: [ref:r1]}
    - {since: 2025-04-01, value: [pl], cite: [ref:r3]}
""")
    claims = site / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + """- id: wire-members
  quote: "Poland said on Tuesday"
  says: "They are members; Poland and Estonia; Finland."
  kind: reporting
  answers:
    - {question: members, value: "Yes"}
    - {question: which-countries, value: [pl, ee]}
    - {question: first-named, value: [fi]}
""")
    write_tree(site, {"content/countries/ee.yaml": FINLAND.replace("Finland", "Estonia").replace("FI", "EE")})
    checked = check_site(site)

    def judged(question_id: str) -> tuple[str, str | None, list[str]]:
        answer = next(a for a in checked.comparisons[question_id].answers if a.source_id == "wire")
        assert answer.judgement is not None
        return answer.judgement.key, answer.judgement.says, [str(c) for c in answer.judgement.cite]

    assert judged("members") == ("right", None, ["ref:r1"])  # right by both answers: the first's pages
    assert judged("which-countries") == ("wrong", "The references say: Poland.", ["ref:r1"])  # wrong by both
    # Part of the first answer, wrong by the second (which no longer names Finland): the second settles it.
    assert judged("first-named") == ("wrong", "From 1 April 2025 the references say: Poland.", ["ref:r3"])


CLAIM_WITH = """- id: wire-party
  quote: "Poland said on Tuesday"
  says: "Poland was a party."
  kind: reporting
  review:
    rating: %s
    says: "The reference confirms it."
    cite: [ref:r1]
    overtaken:
      date: 2025-07-18
      says: "Later, Poland deposited its instrument."
      cite: [ref:r1]
"""


@pytest.mark.parametrize(("published", "rating", "as_of", "key", "label"), [
    ("  date: 2025-03-18", "accurate", None, "overtaken", "Right when written, since overtaken"),
    ("  not_before: 2025-03-18", "accurate", None, "right-if", "Right if written before 18 July 2025"),
    ("  date: 2025-03-18", "accurate", date(2025, 5, 1), "right", "Right when written"),  # not yet overtaken
    ("  date: 2025-03-18", "imprecise", None, "imprecise", "Imprecise"),  # written before what overtook it
    # An imprecise claim that a later event made come true, from a source that may have written on either side of
    # it: imprecise only if written before; before that day, plainly imprecise.
    ("  not_before: 2025-03-18", "imprecise", None, "imprecise-if", "Imprecise if written before 18 July 2025"),
    ("  not_before: 2025-03-18", "imprecise", date(2025, 5, 1), "imprecise", "Imprecise"),
])
def test_claims_are_judged_with_dates(tmp_path: Path, published: str, rating: str, as_of: date | None,
                                      key: str, label: str) -> None:
    from builder.compare import judge_claim

    site_dir = make_site(tmp_path, published)
    claims = site_dir / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + CLAIM_WITH % rating)
    facts = site_dir / "content/references/facts.yaml"  # r1 tells of 2026, which a build of 2025 cannot cite
    facts.write_text(facts.read_text().replace('"Poland joined in 2013 and left in 2026."\n  value: "2026-02-20"',
                                               '"Poland joined in 2013."\n  value: "2013"'))
    site = check_site(site_dir, as_of=as_of)
    judged = judge_claim(site.claims["wire-party"], site.sources["wire"], site.config.as_of)
    assert (judged.key, judged.label) == (key, label)
    assert (judged.later is not None) == (as_of is None)  # what overtook it shows once it has happened


def test_a_claim_not_checked_keeps_what_its_reason_cites(tmp_path: Path) -> None:
    """A reason for not checking a claim may name what the references hold beside it (a person's stored words,
    not the ones the source reports): its citations were dropped, so the references page found them cited nowhere."""
    from builder.compare import judge_claim

    site_dir = make_site(tmp_path, "  date: 2025-03-18")
    claims = site_dir / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + CLAIM_WITH.split("    overtaken:")[0] % "unchecked")
    site = check_site(site_dir)
    judged = judge_claim(site.claims["wire-party"], site.sources["wire"], site.config.as_of)
    assert (judged.key, judged.says, judged.cite) == ("unchecked", "The reference confirms it.",
                                                      (Citation("ref", "r1"),))


@pytest.mark.parametrize(("as_of", "key", "label"), [
    (None, "contested", "Right when written, since contested"),
    (date(2025, 5, 1), "right", "Right when written"),  # not yet contested
])
def test_a_claim_a_later_event_only_disputes_is_since_contested(tmp_path: Path, as_of: date | None, key: str,
                                                                label: str) -> None:
    """A review's `contested` (the same fields as `overtaken`) is shown as "since contested", with what disputes
    it, once it has happened."""
    from builder.compare import judge_claim

    site_dir = make_site(tmp_path, "  date: 2025-03-18")
    claims = site_dir / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + (CLAIM_WITH % "accurate").replace("    overtaken:", "    contested:"))
    facts = site_dir / "content/references/facts.yaml"  # r1 tells of 2026, which a build of 2025 cannot cite
    facts.write_text(facts.read_text().replace('"Poland joined in 2013 and left in 2026."\n  value: "2026-02-20"',
                                               '"Poland joined in 2013."\n  value: "2013"'))
    site = check_site(site_dir, as_of=as_of)
    judged = judge_claim(site.claims["wire-party"], site.sources["wire"], site.config.as_of)
    assert (judged.key, judged.label) == (key, label)
    assert (judged.later.says if judged.later else None) == (
        "Later, Poland deposited its instrument." if as_of is None else None)


def test_an_answer_written_while_it_may_have_been_contested_is_never_right_only_if_before(tmp_path: Path) -> None:
    """A source dated only by a range that spans the day the references' answer was put in dispute: "right if
    written before" would say the answer became wrong; a contested answer did not, so it is "since contested"."""
    site_dir = make_site(tmp_path, "  not_before: 2025-03-19")
    questions = site_dir / "content/questions.yaml"
    questions.write_text(questions.read_text().replace(
        '      cite: [ref:r1]\n      note: "Finland announced on 1 April 2025."',
        '      contested: true\n      cite: [ref:r1]\n      note: "Finland announced on 1 April 2025."', 1))
    assert answer_check(check_site(site_dir), "which-countries", "wire") == "Right when written, since contested"


def with_answers(site_dir: Path, after_announcement: str, later: str) -> Path:
    """The question's reference answers with Finland's announcement marked (`after_announcement`: its extra
    fields) and a later answer of 1 June 2025 (`later`: its fields)."""
    questions = site_dir / "content/questions.yaml"
    questions.write_text(questions.read_text().replace(
        '      cite: [ref:r1]\n      note: "Finland announced on 1 April 2025."',
        f'{after_announcement}      cite: [ref:r1]\n      note: "Finland announced on 1 April 2025."\n'
        f'    - since: 2025-06-01\n{later}      cite: [ref:r1]\n      note: "Settled on 1 June 2025."', 1))
    return site_dir


@pytest.mark.parametrize(("published", "after_announcement", "later", "on"), [
    # in dispute while it may have written, then settled otherwise: overtaken on the day it was settled
    ("  not_before: 2025-03-19\n  not_after: 2025-05-01", "      contested: true\n", "      value: [fi]\n",
     "2025-06-01"),
    # overtaken by a settled answer, then disputed: overtaken first
    ("  date: 2025-03-20", "", "      value: [fi]\n      contested: true\n", "2025-04-01"),
])
def test_a_dispute_never_hides_an_answer_the_references_settled(tmp_path: Path, published: str,
                                                                after_announcement: str, later: str,
                                                                on: str) -> None:
    site = check_site(with_answers(make_site(tmp_path, published), after_announcement, later))
    wire = next(a for a in site.comparisons["which-countries"].answers if a.source_id == "wire")
    assert wire.judgement is not None and wire.judgement.later is not None
    assert (wire.judgement.key, wire.judgement.later.on.iso) == ("overtaken", on)


def test_the_first_reference_answer_cannot_be_contested(tmp_path: Path) -> None:
    site_dir = make_site(tmp_path, "  date: 2025-03-18")
    questions = site_dir / "content/questions.yaml"
    text = questions.read_text()
    at = text.index("  reference:\n") + len("  reference:\n")
    first_value = text.index("value:", at)
    questions.write_text(text[:first_value] + "contested: true\n      " + text[first_value:])
    with pytest.raises(ContentErrors) as caught:
        check_site(site_dir)
    assert "cannot be contested: it disputes no answer before it" in caught.value.report()


def first_error(site_dir: Path) -> list[str]:
    """The first error the site's check reports: its line and its hint."""
    with pytest.raises(ContentErrors) as caught:
        check_site(site_dir)
    return caught.value.report().splitlines()[:2]


def test_a_contested_claim_that_may_speak_of_a_later_time_is_refused(tmp_path: Path) -> None:
    """judge_claim would call it "right if written before" the dispute, as if it had become wrong: the build asks
    for the date the claim speaks of instead."""
    site_dir = make_site(tmp_path, "  not_before: 2025-03-18")
    claims = site_dir / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + (CLAIM_WITH % "accurate").replace("    overtaken:", "    contested:"))
    assert first_error(site_dir) == [
        "content/claims/wire.yaml:42:13: claim 'wire-party' may speak of a time after it was contested on 18 "
        "July 2025 (it speaks of not before 18 March 2025)",
        "  hint: give the claim 'when:', the date it speaks of, if that is before; a claim that may be of a "
        "later time cannot be shown right when written",
    ]


def test_a_claim_both_overtaken_and_contested_is_refused(tmp_path: Path) -> None:
    site_dir = make_site(tmp_path, "  date: 2025-03-18")
    claims = site_dir / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + CLAIM_WITH % "accurate" + """    contested:
      date: 2025-07-18
      says: "Later, Poland's membership was disputed."
      cite: [ref:r1]
""")
    with pytest.raises(ContentErrors) as caught:
        check_site(site_dir)
    assert caught.value.report().splitlines()[:2] == [
        "content/claims/wire.yaml:46:7: a claim cannot be both overtaken and contested",
        "  hint: keep 'overtaken' if the later event changed the answer, 'contested' if it only put it in dispute",
    ]


def test_wrong_and_unchecked_claims(tmp_path: Path) -> None:
    from builder.compare import judge_claim

    site_dir = make_site(tmp_path, "  date: 2025-03-18")
    claims = site_dir / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + """- id: wire-wrong
  quote: "Poland said on Tuesday"
  says: "Poland was a Soviet republic."
  kind: reporting
  review: {rating: inaccurate, says: "It never was.", cite: [ref:r1]}
- id: wire-opinion
  quote: "Poland said on Tuesday"
  says: "An opinion."
  kind: opinion
  review: {rating: unchecked, says: "An opinion, not a checkable fact."}
""")
    site = check_site(site_dir)
    judged = {cid: judge_claim(site.claims[cid], site.sources["wire"], site.config.as_of)
              for cid in ("wire-wrong", "wire-opinion", "wire-minister")}
    assert {cid: (j.key, j.label, j.says) for cid, j in judged.items()} == {
        "wire-wrong": ("wrong", "Wrong when written", "It never was."),
        "wire-opinion": ("unchecked", "Not checked against the references", "An opinion, not a checkable fact."),
        "wire-minister": ("unchecked", "Not checked against the references", None),  # no review at all
    }


def test_a_claim_overtaken_before_the_time_it_speaks_of_is_refused(tmp_path: Path) -> None:
    site_dir = make_site(tmp_path, "  not_before: 2025-08-01")
    claims = site_dir / "content/claims/wire.yaml"
    claims.write_text(claims.read_text() + CLAIM_WITH % "accurate")
    assert first_error(site_dir) == [
        "content/claims/wire.yaml:42:13: claim 'wire-party' was overtaken on 18 July 2025, before the time it "
        "speaks of (not before 1 August 2025)",
        "  hint: rate the claim as it stood then (inaccurate or imprecise) and remove 'overtaken', or correct "
        "the dates",
    ]


def test_only_one_source(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site", templates=False)
    comparison = check_site(site).comparisons["which-countries"]
    assert comparison.verdict == "only-one"
    assert [a.display for a in comparison.answers] == ["Poland"]



def test_an_outlet_with_several_articles_is_named_once_with_its_count(tmp_path: Path) -> None:
    """At a newsroom's scale one outlet has many articles: a difference names it once, with how many."""
    root = make_site(tmp_path, "  date: 2025-03-18")
    write_tree(root, {"content/sources/daily-again.md": SECOND_SOURCE.replace("Four, then five", "Five again"),
                      "content/claims/daily-again.yaml": DAILY_CLAIMS.replace("id: daily-", "id: again-")})
    which = check_site(root).comparisons["which-countries"]
    assert which.differences == ("Finland appears only in Daily (2 articles), not in Wire.",)


def test_an_outlet_on_both_sides_of_a_difference_counts_its_other_articles() -> None:
    from builder.compare import _outlets

    assert _outlets(["Daily", "Wire"], {"Daily"}) == "Daily (1 article) and Wire"
    assert _outlets(["Daily", "Wire"], {"Daily"}, other=True) == "Daily (1 other article) and Wire"
    assert _outlets(["Daily"] * 1200, {"Daily"}, other=True) == "Daily (1,200 other articles)"
