"""What the disk cache's check makes for every source without reading it: each source's key (cache.unit_key) and its
files' paths from the root (load.UnitPaths.relative), written from the ids and digests rather than computed from
paths and reprs, must say exactly what the long way says."""

from __future__ import annotations

from pathlib import Path

from builder.cache import KEY_BYTES, unit_key
from builder.load import load_globals, relative


def test_relative_paths_written_from_the_ids_are_those_of_the_listed_files(tmp_path: Path) -> None:
    for root in (tmp_path / "site", tmp_path / "a b" / "site.d"):
        (root / "content" / "sources").mkdir(parents=True)
        (root / "content" / "claims").mkdir(parents=True)
        for source_id in ("both", "only-source", "x-1"):
            (root / "content" / "sources" / f"{source_id}.md").write_text("---\n---\ntext\n")
        for source_id in ("both", "only-claims", "x-1"):
            (root / "content" / "claims" / f"{source_id}.yaml").write_text("[]\n")
        _, _, units = load_globals(root)
        ids = units.ids()
        assert ids == ["both", "only-claims", "only-source", "x-1"]
        assert units.relative(ids) == {
            unit_id: (relative(units.sources[unit_id], root) if unit_id in units.sources else None,
                      relative(units.claims[unit_id], root) if unit_id in units.claims else None)
            for unit_id in ids}
        assert units.relative(ids)["only-claims"] == (None, "content/claims/only-claims.yaml")


def test_a_sources_key_tells_its_files_apart_and_changes_with_each_part() -> None:
    site, other_site, digest, other = b"g" * KEY_BYTES, b"h" * KEY_BYTES, b"d" * 16, b"e" * 16
    key = unit_key(site, "s1", digest, other)
    assert len(key) == KEY_BYTES and key == unit_key(site, "s1", digest, other)
    assert len({key, unit_key(other_site, "s1", digest, other), unit_key(site, "s2", digest, other),
                unit_key(site, "s1", other, digest), unit_key(site, "s1", digest, digest),
                unit_key(site, "s1", digest, b""), unit_key(site, "s1", b"", digest),
                unit_key(site, "s1", b"", b"")}) == 8
    # the same bytes in another place: the source's digest is not read as part of the id, nor the other way
    assert unit_key(site, "s1", digest[:8], digest[8:] + b"s1") != unit_key(site, "s1", digest, b"s1")
