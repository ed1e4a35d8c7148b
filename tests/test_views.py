"""views.py: what templates receive, and the rules that decide it: which countries are leaving, how a citation is
linked, how an answer or a quote is shortened, how claims are numbered."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from builder.model import (
    AnswerValue,
    Citation,
    CitedValue,
    Country,
    DateWindow,
    Dating,
    Event,
    PartialDate,
    Question,
    Site,
    SourceAnswer,
)
from builder.views import (
    Citer,
    Link,
    PageView,
    article_lines,
    claim_numbers,
    clip,
    country_groups,
    is_contested,
    is_leaving,
    more_pages,
    newest_event,
    or_list,
    published_text,
    restates,
    rules_of,
    short_answer,
    visible_claims,
)

JS01, WIRE_FOUR = Citation("ref", "js01"), Citation("claim", "wire-four")


def country(*kinds: str, conflict: bool = False) -> Country:
    return Country("xx", "Exampleland", "XX", tuple(Event(k, PartialDate(2025, 3, 18), ()) for k in kinds),
                   background={"armed_conflict": CitedValue(True, ()) if conflict else None})


def test_countries_are_grouped_leaving_contested_and_others(mini_site: Site) -> None:
    groups = country_groups(mini_site)
    assert [c.id for c in groups["leaving"]] == ["ee", "fi", "lv", "lt", "pl"]
    assert [c.id for c in groups["contested"]] == ["ua"]
    assert {c.id for c in groups["others"]} == {"cn", "ru", "us"}


def test_a_step_out_under_article_20_is_leaving_another_path_is_contested(mini_site: Site) -> None:
    rules = rules_of(mini_site)
    assert rules.blocked_by == "armed_conflict"
    assert is_leaving(country("signed", "withdrawal-announced"), rules)
    assert not is_contested(country("law-signed"), rules)
    suspended = country("suspension-notified")
    assert is_contested(suspended, rules) and not is_leaving(suspended, rules)
    at_war = country("withdrawal-announced", conflict=True)
    assert is_contested(at_war, rules) and not is_leaving(at_war, rules), "steps taken during an armed conflict"
    assert not is_leaving(country("signed", "ratified"), rules)
    assert not is_contested(country("signed", conflict=True), rules)


def test_short_answers_keep_a_few_words(mini_site: Site) -> None:
    question = Question("why", "Why?", "points", {"a": "The threat from Russia (and Belarus)", "b": "Deterrence",
                                                  "c": "Flexibility"})
    many = SourceAnswer("s", AnswerValue(items=("a", "b", "c")), "The threat from Russia (and Belarus); "
                        "Deterrence; Flexibility", ())
    assert short_answer(many, question, mini_site.countries) == "The threat from Russia + 2 more"
    text = Question("t", "T?", "text")
    long = SourceAnswer("s", AnswerValue(text="word " * 20), "word " * 20, ())
    assert short_answer(long, text, mini_site.countries) == ("word " * 8).strip() + "\u2026"
    short = SourceAnswer("s", AnswerValue(text="Yes"), "Yes", ())
    assert short_answer(short, text, mini_site.countries) == "Yes"


def test_countries_in_a_short_answer_are_sorted_before_the_first_is_kept(mini_site: Site) -> None:
    question = Question("which", "Which?", "countries")
    answer = SourceAnswer("s", AnswerValue(items=("pl", "ee", "lv")), "Poland, Estonia, Latvia and more words "
                          "than fit in the grid", ())
    assert short_answer(answer, question, mini_site.countries) == "Estonia + 2 more"


def test_clip_cuts_at_a_word_and_says_so() -> None:
    assert clip("short enough", 12) == "short enough"
    assert clip("one two, three four", 10) == "one two\u2026", "the comma before the cut goes too"
    assert clip("one two three", 9) == "one two\u2026"


def test_plain_words_that_mostly_repeat_the_quote_restate_it() -> None:
    assert restates("Poland will leave the Convention", "Poland will leave the convention.")
    assert not restates("We need mines", "The minister says the army needs anti-personnel mines again.")
    assert not restates("anything", ""), "no words, nothing restated"


def test_lists_read_as_a_sentence() -> None:
    assert [or_list([]), or_list(["a"]), or_list(["a", "b"]), or_list(["a", "b", "c"])] == [
        "", "a", "a or b", "a, b or c"]


def test_an_articles_lines_keep_their_depth() -> None:
    lines = article_lines("1. Each State Party\n    a) never to use\n        (i) nor\n\n    b) never to develop\n")
    assert [(line.text, line.level) for line in lines] == [
        ("1. Each State Party", 0), ("a) never to use", 1), ("(i) nor", 2), ("b) never to develop", 1)]


def test_citations_become_links_once_each_and_the_references_page_learns_where(mini_site: Site) -> None:
    citer = Citer(mini_site, current=Link("/mini/", "Home"))
    links = citer.links([JS01, WIRE_FOUR, JS01, Citation("claim", "left-out-by-date")])
    assert [(c.kind, c.href, c.text) for c in links] == [
        ("ref", "/mini/references/#ref-js01", "JS01"),
        ("claim", "/mini/sources/wire/#claim-wire-four", "Northern Wire, reporting")]
    citer.links([JS01])
    citer.current = Link("/mini/treaty/", "The treaty")
    citer.links([JS01])
    assert [link.href for link in citer.cited_on["js01"]] == ["/mini/", "/mini/treaty/"], "each page once"


def test_recording_citations_learns_what_making_their_links_learns(mini_site: Site) -> None:
    cites = [JS01, WIRE_FOUR, JS01, Citation("claim", "left-out-by-date"), Citation("ref", "no-such-reference")]
    linking, recording = Citer(mini_site), Citer(mini_site)
    for current in (None, Link("/mini/", "Home"), Link("/mini/treaty/", "The treaty"), Link("/mini/", "Home")):
        linking.current = recording.current = current
        linking.links(cites)
        recording.record(recording.references_in(cites))
    assert recording.cited_on == linking.cited_on and recording.recorded == linking.recorded
    assert [link.href for link in recording.cited_on["js01"]] == ["/mini/", "/mini/treaty/"]


def test_an_inferred_publication_date_is_never_given_as_a_plain_fact(mini_site: Site) -> None:
    wire = mini_site.sources["wire"]
    assert published_text(wire) == "published 18 March 2025"
    window = Dating(DateWindow(date(2025, 4, 2), date(2025, 4, 10)), "inferred")
    assert published_text(replace(wire, published=window)) == (
        "undated: by inference, published between 2 April 2025 and 10 April 2025")


def test_claims_are_numbered_in_each_sources_order_without_drafts(mini_site: Site) -> None:
    numbers = claim_numbers(mini_site)
    assert "daily-draft" not in numbers and "daily-draft" not in [c.id for c in visible_claims(mini_site)]
    for source_id in mini_site.sources:
        claims = [c for c in visible_claims(mini_site) if c.source_id == source_id]
        assert [c.span for c in claims] == sorted(c.span for c in claims)
        assert [numbers[c.id] for c in claims] == list(range(1, len(claims) + 1))


def test_the_newest_event_is_the_latest_by_the_site_date(mini_site: Site) -> None:
    assert newest_event(mini_site) == PartialDate(2025, 12, 27)
    earlier = replace(mini_site, config=replace(mini_site.config, as_of=date(2025, 7, 1)))
    assert newest_event(earlier) == PartialDate(2025, 6, 29)


def test_the_newest_event_is_found_among_events_known_to_the_month_and_to_the_day(mini_site: Site) -> None:
    """A month's event and a day's in the same month: the month's may be as late as its last day, so it is the
    newest (the shipped site's Finland has one in May 2025); comparing the dates' fields failed on the missing day."""
    month, day, later_day = PartialDate(2025, 5), PartialDate(2025, 5, 20), PartialDate(2025, 5, 31)
    for dates, newest in (((day, month), month), ((month, day), month), ((month, later_day), later_day)):
        events = tuple(Event("withdrawal-announced", d, ()) for d in dates)
        site = replace(mini_site, countries={"xx": replace(country(), events=events)},
                       config=replace(mini_site.config, as_of=date(2025, 6, 1)))
        assert newest_event(site) == newest


def test_a_second_excerpt_of_one_page_is_not_counted_as_another_page() -> None:
    """The references page said '2 more pages say the same' where one of the two was the first page again (LV04)."""
    def page(url: str) -> PageView:
        return PageView(url, "T", "O", "", "", "en", True, "words", "")
    first, same, other = page("https://a.example/1"), page("https://a.example/1"), page("https://b.example/2")
    assert more_pages((first, same, other)) == "1 more excerpt of this page, and 1 more page says the same"
    assert more_pages((first, same)) == "1 more excerpt of this page"
    assert more_pages((first, other, page("https://c.example/3"), other)) == "2 more pages say the same"
    assert more_pages((first,)) == ""
