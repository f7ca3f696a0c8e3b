"""The records of a build: what happened to each school, what each output was built from, and the toolchain that
drew them. Every module that reads or writes build results (manifest, index page, preview, progress, status)
reads these; ``to_json`` and ``from_json`` turn any of them into JSON and back."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from factsheet_builder.exceptions import Problem

R = TypeVar("R")


@dataclass
class FileRecord:
    """A file as last seen: size and modification time (a cheap "unchanged?") and sha256 (the sure one)."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass
class OutputRecord(FileRecord):
    """One written output: its topic, layout and format, where it is under out/, its pages and the hash of its
    inputs."""

    topic: str
    layout: str
    format: str
    path: str  # relative to out/, with forward slashes
    pages: int | None
    inputs: str  # see fingerprint.output_inputs


@dataclass(frozen=True)
class Sources:
    """The hashes of a school's inputs as they were read for a build: each topic's content, its config cascade and
    the images it uses."""

    content: dict[str, str]  # by topic
    config: str
    images: str


@dataclass(frozen=True)
class IndexFacts:
    """What out/index.html shows of a built school besides its files."""

    school: str
    dsl: str
    review_date: str  # ISO date
    thumbnail: str | None = None  # page 1 of the first PDF, relative to out/
    thumbnail_layout: str | None = None  # the layout of that PDF
    titles: dict[str, str] = field(default_factory=dict)  # each topic built: its title
    dsl_role: str = ""  # what the leaflet calls the DSL ("" in a manifest written before it was recorded)


@dataclass
class SchoolRecord:
    """What is known of one school: what a check or build of it found and made, and its entry in the manifest.

    ``status`` is ``built``, ``failed``, ``skipped`` (nothing to build) or ``checked`` as a check or build returns
    it; the manifest also has ``stale`` (the last build failed; the outputs of the one before are kept).
    """

    id: str
    config: str  # the school file, as labelled in messages
    status: str
    problems: list[Problem] = field(default_factory=list)
    sources: Sources | None = None  # the inputs the outputs were built from (None: never built)
    images: dict[str, FileRecord] = field(default_factory=dict)  # by workspace-relative label
    layouts: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_set: tuple[str, ...] = ()  # every topic of the workspace at the time of the build
    outputs: list[OutputRecord] = field(default_factory=list)
    facts: IndexFacts | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def error(self) -> str:
        """Why the school failed, in one line ("" unless it did)."""
        errors = self.errors
        return str(errors[0]) if errors else ("failed" if self.status in ("failed", "stale") else "")


@dataclass(frozen=True)
class LayoutRecord:
    """A layout as a build used it: where it came from, its formats and the hash of its code."""

    origin: str
    formats: tuple[str, ...]
    code: str


@dataclass(frozen=True)
class Toolchain:
    """What draws the outputs: the installed packages, this package's code, the workspace's layouts, the render
    libraries' versions and each layout; recorded in the manifest so that a build with nothing to do loads none."""

    environment: str
    package: str
    workspace_layouts: str
    libraries: str
    layouts: dict[str, LayoutRecord]


@dataclass
class Report:
    """The outcome of a check or build over many schools."""

    results: list[SchoolRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # not tied to one school (file names, layouts)
    pruned: list[str] = field(default_factory=list)  # outputs deleted by --prune

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def all_problems(self) -> list[Problem]:
        """Every problem once, in file order."""
        return sorted({*self.problems, *(p for r in self.results for p in r.problems)})

    @property
    def failed(self) -> bool:
        return any(not p.warning for p in self.all_problems)


STATES = ("current", "missing", "stale", "failed", "orphaned")


@dataclass(frozen=True)
class Freshness:
    """Whether a school's outputs match its inputs: state is one of STATES, with the reason in words;
    ``topics``: when only some topics' content changed, those topics (their outputs alone need building);
    ``touched``: files found unchanged although their time changed (path: new time), which a build may note in
    the manifest so as not to read them again."""

    id: str
    config: str
    state: str
    reason: str = ""
    topics: tuple[str, ...] = ()
    touched: dict[str, int] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        return self.state == "current"

    def __str__(self) -> str:
        return f"{self.state:<9} {self.id}" + (f": {self.reason}" if self.reason else "")


def to_json(value: Any) -> Any:
    """A record (or anything made of records, lists, tuples and dicts) as JSON values: a record is an object of
    its fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(kind: type[R], value: Any) -> R:
    """The record of type ``kind`` that ``to_json`` made ``value`` of; ValueError when ``value`` has another
    shape (a missing or unknown field, a value of the wrong type)."""
    return _reader(kind)(value)


_READERS: dict[Any, Callable[[Any], Any]] = {}  # made once per type


def _reader(hint: Any) -> Callable[[Any], Any]:
    """A function that reads a JSON value as the type ``hint`` names, checking its shape."""
    if hint not in _READERS:
        _READERS[hint] = _made_reader(hint)
    return _READERS[hint]


def _made_reader(hint: Any) -> Callable[[Any], Any]:
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return _record_reader(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_reader(argument) for argument in arguments if argument is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot read {hint}: only X | None is supported")
        some = options[0]
        return lambda value: None if value is None else some(value)
    if origin is list or (origin is tuple and arguments[1:] == (...,)):
        item = _reader(arguments[0])
        return lambda value: origin(map(item, _expect(value, list)))
    if origin is dict and arguments[0] is str:
        entry = _reader(arguments[1])
        return lambda value: {_expect(key, str): entry(item) for key, item in _expect(value, dict).items()}
    if hint in (str, int, bool):
        return lambda value: _expect(value, hint)
    if hint is float:
        return lambda value: float(_expect(value, (int, float)))
    raise TypeError(f"cannot read {hint}")


def _record_reader(kind: Any) -> Callable[[Any], Any]:
    """A function that reads a JSON object as the record ``kind``: each field by its type; one with a default may
    be left out."""
    hints = typing.get_type_hints(kind)
    readers = {f.name: _reader(hints[f.name]) for f in dataclasses.fields(kind)}

    def read(value: Any) -> Any:
        unknown = set(_expect(value, dict)) - set(readers)
        if unknown:
            raise ValueError(f"unknown fields {sorted(unknown)} for {kind.__name__}")
        try:
            return kind(**{name: readers[name](item) for name, item in value.items()})
        except TypeError as exc:  # a field without a default is missing
            raise ValueError(str(exc)) from None

    return read


def _expect(value: Any, kind: type | tuple[type, ...]) -> Any:
    """``value`` if it is a ``kind`` (never a bool for a number); ValueError otherwise."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"expected {kind}, not {type(value).__name__}")
    return value
