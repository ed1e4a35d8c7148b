"""ingest: each extraction rule on a few lines of text, then whole articles into a copy of the site, then the
inputs it must refuse without writing anything."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder import ingest as ing
from builder.__main__ import main as cli_main
from builder.build import check_site
from builder.drafting import (
    answers,
    candidates,
    dates,
    extract,
    furniture,
    marks,
    names,
    passages,
    places,
    posts,
    published,
    references,
    render,
    sentences,
)
from builder.drafting import read as reading
from builder.drafting import site as site_facts
from builder.drafting.context import Context
from builder.errors import ContentErrors, printable
from builder.model import PartialDate
from builder.quotes import SearchableText
from tests.conftest import tree_digest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "tests" / "ingest_samples"
TOPIC = answers.stems("Leaving the mine ban Ottawa Convention Mine Ban Treaty")


def lines_of(body: str) -> list[sentences.Line]:
    return sentences.split_lines(body)


def marked(body: str, marks: list[marks.Mark]) -> list[str]:
    return [body[m.start:m.end] for m in marks]


# ------------------------------------------------------------------------------------------------ social posts

POST_BODY = (
    "Despite acknowledging their commitment to humanitarian principles, these nations’ defense ministers argue that "
    "the treaty’s restrictions hamper their defensive capabilities against Russian threats.\n"
    "The 1997 Ottawa Convention one of the key international agreements concluded during the US unipolar moment.\n"
    "Lithuania, Poland, Latvia and Estonia today conclude it wasn't stress tested for an aggressive Russia on their "
    "borders. https://t.co/MUUPVfIVWV pic.twitter.com/OfM7ae8IkE\n"
    "— Thorsten Benner (@thorstenbenner) March 18, 2025\n"
    "The countries emphasized their need for unrestricted military options.\n"
)


def test_social_post_signature_marks_the_lines_above_that_fit_in_one_post() -> None:
    [mark] = posts.mark_social_posts(POST_BODY, lines_of(POST_BODY), None, TOPIC)
    text = POST_BODY[mark.start:mark.end]
    assert text.startswith("The 1997 Ottawa Convention")
    assert text.endswith("(@thorstenbenner) March 18, 2025")
    assert (mark.author, mark.handle, mark.posted, mark.related) == ("Thorsten Benner", "@thorstenbenner",
                                                                     date(2025, 3, 18), True)
    assert POST_BODY[mark.start:mark.content_end].rstrip().endswith("pic.twitter.com/OfM7ae8IkE")
    assert "— Thorsten Benner (@thorstenbenner) March 18, 2025" in mark.trigger


def test_signature_glued_to_a_media_link_and_an_unrelated_post() -> None:
    body = ("This development exposes the fragility of international treaties, which nations often observe only when "
            "convenient, and no international authority exists to enforce compliance with any of them at all.\n"
            "Did you know NATO is setting up a massive military base right on Romania’s border with Ukraine?\n"
            "😂😂😂 pic.twitter.com/gkALfSGBCv— Richard (@ricwe123) March 19, 2025\n")
    [mark] = posts.mark_social_posts(body, lines_of(body), None, TOPIC)
    assert body[mark.start:mark.end].startswith("Did you know NATO")
    assert (mark.author, mark.handle, mark.related) == ("Richard", "@ricwe123", False)
    assert mark.related_why.startswith("related: false because it shares no word")


def test_a_post_does_not_reach_over_a_blank_line_or_an_introduction() -> None:
    body = ("Here is how one commentator put it:\n\n"
            "> Poland is not leaving the mine ban to plant mines tomorrow.\n"
            "> — Tomasz Nowak (@tnowak_pl) March 18, 2025\n\n"
            "Yet the costs are not hypothetical.\n\n"
            "> My grandfather lost a leg to a mine in 1946.— Liisa Mets (@liisamets) March 20, 2025\n")
    first, second = posts.mark_social_posts(body, lines_of(body), None, TOPIC)
    assert body[first.start:first.end] == ("Poland is not leaving the mine ban to plant mines tomorrow.\n"
                                           "> — Tomasz Nowak (@tnowak_pl) March 18, 2025")
    assert body[second.start:second.end].startswith("My grandfather lost a leg")


def test_a_page_s_embed_markup_says_where_a_post_starts() -> None:
    html = (SAMPLES / "ngo-press-release.html").read_text(encoding="utf-8")
    assert extract.embedded_post_texts(html) == (
        "Today the Baltic states and Poland said they will leave the mine ban treaty. A sad day for humanitarian "
        "disarmament. https://t.co/Qm3vX8yLp2",)
    body = ("The four governments announced on Tuesday that they would recommend withdrawal.\n"
            "Today the Baltic states and Poland said they will leave the mine ban treaty.\n"
            "— Jane Holm (@janeholm) March 18, 2025\n")
    guessed, = posts.mark_social_posts(body, lines_of(body), None, TOPIC)
    assert body[guessed.start:].startswith("The four governments")  # a short post: the budget reaches too far
    known, = posts.mark_social_posts(body, lines_of(body), None, TOPIC, ("Today the Baltic states and Poland said",))
    assert body[known.start:].startswith("Today the Baltic states")
    assert known.trigger.endswith("its text starts where the page's embed markup puts it")


def test_a_t_co_link_without_a_signature_is_still_a_post() -> None:
    body = "Reporting line.\nMines are back, say the ministers. https://t.co/AbC123\nMore reporting.\n"
    [mark] = posts.mark_post_links(body, lines_of(body), [], date(2025, 3, 20))
    assert body[mark.start:mark.end] == "Mines are back, say the ministers. https://t.co/AbC123"
    assert (mark.kind, mark.author, mark.posted) == ("social-post", "unknown (no signature captured)",
                                                    date(2025, 3, 20))
    assert "'t.co/AbC123'" in mark.trigger


# ------------------------------------------------------------------------------------------------ other passages

APPEAL_BODY = (
    "Other measures under consideration include the return of compulsory military service in Poland.\n"
    "This holiday season, give to:\n"
    "Truth and understanding\n"
    "The Media Line's intrepid correspondents are in Israel, Gaza, Lebanon, Syria and Pakistan providing "
    "first-person reporting.\n"
    "They all said they cover it.\n"
    "We see it.\n"
    "We report with just one agenda: the truth.\n"
    "\n\n"
    "Critics warn that such moves threaten decades of progress.\n"
)


def test_donation_appeal_runs_from_the_ask_to_the_blank_line() -> None:
    [mark] = furniture.mark_donation_appeals(lines_of(APPEAL_BODY))
    assert APPEAL_BODY[mark.start:mark.end].startswith("This holiday season, give to:")
    assert APPEAL_BODY[mark.start:mark.end].endswith("We report with just one agenda: the truth.")
    assert mark.trigger.startswith("'give to:'")


def test_news_about_donated_weapons_is_not_an_appeal() -> None:
    body = "The United States donated mines to Ukraine last year.\nSupport our journalism: donate today.\n"
    assert marked(body, furniture.mark_donation_appeals(lines_of(body))) == ["Support our journalism: donate today."]


def test_subscription_appeal_is_a_promotion() -> None:
    body = "Reporting.\nSign up for our weekly newsletter to get columns like this in your inbox.\n"
    [mark] = furniture.mark_subscription_appeals(lines_of(body))
    assert (mark.kind, body[mark.start:mark.end]) == (
        "promo", "Sign up for our weekly newsletter to get columns like this in your inbox.")


@pytest.mark.parametrize("line", ["Listen To Story Above", "Listen to this article", "Listen: 4 min",
                                  "Press play to hear this story"])
def test_player_prompts(line: str) -> None:
    body = f"Headline\n{line}\nFour NATO members have announced their intention to withdraw.\n"
    assert marked(body, furniture.mark_player_prompts(lines_of(body))) == [line]


def test_read_more_line_and_sentence() -> None:
    body = ("Klabin’s reporting underscores how landmine policy is at a turning point. To understand the "
            "consequences of this shift, read Nathan Klabin’s full article at The Media Line.\n"
            "Read more: Why Finland is building a fence\n"
            "Analysts read the treaty differently.\n")
    assert marked(body, furniture.mark_read_more(body, lines_of(body))) == [
        "To understand the consequences of this shift, read Nathan Klabin’s full article at The Media Line.",
        "Read more: Why Finland is building a fence",
    ]


def test_captions() -> None:
    body = ("Pictured: A warning sign at the edge of a minefield. (Photo: Example Press)\n"
            "Soldiers take part in an exercise near the border. (Photo: Nordwire/Tomas Example)\n"
            "The photo shows nothing new, the ministry said.\n")
    assert len(furniture.mark_captions(lines_of(body))) == 2


PAGE_TEXT = (
    "MILITARISM, 8 Dec 2025\n"
    "By Xiaodon Liang\n"
    "Beyza Binnur Donmez | Anadolu Ajansı - TRANSCEND Media Service\n"
    "VILNIUS (Reuters) - Lithuania notified the United Nations on Friday.\n"
    "Geneva 1 July 2025 - Estonia, Latvia, and Lithuania have formally notified States Parties.\n"
    "(ANSA) – Italian deputies have approved a bill.\n"
    "News agency PAP reports: the minister said the decision enhances security.\n"
    "Riigikogu.\n"
    "Riigikogu. Source: Siim Lõvi /ERR\n"
    "podpis źródła zdjęcia\n"
    "\n"
    "\"We cannot remain tied down,\" Kostenko emphasized. Share\n"
    "Lire la version en français / Hier auf Deutsch lesen/ Lea la versión en español\n"
    "Follow ERR News on Facebook and Twitter and never miss an update!\n"
    "Editor: Helen Wright\n"
    "Source: www.example-news.fi\n"
    "Related\n"
    "News in simple Estonian\n"
    "listen: radio tallinn\n"
    "\n"
    "What is your opinion on this topic?\n"
    "Leave the first comment\n"
    "#Poland #anti-personnel mines #Polish Sejm\n"
)


def test_bylines_datelines_credits_captions_furniture_and_related_lists() -> None:
    marks = passages.mark_passages(PAGE_TEXT, None, TOPIC, None)
    assert [(m.kind, PAGE_TEXT[m.start:m.end]) for m in marks] == [
        ("dateline", "MILITARISM, 8 Dec 2025"),
        ("byline", "By Xiaodon Liang\nBeyza Binnur Donmez | Anadolu Ajansı - TRANSCEND Media Service"),
        ("dateline", "VILNIUS (Reuters) -"),
        ("dateline", "Geneva 1 July 2025 -"),
        ("credit", "(ANSA) –"),
        ("credit", "News agency PAP reports:"),
        ("caption", "Riigikogu.\nRiigikogu. Source: Siim Lõvi /ERR\npodpis źródła zdjęcia"),
        ("promo", "Share"),
        ("cross-reference", "Lire la version en français / Hier auf Deutsch lesen/ Lea la versión en español"),
        ("promo", "Follow ERR News on Facebook and Twitter and never miss an update!"),
        ("credit", "Editor: Helen Wright\nSource: www.example-news.fi"),
        ("related", "Related\nNews in simple Estonian\nlisten: radio tallinn"),
        ("promo", "What is your opinion on this topic?\nLeave the first comment"),
        ("related", "#Poland #anti-personnel mines #Polish Sejm"),
    ]
    assert all(m.trigger for m in marks)


def test_a_dateline_or_credit_that_opens_a_sentence_is_cut_from_its_claim() -> None:
    body = "VILNIUS (Reuters) - Lithuania notified the United Nations on Friday of its withdrawal.\n"
    marks = passages.mark_passages(body, None, TOPIC, None)
    [candidate], _ = candidates.candidate_sentences(body, marks, None)
    assert body[candidate.start:candidate.end] == "Lithuania notified the United Nations on Friday of its withdrawal."


def test_a_post_quoted_whole_and_signed_with_a_name_and_role() -> None:
    body = ("What is known about the decision?\n\n"
            "I was just informed that the president signed a decree to withdraw our country from the Ottawa "
            "Convention. Roman Kostenko Colonel of the SBU\n\nAccording to the latter, it is overdue.\n")
    [mark] = posts.mark_signed_posts(body, lines_of(body), date(2025, 6, 29))
    assert (mark.kind, mark.author, body[mark.start:mark.content_end].strip()) == (
        "social-post", "Roman Kostenko", "I was just informed that the president signed a decree to withdraw our "
                                         "country from the Ottawa Convention.")


def test_anchors_are_unique_and_read_back_as_the_validator_reads_them() -> None:
    body = SearchableText(APPEAL_BODY)
    [mark] = furniture.mark_donation_appeals(lines_of(APPEAL_BODY))
    start_text, end_text = passages.anchor_passage(body, mark.start, mark.end)
    assert (start_text, end_text) == ("This holiday season, give", "agenda: the truth.")
    assert body.find_all(start_text) == [(mark.start, mark.start + len(start_text))]


# ------------------------------------------------------------------------------------------------ countries

def codes_in(text: str) -> list[str]:
    return [code for mention in places.find_countries(text) for code in mention.codes]


@pytest.mark.parametrize(("text", "codes"), [
    ("Poland, Finland, and the Baltic states move to withdraw", ["pl", "fi", "ee", "lv", "lt"]),
    ("Polish officials described their withdrawal", ["pl"]),
    ("The Russian military, not Russia's navy", ["ru", "ru"]),
    ("the United States, China, and Russia never joined", ["us", "cn", "ru"]),
    ("Iran-backed groups in Lebanon, near Israel’s border", ["ir", "lb", "il"]),
    ("during the US unipolar moment", ["us"]),
    ("so that Moscow cannot count on our restraint", ["ru"]),
    ("Finns and Estonians", ["fi", "ee"]),
    ("the Nordic countries", ["dk", "fi", "is", "no", "se"]),
    ("ships in the Baltic Sea off New Mexico, says a Latin American diplomat", []),
    ("Georgescu spoke in Bucharest", ["ro"]),
])
def test_country_resolution(text: str, codes: list[str]) -> None:
    assert codes_in(text) == codes


def test_counted_groups_refer_back_to_a_group_of_that_size_or_ahead() -> None:
    context = Context()
    references.resolve_countries("Poland and the Baltic states took a first step on Tuesday.", 0, 0, context, None)
    references.resolve_countries("The minister spoke of Russia and Belarus.", 1, 1, context, None)  # a group of two
    codes, reasons = references.resolve_countries("The four EU and NATO member states have ramped up spending.", 2, 2,
                                              context, None)
    assert codes == ("pl", "ee", "lv", "lt")
    assert reasons == ["'four EU and NATO member states': the 4 countries named together before, pl, ee, lv, lt (80%)"]
    codes, _ = references.resolve_countries("Five countries’ withdrawals take effect soon.", 0, 0, Context(),
                                        "Estonia, Latvia, and Lithuania on Dec. 27, Finland’s on Jan. 10 and "
                                        "Poland’s on Feb. 20.")
    assert codes == ("ee", "lv", "lt", "fi", "pl")


def test_capitals_for_governments_and_names_in_any_case() -> None:
    assert codes_in("the Kremlin’s war on Ukraine; America, Russia and China; the russian federation") == [
        "ru", "ua", "us", "ru", "cn", "ru"]


def test_country_group_is_the_longest_list_named_together() -> None:
    text = "several NATO countries bordering Russia—Poland, Finland, and the Baltic states—move"
    assert places.country_group(text, places.find_countries(text)) == ("pl", "fi", "ee", "lv", "lt")
    text = "the United States hesitated to give mines to Ukraine"
    assert places.country_group(text, places.find_countries(text)) == ()


def test_back_references_and_counts_take_countries_from_neighbouring_sentences() -> None:
    context = Context()
    first = "Poland, Estonia, Latvia, and Lithuania have instructed their governments to exit the Convention."
    counted = "Four Eastern European NATO members have announced their intention to withdraw."
    assert references.resolve_countries(counted, 0, 1, context, first)[0] == ("pl", "ee", "lv", "lt")
    references.resolve_countries(first, 1, 2, context, None)
    codes, reasons = references.resolve_countries("Their decision reflects a growing belief.", 2, 2, context, None)
    assert codes == ("pl", "ee", "lv", "lt")
    assert reasons == ["'Their' refers to the previous sentence: pl, ee, lv, lt (60%)"]
    codes, reasons = references.resolve_countries("“We are ready,” the ministers wrote, citing Russia.", 3, 3, context,
                                           None)
    assert codes == ("ru", "pl", "ee", "lv", "lt")
    assert reasons[-1] == "'the ministers' refers to the countries named together before: pl, ee, lv, lt (70%)"


# ------------------------------------------------------------------------------------------------ dates

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


def test_explicit_dates_and_the_lower_bound_of_an_undated_article() -> None:
    body = "Posted — Richard (@ricwe123) March 19, 2025. The treaty of 1997; more on 18 March 2025."
    assert [d.value.iso for d in dates.explicit_dates(body)] == ["2025-03-19", "1997", "2025-03-18"]
    lower_bound = published.date_publication(extract.Extracted(body=body), None, body)
    assert (lower_bound.exact, lower_bound.not_before) == (None, date(2025, 3, 19))


# ------------------------------------------------------------------------------------------------ speakers, kinds

@pytest.mark.parametrize(("text", "speaker", "verb", "role"), [
    ("Tamar Gabelnick of the International Campaign to Ban Landmines said the value of mines is limited.",
     "Tamar Gabelnick", "said", "of the International Campaign to Ban Landmines"),
    ("Martin Barber, former director of the UN Mine Action Service, called them “barbaric,” emphasizing it.",
     "Martin Barber", "called", "former director of the UN Mine Action Service"),
    ("“Mines do not distinguish between a soldier and a child,” said Maria Lindqvist, director of the alliance.",
     "Maria Lindqvist", "said", "director of the alliance"),
    ("“Since the ratification… it has deteriorated,” the ministers wrote in their joint communication.",
     "the ministers", "wrote", None),
    ("Critics warn that such moves threaten decades of progress.", "Critics", "warn", None),
    ("More than 5,000 people were hurt, according to the Landmine Monitor.", "the Landmine Monitor",
     "according to", None),
    ("Record spending to have ‘profound implications for global peace,’ warns UN high representative.",
     "UN high representative", "warns", None),
    ("'I'm deeply concerned about this,' said Sen. Marilou McPhedran.", "Sen. Marilou McPhedran", "said", None),
    ("“This is a step that war has long demanded,” Kostenko, secretary of the committee on national security, "
     "defence and intelligence, said on his Facebook page.", "Kostenko", "said",
     "secretary of the committee on national security, defence and intelligence"),
    ("Last month, Poland’s Deputy Prime Minister and Minister of Defense, Władysław Kosiniak-Kamysz, told "
     "parliament it was necessary “so that we are not bound by a straitjacket.”", "Władysław Kosiniak-Kamysz",
     "told", "Poland’s Deputy Prime Minister and Minister of Defense"),
    ("In a joint statement, the defence ministers of Estonia, Latvia, Lithuania and Poland said they “unanimously "
     "recommend withdrawing”.", "the defence ministers of Estonia, Latvia, Lithuania and Poland", "said", None),
    ("The defence ministers for the four countries, all neighbours of Russia, said they recommended it.",
     "The defence ministers for the four countries", "said", None),
    ("\"It wages war to achieve political goals,\" the minister's post states.", "the minister", "states", None),
    ("“Poland cannot be subjected to restrictions,” WNP quoted Defense Minister Wladyslaw Kosiniak-Kamysh as "
     "saying.", "Defense Minister Wladyslaw Kosiniak-Kamysh", "quoted ... as saying", None),
    ("Moves to quit the treaty have been branded a “devastating step backwards” by campaigners.", "campaigners",
     "... by", None),
    ("Tamar Gabelnick strongly condemned the move and questioned how it would “uphold its obligations.”",
     "Tamar Gabelnick", "condemned", None),
    ("Land mines “harm civilians,” said Mary Wareham at Human Rights Watch.", "Mary Wareham", "said",
     "at Human Rights Watch"),
])
def test_speaker_extraction(text: str, speaker: str, verb: str, role: str | None) -> None:
    assert sentences.find_speaker(text) == sentences.Attribution(speaker, verb, role)


def test_states_parties_and_member_states_are_no_speech_verb() -> None:
    assert sentences.find_speaker("A total of 93 States Parties aligned themselves with the statement.") is None
    assert sentences.find_speaker("The member states parties to the treaty met in Geneva.") is None


def test_a_quotation_over_two_sentences_or_a_line_break_is_one_claim_with_its_speaker(site: Path) -> None:
    text = ("Parliament votes on the treaty\n\nPresident Alar Tamm backed the vote. He said:\n\n"
            "“The threat on our border is real and it is growing,\n\nand we must act before it is too late.”\n"
            "“We had no other option. Our neighbour is not bound by the treaty,” Tamm, chair of the "
            "committee on defence, security and borders, said on his website.\n"
            "\"We will not wait,\" he added.\n\n\"The law will pass in June.\"\n")
    article = site / "article.txt"
    article.write_text(text, encoding="utf-8")
    done = ing.ingest(site, str(article), ing.IngestOptions(id="tamm", url="https://example.org/tamm",
                                                            published="2025-05-20"))
    quoted = [(d.quote.split()[0], d.kind, d.speaker) for d in done.drafts if d.kind == "quote"]
    assert quoted == [("“The", "quote", "Alar Tamm"),
                      ("“We", "quote", "Tamm, chair of the committee on defence, security and borders"),
                      ('"We', "quote", "Tamm, chair of the committee on defence, security and borders"),
                      ('"The', "quote", "Tamm, chair of the committee on defence, security and borders")]


def test_he_said_is_the_last_named_speaker() -> None:
    assert sentences.find_speaker("He said the mines would stay.", "Jurgis Valaitis") == sentences.Attribution(
        "Jurgis Valaitis", "said")
    assert sentences.find_speaker("He said the mines would stay.") is None


@pytest.mark.parametrize(("text", "kind", "because"), [
    ("Polish officials described their withdrawal as part of a “military recalibration,”", "quote",
     "described, “military recalibration,…”"),
    ("Critics warn that such moves threaten decades of progress.", "paraphrase", "warn (no quotation marks)"),
    ("Israel offers a stark reminder of those costs.", "opinion", "'stark', 'reminder'"),
    ("The Russian military has deployed antipersonnel landmines in Ukraine.", "reporting",
     "no attribution, quotation marks or opinion words"),
    ("Officials called it a “coincidence”", "quote", "called, “coincidence…”"),
])
def test_kind_guessing_names_its_grounds(text: str, kind: str, because: str) -> None:
    guess = sentences.guess_kind(text, sentences.find_speaker(text), None)
    assert (guess.kind, guess.because) == (kind, because)


def test_a_sentence_in_a_post_is_a_social_post_by_its_author() -> None:
    post = marks.Mark("social-post", 0, 10, "rule", "trigger", author="Thorsten Benner", handle="@thorstenbenner")
    guess = sentences.guess_kind("Lithuania and Estonia today conclude it.", None, post)
    assert (guess.kind, guess.speaker) == ("social-post", "Thorsten Benner (@thorstenbenner)")


def test_quoted_words_without_a_speaker_stay_reporting_and_say_so() -> None:
    guess = sentences.guess_kind("The treaty was called “barbaric” in the debate.", None, None)
    assert guess.kind == "reporting"
    assert guess.because.startswith("quotation marks, but no speaker found")


def test_names_and_roles() -> None:
    found = names.find_names("Martin Barber, former director of the UN Mine Action Service, called them barbaric.",
                             {})
    assert found == names.Names(("Martin Barber (former director of the UN Mine Action Service)",),
                                ("UN Mine Action Service",))
    known: dict[str, str] = {"Klabin": "Nathan Klabin"}
    assert names.find_names("Klabin’s reporting underscores it.", known).people == ("Nathan Klabin",)
    assert names.find_names("NATO Nations Exit Landmine Ban Due To Russia Threat", {}) == names.Names((), ("NATO",))


def test_sentences_do_not_end_at_abbreviations_or_a_mid_sentence_ellipsis() -> None:
    body = "The U.S. Army said so. “Since the ratification… the situation has changed,” they wrote. Mr. Smith left.\n"
    [line] = lines_of(body)
    assert [body[s:e] for s, e in sentences.split_sentences(body, line)] == [
        "The U.S. Army said so.", "“Since the ratification… the situation has changed,” they wrote.",
        "Mr. Smith left."]


def test_numbers_leave_out_dates() -> None:
    numbers = answers.find_numbers("A coalition of 14 groups said on April 4, 2025 that 5,000 people and four states")
    assert [(n.words, n.value) for n in numbers] == [("14", 14), ("5,000", 5000), ("four", 4)]


@pytest.mark.parametrize("text", ['plain', 'a "quote" and a \\ backslash', "line\nbreak", "\u2028 and \x85",
                                  "tab\tand # hash: colon", "emoji 😂 and ‘curly’ “quotes”"])
def test_yaml_strings_read_back_exactly(text: str) -> None:
    assert yaml.safe_load(f"value: {render.yaml_string(text)}")["value"] == text


# ------------------------------------------------------------------------------------------------ answers

QUESTIONS = (
    answers.QuestionInfo("which-countries", "Which countries are leaving the treaty?", "countries", {}),
    answers.QuestionInfo("border-russia", "Does the article say the withdrawing countries it names border Russia?",
                         "text", {}),
    answers.QuestionInfo("treaty-year", "In which year was the treaty concluded?", "number", {}),
    answers.QuestionInfo("what-banned", "What does the treaty ban?", "text", {}),
)


def suggest(text: str, countries: tuple[str, ...], history: tuple[int, ...] = ()) -> list[str]:
    sentence = answers.Sentence(text, answers.stems(text), countries, countries, None, history, ())
    generic = answers.generic_words(QUESTIONS)
    return [s.shown for q in QUESTIONS if (s := answers.propose_answer(q, sentence, generic)) and s.offered]


def test_answers_are_offered_with_their_confidence_only_above_the_threshold() -> None:
    assert suggest("Poland and the Baltic states, which border Russia, will withdraw from the treaty.",
                   ("pl", "ee", "lv", "lt")) == [
        "which-countries -> [pl, ee, lv, lt] (80%: the sentence has 'countri', 'leav' of the question's words; the "
        "countries it names together)",
        "border-russia -> Yes (80%: the sentence has 'border', 'countri', 'leav', 'russia' of the question's words)"]
    assert suggest("For countries bordering Russia, these are nervous times.", ()) == []  # names none of them
    assert suggest("Russia is not a party and does not border Poland.", ("pl",)) == []  # a 'no' needs reading
    assert suggest("The 1997 treaty bans anti-personnel mines.", (), (1997,)) == [
        "treaty-year -> 1997 (80%: a year that dates the treaty ('the 1997 treaty', 'adopted in 1997'))"]
    assert suggest("The treaty bans anti-personnel mines.", ()) == []


def test_stems_meet_across_word_forms() -> None:
    assert answers.stems("withdrawing landmines") == answers.stems("leaving mines") == {"leav", "mine"}
    assert answers.stems("used") == answers.stems("uses") == {"use"}


# ------------------------------------------------------------------------------------------------ extraction

def test_a_quotation_dropped_by_the_extraction_is_warned_about_with_its_line() -> None:
    page = ("<html><body><article>\n<h1>Finland to leave the mine ban</h1>\n"
            "<p>Finland's parliament voted on Thursday to leave the Ottawa Convention after a long debate.</p>\n"
            "<div class=\"newsletter\"><p>“We had no other choice,” the defence minister told reporters in "
            "Helsinki after the vote.</p></div>\n"
            "<p>The withdrawal takes effect six months after the United Nations is notified of it.</p>\n"
            "</article></body></html>")
    body = "Finland's parliament voted on Thursday to leave the Ottawa Convention after a long debate.\n" \
           "The withdrawal takes effect six months after the United Nations is notified of it.\n"
    assert extract.dropped_quotations(page, body) == (
        "line 4 of the page: a paragraph with a quotation was left out by the extraction: '“We had no other "
        "choice,” the defence minister told reporters in Helsinki after the vote.'; copy it in by hand if it is "
        "the article's",)
    assert extract.dropped_quotations(page, body + "“We had no other choice,” the defence minister told "
                                                   "reporters in Helsinki after the vote.\n") == ()


def test_markdown_comments_are_no_text() -> None:
    found = extract.extract_text("# Finland leaves\n\n<!-- editor: check the date -->\nFinland voted on "
                                 "Thursday.\n\n---\n\nMore text.\n", markdown=True)
    assert "editor" not in found.body and "---" in found.body
    assert found.warnings == ("1 HTML comment(s) left out of the Markdown file: they are not part of its text",)
    assert "<!--" in extract.extract_text("a <!-- b --> c\n").body  # a text file keeps what it says


# ------------------------------------------------------------------------------------------------ whole articles

@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the project's site to ingest into."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    for folder in ("content", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def build_if_available(root: Path, out: Path) -> None:
    try:
        from builder.build import build_site
        count = build_site(root, out)
    except ImportError:  # the rendering stages are not there yet
        return
    assert count > 0


def test_ingest_an_html_page_into_the_site(site: Path, tmp_path: Path) -> None:
    done = ing.ingest(site, str(SAMPLES / "ngo-press-release.html"), ing.IngestOptions(id="clear-ground"),
                      today=date(2026, 1, 2))
    assert (done.source_path, done.claims_path) == (site / "content/sources/clear-ground.md",
                                                   site / "content/claims/clear-ground.yaml")
    source, drafts = site_facts.read_draft(site, "clear-ground")
    assert (source.outlet, source.url, source.byline) == (
        "Clear Ground Alliance", "https://clearground.example.org/press/2025/stay-in-the-treaty",
        "Clear Ground Alliance press office")
    assert source.published.window.exact == date(2025, 3, 20)
    assert [p.kind for p in source.passages] == ["player-prompt", "dateline", "social-post", "donation-appeal",
                                                 "read-more", "promo"]
    assert source.passages[2].text.startswith("Today the Baltic states and Poland said")
    assert all("Marked by ingest's" in p.note for p in source.passages)
    assert drafts and all(c.draft for c in drafts)
    assert "clear-ground" not in check_site(site).sources, "a draft until curated"
    tuesday = next(c for c in drafts if "on Tuesday" in c.quote)
    assert (tuesday.when, tuesday.countries) == (PartialDate(2025, 3, 18), ("ee", "lv", "lt", "pl"))
    assert "[inferred: 'on Tuesday' read as 18 March 2025" in tuesday.says
    claims_text = done.claims_path.read_text(encoding="utf-8")
    assert "# kind guessed from: said, “Anti-personnel mines do not distinguish between…” (90%)" in claims_text
    build_if_available(site, tmp_path / "public")


def test_ingest_a_text_file_and_standard_input(site: Path) -> None:
    options = ing.IngestOptions(id="nordwire", url="https://nordwire.example.org/a", outlet="Nordwire")
    ing.ingest(site, str(SAMPLES / "wire-report.txt"), options)
    piped = io.BytesIO((SAMPLES / "opinion-column.md").read_bytes())
    ing.ingest(site, "-", ing.IngestOptions(id="column", url="https://example.org/column", outlet="The Review",
                                            published=date(2025, 4, 2)), stdin=piped)
    wire, _ = site_facts.read_draft(site, "nordwire")
    assert wire.body == (SAMPLES / "wire-report.txt").read_text(encoding="utf-8")
    assert (wire.title, wire.byline, wire.published.window.exact) == (
        "Baltic states and Poland move to quit landmine treaty", "Jonas Petrauskas", date(2025, 3, 18))
    assert [p.kind for p in wire.passages] == ["byline", "dateline", "caption", "read-more", "credit"]
    column, column_claims = site_facts.read_draft(site, "column")
    assert column.captured_as is None
    assert [(p.kind, p.author) for p in column.passages if p.kind == "social-post"] == [
        ("social-post", "Tomasz Nowak"), ("social-post", "Liisa Mets")]
    posts = [c for c in column_claims if c.kind == "social-post"]
    assert {c.speaker for c in posts} == {"Tomasz Nowak (@tnowak_pl)", "Liisa Mets (@liisamets)"}


def test_the_command_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--root", str(site), "ingest", str(SAMPLES / "wire-report.txt"), "--id", "wire-cli",
                     "--url", "https://nordwire.example.org/b", "--published", "2025-03-18"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("wrote content/sources/wire-cli.md (5 passage(s) marked) and content/claims/wire-cli.yaml")
    assert site_facts.read_draft(site, "wire-cli")[0].outlet == "nordwire.example.org"


@pytest.mark.parametrize(("given", "window"), [
    ("2026-01-15", (date(2026, 1, 15), date(2026, 1, 15), date(2026, 1, 15))),
    ("2026-01", (None, date(2026, 1, 1), date(2026, 1, 31))),
    ("2026", (None, date(2026, 1, 1), date(2026, 12, 31))),
    ("2025-04-01..2025-04-04", (None, date(2025, 4, 1), date(2025, 4, 4))),
    ("2025-12..", (None, date(2025, 12, 1), None)),
    ("..2026-02", (None, None, date(2026, 2, 28))),
])
def test_published_may_be_a_month_a_year_or_a_window(site: Path, given: str,
                                                     window: tuple[date | None, ...]) -> None:
    assert cli_main(["--root", str(site), "ingest", str(SAMPLES / "wire-report.txt"), "--id", "wire-when",
                     "--url", "https://nordwire.example.org/b", "--published", given]) == 0
    published = site_facts.read_draft(site, "wire-when")[0].published
    assert (published.window.exact, published.window.not_before, published.window.not_after) == window
    assert f"--published {given}" in published.how


@pytest.mark.parametrize(("given", "problem"), [
    ("2026-13", "'2026-13' is not a real date"),
    ("15/01/2026", "'15/01/2026' is not a date"),
    ("2025-05..2025-04", "the window starts (2025-05-01) after it ends (2025-04-30)"),
    ("..", "a window needs at least one end"),
])
def test_a_published_option_that_is_no_date(site: Path, given: str, problem: str) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(
        id="new-source", url="https://nordwire.example.org/b", published=given))
    assert report == (f"--published:1:1: {problem} (found '{given}')\n"
                      "  hint: write YYYY-MM-DD, YYYY-MM or YYYY, or a window FROM..TO such as 2025-04-01..2025-04-04"
                      " (either end may be left out)\n1 error; nothing was written.")


# ------------------------------------------------------------------------------------------------ refusals

def refused(site: Path, file_arg: str, options: ing.IngestOptions, stdin: io.BytesIO | None = None) -> str:
    """The whole error report of a refused ingest, after checking that nothing under the site changed."""
    before = tree_digest(site)
    with pytest.raises(ContentErrors) as caught:
        ing.ingest(site, file_arg, options, stdin=stdin)
    assert tree_digest(site) == before
    return caught.value.report()


OPTIONS = ing.IngestOptions(id="new-source", url="https://example.org/new", outlet="Example")


def test_an_id_already_taken_is_refused_and_the_files_are_untouched(site: Path) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="media-line",
                                                                              url="https://example.org/x"))
    assert report == ("content/sources/media-line.md:1:1: the id 'media-line' is already taken\n"
                      "  hint: choose another with --id, e.g. 'media-line-2'; existing files are never overwritten\n"
                      "1 error; nothing was written.")


def test_a_claims_file_without_its_source_also_takes_the_id(site: Path) -> None:
    (site / "content/claims/orphan.yaml").write_text("[]\n", encoding="utf-8")
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="orphan",
                                                                              url="https://example.org/x"))
    assert report.startswith("content/claims/orphan.yaml:1:1: the id 'orphan' is already taken\n")


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "article.txt:1:1: the input is empty\n"
          "  hint: save the article's page or text into the file first"),
    (b"  \n\t\n", "article.txt:1:1: the input is empty\n"
                  "  hint: save the article's page or text into the file first"),
    (b"%PDF-1.7\n...", "article.txt:1:1: the input is binary: it looks like a PDF document\n"
                       "  hint: save the article as a web page (.html) or as text (.txt or .md) and ingest that"),
    (b"Title\nsome\x00bytes", "article.txt:2:5: the input contains NUL bytes; it looks binary\n"
                              "  hint: save the article as a web page (.html) or as text (.txt or .md)"),
    ("Title\nCaf\u00e9 in Warsaw".encode("latin-1"), "article.txt:2:4: the input is not UTF-8 text (byte 0xe9)\n"
                                                      "  hint: save it as UTF-8 (or, for a web page, keep its "
                                                      "<meta charset>)"),
])
def test_empty_binary_and_undecodable_inputs(site: Path, tmp_path: Path, data: bytes, expected: str) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(data)
    report = refused(site, str(article), OPTIONS)
    assert report == expected.replace("article.txt", str(article)) + "\n1 error; nothing was written."


def test_empty_standard_input(site: Path) -> None:
    report = refused(site, "-", OPTIONS, stdin=io.BytesIO(b""))
    assert report.startswith("<stdin>:1:1: the input is empty\n")


def test_a_page_in_its_declared_charset_is_read(site: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(("<html><head><meta charset=\"iso-8859-1\"><title>Caf\u00e9 talk</title></head><body>"
                      "<article><p>Poland said on Tuesday it would leave the Ottawa Convention, a caf\u00e9 owner "
                      "in Warsaw told reporters at length about the decision.</p></article></body></html>"
                      ).encode("latin-1"))
    ing.ingest(site, str(page), OPTIONS)
    assert "café owner" in site_facts.read_draft(site, "new-source")[0].body


def test_text_without_an_address_needs_url(site: Path, tmp_path: Path) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="new-source"))
    assert report == (f"{SAMPLES / 'wire-report.txt'}:1:1: the input does not say where the article was published\n"
                      "  hint: pass --url with the article's address\n1 error; nothing was written.")


def test_a_missing_file(site: Path, tmp_path: Path) -> None:
    report = refused(site, str(tmp_path / "nowhere.html"), OPTIONS)
    assert report == (f"{tmp_path / 'nowhere.html'}:1:1: no such file\n"
                      "  hint: check the path; use '-' to read standard input\n1 error; nothing was written.")


def test_files_are_placed_together_or_not_at_all(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the second file appears between staging and placing, the first is taken back."""
    target = site / "content/claims/new-source.yaml"
    real_link = ing.os.link

    def racing_link(src: str, dst: Path) -> None:
        if Path(dst) == target:
            target.write_text("[]\n", encoding="utf-8")
        real_link(src, dst)

    monkeypatch.setattr(ing.os, "link", racing_link)
    with pytest.raises(ContentErrors, match="1 content error"):
        ing.ingest(site, str(SAMPLES / "wire-report.txt"), OPTIONS)
    assert not (site / "content/sources/new-source.md").exists()
    assert target.read_text(encoding="utf-8") == "[]\n"
    assert not [p for p in (site / "content").rglob("*.ingest")]


# ------------------------------------------------------------------------------------------------ bounded input

class EndlessStream(io.RawIOBase):
    """A pipe that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.given > 64 * reading.MAX_INPUT_BYTES:
            raise AssertionError("read on and on")
        size = min(len(buffer), 1 << 20)
        buffer[:size] = b"a" * size
        self.given += size
        return size


TOO_LARGE = ("{src}:1:1: the input is too large (more than 5,000,000 bytes)\n"
             "  hint: an article is far smaller than 5,000,000 bytes; save only the page\n"
             "1 error; nothing was written.")


def test_standard_input_larger_than_a_file_may_be_is_refused(site: Path) -> None:
    report = refused(site, "-", OPTIONS, stdin=io.BytesIO(b"Poland said it would leave.\n" * 220_000))  # 6.2 MB
    assert report == TOO_LARGE.format(src="<stdin>")


def test_an_endless_pipe_is_read_no_further_than_the_limit(site: Path) -> None:
    endless = EndlessStream()
    report = refused(site, "-", OPTIONS, stdin=endless)  # type: ignore[arg-type]
    assert report == TOO_LARGE.format(src="<stdin>")
    assert endless.given <= reading.MAX_INPUT_BYTES + (1 << 20)


def test_a_device_is_read_no_further_than_the_limit(site: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("needs /dev/zero")
    assert refused(site, "/dev/zero", OPTIONS) == TOO_LARGE.format(src="/dev/zero")


def test_a_large_file_on_standard_input_is_refused_unread(site: Path, tmp_path: Path) -> None:
    large = tmp_path / "large.txt"
    with large.open("wb") as out:
        out.truncate(100_000_000)  # sparse: 100 MB that take no room
    with large.open("rb") as stdin:
        report = refused(site, "-", OPTIONS, stdin=stdin)  # type: ignore[arg-type]
        assert stdin.tell() == 0
    assert report == ("<stdin>:1:1: the input is too large (100,000,000 bytes)\n"
                      "  hint: an article is far smaller than 5,000,000 bytes; save only the page\n"
                      "1 error; nothing was written.")


# ------------------------------------------------------------------------------------------------ options

@pytest.mark.parametrize("url", ["https://example.org/new\n", "https://example.org/new\r", "https://example.org/ new",
                                 "https://example.org/new\x1b[2J", "https://example.org/\u202enew"])
def test_a_url_with_a_line_break_space_or_control_character_is_refused(site: Path, url: str) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="new-source", url=url))
    assert report == (f"--url:1:1: '{printable(url)}' contains a line break, a space or a control character\n"
                      "  hint: write the address alone, quoted, e.g. --url 'https://example.org/news/story'\n"
                      "1 error; nothing was written.")


def test_the_command_line_prints_a_bad_url_escaped(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--root", str(site), "ingest", str(SAMPLES / "wire-report.txt"), "--id", "wire-cli",
                     "--url", "https://example.org/\x1b]52;c;SGVsbG8=\x07\n"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("--url:1:1: 'https://example.org/\\x1b]52;c;SGVsbG8=\\x07\\x0a' contains a line break")
    assert not any(char in err for char in "\x1b\x07")


def test_a_windows_device_name_is_refused_as_an_id(site: Path) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="nul", url="https://example.org/x"))
    assert report == ("--id:1:1: 'nul' is a device name on Windows\n"
                      "  hint: 'con', 'prn', 'aux', 'nul', 'com0'-'com9' and 'lpt0'-'lpt9' name devices on Windows, "
                      "with any extension, and cannot be file names there; choose another id, e.g. 'nul-1'\n"
                      "1 error; nothing was written.")


def test_an_outlet_named_like_a_device_gets_another_id(site: Path) -> None:
    done = ing.ingest(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(url="https://example.org/x",
                                                                                 outlet="AUX"))
    assert done.source_path.name == "aux-source.md"
