"""Raw records -> the frozen model: types, references and provenance, with every error collected."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

from . import compare, status
from .changecheck import ChangeLogChecks
from .dated import (
    country_on,
    is_after,
    known_by,
    later_references,
    methodology_on,
    refuse_day,
    retrieved_on,
    site_as_of,
    words_on,
)
from .errors import ContentError, ContentErrors, ErrorLog, did_you_mean, note
from .fields import (
    AlreadyReported,
    FieldError,
    Known,
    Record,
    _items,
    _paragraphs,
    _raw_id,
    a_base_url,
    a_bool,
    a_cited_url,
    a_contact,
    a_date,
    a_language,
    a_partial_date,
    a_url,
    an_id,
    an_options_map,
    answer_value,
    citations,
    earlier_words,
    list_of,
    maybe_empty,
    one_of,
    optional_text,
    text,
    text_or_number,
    user_assigned,
    verbatim,
)
from .iso_codes import COUNTRY_CODES
from .load import Node, RawContent, load_markdown
from .maps import DEFAULT_REGION
from .methodology import read_methodology
from .model import (
    ANSWER_TYPES,
    CITATION_MARK,
    Article,
    Citation,
    CitedValue,
    Claim,
    Country,
    EarlierWords,
    Event,
    PartialDate,
    Question,
    Reference,
    ReferenceValue,
    Sentence,
    Site,
    SiteConfig,
    Source,
    Support,
    TextSource,
    Treaty,
    TreatyFact,
)
from .quotes import SearchableText
from .regions import a_map_setting, off_map
from .rules import Rules, read_rules
from .units import UnitChecks, UnitRecords, validate_unit

# What leaving out a reference dated after the site's date costs (dated.later_references): its page is not listed,
# and words that cite it go with it, as they rest on every page they cite (dated._whole).
LEFT_OUT_REFERENCE = ("the site leaves the reference out, and with it the words that cite it (an event stays, dated, "
                      "on its other pages)")


def note_at(node: Node, message: str, hint: str) -> ContentError:
    """A note, not an error: what the site's own build leaves out or cannot establish, at its place in the file."""
    return ContentError(node.src_path, node.line, node.column, f"note: {message}", hint)


def _event_kind(kinds: dict[str, Any]) -> Callable[[Node], str]:
    def read(node: Node) -> str:
        if not isinstance(node.value, str) or node.value not in kinds:
            raise FieldError("is not one of the event kinds of content/rules.yaml",
                             did_you_mean(str(node.value), kinds, "kinds") + "; or add the kind there under 'events'")
        return node.value
    return read


def _reported(node: Node) -> str:
    """An event kind, not judged when rules.yaml could not be read (its errors say why)."""
    raise AlreadyReported


class Validator(UnitChecks, ChangeLogChecks):
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
        self.rules: Rules | None = None
        # The build's date, unless it is before site.yaml's (a build as of an earlier day leaves later records out
        # on purpose): a record dated after it is then said to be left out (note_later), a source refused.
        self.day: date | None = None
        self.written: date | None = None  # site.yaml's own date: an earlier wording ends by it
        self.known_on: dict[str, date] = {}  # each reference's first day (dated.known_by): an earlier wording's end
        self.notes: list[ContentError] = []

    def cite(self, record: Record, name: str, *, required: bool = True, usage: str = "support"
             ) -> tuple[Citation, ...]:
        cited = record.field(name, citations, required=required, default=())
        if cited:
            node = record.node.value[name]
            for citation, item in zip(cited, node.value, strict=False):
                self.cited.append((citation, item, usage))
        return cited

    def note_later(self, node: Node, what: str, when: PartialDate | None, left_out: str = "no page shows it") -> None:
        """A record dated after the site's date, which no page shows: said, for such a date is often a typo."""
        if self.day is None or when is None or not is_after(when, self.day):
            return
        after = "after" if when.first > self.day else "possibly after"
        self.notes.append(note_at(
            node, f"{what} is dated {when.human}, {after} the site's date ({PartialDate.of(self.day).human}), so "
            f"{left_out}", "if the date is a typo, correct it; if it is still to come, the site shows it once "
            "'as_of' in site.yaml reaches it"))

    def unique(self, seen: dict[str, Node], key: str, node: Node, what: str) -> bool:
        if key in seen:
            first = seen[key]
            self.log.add(node.src_path, node.line, node.column, f"{what} '{key}' is defined twice",
                         f"first defined at {first.src_path}:{first.line}; give one of them another id")
            return False
        seen[key] = node
        return True

    # ---------------------------------------------------------------- site.yaml
    def site_config(self) -> tuple[SiteConfig, tuple[EarlierWords, ...]] | None:
        """site.yaml: the site's settings, and its earlier words (for builds as of an earlier day)."""
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
            map_region=r.field("map", partial(a_map_setting, log=self.log), required=False, default=DEFAULT_REGION),
        )
        earlier = r.field("earlier", partial(earlier_words, log=self.log, as_of=config["as_of"]), required=False,
                          default=())
        r.finish()
        if r.ok and all(config[k] is not None for k in ("title", "tagline", "description", "language",
                                                         "base_url", "as_of")):
            return SiteConfig(**config), earlier
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
            if page["published"] is not None:
                self.note_later(node.value["published"], f"the page of reference '{ref_id or _raw_id(node)}'",
                                page["published"], LEFT_OUT_REFERENCE)
            if ref_id and subject and statement and confidence and self.unique(seen, ref_id, node, "reference"):
                found[ref_id] = Reference(ref_id, subject, statement, value=value, confidence=confidence,
                                          also=also, **page)
        if self.written is not None:
            self.known_on = {ref_id: day for ref_id, ref in found.items()  # those the site's own build shows
                             if (day := known_by(ref, self.written)) and day <= self.written}
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
            if page["published"] is not None:
                self.note_later(item.value["published"], f"the {what}", page["published"], LEFT_OUT_REFERENCE)
            if all(page[name] for name in ("url", "title", "outlet", "excerpt", "language")):
                found.append(Support(**page))
        if len(found) < len(node.value):
            raise AlreadyReported
        return tuple(found)

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
            contested = r.field("contested", a_bool, required=False, default=False)
            earlier = self.earlier_wordings(r, "note", PartialDate.of(since) if since else None)
            r.finish()
            if contested and not found:
                r.error(item.value["contested"], f"the first entry of {what} cannot be contested: it disputes "
                        "no answer before it", "remove 'contested', or list the answer it disputes first")
            if found and since is not None and found[-1].since is not None and since <= found[-1].since:
                r.error(item.value["since"], f"{what} changes on {since}, not after the answer before it",
                        "list the answers oldest first, each with a later 'since'")
            elif value is not None:
                if since is not None:
                    self.note_later(item.value["since"], f"an entry of {what}", PartialDate.of(since),
                                    "no page or download gives it")
                found.append(ReferenceValue(since, value, cite, note, contested, earlier))
        return tuple(found)

    # ---------------------------------------------------------------- countries
    def countries(self) -> dict[str, Country]:
        found = {}
        for country_id, node in self.raw.countries.items():
            r = Record(node, self.log, f"country '{country_id}'")
            name = r.field("name", text)
            iso2 = r.field("iso2", text)
            if iso2 and (iso2 != country_id.upper() or iso2 not in COUNTRY_CODES and not user_assigned(iso2)):
                r.error(node.value["iso2"], f"'{iso2}' is not the ISO 3166-1 code this file is named for",
                        f"the file {country_id}.yaml must hold iso2: \"{country_id.upper()}\", a real code")
                iso2 = None
            background = self.background(r)
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
                found[country_id] = Country(country_id, name, iso2, events, background, never_joined, unconfirmed)
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

    def background(self, r: Record) -> dict[str, CitedValue | dict[str, CitedValue] | None]:
        """The background facts content/rules.yaml declares, each read from the field of its id."""
        found: dict[str, CitedValue | dict[str, CitedValue] | None] = {}
        if self.rules is None and r.ok:  # rules.yaml's errors are reported: a country's fields are not judged
            r.seen.update(r.node.value.keys())
        for spec in self.rules.background if self.rules else ():
            if spec.names:
                found[spec.id] = r.field(spec.id, partial(self.named_values, spec.id, spec.names), required=False,
                                         default={})
            else:
                found[spec.id] = r.field(spec.id, self.cited_value, required=False)
        return found

    def named_values(self, field_id: str, names: tuple[str, ...], node: Node) -> dict[str, CitedValue]:
        r = Record(node, self.log, field_id)
        if not r.ok:
            raise FieldError("must be a mapping", f"write {names[0]}: {{value: true, cite: [ref:ID]}}")
        found = {name: r.field(name, self.cited_value, required=False) for name in names}
        r.finish()
        return {name: value for name, value in found.items() if value is not None}

    def events(self, node: Node) -> tuple[Event, ...]:
        if not isinstance(node.value, list):
            raise FieldError("must be a list", "write each event as a '- kind: ...' item")
        found = []
        for item in node.value:
            r = Record(item, self.log, "event")
            kind = r.field("kind", _event_kind(self.rules.events) if self.rules else _reported)
            when = r.field("date", a_partial_date)
            note = r.field("note", text, required=False)
            cite = self.cite(r, "cite")
            earlier = self.earlier_wordings(r, "note", when, dated=True)
            r.finish()
            if kind and when:
                # A withdrawal's effect is scheduled: its date must be the notice's (check_effective_dates), and
                # the status says "takes effect on" it.
                if self.rules is None or self.rules.events[kind].role != "effective":
                    self.note_later(item.value["date"], f"the '{kind}' event", when)
                event = Event(kind, when, cite, note, earlier)
                self.event_nodes[id(event)] = item
                found.append(event)
        order = list(self.rules.events if self.rules else ())
        return tuple(sorted(found, key=lambda e: (e.date.first, order.index(e.kind))))

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
            earlier = self.earlier_wordings(r, "value", when)
            r.finish()
            if when is not None:
                self.note_later(item.value["date"], f"the treaty fact '{fact_id or _raw_id(item)}'", when)
            if fact_id and label and value and self.unique(seen, fact_id, item, "treaty fact"):
                found.append(TreatyFact(fact_id, label, value, cite, when, earlier))
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
            earlier = self.earlier_wordings(r, "summary", None)
            r.finish()
            # Without the text file (its absence is reported) there is nothing to compare the wording with.
            if wording and self.raw.treaty_text and not all(searchable.find(p) for p in _paragraphs(wording)):
                missing = next(part for part in _paragraphs(wording) if not searchable.find(part))
                where, closest = item.value["text"], searchable.closest(missing)[:120]
                self.log.add(where.src_path, where.line, where.column,
                             f"article {number} is not worded as in {source_path}: '{missing[:80]}'",
                             f"closest wording: '{closest}'" if closest.strip() else
                             f"nothing in {source_path} is close to it: copy the article from there, word for word")
            if number and title and wording and summary and self.unique(seen, number, item, "article"):
                found.append(Article(number, title, wording, summary, cite, earlier))
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
                if dated:
                    self.note_later(node.value["date"], "the summary sentence", dated)
                found.append(Sentence(sentence, cite, dated))
        return tuple(found)

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

    def check_subjects(self, references: dict[str, Reference]) -> None:
        """A heading in the rules' `subjects` for no reference's subject but one very like it is a typo, which
        would leave that subject's heading unused. (Rules are the topic's: a site may leave some subjects out.)"""
        node = self.raw.rules
        if self.rules is None or node is None or not isinstance(node.value, dict) or "subjects" not in node.value:
            return
        used = {reference.subject for reference in references.values()}
        subjects = node.value["subjects"]
        for key in sorted(self.rules.subjects.keys() - used):
            close = difflib.get_close_matches(key, used - self.rules.subjects.keys(), n=1, cutoff=0.8)
            if close:
                line, column = subjects.keys[key]
                self.log.add(subjects.src_path, line, column, f"subject '{key}' of the rules' subjects is the "
                             f"subject of no reference: did you mean '{close[0]}'?",
                             f"write the subject as the references do ('{close[0]}'), or remove the heading")

    def note_no_status(self, countries: dict[str, Country]) -> None:
        """A country with events but none that makes it a party (or a signatory) has no status on any date
        (status.status_on): said, for its pages only say that the references do not establish one."""
        rules = self.rules
        if rules is None:
            return
        joining = rules.kinds("in-force", "signed", "joined")
        for country_id, country in countries.items():
            if not country.events or country.never_joined or any(e.kind in joining for e in country.events):
                continue
            where = self.raw.countries[country_id].value["events"]
            kinds = ", ".join(f"'{kind}'" for kind in dict.fromkeys(e.kind for e in country.events))
            named = " or ".join(f"'{kind}'" for kind in rules.kinds("in-force")) or "none: add one"
            self.notes.append(note_at(
                where, f"{country.name} has events ({kinds}) but none by which {rules.agreement_short} came into "
                f"force for it, so the site cannot establish its status on any date",
                f"add that event, with its date and citation (its kind in content/rules.yaml: {named}), or "
                "'never_joined' if it never joined"))

    def check_published(self, sources: dict[str, Source]) -> None:
        """A source published after the site's date is left out with its claims (dated.site_as_of): in a build of
        the site's own date that is a typo or a stale 'as_of', never meant, so an error at its date. One retrieved
        after it is shown as written, with a note (made here, each build: the validator is kept between builds)."""
        day = self.day
        for source in sources.values():
            got = source.retrieved.window.not_before
            if day is not None and got is not None and got > day:  # shown as written, but likely a typo: said
                where = self.dating_node(source, "retrieved")
                note(note_at(
                    where, f"source '{source.id}' was retrieved {source.retrieved.window.human}, after the site's "
                    f"date ({PartialDate.of(day).human})",
                    "correct the date if it is a typo: a copy cannot be retrieved after the day the site tells"))
            start = source.published.window.not_before
            if day is None or start is None or start <= day:
                continue
            where = self.dating_node(source, "published")
            when = source.published.window.human
            self.log.add(where.src_path, where.line, where.column,
                         f"source '{source.id}' was published {'on ' if when[0].isdigit() else ''}{when}, after the "
                         f"site's date ({PartialDate.of(day).human}): the site would leave it out, with its claims",
                         "correct the date if it is a typo; to show the source, move 'as_of' in site.yaml to that "
                         "date or later (a build --as-of an earlier day leaves later sources out, on purpose)")

    def dating_node(self, source: Source, name: str) -> Node:
        """Where a source's `published` or `retrieved` date is written (its front matter read again: the cache keeps
        records, not their nodes)."""
        doc = load_markdown(self.raw.root / source.src_path, self.raw.root, ErrorLog())
        dating = doc.meta.value.get(name) if doc is not None and doc.meta is not None else None
        fields = dating.value if dating is not None and isinstance(dating.value, dict) else {}
        return fields.get("date") or fields.get("not_before") or dating or Node(None, source.src_path, 1, 1)

    def check_effective_dates(self, countries: dict[str, Country]) -> None:
        """A withdrawal date typed in from a reference must agree with the one the notice period gives."""
        rules = self.rules
        if rules is None:
            return
        notice = " or ".join(f"'{kind}'" for kind in rules.kinds("notice")) or "notice"
        after = f"{rules.notice_words} after it" if rules.notice_months else "the same day"
        for country in countries.values():
            computed = status.effective_date(country, rules)
            for event in country.events:
                if event.kind not in rules.kinds("effective"):
                    continue
                node = self.event_nodes[id(event)].value["date"]
                if computed is None or not (event.date.first <= computed <= event.date.last):
                    self.log.add(node.src_path, node.line, node.column,
                                 f"country '{country.id}': withdrawal took effect on {event.date.iso} but "
                                 f"{rules.notice_rule} gives {computed or 'no date'}",
                                 f"check the {notice} date (effect is {after}) and the '{event.kind}' date")


@dataclass
class Shared:
    """Everything but the sources and their claims, validated: what each source and its claims are checked
    against. `site` is the site without its sources and claims, or None when something here is wrong."""

    validator: Validator
    references: dict[str, Reference]
    questions: Known
    countries: Known
    site: Site | None
    checked: bool = True  # False when site.yaml could not be read: then nothing is validated, only read
    later: frozenset[str] = frozenset()  # the references not yet known on the site's date (dated.later_references)


def validate_shared(raw: RawContent, log: ErrorLog, *, as_of: date | None = None, base_url: str | None = None
                    ) -> Shared:
    """Validate site.yaml and every content file but the sources and claims (their errors go to `log`).

    When site.yaml could not be read, nothing is validated: every file is still read, and its read errors reported.
    """
    v = Validator(raw, log)
    if log and raw.site is None:
        return Shared(v, {}, Known({}), Known({}), None, checked=False)
    config_and_words = v.site_config()
    config, earlier = config_and_words if config_and_words is not None else (None, ())
    v.written = config.as_of if config is not None else None
    if config is not None and (as_of is None or as_of >= config.as_of):
        v.day = as_of or config.as_of
    v.rules = read_rules(raw.rules, log)
    references = v.references()
    countries = v.countries()
    v.note_no_status(countries)
    country_ids = Known(countries, set(raw.countries) | {key.split(":", 1)[1] for key in raw.failed
                                                         if key.startswith("countries:")})
    questions = v.questions(country_ids)
    question_ids = Known(questions, v.declared["questions"], incomplete="questions" in raw.failed)
    treaty = v.treaty()
    if treaty is not None and config is not None:
        refuse_day(as_of or config.as_of, treaty.facts, raw.treaty, log)
    summary = v.summary()
    changes = v.changes()
    v.text_citations(raw.methodology)
    methodology, earlier_texts = read_methodology(raw.methodology, log, config.as_of if config is not None else None)
    v.check_effective_dates(countries)
    v.check_subjects(references)
    site = None
    if not log and config is not None and treaty is not None and v.rules is not None:
        written = config.as_of  # site.yaml's: what the site's own build shows is never left out as later
        config = words_on(replace(config, as_of=as_of or config.as_of, base_url=base_url or config.base_url),
                          earlier)
        later = later_references(references, config.as_of, written)
        site = Site(
            config=config, sources={}, claims={}, questions=questions,
            countries={cid: country_on(country, config.as_of, later, v.rules)
                       for cid, country in sorted(countries.items())},
            treaty=treaty, references=references, summary=summary, changes=changes,
            methodology=methodology_on(methodology, earlier_texts, config.as_of),
            treaty_text=raw.treaty_text[1] if raw.treaty_text else "", rules=v.rules,
        )
        if raw.site is not None and (off := off_map(site, raw.site, raw.root / "templates")) is not None:
            v.notes.append(note_at(raw.site, *off))
    return Shared(v, references, question_ids, country_ids, site, later=frozenset(later) if site else frozenset())


def assemble_site(shared: Shared, units: Iterable[UnitRecords], keep: compare.Keep | None = None) -> Site:
    """The whole site from its validated parts, once the checks across units pass (a claim id defined twice, a
    claims file without its source, citations); its comparisons computed (or, for a cache, kept: `keep`). Raise
    ContentErrors listing every problem."""
    v = shared.validator
    sources: dict[str, Source] = {}
    claims: dict[str, Claim] = {}
    first: dict[str, tuple[str, str, int, int]] = {}  # where each claim id was first defined
    claims_files: dict[str, str] = {}
    source_files: set[str] = set()
    drafts = False  # whether a unit's claims are a draft source's (their source is not among `sources`)
    failed, cited, declared = v.raw.failed, v.cited, v.declared["claims"]
    for unit in units:  # in the order of their ids; most units have no errors and no failed files
        if unit.errors:
            v.log.extend(unit.errors)
        if unit.failed:
            failed |= unit.failed
        cited += unit.cited
        declared |= unit.declared_claims
        sources.update(unit.sources)
        if unit.claims and unit.unit_id not in unit.sources:
            drafts = True
        # A claim id defined in an earlier unit is reported, and this one not kept (the unit's records are not
        # changed: a warm builder may use them again). Looked for in C first: there is rarely one.
        defined_ids = [defined[0] for defined in unit.first_defined]
        if first.keys().isdisjoint(defined_ids):
            first.update(zip(defined_ids, unit.first_defined, strict=True))
            claims.update(unit.claims)
        else:
            again = set()
            for defined in unit.first_defined:
                if defined[0] in first:
                    known = {defined[0]: Node(None, *first[defined[0]][1:])}
                    v.unique(known, defined[0], Node(None, *defined[1:]), "claim")
                    again.add(defined[0])
                else:
                    first[defined[0]] = defined
            claims.update((k, c) for k, c in unit.claims.items() if k not in again)
        if unit.source_read:
            source_files.add(unit.unit_id)
        if unit.claims_file is not None:
            claims_files[unit.unit_id] = unit.claims_file
    if shared.checked:
        v.claims_files_name_sources(claims_files, source_files)
        v.check_citations(shared.references, claims, sources)
        v.check_published(sources)
    if v.log or shared.site is None:
        if not v.log:
            v.log.add("site.yaml", 1, 1, "the site could not be assembled", "fix the errors above")
        raise ContentErrors(v.log.errors)
    if drafts:  # a claim's source is its unit's (Claim.source_id is the unit's id)
        claims = {claim_id: claim for claim_id, claim in claims.items() if claim.source_id in sources}
    if v.day is None:  # a build as of a day before the site's own (Validator.day)
        sources = {source_id: retrieved_on(source, shared.site.config.as_of) for source_id, source in sources.items()}
    site = site_as_of(replace(shared.site, sources=dict(sorted(sources.items())), claims=claims), shared.later)
    for found in v.notes:
        note(found)
    return replace(site, comparisons=compare.compare_all(site, keep))


def validate_site(raw: RawContent, log: ErrorLog, as_of: date | None = None, base_url: str | None = None) -> Site:
    """Validate everything read into `raw` in this process (ingest's check of a draft)."""
    shared = validate_shared(raw, log, as_of=as_of, base_url=base_url)
    ids = sorted(raw.sources.keys() | raw.claims.keys())
    units = []
    for unit_id in ids:
        part = RawContent(root=raw.root, failed={f for f in raw.failed if f.endswith(f":{unit_id}")})
        if unit_id in raw.sources:
            part.sources[unit_id] = raw.sources[unit_id]
        if unit_id in raw.claims:
            part.claims[unit_id] = raw.claims[unit_id]
        units.append(validate_unit(part, ErrorLog(), unit_id, shared))
    return assemble_site(shared, units)
