"""drafting/passages.py: every rule run in order over a page, and a passage pinned by words the validator reads back."""

from __future__ import annotations

from builder.drafting import (
    furniture,
    passages,
    sentences,
)
from builder.quotes import SearchableText
from tests.support.topic import shipped_topic
from tests.test_drafting_furniture import APPEAL_BODY

TOPIC = shipped_topic()

def lines_of(body: str) -> list[sentences.Line]:
    return sentences.split_lines(body)


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


def test_anchors_are_unique_and_read_back_as_the_validator_reads_them() -> None:
    body = SearchableText(APPEAL_BODY)
    [mark] = furniture.mark_donation_appeals(lines_of(APPEAL_BODY))
    start_text, end_text = passages.anchor_passage(body, mark.start, mark.end)
    assert (start_text, end_text) == ("This holiday season, give", "agenda: the truth.")
    assert body.find_all(start_text) == [(mark.start, mark.start + len(start_text))]
