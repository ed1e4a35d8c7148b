"""The shipped site's topic as the drafting tests read articles with it: a title and the agreement's names, and the
words its rules give ingest (content/rules.yaml's `ingest`)."""

from __future__ import annotations

from builder.drafting.answers import Topic, read_topic
from builder.errors import ErrorLog
from builder.load import parse_yaml
from builder.rules import read_rules
from tests.support import REPO_ROOT


def shipped_topic(text: str = "Leaving the mine ban Ottawa Convention Mine Ban Treaty") -> Topic:
    log = ErrorLog()
    source = (REPO_ROOT / "content" / "rules.yaml").read_text(encoding="utf-8")
    rules = read_rules(parse_yaml(source, "content/rules.yaml", log), log)
    assert rules is not None, log.errors
    return read_topic(text, rules.ingest.synonyms, rules.ingest.organisation_words)
