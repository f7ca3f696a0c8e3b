"""Benchmark of ``factsheet import``: a long roster of new schools checked (``--dry-run``) and then imported, each a
whole ``factsheet`` process as a person runs it, with the workers it starts (one per CPU).

    python bench/import_roster.py                 # 20,000 rows
    python bench/import_roster.py --rows 1000 --repeats 3

The roster is shaped like an authority's: official names of up to about 100 characters, Welsh and Polish names,
a DSL with a phone (and often an email), none to seven deputies, a CSE lead on some rows. ``bench/run.py`` runs
it too and reports it with the build's other figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
DEFAULTS = """\
authority: {name: Leeds City Council, cse_service: Leeds Child Exploitation Hub, police_force: West Yorkshire Police}
contacts:
  social_care: {phone: "0113 496 0100", out_of_hours: "0113 496 0200"}
  lado: {phone: "0113 496 0300"}
  police: {non_emergency: "101", emergency: "999"}
"""
HEADINGS = ["school", "dsl", "dsl_phone", "dsl_email", "deputies", "cse_lead"]
DEPUTIES = [0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 7]  # as many as real schools list, most often two or three
SAINTS = ["St Mary's", "St Joseph's", "Holy Trinity", "St David's", "Our Lady of Lourdes", "All Saints"]


def make_roster(root: Path, rows: int, seed: int = 4) -> Path:
    """A workspace with the repository's content and no schools yet, holding ``roster.csv`` of ``rows`` new schools."""
    from run import FIRST, KINDS, LAST, PLACES

    rng = random.Random(seed)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    (root / "schools").mkdir()
    (root / "schools" / "_defaults.yaml").write_text(DEFAULTS, "utf-8")

    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    with (root / "roster.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        for number in range(rows):
            name = f"{rng.choice(PLACES)} {rng.choice(KINDS)} {number}"
            if rng.random() < 0.3:  # the long official names of church schools
                name = f"{rng.choice(SAINTS)} {name} and Nursery, {rng.choice(PLACES)}"
            team = list(dict.fromkeys(person() for _ in range(12)))  # no one named twice in a row
            dsl, deputies = team[0], team[1 : 1 + rng.choice(DEPUTIES)]
            email = f"{address(dsl)}@school{number}.leeds.sch.uk" if rng.random() < 0.6 else ""
            cse_lead = team[-1] if rng.random() < 0.3 and len(team) > 1 + len(deputies) else ""
            phone = f"0113 496 {rng.randrange(1000):04d}"
            writer.writerow([name, dsl, phone, email, "; ".join(deputies), cse_lead])
    return root


def address(name: str) -> str:
    """A person's name as the first part of their email address: ``Siân Ap Rhys`` -> ``sian.aprhys``."""
    first, _, last = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().partition(" ")
    return f"{re.sub('[^a-z]', '', first)}.{re.sub('[^a-z]', '', last)}"


class Figures(NamedTuple):
    """Medians of the repeats: wall and CPU seconds (the command's and its workers') of the dry run and the import."""

    dry_wall: float
    dry_cpu: float
    wall: float
    cpu: float


def measure(root: Path, rows: int, repeats: int = 1) -> Figures:
    """The dry run, then the import itself, each ``repeats`` times on the same roster (the schools written by an
    import removed before the next)."""
    from run import run

    roster = make_roster(root, rows)
    dry = [run(["import", "roster.csv", "--dry-run"], roster) for _ in range(repeats)]
    real = []
    for _ in range(repeats):
        for written in (roster / "schools").glob("*.yaml"):
            if written.name != "_defaults.yaml":
                written.unlink()
        real.append(run(["import", "roster.csv"], roster))
        made = len(list((roster / "schools").glob("*.yaml"))) - 1  # _defaults.yaml aside
        if made != rows:
            raise SystemExit(f"the import wrote {made} school files of {rows}")
    return Figures(*(statistics.median(getattr(t, name) for t in runs) for runs in (dry, real) for name in TIMES))


TIMES = ("wall", "cpu")


def summary(root: Path, rows: int, repeats: int = 1) -> str:
    """The benchmark's figures in one line."""
    found = measure(root, rows, repeats)
    return (
        f"{found.dry_wall:7.1f} s dry run (CPU {found.dry_cpu:.1f} s, {rows / found.dry_wall:.0f} rows/s), "
        f"{found.wall:.1f} s import (CPU {found.cpu:.1f} s, {rows / found.wall:.0f} rows/s); "
        f"{1000 * found.cpu / rows:.1f} ms CPU a row"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the roster (default 20,000)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each, of which the median (default 1)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="factsheet-import-bench-") as tmp:
        figures = summary(Path(tmp) / "ws", options.rows, options.repeats)
        print(f"import of {options.rows} new schools ({os.cpu_count()} CPUs): {figures}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
