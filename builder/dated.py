"""The site as of its date: nothing dated after it is shown, so a build as of an earlier day tells that day's truth.

Events, treaty facts, summary sentences and change-log entries carry dates; sources carry a publication window,
and references the dates of their pages and of what they tell (known_by). What lies after the site's date is left
out here, once, before anything is computed from it (statuses, comparisons, the pages): a page published later is
not cited, a fact that only later pages support is not stated, a status they alone record is not told, and
a review or an answer that rests on a later page is not shown as a check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import replace
from datetime import date
from typing import TypeVar

from .errors import ErrorLog
from .load import Node
from .model import (
    MONTHS,
    Article,
    Citation,
    CitedValue,
    Claim,
    Country,
    DateWindow,
    Dating,
    EarlierText,
    EarlierWords,
    Event,
    Overtaken,
    PartialDate,
    Reference,
    ReferenceValue,
    Review,
    Site,
    SiteConfig,
    Source,
    TreatyFact,
)
from .rules import Rules
from .status import with_statuses


def is_after(when: PartialDate | None, day: date) -> bool:
    """Whether something dated `when` may have happened after `day` (a month or year counts to its end)."""
    return when is not None and when.last > day


# A date as a reference's words give it: 2025-06-27 or 2025-06, 27 June 2025, June 27, 2025, June 2025 (or Jun),
# or 2025.
_NAMED = "|".join([*MONTHS, "Sept", *(month[:3] for month in MONTHS)])  # a full name first: "March", not "Mar"
_TOLD = re.compile(rf"\b(\d{{4}})-(\d{{2}})(?:-(\d{{2}}))?\b|\b(\d{{1,2}}) ({_NAMED}) (\d{{4}})\b"
                   rf"|\b({_NAMED}) (\d{{1,2}}), (\d{{4}})\b|\b({_NAMED}) (\d{{4}})\b|\b((?:19|20)\d{{2}})\b")


def _told(text: str) -> Iterator[PartialDate]:
    """The dates a text names, each as precisely as it names it."""
    for match in _TOLD.finditer(text):
        iso_y, iso_m, iso_d, d1, m1, y1, m2, d2, y2, m3, y3, year = match.groups()
        try:
            if iso_y:
                told = PartialDate(int(iso_y), int(iso_m), int(iso_d) if iso_d else None)
            elif d1 or d2:
                told = PartialDate(int(y1 or y2), _month(m1 or m2), int(d1 or d2))
            else:
                told = PartialDate(int(y3 or year), _month(m3) if m3 else None)
            told.last  # noqa: B018 -- refuses a month or day the calendar has not
        except ValueError:
            continue
        yield told


def _month(name: str) -> int:
    return [month[:3] for month in MONTHS].index(name[:3]) + 1


def _pages(reference: Reference) -> tuple[Reference, ...]:
    """The pages a reference's entry rests on: its own and its `also` pages."""
    return (reference, *reference.also)


def known_by(reference: Reference, written: date) -> date | None:
    """The first day the reference's entry can be shown on (None: any day). `written` is the site's own date.

    The entry rests on every page it lists, so it is dated by the newest of them, its `also` pages too; and it
    states what its statement and value say, so it is dated by the newest date they name (a month or a year counts
    to its end): a build as of an earlier day cites no page not yet written and states nothing not yet happened.
    A page with no date cannot be placed before the site's date, so an entry with no dated page is placed only by
    the events it tells, those its pages' titles, excerpts and translations name too (a dated page's own words are
    bounded by its date: in July it may say what will happen in January). A date named after the site's own is
    counted as that date, so the site's own build never leaves an entry out; an entry that names no date and has no
    dated page tells nothing a day could contradict, and stays."""
    pages = _pages(reference)
    dated = [page.published.last for page in pages if page.published is not None]
    words = [reference.statement, reference.value]
    if not dated:
        words += [f"{page.title} {page.excerpt} {page.translation}" for page in pages]
    told = [day.last for day in _told(" ".join(words))]
    return max(dated + ([min(max(told), written)] if told else []), default=None)


def later_references(references: dict[str, Reference], day: date, written: date | None = None) -> set[str]:
    """The references not yet known on `day` (known_by; `written`: the site's own date, default `day`): on that
    day a page they rest on had not been written, or what they tell had not happened."""
    written = written or day
    if written <= day:  # the dates an entry's words name count as the site's own at the latest: only its pages
        return {ref_id for ref_id, reference in references.items()
                if any(is_after(page.published, day) for page in _pages(reference))}
    return {ref_id for ref_id, reference in references.items()
            if (known := known_by(reference, written)) is not None and known > day}


def earlier(cites: tuple[Citation, ...], later: Set[str]) -> tuple[Citation, ...]:
    return tuple(c for c in cites if not (c.kind == "ref" and c.id in later))


def _still_cited(value: CitedValue | None, later: Set[str]) -> CitedValue | None:
    """A cited value with only the citations of its day; none if only later pages support it. Its note, like any
    cited words (_whole), only while every page it cites is of the day."""
    if value is None or not value.cite:
        return value
    cites = earlier(value.cite, later)
    if not cites:
        return None
    return value if cites == value.cite else replace(value, cite=cites, note=None)


Worded = TypeVar("Worded", Event, TreatyFact, ReferenceValue, Article, Overtaken)


def worded_on(record: Worded, field: str, day: date) -> Worded:
    """The record as a build as of `day` words it: its `field` (an event's note, a fact's value, an answer's note,
    an article's summary, what overtook a claim) and citations from the earlier wording not yet ended, where its
    own names a later page's words (Ukraine's "suspension", told by HRW on 24 July 2025 and by the ICBL the next
    day); else as it is. An event's wording may date it only as on or before a day (`by`: Latvia's notice of 27
    June 2025, which the pages of the next six months say had been given by 29 June): its own date is a later
    page's."""
    wording = next((wording for wording in record.earlier if day < wording.before), None)
    if wording is None:
        return record
    dated = {"date": replace(PartialDate.of(wording.by), by=True)} if wording.by else {}
    return replace(record, **{field: wording.text}, cite=wording.cite, earlier=(), **dated)  # type: ignore[misc]


def _whole(cites: tuple[Citation, ...], later: Set[str]) -> bool:
    """Whether cited words may be shown on the day: only if every page they cite is of it. Words resting on several
    pages say what those pages say together, so with one left out they would state what no page of the day says
    (Poland's denunciation of 5 August 2025, told by the official journal alone, under the ICBL's report of the
    notice); an `earlier` wording says what the day's pages say. The record itself, dated and cited by the pages
    of its day, is still shown: a true fact is not hidden on its own day, only words its pages do not carry."""
    return not _later(cites, later)


def country_as_of(country: Country, day: date, later: set[str]) -> Country:
    """The country with only the events dated by `day`, each worded as that day's pages word it (worded_on) and
    resting on them (an event that only later pages support is left out; one that some do keeps its date and kind,
    and its note only where all its pages are of the day: _whole), before its statuses are computed."""
    events = []
    for own in country.events:
        event = worded_on(own, "note", day)
        cites = earlier(event.cite, later)
        if not is_after(event.date, day) and (cites or not event.cite):
            events.append(event if cites == event.cite else replace(event, cite=cites, note=None))
    if not later and events == list(country.events):
        return country
    background = {key: {k: v for k, v in ((k, _still_cited(v, later)) for k, v in value.items()) if v}
                  if isinstance(value, dict) else _still_cited(value, later)
                  for key, value in country.background.items()}
    return replace(country, events=tuple(events), background=background,
                   never_joined=earlier(country.never_joined, later) if country.never_joined else ())


def country_on(country: Country, day: date, later: set[str], rules: Rules) -> Country:
    """The country as of `day` (country_as_of) with its statuses as the pages of that day record them.

    An event that only later pages record was not known on the day: like any later page, it leaves no trace (no
    status it would have begun, no "not established" dated by it, which would tell its date before any page did).
    The status in force is the one the recorded events give, and a step it still awaits is told as their silence
    ("the references dated by DAY record no instrument of withdrawal deposited"), not as "none yet": a later page
    may record one of that day."""
    known = country_as_of(country, day, later)
    return with_statuses(known, day, rules, recorded_by=day if later else None)


def undated_by(references: dict[str, Reference], later: Set[str], day: date) -> dict[str, PartialDate]:
    """The later references whose pages are dated only by a month or a year that holds `day` (JS04, "April 2025",
    as of 16 April 2025): not known to be out by then, nor known to be later. Each with that date."""
    found = {}
    for ref_id in later:
        reference = references[ref_id]
        dates = [page.published for page in _pages(reference) if page.published is not None]
        told = _told(f"{reference.statement} {reference.value}")  # what it tells may be known to be later
        if dates and all(when.first <= day for when in dates) and all(when.first <= day for when in told):
            found[ref_id] = max(dates, key=lambda when: when.last)
    return found


def _review_as_of(review: Review | None, day: date, later: set[str],
                  undated: dict[str, PartialDate] | None = None) -> Review | None:
    """A review that rests on a page written after `day` was not possible on that day: its `earlier` check is
    shown if that one's pages are of the day, else none. What overtook or disputed it is not told before a page
    of the day does, and is told in the words of the day's pages (its earlier wording, as an event's note)."""
    if review is not None and review.overtaken is not None and review.overtaken.earlier:
        review = replace(review, overtaken=worded_on(review.overtaken, "says", day))
    if review is not None and review.overtaken is not None and _later(review.overtaken.cite, later):
        review = replace(review, overtaken=None)
    if review is None or not _rests_on(review, later):
        return review
    if review.earlier is not None and not _rests_on(review.earlier, later):
        if review.overtaken is not None and review.earlier.rating in ("accurate", "imprecise"):
            return replace(review.earlier, overtaken=review.overtaken)  # what overtook it is of the day
        return review.earlier
    if review.rating == "unchecked":  # its later pages settle nothing: its reason, which tells them, waits for them
        return Review("unchecked", f"Not checked as of {PartialDate.of(day).human}.", ())
    pending = {c.id for c in review.cite if c.kind == "ref" and c.id in later}
    if undated and pending <= set(undated):  # a month that holds the day is not "later"
        months = sorted({undated[ref_id].human for ref_id in pending})
        return Review("unchecked", f"Not checked as of {PartialDate.of(day).human}: the references that settle it "
                      f"rest on {'a page' if len(months) == 1 else 'pages'} dated {' and '.join(months)}, not known "
                      "to be out by then.", ())
    return Review("unchecked", f"Not checked as of {PartialDate.of(day).human}: the references that settle it "
                  "are dated later.", ())


def _rests_on(review: Review, later: set[str]) -> bool:
    return _later(review.cite, later)


def _later(cites: tuple[Citation, ...], later: set[str]) -> bool:
    return any(c.kind == "ref" and c.id in later for c in cites)


def words_on(config: SiteConfig, earlier: tuple[EarlierWords, ...]) -> SiteConfig:
    """The site's tagline and description as of its date: the first earlier words not yet ended, else its own."""
    for words in earlier:
        if config.as_of < words.before:
            return replace(config, tagline=words.tagline, description=words.description)
    return config


def _passage_pattern(text: str) -> re.Pattern[str]:
    """A passage as an earlier wording names it: its words in order, any run of white space matching any other."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def methodology_on(body: str, earlier: tuple[EarlierText, ...], day: date) -> str:
    """The methodology as of `day`: each earlier wording not yet ended replaces its passage, in their order (a
    passage an earlier wording above has already replaced is left as that one says); one that says nothing takes
    out its passage, and the line break after it where it fills whole lines (a list item, a paragraph's line)."""
    for wording in earlier:
        if day >= wording.before:
            continue
        found = _passage_pattern(wording.text).search(body)
        if found is None:
            continue
        start, end = found.span()
        if not wording.says and body[end:end + 1] == "\n" and (start == 0 or body[start - 1] == "\n"):
            end += 1
        body = body[:start] + wording.says + body[end:]
    return body


def answers_on(answers: tuple[ReferenceValue, ...], day: date, later: Set[str]) -> tuple[ReferenceValue, ...]:
    """The references' answers to a question as of `day`, each with the citations of its day: one in force only
    from a later day, or whose every page is later, was no answer yet (compare.judge_answer then judges by the one
    before it, and data/site.json does not tell it); one that some later pages support has no note (_whole)."""
    found = []
    for own in answers:
        answer = worded_on(own, "note", day)
        cites = earlier(answer.cite, later)
        if (answer.since is None or answer.since <= day) and (cites or not answer.cite):
            found.append(answer if cites == answer.cite else replace(answer, cite=cites, note=None))  # _whole
    return tuple(found)


def article_on(article: Article, day: date, later: Set[str]) -> Article:
    """An article as of a day: its text (the agreement's own words, dated by its adoption) and its summary in
    plain words (or the earlier wording of the day) only while the pages it cites are of the day, as a treaty fact
    is (Article 17's "entered into force on 1 March 1999" rests on a page of 2005); else the article's text alone."""
    article = worded_on(article, "summary", day)
    if _whole(article.cite, later):
        return article
    return replace(article, summary="", cite=())


def notes_on(text: str, day: date) -> str:
    """The stored treaty text as of `day`: each paragraph or list item of its notes (above its first `---` line; a
    line not indented, with the indented lines under it) that names a later date is left out (the copy's notes
    cite pages of June and December 2025). The articles below are the agreement's own words."""
    head, rule, body = text.partition("\n---\n")
    if not rule:
        return text
    blocks: list[list[str]] = []
    for line in head.split("\n"):
        if blocks and line[:1].isspace():
            blocks[-1].append(line)
        else:
            blocks.append([line])
    kept = ["\n".join(block) for block in blocks if not any(is_after(told, day) for told in _told("\n".join(block)))]
    return "\n".join(kept) + rule + body


def first_fact(facts: tuple[TreatyFact, ...]) -> tuple[TreatyFact, date] | None:
    """The agreement's first dated fact and the day it had happened by (a month or a year counts to its end)."""
    dated = [(f, f.date.last) for f in facts if f.date is not None]
    return min(dated, key=lambda pair: pair[1], default=None)


def refuse_day(day: date, facts: tuple[TreatyFact, ...], node: Node | None, log: ErrorLog) -> None:
    """Refuse a build as of a day before the agreement's first dated fact (its adoption): there was no agreement
    to tell of, and its text, articles and names would tell of it."""
    first = first_fact(facts)
    if first is None or day >= first[1]:
        return
    fact, by = first
    where = node
    listed = node.value.get("facts") if node is not None and isinstance(node.value, dict) else None
    for item in listed.value if listed is not None and isinstance(listed.value, list) else ():
        if isinstance(item.value, dict) and getattr(item.value.get("id"), "value", None) == fact.id:
            where = item.value.get("date", item)
    log.add(where.src_path if where else "content/treaty.yaml", where.line if where else 1,
            where.column if where else 1,
            f"the site is built as of {day}, before the agreement's first dated fact, '{fact.label}' "
            f"({fact.date.iso if fact.date else by})",
            f"build as of {by} or later (--as-of): before it there was no agreement to explain")


def retrieved_on(source: Source, day: date) -> Source:
    """The source as a build as of `day`, before the site's own date, shows it: a copy retrieved after the day, by its
    dates or by those its note names ("added to the site's sources on ..."), shows no retrieval, as on that day the
    copy had not been made. (The site's own build shows what the editor wrote.)"""
    dating = source.retrieved
    named = [d for d in (dating.window.not_before, dating.window.not_after) if d] + [
        told.last for told in _told(dating.how)]  # a month named may end after the day
    if not any(d > day for d in named):
        return source
    return replace(source, retrieved=Dating(DateWindow(), ""))


def site_as_of(site: Site, later: Set[str] | None = None) -> Site:
    """The site without what is dated after its date: sources written later (with their claims), the references
    not yet known (`later`, else later_references: the reviews, summary sentences and article summaries that rest
    on them, and their citations elsewhere), the references' answers to the questions not yet in force or not yet
    known (answers_on), the summary sentences and treaty facts dated later, the notes of the stored treaty text
    that name a later date, and the sentences and change-log entries that cite a claim left out. (Countries' events
    are left out before their statuses are computed, by country_on.)"""
    day = site.config.as_of
    later = set(later_references(site.references, day) if later is None else later)
    sources = {k: s for k, s in site.sources.items()
               if not (s.published.window.not_before and s.published.window.not_before > day)}
    claims: dict[str, Claim] = {}
    if not later:  # no review rests on a later page: only the claims of the sources left out go
        claims = site.claims if len(sources) == len(site.sources) else {
            claim_id: claim for claim_id, claim in site.claims.items() if claim.source_id in sources}
    else:
        undated = undated_by(site.references, later, day)
        for claim_id, claim in site.claims.items():
            if claim.source_id in sources:
                review = _review_as_of(claim.review, day, later, undated)
                claims[claim_id] = claim if review is claim.review else replace(claim, review=review)

    def known(citation: Citation) -> bool:
        return citation.id in claims if citation.kind == "claim" else citation.id not in later

    summary = tuple(s for s in site.summary if not is_after(s.date, day) and all(known(c) for c in s.cite))
    facts = tuple(f for f in (worded_on(fact, "value", day) for fact in site.treaty.facts)
                  if not is_after(f.date, day) and _whole(f.cite, later))
    changes = tuple(c for c in site.changes if c.date <= day and all(known(x) for x in c.cite))
    shown = {c.id for c in changes}  # an entry refers only to those shown with it (`see`), in pages and downloads
    changes = tuple(replace(c, see=tuple(i for i in c.see if i in shown)) if set(c.see) - shown else c for c in changes)
    answers = {k: answers_on(q.references, day, later) for k, q in site.questions.items()}
    treaty_text = notes_on(site.treaty_text, day)
    kept = (len(sources), len(claims), len(summary), len(facts), len(changes), *map(len, answers.values()))
    whole = (len(site.sources), len(site.claims), len(site.summary), len(site.treaty.facts), len(site.changes),
             *(len(q.references) for q in site.questions.values()))
    articles = tuple(article_on(a, day, later) for a in site.treaty.articles)
    if (not later and kept == whole and treaty_text == site.treaty_text and facts == site.treaty.facts
            and articles == site.treaty.articles):
        return site
    questions = {k: replace(q, references=answers[k]) for k, q in site.questions.items()}
    references = {k: r for k, r in site.references.items() if k not in later}
    treaty = replace(site.treaty, facts=facts, articles=articles)
    return replace(site, sources=sources, claims=claims, summary=summary, changes=changes, questions=questions,
                   references=references, treaty=treaty, treaty_text=treaty_text)
