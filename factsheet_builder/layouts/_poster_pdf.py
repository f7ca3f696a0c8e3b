"""PDF drawing of the poster layout (ReportLab): one page, fitted by choosing the largest type that fits."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from factsheet_builder.exceptions import FitError
from factsheet_builder.fonts import FontFamily
from factsheet_builder.layouts import Rendered
from factsheet_builder.layouts.poster import PAPER_MM, SCALES, Scale, arrangements, one_line_size
from factsheet_builder.model import Agency, FactSheet, Person
from factsheet_builder.render import nobreak, pdf
from factsheet_builder.render.pdf import esc

MARGIN_MM = 14  # at A3; scaled with the paper
PHOTO_RATIO = 0.8  # width to height of the box a photo is fitted into (passport proportions)
KIND = "staffroom poster"


@dataclass
class Poster:
    """The poster's blocks at one scale, top to bottom, and what each is called in a FitError."""

    scale: Scale
    blocks: list[tuple[str, Flowable]]


class Badge(Flowable):
    """A step number in a filled circle."""

    def __init__(self, text: str, diameter: float, font: str, colour) -> None:
        super().__init__()
        self.text, self.diameter, self.font, self.colour = text, diameter, font, colour

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.diameter, self.diameter

    def draw(self) -> None:
        d = self.diameter
        self.canv.setFillColor(self.colour)
        self.canv.circle(d / 2, d / 2, d / 2, stroke=0, fill=1)
        self.canv.setFillColor(colors.white)
        self.canv.setFont(self.font, d * 0.55)
        self.canv.drawCentredString(d / 2, d * 0.3, self.text)


def page_size(paper: str) -> tuple[float, float]:
    """The sheet's width and height in points."""
    w, h = PAPER_MM[paper]
    return w * mm, h * mm


def _style(sc: Scale, fonts: FontFamily, key: str, face: str = "regular", colour=None, leading: float = 1.18,
           **kw) -> ParagraphStyle:
    size = sc.pt(key)
    return ParagraphStyle(f"poster-{key}-{face}", fontName=fonts.faces[face], fontSize=size, leading=size * leading,
                          textColor=colour if colour is not None else colors.HexColor("#1a1a1a"), splitLongWords=0,
                          **kw)


def _email(text: str, style: ParagraphStyle, width: float) -> str:
    """An email address as markup, broken after the @ when it is too long for one line (never mid-word)."""
    if stringWidth(text, style.fontName, style.fontSize) <= width or "@" not in text:
        return esc(text)
    local, domain = text.split("@", 1)
    return f"{esc(local)}@<br/>{esc(domain)}"


def _grid(cells: list[list[Flowable]], columns: int, width: float, gutter: float, commands) -> Table:
    """Cells laid out ``columns`` to a row with gutters between them; ``commands(row, col)`` styles each cell."""
    cell_w = (width - gutter * (columns - 1)) / columns
    rows: list[list] = []
    style: list = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for i in range(0, len(cells), columns):
        if rows:
            rows.append([""] * (2 * columns - 1))
        row = []
        for j in range(columns):
            if j:
                row.append("")
            if i + j < len(cells):
                row.append(cells[i + j])
                style += commands(len(rows), 2 * j)
            else:
                row.append("")
        rows.append(row)
    widths = [cell_w if j % 2 == 0 else gutter for j in range(2 * columns - 1)]
    heights = [gutter if i % 2 else None for i in range(len(rows))]
    table = Table(rows, colWidths=widths, rowHeights=heights)
    style += [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    style += [cmd for r in range(len(rows)) for c in range(2 * columns - 1)
              if (r % 2 == 0 and c % 2 == 0 and rows[r][c] != "") for cmd in _padding(r, c, gutter * 0.6)]
    table.setStyle(TableStyle(style))
    return table


def _padding(r: int, c: int, pad: float) -> list:
    return [(side, (c, r), (c, r), pad) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]


def heading_size(leaflet: FactSheet, sc: Scale, fonts: FontFamily, width: float) -> float:
    """The headline's size: as large as the scale allows while it stays on one line of ``width``."""
    one_point = stringWidth(leaflet.poster.heading, fonts.faces["bold"], 1)
    return one_line_size(width, one_point, sc.pt("heading"), sc.pt("section"))


def _band(leaflet: FactSheet, sc: Scale, fonts: FontFamily, palette: pdf.Palette, width: float) -> Table:
    pad = sc.mm(8)
    white = colors.white
    size = heading_size(leaflet, sc, fonts, width - 2 * pad)
    heading = ParagraphStyle("poster-heading", parent=_style(sc, fonts, "heading", "bold", white), fontSize=size,
                             leading=size * 1.1, spaceAfter=sc.mm(2))
    kicker = Paragraph(esc(leaflet.title), _style(sc, fonts, "kicker", "bold", palette.tint, spaceAfter=sc.mm(1)))
    school = Paragraph(esc(leaflet.school_name), _style(sc, fonts, "school", "bold", white))
    rows: list[list] = [[kicker, ""], [Paragraph(esc(leaflet.poster.heading), heading), ""], [school, ""]]
    logo_w = 0.0
    if leaflet.logo:
        logo_w = sc.mm(30)
        image = pdf.logo(leaflet.logo, logo_w - sc.mm(4), logo_w - sc.mm(4))
        box = Table([[image]], colWidths=[logo_w], rowHeights=[logo_w], cornerRadii=[sc.mm(2)] * 4)
        box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), white), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        rows[2][1] = box
    table = Table(rows, colWidths=[width - logo_w - pad, logo_w + pad], cornerRadii=[sc.mm(4)] * 4)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), palette.accent),
        ("SPAN", (0, 0), (1, 0)), ("SPAN", (0, 1), (1, 1)),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (0, 0), (0, -1), pad), ("RIGHTPADDING", (-1, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, 0), pad), ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
    ]))
    return table


def _card(person: Person, sc: Scale, fonts: FontFamily, palette: pdf.Palette, width: float) -> list[Flowable]:
    """One person: role, name, phone and email, with their photo on the left when there is one."""
    photo_h = sc.pt("role") * 1.18 + sc.mm(1) + sc.pt("name") * 1.1 + sc.pt("phone") * 1.15  # role, name and phone
    photo_w = photo_h * PHOTO_RATIO
    text_w = width - (photo_w + sc.mm(5) if person.photo else 0)
    email_style = _style(sc, fonts, "email")
    text: list[Flowable] = [
        Paragraph(esc(person.role), _style(sc, fonts, "role", "bold", palette.accent, spaceAfter=sc.mm(1))),
        Paragraph(esc(person.name), _style(sc, fonts, "name", "bold", leading=1.1)),
    ]
    if person.phone:
        text.append(Paragraph(esc(nobreak(person.phone)), _style(sc, fonts, "phone", "bold", palette.accent, 1.15)))
    if person.email:
        text.append(Paragraph(_email(person.email, email_style, text_w), email_style))
    if not person.photo:
        return text
    photo = pdf.logo(person.photo, photo_w, photo_h)
    table = Table([[photo, text]], colWidths=[photo_w + sc.mm(5), text_w])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (0, 0), "LEFT"),
                               *((side, (0, 0), (-1, -1), 0) for side in
                                 ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"))]))
    return [table]


def _people(leaflet: FactSheet, sc: Scale, fonts: FontFamily, palette: pdf.Palette, width: float) -> list[Flowable]:
    gutter = sc.mm(6)
    cell_w = (width - gutter * (sc.columns - 1)) / sc.columns
    cards = [_card(p, sc, fonts, palette, cell_w - 2 * gutter * 0.6) for p in leaflet.people]
    grid = _grid(cards, sc.columns, width, gutter, lambda r, c: [
        ("BACKGROUND", (c, r), (c, r), palette.tint), ("LINEBEFORE", (c, r), (c, r), sc.mm(1.6), palette.accent),
    ])
    out: list[Flowable] = [
        Paragraph(esc(leaflet.panel_heading), _style(sc, fonts, "section", "bold", palette.accent, leading=1.1)),
        Paragraph(esc(leaflet.panel_intro), _style(sc, fonts, "intro", spaceBefore=sc.mm(1), spaceAfter=sc.mm(4))),
        grid,
    ]
    out += [Paragraph(esc(note), _style(sc, fonts, "intro", spaceBefore=sc.mm(3))) for note in leaflet.notes]
    return out


def _agency(agency: Agency, sc: Scale, fonts: FontFamily, palette: pdf.Palette, width: float) -> list[Flowable]:
    number = _style(sc, fonts, "number", "bold", leading=1.12)
    caption_size = sc.pt("caption")
    out: list[Flowable] = [Paragraph(esc(agency.label), _style(sc, fonts, "label", "bold", palette.accent,
                                                                spaceAfter=sc.mm(1)))]
    for caption, value in agency.lines:
        if "@" in value:
            style = _style(sc, fonts, "email")
            out.append(Paragraph(_email(value, style, width), style))
        elif caption:
            out.append(Paragraph(f'<font name="{fonts.faces["regular"]}" size="{caption_size:g}">{esc(caption)}'
                                 f'</font> {esc(nobreak(value))}', number))
        else:
            out.append(Paragraph(esc(nobreak(value)), number))
    return out


def _agencies(leaflet: FactSheet, sc: Scale, fonts: FontFamily, palette: pdf.Palette, width: float) -> Table:
    gutter = sc.mm(6)
    columns = sc.agency_columns
    cell_w = (width - gutter * (columns - 1)) / columns - 2 * gutter * 0.6
    cells = [_agency(a, sc, fonts, palette, cell_w) for a in leaflet.agencies]
    return _grid(cells, columns, width, gutter, lambda r, c: [("BOX", (c, r), (c, r), sc.mm(0.8), palette.accent)])


def _steps_and_signs(leaflet: FactSheet, sc: Scale, fonts: FontFamily, palette: pdf.Palette,
                     width: float) -> Table | None:
    """The steps beside the signs; either alone across the page when the topic gives the poster only one."""
    steps, signs = leaflet.poster.steps, leaflet.poster.signs
    if steps is None and signs is None:
        return None
    gutter = sc.mm(8)
    left_w = (width - gutter) * 0.52 if signs else width
    right_w = width - gutter - left_w if steps else width
    heading = _style(sc, fonts, "section", "bold", palette.accent, leading=1.1, spaceAfter=sc.mm(3))
    columns = []
    if steps:
        columns.append([Paragraph(esc(steps.heading), heading), _steps(steps.items, sc, fonts, palette, left_w)])
    if signs:
        sign = _style(sc, fonts, "sign", leading=1.2, leftIndent=sc.pt("sign") * 1.1, bulletIndent=0,
                      spaceAfter=sc.mm(1.5), bulletFontName=fonts.faces["bold"], bulletFontSize=sc.pt("sign"),
                      bulletColor=palette.accent)
        columns.append([Paragraph(esc(signs.heading), heading),
                        *(Paragraph(esc(text), sign, bulletText="•") for text in signs.items)])
    padding = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    if len(columns) == 1:
        table = Table([columns], colWidths=[width])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *padding]))
        return table
    table = Table([[columns[0], "", columns[1]]], colWidths=[left_w, gutter, right_w])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBEFORE", (2, 0), (2, 0), sc.mm(0.5), palette.accent), *padding,
                               ("LEFTPADDING", (2, 0), (2, 0), gutter / 2)]))
    return table


def _steps(items: tuple[str, ...], sc: Scale, fonts: FontFamily, palette: pdf.Palette, width: float) -> Table:
    step_style = _style(sc, fonts, "step", leading=1.22)
    badge = step_style.fontSize * 1.5
    steps = Table(
        [[Badge(str(i), badge, fonts.faces["bold"], palette.accent), Paragraph(esc(text), step_style)]
         for i, text in enumerate(items, start=1)],
        colWidths=[badge + sc.mm(3), width - badge - sc.mm(3)],
    )
    steps.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), sc.mm(3))]))
    return steps


def poster(leaflet: FactSheet, sc: Scale, fonts: FontFamily, palette: pdf.Palette) -> Poster:
    """Every block of the poster at one scale."""
    w, _ = page_size(sc.paper)
    width = w - 2 * MARGIN_MM * mm * sc.factor
    blocks = [
        ("the title band", _band(leaflet, sc, fonts, palette, width)),
        (f"the cards of the {len(leaflet.people)} people", _people(leaflet, sc, fonts, palette, width)),
        ("the agencies' numbers", _agencies(leaflet, sc, fonts, palette, width)),
    ]
    steps_and_signs = _steps_and_signs(leaflet, sc, fonts, palette, width)
    if steps_and_signs is not None:
        blocks.append(("the steps and the warning signs", steps_and_signs))
    return Poster(sc, blocks)


def _height(flowable, width: float) -> float:
    if isinstance(flowable, list):
        return sum(_height(f, width) + f.getSpaceBefore() + f.getSpaceAfter() for f in flowable)
    return flowable.wrap(width, 1e6)[1]


def frame_height(sc: Scale) -> float:
    _, h = page_size(sc.paper)
    return h - 2 * MARGIN_MM * mm * sc.factor - footer_height(sc)


def footer_height(sc: Scale) -> float:
    """The strip under the text for the footer line and its rule, with room above the rule."""
    return sc.pt("footer") * 2 + sc.mm(5)


def gap(sc: Scale) -> float:
    return sc.mm(7)


def measure(p: Poster) -> tuple[list[float], list[str]]:
    """The height of each block and the texts that do not fit their boxes."""
    w, _ = page_size(p.scale.paper)
    width = w - 2 * MARGIN_MM * mm * p.scale.factor
    heights = [_height(block, width) for _, block in p.blocks]
    return heights, pdf.too_wide([block for _, block in p.blocks])


def fit(leaflet: FactSheet, paper: str, fonts: FontFamily, palette: pdf.Palette) -> tuple[Poster, list[float]]:
    """The poster at the largest scale whose blocks fit one page; FitError naming what overflowed otherwise."""
    fonts.register()
    tried: dict[Scale, tuple[Poster, list[float], list[str], float]] = {}

    def attempt(sc: Scale) -> tuple[Poster, list[float], list[str], float]:
        if sc not in tried:
            p = poster(leaflet, sc, fonts, palette)
            heights, broken = measure(p)
            tried[sc] = p, heights, broken, sum(heights) + gap(sc) * (len(heights) - 1) - frame_height(sc)
        return tried[sc]

    for columns, agency_columns in arrangements(len(leaflet.people)):
        def fits(s: float) -> bool:
            _, _, broken, excess = attempt(Scale(s, paper, columns, agency_columns))
            return not broken and excess <= 0

        s = pdf.largest_fitting(SCALES, fits)
        if s is not None:
            p, heights, _, _ = attempt(Scale(s, paper, columns, agency_columns))
            return p, heights
    p, heights, broken, excess = min(tried.values(), key=lambda t: (bool(t[2]), t[3]))  # explain the nearest miss
    if broken:
        raise FitError(f"{leaflet.school_id}: on the {paper} poster '{broken[0]}' is too long for its box even at "
                       "the smallest type the poster allows; shorten it")
    total, over = 0.0, p.blocks[-1][0]
    for (what, _), h in zip(p.blocks, heights):
        total += h
        if total > frame_height(p.scale):
            over = what
            break
        total += gap(p.scale)
    raise FitError(f"{leaflet.school_id}: the {paper} poster does not fit one page: {over} run {excess / mm:.0f} mm "
                   f"past the bottom even with names and numbers at their smallest (24 pt on A3); list fewer deputies")


def render(leaflet: FactSheet, paper: str, accent: str, fonts: FontFamily) -> Rendered:
    """The poster as a one-page PDF."""
    palette = pdf.Palette.from_accent(accent)
    p, heights = fit(leaflet, paper, fonts, palette)
    sc = p.scale
    w, h = page_size(paper)
    margin = MARGIN_MM * mm * sc.factor
    spare = frame_height(sc) - sum(heights)
    spacing = min(spare / (len(heights) - 1), gap(sc) * 3)  # spread spare room between the blocks, within reason
    story: list[Flowable] = []
    for i, (_, block) in enumerate(p.blocks):
        if i:
            story.append(Spacer(1, spacing))
        story.extend(block if isinstance(block, list) else [block])
    footer = _style(sc, fonts, "footer", colour=palette.muted)
    footer_para = Paragraph(esc(leaflet.footer), footer)

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(palette.accent)
        canvas.setLineWidth(sc.mm(0.4))
        top = margin + sc.pt("footer") * 1.6
        canvas.line(margin, top, w - margin, top)
        footer_para.wrapOn(canvas, w - 2 * margin, footer_height(sc))
        footer_para.drawOn(canvas, margin, margin)
        canvas.restoreState()

    frame = Frame(margin, margin + footer_height(sc), w - 2 * margin, frame_height(sc), leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="poster")
    doc = BaseDocTemplate(None, pagesize=(w, h), leftMargin=margin, rightMargin=margin, topMargin=margin,
                          bottomMargin=margin, invariant=1)
    doc.addPageTemplates([PageTemplate("poster", frames=[frame], onPage=draw_footer)])
    pdf.metadata(doc, leaflet, KIND)
    data, pages = pdf.build(doc, story)
    if pages != 1:
        raise FitError(f"{leaflet.school_id}: the {paper} poster came to {pages} pages; it must be exactly one")
    return Rendered(data, pages)
