"""Regular expressions made from programs remembered between builds (factsheet_builder.patterns)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from factsheet_builder import cache, patterns

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="Python 3.10 compiles every pattern itself")

WIDE = "(?:[a-z\xa1-\uffff0-9]+\\.)+(?P<top>[a-z\xa1-\uffff]{2,63})"  # classes over the whole BMP: slow to compile


@pytest.fixture
def cache_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "out" / cache.CACHE_NAME
    monkeypatch.setattr(cache, "_file", None)
    cache.use(path, "stamp")
    yield path
    monkeypatch.setattr(cache, "_file", None)


def compiled_by_python(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The patterns Python's own compiler is asked for from now on (what ``remembering`` does not make itself)."""
    asked: list[str] = []
    python_compile = re._compiler.compile

    def counting(pattern, flags=0):
        asked.append(pattern)
        return python_compile(pattern, flags)

    monkeypatch.setattr(re._compiler, "compile", counting)
    return asked


def fresh_process(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process compiled and read, as a new build would."""
    re.purge()
    monkeypatch.setattr(cache, "_file", None)
    cache.use(path, "stamp")


def test_a_pattern_is_made_from_its_remembered_program_and_equals_python_s_own(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patterns, "WORTH_STORING", 0)
    re.purge()
    with patterns.remembering():
        first = re.compile(WIDE, re.I)
    assert len(json.loads(cache_file.read_text("utf-8"))["entries"]) == 1
    fresh_process(cache_file, monkeypatch)
    asked = compiled_by_python(monkeypatch)
    with patterns.remembering():
        again = re.compile(WIDE, re.I)
    assert asked == []
    assert again is not first and again == first == re._compiler.compile(WIDE, re.I)
    assert again.groupindex == {"top": 1}
    assert again.fullmatch("ŁÓDŹ.example.ΕΛ").group("top") == "ΕΛ"
    assert again.fullmatch("example.c") is None


def test_a_damaged_program_is_compiled_again(cache_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "WORTH_STORING", 0)
    re.purge()
    with patterns.remembering():
        re.compile(WIDE)
    stored = json.loads(cache_file.read_text("utf-8"))
    (table,) = stored["entries"].values()
    (program,) = table.values()
    program[1] = [255, 0, 7]  # not a program the engine accepts
    cache_file.write_text(json.dumps(stored), "utf-8")
    fresh_process(cache_file, monkeypatch)
    asked = compiled_by_python(monkeypatch)
    with patterns.remembering():
        again = re.compile(WIDE)
    assert asked == [WIDE]
    assert again == re._compiler.compile(WIDE) and again.fullmatch("a.bc")


def test_quick_patterns_are_not_worth_rewriting_the_cache_for(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patterns, "WORTH_STORING", 60.0)
    re.purge()
    python_compile = re._compiler.compile
    with patterns.remembering():
        assert re._compiler.compile is not python_compile
        assert re.compile(WIDE).fullmatch("a.bc")
    assert not cache_file.exists()
    assert re._compiler.compile is python_compile


def test_a_python_whose_compiler_works_otherwise_compiles_as_usual(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patterns, "WORTH_STORING", 0)
    monkeypatch.setattr(patterns, "_parser", object())  # as if a later Python parsed patterns otherwise
    re.purge()
    with patterns.remembering():
        assert re.compile(WIDE).fullmatch("a.bc")
    assert not cache_file.exists()
