"""Helpers shared by the test suite: a local server and Chromium (browser), axe and vnu (checkers)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / "node_modules"


def in_ci() -> bool:
    """True when running under CI (CI=true), where a missing test tool is a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip the current test with `reason`, or fail it when running under CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: missing test tools are an error; run scripts/install-test-deps.sh)")
    pytest.skip(f"{reason}; run scripts/install-test-deps.sh")
