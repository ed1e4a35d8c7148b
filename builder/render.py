"""The one Jinja environment and its filters; each planned page rendered and staged (in workers for a large
site), then the sitemap, robots.txt, assets and downloads."""

from __future__ import annotations

import contextlib
import functools
import html
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2.runtime
import markupsafe
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
)
from jinja2.bccache import Bucket
from jinja2.loaders import split_template_path
from jinja2.runtime import Macro
from markupsafe import Markup

from . import parallel
from .cache import template_files
from .cards import Card, card_files, load_drawing, render_cards
from .downloads import stage_downloads, stage_source_downloads
from .errors import ContentError, ContentErrors
from .export import (
    compact_json,
)
from .feed import render_feed
from .jobs import first_cards, page_cards, site_inputs
from .load import LINK_HINT, outside_project
from .model import Claim, PartialDate, Site, Source
from .pagekeys import may_keep_pages, page_keys_of
from .pages import Planner
from .search import index_files
from .staged import Staged
from .template_errors import (
    TemplateNotUtf8,
    TemplateOutsideProject,
    first_per_line,
    load_template,
    render_or_report,
    template_path,
)
from .text import parts_needed
from .themes import search_path, theme_file
from .urls import FEED, ICON, STYLESHEET, PageJob, absolute_url
from .views import Link, Page
from .write import Output, check_out_paths

if TYPE_CHECKING:
    from .cache import Cache, DiskCache

STATIC_FILES = {STYLESHEET: "assets/style.css", ICON: "assets/icon.svg", "assets/search.js": "assets/search.js",
                "assets/minisearch.js": "assets/minisearch.js",
                "assets/map-date.js": "assets/map-date.js"}


def render_markdown(text: str) -> Markup:
    """Markdown to HTML with raw HTML escaped, then sanitised: the content is data, not markup."""
    from .markdown_html import markdown_html  # here: a build that renders no Markdown never imports it

    return markdown_html(text)


# The date filters are cached: a large site prints the same few hundred dates tens of thousands of times.
@functools.cache
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


@functools.cache
def iso_date(value: date | PartialDate) -> str:
    """The machine-readable form for <time datetime>: a day, a month or a year. A day known only as "on or before"
    gives its year alone: HTML's dates have no "or earlier", and its day would read as the event's own."""
    if isinstance(value, PartialDate):
        return f"{value.year:04d}" if value.by else value.iso
    return value.isoformat()


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block; '<', '>' and '&' escaped so it cannot end it."""
    text = compact_json(data).decode("utf-8")
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class Once:
    """A macro's output for the same arguments, made the first time and then reused: a large site shows the same
    header and footer on every page, the same claim card on several pages and the same row of the map's table on
    every country page. The `once` filter: {{ claim_card | once(claim) }}."""

    def __init__(self) -> None:
        # Keyed by identity: the planner shows one view object wherever a claim or row appears. The arguments
        # are kept with their output, so their ids cannot be reused by other objects during the build.
        self.made: dict[tuple[int, ...], tuple[Macro, tuple[Any, ...], Markup]] = {}

    def forget(self) -> None:
        """Drop what was made: a worker that kept every claim card of its pages grew by a few hundred MB."""
        self.made.clear()

    def __call__(self, macro: Macro, *args: Any) -> Markup:
        key = (id(macro), *map(id, args))
        found = self.made.get(key)
        if found is None:  # each card drawn the first time: by the shorter path, as a template's call would be
            made = (_call_plain(macro, args, {}, macro._default_autoescape) if _is_plain(macro, len(args), {})
                    else macro(*args))
            found = self.made[key] = (macro, args, made)
        return found[2]


def public_escape(text: str) -> str:
    """markupsafe's escape through its public API: the same text, in a Markup object made only to be unwrapped."""
    return str(markupsafe.escape(text))


# markupsafe's own escape without the Markup object: a private function of the version pinned in requirements.txt,
# used only while it gives what the public API gives (tests/test_render.py); otherwise the public escape.
_escape_inner = getattr(markupsafe, "_escape_inner", public_escape)


_PDF, _PDI = "\u202c", "\u2069"  # what closes an embedding or override, and an isolate
_CLOSERS = {"\u202a": _PDF, "\u202b": _PDF, "\u202d": _PDF, "\u202e": _PDF, "\u2066": _PDI, "\u2067": _PDI,
            "\u2068": _PDI}
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def opens_bidi(text: str) -> bool:
    """Whether a text that is not ASCII holds a bidirectional embedding, override or isolate (U+202A-U+202E,
    U+2066-U+2068).

    Seven substring tests, in C: a regular expression took six times as long. On the 10,000-page benchmark the
    test costs about 0.1 s of CPU (145,000 texts, 48 million characters), in the processes that render.
    """
    return ("\u202e" in text or "\u202b" in text or "\u2067" in text or "\u2066" in text or "\u2068" in text
            or "\u202a" in text or "\u202d" in text)


def close_bidi(text: str) -> str:
    """The text with each bidirectional embedding, override or isolate it leaves open closed at its end.

    A source's words are kept verbatim and may hold an unpaired one (U+202E, say): written as it is, it would
    reverse the rest of the line it is shown on, the words of the page around it.
    """
    open_: list[str] = []  # the closer each open one needs, innermost last
    for found in _BIDI.finditer(text):
        char = found.group()
        if char in _CLOSERS:
            open_.append(_CLOSERS[char])
        elif char == _PDF and open_ and open_[-1] == _PDF:
            open_.pop()
        elif char == _PDI and _PDI in open_:  # an isolate's end also ends the embeddings opened inside it
            del open_[len(open_) - 1 - open_[::-1].index(_PDI):]
    return text + "".join(reversed(open_))


def escape_text(value: Any) -> str:
    """What an autoescaped `{{ value }}` writes: the text HTML-escaped, or a Markup value's own HTML; any
    bidirectional control it leaves open is closed (close_bidi).

    Jinja's own escape wraps each piece in a new Markup object, only for the template to join the pieces into one
    string (a million objects at 10,000 pages: docs/performance.md).
    """
    kind = type(value)
    if kind is str:
        if value.isascii() or not opens_bidi(value):  # isascii reads a flag: most texts are decided at once
            return _escape_inner(value)
        return _escape_inner(close_bidi(value))
    if kind is Markup:  # a macro's output, every call: its own HTML, as Markup.__html__ gives it
        return value
    if kind is int:  # a number (a claim's, a count): digits, nothing to escape
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


# A compiled template takes `escape` from jinja2.runtime (its exported names) when it is loaded, and calls it only
# on what it outputs, which it then joins; a block captured into a variable is made Markup again as a whole.
jinja2.runtime.escape = escape_text  # type: ignore[assignment]


class _Context(jinja2.runtime.Context):
    """Jinja's context with a shorter way to call a plain macro (no caller, no *varargs nor **kwargs), its
    arguments given by position or by name.

    Jinja's own way runs in Python through Context.call, Macro.__call__ and Macro._invoke, which look at each
    argument and keyword to serve every kind of macro: a large site calls macros hundreds of thousands of times.
    The result is the same: the macro's function on the arguments given, the missing ones `missing` (the macro
    puts its default), Markup when autoescaping; any other call goes Jinja's way, which reports what is wrong.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own names)
        if _is_plain(__obj, len(args), kwargs):
            try:
                return _call_plain(__obj, args, kwargs, __self.eval_ctx.autoescape)
            except StopIteration:  # as Context.call
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


_SCOPES = frozenset(("_loop_vars", "_block_vars"))  # what Jinja passes for a callable that takes the context


def _is_plain(macro: Any, given: int, kwargs: dict[str, Any]) -> bool:
    """Whether `macro` is a plain macro (no caller, no *varargs nor **kwargs) that takes `given` arguments by
    position and `kwargs` by name: one _call_plain runs as Jinja's Macro.__call__ would."""
    if (type(macro) is not Macro or given > macro._argument_count
            or macro.caller or macro.catch_kwargs or macro.catch_varargs or macro.explicit_caller):
        return False
    # Most often no keyword but _loop_vars, which a call in a loop passes: told without making a set.
    return kwargs.keys() <= _SCOPES or kwargs.keys() - _SCOPES <= set(macro.arguments[given:])


def _call_plain(macro: Macro, args: tuple[Any, ...], kwargs: dict[str, Any], autoescape: bool) -> Any:
    """A plain macro's function on these arguments, the missing ones `missing` (it puts its default); Markup when
    autoescaping."""
    if len(args) < macro._argument_count:  # the rest by name, or missing
        args += tuple(kwargs.get(name, jinja2.runtime.missing) for name in macro.arguments[len(args):])
    made = macro._func(*args)
    if not autoescape:
        return made
    return str.__new__(Markup, made) if type(made) is str else Markup(made)


class _Environment(Environment):
    """Jinja's environment with each template's globals in a plain dict.

    Jinja keeps them in a ChainMap over the environment's, so that globals changed after a template is loaded
    still show; this site sets its globals before loading any. Each page render copies its template's globals and
    each `{% from ... import %}` compares them with the page's, which on a ChainMap runs in Python: a tenth of
    rendering a source page.
    """

    context_class = _Context

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.loaded: dict[str, Template] = {}

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    def get_template(self, name: str | Template, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> Template:  # noqa: A002 (Jinja's name)
        """Jinja's, with each loaded template found again by its name alone: every `{% from ... import %}` of
        every page asks for its template (six on a source page), and Jinja's own lookup makes a weak reference
        and a key each time. Paths are not joined (join_path is Jinja's, which keeps the name) and the templates
        are never reloaded (auto_reload is off)."""
        if type(name) is str and globals is None:
            found = self.loaded.get(name)
            if found is None:
                found = self.loaded[name] = super().get_template(name, parent)
            return found
        return super().get_template(name, parent, globals)


class _ProjectLoader(FileSystemLoader):
    """Jinja's file loader over the site's templates, then the theme's (themes.py), which never reads a site's
    template that leads out of the project.

    load.check_links reports such a link before a build renders anything; this keeps the rule wherever pages
    are made, the preview's pages made first (hot.py) included.
    """

    def __init__(self, templates_dir: Path) -> None:
        super().__init__(search_path(templates_dir))
        self.root = templates_dir.parent

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        own = os.path.join(self.searchpath[0], *split_template_path(template))
        target = outside_project(own, self.root) if os.path.lexists(own) else None
        if target is not None:
            raise TemplateOutsideProject(template, target)
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            found = next((path for folder in self.searchpath
                          if os.path.exists(path := os.path.join(folder, *split_template_path(template)))), own)
            raise TemplateNotUtf8(found, exc) from None


class _BytecodeCache(FileSystemBytecodeCache):
    """Compiled templates kept in the user's temp folder (checked against each source's checksum), as Python keeps
    .pyc files: compiling them was a third of building the shipped site. Only a speed-up: a folder removed while a
    build runs (a temp cleaner, another program) or not writable never fails the build."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # (a file in the folder's place, say): compiled as without a cache
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    try:
        return _BytecodeCache()
    except (OSError, RuntimeError):  # no temp folder this user may write: every template compiled in memory
        return None


def make_environment(templates_dir: Path, site: Site | None) -> Environment:
    """The site's one environment: autoescaped, strict about undefined names, with the site's filters (and, given
    the `site`, its globals)."""
    env = _Environment(
        loader=_ProjectLoader(templates_dir),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build: no need to stat every template file again each time a page uses it.
        auto_reload=False,
        cache_size=-1,  # every template stays loaded, in a plain dict: an import looks one up on every page
    )
    env.filters.update(human=human_date, iso=iso_date, json_ld=json_ld, markdown=render_markdown, sentence=sentence,
                       once=Once())
    if site is not None:
        env.globals.update(site=site.config, agreement=site.rules)  # the agreement's names (content/rules.yaml)
    return env


def compile_templates(env: Environment) -> bool:
    """Compile every template, the partials too, into `env`: once, before forking workers that inherit them.
    Whether all compiled: a broken one is reported by the pages that use it, which read its file again."""
    compiled = True
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except TemplateError:
            compiled = False
    return compiled


def compile_ahead(templates_dirs: Sequence[Path]) -> list[None]:
    """Compile every template into Jinja's bytecode cache, which this build's environment then loads rather than
    compiles: run by a forked child while the site is checked (build.build_site), on the core it leaves idle.

    The environment is made as make_environment makes it, its globals aside: they are looked up when a template
    is loaded, never when it is compiled, and the bytecode's key is the template's name and text alone."""
    for templates_dir in templates_dirs:
        compile_templates(make_environment(templates_dir, None))
    return []


def to_compile_ahead(templates_dir: Path) -> list[Path]:
    """[templates_dir] if a template's compiled form is missing from Jinja's bytecode cache, or is out of date;
    else none: a child forked to compile nothing would still cost this process a page fault for every page of
    memory it writes to afterwards, which it shared with the child."""
    env = make_environment(templates_dir, None)
    cache = env.bytecode_cache
    if cache is None or env.loader is None:  # none is kept between builds: nothing to compile ahead
        return []
    for name in env.list_templates(extensions=["html"]):
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except (TemplateError, OSError):  # met by the child as before (a file not UTF-8 is a TemplateNotUtf8)
            return [templates_dir]
        if filename is None or cache.get_bucket(env, name, filename, source).code is None:
            return [templates_dir]
    return []


def render_sitemap(urls: list[str], lastmod: date) -> bytes:
    """Every listed page's absolute URL, in the order the site map plans them, with the content's date."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{html.escape(url, quote=False)}</loc><lastmod>{lastmod.isoformat()}</lastmod></url>"
              for url in urls]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {absolute_url(site, 'sitemap.xml')}\n".encode()


PageResult = tuple["Staged | ContentError", dict[str, list[Link]]]  # a page, and where it cited each reference


class Renderer:
    """Plans, renders and stages pages: made before the workers fork, so each inherits it (parallel.py)."""

    def __init__(self, planner: Planner, env: Environment, templates_dir: Path, output: Output) -> None:
        self.planner, self.env, self.templates_dir, self.output = planner, env, templates_dir, output
        self.templates: dict[str, Template | ContentError] = {}

    def template(self, name: str) -> Template | ContentError:
        if name not in self.templates:
            self.templates[name] = load_template(self.env, name, self.templates_dir)
        return self.templates[name]

    def render(self, jobs: Iterable[PageJob]) -> list[PageResult]:
        """Plan, render and stage these pages (a chunk of them); each with the references it cited."""
        self.env.filters["once"].forget()  # a chunk's pages share much; the next chunk's, less
        results: list[PageResult] = []
        for job in jobs:
            page = self.planner.plan(job)
            data = render_or_report(self.template(page.template), page, self.templates_dir)
            done = data if isinstance(data, ContentError) else _stage(self.output, page, data)
            results.append((done, self.planner.take_citations()))
        return results


def _stage(output: Output, page: Page, data: bytes) -> Staged:
    digest, written = output.put(page.out_path, data)
    return Staged(page.out_path, digest, written, page.canonical if page.in_sitemap else None,
                  None if page.kind in ("country", "source") else page.card, output.fresh.take_last(page.out_path))


def render_site(site: Site, planner: Planner, templates_dir: Path, output: Output, cache: Cache | None = None,
                disk: DiskCache | None = None) -> list[Staged]:
    """Render and stage every page of the plan, in its order, then the references page, the downloads, the
    sitemap and robots.txt. With a `cache` (a warm builder's), a page whose records did not change is kept; with
    a `disk` cache, one whose inputs' digests did not change.

    The share cards known from the model alone (jobs.first_cards: the costly ones, with the map) are drawn by a
    forked child meanwhile, where there are two cores and the pages have no workers; the others after the pages."""
    cards: dict[tuple[str, str], Any] = {}
    first = first_cards(planner, planner.jobs, cards)
    if disk is not None:
        first = disk.cards_to_draw(first)
    if first:
        load_drawing()
    with parallel.meanwhile(render_cards, first, beside=len(planner.jobs)) as drawn:
        return _render_site(site, planner, templates_dir, output, cache, disk, cards,
                            lambda todo: render_cards(todo, first, drawn), drawn)


def _render_site(site: Site, planner: Planner, templates_dir: Path, output: Output, cache: Cache | None,
                 disk: DiskCache | None, cards: dict[tuple[str, str], Any],
                 draw: Callable[[Sequence[Card]], list[bytes]], draw_first: Callable[[], object]) -> list[Staged]:
    templates = template_files(templates_dir) if cache is not None else ()  # before Jinja reads any
    env = make_environment(templates_dir, site)
    compiled = compile_templates(env)  # once, here, rather than in each worker
    renderer = Renderer(planner, env, templates_dir, output)
    jobs = planner.jobs
    # The disk cache's page keys say which pages are kept from the folder; where none can be (a new folder, an
    # edited template), they are needed only to keep the pages made, and are made while the page workers render.
    reusing = disk is not None and output.in_place and output.known is not None and may_keep_pages(disk)
    inputs = site_inputs(planner, jobs, cards) if cache is not None else {}
    keys = page_keys_of(disk, planner, jobs, cards) if disk is not None and reusing else None
    if cache is not None:
        reused = {job: (replace(entry[1][0], written=False), entry[1][1])  # type: ignore[type-var]
                  for job, entry in cache.reusable_pages(site, templates, output, inputs).items()}
    elif disk is not None and keys is not None and output.known is not None:
        reused = {job: (replace(staged, written=False) if staged.written else staged, citations)  # kept unwritten
                  for job, (staged, citations) in disk.reusable_pages(keys, output.known).items()}
    else:
        reused = {}
    todo = [job for job in jobs if job not in reused]
    kept = cache if cache is not None else disk
    forked: list[bool] = []

    def before_fork() -> None:
        _share_views(planner)
        from . import markdown_html  # noqa: F401 (once, for every worker that renders Markdown)

        forked.append(True)

    with parallel.map_chunks(renderer.render, todo, before_fork) as pending:
        links: dict[str, str] = {}
        if forked:  # the workers have the views; this process plans none of their pages, and needs the memory;
            # the downloads need only the views' links to the original's text (not made a second time)
            links = {claim_id: view.original_href for claim_id, view in planner.claim_views.items()}
            planner.claim_views.clear()
        extras = _stage_extras(output, render_extras(site, templates_dir, planner))  # meanwhile, with workers
        downloads, extras_of_sources = stage_downloads(site, planner, output, kept, links)
        del links
        if forked:  # this process has less to do than each worker: what else it can do before they end, here
            with parallel.one_process():
                extras += stage_source_downloads(site, planner, output, kept, downloads, extras_of_sources)
            if disk is not None:
                keys = keys if keys is not None else page_keys_of(disk, planner, jobs, cards)
                if compiled:  # every input read by now (the templates before the fork): not after the last page
                    disk.check_inputs()
            draw_first()  # the share cards drawn from the model (no child draws them beside workers)
        made = list(zip(todo, pending, strict=True))  # without workers, each chunk is rendered as it is read
    if not forked:
        extras += stage_source_downloads(site, planner, output, kept, downloads, extras_of_sources)
    if disk is not None and keys is None:
        keys = page_keys_of(disk, planner, jobs, cards)
    results = _take_pages(planner, jobs, reused, made, cache, inputs, disk, keys)
    staged = [result for result, _ in results.values() if isinstance(result, Staged)]
    errors = [result for result, _ in results.values() if isinstance(result, ContentError)]
    references = planner.references()  # last: it lists the pages that cite each reference
    data = render_or_report(renderer.template(references.template), references, templates_dir)
    if isinstance(data, ContentError):
        errors.append(data)
    if errors:
        raise ContentErrors(first_per_line(errors))
    staged_refs = _stage(output, references, data)
    staged.append(staged_refs)
    staged += extras + _stage_extras(output, {
        "sitemap.xml": render_sitemap([s.sitemap_url for s in staged if s.sitemap_url], planner.lastmod()),
        "robots.txt": render_robots(site),
        FEED: render_feed(site),
        **card_files(page_cards(planner, [*((job, result.card if isinstance(result, Staged) else None)
                                            for job, (result, _) in results.items()),
                                           (("references", None), staged_refs.card)], cards),
                     (lambda todo: disk.draw_cards(todo, draw)) if disk is not None else draw),
    })
    staged += _stage_extras(output, index_files(site, planner))  # from the model: cheap, and unchanged chunks stay
    problems = check_out_paths([s.out_path for s in staged])
    if problems:
        raise ContentErrors(problems)
    return staged


def _take_pages(planner: Planner, jobs: Sequence[PageJob], reused: dict[PageJob, PageResult],
                made: list[tuple[PageJob, PageResult]], cache: Cache | None, inputs: dict[PageJob, Any],
                disk: DiskCache | None, keys: dict[PageJob, bytes | None] | None) -> dict[PageJob, PageResult]:
    """Every page's result, in the site map's order: each reused one, or the next `made` (the pages not reused,
    in the same order); its citations merged, and each kept by the cache."""
    results: dict[PageJob, PageResult] = {}
    rendered = iter(made)
    for job in jobs:
        found = reused.get(job)
        if found is None:
            made_for, found = next(rendered)
            assert made_for == job, "the pages not reused come in the site map's order"
        results[job] = found
        result, citations = found
        if citations:
            planner.add_citations(citations)
        if cache is not None:
            cache.propose_page(job, inputs[job], found)
        if disk is not None and keys is not None and keys[job] is not None and isinstance(result, Staged):
            disk.keep_page(job, keys[job], result, citations)
    return results


def _share_views(planner: Planner) -> None:
    """Every claim's view made now, before the page workers fork: each would otherwise make most of them again
    (a claim shows on its source's page and on its countries', which fall to either worker). Made citing for no
    page: a page that shows one records its citations when it asks for it (Planner.view)."""
    current, planner.citer.current = planner.citer.current, None
    for claim in planner.claims:
        planner.view(claim)
    planner.citer.current = current


def _stage_extras(output: Output, files: dict[str, bytes | Iterator[bytes]]) -> list[Staged]:
    return [Staged(out_path, *output.put(out_path, data), None) for out_path, data in files.items()]


def read_asset(templates_dir: Path, src: str) -> bytes:
    """A file copied into the site as it is (the stylesheet, the icon): the site's own, else the theme's; never
    one from outside the project."""
    path = theme_file(templates_dir, src)
    if path != templates_dir / src:
        return path.read_bytes()  # the theme's, inside the generator
    target = outside_project(path, templates_dir.parent)
    if target is not None:
        raise ContentErrors([ContentError(template_path(str(path), templates_dir), 1, 1,
                                          f"the template file is a link to '{target}', outside the project",
                                          LINK_HINT)])
    return path.read_bytes()


PARTS_AT_LEAST = 16  # outline rules every stylesheet has: only a source with more claims can need more


def with_part_rules(css: bytes, sources: Mapping[str, Source], claims_of: Mapping[str, Sequence[Claim]]) -> bytes:
    """The stylesheet and, after it, the rules that outline every piece of a claim cut into pieces when a link
    lands on it (text.py's claim-part-N classes): as many as the site's sources need, as a page may carry no style
    of its own (CSP); a fixed 16 left a source's 17th such claim unoutlined. Drafts are not shown, nor counted (the
    preview's early copy is given a changed source's claims as read, drafts among them)."""
    count = max([PARTS_AT_LEAST] + [parts_needed(sources[source_id], [c for c in claims if not c.draft])
                                    for source_id, claims in claims_of.items() if len(claims) > PARTS_AT_LEAST])
    selectors = ",\n".join(f".source-text:has(.claim-part-{n}:target) .claim-part-{n}" for n in range(1, count + 1))
    return css + (f"/* Written by the build (builder/render.py, with_part_rules): a link to a claim cut into pieces "
                  f"outlines\n   every piece and its own tag, {count} pieces' worth. */\n{selectors} "
                  "{ outline: 3px solid var(--focus); outline-offset: 1px; }\n").encode()


def render_extras(site: Site, templates_dir: Path, planner: Planner) -> dict[str, bytes | Iterator[bytes]]:
    """The files that are not pages, but for the downloads (stage_downloads): the assets."""
    files: dict[str, bytes | Iterator[bytes]] = {out_path: read_asset(templates_dir, src)
                                                 for out_path, src in STATIC_FILES.items()}
    files[STYLESHEET] = with_part_rules(read_asset(templates_dir, STATIC_FILES[STYLESHEET]), site.sources,
                                        planner.claims_of)
    files[".nojekyll"] = b""
    return files
