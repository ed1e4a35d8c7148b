"""A template's mistakes as content errors: the template that cannot be loaded or stops rendering, named by its
file, line and column, with what to do; never a traceback (a fault of the builder's own code keeps its traceback).
Each page is rendered here (render_or_report), so every template error is reported the same way."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import jinja2
from jinja2 import (
    Environment,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.defaults import DEFAULT_NAMESPACE

from .errors import ContentError, did_you_mean
from .load import LINK_HINT
from .themes import THEME_DIR
from .views import Page


class TemplateOutsideProject(TemplateError):
    """A template file that is a link leading out of the project."""

    def __init__(self, name: str, target: str) -> None:
        super().__init__(f"template '{name}' is a link to '{target}', outside the project")
        self.name = name


class TemplateNotUtf8(TemplateError):
    """A template file whose bytes are not UTF-8 text (saved in another encoding, or not text at all)."""

    def __init__(self, filename: str, error: UnicodeDecodeError) -> None:
        before = error.object[:error.start]
        self.filename, self.line = filename, before.count(b"\n") + 1
        self.column = len(before) - (before.rfind(b"\n") + 1) + 1
        super().__init__(f"the template is not UTF-8 text: byte 0x{error.object[error.start]:02x} cannot be read")


def render_page(template: Template, page: Page) -> bytes:
    """One page's HTML, from its template and the context the site map computed for it."""
    return template.render(page=page, **page.context).encode("utf-8")


# ---------------------------------------------------------------- a template's mistakes, as content errors
# The templates are part of the site, like its content: a typo in one names its file and line, never a traceback.

def load_template(env: Environment, name: str, templates_dir: Path) -> Template | ContentError:
    """A page kind's template, compiled; or why it cannot be."""
    try:
        return env.get_template(name)
    except TemplateNotFound:
        return ContentError(template_path(str(templates_dir / name), templates_dir), 1, 1,
                            f"template '{name}' is missing",
                            "the site map (builder/pages.py) renders a kind of page with it, and the theme "
                            "(builder/theme/) has every one: reinstall the generator")
    except TemplateOutsideProject as exc:
        return ContentError(template_path(str(templates_dir / name), templates_dir), 1, 1, exc.message or "",
                            LINK_HINT)
    except TemplateNotUtf8 as exc:
        return not_utf8(exc, templates_dir)
    except TemplateSyntaxError as exc:
        error = template_error(exc, templates_dir)
        if error is None:
            raise
        return error


def not_utf8(exc: TemplateNotUtf8, templates_dir: Path) -> ContentError:
    return ContentError(template_path(exc.filename, templates_dir), exc.line, exc.column, exc.message or "",
                        "save the file as UTF-8 (most editors offer it under Save as or Encoding)")


def render_or_report(template: Template | ContentError, page: Page, templates_dir: Path) -> bytes | ContentError:
    """A page's HTML, or the template error that stopped it."""
    if isinstance(template, ContentError):
        return template
    try:
        return render_page(template, page)
    except Exception as exc:
        error = template_error(exc, templates_dir)
        if error is None:
            raise
        return error


def template_error(exc: Exception, templates_dir: Path) -> ContentError | None:
    """Where in which template rendering stopped, and what to do; None when the fault is the builder's."""
    if isinstance(exc, TemplateNotUtf8):  # a partial the template includes or imports
        return not_utf8(exc, templates_dir)
    if isinstance(exc, TemplateSyntaxError) and (exc.filename or exc.name):
        # Jinja's lexer passes the file as the template's name for some errors ("Missing end of raw directive").
        filename = os.path.join(str(templates_dir), exc.filename or exc.name or "")
        if _inside(filename, templates_dir):
            return ContentError(template_path(filename, templates_dir), exc.lineno or 1, 1,
                                f"template syntax error: {exc.message}",
                                "fix the Jinja syntax on this line (or a tag opened above it and never closed); "
                                "tags are {% ... %}, values {{ ... }}, comments {# ... #}")
    frames = [(tb.tb_frame, tb.tb_lineno) for tb in _walk(exc.__traceback__)]
    in_templates = [at for at, (frame, _) in enumerate(frames) if _inside(frame.f_code.co_filename, templates_dir)]
    # An exception raised by builder code a template called (a filter) is a bug, shown with its traceback; one
    # raised by Jinja itself doing what the template says (calling a value that is not callable) is the template's.
    if not in_templates or (not isinstance(exc, TemplateError)
                            and not all(_jinja_own(frame) for frame, _ in frames[in_templates[-1] + 1:])):
        return None
    frame, line = frames[in_templates[-1]]
    src_path = template_path(frame.f_code.co_filename, templates_dir)
    source_line = _source_line(frame.f_code.co_filename, line)
    if isinstance(exc, UndefinedError):
        return _undefined_error(exc.message or "undefined value", src_path, line, source_line, frame.f_locals)
    if isinstance(exc, TemplateOutsideProject):
        return ContentError(src_path, line, 1, exc.message or "", LINK_HINT)
    if isinstance(exc, TemplateNotFound):
        return ContentError(src_path, line, 1, f"template '{exc.name}' not found",
                            _closest(str(exc.name), templates_dir) + "names are relative to templates/")
    if isinstance(exc, TemplateSyntaxError):  # a template with no file: one made from a string
        return ContentError(src_path, line, 1, f"template syntax error: {exc.message}", "fix the Jinja syntax")
    return ContentError(src_path, line, 1, f"template error: {type(exc).__name__}: {exc}",
                        "fix the expression on this line")


def _undefined_error(message: str, src_path: str, line: int, source_line: str, scope: dict[str, Any]) -> ContentError:
    """A name or attribute the template uses but nothing provides; the column is where the line uses it."""
    name = re.fullmatch(r"'(\w+)' is undefined", message)
    if name:
        known = [n for n in scope if n not in DEFAULT_NAMESPACE and not n.startswith("_")]
        found = re.search(rf"(?<![\w.]){name[1]}\b", source_line)
        return ContentError(src_path, line, found.start() + 1 if found else 1, f"undefined in the template: {message}",
                            "templates run with StrictUndefined: use a name the page provides (builder/pages.py "
                            f"computes them) or set it first; {did_you_mean(name[1], known, 'names here')}")
    attribute = re.search(r"has no (?:attribute|element) '?(\w+)'?$", message)
    found = attribute and re.search(rf"\.\s*({attribute[1]})\b|\[\s*'?({attribute[1]})'?\s*\]", source_line)
    column = found.start(found.lastindex or 0) + 1 if found else 1
    return ContentError(src_path, line, column, f"undefined in the template: {message}",
                        "check the spelling; what each page's template receives is built in builder/pages.py")


_JINJA = os.path.join(os.path.dirname(os.path.abspath(jinja2.__file__)), "")


def _jinja_own(frame: FrameType) -> bool:
    """Whether a frame runs Jinja's own code, or render.py's shorter path for Jinja's calls (_Context.call)."""
    code = frame.f_code
    return code.co_filename.startswith(_JINJA) or (code.co_qualname == "_Context.call"
                                                   and code.co_filename.endswith(os.path.join("builder", "render.py")))


def _walk(tb: TracebackType | None) -> Iterator[TracebackType]:
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _inside(filename: str, templates_dir: Path) -> bool:
    """Whether a file is a template: the site's own or the theme's."""
    return any(filename.startswith(os.path.join(str(folder), "")) for folder in (templates_dir, THEME_DIR))


def template_path(filename: str, templates_dir: Path) -> str:
    """The path errors print: templates/NAME.html for the site's own, builder/theme/NAME.html for the theme's."""
    path = Path(filename)
    if path.is_relative_to(THEME_DIR):
        return (Path("builder/theme") / path.relative_to(THEME_DIR)).as_posix()
    return path.relative_to(templates_dir.parent).as_posix()


def _closest(name: str, templates_dir: Path) -> str:
    """Only the likeliest name: listing every template would change the message whenever one is added."""
    names = sorted({p.relative_to(folder).as_posix() for folder in (templates_dir, THEME_DIR)
                    for p in folder.rglob("*.html") if p.is_file()})
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'? " if close else "there is no such file; "


def _source_line(filename: str, line: int) -> str:
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def first_per_line(errors: list[ContentError]) -> list[ContentError]:
    """One error per template line: a mistake in base.html stops every page, and is reported once."""
    kept: dict[tuple[str, int], ContentError] = {}
    for error in sorted(errors):
        kept.setdefault((error.src_path, error.line), error)
    return list(kept.values())
