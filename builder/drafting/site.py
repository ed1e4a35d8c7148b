"""What ingest reads of the site it adds to (the ids taken, the countries, the questions, the topic's words),
and the validator's view of a draft before and after it is written."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..errors import ContentError, ContentErrors, ErrorLog
from ..load import Node, load_content, load_markdown, parse_yaml
from ..model import Claim, Source
from ..rules import IngestWords, read_rules
from ..validate import Known, Validator, validate_site
from .answers import QuestionInfo, generic_words, read_topic
from .claims import SiteFacts


def read_site_facts(root: Path) -> SiteFacts:
    """The ids already taken, the countries and questions, and the words of the site's topic."""
    raw, _ = load_content(root)
    claim_ids = {str(_field(item, "id")) for node in raw.claims.values() for item in _list(node)
                 if _field(item, "id")}
    questions = []
    for item in _list(raw.questions):
        options = _field(item, "options")
        questions.append(QuestionInfo(
            str(_field(item, "id") or ""), str(_field(item, "text") or ""), str(_field(item, "type") or ""),
            {str(k): str(v.value) for k, v in options.items()} if isinstance(options, dict) else {}))
    topic_text = [str(_field(raw.site, "title") or "")]
    treaty_name = _field(raw.treaty, "name")
    if isinstance(treaty_name, dict) and "value" in treaty_name:
        topic_text.append(str(treaty_name["value"].value))
    topic_text += [str(n.value) for n in _list(_node(raw.treaty, "short_names"))]
    sources = {p.stem for p in (root / "content" / "sources").glob("*.md")} | set(raw.sources)
    known = tuple(q for q in questions if q.id)
    rules = read_rules(raw.rules, ErrorLog())  # unreadable rules: the build says why; ingest drafts without them
    words = rules.ingest if rules else IngestWords()
    topic = read_topic(" ".join(topic_text), words.synonyms, words.organisation_words)
    return SiteFacts(sources, claim_ids, set(raw.countries), known, topic, generic_words(known, topic))


def _node(node: Node | None, key: str) -> Node | None:
    return node.value.get(key) if node is not None and isinstance(node.value, dict) else None


def _field(node: Node | None, key: str) -> Any:
    found = _node(node, key)
    return found.value if found is not None else None


def _list(node: Node | None) -> list[Node]:
    return node.value if node is not None and isinstance(node.value, list) else []


def check_draft(root: Path, source_id: str, source_text: str, claims_text: str) -> list[ContentError]:
    """The errors the validator finds in the two drafted files, read as if they were already in content/."""
    raw, log = load_content(root)
    source_src, claims_src = f"content/sources/{source_id}.md", f"content/claims/{source_id}.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source_src
        path.parent.mkdir(parents=True)
        path.write_bytes(source_text.encode("utf-8"))
        doc = load_markdown(path, Path(tmp), log)
    if doc is not None and doc.meta is not None:
        raw.sources[source_id] = doc
    node = parse_yaml(claims_text, claims_src, log)
    if node is not None:
        raw.claims[source_id] = node
    try:
        validate_site(raw, log)
        found = log.errors
    except ContentErrors as errors:
        found = errors.errors
    return sorted({e for e in found if e.src_path in (source_src, claims_src)})


def read_draft(root: Path, source_id: str) -> tuple[Source, list[Claim]]:
    """A source and its claims as the validator reads them, drafts included (the site leaves drafts out): for
    the tests and the evaluation to look at what ingest wrote."""
    raw, log = load_content(root)
    v = Validator(raw, log)
    countries = Known(v.countries())
    questions = Known(v.questions(countries))
    sources = v.sources()
    claims = v.claims(sources, questions, countries)
    source = sources.get(source_id) or v.drafts[source_id]
    return source, sorted((c for c in claims.values() if c.source_id == source_id), key=lambda c: (c.span, c.id))
