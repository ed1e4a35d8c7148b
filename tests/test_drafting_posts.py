"""drafting/posts.py: embedded and quoted posts found by their signature, bounded as a post is, judged related
or not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from builder.drafting import (
    extract,
    posts,
    sentences,
)
from tests.support.topic import shipped_topic

TOPIC = shipped_topic()

SAMPLES = Path(__file__).resolve().parent / "ingest_samples"

def lines_of(body: str) -> list[sentences.Line]:
    return sentences.split_lines(body)


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
    assert mark.related_why.startswith("related: perhaps not, as it shares no word")


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


def test_a_post_quoted_whole_and_signed_with_a_name_and_role() -> None:
    body = ("What is known about the decision?\n\n"
            "I was just informed that the president signed a decree to withdraw our country from the Ottawa "
            "Convention. Roman Kostenko Colonel of the SBU\n\nAccording to the latter, it is overdue.\n")
    [mark] = posts.mark_signed_posts(body, lines_of(body), date(2025, 6, 29))
    assert (mark.kind, mark.author, body[mark.start:mark.content_end].strip()) == (
        "social-post", "Roman Kostenko", "I was just informed that the president signed a decree to withdraw our "
                                         "country from the Ottawa Convention.")


def test_a_post_in_another_language_is_not_judged_by_english_words() -> None:
    """rev-user finding 6: Milei's post, in Spanish, was judged unrelated to a story about Argentina leaving the WHO
    because it shares no English word with the site's topic."""
    milei = "La OMS es una organización nefasta que fue el brazo ejecutor del mayor experimento de control social."
    assert posts.other_language(milei) == "Spanish (es)"
    related, why = posts.post_relatedness(milei, TOPIC)
    assert related is None and why.startswith("related: not judged, as the post reads as Spanish (es)")
    assert posts.other_language("Polska wychodzi z konwencji ottawskiej i nie będzie czekać na innych.") == \
        "Polish (pl)"
    assert posts.other_language("Did you know NATO is setting up a base on Romania’s border?") is None
    assert posts.other_language("Thank you Poland!") is None  # too short to tell
