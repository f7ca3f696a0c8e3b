"""Allow ``python -m factsheet_builder``."""

from __future__ import annotations

from factsheet_builder.cli import run

run()
