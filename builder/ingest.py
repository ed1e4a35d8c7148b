"""Drafting a new source from a saved article: its verbatim text, the passages that are not reporting, and
candidate claims for an editor to accept, correct or delete.

`sourcesite ingest FILE` (or `python -m builder ingest FILE`) reads a saved web page (main text and metadata
through trafilatura), a text or Markdown file, or standard input, and writes content/sources/<id>.md and
content/claims/<id>.yaml together, or nothing. Everything it adds is a guess that names its grounds: the YAML
comments above each passage and each claim say which rule fired on which words, so the editor can overrule it; what
the source's page will show (a passage's `note`, `published: how`) is written for readers, and says nothing of how
ingest found it. Candidates carry `draft: true`, which the site does not show, and the pair is run through the
validator before either file is written.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from .drafting.claims import Draft, SiteFacts, draft_claims, name_claims, slugify
from .drafting.dates import human_date
from .drafting.extract import Extracted, extract_html, extract_text
from .drafting.marks import Mark
from .drafting.passages import mark_passages
from .drafting.published import Published, date_publication, read_published_option
from .drafting.read import input_error, read_input
from .drafting.render import SourceDraft, render_claims, render_source
from .drafting.sentences import short
from .drafting.site import check_draft, read_site_facts
from .errors import ContentErrors, shown
from .load import ID_PATTERN, RESERVED_IDS, reserved_hint

_URL = re.compile(r"^https?://[^\s<>\"'\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+\Z")
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")



# ------------------------------------------------------------------------------------------------ the command

@dataclass(frozen=True)
class IngestOptions:
    """What the command line says, each overriding what the input says."""

    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | date | None = None  # a date, a month, a year or a window FROM..TO (see --published)
    title: str | None = None
    byline: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Ingested:
    """What was written, and the draft itself, for the command's report and the evaluation."""

    source_path: Path
    claims_path: Path
    body: str
    marks: list[Mark]
    drafts: list[Draft]
    published: Published
    warnings: tuple[str, ...] = ()

    @property
    def passages(self) -> int:
        return len(self.marks)

    @property
    def claims(self) -> int:
        return len(self.drafts)


def ingest(root: Path, file_arg: str, options: IngestOptions, stdin: BinaryIO | None = None,
           today: date | None = None) -> Ingested:
    """Read, extract, mark, draft, check, then write both files, or raise ContentErrors and write nothing."""
    today = today or date.today()
    captured = read_input(file_arg, stdin)
    extracted = extract_html(captured.text, captured.src) if captured.is_html else extract_text(
        captured.text, markdown=Path(captured.name or "").suffix.lower() in (".md", ".markdown"))
    site = read_site_facts(root)
    url = options.url or extracted.url
    if options.url and _NOT_IN_URL.search(options.url):
        raise input_error("--url", f"{shown(options.url)} contains a line break, a space or a control character",
                          "write the address alone, quoted, e.g. --url 'https://example.org/news/story'")
    if options.url and not _URL.match(options.url):
        raise input_error("--url", f"{shown(options.url)} is not an http(s) address", "write the article's full "
                          "address, starting with https://")
    if not url:
        raise input_error(captured.src, "the input does not say where the article was published",
                          "pass --url with the article's address")
    outlet = options.outlet or extracted.outlet or url.split("/")[2].removeprefix("www.")
    source_id = options.id or slugify(outlet) or "source"
    if not options.id and source_id in RESERVED_IDS:
        source_id += "-source"  # an outlet called 'AUX' cannot name a file on Windows
    if not ID_PATTERN.match(source_id):
        raise input_error("--id", f"{shown(source_id)} is not a valid id",
                          "use lowercase letters, digits and single hyphens, e.g. 'media-line'")
    if source_id in RESERVED_IDS:
        raise input_error("--id", f"'{source_id}' is a device name on Windows", reserved_hint(source_id))
    source_path = root / "content" / "sources" / f"{source_id}.md"
    claims_path = root / "content" / "claims" / f"{source_id}.yaml"
    for path in (source_path, claims_path):
        if path.exists() or source_id in site.source_ids:
            taken = path if path.exists() else source_path
            raise input_error(taken.relative_to(root).as_posix(), f"the id '{source_id}' is already taken",
                              f"choose another with --id, e.g. '{_free_id(source_id, site, root)}'; "
                              "existing files are never overwritten")
    body = extracted.body
    title = options.title or extracted.title
    published = date_publication(extracted, _published_option(options.published), body)
    marks = mark_passages(body, title, site.topic, published.exact, extracted.post_texts)
    drafts, skipped = draft_claims(body, marks, title, published, site)
    warnings = extracted.warnings + _no_article(body, drafts, captured.src)
    name_claims(drafts, source_id, site.claim_ids)
    where = captured.name or "standard input"
    header = (f"Drafted by `sourcesite ingest` from {where} on {today.isoformat()}: check every field. "
              "The comment above each passage says which rule marked it and on which words; its note, shown to "
              "readers, says what it is.",)
    header += tuple(f"warning: {w}" for w in warnings)
    if not title:
        title = short(body.strip().splitlines()[0], 100)
        header += ("No headline found: the title is the first line, shortened; pass --title or correct it.",)
    source = SourceDraft(
        source_id=source_id, outlet=outlet, title=title, url=url, byline=options.byline or extracted.byline,
        language=options.language or extracted.language or "en", published=published,
        retrieved_how=f"The capture date was not recorded with the copy, which was added to the site's sources on "
                      f"{human_date(today)}.",
        captured_as=captured.name, outlet_url=_outlet_url(url, options, extracted), header=header)
    source_text, claims_text, marks, drafts = _render_checked(root, source, body, marks, drafts, skipped)
    _write_new_files({source_path: source_text, claims_path: claims_text}, root)
    return Ingested(source_path, claims_path, body, marks, drafts, published, warnings)


NO_ARTICLE_WORDS = 50  # fewer words than a short news item, and not one statement: a page with no article on it


def _no_article(body: str, drafts: list[Draft], src: str) -> tuple[str, ...]:
    """A page whose text holds no statement to draft a claim from: with a few words only, it is no article (a home
    or index page, a cookie wall) and is refused; a longer one is ingested with a warning."""
    if drafts:
        return ()
    words = len(body.split())
    if words < NO_ARTICLE_WORDS:
        raise input_error(src, f"no article found: the text taken from it is {words} word(s) "
                               f"({shown(short(body.strip(), 60))}), and not one statement to draft a claim from",
                          "ingest the article's own page (not a home, index or cookie page), or copy the article's "
                          "text into a .txt file and ingest that")
    return (f"no candidate claim drafted: none of the text's {words} words is a statement outside the marked "
            "passages; check that the page is the article",)


def _published_option(value: str | date | None) -> Published | None:
    if value is None or isinstance(value, date):
        return Published(value, None, None, "Dated by the editor when the article was ingested.",
                         f"given with --published {value.isoformat()}: say how it is known (the page's date line, "
                         "an archived copy) before removing draft") if value else None
    try:
        return read_published_option(value)
    except ValueError as exc:
        raise input_error("--published", f"{exc} (found '{value}')",
                          "write YYYY-MM-DD, YYYY-MM or YYYY, or a window FROM..TO such as 2025-04-01..2025-04-04 "
                          "(either end may be left out)") from None


def _outlet_url(url: str, options: IngestOptions, extracted: Extracted) -> str | None:
    """The outlet's home page is its address's scheme and host, when the address is the article's own."""
    if options.url or extracted.url:
        scheme, _, host = url.split("/")[:3]
        return f"{scheme}//{host}"
    return None


def _free_id(source_id: str, site: SiteFacts, root: Path) -> str:
    number = 2
    while (f"{source_id}-{number}" in site.source_ids
           or (root / "content" / "claims" / f"{source_id}-{number}.yaml").exists()):
        number += 1
    return f"{source_id}-{number}"


def _render_checked(root: Path, source: SourceDraft, body: str, marks: list[Mark], drafts: list[Draft],
                    skipped: list[str]) -> tuple[str, str, list[Mark], list[Draft]]:
    """Render both files and run them through the validator; a candidate it rejects is left out, saying why."""
    claims_header = [
        f"Candidate claims drafted by `sourcesite ingest` from content/sources/{source.source_id}.md.",
        "Each is `draft: true`, which the site does not show: correct it, delete it, or accept it by removing "
        "`draft`. Rewrite `says` in plain words.",
        "The comments above each claim say what each guess rests on; 'may answer' lines propose answers to "
        "content/questions.yaml, to copy in as `answers:` where they are right.",
    ]
    dropped: list[str] = []
    for _ in range(4):
        source_text, passage_lines, _unanchored = render_source(source, body, marks)
        footer = [f"left out: {s}" for s in skipped] + dropped
        claims_text, claim_lines = render_claims(drafts, claims_header, footer)
        errors = check_draft(root, source.source_id, source_text, claims_text)
        if not errors:
            return source_text, claims_text, marks, drafts
        bad_marks = {i for e in errors if e.src_path.endswith(".md")
                     for i, lines in passage_lines.items() if e.line in lines}
        bad_drafts = {i for e in errors if e.src_path.endswith(".yaml")
                      for i, lines in claim_lines.items() if e.line in lines}
        if not bad_marks and not bad_drafts:
            break
        dropped += [f"dropped: '{short(drafts[i].quote)}': {e.message}" for e in errors
                    for i in sorted(bad_drafts) if e.line in claim_lines[i]]
        marks = [m for i, m in enumerate(marks) if i not in bad_marks]
        drafts = [d for i, d in enumerate(drafts) if i not in bad_drafts]
    raise RuntimeError("ingest drafted files that the validator rejects:\n" + "\n".join(str(e) for e in errors))


def _write_new_files(files: dict[Path, str], root: Path) -> None:
    """Write every file or none: each is staged beside its target, then linked into place, which never
    overwrites; if a target appeared meanwhile, the files already placed are taken back."""
    staged: dict[Path, Path] = {}
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".ingest", dir=target.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(text.encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(tmp, 0o644)
            staged[target] = Path(tmp)
        placed: list[Path] = []
        for target, tmp in staged.items():
            try:
                os.link(tmp, target)
            except FileExistsError:
                for done in placed:
                    done.unlink()
                raise input_error(target.relative_to(root).as_posix(), "the file appeared while ingesting",
                                  "choose another id with --id; existing files are never overwritten") from None
            placed.append(target)
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def run_ingest(args: argparse.Namespace) -> int:
    """Run `ingest` for parsed arguments; print what was written, or every error; return the exit code."""
    root = Path(getattr(args, "root", None) or Path.cwd()).resolve()
    options = IngestOptions(id=args.id, url=args.url, outlet=args.outlet, published=args.published,
                            title=getattr(args, "title", None), byline=getattr(args, "byline", None),
                            language=getattr(args, "language", None))
    try:
        done = ingest(root, args.file, options)
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return 1
    source, claims = (p.relative_to(root).as_posix() for p in (done.source_path, done.claims_path))
    for warning in done.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {source} ({done.passages} passage(s) marked) and {claims} ({done.claims} draft claim(s))")
    print(f"next: review both files, then run `{check_command(root)}`")
    return 0


def check_command(root: Path) -> str:
    """The check to run next, as the user can type it: by the command they ran (`sourcesite`, or `python -m
    builder` from a checkout), with the site's folder when it is not the current one."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    prog = "python -m builder" if spec is not None and spec.name == "builder.__main__" else "sourcesite"
    where = "" if root == Path.cwd().resolve() else f" --root {shlex.quote(str(root))}"
    return f"{prog}{where} check"

