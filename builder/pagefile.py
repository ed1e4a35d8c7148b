"""pages.bin as the disk cache writes it: the pages and memos in parts. A cold build pickles its 10,000 pages'
entries (and the memos) in parts as the pages come from the page workers, while they run: only the last
part is left to the save, after the last page, which nothing else can overlap."""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterable, Mapping
from typing import Any

PART = 1000  # pages pickled together, as they come


def pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class PageParts:
    """The pages and memos kept so far, pickled in parts: each part a pickle of (memos, pages), read in order, a
    later part's entry over an earlier one's (a page or memo kept again after its part was pickled)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.held: tuple[dict[str, Any], dict[Any, Any]] = ({}, {})  # what the parts hold: memos, pages
        self.todo: list[Any] = []

    def add(self, job: Any) -> None:
        """A page kept: pickled with the next part."""
        self.todo.append(job)

    def pack(self, made: Mapping[Any, Any], memos: Mapping[str, Any], at_least: int | None = None) -> None:
        """The pages kept since the last part, and the memos made or changed since, pickled as one part, once
        there are `at_least` such pages (PART)."""
        if len(self.todo) < (PART if at_least is None else at_least):
            return
        part = (_new(self.held[0], memos, memos), _new(self.held[1], made, self.todo))
        self.todo = []
        self.parts.append(pickled(part))
        self.held[0].update(part[0])
        self.held[1].update(part[1])

    def payload(self, made: Mapping[Any, Any], memos: Mapping[str, Any]) -> list[bytes]:
        """pages.bin's pieces: the parts, unless one holds what is no longer kept; then what they do not hold."""
        if not (self.held[0].keys() <= memos.keys() and self.held[1].keys() <= made.keys()):
            self.parts, self.held = [], ({}, {})
        return [*self.parts, pickled((_new(self.held[0], memos, memos), _new(self.held[1], made, made)))]


def _new(held: Mapping[Any, Any], kept: Mapping[Any, Any], names: Iterable[Any]) -> dict[Any, Any]:
    """What is `kept` under these names and not held as it is."""
    return {name: kept[name] for name in names if name in kept and held.get(name) is not kept[name]}


def journal_of(base: Mapping[str, Any], made: Mapping[Any, Any], memos: Mapping[str, Any]) -> bytes:
    """journal.bin: what changed since pages.bin (`base`, as read) was written."""
    pages, memos_before = base["pages"], base["memos"]
    return pickled({
        "pages": {job: entry for job, entry in made.items() if pages.get(job) != entry},
        "gone": [job for job in pages if job not in made],
        "memos": {name: memo for name, memo in memos.items() if memos_before.get(name) != memo},
        "memos_gone": [name for name in memos_before if name not in memos]})


def unpack_pages(payload: memoryview) -> dict[str, Any]:
    """pages.bin as PageParts.payload wrote it: {"pages": job: entry, "memos": name: memo}."""
    stream = io.BytesIO(payload)
    memos: dict[str, Any] = {}
    pages: dict[Any, Any] = {}
    while stream.tell() < len(payload):
        memos_part, pages_part = pickle.load(stream)
        memos.update(memos_part)
        pages.update(pages_part)
    return {"pages": pages, "memos": memos}
