"""The field types of schemas: one for each kind of value (names for files, phone numbers, email addresses, dates,
choices, colours, numbers, images, web addresses), over the bases in ``base_fields``, which it offers too so that a
schema imports its whole vocabulary from here."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from factsheet_builder.config import phones
from factsheet_builder.config.base_fields import (
    INVALID,
    MAX_TEXT,
    Checker,
    Field,
    Group,
    ListOf,
    ScalarField,
    Text,
    is_valid,
    shown,
    suggest,
    too_long,
)
from factsheet_builder.config.characters import char_name
from factsheet_builder.config.written import email_problem
from factsheet_builder.config.yamlfile import Node, Scalar
from factsheet_builder.images import MAX_BYTES
from factsheet_builder.workspace import SLUG, slugify

__all__ = [  # the bases too, which schemas and layouts import from here
    "INVALID",
    "MAX_EMAIL",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_SLUG",
    "MAX_TEXT",
    "Checker",
    "Choice",
    "Colour",
    "Date",
    "Email",
    "Field",
    "Group",
    "Image",
    "ListOf",
    "Node",
    "Number",
    "Phone",
    "ScalarField",
    "Slug",
    "Text",
    "Url",
    "char_name",
    "email_problem",
    "is_valid",
    "shown",
    "suggest",
]

MAX_SLUG = 40
MAX_EMAIL = 80  # what a leaflet's contacts panel is designed to hold on one or two lines
MAX_IMAGE_BYTES = MAX_BYTES
MAX_IMAGE_PIXELS = 25_000_000
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_URL_CHARACTER = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")  # RFC 3986; anything else is written %XX
# A link's QR code is printed QR_PRINTED_MM wide (render/pdf.py's QR_SIZE; render/qr.py makes it at error
# correction level M with this quiet zone); phones read modules of MIN_QR_MODULE_MM or more.
QR_PRINTED_MM = 11
MIN_QR_MODULE_MM = 0.25
QR_BORDER = 2
# Bytes a QR code of each version (1 to 40) holds at error correction level M in byte mode (ISO/IEC 18004, table 7).
_QR_BYTES = (
    *(14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666),
    *(
        711,
        779,
        857,
        911,
        997,
        1059,
        1125,
        1190,
        1264,
        1370,
        1452,
        1538,
        1628,
        1722,
        1809,
        1911,
        1989,
        2099,
        2213,
        2331,
    ),
)


class Slug(ScalarField):
    """A short safe name used in file names: lower-case letters, digits and single hyphens."""

    noun = "name"

    def __init__(self, description: str, required: bool = False, default: Any = None) -> None:
        super().__init__(description, required, "a short name of lower-case letters, digits and hyphens", default)

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        if not SLUG.fullmatch(text):
            return checker.error(
                node,
                path,
                f"{shown(text)} is not a safe name for files; use lower-case letters, "
                f"digits and single hyphens, e.g. '{slugify(text) or 'leaflet'}'",
            )
        if len(text) > MAX_SLUG:
            return checker.error(
                node,
                path,
                f"{shown(text)} is {len(text)} characters long; the limit is {MAX_SLUG}, "
                "as it is part of every output file's name",
            )
        return text

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "type": "string", "pattern": SLUG.pattern, "maxLength": MAX_SLUG}


class Phone(ScalarField):
    """A UK phone number, printed in grouped national form; ``use`` decides which kinds of number it may be."""

    noun = "phone number"

    def __init__(
        self,
        description: str,
        required: bool = False,
        default: Any = None,
        use: str = phones.OFFICE,
        second: str = "keep the one that reaches this person or service, and leave out the other",
    ) -> None:
        super().__init__(description, required, "a UK phone number", default)
        self.use = use
        self.second = second  # what to do with a second number typed into this one's place

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        found = phones.classify(text)
        if found is None:
            both = phones.two_numbers(text)
            if both is not None:
                return checker.error(
                    node,
                    path,
                    f"{shown(text)} holds two numbers, '{both[0]}' and '{both[1]}'; it takes one: {self.second}",
                )
            return checker.error(node, path, f"{shown(text)} {phones.NOT_VALID}")
        formatted, kind = found
        problem = phones.misuse(kind, self.use, formatted)
        if problem is not None:
            return checker.error(node, path, f"{shown(text)} {problem}")
        return formatted

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "type": ["string", "integer"], "minLength": 1}


class Email(ScalarField):
    """An email address."""

    noun = "email address"

    def __init__(self, description: str, required: bool = False, default: Any = None) -> None:
        super().__init__(description, required, "an email address", default)

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        problem = email_problem(text)
        if problem is not None:
            return checker.error(node, path, f"{shown(text)} {problem}")
        if len(text) > MAX_EMAIL:
            return checker.error(node, path, too_long(text, MAX_EMAIL))
        checker.texts.append((text, path, node))
        return text

    def json_schema(self) -> dict[str, Any]:
        return {**super().json_schema(), "format": "email", "maxLength": MAX_EMAIL}


class Date(ScalarField):
    """A calendar date written YYYY-MM-DD."""

    noun = "date"

    def __init__(self, description: str, required: bool = False, default: Any = None) -> None:
        super().__init__(description, required, "a date written YYYY-MM-DD", default)

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
            return checker.error(node, path, f"{shown(text)} is not a date; write it as YYYY-MM-DD, e.g. '2027-09-01'")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return checker.error(
                node, path, f"{shown(text)} is not a real date; write it as YYYY-MM-DD, e.g. '2027-09-01'"
            )

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "type": "string", "format": "date"}


class Choice(ScalarField):
    """One of a fixed set of words."""

    def __init__(self, description: str, choices: tuple[str, ...], required: bool = False, default: Any = None) -> None:
        super().__init__(description, required, "one of " + ", ".join(f"'{c}'" for c in choices), default)
        self.choices = choices

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        if text not in self.choices:
            return checker.error(
                node, path, f"{shown(text)} is not allowed; expected {self.expects}{suggest(text, self.choices)}"
            )
        return text

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "enum": list(self.choices)}


class Colour(ScalarField):
    """A colour written #rrggbb."""

    def __init__(self, description: str, required: bool = False, default: Any = None) -> None:
        super().__init__(description, required, "a colour written #rrggbb", default)

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        if not _COLOUR.match(text):
            return checker.error(node, path, f"{shown(text)} is not a colour; expected #rrggbb, e.g. '#1d4f91'")
        return text.lower()

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "type": "string", "pattern": _COLOUR.pattern}


class Number(ScalarField):
    """A number within a range."""

    def __init__(
        self, description: str, minimum: float, maximum: float, required: bool = False, default: Any = None
    ) -> None:
        super().__init__(description, required, f"a number from {minimum:g} to {maximum:g}", default)
        self.minimum, self.maximum = minimum, maximum

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not self.minimum <= value <= self.maximum:
            return checker.error(node, path, f"{shown(text)} is not allowed; expected {self.expects}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "type": "number", "minimum": self.minimum, "maximum": self.maximum}


class Image(ScalarField):
    """A PNG or JPEG file, relative to the YAML file that names it, inside the workspace."""

    noun = "file path"

    def __init__(self, description: str, required: bool = False, default: Any = None) -> None:
        super().__init__(description, required, "the path of a PNG or JPEG file", default)

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        from factsheet_builder.images import ImageProblem, check_image

        try:
            return check_image(text, node.file, checker.workspace, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS)
        except ImageProblem as exc:
            return checker.error(node, path, f"{shown(text)} {exc}")


class Url(ScalarField):
    """A web address (https://...), printed with a QR code that a phone must be able to read (unless ``qr`` is off:
    an address that is only cited, never printed with a code)."""

    def __init__(self, description: str, required: bool = False, default: Any = None, qr: bool = True) -> None:
        super().__init__(description, required, "a web address starting https://", default)
        self.qr = qr

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s]*)?", text):
            return checker.error(
                node, path, f"{shown(text)} is not a web address; expected e.g. 'https://www.nspcc.org.uk'"
            )
        bad = next((c for c in text if not _URL_CHARACTER.fullmatch(c)), None)
        if bad is not None:
            return checker.error(
                node,
                path,
                f"{shown(text)} contains '{bad}', which a web address cannot hold as it is; "
                f"write it as '%{ord(bad):02X}'" + ("" if ord(bad) < 128 else " (in UTF-8) or copy the address again"),
            )
        modules = qr_modules(text)
        if self.qr and modules * MIN_QR_MODULE_MM > QR_PRINTED_MM:
            return checker.error(
                node,
                path,
                f"{shown(text)} is too long for its QR code: {len(text)} characters need {modules} modules a side, "
                f"{QR_PRINTED_MM / modules:.2f} mm each in the {QR_PRINTED_MM:g} mm printed, and phones need "
                f"{MIN_QR_MODULE_MM} mm or more; give a shorter address to the same page",
            )
        return text

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "type": "string", "format": "uri"}


def qr_modules(url: str) -> int:
    """How many modules a side the QR code of ``url`` has at most, with its quiet zone (as render/qr.py makes it):
    the smallest version whose byte capacity holds it, from the standard's table (no encoder loaded to check; an
    address too long for any version counts as one more)."""
    size = len(url.encode("utf-8"))
    version = next((v for v, capacity in enumerate(_QR_BYTES, start=1) if size <= capacity), len(_QR_BYTES) + 1)
    return 17 + 4 * version + 2 * QR_BORDER
