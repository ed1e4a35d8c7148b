"""search.py: the index is made from the model, as JSON chunks the search page loads into MiniSearch; what a
reader can find on a small and a large site, the same bytes every time, and one edit changing one chunk."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from builder import search
from builder.compare import judge_claim
from builder.model import Change, Site
from builder.pages import Planner
from builder.search import index_files, shortened
from builder.urls import SEARCH_INDEX
from builder.views import visible_claims

REPO = Path(__file__).resolve().parent.parent
VENDORED = REPO / "builder" / "theme" / "assets" / "minisearch.js"


def documents(files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """Every document of the index, in the order the page loads them (the chunks its list names): url, title, text."""
    return [(d[0], d[1], d[2]) for d in whole_documents(files)]


def whole_documents(files: dict[str, bytes]) -> list[list[object]]:
    """Every document as the index holds it: a claim's and an article's with where the label stands in its text."""
    listing = json.loads(files[SEARCH_INDEX])["chunks"]
    return [d for name, _ in listing for d in json.loads(files[f"search/{name}.json"])]


def find(files: dict[str, bytes], word: str) -> dict[str, str]:
    """What a reader finds by one whole word, as MiniSearch's tokenizer cuts the texts: {url: title}."""
    wanted = word.lower()
    return {url: title for url, title, text in documents(files)
            if wanted in (w.lower() for w in re.findall(r"\w+", f"{title} {text}"))}


def test_a_small_site_finds_claims_by_their_quote_references_countries_and_pages(mini_site: Site) -> None:
    files = index_files(mini_site, Planner(mini_site))
    claim = visible_claims(mini_site)[0]
    word = max(re.findall(r"\w+", claim.quote), key=len)
    outlet = mini_site.sources[claim.source_id].outlet
    label = judge_claim(claim, mini_site.sources[claim.source_id], mini_site.config.as_of).label
    assert (find(files, word)[f"sources/{claim.source_id}/#claim-{claim.id}"]
            == f"{outlet}, {search.claim_kind(claim)}: \u201c{claim.quote}\u201d \u2014 {label}")
    js01 = mini_site.references["js01"]
    reference = find(files, max(re.findall(r"\w+", js01.excerpt), key=len))
    assert reference["references/#ref-js01"] == f"Reference JS01: {shortened(js01.statement)}"
    assert find(files, mini_site.countries["pl"].name)["countries/pl/"] == mini_site.countries["pl"].name
    source = next(iter(mini_site.sources.values()))
    body_word = max(re.findall(r"\w+", source.body), key=len)
    assert f"sources/{source.id}/" in find(files, body_word), "a source's page by a word of its text"
    assert find(files, body_word)[f"sources/{source.id}/"] == f"{source.outlet}: \u201c{source.title}\u201d"
    article = mini_site.treaty.articles[0]
    assert f"treaty/#article-{article.number}" in find(files, max(re.findall(r"\w+", article.text), key=len))
    urls = [url for url, _, _ in documents(files)]
    assert len(urls) == len(set(urls)), "one document per address"
    passages = [url for url in urls if "#passage-" in url]
    assert len(passages) == sum(len(s.passages) for s in mini_site.sources.values()), "each passage by itself"
    claims = [url for url in urls if "#claim-" in url]
    assert len(claims) == len(visible_claims(mini_site)), "every visible claim, no draft"
    assert not [url for url in urls if url.startswith(("search/", "404"))], "the search and 404 pages are not found"


def test_what_is_not_reporting_unchecked_or_unconfirmed_is_found_marked_as_the_pages_mark_it(mini_site: Site) -> None:
    """An embedded post or a donation appeal found under the source's headline read as the outlet's reporting, a
    claim without its rating as the site's word, an unconfirmed reference as a fact: each result says what it is."""
    files = index_files(mini_site, Planner(mini_site))
    wire = mini_site.sources["wire"]
    by_url = {url: (title, text) for url, title, text in documents(files)}
    for passage in wire.passages:
        # A word of the passage alone: the article's reporting, its headline and outlet do not have it.
        others = wire.body[:passage.start] + wire.body[passage.end:] + f" {wire.outlet} {wire.title}"
        alone = set(re.findall(r"\w+", passage.text.lower())) - set(re.findall(r"\w+", others.lower()))
        word = max(sorted(alone), key=len)
        found = find(files, word)
        assert "sources/wire/" not in found, f"{passage.id}: not under the article's headline"
        title, text = by_url[f"sources/wire/#passage-{passage.id}"]
        assert title.startswith(f"{wire.outlet}, {passage.label.lower()}") and text == passage.text
        assert title.endswith(": not the outlet's reporting" if passage.related
                              else ": not the outlet's reporting; unrelated to the story")
    post = next(p for p in wire.passages if p.kind == "social-post")
    assert by_url[f"sources/wire/#passage-{post.id}"][0] == (
        f"{wire.outlet}, embedded social-media post by {post.author} ({post.handle}): not the outlet's reporting")
    for claim in visible_claims(mini_site):
        judged = judge_claim(claim, mini_site.sources[claim.source_id], mini_site.config.as_of)
        assert by_url[f"sources/{claim.source_id}/#claim-{claim.id}"][0].endswith(f" \u2014 {judged.label}")
    ratings = {t.rsplit(" \u2014 ", 1)[1] for u, (t, _) in by_url.items() if "#claim-" in u}
    assert "Not checked against the references" in ratings and len(ratings) > 1
    for reference in mini_site.references.values():
        title, text = by_url[f"references/#ref-{reference.id}"]
        unconfirmed = reference.confidence == "unconfirmed"
        assert title.startswith(f"Reference {reference.id.upper()}{', unconfirmed' if unconfirmed else ''}: ")
        assert text.startswith("Unconfirmed: the site does not state it as fact.") == unconfirmed
    assert any(r.confidence == "unconfirmed" for r in mini_site.references.values())


def test_a_claims_result_says_whose_voice_it_is_as_its_source_page_does(shipped_site: Site) -> None:
    """An opinion, a quoted speaker, a post or the outlet's reporting: the title says which, with the speaker the
    claim's card names, and the kind's word finds it."""
    files = index_files(shipped_site, Planner(shipped_site))
    by_url = {url: title for url, title, _ in documents(files)}
    kinds = {claim.kind for claim in visible_claims(shipped_site)}
    assert {"reporting", "quote", "paraphrase", "opinion", "social-post"} <= kinds
    expected = {"reporting": "reporting", "quote": "quoting {}", "paraphrase": "paraphrasing {}",
                "opinion": "opinion or analysis", "social-post": "embedded social-media post by {}"}
    for claim in visible_claims(shipped_site):
        outlet = shipped_site.sources[claim.source_id].outlet
        kind = expected[claim.kind].format(claim.speaker)
        assert by_url[f"sources/{claim.source_id}/#claim-{claim.id}"].startswith(f"{outlet}, {kind}: \u201c")
    opinions = find(files, "opinion")
    assert {f"sources/{c.source_id}/#claim-{c.id}" for c in visible_claims(shipped_site) if c.kind == "opinion"} \
        <= opinions.keys()


def test_the_static_pages_words_come_from_the_model_without_markup(shipped_site: Site) -> None:
    files = index_files(shipped_site, Planner(shipped_site))
    by_url = {url: (title, text) for url, title, text in documents(files)}
    title, text = by_url["methodology/"]
    assert title == "Methodology"
    assert "Reporting" in text and "[ref:" not in text and "**" not in text and "## " not in text
    assert "volunteer copy" in " ".join(text.split()), "the methodology's own words"
    assert "Ottawa" in by_url["treaty/"][1] + by_url["treaty/"][0] + by_url[""][1]
    question = next(iter(shipped_site.questions.values()))
    assert any(title == question.text for title, _ in by_url.values()), "each question by its words"
    assert find(files, "Estonia")["countries/ee/"] == "Estonia"
    assert (find(files, "map")["map/"], find(files, "sources")["sources/"]) == ("Map", "Sources"), "listings by name"
    # Addresses are from the site's root: the page puts the base path before them, so a project site works.
    assert all(not url.startswith("/") for url in by_url)


def test_a_large_site_finds_its_sources_by_name_and_keeps_its_countries_and_references(
        mini_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "FULL_TEXT_SOURCES", 1)
    files = index_files(mini_site, Planner(mini_site))
    wire = mini_site.sources["wire"]
    assert (find(files, wire.outlet.split()[0])["sources/wire/"] == f"{wire.outlet}: \u201c{wire.title}\u201d"
            ), "a source by its outlet's name, its headline attributed"
    assert find(files, "Poland")["countries/pl/"] == "Poland"
    assert "references/#ref-js01" in {url for url, _, _ in documents(files)}
    assert not [url for url, _, _ in documents(files) if "#claim-" in url], "no claim: the index stays small"
    body_word = max(re.findall(r"\w+", wire.body), key=len)
    assert "sources/wire/" not in find(files, body_word), "nor each article's text"


def test_the_same_site_gives_the_same_bytes(mini_site: Site) -> None:
    first = index_files(mini_site, Planner(mini_site))
    assert first == index_files(mini_site, Planner(mini_site))
    listing = json.loads(first[SEARCH_INDEX])["chunks"]
    assert set(first) == {SEARCH_INDEX, *(f"search/{name}.json" for name, _ in listing)}


def test_one_claims_edit_changes_its_chunk_and_the_list_alone(mini_site: Site,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SOURCES_PER_CHUNK", 1)  # a chunk for each source, as on a large site
    before = index_files(mini_site, Planner(mini_site))
    claim = visible_claims(mini_site)[0]
    edited = replace(mini_site, claims={**mini_site.claims, claim.id: replace(claim, says="Zanzibar ratified.")})
    after = index_files(edited, Planner(edited))
    assert len([name for name in before if name.startswith("search/sources-")]) == 2
    changed = sorted(name for name in before if before[name] != after[name])
    chunk = f"search/sources-{search.chunk_of(claim.source_id, 2)}.json"
    assert changed == [SEARCH_INDEX, chunk]
    assert f"sources/{claim.source_id}/#claim-{claim.id}" in find(after, "Zanzibar")


def test_a_source_keeps_its_chunk_as_the_site_grows() -> None:
    assert [search.chunk_count(n) for n in (0, 1, 300, 301, 600, 601, 10_000)] == [1, 1, 1, 2, 2, 4, 64]
    # Doubling the chunks splits each in two: a source moves only to its chunk's new twin.
    for source_id in ("wire", "daily", "ml", "source-04711"):
        assert search.chunk_of(source_id, 64) % 32 == search.chunk_of(source_id, 32)


def test_the_vendored_minisearch_is_the_pinned_packages_browser_build() -> None:
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]["minisearch"]
    vendored = VENDORED.read_text(encoding="utf-8")
    assert vendored.startswith(f"/*! MiniSearch {pinned} ") and "Permission is hereby granted" in vendored
    installed = REPO / "node_modules" / "minisearch" / "dist" / "es" / "index.js"
    if not installed.exists():
        pytest.skip("node_modules/minisearch is installed by `make test` (scripts/install-test-deps.sh npm)")
    published = installed.read_text(encoding="utf-8")
    assert vendored.split(" */\n", 1)[1] == published.replace("//# sourceMappingURL=index.js.map\n", "")


def test_a_long_title_is_cut_at_a_word_and_marked() -> None:
    statement = "Under the treaty a withdrawal takes effect only six months after notice, and if the state is engaged"
    assert shortened(statement) == ("Under the treaty a withdrawal takes effect only six months after notice, and "
                                    "if the state\u2026")
    assert len(shortened(statement * 3)) <= 91
    assert shortened("Short enough.") == "Short enough."
    assert shortened("a" * 85 + " bcde fg") == "a" * 85 + " bcde\u2026"  # a word ending at the limit is kept
    assert shortened("  spaced   out " * 10).startswith("spaced out spaced")


def test_an_article_without_its_summary_is_found_by_its_text_alone(mini_site: Site) -> None:
    """An as-of build hides a summary its day's pages do not support (dated.py): the article's words stand alone."""
    article = replace(mini_site.treaty.articles[0], summary="")
    site = replace(mini_site, treaty=replace(mini_site.treaty, articles=(article, *mini_site.treaty.articles[1:])))
    by_url = {url: text for url, _, text in documents(index_files(site, Planner(site)))}
    assert by_url[f"treaty/#article-{article.number}"] == article.text


def test_a_claims_restatement_and_an_articles_summary_are_labelled_as_the_sites_words(mini_site: Site) -> None:
    """The site's plain words come after the label the pages give them ("In plain words:"), never run on from the
    source's quote or the treaty's text as if they were those."""
    by_url = {url: text for url, _, text in documents(index_files(mini_site, Planner(mini_site)))}
    for claim in visible_claims(mini_site):
        text = by_url[f"sources/{claim.source_id}/#claim-{claim.id}"]
        assert text.endswith(f"\u201c{claim.quote}\u201d In plain words: {claim.says}"), text
    for article in mini_site.treaty.articles:
        text = by_url[f"treaty/#article-{article.number}"]
        assert text == (f"{article.text} In plain words: {article.summary}" if article.summary else article.text)


def test_only_a_claim_or_an_article_says_where_its_label_stands(mini_site: Site) -> None:
    """The results' excerpt labels what follows "In plain words:" as the site's words where the document says where
    its label stands: a claim's, an article's with a summary. The change log quoted the label (entry 2026-12-06-44),
    and its excerpt had been labelled the site's restatement of a claim."""
    quoting = Change("search-label", mini_site.config.as_of, "correction",
                     "Results now label the site's words \"In plain words:\" as the claims' cards do.")
    site = replace(mini_site, changes=(quoting, *mini_site.changes))
    found = {d[0]: d for d in whole_documents(index_files(site, Planner(site)))}
    labelled = {url: d for url, d in found.items() if len(d) == 4}
    assert "In plain words:" in str(found["changes/"][2]) and "changes/" not in labelled
    expected = {f"sources/{c.source_id}/#claim-{c.id}" for c in visible_claims(site)} | {
        f"treaty/#article-{a.number}" for a in site.treaty.articles if a.summary}
    assert set(labelled) == expected
    for _, _, text, at in labelled.values():
        assert str(text)[int(str(at)):].startswith("In plain words: ")


def in_units(text: object, start: object, end: object) -> str:
    """The words from `start` to `end` counted in UTF-16 code units, as the browser counts a document's offsets."""
    return str(text).encode("utf-16-le")[2 * int(str(start)):2 * int(str(end))].decode("utf-16-le")


def test_quoted_words_in_another_language_say_where_they_stand_and_ours_do_not(mini_site: Site) -> None:
    """A source in Spanish, and a post in Spanish in an English source: each result quoting their words says where
    those words stand in its title and its text (counted as the browser counts: the flag is four units), so that the
    search page marks them and only them; our words (the kind, "In plain words:", a passage's title) are not."""
    daily = replace(mini_site.sources["daily"], language="es")
    post = next(p for p in mini_site.sources["wire"].passages if p.id == "ann-post")
    wire = replace(mini_site.sources["wire"], passages=tuple(
        replace(p, language="es") if p is post else p for p in mini_site.sources["wire"].passages))
    flagged = replace(mini_site.claims["daily-ukraine"], quote="Ukraine \U0001f1fa\U0001f1e6, at war with Russia")
    site = replace(mini_site, sources={**mini_site.sources, "daily": daily, "wire": wire},
                   claims={**mini_site.claims, flagged.id: flagged})
    found = {str(d[0]): d for d in whole_documents(index_files(site, Planner(site)))}
    quoting = {f"sources/daily/#claim-{c.id}": c for c in visible_claims(site) if c.source_id == "daily"}
    quoting["sources/wire/#claim-wire-ann"] = site.claims["wire-ann"]
    for url, claim in quoting.items():
        _, title, text, label, (title_span,), (text_span,) = found[url]
        assert title_span[0] == text_span[0] == "es"
        assert in_units(title, *title_span[1:]) == in_units(text, *text_span[1:]) == f"\u201c{claim.quote}\u201d"
        assert in_units(text, label, int(str(label)) + 16) == "In plain words: "
    _, title, text, _, (title_span,), (text_span,) = found["sources/daily/"]
    assert in_units(title, *title_span[1:]) == "\u201cFive states leave the mine ban\u201d"
    assert in_units(text, 0, text_span[1]) == "The Daily Ledger " and text_span[2] == len(str(text))
    assert found["sources/wire/#passage-ann-post"][3:] == [None, [], [["es", 0, len(post.text)]]]
    # Nothing else: the English source, its other passages and claims, and the site's own pages (the references,
    # one with an excerpt in Finnish, are the next test's).
    marked = {url for url, d in found.items() if len(d) > 4 and not url.startswith("references/")}
    assert marked == {*quoting, "sources/daily/", "sources/wire/#passage-ann-post"}


def test_the_shipped_site_marks_the_references_excerpts_in_another_language_alone(shipped_site: Site) -> None:
    """The shipped site's sources are English: their documents are as they were (the index does not grow for
    them). A reference's excerpt in another language (Latvian, Finnish) says where it stands, as its page marks it."""
    found = {str(d[0]): d for d in whole_documents(index_files(shipped_site, Planner(shipped_site)))}
    assert all(len(d) <= 4 for url, d in found.items() if url.startswith("sources/"))
    expected = {f"references/#ref-{r.id}": [[p.language, p.excerpt] for p in (r, *r.also)
                                            if p.excerpt and p.language and p.language != "en"]
                for r in shipped_site.references.values()}
    expected = {url: spans for url, spans in expected.items() if spans}
    assert len(expected) > 10
    assert {url for url, d in found.items() if len(d) > 4} == set(expected)
    for url, spans in expected.items():
        _, _, text, label, title_spans, text_spans = found[url]
        assert label is None and title_spans == []
        assert [[tag, in_units(text, start, end)] for tag, start, end in text_spans] == spans
