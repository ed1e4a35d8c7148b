"""comparisons.py: each question with every source's answer side by side, the grid, the findings, the verdicts'
and judgements' examples."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from builder import pages, parallel
from builder.build import check_site
from builder.comparisons import QUOTE_IN_FINDING
from builder.jobs import shown_across
from builder.model import Claim, Site
from builder.pages import Planner
from builder.paging import FINDINGS_PER_KIND
from builder.urls import claim_entry_anchor, claim_href, question_href, source_rel, url_for
from builder.views import FINDINGS_ON_HOME, Finding, clip
from tests.conftest import MINI, REPO
from tests.test_disk_cache import use_small_limits, write_synthetic_site


@pytest.fixture
def planner(mini_site: Site) -> Planner:
    return Planner(mini_site)


def test_compare_grid_marks_each_answer(planner: Planner) -> None:
    rows = {r.href.removeprefix("#q-"): r for r in planner.compare().context["matrix"]}
    which = rows["which-countries"]
    # Wire named four countries on 18 March 2025, right then; the Daily Ledger, in April, five: timing.
    assert [(c.outlet, c.mark, c.check.label if c.check else None) for c in which.cells] == [
        ("Northern Wire", "timing", "Right when written, since overtaken"),
        ("The Daily Ledger", "timing", "Right when written")]
    assert [c.text for c in rows["former-soviet"].cells] == ["", "Estonia, Finland, Latvia, Lithuania, Poland"]
    assert [c.mark for c in rows["former-soviet"].cells] == ["none", "only-one"], "no answer is marked as none"
    enforcement = rows["enforcement"]
    assert all(c.mark == "none" and c.text == "" for c in enforcement.cells)
    assert enforcement.verdict == "none" and enforcement.verdict_symbol


def test_the_grid_marks_an_answer_the_references_do_not_answer_with_its_claims_own_check(shipped_site: Site
                                                                                          ) -> None:
    """rev-truth10 F2: where no references' answer checks an answer, the grid showed no mark, even beside an
    imprecise claim (The Media Line's "return of compulsory military service"). It now shows the claims' check,
    labelled as theirs, where they are judged alike, and a neutral mark where they are not."""
    rows = {r.href.removeprefix("#q-"): r for r in Planner(shipped_site).compare().context["matrix"]}

    def mark(question_id: str, outlet: str) -> tuple[str, str, bool] | None:
        cell = next(c for c in rows[question_id].cells if c.outlet == outlet)
        return (cell.check.key, cell.check.label, cell.of_claims) if cell.check else None

    assert mark("poland-other-measures", "The Media Line") == ("imprecise", "Claim checked: Imprecise", True)
    assert mark("russia-uses-mines", "Liberty Post") == ("right", "Claim checked: Right when written", True)
    # Liberty Post's stage rests on a claim right when written and one imprecise: each is in the detail.
    assert mark("stage-reached", "Liberty Post") == (
        "several", "Claims checked differently: see each in the detail", True)
    # An answer the references answer keeps its own check.
    assert mark("when-announced", "The Media Line") == ("right", "Right when written", False)
    assert mark("when-announced", "Liberty Post") is None  # no answer


def test_compare_grid_keeps_only_verdicts_past_a_few_sources(mini_site: Site, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setattr("builder.comparisons.GRID_SOURCES", 1)
    compare = Planner(mini_site).compare()
    assert compare.context["grid_sources"] == () and len(compare.context["sources"]) == 2
    assert all(row.cells == () and row.verdict_label for row in compare.context["matrix"])


def test_sources_that_give_no_answer_are_named_once_per_outlet_with_a_count(mini_site: Site, planner: Planner
                                                                            ) -> None:
    question_id, comparison = next(iter(mini_site.comparisons.items()))
    answering = {a.source_id for a in comparison.answers}
    outlets = Counter(s.outlet for s in mini_site.sources.values())
    outlets.update({"Northern Wire": 2, "A One-Article Outlet": 1})  # as if there were more articles
    view = planner.question(mini_site.questions[question_id], comparison, outlets)
    silent = Counter(s.outlet for s in mini_site.sources.values() if s.id not in answering)
    assert "A One-Article Outlet" in view.unanswered_by, "one article: the outlet's name alone"
    expected = silent["Northern Wire"] + 2
    assert f"Northern Wire ({expected:,} articles)" in view.unanswered_by
    assert len(view.unanswered_by) == len(set(view.unanswered_by)), "each outlet once"


def test_a_claim_shown_under_an_earlier_question_is_linked_there_not_shown_again(planner: Planner) -> None:
    questions = {q.id: q for q in planner.compare().context["questions"]}
    daily = {q: next(a for a in questions[q].answers if a.outlet == "The Daily Ledger")
             for q in ("which-countries", "how-many-countries", "treaty-year")}
    assert [c.id for c in daily["which-countries"].claims] == ["daily-five"]
    for later in ("how-many-countries", "treaty-year"):
        assert daily[later].claims == ()
        assert [(link.href, link.text) for link in daily[later].shown_before] == [
            ("/mini/compare/#q-which-countries", "claim 1")]


def test_findings_name_errors_then_contradictions_then_timing_then_imprecision(planner: Planner) -> None:
    findings = planner.findings()
    assert [(f.kind, f.outlet, f.href) for f in findings] == [
        ("wrong", "The Daily Ledger", "/mini/sources/daily/#about-daily-soviet"),
        ("timing", None, "/mini/compare/#q-which-countries"),
        ("timing", None, "/mini/compare/#q-how-many-countries"),
        ("imprecise", "The Daily Ledger", "/mini/sources/daily/#about-daily-ukraine")]
    wrong = findings[0]
    assert wrong.text == "\u201call former Soviet republics\u201d"
    assert wrong.reason == "Only Estonia, Latvia and Lithuania were Soviet republics; Poland and Finland never were."
    assert findings[2].reason == "Northern Wire says 4; The Daily Ledger says 5."
    assert planner.findings() is findings, "made once per build"


def test_a_finding_gives_the_whole_review_not_only_what_the_source_got_right(shipped_site: Site) -> None:
    # The review of Liberty Post's headline opens with what it got right; why it is imprecise comes after.
    findings = Planner(shipped_site).findings()
    headline = next(f for f in findings if "Exit Landmine Ban" in f.text)
    assert headline.kind == "imprecise"
    assert headline.reason.startswith("The reason is right") and "had not exited" in headline.reason
    about_claims = [f for f in findings if f.kind in ("wrong", "imprecise") and "#about-" in f.href]
    assert len(about_claims) >= 8
    for finding in about_claims:
        review = shipped_site.claims[finding.href.rsplit("#about-", 1)[1]].review
        assert review is not None
        # Imprecise if written before a date: the finding says, too, what that day changed (the claim's "since").
        later = f" {review.overtaken.says}" if finding.label.startswith("Imprecise if") and review.overtaken else ""
        assert finding.reason == review.says + later
    assert headline.label == "Imprecise if written before 27 December 2025"
    assert headline.reason.endswith("On 27 December 2025 the withdrawals of Estonia, Latvia and Lithuania took "
                                    "effect: they have left the treaty.")


def test_the_tally_counts_the_questions_of_each_verdict_present_in_the_verdicts_order(planner: Planner) -> None:
    assert planner.verdict_counts() == (
        ("timing", 2, "they differ because of when they wrote"),
        ("complement", 1, "they give different, compatible details"), ("agree", 1, "the sources agree"),
        ("only-one", 3, "only one source answers"), ("none", 1, "no source answers")), "no contradict: none has it"


def test_each_verdict_and_judgement_has_its_first_example_or_none(planner: Planner) -> None:
    verdicts = {key: link for key, _, _, _, link in planner.verdict_examples()}
    assert verdicts["contradict"] is None
    assert verdicts["timing"] is not None and verdicts["timing"].href == "/mini/compare/#q-which-countries"
    assert verdicts["none"] is not None and verdicts["none"].href == "/mini/compare/#q-enforcement"
    judgements = {key: link for key, _, _, _, link in planner.judgement_examples()}
    assert judgements["incomplete"] is None and judgements["right-if"] is None and judgements["imprecise-if"] is None
    wrong = judgements["wrong"]
    assert wrong is not None and wrong.href == "/mini/sources/daily/#claim-daily-soviet"
    # Our words, then the source's (their language is the site's here: not marked).
    assert (wrong.text, wrong.quote, wrong.language) == (
        "The Daily Ledger: ", "\u201call former Soviet republics\u201d", None)


def findings_judging_every_claim(planner: Planner) -> tuple[Finding, ...]:
    """The findings as a build made them before it found them from the reviews' ratings (at 02337b7): every claim
    judged, in the site's order; then the answers judged so whose claims were not named; then the verdicts."""
    site = planner.site
    found: dict[str, list[Finding]] = {"wrong": [], "contradict": [], "timing": [], "imprecise": []}
    flagged: set[tuple[str, str]] = set()
    for claim in planner.claims:
        check = planner.check(claim)
        if check.key in ("wrong", "imprecise", "imprecise-if"):  # imprecise if written before a date: imprecise
            kind = check.key.removesuffix("-if")
            flagged.add((kind, claim.id))
            reason = f"{check.says} {check.later.says}" if check.key == "imprecise-if" and check.later else check.says
            found[kind].append(Finding(
                kind, check.label, site.sources[claim.source_id].outlet,
                "\u201c" + clip(claim.quote, QUOTE_IN_FINDING) + "\u201d", reason,
                url_for(site, source_rel(claim.source_id)) + "#" + claim_entry_anchor(claim.id)))
    for question_id, comparison in site.comparisons.items():
        question, href = site.questions[question_id], question_href(site, question_id, planner.scale.split_compare)
        for answer in comparison.answers:
            check = answer.judgement
            if check and check.key in ("wrong", "imprecise") and not any(
                    (check.key, claim_id) in flagged for claim_id in answer.claim_ids):
                found[check.key].append(Finding(check.key, check.label, site.sources[answer.source_id].outlet,
                                                f"answers \u201c{question.text}\u201d with {answer.display}",
                                                check.says, href))
        if comparison.verdict in ("contradict", "timing"):
            found[comparison.verdict].append(Finding(comparison.verdict, comparison.verdict_label, None,
                                                     question.text, " ".join(comparison.differences), href))
    return tuple(f for kind in found.values() for f in kind)


def test_the_whole_site_pages_judge_only_the_claims_their_reviews_find_wrong_or_imprecise(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The home page, the comparison's index and the methodology show the first findings of each kind and their
    counts, and each judgement's first claim: found from the reviews' ratings, so an edit's build does not judge
    every claim of the site for them. What they show is what judging every claim gives."""
    use_small_limits(monkeypatch)
    with parallel.one_process():
        site = check_site(write_synthetic_site(tmp_path / "site"))
    judged: list[str] = []
    real = pages.judge_claim

    def counting(claim: Claim, *args: Any) -> Any:
        judged.append(claim.id)
        return real(claim, *args)

    monkeypatch.setattr(pages, "judge_claim", counting)
    planner = Planner(site)
    shown = {method: shown_across(planner, method, tuple(site.sources.values()))
             for method in ("home", "compare", "methodology")}
    # Of the claims not checked (most of a site's), none (the methodology's example shows its quote, not its
    # judgement's label); of those found wrong or imprecise, the findings shown; those found accurate, until each
    # judgement has its example.
    unchecked = [c.id for c in planner.claims if c.review is None or c.review.rating == "unchecked"]
    assert len(unchecked) > len(planner.claims) / 2 and [c for c in judged if c in unchecked] == []
    assert len(set(judged)) == len(judged) < len(planner.claims) / 2
    every = Planner(site)
    findings = findings_judging_every_claim(every)
    assert shown["home"] == (*findings[:FINDINGS_ON_HOME], len(findings), every.verdict_counts())
    kinds = {kind: [f for f in findings if f.kind == kind] for kind in ("wrong", "contradict", "timing", "imprecise")}
    assert shown["compare"][0] == (tuple(f for found in kinds.values() for f in found[:FINDINGS_PER_KIND]),
                                   {kind: len(found) - FINDINGS_PER_KIND for kind, found in kinds.items()
                                    if len(found) > FINDINGS_PER_KIND})
    assert shown["methodology"] == (every.verdict_examples(), every.judgement_examples())
    assert planner.findings() == findings and planner.judgement_examples() == every.judgement_examples()


@pytest.mark.parametrize("as_of", [None, date(2025, 3, 31)])
def test_each_judgements_first_claim_is_the_first_of_the_site_to_have_it(
        as_of: date | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim whose rating decides its judgement is not judged to find the methodology's examples (an accurate one
    that nothing overtook is right); an accurate claim that a later event overtook is: before that event (31 March
    2025) it is right, and the first claim that is, ahead of the accurate claim after it that nothing overtook."""
    site = check_site(MINI, as_of=as_of)
    asked: list[str] = []
    real = pages.judge_claim
    monkeypatch.setattr(pages, "judge_claim", lambda claim, *args: asked.append(claim.id) or real(claim, *args))
    examples = {key: link.href for key, _, _, _, link in Planner(site).judgement_examples() if link}
    # Overtaken on 1 April 2025, wire-four is judged; before that day its rating decides (right), as for the others.
    assert ("wire-four" in asked) == (as_of is None) and "wire-never-joined" not in asked
    assert "daily-finland" not in asked
    planner = Planner(site)
    judged: dict[str, Claim] = {}
    for claim in planner.claims:
        judged.setdefault(planner.check(claim).key, claim)
    assert {key: examples[key] for key in judged} == {key: claim_href(site, claim) for key, claim in judged.items()}
    assert judged["right"].id == ("wire-ministers" if as_of is None else "wire-four")


@pytest.mark.parametrize("as_of", [None, date(2025, 5, 1)])
def test_the_shipped_site_s_findings_are_what_judging_every_claim_gives(as_of: date | None) -> None:
    """The shipped site has claims found imprecise that also answer a question: their answers are not named
    again. Its findings and counts, found from the reviews' ratings, are those of judging every claim."""
    site = check_site(REPO, as_of=as_of)
    planner, expected = Planner(site), findings_judging_every_claim(Planner(site))
    assert planner.findings() == expected and planner.compare_findings()[0] == expected
    assert planner.finding_counts() == dict(Counter(f.kind for f in expected)) | {
        kind: 0 for kind in ("wrong", "contradict", "timing", "imprecise") if kind not in {f.kind for f in expected}}
