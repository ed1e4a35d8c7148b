"""units.py: a source and its claims file validated on their own, as a worker does for its chunk."""

from __future__ import annotations

from pathlib import Path

from builder.errors import ErrorLog
from builder.load import RawContent, UnitPaths, load_globals, load_units
from builder.units import validate_unit
from builder.validate import validate_shared
from tests.conftest import REPO, copy_site


def check_unit(root: Path, unit_id: str):  # noqa: ANN201 - UnitRecords
    raw, log, units = load_globals(root)
    shared = validate_shared(raw, log)
    one, unit_log = RawContent(root=root), ErrorLog()
    load_units(one, unit_log, UnitPaths({unit_id: units.sources[unit_id]} if unit_id in units.sources else {},
                                        {unit_id: units.claims[unit_id]} if unit_id in units.claims else {}))
    return validate_unit(one, unit_log, unit_id, shared)


def test_a_unit_holds_its_source_its_claims_and_what_the_checks_across_units_need() -> None:
    raw, _, units = load_globals(REPO)
    unit_id = sorted(units.claims)[0]
    records = check_unit(REPO, unit_id)
    assert list(records.sources) == [unit_id] and records.errors == []
    assert records.claims and all(c.source_id == unit_id for c in records.claims.values())
    assert [d[0] for d in records.first_defined] == list(records.claims)
    assert records.source_read and records.claims_file == f"content/claims/{unit_id}.yaml"


def test_a_quote_not_in_its_source_is_the_units_error(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    claims = next((site / "content/claims").glob("*.yaml"))
    claims.write_text(claims.read_text().replace("quote:", "quote: not in the text", 1))
    records = check_unit(site, claims.stem)
    assert [e.message.split(":")[0] for e in records.errors] == [f"quote not found in source '{claims.stem}'"]
