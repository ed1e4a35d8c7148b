"""Every kind of bad input gets path:line:column, a message and a hint, exit status 1, and no damage.

Each folder under tests/errors/ (but _base) holds `site/`, files laid over the small valid site in
tests/errors/_base, an optional `delete.txt` of paths to remove, and `expected.txt`, the whole error output.
Refresh the expected files with `UPDATE_EXPECTED=1 pytest tests/test_errors.py` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from builder.__main__ import main
from builder.errors import did_you_mean
from builder.write import MARKER
from tests.conftest import BASE_SITE, copy_site, tree_digest

CASES = sorted(p for p in (Path(__file__).parent / "errors").iterdir() if p.is_dir() and p.name != "_base")


def build_case(case: Path, tmp_path: Path) -> Path:
    """The small valid site with the case laid over it: its templates/ the shipped site's own and the case's (the
    rest from the theme, as in the project)."""
    site = copy_site(tmp_path / "site", theme=False)
    for path in sorted((case / "site").rglob("*")):
        if path.is_file():
            target = site / path.relative_to(case / "site")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    delete = case / "delete.txt"
    if delete.exists():
        for rel in delete.read_text().split():
            (site / rel).unlink()
    return site


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_and_public_is_untouched(case: Path, tmp_path: Path, capsys) -> None:
    site = build_case(case, tmp_path)
    public = site / "public"
    public.mkdir()
    (public / "index.html").write_text("<p>the last good build</p>")
    (public / MARKER).write_text('{"files": ["index.html"]}')  # ours: the content errors come next
    before = tree_digest(public)

    status = main(["--root", str(site), "build"])

    err = capsys.readouterr().err
    expected = case / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected.write_text(err)
    assert status == 1
    assert err == expected.read_text()
    assert "Traceback" not in err
    for line in err.splitlines():
        if line and not line.startswith("  hint: ") and not line.endswith("nothing was written."):
            assert line.split(":")[0] and line.split(":")[1].isdigit() and line.split(":")[2].isdigit(), line
    assert tree_digest(public) == before
    assert not list(site.glob(".build-*"))


def test_the_base_site_is_valid(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    assert main(["--root", str(site), "check"]) == 0, capsys.readouterr().err
    assert BASE_SITE.exists()


def test_a_byte_order_mark_is_accepted(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    path = site / "content" / "questions.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["--root", str(site), "check"]) == 0, capsys.readouterr().err


def test_the_readme_lists_every_case() -> None:
    readme = (Path(__file__).parent / "errors" / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- `([a-z0-9-]+)`", readme, flags=re.M)
    assert sorted(listed) == [c.name for c in CASES], "tests/errors/README.md lists each case once"
    counts = [int(n) for n in re.findall(r"^## .* \((\d+)\)$", readme, flags=re.M)]
    assert sum(counts) == len(CASES) and f"**{len(CASES)} cases**" in readme


def test_did_you_mean_looks_past_the_words_ids_start_with() -> None:
    """Ids drafted from one outlet all start 'politi-': that start alone makes no suggestion, a typo still does."""
    ids = ["politi-office-u-n-body", "politi-adorni-wednesday", "politi-tedros"]
    assert did_you_mean("politi-milei-says", ids, "claims") == (
        "known claims: 'politi-adorni-wednesday', 'politi-office-u-n-body', 'politi-tedros'")
    assert did_you_mean("politi-adorni-wensday", ids, "claims").startswith("did you mean 'politi-adorni-wednesday'?")
    assert did_you_mean("politico-adorni-wednesday", ids, "claims").startswith(
        "did you mean 'politi-adorni-wednesday'?")
    assert did_you_mean("politi-office", ids, "claims").startswith("did you mean 'politi-office-u-n-body'?")
    assert did_you_mean("which-country", ["which-countries"], "ids").startswith("did you mean 'which-countries'?")


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_folder_that_is_not_a_site_gets_one_line(command: str, tmp_path: Path, capsys) -> None:
    assert main(["--root", str(tmp_path), command], prog="sourcesite") == 1
    assert capsys.readouterr().err == (
        f"{tmp_path}: no site.yaml and no content/ here: not a site's folder\n"
        "  hint: run sourcesite in the site's folder or name it with --root FOLDER; 'sourcesite new FOLDER' starts a "
        "new site\n")
    assert list(tmp_path.iterdir()) == []
