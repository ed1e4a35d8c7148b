"""Numbers, content words, and suggested answers to the site's questions."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import PartialDate
from ..quotes import normalise
from .dates import DATE_PATTERNS, YEAR_PATTERN
from .places import find_countries

_NUMBER = re.compile(r"(?<![\w.,/@#-])(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?(?P<percent>\s?%| percent"
                     r"| per cent)?(?![\w/])")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "dozen": 12, "million": 1_000_000,
                 "billion": 1_000_000_000}
_NUMBER_WORD = re.compile(r"\b(?P<word>" + "|".join(NUMBER_WORDS) + r")s?\b", re.I)


@dataclass(frozen=True)
class NumberMention:
    words: str
    value: float


def find_numbers(text: str) -> list[NumberMention]:
    """Numbers written in digits or words, leaving out those that are part of a date."""
    found = []
    dates = [m.span() for pattern in (*DATE_PATTERNS, YEAR_PATTERN) for m in pattern.finditer(text)]
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in dates):
            continue
        value = float(match.group("digits").replace(",", "") + (match.group("decimals") or ""))
        found.append((match.start(), NumberMention(match.group().strip(), value)))
    for match in _NUMBER_WORD.finditer(text):
        found.append((match.start(), NumberMention(match.group(), NUMBER_WORDS[match.group("word").lower()])))
    return [n for _, n in sorted(found, key=lambda item: item[0])]


STOPWORDS = {
    "a", "about", "above", "according", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "article", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
    "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "many", "me", "more", "most",
    "much", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our",
    "ours", "out", "over", "own", "said", "same", "say", "says", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your"
}
_SYNONYMS = {
    "withdraw": "leave", "withdrawal": "leave", "withdrawing": "leave", "withdrew": "leave", "exit": "leave",
    "exiting": "leave", "quit": "leave", "quitting": "leave", "leaving": "leave", "left": "leave",
    "nation": "country", "state": "country", "member": "country", "ally": "country", "allie": "country",
    "landmine": "mine", "antipersonnel": "mine", "anti-personnel": "mine", "prohibit": "ban", "banning": "ban",
    "convention": "treaty", "defense": "defence", "concluded": "adopt", "adopted": "adopt",
}


def stems(text: str) -> set[str]:
    """Content words, folded so that 'withdrawing' meets 'leaving' and 'landmines' meets 'mines'."""
    found = set()
    for word in re.findall(r"[a-z][a-z-]+", normalise(text).lower().replace("'s ", " ")):
        if word in STOPWORDS or len(word) < 3:
            continue
        word = _SYNONYMS.get(word, word)
        stem = word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word
        stem = stem[:-1] if stem.endswith("s") and not stem.endswith("ss") and len(stem) > 3 else stem
        found.add(_SYNONYMS.get(stem, stem))
    return found


@dataclass(frozen=True)
class QuestionInfo:
    id: str
    text: str
    type: str
    options: dict[str, str]


def propose_answers(question: QuestionInfo, words: set[str], countries: tuple[str, ...], when: PartialDate | None,
                    numbers: list[NumberMention], years: list[int], generic: set[str]) -> str | None:
    """A suggested answer to one question, as a comment line, when the claim shares enough of its words.

    Words that many questions share ('country', 'treaty') count once, the question's own words twice, so that
    a sentence about borders is offered to the border question and not to every question about countries."""
    shared = stems(question.text) & words
    score = sum(1 if word in generic else 2 for word in shared)
    because = f"(shares {', '.join(sorted(shared))})"
    if question.type == "points":
        keys = [key for key, label in question.options.items()
                if len(stems(label) & words) >= max(2, len(stems(label)) / 2)]
        return f"{question.id} -> [{', '.join(keys)}] (option words in the sentence)" if keys else None
    if question.type == "countries" and score >= 3:
        own = {code for m in find_countries(question.text) for code in m.codes}
        value = [code for code in countries if code not in own]
        return f"{question.id} -> [{', '.join(value)}] {because}" if value else None
    if question.type == "date" and when and score >= 2:
        return f"{question.id} -> {when.iso} {because}"
    if question.type == "number" and "year" in question.text.lower():
        return f"{question.id} -> {years[0]} {because}" if years and score >= 2 else None
    if question.type == "number" and numbers and score >= 3:
        return f"{question.id} -> {numbers[0].value:g} {because}"
    if question.type == "text" and score >= 3:
        return f"{question.id} -> (write the answer) {because}"
    return None


def generic_words(questions: tuple[QuestionInfo, ...]) -> set[str]:
    """The words that a quarter or more of the questions use, and so say little about any one of them."""
    counts = Counter(word for q in questions for word in stems(q.text))
    total = len(questions)
    return {word for word, count in counts.items() if count >= max(3, total / 4)}
