"""The exceptions for expected failures: each prints one clean message and exits non-zero."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import click

MAX_FILE = 160  # the parts of a one-line message: a file's label, a field's path and the whole text
MAX_FIELD = 120
MAX_MESSAGE = 500


def clip(text: str, limit: int = 80) -> str:
    """``text`` fit for a one-line message: invisible characters written \\uXXXX, cut to ``limit`` with '…'."""
    visible = _visible(text[: limit * 2])
    return f"{visible[:limit]}…" if len(visible) > limit or len(text) > limit * 2 else visible


def _visible(text: str) -> str:
    return "".join(c if c == " " or c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def clip_middle(text: str, limit: int) -> str:
    """A long file label cut in the middle, keeping its start and its file name."""
    text = _visible(text)
    return text if len(text) <= limit else f"{text[: limit // 2 - 1]}…{text[-(limit // 2) :]}"


@dataclass(frozen=True)
class Problem:
    """One located finding about an input file: ``file:line: field: message``."""

    file: str
    line: int | None = None
    field: str | None = None
    message: str = ""
    warning: bool = False

    def __lt__(self, other: Problem) -> bool:
        """File order: by file, then line (a whole-file problem first), field and message."""
        return self._key() < other._key()

    def _key(self) -> tuple:
        return (self.file, self.line or 0, self.field or "", self.message, self.warning)

    def __str__(self) -> str:
        file = clip_middle(self.file, MAX_FILE)
        where = file if self.line is None else f"{file}:{self.line}"
        message = clip(self.message, MAX_MESSAGE)
        text = f"{where}: {clip(self.field, MAX_FIELD)}: {message}" if self.field else f"{where}: {message}"
        return f"warning: {text}" if self.warning else text


class FactsheetError(click.ClickException):
    """Root of every expected error; the CLI shows its message without a traceback."""

    exit_code = 1

    def format_message(self) -> str:
        """The message, each line at most a few hundred characters (long values are cut with '…')."""
        return "\n".join(clip(line, MAX_FILE + MAX_FIELD + MAX_MESSAGE) for line in self.message.splitlines())


class WorkspaceError(FactsheetError):
    """The folder is not a usable workspace."""


class UsageError(FactsheetError):
    """The command line names a school id or layout that does not exist."""

    exit_code = 2


class ConfigError(FactsheetError):
    """One or more inputs failed validation."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file: Any = None) -> None:
        """Print the problems one per line, in the same form as ``factsheet check`` reports them."""
        click.echo(self.format_message(), err=file is None, file=file)


class LayoutError(FactsheetError):
    """A layout could not be found, loaded or registered."""


class FitError(FactsheetError):
    """A leaflet's text cannot fit its layout's pages within the design limits.

    ``value`` is the config value that overflowed, when one did: the error is then reported at its file, line
    and field.
    """

    def __init__(self, message: str, value: str | None = None) -> None:
        super().__init__(message)
        self.value = value

    def __reduce__(self) -> tuple[type, tuple[str, str | None]]:
        return type(self), (self.message, self.value)  # keeps the value through a worker process's pipe


class BuildError(FactsheetError):
    """Some schools failed to build (the others were built)."""


class OutputError(BuildError):
    """out/ cannot be written (full or read-only disk, a file where a folder should be): no school can be built."""


class BuildInterrupted(FactsheetError):
    """The build was stopped (Ctrl-C or SIGTERM); what was built is recorded, the rest is left as it was."""

    exit_code = 130
