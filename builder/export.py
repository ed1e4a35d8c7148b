"""The downloads: the whole model as JSON and the claims as CSV, both byte-for-byte reproducible; on a large site
also each source with its claims, in the same two forms (a reader after one article need not fetch them all)."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import orjson

from .compare import display_value, judge_claim
from .model import AnswerValue, Citation, Claim, Country, PartialDate, Review, Site, Status
from .urls import CLAIMS_CSV, SITE_JSON, absolute_url, claim_anchor, original_url, source_download, source_rel
from .views import visible_claims

# site.json's layout; 2: a review's later event is under `contested` when it only disputes the answer (1 put every
# one under `overtaken`, which tells a reader the answer is now otherwise).
FORMAT_VERSION = 2
# A later event that overtook a claim and one that only contests it have columns of their own, named for what they
# hold, so that a spreadsheet's reader cannot take a contest for an overtaking (docs/downloads.md).
CLAIM_COLUMNS = ("id", "source_id", "outlet", "source_title", "source_url", "kind", "kind_label", "speaker",
                 "quote", "says", "countries", "organisations", "people", "when", "span_start", "span_end",
                 "passage_id", "answers", "review_rating", "review_label", "review_says", "review_cite",
                 "overtaken_date", "overtaken_says", "overtaken_cite", "contested_date", "contested_says",
                 "contested_cite", "judgement", "judgement_label", "page_url", "original_url")


def export_site_json(site: Site) -> bytes:
    """The whole model as one JSON document: keys sorted, one record per line, so a diff shows what changed."""
    return b"".join(site_json_pieces(site))


@dataclasses.dataclass(frozen=True)
class SourceExport:
    """One source's share of the downloads, in the bytes the files hold: its record's JSON, each of its claims'
    JSON and CSV row. The whole files and the source's own are put together from these, so a cache can keep them
    while the source and its claims are the same."""

    source_id: str
    record: bytes
    claims: tuple[tuple[str, bytes], ...]  # (claim id, JSON), in the order of the text
    rows: tuple[bytes, ...]  # each claim's CSV row, in the same order


def source_export(site: Site, source_id: str, claims: Sequence[Claim], links: Mapping[str, str] | None = None
                  ) -> SourceExport:
    """A source's share of the downloads, with its claims (those the site shows); `links`: claims' links to the
    original's text made already (the claims' views'), by claim id."""
    rows = claim_csv_rows(site, claims, links)
    return SourceExport(source_id, compact_json(site.sources[source_id]),
                        tuple((claim.id, compact_json(claim)) for claim in claims), tuple(rows.values()))


def site_json_pieces(site: Site) -> Iterator[bytes]:
    """site.json made from the model alone, piece by piece (the builder makes it from each source's share:
    site_json_parts)."""
    data = _site_head(site)
    data["sources"], data["claims"] = site.sources, {claim.id: claim for claim in visible_claims(site)}
    return dump_by_record(data)


def _site_head(site: Site) -> dict[str, Any]:
    """site.json's values but its sources and claims."""
    data: dict[str, Any] = {name: getattr(site, name) for name in _field_names(type(site))
                            if name not in {"sources", "claims", "rules"}}
    # the map's region is how the pages draw, not a fact of the site: not in the download
    config = {name: value for name, value in _fields(site.config).items() if name != "map_region"}
    data["config"] = config | {"base_path": site.config.base_path}
    data["treaty"] = _fields(site.treaty)
    data["format"] = FORMAT_VERSION
    # Keys are sorted, so the order in which the site asks its questions is kept here.
    data["question_order"] = list(site.questions)
    data["downloads"] = {"json": absolute_url(site, SITE_JSON), "csv": absolute_url(site, CLAIMS_CSV)}
    return data


class Copy(NamedTuple):
    """Bytes of the last build's file that the new one holds too: [start, end), which must begin with `head` and
    end with `tail` (where the file holds records, as the layout kept of it says)."""

    start: int
    end: int
    head: bytes
    tail: bytes


Part = bytes | Copy  # a whole file's: new bytes, or bytes copied from the last build's file
Records = Callable[[int], Generator[Part, None, int]]  # a run of records' parts from a place; returns their end


def site_json_parts(site: Site, records: Mapping[str, Records | None]) -> Iterator[Part]:
    """site.json in parts: its sources and claims from `records` (None where there are none), one a line, the
    rest made from the site, as dump_by_record writes it."""
    data = _site_head(site)
    pos = 2
    yield b"{\n"
    for index, key in enumerate(sorted([*data, *records])):
        head = (b",\n" if index else b"") + compact_json(key) + b":"
        section = records.get(key)
        if section is not None:
            yield head + b"{\n"
            pos = yield from section(pos + len(head) + 2)
            yield b"\n}"  # no comma after the last record
            pos += 2
        else:  # piece by piece: the comparisons are 4.8 MB at 10,000 sources
            for text in itertools.chain([head], _dumped(data.get(key, {}))):
                yield text
                pos += len(text)
    yield b"\n}\n"


def claims_csv_parts(rows: Records) -> Iterator[Part]:
    """claims.csv in parts: its header, then each source's rows from `rows`, in the order of the sources' ids
    (the claims' order)."""
    yield CSV_HEADER
    yield from rows(len(CSV_HEADER))


def source_json(site: Site, export: SourceExport) -> bytes:
    """A source's own JSON: its record and its claims' as site.json holds them, and where the whole file is. Laid
    out as dump_by_record lays out such a dict (keys in order, a claim and a link a line), from its share's bytes
    joined once: at 10,000 sources, a generator's pieces and an orjson call a key cost more than the bytes."""
    json_path, csv_path = source_paths(export.source_id)
    links = [(_head(name), compact_json(absolute_url(site, to))) for name, to in (
        ("csv", csv_path), ("json", json_path), ("whole_csv", CLAIMS_CSV), ("whole_json", SITE_JSON))]
    claims = [(compact_json(claim_id) + b":", text) for claim_id, text in sorted(export.claims)]
    return b"".join([b"{\n", _head("claims"), *_records(claims), b",\n", _head("downloads"), *_records(links),
                     b",\n", _head("format"), b"%d" % FORMAT_VERSION, b",\n", _head("source"), export.record,
                     b"\n}\n"])


@functools.cache
def _head(key: str) -> bytes:
    """A constant key's JSON with its colon."""
    return compact_json(key) + b":"


def _records(records: list[tuple[bytes, bytes]]) -> list[bytes]:
    """An object's records (each one's key with its colon, and its value, as JSON) one a line, as _dumped writes
    them: the pieces to join."""
    if not records:
        return [b"{}"]
    pieces = [b"{\n"]
    for head, value in records:
        pieces += (head, value, b",\n")
    pieces[-1] = b"\n}"  # no comma after the last record
    return pieces


def source_paths(source_id: str) -> tuple[str, str]:
    """The output paths of a source's own downloads (a large site's): its JSON and its CSV."""
    return source_download(source_id, "json"), source_download(source_id, "csv")


def source_files(site: Site, export: SourceExport) -> dict[str, Callable[[], bytes]]:
    """A source's own downloads, by output path (source_paths): each made only when called (a cache may know
    that the folder holds it already), whole (small files: the writer takes them in one piece)."""
    json_path, csv_path = source_paths(export.source_id)
    return {json_path: lambda: source_json(site, export), csv_path: lambda: b"".join((CSV_HEADER, *export.rows))}


def dump_by_record(data: dict[str, Any]) -> Iterator[bytes]:
    """JSON with each top-level object's records on their own lines, so a diff between two builds is readable."""
    yield b"{\n"
    for index, key in enumerate(sorted(data)):
        yield (b",\n" if index else b"") + compact_json(key) + b":"
        yield from _dumped(data[key])
    yield b"\n}\n"


def _dumped(value: Any) -> Iterator[bytes]:
    """A top-level value: an object's records one a line."""
    if isinstance(value, dict) and value:
        yield b"{\n"
        for number, record in enumerate(sorted(value)):
            yield (b",\n" if number else b"") + compact_json(record) + b":" + compact_json(value[record])
        yield b"\n}"  # no comma after the last record
    else:
        yield compact_json(value)


def compact_json(value: Any) -> bytes:
    """Compact JSON with sorted keys, byte for byte what json.dumps(sort_keys=True, ensure_ascii=False) wrote.

    orjson walks the model in C and hands each record to _default, which only opens it one level.
    """
    return orjson.dumps(value, default=_default, option=orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS)


def _default(value: Any) -> Any:
    return _json_form(type(value))(value)


@functools.cache
def _json_form(cls: type) -> Callable[[Any], Any]:
    """How a record becomes JSON: citations as 'ref:ID', partial dates as ISO strings, others as their fields."""
    if cls is Citation:
        return str
    if cls is PartialDate:  # one known only as on or before a day as ISO 8601-2's interval open at its start
        return lambda when: f"../{when.iso}" if when.by else when.iso
    if cls is AnswerValue:
        return _answer_value
    if cls is Country:
        return _country
    if cls is Status:
        return _status
    if cls is Review:
        return _review
    if dataclasses.is_dataclass(cls):
        # The model's frozen records hold exactly their fields in __dict__ (no cached_property adds one to it),
        # so orjson can read that dict itself: no copy, no call per field.
        return _fields if hasattr(cls, "__slots__") else vars
    if issubclass(cls, set | frozenset):
        return sorted
    raise TypeError(f"{cls.__name__} has no JSON form")


def _answer_value(value: AnswerValue) -> dict[str, Any]:
    """A number as json.dumps wrote it: 4.0 as 4, others as Python writes them (1e-07, where orjson has 1e-7)."""
    fields = _fields(value)
    if isinstance(value.number, float):
        number = value.number
        fields["number"] = int(number) if number.is_integer() else orjson.Fragment(json.dumps(number))
    return fields


def _country(country: Country) -> dict[str, Any]:
    """A country with each background fact under its own name ("borders": {...}), as its file writes it."""
    fields = vars(country).copy()
    return fields | fields.pop("background")


def _status(status: Status) -> dict[str, Any]:
    """A status without its words, under the site's key: the data's readers have the key as the pages' classes."""
    fields = vars(status).copy()
    del fields["label"]
    fields["key"] = fields.pop("site_key")
    return fields


def _review(review: Review) -> dict[str, Any]:
    """A review with its later event under the key its claim's file gives it, `overtaken` or `contested`, the
    other null: the model keeps both in one field, but a reader of `overtaken` would take a contest for a change."""
    later = review.overtaken
    if later is not None and later.contested:
        return vars(review) | {"overtaken": None, "contested": later}
    return vars(review) | {"contested": None}


def _fields(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _field_names(type(record))}


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def export_claims_csv(site: Site) -> bytes:
    """One row per claim the site shows, with its source, review and answers, and links to both texts."""
    return CSV_HEADER + claim_rows(site, visible_claims(site))


def claim_csv_rows(site: Site, claims: Iterable[Claim], links: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """Each claim's row of claims.csv, by claim id: made once for the whole file and each source's own."""
    links = links or {}
    return {claim.id: csv_line(spreadsheet_safe(claim_row(site, claim, links.get(claim.id)))).encode("utf-8")
            for claim in claims}


def claim_rows(site: Site, claims: Iterable[Claim]) -> bytes:
    return "".join([csv_line(spreadsheet_safe(claim_row(site, claim))) for claim in claims]).encode("utf-8")


# What the csv module's excel dialect quotes (QUOTE_MINIMAL): a cell that holds the delimiter, the quote character
# or a line break; its quotes are doubled.
_MUST_QUOTE = re.compile(r'[",\r\n]').search


def csv_line(cells: Sequence[str]) -> str:
    """A row of two or more cells as csv.writer writes it in the excel dialect (RFC 4180, lines ended by \\r\\n),
    without a writer: 20,000 rows at 10,000 sources, where a writer's call and its file's cost more than this."""
    assert len(cells) > 1, "a row of one empty cell is quoted by csv.writer, not here"
    return ",".join(['"' + cell.replace('"', '""') + '"' if _MUST_QUOTE(cell) else cell for cell in cells]) + "\r\n"


CSV_HEADER = csv_line(CLAIM_COLUMNS).encode("utf-8")


def claim_row(site: Site, claim: Claim, original: str | None = None) -> list[str]:
    """A claim's cells, in the order of CLAIM_COLUMNS; `original`: its link to the original's text, if made."""
    source = site.sources[claim.source_id]
    answers = "; ".join(
        f"{a.question_id}={display_value(a.value, site.questions[a.question_id], site.countries)}"
        for a in claim.answers)
    review = claim.review
    rating, label, says, cite = ((review.rating, review.label, review.says, " ".join(map(str, review.cite)))
                                 if review else ("", "", "", ""))
    later = review.overtaken if review else None
    none = ("", "", "")
    event = (later.on.iso, later.says, " ".join(map(str, later.cite))) if later else none
    overtaken, contested = (none, event) if later and later.contested else (event, none)
    judged = judge_claim(claim, source, site.config.as_of)  # what readers see: the rating with its dates
    start, end = claim.span
    return [
        claim.id, source.id, source.outlet, source.title, source.url, claim.kind, claim.kind_label,
        claim.speaker or "", claim.quote, claim.says, ";".join(claim.countries), ";".join(claim.organisations),
        ";".join(claim.people), claim.when.iso if claim.when else "", str(start), str(end),
        claim.passage_id or "", answers, rating, label, says, cite,
        *overtaken, *contested, judged.key, judged.label,
        absolute_url(site, source_rel(source.id)) + "#" + claim_anchor(claim.id),
        original if original is not None else original_url(source, claim),
    ]


# A spreadsheet opening the CSV runs a cell that starts with one of these as a formula (CSV injection), so such
# text gets a leading apostrophe, which spreadsheets read as "this is text". site.json keeps the exact words.
FORMULA_START = frozenset("=+-@\t\r")


def spreadsheet_safe(row: list[str]) -> list[str]:
    """Cells a spreadsheet shows as text, never evaluates."""
    return ["'" + cell if cell[:1] in FORMULA_START else cell for cell in row]
