"""What the sources agree and differ on, and how each stood against the references, computed once from the claims'
structured answers, their reviews and the dates.

Two judgements are made here, both with a date:
- a claim or an answer against the references as they stood when its source wrote, and again on the site's date
  (right when written, since overtaken or since contested, right if written before a date, incomplete, imprecise,
  imprecise if written before a date, wrong when written, not checked);
- the sources' answers to one question against each other: they agree, contradict each other (they cannot both be
  true on one date), complement each other (different details that can all be true), or differ because of timing
  (each matched the references on its own date).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from operator import attrgetter

from .model import (
    JUDGEMENTS,
    AnswerValue,
    Claim,
    Comparison,
    Country,
    DateWindow,
    Event,
    Judgement,
    Overtaken,
    PartialDate,
    Question,
    ReferenceValue,
    Sentence,
    Site,
    Source,
    SourceAnswer,
)
from .quotes import normalise

# Judgements that settle an answer was true of its own date: differing answers that all have one of these differ
# because of timing, not because one is wrong. "Right if written before" a date does not settle it: its source may
# have written after, and its timing note says so.
_RIGHT_ON_ITS_DATE = ("right", "overtaken", "contested")


def display_value(value: AnswerValue, question: Question, countries: dict[str, Country]) -> str:
    """An answer in a few words, as a reader would write it."""
    if question.type == "countries":
        return ", ".join(sorted(countries[c].name for c in value.items)) or "none"
    if question.type == "points":
        return "; ".join(question.options[p] for p in value.items) or "none"
    if question.type == "date" and value.window:
        return value.window.human
    if question.type == "number" and value.number is not None:
        return f"{value.number:g}"
    return value.text or ""


def same_answer(a: AnswerValue, b: AnswerValue, kind: str) -> bool:
    """Whether two answers say the same thing; date windows agree when they can both be true."""
    if kind in ("countries", "points"):
        return a.items == b.items
    if kind == "date":
        return bool(a.window and b.window and a.window.overlaps(b.window))
    if kind == "number":
        return a.number == b.number
    return normalise(a.text or "").casefold() == normalise(b.text or "").casefold()


def merge_answers(values: list[AnswerValue], kind: str) -> AnswerValue:
    """One source's answer from all its claims: sets are united, date windows narrowed."""
    if kind in ("countries", "points"):
        return AnswerValue(items=tuple(sorted({item for v in values for item in v.items})))
    if kind == "date":
        starts = [v.window.not_before for v in values if v.window and v.window.not_before]
        ends = [v.window.not_after for v in values if v.window and v.window.not_after]
        return AnswerValue(window=DateWindow(max(starts, default=None), min(ends, default=None)))
    return values[0]


# ---------------------------------------------------------------- a claim or an answer against the references

def judgement(key: str, says: str | None = None, cite: tuple = (), later: Overtaken | None = None,
              until: PartialDate | None = None) -> Judgement:
    label = JUDGEMENTS[key].format(date=until.human if until else "")
    return Judgement(key, label, says, cite, later)


def written_window(claims: Sequence[Claim], source: Source) -> DateWindow:
    """The time the words speak of: the claims' own date where every one gives it, else when the source wrote."""
    whens = [claim.when for claim in claims]
    if whens and all(whens):
        return DateWindow(min(w.first for w in whens if w), max(w.last for w in whens if w))
    return source.published.window


# The judgements of a claim that its review's rating alone decides, whatever the dates (judge_claim).
_RATED = {"unchecked": "unchecked", "inaccurate": "wrong", "imprecise": "imprecise"}
CLAIM_ORDER = attrgetter("source_id", "span", "id")  # the site's order of claims: by source, then in its text


def rated_judgement(claim: Claim) -> str | None:
    """judge_claim's key where the claim's review alone decides it (unchecked, wrong; imprecise, unless a later
    event overtook it; right, for an accurate one that nothing overtook), without judging the claim: the findings
    and the methodology's examples look for these among every claim of the site. None for the others (right,
    overtaken, contested or right-if; imprecise or imprecise-if: by the dates)."""
    review = claim.review
    if review is None:
        return "unchecked"
    if review.overtaken is not None and not review.overtaken.contested and review.rating == "imprecise":
        return None
    return "right" if review.rating == "accurate" and review.overtaken is None else _RATED.get(review.rating)


def judge_claim(claim: Claim, source: Source, as_of: date) -> Judgement:
    """How a claim stood against the references when its source wrote, and on the site's date. A claim a later
    event overtook, from a source whose possible dates straddle that event, is judged for the days before it alone:
    right, or (rated imprecise) imprecise, if written before; the event's words say what it is if written after."""
    review, rated = claim.review, rated_judgement(claim)
    if review is None:
        return judgement("unchecked")
    if rated == "unchecked":  # its reason may cite what the references hold beside it, without settling it
        return judgement("unchecked", review.says, review.cite)
    if rated == "wrong":
        return judgement("wrong", review.says, review.cite)
    later = review.overtaken if review.overtaken and review.overtaken.on.first <= as_of else None
    imprecise = review.rating == "imprecise"
    if later is None or (imprecise and later.contested):  # a dispute leaves an imprecise claim imprecise
        return judgement("imprecise" if imprecise else "right", review.says, review.cite, later)
    window = written_window([claim], source)
    if window.not_after and window.not_after < later.on.first:
        return judgement("imprecise" if imprecise else later.key, review.says, review.cite, later)
    return judgement("imprecise-if" if imprecise else "right-if", review.says, review.cite, later, until=later.on)


def _match(value: AnswerValue, reference: AnswerValue, kind: str) -> str:
    """'right', 'incomplete' (a part of the set), 'wrong', or 'different' (texts: only a review can say how)."""
    if kind in ("countries", "points"):
        given, known = set(value.items), set(reference.items)
        return "right" if given == known else "incomplete" if given < known else "wrong"
    if kind == "text":
        return "right" if same_answer(value, reference, kind) else "different"
    return "right" if same_answer(value, reference, kind) else "wrong"


def _in_force(question: Question, window: DateWindow, as_of: date) -> list[ReferenceValue]:
    """The references' answers in force at some time in `window` (which ends by the site's date at the latest)."""
    end = min(window.not_after or as_of, as_of)
    found = []
    for index, value in enumerate(question.references):
        following = question.references[index + 1].since if index + 1 < len(question.references) else None
        starts_in_time = value.since is None or value.since <= end
        ends_in_time = following is None or window.not_before is None or following > window.not_before
        if starts_in_time and ends_in_time:
            found.append(value)
    return found


def _missing(value: AnswerValue, reference: AnswerValue, question: Question, countries: dict[str, Country]) -> str:
    left_out = AnswerValue(items=tuple(i for i in reference.items if i not in value.items))
    return display_value(left_out, question, countries)


def judge_answer(question: Question, value: AnswerValue, window: DateWindow, reviews: Sequence[str],
                 as_of: date, countries: dict[str, Country]) -> Judgement | None:
    """A source's answer against the references in force when it wrote (`window`), and on the site's date; None
    where no reference answers the question. `reviews` are the ratings of the claims the answer rests on.

    A contested answer of the references disputes the one before without settling it: the settled answers judge,
    and an answer right by them that the references dispute today is "since contested"; one that gives the
    disputed answer itself is judged by every answer, the contested ones too."""
    settled = replace(question, references=tuple(r for r in question.references if not r.contested))
    judged = _judge(settled, value, window, reviews, as_of, countries)
    now = question.reference_on(as_of)
    if (judged is not None and judged.key == "right" and now is not None and now.contested and now.cite
            and _match(value, now.value, question.type) != "right"):
        return judgement("contested", None, judged.cite, _overtaking(question, now, value, countries))
    if judged is not None and judged.key in ("wrong", "incomplete") and len(settled.references) < len(
            question.references):
        return _judge(question, value, window, reviews, as_of, countries)
    return judged


def _judge(question: Question, value: AnswerValue, window: DateWindow, reviews: Sequence[str],
           as_of: date, countries: dict[str, Country]) -> Judgement | None:
    during = _in_force(question, window, as_of)
    if not during:
        return None
    if not all(ref.cite for ref in during):  # a build as of an earlier date left out every page it cites (dated.py)
        return judgement("unchecked", f"Not checked as of {PartialDate.of(as_of).human}: the references that "
                         "settle it are dated later.")
    outcomes = [_match(value, ref.value, question.type) for ref in during]
    now = question.reference_on(as_of)
    now = now if now is not None and now.cite else None  # not yet known on the site's date (dated.py)
    # A judgement cites the first answer in force in the window that gives its outcome: the answer of when the
    # source may first have written, not a later one on matters it never names, unless that later one changed it.
    if "different" in outcomes:  # differing words: only the claims' reviews can say whether they are wrong
        row = during[outcomes.index("different")]
        known = display_value(row.value, question, countries)
        if "inaccurate" in reviews:
            return judgement("wrong", _said(row, during[0], known), row.cite)
        if "imprecise" in reviews:
            return judgement("imprecise", _said(row, during[0], known), row.cite)
        if "accurate" not in reviews:
            return judgement("unchecked", f"It is worded differently from the references ({known}), and no "
                             "review says whether it means the same.")
        outcomes = ["right" if o == "different" else o for o in outcomes]
    if outcomes[0] == "right" and all(o == "right" for o in outcomes):
        if now is not None and now is not during[-1] and _match(value, now.value, question.type) != "right":
            later = _overtaking(question, now, value, countries)
            return judgement(later.key, None, during[0].cite, later)
        return judgement("right", None, during[0].cite)
    if outcomes[0] == "right":
        change = during[outcomes.index(next(o for o in outcomes if o != "right"))]
        assert change.since is not None, "only a later answer can end a right one"
        return judgement("right-if", None, during[0].cite,
                         _overtaking(question, change, value, countries), until=PartialDate.of(change.since))
    row = during[outcomes.index("wrong" if "wrong" in outcomes else "incomplete")]
    if "wrong" in outcomes:
        return judgement("wrong", _said(row, during[0], display_value(row.value, question, countries)), row.cite)
    return judgement("incomplete", f"It leaves out {_missing(value, row.value, question, countries)}.", row.cite)


def _said(row: ReferenceValue, first: ReferenceValue, known: str) -> str:
    """What the references' answer that settles a judgement says: from its date, where an earlier answer in force
    when the source may have written settled it otherwise."""
    if row is first or row.since is None:
        return f"The references say: {known}."
    return f"From {PartialDate.of(row.since).human} the references say: {known}."


def _overtaking(question: Question, change: ReferenceValue, value: AnswerValue, countries: dict[str, Country]
                ) -> Overtaken:
    """What a later answer of the references changed, in words."""
    assert change.since is not None
    says = change.note or f"From {PartialDate.of(change.since).human} the references' answer is " \
                          f"{display_value(change.value, question, countries)}."
    if question.type in ("countries", "points") and set(value.items) < set(change.value.items):
        says = f"{says} The answer leaves out {_missing(value, change.value, question, countries)}."
    return Overtaken(PartialDate.of(change.since), says, change.cite, change.contested)


# ---------------------------------------------------------------- the sources against each other

def _compatible(a: SourceAnswer, b: SourceAnswer, kind: str) -> bool:
    """Whether two different answers can both be true on one date."""
    if kind in ("countries", "points"):
        # A set is only part of the answer unless its source says it is complete.
        return not (a.complete and set(b.value.items) - set(a.value.items)) and \
            not (b.complete and set(a.value.items) - set(b.value.items))
    if kind == "text":  # two wordings the references find right, or at worst imprecise, describe the same thing
        return all(x.judgement is not None and x.judgement.key not in ("wrong", "unchecked") for x in (a, b))
    return same_answer(a.value, b.value, kind)


def _verdict(question: Question, answers: list[SourceAnswer]) -> str:
    if not answers:
        return "none"
    if len(answers) == 1:
        return "only-one"
    if all(same_answer(answers[0].value, other.value, question.type) for other in answers[1:]):
        return "agree"
    if len(question.references) > 1 and all(
            a.judgement is not None and a.judgement.key in _RIGHT_ON_ITS_DATE for a in answers):
        return "timing"
    pairs = [(a, b) for i, a in enumerate(answers) for b in answers[i + 1:]]
    if all(_compatible(a, b, question.type) for a, b in pairs):
        return "complement"
    return "contradict"


def _source_label(source: Source) -> str:
    return source.outlet


def _set_differences(question: Question, answers: list[SourceAnswer], site: Site) -> list[str]:
    names = {a.source_id: _source_label(site.sources[a.source_id]) for a in answers}
    everything = sorted({item for a in answers for item in a.value.items})
    label = (lambda c: site.countries[c].name) if question.type == "countries" else question.options.get
    found = []
    for item in everything:
        having = [names[a.source_id] for a in answers if item in a.value.items]
        if len(having) == len(answers):
            continue
        missing = [names[a.source_id] for a in answers if item not in a.value.items]
        both = set(having) & set(missing)
        found.append(f"{label(item)} appears only in {_outlets(having, both)}, "
                     f"not in {_outlets(missing, both, other=True)}.")
    return found


def _outlets(names: list[str], both: set[str], *, other: bool = False) -> str:
    """Each outlet named once, with how many of its articles when more than one or when the outlet is on both
    sides of the difference (its articles on the second side are its `other` ones): a site may hold thousands of
    articles from one outlet, and its name thousands of times says nothing."""
    shown = []
    for name, count in Counter(names).items():
        if count == 1 and name not in both:
            shown.append(name)
        else:
            shown.append(f"{name} ({count:,} {'other ' if other and name in both else ''}"
                         f"article{'s' if count > 1 else ''})")
    return _and(shown)


def _timing_notes(question: Question, answers: list[SourceAnswer], site: Site) -> list[Sentence]:
    """Tell a difference that comes from when each source was written apart from a contradiction."""
    notes: list[Sentence] = []
    if question.type == "countries":
        named = {item for a in answers for item in a.value.items}  # by any source
        # Only a country that announced its withdrawal gets a note: its announcement is looked for once per
        # country, not once per source that omits it.
        announced = {country_id: event for country_id in named
                     if (event := _announcement(site.countries[country_id], site)) is not None}
        for answer in answers:
            source = site.sources[answer.source_id]
            for country_id in sorted(announced.keys() - set(answer.value.items)):
                notes.append(_country_timing(site.countries[country_id], announced[country_id], source,
                                             source.published.window))
        return sorted(set(notes), key=lambda s: s.text)
    windows = {a.source_id: site.sources[a.source_id].published.window for a in answers}
    ids = list(windows)
    if any(not windows[x].overlaps(windows[y]) for x in ids for y in ids if x < y):
        dated = "; ".join(f"{_source_label(site.sources[s])}: {_dated(site.sources[s])}" for s in ids)
        changes = tuple(c for value in question.references[1:] for c in value.cite)
        notes.append(Sentence(f"The sources were written at different times ({dated}); the difference may "
                              "reflect what happened in between.", changes))
    return notes


def _dated(source: Source) -> str:
    """A source's date as this site knows it; a worked-out date is never stated as a plain fact."""
    window = source.published.window
    return f"dated by inference {window.human}" if source.published.inferred else window.human


def _announcement(country: Country, site: Site) -> tuple[Event, str] | None:
    """The first event that made a country's withdrawal known, if any, with how a sentence says it (the event
    kinds of content/rules.yaml that have `announces`)."""
    kinds = site.rules.events if site.rules else {}
    return next(((e, says) for e in country.events if (says := getattr(kinds.get(e.kind), "announces", None))),
                None)


def _country_timing(country: Country, announcement: tuple[Event, str], source: Source, window: DateWindow
                    ) -> Sentence:
    announced, says = announcement
    when, name = announced.date, _source_label(source)
    what = says.replace("{subject}", country.name).replace("{date}", when.human)
    if window.not_after and window.not_after < when.first:
        text = f"{name} was written by {_day(window.not_after)}, before {what}: a difference of timing, " \
               "not a contradiction."
    elif window.not_before and window.not_before > when.last:
        text = f"{name} was written after {what}: its omission is not explained by timing."
    else:
        text = f"{name} is {_dated(source)}, so it may have been written before {what}: if it was, the " \
               f"difference is one of timing; if not, {name} leaves {country.name} out."
    return Sentence(text, announced.cite)


def _day(day: date) -> str:
    return PartialDate.of(day).human


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def compare_question(question: Question, site: Site, claims: Iterable[Claim] | None = None) -> Comparison:
    """Each source's answer to one question, how it stood against the references, and the verdict; `claims` may
    narrow the claims to look at."""
    as_of = site.config.as_of
    by_source: dict[str, tuple[list[AnswerValue], list[Claim], bool]] = {}
    for claim in site.claims.values() if claims is None else claims:
        if claim.draft:
            continue
        for answer in claim.answers:
            if answer.question_id == question.id:
                values, answering, complete = by_source.setdefault(claim.source_id, ([], [], False))
                values.append(answer.value)
                answering.append(claim)
                if answer.complete:
                    by_source[claim.source_id] = (values, answering, True)
    answers = []
    for source_id in sorted(by_source, key=lambda s: (site.sources[s].outlet, s)):
        values, answering, complete = by_source[source_id]
        source = site.sources[source_id]
        merged = merge_answers(values, question.type)
        reviews = [c.review.rating for c in answering if c.review]
        judged = judge_answer(question, merged, written_window(answering, source), reviews, as_of, site.countries)
        answers.append(SourceAnswer(source_id, merged, display_value(merged, question, site.countries),
                                    tuple(c.id for c in answering), judged, complete))
    reference = question.reference_on(as_of)
    reference = reference if reference is not None and reference.cite else None  # uncited: not yet known (dated.py)
    common = dict(question_id=question.id, answers=tuple(answers), reference=reference,
                  reference_display=display_value(reference.value, question, site.countries) if reference else None)
    verdict = _verdict(question, answers)
    if verdict in ("none", "only-one", "agree"):
        return Comparison(verdict=verdict, **common)
    if question.type in ("countries", "points"):
        differences = _set_differences(question, answers, site)
    else:
        differences = ["; ".join(f"{_source_label(site.sources[a.source_id])} says {a.display}" for a in answers)
                       + "."]
    return Comparison(verdict=verdict, differences=tuple(differences),
                      timing=tuple(_timing_notes(question, answers, site)), **common)


def compare_all(site: Site, keep: Keep | None = None) -> dict[str, Comparison]:
    """The comparison for every question, in the questions' order. A cache may `keep` each one: it is given the
    question's id, the claims that answer it, and how to make it."""
    # One pass over the claims, not one per question: at 2,000 questions and 20,000 claims that was 40
    # million look-ups and a fifth of the build.
    answering: dict[str, list[Claim]] = {question_id: [] for question_id in site.questions}
    for claim in site.claims.values():
        if not claim.answers:  # most claims answer no question
            continue
        for question_id in dict.fromkeys(answer.question_id for answer in claim.answers):
            answering.setdefault(question_id, []).append(claim)
    if keep is None:
        return {question_id: compare_question(question, site, answering[question_id])
                for question_id, question in site.questions.items()}
    return {question_id: keep(question_id, answering[question_id],
                              partial(compare_question, question, site, answering[question_id]))
            for question_id, question in site.questions.items()}


# A cache's keeper of comparisons: (question id, the claims that answer it, make it) -> the comparison.
Keep = Callable[[str, list[Claim], Callable[[], Comparison]], Comparison]
