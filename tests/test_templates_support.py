"""tests/support/templates.py: a template compiled once and given again for another copy's path is the code object
Jinja would have compiled for that path; a template that does not compile raises each time, naming its own file."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from types import CodeType

import pytest
from jinja2 import Environment, TemplateSyntaxError

from builder.render import make_environment
from tests.conftest import BASE_SITE, copy_site
from tests.support.templates import compiled_once


def jinja_compile(env: Environment, *args: object) -> CodeType:
    """Jinja's own compile (tests/conftest.py wraps it with compiled_once for the whole run)."""
    return getattr(Environment.compile, "__wrapped__", Environment.compile)(env, *args)  # type: ignore[no-any-return]


def code_objects(code: CodeType) -> Iterator[CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from code_objects(const)


def test_a_template_compiled_for_one_copy_is_given_as_jinja_compiles_it_for_another(tmp_path: Path) -> None:
    first, second = copy_site(tmp_path / "first", base=BASE_SITE), copy_site(tmp_path / "second", base=BASE_SITE)
    env = make_environment(first / "templates", None)
    names = env.list_templates(extensions=["html"])
    assert len(names) > 20
    compile_ = compiled_once(jinja_compile)
    for name in names:
        source = (first / "templates" / name).read_text(encoding="utf-8")
        compile_(env, source, name, str(first / "templates" / name))
        given = compile_(env, source, name, str(second / "templates" / name))
        expected = jinja_compile(env, source, name, str(second / "templates" / name))
        assert given == expected, name  # the bytecode, constants, names and line table
        assert {c.co_filename for c in code_objects(given)} == {str(second / "templates" / name)}, name


def test_a_template_that_does_not_compile_raises_each_time_with_its_own_file() -> None:
    env = Environment()
    compile_ = compiled_once(jinja_compile)
    for filename in ("one/page.html", "two/page.html"):
        with pytest.raises(TemplateSyntaxError) as raised:
            compile_(env, "{{ page.title }\n", "page.html", filename)
        assert raised.value.filename == filename


def test_other_settings_compile_again() -> None:
    compile_ = compiled_once(jinja_compile)
    source = "{% if x %}\n  {{ x }}\n{% endif %}\n"
    plain, trimmed = Environment(), Environment(trim_blocks=True, lstrip_blocks=True)
    assert compile_(plain, source, "t.html") == jinja_compile(plain, source, "t.html")
    assert compile_(trimmed, source, "t.html") == jinja_compile(trimmed, source, "t.html")
    assert compile_(trimmed, source, "t.html") != compile_(plain, source, "t.html")


def test_a_filter_replaced_by_another_compiles_again() -> None:
    """Jinja runs a filter given a literal as it compiles: a template compiled with one filter of a name is not
    given to an environment whose filter of that name is another (a test that patches it)."""
    compile_ = compiled_once(jinja_compile)
    first, second = Environment(), Environment()
    first.filters["shout"] = lambda text: "A:" + text
    second.filters["shout"] = lambda text: "B:" + text
    source = '{{ "x"|shout }}'
    for env, expected in ((first, "A:x"), (second, "B:x")):
        assert env.template_class.from_code(env, compile_(env, source, "t.html"), {}).render() == expected


@pytest.mark.parametrize(("one", "other"), [(str.upper, str.lower),
                                            (partial(str.__add__, "A:"), partial(str.__add__, "B:"))])
def test_a_built_in_or_partial_filter_replaced_by_another_compiles_again(one: object, other: object) -> None:
    compile_ = compiled_once(jinja_compile)
    renders = []
    for shout in (one, other):
        env = Environment()
        env.filters["shout"] = shout
        renders.append(env.template_class.from_code(env, compile_(env, '{{ "x"|shout }}', "t.html"), {}).render())
    assert renders[0] != renders[1]
