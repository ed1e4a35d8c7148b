"""Reading YAML and Markdown with positions; duplicate keys, aliases and bad bytes are reported."""

from __future__ import annotations

from pathlib import Path

from builder.errors import ErrorLog
from builder.load import load_markdown, parse_yaml


def parse(text: str) -> tuple[object, list[str]]:
    log = ErrorLog()
    node = parse_yaml(text, "x.yaml", log)
    return node, [str(e) for e in log.sorted()]


def test_values_remember_line_and_column() -> None:
    node, errors = parse("a: 1\nb:\n  - x\n  - 2025-03-18\n")
    assert errors == []
    assert node.value["b"].value[1].line == 4 and node.value["b"].value[1].column == 5
    assert str(node.value["b"].value[1].value) == "2025-03-18"
    assert node.keys["b"] == (2, 1)


def test_duplicate_keys_at_any_depth_are_errors() -> None:
    _, errors = parse("a:\n  b: 1\n  c: 2\n  b: 3\n")
    assert errors == ["x.yaml:4:3: duplicate key 'b' (first written at line 2)\n"
                      "  hint: keep one of them; YAML would silently drop the first"]


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    _, errors = parse("\n".join(lines) + "\n")
    assert len(errors) == 8 and all("aliases" in e for e in errors)


def test_tabs_get_a_hint() -> None:
    _, errors = parse("a:\n\t- 1\n")
    assert errors[0].endswith("hint: indent with spaces, not tabs")


def test_markdown_body_is_kept_verbatim(tmp_path: Path) -> None:
    body = "Line one\u2014with a dash.\n\n  indented  line\nno newline at end"
    (tmp_path / "s.md").write_text("---\ntitle: x\n---\n" + body, encoding="utf-8")
    log = ErrorLog()
    doc = load_markdown(tmp_path / "s.md", tmp_path, log)
    assert not log and doc.body == body and doc.body_line == 4
    assert doc.meta.value["title"].line == 2


def test_front_matter_errors_point_into_the_file(tmp_path: Path) -> None:
    (tmp_path / "s.md").write_text("---\ntitle: x\ntitle: y\n---\nbody", encoding="utf-8")
    log = ErrorLog()
    load_markdown(tmp_path / "s.md", tmp_path, log)
    assert [str(e).split("\n")[0] for e in log.sorted()] == [
        "s.md:3:1: duplicate key 'title' (first written at line 2)"]


def test_relative_paths_are_what_relative_to_gives() -> None:
    """The root's string cut off a path is a shortcut: a sibling folder whose name starts with the root's, the
    file system's root or a path outside the root give what pathlib gives."""
    from pathlib import Path

    from builder.load import relative

    root = Path("/tmp/site")
    assert relative(root / "content" / "sources" / "a.md", root) == "content/sources/a.md"
    assert relative(Path("/tmp/site2/content/a.md"), root) == "/tmp/site2/content/a.md"
    assert relative(Path("/tmp/other/a.md"), root) == "/tmp/other/a.md"
    assert relative(Path("/content/a.md"), Path("/")) == "content/a.md"
    assert relative(Path("content/a.md"), Path(".")) == "content/a.md"
    assert relative(Path("/tmp/site/a.md"), Path("/tmp/site/")) == "a.md"
