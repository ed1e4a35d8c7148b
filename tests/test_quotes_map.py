"""The normaliser's offset map, kept as segments for speed, agrees with the plain per-character definition."""

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.quotes import _FOLD, _RARE_SPACES, SearchableText, normalise


def reference(text: str) -> tuple[str, list[int]]:
    """The definition, one character at a time: folded text, one space per run of white space (none at the
    ends or next to a dash), the ellipsis as three dots; and each character's offset in the original."""
    out: list[str] = []
    where: list[int] = []
    pending = -1
    for i, char in enumerate(text):
        if char.isspace():
            if out and pending < 0:
                pending = i
            continue
        pieces = "..." if char == "\u2026" else char.translate(_FOLD)
        if pending >= 0:
            if pieces != "-" and out[-1] != "-":
                out.append(" ")
                where.append(pending)
            pending = -1
        out.extend(pieces)
        where.extend([i] * len(pieces))
    return "".join(out), where


TRICKY = st.sampled_from(list("ab -.\u2026\u2014\u2013\u201c\u201d'` \t\n\r\u00a0\u2009\x1c\u3000x"))


@settings(max_examples=3000, deadline=None)
@given(st.lists(TRICKY, max_size=40).map("".join))
def test_the_map_agrees_with_the_definition(text: str) -> None:
    expected, where = reference(text)
    searchable = SearchableText(text)
    assert searchable.norm == expected == normalise(text)
    assert [searchable._where(i) for i in range(len(expected))] == where


def test_every_white_space_is_looked_for() -> None:
    """The normaliser finds white space by the characters it knows: all of str.isspace's but ' ' and '\\n'."""
    assert {chr(code) for code in range(0x110000) if chr(code).isspace()} == set(_RARE_SPACES) | {" ", "\n"}
