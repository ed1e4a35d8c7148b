"""Raw records -> the frozen model: types, references and provenance, with every error collected."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from . import compare, status
from .dated import country_as_of, later_references, site_as_of
from .errors import ContentErrors, ErrorLog, did_you_mean, shown
from .iso_codes import COUNTRY_CODES
from .load import ID_PATTERN, INVALID, RESERVED_IDS, MarkdownFile, Node, RawContent, reserved_hint
from .model import (
    ANSWER_TYPES,
    CHANGE_KINDS,
    CITATION_MARK,
    CLAIM_KINDS,
    EVENT_KINDS,
    PASSAGE_KINDS,
    RATINGS,
    UNQUOTABLE_PASSAGES,
    Answer,
    AnswerValue,
    Article,
    Change,
    Citation,
    CitedValue,
    Claim,
    Country,
    DateWindow,
    Dating,
    Event,
    Overtaken,
    PartialDate,
    Passage,
    Question,
    Reference,
    ReferenceValue,
    Review,
    Sentence,
    Site,
    SiteConfig,
    Source,
    Support,
    TextSource,
    Treaty,
    TreatyFact,
)
from .quotes import SearchableText, normalise, text_fragment_url

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\Z")
# No white space, control character or bidirectional control in an address: each would make it another one.
_URL = re.compile(r"^https?://[^\s<>\"'\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+\Z")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
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
    found = None if value.isascii() else _BIDI.search(node.value)
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


def _raw_id(node: Node) -> str | None:
    """The id as written, valid or not, so that later references to it are not reported twice."""
    written = node.value.get("id") if isinstance(node.value, dict) else None
    return written.value if written is not None and isinstance(written.value, str) else None


class Validator:
    """Turns raw content into a Site, collecting every problem on the way."""

    def __init__(self, raw: RawContent, log: ErrorLog) -> None:
        self.raw, self.log = raw, log
        self.cited: list[tuple[Citation, Node, str]] = []
        self.bodies: dict[str, SearchableText] = {}
        self.event_nodes: dict[int, Node] = {}
        self.declared: dict[str, set[str]] = {"claims": set(), "questions": set(), "references": set()}
        # Sources marked `draft: true` (ingest's, until curated): checked like any other, then left out of the
        # site with their claims, so no page, link or download shows them.
        self.drafts: dict[str, Source] = {}

    def cite(self, record: Record, name: str, *, required: bool = True, usage: str = "support"
             ) -> tuple[Citation, ...]:
        cited = record.field(name, citations, required=required, default=())
        if cited:
            node = record.node.value[name]
            for citation, item in zip(cited, node.value, strict=False):
                self.cited.append((citation, item, usage))
        return cited

    def unique(self, seen: dict[str, Node], key: str, node: Node, what: str) -> bool:
        if key in seen:
            first = seen[key]
            self.log.add(node.src_path, node.line, node.column, f"{what} '{key}' is defined twice",
                         f"first defined at {first.src_path}:{first.line}; give one of them another id")
            return False
        seen[key] = node
        return True

    # ---------------------------------------------------------------- site.yaml
    def site_config(self) -> SiteConfig | None:
        node = self.raw.site
        if node is None:
            return None
        r = Record(node, self.log, "site.yaml")
        config = dict(
            title=r.field("title", text), tagline=r.field("tagline", text),
            description=r.field("description", text), language=r.field("language", a_language),
            base_url=r.field("base_url", a_base_url), as_of=r.field("as_of", a_date),
            publisher=r.field("publisher", optional_text, required=False),
            contact=r.field("contact", a_contact, required=False),
        )
        r.finish()
        if r.ok and all(config[k] is not None for k in ("title", "tagline", "description", "language",
                                                         "base_url", "as_of")):
            return SiteConfig(**config)
        return None

    # ---------------------------------------------------------------- references
    def references(self) -> dict[str, Reference]:
        found: dict[str, Reference] = {}
        seen: dict[str, Node] = {}
        for node in _items(self.raw.references, self.log, "the references file", self.raw.failed, "references"):
            r = Record(node, self.log, "reference")
            ref_id = r.field("id", an_id)
            self.declared["references"].add(_raw_id(node))
            subject, statement = r.field("subject", text), r.field("statement", text)
            confidence = r.field("confidence", one_of(("confirmed", "unconfirmed")))
            # An unconfirmed fact may have no document behind it: its URL, title and excerpt can be empty.
            page = self.cited_page(r, optional=confidence == "unconfirmed")
            value = r.field("value", maybe_empty(text), default="")
            what = f"supporting page of reference '{ref_id or _raw_id(node)}'"
            also = r.field("also", partial(self.supports, what=what), required=False, default=())
            r.finish()
            if ref_id and subject and statement and confidence and self.unique(seen, ref_id, node, "reference"):
                found[ref_id] = Reference(ref_id, subject, statement, value=value, confidence=confidence,
                                          also=also, **page)
        return found

    def cited_page(self, r: Record, *, optional: bool = False) -> dict[str, Any]:
        """A cited page's fields: where it is, who published it and when, and its excerpt with our translation."""
        empty_ok = maybe_empty if optional else (lambda convert: convert)
        page = {name: r.field(name, empty_ok(convert), default="")
                for name, convert in (("url", a_cited_url), ("title", verbatim), ("excerpt", verbatim))}
        has_page = bool(page["url"]) or not optional
        page["outlet"] = r.field("outlet", verbatim, required=has_page, default="")
        page["published"] = r.field("published", a_partial_date, required=False)
        page["language"] = r.field("language", a_language, required=has_page and bool(page["excerpt"]),
                                   default="")
        page["translation"] = r.field("translation", text, required=False, default="")
        english = page["language"].split("-")[0] == "en"
        if page["language"] and page["excerpt"] and not english and not page["translation"]:
            at = r.node.value["language"]
            r.error(at, f"{r.what} quotes an excerpt in '{page['language']}' without a translation",
                    "add 'translation:' with our English rendering; the site shows it marked as ours")
        elif page["translation"] and english:
            at = r.node.value["translation"]
            r.error(at, f"{r.what} translates an excerpt that is in English",
                    "remove 'translation:', or set 'language:' to the excerpt's language")
        return page

    def supports(self, node: Node, what: str) -> tuple[Support, ...]:
        """Further pages of a reference: every one is checked, so each mistake is reported at once."""
        if not isinstance(node.value, list):
            raise FieldError("must be a list", "write each page as a '- url: ...' item")
        found = []
        for item in node.value:
            r = Record(item, self.log, what)
            page = self.cited_page(r)
            r.finish()
            if all(page[name] for name in ("url", "title", "outlet", "excerpt", "language")):
                found.append(Support(**page))
        if len(found) < len(node.value):
            raise AlreadyReported
        return tuple(found)

    # ---------------------------------------------------------------- sources
    def sources(self) -> dict[str, Source]:
        """The published sources; drafts go to `self.drafts`, for their claims to be checked against."""
        found = {}
        for source_id, doc in self.raw.sources.items():
            source = self.source(source_id, doc)
            if source is not None and source_id not in self.drafts:
                found[source_id] = source
        return found

    def source(self, source_id: str, doc: MarkdownFile) -> Source | None:
        if doc.meta is None:
            return None
        r = Record(doc.meta, self.log, f"source '{source_id}'")
        body = doc.body
        if not body.strip():
            self.log.add(doc.src_path, doc.body_line, 1, "the source has no text",
                         "paste the article's text, verbatim, after the front matter")
        searchable = SearchableText(body)
        self.bodies[source_id] = searchable
        fields = dict(
            outlet=r.field("outlet", verbatim), title=r.field("title", verbatim), url=r.field("url", a_url),
            language=r.field("language", a_language),
            published=r.field("published", self.dating), retrieved=r.field("retrieved", self.dating),
            outlet_url=r.field("outlet_url", a_url, required=False),
            section=r.field("section", optional_verbatim, required=False),
            byline=r.field("byline", optional_verbatim, required=False),
            byline_note=r.field("byline_note", optional_text, required=False),
            captured_as=r.field("captured_as", optional_text, required=False),
        )
        passages = r.field("passages", lambda n: self.passages(n, searchable, source_id), required=False,
                           default=())
        draft = r.field("draft", a_bool, required=False, default=False)
        r.finish()
        if not r.ok or any(fields[k] is None for k in ("outlet", "title", "url", "language", "published",
                                                        "retrieved")):
            return None
        source = Source(source_id, body=body, passages=passages, src_path=doc.src_path, **fields)
        if draft:
            self.drafts[source_id] = source
        return source

    def dating(self, node: Node) -> Dating:
        r = Record(node, self.log, "date")
        if not r.ok:
            raise FieldError("must be a mapping", "write 'date:' or 'not_before:'/'not_after:', and 'how:'")
        exact = r.field("date", a_date, required=False)
        not_before = r.field("not_before", a_date, required=False)
        not_after = r.field("not_after", a_date, required=False)
        how = r.field("how", text, default="")
        # What the note that says how rests on, beyond the article itself (an event the article names, say).
        cite = self.cite(r, "cite", required=False)
        r.finish()
        if exact and (not_before or not_after):
            r.error(node, "give either 'date' or a window ('not_before'/'not_after'), not both",
                    "keep 'date' when it is known exactly, otherwise the window")
        if not_before and not_after and not_before > not_after:
            r.error(node, f"'not_before' ({not_before}) is after 'not_after' ({not_after})", "swap the two dates")
        window = DateWindow(exact, exact) if exact else DateWindow(not_before, not_after)
        return Dating(window, how, cite)

    def passages(self, node: Node, body: SearchableText, source_id: str) -> tuple[Passage, ...]:
        if not isinstance(node.value, list):
            raise FieldError("must be a list", "write each passage as a '- ' item")
        found: list[Passage] = []
        seen: dict[str, Node] = {}
        for item in node.value:
            r = Record(item, self.log, "passage")
            passage_id = r.field("id", an_id)
            kind = r.field("kind", one_of(PASSAGE_KINDS))
            start_text = r.field("from", verbatim)
            end_text = r.field("to", verbatim, required=False)
            note = r.field("note", text)
            social = kind == "social-post"
            extra = dict(
                author=r.field("author", verbatim, required=social),
                handle=r.field("handle", verbatim, required=False),
                posted=r.field("posted", a_date, required=social),
                related=r.field("related", a_bool, required=False, default=True),
            )
            r.finish()
            if not (passage_id and kind and start_text and note) or not self.unique(seen, passage_id, item,
                                                                                     "passage"):
                continue
            span = self.passage_span(item, body, start_text, end_text)
            if span is None:
                continue
            for other in found:
                if span[0] < other.end and other.start < span[1]:
                    r.error(item, f"passage '{passage_id}' overlaps passage '{other.id}'",
                            "make the passages' 'from'/'to' texts mark separate parts of the body")
            found.append(Passage(passage_id, kind, span[0], span[1], body.text[span[0]:span[1]], note, **extra))
        return tuple(sorted(found, key=lambda p: p.start))

    def passage_span(self, item: Node, body: SearchableText, start_text: str, end_text: str | None
                     ) -> tuple[int, int] | None:
        starts = body.find_all(start_text)
        anchor = item.value["from"]
        if len(starts) != 1:
            problem = "does not occur in the body" if not starts else f"occurs {len(starts)} times in the body"
            self.log.add(anchor.src_path, anchor.line, anchor.column, f"passage start {problem}: {shown(start_text)}",
                         "quote text that occurs exactly once in the article" if starts else
                         f"closest text in the body: {shown(body.closest(start_text))}")
            return None
        start, end = starts[0]
        if end_text:
            ends = [span for span in body.find_all(end_text) if span[1] > start]
            if not ends:
                anchor = item.value["to"]
                self.log.add(anchor.src_path, anchor.line, anchor.column,
                             f"passage end does not occur after its start: {shown(end_text)}",
                             f"closest text in the body: {shown(body.closest(end_text))}")
                return None
            end = ends[0][1]
        return start, end

    # ---------------------------------------------------------------- questions
    def questions(self, countries: Known) -> dict[str, Question]:
        found: dict[str, Question] = {}
        seen: dict[str, Node] = {}
        for node in _items(self.raw.questions, self.log, "the questions file", self.raw.failed, "questions"):
            r = Record(node, self.log, "question")
            question_id = r.field("id", an_id)
            self.declared["questions"].add(_raw_id(node))
            question_text = r.field("text", text)
            kind = r.field("type", one_of(ANSWER_TYPES))
            options = r.field("options", an_options_map, required=kind == "points", default={})
            if options and kind != "points":
                r.error(node.value["options"], "only questions of type 'points' have options",
                        "remove 'options' or change the type to 'points'")
            references: tuple[ReferenceValue, ...] = ()
            reference_node = r.child("reference")
            if reference_node is not None and kind:
                references = self.question_references(reference_node, question_id or "", kind, options,
                                                      countries)
            r.finish()
            if question_id and question_text and kind and self.unique(seen, question_id, node, "question"):
                found[question_id] = Question(question_id, question_text, kind, options, references)
        return found

    def question_references(self, node: Node, question_id: str, kind: str, options: dict[str, str],
                            countries: Known) -> tuple[ReferenceValue, ...]:
        """The references' answer: one mapping (true throughout), or a list of answers each true from `since` on."""
        what = f"the reference answer of question '{question_id}'"
        items = node.value if isinstance(node.value, list) else [node]
        found: list[ReferenceValue] = []
        for item in items:
            r = Record(item, self.log, what)
            since = r.field("since", a_date, required=isinstance(node.value, list) and bool(found))
            value = r.field("value", lambda n: answer_value(n, kind, options, countries))
            cite = self.cite(r, "cite")
            note = r.field("note", text, required=False)
            r.finish()
            if found and since is not None and found[-1].since is not None and since <= found[-1].since:
                r.error(item.value["since"], f"{what} changes on {since}, not after the answer before it",
                        "list the answers oldest first, each with a later 'since'")
            elif value is not None:
                found.append(ReferenceValue(since, value, cite, note))
        return tuple(found)

    # ---------------------------------------------------------------- countries
    def countries(self) -> dict[str, Country]:
        found = {}
        for country_id, node in self.raw.countries.items():
            r = Record(node, self.log, f"country '{country_id}'")
            name = r.field("name", text)
            iso2 = r.field("iso2", text)
            if iso2 and (iso2 != country_id.upper() or iso2 not in COUNTRY_CODES):
                r.error(node.value["iso2"], f"'{iso2}' is not the ISO 3166-1 code this file is named for",
                        f"the file {country_id}.yaml must hold iso2: \"{country_id.upper()}\", a real code")
                iso2 = None
            nato = r.field("nato", self.cited_value, required=False)
            borders = r.field("borders", self.borders, required=False, default={})
            armed_conflict = r.field("armed_conflict", self.cited_value, required=False)
            never_joined: tuple[Citation, ...] = ()
            never_joined_node = r.child("never_joined")
            if never_joined_node is not None:
                sub = Record(never_joined_node, self.log, "never_joined")
                never_joined = self.cite(sub, "cite")
                sub.finish()
            events = r.field("events", self.events, required=False, default=())
            unconfirmed = self.unconfirmed(r)
            r.finish()
            if name and iso2:
                found[country_id] = Country(country_id, name, iso2, events, nato, borders, armed_conflict,
                                            never_joined, unconfirmed)
        return found

    def unconfirmed(self, r: Record) -> tuple[str, ...]:
        """References listing what could not be established, shown as such and never as fact."""
        found = r.field("unconfirmed", list_of(an_id), required=False, default=())
        for ref_id, item in zip(found, r.node.value["unconfirmed"].value if found else (), strict=False):
            self.cited.append((Citation("ref", ref_id), item, "unconfirmed"))
        return found

    def cited_value(self, node: Node) -> CitedValue:
        r = Record(node, self.log, "cited value")
        if not r.ok:
            raise FieldError("must be a mapping", "write {value: true, cite: [ref:ID]}")
        value = r.field("value", a_bool)
        cite = self.cite(r, "cite")
        note = r.field("note", text, required=False)
        r.finish()
        return CitedValue(bool(value), cite, note)

    def borders(self, node: Node) -> dict[str, CitedValue]:
        r = Record(node, self.log, "borders")
        if not r.ok:
            raise FieldError("must be a mapping", "write russia: {...} and belarus: {...}")
        found = {name: r.field(name, self.cited_value, required=False) for name in ("russia", "belarus")}
        r.finish()
        return {name: value for name, value in found.items() if value is not None}

    def events(self, node: Node) -> tuple[Event, ...]:
        if not isinstance(node.value, list):
            raise FieldError("must be a list", "write each event as a '- kind: ...' item")
        found = []
        for item in node.value:
            r = Record(item, self.log, "event")
            kind = r.field("kind", one_of(EVENT_KINDS))
            when = r.field("date", a_partial_date)
            note = r.field("note", text, required=False)
            cite = self.cite(r, "cite")
            r.finish()
            if kind and when:
                event = Event(kind, when, cite, note)
                self.event_nodes[id(event)] = item
                found.append(event)
        return tuple(sorted(found, key=lambda e: (e.date.first, list(EVENT_KINDS).index(e.kind))))

    # ---------------------------------------------------------------- claims
    def claims(self, sources: dict[str, Source], questions: Known, countries: Known,
               seen: dict[str, Node] | None = None) -> dict[str, Claim]:
        """The claims of every claims file; `seen` gets where each claim id was first defined."""
        found: dict[str, Claim] = {}
        seen = {} if seen is None else seen
        for source_id, file_node in self.raw.claims.items():
            source = sources.get(source_id) or self.drafts.get(source_id)
            for node in _items(file_node, self.log, "a claims file", self.raw.failed, "claims"):
                claim = self.claim(node, source, source_id, questions, countries)
                if claim and self.unique(seen, claim.id, node, "claim") and source:
                    # A draft source's claims are drafts too, whatever they say, until the source is curated.
                    found[claim.id] = replace(claim, draft=True) if source_id in self.drafts else claim
        return found

    def units(self, questions: Known, countries: Known, seen: dict[str, Node] | None = None
              ) -> tuple[dict[str, Source], dict[str, Claim]]:
        """The sources and their claims."""
        sources = self.sources()
        self.claims_files_name_sources({k: node.src_path for k, node in self.raw.claims.items()}, self.raw.sources)
        return sources, self.claims(sources, questions, countries, seen)

    def claims_files_name_sources(self, claims_files: dict[str, str], source_files: Collection[str]) -> None:
        """Each claims file (id: its path) is named after a source file that was read (or failed to be)."""
        for source_id, src_path in claims_files.items():
            if source_id not in source_files and f"sources:{source_id}" not in self.raw.failed:
                self.log.add(src_path, 1, 1, f"claims file names unknown source '{source_id}'",
                             did_you_mean(source_id, source_files, "sources") +
                             "; a claims file is named after its source")

    def claim(self, node: Node, source: Source | None, source_id: str, questions: Known,
              countries: Known) -> Claim | None:
        r = Record(node, self.log, "claim")
        claim_id = r.field("id", an_id)
        self.declared["claims"].add(_raw_id(node))
        quote = r.field("quote", verbatim)
        says = r.field("says", text)
        kind = r.field("kind", one_of(CLAIM_KINDS))
        speaker = r.field("speaker", optional_text, required=False)
        concerns = r.field("countries", list_of(lambda n: known_id(n, countries, "country")),
                           required=False, default=())
        organisations = r.field("organisations", list_of(text), required=False, default=())
        people = r.field("people", list_of(text), required=False, default=())
        when = r.field("when", a_partial_date, required=False)
        answers = r.field("answers", lambda n: self.answers(n, questions, countries), required=False,
                          default=())
        review = r.field("review", self.review, required=False)
        draft = r.field("draft", a_bool, required=False, default=False)
        r.finish()
        if kind in ("quote", "paraphrase", "social-post") and not speaker and "speaker" not in node.value:
            r.error(node, f"claim '{claim_id}' of kind '{kind}' must name its speaker",
                    "add 'speaker:' with who said or posted it")
        if not (claim_id and quote and says and kind) or source is None:
            return None
        if review is not None and review.overtaken is not None:
            written = DateWindow(when.first, when.last) if when else source.published.window
            if written.not_before and review.overtaken.on.last < written.not_before:
                r.error(node.value["review"].value["overtaken"].value["date"],
                        f"claim '{claim_id}' was overtaken {review.overtaken.on.on}, before the time it speaks of "
                        f"({written.human})", "rate the claim as it stood then (inaccurate or imprecise) and "
                        "remove 'overtaken', or correct the dates")
        span, passage = self.locate_quote(node.value["quote"], source, quote, kind)
        if span is None:
            return None
        original_url = text_fragment_url(source.url, self.bodies[source.id].text[span[0]:span[1]])
        return Claim(claim_id, source_id, quote, says, kind, span, original_url, speaker, concerns, organisations,
                     people, when, answers, review, passage.id if passage else None, draft)

    def locate_quote(self, node: Node, source: Source, quote: str, kind: str
                     ) -> tuple[tuple[int, int] | None, Passage | None]:
        """Provenance: the quote must be in the body, and not in a passage that is no one's words."""
        body = self.bodies[source.id]
        span = body.find(quote)
        where = (node.src_path, node.line, node.column)
        if span is None:
            closest = body.closest(quote)
            self.log.add(*where, f"quote not found in source '{source.id}': {shown(quote)}",
                         f"closest passage in {source.src_path}: {shown(closest)}" if closest else
                         f"copy the words exactly from {source.src_path}")
            return None, None
        passage = next((p for p in source.passages if p.start < span[1] and span[0] < p.end), None)
        if passage and passage.kind in UNQUOTABLE_PASSAGES:
            self.log.add(*where, f"quote comes from a passage marked '{passage.kind}' ('{passage.id}')",
                         "quote the article's own text; this passage is not reporting")
            return None, None
        if passage and kind != "social-post":
            self.log.add(*where, f"quote comes from the embedded post '{passage.id}' but the claim's kind "
                         f"is '{kind}'", "set 'kind: social-post' and the poster as 'speaker'")
        if kind == "social-post" and (passage is None or passage.kind != "social-post"):
            self.log.add(*where, "a claim of kind 'social-post' must quote an embedded post",
                         "mark the post as a passage of kind 'social-post' in the source, or change the kind")
        return span, passage

    def answers(self, node: Node, questions: Known, countries: Known) -> tuple[Answer, ...]:
        if not isinstance(node.value, list):
            raise FieldError("must be a list", "write each answer as a '- question: ...' item")
        found: list[Answer] = []
        for item in node.value:
            r = Record(item, self.log, "answer")
            question_id = r.field("question", lambda n: known_id(n, questions, "question"))
            question = questions.ids.get(question_id or "")  # type: ignore[attr-defined]
            value = None
            if question:
                value = r.field("value", partial(read_answer, question=question, countries=countries))
            r.seen.add("value")
            note = r.field("note", text, required=False)
            complete = r.field("complete", a_bool, required=False, default=False)
            r.finish()
            if complete and question and question.type not in ("countries", "points"):
                r.error(item.value["complete"], "only a list answer (countries or points) can be complete",
                        "remove 'complete'")
            if question_id and any(a.question_id == question_id for a in found):
                r.error(item, f"the claim answers question '{question_id}' twice", "merge the two answers")
            elif question_id and value is not None:
                found.append(Answer(question_id, value, note, complete))
        return tuple(found)

    def review(self, node: Node) -> Review:
        r = Record(node, self.log, "review")
        if not r.ok:
            raise FieldError("must be a mapping", "write rating:, says: and cite:")
        rating_node = node.value.get("rating")
        if rating_node is not None and rating_node.value == "out-of-date":
            r.seen.add("rating")
            r.error(rating_node, "rating 'out-of-date' is no longer used (found 'out-of-date')",
                    "rate the claim as it stood when its source wrote (accurate), and add 'overtaken:' with "
                    "the date, what changed and its citations")
            rating = None
        else:
            rating = r.field("rating", one_of(RATINGS))
        says = r.field("says", text)
        cite = self.cite(r, "cite", required=rating != "unchecked")
        self.references_only(r, "cite", cite, "a review")
        overtaken = r.field("overtaken", self.overtaken, required=False)
        r.finish()
        if overtaken is not None and rating not in ("accurate", "imprecise"):
            r.error(node.value["overtaken"], f"a claim rated '{rating}' cannot have been overtaken",
                    "only what was accurate or imprecise when written can be overtaken; remove 'overtaken'")
            overtaken = None
        return Review(rating or "", says or "", cite, overtaken)

    def overtaken(self, node: Node) -> Overtaken:
        r = Record(node, self.log, "overtaken")
        if not r.ok:
            raise AlreadyReported
        on = r.field("date", a_partial_date)
        says = r.field("says", text)
        cite = self.cite(r, "cite")
        self.references_only(r, "cite", cite, "what overtook a claim")
        r.finish()
        if on is None or says is None:
            raise AlreadyReported
        return Overtaken(on, says, cite)

    def references_only(self, r: Record, name: str, cite: tuple[Citation, ...], what: str) -> None:
        """A check rests on the references: a claim cannot be checked against a claim."""
        for citation, item in zip(cite, r.node.value[name].value if cite else (), strict=False):
            if citation.kind != "ref":
                r.error(item, f"{what} cites claim '{citation.id}'; a claim cannot be checked against a claim",
                        "cite the references (ref:ID) that confirm or contradict it")

    # ---------------------------------------------------------------- treaty and summary
    def treaty(self) -> Treaty | None:
        node = self.raw.treaty
        if node is None:
            return None
        r = Record(node, self.log, "treaty.yaml")
        name, name_cite = None, ()
        name_node = r.child("name")
        if name_node is not None:
            sub = Record(name_node, self.log, "the treaty's name")
            name = sub.field("value", text)
            name_cite = self.cite(sub, "cite")
            sub.finish()
        else:
            r.field("name", text)
        short_names = r.field("short_names", list_of(text), required=False, default=())
        # The other names the site gives the treaty, in its own voice, rest on where they are used.
        short_names_cite = self.cite(r, "short_names_cite", required=bool(short_names))
        facts = r.field("facts", self.treaty_facts, default=())
        articles = r.field("articles", self.articles, default=())
        text_source = r.field("text_source", self.text_source, required=False)
        unconfirmed = self.unconfirmed(r)
        r.finish()
        if not name:
            return None
        return Treaty(name, name_cite, short_names, facts, articles, unconfirmed, short_names_cite=short_names_cite,
                      text_source=text_source)

    def text_source(self, node: Node) -> TextSource:
        r = Record(node, self.log, "the treaty's text_source")
        source = TextSource(r.field("name", text, default=""), r.field("url", a_url, default=""),
                            r.field("note", text, default=""))
        r.finish()
        if not all((source.name, source.url, source.note)):
            raise AlreadyReported
        return source

    def treaty_facts(self, node: Node) -> tuple[TreatyFact, ...]:
        found, seen = [], {}
        for item in _items(node, self.log, "facts"):
            r = Record(item, self.log, "treaty fact")
            fact_id = r.field("id", an_id)
            label, value = r.field("label", text), r.field("value", text)
            when = r.field("date", a_partial_date, required=False)
            cite = self.cite(r, "cite")
            r.finish()
            if fact_id and label and value and self.unique(seen, fact_id, item, "treaty fact"):
                found.append(TreatyFact(fact_id, label, value, cite, when))
        return tuple(found)

    def articles(self, node: Node) -> tuple[Article, ...]:
        source_path, source_text = self.raw.treaty_text or ("content/references/treaty-text.md", "")
        searchable = SearchableText(source_text)
        found, seen = [], {}
        for item in _items(node, self.log, "articles"):
            r = Record(item, self.log, "article")
            number = r.field("number", text_or_number)
            title, wording = r.field("title", text), r.field("text", verbatim)
            summary = r.field("summary", text)
            cite = self.cite(r, "cite")
            r.finish()
            if wording and not all(searchable.find(part) for part in _paragraphs(wording)):
                missing = next(part for part in _paragraphs(wording) if not searchable.find(part))
                where = item.value["text"]
                self.log.add(where.src_path, where.line, where.column,
                             f"article {number} is not worded as in {source_path}: '{missing[:80]}'",
                             f"closest wording: '{searchable.closest(missing)[:120]}'")
            if number and title and wording and summary and self.unique(seen, number, item, "article"):
                found.append(Article(number, title, wording, summary, cite))
        return tuple(found)

    def summary(self) -> tuple[Sentence, ...]:
        found = []
        for node in _items(self.raw.summary, self.log, "the summary file"):
            r = Record(node, self.log, "summary sentence")
            sentence = r.field("text", text)
            cite = self.cite(r, "cite")
            # The newest thing the sentence states: a build as of an earlier date leaves the sentence out.
            dated = r.field("date", a_partial_date)
            r.finish()
            if sentence:
                found.append(Sentence(sentence, cite, dated))
        return tuple(found)

    def changes(self) -> tuple[Change, ...]:
        """The change log (content/changes.yaml), newest first; entries of one day keep their written order."""
        found = []
        for node in _items(self.raw.changes, self.log, "the change log"):
            r = Record(node, self.log, "change-log entry")
            day = r.field("date", a_date)
            kind = r.field("kind", one_of(CHANGE_KINDS))
            words = r.field("text", text)
            cite = self.cite(r, "cite", required=False)
            r.finish()
            if day and kind and words:
                found.append(Change(day, kind, words, cite))
        return tuple(sorted(found, key=lambda c: c.date, reverse=True))

    def text_citations(self, document: tuple[str, str] | None) -> None:
        """The citations written into a Markdown text as [ref:ID] or [claim:ID], checked like any other."""
        if document is None:
            return
        src_path, body = document
        for match in CITATION_MARK.finditer(body):
            start = match.start()
            line = body.count("\n", 0, start) + 1
            column = start - body.rfind("\n", 0, start)
            kind = "claim" if match.group(1) == "claim" else "ref"
            self.cited.append((Citation(kind, match.group(2)), Node(match.group(0), src_path, line, column),
                               "support"))

    def methodology(self) -> None:
        """The methodology is the editor's own Markdown: no bidirectional controls, as in any text they write."""
        if self.raw.methodology is None:
            return
        src_path, body = self.raw.methodology
        for found in _BIDI.finditer(body):
            line_start = body.rfind("\n", 0, found.start()) + 1
            self.log.add(src_path, body.count("\n", 0, found.start()) + 1, found.start() - line_start + 1,
                         f"the text contains the bidirectional control character U+{ord(found.group()):04X}",
                         BIDI_HINT)

    # ---------------------------------------------------------------- cross-references
    def check_citations(self, references: dict[str, Reference], claims: dict[str, Claim],
                        sources: Collection[str]) -> None:
        """Every citation names a reference or claim that exists and may be cited; `sources` are the published."""
        for citation, node, usage in self.cited:
            where = (node.src_path, node.line, node.column)
            if citation.kind == "claim":
                if citation.id not in claims and (citation.id in self.declared["claims"] or
                                                  "claims" in self.raw.failed):
                    continue
                if citation.id not in claims:
                    self.log.add(*where, f"cites unknown claim '{citation.id}'",
                                 did_you_mean(citation.id, claims, "claims"))
                elif (source_id := claims[citation.id].source_id) not in sources:
                    self.log.add(*where, f"cites claim '{citation.id}' of draft source '{source_id}'",
                                 "curate the source and remove its 'draft: true' before citing its claims")
                elif claims[citation.id].draft:
                    self.log.add(*where, f"cites draft claim '{citation.id}'",
                                 "accept the claim (remove 'draft: true') before citing it")
                continue
            reference = references.get(citation.id)
            if reference is None and (citation.id in self.declared["references"] or
                                      "references" in self.raw.failed):
                continue
            if reference is None:
                self.log.add(*where, f"cites unknown reference '{citation.id}'",
                             did_you_mean(citation.id, references, "references") +
                             "; copy it into content/references/facts.yaml")
            elif usage == "support" and reference.confidence != "confirmed":
                self.log.add(*where, f"cites unconfirmed reference '{citation.id}' as support",
                             "an unconfirmed fact is not stated as true; list it under 'unconfirmed' instead")
            elif usage == "unconfirmed" and reference.confidence != "unconfirmed":
                self.log.add(*where, f"reference '{citation.id}' is confirmed, not unconfirmed",
                             "cite it as support in an event or fact instead")

    def check_effective_dates(self, countries: dict[str, Country]) -> None:
        """A withdrawal date typed in from a reference must agree with the one Article 20 gives."""
        for country in countries.values():
            computed = status.effective_date(country)
            for event in country.events:
                if event.kind != "withdrawal-effective":
                    continue
                node = self.event_nodes[id(event)].value["date"]
                if computed is None or not (event.date.first <= computed <= event.date.last):
                    self.log.add(node.src_path, node.line, node.column,
                                 f"country '{country.id}': withdrawal took effect on {event.date.iso} but "
                                 f"Article 20(3) gives {computed or 'no date'}",
                                 "check the 'instrument-deposited' date (effect is six months after it) "
                                 "and the 'withdrawal-effective' date")


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


# Validates the sources and claims (the bulk of a site) once the countries and questions they name are known:
# Validator.units in this process, or shards.validate_units in forked workers for a large site. It also gets the
# site without its sources and claims when all of that is valid (else None): a cold build's workers make the
# source pages from it and their own sources and claims.
UnitValidator = Callable[["Validator", "Known", "Known", "Site | None"], tuple[dict[str, Source], dict[str, Claim]]]


def validate_site(raw: RawContent, log: ErrorLog, as_of: date | None = None, base_url: str | None = None,
                  units: UnitValidator | None = None) -> Site:
    """Validate everything and compute what the pages show; raise ContentErrors listing every problem."""
    v = Validator(raw, log)
    config = v.site_config()
    references = v.references()
    countries = v.countries()
    country_ids = Known(countries, set(raw.countries) | {key.split(":", 1)[1] for key in raw.failed
                                                         if key.startswith("countries:")})
    questions = v.questions(country_ids)
    question_ids = Known(questions, v.declared["questions"], incomplete="questions" in raw.failed)
    treaty = v.treaty()
    summary = v.summary()
    changes = v.changes()
    v.text_citations(raw.methodology)
    v.methodology()
    v.check_effective_dates(countries)
    shared = None  # everything but the sources and claims, before them: see UnitValidator
    if not log and config is not None and treaty is not None:
        if as_of:
            config = replace(config, as_of=as_of)
        if base_url:
            config = replace(config, base_url=base_url)
        later = later_references(references, config.as_of)
        shared = Site(
            config=config, sources={}, claims={}, questions=questions,
            countries={cid: status.with_statuses(country_as_of(country, config.as_of, later), config.as_of)
                       for cid, country in sorted(countries.items())},
            treaty=treaty, references=references, summary=summary, changes=changes,
            methodology=raw.methodology[1] if raw.methodology else "",
            treaty_text=raw.treaty_text[1] if raw.treaty_text else "",
        )
    if units is None:
        sources, claims = v.units(question_ids, country_ids)
    else:
        sources, claims = units(v, question_ids, country_ids, shared)
    v.check_citations(references, claims, sources)
    if log or shared is None:
        if not log:
            log.add("site.yaml", 1, 1, "the site could not be assembled", "fix the errors above")
        raise ContentErrors(log.errors)
    claims = {claim_id: claim for claim_id, claim in claims.items() if claim.source_id in sources}
    site = site_as_of(replace(shared, sources=dict(sorted(sources.items())), claims=claims))
    return replace(site, comparisons=compare.compare_all(site))
