"""drafting/claims.py: one draft per statement, every guess written as a comment with the words it rests on and
how sure it is; readable, unique ids."""

from __future__ import annotations

import re
from datetime import date

from builder.drafting.claims import Draft, SiteFacts, draft_claims, name_claims, slugify
from builder.drafting.published import Published
from builder.model import PartialDate
from tests.support.topic import shipped_topic

SITE = SiteFacts(set(), set(), {"ee", "fi", "lt", "lv", "pl", "ru"}, (), shipped_topic(""))
PUBLISHED = Published(date(2025, 3, 18), None, None, "the page's date")


def drafted(body: str) -> list[Draft]:
    drafts, _ = draft_claims(body, [], None, PUBLISHED, SITE)
    return drafts


def test_every_guess_says_what_it_rests_on_and_how_sure_it_is() -> None:
    [draft] = drafted("“Military threats have significantly increased,” Estonian Defence Minister Hanno Pevkur said "
                      "on Tuesday, as Latvia and Lithuania agreed.\n")
    assert (draft.kind, draft.speaker, draft.countries, draft.when) == (
        "quote", "Estonian Defence Minister Hanno Pevkur", ("ee", "lv", "lt"), PartialDate(2025, 3, 18))
    assert draft.comments == [
        "kind guessed from: said, “Military threats have significantly increased,…” (90%)",
        "speaker from: 'Estonian Defence Minister Hanno Pevkur' + 'said' (90%)",
        "countries: 'Estonian' -> ee, 'Latvia' -> lv, 'Lithuania' -> lt (named: 95%)",
        "dates: 'on Tuesday' = 2025-03-18 (85%, inferred)",
    ]
    assert all(re.search(r"\d+%(?:, inferred)?\)$", comment) for comment in draft.comments)


def test_quoted_words_without_a_speaker_are_reporting_and_less_sure() -> None:
    [draft] = drafted("The treaty was called “barbaric” in the debate.\n")
    assert (draft.kind, draft.speaker) == ("reporting", None)
    assert draft.comments[0].endswith("(40%)")


def test_the_treaty_s_year_is_not_when_a_claim_happened() -> None:
    [draft] = drafted("Poland said on 18 March 2025 that it would leave the 1997 treaty.\n")
    assert draft.when == PartialDate(2025, 3, 18)
    [history] = drafted("The 1997 treaty was signed in Ottawa.\n")
    assert history.when == PartialDate(1997)


def test_ids_are_readable_and_unique_across_the_site() -> None:
    drafts = drafted("Poland will leave the treaty.\nPoland will leave the treaty.\n")
    name_claims(drafts, "media-line", {"ml-poland-leave-treaty"})
    assert [d.id for d in drafts] == ["ml-poland-leave-treaty-2", "ml-poland-leave-treaty-3"]
    assert slugify("The Media Line") == "media-line"
    assert slugify("Łódź Daily News Service Online") == "odz-daily-news-service"


def test_a_date_read_between_two_tenses_is_no_when_and_says_it_is_unsure() -> None:
    """A draft that cannot be sure of a date says so rather than proposing it (rev-user finding 1)."""
    [unsure] = drafted("The minister, who will step down, said the vote is on Friday.\n")
    assert unsure.when is None
    assert any(c.startswith("dates: 'on Friday' = 2025-03-14 (50%, inferred), not taken as `when`: the sentence "
                            "speaks of both") for c in unsure.comments)
    assert "(uncertain: " in unsure.says
    [sure] = drafted("Poland will leave the treaty, the minister said on Friday.\n")  # 18 March 2025 is a Tuesday
    assert sure.when == PartialDate(2025, 3, 14)
    assert "dates: 'on Friday' = 2025-03-14 (85%, inferred)" in sure.comments


def test_a_one_word_source_id_opens_its_claim_ids_whole() -> None:
    """`--outlet POLITICO` drafted 'politi-...' ids (rev-user finding 9)."""
    drafts = drafted("Poland will leave the treaty.\n")
    name_claims(drafts, "politico", set())
    assert [d.id for d in drafts] == ["politico-poland-leave-treaty"]
