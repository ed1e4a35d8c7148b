"""downloads: site.json and claims.csv whole, and each source's own JSON and CSV, which hold exactly its share of
the whole files (a reader who takes one source's files gets what the whole ones say of it, no more, no less)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from builder.build import publish
from builder.export import CLAIM_COLUMNS, source_paths
from builder.model import Site
from builder.urls import CLAIMS_CSV, SITE_JSON
from tests.conftest import REPO


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_site: Site) -> Path:
    """The small fixture site built with each source's own downloads (a large site's), as a small one."""
    monkeypatch.setattr("builder.paging.SOURCE_DOWNLOADS_FROM", 1)
    out = tmp_path / "public"
    publish(mini_site, REPO / "templates", out)
    return out


def test_each_source_s_own_files_hold_its_share_of_the_whole_files(built: Path, mini_site: Site) -> None:
    whole = json.loads((built / SITE_JSON).read_bytes())
    header, *rows = _rows(built / CLAIMS_CSV)
    source_column = CLAIM_COLUMNS.index("source_id")
    assert header == list(CLAIM_COLUMNS)
    claims_of: dict[str, set[str]] = {}
    for row in rows:
        claims_of.setdefault(row[source_column], set()).add(row[0])
    assert set(whole["sources"]) == set(mini_site.sources) and len(mini_site.sources) > 1
    for source_id in mini_site.sources:
        json_path, csv_path = source_paths(source_id)
        own = json.loads((built / json_path).read_bytes())
        assert own["source"] == whole["sources"][source_id]
        assert own["claims"] == {claim_id: whole["claims"][claim_id] for claim_id in claims_of.get(source_id, ())}
        assert own["format"] == whole["format"]
        assert {name: link.rsplit("/", 1)[-1] for name, link in own["downloads"].items()} == {
            "json": json_path.rsplit("/", 1)[-1], "csv": csv_path.rsplit("/", 1)[-1],
            "whole_json": SITE_JSON.rsplit("/", 1)[-1], "whole_csv": CLAIMS_CSV.rsplit("/", 1)[-1]}
        own_header, *own_rows = _rows(built / csv_path)
        assert own_header == header
        assert own_rows == [row for row in rows if row[source_column] == source_id]
    assert sum(len(claims) for claims in claims_of.values()) == len(whole["claims"]) == len(rows)


def test_a_small_site_has_no_files_of_its_own_per_source(tmp_path: Path, mini_site: Site) -> None:
    out = tmp_path / "public"
    publish(mini_site, REPO / "templates", out)
    assert (out / SITE_JSON).is_file() and (out / CLAIMS_CSV).is_file()
    for source_id in mini_site.sources:
        assert not any((out / path).exists() for path in source_paths(source_id))
