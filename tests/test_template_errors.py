"""A template's mistakes are content errors: templates/NAME.html:LINE:COLUMN, a hint, exit 1, nothing written.

tests/errors/template-* hold one case of each kind; these tests cover what a corpus case cannot: partials and
base.html, several broken templates at once, the forked workers of a large build, and a builder bug that must
still show its traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import builder.parallel as parallel
import builder.render
from builder.__main__ import main
from builder.build import check_site, publish
from builder.errors import ContentErrors
from builder.model import Site
from builder.themes import THEME_DIR
from builder.write import MARKER
from tests.conftest import copy_site, tree_digest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_errors(site: Path, capsys) -> list[str]:  # type: ignore[no-untyped-def]
    public = site / "public"
    public.mkdir(exist_ok=True)
    (public / "index.html").write_text("<p>the last good build</p>")
    (public / MARKER).write_text('{"files": ["index.html"]}')  # ours: the template errors come next
    before = tree_digest(public)
    assert main(["--root", str(site), "build"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert tree_digest(public) == before
    return err.splitlines()


def test_a_mistake_in_a_partial_used_by_every_page_is_reported_once(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    edit(site / "templates/_partials/header.html", "{{ chrome.tagline }}", "{{ chrome.tagline }}{{ chrome.taglin }}")
    lines = build_errors(site, capsys)
    assert lines[0].startswith("templates/_partials/header.html:4:")
    assert lines[0].endswith("undefined in the template: 'builder.views.Chrome object' has no attribute 'taglin'")
    column = int(lines[0].split(":")[2])
    line = (site / "templates/_partials/header.html").read_text().splitlines()[3]
    assert line[column - 1:].startswith("taglin }}"), "the column points at the misspelt name"
    assert lines[-1] == "1 error; nothing was written."


def test_mistakes_in_several_templates_are_all_reported(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    edit(site / "templates/treaty.html", "{{ page.title }}", "{{ page.title }")
    edit(site / "templates/references.html", "{{ r.statement }}", "{{ r.statment }}")
    edit(site / "templates/source.html", '{% from "_partials/claim.html" import claim_card %}',
         '{% from "_partials/claims.html" import claim_card %}')
    lines = build_errors(site, capsys)
    located = [line.split(": ", 1)[0] for line in lines if not line.startswith("  ")][:-1]
    assert [p.rsplit(":", 2)[0] for p in located] == ["templates/references.html", "templates/source.html",
                                                      "templates/treaty.html"]
    assert "  hint: did you mean '_partials/claim.html'? names are relative to templates/" in lines
    assert lines[-1] == "3 errors; nothing was written."


@pytest.mark.parametrize(("written", "error"), [
    ("{{ page.head_title }", "template syntax error: unexpected '}'"),
    # Jinja raises the TypeError itself (or the shorter path for its calls, render._Context.call): the template's
    # mistake, not the builder's.
    ("{{ page.head_title() }}", "template error: TypeError: 'str' object is not callable"),
])
def test_a_mistake_in_base_html_is_reported_at_its_line(tmp_path: Path, capsys, written: str, error: str) -> None:
    site = copy_site(tmp_path / "site")
    edit(site / "templates/base.html", "{{ page.head_title }}", written)
    lines = build_errors(site, capsys)
    number = next(i for i, line in enumerate((site / "templates/base.html").read_text().splitlines(), 1)
                  if written + "<" in line)
    assert lines[0] == f"templates/base.html:{number}:1: {error}"
    assert lines[-1] == "1 error; nothing was written."


@pytest.mark.parametrize(("opening", "message"), [("{% raw %}", "Missing end of raw directive"),
                                                  ("{#", "Missing end of comment tag")])
def test_a_block_left_open_in_a_partial_names_the_partial(tmp_path: Path, capsys, opening: str,
                                                          message: str) -> None:
    # Found by the fuzz test below: for these errors Jinja's lexer gives the file as the template's name.
    site = copy_site(tmp_path / "site")
    footer = site / "templates/_partials/footer.html"
    footer.write_text(opening + footer.read_text(encoding="utf-8"), encoding="utf-8")
    lines = build_errors(site, capsys)
    assert lines[0] == f"templates/_partials/footer.html:1:1: template syntax error: {message}"


def test_the_forked_workers_of_a_large_build_report_template_errors(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site_root = copy_site(tmp_path / "site")
    edit(site_root / "templates/_partials/footer.html", "{{ chrome.as_of | human }}", "{{ chrome.as_off | human }}")
    site = check_site(site_root)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 4)
    with pytest.raises(ContentErrors) as caught:
        publish(site, site_root / "templates", tmp_path / "out")
    assert [(e.src_path, e.line) for e in caught.value.errors] == [("templates/_partials/footer.html", 3)]
    assert "has no attribute 'as_off'" in caught.value.errors[0].message




def test_a_bug_in_a_filter_still_raises_with_its_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site_root = copy_site(tmp_path / "site")
    site = check_site(site_root)

    def broken(value: object) -> str:
        raise KeyError("a bug in the builder")

    monkeypatch.setattr(builder.render, "sentence", broken)
    with pytest.raises(KeyError, match="a bug in the builder"):
        publish(site, site_root / "templates", tmp_path / "out")


# ---------------------------------------------------------------- random damage to the templates

TEMPLATE_FILES = sorted(p.relative_to(THEME_DIR).as_posix() for p in THEME_DIR.rglob("*.html"))
PIECES = ["{{", "}}", "{%", "%}", "{#", "#}", "{{ nope }}", "{{ page.nope }}", "{{ page.nope.deeper }}",
          "{% include 'nope.html' %}", "{% extends 'nope.html' %}", "{% import 'nope.html' as n %}", "{% if %}",
          "{% endif %}", "{% endfor %}", "{% for x in %}", "{% block content %}", "{% endblock %}", "{{ 1/0 }}",
          "{{ page.title|nope }}", "{% macro m() %}", "{{ m() }}", "{{ x.y }}", "{{ page['nope'] }}", "{% set %}",
          "{{ '", "{% raw %}", "\x00", "\ufeff", "\n"]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site]:
    root = copy_site(tmp_path_factory.mktemp("fuzz") / "site")
    return root, check_site(root)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(TEMPLATE_FILES), edits=st.lists(st.tuples(
    st.integers(min_value=0, max_value=10_000), st.one_of(st.sampled_from(PIECES), st.text(max_size=6))),
    min_size=1, max_size=3))
def test_damaged_templates_build_or_are_reported(fuzz_site: tuple[Path, Site], name: str,
                                                 edits: list[tuple[int, str]]) -> None:
    root, site = fuzz_site
    path = root / "templates" / name
    original = path.read_text(encoding="utf-8")
    text = original
    for position, piece in edits:
        at = position % (len(text) + 1)
        text = text[:at] + piece + text[at:]
    path.write_text(text, encoding="utf-8")
    try:
        publish(site, root / "templates", root / "public")
    except ContentErrors as errors:
        for error in errors.errors:
            assert error.src_path.startswith("templates/") and error.src_path.endswith(".html"), str(error)
            assert error.line >= 1 and error.column >= 1 and error.hint, str(error)
    finally:
        path.write_text(original, encoding="utf-8")
