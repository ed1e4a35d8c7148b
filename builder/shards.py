"""Reading and validating the sources and their claims in forked workers, for a site large enough to gain; in a
cold build, the same workers then make the sources' pages.

The sources and their claims files are most of a large site, and each source with its claims file is
independent of the others: a run of them per worker is read and validated in parallel (each worker inherits the
validated countries and questions by fork), and only the model objects come back. What spans shards is then
checked here as Validator.claims would have: a claim id defined in two shards, citations, declared ids.

A source's page shows only its source and claims and what every page shares, so in a cold build each worker
keeps its sources and claims once sent and makes their share of the downloads and their pages (SourcePages)
while this process checks what spans the shards and makes the pages drawn from the whole site: the model is
never sent back to the workers, and both cores stay busy. Once this process has made its own pages it makes
source pages that no worker has started yet, from the other end of their runs (of those whose texts it was
sent, see _Run), so that all end about together.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import socket
import struct
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .errors import ContentError, ErrorLog
from .load import Node, RawContent, UnitPaths, load_units
from .model import Citation, Claim, Site, Source
from .validate import Known, UnitValidator, Validator
from .write import Output, OutputFolder

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from jinja2 import Environment

    from .export import UnitExports
    from .pages import PageJob
    from .render import PageResult

PARALLEL_FROM = 500  # sources; below it, forking costs more than it saves
WORKER_NICENESS = 5
SHARED_PART = 8  # of a worker's run: the last eighth can be taken by the main process (see _Run)


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


class SourcePages:
    """A cold build's source pages, made by the workers that validate the sources (shards.validate_units).

    A worker makes its sources' pages only when everything but the sources and claims is valid and its own
    shard is: it sends its share of the downloads (export.UnitExports), then plans, renders and stages the pages
    into `output` (made before the workers fork), taking its sources one at a time from a _Run that this process
    takes from too (steal). Leaving the `with` block ends the workers, then abandons whatever was staged and not
    committed. Against pickling the whole model to a second pool of page workers, at 10,000 pages: 10.9 -> 10.3 s
    wall, 19.6 -> 18.1 s CPU, and a peak of 746 MB (PSS, all processes) instead of 984 MB. With the downloads'
    shares and this process taking pages too: 7.8 -> 7.2 s wall.
    """

    def __init__(self, templates_dir: Path, out_dir: Path | OutputFolder) -> None:
        self.templates_dir, self.out_dir = templates_dir, out_dir
        self.output: Output | None = None  # once the workers are to make pages
        self.workers: list[tuple[BaseProcess, socket.socket]] = []
        self.runs: list[_Run] = []  # each worker's sources

    def __enter__(self) -> SourcePages:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        _stop(self.workers)  # first: a worker must not write into a folder being removed
        if self.output is not None:
            self.output.abandon()

    def shares(self) -> list[UnitExports]:
        """Each worker's share of the downloads, in the order of the sources (render.MadeElsewhere)."""
        return [_receive(worker) for worker in self.workers]

    def steal(self) -> PageJob | None:
        """A source page that no worker has started, from the end of the run with the most left; None once there
        is none (render.MadeElsewhere)."""
        for run in sorted(self.runs, key=_Run.left, reverse=True):
            source_id = run.take(last=True)
            if source_id is not None:
                return ("source", source_id)
        return None

    def pages(self) -> dict[PageJob, PageResult]:
        """The source pages the workers made; waits for the last."""
        made: dict[PageJob, PageResult] = {}
        for worker in self.workers:
            made.update(_receive(worker))
        _stop(self.workers)
        return made


class _Run:
    """A worker's run of sources, whose pages it makes from the first while this process, once it has made its own
    pages, makes them from the last, so that the two end about together.

    This process can make only the pages of the sources whose texts the worker sent it: those of the run's last
    eighth (`shared_from` on). Sending every text cost the processes 0.5 s of CPU at 10,000 pages; with the
    workers at a lower priority, this process takes 1,000 to 1,300 of them.
    """

    def __init__(self, ids: list[str]) -> None:
        import multiprocessing  # here: a small site never forks, and need not import it

        context = multiprocessing.get_context("fork")
        self.ids = ids
        self.shared_from = len(ids) - -(-len(ids) // SHARED_PART)  # the last part, rounded up
        self.lock = context.Lock()
        self.bounds = context.RawArray("q", [0, len(ids)])  # the first and past the last id not yet taken

    def take(self, *, last: bool = False) -> str | None:
        """The first id not yet taken (the last with `last`, from those of shared_from on), now taken; None once
        there is none."""
        with self.lock:
            first, end = self.bounds
            if first >= end or (last and end <= self.shared_from):
                return None
            if last:
                self.bounds[1] = first = end - 1
            else:
                self.bounds[0] = first + 1
        return self.ids[first]

    def left(self) -> int:
        return int(self.bounds[1] - self.bounds[0])


@dataclass
class _Work:
    """What the workers inherit by fork."""

    raw: RawContent  # the parent's, for its root
    units: UnitPaths
    questions: Known
    countries: Known
    # To make the sources' pages: the site but its sources and claims, the templates, the staging output, and
    # the Jinja environment (its templates compiled by the parent, see validate_units).
    pages: tuple[Site, Path, Output, Environment] | None


_WORK: _Work | None = None


def _validate_shard(ids: list[str]) -> Shard:
    assert _WORK is not None, "set before the workers were forked"
    log = ErrorLog()
    raw = RawContent(root=_WORK.raw.root)
    load_units(raw, log, _WORK.units.only(ids))
    return _validate(raw, log, _WORK.questions, _WORK.countries)


def _validate(raw: RawContent, log: ErrorLog, questions: Known, countries: Known) -> Shard:
    """The sources and claims in `raw`, validated; what merge() needs to check them against the others."""
    v = Validator(raw, log)
    seen: dict[str, Node] = {}
    sources = v.sources()
    claims = v.claims(sources, questions, countries, seen)  # claims_files_name_sources needs every shard
    return Shard(sources, claims, [(key, n.src_path, n.line, n.column) for key, n in seen.items()], v.cited,
                 v.declared["claims"], raw.failed, list(raw.sources),
                 {key: node.src_path for key, node in raw.claims.items()}, log.errors)


@dataclass
class _Failed:
    """A worker's bug, sent in place of its result."""

    traceback: str


def _work(run: _Run, conn: socket.socket) -> None:
    """A worker: read and validate this run of sources and their claims and send them; then make and send their
    share of the downloads, then their pages (those this process does not take)."""
    from .export import unit_exports
    from .render import die_with_parent, render_pages  # imported by the parent before forking, when it makes pages

    die_with_parent()
    try:
        # Below this process's priority: while all three make pages, it makes those only it can make (drawn from
        # the whole site) first, then takes from the workers' runs, rather than end last with a core idle.
        with contextlib.suppress(OSError):  # where priorities cannot be changed, the build is only slower
            os.nice(WORKER_NICENESS)
        assert _WORK is not None, "set before the workers were forked"
        shard = _validate_shard(run.ids)
        _send(conn, shard if _WORK.pages is None else _texts_left_out(shard, run.ids[run.shared_from:]))
        if _WORK.pages is not None and not shard.errors:  # else the build fails: no page is needed
            shared, templates_dir, output, env = _WORK.pages
            site = replace(shared, sources=shard.sources, claims=shard.claims)
            _send(conn, unit_exports(site))  # received once the site is known valid, the pages at the end
            taken: list[PageJob] = []

            def jobs() -> Iterator[PageJob]:  # taken one at a time, as this process may take some from the end
                for source_id in iter(run.take, None):
                    if source_id in shard.sources:  # else an orphan claims file fails the build
                        taken.append(("source", source_id))
                        yield taken[-1]

            made = render_pages(site, templates_dir, output, jobs(), env)
            _send(conn, dict(zip(taken, made, strict=True)))
    except OSError as exc:  # writing the pages: a full disk is reported by the parent, a bug with its traceback
        is_output = _WORK is not None and _WORK.pages is not None and _WORK.pages[2].folder.about(exc)
        _send(conn, exc if is_output else _Failed(traceback.format_exc()))
    except BaseException:
        _send(conn, _Failed(traceback.format_exc()))  # raised by the parent, which shows it once


def _texts_left_out(shard: Shard, shared: list[str]) -> Shard:
    """The shard with the texts of its sources left out, but those of `shared` (see _Run and model.Source)."""
    keep = set(shared)
    return replace(shard, sources={key: source if key in keep else replace(source, body=None)
                                   for key, source in shard.sources.items()})


# A worker's messages are tens of megabytes. They go through a socket, each as its length and its pickle, and are
# read straight into one buffer of that length: multiprocessing's Connection read each piece of a message into a
# new buffer as large as what was left to read, then copied them all, and touching that memory cost the main
# process 0.4 s of system time at 10,000 pages.
_LENGTH = struct.Struct("!Q")


def _send(conn: socket.socket, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    conn.sendall(_LENGTH.pack(len(data)))
    conn.sendall(data)


def _read(worker: tuple[BaseProcess, socket.socket]) -> bytearray:
    """A worker's next message, pickled."""
    (size,) = _LENGTH.unpack(_read_exactly(worker, _LENGTH.size))
    return _read_exactly(worker, size)


def _read_exactly(worker: tuple[BaseProcess, socket.socket], size: int) -> bytearray:
    found = bytearray(size)
    view, done = memoryview(found), 0
    while done < size:
        got = worker[1].recv_into(view[done:])
        if not got:
            worker[0].join()
            raise RuntimeError(f"a build worker died (exit code {worker[0].exitcode})")
        done += got
    return found


def _decode(message: bytearray) -> Any:
    """A message unpickled; a worker's bug raised here."""
    found = pickle.loads(message)
    if isinstance(found, _Failed):
        raise RuntimeError(f"a build worker failed:\n{found.traceback}")
    if isinstance(found, OSError):
        raise found
    return found


def _receive(worker: tuple[BaseProcess, socket.socket]) -> Any:
    return _decode(_read(worker))


def _stop(workers: list[tuple[BaseProcess, socket.socket]]) -> None:
    for process, conn in workers:
        if process.is_alive():
            process.terminate()
        process.join()
        conn.close()
    workers.clear()


def split(ids: list[str], count: int) -> list[list[str]]:
    """`count` runs of ids, in order, as even as can be (some empty when there are fewer ids)."""
    return [ids[len(ids) * i // count:len(ids) * (i + 1) // count] for i in range(count)]


def worth_it(units: UnitPaths) -> bool:
    return (os.cpu_count() or 1) > 1 and len(units.sources) >= PARALLEL_FROM


def validate_units(units: UnitPaths, pages: SourcePages | None = None) -> UnitValidator:
    """A UnitValidator (see validate.validate_site) that reads and validates `units` in forked workers; with
    `pages`, the workers then make the sources' pages too (when the rest of the site is valid)."""

    def validate(v: Validator, questions: Known, countries: Known, shared: Site | None
                 ) -> tuple[dict[str, Source], dict[str, Claim]]:
        global _WORK
        import multiprocessing  # here: a small site never forks, and need not import it

        making = None
        if pages is not None and shared is not None:
            from .render import compile_templates, make_environment

            pages.output = Output(pages.out_dir)
            # The renderer is imported before forking rather than in each worker (0.12 s each at 10,000 pages).
            making = (shared, pages.templates_dir, pages.output, make_environment(pages.templates_dir, shared))
        # One run of ids each, rather than a queue of smaller shards: a worker makes the pages of the very
        # sources it validated.
        runs = [_Run(ids) for ids in split(units.ids(), min(os.cpu_count() or 1, 8))]
        workers: list[tuple[BaseProcess, socket.socket]] = []
        _WORK = _Work(v.raw, units, questions, countries, making)
        try:
            for run in runs:
                reader, writer = socket.socketpair()
                process = multiprocessing.get_context("fork").Process(target=_work, args=(run, writer), daemon=True)
                process.start()
                writer.close()  # the worker's end: this one sees EOF if the worker dies
                workers.append((process, reader))
            if making is not None:
                # Compiled while the workers read, into Jinja's bytecode cache, where they find the templates when
                # they come to render: with the cache cleared, 0.14 s at the start of the build with a core idle.
                compile_templates(making[3])
            results = _receive_in_any_order(workers)
        finally:
            _WORK = None
            if pages is None:
                _stop(workers)
            else:
                pages.workers, pages.runs = workers, runs
        return merge(v, results)

    return validate


def _receive_in_any_order(workers: list[tuple[BaseProcess, socket.socket]]) -> list[Any]:
    """Each worker's next message, in the workers' order. Each is read as soon as it is sent (a worker waits until
    then before it goes on) and unpickled once all are read."""
    from multiprocessing.connection import wait

    found: dict[int, bytearray] = {}
    while len(found) < len(workers):
        ready = wait([conn for i, (_, conn) in enumerate(workers) if i not in found])
        found.update((i, _read(worker)) for i, worker in enumerate(workers) if worker[1] in ready)
    return [_decode(found[i]) for i in range(len(workers))]


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
        def validate(v: Validator, questions: Known, countries: Known, shared: Site | None
                     ) -> tuple[dict[str, Source], dict[str, Claim]]:
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
