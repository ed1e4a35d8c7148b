"""The downloads: site.json is written by orjson, byte for byte as json.dumps wrote it; the CSV defuses formulas."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from builder.build import check_site
from builder.export import (
    compact_json,
    export_claims_csv,
    export_site_json,
    spreadsheet_safe,
)
from builder.model import AnswerValue, Citation, DateWindow, Event, PartialDate
from builder.quotes import text_fragment_url
from tests.conftest import REPO


def compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def test_numbers_are_written_as_json_dumps_wrote_them() -> None:
    for number, written in ((4.0, b"4"), (4, b"4"), (1.5, b"1.5"), (1e-07, b"1e-07"), (2.5e16, b"25000000000000000")):
        expected = b'{"items":[],"number":' + written + b',"text":null,"window":null}'
        assert compact_json(AnswerValue(number=number)) == expected


def test_records_citations_and_dates() -> None:
    event = Event(kind="signed", date=PartialDate(2025, 3), cite=(Citation("ref", "un"),), note="é \"\x01\u2028")
    assert compact_json(event) == compact({"cite": ["ref:un"], "date": "2025-03", "kind": "signed", "note": event.note})
    window = DateWindow(not_before=date(2025, 3, 18))
    expected = b'{"a":[1,true],"b":{"not_after":null,"not_before":"2025-03-18"}}'
    assert compact_json({"b": window, "a": (1, True)}) == expected


def test_site_json_is_compact_json_with_a_record_a_line() -> None:
    out = export_site_json(check_site(REPO))
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


def test_a_claims_link_to_the_original_is_derived_kept_out_of_site_json_and_in_the_csv() -> None:
    site = check_site(REPO)
    claims = json.loads(export_site_json(site))["claims"]
    assert claims and all("original_url" not in record for record in claims.values())
    rows = list(csv.DictReader(io.StringIO(export_claims_csv(site).decode("utf-8"))))
    for row in rows:  # the words at the claim's place in its source, as the article has them
        claim = site.claims[row["id"]]
        source = site.sources[claim.source_id]
        assert row["original_url"] == text_fragment_url(source.url, source.body[claim.span[0]:claim.span[1]])
    assert {row["id"] for row in rows} == set(claims)
