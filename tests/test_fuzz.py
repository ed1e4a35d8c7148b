"""Random damage to valid content: the builder either builds or reports content errors; never a traceback."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.build import check_site
from builder.errors import ContentErrors
from tests.conftest import BASE_SITE, tree_digest

FILES = sorted(p.relative_to(BASE_SITE).as_posix() for p in BASE_SITE.rglob("*") if p.is_file())
BASE_DIGEST = tree_digest(BASE_SITE)
ERROR_LINE = re.compile(r"^[^:\n]+:\d+:\d+: .+")
NASTY = ["", ":", "- ", "  ", "\t", "{", "}", "[", "]", "&a", "*a", "!!python/object", "---", "\x00", "\ufeff",
         "\u2014", "'", '"', "#", "|", ">", "2025-02-30", "null", "true", "-1", "1e999", "../", "<script>",
         "{{ x }}", "\n", "id: x\n"]


@st.composite
def damage(draw: st.DrawFn) -> tuple[str, list[tuple[str, int, str]]]:
    path = draw(st.sampled_from(FILES))
    edits = draw(st.lists(st.tuples(
        st.sampled_from(["insert", "delete", "replace-line", "duplicate-line", "truncate"]),
        st.integers(min_value=0, max_value=5000),
        st.one_of(st.sampled_from(NASTY), st.text(max_size=8)),
    ), min_size=1, max_size=4))
    return path, edits


def apply(text: str, edits: list[tuple[str, int, str]]) -> str:
    for action, position, piece in edits:
        lines = text.split("\n")
        at, line = position % (len(text) + 1), position % len(lines)
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + len(piece) + 1:]
        elif action == "replace-line":
            lines[line] = piece
            text = "\n".join(lines)
        elif action == "duplicate-line":
            lines.insert(line, lines[line])
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the site for every example, each damaging one file and putting it back: a check writes nothing.
    A copy made and deleted for each example cost more than its check (a folder's deletion is slow on ext4)."""
    site = tmp_path_factory.mktemp("fuzz") / "site"
    shutil.copytree(BASE_SITE, site)
    return site


@settings(max_examples=EXAMPLES, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(change=damage())
def test_damaged_content_builds_or_is_reported(fuzz_site: Path,
                                               change: tuple[str, list[tuple[str, int, str]]]) -> None:
    path, edits = change
    target = fuzz_site / path
    original = target.read_text(encoding="utf-8")
    target.write_text(apply(original, edits), encoding="utf-8")
    try:
        check_site(fuzz_site)
    except ContentErrors as errors:
        report = errors.report()
        assert errors.errors, report
        for error in errors.errors:
            assert ERROR_LINE.match(str(error)), str(error)
            assert error.line >= 1 and error.column >= 1, str(error)
    finally:
        target.write_text(original, encoding="utf-8")
    assert tree_digest(fuzz_site) == BASE_DIGEST, "the next example starts from the site itself"
