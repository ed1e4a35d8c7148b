"""One source and its claims file, validated on their own: the source's fields and passages, each claim, and the
provenance of every quote (it must be in the source's text, and not in a passage that is no one's words)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from .errors import ContentError, ErrorLog, did_you_mean, shown
from .fields import (
    AlreadyReported,
    FieldError,
    Known,
    Record,
    _items,
    _raw_id,
    a_bool,
    a_date,
    a_language,
    a_partial_date,
    a_url,
    an_id,
    earlier_notes,
    known_id,
    list_of,
    one_of,
    optional_text,
    optional_verbatim,
    read_answer,
    text,
    verbatim,
)
from .load import MarkdownFile, Node, RawContent
from .model import (
    CLAIM_KINDS,
    PASSAGE_KINDS,
    RATINGS,
    UNQUOTABLE_PASSAGES,
    Answer,
    Citation,
    Claim,
    DateWindow,
    Dating,
    EarlierNote,
    Overtaken,
    PartialDate,
    Passage,
    Review,
    Source,
)
from .quotes import SearchableText

if TYPE_CHECKING:
    from .validate import Shared


class UnitChecks:
    """The checks of a source and its claims: validate.Validator's methods for them (it keeps the citations and
    the ids found, and reports the errors)."""

    raw: RawContent
    log: ErrorLog
    bodies: dict[str, SearchableText]
    drafts: dict[str, Source]
    declared: dict[str, set[str]]
    written: date | None  # site.yaml's own date, and each reference's first day: what an earlier wording ends by
    known_on: dict[str, date]

    def earlier_wordings(self, r: Record, name: str, after: PartialDate | None,
                         cite: Callable[[Record, str], tuple[Citation, ...]] | None = None, dated: bool = False
                         ) -> tuple[EarlierNote, ...]:
        """The record's `earlier` wordings of its `name` field (fields.earlier_notes; `dated`: an event's), or none."""
        return r.field("earlier", partial(earlier_notes, log=self.log, name=name, cite=cite or self.cite, after=after,
                                          written=self.written, known_on=self.known_on, dated=dated),
                       required=False, default=())

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
                language=r.field("language", a_language, required=False),
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
                key = review.overtaken.key
                r.error(node.value["review"].value[key].value["date"],
                        f"claim '{claim_id}' was {key} {review.overtaken.on.on}, before the time it speaks of "
                        f"({written.human})", "rate the claim as it stood then (inaccurate or imprecise) and "
                        f"remove '{key}', or correct the dates")
            elif review.overtaken.contested and not (written.not_after
                                                     and written.not_after < review.overtaken.on.first):
                r.error(node.value["review"].value["contested"].value["date"],
                        f"claim '{claim_id}' may speak of a time after it was contested {review.overtaken.on.on} "
                        f"(it speaks of {written.human})", "give the claim 'when:', the date it speaks of, if that "
                        "is before; a claim that may be of a later time cannot be shown right when written")
        span, passage = self.locate_quote(node.value["quote"], source, quote, kind)
        if span is None:
            return None
        return Claim(claim_id, source_id, quote, says, kind, span, speaker, concerns, organisations,
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
        return self._review(node, "review")

    def earlier(self, node: Node) -> Review:
        """The check as the pages of an earlier day settle it: shown in a build as of a day before every page the
        review cites was known (dated.py), rather than "not checked"."""
        review = self._review(node, "earlier check")
        if review.rating == "unchecked":
            raise FieldError("cannot be rated 'unchecked'",
                             "rate the claim as the earlier pages settle it, or remove 'earlier' (a build as of a "
                             "day before the review's pages then shows the claim as not checked)",
                             node.value.get("rating"))
        return review

    def _review(self, node: Node, what: str) -> Review:
        r = Record(node, self.log, what)
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
        overtaken = contested = earlier = None
        if what == "review":  # an earlier check has none of these (an unknown field): it is of a day before them
            overtaken = r.field("overtaken", self.overtaken, required=False)
            contested = r.field("contested", self.contested, required=False)
            earlier = r.field("earlier", self.earlier, required=False)
        r.finish()
        if overtaken is not None and contested is not None:
            r.error(node.value["contested"], "a claim cannot be both overtaken and contested",
                    "keep 'overtaken' if the later event changed the answer, 'contested' if it only put it in dispute")
        overtaken = overtaken or contested
        if overtaken is not None and rating not in ("accurate", "imprecise"):
            key = overtaken.key
            r.error(node.value[key], f"a claim rated '{rating}' cannot have been {key}",
                    f"only what was accurate or imprecise when written can be {key}; remove '{key}'")
            overtaken = None
        return Review(rating or "", says or "", cite, overtaken, earlier)

    def contested(self, node: Node) -> Overtaken:
        """A later event that put the answer in dispute without settling it: "right when written, since
        contested", never "overtaken", which would tell a reader the answer is now otherwise."""
        return replace(self.overtaken(node, "contested"), contested=True)

    def overtaken(self, node: Node, what: str = "overtaken") -> Overtaken:
        r = Record(node, self.log, what)
        if not r.ok:
            raise AlreadyReported
        on = r.field("date", a_partial_date)
        says = r.field("says", text)
        cite = self.cite(r, "cite")
        self.references_only(r, "cite", cite, f"what {what} a claim")
        def references(record: Record, field: str) -> tuple[Citation, ...]:  # as the record's own: no claim
            found = self.cite(record, field)
            self.references_only(record, field, found, f"an earlier wording of what {what} a claim")
            return found

        earlier = self.earlier_wordings(r, "says", on, references)
        r.finish()
        if on is None or says is None:
            raise AlreadyReported
        return Overtaken(on, says, cite, earlier=earlier)

    def references_only(self, r: Record, name: str, cite: tuple[Citation, ...], what: str) -> None:
        """A check rests on the references: a claim cannot be checked against a claim."""
        for citation, item in zip(cite, r.node.value[name].value if cite else (), strict=False):
            if citation.kind != "ref":
                r.error(item, f"{what} cites claim '{citation.id}'; a claim cannot be checked against a claim",
                        "cite the references (ref:ID) that confirm or contradict it")


@dataclass
class UnitRecords:
    """One source and its claims file, validated on their own (validate_unit), with what the checks across
    units need: where each claim id was defined, the citations, the ids written, the files that failed."""

    unit_id: str
    sources: dict[str, Source]
    claims: dict[str, Claim]
    first_defined: list[tuple[str, str, int, int]]  # (claim id, file, line, column) of each id, in order
    cited: list[tuple[Citation, Node, str]]
    declared_claims: set[str]
    failed: set[str]
    source_read: bool  # whether its source file was read (valid or not)
    claims_file: str | None  # its path, if the unit has a claims file that was read
    errors: list[ContentError]


def validate_unit(raw: RawContent, log: ErrorLog, unit_id: str, shared: Shared) -> UnitRecords:
    """One source and its claims file (read into `raw`, their read errors in `log`), validated."""
    from .validate import Validator  # which builds on this module

    v = Validator(raw, log)
    v.written, v.known_on = shared.validator.written, shared.validator.known_on  # for earlier wordings' ends
    if not shared.checked:
        return UnitRecords(unit_id, {}, {}, [], [], set(), raw.failed, False, None, log.errors)
    seen: dict[str, Node] = {}
    sources = v.sources()
    claims = v.claims(sources, shared.questions, shared.countries, seen)
    claims_file = raw.claims[unit_id].src_path if unit_id in raw.claims else None
    return UnitRecords(unit_id, sources, claims, [(key, n.src_path, n.line, n.column) for key, n in seen.items()],
                       v.cited, v.declared["claims"], raw.failed, unit_id in raw.sources, claims_file, log.errors)


