"""Tagged PDF (PDF/UA-1): the checker, the structure tree and its reading order, metadata, bookmarks and links."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO, layered_workspace
from marked_content import read_page
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from factsheet_builder.check import check_school
from factsheet_builder.project import open_project
from factsheet_builder.render import pdf
from factsheet_builder.render.tagging import Tag, tag
from factsheet_builder.workspace import Workspace

LAYOUTS = ("leaflet", "poster", "large-print")
SCHOOL = "st-aidans-primary"


def render(root: Path, school_id: str, layout: str) -> bytes:
    """The PDF of one school in one layout, rendered as the build renders it."""
    project = open_project(Workspace(root), (school_id,), (layout,))
    config, sheets, problems = check_school(project, project.schools[0], (layout,))
    assert sheets is not None, problems
    sheet = sheets["cse"]
    drawing = project.registry[layout](config.layout_options.get(layout))
    return drawing.render("pdf", sheet, drawing.fit(sheet)).data, sheet


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """St Aidan's in every layout, and the poster of a team with photos, as files."""
    folder = tmp_path_factory.mktemp("tagged")
    photos = layered_workspace("layouts-photos", folder / "photos", with_example_schools=True)
    jobs = {layout: (REPO, SCHOOL, layout) for layout in LAYOUTS} | {"photos": (photos, "photo-primary", "poster")}
    out = {}
    for name, job in jobs.items():
        data, sheet = render(*job)
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        out[name] = (path, sheet)
    return out


def marked_text(path: Path) -> tuple[dict[tuple[int, int], str], list[str]]:
    """The text of each marked-content sequence, by (page index, MCID), and the texts drawn as artifacts; every
    piece of text is marked, and marked content nests with text objects."""
    by_mcid: dict[tuple[int, int], str] = {}
    artifacts: list[str] = []
    with pikepdf.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            read = read_page(page)
            assert read.problems == [], f"page {index + 1}: {read.problems[:3]}"
            by_mcid.update(((index, mcid), text) for mcid, text in read.texts.items())
            artifacts += read.artifacts
    return by_mcid, artifacts


def walk(path: Path, pdf: pikepdf.Pdf | None = None) -> list[tuple[int, str, pikepdf.Dictionary, str]]:
    """The structure tree depth first: (depth, type, element, its own text in content order, a link's in it
    included); the elements stay readable while ``pdf``, the file opened by the caller, is open."""
    texts, _ = marked_text(path)
    pdf = pdf or pikepdf.open(path)
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    out: list = []

    def own_text(element: pikepdf.Dictionary) -> tuple[str, list[pikepdf.Dictionary]]:
        page = pages.get(element.Pg.objgen) if "/Pg" in element else None
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        own, children = "", []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                own += texts.get((pages[kid.Pg.objgen], int(kid.MCID)), "")
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                continue
            elif isinstance(kid, pikepdf.Dictionary):
                children.append(kid)
                if kid.S == "/Link":
                    own += own_text(kid)[0]
            else:
                own += texts.get((page, int(kid)), "")
        return own, children

    def visit(element: pikepdf.Dictionary, depth: int) -> None:
        own, children = own_text(element)
        out.append((depth, str(element.S)[1:], element, " ".join(own.split())))
        for child in children:
            visit(child, depth + 1)

    visit(pdf.Root.StructTreeRoot.K, 0)
    return out


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("name", [*LAYOUTS, "photos"])
def test_every_layout_passes_the_pdfua_checker_without_findings(rendered, name: str) -> None:
    from pdfua import validate

    report = validate(str(rendered[name][0]))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    skipped = [(outcome.rule_id, outcome.skipped_reason) for outcome in report.outcomes if outcome.skipped_reason]
    assert skipped == []


@pytest.mark.parametrize("name", [*LAYOUTS, "photos"])
def test_only_the_running_footer_and_page_numbers_are_artifacts(rendered, name: str) -> None:
    path, sheet = rendered[name]
    texts, artifacts = marked_text(path)
    decoration = flat(" ".join(artifacts))
    for fact in sheet.footer.split(" · ") if name != "large-print" else ():
        decoration = decoration.replace(flat(fact), "")
    decoration = " ".join(
        word for word in decoration.replace("·", " ").split() if word not in ("Page", "of") and not word.isdigit()
    )
    assert decoration == ""
    assert texts, "no tagged text at all"


@pytest.mark.parametrize("name", [*LAYOUTS, "photos"])
def test_the_review_date_and_content_version_are_read_once_at_the_end(rendered, name: str) -> None:
    path, sheet = rendered[name]
    school, review, version = (flat(part) for part in sheet.footer.split(" · "))
    texts = [flat(text) for _, _, _, text in walk(path) if text]
    assert [text for text in texts if review in text] == [texts[-1]]
    assert texts[-1].startswith(school) and texts[-1].endswith(version)


@pytest.mark.parametrize("name", [*LAYOUTS, "photos"])
def test_every_marked_sequence_belongs_to_one_element_of_the_tree(rendered, name: str) -> None:
    path = rendered[name][0]
    texts, _ = marked_text(path)
    pdf = pikepdf.open(path)
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    keys = [int(page.StructParents) for page in pdf.pages]
    assert len(set(keys)) == len(keys)
    for index, key in enumerate(keys):
        elements = parents[key]
        assert {mcid for page_index, mcid in texts if page_index == index} <= set(range(len(elements)))
        for element in elements:
            assert element.Type == "/StructElem"
    assert sorted(parents) == list(range(int(pdf.Root.StructTreeRoot.ParentTreeNextKey)))


def test_the_leaflet_reads_title_then_who_to_talk_to_then_the_sections_in_order(rendered) -> None:
    path, sheet = rendered["leaflet"]
    tree = walk(path)
    assert tree[0][:2] == (0, "Document")
    headings = [(kind, text) for _, kind, _, text in tree if kind in ("H1", "H2")]
    assert headings == [
        ("H1", sheet.title),
        ("H2", sheet.panel_heading),
        *(("H2", flat(section.heading)) for section in sheet.sections),
    ]
    top = [kind for depth, kind, _, _ in tree if depth == 1]
    assert top[:7] == ["H1", "P", "P", "Figure", "P", "H2", "P"] and top[7] == "Table"
    kinds = {kind for _, kind, _, _ in tree}
    assert {"L", "LI", "Lbl", "LBody", "BlockQuote", "Table", "TR", "TH", "TD", "Figure", "Link"} <= kinds


def test_the_contacts_panel_is_a_table_headed_by_role_and_agency(rendered) -> None:
    path, sheet = rendered["leaflet"]
    document = pikepdf.open(path)
    tree = walk(path, document)
    rows = []
    for index, (depth, kind, _element, _) in enumerate(tree):
        if kind == "TR":
            cells = []
            for d, k, e, t in tree[index + 1 :]:
                if d <= depth:
                    break
                if d == depth + 1:
                    cells.append((k, t, e))
            rows.append(cells)
    headers = [cells[0][1] for cells in rows]
    assert headers == [*(person.role for person in sheet.panel_people), *(agency.label for agency in sheet.agencies)]
    for cells in rows:
        kind, _, header = cells[0]
        assert kind == "TH" and header.A.O == "/Table" and header.A.Scope == "/Row"
        assert [k for k, _, _ in cells] == ["TH", "TD"]  # every row two cells: a regular table
    for cells, person in zip(rows, sheet.panel_people):  # the name, phone and email are the row's one data cell
        details = " ".join(filter(None, [person.name, flat(person.phone or ""), person.email]))
        assert [text for _, text, _ in cells] == [person.role, details]


def test_the_poster_reads_team_agencies_steps_and_signs_with_photos_described(rendered) -> None:
    path, sheet = rendered["photos"]
    document = pikepdf.open(path)
    tree = walk(path, document)
    headings = [(kind, text) for _, kind, _, text in tree if kind in ("H1", "H2")]
    assert headings[:2] == [("H1", sheet.poster.heading), ("H2", sheet.panel_heading)]
    assert len(headings) == 4
    alts = [str(element.Alt) for _, kind, element, _ in tree if kind == "Figure"]
    assert alts == [f"Photo of {person.name}" for person in sheet.people if person.photo]
    steps = [text for _, kind, _, text in tree if kind == "Lbl" and text.isdigit()]
    assert steps == [str(n) for n in range(1, len(sheet.poster.steps.items) + 1)]


def test_large_print_lists_bullets_as_list_items_with_labels(rendered) -> None:
    tree = walk(rendered["large-print"][0])
    items = [index for index, (_, kind, _, _) in enumerate(tree) if kind == "LI"]
    assert items
    for index in items:
        depth = tree[index][0]
        assert [kind for d, kind, _, _ in tree[index + 1 : index + 3] if d == depth + 1] == ["Lbl", "LBody"]
        assert tree[index + 1][3] == "•"


@pytest.mark.parametrize("name", LAYOUTS)
def test_metadata_declares_title_language_and_pdfua(rendered, name: str) -> None:
    path, sheet = rendered[name]
    pdf = pikepdf.open(path)
    assert pdf.Root.MarkInfo.Marked is True
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.Root.Lang) == "en-GB"
    with pdf.open_metadata() as xmp:
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == str(pdf.docinfo.Title)
    assert sheet.school_name in str(pdf.docinfo.Title)


@pytest.mark.parametrize("name", LAYOUTS)
def test_bookmarks_are_the_headings_under_the_title(rendered, name: str) -> None:
    path = rendered[name][0]
    pdf = pikepdf.open(path)
    headings = [(text, element.Pg.objgen) for _, kind, element, text in walk(path, pdf) if kind in ("H1", "H2")]
    with pdf.open_outline() as outline:
        (title,) = outline.root
        entries = [title, *title.children]
        assert [(entry.title, entry.destination[0].objgen) for entry in entries] == headings
    assert pdf.Root.PageMode == "/UseOutlines"


def test_links_are_link_elements_tied_to_annotations_that_describe_them(rendered) -> None:
    path = rendered["leaflet"][0]
    pdf = pikepdf.open(path)
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    annotations = 0
    for page in pdf.pages:
        annots = list(page.obj.get("/Annots", []))
        assert (page.obj.get("/Tabs") == "/S") == bool(annots)
        for annot in annots:
            annotations += 1
            url = str(annot.A.URI)
            assert str(annot.Contents) == (f"Email {url[7:]}" if url.startswith("mailto:") else url)
            link = parents[int(annot.StructParent)]
            assert link.S == "/Link"
            kids = list(link.K) if isinstance(link.K, pikepdf.Array) else [link.K]
            assert any(
                isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" and k.Obj.objgen == annot.objgen
                for k in kids
            )
    links = [kind for _, kind, _, _ in walk(path) if kind == "Link"]
    assert annotations == len(links) >= 4
    for page in pdf.pages:  # each Link's marked content shows the address's text
        operators = [(str(op), operands) for operands, op in pikepdf.parse_content_stream(page)]
        for index, (op, operands) in enumerate(operators):
            if op == "BDC" and operands[0] == "/Link":
                end = next(i for i in range(index, len(operators)) if operators[i][0] == "EMC")
                assert any(o in ("Tj", "TJ") for o, _ in operators[index:end])


def test_links_are_underlined_so_they_do_not_differ_by_colour_alone() -> None:
    from factsheet_builder.model import Link

    markup = pdf.link_text(Link(name="NSPCC", url="https://www.nspcc.org.uk"))
    assert "<u>www.nspcc.org.uk</u>" in markup


def test_rendering_twice_gives_the_same_bytes() -> None:
    first, _ = render(REPO, SCHOOL, "leaflet")
    second, _ = render(REPO, SCHOOL, "leaflet")
    assert first == second


def _doc(frames: int) -> BaseDocTemplate:
    doc = BaseDocTemplate(None, pagesize=(200, 200), invariant=1)
    doc.addPageTemplates([PageTemplate("p", frames=[Frame(10, 10, 180, 60, id="f")])])
    return doc


def test_a_paragraph_split_across_pages_is_one_element_with_content_on_both() -> None:
    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12)
    story = [tag(Paragraph("word " * 200, style), Tag("P"))]
    data, pages = pdf.build(_doc(1), story)
    assert pages > 1
    with pikepdf.open(io.BytesIO(data)) as document:
        (paragraph,) = [document.Root.StructTreeRoot.K.K]
        kids = list(paragraph.K)
        assert kids[0] == 0
        assert {k.Pg.objgen for k in kids[1:]} == {page.objgen for page in document.pages[1:]}


def test_the_tree_reads_by_rank_then_in_drawing_order() -> None:
    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12)
    story = [
        tag(Paragraph(text, style), Tag("P", rank=rank))
        for text, rank in (("body one", 0), ("body two", 0), ("panel", -1), ("title", -2))
    ]
    data, _ = pdf.build(_doc(1), story)
    with pikepdf.open(io.BytesIO(data)) as document:
        drawn = [int(kid.K) for kid in document.Root.StructTreeRoot.K.K]
    assert drawn == [3, 2, 0, 1]  # the MCIDs, numbered in drawing order


def test_a_document_with_nothing_tagged_claims_no_structure() -> None:
    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12)
    data, _ = pdf.build(_doc(1), [Paragraph("untagged", style)])
    with pikepdf.open(io.BytesIO(data)) as document:
        assert "/StructTreeRoot" not in document.Root and "/Metadata" not in document.Root
        assert len(document.pages) == 1


def test_a_heading_at_the_foot_of_a_frame_moves_whole_to_the_next() -> None:
    """Split, a heading would be two content items (which pdfua 0.1.3's empty-heading rule cannot read) and a line
    cut off from the rest."""
    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12)
    story = [tag(Paragraph("body " * 12, style), Tag("P")), tag(Paragraph("a long heading " * 5, style), Tag("H1"))]
    data, pages = pdf.build(_doc(1), story)
    assert pages == 2
    with pikepdf.open(io.BytesIO(data)) as document:
        heading = next(kid for kid in document.Root.StructTreeRoot.K.K if kid.S == "/H1")
        assert isinstance(heading.K, int) and heading.Pg.objgen == document.pages[1].objgen
