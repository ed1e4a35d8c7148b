"""Measure `ingest` on real articles it was not written for: each is ingested into a throwaway copy of the site
and its draft compared with gold annotated by hand.

    python scripts/ingest_eval.py [--root .] [--verbose] [--set dev|test]

The articles are in tests/ingest_eval/dev/ (the development set, which the rules may be tuned on) and
tests/ingest_eval/test/ (the held-out test set, which they never are). Each NAME.gold.yaml sits beside its input
(NAME.txt, NAME.md or NAME.html) and gives the page's address and outlet and, annotated by hand, every direct
quotation with its speaker, every date with its full value, every country or group named, every non-reporting
passage, and the answers its sentences give to the site's questions (tests/ingest_eval/README.md).

Measures, each over all the articles of a set:

  quotes found          gold quotations that one drafted claim holds whole (or covers 60% of, from inside)
  drafted as quotes     of those, the share whose claim is a quote (a social-post for an embedded post)
  speaker right         gold quotations with a speaker whose claim names that speaker (or an alias)
  dates right           gold dates that the claim holding them reads with the same full value (year included)
  countries and groups  gold mentions whose claim lists every country they name ('the Baltic states': ee, lv, lt)
  passages marked       gold non-reporting passages marked with their kind, covering half of them and spilling
                        no more than a quarter of the mark beyond them
  false claims          drafted claims lying mostly inside a gold non-reporting passage (lower is better)
  answers right         the answer suggestions ingest offers (only above its confidence threshold) that the
                        gold gives for the same sentence, of all it offers; how many gold answers it found is shown
  quotes warned         gold quotations the extraction dropped, with a warning naming their position

Prints both sets per measure with the targets, then what each development-set article missed (the test set's
misses only with --test-misses, for a final report: the rules are never tuned on them). Exits 1 when a target
is missed on the test set, or a draft fails the validator.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from builder.errors import ContentErrors  # noqa: E402
from builder.ingest import Ingested, IngestOptions, ingest  # noqa: E402
from builder.quotes import SearchableText  # noqa: E402

EVAL = REPO / "tests" / "ingest_eval"
SETS = ("dev", "test")
INPUT_SUFFIXES = (".html", ".md", ".txt")
MIN_COVER = 0.6
MAX_SPILL = 0.25

# measure: (label, target as a share, or None; True when lower is better)
MEASURES: dict[str, tuple[str, float | None, bool]] = {
    "quotes": ("quotes found", 0.97, False),
    "as_quotes": ("quotes drafted as quotes", None, False),
    "speakers": ("speaker right", 0.90, False),
    "dates": ("dates right (with the year)", 0.90, False),
    "countries": ("countries and groups right", 0.90, False),
    "passages": ("non-reporting passages marked", 0.85, False),
    "false_claims": ("false claims (of drafted)", None, True),
    "answers": ("answer suggestions right (of offered)", 0.70, False),
    "answers_found": ("gold answers suggested", None, False),
    "warned": ("dropped quotes warned (of dropped)", 1.0, False),
}


@dataclass
class Score:
    """Found and total for each measure, and what was missed."""

    name: str
    counts: dict[str, list[int]] = field(default_factory=lambda: {key: [0, 0] for key in MEASURES})
    misses: list[str] = field(default_factory=list)
    error: str = ""

    def add(self, key: str, ok: bool, miss: str = "") -> None:
        self.counts[key][0] += ok
        self.counts[key][1] += 1
        if not ok and miss:
            self.misses.append(f"{MEASURES[key][0]}: {miss}")

    def merge(self, other: Score) -> None:
        for key, (found, total) in other.counts.items():
            self.counts[key][0] += found
            self.counts[key][1] += total


def fold(text: str) -> str:
    """Lower case without accents, for comparing names ('Häkkänen' meets 'Hakkanen')."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def covers(span: tuple[int, int], start: int, end: int) -> bool:
    """Whether a drafted claim's span holds [start, end), or lies inside it covering 60% of it."""
    s, e = span
    return (s <= start and end <= e) or (start <= s and e <= end and (e - s) >= MIN_COVER * (end - start))


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def holding(done: Ingested, start: int, end: int) -> Any:
    """The drafted claim that holds [start, end), if any (the one overlapping it most)."""
    best = max(done.drafts, key=lambda d: overlap(d.span, (start, end)), default=None)
    return best if best is not None and covers(best.span, start, end) else None


def same_answer(kind: str, drafted: Any, gold: Any) -> bool:
    if isinstance(gold, list):
        return isinstance(drafted, list | tuple) and sorted(drafted) == sorted(gold)
    if isinstance(gold, date):
        return str(drafted) == gold.isoformat()
    if isinstance(gold, int | float) and not isinstance(gold, bool):
        return isinstance(drafted, int | float) and float(drafted) == float(gold)
    return fold(str(drafted)) == fold(str(gold))


QUOTE_MARKS = "“”‘’\"'«»„"


def quoted_first(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A gold quotation's places, the one that opens at a quotation mark first: 'increased' is the word in marks,
    not the 'increased security risk' of an earlier sentence."""
    return sorted(spans, key=lambda s: text[max(0, s[0] - 1):s[0]] not in QUOTE_MARKS or not text[s[0] - 1:s[0]])


def passage_span(body: SearchableText, passage: dict[str, str]) -> tuple[int, int] | None:
    starts = body.find_all(passage["from"])
    if not starts:
        return None
    span = starts[0]
    if passage.get("to"):
        ends = [s for s in body.find_all(passage["to"]) if s[1] > span[0]]
        span = (span[0], ends[0][1]) if ends else span
    return span


def _month_window(value: str) -> str:
    """'2025-04' as the window of days it covers, as a month's publication window is written."""
    if len(value) != 7:
        return value
    first = date.fromisoformat(value + "-01")
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return f"{first}..{last}"


def score_article(name: str, gold: dict[str, Any], done: Ingested) -> Score:
    """Compare one draft with its gold."""
    score = Score(name)
    body = SearchableText(done.body)

    def locate(text: str, what: str) -> tuple[int, int] | None:
        spans = body.find_all(text)
        if not spans:
            score.misses.append(f"gold {what} not in the ingested text: '{short(text)}'")
            return None
        return spans[0]

    for quote in gold.get("quotes") or []:
        if quote.get("promo"):
            continue  # quoted inside a promotion: no one's statement to draft
        span = quoted_first(done.body, body.find_all(quote["text"]))
        if not span:  # dropped by the extraction: it must be warned about
            warned = any(short(quote["text"], 40)[:30] in w or quote["text"][:30] in w for w in done.warnings)
            score.add("warned", warned, f"'{short(quote['text'])}' dropped without a warning")
            score.add("quotes", False, f"'{short(quote['text'])}' (dropped by the extraction)")
            if quote.get("speaker"):
                score.add("speakers", False)
            continue
        start, end = span[0]
        claim = holding(done, start, end)
        score.add("quotes", claim is not None, f"'{short(quote['text'])}'")
        if claim is None:
            if quote.get("speaker"):
                score.add("speakers", False, f"'{short(quote['text'])}' (no claim holds it)")
            continue
        wanted = "social-post" if quote.get("post") else "quote"
        score.add("as_quotes", claim.kind == wanted,
                  f"'{short(quote['text'], 50)}' drafted as {claim.kind}, not {wanted}")
        if quote.get("speaker"):
            names = [quote["speaker"], *quote.get("aliases", [])]
            right = bool(claim.speaker) and any(fold(n) in fold(claim.speaker) for n in names)
            score.add("speakers", right, f"'{short(quote['text'], 50)}': {claim.speaker!r}, not {quote['speaker']!r}")

    datelines = [span for passage in gold.get("passages") or [] if passage["kind"] == "dateline"
                 and (span := passage_span(body, passage))]
    published = done.published
    dated = (published.exact.isoformat() if published.exact else
             f"{published.not_before}..{published.not_after}" if published.not_before else "unknown")
    for mention in gold.get("dates") or []:
        span = locate(mention["text"], "date")
        if span is None:
            score.add("dates", False)
            continue
        wanted = str(mention["value"])
        if any(overlap(span, p) for p in datelines):  # a dateline: it should be the publication date
            month = _month_window(wanted)
            score.add("dates", dated in (wanted, month), f"'{mention['text']}' should date the article {wanted}: "
                                                         f"{dated}")
            continue
        claim = next((d for d in done.drafts if d.span[0] <= span[0] and span[1] <= d.span[1]), None)
        read = [m for m in claim.dates if overlap((claim.span[0] + m.start, claim.span[0] + m.end), span)] \
            if claim else []
        right = any(m.iso == wanted for m in read)
        found = ", ".join(f"'{m.words}' = {m.iso}" for m in read) or ("no claim holds it" if not claim else "not read")
        score.add("dates", right, f"'{mention['text']}' should be {wanted}: {found}")

    for mention in gold.get("countries") or []:
        span = locate(mention["text"], "country mention")
        if span is None:
            score.add("countries", False)
            continue
        claim = next((d for d in done.drafts if overlap(d.span, span) > 0), None)
        codes = set(claim.concerns) if claim else set()
        missing = sorted(set(mention["countries"]) - codes)
        score.add("countries", not missing, f"'{short(mention['text'], 50)}' lacks {', '.join(missing)}"
                  + ("" if claim else " (no claim holds it)"))

    for passage in gold.get("passages") or []:
        span = passage_span(body, passage)
        if span is None:
            score.add("passages", False, f"gold passage not in the ingested text: '{short(passage['from'])}'")
            continue
        ok = any(m.kind == passage["kind"] and overlap((m.start, m.end), span) >= 0.5 * (span[1] - span[0])
                 and overlap((m.start, m.end), span) >= (1 - MAX_SPILL) * (m.end - m.start) for m in done.marks)
        near = [f"{m.kind} '{short(done.body[m.start:m.end], 30)}'" for m in done.marks
                if overlap((m.start, m.end), span)]
        score.add("passages", ok, f"{passage['kind']} '{short(passage['from'], 50)}'"
                  + (f" (marked as {'; '.join(near)})" if near else " (not marked)"))

    unquotable = [span for passage in gold.get("passages") or [] if passage["kind"] != "social-post"
                  and (span := passage_span(body, passage))]
    for claim in done.drafts:
        inside = any(overlap(claim.span, span) > 0.5 * (claim.span[1] - claim.span[0]) for span in unquotable)
        score.add("false_claims", inside)
        if inside:
            score.misses.append(f"false claims: drafted from a non-reporting passage: '{short(claim.quote, 60)}'")

    answers = []
    for answer in gold.get("answers") or []:
        span = locate(answer["text"], "answer")
        if span is not None:
            answers.append((span, answer))
    matched: set[int] = set()
    for claim in done.drafts:
        for suggestion in claim.suggestions:
            if not suggestion.offered:
                continue
            right = next((i for i, (span, answer) in enumerate(answers)
                          if overlap(claim.span, span) > 0 and answer["question"] == suggestion.question
                          and same_answer(suggestion.kind, suggestion.value, answer["value"])), None)
            if right is not None:
                matched.add(right)
            score.add("answers", right is not None,
                      f"offered {suggestion.question} -> {suggestion.value} ({suggestion.confidence:.0%}) "
                      f"for '{short(claim.quote, 40)}'")
    for i in range(len(answers)):
        score.add("answers_found", i in matched)
    return score


def copy_site(root: Path, target: Path) -> Path:
    """A throwaway copy of the site to ingest into."""
    target.mkdir(parents=True)
    shutil.copy2(root / "site.yaml", target / "site.yaml")
    shutil.copytree(root / "content", target / "content")
    return target


def article_input(gold_path: Path) -> Path:
    stem = gold_path.name.removesuffix(".gold.yaml")
    return next(p for suffix in INPUT_SUFFIXES if (p := gold_path.with_name(stem + suffix)).exists())


def run_set(root: Path, name: str, work: Path, verbose: bool) -> list[Score]:
    """Ingest every article of one set and score it."""
    scores = []
    for gold_path in sorted((EVAL / name).glob("*.gold.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        article = gold_path.name.removesuffix(".gold.yaml")
        published = gold.get("options_published", gold.get("published"))
        options = IngestOptions(id=article, url=gold["url"], outlet=gold["outlet"],
                                published=str(published) if published else None)
        site_root = copy_site(root, work / name / article)
        try:
            done = ingest(site_root, str(article_input(gold_path)), options, today=date(2026, 1, 1))
        except ContentErrors as errors:
            scores.append(Score(article, error=f"ingest refused: {errors.errors[0]}"))
            continue
        scores.append(score_article(article, gold, done))
        if verbose:
            print(done.claims_path.read_text(encoding="utf-8"))
    return scores


def share(counts: list[int]) -> str:
    found, total = counts
    return f"{found}/{total} {100 * found / total:5.1f}%" if total else "-"


def meets(key: str, counts: list[int]) -> bool:
    _label, target, lower = MEASURES[key]
    if target is None or not counts[1]:
        return True
    ratio = counts[0] / counts[1]
    return ratio <= target if lower else ratio >= target


def print_table(totals: dict[str, Score]) -> None:
    """One row per measure: the development set, the test set, the target."""
    header = f"{'measure':<40} {'dev':>16} {'test':>16}  target"
    print(header)
    print("-" * len(header))
    for key, (label, target, lower) in MEASURES.items():
        goal = "-" if target is None else f"{'<=' if lower else '>='} {target:.0%}"
        mark = "" if "test" not in totals or meets(key, totals["test"].counts[key]) else "  MISSED"
        cells = [share(totals[s].counts[key]) if s in totals else "-" for s in SETS]
        print(f"{label:<40} {cells[0]:>16} {cells[1]:>16}  {goal}{mark}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the project folder (default: this repo)")
    parser.add_argument("--verbose", action="store_true", help="print each drafted claims file")
    parser.add_argument("--set", choices=SETS, action="append", help="only this set (default: both)")
    parser.add_argument("--test-misses", action="store_true",
                        help="also list what the test set's drafts missed (tune on the development set only)")
    args = parser.parse_args(argv)
    chosen = args.set or list(SETS)
    totals: dict[str, Score] = {}
    by_set: dict[str, list[Score]] = {}
    with tempfile.TemporaryDirectory(prefix="ingest-eval-") as tmp:
        for name in chosen:
            by_set[name] = run_set(args.root.resolve(), name, Path(tmp), args.verbose)
            totals[name] = Score(name)
            for score in by_set[name]:
                totals[name].merge(score)
    articles = {s: len(v) for s, v in by_set.items()}
    print(f"articles: {', '.join(f'{n} {s}' for s, n in articles.items())}")
    print_table(totals)
    failed = [s for scores in by_set.values() for s in scores if s.error]
    for score in failed:
        print(f"  {score.name}: {score.error}")
    show: Callable[[str], bool] = (lambda s: True) if args.test_misses else (lambda s: s == "dev")
    for name, scores in by_set.items():
        if not show(name):
            continue
        for score in scores:
            for miss in score.misses:
                print(f"  {name}/{score.name}: {miss}")
    missed = [MEASURES[k][0] for k in MEASURES if "test" in totals and not meets(k, totals["test"].counts[k])]
    if failed or missed:
        print("below target on the test set: " + ", ".join(missed + [f"{s.name} failed" for s in failed]))
        return 1
    print("all targets met on the test set" if "test" in totals else "done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
