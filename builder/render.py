"""The one Jinja environment and its filters; pages in, file bytes out (HTML, sitemap, robots, assets, data)."""

from __future__ import annotations

import json
import multiprocessing
import os
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import markdown
import nh3
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, Template
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .export import export_claims_csv, export_site_json
from .model import PartialDate, Site
from .pages import CLAIMS_CSV, ICON, SITE_JSON, STYLESHEET, Page, absolute_url

# What the methodology's Markdown may produce once sanitised: text structure and links, nothing active.
ALLOWED_TAGS = {"a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
                "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
STATIC_FILES = {STYLESHEET: "assets/style.css", ICON: "assets/icon.svg"}


class _NoRawHtml(Extension):
    """Markdown without its raw-HTML passthrough: tags typed in the text are shown as text, never run."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (the Markdown API's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


class _DemoteHeadings(Treeprocessor):
    """The page has its own h1: a leading '# Title' becomes the page's title and is dropped, other h1 become h2."""

    def run(self, root: Any) -> None:
        children = list(root)
        if children and children[0].tag == "h1":
            root.remove(children[0])
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"


def render_markdown(text: str) -> Markup:
    """Markdown to HTML with raw HTML escaped, then sanitised: the content is data, not markup."""
    html = markdown.markdown(text, extensions=[_NoRawHtml(), "tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None,
                            url_schemes={"http", "https", "mailto"}))


def human_date(value: date | PartialDate | None) -> str:
    """'18 March 2025', 'July 2025' or '1997': as precisely as the date is known."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.human
    return PartialDate.of(value).human


def sentence(text: str) -> str:
    """Capitalise only the first letter, so 'between 1 April...' can open a sentence without lowering the rest."""
    return text[:1].upper() + text[1:]


def iso_date(value: date | PartialDate) -> str:
    """The machine-readable form for <time datetime>: a day, a month or a year."""
    return value.iso if isinstance(value, PartialDate) else value.isoformat()


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block; '<', '>' and '&' escaped so it cannot end it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def make_environment(templates_dir: Path, site: Site) -> Environment:
    """The site's one environment: autoescaped, strict about undefined names, with the site's filters."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        # Compiled templates kept in the user's temp folder (checked against each source's checksum), as Python
        # keeps .pyc files: compiling them was a third of building the shipped site.
        bytecode_cache=FileSystemBytecodeCache(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(human=human_date, iso=iso_date, json_ld=json_ld, markdown=render_markdown, sentence=sentence)
    env.globals.update(site=site.config)
    return env


def render_page(template: Template, page: Page) -> bytes:
    """One page's HTML, from its template and the context the site map computed for it."""
    return template.render(page=page, **page.context).encode("utf-8")


def render_sitemap(site: Site, pages: list[Page]) -> bytes:
    """Every listed page's absolute URL, in the order the site map plans them."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{xml_escape(page.canonical or '')}</loc></url>" for page in pages if page.in_sitemap]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {absolute_url(site, 'sitemap.xml')}\n".encode()


# Rendering is most of a large build, and pages are independent: from this many pages on, forked workers share
# it. They inherit the environment and the pages (nothing is pickled but the bytes they send back), while this
# process writes the exports.
PARALLEL_FROM = 500
PAGES_PER_TASK = 50
_WORK: tuple[dict[str, Template], list[Page]] | None = None


def _render_range(start: int) -> list[bytes]:
    """In a forked worker: the pages from `start`, PAGES_PER_TASK of them."""
    assert _WORK is not None, "set before the workers were forked"
    templates, pages = _WORK
    return [render_page(templates[page.template], page) for page in pages[start:start + PAGES_PER_TASK]]


def render_pages(site: Site, pages: list[Page], templates_dir: Path) -> dict[str, bytes]:
    """Every file of the site, by its path inside the output folder."""
    global _WORK
    env = make_environment(templates_dir, site)
    templates = {name: env.get_template(name) for name in dict.fromkeys(page.template for page in pages)}
    workers = min(os.cpu_count() or 1, 8)
    files: dict[str, bytes] = {}
    if workers == 1 or len(pages) < PARALLEL_FROM:
        for page in pages:
            files[page.out_path] = render_page(templates[page.template], page)
        files.update(render_extras(site, pages, templates_dir))
        return files
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)  # the partials too: compiled once here rather than once in every worker
    _WORK = (templates, pages)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            starts = range(0, len(pages), PAGES_PER_TASK)
            rendered = pool.imap(_render_range, starts)
            extras = render_extras(site, pages, templates_dir)
            for start, chunk in zip(starts, rendered, strict=True):
                for page, data in zip(pages[start:start + PAGES_PER_TASK], chunk, strict=True):
                    files[page.out_path] = data
    finally:
        _WORK = None
    files.update(extras)
    return files


def render_extras(site: Site, pages: list[Page], templates_dir: Path) -> dict[str, bytes]:
    """The files that are not pages: assets, the downloads, the sitemap, robots.txt."""
    files = {out_path: (templates_dir / src).read_bytes() for out_path, src in STATIC_FILES.items()}
    files[SITE_JSON] = export_site_json(site)
    files[CLAIMS_CSV] = export_claims_csv(site)
    files["sitemap.xml"] = render_sitemap(site, pages)
    files["robots.txt"] = render_robots(site)
    files[".nojekyll"] = b""
    return files
