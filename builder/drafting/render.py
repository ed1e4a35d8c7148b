"""The two drafted files as text: the source's front matter and body, and the claims with their comments."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..quotes import SearchableText
from .claims import Draft, slugify
from .marks import Mark
from .passages import anchor_passage
from .published import Published
from .sentences import short


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    quoted = json.dumps(text, ensure_ascii=False)
    return re.sub(r"[\x7f-\x9f\u2028\u2029\ufeff]", lambda m: f"\\u{ord(m.group()):04x}", quoted)


def yaml_comment(text: str) -> str:
    return "# " + " ".join(text.split())


@dataclass(frozen=True)
class SourceDraft:
    """The front matter's fields, as found or given."""

    source_id: str
    outlet: str
    title: str
    url: str
    byline: str | None
    language: str
    published: Published
    retrieved_how: str
    captured_as: str | None
    outlet_url: str | None
    header: tuple[str, ...]


def render_source(draft: SourceDraft, body: str, marks: list[Mark]) -> tuple[str, dict[int, range], list[str]]:
    """The source file: front matter, then the body verbatim; with the lines each passage occupies."""
    lines = ["---", *(yaml_comment(h) for h in draft.header)]
    lines.append(f"outlet: {yaml_string(draft.outlet)}")
    if draft.outlet_url:
        lines.append(f"outlet_url: {yaml_string(draft.outlet_url)}")
    lines += [f"title: {yaml_string(draft.title)}", f"url: {yaml_string(draft.url)}",
              f"byline: {yaml_string(draft.byline) if draft.byline else 'null'}",
              f"language: {yaml_string(draft.language)}"]
    published = draft.published
    if published.check:
        lines.append(yaml_comment(f"published: {published.check}."))
    lines.append("published:")
    if published.exact:
        lines.append(f"  date: {published.exact.isoformat()}")
    else:
        lines.append("  date: null")
        lines += [f"  {key}: {value.isoformat()}" for key, value in
                  (("not_before", published.not_before), ("not_after", published.not_after)) if value]
    lines += [f"  how: {yaml_string(published.how)}", "retrieved:", "  date: null",
              f"  how: {yaml_string(draft.retrieved_how)}"]
    if draft.captured_as:
        lines.append(f"captured_as: {yaml_string(draft.captured_as)}")
    lines += [yaml_comment("A draft until curated: the site shows neither this source nor its claims. Remove "
                           "'draft: true' once the text, the passages and the claims are checked."), "draft: true"]
    ranges: dict[int, range] = {}
    unanchored: list[str] = []
    searchable = SearchableText(body)
    ids: set[str] = set()
    entries: list[list[str]] = []
    for index, mark in enumerate(marks):
        anchors = anchor_passage(searchable, mark.start, mark.end)
        if anchors is None:
            unanchored.append(f"{mark.kind} at '{short(body[mark.start:mark.end], 40)}': its text occurs more "
                              "than once, so it cannot be marked by 'from'/'to'")
            continue
        entries.append(_passage_lines(mark, anchors, _passage_id(mark, ids), draft.language))
        ranges[index] = range(0)  # filled in below, once the lines are placed
    if entries:
        lines.append("passages:")
    kept = [i for i in range(len(marks)) if i in ranges]
    for index, entry in zip(kept, entries, strict=True):
        first = len(lines) + 1
        lines += entry
        ranges[index] = range(first, len(lines) + 1)
    lines += [yaml_comment(f"not marked: {u}") for u in unanchored]
    lines.append("---")
    return "\n".join(lines) + "\n" + body, ranges, unanchored


def _passage_id(mark: Mark, ids: set[str]) -> str:
    base = f"{slugify(mark.handle.lstrip('@').replace('_', '-'), 6)}-post" if mark.handle else mark.kind
    candidate, number = base, 2
    while candidate in ids:
        candidate, number = f"{base}-{number}", number + 1
    ids.add(candidate)
    return candidate


# How sure each kind of mark is (estimated on the development set of scripts/ingest_eval.py): a signature or a
# dateline's shape rarely misleads; page furniture and lists of links sometimes take a line of text with them.
RULE_CONFIDENCE = {"social-post": 0.9, "dateline": 0.9, "byline": 0.9, "credit": 0.85, "caption": 0.8,
                   "player-prompt": 0.9, "donation-appeal": 0.8, "promo": 0.75, "read-more": 0.8, "related": 0.75,
                   "cross-reference": 0.75}


# What each kind of passage is, as a reader of the source's page is told (the `note` the page shows): the marking
# itself, true of any passage of the kind. How ingest found it (the rule, its words, how sure it is) is the
# editor's to check, so it goes in a comment above the passage, which the page never shows.
READER_NOTES = {
    "dateline": "The article's dateline: where and when it was filed, not its reporting.",
    "byline": "The article's byline: who wrote it, not its reporting.",
    "credit": "A credit for the article's text, agency or pictures, not its reporting.",
    "caption": "A caption of a picture on the page, captured with the text.",
    "player-prompt": "The prompt of the page's media player, captured with the text; it is not reporting.",
    "donation-appeal": "The outlet's appeal for donations, captured with the page; it is not reporting.",
    "promo": "A promotion of the outlet's own, captured with the page; it is not reporting.",
    "read-more": "A pointer to further reading, captured with the page; it says nothing about the story itself.",
    "related": "A list of the outlet's other stories, captured with the page; it is not reporting.",
    "cross-reference": "A pointer to another article, captured with the page; it is not reporting.",
}


_UNRELATED_HINT = ("If the post has nothing to do with the story, add `related: false`: the page then tells readers "
                   "it is unrelated to the story.")


def reader_note(mark: Mark) -> str:
    """The passage's note as the source's page shows it: what the passage is, and nothing of how it was found."""
    if mark.kind != "social-post":
        return READER_NOTES.get(mark.kind, "A part of the page that is not the outlet's reporting.")
    who = " ".join(part for part in (mark.author if mark.author and not mark.author.startswith("unknown") else None,
                                     f"({mark.handle})" if mark.handle else None) if part)
    where = "on X " if mark.rule == "social-post signature" else ""  # X's embed ends '— Name (@handle) date'
    return f"A post {where}by {who}, embedded in the article." if who else "A post embedded in the article."


def _passage_lines(mark: Mark, anchors: tuple[str, str | None], passage_id: str, source_language: str) -> list[str]:
    start_text, end_text = anchors
    grounds = f"marked by ingest's '{mark.rule}' rule ({RULE_CONFIDENCE.get(mark.kind, 0.7):.0%} sure): " \
              f"{mark.trigger}."
    entry = [f"  {yaml_comment(grounds)}"]
    if mark.kind == "social-post":
        entry.append(f"  {yaml_comment(mark.related_why + '.')}")
        if mark.related is not True:
            entry.append("  " + yaml_comment(_UNRELATED_HINT))
    entry += [f"  - id: {passage_id}", f"    kind: {mark.kind}", f"    from: {yaml_string(start_text)}"]
    if end_text:
        entry.append(f"    to: {yaml_string(end_text)}")
    entry.append(f"    note: {yaml_string(reader_note(mark))}")
    if mark.kind == "social-post":
        entry.append(f"    author: {yaml_string(mark.author or 'unknown')}")
        if mark.handle:
            entry.append(f"    handle: {yaml_string(mark.handle)}")
        if mark.posted:
            entry.append(f"    posted: {mark.posted.isoformat()}")
        if mark.related:
            entry.append("    related: true")
    if mark.language and mark.language != source_language.split("-")[0].lower():  # marked so in the page
        entry += [f"    {yaml_comment('it reads as ' + mark.language + ' by its commonest words: check it')}",
                  f"    language: {mark.language}"]
    return entry


def render_claims(drafts: list[Draft], header: list[str], footer: list[str]) -> tuple[str, dict[int, range]]:
    """The claims file: each candidate with `draft: true`, the reasons for its guesses in comments above it."""
    lines = [yaml_comment(h) for h in header]
    ranges: dict[int, range] = {}
    for index, draft in enumerate(drafts):
        lines.append("")
        lines += [yaml_comment(c) for c in draft.comments]
        first = len(lines) + 1
        lines += [f"- id: {draft.id}", f"  quote: {yaml_string(draft.quote)}", f"  says: {yaml_string(draft.says)}",
                  f"  kind: {draft.kind}"]
        if draft.kind in ("quote", "paraphrase", "social-post"):
            lines.append(f"  speaker: {yaml_string(draft.speaker) if draft.speaker else 'null'}")
        if draft.countries:
            lines.append(f"  countries: [{', '.join(draft.countries)}]")
        for key, values in (("organisations", draft.organisations), ("people", draft.people)):
            if values:
                lines.append(f"  {key}: [{', '.join(yaml_string(v) for v in values)}]")
        if draft.when:
            when = draft.when.iso
            lines.append(f"  when: {when if draft.when.day else yaml_string(when)}")
        lines.append("  draft: true")
        ranges[index] = range(first, len(lines) + 1)
    if not drafts:
        lines.append("[]")
    if footer:
        lines.append("")
        lines += [yaml_comment(f) for f in footer]
    return "\n".join(lines) + "\n", ranges
