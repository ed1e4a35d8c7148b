"""The downloads: site.json is written by orjson, byte for byte as json.dumps wrote it; the CSV defuses formulas."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
from datetime import date

from builder.export import (
    CLAIM_COLUMNS,
    CSV_HEADER,
    FORMAT_VERSION,
    claim_csv_rows,
    claim_row,
    claim_rows,
    compact_json,
    csv_line,
    dump_by_record,
    export_claims_csv,
    export_site_json,
    source_export,
    source_files,
    source_json,
    spreadsheet_safe,
)
from builder.model import AnswerValue, Citation, DateWindow, Event, Overtaken, PartialDate, Review, Site
from builder.quotes import text_fragment_url
from builder.urls import CLAIMS_CSV, SITE_JSON, absolute_url, source_download
from builder.views import visible_claims


def compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def test_numbers_are_written_as_json_dumps_wrote_them() -> None:
    for number, written in ((4.0, b"4"), (4, b"4"), (1.5, b"1.5"), (1e-07, b"1e-07"), (2.5e16, b"25000000000000000")):
        expected = b'{"items":[],"number":' + written + b',"text":null,"window":null}'
        assert compact_json(AnswerValue(number=number)) == expected


def test_records_citations_and_dates() -> None:
    event = Event(kind="signed", date=PartialDate(2025, 3), cite=(Citation("ref", "un"),), note="é \"\x01\u2028")
    assert compact_json(event) == compact({"cite": ["ref:un"], "date": "2025-03", "earlier": [], "kind": "signed",
                                           "note": event.note})
    window = DateWindow(not_before=date(2025, 3, 18))
    expected = b'{"a":[1,true],"b":{"not_after":null,"not_before":"2025-03-18"}}'
    assert compact_json({"b": window, "a": (1, True)}) == expected


def test_site_json_is_compact_json_with_a_record_a_line(shipped_site: Site) -> None:
    out = export_site_json(shipped_site)
    data = json.loads(out)
    lines = []
    for key, value in sorted(data.items()):
        if isinstance(value, dict) and value:
            records = [compact(k) + b":" + compact(v) for k, v in sorted(value.items())]
            lines.append(compact(key) + b":{\n" + b",\n".join(records) + b"\n}")
        else:
            lines.append(compact(key) + b":" + compact(value))
    assert out == b"{\n" + b",\n".join(lines) + b"\n}\n"


def test_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe() -> None:
    cells = ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "", "a=b", "ok"]
    assert spreadsheet_safe(cells) == ["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "", "a=b", "ok"]


def test_a_claims_link_to_the_original_is_derived_kept_out_of_site_json_and_in_the_csv(shipped_site: Site) -> None:
    site = shipped_site
    claims = json.loads(export_site_json(site))["claims"]
    assert claims and all("original_url" not in record for record in claims.values())
    rows = list(csv.DictReader(io.StringIO(export_claims_csv(site).decode("utf-8"))))
    for row in rows:  # the words at the claim's place in its source, as the article has them
        claim = site.claims[row["id"]]
        source = site.sources[claim.source_id]
        assert row["original_url"] == text_fragment_url(source.url, source.body[claim.span[0]:claim.span[1]])
    assert {row["id"] for row in rows} == set(claims)


def written_by_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


AWKWARD_CELLS = ["", " ", "plain", 'say "no"', '"', '""', "a,b", ",", "line\nbreak", "\n", "\r", "a\r\nb", "\r\n",
                 "'quoted'", "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "a=b", " lead", "trail ", "back\\slash",
                 "semi;colon", "tab\tin", "nul\x00", "é ü ß", "日本語", "emoji 🙂", "line\u2028sep", "bidi \u202e",
                 "\x7f", ";", "'", "'=x", '=HYPERLINK("http://x","y")', "a\n\"b\",\nc"]


def test_a_csv_line_is_what_the_csv_module_writes_for_every_kind_of_cell() -> None:
    for cell in AWKWARD_CELLS:  # each kind alone, beside others, and made safe for spreadsheets first
        for row in ([cell, "x"], ["x", cell, ""], [cell, cell], spreadsheet_safe([cell, cell, "y"])):
            assert csv_line(row) == written_by_csv([row]), row
    alphabet = [*"ab ,\"\r\n'=+-@\té日🙂", "\u2028", '""', "\r\n"]
    rng = random.Random(18)
    for _ in range(2000):
        row = ["".join(rng.choices(alphabet, k=rng.randrange(6))) for _ in range(rng.randrange(2, 8))]
        assert csv_line(row) == written_by_csv([row]), row
    assert written_by_csv([list(CLAIM_COLUMNS)]).encode("utf-8") == CSV_HEADER


def test_claims_csv_rows_are_the_csv_modules_rows_of_the_safe_cells(shipped_site: Site) -> None:
    site = shipped_site
    claims = visible_claims(site)
    rows = claim_csv_rows(site, claims)
    assert list(rows) == [claim.id for claim in claims]
    for claim in claims:
        assert rows[claim.id] == written_by_csv([spreadsheet_safe(claim_row(site, claim))]).encode("utf-8")
    parsed = list(csv.reader(io.StringIO(export_claims_csv(site).decode("utf-8"))))
    assert parsed[0] == list(CLAIM_COLUMNS) and len(parsed) == len(claims) + 1


def test_a_sources_own_json_is_laid_out_as_dump_by_record_lays_out_its_dict(shipped_site: Site) -> None:
    site = shipped_site
    claims = visible_claims(site)
    for source_id in [*sorted(site.sources), "a-source-without-claims"]:
        source = site.sources[source_id] if source_id in site.sources else next(iter(site.sources.values()))
        own = [claim for claim in claims if claim.source_id == source_id]
        export = source_export(site, source.id, own)
        if source_id not in site.sources:  # no claims: an empty object, as dump_by_record writes it
            export = dataclasses.replace(export, claims=())
        expected = b"".join(dump_by_record({
            "format": FORMAT_VERSION, "source": source, "claims": {claim.id: claim for claim in own},
            "downloads": {"json": absolute_url(site, source_download(source.id, "json")),
                          "csv": absolute_url(site, source_download(source.id, "csv")),
                          "whole_json": absolute_url(site, SITE_JSON), "whole_csv": absolute_url(site, CLAIMS_CSV)}}))
        assert source_json(site, export) == expected
        assert json.loads(expected)["claims"] == {claim.id: json.loads(compact_json(claim)) for claim in own}


def test_a_contested_claim_is_told_apart_from_an_overtaken_one_in_every_download(shipped_site: Site) -> None:
    """A later event that only disputes a claim's answer is under `contested` (JSON) and the contested_* columns
    (CSV), in the whole files and the source's own; one that changed the answer is under `overtaken`."""
    site = shipped_site
    claim = visible_claims(site)[0]
    cite = (Citation("ref", "ua06"),)
    for contested in (False, True):
        later = Overtaken(PartialDate(2025, 7, 18), "A later event.", cite, contested)
        edited = dataclasses.replace(claim, review=Review("accurate", "Right when written.", cite, later))
        export = source_export(site, claim.source_id, [edited])
        own_json, own_csv = (make() for make in source_files(site, export).values())
        own_rows = list(csv.DictReader(io.StringIO(own_csv.decode("utf-8"))))
        whole_rows = list(csv.DictReader(io.StringIO((CSV_HEADER + claim_rows(site, [edited])).decode("utf-8"))))
        key, other = ("contested", "overtaken") if contested else ("overtaken", "contested")
        for row in (*own_rows, *whole_rows):
            assert [row[f"{key}_{field}"] for field in ("date", "says", "cite")] == [
                "2025-07-18", "A later event.", "ref:ua06"]
            assert [row[f"{other}_{field}"] for field in ("date", "says", "cite")] == ["", "", ""]
        records = [json.loads(compact_json(edited))["review"], json.loads(own_json)["claims"][claim.id]["review"]]
        for review in records:
            assert review[key] == {"on": "2025-07-18", "says": "A later event.", "cite": ["ref:ua06"],
                                   "contested": contested, "earlier": []}  # its earlier wordings of `says`
            assert review[other] is None
