"""The comparison as pages show it: each question with every source's answer side by side, the grid, the
findings (where a source errs, where sources contradict each other or differ only in timing), and the verdicts'
and judgements' examples for the methodology. Planner's methods (pages.py), apart for the planner's length."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence

from .compare import CLAIM_ORDER, display_value, rated_judgement
from .model import (
    JUDGEMENTS,
    VERDICTS,
    Claim,
    Comparison,
    Question,
    Site,
    Source,
    SourceAnswer,
)
from .paging import CLAIMS_PER_PAGE, FINDINGS_PER_KIND, NOTES_ON_PAGE, Scale, make_pager
from .quotes import normalise
from .urls import (
    SITE_JSON,
    claim_entry_anchor,
    claim_href,
    paged_rel,
    question_anchor,
    question_href,
    question_rel,
    source_rel,
    url_for,
)
from .views import (
    GRID_SOURCES,
    JUDGEMENT_SYMBOLS,
    MARKS,
    VERDICT_SYMBOLS,
    AnswerView,
    CheckView,
    CitedText,
    Citer,
    Finding,
    Link,
    MatrixCell,
    MatrixRow,
    Page,
    QuestionView,
    ReferenceAnswer,
    clip,
    published_text,
    quote_language,
    short_answer,
    view_check,
)

COMPARE_TITLE = "What the sources say"

# A finding quotes the source's words up to this length.
QUOTE_IN_FINDING = 110
# The grid's marks for an answer the references do not answer (ComparisonPlanner.claims_check), for its key.
CLAIMS_DIFFER = "Claims checked differently"
CLAIM_MARKS = (
    ("imprecise", JUDGEMENT_SYMBOLS["imprecise"], "Claim checked: Imprecise",
     ", and likewise with each check above, or \u201cClaim not checked against the references\u201d: how the claim, "
     "or every claim, the answer rests on stood against the references when its source wrote;"),
    ("several", "\u2026", CLAIMS_DIFFER, ": its claims stood differently against the references; the question\u2019s "
     "detail shows each claim\u2019s check."),
)

# What each verdict means, for the grid's key and the methodology's list of verdicts with an example each.
VERDICT_MEANINGS = {
    "agree": "every source that answers gives the same answer (for dates: their ranges overlap, so both can be "
             "true)",
    "contradict": "the answers cannot all be true on the same date",
    "complement": "the answers differ in detail, but all can be true: a list that leaves an item out does not "
                  "contradict a longer one unless its source says it is complete",
    "timing": "each answer matched the references on the date its source wrote; what happened in between "
              "explains the difference",
    "only-one": "no other source answers",
    "none": "no source answers",
}
# The verdicts in a tally: "on 3 questions" + these words.
VERDICT_TALLY = {"agree": "the sources agree", "contradict": "they contradict each other",
                 "complement": "they give different, compatible details",
                 "timing": "they differ because of when they wrote", "only-one": "only one source answers",
                 "none": "no source answers"}
# What each judgement of a claim or an answer means, for the methodology.
JUDGEMENT_MEANINGS = {
    "wrong": "the references contradict it as they stood when the source wrote",
    "imprecise": "it points the right way but misdescribes what happened, or uses a looser word than the facts "
                 "allow",
    "imprecise-if": "the source's date is not known exactly, and the claim is imprecise only if it was written "
                    "before an event that falls inside its date range: that event made what it says come true",
    "incomplete": "what it lists is right, but it leaves out something the references had already established",
    "right-if": "the source's date is not known exactly, and the answer was right only before an event that "
                "falls inside its date range",
    "overtaken": "it was right when written; a later event, cited, has changed the answer since",
    "contested": "it was right when written; a later event, cited, has put the answer in dispute since",
    "right": "the references confirm it as they stood when the source wrote, and nothing has changed since",
    "unchecked": "no reference settles it, or it is opinion; the reason is given where known",
}


class ComparisonPlanner:
    """The Planner's methods for the comparison page, the home page's findings and the methodology's examples."""

    site: Site
    citer: Citer
    claims: list[Claim]
    scale: Scale
    sources_by_outlet: list[Source]  # every source, by outlet then id
    claims_of: dict[str, list[Claim]]  # the visible claims of each source
    outlets: Counter[str]  # how many sources each outlet has
    _findings: tuple[Finding, ...] | None

    # ------------------------------------------------------------ compare
    def compare(self) -> Page:
        """Every question with each source's answer; when they are too many for one page (Scale.split_compare),
        the index of the questions' own pages: the findings, the grid and a link to each."""
        site = self.site
        split = self.scale.split_compare
        self.citing("compare/", COMPARE_TITLE)
        outlets = self.outlets
        seen: dict[str, Link] = {}
        questions = () if split else tuple(self.question(site.questions[qid], comparison, outlets, seen)
                                            for qid, comparison in site.comparisons.items())
        sources = tuple(Link(url_for(site, source_rel(s.id)), s.outlet, s.title) for s in self.sources_by_outlet)
        findings, more_findings = self.compare_findings()
        matrix = self.matrix()
        shown = {cell.check.key for row in matrix for cell in row.cells if cell.check is not None}
        return self.page("compare", "compare.html", "compare/", COMPARE_TITLE, self.compare_description(),
                         "compare",
                         {"questions": questions, "matrix": matrix, "sources": sources,
                          "source_summary": (f"{len(sources):,} articles from {len(outlets)} outlets"
                                             if split else None),
                          "more_findings": more_findings,
                          "grid_sources": sources if len(sources) <= GRID_SOURCES else (),
                          "findings": findings, "verdict_counts": self.verdict_counts(), "claim_marks": CLAIM_MARKS,
                          "verdicts": tuple((key, VERDICT_SYMBOLS[key], VERDICTS[key], VERDICT_MEANINGS[key])
                                            for key in VERDICTS if key != "none"),
                          "judgements": tuple(  # "imprecise if" is a claim's alone: listed where a cell gives it
                              (key, JUDGEMENT_SYMBOLS[key], JUDGEMENTS[key].format(date="a later event"))
                              for key in JUDGEMENTS if key != "imprecise-if" or key in shown)})

    def compare_findings(self) -> tuple[tuple[Finding, ...], dict[str, int]]:
        """The findings the comparison's index lists, and how many more of each kind there are: when it is split,
        at most FINDINGS_PER_KIND of each kind (each question's page and source's page has the rest)."""
        if not self.scale.split_compare:
            return self.findings(), {}
        more = {kind: count - FINDINGS_PER_KIND for kind, count in self.finding_counts().items()
                if count > FINDINGS_PER_KIND}
        return self.findings(FINDINGS_PER_KIND), more

    def compare_description(self) -> str:
        site = self.site
        if self.scale.split_compare:
            outlets = len(self.outlets)
            return (f"{len(site.comparisons)} questions put to {len(site.sources):,} articles from {outlets} outlets: "
                    "each source's answer side by side with its exact words, whether they agree, and what the "
                    "references say, a page for each question.")
        names = " and ".join(sorted(s.outlet for s in site.sources.values()))
        return (f"{len(site.comparisons)} questions put to {names}: each source's answer side by side with "
                "its exact words, whether they agree, and what the references say.")

    def question_page(self, question_id: str, number: int) -> Page:
        """A question of a split comparison on its own page, its answers CLAIMS_PER_PAGE claims a page."""
        site = self.site
        question = site.questions[question_id]
        rel = question_rel(question_id)
        pages = self.answer_pages(question_id)
        here = paged_rel(rel, number)
        self.citing(here, question.text)
        outlets = self.outlets
        comparison = site.comparisons[question_id]
        # Notes grow with the pairs of sources (one per source and event): the first page shows the first few.
        notes = NOTES_ON_PAGE if number == 1 else 0
        view = self.question(question, comparison, outlets, answers=pages[number - 1], notes=notes)
        more_notes = len(comparison.differences) + len(comparison.timing) - len(view.differences) - len(view.timing)
        of = f", page {number} of {len(pages)}" if number > 1 else ""
        description = (f"What the sources answer to \u201c{question.text}\u201d: each answer with its exact words, "
                       f"whether the sources agree, and what the references say{of}.")
        return self.page("compare", "question.html", here, question.text + of, description, "compare", {
            "q": view, "index": Link(url_for(site, "compare/"), COMPARE_TITLE),
            "pager": make_pager(site, rel, number, len(pages), "Answers to this question"),
            "all_notes": len(comparison.differences) + len(comparison.timing) if more_notes and number == 1 else 0,
            "whole": Link(url_for(site, SITE_JSON), "the whole site as JSON", SITE_JSON),
        }, card=self.job_card(("question", question_id)))

    def answer_pages(self, question_id: str) -> list[Sequence[SourceAnswer]]:
        """A question's answers cut into pages of at most CLAIMS_PER_PAGE claims (an answer is never cut)."""
        pages: list[list[SourceAnswer]] = [[]]
        count = 0
        for answer in self.site.comparisons[question_id].answers:
            if pages[-1] and count + len(answer.claim_ids) > CLAIMS_PER_PAGE:
                pages.append([])
                count = 0
            pages[-1].append(answer)
            count += len(answer.claim_ids)
        return pages

    def matrix(self) -> tuple[MatrixRow, ...]:
        """The comparison as a grid: a row per question, a cell per source (in the sources' order), its verdict.

        Past GRID_SOURCES sources a column each would be unreadable (and, at newsroom scale, millions of cells):
        the rows then keep only the question and its verdict.
        """
        site = self.site
        sources = self.sources_by_outlet if len(self.sources_by_outlet) <= GRID_SOURCES else []
        rows = []
        for question_id, comparison in site.comparisons.items():
            question = site.questions[question_id]
            href = (question_href(site, question_id, True) if self.scale.split_compare
                    else "#" + question_anchor(question_id))
            answers = {a.source_id: a for a in comparison.answers}
            cells = []
            for source in sources:
                answer = answers.get(source.id)
                mark = comparison.verdict if answer else "none"
                symbol, label = MARKS[mark]
                text = short_answer(answer, question, site.countries) if answer else ""
                check = view_check(self.citer, answer.judgement) if answer and answer.judgement else None
                of_claims = answer is not None and check is None
                cells.append(MatrixCell(source.outlet, text, answer.display if answer else "", mark, symbol, label,
                                        self.claims_check(answer) if answer and of_claims else check, href,
                                        of_claims))
            rows.append(MatrixRow(question.text, href, tuple(cells), comparison.verdict, comparison.verdict_label,
                                  VERDICT_SYMBOLS[comparison.verdict]))
        return tuple(rows)

    def claims_check(self, answer: SourceAnswer) -> CheckView:
        """Where the references do not answer a question, the grid marks an answer with its claims' own check, in
        words that say so, when they are judged alike, and else says they were judged differently (the detail
        shows each): an imprecise claim is never shown unmarked beside answers marked right."""
        judged = [self.check(self.site.claims[claim_id]) for claim_id in answer.claim_ids]
        checked = [j for j in judged if j.key != "unchecked"]
        unchecked = len(judged) - len(checked)  # told apart: a claim not checked is no verdict among the others
        if not checked:
            return CheckView("unchecked", f"{'Claim' if unchecked == 1 else 'Claims'} not checked against the "
                             "references", JUDGEMENT_SYMBOLS["unchecked"], None, ())
        rest = f"; {unchecked} not checked" if unchecked else ""
        if len({j.label for j in checked}) > 1:
            return CheckView("several", f"{CLAIMS_DIFFER}{rest}: see each in the detail", "\u2026", None, ())
        who = "Claim" if len(judged) == 1 else f"{len(checked)} {'claim' if len(checked) == 1 else 'claims'}" \
            if unchecked else "Claims"
        return CheckView(checked[0].key, f"{who} checked: {checked[0].label}{rest}",
                         JUDGEMENT_SYMBOLS[checked[0].key], None, ())

    def headline_line(self, source: Source) -> str:
        """The line under a source's headline on its share card: the site's check of the headline, where a claim
        quotes it whole, else how many of its claims are checked, then its date. A headline in large type, seen alone
        in a feed, must not read as the site's own words, nor as a fact the site checked."""
        claims = self.claims_of.get(source.id, [])
        title = normalise(source.title).casefold()
        headline = next((c for c in claims if normalise(c.quote).casefold() == title), None)
        if headline is not None:
            check = self.check(headline)
            said = ("Headline not checked against the references" if check.key == "unchecked"
                    else f"Headline checked against the references: {check.label}")
        else:
            said = f"{len(claims)} claim{'' if len(claims) == 1 else 's'}, {self.scorecard(source).checked} " \
                   "checked against the references"
        published = published_text(source)
        return f"{said}. {published[:1].upper()}{published[1:]}"

    def question(self, question: Question, comparison: Comparison, outlets: Counter[str],
                 seen: dict[str, Link] | None = None, answers: Sequence[SourceAnswer] | None = None,
                 notes: int | None = None) -> QuestionView:
        """A question with each source's answer (or only `answers`, a page's), and its differences and timing notes
        (or only the first `notes` of each); `outlets` counts the sources of each outlet. A claim already shown
        under an earlier question (in `seen`, which this fills) is linked there rather than shown again."""
        site = self.site
        seen = {} if seen is None else seen
        here = Link(question_href(site, question.id, self.scale.split_compare), question.text)
        shown = []
        for a in comparison.answers if answers is None else answers:
            first = [cid for cid in a.claim_ids if cid not in seen]
            again = tuple(Link(seen[cid].href, f"claim {self.numbers[cid]}", seen[cid].text)
                          for cid in a.claim_ids if cid in seen)
            seen.update((cid, here) for cid in first)
            read = tuple(dict.fromkeys(given.note for cid in a.claim_ids for given in site.claims[cid].answers
                                        if given.question_id == question.id and given.note))
            shown.append(AnswerView(site.sources[a.source_id].outlet, url_for(site, source_rel(a.source_id)),
                                      published_text(site.sources[a.source_id]), a.display,
                                      view_check(self.citer, a.judgement) if a.judgement else None,
                                      tuple(self.view(site.claims[cid]) for cid in first), again, read))
        references = tuple(
            ReferenceAnswer(display_value(r.value, question, site.countries), r.note, self.citer.links(r.cite),
                            r.since)
            for r in question.references if (r.since is None or r.since <= site.config.as_of) and r.cite
        )  # an answer whose every page a build as of an earlier date left out (dated.py) is not yet known
        # The outlets of the sources that give no answer, each once with how many of its articles: a newsroom's
        # site may have thousands of articles from one outlet, and its name thousands of times says nothing.
        answered = Counter(site.sources[s].outlet for s in {a.source_id for a in comparison.answers})
        unanswered = [outlet if count == 1 else f"{outlet} ({count:,} articles)"
                      for outlet, count in sorted((outlets - answered).items())]
        anchor = question_anchor(question.id)
        timing = tuple(CitedText(note.text, self.citer.links(note.cite)) for note in comparison.timing[:notes])
        return QuestionView(question.id, anchor, question_href(site, question.id, self.scale.split_compare),
                            question.text, comparison.verdict, comparison.verdict_label,
                            VERDICT_SYMBOLS[comparison.verdict], comparison.differences[:notes], timing, tuple(shown),
                            references, tuple(unanswered))

    def findings(self, first: int | None = None) -> tuple[Finding, ...]:
        """Where a source is wrong, where the sources contradict each other, where a source is imprecise, and
        where they differ only because of timing: in that order, each once; `first`: only the first so many of each
        kind (finding_counts says how many there are). Only those asked for are made: a large site has thousands."""
        if first is None and self._findings is not None:
            return self._findings
        found = tuple(self._finding(kind, item) for kind, items in self._finding_items.items()
                      for item in items[:first])
        if first is None:
            self._findings = found
        return found

    def finding_counts(self) -> dict[str, int]:
        """How many findings of each kind there are, in findings' order."""
        return {kind: len(items) for kind, items in self._finding_items.items()}

    @functools.cached_property
    def _finding_items(self) -> dict[str, list[Claim | tuple[str, SourceAnswer] | str]]:
        """What each finding is about, by kind, in order: a claim its review finds wrong or imprecise, a question's
        answer judged so (unless one of its claims is named already), a question whose sources contradict each
        other or differ because of timing. Found from the reviews' ratings (compare.rated_judgement), without
        judging a claim."""
        site = self.site
        wrong, imprecise = self.rated.get("wrong", []), self.rated.get("imprecise", [])
        # An imprecise claim that a later event overtook, judged by the dates: imprecise (if written before) it.
        overtaken = [c for c in self.rated.get(None, ()) if c.review and c.review.rating == "imprecise"]
        if overtaken:
            imprecise = sorted([*imprecise, *overtaken], key=CLAIM_ORDER)
        found: dict[str, list[Claim | tuple[str, SourceAnswer] | str]] = {
            "wrong": [*wrong], "contradict": [], "timing": [], "imprecise": [*imprecise]}
        flagged = {("wrong", claim.id) for claim in wrong} | {("imprecise", claim.id) for claim in imprecise}
        for question_id, comparison in site.comparisons.items():
            for answer in comparison.answers:
                check = answer.judgement
                if check and check.key in ("wrong", "imprecise") and not any(
                        (check.key, claim_id) in flagged for claim_id in answer.claim_ids):
                    found[check.key].append((question_id, answer))
            if comparison.verdict in ("contradict", "timing"):
                found[comparison.verdict].append(question_id)
        return found

    def _finding(self, kind: str, item: Claim | tuple[str, SourceAnswer] | str) -> Finding:
        site = self.site
        if isinstance(item, Claim):
            check = self.check(item)
            # Imprecise if written before a date: and what that day changed, as the claim's entry says it too.
            reason = f"{check.says} {check.later.says}" if check.key == "imprecise-if" and check.later else check.says
            return Finding(kind, check.label, site.sources[item.source_id].outlet,
                           "\u201c" + clip(item.quote, QUOTE_IN_FINDING) + "\u201d", reason,
                           url_for(site, source_rel(item.source_id)) + "#" + claim_entry_anchor(item.id),
                           quote_language(site, item))
        question_id = item[0] if isinstance(item, tuple) else item
        href = question_href(site, question_id, self.scale.split_compare)
        if isinstance(item, tuple):
            answer = item[1]
            judged = answer.judgement
            assert judged is not None
            return Finding(judged.key, judged.label, site.sources[answer.source_id].outlet,
                           f"answers \u201c{site.questions[question_id].text}\u201d with {answer.display}",
                           judged.says, href)
        comparison = site.comparisons[question_id]
        return Finding(comparison.verdict, comparison.verdict_label, None, site.questions[question_id].text,
                       " ".join(comparison.differences), href)

    @functools.cached_property
    def rated(self) -> dict[str | None, list[Claim]]:
        """The visible claims by the judgement their review's rating alone decides (compare.rated_judgement; None
        for the others), each in the site's order."""
        found: dict[str | None, list[Claim]] = {}
        for claim in self.claims:
            found.setdefault(rated_judgement(claim), []).append(claim)
        return found

    def verdict_counts(self) -> tuple[tuple[str, int, str], ...]:
        """How many questions have each verdict: (key, count, 'where …')."""
        counts = Counter(c.verdict for c in self.site.comparisons.values())
        return tuple((key, counts[key], VERDICT_TALLY[key]) for key in VERDICTS if counts[key])

    def verdict_examples(self) -> tuple[tuple[str, str, str, str, Link | None], ...]:
        """Each verdict, what it means, and the first question of this site that has it."""
        site = self.site
        first: dict[str, Link] = {}
        for question_id, comparison in site.comparisons.items():
            first.setdefault(comparison.verdict, Link(question_href(site, question_id, self.scale.split_compare),
                                                      site.questions[question_id].text))
        return tuple((key, VERDICT_SYMBOLS[key], VERDICTS[key], VERDICT_MEANINGS[key], first.get(key))
                     for key in VERDICTS)

    def judgement_examples(self) -> tuple[tuple[str, str, str, str, Link | None], ...]:
        """Each judgement, what it means, and the first claim (or else answer) of this site that has it."""
        site = self.site
        firsts = {key: claims[0] for key, claims in self.rated.items() if key is not None}  # by the rating alone
        judged: dict[str, Claim] = {}
        for claim in self.rated.get(None, ()):  # the others judged: the accurate claims a later event overtook
            judged.setdefault(self.check(claim).key, claim)
        for key, claim in judged.items():  # a judgement of both kinds ('right'): the earlier claim
            if key not in firsts or CLAIM_ORDER(claim) < CLAIM_ORDER(firsts[key]):
                firsts[key] = claim
        first: dict[str, Link] = {}
        for key, claim in firsts.items():  # the link made for the first claim alone: 20,000 at 10,000 pages
            first[key] = Link(claim_href(site, claim), site.sources[claim.source_id].outlet + ": ", "",
                              f"\u201c{clip(claim.quote, QUOTE_IN_FINDING)}\u201d", quote_language(site, claim))
        for question_id, comparison in site.comparisons.items():
            for answer in comparison.answers:
                if answer.judgement and answer.judgement.key not in first:
                    first[answer.judgement.key] = Link(
                        question_href(site, question_id, self.scale.split_compare),
                        f"{site.sources[answer.source_id].outlet}\u2019s answer to "
                        f"\u201c{site.questions[question_id].text}\u201d")
        return tuple((key, JUDGEMENT_SYMBOLS[key], JUDGEMENTS[key].format(date="a date"), JUDGEMENT_MEANINGS[key],
                      first.get(key)) for key in JUDGEMENTS)
