"""`sourcesite new`: a starter that checks and builds at once, states no real fact, and never writes over a folder."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from builder import __version__
from builder.__main__ import main
from builder.scaffold import STARTER_DIR
from tests.conftest import REPO


def test_new_makes_a_site_that_checks_and_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "my-explainer"
    assert main(["new", str(site)]) == 0
    assert capsys.readouterr().out == (
        f"made a new site in {site}/: site.yaml, content/, a README.md that says what to edit next, and "
        ".github/workflows/pages.yml to publish it on GitHub Pages (put where you install the generator from on its "
        "'pip install' line)\n"
        f"next: cd {site} && sourcesite build && sourcesite serve\n")
    assert (site / ".gitignore").read_text(encoding="utf-8") == "/public/\n/.preview/\n/.cache/\n/.build-*\n"
    assert (site / ".github/workflows/pages.yml").read_text(encoding="utf-8") == (
        STARTER_DIR / "github/workflows/pages.yml").read_text(encoding="utf-8")
    assert not (site / "gitignore").exists() and not (site / "github").exists()
    assert main(["--root", str(site), "check"]) == 0
    assert capsys.readouterr().out == "ok: 1 sources, 3 claims, 1 questions, 1 countries; every quote found in its " \
                                      "source.\n"
    assert main(["--root", str(site), "build"]) == 0
    page = (site / "public/countries/xa/index.html").read_text(encoding="utf-8")
    assert "Example Land (placeholder)" in page and "Exit announced" in page


def test_new_never_writes_into_a_folder_that_has_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "taken"
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(site)]) == 1
    assert capsys.readouterr().err == (f"{site}: is a folder that is not empty, so nothing was written\n"
                                       "  hint: name a new folder, e.g. 'sourcesite new taken-site'\n")
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]


def test_the_starter_states_no_fact_about_a_real_place_or_treaty() -> None:
    """Every name in it is marked an example; its subject has a private-use code, which no country has."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(STARTER_DIR.rglob("*")) if p.is_file())
    for word in ("Ottawa", "Convention", "NATO", "Poland", "Russia", "mine"):
        assert word not in text, word
    assert sorted(p.name for p in (STARTER_DIR / "content/countries").iterdir()) == ["xa.yaml"]
    sources = list((STARTER_DIR / "content/sources").iterdir())
    assert len(sources) == 1 and "THIS IS AN EXAMPLE ARTICLE, NOT A REAL ONE." in sources[0].read_text(encoding="utf-8")


def test_the_command_says_what_it_does_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"], prog="sourcesite")
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: sourcesite [-h] [--version] [--root FOLDER] COMMAND ...\n")
    for command in ("new", "check", "build", "serve", "ingest"):
        assert f"\n    {command} " in shown, command
    assert "  sourcesite new my-explainer       start a site from the starter\n" in shown
    with pytest.raises(SystemExit):
        main(["--version"], prog="sourcesite")
    assert capsys.readouterr().out == f"sourcesite {__version__}\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_keeps_out_what_the_builds_leave(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After two builds and a preview's lock, `git add -A` takes the site's own files only: not the spare copy of
    the last site (.build-spare-public/), the locks, the output or the cache."""
    site = tmp_path / "site"
    assert main(["new", str(site)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    with (site / "content/methodology.md").open("a", encoding="utf-8") as methodology:
        methodology.write("\nAn edit, so that the next build keeps the last site as its spare.\n")
    assert main(["--root", str(site), "build"]) == 0
    (site / ".build-.preview.lock").write_text("", encoding="utf-8")
    assert (site / ".build-spare-public/index.html").is_file()
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    listed = subprocess.run(["git", "-C", str(site), "add", "-A", "--dry-run"], check=True, capture_output=True,
                            text=True).stdout
    added = sorted(re.findall(r"^add '([^']+)'$", listed, re.MULTILINE))
    assert added == sorted(str(p.relative_to(STARTER_DIR)).replace("gitignore", ".gitignore")
                           .replace("github/", ".github/") for p in STARTER_DIR.rglob("*") if p.is_file())


def test_the_guide_shows_the_workflow_the_starter_ships() -> None:
    guide = (REPO / "docs/new-explainer.md").read_text(encoding="utf-8")
    shown = re.search(r"```yaml\n(.*?)```", guide, re.DOTALL)
    assert shown is not None
    shipped = (STARTER_DIR / "github/workflows/pages.yml").read_text(encoding="utf-8")
    assert shown.group(1) == "".join(line for line in shipped.splitlines(keepends=True) if not line.startswith("#"))


def test_the_next_step_quotes_a_folder_as_the_shell_reads_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    site = tmp_path / "rev user new"
    assert main(["new", str(site)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"next: cd '{site}' && sourcesite build && sourcesite serve"
