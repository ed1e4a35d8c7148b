"""A file put into the output folder, as the pages and the downloads hand it on to be committed and cached."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cards import Card


@dataclass
class Staged:
    """One file put into the output: where, its digest, whether it was written, its sitemap URL if listed."""

    out_path: str
    digest: bytes
    written: bool
    sitemap_url: str | None
    card: Card | None = None  # a page's share card, where it is not worked out from the model (jobs.job_card)
    stamp: tuple[int, int, int, int] | None = None  # the stat its writer took, where it is final (write.Output.stamps)
