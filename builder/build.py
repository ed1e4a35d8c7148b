"""The pipeline, and the only place that decides the order of stages."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

from .errors import ContentErrors
from .load import load_content
from .model import Site
from .validate import validate_site


def check_site(root: Path, *, as_of: date | None = None, base_url: str | None = None,
               cache: dict | None = None) -> Site:
    """Load and validate everything; raise ContentErrors with every problem, write nothing."""
    raw, log = load_content(root, cache)
    if log and raw.site is None:
        raise ContentErrors(log.errors)
    return validate_site(raw, log, as_of=as_of, base_url=base_url)


def build_site(root: Path, out_dir: Path, *, as_of: date | None = None, base_url: str | None = None) -> int:
    """Check, plan, render and write the site (atomically); return the number of files written."""
    return Builder(root, out_dir, as_of=as_of, base_url=base_url, warm=False).build()


class Builder:
    """A build that can run again cheaply: the preview keeps one between edits.

    It keeps each content file's parse (read again only when the file's stat changes) and a digest of each
    output file, so a rebuild writes only the files whose bytes changed. A first build into a missing folder
    is the atomic swap of write_site; later ones update the folder in place (write.update_site).
    """

    def __init__(self, root: Path, out_dir: Path, *, as_of: date | None = None, base_url: str | None = None,
                 warm: bool = True) -> None:
        self.root, self.out_dir, self.as_of, self.base_url = root, out_dir, as_of, base_url
        # A one-off build keeps nothing: holding every parse through rendering would only raise its peak memory.
        self.parsed: dict | None = {} if warm else None
        self.written: dict[str, bytes] | None = {} if warm else None

    def build(self) -> int:
        """Build once more; return the number of files."""
        from .pages import plan_pages
        from .render import render_pages
        from .write import update_site

        # The automatic collector walks every live object again and again as the model grows (it was a third of
        # loading and half of planning at 10,000 pages), and a build makes almost no cyclic garbage: collect
        # after the build instead.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            site = check_site(self.root, as_of=self.as_of, base_url=self.base_url, cache=self.parsed)
            pages = plan_pages(site, self.root / "templates")
            files = render_pages(site, pages, self.root / "templates")
        finally:
            if was_enabled:
                gc.enable()
        return update_site(files, self.out_dir, self.written)
