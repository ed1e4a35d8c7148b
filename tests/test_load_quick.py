"""The quick reader of plain YAML (load._QuickReader) gives exactly what PyYAML gives, or leaves the document to it.

Documents are generated from the shapes content files take, with the characters, keys and indentation that
make YAML differ (tabs, other line breaks, '#', ': ', quotes, escapes, 'yes', dates, aliases...): whenever the
quick reader takes one, PyYAML must read it without a problem, to the same values, lines, columns and keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import load
from builder.errors import ErrorLog
from builder.load import Node, parse_yaml


@contextmanager
def pyyaml_only() -> Iterator[None]:
    """parse_yaml as it was before the quick reader: every document is read by PyYAML."""
    with mock.patch.object(load, "_NOT_QUICK", re.compile(r"[\s\S]")):
        yield


def shape(node: Node | None) -> Any:
    """Everything a Node holds, to compare two trees (and the types: 1 and True are equal)."""
    if node is None:
        return None
    value = node.value
    if isinstance(value, list):
        value = [shape(item) for item in value]
    elif isinstance(value, dict):
        value = {key: shape(item) for key, item in value.items()}
    return (type(node.value).__name__, value, node.src_path, node.line, node.column, list(node.keys.items()))


def quick(text: str, offset: int = 0) -> Node | None:
    """What the quick reader alone gives, or None where it leaves the document to PyYAML."""
    if load._NOT_QUICK.search(text):
        return None
    try:
        return load._QuickReader(text, "x.yaml", offset).read()
    except load._NotQuick:
        return None


def both(text: str, offset: int = 0) -> tuple[Node | None, Any, list[str]]:
    """The quick reader's tree, and PyYAML's tree and errors."""
    log = ErrorLog()
    with pyyaml_only():
        node = parse_yaml(text, "x.yaml", log, line_offset=offset)
    return quick(text, offset), shape(node), [str(e) for e in log.errors]


# Mostly what content is written with; then what YAML reads otherwise.
CHARS = st.one_of(st.sampled_from(list("abcxyz  019.-é“”—'")), st.sampled_from(
    list("Z_:/#,[]{}\"\\&*!|>%@`?~\t\u00a0\u2028\x85\ufeff\r\x7f") + ["\U0001f600", ": ", " #", "  "]))
KEYS = st.one_of(*[st.sampled_from(["id", "quote", "kind", "a_b", "A1", "x", "_y"])] * 4,
                 st.sampled_from(["yes", "no", "on", "null", "true", "<<", "0", "key-dash", "é", "a b", "Id"]))
PLAIN = st.one_of(
    st.sampled_from(["reporting", "en", "2024-08-23", "2024-02-30", "2024-8-3", "2025", "12", "0x1f", "1_000",
                     "1:20", "1.5", "1e5", ".inf", "null", "Null", "~", "true", "yes", "No", "off", "s00002-c0",
                     "ref:rv16", "a b", "a: b", "a #b", "a#b", "a:", "-1", "+1", "a,b", "a[b]", "O'Neil",
                     'say "hi"', "é", "ü x", "2001-12-14 21:59:43.10 -5", "2001-12-14t21:59:43.10-05:00"]),
    st.lists(CHARS, min_size=1, max_size=6).map(lambda s: "a" + "".join(s)),
)
QUOTED = st.one_of(
    st.sampled_from(['""', '"x"', '" lead and trail "', '"it\'s"', '"a # b"', '"a: b"', '"é “q”"', '"[a, b]"',
                     '"a\\"b"', '"a\\nb"', '"x" y', '"x" ', '"unterminated']),
    st.lists(CHARS, max_size=8).map(lambda s: '"' + "".join(s) + '"'),
)
FLOW_ITEM = st.one_of(QUOTED, PLAIN, st.sampled_from(["", "[a]", "{a: b}", "&a x", "*a", "!!str x"]))
FLOW = st.lists(FLOW_ITEM, max_size=3).flatmap(
    lambda items: st.sampled_from([", ", ",", " , "]).flatmap(
        lambda sep: st.sampled_from(["[{}]", "[ {} ]", "[{},]", "[{}"]).map(lambda f: f.format(sep.join(items)))))
SCALAR = st.one_of(QUOTED, PLAIN, FLOW, QUOTED, PLAIN, st.sampled_from(["", "&anchor x", "*anchor", "!!str x", "|", ">",
                                                         "- x", "? x", "'single'", "{a: 1}"]))
SPACES = st.sampled_from([" ", " ", " ", " ", "  ", "", "\t"])


@cache
def block(depth: int) -> st.SearchStrategy[list[str]]:
    """The lines of a mapping or a sequence, unindented; nested blocks indented under their key or item. Made once
    per depth: made anew at each draw (st.deferred), each new strategy was validated again, 70 % of the test's
    CPU; the documents drawn are the same, seed for seed."""
    value = SCALAR.map(lambda s: [s]) if depth >= 2 else st.one_of(
        SCALAR.map(lambda s: [s]), st.deferred(lambda: block(depth + 1)).map(lambda lines: ["", *lines]))
    indents = st.sampled_from([2, 2, 2, 2, 4, 0, 1, 3])
    entry = st.tuples(KEYS, SPACES, value, indents).map(
        lambda e: [f"{e[0]}:{e[1]}{e[2][0]}"] + [" " * e[3] + line for line in e[2][1:]])
    item = st.tuples(st.sampled_from(["- ", "- ", "-  ", "-"]), st.one_of(
        SCALAR.map(lambda s: [s]),
        st.lists(entry, min_size=1, max_size=3) if depth < 2 else SCALAR.map(lambda s: [f"k: {s}"]),
    ).map(lambda v: v if isinstance(v[0], str) else [line for e in v for line in e])).map(
        lambda e: [e[0] + e[1][0]] + [" " * len(e[0]) + line for line in e[1][1:]])
    mapping = st.lists(entry, min_size=1, max_size=4).map(lambda es: [line for e in es for line in e])
    sequence = st.lists(item, min_size=1, max_size=3).map(lambda its: [line for i in its for line in i])
    return st.one_of(mapping, sequence)


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = draw(block(0))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):  # comments, blank lines, stray lines and indentation
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", "# a comment", "  # indented: comment", "   ", "---", "...",
                                               "%YAML 1.1", "  stray: x", "- stray", "\t"])))
    if draw(st.sampled_from([False, False, False, True])):
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] = " " * draw(st.integers(1, 3)) + lines[at]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "  \n"]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from([0, 1]))
def test_what_the_quick_reader_takes_pyyaml_reads_the_same(text: str, offset: int) -> None:
    fast, slow, errors = both(text, offset)
    if fast is not None:
        assert errors == []
        assert shape(fast) == slow


def test_content_files_are_read_quickly_and_the_same() -> None:
    """The shapes of the shipped content: each read by the quick reader, as PyYAML reads it."""
    texts = [
        'outlet: "Metro Chronicle"\ntitle: "Story 2: the “divided” response — a test"\nlanguage: en\n'
        'published:\n  date: 2024-08-23\n  how: "Dated in the article."\n',
        '- id: s00002-c0\n  quote: "Asked about it, he said “no”."\n  kind: reporting\n  countries: ["bo"]\n'
        '\n- id: s00002-c1\n  says: "Plain words."\n  countries: ["bn", "cc"]\n  speaker: null\n',
        "# Claims drawn from a source.\n\n- id: lp\n  countries: [ru, ee]\n  answers:\n    - question: why\n"
        "      value: [russian-threat]\n  review:\n    rating: imprecise\n    cite: [ref:rv16, ref:js01]\n"
        "    overtaken:\n      date: 2025-12-27\n",
        "passages:\n- id: a\n  kind: social-post\n  posted: 2025-03-18\n  related: true\n- id: b\n  kind: x\n"
        "draft: false\n",
        "events:\n  -   kind: signed\n      date: 1999-06-06\n  - plain item\n  - 12\n",
    ]
    for text in texts:
        fast, slow, errors = both(text, 1)
        assert fast is not None, text
        assert errors == [] and shape(fast) == slow


def test_what_it_does_not_know_is_left_to_pyyaml() -> None:
    """Each of these is either wrong (PyYAML reports it) or read differently from how it looks."""
    for text in ["a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: b: c\n", "a: x # note\n",
                 "a: long\n  folded line\n", 'a: "two\n  lines"\n', 'a: "esc\\n"\n', "a:\nb: 1\n", "yes: 1\n",
                 "<<: {a: 1}\n", "a:\tb\n", "a: b\r\nc: d\r\n", "a: [x,\n  y]\n", "a: {b: c}\n", "---\na: 1\n",
                 "a: 2024-02-30\n", "- - x\n", "a: 'single'\n", "a: |\n  block\n", "a: x\u2028b: y\n"]:
        assert quick(text) is None, text


def test_errors_are_still_pyyaml_s_and_ours() -> None:
    """A document the quick reader leaves keeps every error, in PyYAML's words and ours."""
    log = ErrorLog()
    parse_yaml("a: 1\nb:\n  c: 2\n  c: 3\n", "x.yaml", log)
    assert [str(e) for e in log.errors] == ["x.yaml:4:3: duplicate key 'c' (first written at line 3)\n"
                                            "  hint: keep one of them; YAML would silently drop the first"]


def test_the_characters_it_leaves_to_pyyaml_are_exactly_those_the_rule_names() -> None:
    """Every code point: '\\n' and the printable ones up to U+FFFF (but U+2028, U+2029, surrogates, the byte-order mark
    and U+FFFE, U+FFFF) are taken; the rest (other breaks, tabs, controls, beyond U+FFFF) are left to PyYAML."""
    taken = [(0x0A, 0x0A), (0x20, 0x7E), (0xA0, 0x2027), (0x202A, 0xD7FF), (0xE000, 0xFEFE), (0xFF00, 0xFFFD)]
    for point in range(0x110000):
        left = load._NOT_QUICK.match(chr(point)) is not None
        assert left != any(low <= point <= high for low, high in taken), hex(point)
    assert load._NOT_QUICK.search("id: x\nquote: \u201cq\u201d \u2014 \u00e9\n") is None
    assert load._NOT_QUICK.search("a: \U0001f600\n").start() == 3
