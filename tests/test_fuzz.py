"""Random damage to valid content: the builder either builds or reports content errors; never a traceback."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.build import check_site
from builder.errors import ContentErrors
from tests.conftest import BASE_SITE

FILES = sorted(p.relative_to(BASE_SITE).as_posix() for p in BASE_SITE.rglob("*") if p.is_file())
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


@settings(max_examples=EXAMPLES, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(damage())
def test_damaged_content_builds_or_is_reported(change: tuple[str, list[tuple[str, int, str]]]) -> None:
    path, edits = change
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(BASE_SITE, site)
        target = site / path
        target.write_text(apply(target.read_text(encoding="utf-8"), edits), encoding="utf-8")
        try:
            check_site(site)
        except ContentErrors as errors:
            report = errors.report()
            assert errors.errors, report
            for error in errors.errors:
                assert ERROR_LINE.match(str(error)), str(error)
                assert error.line >= 1 and error.column >= 1, str(error)
