"""Reading and validating the sources and their claims in forked workers, for a site large enough to gain.

The sources and their claims files are most of a large site, and each source with its claims file is
independent of the others: shards of them are read and validated in parallel (each worker inherits the
validated countries and questions by fork), and only the model objects come back. What spans shards is then
checked here as Validator.claims would have: a claim id defined in two shards, citations, declared ids.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from .errors import ContentError, ErrorLog
from .load import Node, RawContent, UnitPaths, load_units
from .model import Citation, Claim, Source
from .validate import Known, UnitValidator, Validator

PARALLEL_FROM = 500  # sources; below it, forking costs more than it saves
SHARDS_PER_WORKER = 4  # a few shards each, so that a slow one does not leave a worker idle


@dataclass
class Shard:
    """What a worker sends back: its model objects, and what the checks across shards need."""

    sources: dict[str, Source]
    claims: dict[str, Claim]
    first_defined: list[tuple[str, str, int, int]]  # (claim id, file, line, column) of each id, in order
    cited: list[tuple[Citation, Node, str]]
    declared_claims: set[str]
    failed: set[str]
    source_files: list[str]  # read, whether or not they validated
    claims_files: dict[str, str]  # id: path, of those read
    errors: list[ContentError] = field(default_factory=list)


_WORK: tuple[RawContent, UnitPaths, Known, Known] | None = None


def _validate_shard(ids: list[str]) -> Shard:
    assert _WORK is not None, "set before the workers were forked"
    parent, units, questions, countries = _WORK
    log = ErrorLog()
    raw = RawContent(root=parent.root)
    load_units(raw, log, units.only(ids))
    return _validate(raw, log, questions, countries)


def _validate(raw: RawContent, log: ErrorLog, questions: Known, countries: Known) -> Shard:
    """The sources and claims in `raw`, validated; what merge() needs to check them against the others."""
    v = Validator(raw, log)
    seen: dict[str, Node] = {}
    sources = v.sources()
    claims = v.claims(sources, questions, countries, seen)  # claims_files_name_sources needs every shard
    return Shard(sources, claims, [(key, n.src_path, n.line, n.column) for key, n in seen.items()], v.cited,
                 v.declared["claims"], raw.failed, list(raw.sources),
                 {key: node.src_path for key, node in raw.claims.items()}, log.errors)


def split(ids: list[str], count: int) -> list[list[str]]:
    """`count` runs of ids, in order, as even as can be (some empty when there are fewer ids)."""
    return [ids[len(ids) * i // count:len(ids) * (i + 1) // count] for i in range(count)]


def worth_it(units: UnitPaths) -> bool:
    return (os.cpu_count() or 1) > 1 and len(units.sources) >= PARALLEL_FROM


def validate_units(units: UnitPaths) -> UnitValidator:
    """A UnitValidator (see validate.validate_site) that reads and validates `units` in forked workers."""

    def validate(v: Validator, questions: Known, countries: Known) -> tuple[dict[str, Source], dict[str, Claim]]:
        global _WORK
        workers = min(os.cpu_count() or 1, 8)
        shards = split(units.ids(), workers * SHARDS_PER_WORKER)
        _WORK = (v.raw, units, questions, countries)
        try:
            import multiprocessing  # here: a small site never forks, and need not import it

            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_validate_shard, shards, chunksize=1)
        finally:
            _WORK = None
        return merge(v, results)

    return validate


def merge(v: Validator, results: list[Shard]) -> tuple[dict[str, Source], dict[str, Claim]]:
    """The shards' sources and claims as one Validator would have found them, with its checks across shards."""
    sources: dict[str, Source] = {}
    claims: dict[str, Claim] = {}
    seen: dict[str, Node] = {}
    source_files: set[str] = set()
    claims_files: dict[str, str] = {}
    for shard in results:  # in the order of the ids, as one Validator would have met them
        v.log.extend(shard.errors)
        v.raw.failed |= shard.failed
        v.cited += shard.cited
        v.declared["claims"] |= shard.declared_claims
        sources.update(shard.sources)
        again = {claim_id for claim_id, src_path, line, column in shard.first_defined
                 if not v.unique(seen, claim_id, Node(None, src_path, line, column), "claim")}
        # A claim id defined in an earlier shard is reported, and this one not kept (the shard is not changed:
        # a warm builder may use it again).
        claims.update((k, c) for k, c in shard.claims.items() if k not in again)
        source_files.update(shard.source_files)
        claims_files.update(shard.claims_files)
    v.claims_files_name_sources(claims_files, source_files)
    return sources, claims


class UnitMemo:
    """A warm builder's validated sources and claims, by id: a rebuild validates again only the sources and claims
    files that changed (the parse cache hands back the very same objects for the others), or all of them when
    the questions or countries they are checked against changed. Unchanged ones keep their model objects, so a
    page made only from them can be known unchanged too.
    """

    def __init__(self) -> None:
        self.against: tuple[Any, ...] = ()
        self.entries: dict[str, tuple[tuple[Any, Any], Shard]] = {}

    def validator(self, units: UnitPaths, cache: dict) -> UnitValidator:
        def validate(v: Validator, questions: Known, countries: Known) -> tuple[dict[str, Source],
                                                                                dict[str, Claim]]:
            load_units(v.raw, v.log, units, cache)
            against = (v.raw.questions, *v.raw.countries.items())  # as the parse cache hands them back
            if v.log or not _same_objects(against, self.against):
                self.entries = {}  # a file could not be read, or what every claim is checked against changed
            self.against = () if v.log else against
            if v.log:
                return v.units(questions, countries)
            results, entries = [], {}
            for unit_id in units.ids():
                inputs = (v.raw.sources.get(unit_id), v.raw.claims.get(unit_id))
                known = self.entries.get(unit_id)
                if known is not None and known[0][0] is inputs[0] and known[0][1] is inputs[1]:
                    shard = known[1]
                else:
                    raw = RawContent(root=v.raw.root)
                    if inputs[0] is not None:
                        raw.sources[unit_id] = inputs[0]
                    if inputs[1] is not None:
                        raw.claims[unit_id] = inputs[1]
                    shard = _validate(raw, ErrorLog(), questions, countries)
                results.append(shard)
                if not shard.errors:
                    entries[unit_id] = (inputs, shard)
            self.entries = entries
            return merge(v, results)

        return validate


def _same_objects(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether two tuples hold the very same parse results (by identity) under the same ids (by value)."""
    return len(a) == len(b) and all(
        x is y or (type(x) is str and x == y) or (type(x) is tuple and type(y) is tuple and _same_objects(x, y))
        for x, y in zip(a, b, strict=True))
