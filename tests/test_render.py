"""The one Jinja environment and its filters: escaping, Markdown without raw HTML, dates, JSON-LD, outputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import jinja2
import markupsafe
import pytest

import builder.render
from builder.build import build_site, check_site, publish
from builder.model import PartialDate, Site
from builder.pages import plan_pages
from builder.render import (
    escape_text,
    human_date,
    iso_date,
    json_ld,
    make_environment,
    render_markdown,
    render_robots,
    render_sitemap,
    sentence,
)
from builder.themes import THEME_DIR
from builder.write import MARKER
from tests.support.overlaps import overlapping_site

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
FIXTURE = REPO / "tests" / "fixtures" / "mini"


@pytest.fixture(scope="module")
def site() -> Site:
    return check_site(FIXTURE)


def test_markdown_shows_raw_html_as_text() -> None:
    html = str(render_markdown('Hi <script>alert("x")</script> and <b onclick="evil()">bold</b>'))
    assert "<script" not in html and "<b" not in html, "no tag typed in the text becomes an element"
    assert "&lt;script&gt;" in html and "&lt;b onclick=" in html, "it is shown as text instead"


def test_markdown_keeps_structure_and_safe_links_only() -> None:
    html = str(render_markdown("# Title\n\n## Part\n\n- **one** [x](https://example.org/a)\n\n[bad](javascript:alert(1))"))
    assert "<h1" not in html and "Title" not in html, "the leading h1 is the page's own title"
    assert "<h2>Part</h2>" in html and "<strong>one</strong>" in html
    assert '<a href="https://example.org/a">x</a>' in html
    assert "javascript:" not in html


def test_later_h1_headings_are_demoted() -> None:
    assert "<h2>Second</h2>" in str(render_markdown("# First\n\ntext\n\n# Second\n"))


def test_dates_read_as_precisely_as_they_are_known() -> None:
    assert human_date(date(2025, 3, 18)) == "18 March 2025"
    assert human_date(PartialDate(2025, 7)) == "July 2025"
    assert human_date(None) == ""
    assert iso_date(PartialDate(2025, 7)) == "2025-07"
    assert iso_date(date(2025, 3, 18)) == "2025-03-18"
    assert sentence("between 1 April and 4 April") == "Between 1 April and 4 April"


def test_json_ld_cannot_close_its_script_block() -> None:
    text = str(json_ld({"b": "</script><script>alert(1)</script>", "a": "x & y"}))
    assert "</script" not in text and "<" not in text and "&" not in text
    assert json.loads(text) == {"a": "x & y", "b": "</script><script>alert(1)</script>"}
    assert text.index('"a"') < text.index('"b"'), "keys are sorted"


def test_environment_escapes_and_refuses_undefined_names(site: Site, tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text("{{ value }}|{{ missing }}")
    (tmp_path / "ok.html").write_text("{{ value }}")
    env = make_environment(tmp_path, site)
    assert env.get_template("ok.html").render(value="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.html").render(value="x")


@pytest.mark.parametrize("value", ["<a href='x'>\"Tom\" & Jerry</a>", "plain", "", 3.5, None, 12, -3, True,
                                   markupsafe.Markup("<em>kept</em>"), PartialDate(2025, 3)])
@pytest.mark.parametrize("inner", ["markupsafe's", "public"])
def test_output_is_escaped_as_markupsafe_escapes_it(value: object, inner: str, monkeypatch: pytest.MonkeyPatch
                                                    ) -> None:
    if inner == "public":  # as where the pinned markupsafe's private function is missing
        monkeypatch.setattr(builder.render, "_escape_inner", builder.render.public_escape)
    else:
        assert builder.render._escape_inner is markupsafe._escape_inner, "the pinned version has it"
    assert escape_text(value) == str(markupsafe.escape(value))


def test_templates_escape_output_but_not_markup_nor_captured_blocks(site: Site, tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text(
        "{% macro em(x) %}<em>{{ x }}</em>{% endmacro %}{% set block %}<i>{{ text }}</i>{% endset %}"
        "{{ text }}|{{ em(text) }}|{{ block }}|{{ block | upper }}|{{ text ~ em('&') }}|{{ number }}")
    html = make_environment(tmp_path, site).get_template("t.html").render(text="a<b", number=2)
    assert html == ("a&lt;b|<em>a&lt;b</em>|<i>a&lt;b</i>|<I>A&LT;B</I>|a&lt;b<em>&amp;</em>|2")


MACROS = ("{% macro card(a, b=false, c='&') %}[{{ a }}|{{ b }}|{{ c }}]{% endmacro %}"
          "{% macro rest(a) %}{{ a }}{{ varargs | join(',') }}{{ kwargs | dictsort | join(',') }}{% endmacro %}"
          "{% macro framed(a) %}({{ caller() }}{{ a }}){% endmacro %}")


@pytest.mark.parametrize("call", [
    "{{ card('<x>') }}", "{{ card('x', true) }}", "{{ card('x', true, '<y>') }}", "{{ card('x', c='z') }}",
    "{{ card(a='x', c='z') }}", "{{ card(c='z', b=1, a=2) }}", "{{ card() }}",
    "{% for i in [1, 2] %}{{ card(i, c=loop.index) }}{% endfor %}", "{{ card('x') | upper }}",
    "{{ rest(1, 2, 3, k=4) }}", "{% call framed('x') %}<in>{% endcall %}", "{{ framed('x', caller=card) }}",
    "{{ card(1, 2, 3, 4) }}", "{{ card(1, d=2) }}", "{{ card(1, a=2) }}",
])
def test_macros_give_what_jinja_gives(call: str, site: Site, tmp_path: Path) -> None:
    """The environment's shorter way to call a plain macro (render._Context) gives Jinja's own result, or the
    same error for a wrong call."""
    (tmp_path / "t.html").write_text(MACROS + call)

    assert _outcome(lambda: make_environment(tmp_path, site).get_template("t.html")) == _outcome(
        lambda: _JINJAS.from_string(MACROS + call))


def _outcome(template: Callable[[], jinja2.Template]) -> tuple[str, str]:
    """What rendering a template gives: its text, or the error it raises (compared with Jinja's own)."""
    try:
        return "made", template().render()
    except Exception as exc:  # noqa: BLE001 (the error is what is compared)
        return type(exc).__name__, str(exc)


_JINJAS = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)  # Jinja as it comes


@pytest.mark.parametrize(("once", "call"), [
    ("{{ card | once('<x>') }}{{ card | once('<x>') }}", "{{ card('<x>') }}{{ card('<x>') }}"),
    ("{{ card | once('x', true, '<y>') }}", "{{ card('x', true, '<y>') }}"), ("{{ card | once }}", "{{ card() }}"),
    ("{{ card | once('x') | upper }}", "{{ card('x') | upper }}"),
    ("{{ rest | once(1, 2, 3) }}", "{{ rest(1, 2, 3) }}"),
    ("{{ framed | once('x') }}", "{{ framed('x') }}"), ("{{ card | once(1, 2, 3, 4) }}", "{{ card(1, 2, 3, 4) }}"),
])
def test_macros_drawn_once_give_what_jinja_gives(once: str, call: str, site: Site, tmp_path: Path) -> None:
    """The once filter (render.Once) draws a macro as Jinja's own call does, plain or not, or fails as it does."""
    (tmp_path / "t.html").write_text(MACROS + once)

    assert _outcome(lambda: make_environment(tmp_path, site).get_template("t.html")) == _outcome(
        lambda: _JINJAS.from_string(MACROS + call))


def test_publish_writes_every_file(site: Site, tmp_path: Path) -> None:
    pages = plan_pages(site)
    staged = publish(site, TEMPLATES, tmp_path / "out")
    files = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert MARKER in files  # the builder's list of the files it wrote (write.py), not a file of the site
    files.remove(MARKER)
    assert [s.out_path for s in staged[:len(pages)]] == [p.out_path for p in pages], "pages first, in site-map order"
    extras = {".nojekyll", "sitemap.xml", "robots.txt", "assets/style.css", "assets/icon.svg", "data/site.json",
              "data/claims.csv", "assets/search.js", "assets/minisearch.js", "assets/map-date.js", "changes/feed.xml"}
    # The share cards and the search index (beside the search page's own index.html).
    made = {f for f in files if f.startswith(("cards/", "search/")) and f != "search/index.html"}
    assert {p.card.out_path for p in pages if p.card} == {f for f in made if f.startswith("cards/")}
    assert {"search/index.json", "search/site.json", "search/sources-0.json"} <= made
    assert files == {p.out_path for p in pages} | extras | made == {s.out_path for s in staged}
    assert (tmp_path / "out/index.html").read_bytes().startswith(b"<!DOCTYPE html>")
    assert not list(tmp_path.glob(".build-*")), "no staging folder is left behind"


def test_each_template_is_compiled_once(site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loads: list[str] = []
    original = jinja2.FileSystemLoader.get_source

    def counting(self, environment, name):  # type: ignore[no-untyped-def]
        loads.append(name)
        return original(self, environment, name)

    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", counting)
    pages = plan_pages(site)
    loads.clear()
    publish(site, TEMPLATES, tmp_path / "out")
    assert len(loads) == len(set(loads)), "a template was read and compiled more than once"
    assert {p.template for p in pages} <= set(loads) and "base.html" in loads


def test_sitemap_and_robots_use_absolute_urls(site: Site) -> None:
    pages = plan_pages(site)
    sitemap = render_sitemap([p.canonical for p in pages if p.in_sitemap and p.canonical], date(2026, 12, 4)).decode()
    assert sitemap.count("<loc>") == sum(1 for p in pages if p.in_sitemap)
    assert sitemap.count("<lastmod>2026-12-04</lastmod>") == sitemap.count("<loc>")
    assert "<loc>https://example.org/mini/</loc>" in sitemap and "404" not in sitemap
    assert render_robots(site).decode().endswith("Sitemap: https://example.org/mini/sitemap.xml\n")


def test_a_bytecode_folder_removed_while_a_build_runs_does_not_fail_it(tmp_path: Path) -> None:
    """Jinja's compiled templates live in the user's temp folder, which a temp cleaner may remove at any time: a
    speed-up only, so a template is then compiled and rendered as without it."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("{{ 'a' ~ 'b' }}", encoding="utf-8")
    env = make_environment(tmp_path / "templates", None)
    assert isinstance(env.bytecode_cache, jinja2.FileSystemBytecodeCache)
    env.bytecode_cache.directory = str(tmp_path / "removed")  # as if removed: its files cannot be made
    assert env.get_template("page.html").render() == "ab"
    (tmp_path / "a file").write_text("")
    env = make_environment(tmp_path / "templates", None)
    env.bytecode_cache.directory = str(tmp_path / "a file")  # a file in its place: nothing can be read there
    assert env.get_template("page.html").render() == "ab"


def test_the_stylesheet_outlines_as_many_claim_pieces_as_a_source_has(tmp_path: Path) -> None:
    """16 rules were written by hand: a source's 17th claim cut into pieces had none. The build writes one per part
    its sources need, and 16 whatever they need (a source of 16 claims or fewer is not counted)."""
    build_site(overlapping_site(tmp_path / "site", 22), tmp_path / "public")
    css = (tmp_path / "public" / "assets" / "style.css").read_text(encoding="utf-8")
    assert ".source-text:has(.claim-part-22:target) .claim-part-22 {" in css and "claim-part-23" not in css
    build_site(overlapping_site(tmp_path / "few", 3), tmp_path / "few-public")
    css = (tmp_path / "few-public" / "assets" / "style.css").read_text(encoding="utf-8")
    assert ".claim-part-16 {" in css and "claim-part-17" not in css


def test_the_preview_s_early_stylesheet_counts_no_draft(tmp_path: Path) -> None:
    """rev-code23: the preview's early copy of an edited stylesheet counted a draft claim, which no page shows, and
    had one rule more than the whole build's."""
    from builder.build import check_site
    from builder.hot import Remaker

    site_dir = overlapping_site(tmp_path / "site", 17)
    claims = site_dir / "content" / "claims" / "trees.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("- id: tree-16\n", "- id: tree-16\n  draft: true\n"),
                      encoding="utf-8")
    (site_dir / "templates" / "assets").mkdir(parents=True, exist_ok=True)
    (site_dir / "templates" / "assets" / "style.css").write_bytes((THEME_DIR / "assets" / "style.css").read_bytes())
    build_site(site_dir, tmp_path / "public")
    whole = (tmp_path / "public" / "assets" / "style.css").read_bytes()
    early = Remaker(check_site(site_dir)).remake(site_dir, ["templates/assets/style.css"], ["sources/trees/index.html"])
    assert b"claim-part-16 {" in whole and b"claim-part-17" not in whole
    assert early["assets/style.css"] == whole
