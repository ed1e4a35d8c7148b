"""The pipeline, and the only place that decides the order of stages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .errors import ContentErrors
from .load import load_content
from .model import Site
from .validate import validate_site


def check_site(root: Path, *, as_of: date | None = None, base_url: str | None = None) -> Site:
    """Load and validate everything; raise ContentErrors with every problem, write nothing."""
    raw, log = load_content(root)
    if log and raw.site is None:
        raise ContentErrors(log.errors)
    return validate_site(raw, log, as_of=as_of, base_url=base_url)


def build_site(root: Path, out_dir: Path, *, as_of: date | None = None, base_url: str | None = None) -> int:
    """Check, plan, render and atomically write the site; return the number of files written."""
    site = check_site(root, as_of=as_of, base_url=base_url)
    from .pages import plan_pages
    from .render import render_pages
    from .write import write_site

    pages = plan_pages(site)
    files = render_pages(site, pages, root / "templates")
    return write_site(files, out_dir)
