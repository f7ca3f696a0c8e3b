"""The core pipeline end to end: the example workspace builds into correct two-page PDFs and DOCX files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, docx_text, libreoffice_pages, needs_libreoffice, pdf_text, squash
from pypdf import PdfReader

from factsheet_builder.check import check_school
from factsheet_builder.cli import main
from factsheet_builder.project import open_project
from factsheet_builder.workspace import Workspace

EXPECTED_SCHOOLS = {
    "benwell-and-scotswood-community-academy",
    "hexham-abbey-middle",
    "kenton-bar-primary",
    "our-lady-and-st-annes",
    "st-aidans-primary",
    "st-marys-and-st-josephs",
    "walker-riverside-academy",
    "ysgol-gwyr",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace, built once for this module through the CLI."""
    from click.testing import CliRunner
    from conftest import copy_workspace

    workspace = copy_workspace(REPO, tmp_path_factory.mktemp("built") / "ws")
    result = CliRunner().invoke(main, ["build", "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    assert "built 8, skipped 0, failed 0" in result.output
    return workspace


def leaflets(workspace: Path):
    """Each example school's merged leaflet, as the layout received it."""
    project = open_project(Workspace.open(workspace))
    for school in project.schools:
        _, sheets, problems = check_school(project, school)
        assert sheets is not None, problems
        yield school.id, sheets["cse"]


def without_footer(text: str, footer: str) -> str:
    """Squashed page text with the running footer removed, so text split across pages joins up again."""
    squashed = squash(text)
    for page in (1, 2):
        squashed = squashed.replace(squash(f"Page {page} of 2"), "")
    return squashed.replace(squash(footer), "")


def test_outputs_are_named_for_school_and_layout(built: Path) -> None:
    for school_id in EXPECTED_SCHOOLS:
        folder = built / "out" / school_id
        assert sorted(p.name for p in folder.iterdir() if p.is_file()) == [
            f"{school_id}-cse-leaflet.docx",
            f"{school_id}-cse-leaflet.html",
            f"{school_id}-cse-leaflet.pdf",
        ]


def test_manifest_lists_every_output_with_pages_and_hash(built: Path) -> None:
    import hashlib

    manifest = json.loads((built / "out" / "manifest.json").read_text("utf-8"))
    assert set(manifest["schools"]) == EXPECTED_SCHOOLS
    for _school_id, entry in manifest["schools"].items():
        assert entry["status"] == "built"
        formats = {}
        for output in entry["outputs"]:
            data = (built / "out" / output["path"]).read_bytes()
            assert output["sha256"] == hashlib.sha256(data).hexdigest()
            assert output["layout"] == "leaflet"
            formats[output["format"]] = output
        assert set(formats) == {"pdf", "docx", "html"}
        assert formats["pdf"]["pages"] == 2 and formats["html"]["pages"] is None


@pytest.mark.parametrize("school_id", sorted(EXPECTED_SCHOOLS))
def test_pdf_is_two_a4_pages_with_embedded_fonts_and_metadata(built: Path, school_id: str) -> None:
    reader = PdfReader(built / "out" / school_id / f"{school_id}-cse-leaflet.pdf")
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            assert "LiberationSans" in font["/BaseFont"]
    meta = reader.metadata
    assert meta.title.startswith("Child Sexual Exploitation")
    assert meta.author in {"Newcastle City Council", "City and County of Swansea", "Northumberland County Council"}
    assert meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


@pytest.mark.parametrize("school_id", sorted(EXPECTED_SCHOOLS))
def test_pdf_margins_are_at_least_12mm(built: Path, school_id: str) -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(built / "out" / school_id / f"{school_id}-cse-leaflet.pdf"))
    for index in range(len(pdf)):
        image = pdf[index].render(scale=100 / 72).to_pil().convert("L")
        width, height = image.size
        edge = round(12 / 25.4 * 100) - 1
        strips = [
            (0, 0, width, edge),
            (0, height - edge, width, height),
            (0, 0, edge, height),
            (width - edge, 0, width, height),
        ]
        for box in strips:
            assert image.crop(box).getextrema()[0] >= 250, f"ink within 12 mm of the edge on page {index + 1}: {box}"


def test_every_heading_bullet_name_and_number_is_in_both_files(built: Path) -> None:
    for school_id, leaflet in leaflets(built):
        folder = built / "out" / school_id
        pdf = without_footer(pdf_text(folder / f"{school_id}-cse-leaflet.pdf"), leaflet.footer)
        docx = squash(docx_text(folder / f"{school_id}-cse-leaflet.docx"))
        expected = leaflet.all_text()
        for person in leaflet.people:
            expected += [person.name, *(x for x in (person.phone, person.email) if x)]
        for text in expected:
            assert squash(text) in pdf, (school_id, text)
            assert squash(text) in docx, (school_id, text)
        assert squash(leaflet.footer) in squash(pdf_text(folder / f"{school_id}-cse-leaflet.pdf"))


def test_content_wording_and_local_names_come_through(built: Path) -> None:
    text = squash(pdf_text(built / "out" / "ysgol-gwyr" / "ysgol-gwyr-cse-leaflet.pdf"))
    for phrase in (
        "Both girls and boys can be exploited",
        "Safeguarding Fact Sheet: The National Working Group",
        "What is CSE?",
        "Risk Assessment and Consent",
        "What to do next…",
        "UK Human Trafficking Centre",
        "South Wales Police",
        "Swansea Child Exploitation Team",
        "Ysgol Gyfun Gŵyr",
        "Łucja Wąsowska",
    ):
        assert squash(phrase) in text, phrase
    assert "Northumbria" not in text and "Newcastle" not in text
    assert "Addnumberhere" not in text


def test_phone_numbers_print_in_grouped_national_form(built: Path) -> None:
    source = (REPO / "schools" / "swansea" / "ysgol-gwyr.yaml").read_text("utf-8")
    assert "+44" in source
    text = pdf_text(built / "out" / "ysgol-gwyr" / "ysgol-gwyr-cse-leaflet.pdf")
    assert "+44" not in text
    assert "01792 636000" in text  # the LADO, typed as +44 1792 636000 in swansea/_defaults.yaml
    marys = pdf_text(built / "out" / "st-marys-and-st-josephs" / "st-marys-and-st-josephs-cse-leaflet.pdf")
    assert "0191 498 0345" in marys  # typed 01914980345


def test_school_without_cse_lead_says_the_dsl_is_the_lead(built: Path) -> None:
    text = squash(pdf_text(built / "out" / "kenton-bar-primary" / "kenton-bar-primary-cse-leaflet.pdf"))
    said = squash("Our Designated Safeguarding Lead (DSL) is also the designated lead person for CSE.")
    assert said in text
    other = squash(pdf_text(built / "out" / "st-aidans-primary" / "st-aidans-primary-cse-leaflet.pdf"))
    assert said not in other


def test_config_text_is_printed_literally(built: Path) -> None:
    text = pdf_text(built / "out" / "st-marys-and-st-josephs" / "st-marys-and-st-josephs-cse-leaflet.pdf")
    assert "St Mary's & St Joseph's RC Primary School" in text
    assert "St Mary's & St Joseph's RC Primary School" in docx_text(
        built / "out" / "st-marys-and-st-josephs" / "st-marys-and-st-josephs-cse-leaflet.docx"
    )


def test_docx_uses_real_word_styles_and_a4_margins(built: Path) -> None:
    import docx

    document = docx.Document(str(built / "out" / "st-aidans-primary" / "st-aidans-primary-cse-leaflet.docx"))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "List Bullet", "Quote"} <= styles
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["Child Sexual Exploitation"]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[:4] == ["Who to talk to", "What is CSE?", "KCSIE", "Warning Signs"]
    contacts = document.tables[0]
    assert [cell.text for cell in contacts.rows[0].cells] == ["Role", "Name", "Phone", "Email"]
    assert [contacts.cell(1, i).text for i in range(4)] == [
        "Designated Safeguarding Lead (DSL)",
        "Jane Smith",
        "0191 498 0123",
        "j.smith@st-aidans.example",
    ]
    for section in document.sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert (
            min(section.left_margin.mm, section.right_margin.mm, section.top_margin.mm, section.bottom_margin.mm) >= 12
        )
    props = document.core_properties
    assert props.author in {"Newcastle City Council"} and props.title.startswith("Child Sexual Exploitation")
    assert props.language == "en-GB"


@needs_libreoffice
def test_docx_converts_to_exactly_two_pages_in_libreoffice(built: Path, tmp_path: Path) -> None:
    docs = sorted((built / "out").glob("*/*.docx"))
    assert len(docs) == len(EXPECTED_SCHOOLS)
    assert libreoffice_pages(docs, tmp_path) == {doc.stem: 2 for doc in docs}


def test_a_value_school_files_do_not_have_stops_the_build(fixture_workspace, runner) -> None:
    workspace = fixture_workspace("missing-jinja-value", with_example_schools=True)
    result = runner.invoke(main, ["build", "kenton-bar-primary", "-C", str(workspace)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "content/cse.yaml:8: subtitle: 'Both girls and boys can be exploited at {{ school.motto }}' refers to "
        "'school.motto', which school files do not have; a topic may ask for values of its own under authority and "
        "contacts, or declare a role"
    )
    assert not (workspace / "out" / "kenton-bar-primary" / "kenton-bar-primary-cse-leaflet.pdf").exists()


def test_build_of_one_school_builds_only_it(example: Path, runner) -> None:
    result = runner.invoke(main, ["build", "ysgol-gwyr", "-C", str(example)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (example / "out").iterdir()) == ["manifest.json", "ysgol-gwyr"] or {"ysgol-gwyr"} <= {
        p.name for p in (example / "out").iterdir()
    }
    built_dirs = [p.name for p in (example / "out").iterdir() if p.is_dir()]
    assert built_dirs == ["ysgol-gwyr"]


def test_not_a_workspace_is_a_clean_error(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["build", "-C", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {tmp_path.name}: not a workspace: no content/ or schools/ folder (a workspace is a folder with "
        "content/ and schools/; run 'factsheet init DIR' to create one)"
    )


def test_outputs_are_readable_by_others_as_the_umask_allows(built: Path) -> None:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    for path in [built / "out" / "manifest.json", *(built / "out").glob("*/*.pdf"), *(built / "out").glob("*/*.docx")]:
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path


def test_deputies_without_contact_details_share_a_row_so_a_large_team_fits(example: Path, runner) -> None:
    deputies = ["Tom Brown", "Karen Robson", "Helen Charlton", "Mohammed Rahman", "Christopher Hetherington"]
    (example / "schools" / "big-secondary.yaml").write_text(
        "school: {name: Big Secondary School}\n"
        "safeguarding:\n"
        "  dsl: {name: Ann Lee, phone: '0191 498 0001', email: ann.lee@big-secondary.example}\n"
        "  deputies:\n"
        + "".join(f'    - {{name: "{name}"}}\n' for name in deputies)
        + "  cse_lead: {name: Bob Lee, phone: '0191 498 0002'}\n",
        "utf-8",
    )
    result = runner.invoke(main, ["build", "big-secondary", "-j", "1", "-C", str(example)])
    assert result.exit_code == 0, result.output
    folder = example / "out" / "big-secondary"
    pdf = pdf_text(folder / "big-secondary-cse-leaflet.pdf")
    assert squash(", ".join(deputies)) in squash(pdf)
    import docx

    table = docx.Document(str(folder / "big-secondary-cse-leaflet.docx")).tables[0]
    assert [cell.text for cell in table.rows[2].cells][:2] == ["Deputy DSL", ", ".join(deputies)]
    assert [cell.text for cell in table.rows[3].cells] == [
        "Designated lead person for CSE",
        "Bob Lee",
        "0191 498 0002",
        "",
    ]
