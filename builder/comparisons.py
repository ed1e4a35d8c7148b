"""The comparison as pages show it: each question with every source's answer side by side, the grid, the
findings (where a source errs, where sources contradict each other or differ only in timing), and the verdicts'
and judgements' examples for the methodology. Planner's methods (pages.py), apart for the planner's length."""

from __future__ import annotations

from collections import Counter

from .compare import display_value
from .model import (
    JUDGEMENTS,
    VERDICTS,
    Claim,
    Comparison,
    Question,
    Site,
)
from .urls import (
    claim_entry_anchor,
    claim_href,
    question_anchor,
    source_rel,
    url_for,
)
from .views import (
    GRID_SOURCES,
    JUDGEMENT_MEANINGS,
    JUDGEMENT_SYMBOLS,
    MARKS,
    QUOTE_IN_FINDING,
    VERDICT_MEANINGS,
    VERDICT_SYMBOLS,
    VERDICT_TALLY,
    AnswerView,
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
    first_sentence,
    published_text,
    short_answer,
    view_check,
)


class ComparisonPlanner:
    """The Planner's methods for the comparison page, the home page's findings and the methodology's examples."""

    site: Site
    citer: Citer
    claims: list[Claim]
    _findings: tuple[Finding, ...] | None

    # ------------------------------------------------------------ compare
    def compare(self) -> Page:
        site = self.site
        self.citing("compare/", "What the sources say")
        outlets = Counter(s.outlet for s in site.sources.values())
        seen: dict[str, Link] = {}
        questions = tuple(self.question(site.questions[qid], comparison, outlets, seen)
                          for qid, comparison in site.comparisons.items())
        outlets = " and ".join(sorted(s.outlet for s in site.sources.values()))
        description = (f"{len(questions)} questions put to {outlets}: each source's answer side by side with "
                       "its exact words, whether they agree, and what the references say.")
        sources = tuple(Link(url_for(site, source_rel(s.id)), s.outlet, s.title)
                        for s in sorted(site.sources.values(), key=lambda s: (s.outlet, s.id)))
        return self.page("compare", "compare.html", "compare/", "What the sources say", description, "compare",
                         {"questions": questions, "matrix": self.matrix(), "sources": sources,
                          "grid_sources": sources if len(sources) <= GRID_SOURCES else (),
                          "findings": self.findings(), "verdict_counts": self.verdict_counts(),
                          "verdicts": tuple((key, VERDICT_SYMBOLS[key], VERDICTS[key], VERDICT_MEANINGS[key])
                                            for key in VERDICTS if key != "none"),
                          "judgements": tuple(
                              (key, JUDGEMENT_SYMBOLS[key], JUDGEMENTS[key].format(date="a later event"))
                              for key in JUDGEMENTS)})

    def matrix(self) -> tuple[MatrixRow, ...]:
        """The comparison as a grid: a row per question, a cell per source (in the sources' order), its verdict.

        Past GRID_SOURCES sources a column each would be unreadable (and, at newsroom scale, millions of cells):
        the rows then keep only the question and its verdict.
        """
        site = self.site
        sources = sorted(site.sources.values(), key=lambda s: (s.outlet, s.id))
        if len(sources) > GRID_SOURCES:
            sources = []
        rows = []
        for question_id, comparison in site.comparisons.items():
            question = site.questions[question_id]
            href = "#" + question_anchor(question_id)
            answers = {a.source_id: a for a in comparison.answers}
            cells = []
            for source in sources:
                answer = answers.get(source.id)
                mark = comparison.verdict if answer else "none"
                symbol, label = MARKS[mark]
                text = short_answer(answer, question, site.countries) if answer else ""
                check = view_check(self.citer, answer.judgement) if answer and answer.judgement else None
                cells.append(MatrixCell(source.outlet, text, answer.display if answer else "", mark, symbol, label,
                                        check, href))
            rows.append(MatrixRow(question.text, href, tuple(cells), comparison.verdict, comparison.verdict_label,
                                  VERDICT_SYMBOLS[comparison.verdict]))
        return tuple(rows)

    def question(self, question: Question, comparison: Comparison, outlets: Counter[str],
                 seen: dict[str, Link] | None = None) -> QuestionView:
        """A question with each source's answer; `outlets` counts the sources of each outlet. A claim already
        shown under an earlier question (in `seen`, which this fills) is linked there rather than shown again."""
        site = self.site
        seen = {} if seen is None else seen
        here = Link(url_for(site, "compare/") + "#" + question_anchor(question.id), question.text)
        answers = []
        for a in comparison.answers:
            first = [cid for cid in a.claim_ids if cid not in seen]
            again = tuple(Link(seen[cid].href, f"claim {self.numbers[cid]}", seen[cid].text)
                          for cid in a.claim_ids if cid in seen)
            seen.update((cid, here) for cid in first)
            answers.append(AnswerView(site.sources[a.source_id].outlet, url_for(site, source_rel(a.source_id)),
                                      published_text(site.sources[a.source_id]), a.display,
                                      view_check(self.citer, a.judgement) if a.judgement else None,
                                      tuple(self.view(site.claims[cid]) for cid in first), again))
        references = tuple(
            ReferenceAnswer(display_value(r.value, question, site.countries), r.note, self.citer.links(r.cite),
                            r.since)
            for r in question.references if r.since is None or r.since <= site.config.as_of
        )
        # The outlets of the sources that give no answer, each once with how many of its articles: a newsroom's
        # site may have thousands of articles from one outlet, and its name thousands of times says nothing.
        answered = Counter(site.sources[s].outlet for s in {a.source_id for a in comparison.answers})
        unanswered = [outlet if count == 1 else f"{outlet} ({count:,} articles)"
                      for outlet, count in sorted((outlets - answered).items())]
        anchor = question_anchor(question.id)
        timing = tuple(CitedText(note.text, self.citer.links(note.cite)) for note in comparison.timing)
        return QuestionView(question.id, anchor, url_for(site, "compare/") + "#" + anchor, question.text,
                            comparison.verdict, comparison.verdict_label, VERDICT_SYMBOLS[comparison.verdict],
                            comparison.differences, timing, tuple(answers), references, tuple(unanswered))

    def findings(self) -> tuple[Finding, ...]:
        """Where a source is wrong, where the sources contradict each other, where a source is imprecise, and
        where they differ only because of timing: in that order, each once."""
        if self._findings is not None:
            return self._findings
        site = self.site
        compare_href = url_for(site, "compare/")
        found: dict[str, list[Finding]] = {"wrong": [], "contradict": [], "timing": [], "imprecise": []}
        flagged: set[tuple[str, str]] = set()  # (kind, claim id): a claim already named needs no answer line
        for claim in self.claims:
            check = self.check(claim)
            if check.key in ("wrong", "imprecise"):
                flagged.add((check.key, claim.id))
                found[check.key].append(Finding(
                    check.key, check.label, site.sources[claim.source_id].outlet,
                    "\u201c" + clip(claim.quote, QUOTE_IN_FINDING) + "\u201d", first_sentence(check.says),
                    url_for(site, source_rel(claim.source_id)) + "#" + claim_entry_anchor(claim.id)))
        for question_id, comparison in site.comparisons.items():
            question = site.questions[question_id]
            href = compare_href + "#" + question_anchor(question_id)
            for answer in comparison.answers:
                check = answer.judgement
                if check and check.key in ("wrong", "imprecise") and not any(
                        (check.key, claim_id) in flagged for claim_id in answer.claim_ids):
                    found[check.key].append(Finding(
                        check.key, check.label, site.sources[answer.source_id].outlet,
                        f"answers \u201c{question.text}\u201d with {answer.display}", first_sentence(check.says),
                        href))
            if comparison.verdict in ("contradict", "timing"):
                found[comparison.verdict].append(Finding(
                    comparison.verdict, comparison.verdict_label, None, question.text,
                    " ".join(comparison.differences), href))
        self._findings = tuple(f for kind in found.values() for f in kind)
        return self._findings

    def verdict_counts(self) -> tuple[tuple[str, int, str], ...]:
        """How many questions have each verdict: (key, count, 'where …')."""
        counts = Counter(c.verdict for c in self.site.comparisons.values())
        return tuple((key, counts[key], VERDICT_TALLY[key]) for key in VERDICTS if counts[key])

    def verdict_examples(self) -> tuple[tuple[str, str, str, str, Link | None], ...]:
        """Each verdict, what it means, and the first question of this site that has it."""
        site = self.site
        first: dict[str, Link] = {}
        for question_id, comparison in site.comparisons.items():
            first.setdefault(comparison.verdict, Link(url_for(site, "compare/") + "#" + question_anchor(question_id),
                                                      site.questions[question_id].text))
        return tuple((key, VERDICT_SYMBOLS[key], VERDICTS[key], VERDICT_MEANINGS[key], first.get(key))
                     for key in VERDICTS)

    def judgement_examples(self) -> tuple[tuple[str, str, str, str, Link | None], ...]:
        """Each judgement, what it means, and the first claim (or else answer) of this site that has it."""
        site = self.site
        first: dict[str, Link] = {}
        for claim in self.claims:
            check = self.check(claim)
            first.setdefault(check.key, Link(claim_href(site, claim), site.sources[claim.source_id].outlet + ": \u201c"
                                             + clip(claim.quote, QUOTE_IN_FINDING) + "\u201d", check.label))
        for question_id, comparison in site.comparisons.items():
            for answer in comparison.answers:
                if answer.judgement:
                    first.setdefault(answer.judgement.key, Link(
                        url_for(site, "compare/") + "#" + question_anchor(question_id),
                        f"{site.sources[answer.source_id].outlet}\u2019s answer to "
                        f"\u201c{site.questions[question_id].text}\u201d", answer.judgement.label))
        return tuple((key, JUDGEMENT_SYMBOLS[key], JUDGEMENTS[key].format(date="a date"), JUDGEMENT_MEANINGS[key],
                      first.get(key)) for key in JUDGEMENTS)
