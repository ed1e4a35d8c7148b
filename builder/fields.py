"""Reading one field of a YAML record into a value, or a clear error naming its file, line and column: the
converters every record of the content model is read with (validate.py, units.py)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from .errors import ErrorLog, did_you_mean, shown
from .load import ID_PATTERN, INVALID, RESERVED_IDS, Node, reserved_hint
from .model import (
    AnswerValue,
    Citation,
    DateWindow,
    EarlierNote,
    EarlierWords,
    PartialDate,
    Question,
)
from .quotes import normalise

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\Z")
# No white space, control character or bidirectional control in an address: each would make it another one.
_URL = re.compile(r"^https?://[^\s<>\"'\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+\Z")
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
_MISSING = object()


class Record:
    """Reads the fields of one YAML mapping, reporting wrong types and, at the end, unknown fields."""

    def __init__(self, node: Node, log: ErrorLog, what: str) -> None:
        self.node, self.log, self.what = node, log, what
        self.ok = isinstance(node.value, dict)
        self.seen: set[str] = set()
        if not self.ok and node.value is not INVALID:
            log.add(node.src_path, node.line, node.column,
                    f"{what} must be a mapping of fields (found {_describe(node.value)})",
                    "write it as 'field: value' lines")

    def child(self, name: str) -> Node | None:
        """The raw node of a field that needs its own record; marks the field as known."""
        self.seen.add(name)
        return self.node.value.get(name) if self.ok else None

    def error(self, node: Node, message: str, hint: str) -> None:
        self.log.add(node.src_path, node.line, node.column, message, hint)

    def field(self, name: str, convert: Callable[[Node], Any], *, required: bool = True,
              default: Any = None) -> Any:
        """Return the converted field, or `default` after reporting why it could not be read."""
        self.seen.add(name)
        if not self.ok:
            return default
        node = self.node.value.get(name)
        if node is None:
            if required:
                self.error(self.node, f"{self.what} is missing required field '{name}'",
                           f"add '{name}:' (see docs/content-model.md)")
            return default
        if node.value is None and not required:
            return default
        if node.value is INVALID:
            return default
        try:
            return convert(node)
        except AlreadyReported:
            return default
        except FieldError as exc:
            at = exc.node or node
            self.error(at, f"field '{name}' of {self.what} {exc.message} (found {_describe(at.value)})",
                       exc.hint)
            return default

    def finish(self) -> None:
        """Report every field that the content model does not know."""
        if not self.ok:
            return
        for key in self.node.value.keys() - self.seen:
            line, column = self.node.keys[key]
            self.log.add(self.node.src_path, line, column, f"unknown field {shown(key)} in {self.what}",
                         did_you_mean(key, self.seen, "fields"))


class FieldError(Exception):
    def __init__(self, message: str, hint: str, node: Node | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.node = message, hint, node


class AlreadyReported(Exception):
    """The value is wrong because of an error reported elsewhere; saying it again would be noise."""


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


# Field converters: each takes a Node and returns a value or raises FieldError.

def verbatim(node: Node) -> str:
    """Text copied from a document (a quote, a title, an excerpt): taken as it is written there."""
    value = node.value.strip() if isinstance(node.value, str) else ""
    if not value:
        raise FieldError("must be text", "write it as a non-empty string (quote it if it contains ':' or '#')")
    return value


def text(node: Node) -> str:
    """Text the editor writes, which has no use for an invisible control that reorders what follows it."""
    value = verbatim(node)
    found = None if value.isascii() else BIDI_CONTROLS.search(node.value)
    if found:
        raise FieldError(f"contains the bidirectional control character U+{ord(found.group()):04X} "
                         f"at character {found.start() + 1}", BIDI_HINT)
    return value


BIDI_HINT = ("delete it: this invisible character reverses or reorders the text after it on the page; "
             "only quotes and titles copied from a source may hold one")


def optional_verbatim(node: Node) -> str | None:
    return None if node.value is None else verbatim(node)


def maybe_empty(convert: Callable[[Node], str]) -> Callable[[Node], str]:
    """Accept an empty string where a value may honestly be unknown."""
    return lambda node: "" if node.value == "" else convert(node)


def optional_text(node: Node) -> str | None:
    return None if node.value is None else text(node)


def an_id(node: Node) -> str:
    if not isinstance(node.value, str) or not ID_PATTERN.match(node.value):
        raise FieldError("must be an id", "use lowercase letters, digits and single hyphens, e.g. 'media-line'")
    if node.value in RESERVED_IDS:
        raise FieldError("is a device name on Windows", reserved_hint(node.value))
    return node.value


def a_url(node: Node) -> str:
    if not isinstance(node.value, str) or not _URL.match(node.value):
        raise FieldError("must be an http(s) URL", "write a full address starting with https://")
    if "[" in node.value or "]" in node.value:  # in the host, an IPv6 address, which urlsplit checks
        try:
            urlsplit(node.value).hostname  # noqa: B018
        except ValueError:
            raise FieldError("is not a valid URL (a bracket in its host)",
                             "write a full address starting with https://; percent-encode brackets") from None
    return node.value


# Hosts that copy, stage or chat about a page rather than publish it: a reference cites the publisher.
_WEAK_HOSTS = {
    "a staging server": ((), ("stg-", "staging-"), ("-staging",), ("stg", "staging")),
    "a forum": (("reddit.com", "militaryimages.net"), (), (), ("forum", "forums")),
    "a mirror": (("github.com", "gitlab.com", "raw.githubusercontent.com", "pages.dev", "feedman.me",
                  "mil-osi.com"), (), (), ()),
    "a games site": (("gamereactor.eu", "gamereactor.net", "ign.com", "gamespot.com", "kotaku.com", "polygon.com",
                      "pcgamer.com", "eurogamer.net"), ("gamereactor",), (), ()),
}
_WEAK_HINTS = {
    "a staging server": "cite the outlet's public page, not its staging copy",
    "a forum": "cite the article the post copies, at its publisher's address",
    "a mirror": "cite the original publication the copy reproduces",
    "a games site": "cite a news outlet or the primary source it quotes",
}


def weak_host(url: str) -> tuple[str, str] | None:
    """(what the host is, the host) for a staging server, forum, mirror or games site; None for a publisher."""
    host = urlsplit(url).hostname or ""
    labels = host.split(".")
    for kind, (domains, starts, ends, whole) in _WEAK_HOSTS.items():
        if (any(host == d or host.endswith("." + d) for d in domains)
                or any(label.startswith(starts) or label.endswith(ends) or label in whole for label in labels)):
            return kind, host
    return None


def a_cited_url(node: Node) -> str:
    """A page a reference may cite: an http(s) URL whose host publishes rather than copies."""
    value = a_url(node)
    weak = weak_host(value)
    if weak:
        kind, host = weak
        raise FieldError(f"is on {kind} ({host}), not a publisher's page",
                         _WEAK_HINTS[kind] + "; where no stronger page exists, narrow the fact or mark it "
                         "unconfirmed")
    return value


def a_bool(node: Node) -> bool:
    if not isinstance(node.value, bool):
        raise FieldError("must be true or false", "write true or false")
    return node.value


def a_contact(node: Node) -> str:
    value = node.value
    if not isinstance(value, str) or not (_URL.match(value) and value.startswith("https://")
                                          or re.match(r"^mailto:[^\s@]+@[^\s@]+\.[^\s@]+\Z", value)):
        raise FieldError("must be an https: address or a mailto: address",
                         "write e.g. 'https://github.com/owner/repo/issues' or 'mailto:desk@example.org'")
    return value


def a_date(node: Node) -> date:
    value = node.value
    if isinstance(value, datetime) or not isinstance(value, date):
        raise FieldError("must be a date", "write a real date as YYYY-MM-DD, unquoted")
    return value


def a_time_or_date(node: Node) -> date:
    """A day, or a time with its zone (read as UTC): a change-log entry reworded the day it was written needs the
    time, or the feed would show it unchanged."""
    value = node.value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise FieldError("must be a date or a time with its zone",
                     "write YYYY-MM-DD, or a UTC time as YYYY-MM-DDTHH:MM:SSZ, unquoted")


def a_time(node: Node) -> datetime:
    """A time with its zone, read as UTC: when a change-log entry was added, which orders it among its day's."""
    value = node.value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    raise FieldError("must be a time with its zone", "write the UTC time as YYYY-MM-DDTHH:MM:SSZ, unquoted")


def a_partial_date(node: Node) -> PartialDate:
    value = node.value
    if isinstance(value, date) and not isinstance(value, datetime):
        return PartialDate.of(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return PartialDate(value)
    match = _PARTIAL_DATE.match(value) if isinstance(value, str) else None
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            full = PartialDate(year, month, day)
            full.first  # noqa: B018 - raises on an impossible month or day
            return full
        except ValueError:
            pass
    raise FieldError("must be a date", "write YYYY-MM-DD, or \"YYYY-MM\" / \"YYYY\" when only that is known")


def a_number(node: Node) -> float:
    if isinstance(node.value, bool) or not isinstance(node.value, int | float):
        raise FieldError("must be a number", "write digits, e.g. 4 or 1.5")
    if not math.isfinite(node.value):  # YAML's .nan and .inf: no count or share is either, nor is it JSON
        raise FieldError("must be a finite number", "write digits, e.g. 4 or 1.5")
    return node.value


def list_of(convert: Callable[[Node], Any], *, unique: bool = True) -> Callable[[Node], tuple[Any, ...]]:
    def read(node: Node) -> tuple[Any, ...]:
        if not isinstance(node.value, list):
            raise FieldError("must be a list", "write it as [a, b] or as '- item' lines")
        items = []
        for item in node.value:
            if item.value is INVALID:
                raise AlreadyReported
            try:
                value = convert(item)
            except FieldError as exc:
                raise FieldError(exc.message, exc.hint, exc.node or item) from None
            if unique and value in items:
                raise FieldError("lists an item twice", "remove the repeated item", item)
            items.append(value)
        return tuple(items)
    return read


def user_assigned(code: str) -> bool:
    """ISO 3166-1's codes for private use (AA, QM-QZ, XA-XZ, ZZ): no real country, so an invented example can take
    one. Not XK, which Kosovo has in common use: a real place."""
    if len(code) != 2 or not code.isupper() or code == "XK":
        return False
    return code in ("AA", "ZZ") or code[0] == "X" or code[0] == "Q" and code[1] >= "M"


def one_of(choices: dict[str, str] | tuple[str, ...] | set[str]) -> Callable[[Node], str]:
    def read(node: Node) -> str:
        if not isinstance(node.value, str) or node.value not in choices:
            raise FieldError("is not one of the allowed values",
                             did_you_mean(str(node.value), choices, "values"))
        return node.value
    return read


_CITATION = re.compile(r"^(ref|claim):([a-z0-9]+(?:-[a-z0-9]+)*)\Z")


def a_citation(node: Node) -> Citation:
    match = _CITATION.match(node.value) if isinstance(node.value, str) else None
    if not match:
        raise FieldError("must be a citation", "write 'ref:ID' for a reference or 'claim:ID' for a claim")
    return Citation(match.group(1), match.group(2))  # type: ignore[arg-type]


def citations(node: Node) -> tuple[Citation, ...]:
    cited = list_of(a_citation)(node)
    if not cited:
        raise FieldError("must cite at least one source", "write e.g. [ref:w01] or [claim:ml-five-countries]")
    return cited


def _items(node: Node | None, log: ErrorLog, what: str, failed: set[str] | None = None, name: str = ""
           ) -> Iterator[Node]:
    """The items of a list; a file that is not one is reported and marked as failed."""
    if node is None:
        return
    if not isinstance(node.value, list):
        log.add(node.src_path, node.line, node.column, f"{what} must be a list (found {_describe(node.value)})",
                "write each entry as a '- ' item")
        if failed is not None:
            failed.add(name)
        return
    yield from node.value


def _earlier_records(node: Node, log: ErrorLog, what: str, hint: str) -> Iterator[tuple[Node, Record]]:
    """The items of an `earlier` list that are records, each with its reader (Record reports the others)."""
    if not isinstance(node.value, list):
        raise FieldError("must be a list", hint)
    for item in node.value:
        r = Record(item, log, what)
        if r.ok:
            yield item, r


def earlier_words(node: Node, log: ErrorLog, as_of: date | None) -> tuple[EarlierWords, ...]:
    """site.yaml's earlier tagline and description, oldest first, each ending by the site's date."""
    found: list[EarlierWords] = []
    for item, r in _earlier_records(node, log, "earlier words", "write each earlier tagline and description as a "
                                    "'- ' item, oldest first, with 'before:'"):
        before, tagline = r.field("before", a_date), r.field("tagline", text)
        description = r.field("description", text)
        r.finish()
        if before is None or tagline is None or description is None:
            continue
        if found and before <= found[-1].before:
            r.error(item.value["before"], f"earlier words end on {before}, not after the ones before them",
                    "list them oldest first, each with a later 'before'")
            continue
        if as_of is not None and before > as_of:
            r.error(item.value["before"], f"earlier words end on {before}, after the site's date ({as_of})",
                    "the site's own build shows its tagline and description: end the earlier words by "
                    "'as_of', or change them")
            continue
        found.append(EarlierWords(before, tagline, description))
    return tuple(found)


def earlier_notes(node: Node, log: ErrorLog, name: str, cite: Callable[[Record, str], tuple[Citation, ...]],
                  after: PartialDate | None, written: date | None, known_on: Mapping[str, date] = MappingProxyType({}),
                  dated: bool = False) -> tuple[EarlierNote, ...]:
    """A record's earlier wordings (an event's `note`, a treaty fact's `value`, an article's `summary`: `name`), each
    with its `before` and `cite`, oldest first. Each ends after the record's date (before it no build shows the
    record) and by the site's (its own build shows the record's own words), and after the first day of each
    reference it cites (`known_on`): else no build shows the wording with that reference. An event's (`dated`) may
    date it only as on or before a day (`by`), on or after its own date and before the wording ends."""
    found: list[EarlierNote] = []
    for item, r in _earlier_records(node, log, "earlier wording", f"write each earlier wording as a '- before: "
                                    f"DATE' item with '{name}:' and 'cite:', oldest first"):
        before, words, cites = r.field("before", a_date), r.field(name, text), cite(r, "cite")
        by = r.field("by", a_date, required=False) if dated else None
        r.finish()
        if before is None or words is None or not cites:
            continue
        if by is not None and after is not None and by < after.last:
            r.error(item.value["by"], f"earlier wording dates the event on or before {by}, before its own date "
                    f"({after.iso})", "give the day of the first of the wording's pages that records the event")
        elif by is not None and by >= before:
            r.error(item.value["by"], f"earlier wording dates the event on or before {by}, but ends on {before}, so "
                    "no build shows that date", "end the wording after the day, or remove 'by'")
        elif found and before <= found[-1].before:
            r.error(item.value["before"], f"earlier wording ends on {before}, not after the one before it",
                    "list the wordings oldest first, each with a later 'before'")
        elif after is not None and before <= after.last:
            r.error(item.value["before"], f"earlier wording ends on {before}, by the record's own date "
                    f"({after.iso}), so no build shows it", "end it after that date, or remove it")
        elif written is not None and before > written:
            r.error(item.value["before"], f"earlier wording ends on {before}, after the site's date ({written})",
                    f"the site's own build shows the record's own '{name}': end the wording by 'as_of'")
        else:
            found.append(EarlierNote(before, words, cites, by))
            late = max(((known_on[c.id], c.id) for c in cites if c.kind == "ref" and c.id in known_on), default=None)
            if late is not None and late[0] >= before:
                r.error(item.value["before"], f"earlier wording ends on {before}, but it cites '{late[1]}', which a "
                        f"build shows from {late[0]} on (the newest date of its pages or its words), so never with "
                        "the wording",
                        f"end the wording after {late[0]}, or cite a reference a build shows before {before}")
    return tuple(found)


def _raw_id(node: Node) -> str | None:
    """The id as written, valid or not, so that later references to it are not reported twice."""
    written = node.value.get("id") if isinstance(node.value, dict) else None
    return written.value if written is not None and isinstance(written.value, str) else None


def a_base_url(node: Node) -> str:
    value = a_url(node)
    if not value.endswith("/") or "?" in value or "#" in value:
        raise FieldError("must be a base URL ending in '/'", "write e.g. https://owner.github.io/repo/")
    return value


def a_language(node: Node) -> str:
    if not isinstance(node.value, str) or not _LANGUAGE.match(node.value):
        raise FieldError("must be a language tag", "write e.g. en or en-GB")
    return node.value


def text_or_number(node: Node) -> str:
    if isinstance(node.value, int) and not isinstance(node.value, bool):
        return str(node.value)
    return text(node)


def an_options_map(node: Node) -> dict[str, str]:
    if not isinstance(node.value, dict) or not node.value:
        raise FieldError("must be a mapping of option ids to labels", "write e.g. russian-threat: \"...\"")
    found = {}
    for key, value in node.value.items():
        if not ID_PATTERN.match(key):
            raise FieldError(f"has option '{key}', which is not a valid id", "use lowercase, digits, hyphens")
        found[key] = text(value)
    return found


@dataclass
class Known:
    """The ids of one kind of record: the valid ones, and those written but invalid (already reported)."""

    ids: Collection[str]
    declared: set[str] = field(default_factory=set)
    incomplete: bool = False

    def forgives(self, value: str) -> bool:
        return value in self.declared or self.incomplete


def known_id(node: Node, known: Known, singular: str) -> str:
    value = an_id(node)
    if value not in known.ids:
        if known.forgives(value):
            raise AlreadyReported
        raise FieldError(f"names unknown {singular}", did_you_mean(value, known.ids, singular + " ids"))
    return value


def answer_value(node: Node, kind: str, options: dict[str, str], countries: Known) -> AnswerValue:
    """Read an answer in the shape its question's type asks for."""
    if kind == "countries":
        return AnswerValue(items=tuple(sorted(list_of(lambda n: known_id(n, countries, "country"))(node))))
    if kind == "points":
        return AnswerValue(items=tuple(sorted(list_of(lambda n: known_id(n, Known(options), "option"))(node))))
    if kind == "number":
        return AnswerValue(number=a_number(node))
    if kind == "text":
        return AnswerValue(text=text(node))
    if isinstance(node.value, dict):
        r = Record(node, ErrorLog(), "date")
        not_before = r.field("not_before", a_date, required=False)
        not_after = r.field("not_after", a_date, required=False)
        unknown = set(node.value) - {"not_before", "not_after"}
        if unknown or not (not_before or not_after):
            raise FieldError("must be a date or {not_before, not_after}", "write e.g. {not_after: 2025-04-04}")
        return AnswerValue(window=DateWindow(not_before, not_after))
    partial = a_partial_date(node)
    return AnswerValue(window=DateWindow(partial.first, partial.last))


def read_answer(node: Node, *, question: Question, countries: Known) -> AnswerValue:
    return answer_value(node, question.type, question.options, countries)


def _paragraphs(wording: str) -> list[str]:
    return [part for part in (normalise(p) for p in re.split(r"\n\s*\n", wording)) if part]


