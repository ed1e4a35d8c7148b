"""markdown_html: the site's own Markdown prose to HTML, raw HTML shown as text, the result sanitised."""

from __future__ import annotations

from builder.markdown_html import markdown_html


def test_typed_html_is_shown_as_text_not_run() -> None:
    html = str(markdown_html('Before <script>alert(1)</script> and <b onclick="x()">bold</b>.'))
    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b onclick=" in html


def test_a_leading_title_is_dropped_and_other_top_headings_become_second_level() -> None:
    html = str(markdown_html("# Title\n\ntext\n\n# Part\n\n## Second"))
    assert "Title" not in html and "<h1" not in html  # the page shows its own h1
    assert "<h2>Part</h2>" in html and "<h2>Second</h2>" in html


def test_links_keep_safe_schemes_only() -> None:
    html = str(markdown_html("[a](https://example.org/x) [b](mailto:x@example.org) [c](javascript:alert(1))"))
    assert 'href="https://example.org/x"' in html
    assert 'href="mailto:x@example.org"' in html
    assert "javascript:" not in html


def test_tables_and_lists_are_kept() -> None:
    html = str(markdown_html("| a | b |\n| --- | ---: |\n| 1 | 2 |\n\n1. one\n2. two\n\n- x\n- y"))
    assert "<table>" in html and "<th>a</th>" in html
    assert '<td align="right">2</td>' in html  # a column's alignment survives the sanitiser (no style attribute)
    assert "<ol>" in html and "<li>one</li>" in html and "<ul>" in html


def test_the_result_is_markup_that_jinja_does_not_escape_again() -> None:
    result = markdown_html("*a* & b")
    assert result.__html__() == str(result)
    assert str(result) == "<p><em>a</em> &amp; b</p>"
