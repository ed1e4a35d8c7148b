"""The pipeline, and the only place that decides the order of stages."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import shards
from .errors import ContentErrors
from .load import load_globals, load_units
from .model import Site

if TYPE_CHECKING:
    from .hot import Remaker
    from .render import PageMemo, Staged
from .validate import validate_site
from .write import OutputFolder, hold_out_dir, hot_file


def check_site(root: Path, *, as_of: date | None = None, base_url: str | None = None,
               cache: dict | None = None, memo: shards.UnitMemo | None = None,
               pages: shards.SourcePages | None = None) -> Site:
    """Load and validate everything; raise ContentErrors with every problem, write nothing.

    A large site's sources and claims are read and validated in forked workers, which with `pages` (a cold
    build's) then make the sources' pages too. A warm builder instead keeps each file's parse in `cache` (re-read
    only when the file changed) and each source's validated claims in `memo` (validated again only when its
    files changed).
    """
    raw, log, units = load_globals(root, cache)
    if log and raw.site is None:
        load_units(raw, log, units, cache)  # their errors are reported too
        raise ContentErrors(log.errors)
    if cache is not None and memo is not None:
        return validate_site(raw, log, as_of=as_of, base_url=base_url, units=memo.validator(units, cache))
    # A build as of another date than site.yaml's may leave sources out (dated.py), which the workers, making
    # every source's page, would not know.
    if cache is None and as_of is None and shards.worth_it(units):
        return validate_site(raw, log, as_of=as_of, base_url=base_url, units=shards.validate_units(units, pages))
    load_units(raw, log, units, cache)
    return validate_site(raw, log, as_of=as_of, base_url=base_url)


def publish(site: Site, templates_dir: Path, out_dir: Path | OutputFolder, known: dict[str, bytes] | None = None,
            memo: PageMemo | None = None, pages: shards.SourcePages | None = None) -> list[Staged]:
    """Plan, render and write a checked site: every file is staged, then all are put in place at once.

    A warm builder passes what it knows of the folder: each file's digest (`known`) and how each page was made
    (`memo`), so that only what changed is made again, and the folder is updated in place. A cold build passes
    the workers that checked the site (`pages`): if they are making the source pages, the rest is staged into
    their folder.
    """
    from .render import render_site
    from .write import Output

    shared = pages.output if pages is not None else None  # the workers' staging folder, if they make pages
    output = shared or Output(out_dir, known, update=known is not None)
    try:
        staged = render_site(site, templates_dir, output, memo, pages if pages and shared else None)
        output.commit({s.out_path: s.digest for s in staged}, [s.out_path for s in staged if s.written])
    except BaseException as exc:
        if memo is not None:
            memo.forget()
        if isinstance(exc, OSError) and output.folder.about(exc):  # a full disk, a folder made read-only
            raise output.folder.cannot_write(exc) from None
        raise
    finally:
        if shared is None:  # else `pages` abandons it, once its workers have stopped writing into it
            output.abandon()
    if memo is not None:
        memo.confirm()
    return staged


def build_site(root: Path, out_dir: Path, *, as_of: date | None = None, base_url: str | None = None,
               take_over: bool = False) -> int:
    """Check, plan, render and write the site (atomically); return the number of files written.

    The output folder is held first (write.hold_out_dir): a folder that is not ours (unless `take_over`) or
    that another build holds is refused before any work. A large site's source pages are made by the workers
    that validate the sources (shards.SourcePages).
    """
    with hold_out_dir(out_dir, root=root, take_over=take_over) as folder, collect_after(), \
            shards.SourcePages(root / "templates", folder) as pages:
        site = check_site(root, as_of=as_of, base_url=base_url, pages=pages)
        return len(publish(site, root / "templates", folder, pages=pages))


@contextlib.contextmanager
def collect_after() -> Iterator[None]:
    """No automatic garbage collection until the block ends.

    The automatic collector walks every live object again and again as the model grows (it was a third of
    loading and half of planning at 10,000 pages), and a build makes almost no cyclic garbage: collect after
    the build instead.
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

    It keeps each content file's parse (read again only when the file's stat changes), each source's validated
    claims (shards.UnitMemo), each source and country page with the records it was made from (render.PageMemo)
    and a digest of each output file: a rebuild validates, renders and writes only what changed. A first build
    into a missing folder is an atomic swap; later ones update the folder in place (write.Output). It holds the
    folder from its first build on (write.OutputFolder): another build into it is refused while this one lives.
    """

    def __init__(self, root: Path, out_dir: Path, *, as_of: date | None = None, base_url: str | None = None
                 ) -> None:
        from .render import PageMemo

        self.root, self.out_dir, self.as_of, self.base_url = root, out_dir, as_of, base_url
        self.parsed: dict = {}
        self.written: dict[str, bytes] = {}
        self.units = shards.UnitMemo()
        self.pages: PageMemo = PageMemo()
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
        with collect_after():
            site = check_site(self.root, as_of=self.as_of, base_url=self.base_url, cache=self.parsed,
                              memo=self.units)
            staged = publish(site, self.root / "templates", self.folder, self.written, self.pages)
        self.written.clear()
        self.written.update((s.out_path, s.digest) for s in staged)
        self.kept_hot = sorted(out for out, found in hot.items() if self.written.get(out) == found)
        from .hot import Remaker

        self.remaker = Remaker(site)
        return len(staged)

    def make_hot(self, changed: Sequence[str], open_pages: Sequence[str]) -> dict[str, bytes]:
        """Write the open pages that hot.py can make from the edit alone; their digests, by output path."""
        from .write import digest

        if self.remaker is None or not changed or not open_pages:
            return {}
        try:
            files = self.remaker.remake(self.root, list(changed), list(open_pages), self.parsed)
        except Exception:  # anything hot.py did not foresee is left to the whole build, which reports it
            return {}
        made = {}
        for out_path, data in files.items():
            made[out_path] = found = digest(data)
            if self.written.get(out_path) != found:
                target = self.out_dir / out_path
                temporary = hot_file(self.out_dir)  # beside the folder: never a stray file in it
                try:
                    temporary.write_bytes(data)
                    os.replace(temporary, target)
                except OSError:
                    with contextlib.suppress(OSError):
                        temporary.unlink()
                    del made[out_path]
                    continue
                self.written[out_path] = found  # so the whole build does not write the same bytes again
        return made
