"""The exceptions for expected failures: each prints one clean message and exits non-zero."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import click


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
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"warning: {text}" if self.warning else text


class FactsheetError(click.ClickException):
    """Root of every expected error; the CLI shows its message without a traceback."""

    exit_code = 1


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


class BuildError(FactsheetError):
    """Some schools failed to build (the others were built)."""


class BuildInterrupted(FactsheetError):
    """The build was stopped (Ctrl-C or SIGTERM); what was built is recorded, the rest is left as it was."""

    exit_code = 130
