"""pages.bin as the disk cache writes it: the memos' pickle, then the pages' in parts. A cold build pickles its
10,000 pages' entries in parts as they come from the page workers, while they run: only the last part is left
to the save, after the last page, which nothing else can overlap."""

from __future__ import annotations

import io
import pickle
from collections.abc import Mapping
from typing import Any

PART = 1000  # pages pickled together, as they come


def pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class PageParts:
    """The pages kept so far, pickled in parts, with the entries each holds: a part is written only if every
    entry it holds is still the one kept (a page kept again after it was pickled is in the last part)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.held: dict[Any, Any] = {}
        self.todo: list[Any] = []

    def add(self, job: Any) -> None:
        """A page kept: pickled with the next part."""
        self.todo.append(job)

    def pack(self, made: Mapping[Any, Any], at_least: int = PART) -> None:
        """The pages kept since the last part, pickled as one, once there are `at_least` of them."""
        if len(self.todo) < at_least:
            return
        part = {job: made[job] for job in self.todo if job in made}
        self.todo = []
        if part:
            self.parts.append(pickled(part))
            self.held.update(part)

    def payload(self, made: Mapping[Any, Any], memos: Mapping[str, Any]) -> list[bytes]:
        """pages.bin's pieces: the memos, the parts where they hold what is kept, the pages not in them."""
        held = self.held if all(made.get(job) is entry for job, entry in self.held.items()) else {}
        rest = {job: entry for job, entry in made.items() if job not in held}
        return [pickled(memos), *(self.parts if held else ()), pickled(rest)]


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
    memos = pickle.load(stream)
    pages: dict[Any, Any] = {}
    while stream.tell() < len(payload):
        pages.update(pickle.load(stream))
    return {"pages": pages, "memos": memos}
