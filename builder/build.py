"""The pipeline, and the only place that decides the order of stages.

site.yaml and content/ are loaded into records that remember their file and line, validated into a frozen model
(or every problem is reported at once), planned into one page per URL, rendered with Jinja, and written to a fresh
folder that then replaces public/. Nothing is written before the whole site is checked.

A large site's sources are loaded and validated, and its pages rendered, in forked workers (parallel.py); the
preview's warm builder remembers what did not change between builds (cache.py).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import parallel
from .cache import Cache, DiskCache, shard_of
from .errors import ErrorLog
from .load import Listing, RawContent, Seen, UnitPaths, list_content, load_units, read_globals
from .model import Site
from .pages import plan_site
from .render import compile_ahead, render_site, to_compile_ahead
from .staged import Staged, unpack
from .stamps import ReadStamps
from .unitfiles import kept_shared, pickle_units
from .units import UnitRecords, validate_unit
from .validate import Shared, assemble_site, validate_shared
from .write import Output, OutputFolder, hold_out_dir, replace_files

if TYPE_CHECKING:
    from .hot import Remaker


def build_site(root: Path, out_dir: Path, *, as_of: date | None = None, base_url: str | None = None,
               take_over: bool = False, disk: DiskCache | None = None) -> int:
    """Check, plan, render and write the site (atomically); return the number of files written.

    The output folder is held first: a folder that is not ours (unless `take_over`) or that another build holds
    is refused before any work (write.hold_out_dir). With a `disk` cache, what the last build made from the same
    files is taken from it, and it keeps what this one makes.
    """
    with hold_out_dir(out_dir, root=root, take_over=take_over) as folder, collect_after():
        if disk is not None:
            disk.clear_leftovers()  # what a killed build wrote: the cache is this build's while it holds the folder
        try:
            # Jinja's bytecode made by a forked child meanwhile, on the core the check leaves idle, where a
            # template's is not cached yet: the pages' templates are then loaded, not compiled (render.compile_ahead)
            with parallel.meanwhile(compile_ahead, to_compile_ahead(root / "templates")) as compiled:
                site = check_site(root, as_of=as_of, base_url=base_url, disk=disk)
                compiled()
            if disk is None:
                return len(publish(site, root / "templates", folder))
            disk.write_ahead()  # the sources' records' last shards, before the pages' workers fork
            return len(publish(site, root / "templates", folder, disk=disk))
        finally:
            try:
                if disk is not None:
                    disk.abandon()  # what it wrote ahead, unless saved: a build that fails keeps nothing
            finally:
                parallel.reap_workers()  # exited meanwhile (parallel._ENDING)


def check_site(root: Path, *, as_of: date | None = None, base_url: str | None = None, cache: Cache | None = None,
               disk: DiskCache | None = None) -> Site:
    """Load and validate everything; raise ContentErrors with every problem, write nothing."""
    listing = list_content(root)
    units, ids = listing.units, listing.units.ids()
    if disk is not None:
        disk.start(units.relative(ids))
    shared = _shared(listing, as_of, base_url, cache, disk)
    if cache is not None:
        cache.check_against((listing.raw.questions, *listing.raw.countries.items()))
        cache.compare_under(shared.site)
    known: dict[str, UnitRecords] = {}
    if disk is not None:
        known = {unit_id: records for unit_id in ids if (records := disk.unit(unit_id)) is not None}
    todo = [unit_id for unit_id in ids if unit_id not in known]
    check = partial(check_units, root, units, shared, cache)
    if disk is not None:  # in the disk cache's shards, checked together: a shard's are then pickled together
        todo.sort(key=lambda unit_id: (shard_of(unit_id), unit_id))
    with parallel.map_chunks(check if disk is None else partial(_pickled, check, disk.later), todo) as checked:
        keep = cache.comparison if cache is not None else disk.comparison if disk is not None else None
        if disk is not None:  # then every source's records are known: from the cache, or checked and kept in it
            for pickled in checked:  # a pickle for the first of each shard's run of sources, None for the rest
                if pickled is not None:
                    known.update(disk.keep_units(*pickled))  # type: ignore[misc]
            disk.release_groups()
        return assemble_site(shared, _in_order(ids, known, checked), keep)


def _shared(listing: Listing, as_of: date | None, base_url: str | None, cache: Cache | None,
            disk: DiskCache | None) -> Shared:
    """Everything but the sources and their claims, read and validated; with a disk cache, as a build kept it
    while none of those files changed (kept_shared). A cold cache's build keeps none: the next one does."""
    def make() -> Shared:
        read_globals(listing, cache.parses if cache else None)
        return validate_shared(listing.raw, listing.log, as_of=as_of, base_url=base_url)

    if disk is None or not disk.usable or listing.log:
        return make()
    return kept_shared(disk, listing.raw.root, make)


def _in_order(ids: list[str], known: dict[str, UnitRecords], checked: Iterator[UnitRecords]
              ) -> Iterator[UnitRecords]:
    """Every source's records in the order of `ids`: `known` (from the disk cache, or checked and kept in it), or
    just checked."""
    for unit_id in ids:
        yield known[unit_id] if unit_id in known else next(checked)


def _pickled(check: Callable[[Sequence[str], Seen], list[UnitRecords]], later: set[str], ids: Sequence[str]
             ) -> list[tuple[bytes, dict[str, Any]] | None]:
    """Checked records pickled as the disk cache keeps them, the sources of one shard together (pickle_units): a
    worker's are sent so, and pickled only once. One item each: for a group's first, its pickle and the stamps of
    the files read that the cache left `later` (DiskCache.start); None for the rest."""
    found: list[tuple[bytes, dict[str, Any]] | None] = []
    for _, run in itertools.groupby(ids, key=shard_of):
        run_ids = list(run)
        read = ReadStamps(later)
        group = dict(zip(run_ids, check(run_ids, read), strict=True))
        found += [(pickle_units(group), read.found), *[None] * (len(group) - 1)]
    return found


def check_units(root: Path, units: UnitPaths, shared: Shared, cache: Cache | None, ids: Sequence[str],
                seen: Seen | None = None) -> list[UnitRecords]:
    """Load and validate these sources, each with its claims file, on their own (a chunk of them, in a worker
    for a large site); `seen` is told of each file read."""
    found = []
    for unit_id in ids:
        raw, log = RawContent(root=root), ErrorLog()
        one = UnitPaths({unit_id: units.sources[unit_id]} if unit_id in units.sources else {},
                        {unit_id: units.claims[unit_id]} if unit_id in units.claims else {})
        load_units(raw, log, one, cache.parses if cache else None, seen)
        inputs = (raw.sources.get(unit_id), raw.claims.get(unit_id))
        records = cache.unit(unit_id, inputs) if cache is not None and not log else None
        if records is None:
            records = validate_unit(raw, log, unit_id, shared)
            if cache is not None:
                cache.keep_unit(unit_id, inputs, records)
        found.append(records)
    return found


def publish(site: Site, templates_dir: Path, out: Path | OutputFolder, cache: Cache | None = None,
            disk: DiskCache | None = None) -> list[Staged]:
    """Plan, render and write a checked site: every file is staged, then all are put in place at once.

    A warm builder passes its `cache`: only the pages whose records changed are made again, and the folder is
    updated in place. With a `disk` cache, only those whose inputs' digests changed are made again, and the files
    whose bytes did not change are left as they are.
    """
    planner = plan_site(site, templates_dir)
    known = cache.written if cache else disk.verified_outputs() if disk else None
    output = Output(out, known, update=cache is not None, stamps=disk.stamps_found if disk and not cache else None)
    try:
        staged = render_site(site, planner, templates_dir, output, cache, disk)
        output.commit({s.out_path: s.digest for s in staged}, [s.out_path for s in staged if s.written])
        if disk is not None:  # with the stats the files' writers took (the pages' came back from their workers)
            disk.save({s.out_path: s.digest for s in staged}, output.stamps | output.fresh.unpacked()
                      | {s.out_path: unpack(s.stamp) for s in staged if s.written and s.stamp is not None})
    except BaseException as exc:
        if cache is not None:
            cache.forget_pages()
        if isinstance(exc, OSError) and output.folder.about(exc):  # a full disk, a folder made read-only
            raise output.folder.cannot_write(exc) from None
        raise
    finally:
        output.abandon()
    if cache is not None:
        cache.confirm({s.out_path: s.digest for s in staged})
    return staged


@contextlib.contextmanager
def collect_after() -> Iterator[None]:
    """No automatic garbage collection until the block ends.

    The automatic collector walks every live object again and again as the model grows, and a build makes almost
    no cyclic garbage; in a forked worker, its walk would also copy every page of memory the worker inherited.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Builder:
    """A build that can run again cheaply: the preview keeps one between edits.

    It remembers (cache.Cache) each content file's parse, each source's validated records, each page with the
    records it was made from and each output file's digest: a rebuild validates, renders and writes only what
    changed, in this process. A first build into a missing folder is an atomic swap; later ones update the folder
    in place. It holds the folder from its first build on: another build into it is refused while this one lives.
    """

    def __init__(self, root: Path, out_dir: Path, *, as_of: date | None = None, base_url: str | None = None
                 ) -> None:
        self.root, self.out_dir, self.as_of, self.base_url = root, out_dir, as_of, base_url
        self.cache = Cache()
        self.remaker: Remaker | None = None  # the last good site, to make open pages first (hot.py)
        self.kept_hot: list[str] = []  # the files made first that the whole build left as they were
        self.folder: OutputFolder | None = None

    def build(self, changed: Sequence[str] = (), open_pages: Sequence[str] = (),
              on_hot: Callable[[list[str]], None] | None = None) -> int:
        """Build once more; return the number of files.

        A builder told which files `changed` (relative to the root) and which output files are open in the
        browser first makes and writes those pages alone, if it can, and calls `on_hot` with them (hot.py).
        """
        if self.folder is None:
            self.folder = hold_out_dir(self.out_dir, root=self.root)
        hot = self.make_hot(changed, open_pages) if on_hot is not None else {}
        if hot and on_hot is not None:
            on_hot(sorted(hot))
        self.kept_hot = []
        from .hot import Remaker

        with parallel.one_process(), collect_after():
            site = check_site(self.root, as_of=self.as_of, base_url=self.base_url, cache=self.cache)
            staged = publish(site, self.root / "templates", self.folder, self.cache)
            self.remaker = Remaker(site)  # here too, the collector would walk the whole model
        self.kept_hot = sorted(out for out, found in hot.items() if self.cache.written.get(out) == found)
        return len(staged)

    def make_hot(self, changed: Sequence[str], open_pages: Sequence[str]) -> dict[str, bytes]:
        """Write the open pages that hot.py can make from the edit alone; their digests, by output path."""
        from .write import digest

        if self.remaker is None or self.folder is None or not changed or not open_pages:
            return {}
        try:
            files = self.remaker.remake(self.root, list(changed), list(open_pages), self.cache.parses)
        except Exception:  # anything hot.py did not foresee is left to the whole build, which reports it
            return {}
        digests = {out_path: digest(data) for out_path, data in files.items()}
        changed_files = {out: data for out, data in files.items() if self.cache.written.get(out) != digests[out]}
        written = set(replace_files(self.folder, changed_files))
        for out_path in written:  # so the whole build does not write the same bytes again
            self.cache.written[out_path] = digests[out_path]
        return {out: found for out, found in digests.items() if out in written or out not in changed_files}
