"""docs/new-explainer.md, followed step by step in a clean virtual environment outside the repository: install the
generator from the repository, make a site with `new`, check, build and serve it, and ask its version."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from builder import __version__
from tests.conftest import REPO
from tests.support.wheelhouse import make_wheelhouse

# pip's own options: quiet, and never the network. The generator's dependencies, and the build backend that pip
# installs into its isolated build environment, come from a wheelhouse packed from this virtual environment's own
# packages (the versions requirements.txt and requirements-dev.txt pin); bytecode is left to the first import.
PIP = ("-m", "pip", "--disable-pip-version-check", "--quiet")
OFFLINE = ("--no-index", "--no-compile")


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Step 1: a fresh venv, outside the repository, with the generator installed from it (not editable)."""
    home = tmp_path_factory.mktemp("user")
    wheels = make_wheelhouse(["sourcesite", "setuptools"], tmp_path_factory.mktemp("wheelhouse"))
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PIP_")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_CONFIG_FILE"] = os.devnull  # this machine's pip settings (other indexes, other wheels) do not apply
    run([str(venv / "bin" / "python"), *PIP, "install", *OFFLINE, "--find-links", str(wheels), str(REPO)], home, env)
    return home, env


def test_the_guide_from_install_to_serve(installed: tuple[Path, dict[str, str]]) -> None:
    home, env = installed
    assert run(["sourcesite", "--version"], home, env).stdout == f"sourcesite {__version__}\n"
    # The generator runs from the installed package, not from this checkout.
    where = run(["python", "-c", "import builder; print(builder.__file__)"], home, env).stdout
    assert not where.startswith(str(REPO)), where

    made = run(["sourcesite", "new", "my-explainer"], home, env)
    assert made.stdout.startswith("made a new site in my-explainer/")
    site = home / "my-explainer"
    assert (site / "README.md").read_text(encoding="utf-8").startswith("# Example explainer")

    checked = run(["sourcesite", "check"], site, env)
    assert checked.stdout == ("ok: 1 sources, 3 claims, 1 questions, 1 countries; every quote found in its "
                              "source.\n")
    built = run(["sourcesite", "build"], site, env)
    assert re.fullmatch(r"built \d+ files into public/ in [\d.]+s\n", built.stdout), built.stdout
    assert "Example Land (placeholder)" in (site / "public/countries/xa/index.html").read_text(encoding="utf-8")
    # From another folder, with --root, it is the same site.
    assert run(["sourcesite", "--root", "my-explainer", "check"], home, env).stdout == checked.stdout

    serve = subprocess.Popen(["sourcesite", "serve", "--port", "0"], cwd=site, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        assert serve.stdout is not None
        url = ""
        for line in serve.stdout:
            if found := re.search(r" at (http://\S+/) ", line):
                url = found.group(1)
                break
        assert url, "the preview did not say where it serves"
        with urllib.request.urlopen(url + "countries/xa/", timeout=30) as response:
            assert response.status == 200
            assert "Example Land (placeholder)" in response.read().decode("utf-8")
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(20)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
    assert serve.returncode in (0, -signal.SIGINT, 130)
    assert not (site / "public" / ".preview").exists()
