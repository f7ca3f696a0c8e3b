"""Layouts: discovery (built-in, workspace folder, entry points), options, and the three built-in layouts' outputs."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, copy_workspace, layered_workspace, libreoffice_pages, needs_libreoffice, squash, text_sizes
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from factsheet_builder.check import check_school
from factsheet_builder.cli import main
from factsheet_builder.layouts.registry import discover
from factsheet_builder.model import FactSheet
from factsheet_builder.project import open_project
from factsheet_builder.workspace import Workspace

LAYOUTS = ("large-print", "leaflet", "poster")
PAGES = {"leaflet": 2, "poster": 1}  # large-print: as many as it needs
A3 = (842, 1191)
A4 = (595, 842)
EXAMPLE = Path(REPO / "docs" / "examples" / "layouts" / "contact_card.py")


def invoke(runner, *args: str):
    return runner.invoke(main, list(args))


# --- what each layout must print ------------------------------------------------------------------------------------


def poster_texts(sheet: FactSheet) -> list[str]:
    """The poster's subset: headline, team, agencies, steps and key signs, with the headings it borrows."""
    poster = sheet.poster
    texts = [
        sheet.title,
        poster.heading,
        sheet.school_name,
        sheet.panel_heading,
        sheet.panel_intro,
        *sheet.notes,
        sheet.footer,
    ]
    for chosen in (poster.steps, poster.signs):
        texts += [chosen.heading, *chosen.items] if chosen else []
    for person in sheet.people:
        texts += [person.role, person.name, person.phone or "", person.email or ""]
    for agency in sheet.agencies:
        texts += [agency.label, *(f"{caption} {value}".strip() for caption, value in agency.lines)]
    return [t for t in texts if t]


def expected_texts(layout: str, sheet: FactSheet) -> list[str]:
    if layout == "poster":
        return poster_texts(sheet)
    return sheet.all_text()


def sheets(workspace: Path, layout: str) -> dict[str, FactSheet]:
    """Each school's fact sheet for ``layout``, as the layout received it."""
    project = open_project(Workspace.open(workspace))
    out = {}
    for school in project.schools:
        _, sheets, problems = check_school(project, school)
        assert sheets is not None, problems
        out[school.id] = sheets["cse"]
    return out


def pdf_squashed(path: Path) -> str:
    """The PDF's text with whitespace and 'Page N of M' footers removed, so text split across pages joins up."""
    reader = PdfReader(str(path))
    total = len(reader.pages)
    text = squash("\n".join(page.extract_text() or "" for page in reader.pages))
    for n in range(1, total + 1):
        text = text.replace(squash(f"Page {n} of {total}"), "")
    return text


def docx_squashed(path: Path) -> str:
    """Every piece of text in the DOCX body (nested tables too) and its footers, whitespace removed."""
    document = Document(str(path))
    parts = [t.text or "" for t in document.element.body.iter(qn("w:t"))]
    for section in document.sections:
        parts += [t.text or "" for t in section.footer._element.iter(qn("w:t"))]
    return squash("".join(parts))


def page_size(path: Path) -> tuple[int, int]:
    box = PdfReader(str(path)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


# --- one build of every layout for the example schools and the photo fixture ----------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example workspace built once with every layout, and the photo fixture with the layouts its config names."""
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("layouts")
    example = copy_workspace(REPO, root / "example")
    photos = layered_workspace("layouts-photos", root / "photos")
    for workspace, layouts in ((example, ("--layout", "all")), (photos, ())):
        result = invoke(CliRunner(), "build", *layouts, "-C", str(workspace))
        assert result.exit_code == 0, result.output
    return {"example": example, "photos": photos}


def outputs(built: dict[str, Path], layout: str | None = None):
    """(workspace, school id, layout) for every school and layout built."""
    for workspace in built.values():
        for school_dir in sorted(p for p in (workspace / "out").iterdir() if p.is_dir()):
            for name in LAYOUTS if layout is None else (layout,):
                if output(workspace, school_dir.name, name, "pdf").exists():
                    yield workspace, school_dir.name, name


def output(workspace: Path, school_id: str, layout: str, fmt: str) -> Path:
    return workspace / "out" / school_id / f"{school_id}-cse-{layout}.{fmt}"


def test_every_layout_is_built_for_every_school_without_overwriting_another(built) -> None:
    for workspace, layouts in ((built["example"], LAYOUTS), (built["photos"], ("large-print", "poster"))):
        for school_dir in (p for p in (workspace / "out").iterdir() if p.is_dir()):
            names = sorted(p.name for p in school_dir.iterdir() if p.is_file())
            assert names == sorted(
                f"{school_dir.name}-cse-{layout}.{fmt}" for layout in layouts for fmt in ("docx", "pdf", "html")
            )
    manifest = json.loads((built["example"] / "out" / "manifest.json").read_text("utf-8"))
    entry = manifest["schools"]["st-aidans-primary"]
    assert sorted((o["topic"], o["layout"], o["format"]) for o in entry["outputs"]) == sorted(
        ("cse", layout, fmt) for layout in LAYOUTS for fmt in ("pdf", "docx", "html")
    )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pdf_and_docx_print_all_their_text_and_meet_the_page_rule(built, layout: str) -> None:
    checked = 0
    for workspace in built.values():
        for school_id, sheet in sheets(workspace, layout).items():
            if not output(workspace, school_id, layout, "pdf").exists():
                continue  # the photo fixture's config does not ask for the leaflet
            pdf, docx = output(workspace, school_id, layout, "pdf"), output(workspace, school_id, layout, "docx")
            texts = expected_texts(layout, sheet)
            pdf_text, docx_text = pdf_squashed(pdf), docx_squashed(docx)
            assert [t for t in texts if squash(t) not in pdf_text] == [], (school_id, "pdf")
            assert [t for t in texts if squash(t) not in docx_text] == [], (school_id, "docx")
            pages = len(PdfReader(str(pdf)).pages)
            assert pages == PAGES[layout] if layout in PAGES else pages >= 2, school_id
            checked += 1
    assert checked == (8 if layout == "leaflet" else 10)


def test_poster_is_one_a3_page_with_names_and_numbers_at_24_pt_or_more(built) -> None:
    for workspace in built.values():
        for school_id, sheet in sheets(workspace, "poster").items():
            pdf = output(workspace, school_id, "poster", "pdf")
            assert page_size(pdf) == A3
            wanted = {squash(v) for p in sheet.panel_people for v in (p.name, p.phone) if v}
            wanted |= {squash(v) for a in sheet.agencies for _, v in a.lines if "@" not in v}
            spans = [(squash(text), size) for text, size in text_sizes(pdf)]
            sizes = {
                value: min(size for text, size in spans if text in value and len(text) >= min(4, len(value)))
                for value in wanted
                if any(text in value for text, _ in spans)
            }  # a long name takes two lines
            assert set(sizes) == wanted, school_id
            assert min(sizes.values()) >= 24, (school_id, min(sizes.items(), key=lambda kv: kv[1]))


def test_the_full_team_fits_the_poster_with_photos(built) -> None:
    pdf = output(built["photos"], "full-house", "poster", "pdf")
    data = pdf.read_bytes()
    assert len(PdfReader(str(pdf)).pages) == 1
    assert data.count(b"/Subtype /Image") >= 5  # the five distinct photos, each embedded once
    assert "Jane Smith" in PdfReader(str(pdf)).pages[0].extract_text()


def test_large_print_meets_the_ukaaf_minimums(built) -> None:
    for school_dir in (p for p in (built["example"] / "out").iterdir() if p.is_dir()):
        pdf = output(built["example"], school_dir.name, "large-print", "pdf")
        sizes = text_sizes(pdf)
        assert min(size for _, size in sizes) >= 16, school_dir.name  # a big team's panel may go down to 16 pt
        body = [size for text, size in sizes if len(text) > 20]
        assert max(set(body), key=body.count) == 18
        reader = PdfReader(str(pdf))
        fonts = {font["/BaseFont"] for page in reader.pages for font in page["/Resources"]["/Font"].values()}
        assert fonts and not any("Italic" in str(f) for f in fonts), fonts
        total = len(reader.pages)
        for n, page in enumerate(reader.pages, start=1):
            assert page.extract_text().rstrip().endswith(f"Page {n} of {total}")
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert not re.search(r"\b[A-Z]{3,}\s+[A-Z]{3,}\b", text), "a run of words in capitals"


def lowest_text(page) -> tuple[str, float]:
    """The text drawn lowest on a PDF page, other than its page number, and its size."""
    spans: list[tuple[float, str, float]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip() and not text.strip().startswith("Page "):
            spans.append((tm[5] * cm[3] + cm[5], text.strip(), size * (tm[0] or 1)))

    page.extract_text(visitor_text=visit)
    _, text, size = min(spans)
    return text, size


def test_large_print_keeps_the_panel_on_one_page_and_no_heading_at_a_page_foot(built) -> None:
    """Every example school's "Who to talk to" panel, its team and its agencies, is on one page (under the title on
    page 1, or, when it needs a page of its own, page 2), and no page ends with a heading."""
    for school, sheet in sheets(built["example"], "large-print").items():
        reader = PdfReader(str(output(built["example"], school, "large-print", "pdf")))
        pages = [squash(page.extract_text()) for page in reader.pages]
        [home] = [n for n, text in enumerate(pages) if squash(sheet.panel_heading + sheet.panel_intro) in text]
        assert home in (0, 1), school
        wanted = [v for p in sheet.people for v in (p.role, p.name, p.phone, p.email) if v]
        wanted += [v for agency in sheet.agencies for v in (agency.label, *(value for _, value in agency.lines))]
        assert [v for v in wanted if squash(v) not in pages[home]] == [], school
        assert [n for n, text in enumerate(pages) for p in sheet.people if squash(p.name) in text] == [home] * len(
            sheet.people
        ), school
        # a heading (at 1.4 times the 18 pt body) is never the last text of a page
        assert [n for n, page in enumerate(reader.pages[:-1]) if lowest_text(page)[1] > 18.01] == [], school


def test_large_print_docx_has_no_italics_no_small_text_and_page_number_fields(built) -> None:
    docx = output(built["example"], "st-aidans-primary", "large-print", "docx")
    document = Document(str(docx))
    for style in document.styles:
        font = getattr(style, "font", None)
        if font is not None:
            assert font.italic is not True, style.name
            assert font.size is None or font.size.pt >= 18, style.name
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs and all(r.italic is not True and (r.font.size is None or r.font.size.pt >= 18) for r in runs)
    footer = document.sections[0].footer
    assert footer.paragraphs[0].text.startswith("Page ")
    assert [i.text.strip() for i in footer._element.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]


@needs_libreoffice
def test_docx_of_every_layout_has_the_right_page_count_in_libreoffice(built, tmp_path: Path) -> None:
    docs = sorted(output(ws, school, layout, "docx") for ws, school, layout in outputs(built))
    assert len(docs) == 8 * 3 + 2 * 2
    for stem, pages in libreoffice_pages(docs, tmp_path).items():
        layout = next(name for name in LAYOUTS if stem.endswith(f"-{name}"))
        if layout in PAGES:
            assert pages == PAGES[layout], stem
        else:
            assert pages >= 2, stem


# --- options and config -----------------------------------------------------------------------------------------------


def test_layouts_and_options_come_from_the_config_and_are_validated(fixture_workspace, runner) -> None:
    workspace = fixture_workspace("layouts-options")
    result = invoke(runner, "check", "-C", str(workspace))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("schools/")]
    assert lines == [
        "schools/bad-colour.yaml:7: layout_options.leaflet.accent_colour: 'navy' is not a colour; expected #rrggbb, "
        "e.g. '#1d4f91'",
        "schools/bad-key.yaml:7: layout_options.leaflet.accent_color: unknown key 'accent_color' (did you mean "
        "'accent_colour'?); allowed here: accent_colour",
        "schools/bad-paper.yaml:6: layout_options.poster.paper: 'A2' is not allowed; expected one of 'A3', 'A4'",
        # the ratio is rounded down: one just short of the bar never reads as meeting it ('4.5:1, needs 4.5:1')
        "schools/grey-large-print.yaml:7: layout_options.large-print.accent_colour: '#777777' is too light to read "
        "against white (contrast 4.47:1, needs at least 4.5:1); choose a darker colour such as '#1d4f91'",
        "schools/light-colour.yaml:7: layout_options.poster.accent_colour: '#ffcc00' is too light to read against "
        "white (contrast 1.51:1, needs at least 4.5:1); choose a darker colour such as '#1d4f91'",
        "schools/light-leaflet.yaml:7: layout_options.leaflet.accent_colour: '#ffff66' is too light to read against "
        "white (contrast 1.06:1, needs at least 4.5:1); choose a darker colour such as '#1d4f91'",
        "schools/small-print.yaml:6: layout_options.large-print.body_size: '12' is not allowed; expected a number "
        "from 16 to 28",
        "schools/unknown-layout.yaml:5: layouts[1]: 'postr' is not allowed; expected one of 'large-print', 'leaflet', "
        "'poster' (did you mean 'poster'?)",
        "schools/unknown-layout.yaml:7: layout_options.postr: unknown key 'postr' (did you mean 'poster'?); allowed "
        "here: large-print, leaflet, poster",
    ]


def test_a_school_chooses_its_layouts_and_their_options(fixture_workspace, runner) -> None:
    workspace = fixture_workspace("layouts-options")
    result = invoke(runner, "build", "a4-poster", "-C", str(workspace))
    assert result.exit_code == 0, result.output
    folder = workspace / "out" / "a4-poster"
    assert sorted(p.name for p in folder.glob("*.pdf")) == ["a4-poster-cse-large-print.pdf", "a4-poster-cse-poster.pdf"]
    poster = folder / "a4-poster-cse-poster.pdf"
    assert page_size(poster) == A4
    wanted = {"GrahamWhitfield", "01914980200"}
    sizes = [size for text, size in text_sizes(poster) if squash(text) in wanted]
    assert len(sizes) == 2 and min(sizes) >= 24 / math.sqrt(2) - 0.01
    large = text_sizes(folder / "a4-poster-cse-large-print.pdf")
    assert min(size for _, size in large) == 16
    drawing = PdfReader(str(poster)).pages[0].get_contents().get_data()
    assert b".043137 .431373 .309804 rg" in drawing  # the band in #0b6e4f, the accent set in _defaults.yaml


def test_build_all_and_an_unknown_layout(example, runner) -> None:
    result = invoke(runner, "build", "kenton-bar-primary", "--layout", "all", "-C", str(example))
    assert result.exit_code == 0, result.output
    assert len(list((example / "out" / "kenton-bar-primary").glob("*.pdf"))) == 3
    result = invoke(runner, "build", "--layout", "postr", "-C", str(example))
    assert result.exit_code == 2
    assert (
        "Unrecognised layout name: 'postr' (did you mean 'poster'?). The available layouts are: large-print, "
        "leaflet, poster, or 'all'"
    ) in result.output
    assert "Traceback" not in result.output


def long_steps(workspace: Path, count: int, repeats: int) -> None:
    """Add ``count`` steps to the poster's list, each a sentence said ``repeats`` times."""
    content = workspace / "content" / "cse.yaml"
    extra = "".join(
        f"      - {'Write down what you saw and heard (note ' + str(i) + '), in the words used, then sign it. ' * repeats}\n"
        for i in range(5, 5 + count)
    )
    content.write_text(content.read_text("utf-8").replace("  signs:\n", extra + "  signs:\n", 1), "utf-8")


def test_a_poster_that_cannot_fit_names_the_school_and_what_overflowed(fixture_workspace, runner) -> None:
    """Steps too long for the poster even beside the DSL alone: the school's poster is refused, naming the steps."""
    workspace = fixture_workspace("layouts-photos")
    long_steps(workspace, 8, 30)
    result = invoke(runner, "build", "full-house", "--layout", "poster", "-C", str(workspace))
    assert result.exit_code == 1
    assert re.search(
        r"full-house: the A3 poster does not fit one page: the steps and the warning signs run \d+ mm "
        r"past the bottom even with names and numbers at their smallest \(24 pt on A3\); shorten the topic's "
        r"poster steps and signs",
        result.output,
    ), result.output
    assert not (workspace / "out" / "full-house" / "full-house-cse-poster.pdf").exists()


def test_a_team_bigger_than_the_poster_was_designed_for_leaves_out_the_signs_before_failing(
    fixture_workspace, runner
) -> None:
    """Long steps that fit beside a small team: a team of seven is refused, naming both causes; the full house of
    ten gets its poster without the warning signs (the leaflet has them)."""
    workspace = fixture_workspace("layouts-photos")
    long_steps(workspace, 4, 20)
    school = workspace / "schools" / "full-house.yaml"
    full = school.read_text("utf-8")
    added = ("Gwenllian", "Przemysław", "Αικατερίνη")  # the deputies past the seven the poster was designed for
    school.write_text(
        "".join(line for line in full.splitlines(keepends=True) if not any(n in line for n in added)), "utf-8"
    )
    result = invoke(runner, "build", "full-house", "--layout", "poster", "-C", str(workspace))
    assert result.exit_code == 1
    assert "list fewer deputies or shorten the topic's poster steps and signs" in result.output, result.output
    school.write_text(full, "utf-8")
    result = invoke(runner, "build", "full-house", "--layout", "poster", "-C", str(workspace))
    assert result.exit_code == 0, result.output
    text = pdf_squashed(workspace / "out" / "full-house" / "full-house-cse-poster.pdf")
    assert "Worriedaboutachild?" in text and squash("Αικατερίνη") in text and "WarningSigns" not in text


# --- discovery ------------------------------------------------------------------------------------------------------


def test_factsheet_layouts_lists_the_built_in_layouts(example, runner) -> None:
    result = invoke(runner, "layouts", "-C", str(example))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["NAME", "PAGE", "SIZE", "PAGES", "FORMATS", "TAGGED", "FROM", "DESCRIPTION"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == set(LAYOUTS)
    assert re.match(
        r"poster +A3 \(or A4\) +1 +PDF, DOCX, HTML +yes +built-in +One-page staffroom poster", rows["poster"]
    )
    assert re.match(r"leaflet +A4 +2 +PDF, DOCX, HTML +yes +built-in +Two-page A4 fact sheet", rows["leaflet"])
    assert re.match(r"large-print +A4 +any +PDF, DOCX, HTML +yes +built-in +Large-print", rows["large-print"])


def test_a_workspace_layout_is_picked_up_and_broken_ones_are_warnings(fixture_workspace, runner) -> None:
    workspace = fixture_workspace("layouts-discovery", with_example_schools=True)
    result = invoke(runner, "layouts", "-C", str(workspace))
    assert result.exit_code == 0, result.output
    assert re.search(
        r"^notice +A4 +1 +PDF +no +layouts/notice\.py +A one-page notice naming the DSL$", result.output, re.M
    )
    assert re.search(r"^crashing .* layouts/crashing\.py", result.output, re.M)
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: layouts/broken.py:5: layout not loaded: NameError: name 'undefined_name' is not defined",
        "warning: layouts/misdeclared.py:6: layout Misdeclared not loaded: formats ('pdf', 'rtf') must be one or more "
        "of pdf, docx, html; lists the format 'pdf' but does not define render_pdf(); lists the format 'rtf' but does not "
        "define render_rtf()",
        "warning: layouts/outdated.py:6: layout Outdated not loaded: render_pdf() must take the sheet and its fit: "
        "def render_pdf(self, sheet, fit)",
    ]
    result = invoke(runner, "build", "kenton-bar-primary", "--layout", "notice", "-C", str(workspace))
    assert result.exit_code == 0, result.output
    assert "warning: layouts/broken.py:5: layout not loaded" in result.output
    pdf = workspace / "out" / "kenton-bar-primary" / "kenton-bar-primary-cse-notice.pdf"
    assert "Notice for staff: Kenton Bar Primary School" in PdfReader(str(pdf)).pages[0].extract_text()
    assert [p.name for p in (workspace / "out" / "kenton-bar-primary").iterdir() if p.is_file()] == [pdf.name]


def test_a_layout_that_fails_while_rendering_fails_that_school_in_one_line(fixture_workspace, runner) -> None:
    workspace = fixture_workspace("layouts-discovery", with_example_schools=True)
    result = invoke(runner, "build", "kenton-bar-primary", "--layout", "crashing", "-C", str(workspace))
    assert result.exit_code == 1
    assert (
        "kenton-bar-primary: the 'crashing' layout failed to render PDF: ZeroDivisionError: division by zero"
        in result.output
    )
    assert "Traceback" not in result.output


def test_two_layouts_with_one_name_is_an_error_naming_both(fixture_workspace, runner) -> None:
    workspace = fixture_workspace("layouts-duplicate", with_example_schools=True)
    for args in (("layouts",), ("build", "kenton-bar-primary")):
        result = invoke(runner, *args, "-C", str(workspace))
        assert result.exit_code == 1
        assert (
            "Error: two layouts are named 'poster': built-in and layouts/poster.py; rename one of them" in result.output
        )


@pytest.fixture
def installed_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny installed distribution on sys.path declaring two layouts in the entry-point group, one of them broken."""
    site = tmp_path / "site"
    (site / "stub_layouts-1.0.dist-info").mkdir(parents=True)
    (site / "stub_layouts-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: stub-layouts\nVersion: 1.0\n"
    )
    (site / "stub_layouts-1.0.dist-info" / "entry_points.txt").write_text(
        "[factsheet_builder.layouts]\nbadge = stub_layouts:BadgeLayout\nbroken = stub_layouts_broken\n"
    )
    (site / "stub_layouts.py").write_text(
        "from factsheet_builder.layouts import Layout, Rendered\n\n\n"
        "class BadgeLayout(Layout):\n"
        "    name = 'badge'\n"
        "    description = 'A name badge'\n"
        "    page_size = 'A6'\n"
        "    formats = ('pdf',)\n"
        "    pages = 1\n\n"
        "    def render_pdf(self, sheet, fit):\n"
        "        from reportlab.lib.pagesizes import A6\n"
        "        from reportlab.platypus import Paragraph, SimpleDocTemplate\n"
        "        from factsheet_builder.render import pdf\n"
        "        styles = pdf.styles(self.fonts, 10, pdf.Palette.from_accent('#1d4f91'))\n"
        "        return Rendered(*pdf.build(SimpleDocTemplate(None, pagesize=A6), [Paragraph(sheet.school_name, styles.body)]))\n"
    )
    (site / "stub_layouts_broken.py").write_text("raise ImportError('needs a missing library')\n")
    monkeypatch.syspath_prepend(str(site))
    return site


def test_installed_entry_point_layouts_are_found(installed_package: Path, example, runner) -> None:
    result = invoke(runner, "layouts", "-C", str(example))
    assert result.exit_code == 0, result.output
    assert re.search(
        r"^badge +A6 +1 +PDF +no +package stub-layouts 1\.0, entry point 'badge = stub_layouts:BadgeLayout' "
        r"+A name badge$",
        result.output,
        re.M,
    ), result.output
    assert (
        "warning: package stub-layouts 1.0, entry point 'broken = stub_layouts_broken': layout not loaded: "
        "ImportError: needs a missing library"
    ) in result.output
    result = invoke(runner, "build", "st-aidans-primary", "--layout", "badge", "-C", str(example))
    assert result.exit_code == 0, result.output
    pdf = example / "out" / "st-aidans-primary" / "st-aidans-primary-cse-badge.pdf"
    assert "St Aidan's Primary School" in PdfReader(str(pdf)).pages[0].extract_text()
    sources = discover(example / "layouts", example).sources("badge")
    assert sources[0] == (installed_package / "stub_layouts.py").resolve()  # its own code first, then the shared
    assert (REPO / "factsheet_builder" / "render" / "pdf.py").resolve() in sources


# --- the documented example ------------------------------------------------------------------------------------------


def test_the_documented_example_layout_is_the_one_in_the_docs() -> None:
    doc = (REPO / "docs" / "layouts.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert EXAMPLE.read_text("utf-8") in blocks


def test_the_documented_example_layout_builds_for_every_example_school(example, runner) -> None:
    (example / "layouts").mkdir(exist_ok=True)
    shutil.copy(EXAMPLE, example / "layouts")
    result = invoke(runner, "layouts", "-C", str(example))
    assert re.search(r"^contact-card +A5 +1 +PDF, DOCX +yes +layouts/contact_card\.py", result.output, re.M), (
        result.output
    )
    result = invoke(runner, "build", "--layout", "contact-card", "-C", str(example))
    assert result.exit_code == 0, result.output
    for school_id, sheet in sheets(example, "contact-card").items():
        pdf = output(example, school_id, "contact-card", "pdf")
        docx = output(example, school_id, "contact-card", "docx")
        assert len(PdfReader(str(pdf)).pages) == 1
        assert page_size(pdf) == (420, 595)
        texts = [sheet.school_name, sheet.panel_heading]
        texts += [v for p in sheet.people for v in (p.role, p.name, p.phone, p.email) if v]
        texts += [f"{c} {v}".strip() for a in sheet.agencies for c, v in a.lines]
        assert [t for t in texts if squash(t) not in pdf_squashed(pdf)] == [], school_id
        assert [t for t in texts if squash(t) not in docx_squashed(docx)] == [], school_id


def test_a_layout_listed_twice_is_a_located_error(example, runner) -> None:
    school = example / "schools" / "kenton-bar-primary.yaml"
    lines = school.read_text("utf-8").splitlines()
    school.write_text("\n".join([*lines, "layouts: [leaflet, poster, leaflet]"]) + "\n", "utf-8")
    result = invoke(runner, "check", "kenton-bar-primary", "-C", str(example))
    assert result.exit_code == 1
    assert (
        f"schools/kenton-bar-primary.yaml:{len(lines) + 1}: layouts[2]: 'leaflet' is listed twice; list it once"
        in result.output.splitlines()
    )


@pytest.mark.parametrize("count", [1, 2, 7, 28])
def test_first_fitting_finds_the_first_step_that_fits_from_any_hint_and_near_one_in_few_trials(count: int) -> None:
    from factsheet_builder.render.fitting import first_fitting

    for threshold in range(count + 1):  # steps from ``threshold`` on fit; count: none fits
        expected = threshold if threshold < count else None
        for hint in (None, *range(count)):
            trials: list[int] = []
            assert first_fitting(count, lambda i: trials.append(i) or i >= threshold, hint) == expected
            if hint is not None and abs(hint - threshold) <= 1 and threshold < count:
                assert len(set(trials)) <= 2 + (hint > threshold), (threshold, hint, trials)
