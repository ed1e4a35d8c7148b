"""scripts/check_workflow.py: the Pages workflow keeps what the project relies on, the build cache included."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check_workflow", REPO / "scripts" / "check_workflow.py")
assert spec is not None and spec.loader is not None
check_workflow = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_workflow)


def workflow() -> Any:
    return yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))


def cache_step(doc: Any) -> dict[str, Any]:
    (step,) = [s for s in doc["jobs"]["build"]["steps"] if s.get("uses") == "actions/cache@v4"]
    return step  # type: ignore[no-any-return]


def test_the_projects_workflow_passes() -> None:
    assert check_workflow.check(workflow()) == []


def test_a_workflow_without_the_build_cache_is_refused() -> None:
    doc = workflow()
    doc["jobs"]["build"]["steps"].remove(cache_step(doc))
    assert check_workflow.check(doc) == ["job `build` must restore the build cache with actions/cache@v4"]


def test_the_cache_must_hold_both_folders_be_keyed_on_builder_and_content_and_fall_back() -> None:
    doc = workflow()
    given = cache_step(doc)["with"]
    given["path"] = ".cache/sitebuilder"
    given["key"] = "site-${{ runner.os }}"
    del given["restore-keys"]
    assert check_workflow.check(doc) == [
        "actions/cache@v4 must have with.path: .cache/sitebuilder and public",
        "actions/cache@v4's key must hash builder/** and content/**",
        "actions/cache@v4 must have restore-keys: its key up to the content's hash",
    ]


def test_the_cache_is_restored_before_the_build() -> None:
    doc = workflow()
    steps = doc["jobs"]["build"]["steps"]
    steps.remove(step := cache_step(doc))
    steps.insert(len(steps) - 1, step)  # after the build, before the upload
    assert check_workflow.check(doc) == ["actions/cache@v4 must run before the build command"]
