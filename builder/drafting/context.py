"""What earlier sentences of an article named (countries, groups, people and their roles, the last speaker), so
that 'he', 'they', 'the minister' or 'their decision' in a later sentence can be read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Context:
    """What earlier sentences named, for words such as 'their decision' or 'the ministers' that refer back."""

    previous: tuple[str, ...] = ()
    previous_group: tuple[str, ...] = ()
    previous_paragraph: int = -1
    quote_paragraph: int = -1  # the paragraph of the last sentence guessed to be a quotation
    group: tuple[str, ...] = ()
    group_at: int = -100
    groups: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)  # every group named, and where
    speaker: str | None = None
    people: dict[str, str] = field(default_factory=dict)
    last_person: str | None = None  # the last person named, whom 'he' or 'she' may be
    speaker_at: int = -1  # the sentence that last named the speaker, and the one that last named a person
    person_at: int = -1
    roles: dict[str, str] = field(default_factory=dict)  # each person named, with the role given, in order
    previous_text: str = ""

    def pronoun(self) -> str | None:
        """Whom 'he' or 'she' means: the speaker, unless a person was named since (or the speaker is no one)."""
        speaker_is_person = bool(self.speaker) and not self.speaker[:1].islower()
        if self.last_person and (self.person_at > self.speaker_at or not speaker_is_person):
            return self.last_person
        return self.speaker or self.last_person

    def plural(self) -> str | None:
        """Whom 'they' means: the speakers, if they are many ('the defence ministers'); else the group that is
        the subject of the sentence before ('Earlier, the defense ministers of Latvia, ... recommended')."""
        if self.speaker and _PLURAL_SPEAKER.match(self.speaker):
            return self.speaker
        group = _PLURAL_SUBJECT.search(self.previous_text)
        return group.group().strip(" ,") if group else None

    def titled(self, title: str) -> str | None:
        """Whom 'the prime minister' means: the last person named with that title (every word of it, 'Ministry'
        meeting 'minister'), else the last person named."""
        words = [w.lower()[:6] for w in title.split()[1:]]
        match = next((name for name, role in reversed(self.roles.items()) if all(w in role.lower() for w in words)),
                     None)
        return match or self.pronoun()

    def remember(self, people: tuple[str, ...]) -> None:
        """Note each 'Name (role)' a sentence names, so that 'the minister' can be found later."""
        for person in people:
            name, _, role = person.partition(" (")
            self.roles.pop(name, None)
            self.roles[name] = role.rstrip(")")


_PLURAL_SPEAKER = re.compile(r"(?:[Tt]he\s+)?(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*s\b(?!\s+(?:said|says))")
_PLURAL_SUBJECT = re.compile(r"\b[Tt]he\s+(?:[a-z][\w-]*\s+){0,2}(?:ministers|governments|leaders|officials|"
                             r"lawmakers|MPs|delegates|delegations|campaigners|authorities)\b(?:\s+(?:of|for|from)\s+"
                             r"(?:the\s+)?[A-Z][\w’'-]*(?:(?:,\s+(?:and\s+)?|\s+and\s+)[A-Z][\w’'-]*)*)?")
