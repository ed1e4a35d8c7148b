"""urls.py: where each page and file is written, the links to it, and the base URL."""

from __future__ import annotations

import pytest

from builder.model import Site
from builder.quotes import text_fragment_url
from builder.urls import (
    base_path,
    job_out_path,
    normalise_base_url,
    original_url,
    out_path_for,
    page_job,
)


def test_pretty_urls_are_index_files() -> None:
    assert [out_path_for(rel) for rel in ("", "treaty/", "data/site.json")] == [
        "index.html", "treaty/index.html", "data/site.json"]


@pytest.mark.parametrize("job", [("source", "wire"), ("country", "pl")])
def test_a_source_or_country_page_is_found_from_where_it_is_written(job: tuple[str, str]) -> None:
    out_path = job_out_path(job)
    assert out_path is not None and page_job(out_path) == job


@pytest.mark.parametrize("out_path", ["index.html", "compare/index.html", "sources/index.html",
                                      "sources/wire/other.html", "countries/pl/x/index.html"])
def test_other_files_are_no_source_or_country_page(out_path: str) -> None:
    assert page_job(out_path) is None


@pytest.mark.parametrize(("given", "normalised"), [
    ("https://owner.github.io/repo", "https://owner.github.io/repo/"),
    ("https://example.org/", "https://example.org/"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
    ("ftp://example.org/", None), ("https://example.org/?x=1", None), ("https://exa mple.org/", None),
])
def test_a_base_url_is_normalised_once_or_refused(given: str, normalised: str | None) -> None:
    assert normalise_base_url(given) == normalised


def test_the_base_path_is_what_follows_the_host() -> None:
    assert (base_path("https://owner.github.io/repo/"), base_path("https://example.org/")) == ("/repo/", "/")


def test_a_claims_link_finds_its_words_in_the_original(shipped_site: Site) -> None:
    site = shipped_site
    claim = next(iter(site.claims.values()))
    source = site.sources[claim.source_id]
    assert original_url(source, claim) == text_fragment_url(source.url, source.body[slice(*claim.span)])
    assert original_url(source, claim).startswith(source.url.split("#")[0] + "#:~:text=")
