"""drafting/answers.py: numbers, word stems, and the answers a sentence gives, offered only when sure enough."""

from __future__ import annotations

from builder.drafting import (
    answers,
)
from tests.support.topic import shipped_topic

QUESTIONS = (
    answers.QuestionInfo("which-countries", "Which countries are leaving the treaty?", "countries", {}),
    answers.QuestionInfo("border-russia", "Does the article say the withdrawing countries it names border Russia?",
                         "text", {}),
    answers.QuestionInfo("treaty-year", "In which year was the treaty concluded?", "number", {}),
    answers.QuestionInfo("what-banned", "What does the treaty ban?", "text", {}),
)


def test_numbers_leave_out_dates() -> None:
    numbers = answers.find_numbers("A coalition of 14 groups said on April 4, 2025 that 5,000 people and four states")
    assert [(n.words, n.value) for n in numbers] == [("14", 14), ("5,000", 5000), ("four", 4)]


TOPIC = shipped_topic()


def suggest(text: str, countries: tuple[str, ...], history: tuple[int, ...] = ()) -> list[str]:
    sentence = answers.Sentence(text, TOPIC.stems(text), countries, countries, None, history, ())
    generic = answers.generic_words(QUESTIONS, TOPIC)
    return [s.shown for q in QUESTIONS if (s := answers.propose_answer(q, sentence, generic, TOPIC)) and s.offered]


def test_answers_are_offered_with_their_confidence_only_above_the_threshold() -> None:
    assert suggest("Poland and the Baltic states, which border Russia, will withdraw from the treaty.",
                   ("pl", "ee", "lv", "lt")) == [
        "which-countries -> [pl, ee, lv, lt] (80%: the sentence has 'countri', 'leav' of the question's words; the "
        "countries it names together)",
        "border-russia -> Yes (80%: the sentence has 'border', 'countri', 'leav', 'russia' of the question's words)"]
    assert suggest("For countries bordering Russia, these are nervous times.", ()) == []  # names none of them
    assert suggest("Russia is not a party and does not border Poland.", ("pl",)) == []  # a 'no' needs reading
    assert suggest("The 1997 treaty bans anti-personnel mines.", (), (1997,)) == [
        "treaty-year -> 1997 (80%: a year that dates the treaty ('the 1997 treaty', 'adopted in 1997'))"]
    assert suggest("The treaty bans anti-personnel mines.", ()) == []


def test_stems_meet_across_word_forms() -> None:
    assert TOPIC.stems("withdrawing landmines") == TOPIC.stems("leaving mines") == {"leav", "mine"}
    assert TOPIC.stems("used") == TOPIC.stems("uses") == {"use"}
    assert answers.Topic().stems("withdrawing landmines") == {"leav", "landmin"}, "the site's words, not the code's"
