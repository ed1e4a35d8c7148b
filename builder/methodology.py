"""The methodology page's text (content/methodology.md): the editor's own Markdown, and the earlier wordings its
front matter may list, so a build as of an earlier day says only what that day knew (dated.methodology_on)."""

from __future__ import annotations

import re
from datetime import date
from functools import partial

from .errors import ErrorLog
from .fields import BIDI_CONTROLS, BIDI_HINT, FieldError, Record, a_date, maybe_empty, text
from .load import Node, parse_yaml
from .model import EarlierText

FRONT_FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)  # as load.py reads a source's front matter


def read_methodology(methodology: tuple[str, str] | None, log: ErrorLog, as_of: date | None
                     ) -> tuple[str, tuple[EarlierText, ...]]:
    """The methodology is the editor's own Markdown: no bidirectional controls, as in any text they write. Its
    optional front matter lists what it said on earlier days (`earlier`), each passage found once in its body."""
    if methodology is None:
        return "", ()
    src_path, body = methodology
    for found in BIDI_CONTROLS.finditer(body):
        line_start = body.rfind("\n", 0, found.start()) + 1
        log.add(src_path, body.count("\n", 0, found.start()) + 1, found.start() - line_start + 1,
                f"the text contains the bidirectional control character U+{ord(found.group()):04X}",
                BIDI_HINT)
    opening = FRONT_FENCE.match(body)
    if opening is None:
        return body, ()
    closing = FRONT_FENCE.search(body, opening.end())
    if closing is None:
        log.add(src_path, 1, 1, "front matter is not closed", "end the YAML fields with a line holding only '---'")
        return body, ()
    front = parse_yaml(body[opening.end() + 1:closing.start()], src_path, log, line_offset=1, empty=(
        "the front matter is empty", "list the earlier wordings under 'earlier:' between the two '---' lines, or "
        "remove both lines"))
    body = body[closing.end() + 1:]
    if front is None:
        return body, ()
    r = Record(front, log, "the methodology's front matter")
    earlier = r.field("earlier", partial(_earlier_texts, log=log, body=body, as_of=as_of), default=())
    r.finish()
    return body, earlier


def _earlier_texts(node: Node, log: ErrorLog, body: str, as_of: date | None) -> tuple[EarlierText, ...]:
    if not isinstance(node.value, list):
        raise FieldError("must be a list", "write each earlier wording as a '- ' item with 'before:', 'text:' "
                         "and 'says:'")
    found: list[EarlierText] = []
    folded = " ".join(body.split())  # as dated.methodology_on finds one: any white space matches any other
    for item in node.value:
        r = Record(item, log, "earlier wording")
        before, passage = r.field("before", a_date), r.field("text", text)
        says = r.field("says", maybe_empty(text))
        r.finish()
        if before is None or passage is None or says is None:
            continue
        where = item.value["text"]
        count = folded.count(" ".join(passage.split()))
        if count != 1:
            r.error(where, f"field 'text' of earlier wording occurs {count} times in the methodology"
                    f" (found '{passage[:60]}')", "copy a passage of the text below the front matter that "
                    "occurs once (white space may differ); quote more of it if it occurs more than once")
        elif as_of is not None and before > as_of:
            r.error(item.value["before"], f"earlier wording ends on {before}, after the site's date ({as_of})",
                    "the site's own build shows the methodology's text: end the earlier wording by 'as_of'")
        elif any(w.text == passage and w.before >= before for w in found):
            r.error(item.value["before"], f"earlier wording ends on {before}, not after the one above it for "
                    "the same passage", "list a passage's wordings oldest first, each with a later 'before'")
        else:
            found.append(EarlierText(before, passage, says))
    return tuple(found)
