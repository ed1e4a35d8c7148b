"""drafting/dates.py: every date a sentence names, read with its year against the publication date."""

from __future__ import annotations

from datetime import date

from builder.drafting import (
    dates,
    published,
)


def read(text: str, first: date | None, last: date | None = None) -> list[tuple[str, str]]:
    found, _ = dates.find_dates(text, dates.Anchor(first, last or first, "the publication date"))
    return [(d.words, d.iso) for d in found]


def test_relative_dates_resolve_against_the_publication_date() -> None:
    anchor = dates.Anchor(date(2025, 3, 19), date(2025, 3, 19), "the publication date, 19 March 2025")  # Wednesday
    found, unresolved = dates.find_dates("The ministers said on Tuesday and again today that they would vote "
                                         "next Monday; it happened this year.", anchor)
    assert [(d.words, d.iso) for d in found] == [
        ("on Tuesday", "2025-03-18"), ("today", "2025-03-19"), ("next Monday", "2025-03-24"), ("this year", "2025")]
    assert found[0].inferred == ("'on Tuesday' read as 18 March 2025, counted to the nearest from the publication "
                                 "date, 19 March 2025")
    assert unresolved == []


def test_a_weekday_is_the_day_of_writing_or_before_unless_the_sentence_speaks_of_the_future() -> None:
    assert read("Lithuania announced Friday it has notified the UN.", date(2025, 6, 27)) == [("Friday", "2025-06-27")]
    assert read("Parliament will vote on Friday.", date(2025, 3, 19)) == [("on Friday", "2025-03-21")]


def test_a_date_without_a_year_is_read_forward_when_the_sentence_speaks_of_the_future() -> None:
    """In a December article, 'Jan. 10' and 'Feb. 20' are next year's, and 'Dec' needs no full stop."""
    sentence = ("Withdrawal of Estonia, Latvia, and Lithuania will take effect on Dec. 27, while Finland’s on Jan. 10 "
                "and Poland’s on Feb 20.")
    assert read(sentence, date(2025, 12, 8)) == [("Dec. 27", "2025-12-27"), ("Jan. 10", "2026-01-10"),
                                                 ("Feb 20", "2026-02-20")]
    assert read("Defense Minister Antti Hakkanen told Reuters Dec. 18.", date(2025, 4, 1), date(2025, 4, 30)) == [
        ("Dec. 18", "2024-12-18")]  # no word of the future: the nearest, last December


def test_months_ranges_seasons_and_parts_of_a_year() -> None:
    text = ("Withdrawals take effect from December to February; in March they announced it, last December Finland "
            "said so, this spring it voted, ahead of the June 24–25 summit, in mid-2025, 8 Dec 2025 and April 2025.")
    assert read(text, date(2025, 12, 8)) == [
        ("from December to February", "2025-12..2026-02"), ("in March", "2025-03"), ("last December", "2024-12"),
        ("this spring", "2025-03..2025-05"), ("June 24–25", "2026-06-24..2026-06-25"), ("mid-2025", "2025"),
        ("8 Dec 2025", "2025-12-08"), ("April 2025", "2025-04")]
    assert read("You may say so; it may be.", date(2025, 5, 13)) == []  # 'may' the verb


def test_a_window_resolves_what_both_of_its_ends_agree_on() -> None:
    window = published.Published(None, date(2025, 6, 19), date(2025, 6, 25), "window")
    found, unresolved = dates.find_dates("The parliament on Thursday approved it, and will meet on Friday; "
                                         "it voted today, this year.", window.anchor())
    assert [(d.words, d.iso) for d in found] == [("on Thursday", "2025-06-19"), ("this year", "2025")]
    assert unresolved == ["on Friday", "today"]


def test_no_publication_date_leaves_year_less_dates_unresolved() -> None:
    found, unresolved = dates.find_dates("on April 4, in 1997", None)
    assert [d.iso for d in found] == ["1997"] and unresolved == ["April 4"]


def test_a_date_without_a_year_on_the_day_of_writing_is_that_day() -> None:
    """'ahead of' looks forward, but 17 June written on 17 June is not next year's."""
    assert read("The talks ahead of the vote began in Geneva on June 17.", date(2025, 6, 17)) == [
        ("June 17", "2025-06-17")]


def test_the_verb_beside_a_date_governs_it_not_a_future_earlier_in_the_sentence() -> None:
    """'X will ..., Y said on Wednesday': the date is the saying's. rev-user's finding 1 read it forward, a week
    after the article, which the site then showed as a contradiction between two sources."""
    # A News, 6 February 2025 (a Thursday):
    # https://www.anews.com.tr/world/2025/02/06/argentina-says-it-will-withdraw-from-world-health-organization
    assert read("Argentina will pull out of the World Health Organization (WHO), the country's presidential "
                "spokesperson said on Wednesday.", date(2025, 2, 6)) == [("on Wednesday", "2025-02-05")]
    # The Star, 8 July 2020 (a Wednesday); the year written without a space after the comma is still the year's:
    # https://www.thestar.com.my/business/business-news/2020/07/08/us-withdrawal-from-who-over-claims-of-china-influence-to-take-effect-july-2021
    assert read("NEW YORK: The United States will leave the World Health Organization (WHO) on July 6,2021, the "
                "United Nations said on Tuesday, after receiving notification of the decision by President Donald "
                "Trump, who has accused the agency of becoming a puppet for China during the coronavirus pandemic.",
                date(2020, 7, 8)) == [("July 6,2021", "2021-07-06"), ("on Tuesday", "2020-07-07")]
    # Daily Finland (Xinhua), 2 February 2019 (a Saturday):
    # https://dailyfinland.fi/worldwide/9053/U.S.-announces-withdrawal-from-landmark-nuke-treaty-with-Russia
    assert read("U.S. President Donald Trump said on Friday that his country will \"move forward with developing "
                "our own military response options.\"", date(2019, 2, 2)) == [("on Friday", "2019-02-01")]
    # A verb of the future beside the date still reads it forward (Vestnik Kavkaza, 6 April 2024, a Saturday):
    # https://en.vestikavkaza.ru/material/167516
    assert read("Turkish President Recep Tayyip Erdogan has signed a decree announcing that the country will "
                "withdraw from the Treaty on Conventional Armed Forces in Europe (CFE) on April 8.",
                date(2024, 4, 6)) == [("April 8", "2024-04-08")]


def test_a_date_between_a_past_and_a_future_verb_says_it_is_a_guess_and_is_no_claims_when() -> None:
    found, _ = dates.find_dates("The minister, who will step down, said the vote is on Friday.",
                                dates.Anchor(date(2025, 2, 6), date(2025, 2, 6), "the publication date"))
    assert [(d.words, d.iso) for d in found] == [("on Friday", "2025-01-31")]
    assert found[0].doubt and "it may be 7 February 2025" in found[0].doubt
    assert read("Argentina will pull out of the WHO, the spokesperson said on Wednesday.", date(2025, 2, 6)) == [
        ("on Wednesday", "2025-02-05")]
