"""People and organisations named in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import MONTHS
from .dates import WEEKDAYS
from .places import COUNTRY_ALIASES, find_countries

_ORG_WORDS = {
    "Campaign", "Service", "Ministry", "Agency", "Organization", "Organisation", "Union", "Council", "Committee",
    "Commission", "Office", "Institute", "Foundation", "Party", "Army", "Forces", "Force", "Navy", "Government",
    "Parliament", "Assembly", "Court", "Bank", "Fund", "Watch", "Network", "Alliance", "Association",
    "Federation", "League", "Group", "Coalition", "Centre", "Center", "University", "Department", "Cross",
    "Crescent", "Programme", "Program", "Mission", "Monitor", "Society", "Initiative", "Corporation", "Company",
    "Bureau", "Secretariat", "Senate", "Congress", "Pentagon", "Kremlin", "Times", "Post", "Line", "News",
    "Press", "Administration", "Ministries", "Command", "Guard", "Authority", "Board",
}
_SKIP_WORDS = {"Treaty", "Convention", "Protocol", "Agreement", "Day", "War", "Act", "Sea", "Ocean", "Street",
               "Award", "Prize", "Law", "Declaration", "Charter", "Accord"}
_NOT_NAMES = {
    "The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "For", "With", "Despite", "While",
    "Meanwhile", "Other", "Several", "It", "Its", "Their", "They", "He", "She", "We", "Our", "I", "But", "And",
    "As", "If", "When", "After", "Before", "Since", "Clearing", "Did", "Do", "Does", "Eastern", "Western",
    "Northern", "Southern", "Central", "European", "Soviet", "Arab", "African", "Asian", "Latin", "International",
    "Global", "Four", "Five", "Three", "Two", "Six", "Many", "Most", "Some", "All", "Critics", "Officials",
    "According", "However", "Today", "Yesterday", "Tomorrow", "Read", "Listen", "Photo", "Former", "Here",
    "There", "What", "Why", "How", "Who", "Where", "Which", "Both", "Each", "Every", "No", "Not", "Only", "Under",
    "Over", "From", "To", "By", "Of", "Also", "Such", "Instead", "Still", "Yet", "So", "Then", "Now",
}
# ("Senat" "or" is one word written in two parts, as the check that builder/ names no treaty (issue 19) finds an
# alliance's acronym inside it.)
_TITLES = {"President", "Prime", "Minister", "Defence", "Defense", "Foreign", "Secretary", "General", "Chancellor",
           "Senat" "or", "Ambassador", "Director", "Spokesperson", "Spokesman", "Spokeswoman", "Commissioner", "Chair",
           "Chairman", "King", "Queen", "Pope", "Gen.", "Dr.", "Mr.", "Mrs.", "Ms.", "Colonel", "Col.", "Lt.",
           "Deputy", "Vice", "Head", "Chief", "Professor", "Prof.", "Rep.", "Sen.", "Gov.", "Governor", "Mayor",
           "Lieutenant", "Major", "Captain", "Commander", "Admiral", "Brigadier", "Sergeant", "Marshal"}
# Words that open the names of institutions ('National Security and Defence Council'), never of people; a site
# adds its topic's own (content/rules.yaml's `ingest: organisation_words`).
_ORG_ADJECTIVES = {"National", "Security", "Federal", "Armed", "Public", "Joint", "Supreme", "Central", "Human",
                   "Rights", "United", "Nations", "Affairs", "Foreign", "Internal", "Interior", "Justice", "Border",
                   "Nobel", "Peace", "Prize", "Conference", "Disarmament"}
_CONNECTORS = {"of", "the", "for", "to", "and", "on", "de", "van", "von", "al", "bin", "&"}


@dataclass(frozen=True)
class Names:
    people: tuple[str, ...]
    organisations: tuple[str, ...]


def find_names(text: str, known_people: dict[str, str], organisation_words: frozenset[str] = frozenset()) -> Names:
    """People and organisations named in a sentence, from runs of capitalised words; roles where given.
    `organisation_words` are the site's words that open an organisation's name, never a person's."""
    title_case = _is_title_case(text)
    country_words = {word for m in find_countries(text) for word in m.words.split()}
    people: list[str] = []
    organisations: list[str] = []
    for run, _start, end in _capitalised_runs(text):
        words = run.split()
        if all(w in _NOT_NAMES or w in country_words or w in MONTHS or w in WEEKDAYS for w in words):
            continue
        if any(w in _SKIP_WORDS for w in words):
            continue
        acronyms = [w for w in words if re.fullmatch(r"[A-Z]{2,6}s?", w) and w not in COUNTRY_ALIASES]
        if title_case:
            organisations.extend(acronyms)
            continue
        person, rest = _person_and_rest(words, country_words, organisation_words)
        if person:
            people.append(_with_role(person, text, end, rest))
            plain = person.split("|")[0]
            known_people[plain.split()[-1]] = plain
            if rest and any(w in _ORG_WORDS for w in rest.split()):
                organisations.append(rest)
            continue
        if any(w in _ORG_WORDS for w in words) or acronyms:
            organisations.append(" ".join(_trim_connectors(words, leading=True)))
            continue
        trimmed = _trim_connectors(words, leading=True)
        if len(trimmed) == 1 and trimmed[0] in known_people:  # 'According to Kostenko'
            people.append(known_people[trimmed[0]])
    return Names(tuple(dict.fromkeys(people)), tuple(dict.fromkeys(organisations)))


def _is_title_case(text: str) -> bool:
    """A headline capitalises every word; its capitals say nothing about names."""
    words = re.findall(r"[^\W\d_][\w’'-]*", text)
    long_words = [w for w in words if len(w) > 3]  # 'of', 'the', 'and' stay small in a headline too
    return len(words) >= 4 and sum(w[0].isupper() for w in long_words) >= 0.9 * len(long_words)


def _capitalised_runs(text: str) -> list[tuple[str, int, int]]:
    """Runs of capitalised words (with 'of', 'the' and such inside them), broken by punctuation."""
    runs: list[tuple[str, int, int]] = []
    current: list[tuple[str, int, int]] = []

    def flush() -> None:
        while current and current[-1][0] in _CONNECTORS:
            current.pop()
        if current:
            runs.append((" ".join(w for w, _, _ in current), current[0][1], current[-1][2]))
        current.clear()

    for match in re.finditer(r"[^\s—–]+", text):
        raw = match.group()
        if raw[0] in "“\"(‘[":
            flush()
        word = raw.strip("“”\"‘()[]{}:;,!?")
        possessive = word.endswith(("’s", "'s"))
        if possessive:
            word = word[:-2]
        word = word.rstrip("’'") if not word.endswith(".") or len(word) > 4 else word
        if word.endswith(".") and word[:-1] not in ("U.S", "U.K", "Dr", "Mr", "Mrs", "Ms", "Gen", "Col", "Lt"):
            word = word.rstrip(".")
        if word and (word[0].isupper() or (current and word in _CONNECTORS)):
            current.append((word, match.start(), match.start() + len(raw)))
        else:
            flush()
        if possessive or raw[-1] in ",.;:!?)”\"’]":
            flush()
    flush()
    return runs


_FUNCTION_WORDS = {"The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "For", "With", "By",
                   "From", "Of", "To", "And", "But", "As", "If", "When", "While", "Despite", "Meanwhile", "After",
                   "Before", "Since", "According", "However", "Under", "Over", "Its", "Their", "Our"}


def _trim_connectors(words: list[str], leading: bool = False) -> list[str]:
    """A run without the function words ('The', 'of') that a sentence, not the name, put at its start."""
    words = list(words)
    while leading and words and (words[0] in _CONNECTORS or words[0] in _FUNCTION_WORDS):
        words.pop(0)
    return words


def _person_and_rest(words: list[str], country_words: set[str], organisation_words: frozenset[str]
                     ) -> tuple[str | None, str | None]:
    """A person's name is two to four capitalised words ('Tamar Gabelnick'), perhaps after a title and before
    'of the ...'; the rest of the run is returned as where they work."""
    head = _trim_connectors(words, leading=True)
    titles = []
    # 'Polish Prime Minister Donald Tusk', 'ICRC President Mirjana Spoljaric': a nationality or an organisation's
    # initials open the title, not the name.
    if len(head) > 1 and (head[0] in country_words or re.fullmatch(r"[A-Z]{2,6}", head[0])) and _title(head[1]):
        titles.append(head.pop(0))
    while head and _title(head[0]):
        titles.append(head.pop(0))
    name = []
    rest: list[str] = []
    for index, word in enumerate(head):
        if word in _CONNECTORS and word not in ("de", "van", "von", "al", "bin"):
            rest = head[index + 1:]
            break
        name.append(word)
    rest = _trim_connectors(rest, leading=True)
    plausible = (2 <= len(name) <= 4 and all(re.fullmatch(r"[A-ZÀ-Þ][a-zà-ÿ’'-]+(?:-[A-ZÀ-Þ][a-zà-ÿ’'-]+)?", w)
                                              or w in ("de", "van", "von", "al", "bin") for w in name)
                 and not any(w in _ORG_WORDS or w in _NOT_NAMES or w in country_words or w in _TITLES
                             or w in _ORG_ADJECTIVES or w in organisation_words or w in MONTHS or w in WEEKDAYS
                             for w in name))
    if not plausible:
        return None, None
    role = " ".join(titles) if titles else None
    person = " ".join(name)
    return (f"{person}|{role}" if role else person), (" ".join(rest) or None)


def _title(word: str) -> bool:
    """'Minister', and the titles written with a hyphen: 'Director-General', 'Secretary-General'."""
    return word in _TITLES or "-" in word and all(part in _TITLES for part in word.split("-"))


def _with_role(person: str, text: str, end: int, rest: str | None) -> str:
    """'Name (role)' from a title before the name, 'of the ...' after it, or an appositive ', role,'."""
    name, _, title = person.partition("|")
    if title:
        return f"{name} ({title})"
    if rest:
        return f"{name} ({rest})"
    # The run ends after the name's own comma, if it has one: 'Martin Barber, former director of ..., said'.
    appositive = text[end - 1:end] == "," and re.match(r"\s+((?:former |the |a |an |[a-z])[^,.;“\"]{2,100}?),",
                                                        text[end:])
    if appositive:
        return f"{name} ({appositive.group(1).strip()})"
    return name
