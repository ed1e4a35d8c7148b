"""The spare: the site before last, kept beside the output folder so that a build can bring it up to date
and swap it in, writing only what changed (write.Output), rather than make a whole folder and delete the old one.

It is `.build-spare-NAME` beside the folder NAME (not `.build-NAME-...`, which names what a killed or live build
left, and which the disk cache's nothing-changed check must not meet), ours by that name: git ignores `.build-*`
and `make clean` deletes it. It holds only our files, and is trusted only with its list, `.spare-list`: each file's
stat and digest, written last, after the swap that made the folder the spare, and taken away by a build before it
changes anything in it. A spare without its list (a build died while updating it), with a list that is not whole,
or with a file added, missing or changed since, is deleted and the build stages a whole new folder instead.

A file is trusted by its stat, as the disk cache trusts an output file (cache._stat_key): size, modification time,
change time and inode. No program can set a change time, and any write, rename, link or unlink of a file changes
it, so a file edited by hand, replaced, or unlinked from the output folder that shares its inode is seen; a file
rewritten with the same bytes is seen too (and costs a whole staging, rarely). What is not seen: a change within
the timestamp's tick of the list's writing, or, without the disk cache, an edit while the build that lists the
files runs (as for the output folder itself); with it, a file whose size, mtime or inode changed since the cache's
check is listed with its digest unknown (write._retire).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from .cache import _stat_key

SPARE = "spare-"  # after STAGING_PREFIX, before the folder's name
SPARE_LIST = ".spare-list"  # in the spare: each of its files, with its stat and digest; without it, no spare
SPARE_FORMAT = b"sitebuilder-spare 1"


def same_device(a: Path, b: Path) -> bool:
    """Whether two folders are on one file system, where an inode number names one file."""
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def take_spare(spare_dir: Path, stamps: dict[str, tuple[int, int, int, int]] | None = None,
               seen: Mapping[str, tuple[int, int, int, int]] | None = None) -> dict[str, bytes] | None:
    """The spare's files' digests (b"" where unknown), if its list is there, whole, and says what the folder
    holds, by each file's stat (the disk cache's rule: size, mtime, ctime, inode); else None, and a spare that
    cannot be trusted is deleted: it is ours, and what a killed build left. `stamps`, if given, gets each file's
    stat as found: with its digest, a record that can go stale but never be wrong (see Output.stamps).

    `seen`: the stats just taken of the output folder's files (on the same file system), which share most of
    their inodes with the spare's. A spare's file whose listing names the inode that the list gives, where the
    output folder's file of that name was just found with that inode and the list's stat, is that very inode
    with that stat: it is not stat'ed again (a file replaced in the spare has another inode, one edited in place
    another change time, seen through either name)."""
    if not os.path.lexists(spare_dir):
        return None
    listed = read_list(spare_dir) if spare_dir.is_dir() and not spare_dir.is_symlink() else None
    if listed is not None:
        found: dict[str, str] = {}
        try:
            for out_path, entry in walk_files(str(spare_dir)):
                if out_path == SPARE_LIST:
                    continue
                known = listed.get(out_path)
                if known is None:
                    break  # added since the list was made
                was = seen.get(out_path) if seen is not None else None
                if was is None or entry.inode() != known[3] or was[0] != known[0] or was[1] != known[1] \
                        or was[2] != known[2] or was[3] != known[3]:
                    st = entry.stat(follow_symlinks=False)
                    if known[0] != st.st_size or known[1] != st.st_mtime_ns or known[2] != st.st_ctime_ns \
                            or known[3] != st.st_ino:
                        break  # changed since
                found[out_path] = known[4]
            else:
                if len(found) == len(listed):
                    if stamps is not None:
                        stamps.update((out_path, tuple(listed[out_path][:4])) for out_path in found)
                    return {out_path: bytes.fromhex(found_hex) for out_path, found_hex in found.items()}
        except (OSError, ValueError, TypeError):  # gone meanwhile, or a digest that is not hex
            pass
    delete_folder(spare_dir)
    return None


def walk_files(folder: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file under `folder` as (out path, its entry): one listing a folder, each entry's kind from the
    listing itself (d_type), so a stat is paid only where the caller asks the entry for one (cached on it). A
    symlink is a file, never followed."""
    pending, top = [""], f"{folder}/"
    while pending:
        rel = pending.pop()
        with os.scandir(top + rel) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(f"{rel}{entry.name}/")
                else:
                    yield rel + entry.name, entry


def list_entry(st: os.stat_result, found: bytes) -> list[Any]:
    """A file's entry in the list: its stat as the disk cache keeps it, and the digest of its bytes (hex)."""
    return [*_stat_key(st), found.hex()]


def read_list(spare_dir: Path) -> dict[str, list[Any]] | None:
    """The spare's list: each file's size, mtime, ctime, inode and digest (hex); None if it is missing or not
    whole (a header with its length and checksum, as the disk cache's files have)."""
    try:
        fd = os.open(spare_dir / SPARE_LIST, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            data = file.read()
        header, _, payload = data.partition(b"\n")
        fields = header.rsplit(b" ", 2)
        if fields[0] != SPARE_FORMAT or fields[1] != b"%d" % len(payload) or fields[2] != b"%08x" % zlib.crc32(
                payload):
            return None
        listed = orjson.loads(payload)
        if isinstance(listed, dict) and all(isinstance(entry, list) and len(entry) == 5 for entry in listed.values()):
            return listed
    except (OSError, ValueError, IndexError):
        pass
    return None


def make_way(folder: Path, out_path: str) -> None:
    """Clear the way for a file at `out_path` in a folder of ours (the spare): a file where one of its folders
    must be, or a folder where it must be, is deleted; its folders are made."""
    parts = out_path.split("/")
    for end in range(1, len(parts)):
        path = os.path.join(folder, *parts[:end])
        if os.path.lexists(path) and not os.path.isdir(path) or os.path.islink(path):
            os.unlink(path)
    target = os.path.join(folder, out_path)
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    os.makedirs(os.path.dirname(target), exist_ok=True)


def unlink_file(folder: Path, out_path: str) -> None:
    """Delete a file of a folder of ours, and the folders it leaves empty."""
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # gone, with its folder, to make way
        os.unlink(os.path.join(folder, out_path))
    parent = os.path.dirname(out_path)
    while parent:
        try:
            os.rmdir(os.path.join(folder, parent))
        except OSError:  # not empty
            return
        parent = os.path.dirname(parent)


def delete_folder(path: Path) -> None:
    """Delete a folder of ours (a link in its place is deleted, never followed)."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def write_list(spare_dir: Path, listed: dict[str, list[Any]]) -> None:
    """Write the spare's list, last: under a temporary name, then renamed into place."""
    payload = orjson.dumps(listed)  # compact, as json.dumps with separators gives, in a tenth of the time
    temporary = spare_dir / (SPARE_LIST + ".new")
    temporary.write_bytes(b"%s %d %08x\n%s" % (SPARE_FORMAT, len(payload), zlib.crc32(payload), payload))
    temporary.rename(spare_dir / SPARE_LIST)
