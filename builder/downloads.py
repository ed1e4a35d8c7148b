"""The downloads, staged: site.json and claims.csv whole, and each source's own JSON and CSV.

Both are made from each source's share (export.SourceExport), which the cache keeps while the source and its
claims are the same. After an edit, the whole files are the folder's last ones with the changed sources' records
put in place of theirs (splice.py), where the disk cache knows where each record lies.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import parallel, splice
from .digests import Groups, Table
from .export import (
    Part,
    SourceExport,
    claims_csv_parts,
    compact_json,
    site_json_parts,
    source_export,
    source_files,
    source_paths,
)
from .model import Site
from .pages import Planner
from .spare import NONE  # a digest the layout does not know
from .staged import Staged
from .urls import CLAIMS_CSV, SITE_JSON
from .write import Output

if TYPE_CHECKING:
    from .cache import Cache, DiskCache


Exports = dict[str, tuple[SourceExport, dict[str, bytes]]]  # each source's share and its own files' digests
WHOLE = (SITE_JSON, CLAIMS_CSV)


@dataclass
class Downloads:
    """Each source's share of the downloads as this build has it: its bytes and its own files' digests, where
    made or needed (`exports`); else, for the sources whose key is as it was (`reused`), where the folder's whole
    files hold their records (`placed`: the disk cache's layout of them) and the digests of their own files
    (`own`). What this build's whole files are, for the next: each one's size, and its records' layout."""

    exports: Exports
    placed: dict[str, Any] | None
    reused: set[str] = field(default_factory=set)
    sizes: dict[str, int] = field(default_factory=dict)
    sections: dict[str, splice.Section] = field(default_factory=dict)  # this build's, made or spliced
    layouts: dict[str, splice.Layout] = field(default_factory=dict)  # the files' records, where not made again
    groups: dict[str, Table | None] = field(default_factory=dict)  # the files' groups (digests.Groups)
    links: Mapping[str, str] = field(default_factory=dict)  # claims' links to the original's text, made already

    def own(self, source_id: str) -> dict[str, bytes]:
        """The digests of a reused source's own files, as the last build made them."""
        if source_id not in self.reused:
            return {}
        return {path: found for path, found in zip(source_paths(source_id), self.placed["own"][source_id],
                                                   strict=True) if found != NONE}  # type: ignore[index]

    def export(self, site: Site, planner: Planner, kept: Cache | DiskCache | None, source_id: str
               ) -> tuple[SourceExport, dict[str, bytes]]:
        """A source's share and its own files' digests: from the cache, or made."""
        if source_id not in self.exports:
            found = kept.export(source_id, _records(site, planner, source_id)) if kept is not None else None
            self.exports[source_id] = found if found is not None else (
                source_export(site, source_id, planner.claims_of.get(source_id, []), self.links), self.own(source_id))
        return self.exports[source_id]

    def parts(self, site: Site, out_path: str, spliced: bool) -> Iterator[Part]:
        """A whole file's parts: spliced, the records of the sources that changed in place of theirs in the
        folder's file; else made from every source's share."""
        old = self.placed["sections"] if spliced and self.placed else {}
        gone = set(old["sources"][2]) - self.reused if old else set()
        made = [self.exports[source_id][0] for source_id in sorted(site.sources)
                if not (spliced and source_id in self.reused)]
        if out_path == CLAIMS_CSV:
            self.sections["rows"] = splice.Section(old.get("rows"), gone, [
                (export.source_id, export.source_id, export.rows) for export in made], b"", _no_head, b"\n")
            return claims_csv_parts(self.sections["rows"].parts)
        self.sections["sources"] = splice.Section(old.get("sources"), gone, [
            (export.source_id, export.source_id, (export.record,)) for export in made], b",\n", _json_head, b"}")
        self.sections["claims"] = splice.Section(old.get("claims"), gone, [
            (claim_id, export.source_id, (text,)) for export in made for claim_id, text in export.claims],
            b",\n", _json_head, b"}")
        return site_json_parts(site, {name: self.sections[name].parts if len(self.sections[name]) else None
                                      for name in ("sources", "claims")})

    def counted(self, out_path: str, pieces: Iterator[bytes]) -> Iterator[bytes]:
        self.sizes[out_path] = 0
        for piece in pieces:
            self.sizes[out_path] += len(piece)
            yield piece


def _json_head(key: str) -> bytes:
    return compact_json(key) + b":"


def _no_head(key: str) -> bytes:
    return b""


def stage_downloads(site: Site, planner: Planner, output: Output, kept: Cache | DiskCache | None,
                    links: Mapping[str, str] | None = None) -> tuple[Downloads, list[Staged]]:
    """The whole downloads, staged: site.json and claims.csv; and each source's share of them, for its own files.

    Both are made from each source's share (export.SourceExport), which the cache (`kept`) keeps while the source
    and its claims are the same; a file that the folder is known to hold (output.known) as the cache made it last
    is neither made nor read again. Where the folder holds the last build's files and the disk cache knows where
    each source's records lie in them (placed), only the shares of the sources that changed are made, and the
    rest is copied from the folder's files (splice.py); if anything there is not as it was kept, the file is made
    from every source's share. `links`: the claims' links to the original's text, where their views made them.
    """
    placed = kept.placed() if kept is not None else None
    downloads = Downloads({}, placed, placed["reused"] & site.sources.keys() if placed else set(), links=links or {})
    for source_id in sorted(site.sources):
        if source_id not in downloads.reused:
            downloads.export(site, planner, kept, source_id)
    whole = tuple(site.sources.values()) + tuple(planner.claims)
    digests = kept.export("", whole) if kept is not None else None
    if digests and all(_held(_known(output), digests[1], out_path) for out_path in WHOLE):
        staged = [Staged(out_path, digests[1][out_path], False, None) for out_path in WHOLE]
        if placed and len(downloads.reused) == len(site.sources):  # laid out as the last build kept them
            downloads.sizes = {out_path: placed["files"][out_path][0] for out_path in WHOLE}
            downloads.groups = {out_path: placed["files"][out_path][2] for out_path in WHOLE}
            downloads.layouts = dict(placed["sections"])
    else:
        staged = [_stage_whole(site, planner, output, kept, downloads, out_path) for out_path in WHOLE]
    if kept is not None:
        kept.keep_export("", whole, (None, {s.out_path: s.digest for s in staged}))
    downloads.links = {}  # every share made that needs them: not held while the page workers run
    return downloads, staged


def _stage_whole(site: Site, planner: Planner, output: Output, kept: Cache | DiskCache | None,
                 downloads: Downloads, out_path: str) -> Staged:
    """A whole download staged: spliced from the folder's file where it is the one whose layout the disk cache
    kept (its size and digest), else made from every source's share."""
    recorded = downloads.placed["files"].get(out_path) if downloads.placed else None
    known = _known(output)
    if downloads.reused and recorded is not None and known is not None and known.get(out_path) == recorded[1]:
        stamp = output.known_stamps.get(out_path)
        try:
            with splice.opened(str(output.out_dir / out_path), stamp, recorded[0]) as old:
                groups = Groups(recorded[2])  # the last file's groups: only those around the changes are hashed
                made = output.put(out_path, downloads.counted(out_path, splice.spliced(
                    downloads.parts(site, out_path, True), old, stamp)), groups)
            downloads.groups[out_path] = groups.table() if made[0] else None
            return Staged(out_path, *made, None)
        except splice.Refused:
            pass
    for source_id in downloads.reused:  # every source's share, from the cache or made
        downloads.export(site, planner, kept, source_id)
    groups = Groups()
    made = output.put(out_path, downloads.counted(out_path, splice.spliced(downloads.parts(site, out_path, False))),
                      groups)
    downloads.groups[out_path] = groups.table() if made[0] else None
    return Staged(out_path, *made, None)


def stage_source_downloads(site: Site, planner: Planner, output: Output, kept: Cache | DiskCache | None,
                           downloads: Downloads, staged: list[Staged]) -> list[Staged]:
    """On a large site, each source's own JSON and CSV, staged (20,000 files at 10,000 sources), and each source's
    share kept by the cache: beside the page workers, in this process, which has less to do than each of them;
    else in workers of their own. Then the disk cache keeps the whole files' layout."""
    ids = sorted(site.sources) if planner.scale.source_downloads else []
    paths = list(map(source_paths, ids))
    held = _held_sources(ids, paths, downloads, _known(output))
    todo = [source_id for source_id in ids if source_id not in held]  # the others: nothing to make, no fork
    for source_id in todo:
        downloads.export(site, planner, kept, source_id)
    exports = downloads.exports
    with parallel.map_chunks(functools.partial(_stage_sources, site, output, exports), todo) as done:
        made = dict(zip(todo, done, strict=True))
    at = 0  # each source's two files in the sources' order: those held between two made, in C's loops
    for number in [*(number for number, source_id in enumerate(ids) if source_id in made), len(ids)]:
        if number > at:
            staged += map(Staged, itertools.chain.from_iterable(paths[at:number]), itertools.chain.from_iterable(
                map(held.__getitem__, ids[at:number])), itertools.repeat(False), itertools.repeat(None))
        staged += made[ids[number]][1] if number < len(ids) else []
        at = number + 1
    if kept is None:
        return staged
    for source_id, (export, digests) in exports.items():
        if source_id in made:
            digests = made[source_id][0]
        elif source_id in held:
            digests = dict(zip(source_paths(source_id), held[source_id], strict=True))
        kept.keep_export(source_id, _records(site, planner, source_id), (export, digests))
    whole = {s.out_path: s.digest for s in staged if s.out_path in WHOLE}
    layouts = downloads.layouts or {name: section.layout for name, section in downloads.sections.items()}
    if layouts and set(downloads.sizes) == set(whole):
        own = held | {source_id: tuple(made[source_id][0].values()) for source_id in made}  # json, csv
        kept.keep_placed({out_path: (downloads.sizes[out_path], whole[out_path], downloads.groups.get(out_path))
                          for out_path in WHOLE}, own, layouts)
    downloads.sections, downloads.layouts = {}, {}  # kept packed: not held while the page workers finish
    return staged


def _held_sources(ids: Sequence[str], paths: Sequence[tuple[str, str]], downloads: Downloads,
                  known: Mapping[str, bytes] | None) -> dict[str, tuple[bytes, bytes]]:
    """The sources whose own downloads (`paths`: each one's JSON and CSV) the folder holds as the cache made them
    last: their digests, in the same order. Tuples, not a dict a source: a build with the disk cache asks for
    10,000; a source the cache has no digests of (NONE) is made."""
    if known is None:  # a new folder
        return {}
    own, reused, get = downloads.placed["own"] if downloads.placed else {}, downloads.reused, known.get
    held = {}
    for source_id, (json_path, csv_path) in zip(ids, paths, strict=True):
        if source_id in reused:
            found = own.get(source_id)
        else:
            exported = downloads.exports[source_id][1]
            found = (exported.get(json_path, NONE), exported.get(csv_path, NONE))
        if found is not None and NONE not in found and get(json_path) == found[0] and get(csv_path) == found[1]:
            held[source_id] = found
    return held


def _stage_sources(site: Site, output: Output, exports: Exports, ids: Sequence[str]
                   ) -> list[tuple[dict[str, bytes], list[Staged]]]:
    """These sources' own downloads staged: their digests, and what was staged."""
    done = []
    for source_id in ids:
        export, digests = exports[source_id]
        staged: list[Staged] = []
        done.append((_stage_known(output, _known(output), digests, source_files(site, export), staged), staged))
    return done


def _records(site: Site, planner: Planner, source_id: str) -> tuple[Any, ...]:
    """What a source's share of the downloads is made from: the cache keeps it while they are the same."""
    return (site.sources[source_id], *planner.claims_of.get(source_id, []))


def _known(output: Output) -> Mapping[str, bytes] | None:
    return output.known if output.in_place else None


def _held(known: Mapping[str, bytes] | None, digests: Mapping[str, bytes], out_path: str) -> bool:
    """Whether the folder holds the file as the cache made it last (`digests`: the cache's, `known`: the folder's)."""
    return known is not None and out_path in digests and known.get(out_path) == digests[out_path]


def _stage_known(output: Output, known: Mapping[str, bytes] | None, digests: Mapping[str, bytes],
                 files: Mapping[str, Callable[[], bytes]], staged: list[Staged]) -> dict[str, bytes]:
    """Stage each file unless the folder holds the digest the cache kept for it; the files' digests."""
    found = {}
    for out_path, make in files.items():
        if _held(known, digests, out_path):
            staged.append(Staged(out_path, digests[out_path], False, None))
        else:
            staged.append(Staged(out_path, *output.put(out_path, make()), None))
        found[out_path] = staged[-1].digest
    return found
