"""The command line: parse arguments, call one function, print errors, set the exit code."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import textwrap
import time
from datetime import date
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import ContentError, ContentErrors, collecting_notes, printable
from .urls import normalise_base_url

PROG = "sourcesite"
ABOUT = """\
Build source-anchored explainer sites: every sentence the site says links to the exact words of a source
article or to a cited reference, and every disagreement between the sources is computed and shown.

A site is a folder with site.yaml, content/ (the sources, claims, questions and the topic's rules) and,
if it changes the look, templates/ (only the files it overrides; the rest come from the default theme).
Run the commands inside that folder, or name it with --root.
"""
EXAMPLES = """\
examples:
  sourcesite new my-explainer       start a site from the starter
  cd my-explainer
  sourcesite check                  check every file, write nothing
  sourcesite build                  build the site into public/
  sourcesite serve                  preview at http://127.0.0.1:8000/, rebuilt on every save
  sourcesite ingest saved.html --id my-outlet --url https://example.org/article
                                    draft a source and its claims from a saved article

Each command has its own help: sourcesite build --help.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with the values its errors echo made printable: an argument can hold any character."""

    def error(self, message: str) -> NoReturn:
        super().error(printable(message))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _base_url(text: str) -> str:
    url = normalise_base_url(text)
    if url is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not an http(s) base URL, e.g. https://owner.github.io/repo/")
    return url


def _command(commands: argparse._SubParsersAction, name: str, summary: str, description: str, examples: str
             ) -> argparse.ArgumentParser:
    """One subcommand, with its one-line summary, what it does and examples of its use."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=textwrap.fill(description, 100), epilog="examples:\n" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=argparse.SUPPRESS, metavar="FOLDER",
                        help="the site's folder (default: the current folder)")
    return parser


def make_parser(prog: str = PROG) -> argparse.ArgumentParser:
    """Every command, its options and its help text."""
    parser = _Parser(prog=prog, description=ABOUT, epilog=EXAMPLES,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"{prog} {__version__}")
    parser.add_argument("--root", type=Path, default=Path.cwd(), metavar="FOLDER",
                        help="the site's folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    new = commands.add_parser(
        "new", help="start a new site in a new folder, from the starter",
        description=textwrap.fill(
            "Create FOLDER with a starter site that checks and builds at once: site.yaml, the topic's rules, one "
            "example source with its claims, one question, one example subject page, and a README that says what to "
            "edit next. Nothing in it is a real fact: replace it all.", 100),
        epilog="examples:\n  sourcesite new my-explainer\n  sourcesite new ~/sites/paris-withdrawal",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    new.add_argument("folder", metavar="FOLDER", type=Path, help="the new site's folder (must not exist, or be empty)")
    check = _command(commands, "check", "check site.yaml and content/, write nothing",
                     "Read and check every file of the site: every quote must be found in its source, every citation "
                     "must name a reference or claim that exists. Every problem is printed with its file, line and "
                     "column; the exit status is 1 if there is one.",
                     "  sourcesite check\n  sourcesite check --as-of 2026-01-01")
    build = _command(commands, "build", "build the site into public/",
                     "Check the site, then build it into public/ (or --out). A failed build leaves the last good "
                     "public/ as it was; two builds of the same input are byte-identical.",
                     "  sourcesite build\n  sourcesite build --base-url https://owner.github.io/repo/\n"
                     "  sourcesite --root ~/sites/my-sourcesite build --out /tmp/site")
    for sub in (check, build):
        sub.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                         help="describe the world on this date instead of site.yaml's as_of")
        sub.add_argument("--base-url", type=_base_url, metavar="URL",
                         help="the address the site is published at, instead of site.yaml's base_url, "
                              "e.g. https://owner.github.io/repo/")
    build.add_argument("--out", type=Path, default=None, metavar="FOLDER", help="output folder (default: public/)")
    build.add_argument("--today", action="store_true", help="describe the world on today's date (not reproducible)")
    build.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the build cache (.cache/sitebuilder/): do all the work")
    build.add_argument("--take-over", action="store_true",
                       help="build into an existing folder the builder did not make: it becomes the builder's, its "
                            "files are replaced by the site's and those the site does not make are deleted")
    serve = _command(commands, "serve", "preview the site, rebuilt on every save",
                     "Build into .preview/ (never public/) and serve it, by default at http://127.0.0.1:8000/ on "
                     "this machine only. Every save rebuilds the site and reloads the open pages; an error is shown "
                     "in the browser, with its file, line and column, until it is fixed. Stop it with Ctrl-C.",
                     "  sourcesite serve\n  sourcesite serve --port 8080")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free one)")
    serve.add_argument("--header-timeout", type=float, default=10.0, metavar="SECONDS",
                       help="close a connection that takes longer to send its request's headers (default: 10)")
    serve.add_argument("--verbose", "-v", action="store_true",
                       help="also print each page a browser opens: the pages an edit makes first, before the rest")
    ingest = _command(commands, "ingest", "draft a source and candidate claims from a saved article",
                      "Draft content/sources/<id>.md and content/claims/<id>.yaml from a saved web page, a text or "
                      "Markdown file, or standard input. Both are marked draft: the site shows neither until you "
                      "have checked them. Never overwrites a file.",
                      "  sourcesite ingest saved-page.html --id my-outlet --url https://example.org/article\n"
                      "  sourcesite ingest article.txt --id wire --url https://example.org/a --published 2026-01")
    ingest.add_argument("file", metavar="FILE", help="a saved page (.html), a .txt or .md file, or - for stdin")
    ingest.add_argument("--id", help="the new source's id (default: from the outlet's name)")
    ingest.add_argument("--url", help="the article's address (required when the input does not say it)")
    ingest.add_argument("--outlet", help="the outlet's name (default: the page's site name or the address's host)")
    ingest.add_argument("--published", help="the publication date: YYYY-MM-DD, YYYY-MM or YYYY, or a window "
                                            "FROM..TO of those (either end may be left out)")
    ingest.add_argument("--title", help="the headline (default: the page's title or the text's first line)")
    ingest.add_argument("--byline", help="the author(s) as the article names them")
    ingest.add_argument("--language", help="the article's language tag (default: the page's, else en)")
    return parser


def main(argv: list[str] | None = None, *, ends_process: bool = False, prog: str = PROG) -> int:
    """Run one command; its exit status. `ends_process`: nothing else runs in this process afterwards."""
    args = make_parser(prog).parse_args(argv)
    if args.command == "new":
        from .scaffold import new_site  # imported here: only `new` copies the starter

        return new_site(args.folder)
    root = args.root.resolve()
    if args.command in ("check", "build", "serve") and not (root / "site.yaml").exists() \
            and not (root / "content").exists():  # a wrong folder: one line, not every file missing
        print(f"{printable(str(root))}: no site.yaml and no content/ here: not a site's folder\n  hint: run "
              f"{prog} in the site's folder or name it with --root FOLDER; '{prog} new FOLDER' starts a new site",
              file=sys.stderr)
        return 1
    if args.command == "serve":
        from .serve import serve_site  # imported here: tornado and livereload are only needed to serve

        return serve_site(root, host=args.host, port=args.port, header_timeout=args.header_timeout,
                          verbose=args.verbose)
    if args.command == "ingest":
        from .ingest import run_ingest  # imported here: trafilatura and the drafting rules are only needed here

        return run_ingest(args)
    base_url = args.base_url
    if ends_process:
        # A large site's model is millions of objects, and the process ends with the command: no collector pass
        # over all of them when the build turns it back on (see build.collect_after).
        gc.disable()
    started = time.perf_counter()
    with collecting_notes() as notes:
        return _check_or_build(args, root, base_url, started, notes)


def _check_or_build(args: argparse.Namespace, root: Path, base_url: str | None, started: float,
                    notes: list[ContentError]) -> int:
    """`check` or `build`, and its exit status; the notes made meanwhile (what the site leaves out, or cannot
    establish) are printed before its last line."""
    disk = None
    try:
        if args.command == "check":
            from .build import check_site

            site = check_site(root, as_of=args.as_of, base_url=base_url)
            _print_notes(notes)
            print(f"ok: {len(site.sources)} sources, {len(site.claims)} claims, {len(site.questions)} questions, "
                  f"{len(site.countries)} countries; every quote found in its source.")
            return 0
        as_of = date.today() if args.today else args.as_of
        out_dir = Path(os.path.abspath(args.out)) if args.out else root / "public"  # a link is followed later
        if not args.no_cache:
            from .cache import DiskCache

            disk = DiskCache(root, out_dir, (as_of, base_url), notes=notes)
        from .stamps import stats_meanwhile

        with stats_meanwhile(disk) as stat_outputs:
            # A build with nothing changed (told by the inputs' stats of a child forked from this small process)
            # imports none of the builder's stages. Any other has the child stat the output files meanwhile.
            if disk is not None and not args.take_over and disk.unchanged():
                for text in disk.notes_before:  # as the build that made the output printed them
                    print(text, file=sys.stderr)
                print(f"built {disk.count} files into {args.out or 'public/'} in "
                      f"{time.perf_counter() - started:.2f}s (nothing changed)")
                return 0
            stat_outputs()
            from .build import build_site

            count = build_site(root, out_dir, as_of=as_of, base_url=base_url, take_over=args.take_over, disk=disk)
        _print_notes(notes)
        print(f"built {count} files into {args.out or 'public/'} in {time.perf_counter() - started:.2f}s")
        return 0
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return 1
    finally:
        for notice in disk.notices if disk is not None else ():
            print(notice, file=sys.stderr)


def _print_notes(notes: list[ContentError]) -> None:
    for found in sorted(notes):
        print(found, file=sys.stderr)


def run(prog: str = PROG) -> NoReturn:
    """The installed `sourcesite` command (and `python -m builder`): run, then end the process at once."""
    status = main(ends_process=True, prog=prog)
    sys.stdout.flush()
    sys.stderr.flush()
    # Ended here, without freeing the model object by object: a check or a build has already stopped its workers,
    # and the serve and ingest commands their own.
    os._exit(status)


if __name__ == "__main__":
    run("python -m builder")
