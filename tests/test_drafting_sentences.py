"""drafting/sentences.py: sentences, quotations, the speaker a sentence names, and the kind of statement."""

from __future__ import annotations

import pytest

from builder.drafting import (
    marks,
    sentences,
)


def lines_of(body: str) -> list[sentences.Line]:
    return sentences.split_lines(body)


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


def test_sentences_do_not_end_at_abbreviations_or_a_mid_sentence_ellipsis() -> None:
    body = "The U.S. Army said so. “Since the ratification… the situation has changed,” they wrote. Mr. Smith left.\n"
    [line] = lines_of(body)
    assert [body[s:e] for s, e in sentences.split_sentences(body, line)] == [
        "The U.S. Army said so.", "“Since the ratification… the situation has changed,” they wrote.",
        "Mr. Smith left."]


@pytest.mark.parametrize(("text", "speaker", "verb", "role"), [
    ("Minister of Foreign Affairs Margus Tsahkna (Eesti 200) said leaving it “sends a clear message”.",
     "Minister of Foreign Affairs Margus Tsahkna", "said", None),
    ("This was stated to journalists by the head of the Polish Ministry of Defense, Vladislav Kosinyak-Kamysh, "
     "after talks in Warsaw.", "Vladislav Kosinyak-Kamysh", "stated by", "the head of the Polish Ministry of Defense"),
    ("“We proceeded from that principle,” the ERR portal quotes Pevkur as saying.", "Pevkur", "quoted ... as saying",
     None),
    ("Last week, the countries, along with Finland, said they were “close” to an agreement.", "the countries", "said",
     None),
    ("The defence ministers for the four EU and NATO member states, which all share a border with Russia, said that "
     "threats “have significantly increased”.", "The defence ministers for the four EU and NATO member states", "said",
     None),
    ("“We are ready,” a spokesperson told Reuters.", "a spokesperson", "told", None),
    ("These withdrawals are justified by threats, but experts warn they risk “dangerous erosion” of the norm.",
     "experts", "warn", None),
    ("Kosiniak-Kamysz: “Poland cannot be caged in a straitjacket.”", "Kosiniak-Kamysz", "':' before the quotation",
     None),
    ("The report warns that steps “concretely threaten the convention”, said Ban Policy Editor Yeshua "
     "Moser-Puangsuwan.", "Ban Policy Editor Yeshua Moser-Puangsuwan", "said", None),
    ("“These mines are needed,” insists the Finnish defence minister.", "the Finnish defence minister", "insists",
     None),
    ("In the view of the ICRC, the withdrawals are “a serious setback” for civilians.", "the ICRC", "according to",
     None),
    ("Lithuania has announced its decision to withdraw.", "Lithuania", "announced", None),  # not 'Lithuania has'
    ("The article goes on at length about Finland, describing what was once a “good neighbour” to Russia.",
     "The article", "describing", None),
    ("For Gabelnick, the withdrawal is “a tragedy” for civilians.", "Gabelnick", "for ..., “...”", None),
    ("In Gabelnick’s words, the withdrawal is “a tragedy”.", "Gabelnick", "for ..., “...”", None),
    ("Amnesty International is urging Poland to “urgently reconsider” its plans.", "Amnesty International", "urging",
     None),
    ("In a statement posted on social media, Amnesty International decried the proposal as “disastrous”.",
     "Amnesty International", "decried", None),
    ("Donald Tusk earlier told the Sejm that his position is positive.", "Donald Tusk", "told", None),
])
def test_speakers_named_around_the_quotation(text: str, speaker: str, verb: str, role: str | None) -> None:
    assert sentences.find_speaker(text) == sentences.Attribution(speaker, verb, role)


def test_pronouns_read_through_the_speakers_named_before() -> None:
    text = "According to her, it is a “deeply erroneous and dangerous reaction”."
    assert sentences.find_speaker(text, "Tamar Gabelnick") == sentences.Attribution("Tamar Gabelnick", "according to")
    assert sentences.find_speaker(text) is None
    they = "“Our nations will continue to uphold these principles,” they wrote."
    assert sentences.find_speaker(they, "Hanno Pevkur", "the defence ministers") == sentences.Attribution(
        "the defence ministers", "wrote")
    assert sentences.find_speaker(they, "Hanno Pevkur") == sentences.Attribution("Hanno Pevkur", "wrote")
    it_long = "It long insisted it needed landmines as “protection”."  # a pronoun and an adverb
    assert sentences.find_speaker(it_long, "the Finnish government") == sentences.Attribution(
        "the Finnish government", "insisted")


@pytest.mark.parametrize(("text", "still_open"), [
    ("‘By agreeing to withdraw from the Convention, we will add this element to our arsenal.", True),
    ("‘We act now,’ Tsahkna said.", False),
    ("The countries’ decision was criticised.", False),
    ("“It is official: Lithuania is withdrawing.", True),
    ("He said the \"decision is final.", True),
    ("He said the \"decision is final\" and left.", False),
])
def test_a_quotation_left_open_in_double_or_single_marks(text: str, still_open: bool) -> None:
    assert sentences.open_quotation(text) is still_open


@pytest.mark.parametrize("text", ["In March, the ministers recommended “withdrawal”.",
                                  "For decades, the treaty was called “a success”.",
                                  "The treaty was called “barbaric” in the debate.",
                                  "In a statement posted on Monday, the vote was called “historic”.",
                                  "In Geneva, the talks ended, saying “goodbye”."])
def test_a_time_a_place_or_a_passive_names_no_speaker(text: str) -> None:
    assert sentences.find_speaker(text) is None
