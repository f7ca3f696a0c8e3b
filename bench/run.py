"""Benchmark of the batch build, on synthetic schools in a temporary workspace.

    python bench/run.py                      # 500 schools, then 5,000 for peak memory
    python bench/run.py --schools 200 --rss-schools 0 --repeats 3
    python bench/run.py --against ../before/.venv/bin/python   # this code and another, timed in turn

With --against, only the comparison is run: the Python given imports another checkout (with its own venv), and
each measurement is taken of both codes in turn, on copies of the same schools, so that the machine's load
weighs on each alike; it prints one Markdown table, for a commit message. Without it, it prints one Markdown
table of the figures with their targets: docs/performance.md holds the last one.

Prints the full build's wall time and leaflets per second (a PDF, a DOCX and a web page make one leaflet) with --jobs 1 and
--jobs 2, the no-op rebuild, a rebuild after one school changed (its DSL's phone number, with the per-content work
remembered in out/.cache.json and without it; its DSL's name, which the index page shows), Save to new preview in
`factsheet serve` (bench/serve_save.py), `factsheet import` of a roster of new schools, dry run and import
(bench/import_roster.py, --import-rows N, default 2000), and a single school's cold build (each a whole `factsheet` process, as a
person runs an installed copy: with Python's compiled bytecode, even if PYTHONDONTWRITEBYTECODE is set here),
peak memory, and the cost of one leaflet against a floor measured in the same run: a bare ReportLab two-page PDF plus a bare python-docx document of the same text, with no
validation, templating or hashing; and what the leaflet's HTML adds to a full build's CPU time per school, from
full builds of the same schools with and without it, alternated (--html-schools N, default 100). Times are medians of repeats; the ratios matter more than the numbers, since
a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

import import_roster
import serve_save

REPO = Path(__file__).resolve().parent.parent
# An installed package has its bytecode compiled; without it every run compiles the package's modules again.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

AUTHORITIES = [
    ("leeds", "Leeds City Council", "Leeds Child Exploitation Hub", "West Yorkshire Police", "0113 496 0"),
    ("sheffield", "Sheffield City Council", "Sheffield Safeguarding Hub", "South Yorkshire Police", "0114 496 0"),
    (
        "cardiff",
        "Cyngor Caerdydd / Cardiff Council",
        "Cardiff Child Exploitation Team",
        "South Wales Police",
        "029 2018 0",
    ),
    ("glasgow", "Glasgow City Council", "Glasgow Child Protection Unit", "Police Scotland", "0141 496 0"),
    ("london", "London Borough of Ealing", "Ealing Missing and Exploited Team", "Metropolitan Police", "020 7946 0"),
]
PLACES = [
    "Llanfair",
    "Bryn Ŵyr",
    "Pen-y-bont",
    "Aberdâr",
    "Blaenau",
    "Kirkstall",
    "Headingley",
    "Łódź Road",
    "Hillside",
    "Riverside",
    "Oakwood",
    "Moorland",
    "Castleton",
    "Abbey",
    "Meadowbank",
    "St Ives",
    "Ynys Môn",
]
KINDS = [
    "Primary School",
    "Academy",
    "Church of England Primary School",
    "Catholic High School",
    "Ysgol Gynradd",
    "Community College",
    "Infant and Nursery School",
    "Polska Szkoła Sobotnia im. Józefa Piłsudskiego",
]
FIRST = [
    "Siân",
    "Gwenllïan",
    "Dafydd",
    "Zbigniew",
    "Małgorzata",
    "Łukasz",
    "Aoife",
    "Chloë",
    "José",
    "Priya",
    "Tomasz",
    "Rhiannon",
    "Mohammed",
    "Grace",
    "Oliver",
    "Anwen",
    "Krzysztof",
    "Ewa",
]
LAST = [
    "Jones",
    "Wiśniewski",
    "Kowalczyk",
    "Ap Rhys",
    "O'Neill",
    "Brzęczyszczykiewicz",
    "Evans",
    "Patel",
    "Smith",
    "Ó Briain",
    "Nowak",
    "Llewelyn",
    "Dąbrowska",
    "Hughes",
]


def make_workspace(root: Path, schools: int, seed: int = 1) -> Path:
    """A workspace with the repository's content and ``schools`` synthetic schools across five authorities."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    (root / "schools").mkdir()
    (root / "schools" / "_defaults.yaml").write_text(
        'contacts:\n  police: {non_emergency: "101", emergency: "999"}\n', "utf-8"
    )
    for slug, name, cse, police, prefix in AUTHORITIES:
        folder = root / "schools" / slug
        folder.mkdir()
        (folder / "_defaults.yaml").write_text(
            f'authority: {{name: "{name}", cse_service: "{cse}", police_force: "{police}"}}\n'
            f'contacts:\n  social_care: {{phone: "{prefix}100", out_of_hours: "{prefix}200"}}\n'
            f'  lado: {{phone: "{prefix}300"}}\n',
            "utf-8",
        )
    for i in range(schools):
        slug, _, _, _, prefix = AUTHORITIES[i % len(AUTHORITIES)]
        school = f"{rng.choice(PLACES)} {rng.choice(KINDS)}"

        def person() -> str:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            return f'{{name: "{first} {last}", phone: "{prefix}{rng.randrange(400, 1000):03d}"}}'

        deputies = "".join(f"\n    - {person()}" for _ in range(rng.randrange(4)))
        text = f'school: {{name: "{school} {i}"}}\nsafeguarding:\n  dsl: {person()}\n'
        if deputies:
            text += f"  deputies:{deputies}\n"
        (root / "schools" / slug / f"school-{i:05d}.yaml").write_text(text, "utf-8")
    return root


class Timing(NamedTuple):
    """One whole ``factsheet`` process: wall seconds, CPU seconds (its own and its workers'), the largest single
    process's peak RSS and the peak memory of the whole process tree (KiB)."""

    wall: float
    cpu: float
    rss: int
    tree: int


def run(args: list[str], cwd: Path, python: str = sys.executable) -> Timing:
    """``factsheet ARGS`` run by ``python`` (which imports this checkout, or another) in ``cwd``, timed."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [python, "-m", "factsheet_builder", *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=ENV
        )
        done, tree_peak = threading.Event(), [0]
        sampler = threading.Thread(target=_sample_tree, args=(process.pid, done, tree_peak), daemon=True)
        sampler.start()
        _, status, rusage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        if process.returncode:
            errors.seek(0)
            raise SystemExit(f"factsheet {' '.join(args)} failed:\n{errors.read().decode()}")
    cpu = rusage.ru_utime + rusage.ru_stime  # with the workers it waited for
    return Timing(wall, cpu, rusage.ru_maxrss, max(tree_peak[0], rusage.ru_maxrss))


def _sample_tree(pid: int, done: threading.Event, peak: list[int]) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], sum(_pss(p) for p in _tree(pid)))
        done.wait(0.05)


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child in handle.read().split():
                    pids.extend(_tree(int(child)))
    except OSError:
        pass
    return pids


def _pss(pid: int) -> int:
    """A process's proportional set size (KiB): its share of pages shared with its forked workers, so that the
    sum over the tree is the memory the build really uses."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


def median_run(args: list[str], cwd: Path, repeats: int, before=None) -> float:
    times = []
    for i in range(repeats):
        if before:
            before(i)
        times.append(run(args, cwd).wall)
    return statistics.median(times)


def one_school(workspace: Path):
    """A function that checks, merges and renders (every format of the leaflet, in memory) one synthetic school, as
    a worker does, and that school's merged leaflet."""
    from factsheet_builder.check import check_school
    from factsheet_builder.project import open_project
    from factsheet_builder.workspace import Workspace

    project = open_project(Workspace.open(workspace))
    school = project.schools[0]

    def render():
        config, leaflets, problems = check_school(project, school)
        assert config is not None and leaflets is not None, problems
        leaflet = leaflets["cse"]
        layout = project.registry["leaflet"](config.layout_options.get("leaflet"))
        fit = layout.fit(leaflet)  # as a build does before it renders the formats
        return leaflet, [layout.render(fmt, leaflet, fit) for fmt in layout.formats]

    return render, render()[0]


WITHOUT_HTML = '''"""The leaflet without its web page: the bench builds it side by side with the leaflet to time the HTML."""

from factsheet_builder.layouts.leaflet import LeafletLayout


class LeafletWithoutHtml(LeafletLayout):
    name = "leaflet-without-html"
    formats = ("pdf", "docx")
'''


def html_cost(root: Path, schools: int, repeats: int) -> tuple[float, float]:
    """Median CPU seconds of a full `--jobs 1` build of ``schools`` schools' leaflets with their HTML and without it
    (a workspace layout that is the leaflet less its HTML), the two alternated so that the machine's load weighs on
    each alike."""
    workspace = make_workspace(root, schools, seed=3)
    (workspace / "layouts").mkdir()
    (workspace / "layouts" / "without_html.py").write_text(WITHOUT_HTML, "utf-8")
    samples: dict[str, list[float]] = {"leaflet": [], "leaflet-without-html": []}
    for _ in range(repeats):
        for layout, times in samples.items():
            shutil.rmtree(workspace / "out", ignore_errors=True)
            times.append(run(["build", "--jobs", "1", "--layout", layout], workspace).cpu)
    with_html, without = (statistics.median(times) for times in samples.values())
    return with_html, without


def floor_items(leaflet) -> list[tuple[str, str]]:
    """The leaflet's text as (kind, text): title, headings, paragraphs and bullets, in reading order."""
    items = [
        ("title", leaflet.title),
        ("p", leaflet.subtitle),
        ("h", leaflet.school_name),
        ("p", leaflet.attribution),
        ("h", leaflet.panel_heading),
        ("p", leaflet.panel_intro),
    ]
    items += [("p", " ".join(filter(None, (p.role, p.name, p.phone, p.email)))) for p in leaflet.people]
    items += [("p", " ".join([a.label, *(f"{c} {v}".strip() for c, v in a.lines)])) for a in leaflet.agencies]
    for section in leaflet.sections:
        items.append(("h", section.heading))
        for block in section.blocks:
            if block.items:
                items += [("b", item_text(item)) for item in block.items]
            else:
                items.append(("p", f"{block.text} {block.source}".strip()))
    items.append(("p", leaflet.footer))
    return items


def item_text(item) -> str:
    """A bullet, a link (name, text, address) or a contact line (label, value) as plain text."""
    if isinstance(item, str):
        return item
    if isinstance(item, tuple):
        return " ".join(item)
    return " ".join(filter(None, (item.name, item.text, item.url)))


def floor_pdf(items: list[tuple[str, str]], size: float) -> tuple[bytes, int]:
    """A bare ReportLab document of the text: sample styles, the same embedded font, one column."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    sheet = getSampleStyleSheet()
    styles = {"title": sheet["Title"], "h": sheet["Heading3"], "p": sheet["BodyText"], "b": sheet["Bullet"]}
    for style in styles.values():
        style.fontName = "LiberationSans"
    for style in (sheet["BodyText"], sheet["Bullet"]):
        style.fontSize, style.leading, style.spaceBefore = size, size * 1.15, 1
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36)
    doc.build([Paragraph(escape(text), styles[kind], bulletText="•" if kind == "b" else None) for kind, text in items])
    return buffer.getvalue(), doc.page


def floor_docx(items: list[tuple[str, str]]) -> bytes:
    """A bare python-docx document of the text: the default template, styles by name."""
    import docx

    document = docx.Document()
    for kind, text in items:
        if kind in ("title", "h"):
            document.add_heading(text, 0 if kind == "title" else 1)
        else:
            document.add_paragraph(text, style="List Bullet" if kind == "b" else None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def floor(workspace: Path, repeats: int) -> tuple[float, float, float, float]:
    """Median seconds of the bare PDF, the bare DOCX, our own leaflet (check, merge, PDF, DOCX and HTML in memory)
    of one school and its HTML alone, the four timed in turn so that the machine's load weighs on each alike."""
    from factsheet_builder.fonts import LIBERATION_SANS
    from factsheet_builder.layouts.leaflet import LeafletLayout

    LIBERATION_SANS.register()
    ours, leaflet = one_school(workspace)
    items = floor_items(leaflet)
    size = next(s for s in (10, 9.5, 9, 8.5, 8, 7.5, 7) if floor_pdf(items, s)[1] <= 2)
    page = LeafletLayout()
    fit = page.fit(leaflet)
    makers = (
        lambda: floor_pdf(items, size),
        lambda: floor_docx(items),
        ours,
        lambda: page.render("html", leaflet, fit),
    )
    samples: list[list[float]] = [[], [], [], []]
    for _ in range(max(repeats, 5) * 4):
        for make, times in zip(makers, samples):
            started = time.perf_counter()
            make()
            times.append(time.perf_counter() - started)
    pdf, docx, leaflet_time, html = (statistics.median(times) for times in samples)
    return pdf, docx, leaflet_time, html


def compare(against: str, n: int, repeats: int, changes: int, tmp: Path) -> list[str]:
    """This code and the code ``against`` imports, timed in turn on copies of the same ``n`` schools: a full build
    (--jobs 1, twice), a rebuild with nothing to do (``repeats`` times) and a rebuild after one school's DSL's
    phone changed (``changes`` times); the table's lines."""
    codes = {"before": against, "this code": sys.executable}
    spaces = {name: make_workspace(tmp / f"code-{i}", n) for i, name in enumerate(codes)}
    results: dict[str, dict[str, list[Timing]]] = {name: {} for name in codes}

    def each(label: str, args: list[str], times: int, before=None) -> None:
        for i in range(times):
            for name, python in codes.items():
                if before:
                    before(spaces[name], i)
                results[name].setdefault(label, []).append(run(args, spaces[name], python))

    def wipe(workspace: Path, i: int) -> None:
        shutil.rmtree(workspace / "out", ignore_errors=True)

    def edit(workspace: Path, i: int) -> None:
        """A new phone number for one school's DSL, never the one before."""
        school = workspace / "schools" / "leeds" / "school-00000.yaml"
        text = school.read_text("utf-8")
        phone = re.search(r'dsl: \{name: "[^"]*", phone: "([^"]*)"', text).group(1)
        number = f"{phone[:-3]}{(int(phone[-3:]) - 399 + 1) % 600 + 400:03d}"
        school.write_text(text.replace(f'phone: "{phone}"', f'phone: "{number}"', 1), "utf-8")

    each("full", ["build", "--jobs", "1"], 2, wipe)
    each("noop", ["build"], repeats)
    each("one", ["build"], changes, edit)

    def median(name: str, label: str, value) -> float:
        return statistics.median(value(t) for t in results[name][label])

    rows = [
        (f"full build of {n} schools, `--jobs 1` (wall, median of 2)", "full", lambda t: t.wall, "{:.1f} s"),
        ("CPU per leaflet in that build (PDF + DOCX, all processes)", "full", lambda t: 1000 * t.cpu / n, "{:.1f} ms"),
        (f"rebuild with nothing to do (median of {repeats})", "noop", lambda t: t.wall, "{:.3f} s"),
        (f"one school changed, fresh process (median of {changes})", "one", lambda t: t.wall, "{:.3f} s"),
        ("the same, its CPU", "one", lambda t: t.cpu, "{:.3f} s"),
    ]
    lines = ["| measurement | before | this code | change |", "| --- | ---: | ---: | ---: |"]
    for title, label, value, shown in rows:
        old, new = (median(name, label, value) for name in codes)
        lines.append(f"| {title} | {shown.format(old)} | {shown.format(new)} | {100 * (new - old) / old:+.1f} % |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=500, help="schools in the timed workspace (default 500)")
    parser.add_argument(
        "--rss-schools", type=int, default=5000, help="schools in the peak-memory workspace (default 5000; 0 to skip)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="repeats of each short measurement (default 5)")
    parser.add_argument(
        "--html-schools",
        type=int,
        default=100,
        help="schools in the workspace built with and without HTML, --repeats times each (default 100; 0 to skip)",
    )
    parser.add_argument("--saves", type=int, default=20, help="saves timed through factsheet serve (default 20)")
    parser.add_argument(
        "--import-rows",
        type=int,
        default=2000,
        help="rows of the roster of new schools timed through factsheet import (default 2000; 0 to skip)",
    )
    parser.add_argument("--against", metavar="PYTHON", help="time this code and the code PYTHON imports, in turn")
    parser.add_argument("--changes", type=int, default=10, help="one-school rebuilds timed with --against (10)")
    options = parser.parse_args()
    n = options.schools
    print(f"factsheet-builder benchmark: {n} schools, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    if options.against:
        with tempfile.TemporaryDirectory(prefix="factsheet-bench-") as tmp:
            print("\n".join(compare(options.against, n, options.repeats, options.changes, Path(tmp))))
        return
    with tempfile.TemporaryDirectory(prefix="factsheet-bench-") as tmp:
        workspace = make_workspace(Path(tmp) / "ws", n)
        rows: list[tuple[str, str]] = []
        full = {}
        for jobs in (1, 2):
            shutil.rmtree(workspace / "out", ignore_errors=True)
            wall, _, rss, tree = run(["build", "--jobs", str(jobs)], workspace)
            full[jobs] = wall
            rows.append(
                (
                    f"full build, --jobs {jobs}",
                    f"{wall:7.2f} s  {n / wall:6.1f} leaflets/s  "
                    f"peak RSS {rss / 1024:.0f} MB (all processes {tree / 1024:.0f} MB PSS)",
                )
            )
        noop = median_run(["build"], workspace, options.repeats)
        rows.append(("no-op rebuild", f"{noop:7.3f} s"))
        school = workspace / "schools" / "leeds" / "school-00000.yaml"
        original = school.read_text("utf-8")

        dsl_phone = re.search(r'dsl: \{name: "[^"]*", phone: "([^"]*)"', original).group(1)
        dsl_name = re.search(r'dsl: \{name: "([^"]*)"', original).group(1)

        def edit(i: int) -> None:
            """A new phone number for the DSL: the leaflet changes, the index page (which shows no numbers) not."""
            number = f"{dsl_phone[:-3]}{(int(dsl_phone[-3:]) - 399 + i) % 600 + 400:03d}"  # never the one before
            school.write_text(original.replace(dsl_phone, number), "utf-8")

        one = median_run(["build"], workspace, options.repeats, before=edit)
        rows.append(("one school changed (the DSL's phone)", f"{one:7.3f} s"))

        def rename(i: int) -> None:
            """A new DSL: the leaflet and the index page change."""
            school.write_text(original.replace(dsl_name, f"{dsl_name} {'Jones' if i % 2 else 'Evans'}"), "utf-8")

        renamed = median_run(["build"], workspace, options.repeats, before=rename)
        rows.append(("one school changed (the DSL's name)", f"{renamed:7.3f} s (the index page written again)"))

        def edit_and_forget(i: int) -> None:
            edit(i)
            (workspace / "out" / ".cache.json").unlink()

        unfitted = median_run(["build"], workspace, options.repeats, before=edit_and_forget)
        rows.append(
            ("one school changed, no cache", f"{unfitted:7.3f} s (body size, QR codes, font coverage worked out again)")
        )

        rows.append((f"serve: Save to new preview ({n} schools)", serve_save.summary(workspace, options.saves)))
        if options.import_rows:
            figures = import_roster.summary(Path(tmp) / "import", options.import_rows)
            rows.append((f"import of {options.import_rows} new schools", figures))

        def wipe(i: int) -> None:
            shutil.rmtree(workspace / "out", ignore_errors=True)

        cold = median_run(["build", "school-00000"], workspace, options.repeats, before=wipe)
        rows.append(("single school, cold", f"{cold:7.3f} s"))
        pdf_floor, docx_floor, leaflet, html = floor(workspace, options.repeats)
        bare = pdf_floor + docx_floor
        rows.append(
            (
                "floor: bare PDF + DOCX",
                f"{1000 * bare:7.1f} ms per leaflet (PDF {1000 * pdf_floor:.1f} ms, DOCX {1000 * docx_floor:.1f} ms)",
            )
        )
        rows.append(
            (
                "ours, one leaflet",
                f"{1000 * leaflet:7.1f} ms (check, merge, PDF, DOCX, HTML) = {leaflet / bare:.2f}x the floor",
            )
        )
        rows.append(("of which the HTML", f"{1000 * html:7.1f} ms = {100 * html / leaflet:.1f} %"))
        rows.append(
            (
                "ours, --jobs 1, all in",
                f"{1000 * full[1] / n:7.1f} ms per leaflet (hashes, files, "
                f"thumbnail, manifest) = {full[1] / n / bare:.2f}x the floor",
            )
        )
        if options.html_schools:
            with_html, without = html_cost(Path(tmp) / "html", options.html_schools, options.repeats)
            per = 1000 / options.html_schools
            rows.append(
                (
                    "the leaflet's HTML, --jobs 1",
                    f"{per * (with_html - without):7.1f} ms CPU per school = {100 * (with_html / without - 1):+.1f} % "
                    f"({per * with_html:.1f} ms with it, {per * without:.1f} ms without)",
                )
            )
        if options.rss_schools:
            big = make_workspace(Path(tmp) / "big", options.rss_schools, seed=2)
            wall, _, rss, tree = run(["build", "--jobs", "2"], big)
            rows.append(
                (
                    f"peak memory: {options.rss_schools} schools, --jobs 2",
                    f"{wall:7.1f} s  {options.rss_schools / wall:6.1f} leaflets/s  peak RSS {rss / 1024:.0f} MB "
                    f"(all processes {tree / 1024:.0f} MB PSS)",
                )
            )
            noop_big = median_run(["build"], big, options.repeats)
            rows.append((f"{options.rss_schools} schools, no-op", f"{noop_big:7.3f} s"))
    print("| measurement | measured | target |\n| --- | --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value.strip()} | {target(name)} |")


TARGETS = [  # (the start of a row's name, the target it is held to)
    ("full build, --jobs 2", "40 leaflets/s"),
    ("no-op rebuild", "under 0.3 s"),
    ("one school changed (the DSL's phone)", "at most 1.0 s"),
    ("serve: Save to new preview", "at most 0.3 s"),
    ("import of", "20,000 rows well under a minute"),
    ("ours, one leaflet", "at most 1.0x the floor"),
    ("the leaflet's HTML", "at most +5 %"),
    ("peak memory", "under 200 MB the largest process"),
]


def target(name: str) -> str:
    """The target a row of the table is held to, or "" where it has none."""
    return next((goal for start, goal in TARGETS if name.startswith(start)), "")


if __name__ == "__main__":
    main()
