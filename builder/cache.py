"""What a warm builder (the preview's) remembers between builds, so that a rebuild redoes only what changed: each
content file's parse, each source's validated records with its claims, each page with the records it was made
from, and each output file's digest. It lives in one process: a build that uses it runs there
(parallel.one_process).

Unchanged things are recognised by identity: the parse of an unchanged file is the very object it was, so are the
records validated from it, so a page whose records are the very same objects is the same page.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .themes import THEME_DIR

if TYPE_CHECKING:
    from .model import Site
    from .render import PageResult
    from .units import UnitRecords
    from .urls import PageJob
    from .write import Output

PageEntry = tuple[tuple[Any, ...], "PageResult"]  # a page's records, and what rendering it gave


@dataclass
class Cache:
    parses: dict[Path, tuple[tuple[int, int, int], Any]] = field(default_factory=dict)  # load._cached's
    written: dict[str, bytes] = field(default_factory=dict)  # each output file's digest, as last put in place
    against: tuple[Any, ...] = ()  # the parses every source's claims are checked against
    units: dict[str, tuple[tuple[Any, Any], UnitRecords]] = field(default_factory=dict)
    shared: tuple[Any, ...] = ()  # what every page shows (shared_inputs)
    pages: dict[PageJob, PageEntry] = field(default_factory=dict)
    proposed: tuple[tuple[Any, ...], dict[PageJob, PageEntry]] | None = None

    # ------------------------------------------------------------ validated sources and claims
    def check_against(self, against: tuple[Any, ...]) -> None:
        """Forget every source's records if what they were checked against (questions, countries) changed."""
        if not _same_objects(against, self.against):
            self.units = {}
        self.against = against

    def unit(self, unit_id: str, inputs: tuple[Any, Any]) -> UnitRecords | None:
        """The records last validated from these very parses of a source and its claims file, if any."""
        known = self.units.get(unit_id)
        if known is not None and known[0][0] is inputs[0] and known[0][1] is inputs[1]:
            return known[1]
        return None

    def keep_unit(self, unit_id: str, inputs: tuple[Any, Any], records: UnitRecords) -> None:
        if records.errors:  # errors are reported again, so they are found again
            self.units.pop(unit_id, None)
        else:
            self.units[unit_id] = (inputs, records)

    # ------------------------------------------------------------ pages
    def reusable_pages(self, site: Site, templates_dir: Path, output: Output, inputs: dict[PageJob, Any]
                       ) -> dict[PageJob, PageEntry]:
        """The pages that need not be made again: their records are the very same objects, and the folder (updated
        in place) still holds what they gave. What this build makes is proposed, for confirm()."""
        shared = shared_inputs(site, templates_dir)
        self.proposed = (shared, {})
        if shared != self.shared or not output.in_place or output.known is None:
            return {}
        from .render import Staged

        known = output.known
        return {job: entry for job, entry in self.pages.items()
                if inputs.get(job) is not None and _same(entry[0], inputs[job])
                and isinstance(staged := entry[1][0], Staged) and known.get(staged.out_path) == staged.digest}

    def propose_page(self, job: PageJob, inputs: tuple[Any, ...] | None, result: PageResult) -> None:
        if inputs is not None and self.proposed is not None:
            self.proposed[1][job] = (inputs, result)

    def confirm(self, digests: dict[str, bytes]) -> None:
        """What this build made is now in place."""
        if self.proposed is not None:
            self.shared, self.pages = self.proposed
        self.proposed = None
        self.written = dict(digests)

    def forget_pages(self) -> None:
        """A build failed while writing: what the folder holds is no longer known."""
        self.shared, self.pages, self.proposed = (), {}, None


def shared_inputs(site: Site, templates_dir: Path) -> tuple[Any, ...]:
    """What every page may show: compared by value between builds (they are validated anew each time)."""
    templates = tuple((path.as_posix(), st.st_mtime_ns, st.st_size)
                      for folder in (templates_dir, THEME_DIR)  # a site's own templates, then the theme's
                      for path in sorted(folder.rglob("*")) if stat.S_ISREG((st := path.stat()).st_mode))
    return (site.config, site.questions, site.countries, site.references, site.treaty, site.summary,
            site.methodology, site.treaty_text, site.rules, templates)


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether two pages' records are the very same objects."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _same_objects(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether two tuples hold the very same parse results (by identity) under the same ids (by value)."""
    return len(a) == len(b) and all(
        x is y or (type(x) is str and x == y) or (type(x) is tuple and type(y) is tuple and _same_objects(x, y))
        for x, y in zip(a, b, strict=True))
