"""Quotes are found the way a reader would find them."""

from builder.quotes import SearchableText, normalise

BODY = "Russia\u2014Poland, Finland, and the \u201cBaltic\u201d states. It\u2019s   long\u2026 and\nwrapped text."


def test_typography_and_white_space_are_folded() -> None:
    text = SearchableText(BODY)
    start, end = text.find('Russia - Poland, Finland, and the "Baltic" states')
    assert BODY[start:end] == "Russia\u2014Poland, Finland, and the \u201cBaltic\u201d states"
    assert text.find("It's long... and wrapped text.") is not None


def test_different_words_do_not_match() -> None:
    assert SearchableText(BODY).find("Russia - Poland, Sweden") is None


def test_elided_quote_matches_parts_in_order() -> None:
    text = SearchableText("Martin Barber, former director of the service, called them barbaric.")
    span = text.find("Martin Barber ... called them barbaric")
    assert span == (0, len("Martin Barber, former director of the service, called them barbaric"))
    assert text.find("called them ... Martin Barber") is None


def test_closest_passage_is_offered() -> None:
    text = SearchableText("One two three four five six seven eight nine ten.")
    assert text.closest("four five sixx seven") == "four five six seven"


def test_normalise_is_idempotent() -> None:
    assert normalise(normalise(BODY)) == normalise(BODY)
