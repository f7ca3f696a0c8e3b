"""Content text: the Jinja2 text of a topic's content file, checked when loaded and rendered for one school."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from factsheet_builder.config.characters import damage, unusual_character
from factsheet_builder.config.fields import Checker, Group, ListOf, Node, ScalarField, Url, shown
from factsheet_builder.config.placeholders import find_placeholder
from factsheet_builder.config.yamlfile import Map, Scalar
from factsheet_builder.exceptions import ConfigError, Problem
from factsheet_builder.plain_templates import filled_in, plain

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
        if "{" not in self.source:
            return self.source
        filled = filled_in(self.source, context)
        if filled is not None:
            return filled
        import jinja2

        from factsheet_builder.templating import LimitError

        try:
            return _environment().render(_compile(self.source), context)
        except LimitError as exc:
            raise self._error(
                f"{shown(self.source)} goes beyond the limits of content text: {exc}; content text "
                "should only fill in names such as '{{ school.name }}'"
            ) from None
        except RecursionError:
            raise self._error(f"{shown(self.source)} nests or repeats itself too deeply") from None
        except jinja2.UndefinedError as exc:
            raise self._error(
                f"{exc.message}: {shown(self.source)} refers to a value that is not set "
                "(see content/README.md for the names available)"
            ) from None
        except jinja2.exceptions.SecurityError as exc:
            raise self._error(f"{shown(self.source)} is not allowed in a template: {exc}") from None
        except Exception as exc:  # an expression in the text failed ({{ 1/0 }}, a filter given the wrong value...)
            raise self._error(
                f"{shown(self.source)} failed: {type(exc).__name__}: {' '.join(str(exc).split())}"
            ) from None

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


@lru_cache(maxsize=4096)
def references(source: str) -> tuple[tuple[str, bool], ...]:
    """The config values a text refers to, in order, each with whether it is read only under a condition
    ({% if %}, ``a if b else c``, ``is defined``)."""
    if "{" not in source:  # Jinja2's syntax starts with a brace: plain text refers to nothing (most of a topic)
        return ()
    parts = plain(source)
    if parts is not None:  # only references: no need to load Jinja2 to find them
        return tuple((name, False) for name in parts[1::2])
    from jinja2 import meta, nodes

    tree = _environment().parse(source)
    free = meta.find_undeclared_variables(tree)
    found: list[tuple[str, bool]] = []

    def chain(node: Any) -> list[str] | None:
        if isinstance(node, nodes.Name):
            return [node.name] if node.name in free else None
        if isinstance(node, nodes.Getattr):
            head = chain(node.node)
            return None if head is None else [*head, node.attr]
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            head = chain(node.node)
            return None if head is None else [*head, node.arg.value]
        return None

    def visit(node: Any, conditional: bool) -> None:
        parts = chain(node)
        if parts is not None:
            found.append((".".join(parts), conditional))
            return
        conditional = conditional or isinstance(node, (nodes.If, nodes.CondExpr, nodes.Test))
        for child in node.iter_child_nodes():
            visit(child, conditional)

    visit(tree, False)
    return tuple(found)


class Prose(ScalarField):
    """Content text: may span lines (folded to one) and use Jinja2 references to config values."""

    def __init__(self, description: str, required: bool = False) -> None:
        super().__init__(description, required, "text")

    def check(self, node: Node, path: str, checker: Checker) -> Any:
        if not isinstance(node, Scalar) or not node.text.strip():
            return super().check(node, path, checker)
        text = " ".join(node.text.split())
        unusual = unusual_character(text)
        if unusual is not None:
            return checker.error(node, path, f"{shown(text)} {unusual}")
        damaged = damage(text, names=False)
        if damaged is not None:
            return checker.error(node, path, f"{shown(text)} looks damaged: it {damaged}; retype it")
        if find_placeholder(re.sub(r"\{\{.*?\}\}", "", text)):
            return checker.error(node, path, f"{shown(text)} contains a placeholder; replace it with the real text")
        if len(text) > MAX_PROSE:
            return checker.error(
                node, path, f"{shown(text, 40)} is {len(text)} characters long; the limit is {MAX_PROSE}"
            )
        # Jinja2's syntax starts with a brace: plain text, and text whose only Jinja2 is references such as
        # {{ school.name }}, need no compiling (nor loading Jinja2)
        problem = _compile_problem(text) if "{" in text and plain(text) is None else None
        if problem is not None:
            return checker.error(node, path, f"template error in {shown(text)}: {problem}")
        checker.texts.append((re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text), path, node))
        return TemplateText(text, node.file, node.line, path)


def _compile_problem(text: str) -> str | None:
    """Why Jinja2 cannot compile ``text``, in words, or None."""
    import jinja2

    try:
        _compile(text)
    except jinja2.TemplateSyntaxError as exc:  # also unknown filters and tests
        return " ".join(str(exc.message).split())
    except Exception as exc:  # nested too deeply for Python's compiler, or another failure of Jinja's
        return f"it cannot be compiled ({type(exc).__name__}: {' '.join(str(exc).split())[:100]})"
    return None


class Block(ScalarField):
    """One block of a section: a mapping with exactly one of paragraph, quote, bullets, links or contacts."""

    KINDS = {
        "paragraph": Group("A paragraph.", fields={"paragraph": Prose("The paragraph's text.", True)}),
        "quote": Group(
            "A quotation set off as a callout.",
            fields={
                "quote": Prose("The quotation, with its own quotation marks if wanted.", True),
                "source": Prose("Who is quoted (optional)."),
            },
        ),
        "bullets": Group(
            "A bulleted list.", fields={"bullets": ListOf("The bullets.", item=Prose("A bullet.", True), max_items=40)}
        ),
        "links": Group(
            "Useful websites.",
            fields={
                "links": ListOf(
                    "The links.",
                    max_items=20,
                    item=Group(
                        "A link.",
                        fields={
                            "name": Prose("The organisation or site.", True),
                            "text": Prose("What it offers (optional)."),
                            "url": Url("Its web address (optional)."),
                        },
                    ),
                )
            },
        ),
        "contacts": Group(
            "Fixed contact lines.",
            fields={
                "contacts": ListOf(
                    "Contact lines.",
                    max_items=10,
                    item=Group(
                        "A contact line.",
                        fields={
                            "label": Prose("Tel, Fax, Email...", True),
                            "value": Prose("The number or address.", True),
                        },
                    ),
                )
            },
        ),
    }

    def __init__(self) -> None:
        super().__init__("A block of content.", True, "a block")

    def check(self, node: Node, path: str, checker: Checker) -> Any:
        kinds = [key for key in self.KINDS if isinstance(node, Map) and key in node.items]
        if len(kinds) != 1:
            return checker.error(node, path, "a block must have exactly one of: " + ", ".join(self.KINDS))
        value = self.KINDS[kinds[0]].convert(node, path, checker)
        return {"kind": kinds[0], **value} if isinstance(value, dict) else value
