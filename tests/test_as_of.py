"""A build as of an earlier date tells the truth of that date: nothing dated after it, statuses and verdicts of it."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from builder.__main__ import main
from builder.build import check_site
from builder.model import Citation, Site
from builder.views import newest_event
from tests.conftest import REPO


@functools.cache
def shipped_on(day: date | None) -> Site:
    """The shipped site checked as of `day` (None: its own date), once per process for each day: many tests read
    the same day's model (a check is about 0.05 s of CPU), the content does not change during a run, and no test
    changes the model it is given."""
    return check_site(REPO, as_of=day)


def text_of(path: Path) -> str:
    """A page's visible words, without tags, scripts or styles."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def dates_in(text: str) -> list[date]:
    """The dates a text states as past or present; not the date Article 20 gives a pending withdrawal."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    found = []
    for before, day, month, year in re.findall(r"(takes effect on )?\b(\d{1,2}) (" + "|".join(months) +
                                               r") (\d{4})\b", text):
        if not before:
            found.append(date(int(year), months.index(month) + 1, int(day)))
    return found


@pytest.fixture(scope="module", params=["2025-03-19", "2025-05-01", "2025-12-28"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[date, Path]:
    out = tmp_path_factory.mktemp("as-of") / "public"
    assert main(["--root", str(REPO), "build", "--as-of", request.param, "--out", str(out)]) == 0
    return date.fromisoformat(request.param), out


def test_no_page_states_a_date_after_the_build_date(built: tuple[date, Path]) -> None:
    day, out = built
    for page in ("index.html", "countries/index.html", "countries/pl/index.html", "countries/fi/index.html",
                 "countries/ee/index.html", "compare/index.html", "map/index.html", "treaty/index.html",
                 "references/index.html"):
        later = [d for d in dates_in(text_of(out / page)) if d > day]
        assert later == [], f"{page} states {later} in a build as of {day}"


def strings_of(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string a JSON document holds, with the key it is under."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings_of(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item, key)


def later_in(text: str, day: date) -> list[date]:
    """The dates after `day` a text states, in words or as YYYY-MM-DD."""
    iso = [date.fromisoformat(found) for found in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)]
    return [d for d in (*dates_in(text), *iso) if d > day]


def test_no_download_or_search_index_states_a_date_after_the_build_date(built: tuple[date, Path]) -> None:
    """data/site.json, data/claims.csv and the search index are made from the same day's model as the pages: the
    references' answers of a later day (Ukraine's "suspension" of 18 July 2025, in every build before it) and the
    treaty text's notes citing pages of June and December 2025 are not in them. The date a pending withdrawal
    takes effect (Article 20) is the one later date they may state, as the pages do."""
    day, out = built
    files = [out / "data/site.json", out / "data/claims.csv", *sorted((out / "search").glob("*.json"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = ([d for key, value in strings_of(json.loads(text)) if key != "effective_date"
                  for d in later_in(value, day)] if path.suffix == ".json" else later_in(text, day))
        assert found == [], f"{path.relative_to(out)} states {found} in a build as of {day}"


def test_statuses_are_those_of_the_build_date(built: tuple[date, Path]) -> None:
    day, out = built
    home = text_of(out / "index.html")
    withdrawn = {"Estonia", "Latvia", "Lithuania"} if day >= date(2025, 12, 27) else set()
    for name, country_id in (("Estonia", "ee"), ("Latvia", "lv"), ("Lithuania", "lt"), ("Finland", "fi"),
                             ("Poland", "pl")):
        page = (out / f"countries/{country_id}/index.html").read_text(encoding="utf-8")
        now = re.search(r'<p class="status-now"><span class="badge status status-([a-z-]+)"', page)
        assert now is not None, (name, day)
        # Withdrawn once it took effect, never before, and never "not established" (dated.country_on).
        assert (now.group(1) == "withdrawn") == (name in withdrawn) and now.group(1) != "unknown", (
            name, day, now.group(1))
    assert ("all five withdrawals had taken effect" in home) is False
    assert ("Withdrawn since 27 December 2025" in home) == bool(withdrawn)


def test_a_source_written_after_the_build_date_is_left_out(built: tuple[date, Path]) -> None:
    day, out = built
    media_line_written = day >= date(2025, 4, 1)  # it names Finland, which announced on 1 April 2025
    assert (out / "sources/media-line/index.html").exists() == media_line_written
    assert ("The Media Line" in text_of(out / "compare/index.html")) == media_line_written


def test_verdicts_are_those_of_the_build_date() -> None:
    # Before Finland announced, the references named four countries: Liberty Post was simply right.
    early = shipped_on(date(2025, 3, 25))
    which = early.comparisons["which-countries"]
    assert which.verdict == "only-one"
    assert [a.judgement.key for a in which.answers if a.judgement] == ["right"]
    later = shipped_on(date(2025, 5, 1))
    judged = {a.source_id: a.judgement.label for a in later.comparisons["which-countries"].answers if a.judgement}
    assert judged == {"liberty-post": "Right if written before 1 April 2025", "media-line": "Right when written"}
    # Liberty Post has no known latest date: timing may explain the difference, and the verdict does not say it
    # does (its timing note gives both readings).
    assert later.comparisons["which-countries"].verdict == "complement"
    # Ukraine's "suspension" of 18 July 2025 has not happened yet on 1 May 2025: nothing contested Liberty Post's
    # answer; since then it is contested, not overtaken (no reference says Ukraine ceased to be a party).
    party = next(a for a in later.comparisons["ukraine-party"].answers)
    assert party.judgement is not None and party.judgement.key == "right"
    now = shipped_on(None)
    party = next(a for a in now.comparisons["ukraine-party"].answers)
    assert party.judgement is not None and party.judgement.label == "Right when written, since contested"


@pytest.mark.parametrize("day", ["2025-03-20", "2025-04-30", "2025-12-27"])
def test_no_answer_is_shown_checked_without_a_page_of_its_day(day: str) -> None:
    """An answer is judged only against a references' answer that a page written by then gives: where a build as of
    an earlier date left out every page it cites, the answer is not checked, as the claim it rests on is not."""
    site = shipped_on(date.fromisoformat(day))
    for question_id, comparison in site.comparisons.items():
        checked = [a for a in comparison.answers if a.judgement and a.judgement.key != "unchecked"]
        assert not checked or (comparison.reference is not None and comparison.reference.cite), (question_id, day)
        assert all(a.judgement.cite for a in checked if a.judgement), (question_id, day)



@pytest.mark.parametrize(("day", "known", "statuses"), [
    ("2025-03-20", {"np08", "sp02"}, {"lb": "never-joined"}),
    ("2025-04-01", {"fi04", "fi05"}, {"fi": "announced", "lb": "never-joined"}),
    ("2025-06-29", {"ee05", "lt04", "lt03", "lv04", "sp03"}, {"ee": "pending", "lv": "pending", "lt": "pending"}),
    ("2025-07-01", {"ee09"}, {"ee": "pending", "lv": "pending", "lt": "pending"}),
    ("2025-08-01", {"pl06"}, {"pl": "announced"}),
    ("2025-12-27", {"ee06"}, {"ee": "withdrawn", "lv": "withdrawn", "lt": "withdrawn"}),
])
def test_a_page_is_cited_from_its_own_day(day: str, known: set[str], statuses: dict[str, str]) -> None:
    """Each reference rests on pages of one time (a later page is a reference of its own) and names no later date,
    so what an early page says is shown from that page's day: Lebanon's 2013 profile, the Baltic notices of June
    2025 (all three from IANS's page of 29 June, the ICBL's of 1 July a reference of its own), Finland's
    announcement; a status they record is established, not left "not established"."""
    site = shipped_on(date.fromisoformat(day))
    assert known <= set(site.references), (day, known - set(site.references))
    assert {k: site.countries[k].status_today.key for k in statuses} == statuses, day


def test_nothing_about_the_joint_statement_before_its_day() -> None:
    """An undated entry naming "18 March" without a year stayed on every day: each entry on the joint statement of
    18 March 2025 (and the Polish Senate's vote on a bill passed in June) now names the year, so a build as of 17
    March 2025 neither quotes the statement nor cites Reuters' report of it."""
    early = {"js02", "rv13", "rv14", "rv18", "w04", "pl05"}
    assert not early & set(shipped_on(date(2025, 3, 17)).references)
    assert early - {"pl05"} <= set(shipped_on(date(2025, 3, 18)).references)


def test_a_review_on_pages_of_its_day_is_checked_that_day() -> None:
    """The Media Line's "NATO countries bordering Russia" rests on pages of March and April 2025 (AFP's July page on
    Finland's border is a reference of its own): it is checked as of 1 April 2025, the article's first day."""
    site = shipped_on(date(2025, 4, 1))
    review = site.claims["ml-border-russia"].review
    assert review is not None and review.rating == "accurate"


def test_the_site_says_of_itself_what_was_true_that_day(built: tuple[date, Path]) -> None:
    """"Why five NATO states left" is not true before the last withdrawal took effect (20 February 2026): a build as
    of an earlier day has site.yaml's earlier words, on its home page and in its description."""
    day, out = built
    config = shipped_on(day).config
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{config.tagline}</h1>" in home.replace("\n", "")
    assert "left the Ottawa" not in config.tagline and " withdrew " not in config.description
    assert ("plan to leave" in config.tagline) == (day < date(2025, 4, 1))
    assert shipped_on(None).config.tagline == "Why five NATO states left the Ottawa Convention"


def test_a_dispute_is_told_from_the_day_of_its_pages() -> None:
    """Ukraine "suspended" the treaty on 18 July 2025; the pages that tell of it and dispute it are of 24 and 25
    July. Before them Liberty Post's claim is right when written, as its answer is, not "since contested" with a
    note whose citations are all dropped."""
    from builder.compare import judge_claim

    for day, key in ((date(2025, 7, 20), "right"), (date(2025, 7, 26), "contested")):
        site = shipped_on(day)
        claim = site.claims["lp-ukraine-party"]
        judged = judge_claim(claim, site.sources[claim.source_id], day)
        assert (judged.key, judged.later is not None) == (key, key == "contested")
        answer = next(a for a in site.comparisons["ukraine-party"].answers if a.source_id == "liberty-post")
        assert answer.judgement is not None and answer.judgement.key == key


def test_a_review_shows_its_earlier_check_until_its_later_pages() -> None:
    """A review that also cites a later page is not checked before it, unless its `earlier` check rests on pages of
    the day: The Media Line's "move to withdraw" is settled by the joint statement and Finland's announcement
    (W01, of January 2026, tells of the deposits), and three of Liberty Post's claims by the pages of 18-19 March
    2025. Without an earlier check (the humanitarian commitment rests on an April page) it stays not checked."""
    later = shipped_on(date(2025, 12, 27)).claims["ml-five-countries"].review
    assert later is not None and later.rating == "accurate" and "ref:w01" not in map(str, later.cite)
    assert "27 June" not in later.says
    early = shipped_on(date(2025, 3, 20)).claims
    ratings = {claim_id: early[claim_id].review.rating for claim_id in (  # type: ignore[union-attr]
        "lp-headline", "lp-four-members", "lp-instructed-governments", "lp-humanitarian-commitment")}
    assert ratings == {"lp-headline": "imprecise", "lp-four-members": "accurate",
                       "lp-instructed-governments": "imprecise", "lp-humanitarian-commitment": "unchecked"}
    today = shipped_on(None).claims["ml-five-countries"].review
    assert today is not None and "ref:w01" in map(str, today.cite)


@pytest.mark.parametrize(("day", "count"), [
    ("2025-03-13", None), ("2025-08-31", None), ("2025-09-01", "165 "), ("2025-11-30", "165 "),
    ("2025-12-01", "166 "), ("2025-12-26", "166 "), ("2025-12-27", "Not established from 27 December 2025"),
    ("2026-02-19", "Not established from 27 December 2025"), ("2026-02-20", "Not established: the two stored pages"),
])
def test_the_states_parties_count_is_the_one_known_that_day(day: str, count: str | None) -> None:
    """The treaty page's count (the first States Parties fact a build has) counts a state from the day the
    Convention entered into force for it, as "State Party" does on the country pages: 165 from 1 September 2025
    (the Marshall Islands), 166 from 1 December 2025 (Tonga), not from their deposits, which the ICBL's releases
    counted; not established from 27 December 2025, when the first three withdrawals took effect, so 166 is never
    shown as the count after any of them."""
    site = shipped_on(date.fromisoformat(day))
    first = next((fact for fact in site.treaty.facts if "states parties" in fact.label.lower()), None)
    assert (first.value[:len(count)] if first else None) == count, (day, first)


def test_an_event_cited_to_pages_that_foretold_its_month_is_shown_on_its_day() -> None:
    """Finland's withdrawal took effect on 10 January 2026 (FI09: the ministry's page of July 2025 foretold the month,
    UNN's of that day reported it): a build as of 15 January 2026 shows the event with that source, not only the
    status it gives. (W05, Anadolu's dates of all five withdrawals, names Poland's of 20 February: not yet.)"""
    site = shipped_on(date(2026, 1, 15))
    finland = site.countries["fi"]
    effective = [e for e in finland.events if e.kind == "withdrawal-effective"]
    assert finland.status_today.key == "withdrawn" and len(effective) == 1
    assert {c.id for c in effective[0].cite} == {"fi09"}


def test_a_comparison_before_any_source_says_so(tmp_path: Path) -> None:
    """As of 18 March 2025 no source of the site had been written: the comparison says so, not "the same questions
    put to :" and "with 0 sources", and shows no findings of sources it does not have."""
    out = tmp_path / "public"
    assert main(["--root", str(REPO), "build", "--as-of", "2025-03-18", "--out", str(out)]) == 0
    text = text_of(out / "compare" / "index.html")
    assert "None of this site’s sources had been published by 18 March 2025" in text
    assert "put to :" not in text and "With 0 sources" not in text and "Where a source is wrong" not in text


def test_no_heading_over_an_empty_summary(tmp_path: Path) -> None:
    """As of the day before any summary sentence can be said (the first tells the ministers' recommendation of
    18 March 2025), the home page has no "What happened" heading."""
    out = tmp_path / "public"
    assert main(["--root", str(REPO), "build", "--as-of", "2025-03-17", "--out", str(out)]) == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="summary-sentence"' not in home and 'id="what-happened"' not in home


def test_the_home_page_before_anyone_announced_says_so(tmp_path: Path) -> None:
    """As of 1 June 2024 none of the five was leaving and no source was written: the home page neither says who
    "left" (every one of no countries had) nor that the sources err "nowhere"."""
    out = tmp_path / "public"
    assert main(["--root", str(REPO), "build", "--as-of", "2024-06-01", "--out", str(out)]) == 0
    home = text_of(out / "index.html")
    assert "Who left" not in home and "why it left" not in home
    assert "None of the countries this site follows was leaving on 1 June 2024" in home
    assert "None of this site’s sources had been published by 1 June 2024" in home
    assert "Nowhere, on the questions" not in home


@pytest.mark.parametrize(("day", "country_id", "key", "since", "tail"), [
    ("2025-06-27", "ee", "announced", "2025-03-18", "Parliament vote on 4 June 2025; the references dated by 27 June "
                                                   "2025 record no instrument of withdrawal deposited."),
    ("2025-07-20", "ua", "announced", "2025-06-29", "Parliament vote on 15 July 2025; the references dated by 20 July "
                                                   "2025 record no instrument of withdrawal deposited."),
    ("2025-08-20", "pl", "announced", "2025-03-18", None),
    ("2025-07-25", "ua", "disputed", "2025-07-18", None),
])
def test_a_step_only_later_pages_tell_leaves_no_trace(day: str, country_id: str, key: str, since: str,
                                                      tail: str | None) -> None:
    """Ukraine's "suspension" of 18 July 2025 is told only by pages of 24 and 25 July, the Baltic deposits of 27 June
    by pages of 29 June, Poland's of 20 August by later ones: before those pages the status is the one the day's
    pages record, and nothing dates a status by the step they do not ("Not established since 18 July 2025" told the
    date before any page did, beside a footer whose newest event was of 15 July)."""
    site = shipped_on(date.fromisoformat(day))
    country = site.countries[country_id]
    now = country.status_today
    assert (now.key, now.since.iso if now.since else None) == (key, since), (day, country_id, now)
    statuses = (now, *country.status_history)
    assert all(s.key != "unknown" for s in statuses), (day, country_id)
    assert all(s.since is None or s.since.last <= max(e.date.last for e in country.events) for s in statuses)
    if tail is not None:
        assert now.explanation == tail == country.status_history[-1].explanation


METHODS = ("**Reporting**", "**Quote**", "**Paraphrase**", "**Opinion**", "**Embedded post**", "**Right when written**",
           "**Right when written, since overtaken**", "**Right when written, since contested**",
           "**Right if written before**", "**Incomplete**", "**Imprecise**", "**Imprecise if written before**",
           "**Wrong when written**",
           "**Not checked against the references**", "**agree**", "**contradict each other**",
           "**different, compatible details**", "**differ because of timing**", "six months after",
           "engaged in an armed conflict", "writes the month", "A reference marked unconfirmed",
           "## Dating the articles", "## Each country's status", "## Checking quotes")


@pytest.mark.parametrize("day", ["2024-06-01", "2025-03-17", "2025-03-19", "2025-04-01", "2025-06-27",
                                 "2025-07-20", "2025-07-24", "2025-12-27", "2026-02-19"])
def test_the_methodology_tells_only_what_its_day_knew(day: str) -> None:
    """content/methodology.md's earlier wordings: before 24 July 2025 it told nothing of Ukraine's "suspension" of 18
    July (HRW's page of 24 July records it, the ICBL's reading of 25 July the rest), on the 24th only what HRW's
    page says, and before April 2025 nothing of two articles and
    Finland's announcement. On each day it names no later date, cites nothing the day does not know, and keeps
    every method's explanation."""
    on = date.fromisoformat(day)
    site = shipped_on(on)
    text = site.methodology
    assert [d for d in dates_in(text) if d > on] == [], day
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    named = re.findall(rf"\b({'|'.join(months)}) (\d{{4}})\b", text)  # a month: from its first day, as later.py
    assert [m for m in named if date(int(m[1]), months.index(m[0]) + 1, 1) > on] == [], day
    for kind, cited in re.findall(r"\[(ref|claim):([a-z0-9-]+)\]", text):
        assert cited in (site.references if kind == "ref" else site.claims), (day, kind, cited)
    assert ("18 July 2025" in text) == (on >= date(2025, 7, 24)), day
    assert ("ICBL" in text) == (on >= date(2025, 7, 25)), day
    assert ("The Media Line" in text) == (on >= date(2025, 4, 1)), day
    assert ("Liberty Post" in text) == (on >= date(2025, 3, 19)), day
    assert [m for m in METHODS if m not in " ".join(text.split())] == [], day
    assert "left the 1997 Ottawa Convention" not in text, day


def test_ukraines_suspension_is_told_from_the_day_hrw_reported_it() -> None:
    """HRW's page of 24 July 2025 records Ukraine's "suspension" of 18 July; the event's note also tells the ICBL's
    reading of 25 July. As of the 24th the event had been left out, Ukraine shown as "withdrawal announced" while
    the references page listed HRW's report of the suspension: it is now told in HRW's words, on HRW's page."""
    for day, key, cited in ((date(2025, 7, 23), "announced", None), (date(2025, 7, 24), "disputed", ("rv30",)),
                            (date(2025, 7, 25), "disputed", ("ua06",))):
        ukraine = shipped_on(day).countries["ua"]
        assert ukraine.status_today is not None and ukraine.status_today.key == key, day
        told = [e for e in ukraine.events if e.kind == "suspension-notified"]
        assert tuple(c.id for e in told for c in e.cite) == (cited or ()), day
        assert all(("ICBL" in (e.note or "")) == (day >= date(2025, 7, 25)) for e in told), day


def test_the_ukraine_answer_names_the_icbls_view_from_its_page_of_25_july() -> None:
    """The references' answer "Contested" names the view of Human Rights Watch (24 July 2025) and of the ICBL (25
    July): a build as of 24 July tells the dispute in HRW's words alone (its earlier wording), one as of the 25th
    names the ICBL's; on both days Liberty Post's answer is right when written, since contested, as its claim is.
    (Until truth9 the 24th showed no dispute at all, while Ukraine's status that day was disputed.)"""
    for day, icbl in ((date(2025, 7, 24), False), (date(2025, 7, 25), True)):
        site = shipped_on(day)
        answers = site.questions["ukraine-party"].references
        assert [a.contested for a in answers] == [False, True], day
        assert ("ICBL" in (answers[1].note or "")) == icbl, day
        answer = next(a for a in site.comparisons["ukraine-party"].answers if a.source_id == "liberty-post")
        assert answer.judgement is not None and answer.judgement.key == "contested", day


def test_the_treaty_page_before_its_entry_into_force_does_not_tell_it(tmp_path: Path) -> None:
    """As of 28 February 1999 Article 17's summary ("entered into force on 1 March 1999", resting on a page of
    2005) is not shown: the article's text is, as the agreement's own words."""
    out = tmp_path / "public"
    assert main(["--root", str(REPO), "build", "--as-of", "1999-02-28", "--out", str(out)]) == 0
    text = text_of(out / "treaty/index.html")
    assert "1 March 1999" not in text and "September 1998" not in text
    assert "Article 17: Entry into force" in text and "shall enter into force" in text
    assert "In plain words: The Convention entered" not in text


def test_a_day_before_the_agreement_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before its adoption (18 September 1997) there was no Convention to explain: the build is refused with the
    place and a hint, no traceback, and writes nothing."""
    out = tmp_path / "public"
    assert main(["--root", str(REPO), "build", "--as-of", "1997-09-17", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("content/treaty.yaml:13:11: the site is built as of 1997-09-17, before the agreement's "
                          "first dated fact, 'Adopted' (1997-09-18)\n  hint: build as of 1997-09-18 or later"), err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize(("day", "newest"), [("2025-08-31", "2025-08-20"), ("2025-09-01", "2025-09-01"),
                                             ("2025-12-05", "2025-12-01"), ("2025-12-27", "2025-12-27")])
def test_the_newest_dated_event_counts_the_treaty_facts(day: str, newest: str) -> None:
    """Every page's footer says nothing after the newest dated event was checked: from 1 September 2025 the treaty
    page states the States Parties of that day (165, then 166 from 1 December), so the footer may not say 20 August."""
    from builder.views import newest_event

    site = shipped_on(date.fromisoformat(day))
    found = newest_event(site)
    assert found is not None and found.iso == newest, (day, found)


def test_a_difference_between_reports_is_told_from_the_day_both_are_known() -> None:
    """Tonga's deposit: the ICBL's 25 June 2025, Matangi Tonga's 26 June (its report of 9 December). The count gives
    the ICBL's date on its own until Matangi Tonga's report, and both from its day."""
    for day, told in ((date(2025, 12, 8), False), (date(2025, 12, 9), True)):
        [fact] = [f for f in shipped_on(day).treaty.facts if f.id == "states-parties-tonga"]
        assert ("26 June" in fact.value) == told and (Citation("ref", "sp07") in fact.cite) == told, day


def test_before_finland_announced_the_comparison_counts_four(tmp_path: Path) -> None:
    """From 18 to 31 March 2025 four countries were leaving (W03 and B01 name them): the answers to whether they are
    NATO members and border Russia count four, and the former-Soviet answer does not speak of Finland."""
    out = tmp_path / "public"
    assert main(["--root", str(REPO), "build", "--as-of", "2025-03-25", "--out", str(out)]) == 0
    for page in ("compare/index.html", "data/site.json"):
        text = (out / page).read_text(encoding="utf-8")
        assert "All five" not in text and "Finland, which the Soviet Union invaded" not in text, page
        assert "All four are NATO members." in text and "All four border Russia." in text, page


@pytest.mark.parametrize(("day", "country", "unsupported", "shown"), [
    ("2025-08-28", "pl", "5 August", "notified the United Nations formally of its withdrawal on 20 August 2025"),
    ("2025-07-20", "ua", "suspending", "299 members of the Verkhovna Rada voted for withdrawal"),
    ("2025-07-15", "ua", "framed as", "Babel reported the same day that the Rada supported the suspension"),
    ("2025-04-02", "fi", "joint statement of 18 March", "President Alexander Stubb announced it on X"),
    ("2025-07-11", "ee", "on the same day as", "Trend reported on 28 June (its page gives no year) that Estonia"),
    ("2025-04-16", "lv", "66 members", "TASS, citing Delfi, reported"),
])
def test_an_events_note_says_only_what_the_pages_of_the_day_say(day: str, country: str, unsupported: str,
                                                                  shown: str) -> None:
    """An event's note rests on every page it cites: on a day when some are later, its earlier wording, which says
    what the day's pages say (Poland's denunciation of 5 August is told by the official journal, of 4 November 2025,
    alone; the Rada's "suspending" framing by HRW's reference of 24 July)."""
    site = shipped_on(date.fromisoformat(day))
    notes = " ".join(e.note or "" for e in site.countries[country].events)
    assert unsupported not in notes and shown in notes, (day, country, notes)


def test_the_treaty_page_states_article_20s_clause_from_the_page_that_tells_it() -> None:
    """Article 20's armed-conflict clause is told by HRW's page of 24 July 2025: before it, the six months alone; the
    notice's addressees are Finland's bill's, dated "2025"."""
    site = shipped_on(date(2025, 7, 11))
    [rule] = [f for f in site.treaty.facts if f.id == "withdrawal-rule"]
    [article] = [a for a in site.treaty.articles if a.number == "20"]
    assert "armed conflict" not in rule.value + article.summary and "six months" in article.summary
    [article] = [a for a in shipped_on(date(2025, 9, 2)).treaty.articles if a.number == "20"]
    assert "armed conflict" in article.summary and "Security Council" not in article.summary


def test_a_page_dated_by_the_month_of_the_day_is_not_said_to_be_later() -> None:
    """JS04 is dated "April 2025": as of 16 April 2025 it is not known to be out, nor known to be later."""
    site = shipped_on(date(2025, 4, 16))
    review = site.claims["lp-humanitarian-commitment"].review
    assert review is not None and review.says == ("Not checked as of 16 April 2025: the references that settle it "
                                                  "rest on a page dated April 2025, not known to be out by then.")


def test_ukraines_standing_is_contested_from_hrws_report_of_24_july() -> None:
    """HRW's report of 24 July 2025 tells the "suspension" of 18 July: that day Liberty Post's "Ukraine being a party"
    is right when written, since contested, in HRW's words, and so is the references' answer to "Is Ukraine a party?"
    (the ICBL's reading, which their own words name, came on the 25th)."""
    site = shipped_on(date(2025, 7, 24))
    review = site.claims["lp-ukraine-party"].review
    assert review is not None and review.overtaken is not None and review.overtaken.contested
    assert review.overtaken.says.startswith("On 18 July 2025 Ukraine informed the UN that it had suspended its")
    assert "ICBL" not in review.overtaken.says and review.overtaken.cite == (Citation("ref", "rv30"),
                                                                              Citation("ref", "t14"))
    [answer] = site.comparisons["ukraine-party"].answers
    assert answer.judgement is not None and answer.judgement.key == "contested"
    now = site.questions["ukraine-party"].reference_on(date(2025, 7, 24))
    assert now is not None and now.contested and now.note is not None and "ICBL" not in now.note
    assert now.cite == (Citation("ref", "rv30"),)
    assert shipped_on(date(2025, 7, 23)).claims["lp-ukraine-party"].review.overtaken is None


def test_a_notice_no_page_of_the_day_dates_is_dated_on_or_before_the_first_page_that_records_it(tmp_path: Path) -> None:
    """rev-truth8 F2: from 29 June to 26 December 2025 the pages of the day record Latvia's notice (IANS, 29 June:
    "have officially submitted") but none dates it; la.lv's page of 27 December does. Those days show it as given
    on 29 June 2025 or earlier, with no day of effect; the day before, not at all. Estonia's is dated 27 June from
    Trend's report of the 28th."""
    before = shipped_on(date(2025, 6, 28))
    assert not [e for e in before.countries["lv"].events if e.kind == "instrument-deposited"]
    assert before.countries["lv"].status_today.key == "announced"
    [estonia] = [e for e in before.countries["ee"].events if e.kind == "instrument-deposited"]
    assert estonia.date.human == "27 June 2025" and [c.id for c in estonia.cite] == ["ee10"]
    latvia = shipped_on(date(2025, 7, 11)).countries["lv"]
    [notice] = [e for e in latvia.events if e.kind == "instrument-deposited"]
    assert notice.date.human == "29 June 2025 or earlier" and latvia.effective_date is None
    assert latvia.status_today.explanation == ("Instrument of withdrawal deposited on 29 June 2025 or earlier; under "
                                               "Article 20(3) the withdrawal takes effect six months later.")
    out = tmp_path / "public"
    assert main(["--root", str(REPO), "build", "--as-of", "2025-07-11", "--out", str(out)]) == 0
    page = (out / "countries/lv/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2025">29 June 2025 or earlier</time>' in page
    # The map's step of that day says the same of Latvia (rev-truth11), not its day alone.
    steps = (out / "map/index.html").read_text(encoding="utf-8").split('<li><a href="/ottawa-exit/countries/lv/">')
    assert any(step.split("</li>", 1)[0].count("29 June 2025 or earlier</time>)") == 1 for step in steps[1:])
    assert '"date":"../2025-06-29"' in (out / "data/site.json").read_text(encoding="utf-8")
    [notice] = [e for e in shipped_on(date(2025, 12, 27)).countries["lv"].events
                if e.kind == "instrument-deposited"]
    assert notice.date.human == "27 June 2025"


def test_the_newest_event_is_an_exact_day_before_one_known_only_as_on_or_before_it() -> None:
    """As of 1 July 2025 Ukraine's decree is dated 29 June 2025 and Latvia's notice only "29 June 2025 or earlier":
    the pages' footer names 29 June 2025 as the newest dated event, not "or earlier" (rev-code24)."""
    site = shipped_on(date(2025, 7, 1))
    assert {e.date.by for c in site.countries.values() for e in c.events if e.date.last == date(2025, 6, 29)} == \
        {True, False}
    assert newest_event(site).human == "29 June 2025"


def test_the_sejms_vote_is_shown_from_the_first_page_that_reports_it() -> None:
    """rev-truth8 F2: the Sejm's vote of 25 June 2025 rested on the official journal's page alone, dated "2025", so
    builds as of 27 August-30 December 2025 showed Poland's notice of 20 August and not the vote. MENAFN reported
    it on 29 June ("on Wednesday evening"); the journal's page is of 4 November 2025, and tells the denunciation of
    5 August from that day."""
    def vote(day: date) -> list[str]:
        country = shipped_on(day).countries["pl"]
        return [c.id for e in country.events if e.kind == "parliament-vote" for c in e.cite]

    assert vote(date(2025, 6, 28)) == [] and vote(date(2025, 6, 29)) == vote(date(2025, 8, 28)) == ["pl11"]
    assert vote(date(2025, 11, 4)) == ["pl04", "pl11"]
    [notice] = [e for e in shipped_on(date(2025, 11, 4)).countries["pl"].events
                if e.kind == "instrument-deposited"]
    assert notice.note and "5 August 2025" in notice.note
