"""A synthetic explainer at newsroom scale, written twice: in our content format and as Hugo data.

The records are made once, in memory, from a seeded random generator (the same arguments give the same
bytes), then written as `ours/` (site.yaml + content/ + a copy of templates/) and `hugo/` (data/*.json +
bench/hugo's config, content adapters and layouts). Every quote is a real substring of its source's body,
every answer is typed by its question, every citation names a reference that exists: the site validates.

    python bench/make_synthetic.py --pages 10000 --claims 20000 --out bench/work
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pycountry

from builder.themes import THEME_DIR

REPO = Path(__file__).resolve().parent.parent
HUGO_SKELETON = Path(__file__).resolve().parent / "hugo"
# Pages besides one per source and one per country: home, treaty, countries, compare (every question on one
# page), sources, methodology, references, 404 (builder/pages.py's plan_pages).
FIXED_PAGES = 8

OUTLETS = ["The Daily Ledger", "Northern Wire", "Baltic Review", "The Courier", "Eastern Herald", "Civic Post",
           "The Observer Line", "Harbour Times", "Frontier News", "The Evening Record", "Capital Dispatch",
           "Metro Chronicle"]
OFFICIALS = ["The defence minister", "The foreign minister", "A government spokesperson", "The prime minister",
             "The president's office", "A senior diplomat", "The chief of the general staff", "An opposition MP",
             "The parliamentary speaker", "A ministry official", "The head of the border guard",
             "A campaigner for the ban"]
BODIES = ["parliament", "cabinet", "senate", "defence committee", "security council", "coalition",
          "constitutional court", "foreign affairs committee"]
VERBS = ["debate", "approve", "reject", "postpone", "review", "amend", "endorse", "question", "finalise",
         "publish"]
THINGS = ["withdrawal bill", "budget for demining", "stockpile report", "border plan", "treaty notice",
          "procurement order", "humanitarian pledge", "survey of minefields", "clearance programme",
          "security review"]
ADJECTIVES = ["cautious", "sharp", "divided", "quiet", "firm", "unexpected", "long-awaited", "contested",
              "narrow", "broad"]
GROUPS = ["humanitarian groups", "veterans' associations", "deminers", "border communities", "arms-control experts",
          "neighbouring governments", "the Red Cross", "local mayors", "farmers near the border",
          "treaty lawyers"]
TOPICS = ["the threat from the east", "the cost of clearance", "civilian casualties", "the six-month notice",
          "the stockpile deadline", "the alliance's doctrine", "export controls", "victim assistance",
          "the border fortifications", "the next review conference"]
SENTENCES = [
    "{official} of {country} said on {day} that the {body} would {verb} the {thing} before {month}.",
    "In {month}, the {body} in {country} voted {n} to {m} to {verb} the {thing}, a {adj} result.",
    "\u201cWe cannot ignore {topic},\u201d {official_lower} told reporters in {country} on {day}.",
    "Critics among {groups} warned that {topic} would shape the debate in {country} for years.",
    "The {thing} was sent back to the {body} after {n} amendments, officials in {country} confirmed.",
    "{country} first signed the Convention in {year}, and its stockpile of {n},{m:03d} mines was destroyed by {year2}.",
    "According to {groups}, {n} people were injured by mines last year \u2014 most of them near {country}'s border.",
    "The {adj} response from {groups} reflected concern about {topic} and the {thing}.",
    "Officials did not say whether the {thing} would reach the {body} before {month}; a decision is expected soon.",
    "{official} added that {country} would keep its commitments on {topic} while the {body} deliberates.",
    "Analysts described the {body}'s move as {adj}, noting that {n} of {m} members abstained.",
    "A report published on {day} estimated the cost of the {thing} at {n} million euros over {m} years.",
    "Asked about {topic}, {official_lower} said only that \u201cthe {body} will decide\u201d and would not elaborate.",
    "The debate in {country} has drawn comparisons with {other}, where the {thing} passed in {year}.",
    "{groups} in {country} have collected {n},{m:03d} signatures asking the {body} to {verb} the {thing}.",
]
ANSWER_TYPES = ("countries", "points", "date", "number", "text")
RATINGS = ("accurate", "inaccurate", "imprecise")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass
class Corpus:
    """Every record of the synthetic site, as plain data both writers read."""

    countries: list[dict] = field(default_factory=list)
    references: list[dict] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)  # each with 'source'


def split_pages(pages: int) -> tuple[int, int, int]:
    """Sources, countries and questions for about `pages` pages; all questions share the compare page."""
    countries = min(len(pycountry.countries), max(3, pages // 50))
    questions = max(5, pages // 100)
    sources = max(1, pages - countries - FIXED_PAGES)
    return sources, countries, questions


def _day(rng: random.Random) -> date:
    return date(2024, 1, 1) + timedelta(days=rng.randrange(700))


def _human(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def make_sentence(rng: random.Random, names: list[str]) -> str:
    official = rng.choice(OFFICIALS)
    return rng.choice(SENTENCES).format(
        official=official, official_lower=official[0].lower() + official[1:], country=rng.choice(names),
        other=rng.choice(names), day=_human(_day(rng)), month=rng.choice(MONTHS), body=rng.choice(BODIES),
        verb=rng.choice(VERBS), thing=rng.choice(THINGS), adj=rng.choice(ADJECTIVES), groups=rng.choice(GROUPS),
        topic=rng.choice(TOPICS), n=rng.randrange(2, 999), m=rng.randrange(2, 999), year=rng.randrange(1997, 2015),
        year2=rng.randrange(2015, 2025),
    )


def make_body(rng: random.Random, names: list[str], size: int) -> tuple[str, list[str]]:
    """Paragraphs of varied sentences, about `size` characters; also the sentences, to quote from."""
    paragraphs, sentences, length = [], [], 0
    while length < size:
        paragraph = [make_sentence(rng, names) for _ in range(rng.randrange(3, 6))]
        sentences.extend(paragraph)
        text = " ".join(paragraph)
        paragraphs.append(text)
        length += len(text) + 2
    return "\n\n".join(paragraphs) + "\n", sentences


def make_corpus(pages: int, claims: int, seed: int = 1) -> Corpus:
    """All records, deterministic for a given scale and seed."""
    rng = random.Random(seed)
    n_sources, n_countries, n_questions = split_pages(pages)
    corpus = Corpus()
    chosen = sorted(pycountry.countries, key=lambda c: c.alpha_2)
    chosen = [chosen[i * len(chosen) // n_countries] for i in range(n_countries)]
    country_ids = [c.alpha_2.lower() for c in chosen]
    names = [getattr(c, "common_name", None) or c.name for c in chosen]
    corpus.references = [
        {"id": f"x{i:04d}", "subject": "synthetic", "statement": f"Synthetic background fact number {i}.",
         "value": str(i), "url": f"https://example.org/ref/{i}", "title": f"Reference document {i}",
         "excerpt": f"The document states fact {i} in these words.", "confidence": "confirmed",
         "language": "en", "outlet": "Example Registry"}
        for i in range(max(20, claims // 50))
    ]
    ref_ids = [r["id"] for r in corpus.references]
    for cid, name in zip(country_ids, names, strict=True):
        signed = date(1997, 12, 3) + timedelta(days=rng.randrange(3000))
        ratified = signed + timedelta(days=rng.randrange(30, 900))
        events = [{"kind": "signed", "date": signed, "cite": [rng.choice(ref_ids)]},
                  {"kind": "ratified", "date": ratified, "cite": [rng.choice(ref_ids)]},
                  {"kind": "in-force", "date": ratified + timedelta(days=180), "cite": [rng.choice(ref_ids)]}]
        if rng.random() < 0.15:
            announced = date(2025, 3, 18) + timedelta(days=rng.randrange(60))
            events.append({"kind": "withdrawal-announced", "date": announced, "cite": [rng.choice(ref_ids)]})
        corpus.countries.append({"id": cid, "name": name, "iso2": cid.upper(),
                                 "nato": {"value": rng.random() < 0.3, "cite": [rng.choice(ref_ids)]},
                                 "events": events})
    for i in range(n_questions):
        kind = ANSWER_TYPES[i % len(ANSWER_TYPES)]
        question = {"id": f"q{i:05d}", "text": f"Question {i}: what do the sources say about {rng.choice(TOPICS)}?",
                    "type": kind}
        if kind == "points":
            question["options"] = {f"point-{k}": f"Point {k}: {rng.choice(TOPICS)}" for k in range(5)}
        corpus.questions.append(question)
    per_source = [claims // n_sources + (1 if i < claims % n_sources else 0) for i in range(n_sources)]
    for i in range(n_sources):
        source_id = f"s{i:05d}"
        body, sentences = make_body(rng, names, rng.randrange(5000, 8000))
        published = _day(rng)
        corpus.sources.append({
            "id": source_id, "outlet": rng.choice(OUTLETS), "title": f"Story {i}: {make_sentence(rng, names)[:70]}",
            "url": f"https://example.org/news/{source_id}", "language": "en",
            "published": {"date": published, "how": "Dated in the article."},
            "retrieved": {"date": published + timedelta(days=rng.randrange(1, 30)), "how": "Captured by the team."},
            "body": body,
        })
        for k, quote in enumerate(rng.sample(sentences, min(per_source[i], len(sentences)))):
            claim = {"id": f"{source_id}-c{k}", "source": source_id, "quote": quote,
                     "says": f"Plain words for claim {k} of {source_id}.", "kind": "reporting",
                     "countries": sorted(rng.sample(country_ids, rng.randrange(1, 4)))}
            if rng.random() < 0.3:
                question = rng.choice(corpus.questions)
                claim["answers"] = [{"question": question["id"], "value": _answer(rng, question, country_ids)}]
            if rng.random() < 0.3:
                claim["review"] = {"rating": rng.choice(RATINGS), "says": "Checked against the references.",
                                   "cite": [f"ref:{rng.choice(ref_ids)}"]}
            corpus.claims.append(claim)
    return corpus


def _answer(rng: random.Random, question: dict, country_ids: list[str]):  # noqa: ANN202 - a YAML value
    kind = question["type"]
    if kind == "countries":
        return sorted(rng.sample(country_ids, rng.randrange(1, 4)))
    if kind == "points":
        return sorted(rng.sample(sorted(question["options"]), rng.randrange(1, 3)))
    if kind == "date":
        return _day(rng)
    if kind == "number":
        return rng.randrange(1, 6)
    return rng.choice(["anti-personnel mines", "cluster munitions", "border fortifications"])


# ---------------------------------------------------------------- our content format

def _y(value) -> str:  # noqa: ANN001 - any scalar or flat list
    """A YAML scalar or flow list; JSON strings are valid YAML double-quoted strings."""
    if isinstance(value, list):
        return "[" + ", ".join(_y(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


TREATY_TEXT = """# Convention text

1. This Convention shall be of unlimited duration.

3. Such withdrawal shall only take effect six months after the receipt of the instrument of withdrawal by the
Depositary.
"""


def write_ours(corpus: Corpus, root: Path) -> None:
    """Write site.yaml, content/ and a copy of the project's templates under `root`."""
    content = root / "content"
    for folder in ("sources", "claims", "countries", "references"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        'title: "Synthetic explainer"\ntagline: "A benchmark at newsroom scale"\n'
        'description: "Generated by bench/make_synthetic.py."\nlanguage: en\n'
        'base_url: "https://example.org/bench/"\nas_of: 2026-11-23\nmap:\n  region: europe\n', encoding="utf-8")
    first_ref = corpus.references[0]["id"]
    shutil.copy(REPO / "content" / "rules.yaml", content / "rules.yaml")  # the shipped site's event kinds and facts
    (content / "treaty.yaml").write_text(
        f'name: {{value: "The Convention", cite: [ref:{first_ref}]}}\nshort_names: ["Ottawa Convention"]\n'
        f'short_names_cite: [ref:{first_ref}]\n'
        f'facts:\n  - id: in-force\n    label: "Entry into force"\n    value: "1 March 1999"\n'
        f'    date: 1999-03-01\n    cite: [ref:{first_ref}]\n'
        f'articles:\n  - number: "20"\n    title: "Duration and withdrawal"\n    text: |\n'
        f'      1. This Convention shall be of unlimited duration.\n    summary: "It lasts."\n'
        f'    cite: [ref:{first_ref}]\n', encoding="utf-8")
    (content / "references" / "treaty-text.md").write_text(TREATY_TEXT, encoding="utf-8")
    (content / "methodology.md").write_text("# Method\n\nEvery quote is checked against its source.\n",
                                            encoding="utf-8")
    (content / "summary.yaml").write_text(
        f'- text: "A synthetic summary sentence."\n  cite: [ref:{first_ref}, claim:{corpus.claims[0]["id"]}]\n'
        '  date: 2025-01-01\n',
        encoding="utf-8")
    lines = []
    for ref in corpus.references:
        lines.append(f"- id: {ref['id']}")
        lines.extend(f"  {k}: {_y(v)}" for k, v in ref.items() if k != "id")
    (content / "references" / "facts.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = []
    for q in corpus.questions:
        lines += [f"- id: {q['id']}", f"  text: {_y(q['text'])}", f"  type: {q['type']}"]
        if "options" in q:
            lines.append("  options:")
            lines.extend(f"    {k}: {_y(v)}" for k, v in q["options"].items())
    (content / "questions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for c in corpus.countries:
        lines = [f"name: {_y(c['name'])}", f"iso2: {_y(c['iso2'])}",
                 f"nato: {{value: {_y(c['nato']['value'])}, cite: [ref:{c['nato']['cite'][0]}]}}", "events:"]
        for e in c["events"]:
            lines += [f"  - kind: {e['kind']}", f"    date: {_y(e['date'])}", f"    cite: [ref:{e['cite'][0]}]"]
        (content / "countries" / f"{c['id']}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for s in corpus.sources:
        front = [f"outlet: {_y(s['outlet'])}", f"title: {_y(s['title'])}", f"url: {_y(s['url'])}",
                 f"language: {s['language']}"]
        for name in ("published", "retrieved"):
            front += [f"{name}:", f"  date: {_y(s[name]['date'])}", f"  how: {_y(s[name]['how'])}"]
        (content / "sources" / f"{s['id']}.md").write_text("---\n" + "\n".join(front) + "\n---\n" + s["body"],
                                                           encoding="utf-8")
    by_source: dict[str, list[str]] = {}
    for claim in corpus.claims:
        lines = [f"- id: {claim['id']}", f"  quote: {_y(claim['quote'])}", f"  says: {_y(claim['says'])}",
                 f"  kind: {claim['kind']}", f"  countries: {_y(claim['countries'])}"]
        for answer in claim.get("answers", ()):
            lines += ["  answers:", f"    - question: {answer['question']}", f"      value: {_y(answer['value'])}"]
        if "review" in claim:
            r = claim["review"]
            lines += ["  review:", f"    rating: {r['rating']}", f"    says: {_y(r['says'])}",
                      f"    cite: [{', '.join(r['cite'])}]"]
        by_source.setdefault(claim["source"], []).append("\n".join(lines))
    for source_id, entries in by_source.items():
        (content / "claims" / f"{source_id}.yaml").write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")


# ---------------------------------------------------------------- Hugo

def _jsonable(value):  # noqa: ANN001, ANN202
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_hugo(corpus: Corpus, root: Path) -> None:
    """Write the same records as Hugo data files, next to a copy of bench/hugo (config, adapters, layouts)."""
    shutil.copytree(HUGO_SKELETON, root)
    for assets in (THEME_DIR / "assets", REPO / "templates" / "assets"):  # the theme's, then the site's over them
        if assets.is_dir():
            shutil.copytree(assets, root / "static" / "assets", dirs_exist_ok=True)
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    for name in ("countries", "references", "questions", "sources", "claims"):
        records = _jsonable(getattr(corpus, name))
        (data / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def make_sites(out: Path, pages: int, claims: int, seed: int = 1) -> Corpus:
    """(Re)create out/ours and out/hugo for this scale."""
    corpus = make_corpus(pages, claims, seed)
    for name in ("ours", "hugo"):
        shutil.rmtree(out / name, ignore_errors=True)
    write_ours(corpus, out / "ours")
    write_hugo(corpus, out / "hugo")
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000, help="pages in all (default 10000)")
    parser.add_argument("--claims", type=int, default=None, help="claims in all (default 2 per page)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "work")
    args = parser.parse_args()
    corpus = make_sites(args.out, args.pages, args.claims or 2 * args.pages, args.seed)
    print(f"{len(corpus.sources)} sources, {len(corpus.countries)} countries, {len(corpus.questions)} questions, "
          f"{len(corpus.claims)} claims -> {args.out}/ours and {args.out}/hugo")


if __name__ == "__main__":
    main()
