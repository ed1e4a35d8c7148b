"""The downloads: the whole model as JSON and the claims as CSV, both byte-for-byte reproducible."""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
from datetime import date
from typing import Any

from .compare import display_value
from .model import Citation, DateWindow, PartialDate, Site
from .pages import CLAIMS_CSV, SITE_JSON, absolute_url, claim_anchor, source_rel, text_fragment_url, visible_claims

FORMAT_VERSION = 1
CLAIM_COLUMNS = ("id", "source_id", "outlet", "source_title", "source_url", "kind", "kind_label", "speaker",
                 "quote", "says", "countries", "organisations", "people", "when", "span_start", "span_end",
                 "passage_id", "answers", "review_rating", "review_label", "review_says", "review_cite",
                 "page_url", "original_url")


def to_data(value: Any) -> Any:
    """Plain JSON values from the model: dates as ISO strings, citations as 'ref:ID', records as objects."""
    if value is None or type(value) in _PLAIN:  # most values are; asked first, it halves the export's time
        return value
    if isinstance(value, Citation):
        return str(value)
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, DateWindow):
        return {"not_before": to_data(value.not_before), "not_after": to_data(value.not_after)}
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_data(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_data(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_PLAIN = {str, int, bool}


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def export_site_json(site: Site) -> bytes:
    """The whole model as one JSON document: keys sorted, one record per line, so a diff shows what changed."""
    data = {name: to_data(getattr(site, name)) for name in _field_names(type(site)) if name != "claims"}
    data["claims"] = {c.id: to_data(c) for c in visible_claims(site)}
    data["config"]["base_path"] = site.config.base_path
    data["format"] = FORMAT_VERSION
    # Keys are sorted, so the order in which the site asks its questions is kept here.
    data["question_order"] = list(site.questions)
    data["downloads"] = {"json": absolute_url(site, SITE_JSON), "csv": absolute_url(site, CLAIMS_CSV)}
    return dump_by_record(data).encode("utf-8")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dump_by_record(data: dict[str, Any]) -> str:
    """JSON with each top-level collection's records on their own lines.

    json.dumps with indent runs in pure Python (most of a large build's export); compact records use the C
    encoder, and a line per record still makes a diff between two builds readable.
    """
    lines = ["{"]
    keys = sorted(data)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        value = data[key]
        if isinstance(value, dict) and value:
            lines.append(f"{_compact(key)}:{{")
            records = sorted(value)
            lines += [f"{_compact(k)}:{_compact(value[k])}{',' if i < len(records) - 1 else ''}"
                      for i, k in enumerate(records)]
            lines.append("}" + comma)
        else:
            lines.append(f"{_compact(key)}:{_compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def export_claims_csv(site: Site) -> bytes:
    """One row per claim the site shows, with its source, review and answers, and links to both texts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CLAIM_COLUMNS)
    for claim in visible_claims(site):
        source = site.sources[claim.source_id]
        answers = "; ".join(
            f"{a.question_id}={display_value(a.value, site.questions[a.question_id], site.countries)}"
            for a in claim.answers)
        review = claim.review
        writer.writerow([spreadsheet_safe(cell) for cell in (
            claim.id, source.id, source.outlet, source.title, source.url, claim.kind, claim.kind_label,
            claim.speaker or "", claim.quote, claim.says, ";".join(claim.countries), ";".join(claim.organisations),
            ";".join(claim.people), claim.when.iso if claim.when else "", claim.span[0], claim.span[1],
            claim.passage_id or "", answers, review.rating if review else "", review.label if review else "",
            review.says if review else "", " ".join(str(c) for c in review.cite) if review else "",
            absolute_url(site, source_rel(source.id)) + "#" + claim_anchor(claim.id),
            text_fragment_url(source.url, source.body[claim.span[0]:claim.span[1]]),
        )])
    return out.getvalue().encode("utf-8")


# A spreadsheet opening the CSV runs a cell that starts with one of these as a formula (CSV injection), so such
# text gets a leading apostrophe, which spreadsheets read as "this is text". site.json keeps the exact words.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str | int) -> str | int:
    """A cell a spreadsheet shows as text, never evaluates."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value
