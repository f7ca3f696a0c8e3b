"""Helpers for the tests of ``factsheet serve``: a built copy of the 'serve' fixture workspace, the school form of
a page as a person's browser would post it, and a server in a thread."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from conftest import layered_workspace

from factsheet_builder.cli import main

SCHOOL = "north-road-primary"
OTHER = "hillside-academy"


def build_fixture(dest: Path) -> Path:
    """The 'serve' fixture (two schools over the example content), built."""
    workspace = layered_workspace("serve", dest)
    result = CliRunner().invoke(main, ["build", "-j", "1", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    return workspace


def copy_built(source: Path, dest: Path) -> Path:
    """A private copy of a built workspace, out/ included."""
    shutil.copytree(source, dest, symlinks=True)
    return dest


class _Fields(HTMLParser):
    """The fields a browser would post from a page's form of a class: inputs as they are (checkboxes if ticked)."""

    def __init__(self, form_class: str) -> None:
        super().__init__()
        self.form_class = form_class
        self.inside = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = self.form_class in found.get("class", "").split()
        elif tag == "input" and self.inside and "name" in found:
            if found.get("type") == "checkbox" and "checked" not in found:
                return
            self.fields[found["name"]] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(html: str, form_class: str = "school-form") -> dict[str, str]:
    parser = _Fields(form_class)
    parser.feed(html)
    return parser.fields
