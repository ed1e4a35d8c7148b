"""What is remembered between builds, so that a rebuild redoes only what changed: each content file's parse, each
source's validated records with its claims, each page with what it was made from, and each output file's digest.

In a warm builder (the preview's), `Cache`, in one process (a build that uses it runs there, parallel.one_process):
unchanged things are recognised by identity. The parse of an unchanged file is the very object it was, so are the
records validated from it, so a page whose records are the very same objects is the same page.

Between command-line builds, `DiskCache`, in the project's .cache/sitebuilder/: unchanged things are recognised by
their content's digests and the builder's version.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import marshal
import os
import pickle
import re
import stat
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .themes import THEME_DIR
from .unitfiles import Buffer, pack_units, pickle_units, unpack_units

if TYPE_CHECKING:
    from .cards import Card
    from .errors import ContentError
    from .model import Site
    from .render import PageResult
    from .stamps import InputListing
    from .units import UnitRecords
    from .urls import PageJob
    from .write import Output

T = TypeVar("T")
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
    exports: dict[str, tuple[tuple[Any, ...], Any]] = field(default_factory=dict)  # each source's downloads
    comparisons: dict[str, tuple[tuple[Any, ...], Any]] = field(default_factory=dict)  # each question's
    compared_under: Any = None  # the site's own files' records the comparisons were made under
    exports_shared: tuple[Any, ...] | None = None  # what every source's downloads were made under

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

    # ------------------------------------------------------------ comparisons
    def compare_under(self, globals_: Any) -> None:
        """Forget every question's comparison if the site's own files' records (`globals_`) changed."""
        if globals_ != self.compared_under:
            self.comparisons = {}
        self.compared_under = globals_

    def comparison(self, question_id: str, claims: list[Any], make: Callable[[], T]) -> T:
        """A question's comparison (compare.compare_all), kept while the claims that answer it are the very same
        objects (and so are their sources: a source validated again has new claims)."""
        known = self.comparisons.get(question_id)
        if known is not None and _same(known[0], tuple(claims)):
            return known[1]  # type: ignore[no-any-return]
        made = make()
        self.comparisons[question_id] = (tuple(claims), made)
        return made

    # ------------------------------------------------------------ pages
    def reusable_pages(self, site: Site, templates: tuple[Any, ...], output: Output, inputs: dict[PageJob, Any]
                       ) -> dict[PageJob, PageEntry]:
        """The pages that need not be made again: their records are the very same objects, the templates
        (template_files, as this build read them) the same, and the folder (updated in place) still holds what
        they gave. What this build makes is proposed, for confirm()."""
        shared = shared_inputs(site, templates)
        self.proposed = (shared, {})
        if shared != self.shared or not output.in_place or output.known is None:
            return {}
        from .staged import Staged

        known = output.known
        return {job: entry for job, entry in self.pages.items()
                if inputs.get(job) is not None and _same(entry[0], inputs[job])
                and isinstance(staged := entry[1][0], Staged) and known.get(staged.out_path) == staged.digest}

    def propose_page(self, job: PageJob, inputs: tuple[Any, ...] | None, result: PageResult) -> None:
        if inputs is not None and self.proposed is not None:
            self.proposed[1][job] = (inputs, result)

    # ------------------------------------------------------------ downloads
    def export(self, source_id: str, records: tuple[Any, ...]) -> Any:
        """A source's share of the downloads and its files' digests (downloads.stage_downloads), kept while its
        records are the very same objects and the site's own files are the same; "" is the whole files'."""
        shared = self.proposed[0] if self.proposed is not None else None
        if shared is None:
            return None
        if self.exports_shared is not shared:
            if self.exports_shared != shared:
                self.exports = {}
            self.exports_shared = shared
        known = self.exports.get(source_id)
        return known[1] if known is not None and _same(known[0], records) else None

    def keep_export(self, source_id: str, records: tuple[Any, ...], entry: Any) -> None:
        if self.proposed is not None and self.exports_shared is self.proposed[0]:
            self.exports[source_id] = (records, entry)

    def placed(self) -> dict[str, Any] | None:
        """The layout of the last build's whole downloads: a warm builder keeps each source's share itself
        (export), and makes the whole files from them."""
        return None

    def keep_placed(self, files: Mapping[str, tuple[int, bytes]], own: Mapping[str, bytes],
                    sections: Mapping[str, Any]) -> None:
        pass

    def confirm(self, digests: dict[str, bytes]) -> None:
        """What this build made is now in place."""
        if self.proposed is not None:
            self.shared, self.pages = self.proposed
        self.proposed = None
        self.written = dict(digests)

    def forget_pages(self) -> None:
        """A build failed while writing: what the folder holds is no longer known."""
        self.shared, self.pages, self.proposed = (), {}, None


def shared_inputs(site: Site, templates: tuple[Any, ...]) -> tuple[Any, ...]:
    """What every page may show: the site's own files' records (all but the sources, the claims and what is
    computed from them), compared by value between builds (they are validated anew each time), and the
    templates."""
    return (*(getattr(site, f.name) for f in fields(site) if f.name not in ("sources", "claims", "comparisons")),
            templates)


def template_files(templates_dir: Path) -> tuple[tuple[str, bytes], ...]:
    """Every file of the site's templates, then the theme's, with its content's digest. Read before Jinja reads
    them: a save that lands after is then a change for the next build. (Their stats, taken after Jinja had read
    them, hid such a save, and the preview kept showing the pages of the template before it.)"""
    from .write import digest

    return tuple((path.as_posix(), digest(path.read_bytes()))
                 for folder in (templates_dir, THEME_DIR)
                 for path in sorted(folder.rglob("*")) if path.is_file())


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether two pages' inputs are the same: their records the very same objects (a source validated again is
    a new one, with new claims), their other values equal."""
    from .model import Claim, Source

    return len(a) == len(b) and all(x is y or (type(x) is type(y) and not isinstance(x, (Claim, Source)) and x == y)
                                    for x, y in zip(a, b, strict=True))


def _same_objects(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether two tuples hold the very same parse results (by identity) under the same ids (by value)."""
    return len(a) == len(b) and all(
        x is y or (type(x) is str and x == y) or (type(x) is tuple and type(y) is tuple and _same_objects(x, y))
        for x, y in zip(a, b, strict=True))


# ==================================================================== between processes: the on-disk cache
# What a command-line build remembers for the next one, in the project's .cache/sitebuilder/ (one folder per
# output folder): each input file's content digest (trusted by its stat, as git trusts its index), each source's
# validated records, each page's inputs and output digest, and the digest and stat of each output file. Every key is
# made of content digests and the builder's version, so an entry is right for whatever files give the same key.
# Each file of the cache is written whole under a new name and renamed into place, and starts with a header (format,
# builder version, length, checksum): a file from another version, damaged, truncated or half-written by a killed
# build is ignored with a one-line notice, and the build does the work itself.

CACHE_DIR = (".cache", "sitebuilder")
FORMAT = 2
MAGIC = b"sitebuilder-cache"
KEY_BYTES = 16  # of a key's digest, as of an output file's (digests.DIGEST)
SHARDS = 64  # the sources' records are kept in this many files: an edit rewrites one
SMALL_GROUP, SMALL_GROUPS = 16, 8  # a shard's groups of fewer sources than this are made one when more than that
TEMPORARY = re.compile(r"\.[a-z]+(-[0-9]+)?\.bin\.[0-9]+")  # a cache file's name while it is written (_write)
JOURNAL_PART = 4  # pages.bin's changes are kept beside it (journal.bin) while at most 1/JOURNAL_PART of its size
FORMER = re.compile(r"exports-[0-9]{2}\.bin")  # each source's share of the downloads, no longer kept (export)
RACY_NS = 2_000_000_000  # a file changed this recently may change again within the same timestamp tick

Stamp = tuple[int, int, int, int, bytes]  # size, mtime_ns, ctime_ns, inode; the content's digest
OutStamp = tuple[int, int, int, int, bytes]  # an output file's, the same way


def builder_version() -> bytes:
    """The digest of the builder's own files (its code and its default theme), the Python that runs it and the
    installed packages' versions: a cache written under any other is not used."""
    import sysconfig

    hashing = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        hashing.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    site_packages = sysconfig.get_paths()["purelib"]
    with contextlib.suppress(OSError):
        hashing.update("\0".join(sorted(n for n in os.listdir(site_packages) if n.endswith(".dist-info"))).encode())
    hashing.update(str(FORMAT).encode())
    return hashing.digest()[:16]


def key_of(*parts: object) -> bytes:
    """A digest of values whose repr is stable (strings, bytes, numbers, dates, tuples of them)."""
    return hashlib.sha256(repr(parts).encode()).digest()[:KEY_BYTES]


def unit_key(global_key: bytes, unit_id: str, source: bytes, claims: bytes) -> bytes:
    """A source's key: the site's own files' key, its id and its two files' digests (b"" for a file it has not),
    hashed as they are, without key_of's repr: a build makes 10,000."""
    return hashlib.sha256(b"%s%c%c%s%s%s" % (global_key, len(source), len(claims), source, claims,
                                              unit_id.encode())).digest()[:KEY_BYTES]


class DiskCache:
    """The on-disk cache of one output folder's builds: read when a build starts, saved when it succeeds."""

    def __init__(self, root: Path, out_dir: Path, settings: tuple[object, ...], *, version: bytes | None = None,
                 notes: Sequence[ContentError] = ()) -> None:
        self.root, self.out_dir = root, Path(os.path.abspath(out_dir))
        self.version = version if version is not None else builder_version()
        self.folder = root.joinpath(*CACHE_DIR) / ("out-" + key_of(str(self.out_dir)).hex()[:16])
        self.settings = settings  # what else a build's output depends on: --as-of, --base-url
        self.notices: list[str] = []
        # A cache folder that leads out of the project (a link) is neither read nor written.
        self.outside = outside_project_folder(self.folder, root)
        if self.outside:
            self.notices.append(f"note: {'/'.join(CACHE_DIR)} leads out of the project; building without a cache")
        index = None if self.outside else self._read("index", marshal.loads)  # written by C without a memo
        self.usable = index is not None  # without its index, no other file of the cache is read
        index = index or {}
        self.stamps: dict[str, Stamp] = index.get("stamps", {})
        self.outputs: dict[str, OutStamp] = index.get("outputs", {})
        self.whole: bytes | None = index.get("whole")  # every input's digest, of the last build
        self.count: int = index.get("count", 0)
        # The last build's notes (errors.note), printed again by a build with nothing to do; save keeps `notes`.
        self.notes_before: list[str] = index.get("notes", [])
        self.notes = notes
        # What pages and the share cards gave, in a file of their own: a build with nothing changed never reads
        # it, nor imports the renderer whose records it holds.
        self._made_before: dict[str, Any] | None = None
        self._base: dict[str, Any] | None = None  # pages.bin as read, without its journal's changes
        self.shards: dict[int, dict[str, tuple[bytes, Buffer]]] = {}  # read as needed: unit: key, pickled records
        self.groups: dict[int, tuple[Buffer, dict[str, UnitRecords]]] = {}  # each pickled group, unpickled
        self.dirty: set[int] = set()
        self.digests: dict[str, bytes] = {}  # this build's: each input file's digest, by path from the root
        self.read_now: dict[str, tuple[int, int, int, int]] = {}  # the stat each digest was taken with
        self.unit_keys: dict[str, bytes] = {}
        self.unit_files: dict[str, tuple[str | None, str | None]] = {}  # each source's file and claims file
        self.later: set[str] = set()  # the files left to the check's workers to hash (start)
        self.taken: set[str] = set()  # the sources whose records came from the cache: their files were not read
        self.made: dict[Any, tuple[bytes, Any, Any, tuple[str, ...]]] = {}  # job: key, Staged, citations, sources
        self.page_units: dict[Any, tuple[str, ...]] = {}  # the sources each page's key includes (pagekeys.py)
        self.ahead: dict[str, Path] = {}  # files written before the save, under temporary names (write_ahead)
        self.layout: dict[str, Any] | None = None  # placed()'s, read as needed
        self.layout_now: dict[str, Any] | None = None  # this build's, to save
        self.memos_now: dict[str, tuple[bytes, Any]] = {}  # this build's memos
        self.global_key = self.page_key_base = b""
        self.reprs: dict[int, tuple[Any, bytes]] = {}  # pagekeys': each value's repr, by the value's id
        self.stamps_found: dict[str, tuple[int, int, int, int]] = {}  # verified_outputs': each file's stat
        self.meanwhile: Any = None  # stats_meanwhile's: a function for the inputs' answer, one for the outputs'
        self.listing: InputListing = None  # the early child's listing of the inputs, for check_inputs
        # check_inputs': None before it ran; the inputs' whole key if none changed; b"" if one did
        self.whole_now: bytes | None = None

    @property
    def pages(self) -> dict[Any, tuple[bytes, Any, Any, tuple[str, ...]]]:
        """Each page the last build made: job: key, Staged, citations, the sources its key includes."""
        return self._made()["pages"]  # type: ignore[no-any-return]

    @property
    def memos(self) -> dict[str, tuple[bytes, Any]]:
        """What memo() kept: name: key, value."""
        return self._made()["memos"]  # type: ignore[no-any-return]

    def _made(self) -> dict[str, Any]:
        """pages.bin, with the changes since it was written (journal.bin, see _write_pages) made in it."""
        if self._made_before is None:
            self._base = self._read("pages") if self.usable else None
            made = self._base or {"pages": {}, "memos": {}}
            journal = self._read("journal") if self._base is not None else None
            if journal is not None:
                made = {"pages": {**made["pages"], **journal["pages"]}, "memos": {**made["memos"], **journal["memos"]}}
                for job in journal["gone"]:
                    made["pages"].pop(job, None)
                for name in journal["memos_gone"]:
                    made["memos"].pop(name, None)
            self._made_before = made
        return self._made_before

    # ------------------------------------------------------------ the files of the cache
    def _read(self, name: str, unpack: Callable[[memoryview], Any] = pickle.loads) -> Any:
        """A cache file's contents, or None (with a notice for one that is there but cannot be used)."""
        path = self.folder / f"{name}.bin"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._notice(f"cannot read {self._shown(path)} ({exc.strerror})")
        end = data.find(b"\n") % (len(data) + 1)  # as partition does, without copying the payload (180 MB)
        header, payload = data[:end], memoryview(data)[end + 1:]
        fields = header.split(b" ")
        if len(fields) != 5 or fields[0] != MAGIC or fields[1] != str(FORMAT).encode():
            return self._notice(f"{self._shown(path)} is not a cache this builder wrote")
        if fields[2] != self.version.hex().encode():
            return self._notice(f"{self._shown(path)} was written by another version of the builder")
        if not fields[3].isdigit() or int(fields[3]) != len(payload):
            return self._notice(f"{self._shown(path)} is truncated")
        if fields[4] != b"%08x" % zlib.crc32(payload):
            return self._notice(f"{self._shown(path)} is damaged")
        try:
            return unpack(payload)
        except Exception:  # a checksum that matches damaged data: nothing from it is used
            return self._notice(f"{self._shown(path)} is damaged")

    def _write(self, name: str, value: Any, payload: Sequence[Buffer] | None = None) -> None:
        """Write a cache file whole under a temporary name, then rename it into place."""
        os.replace(self._write_temporary(name, value, payload), self.folder / f"{name}.bin")

    def _write_temporary(self, name: str, value: Any, payload: Sequence[Buffer] | None = None) -> Path:
        """A cache file written whole under a temporary name (TEMPORARY), which this process's id ends; `payload`:
        the value pickled already, in pieces written one after another (pack_units)."""
        payload = payload if payload is not None else [pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)]
        crc = 0
        for piece in payload:
            crc = zlib.crc32(piece, crc)
        header = b"%s %d %s %d %08x\n" % (MAGIC, FORMAT, self.version.hex().encode(), sum(map(len, payload)), crc)
        temporary = self.folder / f".{name}.bin.{os.getpid()}"
        try:
            with open(temporary, "wb") as out:
                out.write(header)
                for piece in payload:
                    out.write(piece)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return temporary

    def _inside(self) -> bool:
        """Whether the cache's folder is inside the project: asked again before each write or deletion there (a link
        may have been put on its way since the build began)."""
        return not (self.outside or outside_project_folder(self.folder, self.root))

    def _unwrite(self, name: str) -> None:
        """Forget a file written ahead: what it holds changed since."""
        with contextlib.suppress(OSError, KeyError):
            self.ahead.pop(name).unlink()

    def clear_leftovers(self) -> None:
        """Delete the temporary files that killed builds left, and the files earlier builders kept that this one
        does not (FORMER). The cache folder is this build's alone while it holds the output folder
        (write.hold_out_dir), so any such file but those written ahead is a leftover."""
        if not self._inside():
            return
        ours = {temporary.name for temporary in self.ahead.values()}
        with contextlib.suppress(OSError), os.scandir(self.folder) as entries:
            for entry in entries:
                if (TEMPORARY.fullmatch(entry.name) and entry.name not in ours) or FORMER.fullmatch(entry.name):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def _notice(self, text: str) -> None:
        if not self.notices:  # one is enough: the cache's files are written together
            self.notices.append(f"note: {text}; building without it")
        return None

    def _shown(self, path: Path) -> str:
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    # ------------------------------------------------------------ input files
    def input_digests(self, later: Collection[str] = frozenset()) -> dict[str, bytes]:
        """Every input file's content digest, by path from the root: from its stamp while its stat is the same.
        Those `later` are left to the check's workers (start)."""
        from .stamps import stamp_inputs

        found = self.meanwhile[0]()[0] if self.meanwhile else None  # the early child's, if any
        self.listing = found[2] if found else None
        self.digests, self.read_now = stamp_inputs(self.root, self.stamps, later, found)
        return self.digests

    def _whole_key(self, digests: Mapping[str, bytes]) -> bytes:
        """One key for the settings and every input file's path and digest: equal only if nothing a build reads
        changed. The paths joined by NUL (a path has none) and encoded at once, then the digests joined (each DIGEST
        bytes), both lengths in front: not key_of's repr, nor a piece a file (20,000 files at 10,000 pages). A name
        that is not UTF-8 (a user's note in Latin-1) is joined as its own bytes."""
        rels = sorted(digests)
        paths, found = os.fsencode("\0".join(rels)), b"".join(map(digests.__getitem__, rels))
        return hashlib.sha256(b"%s\0%d\0%d\0%s%s" % (repr(self.settings).encode(), len(paths), len(found), paths,
                                                      found)).digest()[:KEY_BYTES]

    def unchanged(self) -> bool:
        """Whether nothing the last build read or wrote has changed since: then this build has nothing to do.

        Not while anything a build leaves beside the folder is there (a killed build's staging folder, a live
        build's lock): a build that holds the folder clears or reports it.
        """
        from .write import left_beside

        real = Path(os.path.realpath(self.out_dir))  # builds leave their lock beside the folder a link leads to
        if self.whole is None or not self.outputs or left_beside(real):
            return False
        if self._whole_key(self.input_digests()) != self.whole:
            return False
        return len(self.verified_outputs(wait=False)) == len(self.outputs)

    def start(self, unit_ids: dict[str, tuple[str | None, str | None]]) -> None:
        """Make this build's keys: every global file's digest, and each source's with its claims file's.

        A source the cache holds no records of needs no key before it is checked (there is nothing to reuse): its
        files are left to the worker that checks it, which hashes the very bytes it parses (stamps.ReadStamps), and
        keep_units makes its key. On a cold cache, that is every source: this process hashes only the rest."""
        self.unit_files = unit_ids
        if not self.digests:  # (a cache that holds records of a source has its shard read by unit() anyway)
            self.later = {path for unit_id, pair in unit_ids.items()
                          if not (self.usable and unit_id in self._shard(unit_id)) for path in pair if path}
            self.input_digests(self.later)
        digests = self.digests
        in_units = {path for pair in unit_ids.values() for path in pair if path}
        self.global_key = key_of(self.settings, sorted((p, d) for p, d in digests.items()
                                                       if p not in in_units and not p.startswith("templates/")))
        self.page_key_base = key_of(self.global_key, sorted((p, d) for p, d in digests.items()
                                                            if p.startswith("templates/")))
        self.unit_keys = {unit_id: unit_key(self.global_key, unit_id, digests.get(source or "", b""),
                                            digests.get(claims or "", b""))
                          for unit_id, (source, claims) in unit_ids.items()
                          if (source is None or source in digests) and (claims is None or claims in digests)}

    def _late_key(self, unit_id: str) -> bytes | None:
        """The key of a source whose files a worker hashed, made as start makes the others'."""
        source, claims = self.unit_files.get(unit_id, (None, None))
        if (source is not None and source not in self.digests) or (claims is not None and claims not in self.digests):
            return None
        key = self.unit_keys[unit_id] = unit_key(self.global_key, unit_id, self.digests.get(source or "", b""),
                                                 self.digests.get(claims or "", b""))
        return key

    # ------------------------------------------------------------ validated sources and claims
    # A shard maps each source to its key and the pickle that holds its records: one pickle for a group of sources
    # of that shard checked together (pickle_units), not one each. Unpickling 9,792 sources one at a time cost a
    # quarter more than in groups of a few dozen. An edit checks its source again alone: its new records come in a
    # group of their own; the old group still holds its old copy, unused (and dropped once compacted).
    def unit(self, unit_id: str) -> UnitRecords | None:
        """The records validated from these very files of a source and its claims, if the cache has them."""
        key = self.unit_keys.get(unit_id)
        found = self._shard(unit_id).get(unit_id) if key is not None else None
        if found is None or found[0] != key:
            return None
        records = self._group(found[1]).get(unit_id)
        if records is not None:
            self.taken.add(unit_id)
        return records

    def _group(self, pickled: Buffer) -> dict[str, UnitRecords]:
        """The records in one of the shards' pickles, unpickled once ({} for one that does not unpickle)."""
        known = self.groups.get(id(pickled))
        if known is None or known[0] is not pickled:  # an id is reused once its object is gone
            try:
                group = pickle.loads(pickled)
            except Exception:
                group = {}
            group = group if isinstance(group, dict) else {}
            known = self.groups[id(pickled)] = (pickled, group)
        return known[1]

    def keep_units(self, pickled: bytes, read: Mapping[str, tuple[tuple[int, int, int, int], Stamp]] | None = None
                   ) -> dict[str, UnitRecords]:
        """Keep a group of sources' records of one shard, as pickle_units gave them (a worker sends them so), with
        what the worker `read` of the files left to it; return them, unpickled."""
        for rel, (stat_key, stamp) in (read or {}).items():  # as input_digests would have taken them
            if rel in self.later and rel not in self.digests:
                self.digests[rel], self.read_now[rel], self.stamps[rel] = stamp[4], stat_key, stamp
        group = self._group(pickled)
        shards = set()
        for unit_id, records in group.items():
            key = self.unit_keys.get(unit_id) or self._late_key(unit_id)
            if key is None or records.errors:  # errors are reported again, so they are found again
                continue
            self._shard(unit_id)[unit_id] = (key, pickled)
            shards.add(shard_of(unit_id))
        for number in shards:
            self._compact(self.shards[number])
            if self.ahead:
                self._unwrite(f"units-{number:02d}")
        self.dirty |= shards
        if shards:  # the groups come in their shards' order (check_site): a shard before this one is whole now
            self._write_ahead([number for number in self.dirty if number < min(shards)])
        return group

    def release_groups(self) -> None:
        """Every source's records are taken: the groups are let go (what the site keeps of them lives on with it,
        the rest, as each source's UnitRecords, would stay in memory for the whole build)."""
        self.groups = {}

    def _compact(self, shard: dict[str, tuple[bytes, Buffer]]) -> None:
        """Once a shard holds more than SMALL_GROUPS groups of a few sources (an edit's), they are made one."""
        live = Counter(id(pickled) for _, pickled in shard.values())
        small = [unit_id for unit_id, (_, pickled) in shard.items() if live[id(pickled)] < SMALL_GROUP]
        if len({id(shard[unit_id][1]) for unit_id in small}) <= SMALL_GROUPS:
            return
        group = {unit_id: records for unit_id in small
                 if (records := self._group(shard[unit_id][1]).get(unit_id)) is not None}
        pickled = pickle_units(group)
        self.groups[id(pickled)] = (pickled, group)
        for unit_id in small:
            if unit_id in group:
                shard[unit_id] = (shard[unit_id][0], pickled)
            else:
                del shard[unit_id]

    def _shard(self, unit_id: str) -> dict[str, tuple[bytes, Buffer]]:
        number = shard_of(unit_id)
        if number not in self.shards:
            self.shards[number] = (self._read(f"units-{number:02d}", unpack_units) if self.usable else None) or {}
        return self.shards[number]

    # ------------------------------------------------------------ pages and output files
    def reusable_pages(self, keys: dict[PageJob, bytes | None], known: Mapping[str, bytes]) -> dict[PageJob, Any]:
        """The pages whose key is the same and whose output file still holds what they gave: (Staged, citations)."""
        found = {}
        for job, key in keys.items():
            entry = self.pages.get(job)
            if key is not None and entry is not None and entry[0] == key and known.get(entry[1].out_path) == \
                    entry[1].digest:
                found[job] = (entry[1], entry[2])
        return found

    def keep_page(self, job: PageJob, key: bytes, staged: Any, citations: Any) -> None:
        """A page as the next build finds it: its key, what it gave, and the sources its key includes."""
        kept = staged if not staged.written and staged.stamp is None else replace(staged, written=False, stamp=None)
        self.made[job] = (key, kept, citations, self.page_units.get(job, ()))

    def verified_outputs(self, wait: bool = True) -> dict[str, bytes]:
        """The digest of each output file the last build wrote that still holds what it wrote: by its stat (or only
        those the early child found changed), or else by its bytes (a folder restored from elsewhere, as CI's cache
        does). Not `wait` (nothing changed: nothing to do beside it), every file stat'ed here, not by the child."""
        from .stamps import files_to_stat, take_kept
        from .write import digest

        found, out_dir, stamps = {}, f"{self.out_dir}/", self.stamps_found
        early = self.meanwhile if self.meanwhile and self.meanwhile.forked and wait else None  # (else stat'ed here)
        changed = files_to_stat(self.out_dir, self.outputs, early[1]()) if early else None
        outputs = self.outputs if changed is None else take_kept(self.outputs, changed, found, stamps)
        for out_path, kept in outputs.items():  # the rest one by one, tuples compared whole
            path = out_dir + out_path
            try:
                st = os.lstat(path) if changed is None or out_path in changed else None
                stat_key = file_stat_key(st) if st is not None else kept[:4]
                if stat_key == kept[:4] or (st is not None and st.st_size == kept[0] and stat.S_ISREG(st.st_mode)
                                            and digest(Path(path).read_bytes()) == kept[4]):
                    found[out_path], stamps[out_path] = kept[4], stat_key
            except OSError:
                continue
        return found

    def comparison(self, question_id: str, claims: list[Any], make: Callable[[], T]) -> T:
        """A question's comparison (compare.compare_all), kept under the site's own files' key and the keys of the
        sources whose claims answer it: it is made from those alone."""
        units = sorted({claim.source_id for claim in claims})
        keys = [self.unit_keys.get(unit_id) for unit_id in units]
        if None in keys:
            return make()
        return self.memo(f"compare {question_id}", key_of(self.global_key, question_id, units, keys), make)

    # ------------------------------------------------------------ downloads
    def export(self, source_id: str, records: tuple[Any, ...]) -> Any:
        """The whole downloads' digests (`source_id` ""), kept under every source's key; None for a source.

        No source's share of the downloads is kept (95 MB at 10,000 sources, a fifth of a cold build's cache work):
        the layout (placed) says where each unchanged source's records lie in the folder's whole files and what
        its own files' digests are, so an edit splices them. Only a folder whose whole files are not as the layout
        says (edited, damaged) needs every share, and makes them, as a build without a cache does."""
        if source_id != "":
            return None
        key = hashlib.sha256(b"\0".join([self.global_key, *itertools.chain.from_iterable(  # 10,000 keys joined
            (unit_id.encode(), unit_key) for unit_id, unit_key in sorted(self.unit_keys.items()))])).digest()
        known = self.memos.get("downloads")
        self.memos_now["downloads"] = (key, None)  # until keep_export says what this build made
        return known[1] if known is not None and known[0] == key else None

    def keep_export(self, source_id: str, records: tuple[Any, ...], entry: Any) -> None:
        if source_id == "":
            self.memos_now["downloads"] = (self.memos_now["downloads"][0], entry)

    def placed(self) -> dict[str, Any] | None:
        """The layout of the whole downloads the last build made (downloads.stage_downloads splices them): `files`,
        each one's size and digest; `sections`, where each source's records lie in them (splice.Layout); `own`,
        each source's own files' digests (json, csv; b"" where it has none); and `reused`, the sources whose key
        is the same as then. In a file of its own, packed: a build reads every record's place but no bytes."""
        from .splice import unpack_layout  # splice.py reads the cache's stat rule: imported when needed

        if self.layout is None:
            packed = (self._read("downloads") if self.usable else None) or {}
            self.layout = unpack_layout(packed, self.unit_keys) if packed else {}
        return self.layout or None

    def keep_placed(self, files: Mapping[str, tuple[int, bytes]], own: Mapping[str, tuple[bytes, bytes]],
                    sections: Mapping[str, Any]) -> None:
        """Keep the layout of this build's whole downloads (see placed), under each source's key."""
        from .splice import pack_layout

        self.layout_now = pack_layout(files, own, sections, self.unit_keys)

    def memo(self, name: str, key: bytes, make: Callable[[], T]) -> T:
        """What make() gives, kept under `key`: made again only when the key changes. Only what this build asked
        for is saved."""
        known = self.memos.get(name)
        if known is None or known[0] != key:
            known = (key, make())
        self.memos_now[name] = known
        return known[1]  # type: ignore[no-any-return]

    def cards_to_draw(self, cards: Sequence[Card], keys: Mapping[str, bytes] | None = None) -> list[Card]:
        """The cards whose SVG changed since their PNG was kept (all of them, the first time); `keys`: each card's
        key by its out path, where they are made already. A card with no PNG kept needs no key (its SVG) to tell."""
        return [card for card in cards if (kept := self.memos.get(f"card {card.out_path}")) is None
                or kept[0] != (keys[card.out_path] if keys is not None else _card_key(card))]

    def draw_cards(self, cards: Sequence[Card], draw: Callable[[Sequence[Card]], list[bytes]] | None = None
                   ) -> list[bytes]:
        """Share cards' PNGs, each drawn again (by `draw`, or here) only when its SVG changes: a card with a map
        takes tens of ms."""
        from .cards import render_cards

        keys = {card.out_path: _card_key(card) for card in cards}  # an SVG carries the map: made once a card
        todo = self.cards_to_draw(cards, keys)
        drawn = dict(zip([card.out_path for card in todo], (draw or render_cards)(todo), strict=True))
        return [self.memo(f"card {card.out_path}", keys[card.out_path], lambda card=card: drawn[card.out_path])
                for card in cards]

    # ------------------------------------------------------------ saving
    def write_ahead(self) -> None:
        """Write now, under temporary names, the cache's files that nothing later in the build changes: each
        source's records (final once the site is checked); and let go of them, which the build does not read again
        (80 MB at 10,000 sources).

        Called once the site is checked, before the page workers fork (so they never hold the records), it takes
        most of the save's writing off the end of the build. save renames them into place, or deletes them if it
        keeps nothing; so does abandon if the build fails, and the next build (clear_leftovers) if it is killed. (A
        source's records kept after this, which no build does, would be saved with what the cache held before: a
        shard missing this build's, still right.) Each shard is written as soon as the check has sent all of its
        sources' records (keep_units), while the check's workers go on; this call writes the last ones."""
        self._write_ahead(list(self.dirty))
        for number in [number for number in self.shards if number not in self.dirty]:
            del self.shards[number]

    def _write_ahead(self, numbers: list[int]) -> None:
        if not numbers or not self._inside():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for number in sorted(numbers):
                self.ahead[f"units-{number:02d}"] = self._write_temporary(f"units-{number:02d}", None,
                                                                          pack_units(self.shards[number]))
                self.dirty.discard(number)
        except OSError:
            pass  # what is not written ahead is written by save, which says what went wrong

    def _changed_files(self) -> list[tuple[str, list[Buffer]]]:
        """The sources' records' files this build changed and not written ahead: name, contents (pack_units)."""
        return [(f"units-{number:02d}", pack_units(self.shards[number])) for number in sorted(self.dirty)]

    def abandon(self) -> None:
        """Delete what was written ahead and not saved: a build that fails keeps nothing of it."""
        for name in list(self.ahead):
            self._unwrite(name)

    def check_inputs(self) -> None:
        """Find, once nothing reads them any more, whether an input this build read changed, or a file was added or
        removed (what was read might not be what was hashed): their whole key if not. A large build does it as the
        main process's part of the page phase ends (render._render_site), beside the workers, not in the save. A
        file changed after it shows to the next build in its stat, and is hashed again. The files of a source whose
        records came from the cache were read only to be hashed (the next build sees their stat): not stat'ed."""
        if self.whole_now is not None:
            return
        root, self.whole_now = f"{self.root}/", b""  # joined by hand: os.path.join costs, a file each
        unread = {path for unit_id in self.taken for path in self.unit_files.get(unit_id, ()) if path}
        for rel, stat_key in self.read_now.items():
            if rel not in unread:
                try:
                    if file_stat_key(os.stat(root + rel)) != stat_key:
                        return
                except OSError:
                    return
        from .stamps import input_files, listed_as_before

        count = listed_as_before(self.root, self.listing)  # a few folders' stats, if the early child listed them
        if len(self.read_now) == count if count is not None else input_files(self.root) == sorted(self.read_now):
            self.whole_now = self._whole_key(self.digests)

    def save(self, digests: Mapping[str, bytes], stamps: Mapping[str, tuple[int, int, int, int]] | None = None
             ) -> None:
        """Keep what this build made, once its files are in place; nothing if an input it read changed while it ran
        (what was read might not be what was hashed) or a file was added or removed (check_inputs, unless done).
        `stamps`: output files' stats taken with these digests (write.Output.stamps); the others are stat'ed, and one
        written to since verified_outputs found it ours (by hand) is not kept, nor is the build then one with nothing
        to do. What was written ahead is renamed into place; what is not is left to abandon."""
        self.check_inputs()
        if not self.whole_now:
            return
        from .stamps import output_entries

        outputs, edited = output_entries(self.out_dir, digests, stamps or {}, self.stamps_found)
        if not self._inside():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, pieces in self._changed_files():
                self._write(name, None, pieces)
            for name, temporary in sorted(self.ahead.items()):
                os.replace(temporary, self.folder / f"{name}.bin")
                del self.ahead[name]
            if self.layout_now is not None:
                self._write("downloads", self.layout_now)
            self.stamps = {rel: self.stamps[rel] for rel in self.read_now if rel in self.stamps}
            self._write_pages()
            index = {"stamps": self.stamps, "outputs": outputs, "count": len(digests),
                     "whole": None if edited else self.whole_now, "notes": [str(n) for n in sorted(self.notes)]}
            self._write("index", None, [marshal.dumps(index, 2)])  # 2: no table of shared objects
        except OSError as exc:  # a cache that cannot be written costs the next build time, nothing else
            self.notices.append(f"note: cannot write the build cache in {self._shown(self.folder)} ({exc.strerror})")

    def _write_pages(self) -> None:
        """Keep the pages and memos: beside pages.bin as it was read, only what changed since it was written
        (journal.bin), while that is at most 1/JOURNAL_PART of its size; else pages.bin whole, without a journal.
        An edit so writes what it changed, not 8 MB. Which entries end up kept never matters for what a build
        makes: each is checked by its key (and a page by its output file's digest) before it is used."""
        base, journal = self._base, None
        if base is not None and self._made_before is not None:
            pages, memos = base["pages"], base["memos"]
            journal = pickle.dumps({
                "pages": {job: entry for job, entry in self.made.items() if pages.get(job) != entry},
                "gone": [job for job in pages if job not in self.made],
                "memos": {name: memo for name, memo in self.memos_now.items() if memos.get(name) != memo},
                "memos_gone": [name for name in memos if name not in self.memos_now]},
                protocol=pickle.HIGHEST_PROTOCOL)
            with contextlib.suppress(OSError):
                if len(journal) > os.stat(self.folder / "pages.bin").st_size // JOURNAL_PART:
                    journal = None
        if journal is not None:
            os.replace(self._write_temporary("journal", None, [journal]), self.folder / "journal.bin")
            return
        (self.folder / "journal.bin").unlink(missing_ok=True)  # first: no journal is ever read with another base
        self._write("pages", {"pages": self.made, "memos": self.memos_now})


def _card_key(card: Card) -> bytes:
    from .cards import card_svg

    return key_of(card_svg(card))


def file_stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is the same as when it was hashed: its size, times and inode. The change time too, which
    no program can set: a file edited to the same size and modification time still differs in it."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def shard_of(unit_id: str) -> int:
    """The shard of the cache that keeps a source's records."""
    return zlib.crc32(unit_id.encode()) % SHARDS


def outside_project_folder(folder: Path, root: Path) -> bool:
    """Whether the cache folder (or a link on its way) leads out of the project: then no cache is written."""
    real_root = os.path.realpath(root)
    return os.path.commonpath([os.path.realpath(folder), real_root]) != real_root

