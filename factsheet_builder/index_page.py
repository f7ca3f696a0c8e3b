"""out/index.html: one self-contained page listing every school of the manifest, to browse and search the leaflets."""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from functools import lru_cache
import json
from pathlib import Path
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from factsheet_builder.manifest import MANIFEST
from factsheet_builder.output import write_atomic

if TYPE_CHECKING:
    from factsheet_builder.model import FactSheet

INDEX = "index.html"
STATUS_ORDER = {"failed": 0, "stale": 1, "built": 2}  # problems first: they are what someone must act on
FORMAT_ORDER = {"pdf": 0, "docx": 1}  # the file to print, then the one to edit
# Letters that NFKD does not split into a base letter and an accent, and curly apostrophes: what search finds them by
LETTERS = {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h",
           "ŧ": "t", "\u2018": "'", "\u2019": "'", "\u02bc": "'"}
_LETTERS = str.maketrans(LETTERS)


@dataclass(frozen=True)
class FileLink:
    """One output as the page links it: its format, relative address, and whether the file is there."""

    format: str
    href: str
    exists: bool
    pages: int | None


@dataclass(frozen=True)
class Row:
    """One school as the page lists it."""

    id: str
    name: str
    dsl: str
    review_date: str
    status: str
    error: str
    config: str
    thumbnail: str | None
    thumbnail_layout: str | None  # None in a manifest written before the layout was recorded
    layouts: dict[str, list[FileLink]]

    @property
    def search(self) -> str:
        """The text the search box matches: school name, DSL name and id."""
        return fold(" ".join(filter(None, (self.name, self.dsl, self.id))))


def fold(text: str) -> str:
    """Text as the search compares it: lower case, without accents, apostrophes straight (the page's script does the
    same), so that "sian" finds "Siân" and "lucja" finds "Łucja"."""
    letters = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in letters if not unicodedata.category(c).startswith("M")).translate(_LETTERS)


def summary(leaflet: FactSheet, out_dir: Path, pdfs: dict[str, bytes]) -> dict[str, str]:
    """What the index shows of a school just built, for its manifest entry; writes the thumbnail: page 1 of the
    first of ``pdfs`` (layout name to PDF)."""
    values = {
        "school": leaflet.school_name,
        "dsl": leaflet.people[0].name,  # merge() lists the DSL first
        "review_date": leaflet.review_date.isoformat(),
    }
    if pdfs:
        from factsheet_builder.preview import write_thumbnail

        layout, pdf = next(iter(pdfs.items()))
        values["thumbnail"] = write_thumbnail(out_dir, leaflet.school_id, pdf)
        values["thumbnail_layout"] = layout
    return values


def write_index(out_dir: Path) -> Path:
    """Write out/index.html from out/manifest.json; its path."""
    try:
        schools = json.loads((out_dir / MANIFEST).read_text("utf-8")).get("schools", {})
    except (OSError, ValueError):
        schools = {}
    rows = sorted((_row(out_dir, school_id, entry) for school_id, entry in schools.items()),
                  key=lambda r: (STATUS_ORDER.get(r.status, 0), fold(r.name), r.id))
    counts = {status: sum(r.status == status for r in rows) for status in STATUS_ORDER}
    html = _template().render(rows=rows, counts=counts, letters=LETTERS)
    path = out_dir / INDEX
    write_atomic(path, html.encode("utf-8"))
    return path


def _row(out_dir: Path, school_id: str, entry: dict[str, Any]) -> Row:
    layouts: dict[str, list[FileLink]] = {}
    for output in entry.get("outputs", []):
        layouts.setdefault(output["layout"], []).append(FileLink(
            output["format"], quote(output["path"]), (out_dir / output["path"]).is_file(), output.get("pages")))
    for files in layouts.values():
        files.sort(key=lambda f: FORMAT_ORDER.get(f.format, len(FORMAT_ORDER)))
    thumbnail = entry.get("thumbnail")
    return Row(
        id=school_id,
        name=entry.get("school") or school_id,
        dsl=entry.get("dsl", ""),
        review_date=_date(entry.get("review_date")),
        status=entry.get("status", "failed"),
        error=entry.get("error", ""),
        config=entry.get("config", ""),
        thumbnail=quote(thumbnail) if thumbnail and (out_dir / thumbnail).is_file() else None,
        thumbnail_layout=entry.get("thumbnail_layout"),
        layouts=layouts,
    )


def _date(value: str | None) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("factsheet_builder", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("index.html.j2")
