"""Every URL and output-path rule: where each page and file is written, the links to it, and the base URL.

A page's URL is the site's base path plus its relative URL ('countries/pl/'); pretty URLs are written as index
files ('countries/pl/index.html'). The base URL is normalised once, where it is read (site.yaml, --base-url).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from .quotes import text_fragment_url

if TYPE_CHECKING:
    from .model import Claim, Site, Source

CHANGES = "changes/"  # the change log's page
FEED = "changes/feed.xml"  # its Atom feed (builder/feed.py)
SITE_JSON = "data/site.json"
CLAIMS_CSV = "data/claims.csv"
STYLESHEET = "assets/style.css"
ICON = "assets/icon.svg"
NOT_FOUND = "404.html"
SEARCH_INDEX = "search/index.json"  # the search index's list of chunks (builder/search.py)

# ---------------------------------------------------------------- URL rules

def url_for(site: Site, rel: str) -> str:
    """The link to a path inside the site, under the base path (so it works at a subpath and at a root)."""
    return site.config.base_path + rel


def absolute_url(site: Site, rel: str) -> str:
    """The full address of a path inside the site, for canonical links, Open Graph and the sitemap."""
    return site.config.base_url + rel


def out_path_for(rel: str) -> str:
    """Pretty URLs: 'treaty/' is written to 'treaty/index.html'."""
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def country_rel(country_id: str) -> str:
    return f"countries/{country_id}/"


def source_rel(source_id: str) -> str:
    return f"sources/{source_id}/"


def question_rel(question_id: str) -> str:
    """A question's own page, when "What the sources say" is split (one page per question, under compare/)."""
    return f"compare/{question_id}/"


def paged_rel(rel: str, number: int) -> str:
    """The `number`th page of a listing at `rel`: the first is `rel` itself, the others 'rel/page/N/' (Hugo's
    rule). They nest under the first, so they never meet another page: a source 'page' is 'sources/page/', the
    sources list's second page 'sources/page/2/'."""
    return rel if number == 1 else f"{rel}page/{number}/"


def source_download(source_id: str, extension: str) -> str:
    """A source's own download, beside the whole site's: 'data/sources/ID.json' or '.csv'."""
    return f"data/sources/{source_id}.{extension}"


def question_href(site: Site, question_id: str, split: bool) -> str:
    """The link to a question's comparison: its own page when the comparison is split, else its section."""
    if split:
        return url_for(site, question_rel(question_id))
    return url_for(site, "compare/") + "#" + question_anchor(question_id)


def claim_anchor(claim_id: str) -> str:
    """The id of a claim's highlight in its source's text; other pages link to it."""
    return f"claim-{claim_id}"


def claim_entry_anchor(claim_id: str) -> str:
    """The id of a claim's entry in the list under its source's text."""
    return f"about-{claim_id}"


def reference_anchor(ref_id: str) -> str:
    return f"ref-{ref_id}"


def question_anchor(question_id: str) -> str:
    return f"q-{question_id}"


def passage_anchor(passage_id: str) -> str:
    return f"passage-{passage_id}"



def claim_href(site: Site, claim: Claim) -> str:
    return url_for(site, source_rel(claim.source_id)) + "#" + claim_anchor(claim.id)




def original_url(source: Source, claim: Claim) -> str:
    """The original article's address, with a text fragment that finds the claim's words there."""
    return text_fragment_url(source.url, source.body[claim.span[0]:claim.span[1]])


PageJob = tuple[str, str | None]  # a Planner method and the id of the record it shows


def job_out_path(job: PageJob) -> str | None:
    """Where a source or country page is written; None for the other pages."""
    method, record_id = job
    if method == "source":
        return out_path_for(source_rel(str(record_id)))
    if method == "country":
        return out_path_for(country_rel(str(record_id)))
    return None


def page_job(out_path: str) -> PageJob | None:
    """The source or country page written to `out_path`, if it is one (whether the site has it is not checked)."""
    folder, _, rest = out_path.partition("/")
    method = {"sources": "source", "countries": "country"}.get(folder)
    record_id = rest.removesuffix("/index.html")
    job = (method, record_id) if method and "/" not in record_id else None
    return job if job is not None and job_out_path(job) == out_path else None


BASE_URL = re.compile(r"https?://[^\s<>\"'?#]+/")


def normalise_base_url(text: str) -> str | None:
    """A base URL as every page, the sitemap and robots.txt write it (ending in '/'); None if it is not one."""
    url = text if text.endswith("/") else text + "/"
    return url if BASE_URL.fullmatch(url) else None


@functools.cache  # every link of every page asks for it
def base_path(base_url: str) -> str:
    """The URL path every page lives under: '/' at a domain's root, '/repo/' on a project site."""
    rest = base_url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"
