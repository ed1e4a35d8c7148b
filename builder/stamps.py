"""What says that an input file is still the one whose digest a build took: its stamp, the file's stat beside the
digest. The inputs are stamped before the check (stamp_inputs), their stats taken by a child forked as the process
starts (inputs_changed), which then stats the output files and their folders (outputs_changed): only the files
whose stat is not the kept one come back, and the folders' stamps, by which the build finds what changed in a
folder since (files_to_stat). A source the disk cache holds nothing of is stamped by the worker that checks it,
from the very bytes it parses (ReadStamps). The output files' stats a build leaves are kept so (output_entries)."""

from __future__ import annotations

import array
import contextlib
import functools
import itertools
import operator
import os
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path

from . import cache, parallel
from .cache import DiskCache, OutStamp, Stamp, file_stat_key

StatKey = tuple[int, int, int, int]
_DIGEST, _STAT = operator.itemgetter(4), operator.itemgetter(slice(4))  # of a stamp
# inputs_changed's answer: the files whose stat differs, those gone, and its listing's (see listed_as_before)
InputListing = tuple[tuple[list[str], list[str]], dict[str, tuple[int, int, int]], int] | None
Guarded = tuple[list[str], list[str], InputListing] | None
OutputsFound = tuple[list[str], list[str], bytes]  # outputs_changed's: files to stat, folders, their stamps packed
_FOLDER_STAMP = operator.attrgetter("st_ino", "st_mtime_ns", "st_ctime_ns")
INPUTS = ("site.yaml", "content", "templates")  # everything a build reads from the project


def stamp_inputs(root: Path, stamps: dict[str, Stamp], later: Collection[str], found_meanwhile: Guarded = None
                 ) -> tuple[dict[str, bytes], dict[str, StatKey]]:
    """Every input file's digest but those `later`, and the stat it was taken with: from its stamp while its stat
    is the same, or read and hashed (its stamp made again in `stamps`). `found_meanwhile`: inputs_changed's
    answer, the files whose stat is not their stamp's and the stamped ones gone; only the first are stat'ed here."""
    from .write import digest

    found: dict[str, bytes] = {}
    read_now: dict[str, StatKey] = {}
    now, top = time.time_ns(), str(root)
    if found_meanwhile is None:
        listed = input_files(root)
    else:  # every other file has its stamp's stat: its digest is the stamp's
        differ = set(found_meanwhile[0])
        take_kept(stamps, differ.union(found_meanwhile[1], later), found, read_now)
        listed = sorted(differ)
    for rel in listed:
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


def take_kept(kept: Mapping[str, Stamp], changed: Collection[str], digests: dict[str, bytes],
              stat_keys: dict[str, StatKey]) -> dict[str, Stamp]:
    """Into `digests` and `stat_keys`, each file's kept digest and stat but those `changed` (whose stat is not the
    one kept, or that are gone), in C's loops: 20,000 inputs, 30,000 output files. The changed ones' kept stamps."""
    same = [path for path in kept if path not in changed]
    stamps = list(map(kept.__getitem__, same))
    digests.update(zip(same, map(_DIGEST, stamps), strict=True))
    stat_keys.update(zip(same, map(_STAT, stamps), strict=True))
    return {path: kept[path] for path in changed if path in kept}


def inputs_changed(checks: Sequence[tuple[str, Mapping[str, Stamp]]]) -> list[Guarded]:
    """For each (project, its inputs' stamps): the input files whose stat is not their stamp's (or that have none),
    and the stamped ones no longer there; and what the listing found (the top's inputs, each folder's stamp taken
    before it was listed, the count of files), unless a folder was changed within the racy window. Run by a child
    forked as the process starts (stats_meanwhile): only the few that changed come back, not the stats of 20,000
    files."""
    found: list[Guarded] = []
    for root, stamps in checks:
        now, folders, top_inputs = time.time_ns(), {}, _top_inputs(Path(root))
        listed, top, differ = input_files(Path(root), folders, top_inputs), f"{root}/", []
        for rel in listed:
            stamp = stamps.get(rel)
            try:
                if stamp is not None and file_stat_key(os.stat(top + rel)) == stamp[:4]:
                    continue
            except OSError:
                pass
            differ.append(rel)
        racy = any(now - max(mtime, ctime) <= cache.RACY_NS for _, mtime, ctime in folders.values())
        listing = None if racy else (top_inputs, folders, len(listed))
        found.append((differ, sorted(set(stamps).difference(listed)), listing))
    return found


def listed_as_before(root: Path, listing: InputListing) -> int | None:
    """The count of input files the early child listed, if the listing would find the same files now: the top's
    inputs as they were, and every folder with the stamp it had before it was listed (a name added, removed or
    replaced in a folder changes its stamp); else None. A few stats, not a listing of 20,000 files."""
    if listing is None:
        return None
    top, folders, count = listing
    try:
        if _top_inputs(root) != top or list(map(_FOLDER_STAMP, map(os.stat, map(functools.partial(
                os.path.join, root), folders)))) != list(folders.values()):
            return None
    except OSError:
        return None
    return count


@contextlib.contextmanager
def stats_meanwhile(disk: DiskCache | None) -> Iterator[Callable[[], None]]:
    """The disk cache's inputs, then its output files, stat'ed by a forked child while the block runs: `disk` asks
    for each answer when it needs it (input_digests, verified_outputs), and stats only the files it names. The
    output files only once the block calls the function it gets: a build with nothing changed stats them itself,
    at once, and the child's stats would only take a core from it."""
    if disk is None or not (disk.usable and disk.stamps):
        yield lambda: None
        return
    with parallel.meanwhile_each([functools.partial(inputs_changed, [(str(disk.root), disk.stamps)]),
                                  functools.partial(outputs_changed, str(disk.out_dir), disk.outputs)]) as found:
        disk.meanwhile = found
        try:
            yield functools.partial(found.start, 1)
        finally:
            disk.meanwhile = None


def outputs_changed(out_dir: str, outputs: Mapping[str, Stamp]) -> OutputsFound:
    """The output files whose stat is not the one the last build kept, or that are gone (every other one is the
    very file it wrote), and the folders holding them, each with its stamp (inode, mtime, ctime) taken before its
    files' stats. Run by the early child (stats_meanwhile): only the few files that changed come back, not 30,000
    stats. A name added, removed or replaced in a folder since changes its stamp (files_to_stat): the files of a
    folder last changed within the racy window, where a change in the same timestamp tick could leave its stamp as
    it was, are named here with the changed ones; as are those of a folder that cannot be stat'ed."""
    now, top = time.time_ns(), f"{out_dir}/"
    folders, stamps, racy = [], array.array("q"), set()
    for rel in sorted({out_path.rpartition("/")[0] for out_path in outputs}):
        try:
            st = os.stat(top + rel)  # through a link: public/ -> www/ is stamped as www/, which builds swap
        except OSError:
            racy.add(rel)
            continue
        if now - max(st.st_mtime_ns, st.st_ctime_ns) <= cache.RACY_NS:
            racy.add(rel)
            continue
        folders.append(rel)
        stamps.extend((st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
    changed = []
    for out_path, kept in outputs.items():
        try:
            if not (racy and out_path.rpartition("/")[0] in racy) and file_stat_key(os.lstat(top + out_path)) \
                    == kept[:4]:
                continue
        except OSError:
            pass
        changed.append(out_path)
    return changed, folders, stamps.tobytes()


def files_to_stat(out_dir: Path, outputs: Mapping[str, Stamp], found: OutputsFound) -> set[str]:
    """The output files to stat again, from outputs_changed's answer: those it named, and every file of a folder
    whose stamp is no longer the one it took (a file added, removed or replaced there since, or the whole folder
    swapped for another build's). A file edited in place is seen by the save (output_entries). The folders'
    stamps are taken in C's loops and compared whole: 10,622 at 10,000 pages, a third of the files' stats."""
    changed, folders, packed = found
    top, moved = f"{out_dir}/", set(folders)
    try:
        now = list(map(_FOLDER_STAMP, map(os.stat, map(top.__add__, folders))))
    except OSError:  # a folder gone: each file is stat'ed
        now = None
    if now is not None:
        if array.array("q", itertools.chain.from_iterable(now)).tobytes() == packed:
            return set(changed)
        flat = array.array("q", packed).tolist()
        moved = {rel for rel, stamp, was in zip(folders, now, zip(flat[0::3], flat[1::3], flat[2::3], strict=True),
                                                strict=True) if stamp != was}
    return set(changed).union(out_path for out_path in outputs if out_path.rpartition("/")[0] in moved)


def output_entries(out_dir: Path, digests: Mapping[str, bytes], stamps: Mapping[str, StatKey],
                   verified: Mapping[str, StatKey]) -> tuple[dict[str, OutStamp], list[str]]:
    """The disk cache's entry (stat and digest) of each output file a build leaves, and the marker's; and the files
    written to since `verified` (verified_outputs) found them ours, which are not kept: the next build makes them
    again. `stamps`: files' stats taken with their digests (write.Output.stamps), kept as they are; the rest stat'ed."""
    from .write import MARKER, digest

    top, edited = f"{out_dir}/", []
    outputs = {out_path: (*stamp, found) for out_path, found in digests.items()
               if (stamp := stamps.get(out_path)) is not None}
    for out_path in [*(out_path for out_path in digests if out_path not in outputs), MARKER]:
        try:  # the marker too: a folder without it is not ours until a build takes it over
            st = os.lstat(top + out_path)
            if (seen := verified.get(out_path)) and st.st_ino == seen[3] and (
                    st.st_size, st.st_mtime_ns) != seen[:2]:  # the same file, written to since (by hand)
                edited.append(out_path)
                continue
            found = digests[out_path] if out_path != MARKER else digest(Path(top + out_path).read_bytes())
        except OSError:
            continue
        outputs[out_path] = (*file_stat_key(st), found)
    return outputs, edited


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


def input_files(root: Path, folders: dict[str, tuple[int, int, int]] | None = None,
                top: tuple[list[str], list[str]] | None = None) -> list[str]:
    """Every file under the inputs, by path from the root (a link is a file here), sorted; hidden ones (an
    editor's, say) are not read by a build. `folders`, if given, gets each folder's stamp (inode, mtime, ctime),
    taken before it is listed; `top`: the top's inputs, as _top_inputs just found them."""
    found, pending = (list(top[0]), list(top[1])) if top is not None else _top_inputs(root)
    while pending:
        rel = pending.pop()
        path = os.path.join(root, rel)
        with contextlib.suppress(OSError):
            if folders is not None:
                folders[rel] = _FOLDER_STAMP(os.stat(path))
            with os.scandir(path) as entries:
                for entry in entries:  # the kind of each entry comes with the listing: no stat
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(f"{rel}/{entry.name}")
                    else:
                        found.append(f"{rel}/{entry.name}")
    return sorted(found)


def _top_inputs(root: Path) -> tuple[list[str], list[str]]:
    """The inputs at the project's top: those that are files (or links), and the folders."""
    found = [name for name in INPUTS if os.path.lexists(os.path.join(root, name))
             and not (os.path.isdir(os.path.join(root, name)) and not os.path.islink(os.path.join(root, name)))]
    return found, [name for name in INPUTS if name not in found and os.path.isdir(os.path.join(root, name))]
