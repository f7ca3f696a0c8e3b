"""out/index.html: one self-contained page listing every school of the manifest, to browse and search the leaflets.

It reads only the manifest's records (the build writes each school's thumbnail), so it can be written again at
any time from them."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from factsheet_builder import __version__
from factsheet_builder.formats import FORMATS
from factsheet_builder.output import LOCK, write_atomic
from factsheet_builder.records import IndexFacts, SchoolRecord

INDEX = "index.html"
TEMPLATE_DIR, TEMPLATE = "templates", "index.html.j2"
HEAD_BYTES = 1024  # where the page records the digest of what it shows (in a meta element near the top)
STATUS_ORDER = {"failed": 0, "stale": 1, "built": 2}  # problems first: they are what someone must act on
FORMAT_ORDER = {name: order for order, name in enumerate(FORMATS)}  # to print, to edit, to read on screen
# Letters that NFKD does not split into a base letter and an accent, and curly apostrophes: what search finds them by
LETTERS = {
    "ł": "l",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
}
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
    dsl_role: str  # what the school's leaflet calls the DSL ("" when not recorded)
    review_date: str
    status: str
    error: str
    config: str
    thumbnail: str | None
    thumbnail_layout: str | None  # None in a manifest written before the layout was recorded
    topics: dict[str, dict[str, list[FileLink]]]  # the files by topic, then layout

    @property
    def search(self) -> str:
        """The text the search box matches: school name, DSL name and id."""
        return fold(" ".join(filter(None, (self.name, self.dsl, self.id))))


def fold(text: str) -> str:
    """Text as the search compares it: lower case, without accents, apostrophes straight (the page's script does the
    same), so that "sian" finds "Siân" and "lucja" finds "Łucja"."""
    if text.isascii():  # most names: nothing to strip or replace (and stripping is slow, a character at a time)
        return text.lower()
    letters = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in letters if not unicodedata.category(c).startswith("M")).translate(_LETTERS)


def write_index(out_dir: Path, schools: Mapping[str, SchoolRecord]) -> Path:
    """Write out/index.html listing ``schools`` (the manifest's records by id), unless the page there already shows
    exactly that (as after an edit of a phone number, which the page does not show); its path."""
    path = out_dir / INDEX
    shown = _digest(out_dir, schools)
    if _shown_by(path) == shown:
        return path
    rows = index_rows(out_dir, schools)
    counts = {status: sum(r.status == status for r in rows) for status in STATUS_ORDER}
    known = {topic: title for entry in schools.values() if entry.facts for topic, title in entry.facts.titles.items()}
    titles = {topic: known.get(topic, topic) for topic in sorted({topic for row in rows for topic in row.topics})}
    roles = sorted({row.dsl_role for row in rows if row.dsl_role})
    # the column is headed with the leaflets' own word for the role; schools that differ (Wales beside England,
    # say) each show theirs under the name
    heading = roles[0] if len(roles) == 1 else "Designated person" if roles else "DSL"
    html = _template().render(
        rows=rows, counts=counts, letters=LETTERS, titles=titles, shown=shown, dsl_heading=heading, mixed=len(roles) > 1
    )
    write_atomic(path, html.encode("utf-8"), out_dir / LOCK)
    return path


def index_rows(out_dir: Path, schools: Mapping[str, SchoolRecord]) -> list[Row]:
    """Each school as the page lists it, problems first, then by name."""
    return sorted(
        (_row(out_dir, school_id, entry) for school_id, entry in schools.items()),
        key=lambda r: (STATUS_ORDER.get(r.status, 0), fold(r.name), r.id),
    )


def _digest(out_dir: Path, schools: Mapping[str, SchoolRecord]) -> str:
    """A hash of everything the page is made from (each school's shown values and which of its files are there) and
    of how it is made (this module, the template, the package's version): when it is unchanged, so is the page,
    and the page is not made again to find out."""
    here = Path(__file__)
    shown = [
        (
            school_id,
            entry.status,
            entry.error,
            entry.config,
            None if entry.facts is None else _facts(out_dir, entry.facts),
            [
                (o.topic, o.layout, o.format, o.path, o.pages, os.path.isfile(f"{out_dir}/{o.path}"))
                for o in entry.outputs
            ],
        )
        for school_id, entry in sorted(schools.items())
    ]
    made_by = here.read_bytes() + (here.parent / TEMPLATE_DIR / TEMPLATE).read_bytes()
    return hashlib.sha256(repr((__version__, shown)).encode("utf-8") + made_by).hexdigest()


def _facts(out_dir: Path, facts: IndexFacts) -> tuple:
    thumbnail = facts.thumbnail
    return (
        facts.school,
        facts.dsl,
        facts.dsl_role,
        facts.review_date,
        thumbnail,
        facts.thumbnail_layout,
        facts.titles,
        thumbnail is not None and os.path.isfile(f"{out_dir}/{thumbnail}"),
    )


def _shown_by(path: Path) -> str | None:
    """The digest an index page written by this module records in its head, if ``path`` is one."""
    try:
        with open(path, "rb") as page:
            head = page.read(HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    found = re.search(r'<meta name="factsheet-index" content="([0-9a-f]{64})">', head)
    return found.group(1) if found else None


def _row(out_dir: Path, school_id: str, entry: SchoolRecord) -> Row:
    topics: dict[str, dict[str, list[FileLink]]] = {}
    for output in entry.outputs:
        topics.setdefault(output.topic, {}).setdefault(output.layout, []).append(
            FileLink(output.format, quote(output.path), os.path.isfile(f"{out_dir}/{output.path}"), output.pages)
        )
    for layouts in topics.values():
        for files in layouts.values():
            files.sort(key=lambda f: FORMAT_ORDER.get(f.format, len(FORMAT_ORDER)))
    facts = entry.facts
    thumbnail = facts.thumbnail if facts else None
    return Row(
        id=school_id,
        name=facts.school if facts and facts.school else school_id,
        dsl=facts.dsl if facts else "",
        dsl_role=facts.dsl_role if facts else "",
        review_date=_date(facts.review_date if facts else None),
        status=entry.status,
        error=entry.error,
        config=entry.config,
        thumbnail=quote(thumbnail) if thumbnail and os.path.isfile(f"{out_dir}/{thumbnail}") else None,
        thumbnail_layout=facts.thumbnail_layout if facts else None,
        topics=topics,
    )


def _date(value: str | None) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader

    env = Environment(
        loader=PackageLoader("factsheet_builder", TEMPLATE_DIR), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    return env.get_template(TEMPLATE)
