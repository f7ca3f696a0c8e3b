"""Regular expressions compiled from programs remembered between builds, as Python remembers compiled modules.

Python compiles every regular expression afresh in each process, and the libraries a build imports compile about
two hundred as they load: 0.1 s of a one-school rebuild. ReportLab's URI pattern alone, whose five character
classes span the whole Basic Multilingual Plane, takes 45 ms. While ``remembering`` holds, a pattern compiled by an
earlier build (same Python, same regular expression engine) is made from its stored program. A program is stored
only once the pattern made from it has compared equal to Python's own compilation (equal patterns have the same
program); the engine checks every program it is given, and one it refuses is compiled again.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from factsheet_builder import cache

try:  # Python 3.11 and later; on 3.10 patterns are compiled as usual
    import _sre
    from re import _compiler, _parser
except ImportError:
    _compiler = None

# [flags, code, groups, {name: group}, [name of each group or None]]: _sre.compile's arguments, the code's words
# packed as base64 (as JSON numbers, they were most of the time it took to read the cache file)
Program = list
_CODE_WORD = "I"  # the engine's code words are 32 bits
# Seconds of compiling that make new programs worth storing. Less is not worth rewriting the cache for; and some
# patterns are new in every process (ReportLab joins the items of a set, whose order changes with each process).
WORTH_STORING = 0.005


@contextmanager
def remembering() -> Iterator[None]:
    """Within the block, compile patterns from the programs in the build's cache; store the new ones at its end if
    they took long enough to compile (in this process: a forked child that inherits the block leaves without
    ending it)."""
    if _compiler is None:
        yield
        return
    key = repr(("regular expression programs", sys.version, _sre.MAGIC))
    programs: dict[str, Program] = cache.stored(key, _is_table, {})
    learned: dict[str, Program] = {}
    spent = 0.0  # seconds spent compiling what was learned
    python_compile = _compiler.compile
    owner = os.getpid()

    def compile(pattern: Any, flags: int = 0) -> Any:
        nonlocal spent
        if type(pattern) is not str or flags & _compiler.SRE_FLAG_DEBUG:
            return python_compile(pattern, flags)
        name = f"{flags}:{pattern}"
        program = programs.get(name) or learned.get(name)
        if program is not None:
            try:
                return _made(pattern, program)
            except (RuntimeError, TypeError, ValueError, OverflowError):  # a damaged entry: compile it again
                programs.pop(name, None)
        started = time.perf_counter()
        compiled = python_compile(pattern, flags)
        spent += time.perf_counter() - started
        try:
            program = _program(pattern, flags)
            if _made(pattern, program) == compiled:
                learned[name] = program
        except Exception:  # a Python whose compiler works otherwise inside: the pattern is simply not remembered
            pass
        return compiled

    _compiler.compile = compile
    try:
        yield
    finally:
        _compiler.compile = python_compile
        if learned and spent >= WORTH_STORING and os.getpid() == owner:
            cache.store(key, {**programs, **learned})


def _program(pattern: str, flags: int) -> Program:
    """What Python's ``re._compiler.compile`` gives ``_sre.compile`` for ``pattern``."""
    parsed = _parser.parse(pattern, flags)
    names = [None] * parsed.state.groups
    for name, group in parsed.state.groupdict.items():
        names[group] = name
    code = cache.packed(_compiler._code(parsed, flags), _CODE_WORD)
    return [flags | parsed.state.flags, code, parsed.state.groups - 1, dict(parsed.state.groupdict), names]


def _made(pattern: str, program: Program) -> Any:
    flags, code, groups, group_index, names = program
    return _sre.compile(pattern, flags, cache.unpacked(code, _CODE_WORD), groups, group_index, tuple(names))


def _is_table(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(program, list) and len(program) == 5 and isinstance(program[1], str) for program in value.values()
    )
