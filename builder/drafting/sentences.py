"""Sentences, quotations, speakers and the kind of statement each sentence makes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..model import MONTHS
from .dates import WEEKDAYS

if TYPE_CHECKING:
    from .marks import Mark

@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


_MARKDOWN_MARKER = re.compile(r"^(?:(?:>[ \t]?)+|#{1,6}[ \t]+)")


def split_lines(body: str) -> list[Line]:
    """The body's lines with their offsets, without the white space or Markdown quote and heading markers at
    their edges, which are layout rather than words."""
    lines = []
    offset = 0
    for raw in body.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        lead = len(content) - len(content.lstrip())
        marker = _MARKDOWN_MARKER.match(content, lead)
        if marker:
            lead = marker.end() + len(content[marker.end():]) - len(content[marker.end():].lstrip())
        stripped = content[lead:].strip()
        lines.append(Line(offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw)
    return lines


def split_sentences(body: str, line: Line) -> list[tuple[int, int]]:
    """A line's sentences as body offsets, as pysbd splits them: it knows abbreviations ('Sen.', 'Jan.', 'U.S.')
    and a quotation that ends a sentence."""
    text = body[line.start:line.end]
    spans = []
    for sentence in _segmenter().segment(text):
        start, end = line.start + sentence.start, line.start + sentence.end
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if spans and not re.search(r"\w", body[start:end]):  # a closing quotation mark split off: it ends the last
            spans[-1] = (spans[-1][0], end)
        elif end > start:
            spans.append((start, end))
    return spans


@cache
def _segmenter() -> Any:
    import pysbd  # imported here: only ingest needs it

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def open_quotation(text: str) -> bool:
    """Whether a quotation opened in the text is still open at its end (it goes on in the next sentence); in
    single marks, a ’ inside a word ('don’t') or after a plural ('countries’ ') is no closing mark."""
    curly = text.count("“") - text.count("”")
    single = len(re.findall(r"(?:^|(?<=[\s(\[—–-]))‘", text)) - len(re.findall(r"(?<![s\s])’(?!\w)", text))
    return curly > 0 or single > 0 or (curly == 0 and text.count('"') % 2 == 1)


# ------------------------------------------------------------------------------------------------ speakers, kinds

# Quotations: in double marks; in single marks, where an apostrophe inside a word ('I'm', 'Canada's') is no mark.
_QUOTED = re.compile(r"“[^”]*(?:”|$)|\"[^\"\n]*\"|"
                     r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(?=\S)(?:[^’\n]|’(?=\w))*’(?!\w)|"
                     r"(?:(?<=^)|(?<=[\s(\[—–-]))'(?=\S)(?:[^'\n]|'(?=\w))*?(?<=\S)'(?=[\s.,;:!?)\]—–]|$)")
_SAY = (r"said|says|say|told|tells|wrote|writes|added|adds|argued|argues|argue|warned|warns|warn|stated|states|"
        r"noted|notes|called|calls|described|describes|describing|insisted|insists|explained|explains|"
        r"emphasi[sz]ed|emphasi[sz]es|stressed|stresses|claimed|claims|believes|asked|asks|urged|urges|"
        r"acknowledged|admitted|declared|tweeted|posted|reports|reported|replied|commented|cautioned|conceded|"
        r"maintained|maintains|questioned|condemned|denounced|welcomed|hailed|confirmed|announced|saying|"
        r"pledged|vowed|recalled|pointed out|put it|wrote on|told reporters|highlighted|underlined|underscored|"
        r"remarked|observed|continued|concluded|affirmed|reaffirmed|reiterated|assured|recounted|suggested|"
        r"predicted|promised|demanded|complained|lamented|conceded|countered|responded|answered|expressed|voiced|"
        r"defended|warning|adding|noting|urging|calling|arguing|insisting|stressing|explaining|branded|dubbed|"
        r"accused|accuses|accusing|"
        r"labell?ed|reads|specified|clarified|mentioned|indicated|reckons|alleged|objected|decried|decries")
_SAY_VERB = re.compile(rf"\b(?P<verb>{_SAY})\b")
_NOUN_STATES = re.compile(r"(?:\b(?:the|member|Baltic|several|five|four|three|six|EU|all|other|these|those|European|"
                          r"Western|Arab|African|nuclear|withdrawing|neighbouring|neighboring|nine|many|some|"
                          r"\d+)\s+)$|\s+part(?:y|ies)\b", re.I)
_NOUN_TOO = {"claims", "calls", "notes", "reports", "warns", "reads", "remarks"}
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|these|those|such|similar|his|her|their|its|our|your|my|false|new|"
                                r"any|no|many|some|several|recent|earlier|previous|of)\s+$", re.I)
_ACCORDING = re.compile(r"\b(?i:according to|in the (?:view|words) of) (?P<who>[^,.;§]{2,80})")
_VIEW_OF = re.compile(r"(?:^|[,;]\s+)(?:(?:For|To)\s+(?:the\s+)?(?P<who>(?:[A-ZÀ-Þ][\w.-]+\s+){0,3}[A-ZÀ-Þ][\w.-]+)|"
                      r"In\s+(?:the\s+)?(?P<whose>(?:[A-ZÀ-Þ][\w.-]+\s+){0,3}[A-ZÀ-Þ][\w.-]+)[’']s\s+"
                      r"(?:words|view|eyes|opinion)),\s+[^§]*§")
_NAME_COLON = re.compile(r"^(?P<who>(?:[A-ZÀ-Þ][\w’'.-]+\s+){0,3}[A-ZÀ-Þ][\w’'.-]+):\s*§")
_PASSIVE = re.compile(r"\b(?:was|were|has been|have been|had been|is|are)\s+(?:stated|said|announced|reported|"
                      r"confirmed|told|noted|written|posted)\s+(?:to\s+[^,.;§]{2,40}?\s+)?by\s+"
                      r"(?P<who>[^.;§]{3,160})")
_PARENTHESIS = re.compile(r"\s*\([^()§]{1,60}\)")
_CLAUSE_BREAK = re.compile(r"[,;:§(—–]|\s-\s|\b(?:that|while|but|and|as|because|after|when|although|though|if)\b")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
_NAME_AFTER = re.compile(r"^\s+(?P<name>(?:[A-ZÀ-Þ][\w’'.-]*)(?:\s+(?:[A-ZÀ-Þ][\w’'.-]*|de|van|von|al|bin))"
                         r"{0,4})(?P<role>,\s+[^,.;§]{3,120}?(?:,|\.|$))?")
_TITLE_AFTER = re.compile(r"^\s+(?P<title>(?:the\s+)?(?:[A-Z][\w-]+\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*){0,4}?)\s*"
                          r"(?:[.,;]|$)")
_OPINION = re.compile(
    r"\b(?:stark|serious setback|setback|fragil\w*|exposes|underscores|turning point|unravel\w*|necessary|"
    r"should|must|ought to|clearly|obviously|arguably|unfortunately|sadly|regrettabl\w*|dangerous|reckless|"
    r"shameful|disgrace\w*|misguided|short-sighted|hypocri\w*|betray\w*|absurd|alarming|troubling|worrying|"
    r"remarkabl\w*|crucial|vital|mistake|i think|i believe|we believe|in my view|in our view|it is time|"
    r"reminder|growing belief|ironic\w*|irony|tragic\w*|cynical|naive|naïve|foolish|deserves?|worse|"
    r"(?-i:I))\b", re.I)
_POSSESSIVE = re.compile(r"^(?P<who>.+?)[’']s\s+(?:post|statement|message|letter|tweet|website)$")
@dataclass(frozen=True)
class Attribution:
    """Who a sentence says is speaking, the verb that says so, and the speaker's role where it is given."""

    speaker: str
    verb: str
    role: str | None = None


def mask_quotes(text: str) -> str:
    """The text with quoted words blanked out, so attribution and opinion are read from the outlet's words."""
    return _QUOTED.sub(lambda m: "§" * len(m.group()), text)


def wholly_quoted(text: str) -> bool:
    """Whether a sentence is a quotation and nothing else (but its punctuation)."""
    return bool(_QUOTED.search(text)) and not re.search(r"\w", mask_quotes(text))


def quoted_parts(text: str) -> list[str]:
    return [m.group().strip("“”‘’\"'") for m in _QUOTED.finditer(text) if re.search(r"\w", m.group())]


def find_speaker(text: str, last_speaker: str | None = None, plural: str | None = None) -> Attribution | None:
    """Who says it: 'X said', 'X, role, said', '"...," said X, role', '..., warns UN high representative', 'X's
    post states', 'according to X'; 'he' or 'she' is the last speaker, 'they' the `plural` speakers named last.
    'States Parties' and 'member states' are no verb."""
    masked = mask_quotes(text)
    quoted_as = re.search(r"\bquot(?:ed|es|e)\s+(?P<who>.{3,120}?)\s+as\s+saying\b", masked)
    if quoted_as:  # 'WNP quoted Defense Minister X as saying'; 'the ERR portal quotes Pevkur as saying'
        return Attribution(quoted_as.group("who").strip(), "quoted ... as saying")
    masked = _PARENTHESIS.sub("", masked)  # 'Margus Tsahkna (Eesti 200) said': a party, not the speaker
    colon = _NAME_COLON.match(masked)
    if colon and colon.group("who").split()[0] not in ("The", "In", "On", "But", "And", "As", "For", "It"):
        return Attribution(colon.group("who"), "':' before the quotation")  # 'Kosiniak-Kamysz: “Poland ...”'

    by_agent = re.search(r"\b(?:branded|described|called|dubbed|labell?ed|critici[sz]ed|condemned)\s+(?:as\s+)?"
                         r"(?:an?\s+|the\s+)?§+\s+by\s+(?P<who>[^,.;§]{3,80})", masked)
    if by_agent:  # 'branded a “devastating step backwards” by campaigners'
        return Attribution(by_agent.group("who").strip(), "... by")
    # A verb right after a quotation ('“...”, said X') attributes it before a 'The report warns' earlier on.
    verbs = sorted(_SAY_VERB.finditer(masked), key=lambda m: not re.search(r"§[,.]?$", masked[:m.start()].rstrip()))
    for match in verbs:
        if match.group() in ("states", "stated", "state") and _NOUN_STATES.search(masked[:match.start()]) or \
                match.group() == "states" and _NOUN_STATES.match(masked[match.end():]):
            continue
        if match.group() in _NOUN_TOO and _DETERMINER_BEFORE.search(masked[:match.start()]):
            continue  # 'pushed back against similar claims': a noun, not a verb of saying
        left = re.sub(r"(?:\s+(?:\w+ly|also|then|later|again|once more|earlier|has|have|had|will|would))+$", "",
                      masked[:match.start()].rstrip())
        if match.group().endswith("ing"):  # 'Amnesty International is urging'
            left = re.sub(r"\s+(?:is|are|was|were|been)$", "", left)
        elif re.search(r"\b(?:was|were|been|is|are|being)$", left):
            continue  # 'This was stated by X', 'The treaty was called “barbaric”': the subject is not the speaker
        if not left or left.endswith(("§", ",")) and not _appositive(left):
            rest = masked[match.end():]
            after = _NAME_AFTER.match(rest)
            if after and after.group("name").lower() not in _PRONOUNS and not re.match(
                    r"\s+(?!(?:at|of|from|for|in|with)\b)[a-z]", rest[after.end("name"):]):
                role = (after.group("role") or "").strip(" ,.") or None
                where = re.match(r"\s+((?:at|of|from|with)\s+[^,.;§]{2,80})", rest[after.end("name"):])
                return Attribution(after.group("name").rstrip("."), match.group(),
                                   role or (where.group(1) if where else None))
            title = _TITLE_AFTER.match(masked[match.end():])
            if title and re.search(r"§[,.]?$", left) and title.group("title").split()[0] not in (
                    "that", "in", "on", "he", "she", "they", "it", "we", "i"):
                return Attribution(title.group("title"), match.group())
        subject = _subject_before(left)
        if subject is None and match.group().endswith("ing") and left.endswith(","):
            subject = _main_subject(left)  # 'The article goes on ..., describing ... “a good neighbour”'
        if subject:
            name, role = subject
            if len(name.split()) == 2 and name.split()[0].lower() in _PRONOUNS:
                name = name.split()[0]  # 'It long insisted': the pronoun and an adverb
            if name.lower() in _PRONOUNS:
                if plural and name.lower() == "they":
                    return Attribution(plural, match.group())
                if last_speaker and name.lower() in ("he", "she", "they", "it"):
                    return Attribution(last_speaker, match.group())
                continue
            possessive = _POSSESSIVE.match(name)
            return Attribution(possessive.group("who") if possessive else name, match.group(), role)
    view = _VIEW_OF.search(masked)
    who = view and (view.group("who") or view.group("whose"))
    if who and not set(who.split()) & _NOT_SPEAKERS:  # 'For Gabelnick, it is “a tragedy”'
        return Attribution(who, "for ..., “...”")
    according = _ACCORDING.search(masked)
    if according:
        who = according.group("who").strip()
        if who.lower() in ("him", "her", "them"):  # 'According to her, ...': whom the text spoke of last
            return Attribution(last_speaker, "according to") if last_speaker else None
        return Attribution(who, "according to")
    passive = _PASSIVE.search(masked)
    if passive:  # 'This was stated by Estonian Defense Minister Hanno Pevkur.'
        return _named_in(passive.group("who"), "stated by")
    return None


def _named_in(words: str, verb: str) -> Attribution:
    """The speaker in 'the head of the ministry, Vladislav Kosinyak-Kamysh, after talks ...': a name set off by
    commas after its role, else the words up to the first comma."""
    parts = [p.strip() for p in words.split(",")]
    for index, part in enumerate(parts[1:], start=1):
        if re.fullmatch(r"(?:[A-ZÀ-Þ][\w’'.-]+\s+){1,3}[A-ZÀ-Þ][\w’'.-]+", part):
            return Attribution(part, verb, parts[index - 1] or None)
    return Attribution(parts[0], verb)


def _appositive(left: str) -> tuple[str, str] | None:
    """'Martin Barber, former director of the service,' → ('Martin Barber', 'former director of the service')."""
    if not left.endswith(","):
        return None
    inner = left[:-1]
    cut = inner.rfind(",")
    if cut < 0:
        return None
    head = inner[:cut].rstrip()
    last = inner[cut + 1:].strip()
    if re.fullmatch(r"(?:[A-ZÀ-Þ][\w’'.-]+\s+){1,3}[A-ZÀ-Þ][\w’'.-]+", last):  # 'Minister of Defense, Name,'
        role = re.split(r"[,;:§(—–]\s*", head)[-1].strip()
        return last, role
    name = re.search(r"(?:^|[,;:§(—–]\s*)((?:[A-ZÀ-Þ][\w’'.-]*\s+){1,3}[A-ZÀ-Þ][\w’'.-]*)$", head)
    if not name or name.group(1).split()[0] in _PREPOSITIONS:  # 'In Geneva, the talks ended,'
        return None
    return name.group(1), inner[cut + 1:].strip()


_NAME_ROLE = re.compile(r"(?:^|§\s*,?\s*|[.;]\s+)(?P<name>(?:[A-ZÀ-Þ][\w’'.-]+\s+){0,3}[A-ZÀ-Þ][\w’'.-]+),\s+"
                        r"(?P<role>[^§]{3,160}?),?\s*$")


_OF_LIST = re.compile(r"(?:^|[,;:§(]\s*|\b(?:that|and|but)\s+)(?P<subject>(?:[Tt]he\s+)?(?:[a-z][\w-]*\s+){0,3}"
                      r"[a-z][\w-]*\s+(?:of|for|from)\s+(?:the\s+)?[A-Z][\w’'-]*(?:(?:,\s+(?:and\s+)?|\s+and\s+|\s+)"
                      r"[A-Z][\w’'-]*)*)$")


_OFFICE_OF = re.compile(r"(?:^|[,;:§(]\s*|\b(?:that|but)\s+)(?P<subject>[Tt]he\s+(?:[a-z][\w-]*\s+){0,2}"
                        r"(?:ministers|leaders|governments|officials|foreign ministers|heads|presidents|"
                        r"prime ministers|delegations|representatives)\s+(?:of|for|from)\s+[^,;:§]{2,80})$")


def _subject_before(left: str) -> tuple[str, str | None] | None:
    """The words just before a 'said' that name the speaker: the end of the clause, a few words long; or a name
    with its role between commas ('Kostenko, secretary of the committee on security, defence and intelligence,')."""
    apposition = _appositive(left)
    if apposition:
        return apposition
    named = _NAME_ROLE.search(left) if left.endswith(",") else None
    if named and named.group("name").split()[0] not in ("The", "In", "On", "But", "And", "As", "For"):
        return named.group("name"), named.group("role").strip(" ,")
    office = _OFFICE_OF.search(left)
    if office:
        return office.group("subject"), None
    of_list = _OF_LIST.search(left)
    if of_list:  # 'the defence ministers of Estonia, Latvia, Lithuania and Poland said'
        return of_list.group("subject"), None
    description = re.search(r",\s+(?:all|both|each|who|which|whose|a|an|the|one|two|three|four|five|[a-z]+ly|"
                            r"along with|together with|as well as|including|like)\b[^,§]*,$", left)
    if description:  # 'The defence ministers for the four countries, all neighbours of Russia, said'
        found = _subject_before(left[:description.start()])
        if found:
            return found
    tail = left
    for match in _CLAUSE_BREAK.finditer(left):
        tail = left[match.end():]
    tail = _TRAILING_DAY.sub("", tail.strip(" §"))  # 'Guterres on Friday welcomed': the speaker is 'Guterres'
    if not tail or len(tail.split()) > 10 or tail.split()[0] in _PREPOSITIONS:
        return None  # 'In a statement posted on social media': where, not who
    if not (tail[0].isupper() or re.match(r"(?:the|these|those|some|many|several|most|other|a|an|one|he|she|they|"
                                          r"we|i|it)\b", tail) or _PEOPLE.fullmatch(tail)):
        return None
    of = re.match(r"^((?:[A-ZÀ-Þ][\w’'.-]*\s+){1,3}[A-ZÀ-Þ][\w’'.-]*) ((?:of|at|from|for) .+)$", tail)
    if of:
        return of.group(1), of.group(2)
    return tail, None


_NOT_SPEAKERS = {"The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "Our", "His", "Her", "Now",
                 "Years", "Decades", "Months", "Weeks", "Days", "Example", "Instance", *MONTHS, *WEEKDAYS}
_PREPOSITIONS = {"In", "On", "At", "After", "Before", "During", "With", "From", "For", "By", "Under", "Since"}
# Groups of people who speak without a name or a determiner: 'but experts warn', 'critics say'.
_PEOPLE = re.compile(r"(?:[a-z][\w-]*\s+){0,2}(?:critics|officials|experts|analysts|observers|campaigners|activists|"
                     r"diplomats|lawmakers|legislators|deputies|residents|survivors|deminers|researchers|"
                     r"commentators|opponents|supporters|advocates|groups|organi[sz]ations|sources|ministers|"
                     r"politicians|soldiers|veterans|scientists|doctors|medics|lawyers|scholars)")


_FINITE = re.compile(r"\s+(?:is|was|are|were|has|have|had|goes|went|did|does|will|would|can|could|may|might|"
                     r"[a-z]+ed|[a-z]+[^s\W]s)\b")


def _main_subject(left: str) -> tuple[str, None] | None:
    """The subject of the clause that a participle ('..., describing', '..., saying') hangs on: the words before
    the first verb of the sentence, if they are few and begin as a subject does."""
    clause = re.split(r"[,;:§]", left, maxsplit=1)[0]
    verb = _FINITE.search(clause)
    # 'Tedros on Monday pushed back': the subject is 'Tedros', not 'Tedros on Monday'
    words = _TRAILING_DAY.sub("", clause[:verb.start()]).split() if verb else []
    if not 1 <= len(words) <= 6 or words[0] in _PREPOSITIONS or not (words[0][0].isupper()):
        return None
    return " ".join(words), None


_TRAILING_DAY = re.compile(r"\s+(?:(?:on|last|this|late|early|earlier)\s+)?(?:" + "|".join(WEEKDAYS)
                           + r"|today|yesterday)(?:\s+(?:morning|afternoon|evening|night))?$")


@dataclass(frozen=True)
class KindGuess:
    kind: str
    because: str
    speaker: str | None = None


def guess_kind(text: str, attribution: Attribution | None, post: Mark | None) -> KindGuess:
    """reporting, quote, paraphrase, opinion or social-post, with the words the guess rests on."""
    if post is not None:
        speaker = f"{post.author} ({post.handle})" if post.handle else post.author
        return KindGuess("social-post", f"inside the embedded post by {speaker}", speaker)
    quotes = quoted_parts(text)
    if quotes and attribution:
        opening = " ".join(quotes[0].split()[:6])
        return KindGuess("quote", f"{attribution.verb}, “{opening}…”", _speaker_label(attribution))
    opinion = _OPINION.findall(mask_quotes(text))
    if opinion:
        return KindGuess("opinion", ", ".join(repr(w) for w in tuple(dict.fromkeys(w.lower() for w in opinion))))
    if attribution:
        return KindGuess("paraphrase", f"{attribution.verb} (no quotation marks)", _speaker_label(attribution))
    if quotes:
        return KindGuess("reporting", "quotation marks, but no speaker found: set kind: quote and a speaker if "
                                      "someone is quoted")
    return KindGuess("reporting", "no attribution, quotation marks or opinion words")


def _speaker_label(attribution: Attribution) -> str:
    if attribution.role and not attribution.role.startswith(("of ", "at ", "from ", "for ")):
        return f"{attribution.speaker}, {attribution.role}"
    if attribution.role:
        return f"{attribution.speaker} {attribution.role}"
    return attribution.speaker

def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
