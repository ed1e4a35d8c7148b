"""The countries a sentence concerns: those it names, and those that words referring back ('their decision',
'the ministers', 'the five countries') or a count named in the next sentence point to; with the reasons."""

from __future__ import annotations

import re

from .answers import NUMBER_WORDS
from .context import Context
from .places import country_group, find_countries

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
