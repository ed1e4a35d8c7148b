"""Reading YAML and Markdown files into records that remember their file, line and column; no interpretation."""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .cache import RACY_NS  # a file written this recently may change again within the same mtime tick
from .errors import ErrorLog, invalid_value, shown

MAX_FILE_BYTES = 5_000_000
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# Names Windows keeps for its devices, whatever the extension: a file 'con.md' cannot be checked out there.
RESERVED_IDS = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))})
# The folders a build reads from (besides site.yaml): each must stay inside the project, links included.
READ_FOLDERS = ("content", "content/sources", "content/claims", "content/countries", "content/references",
                "templates")
# Not following a link at the last step (it is checked first), and not waiting at a FIFO's open for a writer.
_OPEN_FLAGS = os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

# Told of each file read (by its path from the root), with the stat taken on the open file before the read and
# the very bytes read: the disk cache hashes a file it has no digest of from what was parsed (build._pickled).
Seen = Callable[[str, os.stat_result, bytes], None]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# PyYAML's implicit resolvers by a value's first character, each list ending with those for any character.
_ANY_FIRST = tuple(_BaseLoader.yaml_implicit_resolvers.get(None, ()))
_BY_FIRST = {first: tuple(resolvers) + _ANY_FIRST
             for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items() if first is not None}
# The tag of each short plain value met so far: keys, kinds, ids and dates repeat, and need not be matched again.
_PLAIN_TAGS: dict[str, str] = {}


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's C loader, typing plain values as it would with less work.

    PyYAML calls resolve() and two path-resolver hooks from Python for every value, which took 30% of the
    parse; resolve() builds two lists each time. No path resolvers are registered, so the hooks do nothing.
    A plain value's tag depends on nothing but the value, so it is looked up once (see _PLAIN_TAGS).
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            return self.DEFAULT_MAPPING_TAG if kind is yaml.MappingNode else self.DEFAULT_SEQUENCE_TAG
        if not implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = next((tag for tag, pattern in _BY_FIRST.get(value[:1], _ANY_FIRST) if pattern.match(value)),
                       self.DEFAULT_SCALAR_TAG)
            if len(value) <= 32:
                _PLAIN_TAGS[value] = tag
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_constructor = yaml.constructor.SafeConstructor()


def _timestamp(node: yaml.ScalarNode) -> date | datetime:
    """Most timestamps are plain dates, which the standard library reads faster than PyYAML."""
    if len(node.value) == 10:  # YYYY-MM-DD, as the resolver has checked
        try:
            return date.fromisoformat(node.value)
        except ValueError:
            pass  # an impossible date: PyYAML reports it, in its own words
    return _constructor.construct_yaml_timestamp(node)


_STR = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_KEY_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int")
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str": None,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _timestamp,
}
_NOT_ALLOWED = object()


_NO_KEYS: Mapping[str, tuple[int, int]] = MappingProxyType({})
INVALID = type("Invalid", (), {"__repr__": lambda self: "<invalid value, already reported>"})()


class Node:
    """A YAML value with where it was written; mappings also remember where each key was written.

    A plain class with slots, not a frozen dataclass: a large site has hundreds of thousands of nodes, and a
    frozen dataclass takes three times as long to make one. Nothing changes a node once it is made.
    """

    __slots__ = ("value", "src_path", "line", "column", "keys")

    def __init__(self, value: Any, src_path: str, line: int, column: int,
                 keys: Mapping[str, tuple[int, int]] | None = None) -> None:
        self.value, self.src_path, self.line, self.column = value, src_path, line, column
        # Most nodes are not mappings: they share one empty, read-only map rather than each making a dict.
        self.keys: Mapping[str, tuple[int, int]] = _NO_KEYS if keys is None else keys

    def __repr__(self) -> str:
        return f"Node({self.value!r}, {self.src_path!r}, {self.line}, {self.column})"

    def __reduce__(self) -> tuple[type[Node], tuple[Any, ...]]:
        # Workers send nodes back pickled: as the arguments, they take half the bytes and time of the slots.
        return Node, (self.value, self.src_path, self.line, self.column, self.keys or None)


@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown file split into its front matter and its verbatim body."""

    src_path: str
    meta: Node | None
    body: str
    body_line: int


@dataclass
class RawContent:
    """Everything read from disk, before any interpretation."""

    root: Path
    site: Node | None = None
    sources: dict[str, MarkdownFile] = field(default_factory=dict)
    claims: dict[str, Node] = field(default_factory=dict)
    countries: dict[str, Node] = field(default_factory=dict)
    questions: Node | None = None
    treaty: Node | None = None
    rules: Node | None = None
    references: Node | None = None
    summary: Node | None = None
    changes: Node | None = None  # optional: a site without a change log has none
    treaty_text: tuple[str, str] | None = None
    methodology: tuple[str, str] | None = None
    failed: set[str] = field(default_factory=set)  # 'questions', 'countries:pl'...: read but unusable


def outside_project(path: Path | str, root: Path) -> str | None:
    """Where `path` really leads (every link followed) if that is outside the project `root`; else None."""
    try:
        target, base = os.path.realpath(path), os.path.realpath(root)
    except ValueError:  # a NUL in the name (a template named in a template): no such file, which its reader says
        return None
    return None if target == base or target.startswith(os.path.join(base, "")) else target


LINK_HINT = ("the builder reads nothing outside the project folder: copy the file into the project, "
             "or link to one inside it")


def check_links(root: Path, log: ErrorLog) -> set[str]:
    """Report each folder a build reads from, and each link under templates/, that leads out of the project; the
    folders not to read (the first one out, and those inside it)."""
    out: set[str] = set()
    for folder in READ_FOLDERS:
        if any(folder.startswith(f"{other}/") for other in out):
            out.add(folder)
        elif (target := outside_project(root / folder, root)) is not None:
            log.add(folder, 1, 1, f"the folder is a link to '{target}', outside the project", LINK_HINT)
            out.add(folder)
    if "templates" not in out and (root / "templates").is_dir():
        _check_template_links(root / "templates", root, log, set())
    return out


def _check_template_links(folder: Path, root: Path, log: ErrorLog, seen: set[str]) -> None:
    """Templates, their partials, assets and map geometry are read by Jinja and copied: none may lead outside,
    through a link or through a linked folder (followed when it stays inside, once)."""
    seen.add(os.path.realpath(folder))
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        is_dir = entry.is_dir()  # the link's target, for a link
        if entry.is_symlink():
            target = outside_project(entry.path, root)
            if target is not None:
                log.add(relative(Path(entry.path), root), 1, 1, f"the {'folder' if is_dir else 'template file'} is "
                        f"a link to '{target}', outside the project", LINK_HINT)
                continue
        if is_dir and os.path.realpath(entry.path) not in seen:
            _check_template_links(Path(entry.path), root, log, seen)


def read_text(path: Path, root: Path, log: ErrorLog, seen: Seen | None = None) -> str | None:
    """Read a UTF-8 file (a byte-order mark is accepted), reporting rather than raising on bad input.

    A link is followed only to a file inside the project; a FIFO, a device or a socket is refused unread.
    `seen` is given the file's stat and bytes once it is read whole.
    """

    def report(line: int, column: int, message: str, hint: str) -> None:
        log.add(relative(path, root), line, column, message, hint)  # the path is made only when needed

    # The os module's calls on one descriptor: cheaper than pathlib's calls or a file object (docs/performance.md).
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        fd = -1
        if exc.errno == errno.ELOOP:  # a link (or a loop of them): followed only if it stays in the project
            target = outside_project(path, root)
            if target is not None:
                report(1, 1, f"the file is a link to '{target}', outside the project", LINK_HINT)
                return None
            try:
                fd = os.open(os.path.realpath(path), _OPEN_FLAGS)
            except OSError as followed:
                exc = followed
        if fd < 0:
            report(1, 1, f"cannot read the file ({exc.strerror})", "check that it exists and is readable")
            return None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            report(1, 1, "expected a file but found a folder", "remove the folder or rename it")
            return None
        if not stat.S_ISREG(info.st_mode):
            kind = "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device or other special file"
            report(1, 1, f"expected a file but found {kind}", "content files must be regular files; replace it "
                   "with the file itself")
            return None
        if info.st_size > MAX_FILE_BYTES:
            report(1, 1, f"file is too large ({info.st_size:,} bytes)",
                   f"content files are limited to {MAX_FILE_BYTES:,} bytes; split or shorten it")
            return None
        pieces = []
        size = info.st_size + 1 if info.st_size else 1 << 16  # a size of 0 may be a file still being written
        while piece := os.read(fd, size):  # to the end, even if the file grew meanwhile
            pieces.append(piece)
    except OSError as exc:
        report(1, 1, f"cannot read the file ({exc.strerror})", "check that it exists and is readable")
        return None
    finally:
        os.close(fd)
    data = b"".join(pieces)  # one piece, most often: joined without a copy
    if seen is not None:
        seen(relative(path, root), info, data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report(line, column, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})", "save the file as UTF-8")
        return None
    nul = data.find(b"\x00")  # in UTF-8 a NUL byte is only ever the NUL character: the bytes are faster to scan
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        report(line, 1, "the file contains a NUL character; it looks binary", "save it as plain UTF-8 text")
        return None
    return text


def parse_yaml(text: str, src: str, log: ErrorLog, line_offset: int = 0,
               empty: tuple[str, str] = ("the file is empty", "write the YAML this file should hold")) -> Node | None:
    """Parse one YAML document into Nodes; duplicate keys, aliases and custom tags are errors."""
    if not text.strip():
        log.add(src, line_offset + 1, 1, *empty)
        return None
    if not _NOT_QUICK.search(text):
        try:
            return _QuickReader(text, src, line_offset).read()
        except _NotQuick:
            pass
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "fix the YAML syntax at this place"
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem, hint = "a tab character is not allowed here", "indent with spaces, not tabs"
        elif "expected a single document" in problem:
            hint = "remove the extra '---' document separator"
        elif exc.context == "while scanning a simple key" and exc.context_mark:  # placed at the line after it
            mark, found = exc.context_mark, text.splitlines()[exc.context_mark.line][exc.context_mark.column:]
            problem = f"{shown(found.rstrip())} has no ':' after its key"
            key, _, value = found.strip().partition(" ")
            hint = f"write the key, a colon and a space, then the value: '{key}: {value.strip() or '…'}'"
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        log.add(src, line, column, f"invalid YAML: {problem}", hint)
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses anywhere: placed where it is
        before = text[: exc.position]
        line, column = before.count("\n") + 1 + line_offset, exc.position - (before.rfind("\n") + 1) + 1
        log.add(src, line, column, f"invalid YAML: the character U+{exc.character:04X} is not allowed",
                "delete it: an invisible control character or noncharacter, often left by copying and pasting")
        return None
    except yaml.YAMLError as exc:
        log.add(src, line_offset + 1, 1, f"invalid YAML: {' '.join(str(exc).split())}", "fix the YAML syntax")
        return None
    if root is None:
        log.add(src, line_offset + 1, 1, *empty)
        return None
    # An alias is its anchor's node met again: with no anchor ('&') in the text, there is none to look for.
    return _convert(root, src, log, line_offset, set() if "&" in text else None)


# The quick reader (below) takes a document only if it holds none of these: a line break but '\n' (YAML also
# breaks lines at '\r', U+0085, U+2028 and U+2029), a tab, a control character, a byte-order mark, a surrogate,
# a noncharacter or a character beyond U+FFFF. Anything else it does not know, it leaves to PyYAML. Written as
# the few it refuses, not as the negation of the many it takes, which re compiles one character at a time.
_NOT_QUICK = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"
                        r"\U00010000-\U0010ffff]")
# A key, and the value if it is a double-quoted string without escapes; else the pattern ends before the value.
_QUICK_KEY = re.compile(r'([A-Za-z_][A-Za-z0-9_]*):(?:\Z| +(?:"([^"\\]*)"\Z)?)')
_QUICK_ITEM = re.compile(r' *(?:"([^"\\]*)"|([A-Za-z0-9][A-Za-z0-9_./-]*(?::[A-Za-z0-9_./-]+)*)) *([,\]])')


class _NotQuick(Exception):
    """The document is not in the quick reader's subset: PyYAML reads it."""


class _QuickReader:
    """Reads the plain block YAML that content files are written in, giving the Nodes PyYAML's would give.

    PyYAML makes a node and two marks for each value, calls back into Python three times for it, and is then
    walked again by _convert: two thirds of the time of reading a large site. This reader takes a document only
    if every line is a comment, 'key: value', 'key:' opening a block, or '- ' an item, and every value is a
    double-quoted string without escapes, a one-line plain scalar starting with a letter or digit, or a one-line
    list of such ('[a, "b"]'), with no key written twice. Anything else (errors included) raises _NotQuick, and
    parse_yaml reads the document with PyYAML: only documents that PyYAML reads without a problem are read here.
    Plain scalars are typed by _Loader.resolve and built by PyYAML's constructors, as _convert does.
    """

    DEFAULT_SCALAR_TAG = _STR

    def __init__(self, text: str, src: str, offset: int) -> None:
        self.src = src
        self.lines = [(len(line) - len(content), content, number)
                      for number, line in enumerate(text.split("\n"), 1 + offset)
                      if (content := line.lstrip(" ")) and content[0] != "#"]

    def read(self) -> Node:
        lines = self.lines
        if not lines:
            raise _NotQuick
        node, end = self.block(0, lines[0][0])
        if end != len(lines):
            raise _NotQuick
        return node

    def block(self, at: int, indent: int) -> tuple[Node, int]:
        content = self.lines[at][1]
        if content[:2] == "- " or content == "-":
            return self.sequence(at, indent)
        return self.mapping(at, indent)

    def mapping(self, at: int, indent: int) -> tuple[Node, int]:
        lines, src, end = self.lines, self.src, len(self.lines)
        values: dict[str, Node] = {}
        keys: dict[str, tuple[int, int]] = {}
        first = lines[at][2]
        while at < end:
            line_indent, content, line = lines[at]
            if line_indent != indent:
                if line_indent > indent:
                    raise _NotQuick
                break
            match = _QUICK_KEY.match(content)
            if match is None:
                raise _NotQuick
            key, quoted = match.groups()
            if key in keys or (_PLAIN_TAGS.get(key) or self.tag(key)) != _STR:
                raise _NotQuick
            keys[key] = (line, indent + 1)
            at += 1
            if quoted is not None:  # the most common value, read by the pattern
                values[key] = Node(quoted, src, line, indent + match.start(2))
            elif rest := content[match.end():]:
                values[key] = self.scalar(rest, line, indent + 1 + match.end())
            elif at < end and (lines[at][0] > indent or lines[at][0] == indent and lines[at][1][:2] == "- "):
                values[key], at = self.block(at, lines[at][0])
            else:
                raise _NotQuick  # an empty value
        return Node(values, src, first, indent + 1, keys), at

    def sequence(self, at: int, indent: int) -> tuple[Node, int]:
        lines = self.lines
        items = []
        first = lines[at][2]
        while at < len(lines):
            line_indent, content, line = lines[at]
            if line_indent != indent:
                if line_indent > indent:
                    raise _NotQuick
                break
            if content[:2] != "- ":
                break  # the mapping this sequence is the value of goes on (an item without indentation)
            rest = content[2:].lstrip(" ")
            column = indent + len(content) - len(rest)
            if not rest or rest[0] == "-":
                raise _NotQuick
            if _QUICK_KEY.match(rest):
                lines[at] = (column, rest, line)  # the item is a mapping, indented as its first key
                item, at = self.mapping(at, column)
            else:
                item = self.scalar(rest, line, column + 1)
                at += 1
            items.append(item)
        return Node(items, self.src, first, indent + 1), at

    def scalar(self, text: str, line: int, column: int) -> Node:
        first = text[0]
        if first == '"':
            if text.find('"', 1) != len(text) - 1 or "\\" in text:
                raise _NotQuick
            return Node(text[1:-1], self.src, line, column)
        if first == "[":
            return self.flow(text, line, column)
        if not (first.isascii() and first.isalnum()) or ": " in text or "#" in text or text[-1] in ": ":
            raise _NotQuick
        return self.plain(text, line, column)

    def plain(self, value: str, line: int, column: int) -> Node:
        tag = _PLAIN_TAGS.get(value) or self.tag(value)
        if tag == _STR:
            return Node(value, self.src, line, column)
        construct = _SCALAR_TAGS.get(tag)
        if construct is None:
            raise _NotQuick
        try:
            return Node(construct(yaml.ScalarNode(tag, value)), self.src, line, column)
        except (ValueError, OverflowError):
            raise _NotQuick from None  # PyYAML reports it

    def tag(self, value: str) -> str:
        return _Loader.resolve(self, yaml.ScalarNode, value, (True, False))  # type: ignore[arg-type]

    def flow(self, text: str, line: int, column: int) -> Node:
        items: list[Node] = []
        if text[-1] != "]":
            raise _NotQuick
        at = 1
        if text[1:-1].strip(" "):
            while True:
                match = _QUICK_ITEM.match(text, at)
                if match is None:
                    raise _NotQuick
                quoted, plain, end = match.groups()
                if quoted is not None:
                    items.append(Node(quoted, self.src, line, column + match.start(1) - 1))
                else:
                    items.append(self.plain(plain, line, column + match.start(2)))
                at = match.end()
                if end == "]":
                    break
            if at != len(text):
                raise _NotQuick
        return Node(items, self.src, line, column)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""


def _convert(node: yaml.Node, src: str, log: ErrorLog, offset: int, seen: set[int] | None,
             where: tuple[int, int] | None = None) -> Node | None:
    """Our Node for PyYAML's; `seen` holds the nodes met so far, or is None where there can be no alias.

    Most values are plain strings: a collection makes their Nodes itself rather than by another call.
    """
    mark = node.start_mark
    line, column = mark.line + 1 + offset, mark.column + 1
    if seen is not None:
        if id(node) in seen:
            # The node's own mark is the anchor's; the alias is best placed by its parent's key or item.
            line, column = where or (line, column)
            log.add(src, line, column, "YAML aliases ('*name') are not allowed in content",
                    "write the value out in full")
            return Node(INVALID, src, line, column)
        seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        construct = _SCALAR_TAGS.get(node.tag, _NOT_ALLOWED)
        if construct is None:
            return Node(node.value, src, line, column)
        if construct is _NOT_ALLOWED:
            log.add(src, line, column, f"YAML tag '{node.tag}' is not allowed in content",
                    "remove the tag; plain values are typed automatically")
            return Node(INVALID, src, line, column)
        try:
            value = construct(node)
        except (ValueError, OverflowError) as exc:
            log.add(src, line, column, *invalid_value(node.value, exc))
            return Node(INVALID, src, line, column)
        return Node(value, src, line, column)
    if node.tag not in _COLLECTION_TAGS:
        log.add(src, line, column, f"YAML tag '{node.tag}' is not allowed in content",
                "remove the tag; plain values are typed automatically")
        return Node(INVALID, src, line, column)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            if seen is None and item.tag == _STR and item.__class__ is yaml.ScalarNode:
                mark = item.start_mark
                items.append(Node(item.value, src, mark.line + 1 + offset, mark.column + 1))
            else:
                converted = _convert(item, src, log, offset, seen, (line, column))
                if converted is not None:
                    items.append(converted)
        return Node(items, src, line, column)
    values: dict[str, Node] = {}
    keys: dict[str, tuple[int, int]] = {}
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        key_line, key_column = mark.line + 1 + offset, mark.column + 1
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<":
            log.add(src, key_line, key_column, "YAML merge keys ('<<') are not allowed in content",
                    "write the fields out in full")
            continue
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
            log.add(src, key_line, key_column, "keys must be plain names",
                    "write the key as a word such as 'title'")
            continue
        key = key_node.value
        if key in keys:
            first = keys[key][0]
            log.add(src, key_line, key_column, f"duplicate key '{key}' (first written at line {first})",
                    "keep one of them; YAML would silently drop the first")
            continue
        if seen is None and value_node.tag == _STR and value_node.__class__ is yaml.ScalarNode:
            mark = value_node.start_mark
            values[key] = Node(value_node.value, src, mark.line + 1 + offset, mark.column + 1)
        else:
            converted = _convert(value_node, src, log, offset, seen, (key_line, key_column))
            if converted is not None:
                values[key] = converted
        keys[key] = (key_line, key_column)
    return Node(values, src, line, column, keys)


def load_yaml(path: Path, root: Path, log: ErrorLog, seen: Seen | None = None) -> Node | None:
    """Read and parse one YAML file."""
    text = read_text(path, root, log, seen)
    return None if text is None else parse_yaml(text, relative(path, root), log)


_FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


def load_markdown(path: Path, root: Path, log: ErrorLog, seen: Seen | None = None) -> MarkdownFile | None:
    """Read a Markdown file with YAML front matter between two '---' lines; the body is kept verbatim."""
    src = relative(path, root)
    text = read_text(path, root, log, seen)
    if text is None:
        return None
    if not text.startswith("---"):
        log.add(src, 1, 1, "missing front matter", "start the file with '---', the YAML fields, then '---'")
        return None
    closing = _FENCE.search(text, 3)
    if closing is None or not _FENCE.match(text, 0):
        log.add(src, 1, 1, "front matter is not closed", "end the YAML fields with a line holding only '---'")
        return None
    first_newline = text.index("\n") + 1
    meta_text = text[first_newline:closing.start()]
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    body_line = text.count("\n", 0, body_start) + 1
    meta = parse_yaml(meta_text, src, log, 1, ("the front matter is empty", "write its fields between the '---' lines"))
    return MarkdownFile(src, meta, text[body_start:], body_line)


def relative(path: Path, root: Path) -> str:
    """The repo-relative path that error messages print."""
    # Cutting the root off the string gives what relative_to gives, for less; a path written another way, or
    # with another separator, takes the long road.
    text, top = str(path), str(root)
    if os.sep == "/" and text.startswith(top) and text[len(top):len(top) + 1] == "/" and top != "/":
        return text[len(top) + 1:]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _files_with_ids(folder: Path, suffix: str, root: Path, log: ErrorLog) -> dict[str, Path]:
    """List a folder's files by id; anything else in it is reported, never ignored."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    # Sorted by name: the same order as by path in one folder, for less.
    for path in sorted(folder.iterdir(), key=lambda path: path.name):
        name = path.name
        if name.startswith("."):
            continue
        if not name.endswith(suffix):
            log.add(relative(path, root), 1, 1, f"unexpected file in {relative(folder, root)}/",
                    f"files here must end in '{suffix}'; move or remove this one")
            continue
        stem = name[: -len(suffix)]
        if not ID_PATTERN.match(stem):
            log.add(relative(path, root), 1, 1, f"file name {shown(name)} is not a valid id",
                    "use lowercase letters, digits and single hyphens, e.g. 'media-line" + suffix + "'")
            continue
        if stem in RESERVED_IDS:
            log.add(relative(path, root), 1, 1, f"file name '{name}' is a device name on Windows",
                    reserved_hint(stem))
            continue
        found[stem] = path  # a folder too: read_text reports it
    return found


def reserved_hint(value: str) -> str:
    """Why an id such as 'con' is refused, and what to do."""
    return ("'con', 'prn', 'aux', 'nul', 'com0'-'com9' and 'lpt0'-'lpt9' name devices on Windows, with any "
            f"extension, and cannot be file names there; choose another id, e.g. '{value}-1'")


def _cached(load: Callable[..., Any], path: Path, root: Path, log: ErrorLog,
            cache: dict[Path, tuple[tuple[int, int, int], Any]] | None, seen: Seen | None = None) -> Any:
    """Load a file, or reuse what the same file gave last time (a warm builder keeps `cache`; `seen` is for a
    build without one)."""
    if cache is None:
        return load(path, root, log, seen) if seen is not None else load(path, root, log)
    try:
        st = path.stat()
    except OSError:
        return load(path, root, log)
    key = (st.st_mtime_ns, st.st_size, st.st_ino)
    known = cache.get(path)
    if known is not None and known[0] == key:
        return known[1]
    errors = len(log.errors)
    loaded = load(path, root, log)
    # Only a clean result is kept (errors must be reported again), and only once its mtime can be trusted.
    if len(log.errors) == errors and time.time_ns() - st.st_mtime_ns > RACY_NS:
        cache[path] = (key, loaded)
    return loaded


SOURCE_FILES, CLAIMS_FILES = ("content/sources", ".md"), ("content/claims", ".yaml")  # each id's, by path


@dataclass
class UnitPaths:
    """The sources and their claims files, by id: the bulk of a site, which can be read apart from the rest."""

    sources: Mapping[str, Path] = field(default_factory=dict)
    claims: Mapping[str, Path] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return sorted(set(self.sources) | set(self.claims))

    def relative(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """Each of these ids' source file and claims file by path from the root, as `relative` gives them, when
        load_globals listed them (SOURCE_FILES, CLAIMS_FILES: each is its folder's file named after the id). Written
        from the ids: 20,000 paths made strings, the root cut off, were a sixteenth of a one-claim edit's check."""
        (sources, source_suffix), (claims, claims_suffix) = SOURCE_FILES, CLAIMS_FILES
        return {unit_id: (f"{sources}/{unit_id}{source_suffix}" if unit_id in self.sources else None,
                          f"{claims}/{unit_id}{claims_suffix}" if unit_id in self.claims else None)
                for unit_id in ids}

    def only(self, ids: Iterable[str]) -> UnitPaths:
        """The files of these ids alone: a source and its claims file always go together."""
        wanted = set(ids)
        return UnitPaths({k: v for k, v in self.sources.items() if k in wanted},
                         {k: v for k, v in self.claims.items() if k in wanted})


def load_content(root: Path, cache: dict[Path, tuple[tuple[int, int, int], Any]] | None = None
                 ) -> tuple[RawContent, ErrorLog]:
    """Read site.yaml and everything under content/, collecting every read or syntax error.

    With a `cache` (kept by a warm builder), a file unchanged since the last call is not parsed again.
    """
    raw, log, units = load_globals(root, cache)
    load_units(raw, log, units, cache)
    return raw, log


def load_units(raw: RawContent, log: ErrorLog, units: UnitPaths,
               cache: dict[Path, tuple[tuple[int, int, int], Any]] | None = None, seen: Seen | None = None) -> None:
    """Read the sources and claims files named in `units` into `raw`; `seen` is told of each file read."""
    for stem, path in units.sources.items():
        doc = _cached(load_markdown, path, raw.root, log, cache, seen)
        if doc is not None and doc.meta is not None:
            raw.sources[stem] = doc
        else:
            raw.failed.add(f"sources:{stem}")
    for stem, path in units.claims.items():
        node = _cached(load_yaml, path, raw.root, log, cache, seen)
        if node is not None:
            raw.claims[stem] = node
        else:
            raw.failed.update({f"claims:{stem}", "claims"})


def load_globals(root: Path, cache: dict[Path, tuple[tuple[int, int, int], Any]] | None = None
                 ) -> tuple[RawContent, ErrorLog, UnitPaths]:
    """Read everything but the sources and claims, and list those (load_units reads them).

    Nothing is read from a folder that leads out of the project (check_links reports it instead).
    """
    listing = list_content(root)
    read_globals(listing, cache)
    return listing.raw, listing.log, listing.units


@dataclass
class Listing:
    """What list_content found: the sources and claims files by id, the folders not to read (`out`), and whether
    a link leads out of the project; `raw` and `log` are for read_globals to fill."""

    raw: RawContent
    log: ErrorLog
    units: UnitPaths
    out: set[str]
    linked_out: bool


def list_content(root: Path) -> Listing:
    """Check the links and list the sources and claims files; read nothing (read_globals reads the rest)."""
    log = ErrorLog()
    raw = RawContent(root=root)
    out = check_links(root, log)
    linked_out = bool(log)

    def listed(folder: str, suffix: str) -> Mapping[str, Path]:
        if folder in out:
            raw.failed.add(folder.removeprefix("content/"))
            return {}
        return _files_with_ids(root / folder, suffix, root, log)

    return Listing(raw, log, UnitPaths(listed(*SOURCE_FILES), listed(*CLAIMS_FILES)), out, linked_out)


def read_globals(listing: Listing, cache: dict[Path, tuple[tuple[int, int, int], Any]] | None = None) -> None:
    """Read site.yaml and everything under content/ but the sources and claims into the listing's `raw`."""
    raw, log, out, root = listing.raw, listing.log, listing.out, listing.raw.root
    content = root / "content"
    site_path = root / "site.yaml"
    if not site_path.exists():
        log.add("site.yaml", 1, 1, "site.yaml is missing", "create it at the project root (see docs/content-model.md)")
    else:
        raw.site = _cached(load_yaml, site_path, root, log, cache)
    if "content/countries" in out:
        raw.failed.add("countries")
    else:
        for stem, path in _files_with_ids(root / "content/countries", ".yaml", root, log).items():
            node = _cached(load_yaml, path, root, log, cache)
            if node is not None:
                raw.countries[stem] = node
            else:
                raw.failed.update({f"countries:{stem}", "countries"})
    singles = {
        "questions": content / "questions.yaml",
        "treaty": content / "treaty.yaml",
        "rules": content / "rules.yaml",
        "references": content / "references" / "facts.yaml",
        "summary": content / "summary.yaml",
    }
    for name, path in singles.items():
        if relative(path.parent, root) in out:
            raw.failed.add(name)
            continue
        if not path.exists():
            log.add(relative(path, root), 1, 1, f"{relative(path, root)} is missing",
                    "create it (see docs/content-model.md)")
            raw.failed.add(name)
            continue
        node = _cached(load_yaml, path, root, log, cache)
        setattr(raw, name, node)
        if node is None:
            raw.failed.add(name)
    changes = content / "changes.yaml"
    if changes.exists():
        raw.changes = _cached(load_yaml, changes, root, log, cache)
    for name, path in (("treaty_text", content / "references" / "treaty-text.md"),
                       ("methodology", content / "methodology.md")):
        if relative(path.parent, root) in out:
            continue
        if not path.exists():
            log.add(relative(path, root), 1, 1, f"{relative(path, root)} is missing",
                    "create it (see docs/content-model.md)")
            continue
        text = read_text(path, root, log)
        if text is not None:
            setattr(raw, name, (relative(path, root), text))
    if listing.linked_out:
        raw.site = None  # so nothing is validated: it would only report what the folders left out are missing
