"""The search index: what a reader can find, made from the model (never from the rendered pages), as JSON files
under search/ that the search page loads into MiniSearch (vendored in the theme's assets/minisearch.js).

Each document is [url from the site's root, title, words]. A result is read by its title, so a title says what the
pages mark: a source's headline as its outlet's, a claim's kind (whose voice it is) and rating, a passage that is
not the outlet's reporting (found apart from the source's own words), an unconfirmed reference. They are cut into
chunks: one for the pages drawn from the whole site (home, treaty and its articles, countries, questions,
references, methodology, change log), and the sources spread over a fixed number of chunks by a hash of their ids,
each source with its claims, so an edit to one claim changes one chunk's bytes, and each chunk's bytes depend on its
documents alone. The writer leaves a file whose bytes did not change as it was. `search/index.json` lists the
chunks, each with a digest of its bytes that the page adds to the chunk's address, so a browser never mixes an old
chunk with a new list.

A site with more than FULL_TEXT_SOURCES sources is indexed by its sources' names, without each article's text and
each claim: the browser loads the whole index before its first search.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable

import orjson

from .model import CITATION_MARK, CLAIM_KINDS, PASSAGE_KINDS, VERDICTS, Claim, Passage, Site, Source, foreign
from .pages import Planner, attributed
from .urls import (
    SEARCH_INDEX,
    claim_href,
    country_rel,
    passage_anchor,
    question_href,
    reference_anchor,
    source_rel,
)
from .views import CARD_KICKERS, quote_language

FULL_TEXT_SOURCES = 200
SOURCES_PER_CHUNK = 300  # about; the chunks are a power of two, so a source stays in its chunk as the site grows
TITLE_CHARACTERS = 90  # a result's title at most; the excerpt under it shows the rest

# Where a text in another language than the site's stands: (its language tag, start, end), counted in UTF-16 code
# units as the browser counts (search.js marks it lang, so that a screen reader speaks it in its own voice).
Span = tuple[str, int, int]
# (url from the site's root, title, the words it is found by[, where in them the label PLAIN_WORDS stands (or None)
# [, the title's Spans, the words' Spans]]): only a document that quotes words in another language than the site's
# has the last two, so the index of a site whose sources are in its language does not grow.
Document = tuple[str, str, str] | tuple[str, str, str, int | None] | \
    tuple[str, str, str, int | None, tuple[Span, ...], tuple[Span, ...]]


def index_files(site: Site, planner: Planner) -> dict[str, bytes]:
    """The index's files by output path: the list of chunks, then each chunk."""
    chunks = {"site": site_documents(site, planner), **source_chunks(site, planner)}
    files = {f"search/{name}.json": chunk_bytes(documents) for name, documents in chunks.items()}
    listing = [[name, hashlib.blake2b(files[f"search/{name}.json"], digest_size=6).hexdigest()] for name in chunks]
    return {SEARCH_INDEX: orjson.dumps({"chunks": listing}), **files}


def chunk_bytes(documents: Iterable[Document]) -> bytes:
    return orjson.dumps(list(documents))


def chunk_count(sources: int) -> int:
    """How many chunks the sources are spread over: a power of two, about SOURCES_PER_CHUNK sources in each."""
    count = 1
    while count * SOURCES_PER_CHUNK < sources:
        count *= 2
    return count


def chunk_of(source_id: str, count: int) -> int:
    return zlib.crc32(source_id.encode("utf-8")) % count


def source_chunks(site: Site, planner: Planner) -> dict[str, list[Document]]:
    """Each source with its visible claims (on a small site; by its name alone on a large one), by chunk name."""
    count = chunk_count(len(site.sources))
    width = len(str(count - 1))
    chunks: dict[str, list[Document]] = {f"sources-{n:0{width}d}": [] for n in range(count)}
    names = list(chunks)
    full = len(site.sources) <= FULL_TEXT_SOURCES
    base, language = len(site.config.base_path), site.config.language
    for source_id in sorted(site.sources):
        source = site.sources[source_id]
        documents = chunks[names[chunk_of(source_id, count)]]
        title = attributed(source)  # the outlet's headline, never as the site's own words
        document: Document = (source_rel(source_id), title,
                              f"{source.outlet} {source.title}" + (f" {reporting(source)}" if full else ""))
        if tag := foreign(source.language, language):  # all but the outlet's name, which is the site's words too
            at = units(source.outlet)
            document = marked(document, tag, (at + 2, units(title)), (at + 1, units(document[2])))
        documents.append(document)
        if not full:
            continue
        # Each passage that is not reporting found by itself, its title saying so as the page's label does.
        for p in source.passages:
            document = (f"{source_rel(source_id)}#{passage_anchor(p.id)}", passage_title(source, p), p.text)
            tag = foreign(p.language or source.language, language)
            documents.append(marked(document, tag, None, (0, units(p.text))) if tag else document)
        for claim in planner.claims_of.get(source_id, ()):
            text = claim_text(claim)
            before = f"{source.outlet}, {claim_kind(claim)}: "
            quoted = units(claim.quote) + 2  # with its quotation marks, as a finding marks it
            at = units(text) - units(claim.says) - len(PLAIN_WORDS) - 2 - quoted  # claim_text: 'who: "quote" …'
            document = (claim_href(site, claim)[base:],
                        f"{before}\u201c{claim.quote}\u201d \u2014 {planner.check(claim).label}", text, at + quoted + 1)
            tag = quote_language(site, claim)
            documents.append(marked(document, tag, (units(before), units(before) + quoted), (at, at + quoted))
                             if tag else document)
    return chunks


def units(text: str) -> int:
    """A text's length as the browser counts it (UTF-16 code units: an emoji is two), which a document's offsets
    are."""
    return len(text.encode("utf-16-le")) // 2


def marked(document: Document, language: str, title: tuple[int, int] | None, text: tuple[int, int]) -> Document:
    """The document with where the words in `language` (another than the site's) stand in its title and its text."""
    url, heading, words, *label = document
    return (url, heading, words, label[0] if label else None, ((language, *title),) if title else (),
            ((language, *text),))


# The label the pages put before the site's own restatement of a source's or a treaty's words ("In plain words:").
# In a document's text it comes last and runs to the end, and the document gives where it stands, so the results'
# excerpt (search.js) can tell, wherever it cuts, which words are the site's: before it the source's quote or the
# article's text, after it the site's. (Other texts may quote the words, the change log's among them: no label.)
PLAIN_WORDS = "In plain words:"


def claim_text(claim: Claim) -> str:
    """'Reporting: "QUOTE" In plain words: SAYS': the source's words marked as a quote and the site's restatement
    labelled as the claim's card labels it, so a result never runs the two together as one voice."""
    who = f"{CLAIM_KINDS[claim.kind]}{f' ({claim.speaker})' if claim.speaker else ''}"
    return f"{who}: \u201c{claim.quote}\u201d {PLAIN_WORDS} {claim.says}"


# What kind of passage a claim is, as its source page's badge and speaker say: a result reads as one voice or another.
_KIND_WORDS = {"reporting": "reporting", "quote": "quoting {}", "paraphrase": "paraphrasing {}",
               "opinion": "opinion or analysis", "social-post": "embedded social-media post by {}"}


def claim_kind(claim: Claim) -> str:
    """'reporting', 'quoting Władysław Kosiniak-Kamysz', 'opinion or analysis', 'embedded social-media post by A'."""
    words = _KIND_WORDS.get(claim.kind)
    if words is None or ("{}" in words and not claim.speaker):
        return CLAIM_KINDS[claim.kind][:1].lower() + CLAIM_KINDS[claim.kind][1:]
    return words.format(claim.speaker)


def reporting(source: Source) -> str:
    """A source's text without its passages that are not reporting (an embedded post, a donation appeal): a result
    under the source's headline shows the outlet's words alone."""
    parts, at = [], 0
    for passage in sorted(source.passages, key=lambda p: p.start):
        parts.append(source.body[at:passage.start])
        at = max(at, passage.end)
    return " ".join([*parts, source.body[at:]])


def passage_title(source: Source, passage: Passage) -> str:
    """'Liberty Post, embedded social-media post by A (@a): not the outlet's reporting; unrelated to the story'."""
    by = f" by {passage.author}" + (f" ({passage.handle})" if passage.handle else "") if passage.author else ""
    unrelated = "" if passage.related else "; unrelated to the story"
    return f"{source.outlet}, {passage.label[:1].lower()}{passage.label[1:]}{by}: not the outlet's reporting{unrelated}"


def site_documents(site: Site, planner: Planner) -> list[Document]:
    """The pages drawn from the whole site, in the site map's order, each by the words the model gives it. A
    question by its words, options and verdict: its differences name every source, and its answers are claims."""
    config, treaty, rules = site.config, site.treaty, planner.rules
    base = len(config.base_path)
    documents = [("", config.title, " ".join([config.tagline, config.description,
                                              *(plain(s.text) for s in site.summary)]))]
    documents.append(("treaty/", rules.agreement_title, " ".join([
        treaty.name, *treaty.short_names, rules.agreement_description,
        *(f"{fact.label}: {fact.value}" for fact in treaty.facts)])))
    documents += [(f"treaty/#article-{a.number}", f"Article {a.number}: {a.title}",
                   f"{a.text} {PLAIN_WORDS} {a.summary}", len(a.text) + 1) if a.summary else
                  (f"treaty/#article-{a.number}", f"Article {a.number}: {a.title}", a.text) for a in treaty.articles]
    statuses = sorted({c.status_today.label for c in site.countries.values() if c.status_today})
    documents.append(("countries/", CARD_KICKERS["countries"], " ".join(statuses)))
    documents.append(("map/", CARD_KICKERS["map"], " ".join(statuses)))
    for country_id in sorted(site.countries):
        country = site.countries[country_id]
        status = country.status_today
        documents.append((country_rel(country_id), country.name,
                          country.name if status is None else f"{country.name} {status.label} {status.explanation}"))
    for question_id, comparison in site.comparisons.items():
        question = site.questions[question_id]
        documents.append((question_href(site, question_id, planner.scale.split_compare)[base:], question.text,
                          " ".join([question.text, *question.options.values(), comparison.verdict_label,
                                    comparison.reference_display or ""])))
    documents.append(("sources/", CARD_KICKERS["sources"], " ".join(sorted({s.outlet for s in site.sources.values()}))))
    for reference in site.references.values():
        supports = (reference, *reference.also)
        unconfirmed = reference.confidence == "unconfirmed"  # as the references page marks it
        words = [*(["Unconfirmed: the site does not state it as fact."] if unconfirmed else []), reference.statement]
        spans: list[Span] = []  # the excerpts in another language than the site's, as the references page marks them
        for page in supports:
            if page.excerpt:
                if page.language and (tag := foreign(page.language, config.language)):
                    at = units(" ".join(words)) + 1
                    spans.append((tag, at, at + units(page.excerpt)))
                words.append(page.excerpt)
        document = (f"references/#{reference_anchor(reference.id)}",
                    f"Reference {reference.id.upper()}{', unconfirmed' if unconfirmed else ''}: "
                    f"{shortened(reference.statement)}",
                    " ".join([*words, *(p.title for p in supports), *(p.outlet for p in supports if p.outlet)]))
        documents.append((*document, None, (), tuple(spans)) if spans else document)
    heading = site.methodology.lstrip().splitlines()[0] if site.methodology.strip() else ""
    documents.append(("methodology/", heading[2:].strip() if heading.startswith("# ") else "Methodology",
                      " ".join([plain(site.methodology), *CLAIM_KINDS.values(), *PASSAGE_KINDS.values(),
                                *VERDICTS.values()])))
    documents.append(("changes/", "What changed", " ".join(plain(change.text) for change in site.changes)))
    return documents


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}|[-*+>]|\d+\.)\s+|[*_`]+", flags=re.M)


def plain(markdown: str) -> str:
    """The words of a Markdown text, without its markup, links' addresses or citation marks."""
    text = _MARKUP.sub("", _LINK.sub(r"\1", CITATION_MARK.sub("", markdown)))
    return " ".join(text.split())


def shortened(text: str, limit: int = TITLE_CHARACTERS) -> str:
    """A result's title cut at a word before `limit` characters: a reference's statement can be a paragraph, and
    its whole text is in the result's excerpt."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]  # a word that ends at the limit is kept whole
    return (cut.rsplit(" ", 1)[0] if " " in cut else text[:limit]).rstrip(",;:. ") + "\u2026"
