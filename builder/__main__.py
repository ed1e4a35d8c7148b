"""The command line: parse arguments, call one function, print errors, set the exit code."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import NoReturn

from .errors import ContentErrors, printable
from .urls import normalise_base_url


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


def main(argv: list[str] | None = None, *, ends_process: bool = False) -> int:
    """Run one command; its exit status. `ends_process`: nothing else runs in this process afterwards."""
    parser = _Parser(prog="python -m builder", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate site.yaml and content/ without writing anything")
    build = commands.add_parser("build", help="build the site into public/")
    for sub in (check, build):
        sub.add_argument("--as-of", type=_date, help="describe the world on this date instead of site.yaml's")
        sub.add_argument("--base-url", type=_base_url, help="override site.yaml's base_url, e.g. https://owner.github.io/repo/")
    build.add_argument("--out", type=Path, default=None, help="output folder (default: public/)")
    build.add_argument("--today", action="store_true", help="describe the world on today's date (not reproducible)")
    build.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the build cache (.cache/sitebuilder/): do all the work")
    build.add_argument("--take-over", action="store_true",
                       help="build into an existing folder the builder did not make: it becomes the builder's, its "
                            "files are replaced by the site's and those the site does not make are deleted")
    serve = commands.add_parser("serve", help="build into .preview/ and serve it, rebuilding on every change")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free one)")
    serve.add_argument("--header-timeout", type=float, default=10.0, metavar="SECONDS",
                       help="close a connection that takes longer to send its request's headers (default: 10)")
    serve.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="the project folder (default: here)")
    ingest = commands.add_parser(
        "ingest", help="draft a source and candidate claims from a saved article",
        description="Draft content/sources/<id>.md and content/claims/<id>.yaml from a saved web page, a text or "
                    "Markdown file, or standard input. Never overwrites a file.")
    ingest.add_argument("file", metavar="FILE", help="a saved page (.html), a .txt or .md file, or - for stdin")
    ingest.add_argument("--id", help="the new source's id (default: from the outlet's name)")
    ingest.add_argument("--url", help="the article's address (required when the input does not say it)")
    ingest.add_argument("--outlet", help="the outlet's name (default: the page's site name or the address's host)")
    ingest.add_argument("--published", help="the publication date: YYYY-MM-DD, YYYY-MM or YYYY, or a window "
                                            "FROM..TO of those (either end may be left out)")
    ingest.add_argument("--title", help="the headline (default: the page's title or the text's first line)")
    ingest.add_argument("--byline", help="the author(s) as the article names them")
    ingest.add_argument("--language", help="the article's language tag (default: the page's, else en)")
    ingest.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="the project folder (default: here)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "serve":
        from .serve import serve_site  # imported here: tornado and livereload are only needed to serve

        return serve_site(root, host=args.host, port=args.port, header_timeout=args.header_timeout)
    if args.command == "ingest":
        from .ingest import run_ingest  # imported here: trafilatura and the drafting rules are only needed here

        return run_ingest(args)
    base_url = args.base_url
    if ends_process:
        # A large site's model is millions of objects, and the process ends with the command: no collector pass
        # over all of them when the build turns it back on (see build.collect_after).
        gc.disable()
    started = time.perf_counter()
    disk = None
    try:
        if args.command == "check":
            from .build import check_site

            site = check_site(root, as_of=args.as_of, base_url=base_url)
            print(f"ok: {len(site.sources)} sources, {len(site.claims)} claims, {len(site.questions)} questions, "
                  f"{len(site.countries)} countries; every quote found in its source.")
            return 0
        as_of = date.today() if args.today else args.as_of
        out_dir = Path(os.path.abspath(args.out)) if args.out else root / "public"  # a link is followed later
        if not args.no_cache:
            from .cache import DiskCache

            disk = DiskCache(root, out_dir, (as_of, base_url))
            # Nothing the last build read or wrote has changed: the site is there, and the builder's stages and
            # their libraries need not even be imported.
            if not args.take_over and disk.unchanged():
                print(f"built {disk.count} files into {args.out or 'public/'} in "
                      f"{time.perf_counter() - started:.2f}s (nothing changed)")
                return 0
        from .build import build_site

        count = build_site(root, out_dir, as_of=as_of, base_url=base_url, take_over=args.take_over, disk=disk)
        print(f"built {count} files into {args.out or 'public/'} in {time.perf_counter() - started:.2f}s")
        return 0
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return 1
    finally:
        for notice in disk.notices if disk is not None else ():
            print(notice, file=sys.stderr)


if __name__ == "__main__":
    status = main(ends_process=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # Ended here, without freeing the model object by object: a check or a build has already stopped its workers,
    # and the serve and ingest commands their own.
    os._exit(status)
