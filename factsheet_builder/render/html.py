"""HTML building blocks shared by the layouts' web pages: the Jinja2 templates of ``templates/html/`` (autoescaped),
the colours a page may use, links for addresses and numbers, pictures as data: URIs, and the content sections.

A layout's ``html.py`` calls ``page`` with its template, which extends ``page.html.j2`` and takes the team, the
agencies and the sections from ``blocks.html.j2``. Every value is escaped, so config and content text is always
shown as text, never read as markup. The page is self-contained: its CSS is inside it, its pictures are data: URIs,
it runs no script and loads nothing.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from factsheet_builder.images import Picture
from factsheet_builder.render import ADDRESS, link_target
from factsheet_builder.render.palette import WHITE, Palette, contrast

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from factsheet_builder.model import FactSheet, Section

TEMPLATES = "templates/html"
AA = 4.5  # WCAG AA contrast for normal text
DARKER = 0.05  # each step a too-light accent is mixed with black until it reads
PHONE = re.compile(r"\+?\d[\d ]*\d")  # a value that is a phone number and nothing else: 101, 0191 277 2500
NOT_DIALLED = re.compile(r"fax\b", re.IGNORECASE)  # a number under this caption is shown, not made a tel: link
NARROW = 30  # ems of the reader's default type: below this width (480 px) a table's rows become cards
PICTURES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}  # what images.check_image lets through


@dataclass(frozen=True)
class Style:
    """What a layout sets of its page's look: its root type size on screen (% of the reader's own default), its
    widest line, and its type size (points) and paper in print."""

    scale: float
    measure: str
    print_size: float
    paper: str = "A4"

    @property
    def narrow(self) -> str:
        """The window width below which tables become cards: 30 of the reader's ems, in the layout's type."""
        return f"{round(NARROW * self.scale / 100, 2):g}rem"


@dataclass(frozen=True)
class Colours:
    """A page's colours as CSS values; the accent made dark enough to read as text on white and on the tint, and
    for white text on it (WCAG AA), whatever the layout's accent option says."""

    accent: str
    tint: str
    ink: str
    muted: str


def page(layout: str, sheet: FactSheet, palette: Palette, style: Style, **values: Any) -> bytes:
    """The ``layout``'s page for ``sheet`` (``templates/html/<layout>.html.j2``) in UTF-8; the template gets the
    sheet, the layout's name, style and colours, the logo as a data: URI (or None) and ``values``."""
    logo = data_uri(sheet.logo) if sheet.logo else None
    template = environment().get_template(f"{layout}.html.j2")
    text = template.render(sheet=sheet, layout=layout, style=style, colours=colours(palette), logo=logo, **values)
    return text.encode("utf-8")


@lru_cache(maxsize=16)
def sections(content: tuple[Section, ...]) -> Markup:
    """The content sections as HTML: each an ``h2`` and its blocks; written once for each content (most schools
    of an authority share it)."""
    from markupsafe import Markup

    return Markup(environment().get_template("sections.html.j2").render(sections=content))


@lru_cache(maxsize=32)
def colours(palette: Palette) -> Colours:
    """The CSS colours of ``palette``, its accent darkened in small steps until it meets WCAG AA against white and
    against its own tint (the panel's background)."""
    accent, share = palette.accent, 0.0
    while True:
        shade = Palette.from_accent(accent.hex)
        if min(contrast(shade.accent, WHITE), contrast(shade.accent, shade.tint)) >= AA:
            return Colours(shade.accent.hex, shade.tint.hex, palette.ink.hex, palette.muted.hex)
        share += DARKER
        accent = palette.accent.darkened(share)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the page templates: autoescaped, undefined names an error, with the filters
    ``linked``, ``phone``, ``email``, ``contact`` and ``data_uri``."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("factsheet_builder", TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        auto_reload=False,
    )
    env.filters.update(linked=linked, phone=phone, email=email, contact=contact, data_uri=data_uri)
    return env


def linked(text: str) -> Markup:
    """``text`` escaped, each email and web address in it a link (``mailto:`` for an email)."""
    from markupsafe import Markup, escape

    parts, start = [], 0
    for found in ADDRESS.finditer(text):
        parts += [escape(text[start : found.start()]), _link(link_target(found.group()), found.group())]
        start = found.end()
    parts.append(escape(text[start:]))
    return Markup("").join(parts)


def phone(number: str) -> Markup:
    """A phone number as a ``tel:`` link (its digits, and a leading '+'), shown as written."""
    return _link("tel:" + re.sub(r"[^\d+]", "", number), number, "phone")


def email(address: str) -> Markup:
    """An email address as a ``mailto:`` link."""
    return _link(f"mailto:{address}", address)


def contact(value: str, caption: str = "") -> Markup:
    """An agency's or a contact line's value: a phone number (unless its caption says it is a fax) as a ``tel:``
    link, anything else with its addresses linked."""
    if PHONE.fullmatch(value) and not NOT_DIALLED.match(caption):
        return phone(value)
    return linked(value)


def _link(href: str, text: str, kind: str = "") -> Markup:
    from markupsafe import Markup

    attributes = Markup(' class="{}"').format(kind) if kind else Markup("")
    return Markup('<a href="{}"{}>{}</a>').format(href, attributes, text)


def data_uri(picture: Picture) -> str:
    """A logo or photo as a data: URI, so that the page needs no other file (it was checked to be a PNG or JPEG);
    its bytes as they were read and checked."""
    data = picture.data
    media = next((media for magic, media in PICTURES.items() if data.startswith(magic)), "application/octet-stream")
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
