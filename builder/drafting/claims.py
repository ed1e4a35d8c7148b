"""Candidate claims: one per statement, with every guess (kind, speaker, countries, dates, numbers, answers) and
the words it rests on, written as comments with a confidence; and the claims' readable ids."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..load import RESERVED_IDS
from ..model import PartialDate
from .answers import STOPWORDS, QuestionInfo, Sentence, Suggestion, Topic, find_numbers, propose_answer
from .candidates import Candidate, candidate_sentences
from .context import Context
from .dates import Anchor, DateMention, find_dates, human_date
from .marks import Mark
from .names import find_names
from .places import country_group, country_name, find_countries
from .published import Published
from .references import resolve_countries
from .sentences import Attribution, guess_kind, mask_quotes, quoted_parts, short
from .speakers import attribute, speaker_confidence


@dataclass
class Draft:
    """One candidate claim, and the reasons for each guess, written as comments above it."""

    quote: str
    says: str
    kind: str
    span: tuple[int, int]
    speaker: str | None = None
    countries: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    when: PartialDate | None = None
    comments: list[str] = field(default_factory=list)
    id: str = ""
    dates: list[DateMention] = field(default_factory=list)  # offsets within the quote
    concerns: tuple[str, ...] = ()  # every country it concerns, with a file in content/countries or not
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass(frozen=True)
class SiteFacts:
    """What ingest needs to know of the site it adds to."""

    source_ids: set[str]
    claim_ids: set[str]
    country_ids: set[str]
    questions: tuple[QuestionInfo, ...]
    topic: Topic
    generic: set[str] = field(default_factory=set)


def draft_claims(body: str, marks: list[Mark], title: str | None, published: Published, site: SiteFacts
                 ) -> tuple[list[Draft], list[str]]:
    """One candidate claim per statement, with its countries, people, speaker, dates, numbers and kind."""
    candidates, skipped = candidate_sentences(body, marks, title)
    context = Context()
    drafts = []
    for index, candidate in enumerate(candidates):
        text = body[candidate.start:candidate.end]
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        next_text = body[following.start:following.end] if following else None
        lead = body[max(0, candidate.start - 300):candidate.start]
        drafts.append(draft_claim(text, (candidate.start, candidate.end), candidate, index, next_text, context,
                                  published, site, lead))
    return drafts, skipped


def draft_claim(text: str, span: tuple[int, int], candidate: Candidate, index: int, next_text: str | None,
                context: Context, published: Published, site: SiteFacts, lead: str = "") -> Draft:
    """Every guess about one sentence, and the words each rests on; `lead` is the text just before it."""
    post = candidate.post
    anchor = (Anchor(post.posted, post.posted, f"the post's date, {human_date(post.posted)}")
              if post and post.posted else published.anchor())
    starts = site.topic.organisation_words
    names = find_names(text, context.people, starts)
    outside = find_names(mask_quotes(text), dict(context.people), starts).people  # whom the outlet names, not a quote
    if outside:
        context.last_person, context.person_at = outside[0].split(" (")[0], index
    context.remember(outside)
    attribution, continues = attribute(text, candidate, index, next_text, lead, context)
    guess = guess_kind(text, attribution, post)
    if attribution and guess.kind in ("quote", "paraphrase"):
        context.speaker, context.speaker_at = guess.speaker or attribution.speaker, index
    context.quote_paragraph = candidate.ends_in if guess.kind == "quote" else -1
    codes, country_reasons = resolve_countries(text, index, candidate.paragraph, context, next_text, continues)
    known = tuple(c for c in codes if c in site.country_ids)
    unknown = [c for c in codes if c not in site.country_ids]
    people = names.people
    if post and post.author and not post.author.startswith("unknown"):
        people = tuple(dict.fromkeys((post.author, *people)))
    dates, unresolved = find_dates(text, anchor)
    when = _choose_when(text, dates)
    numbers = find_numbers(text)
    inferred = [d.inferred + (f" (uncertain: {d.doubt})" if d.doubt else "") for d in dates if d.inferred]
    says = " ".join(text.split())
    if inferred:
        says += " [inferred: " + "; ".join(inferred) + "]"
    comments = [f"kind guessed from: {guess.because} ({_kind_confidence(guess.kind, attribution, text):.0%})"]
    if attribution and guess.kind in ("quote", "paraphrase"):
        comments.append(f"speaker from: '{short(attribution.speaker, 50)}' + '{attribution.verb}' "
                        f"({speaker_confidence(attribution, text):.0%})")
    if country_reasons:
        comments.append("countries: " + "; ".join(country_reasons))
    if unknown:
        comments.append("also concerns, with no file in content/countries: "
                        + ", ".join(f"{c} ({country_name(c)})" for c in unknown))
    if dates:
        comments.append("dates: " + "; ".join(
            f"'{d.words}' = {d.iso} ({_date_confidence(d, anchor):.0%}" + (", inferred)" if d.inferred else ")")
            + (f", not taken as `when`: {d.doubt}" if d.doubt else "") for d in dates))
    if unresolved:
        comments.append(f"not resolved ({anchor.what}): " + ", ".join(f"'{w}'" for w in unresolved))
    if numbers:
        comments.append("numbers: " + ", ".join(f"'{n.words}'" for n in numbers))
    group = tuple(c for c in (country_group(text, find_countries(text)) or codes) if c in site.country_ids)
    history = tuple(d.value.year for d in dates if _concluded(text, d))
    sentence = Sentence(text, site.topic.stems(text), group, known, when, history, tuple(numbers))
    suggestions = [p for q in site.questions if (p := propose_answer(q, sentence, site.generic, site.topic))]
    comments.extend(f"may answer: {p.shown}" for p in suggestions if p.offered)
    return Draft(quote=text, says=says, kind=guess.kind, span=span, speaker=guess.speaker, countries=known,
                 organisations=names.organisations, people=people, when=when, comments=comments, dates=dates,
                 concerns=tuple(codes), suggestions=suggestions)


_BACKGROUND_YEAR = re.compile(r"(?:treaty|convention|pact|agreement|ban)\W+(?:\w+\W+){0,2}$|"
                              r"(?:adopted|signed|concluded|ratified|acceded|joined|since|in force|into force)\W+"
                              r"(?:\w+\W+){0,2}$", re.I)


def _background(text: str, mention: DateMention) -> bool:
    """A year that only tells the treaty's history: 'the 1997 treaty', 'signed in 1997'."""
    return mention.value.month is None and (
        bool(_BACKGROUND_YEAR.search(text[:mention.start]))
        or bool(re.match(r"\W*(?:\w+\W+)?(?:treaty|convention|pact|agreement)\b", text[mention.end:], re.I)))


_CONCLUDED_BEFORE = re.compile(r"(?:adopted|signed|concluded|agreed|negotiated|opened for signature)\W+"
                               r"(?:\w+\W+){0,4}$", re.I)
_CONCLUDED_AFTER = re.compile(r"\W*(?:\w+\W+){0,2}(?:treaty|convention|pact|agreement)\b", re.I)


def _concluded(text: str, mention: DateMention) -> bool:
    """A year that says when the treaty was made ('the 1997 treaty', 'adopted in Oslo on 18 September 1997'),
    not when it came into force or a country joined it."""
    if mention.inferred:
        return False  # 'the meeting concluded today'
    if mention.value.month is not None and not _CONCLUDED_BEFORE.search(text[:mention.start]):
        return False
    before = text[max(0, mention.start - 40):mention.start]
    if re.search(r"(?:in force|into force|since|ratified|acceded|joined|effect)\W+(?:\w+\W+){0,2}$", before, re.I):
        return False
    return bool(_CONCLUDED_BEFORE.search(text[:mention.start]) or _CONCLUDED_AFTER.match(text[mention.end:]))


def _choose_when(text: str, dates: list[DateMention]) -> PartialDate | None:
    """The date a claim speaks of: its first day, else its first month, else its first year; a year that only
    tells the treaty's history is left for last, and one read between two tenses is never taken."""
    dates = [d for d in dates if not d.doubt]  # a guess between two readings is no date to publish
    ordered = [d for d in dates if not _background(text, d)] + [d for d in dates if _background(text, d)]
    for precise in (lambda d: d.value.day, lambda d: d.value.month, lambda d: True):
        chosen = next((d.value for d in ordered if precise(d)), None)
        if chosen:
            return chosen
    return None


def _kind_confidence(kind: str, attribution: Attribution | None, text: str) -> float:
    """How sure a guess of this kind is on these grounds (estimated on the eval's development set)."""
    if kind == "social-post":
        return 0.9
    if kind == "quote":
        return 0.9 if attribution and not attribution.verb.startswith(("continues", "'")) else 0.75
    if kind == "paraphrase":
        return 0.6
    if kind == "opinion":
        return 0.5
    return 0.4 if quoted_parts(text) else 0.7  # quoted words and no speaker: someone may be quoted after all


def _date_confidence(mention: DateMention, anchor: Anchor) -> float:
    """How sure the reading is: written out in full, or completed from the publication date (or a window)."""
    if not mention.inferred:
        return 0.95
    if mention.doubt:
        return 0.5
    return 0.85 if anchor.day else 0.7


def name_claims(drafts: list[Draft], source_id: str, taken: set[str]) -> None:
    """Readable ids: the source's initials (its whole id if it is one word) and the quote's first content words,
    unique across the site."""
    parts = source_id.split("-")
    prefix = "".join(p[0] for p in parts) if len(parts) > 1 else source_id
    used = set(taken) | RESERVED_IDS
    for draft in drafts:
        words = [w for w in re.findall(r"[a-z0-9]+", _ascii(draft.quote).lower()) if w not in STOPWORDS][:4]
        base = "-".join([prefix, *words])[:48].strip("-") or prefix
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}-{number}", number + 1
        used.add(candidate)
        draft.id = candidate


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str, max_words: int = 4) -> str:
    """An id from a name: 'The Media Line' -> 'media-line'."""
    words = re.findall(r"[a-z0-9]+", _ascii(text).lower())
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return "-".join(words[:max_words])
