"""Candidate claims: one per statement, with every guess and the words it rests on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..load import RESERVED_IDS
from ..model import UNQUOTABLE_PASSAGES, PartialDate
from .answers import NUMBER_WORDS, STOPWORDS, QuestionInfo, Sentence, Suggestion, find_numbers, propose_answer, stems
from .dates import Anchor, DateMention, find_dates, human_date
from .marks import Mark, overlaps
from .names import find_names
from .places import country_group, country_name, find_countries
from .published import Published
from .sentences import (
    Attribution,
    find_speaker,
    guess_kind,
    mask_quotes,
    open_quotation,
    quoted_parts,
    short,
    split_lines,
    split_sentences,
    wholly_quoted,
)


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
    topic: set[str]
    generic: set[str] = field(default_factory=set)


_BACK_REFERENCE = re.compile(r"\b(?:it|its|they|their|them|this|these|those|such)\b", re.I)
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those)\s+(?:\w+\s+)?(?:decision|move|step|announcement|policy|plan|"
                            r"shift|change|position|withdrawal|weapons|mines|areas?|country|countries|nations?|"
                            r"governments?)\b", re.I)
_GROUP_REFERENCE = re.compile(r"\b(?:the|these|those|both|all)\s+(?:(?:two|three|four|five|six|seven|\d+)\s+)?"
                              r"(?:[a-z]\w*\s+)?(?-i:countries|nations|states|governments|ministers|allies|"
                              r"members)\b", re.I)
_COUNTED_GROUP = re.compile(r"\b(?P<count>two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w-]+\s+){0,4}?"
                            r"(?:countries|nations|states|members|allies|governments)\b", re.I)
MAX_GROUP_DISTANCE = 6  # sentences a group such as 'the ministers' can refer back over
MAX_COUNTED_DISTANCE = 15  # sentences 'the five countries' can refer back over to five countries named together


@dataclass
class Context:
    """What earlier sentences named, for words such as 'their decision' or 'the ministers' that refer back."""

    previous: tuple[str, ...] = ()
    previous_group: tuple[str, ...] = ()
    previous_paragraph: int = -1
    quote_paragraph: int = -1  # the paragraph of the last sentence guessed to be a quotation
    group: tuple[str, ...] = ()
    group_at: int = -100
    groups: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)  # every group named, and where
    speaker: str | None = None
    people: dict[str, str] = field(default_factory=dict)
    last_person: str | None = None  # the last person named, whom 'he' or 'she' may be
    speaker_at: int = -1  # the sentence that last named the speaker, and the one that last named a person
    person_at: int = -1
    roles: dict[str, str] = field(default_factory=dict)  # each person named, with the role given, in order
    previous_text: str = ""

    def pronoun(self) -> str | None:
        """Whom 'he' or 'she' means: the speaker, unless a person was named since (or the speaker is no one)."""
        speaker_is_person = bool(self.speaker) and not self.speaker[:1].islower()
        if self.last_person and (self.person_at > self.speaker_at or not speaker_is_person):
            return self.last_person
        return self.speaker or self.last_person

    def plural(self) -> str | None:
        """Whom 'they' means: the speakers, if they are many ('the defence ministers'); else the group that is
        the subject of the sentence before ('Earlier, the defense ministers of Latvia, ... recommended')."""
        if self.speaker and _PLURAL_SPEAKER.match(self.speaker):
            return self.speaker
        group = _PLURAL_SUBJECT.search(self.previous_text)
        return group.group().strip(" ,") if group else None

    def titled(self, title: str) -> str | None:
        """Whom 'the prime minister' means: the last person named with that title, else the last person named."""
        head = title.split()[-1].lower()[:6]
        match = next((name for name, role in reversed(self.roles.items()) if head in role.lower()), None)
        return match or self.pronoun()

    def remember(self, people: tuple[str, ...]) -> None:
        """Note each 'Name (role)' a sentence names, so that 'the minister' can be found later."""
        for person in people:
            name, _, role = person.partition(" (")
            self.roles.pop(name, None)
            self.roles[name] = role.rstrip(")")


_PLURAL_SPEAKER = re.compile(r"(?:[Tt]he\s+)?(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*s\b(?!\s+(?:said|says))")
_PLURAL_SUBJECT = re.compile(r"\b[Tt]he\s+(?:[a-z][\w-]*\s+){0,2}(?:ministers|governments|leaders|officials|"
                             r"lawmakers|MPs|delegates|delegations|campaigners|authorities)\b(?:\s+(?:of|for|from)\s+"
                             r"(?:the\s+)?[A-Z][\w’'-]*(?:(?:,\s+(?:and\s+)?|\s+and\s+)[A-Z][\w’'-]*)*)?")
_TITLE_ONLY = re.compile(r"the\s+(?:[a-z][\w-]*\s+){0,3}(?:minister|president|premier|chancellor|spokes\w+|"
                         r"secretary|commander|chief|head|mayor|official|lawmaker|senator|ambassador|director|"
                         r"chair\w*|diplomat|general|monarch|king|queen|speaker|leader|governor|envoy|prosecutor)",
                         re.I)


def resolve_countries(text: str, index: int, paragraph: int, context: Context, next_text: str | None,
                      continues_quote: bool = False) -> tuple[tuple[str, ...], list[str]]:
    """The countries a sentence concerns: those it names, and those its back-references ('their decision',
    'the ministers') or a count ('four members', named in the next sentence) point to; with the reasons."""
    mentions = find_countries(text)
    codes = list(tuple(dict.fromkeys(code for m in mentions for code in m.codes)))
    reasons = [", ".join(f"'{m.words}' -> {'/'.join(m.codes)}" for m in mentions) + " (named: 95%)"] \
        if mentions else []
    group = country_group(text, mentions)
    same_paragraph = paragraph == context.previous_paragraph and context.previous
    back = _BACK_REFERENCE.search(text)
    opening = _BACK_REFERENCE.match(text.lstrip("“\"‘'"))
    demonstrative = _DEMONSTRATIVE.search(text)
    if same_paragraph and continues_quote:
        codes.extend(c for c in context.previous if c not in codes)
        reasons.append(f"continues the previous sentence's quotation: {', '.join(context.previous)} (70%)")
    elif same_paragraph and ((back and not codes) or opening or demonstrative):
        word = (demonstrative or opening or back).group()  # type: ignore[union-attr]
        inherited = context.previous_group or context.previous
        codes.extend(c for c in inherited if c not in codes)
        reasons.append(f"'{word}' refers to the previous sentence: {', '.join(inherited)} (60%)")
    strong = _GROUP_REFERENCE.search(text)
    if strong and context.group and index - context.group_at <= MAX_GROUP_DISTANCE and not group:
        codes.extend(c for c in context.group if c not in codes)
        reasons.append(f"'{strong.group()}' refers to the countries named together before: "
                       f"{', '.join(context.group)} (70%)")
    counted = _COUNTED_GROUP.search(text)
    if counted and not group:
        wanted = _count_value(counted.group("count"))
        following = country_group(next_text, find_countries(next_text)) if next_text else ()
        if wanted and len(following) == wanted:
            codes.extend(c for c in following if c not in codes)
            group = following
            reasons.append(f"'{counted.group()}' are named in the next sentence: {', '.join(following)} (80%)")
        elif wanted and (earlier := next((g for at, g in reversed(context.groups)
                                          if len(g) == wanted and index - at <= MAX_COUNTED_DISTANCE), None)):
            codes.extend(c for c in earlier if c not in codes)
            reasons.append(f"'{counted.group()}': the {wanted} countries named together before, "
                           f"{', '.join(earlier)} (80%)")
        elif wanted and next_text and len(ahead := tuple(dict.fromkeys(
                c for m in find_countries(next_text) for c in m.codes))) == wanted:
            codes.extend(c for c in ahead if c not in codes)
            reasons.append(f"'{counted.group()}': the {wanted} countries the next sentence names, "
                           f"{', '.join(ahead)} (70%)")
    final = tuple(codes)
    if group:
        context.group, context.group_at = group, index
        context.groups.append((index, group))
    elif strong and context.group and set(context.group) <= set(final):
        context.group_at = index
    context.previous, context.previous_group, context.previous_paragraph = final, group, paragraph
    return final, reasons


def _count_value(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word.lower())


@dataclass(frozen=True)
class Candidate:
    """A sentence that may become a claim: its span, its paragraph, and the post it belongs to, if any."""

    start: int
    end: int
    paragraph: int
    post: Mark | None
    last_paragraph: int = -1  # where it ends, when a quotation joined it to the sentences after it

    @property
    def ends_in(self) -> int:
        return max(self.paragraph, self.last_paragraph)


def candidate_sentences(body: str, marks: list[Mark], title: str | None) -> tuple[list[Candidate], list[str]]:
    """Sentences outside non-reporting passages (and the text of related posts), with what was left out."""
    skipped: list[str] = []
    found = []
    for paragraph, line in enumerate(split_lines(body)):
        if not line.text:
            continue
        for start, end in split_sentences(body, line):
            post = next((m for m in marks if m.kind == "social-post" and m.start <= start < m.end), None)
            if post is not None:
                end = min(end, post.content_end or post.end)
                if not post.related:
                    continue
            else:
                start, end = _outside_marks(body, start, end, marks)
                if start >= end:
                    continue
            text = _without_links(body[start:end])
            if not text:
                continue
            end = start + body[start:end].find(text) + len(text)
            start = end - len(text)
            if len(re.findall(r"[^\W\d_]{2,}", text)) < 3:
                continue
            if _CREDIT_LINE.match(text):
                skipped.append(f"a byline or credit line, not a statement: '{short(text)}'")
                continue
            if text.endswith("?") and not quoted_parts(text):
                skipped.append(f"a question, not a statement: '{short(text)}'")
                continue
            found.extend(Candidate(s, e, paragraph, post) for s, e in _one_speaker_each(body, start, end))
    found = _join_open_quotations(body, found)
    unrelated = [m for m in marks if m.kind == "social-post" and not m.related]
    skipped.extend(f"no claims drafted from the post by {m.author} ({m.handle}): {m.related_why}" for m in unrelated)
    return found, skipped


_CLAUSE_JOIN = re.compile(r",\s+(?:while|whereas|and|but)\s+")


def _one_speaker_each(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence that quotes several speakers, one claim each: 'Amnesty International called the move
    “disastrous”, while Human Rights Watch said it was “alarming”'."""
    text = body[start:end]
    if len(quoted_parts(text)) < 2:
        return [(start, end)]
    masked = mask_quotes(text)
    cuts = list(_CLAUSE_JOIN.finditer(masked))
    starts = [0, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), len(text)]
    parts = list(zip(starts, ends, strict=True))
    speakers = [find_speaker(text[s:e]) for s, e in parts]
    if not all(speakers) or not all(quoted_parts(text[s:e]) for s, e in parts) or \
            len({s.speaker for s in speakers if s}) < len(parts):
        return [(start, end)]
    return [(start + s, start + e) for s, e in parts]


MAX_QUOTATION = 800  # characters: a quotation still open after this is a stray mark, not one quotation


def _join_open_quotations(body: str, found: list[Candidate]) -> list[Candidate]:
    """A quotation that runs over two sentences (or a line break) is one claim, so that its speaker, named at its
    end, is found: '“... long demanded. Russia is not a party ...,” Kostenko said.'"""
    joined: list[Candidate] = []
    for candidate in found:
        last = joined[-1] if joined else None
        if (last is not None and last.post is None and candidate.post is None
                and open_quotation(body[last.start:last.end]) and candidate.paragraph - last.paragraph <= 2
                and candidate.end - last.start <= MAX_QUOTATION):
            joined[-1] = Candidate(last.start, candidate.end, last.paragraph, None, candidate.paragraph)
        else:
            joined.append(candidate)
    return joined


def _outside_marks(body: str, start: int, end: int, marks: list[Mark]) -> tuple[int, int]:
    """The sentence without a passage that opens or closes it (a dateline, 'Share'); empty if one covers more."""
    for mark in marks:
        if mark.kind not in UNQUOTABLE_PASSAGES and mark.kind != "caption" or not overlaps(start, end, [mark]):
            continue
        if mark.start <= start < mark.end < end:
            start = mark.end
        elif start < mark.start < end <= mark.end:
            end = mark.start
        else:
            return start, start
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


_CREDIT_LINE = re.compile(r"^\(?(?:by|reporting by|writing by|editing by|additional reporting by|"
                          r"compiled by)\s+[A-Z][^.!?]*$", re.I)


def _without_links(text: str) -> str:
    """A sentence without the links at its end (a post's t.co and pic.twitter.com links) or its edges' spaces."""
    text = text.strip()
    while True:
        trimmed = re.sub(r"\s*(?:https?://\S+|pic\.twitter\.com/\S+|t\.co/\S+)[\s—–]*$", "", text).strip()
        if trimmed == text:
            return text
        text = trimmed




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
    names = find_names(text, context.people)
    outside = find_names(mask_quotes(text), dict(context.people)).people  # whom the outlet names, not a quote
    if outside:
        context.last_person, context.person_at = outside[0].split(" (")[0], index
    context.remember(outside)
    it_said = re.search(r"\bit\s+(?:said|added|says|adds|stated|noted)\b", mask_quotes(text))
    attribution = find_speaker(text, context.speaker if it_said else context.pronoun(),
                               context.plural()) if post is None else None
    if attribution and attribution.role:
        context.roles[attribution.speaker] = attribution.role
    if attribution and _TITLE_ONLY.fullmatch(attribution.speaker) and (named := context.titled(attribution.speaker)):
        attribution = Attribution(named, f"{attribution.verb} (“{attribution.speaker}”: the last person named so)")
    continues = continues_quotation(text, attribution, post, candidate.paragraph, context)
    if continues:
        attribution = Attribution(context.speaker or "", "continues the quotation of the sentence before")
    elif attribution is None and post is None and wholly_quoted(text):
        attribution = (_introduced(lead, context) or _followed(text, next_text, context)
                       or _named_before(candidate.paragraph, index, context))
    context.previous_text = text
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
    inferred = [d.inferred for d in dates if d.inferred]
    says = " ".join(text.split())
    if inferred:
        says += " [inferred: " + "; ".join(inferred) + "]"
    comments = [f"kind guessed from: {guess.because} ({_kind_confidence(guess.kind, attribution, text):.0%})"]
    if attribution and guess.kind in ("quote", "paraphrase"):
        comments.append(f"speaker from: '{short(attribution.speaker, 50)}' + '{attribution.verb}' "
                        f"({_speaker_confidence(attribution, text):.0%})")
    if country_reasons:
        comments.append("countries: " + "; ".join(country_reasons))
    if unknown:
        comments.append("also concerns, with no file in content/countries: "
                        + ", ".join(f"{c} ({country_name(c)})" for c in unknown))
    if dates:
        comments.append("dates: " + "; ".join(
            f"'{d.words}' = {d.iso} ({_date_confidence(d, anchor):.0%}" + (", inferred)" if d.inferred else ")")
            for d in dates))
    if unresolved:
        comments.append(f"not resolved ({anchor.what}): " + ", ".join(f"'{w}'" for w in unresolved))
    if numbers:
        comments.append("numbers: " + ", ".join(f"'{n.words}'" for n in numbers))
    group = tuple(c for c in (country_group(text, find_countries(text)) or codes) if c in site.country_ids)
    history = tuple(d.value.year for d in dates if _concluded(text, d))
    sentence = Sentence(text, stems(text), group, known, when, history, tuple(numbers))
    suggestions = [p for q in site.questions if (p := propose_answer(q, sentence, site.generic))]
    comments.extend(f"may answer: {p.shown}" for p in suggestions if p.offered)
    return Draft(quote=text, says=says, kind=guess.kind, span=span, speaker=guess.speaker, countries=known,
                 organisations=names.organisations, people=people, when=when, comments=comments, dates=dates,
                 concerns=tuple(codes), suggestions=suggestions)


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
    tells the treaty's history is left for last."""
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


def _speaker_confidence(attribution: Attribution, text: str) -> float:
    """A name with its verb is surest; one read through 'he' or a quotation going on, or a title, less so."""
    if attribution.verb.startswith(("continues", "'")) or re.search(r"\b(?:he|she|it|they)\s+\w+\b",
                                                                   mask_quotes(text)):
        return 0.75
    if attribution.verb == NAMED_BEFORE:
        return 0.6
    if attribution.speaker[:1].islower() or "read as" in attribution.verb:
        return 0.7
    return 0.9


def _date_confidence(mention: DateMention, anchor: Anchor) -> float:
    """How sure the reading is: written out in full, or completed from the publication date (or a window)."""
    if not mention.inferred:
        return 0.95
    return 0.85 if anchor.day else 0.7


def name_claims(drafts: list[Draft], source_id: str, taken: set[str]) -> None:
    """Readable ids: the source's initials and the quote's first content words, unique across the site."""
    parts = source_id.split("-")
    prefix = "".join(p[0] for p in parts) if len(parts) > 1 else source_id[:6]
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
