"""drafting/furniture.py: each rule for the page's furniture (appeals, prompts, 'read more', captions), on a few
lines."""

from __future__ import annotations

import pytest

from builder.drafting import (
    furniture,
    marks,
    sentences,
)


def lines_of(body: str) -> list[sentences.Line]:
    return sentences.split_lines(body)

def marked(body: str, found: list[marks.Mark]) -> list[str]:
    return [body[m.start:m.end] for m in found]


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
