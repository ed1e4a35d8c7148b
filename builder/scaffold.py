"""`sourcesite new FOLDER`: a new site, copied from the starter that ships with the generator (builder/starter/).

The starter checks and builds at once, and states no real fact: its one source, claims, question and subject are
examples that say so, for the editor to replace.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from .errors import printable

STARTER_DIR = Path(__file__).resolve().parent / "starter"
WORKFLOW = ".github/workflows/pages.yml"


def new_site(folder: Path) -> int:
    """Copy the starter into `folder`, which must be new or empty; print what to do next; the exit status."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "a folder that is not empty" if folder.is_dir() else "a file"
        print(f"{printable(str(folder))}: is {what}, so nothing was written\n  hint: name a new folder, e.g. "
              f"'sourcesite new {folder.name}-site'", file=sys.stderr)
        return 1
    try:
        shutil.copytree(STARTER_DIR, folder, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        # Shipped without their dots: a package's data files leave out hidden ones.
        (folder / "gitignore").rename(folder / ".gitignore")
        (folder / "github").rename(folder / ".github")
    except OSError as exc:
        print(f"{printable(str(folder))}: cannot write the new site there ({exc.strerror or exc})\n"
              "  hint: name a folder you can write to", file=sys.stderr)
        return 1
    print(f"made a new site in {printable(str(folder))}/: site.yaml, content/, a README.md that says what to edit "
          f"next, and {WORKFLOW} to publish it on GitHub Pages (put where you install the generator from on its "
          "'pip install' line)")
    # Quoted as a shell reads it: a folder's name may hold a space, or a character the shell would act on.
    print(f"next: cd {printable(shlex.quote(str(folder)))} && sourcesite build && sourcesite serve")
    return 0
