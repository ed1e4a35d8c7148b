"""Accessibility (axe-core in a Playwright page) and HTML validity (vnu.jar) checks.

Both tools come from node_modules at the repo root (package.json; scripts/install-test-deps.sh runs
`npm ci`). Use require_axe() / require_vnu() at the top of a test to skip it when they are missing
(outside CI; under CI=true the test fails instead).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from tests.support import NODE_MODULES, skip_or_fail

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 2.2 A and AA too: target size (2.5.8) among them.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice")

# Files per java call: one JVM start for the whole batch, but stay well under the argv size limit.
_VNU_BATCH = 2000
# The quick compiler only (C1): a run of a few seconds never repays the optimising compiler, which took more than
# half its CPU time (7.1 s of CPU down to 3.0 s for the shipped site's pages); C1's larger frames need a deeper
# stack than vnu's suggested 512k.
_VNU_JAVA = ("-Xss8m", "-XX:TieredStopAtLevel=1")


def require_axe() -> None:
    if not AXE_JS.is_file():
        skip_or_fail(f"{AXE_JS} is missing (npm package axe-core)")


def require_vnu() -> None:
    if not VNU_JAR.is_file():
        skip_or_fail(f"{VNU_JAR} is missing (npm package vnu-jar)")
    if shutil.which("java") is None:
        skip_or_fail("java is missing (needed by vnu.jar)")


def run_axe(
    page: Page,
    *,
    tags: Sequence[str] = AXE_TAGS,
    context: str | dict[str, Any] | None = None,
    disable_rules: Iterable[str] = (),
    category: str | None = None,
) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its violations (axe's own dicts).

    Each violation has id, impact, description, help, helpUrl and nodes (each with target, html,
    failureSummary). `context` limits the run to a selector or axe context; `disable_rules` turns
    rules off by id; `category` (axe's own tag, "cat.color" say) keeps only the rules of `tags` in it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated as the DevTools protocol evaluates, which the page's Content-Security-Policy does not govern
        # (a script tag would be refused by it): axe runs on the page as its policy serves it, and any request
        # or error axe caused under that policy would be logged like the page's own.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        if not page.evaluate("() => typeof window.axe === 'object'"):
            raise RuntimeError("axe-core did not load into the page")
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": list(tags)},
        "resultTypes": ["violations"],
    }
    rules = {rule: {"enabled": False} for rule in disable_rules}
    if rules:
        options["rules"] = rules
    return page.evaluate(
        """async ([context, options, category]) => {
            if (category) {  // every other rule of the tags off: runOnly's choice of rules is kept, as it is
                for (const rule of window.axe.getRules(options.runOnly.values)) {
                    if (!rule.tags.includes(category)) {
                        options.rules = {...options.rules, [rule.ruleId]: {enabled: false}};
                    }
                }
            }
            const results = await window.axe.run(context ?? document, options);
            return results.violations;
        }""",
        [context, options, category],
    )


def format_axe(violations: list[dict[str, Any]]) -> str:
    """One line per violating node, for assertion messages."""
    lines = []
    for v in violations:
        for node in v.get("nodes", []):
            target, html = node.get("target"), node.get("html")
            lines.append(f"{v['id']} ({v.get('impact')}): {v['help']} at {target}: {html}")
    return "\n".join(lines)


def run_vnu(paths: Sequence[Path], *, skip_non_html: bool = False) -> list[dict[str, Any]]:
    """Validate HTML files (or directories of them) with vnu.jar; return its errors.

    Each error is a dict: file (str path), line, column (int or None), message, extract, type
    ("error", or "non-document-error" when a file could not be read or parsed). Warnings are not
    reported (--errors-only). `skip_non_html` passes --skip-non-html, for directories with other files.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    missing = [str(p) for p in paths if not p.exists()]
    if missing:  # vnu.jar itself reports nothing for a path that does not exist
        raise FileNotFoundError(f"no such file(s) to validate: {', '.join(missing)}")
    if not VNU_JAR.is_file():
        raise FileNotFoundError(f"{VNU_JAR} is missing: run scripts/install-test-deps.sh")
    java = shutil.which("java")
    if java is None:
        raise FileNotFoundError("java is missing (needed by vnu.jar)")
    errors: list[dict[str, Any]] = []
    for start in range(0, len(paths), _VNU_BATCH):
        batch = paths[start : start + _VNU_BATCH]
        cmd = [java, *_VNU_JAVA, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
        if skip_non_html:
            cmd.append("--skip-non-html")
        cmd += ["--", *(str(p) for p in batch)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
        failed = f"vnu.jar failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        # vnu writes its JSON report to stderr; exit status 1 just means it found errors.
        report = proc.stderr.strip() or proc.stdout.strip()
        try:
            messages = json.loads(report)["messages"] if report else []
        except (ValueError, KeyError) as err:
            raise RuntimeError(failed) from err
        if proc.returncode not in (0, 1) or (proc.returncode == 1 and not messages):
            raise RuntimeError(failed)
        for m in messages:
            if m.get("type") not in ("error", "non-document-error"):
                continue
            errors.append(
                {
                    "file": _file_of(m.get("url", "")),
                    "line": m.get("firstLine", m.get("lastLine")),
                    "column": m.get("firstColumn", m.get("lastColumn")),
                    "message": m.get("message", ""),
                    "extract": m.get("extract", ""),
                    "type": m["type"],
                }
            )
    return errors


def format_vnu(errors: list[dict[str, Any]]) -> str:
    """One line per error, "file:line:column: message", for assertion messages."""
    return "\n".join(f"{e['file']}:{e['line']}:{e['column']}: {e['message']}" for e in errors)


def _file_of(url: str) -> str:
    parts = urlsplit(url)
    return unquote(parts.path) if parts.scheme == "file" else url
