"""A file put into the output folder, as the pages and the downloads hand it on to be committed and cached."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
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
    stamp: bytes | None = None  # the stat its writer took, packed (Stamps), where it is final (write.Output.fresh)


class Stamps:
    """Output files' stats as the process that wrote them took them (write.Output.fresh), packed: 40 bytes a
    file rather than a dict of tuples (270), for 20,000 of them are held while the page workers run, when a
    build's memory peaks."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.stats = array("q")  # four numbers a file: cache.file_stat_key's

    def add(self, path: str, stat_key: Sequence[int]) -> None:
        self.paths.append(path)
        self.stats.extend(stat_key)

    def take_last(self, path: str) -> bytes | None:
        """The stat of `path`, packed, taken out if it was the last added (a page's, which its worker sends back
        with it)."""
        if not self.paths or self.paths[-1] != path:
            return None
        self.paths.pop()
        packed = self.stats[-4:].tobytes()
        del self.stats[-4:]
        return packed

    def unpacked(self) -> dict[str, tuple[int, ...]]:
        return dict(zip(self.paths, zip(*[iter(self.stats)] * 4, strict=True), strict=True))


def unpack(packed: bytes) -> tuple[int, ...]:
    """A stat packed by Stamps.take_last."""
    return tuple(array("q", packed))
