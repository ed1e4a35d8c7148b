"""Measure `ingest` against curated claims: re-ingest each article into a temporary copy of the site and compare
its draft with what an editor wrote.

    python scripts/ingest_eval.py [--root .] [--verbose]

Articles are the shipped sources (content/sources/*.md with a content/claims/*.yaml; their bodies are ingested
as text files) and the samples in tests/ingest_samples/ (each NAME.expected.yaml names its input, the options,
and the expected quotes, countries and passages). With no shipped sources, the seeds in ../shared/seeds/ are
ingested and only checked. For each article it reports:

  quotes     curated quotes the draft proposes: a curated quote counts when it lies within one drafted quote,
             or when a drafted quote lies within it and covers at least 60% of it
  countries  (claim, country) pairs of the curated claims found in the drafted claims that propose them
  passages   non-reporting passages marked with the same kind, covering at least half of the curated span and
             spilling no more than a quarter of the marked span into the text around it
  kind       proposed quotes whose drafted kind is the curated one (for information; no target)
  check      whether the site with the draft added passes `python -m builder check`

Exits 1 when a target is missed (quotes >= 90%, countries and passages 100%) or a draft fails the check.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from builder.build import check_site  # noqa: E402
from builder.errors import ContentErrors  # noqa: E402
from builder.ingest import IngestOptions, ingest  # noqa: E402
from builder.model import Site  # noqa: E402
from builder.quotes import SearchableText  # noqa: E402

QUOTE_TARGET, COUNTRY_TARGET, PASSAGE_TARGET = 0.90, 1.0, 1.0
MIN_COVER = 0.6
MAX_SPILL = 0.25  # a marked passage may reach this share of its length beyond the curated one, and no more


@dataclass(frozen=True)
class Expected:
    """What an editor says an article holds: quotes with kind and countries, and non-reporting passages."""

    quotes: list[tuple[tuple[int, int], str, tuple[str, ...]]]
    passages: list[tuple[tuple[int, int], str]]
    missing: list[str] = field(default_factory=list)  # expected texts not found in the ingested body


@dataclass
class Score:
    name: str
    quotes: tuple[int, int] = (0, 0)
    countries: tuple[int, int] = (0, 0)
    passages: tuple[int, int] = (0, 0)
    kinds: tuple[int, int] = (0, 0)
    check: str = "ok"
    misses: list[str] = field(default_factory=list)


def proposing(span: tuple[int, int], drafted: list[tuple[int, int]]) -> list[int]:
    """The drafted quotes that propose a curated one: containing it, or inside it and covering 60% of it."""
    start, end = span
    inside = [i for i, (s, e) in enumerate(drafted) if s <= start and end <= e]
    if inside:
        return inside[:1]
    return [i for i, (s, e) in enumerate(drafted) if start <= s and e <= end and (e - s) >= MIN_COVER * (end - start)]


def _overlap(start: int, end: int, other_start: int, other_end: int) -> int:
    return max(0, min(end, other_end) - max(start, other_start))


def score_article(name: str, expected: Expected, site: Site, draft_id: str) -> Score:
    """Compare one draft with its expectations."""
    claims = [c for c in site.claims.values() if c.source_id == draft_id]
    spans = [c.span for c in claims]
    body = site.sources[draft_id].body
    score = Score(name)
    found_quotes = found_pairs = pairs = kinds = 0
    for span, kind, countries in expected.quotes:
        hits = proposing(span, spans)
        drafted_countries = {code for i in hits for code in claims[i].countries}
        pairs += len(countries)
        found_pairs += len(set(countries) & drafted_countries)
        if hits:
            found_quotes += 1
            kinds += any(claims[i].kind == kind for i in hits)
        else:
            score.misses.append(f"quote not proposed: '{' '.join(body[span[0]:span[1]].split())[:90]}'")
        for code in sorted(set(countries) - drafted_countries):
            score.misses.append(f"country {code} not found for '{' '.join(body[span[0]:span[1]].split())[:60]}'")
    marked = 0
    for (start, end), kind in expected.passages:
        ok = any(p.kind == kind and _overlap(p.start, p.end, start, end) >= 0.5 * (end - start)
                 and _overlap(p.start, p.end, start, end) >= (1 - MAX_SPILL) * (p.end - p.start)
                 for p in site.sources[draft_id].passages)
        marked += ok
        if not ok:
            score.misses.append(f"{kind} passage not marked: '{' '.join(body[start:end].split())[:70]}'")
    score.misses += [f"expected text not in the ingested body: '{m[:70]}'" for m in expected.missing]
    score.quotes = (found_quotes, len(expected.quotes) + len(expected.missing))
    score.countries = (found_pairs, pairs)
    score.passages = (marked, len(expected.passages))
    score.kinds = (kinds, found_quotes)
    return score


def copy_site(root: Path, target: Path) -> Path:
    """A throwaway copy of the site to ingest into."""
    target.mkdir(parents=True)
    shutil.copy2(root / "site.yaml", target / "site.yaml")
    shutil.copytree(root / "content", target / "content")
    return target


def run_ingest(site_root: Path, input_path: Path, options: IngestOptions) -> tuple[Site | None, str]:
    """Ingest into the copy and check the whole copy; the check's first error, if any, is returned."""
    try:
        ingest(site_root, str(input_path), options)
    except ContentErrors as errors:
        return None, f"ingest refused: {errors.errors[0]}"
    try:
        return check_site(site_root), "ok"
    except ContentErrors as errors:
        return None, f"check failed: {errors.errors[0]}"


def shipped_articles(root: Path, work: Path, verbose: bool) -> list[Score]:
    """Each shipped source's body, ingested as a text file under a new id, against its curated claims."""
    curated = check_site(root)
    scores = []
    for source_id, source in curated.sources.items():
        if not curated.claims_of(source_id):
            continue
        site_root = copy_site(root, work / source_id)
        text_file = work / f"{source_id}.txt"
        text_file.write_bytes(source.body.encode("utf-8"))
        options = IngestOptions(id=f"{source_id}-draft", url=source.url, outlet=source.outlet, title=source.title,
                                published=source.published.window.exact)
        site, check = run_ingest(site_root, text_file, options)
        expected = Expected(
            quotes=[(c.span, c.kind, c.countries) for c in curated.claims_of(source_id)],
            passages=[((p.start, p.end), p.kind) for p in source.passages])
        score = score_article(source_id, expected, site, f"{source_id}-draft") if site else Score(source_id)
        score.check = check
        scores.append(score)
        if verbose:
            print((site_root / "content" / "claims" / f"{source_id}-draft.yaml").read_text(encoding="utf-8"))
    return scores


def locate(body: SearchableText, start_text: str, end_text: str | None) -> tuple[int, int] | None:
    """A passage's span read from 'from'/'to' as the validator reads it."""
    starts = body.find_all(start_text)
    if len(starts) != 1:
        return None
    start, end = starts[0]
    if end_text:
        ends = [span for span in body.find_all(end_text) if span[1] > start]
        if not ends:
            return None
        end = ends[0][1]
    return start, end


def sample_articles(root: Path, samples: Path, work: Path, verbose: bool) -> list[Score]:
    """Each sample in tests/ingest_samples/, ingested as given, against its NAME.expected.yaml."""
    scores = []
    for spec_path in sorted(samples.glob("*.expected.yaml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        name = spec_path.name.removesuffix(".expected.yaml")
        options = IngestOptions(**spec.get("options", {}))
        site_root = copy_site(root, work / f"sample-{name}")
        site, check = run_ingest(site_root, samples / spec["input"], options)
        if site is None:
            scores.append(Score(name, check=check))
            continue
        draft_id = options.id or ""
        body = SearchableText(site.sources[draft_id].body)
        quotes, passages, missing = [], [], []
        for claim in spec.get("claims", []):
            span = body.find(claim["quote"])
            if span is None:
                missing.append(claim["quote"])
            else:
                quotes.append((span, claim.get("kind", "reporting"), tuple(claim.get("countries", []))))
        for passage in spec.get("passages", []):
            span = locate(body, passage["from"], passage.get("to"))
            if span is None:
                missing.append(passage["from"])
            else:
                passages.append((span, passage["kind"]))
        score = score_article(name, Expected(quotes, passages, missing), site, draft_id)
        score.check = check
        scores.append(score)
        if verbose:
            print((site_root / "content" / "claims" / f"{draft_id}.yaml").read_text(encoding="utf-8"))
    return scores


def seed_articles(root: Path, seeds: Path, work: Path) -> list[Score]:
    """Without shipped sources there is nothing curated to compare with: ingest the seeds and check them."""
    scores = []
    for index, seed in enumerate(sorted(seeds.glob("*.txt"))):
        site_root = copy_site(root, work / f"seed-{index}")
        options = IngestOptions(id=f"seed-{index}", url="https://example.org/seed", outlet="Seed")
        _, check = run_ingest(site_root, seed, options)
        scores.append(Score(seed.name, check=check))
    return scores


def _share(pair: tuple[int, int]) -> str:
    found, total = pair
    return f"{found}/{total} {100 * found / total:5.1f}%" if total else "-"


def print_table(scores: list[Score]) -> None:
    """The figures, one row per article and a total."""
    total = Score("total", *(tuple(sum(x) for x in zip(*(getattr(s, k) for s in scores), strict=True))
                             if scores else (0, 0) for k in ("quotes", "countries", "passages", "kinds")))
    total.check = "ok" if all(s.check == "ok" for s in scores) else "FAILED"
    header = f"{'article':<28} {'quotes':>14} {'countries':>14} {'passages':>14} {'kind agrees':>14}  check"
    print(header)
    print("-" * len(header))
    for score in [*scores, total]:
        if score is total:
            print("-" * len(header))
        print(f"{score.name:<28} {_share(score.quotes):>14} {_share(score.countries):>14} "
              f"{_share(score.passages):>14} {_share(score.kinds):>14}  {score.check}")
    print(f"targets: quotes >= {QUOTE_TARGET:.0%}, countries {COUNTRY_TARGET:.0%}, passages {PASSAGE_TARGET:.0%}")


def meets_targets(score: Score) -> bool:
    def share(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 1.0

    return (score.check == "ok" and share(score.quotes) >= QUOTE_TARGET
            and share(score.countries) >= COUNTRY_TARGET and share(score.passages) >= PASSAGE_TARGET)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the project folder (default: this repo)")
    parser.add_argument("--verbose", action="store_true", help="print each drafted claims file")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="ingest-eval-") as tmp:
        work = Path(tmp)
        scores = shipped_articles(root, work, args.verbose)
        if not scores:
            scores = seed_articles(root, root.parent / "shared" / "seeds", work)
        scores += sample_articles(root, root / "tests" / "ingest_samples", work, args.verbose)
    print_table(scores)
    for score in scores:
        for miss in score.misses:
            print(f"  {score.name}: {miss}")
    failed = [s.name for s in scores if not meets_targets(s)]
    if failed:
        print(f"below target: {', '.join(failed)}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
