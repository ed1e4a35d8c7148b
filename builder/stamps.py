"""What says that an input file is still the one whose digest a build took: its stamp, the file's stat beside the
digest. This process stamps the inputs before the check (stamp_inputs); a source the disk cache holds nothing of is
stamped by the worker that checks it, from the very bytes it parses (ReadStamps)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Collection
from pathlib import Path

from . import cache
from .cache import Stamp, file_stat_key

StatKey = tuple[int, int, int, int]
INPUTS = ("site.yaml", "content", "templates")  # everything a build reads from the project


def stamp_inputs(root: Path, stamps: dict[str, Stamp], later: Collection[str]
                 ) -> tuple[dict[str, bytes], dict[str, StatKey]]:
    """Every input file's digest but those `later`, and the stat it was taken with: from its stamp while its stat
    is the same, or read and hashed (its stamp made again in `stamps`)."""
    from .write import digest

    found: dict[str, bytes] = {}
    read_now: dict[str, StatKey] = {}
    now, top = time.time_ns(), str(root)
    for rel in input_files(root):
        if rel in later:
            continue
        try:
            st = os.stat(f"{top}/{rel}")
        except OSError:
            continue  # gone, or a link to nowhere: the loader reports it
        stat_key = file_stat_key(st)
        stamp = stamps.get(rel)
        if stamp is not None and stamp[:4] == stat_key:
            found[rel] = stamp[4]
        else:
            try:
                with open(f"{top}/{rel}", "rb") as file:
                    found[rel] = digest(file.read())
            except OSError:
                continue
            stamps[rel] = _stamp(st, found[rel], now)
        read_now[rel] = stat_key
    return found, read_now


def _stamp(st: os.stat_result, found: bytes, now: int) -> Stamp:
    """A file's stamp; its stat is kept only if no later write can leave it the same (one in the tick the file was
    last written in can): `now` was taken before the stat."""
    trusted = now - max(st.st_mtime_ns, st.st_ctime_ns) > cache.RACY_NS
    return (*(file_stat_key(st) if trusted else (-1, -1, -1, -1)), found)


class ReadStamps:
    """What a check's worker read of the files left to it (DiskCache.start): each file's stat, taken on the open
    file before the read, and its stamp, with the digest of the very bytes read and parsed. Whatever edit comes
    between, the digest is of the bytes the records were made from; the stat, of the file before the read, differs
    from the file's when the cache is saved after any later edit (save then keeps nothing), and is not trusted if
    it could be the same. Called by load.read_text (load.Seen)."""

    def __init__(self, wanted: Collection[str]) -> None:
        from .write import digest  # once, not for each of a worker's thousands of files

        self.wanted, self.digest = wanted, digest
        self.now = time.time_ns()  # before any of these stats is taken
        self.found: dict[str, tuple[StatKey, Stamp]] = {}

    def __call__(self, rel: str, st: os.stat_result, data: bytes) -> None:
        if rel in self.wanted:
            self.found[rel] = (file_stat_key(st), _stamp(st, self.digest(data), self.now))


def input_files(root: Path) -> list[str]:
    """Every file under the inputs, by path from the root (a link is a file here), sorted; hidden ones (an
    editor's, say) are not read by a build."""
    found = [name for name in INPUTS if os.path.lexists(os.path.join(root, name))
             and not (os.path.isdir(os.path.join(root, name)) and not os.path.islink(os.path.join(root, name)))]
    pending = [name for name in INPUTS if name not in found and os.path.isdir(os.path.join(root, name))]
    while pending:
        rel = pending.pop()
        with contextlib.suppress(OSError), os.scandir(os.path.join(root, rel)) as entries:
            for entry in entries:  # the kind of each entry comes with the listing: no stat
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(f"{rel}/{entry.name}")
                else:
                    found.append(f"{rel}/{entry.name}")
    return sorted(found)
