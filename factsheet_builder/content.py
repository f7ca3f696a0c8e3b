"""The canonical leaflet content: loading content/leaflet.yaml and rendering its Jinja2 text for one school."""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from functools import lru_cache
from pathlib import Path
import re
from typing import Any

from factsheet_builder.config import yamlfile
from factsheet_builder.config.placeholders import find_placeholder
from factsheet_builder.config.fields import Checker, Date, Group, ListOf, Node, ScalarField, Slug, Text, Url, is_valid, shown
from factsheet_builder.config.yamlfile import Map, Scalar, YamlFileError
from factsheet_builder.exceptions import ConfigError, Problem

CONTENT_FILE = "leaflet.yaml"
MAX_PROSE = 3000


@dataclass(frozen=True)
class TemplateText:
    """A piece of content text that may refer to config values with {{ ... }}; remembers where it was written."""

    source: str
    file: str
    line: int
    path: str

    def render(self, context: dict[str, Any]) -> str:
        """The text for one school; an unknown name is a located error, never a blank."""
        import jinja2

        from factsheet_builder.templating import LimitError

        if "{" not in self.source:
            return self.source
        try:
            return _environment().render(_compile(self.source), context)
        except LimitError as exc:
            raise self._error(f"{shown(self.source)} goes beyond the limits of content text: {exc}; content text "
                              "should only fill in names such as '{{ school.name }}'") from None
        except RecursionError:
            raise self._error(f"{shown(self.source)} nests or repeats itself too deeply") from None
        except jinja2.UndefinedError as exc:
            raise self._error(f"{exc.message}: {shown(self.source)} refers to a value that is not set "
                              "(see content/README.md for the names available)") from None
        except jinja2.exceptions.SecurityError as exc:
            raise self._error(f"{shown(self.source)} is not allowed in a template: {exc}") from None
        except Exception as exc:  # an expression in the text failed ({{ 1/0 }}, a filter given the wrong value...)
            raise self._error(f"{shown(self.source)} failed: {type(exc).__name__}: {' '.join(str(exc).split())}") from None

    def _error(self, message: str) -> ConfigError:
        return ConfigError([Problem(self.file, self.line, self.path, message)])


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    from factsheet_builder.templating import LimitedEnvironment

    # Sandboxed: content text may read config values, never Python internals (''.__class__...), within limits.
    return LimitedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, cache_size=2000)


@lru_cache(maxsize=4096)
def _compile(source: str):
    return _environment().from_string(source)


class Prose(ScalarField):
    """Content text: may span lines (folded to one) and use Jinja2 references to config values."""

    def __init__(self, description: str, required: bool = False) -> None:
        super().__init__(description, required, "text")

    def check(self, node: Node, path: str, checker: Checker) -> Any:
        import jinja2

        if not isinstance(node, Scalar) or not node.text.strip():
            return super().check(node, path, checker)
        text = " ".join(node.text.split())
        if find_placeholder(re.sub(r"\{\{.*?\}\}", "", text)):
            return checker.error(node, path, f"{shown(text)} contains a placeholder; replace it with the real text")
        if len(text) > MAX_PROSE:
            return checker.error(node, path, f"{shown(text, 40)} is {len(text)} characters long; the limit is {MAX_PROSE}")
        try:
            if "{" in text:  # Jinja2's syntax starts with a brace: plain text needs no compiling (a tenth of a second)
                _compile(text)
        except jinja2.TemplateSyntaxError as exc:  # also unknown filters and tests
            return checker.error(node, path, f"template error in {shown(text)}: {' '.join(str(exc.message).split())}")
        except Exception as exc:  # nested too deeply for Python's compiler, or another failure of Jinja's
            return checker.error(node, path, f"template error in {shown(text)}: it cannot be compiled "
                                             f"({type(exc).__name__}: {' '.join(str(exc).split())[:100]})")
        checker.texts.append((re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text), path, node))
        return TemplateText(text, node.file, node.line, path)


class Block(ScalarField):
    """One block of a section: a mapping with exactly one of paragraph, quote, bullets, links or contacts."""

    KINDS = {
        "paragraph": Group("A paragraph.", fields={"paragraph": Prose("The paragraph's text.", True)}),
        "quote": Group("A quotation set off as a callout.", fields={
            "quote": Prose("The quotation, with its own quotation marks if wanted.", True),
            "source": Prose("Who is quoted (optional)."),
        }),
        "bullets": Group("A bulleted list.", fields={"bullets": ListOf("The bullets.", item=Prose("A bullet.", True), max_items=40)}),
        "links": Group("Useful websites.", fields={"links": ListOf("The links.", max_items=20, item=Group("A link.", fields={
            "name": Prose("The organisation or site.", True),
            "text": Prose("What it offers (optional)."),
            "url": Url("Its web address (optional)."),
        }))}),
        "contacts": Group("Fixed contact lines.", fields={"contacts": ListOf("Contact lines.", max_items=10, item=Group(
            "A contact line.", fields={"label": Prose("Tel, Fax, Email...", True), "value": Prose("The number or address.", True)}
        ))}),
    }

    def __init__(self) -> None:
        super().__init__("A block of content.", True, "a block")

    def check(self, node: Node, path: str, checker: Checker) -> Any:
        kinds = [key for key in self.KINDS if isinstance(node, Map) and key in node.items]
        if len(kinds) != 1:
            return checker.error(node, path, "a block must have exactly one of: " + ", ".join(self.KINDS))
        value = self.KINDS[kinds[0]].convert(node, path, checker)
        return {"kind": kinds[0], **value} if isinstance(value, dict) else value


PANEL_LABELS = ("heading", "intro", "dsl", "deputy", "cse_lead", "cse_lead_is_dsl", "social_care", "out_of_hours",
                "police", "non_emergency", "emergency", "lado", "cse_service")

CONTENT_SCHEMA = Group("The canonical leaflet content.", fields={
    "slug": Slug("Short name used in output file names, e.g. 'cse'.", True),
    "version": Text("Content version, printed in the footer.", True),
    "review_date": Date("When the content must next be reviewed; printed on the leaflet.", True),
    "language": Text("Language tag of the text, e.g. en-GB.", True),
    "title": Prose("The leaflet's title.", True),
    "attribution": Prose("The attribution line under the title.", True),
    "tagline": Prose("The strap line.", True),
    "subject": Prose("One line for the document's subject metadata.", True),
    "sections": ListOf("The sections, in reading order.", max_items=40, item=Group("A section.", fields={
        "id": Text("A short unique name for the section.", True),
        "heading": Prose("The heading.", True),
        "blocks": ListOf("The section's blocks.", item=Block(), max_items=40),
    })),
    "contacts_panel": Group("Labels of the 'Who to talk to' panel.", True,
                            fields={key: Prose(f"Label: {key}.", True) for key in PANEL_LABELS}),
    "poster": Group("Text of the one-page poster.", True, fields={
        "heading": Prose("The poster's headline.", True),
        "steps": ListOf("What to do, step by step.", item=Prose("A step.", True), max_items=8),
        "key_signs": ListOf("Key warning signs.", item=Prose("A sign.", True), max_items=12),
    }),
})


@dataclass(frozen=True)
class Content:
    """The checked content: its values (TemplateText where text) and every text with its place."""

    path: Path
    values: dict[str, Any]
    texts: tuple[tuple[str, str, Scalar], ...]

    @property
    def slug(self) -> str:
        return self.values["slug"]

    @property
    def version(self) -> str:
        return self.values["version"]

    @property
    def review_date(self) -> dt.date:
        return self.values["review_date"]


def load_content(content_dir: Path, label_root: Path) -> Content:
    """Load and check content/leaflet.yaml; raise ConfigError listing every problem."""
    path = content_dir / CONTENT_FILE
    label = path.relative_to(label_root).as_posix()
    if not path.exists() and not path.is_symlink():  # anything else there is refused, and why, by the reader
        raise ConfigError([Problem(label, None, None, "the content file is missing")])
    try:
        tree = yamlfile.load(path, label)
    except YamlFileError as exc:
        raise ConfigError([exc.problem]) from None
    checker = Checker(label_root, label)
    values = CONTENT_SCHEMA.convert(tree, "", checker)
    ids = [s.get("id") for s in values.get("sections", []) if isinstance(s, dict)]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1 and i}):
        checker.problems.append(Problem(label, None, "sections", f"the section id '{duplicate}' is used twice"))
    if checker.problems or not is_valid(values):
        raise ConfigError(checker.problems)
    return Content(path, values, tuple(checker.texts))
