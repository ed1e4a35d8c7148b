"""A small site whose one source has many claims, each overlapping the next: every claim is cut into pieces, each
piece numbered as a part (text.py), which the stylesheet's rules outline (render.with_part_rules)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import copy_site, write_tree

WORDS = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel", "Ilex", "Juniper", "Kapok", "Larch",
         "Maple", "Nutmeg", "Oak", "Pine", "Quince", "Rowan", "Spruce", "Teak", "Umbrella", "Viburnum", "Willow", "Yew",
         "Zelkova"]


def overlapping_site(root: Path, count: int) -> Path:
    """The error tests' small site with a source whose `count` claims each overlap the next: every one is cut into
    pieces, so its pieces take the parts 1 to `count`."""
    site = copy_site(root, templates=False)
    body = " ".join(WORDS) + "."
    front = (Path(site, "content/sources/wire.md").read_text(encoding="utf-8").split("---")[1]
             .replace('title: "Poland to leave mine ban"', 'title: "Trees"').split("passages:")[0])
    write_tree(site, {"content/sources/trees.md": f"---{front}---\n{body}\n", "content/claims/trees.yaml": "".join(
        f'- id: tree-{n}\n  quote: "{" ".join(WORDS[n:n + 3])}"\n  says: "Trees {n}."\n  kind: reporting\n'
        "  countries: [pl]\n" for n in range(count))})
    return site
