"""Text in another language than the site's is marked with it (`lang`), so that screen readers speak it in its
own voice and browsers hyphenate and translate it rightly: a passage in a language of its own (a post in Spanish in
an English article), its text and the quotes taken from it, and the quotes of a source in another language."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import build_site
from tests.conftest import REPO, copy_site

WIRE = "content/sources/wire.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site", base=REPO / "tests" / "fixtures" / "mini", templates=False)


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def quote_tags(html: str, quote_start: str) -> list[str]:
    """The opening tag of each blockquote whose text starts so."""
    return [part.rsplit("<blockquote", 1)[1].split(">", 1)[0] for part in html.split(f"><p>{quote_start}")[:-1]]


def test_a_passage_in_its_own_language_and_its_quotes_are_marked_so(site: Path, tmp_path: Path) -> None:
    edit(site, WIRE, '    handle: "@annanalyst"\n', '    handle: "@annanalyst"\n    language: fr\n')
    build_site(site, out := tmp_path / "public")
    page = (out / "sources/wire/index.html").read_text(encoding="utf-8")
    post = page.split('id="passage-ann-post"', 1)[1]
    assert post.startswith(' lang="fr" dir="auto">')
    assert '<span class="passage-tag" lang="en" dir="auto">' in post.split("</span>", 1)[0] + "</span>" \
        or post.split(">", 1)[1].lstrip().startswith('<figcaption class="passage-tag" lang="en" dir="auto">')
    # The claim quoting it, on its source's page and on its country's: its quote is French too; the others not.
    for html in (page, (out / "countries/ru/index.html").read_text(encoding="utf-8")):
        assert quote_tags(html, "made for a different world") and \
            all('lang="fr"' in tag for tag in quote_tags(html, "made for a different world"))
        assert all(tag == ' class="quote"' for tag in quote_tags(html, "The United States, China"))
    # A passage that gives none is the source's: nothing marked.
    assert 'id="passage-shop-post" lang=' not in page
    # Our tag after the quote, within the French post, is the site's English; the tags in the English text are not
    # marked (they take the page's).
    post = post.split("</figure>", 1)[0]
    assert '<a class="claim-ref' in post and all(' lang="en" dir="auto">' in tag.split(">", 1)[0] + ">"
                                                 for tag in post.split('<a class="claim-ref')[1:])
    outside = page.split('<div class="source-text"', 1)[1].split('id="passage-ann-post"', 1)[0]
    assert '<a class="claim-ref' in outside and ' lang="en"' not in outside.replace(' lang="en"', "", 1)


def test_the_quotes_of_a_source_in_another_language_are_marked_with_it(site: Path, tmp_path: Path) -> None:
    edit(site, WIRE, "language: en\n", "language: pl\n")
    build_site(site, out := tmp_path / "public")
    page = (out / "sources/wire/index.html").read_text(encoding="utf-8")
    assert all(tag == ' class="quote" lang="pl" dir="auto"' for tag in quote_tags(page, "citing the threat"))
    assert quote_tags(page, "citing the threat")
    # Our words in the Polish text are the site's English: the passages' labels and the claims' tags.
    text = page.split('<div class="source-text" lang="pl" dir="auto">', 1)[1].split("</div>", 1)[0]
    labels = [part.split(">", 1)[0] for part in text.split('class="passage-tag"')[1:]]
    tags = [part.split(">", 1)[0] for part in text.split('<a class="claim-ref')[1:]]
    assert labels and tags and all(' lang="en"' in label for label in labels) and all(' lang="en"' in t for t in tags)
    # A post in English within it is marked English, and its label, in its language already, is not marked.
    edit(site, WIRE, '    handle: "@annanalyst"\n', '    handle: "@annanalyst"\n    language: en\n')
    build_site(site, out)
    page = (out / "sources/wire/index.html").read_text(encoding="utf-8")
    post = page.split('id="passage-ann-post"', 1)[1].split("</figure>", 1)[0]
    assert post.startswith(' lang="en" dir="auto">') and 'class="passage-tag">' in post and 'lang="pl"' not in post
    assert ' lang="en"' not in post.split('<a class="claim-ref', 1)[1].split(">", 1)[0]
    edit(site, WIRE, '    language: en\n', "")
    # en-GB is not another language than the site's en: nothing marked.
    edit(site, WIRE, "language: pl\n", "language: en-GB\n")
    build_site(site, out)
    page = (out / "sources/wire/index.html").read_text(encoding="utf-8")
    assert quote_tags(page, "citing the threat") and \
        all(tag == ' class="quote"' for tag in quote_tags(page, "citing the threat"))


def test_a_finding_that_quotes_a_source_in_another_language_marks_the_quote(site: Path, tmp_path: Path) -> None:
    """The home page's and the comparison's findings quote the claim: the quote is marked, the rest is the site's."""
    edit(site, "content/sources/daily.md", "language: en\n", "language: pl\n")
    build_site(site, out := tmp_path / "public")
    for rel in ("index.html", "compare/index.html"):
        html = (out / rel).read_text(encoding="utf-8")
        quoted = '<span lang="pl" dir="auto">\u201call former Soviet republics\u201d</span>'
        assert f"<strong>The Daily Ledger</strong> {quoted}" in html
        assert f'Detail<span class="visually-hidden"> of {quoted}</span>' in html  # the link's name (rev-final3)
    # Its headline, on its page, in every claim card that names it, and in the list of sources (rev-final3).
    page = (out / "sources/daily/index.html").read_text(encoding="utf-8")
    assert '<h1 lang="pl" dir="auto">Five states leave the mine ban</h1>' in page
    assert page.count('<cite lang="pl" dir="auto">Five states leave the mine ban</cite>') == page.count("<cite") > 0
    country = (out / "countries/pl/index.html").read_text(encoding="utf-8")
    assert country.count('<cite lang="pl" dir="auto">Five states leave the mine ban</cite>') == \
        country.count("<cite>Five states") + country.count('<cite lang="pl" dir="auto">Five states') > 0
    listing = (out / "sources/index.html").read_text("utf-8")
    assert 'lang="pl" dir="auto">Five states leave the mine ban</a></h2>' in listing
    wire = (out / "sources/wire/index.html").read_text(encoding="utf-8")  # an English source's: not marked
    assert "<cite lang=" not in wire and '<h1 lang=' not in wire


def test_the_methodologys_example_marks_the_quote_and_not_our_words(site: Path, tmp_path: Path) -> None:
    """A judgement's example is a link whose words are ours but for the claim's quote: only the quote is marked."""
    edit(site, "content/sources/daily.md", "language: en\n", "language: es\n")
    build_site(site, out := tmp_path / "public")
    html = (out / "methodology/index.html").read_text(encoding="utf-8")
    assert ('<a href="/mini/sources/daily/#claim-daily-soviet">The Daily Ledger: '
            '<span lang="es" dir="auto">\u201call former Soviet republics\u201d</span></a>') in html
    # The English source's example is not marked.
    assert '<a href="/mini/sources/wire/#claim-wire-ministers">Northern Wire: \u201cwithdraw' in html
    assert html.count(' lang="es" dir="auto"') == 3


def test_a_reference_cited_on_a_source_page_names_it_with_its_headline_marked(site: Path, tmp_path: Path) -> None:
    """The references page lists the pages that cite each reference, a source's by its outlet and headline: the
    headline is the source's words, marked with its language; the outlet's name before it is not."""
    edit(site, "content/sources/daily.md", "language: en\n", "language: es\n")
    build_site(site, out := tmp_path / "public")
    html = (out / "references/index.html").read_text(encoding="utf-8")
    daily = ('<a href="/mini/sources/daily/">The Daily Ledger: '
             '<span lang="es" dir="auto">\u201cFive states leave the mine ban\u201d</span></a>')
    assert html.count(daily) == html.count('<a href="/mini/sources/daily/">') > 0
    wire = '<a href="/mini/sources/wire/">Northern Wire: \u201cFour NATO states to quit landmine treaty\u201d</a>'
    assert html.count(wire) == html.count('<a href="/mini/sources/wire/">') > 0
