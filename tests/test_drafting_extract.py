"""drafting/extract.py: the text of a page or a Markdown file, and what extraction drops."""

from __future__ import annotations

from builder.drafting import (
    extract,
)


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


def test_a_date_that_opens_the_first_line_is_no_part_of_the_title() -> None:
    """rev-user finding 9: the title of a text opening ' date 2025-02-06 Argentina says ...' kept the marker."""
    from builder.drafting.extract import extract_text

    assert extract_text(" date 2025-02-06 Argentina says it will withdraw from World Health Organization\n\n"
                        "Argentina will pull out.\n").title == ("Argentina says it will withdraw from World Health "
                                                                "Organization")
    assert extract_text("Published: 5 Feb 2025 | Milei pulls out\n\nText.\n").title == "Milei pulls out"
    assert extract_text("5 February 2025\nMilei pulls out\n\nText.\n").title == "Milei pulls out"
    assert extract_text("March 2025 was cold in Warsaw\n\nText.\n").title == "March 2025 was cold in Warsaw"
