"""The topic's rules, read from the site's content/rules.yaml: the builder knows none of them.

What an explainer is about differs from site to site (a treaty with a notice period, a pact one leaves at once),
so the dated event kinds, the part each plays in a status, the notice period and what stops it, the background
facts a subject page shows, and the agreement's names and navigation label are content, validated like the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .errors import ErrorLog, did_you_mean
from .fields import AlreadyReported, FieldError, Record, an_id, text
from .load import Node
from .model import STATUSES, PartialDate

# The part an event kind plays in a subject's status. The generator knows these parts; a site names its kinds.
ROLES = {
    "signed": "signed the agreement, not yet bound by it",
    "joined": "ratified or acceded, not yet in force",
    "in-force": "bound by the agreement from this day",
    "intent": "a step towards leaving before notice is given",
    "notice": "notice of leaving given: leaving takes effect after the notice period",
    "effective": "leaving took effect, as a reference dates it (checked against the notice period)",
    "suspension": "another path than leaving: a suspension, whose effect is contested",
}
LEAVING = ("intent", "notice", "effective")
# The fields every country file has, which no background fact may be named.
COUNTRY_FIELDS = ("name", "iso2", "events", "never_joined", "unconfirmed")
# The key the maps give the countries a site does not cover, which no status may take.
MAP_ONLY_KEY = "none"
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")


@dataclass(frozen=True)
class EventKind:
    id: str
    label: str
    role: str
    announces: str | None = None  # "{subject} announced its withdrawal on {date}": for timing notes
    explains: str | None = None  # a suspension's status explanation, "{on}" where its date goes


@dataclass(frozen=True)
class BackgroundField:
    """A cited yes/no fact a subject page shows; with `names`, one per name ('Borders {name}')."""

    id: str
    label: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class IngestWords:
    """The topic's words that `ingest` reads articles with: the drafting code knows none of them."""

    organisation_words: frozenset[str] = frozenset()  # capitalised words that open an organisation's name
    synonyms: tuple[tuple[str, str], ...] = ()  # (word, the word it means): ('quit', 'leave')


@dataclass(frozen=True)
class Rules:
    agreement_nav: str  # the navigation's link to the agreement's page
    agreement_title: str  # that page's title
    agreement_name: str  # in a sentence: "Poland and {name}: ..."
    agreement_short: str  # in a sentence, once named: "never joined {short}"
    agreement_about: str  # the home page's line on the agreement's page
    agreement_description: str  # the agreement page's description (search engines, share cards)
    notice_months: int  # from notice to effect; 0: at once
    notice_rule: str  # the provision a status explanation names: "Article 20(3)"
    notice_article: str  # the article on leaving, as a page names it in general: "Article 20"
    blocked_by: str | None  # a background fact that, while true, stops leaving from taking effect
    blocked_while: str  # that fact in a sentence: "... cannot take effect while {blocked_while}"
    background: tuple[BackgroundField, ...]
    events: dict[str, EventKind]
    statuses: dict[str, str]  # a status's words where the site has its own ("Member" for "State Party")
    status_keys: dict[str, str]  # a status's key in the site's output where the site has its own ("member")
    ingest: IngestWords = IngestWords()
    subjects: dict[str, str] = field(default_factory=dict)  # a reference subject's heading, where the site gives one

    @property
    def notice_words(self) -> str:
        """'six months', 'one year', 'at once' as an explanation says it."""
        months = self.notice_months
        if months % 12 == 0 and months:
            years = months // 12
            return f"{_number(years)} year{'s' if years > 1 else ''}"
        return f"{_number(months)} month{'s' if months != 1 else ''}"

    @property
    def short_capitalised(self) -> str:
        """The short name opening a sentence: 'The Convention'."""
        return self.agreement_short[:1].upper() + self.agreement_short[1:]

    def kinds(self, *roles: str) -> tuple[str, ...]:
        """The site's event kinds that play any of `roles`."""
        return tuple(kind.id for kind in self.events.values() if kind.role in roles)

    def label(self, kind: str) -> str:
        return self.events[kind].label

    def status_label(self, key: str) -> str:
        return self.statuses.get(key) or STATUSES[key]

    def status_key(self, key: str) -> str:
        """The key the site writes for one of the builder's statuses (a CSS class, a value in site.json)."""
        return self.status_keys.get(key, key)

    def background_label(self, field_id: str | None) -> str:
        return next((f.label for f in self.background if f.id == field_id), "")

    def subject_heading(self, subject: str, country_names: Iterable[str]) -> str:
        """A reference subject's heading: the site's words for it (`subjects`), else its id's words, with the
        countries' names as the content spells them ('war-in-ukraine': 'War in Ukraine') and a date in words."""
        if subject in self.subjects:
            return self.subjects[subject]
        names = {tuple(name.lower().split()): name for name in country_names}
        words, shown = subject.split("-"), []
        at = 0
        while at < len(words):
            day = _iso_date(words[at:at + 3])
            length = 3 if day else next((n for n in range(len(words) - at, 0, -1)
                                         if tuple(words[at:at + n]) in names), 1)
            shown.append(day or names.get(tuple(words[at:at + length]), words[at]))
            at += length
        text = " ".join(shown)
        return text[:1].upper() + text[1:]


def _iso_date(words: list[str]) -> str:
    """'18 March 2025' for the words ['2025', '03', '18'] of a subject's id, else ''."""
    if len(words) == 3 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", "-".join(words)):
        try:
            return PartialDate.of(date.fromisoformat("-".join(words))).human
        except ValueError:
            return ""
    return ""


def _number(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def a_field_name(node: Node) -> str:
    if not isinstance(node.value, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", node.value):
        raise FieldError("must be a field name", "use lowercase letters, digits and underscores, e.g. 'armed_conflict'")
    return node.value


def a_count(node: Node) -> int:
    if isinstance(node.value, bool) or not isinstance(node.value, int) or not 0 <= node.value <= 120:
        raise FieldError("must be a whole number of months from 0 to 120", "write e.g. 6, or 12 for a year, "
                         "or 0 when leaving takes effect at once")
    return node.value


def read_rules(node: Node | None, log: ErrorLog) -> Rules | None:
    """The rules in content/rules.yaml, or None after reporting every mistake in them."""
    if node is None:
        return None
    errors = len(log.errors)
    r = Record(node, log, "rules.yaml")
    agreement = r.child("agreement")
    names: dict[str, str | None] = {}
    if agreement is None:
        r.field("agreement", text)  # reports it missing
    else:
        a = Record(agreement, log, "the rules' agreement")
        names = {key: a.field(key, text) for key in ("nav", "title", "name", "short", "about", "description")}
        a.finish()
    background = r.field("background", lambda n: _background(n, log), required=False, default=())
    fields = {f.id for f in background}
    notice = r.child("notice")
    months, rule, article, blocked_by, blocked_while = 0, "", "", None, ""
    if notice is not None:
        n = Record(notice, log, "the rules' notice")
        months = n.field("months", a_count, default=0)
        rule = n.field("rule", text, default="")
        article = n.field("article", text, required=False, default=rule)
        blocked_by = n.field("blocked_by", a_field_name, required=False)
        blocked_while = n.field("blocked_while", text, required=blocked_by is not None, default="")
        if blocked_by and blocked_by not in fields:
            n.error(notice.value["blocked_by"], f"'{blocked_by}' is not a background field of these rules",
                    "name one of the fields under 'background' (a yes/no fact), or remove 'blocked_by'"
                    if fields else "add it under 'background', or remove 'blocked_by'")
            blocked_by = None
        n.finish()
    events = r.field("events", lambda n: _events(n, log), default={})
    statuses = r.field("statuses", lambda n: _statuses(n, log), required=False, default={})
    status_keys = r.field("status_keys", lambda n: _status_keys(n, log), required=False, default={})
    ingest = r.field("ingest", lambda n: _ingest_words(n, log), required=False, default=IngestWords())
    subjects = r.field("subjects", lambda n: _subjects(n, log), required=False, default={})
    r.finish()
    if len(log.errors) > errors or agreement is None or None in names.values():  # (a file reported unreadable)
        return None
    return Rules(*(names[key] or "" for key in ("nav", "title", "name", "short", "about", "description")), months,
                 rule, article, blocked_by, blocked_while, background, events, statuses, status_keys, ingest,
                 subjects)


def _background(node: Node, log: ErrorLog) -> tuple[BackgroundField, ...]:
    if not isinstance(node.value, list):
        raise FieldError("must be a list", "write each field as a '- id: ...' item with its label")
    found: dict[str, BackgroundField] = {}
    for item in node.value:
        r = Record(item, log, "background field")
        field_id = r.field("id", a_field_name)
        label = r.field("label", text)
        names = r.field("names", lambda n: tuple(an_id(x) for x in _list(n)), required=False, default=())
        if names and label and "{name}" not in label:
            r.error(item.value["label"], f"label '{label}' of a field with names does not say which name",
                    "write {name} where the name goes, e.g. 'Borders {name}'")
        r.finish()
        if field_id in found or field_id in COUNTRY_FIELDS:
            r.error(item.value["id"], f"background field '{field_id}' is defined twice"
                    if field_id in found else f"background field '{field_id}' is a field every country file has",
                    "give one of them another id" if field_id in found else "give it another id")
        elif field_id and label:
            found[field_id] = BackgroundField(field_id, label, names)
    return tuple(found.values())


def _events(node: Node, log: ErrorLog) -> dict[str, EventKind]:
    if not isinstance(node.value, dict):
        raise FieldError("must be a mapping of event kinds", "write each kind as 'kind-id: {label: ..., role: ...}'")
    found: dict[str, EventKind] = {}
    for key, item in node.value.items():
        line, column = node.keys[key]
        what = f"event kind '{key}'"
        try:
            kind_id = an_id(Node(key, item.src_path, line, column))
        except FieldError as exc:
            log.add(item.src_path, line, column, f"{what}: {exc.message}", exc.hint)
            continue
        r = Record(item, log, what)
        label = r.field("label", text)
        role = r.field("role", _role)
        announces = r.field("announces", text, required=False)
        explains = r.field("explains", text, required=False)
        r.finish()
        if label and role:
            found[kind_id] = EventKind(kind_id, label, role, announces, explains)
    return found


def _statuses(node: Node, log: ErrorLog) -> dict[str, str]:
    r = Record(node, log, "the rules' statuses")
    if not r.ok:
        raise AlreadyReported
    found = {key: r.field(key, text, required=False) for key in STATUSES}
    r.finish()
    return {key: label for key, label in found.items() if label}


def _status_keys(node: Node, log: ErrorLog) -> dict[str, str]:
    r = Record(node, log, "the rules' status keys")
    if not r.ok:
        raise AlreadyReported
    found = {key: r.field(key, an_id, required=False) for key in STATUSES}
    r.finish()
    keys = {key: found[key] or key for key in STATUSES}
    for key, site_key in found.items():
        other = next((k for k, v in keys.items() if v == site_key and k != key), None)
        if other or site_key == MAP_ONLY_KEY:
            taken = f"the key of status '{other}'" if other else "the key the maps give countries not covered"
            r.error(node.value[key], f"status key '{site_key}' of status '{key}' is already {taken}",
                    f"give '{key}' a key no other status has, or remove the line to keep '{key}'")
    return {key: site_key for key, site_key in found.items() if site_key}


def _subjects(node: Node, log: ErrorLog) -> dict[str, str]:
    r = Record(node, log, "the rules' subjects")
    if not r.ok:
        raise AlreadyReported
    found = {}
    for key in node.value:  # any subject id, unlike a record's known fields: no finish()
        line, column = node.keys[key]
        try:
            an_id(Node(key, node.src_path, line, column))
        except FieldError as exc:
            log.add(node.src_path, line, column, f"subject '{key}' of the rules' subjects {exc.message}", exc.hint)
            continue
        heading = r.field(key, text)
        if heading:
            found[key] = heading
    return found


def _ingest_words(node: Node, log: ErrorLog) -> IngestWords:
    r = Record(node, log, "the rules' ingest words")
    if not r.ok:
        raise AlreadyReported
    starts = r.field("organisation_words", lambda n: tuple(_capitalised(x) for x in _list(n)), required=False,
                     default=())
    synonyms = r.field("synonyms", _synonyms, required=False, default=())
    r.finish()
    return IngestWords(frozenset(starts), synonyms)


def _capitalised(node: Node) -> str:
    if not isinstance(node.value, str) or not re.fullmatch(r"[A-Z][\w-]*", node.value):
        raise FieldError("must be one capitalised word", "write each word on its own, as an article writes it in "
                         "a name, e.g. 'Campaign'", node)
    return node.value


def _synonyms(node: Node) -> tuple[tuple[str, str], ...]:
    if not isinstance(node.value, dict):
        raise FieldError("must be a mapping of words", "write each as 'word: the word it means', e.g. 'quit: leave'")
    found = []
    for key, item in node.value.items():
        line, column = node.keys[key]
        for word, at in ((key, Node(key, item.src_path, line, column)), (item.value, item)):
            if not isinstance(word, str) or not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", word):
                raise FieldError("must be one lowercase word", "write e.g. 'quit: leave'", at)
        found.append((key, item.value))
    return tuple(found)


def _role(node: Node) -> str:
    if not isinstance(node.value, str) or node.value not in ROLES:
        raise FieldError("is not one of the roles the builder knows",
                         did_you_mean(str(node.value), ROLES, "roles") + " (docs/content-model.md says what each "
                         "role does to a status)")
    return node.value


def _list(node: Node) -> list[Node]:
    if not isinstance(node.value, list):
        raise FieldError("must be a list", "write it as [a, b]")
    return node.value
