"""drafting/speakers.py: the speaker of a sentence that does not name one, read through the sentences around it,
each reading with the words it rests on and its confidence in the draft's comments."""

from __future__ import annotations

from builder.drafting.claims import Draft, SiteFacts, draft_claims
from builder.drafting.published import Published
from tests.support.topic import shipped_topic

SITE = SiteFacts(set(), set(), {"ee", "fi", "lt", "lv", "pl"}, (), shipped_topic(""))


def drafted(body: str) -> list[Draft]:
    drafts, _ = draft_claims(body, [], None, Published(None, None, None, "unknown"), SITE)
    return drafts


def speaker_comment(draft: Draft) -> str:
    return next(c for c in draft.comments if c.startswith("speaker from:"))


def test_an_office_is_read_as_the_last_person_named_with_it() -> None:
    *_, quote = drafted("Polish Prime Minister Donald Tusk told the Sejm that his position is positive.\n"
                        "“Everyone has these weapons,” the prime minister said.\n")
    assert (quote.kind, quote.speaker) == ("quote", "Donald Tusk")
    assert speaker_comment(quote) == ("speaker from: 'Donald Tusk' + 'said (“the prime minister”: the last person "
                                      "named so)' (70%)")


def test_a_bare_quotation_after_a_sentence_naming_a_person_is_guessed_theirs() -> None:
    _, quote = drafted("Finnish Defence Minister Antti Häkkänen was blunt on Monday in Helsinki. "
                       "“We will not wait for anyone.”\n")
    assert (quote.kind, quote.speaker) == ("quote", "Antti Häkkänen")
    assert speaker_comment(quote) == ("speaker from: 'Antti Häkkänen' + 'the person the sentence before named' "
                                      "(60%)")


def test_a_bare_quotation_in_its_own_paragraph_is_not_guessed_from_a_name_above() -> None:
    _, bare = drafted("Finnish Defence Minister Antti Häkkänen was blunt on Monday in Helsinki.\n\n"
                      "“We will not wait for anyone.”\n")
    assert (bare.kind, bare.speaker) == ("reporting", None)


def test_a_quotation_whose_speaker_ends_the_next_sentence() -> None:
    first, second = drafted("“We will not wait for anyone.”\n“We act now,” Tsahkna said.\n")
    assert (first.speaker, second.speaker) == ("Tsahkna", "Tsahkna")
    assert speaker_comment(first) == "speaker from: 'Tsahkna' + ''said' after the next sentence's quotation' (75%)"


def test_a_quotation_going_on_in_its_own_paragraph_keeps_its_speaker() -> None:
    *_, said, going_on = drafted(
        "Minister of Foreign Affairs Margus Tsahkna (Eesti 200) said leaving it “sends a clear message”.\n\n"
        "“Russia is not a party to the Ottawa Convention,” he said.\n"
        "“It is essential for the Defence Forces to have greater flexibility.”\n")
    assert (said.speaker, going_on.speaker) == ("Minister of Foreign Affairs Margus Tsahkna",) * 2
    assert speaker_comment(going_on).endswith("+ 'continues the quotation of the sentence before' (75%)")


def test_a_view_without_a_verb_is_read_less_surely() -> None:
    [view] = drafted("For Gabelnick, the withdrawal is “a tragedy” for civilians.\n")
    assert speaker_comment(view) == "speaker from: 'Gabelnick' + 'for ..., “...”' (70%)"


def test_he_is_the_person_the_sentence_names_not_the_speaker_of_the_sentence_before() -> None:
    """rev-user finding 2: the 'he' of Tedros's quotation was read as the previous sentence's 'His office'.
    https://www.politico.eu/article/milei-to-pull-argentina-out-of-who/"""
    tedros = ("WHO Director-General Tedros Adhanom Ghebreyesus on Monday pushed back against similar claims made by "
              "Trump{} “We believe in continuous improvement, and we would welcome suggestions from the United States "
              "and all member states for how we can serve you and the people of the world better,” he said.\n")
    before = ("His office also said that the U.N. body is inflexible to change and that it seeks to limit the "
              "sovereignty of countries.\n\n")
    _, saying = drafted(before + tedros.format(", saying:"))
    assert (saying.kind, saying.speaker) == ("quote", "WHO Director-General Tedros Adhanom Ghebreyesus")
    assert saying.people == ("Tedros Adhanom Ghebreyesus (WHO Director-General)",)
    _, he_said = drafted(before + tedros.format(":"))  # no verb but 'he said': 'he' is the person named
    assert (he_said.kind, he_said.speaker) == ("quote", "Tedros Adhanom Ghebreyesus")


def test_a_day_after_the_speaker_is_not_part_of_their_name() -> None:
    # https://www.devdiscourse.com/article/international/991468-un-chief-welcomes-adoption-of-resolution-by-general-assembly-on-covid19
    [guterres] = drafted("UN Secretary General Antonio Guterres on Friday welcomed the adoption of a resolution that "
                         "has called for intensified international cooperation to defeat the coronavirus, describing "
                         "it as an important step in the fight against the pandemic and its economic and social "
                         "consequences.\n")
    assert guterres.speaker == "UN Secretary General Antonio Guterres"
    # http://outlookafghanistan.net/international_detail.php?post_id=2517
    [ban] = drafted("UNITED NATIONS - Secretary-General Ban Ki-moon late Saturday welcomed the resolution adopted "
                    "earlier in the day by the Council of Ministers of the League of Arab States which took the "
                    "\"strong and courageous\" decision to suspend Syria from participating in its meetings and "
                    "activities starting next Wednesday, unless Damascus stops the killings immediately.\n")
    assert (ban.kind, ban.speaker) == ("quote", "Secretary-General Ban Ki-moon")


def test_an_accusation_is_said_by_its_subject() -> None:
    """'X accused Y of ...' reports what X said: not the outlet's reporting (rev-user finding 2)."""
    # https://www.politico.eu/article/milei-to-pull-argentina-out-of-who/
    [office] = drafted("In a statement, Milei’s office accused the WHO’s positions of being the “result of political "
                       "influence, not based on science.”\n")
    assert (office.kind, office.speaker) == ("quote", "Milei’s office")
    # https://www.modernghana.com/news/1276755/20000-to-see-akufo-addo-bribe-allegations-agai.html
    [yandoh] = drafted("Yandoh accused unnamed \"political opponents and detractors\" of propagating the claims to "
                       "\"score cheap political points.\"\n")
    assert (yandoh.kind, yandoh.speaker) == ("quote", "Yandoh")
    # https://www.thehindu.com/news/national/andhra-pradesh/tdp-making-baseless-allegations-on-phone-tapping-sucharita/article32379369.ece
    [minister] = drafted("Home Minister M. Sucharita has accused the Opposition leaders of making false allegations "
                         "of phone tapping by the government, terming it a slander campaign.\n")
    assert (minister.kind, minister.speaker) == ("paraphrase", "Home Minister M. Sucharita")


def test_claims_after_a_determiner_is_a_noun_not_a_verb_of_saying() -> None:
    """'pushed back against the claims: “...,” he said' was read as 'X claims', its speaker the words before it."""
    from builder.drafting.sentences import find_speaker

    found = find_speaker("WHO chief Tedros on Monday pushed back against the claims: “We believe,” he said.",
                         "Tedros")
    assert found is not None and (found.speaker, found.verb) == ("Tedros", "said")
    trump = find_speaker("Trump claims the WHO is biased.")
    assert trump is not None and trump.speaker == "Trump"
