"""A wheelhouse made from the packages installed in this virtual environment, so that a test can install the
generator into a fresh one with `pip install --no-index --find-links`: no network, no index, and the very
versions requirements.txt pins (they are what `make build` installed here).

Each installed distribution is packed back into a wheel from its RECORD: the files it installed into
site-packages, its .dist-info with a RECORD made anew. Scripts outside site-packages are left out (pip writes
them again from entry_points.txt), and so is bytecode. The files are stored, not compressed: packing and
unpacking then cost little more than copying them.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as metadata
import re
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

# Written by pip at install time, not part of a wheel.
_INSTALL_ONLY = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"}


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_closure(names: list[str]) -> list[metadata.Distribution]:
    """The installed distributions that `names` need, each once, sorted by name: the dependencies of the first
    (not itself: pip builds it from its source), the others themselves, and the dependencies of all of these."""
    found: dict[str, metadata.Distribution] = {}
    todo = [Requirement(r) for r in metadata.distribution(names[0]).requires or ()]
    todo += [Requirement(n) for n in names[1:]]
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        key = _key(requirement.name)
        if key in found:
            continue
        dist = metadata.distribution(requirement.name)
        found[key] = dist
        todo += [Requirement(r) for r in dist.requires or ()]
    return [found[key] for key in sorted(found)]


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def pack_wheel(dist: metadata.Distribution, folder: Path) -> Path:
    """Pack one installed distribution back into a wheel in `folder`; its path."""
    files = [f for f in dist.files or () if f.parts[0] != ".." and "__pycache__" not in f.parts
             and f.suffix != ".pyc"]
    info = next(f.parts[0] for f in files if f.parts[0].endswith(".dist-info"))
    wheel_meta = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip().split("-") for line in wheel_meta.splitlines() if line.startswith("Tag:")]
    # The file name holds every tag, each part's values joined by dots: py2.py3-none-any.
    tag = "-".join(".".join(dict.fromkeys(t[i] for t in tags)) for i in range(3))
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    target = folder / f"{name}-{dist.version}-{tag}.whl"
    record = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as wheel:
        for file in sorted(files, key=lambda f: f.as_posix()):
            arcname = file.as_posix()
            if arcname.startswith(info + "/") and file.name in _INSTALL_ONLY:
                continue
            path = Path(str(dist.locate_file(file)))
            data = path.read_bytes()
            wheel.writestr(zipfile.ZipInfo.from_file(path, arcname), data)  # with its mode: executables stay so
            record.append(_record_line(arcname, data))
        wheel.writestr(f"{info}/RECORD", "\n".join(record + [f"{info}/RECORD,,"]) + "\n")
    return target


def make_wheelhouse(names: list[str], folder: Path) -> Path:
    """A folder of wheels for `pip install --no-index --find-links`: every installed dependency of `names[0]`, and
    the other names with theirs (a build backend, say)."""
    folder.mkdir(parents=True, exist_ok=True)
    for dist in requirements_closure(names):
        pack_wheel(dist, folder)
    return folder
