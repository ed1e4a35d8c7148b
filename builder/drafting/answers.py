"""Numbers, content words, and suggested answers to the site's questions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..model import PartialDate
from ..quotes import normalise
from .dates import date_spans
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
    dates = date_spans(text)
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
# Stems (Snowball's English stemmer) that name one thing: 'withdrawing' meets 'leaving'. A site adds its topic's
# own (content/rules.yaml's `ingest: synonyms`).
_SYNONYMS = {
    "withdraw": "leav", "withdrawn": "leav", "withdrew": "leav", "exit": "leav", "quit": "leav", "left": "leav",
    "pull": "leav", "abandon": "leav", "denounc": "leav",
    "nation": "countri", "state": "countri",
    "min": "mine",
    "prohibit": "ban", "convent": "treati", "pact": "treati", "agreement": "treati",
    "defens": "defenc", "conclud": "adopt", "neighbour": "border", "neighbor": "border",
}
# Words of a question's own framing, which say nothing of its subject.
_FRAMING = {"articl", "say", "accord", "name", "call", "describ", "doe", "what", "which", "whi", "when", "how"}


def stems(text: str, synonyms: Mapping[str, str]) -> set[str]:
    """Content words as stems, folded so that 'withdrawing' meets 'leaving', and the site's `synonyms` (stems) meet."""
    words = [w for w in re.findall(r"[a-z][a-z-]+", normalise(text).lower().replace("'s ", " "))
             if w not in STOPWORDS and len(w) >= 3]
    return {synonyms.get(stem) or _SYNONYMS.get(stem, stem) for stem in _stemmer().stemWords(words)}


@dataclass(frozen=True)
class Topic:
    """The site's topic as ingest reads an article with it: the drafting code knows no topic's words."""

    words: frozenset[str] = frozenset()  # the stems of the site's title and of its agreement's names
    synonyms: Mapping[str, str] = field(default_factory=dict)  # a stem -> the stem of the word it means
    organisation_words: frozenset[str] = frozenset()  # capitalised words that open an organisation's name

    def stems(self, text: str) -> set[str]:
        return stems(text, self.synonyms)


def read_topic(text: str, synonyms: Iterable[tuple[str, str]] = (), organisation_words: Iterable[str] = ()) -> Topic:
    """The topic of a site named in `text`, with its rules' words (content/rules.yaml's `ingest`)."""
    stem = _stemmer().stemWord
    folded = {stem(word): _SYNONYMS.get(stem(means), stem(means)) for word, means in synonyms}
    return Topic(frozenset(stems(text, folded)), folded, frozenset(organisation_words))


@cache
def _stemmer() -> Any:
    import snowballstemmer  # imported here: only ingest needs it

    return snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class QuestionInfo:
    id: str
    text: str
    type: str
    options: dict[str, str]


OFFER_FROM = 0.7  # the confidence from which a suggestion is written into the draft (see scripts/ingest_eval.py)
_YES_NO = re.compile(r"^(?:does|do|did|is|are|was|were|has|have|had|can|will)\b", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no longer|n't|neither|nor)\b", re.I)


@dataclass(frozen=True)
class Suggestion:
    """A guessed answer to one of the site's questions, how sure the guess is, and what it rests on."""

    question: str
    kind: str
    value: tuple[str, ...] | str | float
    confidence: float
    because: str

    @property
    def offered(self) -> bool:
        return self.confidence >= OFFER_FROM

    @property
    def shown(self) -> str:
        value = f"[{', '.join(self.value)}]" if isinstance(self.value, tuple) else (
            f"{self.value:g}" if isinstance(self.value, float) else str(self.value))
        return f"{self.question} -> {value} ({self.confidence:.0%}: {self.because})"


@dataclass(frozen=True)
class Sentence:
    """What a suggestion may draw on: the sentence's stems, the countries it names together, its dates."""

    text: str
    words: set[str]
    group: tuple[str, ...]
    countries: tuple[str, ...]  # every country it concerns (named, or referred to: 'the four countries')
    when: PartialDate | None
    history_years: tuple[int, ...]  # years that date the treaty itself ('the 1997 treaty', 'signed in 1997')
    numbers: tuple[NumberMention, ...]


def propose_answer(question: QuestionInfo, sentence: Sentence, generic: set[str], topic: Topic
                   ) -> Suggestion | None:
    """A suggested answer to one question, with its confidence, when the sentence speaks of the question's subject.

    The subject is the question's own words: those that many questions share ('country', 'treaty') and those of
    its framing ('does the article say') left out. The confidence grows with how many of them the sentence has."""
    subject = topic.stems(question.text) - generic - _FRAMING
    shared = subject & sentence.words
    if question.type == "number" and "year" in question.text.lower() and "treati" in topic.stems(question.text):
        if not sentence.history_years:
            return None  # the treaty's year is the year that dates it: 'the 1997 treaty', 'signed in 1997'
        return Suggestion(question.id, question.type, float(sentence.history_years[0]), 0.8,
                          "a year that dates the treaty ('the 1997 treaty', 'adopted in 1997')")
    if not subject or not shared:
        return None
    cover = len(shared) / len(subject)
    because = f"the sentence has {', '.join(repr(w) for w in sorted(shared))} of the question's words"
    if question.type == "countries":
        own = {code for m in find_countries(question.text) for code in m.codes}
        value = tuple(code for code in sentence.group if code not in own)
        if len(value) < 2:
            return None
        return Suggestion(question.id, question.type, value, 0.35 + 0.45 * cover,
                          because + "; the countries it names together")
    if question.type == "points":
        keys = tuple(key for key, label in question.options.items()
                     if len(topic.stems(label) & sentence.words) >= max(2, len(topic.stems(label)) / 2))
        if not keys:
            return None
        return Suggestion(question.id, question.type, keys, 0.3 + 0.3 * cover, "the options' words are in it")
    if question.type == "date" and sentence.when:
        return Suggestion(question.id, question.type, sentence.when.iso, 0.3 + 0.4 * cover, because)
    if question.type == "number" and "year" in question.text.lower():
        if not sentence.history_years:
            return None
        return Suggestion(question.id, question.type, float(sentence.history_years[0]), 0.55 + 0.3 * cover,
                          because + "; a year that dates the treaty")
    if question.type == "number" and sentence.numbers:
        return Suggestion(question.id, question.type, sentence.numbers[0].value, 0.2 + 0.4 * cover, because)
    if question.type == "text" and _YES_NO.match(question.text):
        if _NEGATION.search(sentence.text):
            return None  # 'is not a party': whose 'no' it is needs reading
        own = {code for m in find_countries(question.text) for code in m.codes}
        if "countri" in topic.stems(question.text) and len(set(sentence.countries) - own) < 2:
            return None  # a question about the countries the article names, and it names none of them here
        return Suggestion(question.id, question.type, "Yes", 0.2 + 0.6 * cover ** 2, because)
    return None


def generic_words(questions: tuple[QuestionInfo, ...], topic: Topic) -> set[str]:
    """The words that a quarter or more of the questions use, and so say little about any one of them."""
    counts = Counter(word for q in questions for word in topic.stems(q.text))
    total = len(questions)
    return {word for word, count in counts.items() if count >= max(3, total / 4)}
