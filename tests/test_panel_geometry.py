"""The "Who to talk to" panel and its kin in every layout, measured as drawn: for every count of agencies, deputies and
roles the limits allow, no glyph overlaps another run's or a rule, or leaves its page, and every table is regular;
a school whose panel leaves the rest too little room is refused by `check`, naming what does not fit."""

from __future__ import annotations

import io
import json
import random
from dataclasses import replace
from pathlib import Path

import page
import pikepdf
import pytest
from click.testing import CliRunner
from conftest import REPO
from glyphs import collisions
from realistic import OTHER_SCRIPTS, longest_email, longest_name, phone
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from test_real_schools import workspace_with

from factsheet_builder.cache import Cache
from factsheet_builder.check import check_school
from factsheet_builder.cli import main
from factsheet_builder.config.phones import format_uk
from factsheet_builder.config.schema import MAX_DEPUTIES
from factsheet_builder.exceptions import FitError
from factsheet_builder.layouts.large_print import LargePrintLayout
from factsheet_builder.layouts.large_print import pdf as large_print
from factsheet_builder.layouts.leaflet import LeafletLayout
from factsheet_builder.layouts.leaflet import panel as leaflet_panel
from factsheet_builder.layouts.leaflet.design import FORMS, INNER_W
from factsheet_builder.layouts.leaflet.panel_parts import SCALES, Arrangement
from factsheet_builder.layouts.poster import PosterLayout
from factsheet_builder.layouts.poster.blocks import compose
from factsheet_builder.layouts.poster.design import TYPE_SCALES, Scale, content_width, gap
from factsheet_builder.model import Agency, FactSheet, Person
from factsheet_builder.project import open_project
from factsheet_builder.render import pdf
from factsheet_builder.workspace import Workspace

MAX_AGENCIES, MAX_ROLES = 10, 6  # a topic's limits (topics.py)
ROLES = [
    "Designated lead person for CSE",
    "Designated teacher for looked-after children",
    "Safeguarding governor",
    "Online safety lead",
    "Senior mental health lead",
    "Prevent lead",
]
AGENCIES = [
    "Children’s Social Care",
    "Out of hours",
    "Northumbria Police",
    "Local Authority Designated Officer (LADO)",
    "Children and Young People’s Service Front Door (Multi-Agency Safeguarding Hub)",
    "NSPCC Helpline",
    "Childline",
    "CEOP",
    "Early Help Locality Team North",
    "Missing from Home Coordinator",
]
# (agencies, deputies, roles a person holds, roles left empty whose note is printed): every count of each at least
# once, the biggest teams with the most agencies
CASES = [
    (1, 0, 0, 1),
    (2, 1, 1, 0),
    (3, 2, 0, 2),
    (4, 3, 2, 1),
    (5, 4, 1, 3),
    (6, 5, 3, 0),
    (7, 6, 0, 6),
    (8, 7, 6, 0),
    (9, 8, 1, 0),
    (10, 8, 6, 0),
]


@pytest.fixture(scope="module")
def base() -> FactSheet:
    """St Aidan's fact sheet, whose team and agencies each case replaces."""
    project = open_project(Workspace(REPO), ("st-aidans-primary",))
    _, sheets, problems = check_school(project, project.schools[0])
    assert sheets is not None, problems
    return sheets["cse"]


def agencies(count: int, rng: random.Random) -> tuple[Agency, ...]:
    """``count`` agencies of one to four lines: numbers with and without captions, an email, a web address."""
    found = []
    for index in range(count):
        lines: list[tuple[str, str]] = [("", format_uk(phone(rng)) or "")]
        if index % 3 == 1:
            lines += [("Non-emergency", "101"), ("Emergency", "999")]
        if index % 4 == 3:
            lines += [("", "lado.referrals.and.allegations@northumberland-and-newcastle.gov.uk")]
        if index % 5 == 4:
            lines += [("Out of hours", format_uk(phone(rng)) or ""), ("", "www.safeguarding-partnership.org.uk/report")]
        found.append(Agency(AGENCIES[index], tuple(lines[:4])))
    return tuple(found)


def people(deputies: int, roles: int, rng: random.Random, capitals: bool) -> tuple[Person, ...]:
    """The DSL, ``deputies`` and ``roles`` more, each with an 80-character name (in capitals, or another script),
    a phone and an 80-character address; a deputy in three with a name alone, set compactly."""
    found = []
    for index, role in enumerate(["Designated Safeguarding Lead (DSL)", *["Deputy DSL"] * deputies, *ROLES[:roles]]):
        name = longest_name(rng) if index % 4 else rng.choice(OTHER_SCRIPTS)
        name = name.upper() if capitals else name
        if role == "Deputy DSL" and index % 3 == 2:
            found.append(Person(role, name))
        else:
            found.append(Person(role, name, format_uk(phone(rng)), longest_email(rng, name, "stteresaandstmary")))
    return tuple(found)


def case_sheet(base: FactSheet, case: tuple[int, int, int, int], capitals: bool = False) -> FactSheet:
    count, deputies, roles, notes = case
    rng = random.Random(sum(case) * 7 + capitals)
    team = people(deputies, roles, rng, capitals)
    return replace(
        base,
        people=team,
        deputies=deputies,
        notes=tuple(f"Our DSL is also the {role[0].lower()}{role[1:]}." for role in ROLES[roles : roles + notes]),
        agencies=agencies(count, rng),
    )


def drawn(flowables: list[Flowable], width: float) -> bytes:
    """``flowables`` drawn on one tall page ``width`` wide (with a margin), tagged as the layouts draw them."""
    height = 14000.0
    doc = BaseDocTemplate(None, pagesize=(width + 40, height + 40), invariant=1)
    frame = Frame(20, 20, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("tall", frames=[frame])])
    data, pages = pdf.build(doc, flowables)
    assert pages == 1
    return data


def row_widths(data: bytes | Path) -> list[list[int]]:
    """The width of each row of each table in the structure tree, in columns: its cells' ColSpans and the columns
    cells of the rows above hold with their RowSpans."""
    tables = []
    with pikepdf.open(data if isinstance(data, Path) else io.BytesIO(data)) as document:

        def kids(element) -> list:
            found = element.get("/K")
            found = list(found) if isinstance(found, pikepdf.Array) else [found]
            return [kid for kid in found if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]

        def visit(element) -> None:
            if element.get("/S") == "/Table":
                widths, held = [], []  # held: the rows still to come that each column of a RowSpan covers
                for row in (kid for kid in kids(element) if kid.S == "/TR"):
                    width = sum(1 for rows in held if rows > 0)
                    held = [rows - 1 for rows in held if rows > 1]
                    for cell in kids(row):
                        attributes = cell.get("/A", {})
                        span = int(attributes.get("/ColSpan", 1))
                        width += span
                        held += [int(attributes.get("/RowSpan", 1)) - 1] * span
                    widths.append(width)
                tables.append(widths)
            for kid in kids(element):
                visit(kid)

        visit(document.Root.StructTreeRoot)
    return tables


def assert_regular(data: bytes | Path) -> None:
    tables = row_widths(data)
    assert tables and all(len(set(widths)) == 1 for widths in tables), tables


@pytest.mark.parametrize("capitals", [False, True], ids=["names", "capitals"])
@pytest.mark.parametrize("case", CASES, ids=[f"{a}-agencies-{d}-deputies-{r}+{n}-roles" for a, d, r, n in CASES])
def test_the_leaflet_panel_draws_any_team_and_agencies_without_overlap(base, case, capitals) -> None:
    sheet = case_sheet(base, case, capitals)
    layout = LeafletLayout()
    found = leaflet_panel.panel(sheet, layout.fonts, layout.palette, INNER_W)
    data = drawn([found.table], INNER_W)
    assert collisions(data) == []
    assert_regular(data)


@pytest.mark.parametrize("case", CASES, ids=[f"{a}-agencies-{d}-deputies-{r}+{n}-roles" for a, d, r, n in CASES])
def test_the_leaflet_panel_measured_from_its_rows_is_as_tall_as_its_table(base, case) -> None:
    """The panel's height, summed from its rows measured on their own (the head and agencies once for every school),
    is the drawn table's in every arrangement: the body is fitted beside that height."""
    layout, cache = LeafletLayout(), Cache()
    for capitals in (False, True):
        sheet = case_sheet(base, case, capitals)
        for form, tight in (*((form, False) for form in FORMS), ("stacked", True), ("wide", True)):
            for scale in SCALES:
                found = leaflet_panel.Panel(
                    sheet, Arrangement(form, scale, tight), layout.fonts, layout.palette, INNER_W, cache
                )
                assert found.height == pytest.approx(found.table.wrap(INNER_W, 1e6)[1], abs=1e-6), (form, scale, tight)


@pytest.mark.parametrize("columns", [1, 2], ids=["one-card-a-row", "two-cards-a-row"])
@pytest.mark.parametrize("case", CASES[::3] + CASES[-1:], ids=lambda c: f"{c[0]}-agencies-{c[1]}-deputies")
def test_the_poster_team_and_agencies_draw_without_overlap_at_the_smallest_type(base, case, columns) -> None:
    sheet = case_sheet(base, case, capitals=True)
    layout = PosterLayout()
    poster = compose(sheet, Scale(TYPE_SCALES[-1], "A3", columns, 4), layout.fonts, layout.palette)
    blocks: list[Flowable] = []
    for _, block in poster.blocks:  # as the poster stacks them: the least gap between two
        blocks += [*(block if isinstance(block, list) else [block]), Spacer(1, gap(poster.scale))]
    data = drawn(blocks, content_width(poster.scale))
    assert collisions(data) == []
    assert_regular(data)


@pytest.mark.parametrize("form", ["two", "one", "dense"])
@pytest.mark.parametrize("case", CASES[1::3] + CASES[-1:], ids=lambda c: f"{c[0]}-agencies-{c[1]}-deputies")
def test_the_large_print_panel_draws_without_overlap_in_every_form(base, case, form) -> None:
    sheet = case_sheet(base, case)
    layout = LargePrintLayout()
    width = 170 * 72 / 25.4
    found = large_print.arranged(sheet, layout.fonts, 16.0, layout.palette, width, form)
    if found is None:  # two a row: not for a small team, nor for names too wide for half the page
        return
    data = drawn(found, width)
    assert collisions(data) == []
    assert_regular(data)


@pytest.mark.parametrize("case", [(4, MAX_DEPUTIES, 1, 0), (6, 5, 0, 1), (10, 2, 1, 5), (10, MAX_DEPUTIES, 6, 0)])
def test_every_layout_draws_the_school_without_overlap_or_check_refuses_it(base, case, tmp_path: Path) -> None:
    """Whole documents: what fits is drawn with nothing overlapping, on the layout's pages, its tables regular to
    a PDF/UA-1 checker; what does not fit is a FitError that `check` reports (the biggest team with six roles and
    ten agencies leaves the leaflet's text no room)."""
    sheet = case_sheet(base, case, capitals=True)
    for layout in (LeafletLayout(), PosterLayout(), LargePrintLayout()):
        try:
            fit = layout.fit(sheet)  # as check and a build do: what does not fit is never drawn
        except FitError as exc:
            assert layout.name != "large-print" and exc.message, layout.name
            continue
        rendered = layout.render("pdf", sheet, fit)
        assert rendered.pages is not None and rendered.pages <= (layout.pages or rendered.pages)
        path = tmp_path / f"{layout.name}.pdf"
        path.write_bytes(rendered.data)
        assert collisions(path) == [], layout.name
        report = page.validate_pdf(str(path), profile="ua1")
        assert not {f.rule_id for f in report.failures} & {
            "PDFUA1-TABLE-ROW-COLUMNSPAN-001",
            "PDFUA1-TABLE-COLUMN-ROWSPAN-001",
        }, layout.name
        assert_regular(path)


def test_check_blames_a_topic_too_long_for_two_pages_not_the_team(tmp_path: Path) -> None:
    """A topic whose text would not fit two pages even beside a panel of the DSL alone: the error names the topic,
    not the DSL's longest value."""
    dsl = {"name": "Jane Smith", "phone": "0191 498 0123", "email": "jane.smith.safeguarding.lead@st-aidans.example"}
    workspace = workspace_with(
        tmp_path, {"small-team": {"school": {"name": "St Aidan's"}, "safeguarding": {"dsl": dsl}}}
    )
    content = workspace / "content/cse.yaml"
    paragraph = "Keep a written record of what you saw and heard, in the words used, and sign and date it. " * 25
    more = "".join(f"      - paragraph: {paragraph.strip()}\n" for _ in range(12))
    text = content.read_text("utf-8").replace(
        "\ncontacts_panel:", f"\n  - id: records\n    heading: Keeping records\n    blocks:\n{more}\ncontacts_panel:", 1
    )
    content.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["check", "--layout", "leaflet", "-C", str(workspace)])
    assert result.exit_code == 1
    assert (
        "schools/small-team.yaml: the text of topic 'cse' is too long for two pages even at 9.5 pt, whatever the "
        "team; shorten its sections"
    ) in result.output


def test_check_blames_a_team_too_big_for_the_leaflet_at_its_longest_value(tmp_path: Path) -> None:
    """A topic of six roles, every one held, beside eight deputies, each with an 80-character name in capitals and
    an 80-character address: no room for the leaflet's text, and the error is at the longest value's line."""
    content = REPO / "content/cse.yaml"
    roles = "".join(
        f"  - key: safeguarding.role_{index}\n    label: {label}\n" for index, label in enumerate(ROLES, start=1)
    )
    rng = random.Random(5)
    members = [
        {"name": name, "phone": phone(rng), "email": longest_email(rng, name, "stteresaandstmary")}
        for name in (longest_name(rng).upper() for _ in range(1 + MAX_DEPUTIES + len(ROLES)))
    ]
    safeguarding = {"dsl": members[0], "deputies": members[1 : 1 + MAX_DEPUTIES]}
    safeguarding |= {f"role_{index}": member for index, member in enumerate(members[1 + MAX_DEPUTIES :], start=1)}
    workspace = workspace_with(tmp_path, {"big-team": {"school": {"name": "St Aidan's"}, "safeguarding": safeguarding}})
    text = content.read_text("utf-8")
    start, end = text.index("\nroles:\n"), text.index("\n# The numbers the panel lists")
    (workspace / "content/cse.yaml").write_text(f"{text[:start]}\nroles:\n{roles}{text[end:]}", "utf-8")
    result = CliRunner().invoke(main, ["check", "--layout", "leaflet", "-C", str(workspace)])
    assert result.exit_code == 1
    longest = max((value for member in members for value in (member["name"], member["email"])), key=len)
    line = next(
        number
        for number, source in enumerate((workspace / "schools/big-team.yaml").read_text("utf-8").splitlines(), 1)
        if json.dumps(longest, ensure_ascii=False) in source
    )
    problems = [line for line in result.output.splitlines() if line.startswith("schools/")]
    assert len(problems) == 1 and problems[0].startswith(f"schools/big-team.yaml:{line}: safeguarding."), problems
    assert (
        "the 'Who to talk to' panel needs" in problems[0]
        and f"for the team of {len(members)}, which leaves the leaflet's text too little room even at 9.5 pt; list "
        f"fewer people or shorten the longest names or email addresses, such as '{longest}'"
        in problems[0]
    )
