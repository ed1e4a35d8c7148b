"""paging.py: how a large site's pages are cut (the limits, the site's scale, a listing's pager)."""

from __future__ import annotations

from dataclasses import replace

from builder.model import Site
from builder.paging import SOURCE_DOWNLOADS_FROM, chunks, make_pager, make_scale, site_scale
from builder.urls import url_for


def test_chunks_cut_in_order_and_give_one_empty_page_for_nothing() -> None:
    assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert chunks([], 3) == [[]]


def test_a_pager_links_every_other_page_and_its_neighbours(mini_site: Site) -> None:
    assert make_pager(mini_site, "sources/", 1, 1, "Sources") is None
    pager = make_pager(mini_site, "sources/", 2, 3, "Sources")
    assert pager is not None
    first, third = url_for(mini_site, "sources/"), url_for(mini_site, "sources/page/3/")
    assert pager.pages == ((1, first), (2, None), (3, third))
    assert (pager.previous, pager.next, pager.number) == (first, third, 2)


def test_a_small_site_is_not_cut_and_one_with_many_sources_offers_each_its_downloads(mini_site: Site) -> None:
    assert site_scale(mini_site) == make_scale(False, False)
    assert make_scale(True, False) is make_scale(True, False)  # one object per value: pages compare by identity
    many = dict.fromkeys((f"s{n}" for n in range(SOURCE_DOWNLOADS_FROM + 1)), next(iter(mini_site.sources.values())))
    assert site_scale(replace(mini_site, sources=many)).source_downloads
