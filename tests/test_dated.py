"""dated.py: a site as of a day leaves out what is dated after it, and what rests only on it, before anything is
computed from it. (tests/test_as_of.py builds the shipped site as of earlier days and reads the pages.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from builder.compare import compare_question
from builder.dated import (
    answers_on,
    article_on,
    country_as_of,
    country_on,
    is_after,
    known_by,
    later_references,
    notes_on,
    refuse_day,
    site_as_of,
)
from builder.errors import ErrorLog
from builder.model import (
    AnswerValue,
    Article,
    Change,
    Citation,
    CitedValue,
    Country,
    EarlierNote,
    Event,
    Overtaken,
    PartialDate,
    Reference,
    ReferenceValue,
    Review,
    Site,
    Support,
    TreatyFact,
)

JS01 = Citation("ref", "js01")  # the fixture's page of 18 March 2025 (with an `also` page of March 2025)
NP01 = Citation("ref", "np01")


def as_of(site: Site, day: date) -> Site:
    return replace(site, config=replace(site.config, as_of=day))


def test_a_month_or_a_year_counts_to_its_end() -> None:
    day = date(2025, 3, 15)
    assert is_after(PartialDate(2025, 3), day) and is_after(PartialDate(2025), day)
    assert not is_after(PartialDate(2025, 3, 15), day) and not is_after(PartialDate(2025, 2), day)
    assert is_after(PartialDate(2025, 3, 16), day)
    assert not is_after(None, day), "undated is never later"


def test_references_whose_page_is_dated_later_had_not_been_written(mini_site: Site) -> None:
    # js01's own page is of 18 March 2025, its `also` page of March 2025: known from the month's end.
    assert "js01" in later_references(mini_site.references, date(2025, 3, 18))
    assert "js01" not in later_references(mini_site.references, date(2025, 3, 31))


def test_a_reference_is_dated_by_every_page_and_by_what_it_tells() -> None:
    written = date(2026, 12, 4)
    page = Support("https://example.org/later", "Later", "Outlet", "It happened.", "en",
                   published=PartialDate(2026, 1))
    told = Reference("ee06", "estonia", "The withdrawal took effect on 27 December 2025.", "2025-12-27",
                     "https://example.org/mag", "MAG statement", "Today, December 27th, we mark it.", "confirmed")
    assert known_by(told, written) == date(2025, 12, 27), "no dated page: placed by the events it tells"
    assert known_by(replace(told, also=(page,)), written) == date(2026, 1, 31), "an `also` page dates it too"
    assert known_by(replace(told, published=PartialDate(2025, 7, 1)), written) == date(2025, 12, 27), (
        "what its own words state had not happened on the day of its page")
    plan = replace(told, statement="It will take effect in 2029.", value="")
    assert known_by(plan, written) == written, "the site's own build never leaves it out"
    quiet = replace(told, statement="The depositary is the Secretary-General.", value="",
                    excerpt="It was signed on 3 December 1997 and takes effect on 1 March 2030.")
    assert known_by(quiet, written) == written and known_by(replace(quiet, excerpt=""), written) is None
    dated_page = replace(quiet, published=PartialDate(2025, 7, 1))
    assert known_by(dated_page, written) == date(2025, 7, 1), "a dated page's words are bounded by its date"
    unconfirmed = Reference("ee07", "estonia", "President Alar Karis approved the law on 13 June 2025.",
                            "2025-06-13 (unconfirmed)", "", "", "", "unconfirmed")
    assert later_references({"ee07": unconfirmed}, date(2025, 3, 18), written) == {"ee07"}
    assert later_references({"ee07": unconfirmed}, date(2025, 6, 13), written) == set()
    on_its_own_date = date(2025, 12, 31)  # the site's own build: only a page dated later leaves an entry out
    assert later_references({"ee06": replace(told, also=(page,)), "plan": plan}, on_its_own_date) == {"ee06"}


def test_a_country_keeps_the_events_of_its_day_each_with_the_pages_of_its_day() -> None:
    later = {"late"}
    country = Country("pl", "Poland", "PL", events=(
        Event("signed", PartialDate(1997, 12, 3), ()),
        Event("withdrawal-recommended", PartialDate(2025, 3, 18), (JS01, Citation("ref", "late"))),
        Event("parliament-vote", PartialDate(2025, 3, 20), (Citation("ref", "late"),)),
        Event("law-signed", PartialDate(2025, 4), (JS01,)),
    ), background={"nato": CitedValue(True, (Citation("ref", "late"),)),
                   "borders": {"russia": CitedValue(True, (JS01,))}},
        never_joined=(JS01, Citation("ref", "late")))
    then = country_as_of(country, date(2025, 3, 31), later)
    assert [(e.kind, e.cite) for e in then.events] == [("signed", ()), ("withdrawal-recommended", (JS01,))], (
        "an uncited event stays; one that only a later page supports goes; a month after the day goes")
    assert then.background["nato"] is None, "a fact only a later page supports is not stated"
    assert then.background["borders"] == {"russia": CitedValue(True, (JS01,))} and then.never_joined == (JS01,)


def test_an_events_note_is_shown_only_while_every_page_it_cites_is_of_the_day() -> None:
    """Poland's notice of 20 August 2025: the ICBL's page of the 27th dates the notice, the official journal (dated
    only "2025") alone tells the denunciation of 5 August. Before the journal, the event keeps its date, kind and the
    ICBL's page, without the note that page does not carry; with an earlier wording, that one."""
    icbl, journal = Citation("ref", "icbl"), Citation("ref", "journal")
    notice = Event("instrument-deposited", PartialDate(2025, 8, 20), (icbl, journal), "Denounced on 5 August.")
    poland = Country("pl", "Poland", "PL", events=(notice,),
                     background={"nato": CitedValue(True, (JS01, journal), "Since 1999.")})
    then = country_as_of(poland, date(2025, 8, 28), {"journal"})
    assert [(e.kind, e.date, e.note, e.cite) for e in then.events] == [
        ("instrument-deposited", PartialDate(2025, 8, 20), None, (icbl,))]
    assert then.background["nato"] == CitedValue(True, (JS01,)), "a background note goes with its later page"
    worded = replace(notice, earlier=(EarlierNote(date(2025, 12, 31), "Notified on 20 August.", (icbl,)),))
    [shown] = country_as_of(replace(poland, events=(worded,)), date(2025, 8, 28), {"journal"}).events
    assert (shown.note, shown.cite) == ("Notified on 20 August.", (icbl,))
    assert country_as_of(poland, date(2025, 12, 31), set()).events == (notice,)


def test_an_event_is_worded_as_the_pages_of_its_day_word_it() -> None:
    """Ukraine's "suspension" of 18 July 2025: HRW's page of the 24th records it, the ICBL's reading came on the 25th
    and the event's note tells both. Before its own note's pages, the event shows its earlier note with that note's
    pages (it had been left out, while the references page listed HRW's report of it); before those, nothing."""
    hrw, icbl = Citation("ref", "hrw"), Citation("ref", "icbl")
    told = EarlierNote(date(2025, 7, 25), "HRW calls it unlawful.", (hrw,))
    ukraine = Country("ua", "Ukraine", "UA", events=(
        Event("in-force", PartialDate(2006, 6, 1), ()),
        Event("suspension-notified", PartialDate(2025, 7, 18), (icbl,), "HRW and the ICBL dispute it.", (told,))))
    on_24 = country_as_of(ukraine, date(2025, 7, 24), {"icbl"})
    assert [(e.note, e.cite) for e in on_24.events[1:]] == [("HRW calls it unlawful.", (hrw,))]
    on_25 = country_as_of(ukraine, date(2025, 7, 25), set())
    assert on_25.events[1].note == "HRW and the ICBL dispute it." and on_25.events[1].cite == (icbl,)
    assert len(country_as_of(ukraine, date(2025, 7, 23), {"hrw", "icbl"}).events) == 1, (
        "an event whose wording of the day rests only on later pages is left out")
    reworded = country_as_of(ukraine, date(2025, 7, 24), set())
    assert reworded.events[1].note == "HRW calls it unlawful.", "worded by its day even when no page is later"


def test_a_treaty_fact_is_worded_as_the_pages_of_its_day_word_it(mini_site: Site) -> None:
    """A count that names a later report's other date says so only from that report's day (Tonga's deposit: the
    ICBL's 25 June 2025, Matangi Tonga's 26 June, reported on 9 December)."""
    fact = TreatyFact("parties", "States Parties", "166; Matangi Tonga dates the deposit a day later", (JS01, NP01),
                      PartialDate(2025, 3, 1), (EarlierNote(date(2025, 12, 9), "166", (JS01,)),))
    site = replace(mini_site, treaty=replace(mini_site.treaty, facts=(fact,)))
    [then] = site_as_of(as_of(site, date(2025, 12, 8)), later=set()).treaty.facts
    assert (then.value, then.cite) == ("166", (JS01,))
    [own] = site_as_of(as_of(site, date(2025, 12, 9)), later=set()).treaty.facts
    assert own == fact


def test_a_treaty_fact_is_stated_only_while_every_page_it_cites_is_of_the_day(mini_site: Site) -> None:
    """Article 20's armed-conflict clause rests on HRW's page of 24 July 2025, its six months on the ISU's of 1 July:
    before the 24th the fact is not stated on the ISU's page alone (it said the clause too); its earlier wording,
    citing the ISU's page, is."""
    fact = TreatyFact("withdrawal-rule", "Withdrawal", "Six months, not during an armed conflict", (JS01, NP01))
    site = replace(mini_site, treaty=replace(mini_site.treaty, facts=(fact,)))
    assert site_as_of(as_of(site, date(2025, 7, 23)), later={"np01"}).treaty.facts == ()
    worded = replace(fact, earlier=(EarlierNote(date(2025, 7, 24), "Six months", (JS01,)),))
    site = replace(mini_site, treaty=replace(mini_site.treaty, facts=(worded,)))
    [then] = site_as_of(as_of(site, date(2025, 7, 23)), later={"np01"}).treaty.facts
    assert (then.value, then.cite) == ("Six months", (JS01,))


def test_a_country_with_nothing_later_is_the_same_object(mini_site: Site) -> None:
    poland = mini_site.countries["pl"]
    assert country_as_of(poland, date(2030, 1, 1), set()) is poland


def test_a_source_written_later_goes_with_its_claims_and_what_cites_them(mini_site: Site) -> None:
    day = date(2025, 3, 31)  # the wire wrote on 18 March, the Daily Ledger between 2 and 10 April
    site = as_of(replace(mini_site, changes=(Change("ledger", date(2025, 4, 3), "source", "The Ledger.",
                                                     (Citation("claim", "daily-finland"),)),
                                              Change("wire", date(2025, 3, 20), "source", "The wire.",
                                                     (Citation("claim", "wire-four"),)))), day)
    then = site_as_of(site)
    assert set(then.sources) == {"wire"}
    assert {c.source_id for c in then.claims.values()} == {"wire"}
    assert [s.date for s in then.summary] == [PartialDate(2025, 3, 18)], "later sentences are not yet said"
    assert [c.text for c in then.changes] == ["The wire."]
    assert [f.id for f in then.treaty.facts] == [f.id for f in mini_site.treaty.facts], "all dated long before"


def test_a_review_resting_on_a_later_page_is_unchecked_and_the_page_is_not_listed(mini_site: Site) -> None:
    references = dict(mini_site.references)
    references["np01"] = replace(references["np01"], published=PartialDate(2025, 12))
    then = site_as_of(as_of(replace(mini_site, references=references), date(2025, 6, 1)))
    assert "np01" not in then.references
    review = then.claims["wire-never-joined"].review
    assert review == Review("unchecked", "Not checked as of 1 June 2025: the references that settle it are dated "
                            "later.", ())
    assert then.claims["wire-four"].review == mini_site.claims["wire-four"].review, "js01 was written by then"
    assert mini_site.questions["who-never-joined"].references[0].cite == (NP01,)
    assert then.questions["who-never-joined"].references == (), "an answer whose every page is later is none yet"


def test_an_unchecked_review_citing_a_later_page_is_not_said_to_be_settled_by_it(mini_site: Site) -> None:
    """A review left unchecked may cite pages that bear on it without settling it: before those pages, it is not
    checked, and nothing says later pages settle it (nor tells what they hold)."""
    references = dict(mini_site.references)
    references["np01"] = replace(references["np01"], published=PartialDate(2025, 12))
    claims = dict(mini_site.claims)
    claims["wire-four"] = replace(claims["wire-four"], review=Review(
        "unchecked", "No reference settles it; NP01 says something near it.", (NP01,)))
    then = site_as_of(as_of(replace(mini_site, references=references, claims=claims), date(2025, 6, 1)))
    assert then.claims["wire-four"].review == Review("unchecked", "Not checked as of 1 June 2025.", ())


def test_an_earlier_check_keeps_what_overtook_the_claim_by_that_day(mini_site: Site) -> None:
    """A review resting on a later page shows its `earlier` check; what overtook the claim, told by pages of the day,
    is kept with it (the earlier check has no `overtaken` of its own), else the page would say nothing changed."""
    references = dict(mini_site.references)
    references["np01"] = replace(references["np01"], published=PartialDate(2025, 12))
    overtaken = Overtaken(PartialDate(2025, 4, 1), "Finland announced.", (JS01,))
    earlier = Review("accurate", "Right by the joint statement.", (JS01,))
    claims = dict(mini_site.claims)
    claims["wire-four"] = replace(claims["wire-four"], review=Review(
        "accurate", "Right by both.", (JS01, NP01), overtaken, earlier))
    then = site_as_of(as_of(replace(mini_site, references=references, claims=claims), date(2025, 6, 1)))
    assert then.claims["wire-four"].review == replace(earlier, overtaken=overtaken)


def test_a_site_with_nothing_later_is_the_same_object(mini_site: Site) -> None:
    assert site_as_of(mini_site) is mini_site


def test_an_answer_whose_every_page_is_later_is_not_checked_nor_the_references_answer_shown(mini_site: Site
                                                                                           ) -> None:
    references = dict(mini_site.references)
    references["np01"] = replace(references["np01"], published=PartialDate(2025, 12))
    then = site_as_of(as_of(replace(mini_site, references=references), date(2025, 6, 1)))
    compared = compare_question(then.questions["who-never-joined"], then)
    # The day's references give no answer: the answer is judged by none, as where no reference answers (its claim's
    # review says it is not checked as of that day).
    assert [a.judgement for a in compared.answers] == [None] * len(compared.answers) and compared.answers
    assert compared.reference is None and compared.reference_display is None
    assert then.claims["wire-never-joined"].review is not None
    assert then.claims["wire-never-joined"].review.rating == "unchecked"
    now = compare_question(mini_site.questions["who-never-joined"], mini_site)
    assert now.reference is not None and {a.judgement.key for a in now.answers if a.judgement} <= {
        "right", "overtaken", "incomplete"}


def test_a_status_that_only_later_pages_record_is_not_told(mini_site: Site) -> None:
    """A step no page of the day records leaves no trace, not even its date (it was "not established since 27 June"
    in a build of 1 October); the status is the one the recorded steps give, the step awaited told as their silence."""
    from builder.status import with_statuses

    rules = mini_site.rules
    assert rules is not None
    late, early = Citation("ref", "late"), Citation("ref", "early")
    estonia = Country("ee", "Estonia", "EE", events=(
        Event("in-force", PartialDate(2004, 11, 1), (early,)),
        Event("withdrawal-recommended", PartialDate(2025, 3, 18), (early,)),
        Event("parliament-vote", PartialDate(2025, 6, 4), (late,)),
        Event("instrument-deposited", PartialDate(2025, 6, 27), (late,))))
    voted = country_on(estonia, date(2025, 6, 10), {"late"}, rules)
    assert (voted.status_today.key, voted.status_today.since) == ("announced", PartialDate(2025, 3, 18))
    then = country_on(estonia, date(2025, 10, 1), {"late"}, rules)
    silence = ("Withdrawal recommended on 18 March 2025; the references dated by 1 October 2025 record no "
               "instrument of withdrawal deposited.")
    assert (then.status_today.key, then.status_today.since, then.status_today.explanation) == (
        "announced", PartialDate(2025, 3, 18), silence)
    assert [(s.key, s.on, s.explanation) for s in then.status_history][-2:] == [
        ("party", date(2004, 11, 1), "The Convention has been in force for it since 1 November 2004."),
        ("announced", date(2025, 3, 18), silence)], "no row of 27 June, the day only later pages tell"
    assert country_on(estonia, date(2025, 10, 1), set(), rules) == with_statuses(estonia, date(2025, 10, 1),
                                                                                  rules)
    recorded = country_on(estonia, date(2025, 10, 1), {"other"}, rules)
    assert recorded.status_today.key == "pending" and recorded.status_history[-1].key == "pending"
    assert [s.explanation for s in recorded.status_history if s.key == "announced"] == [
        "Withdrawal recommended on 18 March 2025; no instrument of withdrawal deposited yet.",
        "Parliament vote on 4 June 2025; no instrument of withdrawal deposited yet."], (
        "a row followed by a recorded step keeps its own words: the next row tells what came")
    joining = Country("xa", "Example", "XA", events=(Event("signed", PartialDate(1997, 12, 3), (early,)),
                                                     Event("in-force", PartialDate(1999, 3, 1), (late,))))
    signed = country_on(joining, date(2000, 1, 1), {"late"}, rules).status_today
    assert (signed.key, signed.explanation) == ("signed", "Signed the Convention on 3 December 1997; the references "
                                                "dated by 1 January 2000 record no entry into force."), signed


def test_the_methodology_says_on_a_day_only_what_that_day_knew() -> None:
    """Each earlier wording replaces its passage on the days before its date, in order: a passage's wordings oldest
    first, a passage holding another before it; one that says nothing takes its whole list item out."""
    from builder.dated import methodology_on
    from builder.model import EarlierText

    body = ("Five states left the treaty.\n\n- **Right**: it was right. For example, the\n  Post on Ukraine "
            "[ref:ua06].\n- **Wrong**: it was not.\n- **Late**: written\n  in April.\n")
    earlier = (EarlierText(date(2025, 3, 18), "Five states left", "The states are"),
               EarlierText(date(2025, 4, 1), "Five states left", "Four states are leaving"),
               EarlierText(date(2025, 4, 1), "- **Late**: written in April.", ""),
               EarlierText(date(2025, 7, 25), "For example, the Post on Ukraine [ref:ua06].", ""))
    assert methodology_on(body, earlier, date(2025, 7, 25)) == body
    assert methodology_on(body, earlier, date(2025, 7, 24)) == body.replace(
        " For example, the\n  Post on Ukraine [ref:ua06].", " ")
    assert methodology_on(body, earlier, date(2025, 3, 31)) == (
        "Four states are leaving the treaty.\n\n- **Right**: it was right. \n- **Wrong**: it was not.\n")
    assert methodology_on(body, earlier, date(2025, 3, 1)).startswith("The states are the treaty.")


def test_the_references_answers_of_a_later_day_are_left_out() -> None:
    """An answer in force only from a later day, or whose every page is later, is no answer yet (data/site.json told
    Ukraine's "suspension" of 18 July 2025 in every build before it); one with a page of the day keeps that page."""
    yes = ReferenceValue(None, AnswerValue(text="Yes"), (NP01,), "Since 2006.")
    later = ReferenceValue(date(2025, 7, 18), AnswerValue(text="Contested"), (JS01,), "On 18 July 2025 ...", True)
    both = replace(later, cite=(NP01, JS01))
    day = date(2025, 7, 20)
    assert answers_on((yes, later), date(2025, 7, 17), set()) == (yes,), "in force only from 18 July"
    assert answers_on((yes, later), day, {"js01"}) == (yes,), "its every page is later"
    assert answers_on((yes, both), day, {"js01"}) == (yes, replace(both, cite=(NP01,), note=None)), (
        "its note rests on both pages: not shown on one")
    assert answers_on((yes, later), day, set()) == (yes, later)


def test_an_article_says_in_plain_words_only_what_a_page_of_its_day_supports() -> None:
    """Article 17's summary ("entered into force on 1 March 1999") rests on a page of 2005: before it, the article's
    text alone; its text is the agreement's own."""
    article = Article("17", "Entry into force", "This Convention shall enter into force ...", "It entered into "
                      "force on 1 March 1999.", (JS01, NP01))
    day = date(2025, 7, 23)
    assert article_on(article, day, set()) is article
    assert article_on(article, day, {"js01"}) == replace(article, summary="", cite=()), "one of its pages is later"
    assert article_on(article, day, {"js01", "np01"}) == replace(article, summary="", cite=())
    worded = replace(article, earlier=(EarlierNote(date(2025, 7, 24), "It is in force.", (NP01,)),))
    assert article_on(worded, day, {"js01"}) == replace(article, summary="It is in force.", cite=(NP01,))
    assert article_on(worded, date(2025, 7, 24), set()) == worded


def test_the_treaty_texts_notes_naming_a_later_date_are_left_out() -> None:
    text = ("# The Convention\n\nNotes on this copy:\n\n- Kept as stored.\n- Two slips:\n  - JURIST, 2025-12: "
            "\"...\"\n  - AFP, 2025-06-29: \"...\"\n- Another copy.\n\n---\n\n## Article 15\n\ndone at Oslo on 18 "
            "September 1997")
    assert notes_on(text, date(2025, 12, 31)) == text
    assert notes_on(text, date(2025, 12, 30)) == text.replace(
        "- Two slips:\n  - JURIST, 2025-12: \"...\"\n  - AFP, 2025-06-29: \"...\"\n", "")
    assert notes_on("No notes, 18 September 1997.", date(1997, 9, 18)) == "No notes, 18 September 1997."


def test_a_day_before_the_agreement_is_refused() -> None:
    """No build as of a day before the agreement's first dated fact (its adoption; a year counts to its end): its
    text, articles and names would tell of an agreement that did not yet exist."""
    facts = (TreatyFact("rule", "Depositary", "The UN", ()),
             TreatyFact("prize", "Prize", "1997", (), PartialDate(1997)),
             TreatyFact("adopted", "Adopted", "18 September 1997", (), PartialDate(1997, 9, 18)))
    log = ErrorLog()
    refuse_day(date(1997, 9, 18), facts, None, log)
    refuse_day(date(1997, 9, 18), facts[:1], None, log)
    assert not log
    refuse_day(date(1997, 9, 17), facts, None, log)
    assert [(e.src_path, e.message, e.hint) for e in log.errors] == [(
        "content/treaty.yaml", "the site is built as of 1997-09-17, before the agreement's first dated fact, "
        "'Adopted' (1997-09-18)", "build as of 1997-09-18 or later (--as-of): before it there was no agreement to "
        "explain")]
