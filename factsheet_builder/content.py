"""Content text: the Jinja2 text of a topic's content file, checked when loaded and rendered for one school."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from factsheet_builder.config import phones
from factsheet_builder.config.characters import damage, unusual_character
from factsheet_builder.config.fields import (
    MAX_EMAIL,
    Checker,
    Group,
    ListOf,
    Node,
    ScalarField,
    Url,
    email_problem,
    shown,
)
from factsheet_builder.config.placeholders import find_placeholder
from factsheet_builder.config.written import written_problem
from factsheet_builder.config.yamlfile import Map, Scalar
from factsheet_builder.exceptions import ConfigError, Problem
from factsheet_builder.plain_templates import filled_in, plain

MAX_PROSE = 3000
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")  # what of a text is filled in, not typed
# What content text may do to a config value besides printing it whole: change its letters' case, trim it, or
# print another text when it is not set.
_KEEPS_VALUE = frozenset({"upper", "lower", "title", "capitalize", "trim", "e", "escape", "string", "default", "d"})


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

        from factsheet_builder.templating import LimitError, NotText

        try:
            return _environment().render(_compile(self.source), context)
        except LimitError as exc:
            raise self._error(
                f"{shown(self.source)} goes beyond the limits of content text: {exc}; content text "
                "should only fill in names such as '{{ school.name }}'"
            ) from None
        except NotText as exc:
            raise self._error(
                f"{shown(self.source)} prints {exc}; content text prints text, such as '{{{{ contacts.lado.phone }}}}'"
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


def cut_values(source: str) -> list[str]:
    """The config values a text does anything with but print whole, change the case of its letters, trim, give a
    default or test ({{ contacts.lado.phone[:5] }}, '%.4s' % it, a filter such as truncate or trim('0'), a method,
    a loop over it): a number or a name must be printed whole, or not at all."""
    from jinja2 import nodes

    names = {name for name, _ in references(source)}
    keeps = (nodes.Template, nodes.Output, nodes.If, nodes.CondExpr, nodes.Concat, nodes.And, nodes.Or, nodes.Not)
    tests = (nodes.Compare, nodes.Operand, nodes.Test)
    found: list[str] = []

    def dotted(node: Any) -> str | None:
        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, nodes.Getattr):
            head = dotted(node.node)
            return None if head is None else f"{head}.{node.attr}"
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            head = dotted(node.node)
            return None if head is None else f"{head}.{node.arg.value}"
        return None

    def config_value(node: Any) -> str | None:
        name = dotted(node)
        if name is None:
            return None
        # the reference itself, or a longer name through it (a method of the value: value.replace)
        return name if any(n == name or n.startswith(name + ".") for n in names) else None

    def cut(name: str) -> None:
        if name not in found:
            found.append(name)

    def visit(node: Any, whole: bool) -> None:
        name = config_value(node)
        if name is not None:
            if not whole:
                cut(name)
            return
        children = list(node.iter_child_nodes())
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            method_of = config_value(node.node.node)  # value.replace(...): the value, not value.replace
            if method_of is not None:
                cut(method_of)
                children.remove(node.node)
        # a filter that keeps a value (trim with no characters to strip; default, whatever it is given)
        kept = isinstance(node, nodes.Filter) and (
            node.name in _KEEPS_VALUE and (node.name in ("default", "d") or not (node.args or node.kwargs))
        )
        for child in children:
            visit(child, whole and (kept or isinstance(node, keeps + tests)))

    visit(_environment().parse(source), True)
    return found


def literals(source: str) -> list[str]:
    """The texts written inside a template's expressions ({{ 'Call 0113 496 0200' }}), typed as much as the rest."""
    from jinja2 import nodes

    tree = _environment().parse(source)
    return [node.value for node in tree.find_all(nodes.Const) if isinstance(node.value, str) and node.value.strip()]


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
        typed = _TEMPLATE.sub("", text)
        problem = self.typed_problem(typed.strip(), typed != text)
        if problem is not None:
            return checker.error(node, path, f"{shown(text)} {problem}")
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
        jinja = "{" in text and plain(text) is None
        problem = _compile_problem(text) if jinja else None
        if problem is not None:
            return checker.error(node, path, f"template error in {shown(text)}: {problem}")
        cut = cut_values(text) if jinja else []
        if cut:
            return checker.error(
                node,
                path,
                f"{shown(text)} prints part of {cut[0]}, or changes it; print a config value whole, as "
                f"'{{{{ {cut[0]} }}}}'",
            )
        for literal in literals(text) if jinja else []:
            problem = self.typed_problem(literal.strip(), False)
            if problem is not None:
                return checker.error(node, path, f"{shown(text)} prints {shown(literal)}, which {problem}")
        checker.texts.append((typed, path, node))
        return TemplateText(text, node.file, node.line, path)

    def typed_problem(self, typed: str, filled: bool) -> str | None:
        """What is wrong with the typed part of a text (``filled``: the text also fills values in): each phone
        number and email address written in it must be one a school's file could hold, as one of a topic's own lines."""
        return written_problem(typed)


class ContactValue(Prose):
    """A number or an address a topic prints in a contact line or an agency's lines, checked as a school's would be:
    typed alone, it must be a valid UK number (short ones such as 116 123 too) or an email address."""

    def typed_problem(self, typed: str, filled: bool) -> str | None:
        if not filled and "@" in typed:
            problem = email_problem(typed)
            too_long = f"is {len(typed)} characters long; the limit is {MAX_EMAIL}" if len(typed) > MAX_EMAIL else None
            return problem or too_long
        if not filled and phones.is_typed_number(typed):
            return phones.problem(typed, phones.LISTED)
        return super().typed_problem(typed, filled)


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
                            "value": ContactValue("The number or address.", True),
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
