"""The search index: Pagefind (the binary of the pinned `pagefind-bin` package, run as a service) indexes the
pages as built, and each claim and reference as a record of its own, into static files under pagefind/.

Nothing is written by Pagefind itself: its files come back as bytes and are staged by the writer like every
other file. Pages are indexed from their bytes in the staging folder (or the output folder, for a page that did
not change), inside <main>. A site with more than FULL_TEXT_SOURCES sources is indexed by its sources' and
countries' names and its other pages' text, without each claim and article: Pagefind took 42 s of CPU for
10,000 source pages and 30 s for 20,000 claims and 200 country pages, several times the rest of the build.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .model import Site
from .pages import Planner
from .urls import claim_href, reference_anchor
from .write import Output

BUNDLE = "pagefind/"
FULL_TEXT_SOURCES = 200
UNINDEXED = ("not_found", "search")  # pages (by their Planner method) that are not worth finding


def index_files(site: Site, planner: Planner, output: Output, pages: Iterable[tuple[str, str, bool]]
                ) -> dict[str, bytes]:
    """The Pagefind bundle for `pages` (Planner method, output path, whether staged) and every claim and
    reference."""
    large = len(site.sources) > FULL_TEXT_SOURCES
    # Addresses from the site's root: Pagefind's script puts the folder that holds pagefind/ before them.
    indexed = [("/" + out_path.removesuffix("index.html"),
                (output.staging if staged else output.out_dir) / out_path)
               for method, out_path, staged in pages if method not in UNINDEXED
               and not (large and method in ("source", "country", "country_more"))]
    records = list(_headlines(site) if large else _records(site, planner))
    files = _index(site.config.language, indexed, records)
    return {BUNDLE + name: data for name, data in sorted(files.items())
            if not name.startswith(("playground/", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-ui",
                                    "pagefind-highlight"))}


def _headlines(site: Site) -> Iterable[tuple[str, str, str]]:
    """(url, title, text) of each source and country page by its name alone: a large site's index."""
    for source in site.sources.values():
        yield f"/sources/{source.id}/", source.title, f"{source.outlet} {source.title}"
    for country in site.countries.values():
        yield f"/countries/{country.id}/", country.name, country.name


def _records(site: Site, planner: Planner) -> Iterable[tuple[str, str, str]]:
    """(url, title, text) of each visible claim and each reference: what a reader may search for by its words."""
    for claim in planner.claims:
        outlet = site.sources[claim.source_id].outlet
        url = "/" + claim_href(site, claim).removeprefix(site.config.base_path)
        yield url, f"{outlet}: \u201c{claim.quote}\u201d", f"{claim.quote} {claim.says}"
    for reference in site.references.values():
        excerpts = " ".join(p.excerpt for p in (reference, *reference.also) if p.excerpt)
        yield ("/references/#" + reference_anchor(reference.id),
               f"Reference {reference.id.upper()}: {reference.statement}", f"{reference.statement} {excerpts}")


def _index(language: str, pages: list[tuple[str, Path]], records: list[tuple[str, str, str]]) -> dict[str, bytes]:
    """Index the pages and records with one Pagefind service; return its files by path."""
    lang = language.split("-", 1)[0]
    with _Service() as service:
        index_id = service.ask({"type": "NewIndex", "config": {"root_selector": "main", "force_language": lang}})[
            "index_id"]
        for url, path in pages:
            service.ask({"type": "AddFile", "index_id": index_id, "url": url, "file_path": None,
                         "file_contents": path.read_text(encoding="utf-8")})
        for url, title, text in records:
            service.ask({"type": "AddRecord", "index_id": index_id, "url": url, "content": text, "language": lang,
                         "meta": {"title": title}, "filters": None, "sort": None})
        files = service.ask({"type": "GetFiles", "index_id": index_id})["files"]
    return {str(f["path"]): base64.b64decode(f["content"]) for f in files}


class _Service:
    """The Pagefind binary's service mode (`pagefind --service`): base64 JSON messages, each ended by a comma.

    Spoken to directly, one request and its answer at a time: the `pagefind` package's client polls for each
    answer after a tenth of a second's sleep, which made 190 records take 20 s.
    """

    def __init__(self) -> None:
        from pagefind_bin import get_executable

        self.process = subprocess.Popen([str(get_executable()), "--service"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buffer = b""
        self.last_id = 0

    def __enter__(self) -> _Service:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.terminate()
        self.process.wait()

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request; return its answer's payload, or raise with Pagefind's message."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.last_id += 1
        message = json.dumps({"message_id": self.last_id, "payload": payload}).encode("utf-8")
        self.process.stdin.write(base64.b64encode(message) + b",")
        self.process.stdin.flush()
        while b"," not in self.buffer:
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            if not chunk:
                raise RuntimeError("the Pagefind service stopped before it answered")
            self.buffer += chunk
        answer, _, self.buffer = self.buffer.partition(b",")
        found = json.loads(base64.b64decode(answer))["payload"]
        if found.get("type") == "Error":
            raise RuntimeError(f"Pagefind: {found.get('message')}")
        return dict(found)
