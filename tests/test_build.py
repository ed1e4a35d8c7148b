"""build.py: the stages in their order, each once; nothing staged or written before the whole site is checked."""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path

import pytest
from jinja2 import Environment

import builder.build as build
from builder.errors import ContentErrors
from builder.render import compile_ahead, make_environment, to_compile_ahead
from tests.conftest import REPO, copy_site, tree_digest

STAGES = ("read_globals", "validate_shared", "check_units", "assemble_site", "plan_site", "render_site")


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stages build.py calls, in the order they end (assemble_site takes the sources as they are checked)."""
    called: list[str] = []
    for name in STAGES:
        real = getattr(build, name)

        def recording(*args: object, _name: str = name, _real: object = real, **kwargs: object) -> object:
            try:
                return _real(*args, **kwargs)  # type: ignore[operator]
            finally:
                called.append(_name)

        monkeypatch.setattr(build, name, recording)
    return called


def test_a_build_loads_validates_plans_renders_and_writes_in_that_order(tmp_path: Path, stages: list[str]) -> None:
    count = build.build_site(REPO, tmp_path / "public")
    assert [name for i, name in enumerate(stages) if name not in stages[:i]] == list(STAGES)
    assert stages.count("check_units") == 1, "the shipped site's sources are one chunk"
    assert count == sum(1 for p in (tmp_path / "public").rglob("*") if p.is_file()) - 1  # the marker


def test_a_failed_check_renders_and_stages_nothing(tmp_path: Path, stages: list[str]) -> None:
    site = copy_site(tmp_path / "site")
    claims = next((site / "content/claims").glob("*.yaml"))
    claims.write_text(claims.read_text().replace("quote:", "quote: not in the text", 1))
    with pytest.raises(ContentErrors):
        build.build_site(site, tmp_path / "public")
    assert "plan_site" not in stages and "render_site" not in stages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no output, no staging folder, no lock"


def test_a_failed_build_leaves_the_last_good_output_as_it_was(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    build.build_site(site, tmp_path / "public")
    before = tree_digest(tmp_path / "public")
    (site / "site.yaml").write_text("title: [unclosed\n")
    with pytest.raises(ContentErrors):
        build.build_site(site, tmp_path / "public")
    assert tree_digest(tmp_path / "public") == before


def test_check_site_writes_nothing(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    before = tree_digest(site)
    assert build.check_site(site).sources
    assert tree_digest(site) == before


def test_the_templates_are_compiled_while_the_site_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    """A child compiles them into Jinja's bytecode cache beside the check: the pages' environment, made after it,
    only loads them (with one core, the same is done in this process before the pages)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # Jinja's bytecode cache, empty
    (tmp_path / "tmp").mkdir()
    compiled_for_pages: list[str | None] = []
    real_compile, real_render = Environment.compile, build.render_site
    rendering = [False]

    def compile_(env: Environment, source: object, name: str | None = None, *args: object, **kwargs: object
                 ) -> object:
        if rendering[0]:
            compiled_for_pages.append(name)
        return real_compile(env, source, name, *args, **kwargs)  # type: ignore[arg-type]

    def render_site(*args: object, **kwargs: object) -> object:
        rendering[0] = True
        return real_render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", compile_)
    monkeypatch.setattr(build, "render_site", render_site)
    build.build_site(REPO, tmp_path / "public")
    assert compiled_for_pages == []
    assert len(list((tmp_path / "tmp").glob("_jinja2-cache-*/*.cache"))) == len(
        make_environment(REPO / "templates", None).list_templates(extensions=["html"]))
    fresh = tmp_path / "again"
    build.build_site(REPO, fresh)
    assert tree_digest(fresh) == tree_digest(tmp_path / "public")


def test_a_child_compiles_ahead_only_where_a_templates_bytecode_is_not_cached(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A child forked to find every template compiled already would cost this process more than it saves (every
    page of memory it then writes to, shared with the child, is faulted): none is forked then."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # Jinja's bytecode cache, empty
    (tmp_path / "tmp").mkdir()
    site = copy_site(tmp_path / "site")
    templates = site / "templates"
    asked: list[list[object]] = []
    real_meanwhile = build.parallel.meanwhile

    def meanwhile(work: object, items: list[object], beside: int = 0) -> object:
        if work is build.compile_ahead:
            asked.append(list(items))
        return real_meanwhile(work, items, beside)  # type: ignore[arg-type]

    monkeypatch.setattr(build.parallel, "meanwhile", meanwhile)
    build.build_site(site, tmp_path / "first")
    build.build_site(site, tmp_path / "second")
    assert asked == [[templates], []], "compiled ahead for the first build alone"
    (templates / "treaty.html").write_text("{% extends 'base.html' %}\n")  # the site's own: not compiled yet
    assert to_compile_ahead(templates) == [templates]
    compile_ahead([templates])
    assert to_compile_ahead(templates) == []
    (templates / "treaty.html").write_text("{% extends 'base.html' %}\n{# edited #}\n")
    assert to_compile_ahead(templates) == [templates], "its bytecode is out of date"


def test_a_template_that_cannot_be_compiled_ahead_is_reported_by_the_build(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    (site / "templates/treaty.html").write_text("{% extends 'base.html' %}\n{% block main %}{{ page.title }\n")
    compile_ahead([site / "templates"])  # what the child does: the broken template is left to the pages
    with pytest.raises(ContentErrors) as raised:
        build.build_site(site, tmp_path / "public")
    assert [(e.src_path, e.line) for e in raised.value.errors] == [("templates/treaty.html", 2)]
    assert not (tmp_path / "public").exists()


def test_garbage_collection_waits_for_the_end_of_the_block() -> None:
    assert gc.isenabled()
    with build.collect_after():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_warm_builder_builds_like_a_cold_build(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    warm = build.Builder(site, tmp_path / "warm")
    assert warm.build() == build.build_site(site, tmp_path / "cold")
    assert tree_digest(tmp_path / "warm") == tree_digest(tmp_path / "cold")
    assert warm.cache.written and warm.cache.units, "it remembers what it wrote and what it checked"
