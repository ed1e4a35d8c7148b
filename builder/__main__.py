"""The command line: parse arguments, call one function, print errors, set the exit code."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from .build import build_site, check_site
from .errors import ContentErrors
from .ingest import add_ingest_command, run_ingest


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate site.yaml and content/ without writing anything")
    build = commands.add_parser("build", help="build the site into public/")
    for sub in (check, build):
        sub.add_argument("--as-of", type=_date, help="describe the world on this date instead of site.yaml's")
        sub.add_argument("--base-url", help="override site.yaml's base_url, e.g. https://owner.github.io/repo/")
    build.add_argument("--out", type=Path, default=None, help="output folder (default: public/)")
    build.add_argument("--today", action="store_true", help="describe the world on today's date (not reproducible)")
    serve = commands.add_parser("serve", help="build into .preview/ and serve it, rebuilding on every change")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free one)")
    serve.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="the project folder (default: here)")
    add_ingest_command(commands)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "serve":
        from .serve import serve_site  # imported here: tornado and livereload are only needed to serve

        return serve_site(root, host=args.host, port=args.port)
    if args.command == "ingest":
        return run_ingest(args)
    base_url = args.base_url
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    try:
        if args.command == "check":
            site = check_site(root, as_of=args.as_of, base_url=base_url)
            print(f"ok: {len(site.sources)} sources, {len(site.claims)} claims, {len(site.questions)} questions, "
                  f"{len(site.countries)} countries; every quote found in its source.")
            return 0
        started = time.perf_counter()
        as_of = date.today() if args.today else args.as_of
        count = build_site(root, (args.out or root / "public").resolve(), as_of=as_of, base_url=base_url)
        print(f"built {count} files into {args.out or 'public/'} in {time.perf_counter() - started:.2f}s")
        return 0
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
