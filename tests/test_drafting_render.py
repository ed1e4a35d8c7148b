"""drafting/render.py: the drafted files' YAML strings read back exactly."""

from __future__ import annotations

import pytest
import yaml

from builder.drafting import (
    render,
)


@pytest.mark.parametrize("text", ['plain', 'a "quote" and a \\ backslash', "line\nbreak", "\u2028 and \x85",
                                  "tab\tand # hash: colon", "emoji 😂 and ‘curly’ “quotes”"])
def test_yaml_strings_read_back_exactly(text: str) -> None:
    assert yaml.safe_load(f"value: {render.yaml_string(text)}")["value"] == text


def test_an_unrelated_verdict_is_proposed_to_the_editor_never_written_for_readers() -> None:
    """`related: false` makes the page say 'unrelated to the story': a rule's guess (no word shared with the
    topic) is a comment for the editor, and the field is left out; the note says only what the passage is."""
    from datetime import date

    from builder.drafting.marks import Mark

    unrelated = Mark("social-post", 0, 10, "social-post signature", "'— Richard (@ricwe123) March 19, 2025' signs "
                     "an embedded post", author="Richard", handle="@ricwe123", posted=date(2025, 3, 19),
                     related=False, related_why="related: perhaps not, as it shares no word with the site's topic")
    lines = render._passage_lines(unrelated, ("Did you know", "2025"), "ricwe123-post", "en")
    assert lines[:3] == [
        "  # marked by ingest's 'social-post signature' rule (90% sure): '— Richard (@ricwe123) March 19, 2025' "
        "signs an embedded post.",
        "  # related: perhaps not, as it shares no word with the site's topic.",
        "  # If the post has nothing to do with the story, add `related: false`: the page then tells readers it is "
        "unrelated to the story."]
    assert '    note: "A post on X by Richard (@ricwe123), embedded in the article."' in lines
    assert not any(line.strip().startswith("related:") for line in lines)
    related = Mark("social-post", 0, 10, "post link", "a t.co link", author="unknown (no signature captured)",
                   related=True, related_why="related: assumed; check it")
    assert render._passage_lines(related, ("a", None), "post", "en")[-1] == "    related: true"
    assert render.reader_note(related) == "A post embedded in the article."
    assert render.reader_note(Mark("dateline", 0, 5, "dateline", "x")) == (
        "The article's dateline: where and when it was filed, not its reporting.")
