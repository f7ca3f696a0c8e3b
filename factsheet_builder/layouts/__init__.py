"""Layouts: how a school's fact sheet is drawn. A layout declares itself and renders to each of its formats.

Like a Sphinx builder, a layout is a class with class-level ``name``, ``description``, ``page_size`` and
``formats`` (names of :mod:`factsheet_builder.formats`), its own ``options`` (declared with the config field
types) and one ``render_<format>`` hook per format. A layout fits a school's sheet first (``fit =
layout.fit(sheet)``, a value: what it measured) and draws each format from that fit (``layout.render(fmt, sheet,
fit)``), so it keeps nothing of one school between calls. The registry in :mod:`factsheet_builder.layouts.registry`
finds them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar, cast

from factsheet_builder.cache import Cache
from factsheet_builder.config.fields import INVALID, Checker, Colour, Field
from factsheet_builder.config.yamlfile import Scalar
from factsheet_builder.exceptions import FactsheetError, FitError, LayoutError
from factsheet_builder.fonts import LIBERATION_SANS, FontFamily
from factsheet_builder.formats import FORMATS
from factsheet_builder.model import FactSheet
from factsheet_builder.render.palette import WHITE, Palette, contrast
from factsheet_builder.render.palette import Colour as RGB

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # goes into file names and config keys
RESERVED = ("all",)  # means every layout on the command line
DEFAULT_ACCENT = "#1d4f91"  # a dark blue: 8.5:1 against white

FitT = TypeVar("FitT")  # what a layout measured of one sheet before drawing it


class AccentColour(Colour):
    """A layout's accent colour: dark enough for white text on it and for text in it on white paper."""

    MIN_CONTRAST = 4.5  # WCAG AA for normal text

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        value = super().parse(text, node, path, checker)
        if value is INVALID:
            return value
        ratio = contrast_with_white(value)
        if ratio < self.MIN_CONTRAST:
            return checker.error(
                node,
                path,
                f"'{text}' is too light to read against white (contrast {math.floor(ratio * 100) / 100:.2f}:1, "
                f"needs at least {self.MIN_CONTRAST:g}:1); choose a darker colour such as '#1d4f91'",
            )
        return value


def contrast_with_white(hex_colour: str) -> float:
    """The WCAG contrast ratio of a #rrggbb colour against white."""
    return contrast(RGB.from_hex(hex_colour), WHITE)


@dataclass(frozen=True)
class Rendered:
    """One rendered file: its bytes and, where known, its page count."""

    data: bytes
    pages: int | None = None


class Layout(Generic[FitT]):
    """Base class of every layout; ``FitT`` is the type of its fit (None for a layout that measures nothing)."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    page_size: ClassVar[str] = "A4"
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx")  # names in factsheet_builder.formats.FORMATS
    pages: ClassVar[int | None] = 2  # the most pages the PDF may have (a short topic may need fewer), or None
    options: dict[str, Any] = {}  # on the class: each option's Field; on a layout: the values (see __init__)
    fonts: ClassVar[FontFamily] = LIBERATION_SANS
    tagged: ClassVar[bool] = (
        False  # its PDF is tagged (PDF/UA-1): all it draws is tagged or an artifact (docs/tagging.md)
    )

    def __init__(self, options: Mapping[str, Any] | None = None, cache: Cache | None = None) -> None:
        """A layout for one school, with the options its config gives (``layout_options.<name>``) over their
        defaults (the one place where options meet their defaults), and the ``cache`` of work remembered between
        builds that its drawing may use (none: work is remembered by this layout alone)."""
        self.options = {key: option.default for key, option in self.options.items()} | dict(options or {})
        self.cache = cache if cache is not None else Cache()

    @property
    def palette(self) -> Palette:
        """The colours of this school's copy, from the ``accent_colour`` option (the default accent without one)."""
        return Palette.from_accent(self.options.get("accent_colour", DEFAULT_ACCENT))

    @classmethod
    def describe_page_size(cls) -> str:
        """The page size as listed by ``factsheet layouts``."""
        return cls.page_size

    @classmethod
    def declaration_problems(cls) -> list[str]:
        """What is wrong with the class's declaration (empty when it can be registered)."""
        problems = []
        if not NAME.fullmatch(cls.name) or cls.name in RESERVED:
            problems.append(
                f"name '{cls.name}' must be lower-case letters, digits and single hyphens, and not "
                + " or ".join(f"'{r}'" for r in RESERVED)
            )
        if not cls.formats or any(fmt not in FORMATS for fmt in cls.formats):
            problems.append(f"formats {cls.formats!r} must be one or more of {', '.join(FORMATS)}")
        for fmt in cls.formats:
            hook = getattr(cls, f"render_{fmt}", None)
            if hook is getattr(Layout, f"render_{fmt}", None):
                problems.append(f"lists the format '{fmt}' but does not define render_{fmt}()")
            elif not _takes(hook, "self", "sheet", "fit"):
                problems.append(f"render_{fmt}() must take the sheet and its fit: def render_{fmt}(self, sheet, fit)")
        if not _takes(cls.fit, "self", "sheet"):
            problems.append("fit() must take the sheet alone: def fit(self, sheet)")
        if cls.pages is not None and (not isinstance(cls.pages, int) or cls.pages < 1):
            problems.append(f"pages must be a positive whole number or None, not {cls.pages!r}")
        for key, option in cls.options.items():
            if not isinstance(option, Field):
                problems.append(f"option '{key}' must be declared with a field type (Text, Colour, Number, Choice...)")
        return problems

    def fit(self, sheet: FactSheet) -> FitT:
        """What the layout measures of ``sheet`` before drawing it, given to ``render`` for each format; raises
        FitError when the school's own values (a long name, many deputies) cannot fit their boxes, without laying
        out whole pages.

        ``factsheet check`` calls it for every school, and a build once per school before it renders the formats.
        The default measures nothing (its fit is None): the fit is then only known when the layout renders.
        """
        return cast(FitT, None)

    def render(self, fmt: str, sheet: FactSheet, fit: FitT) -> Rendered:
        """Render ``sheet`` in format ``fmt`` (one of ``formats``) as ``fit``, what ``fit(sheet)`` measured; any
        failure becomes a one-line error."""
        if fmt not in self.formats:
            raise LayoutError(
                f"the '{self.name}' layout does not render {fmt.upper()} (it renders "
                f"{', '.join(f.upper() for f in self.formats)})"
            )
        try:
            result = getattr(self, f"render_{fmt}")(sheet, fit)
        except FactsheetError:
            raise
        except Exception as exc:  # layouts may be workspace code: report which layout failed, never a traceback
            raise LayoutError(
                f"{sheet.school_id}: the '{self.name}' layout failed to render {fmt.upper()}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if not isinstance(result, Rendered):
            raise LayoutError(
                f"the '{self.name}' layout's render_{fmt}() returned {type(result).__name__}, "
                "not Rendered(bytes, pages)"
            )
        problem = FORMATS[fmt].problem(result.data)
        if problem is not None:
            raise LayoutError(
                f"{sheet.school_id}: the '{self.name}' layout's render_{fmt}() returned bytes that {problem}, "
                f"so they are not {FORMATS[fmt].label}"
            )
        if FORMATS[fmt].paged and self.pages is not None and result.pages is not None and result.pages > self.pages:
            raise FitError(
                f"{sheet.school_id}: the '{self.name}' layout came to {result.pages} pages; "
                f"it must be at most {self.pages}"
            )
        return result

    def render_pdf(self, sheet: FactSheet, fit: FitT) -> Rendered:
        """The PDF of ``sheet`` as fitted; override in a layout that lists 'pdf' in ``formats``."""
        raise NotImplementedError

    def render_docx(self, sheet: FactSheet, fit: FitT) -> Rendered:
        """The DOCX of ``sheet`` as fitted; override in a layout that lists 'docx' in ``formats``."""
        raise NotImplementedError


def _takes(hook: Any, *arguments: str) -> bool:
    """Whether ``hook`` can be called with these positional arguments (a callable whose signature cannot be read
    is given the benefit of the doubt)."""
    import inspect

    try:
        inspect.signature(hook).bind(*arguments)
    except TypeError:
        return False
    except ValueError:
        return True
    return True
