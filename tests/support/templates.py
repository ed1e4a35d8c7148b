"""Each template compiled once per test process, not once for every copy of the templates a test makes.

Jinja's bytecode cache (builder/render.py) keys a template by its name and its file's path as well as its text, so a
site copied into a test's own folder (copy_site) compiles every template again: 15 ms each, 56 of them a build, in
hundreds of builds (docs/performance.md, The test suite, a seventh time). What Jinja generates from a template
depends on its text, its name and the environment's settings, not on its path: the path is only the compiled code's
file name, for tracebacks, and the name of the file in the errors the compiler raises. So a successful compile is
kept by text, name and settings, and given again with the file name set to the path asked for: the code object
Jinja would have made (test_templates_support.py compares them byte for byte). A template that fails to compile
is compiled again each time, and raises as before."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from types import CodeType
from typing import Any

from jinja2 import Environment
from jinja2.utils import _PassArg

Compile = Callable[..., Any]


def with_filename(code: CodeType, filename: str) -> CodeType:
    """`code` and every code object in it, their file name set to `filename`."""
    consts = tuple(with_filename(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def settings(env: Environment) -> tuple[object, ...]:
    """What of an environment Jinja's lexer, parser and code generator read: the syntax, the whitespace rules,
    escaping, finalize, async, extensions, and how each filter and test is called and what code it runs."""
    return (type(env), env.block_start_string, env.block_end_string, env.variable_start_string,
            env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
            env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
            env.keep_trailing_newline, env.optimized, env.is_async, env.autoescape, env.finalize,
            tuple(sorted(env.extensions)), env.code_generator_class, env.lexer.__class__,
            tuple(sorted((name, *_called(f)) for name, f in env.filters.items())),
            tuple(sorted((name, *_called(f)) for name, f in env.tests.items())))


def _called(function: Any) -> tuple[object, object]:
    """How a filter or test is called, and what it runs: a function's code object (equal only to the same code), a
    built-in or a partial itself, another callable's class (the builder's `once`, one per environment). Jinja runs a
    filter given a literal as it compiles, so a filter a test replaces is another key; what a closure or an
    instance holds is not in it, and no test's template gives such a filter a literal."""
    runs = getattr(function, "__code__", None)
    if runs is None:
        plain = isinstance(function, (functools.partial, types.BuiltinFunctionType, types.MethodDescriptorType,
                                      types.WrapperDescriptorType))
        runs = function if plain else type(function)
    return _PassArg.from_obj(function) or "", runs


def compiled_once(compile_: Compile) -> Compile:
    """`Environment.compile`, its code objects kept by template text, name and settings (see above)."""
    kept: dict[tuple[object, ...], CodeType] = {}

    def compile(env: Environment, source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        if raw or not isinstance(source, str):  # Python source asked for, or a parsed template: as Jinja does
            return compile_(env, source, name, filename, raw, defer_init)
        key = (source, name, defer_init, settings(env))
        code = kept.get(key)
        if code is None:
            code = kept[key] = compile_(env, source, name, filename, raw, defer_init)
        wanted = "<template>" if filename is None else filename
        return code if code.co_filename == wanted else with_filename(code, wanted)

    compile.__wrapped__ = compile_  # type: ignore[attr-defined]
    return compile
