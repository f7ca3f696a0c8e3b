"""The Jinja2 environment of content text: sandboxed, immutable and with limits on what an expression may cost.

Content text only needs to fill in names ({{ authority.police_force }}), but Jinja is a small language: without
limits '{{ 9**(9**9) }}', "{{ 'x'*10**9 }}" or nested loops over long ranges would hang a build or fill memory.
Every value an expression makes is checked against the limits below before it is used (and numbers and
repetitions before they are computed); loop turns and calls are counted; the rendered text has a maximum size.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_context

from factsheet_builder.plain_templates import MAX_TEXT

MAX_ITEMS = 1_000  # items in a list, a mapping or a range
MAX_BITS = 1_000  # binary digits of a whole number (about 300 decimal digits)
MAX_ARGUMENT = 1_000  # a number given to a filter or a method: a width, a count...
MAX_STEPS = 10_000  # loop turns and calls in one rendering
_COUNTED = "_counted"  # the filter every for-loop's iterable is passed through
_BINOPS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
# A width or precision of four digits or more in a '%' or '{:...}' format, or one taken from an argument.
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\d{4,}|\d*\.\d{4,}|\*|\.\*)|\{[^{}]*:[^{}]*(\d{4,}|\{)")
_STR_METHODS_REFUSED = {"expandtabs"}  # its output can be far larger than its input and arguments


class LimitError(Exception):
    """An expression in content text went beyond a limit; the message says which."""


class NotText(Exception):
    """An expression in content text printed something other than text or a number; the message says what."""


def printable(value: Any) -> Any:
    """``value``, if it prints as what it is (text or a number): Jinja2's finalize, run on every ``{{ }}``'s value.
    A mapping, a list, a method, nothing or a true/false value would print Python's notation for it."""
    if isinstance(value, (str, jinja2.Undefined)) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value  # an undefined value raises its own error when printed
    if isinstance(value, dict):
        raise NotText(f"a mapping (of {', '.join(map(str, list(value)[:4]))}) rather than one of its values")
    if isinstance(value, (list, tuple, set, frozenset, range)):
        raise NotText("a list rather than one of its items")
    if callable(value):
        raise NotText(f"the method or function '{getattr(value, '__name__', '?')}' rather than text")
    if value is None or isinstance(value, bool):
        raise NotText(f"the value {value} rather than text")
    raise NotText(f"a value of the kind {type(value).__name__} rather than text")


class _CountedLoops(Extension):
    """Every for-loop's iterable passed through the step-counting filter, as the template is read: ``{% for x in
    items if x %}`` is read as ``{% for x in (items)|_counted if x %}``. The iterable of a for tag ends at the first
    ``if``, ``recursive`` or end of the tag outside brackets (Jinja allows no ``if`` expression there)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        state = "text"  # "tag": a tag just began; "target": a for tag's names; "iterable": its iterable
        depth = 0  # brackets open within the target or the iterable
        for token in stream:
            if state == "iterable" and depth == 0 and _ends_iterable(token):
                yield from (
                    Token(token.lineno, "rparen", ")"),
                    Token(token.lineno, "pipe", "|"),
                    Token(token.lineno, "name", _COUNTED),
                )
                state = "text"
            yield token
            if token.type in ("lparen", "lbracket", "lbrace"):
                depth += 1
            elif token.type in ("rparen", "rbracket", "rbrace"):
                depth -= 1
            if token.type == "block_begin":
                state = "tag"
            elif state == "tag":
                state = "target" if token.test("name:for") else "text"
                depth = 0
            elif state == "target" and depth == 0 and token.test("name:in"):
                yield Token(token.lineno, "lparen", "(")
                state = "iterable"


def _ends_iterable(token: Token) -> bool:
    return token.type == "block_end" or token.test_any("name:if", "name:recursive")


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """A sandbox that also bounds numbers, texts, lists, loop turns and calls."""

    intercepted_binops = frozenset(_BINOPS)

    def __init__(self, **options: Any) -> None:
        super().__init__(**{"finalize": printable, **options, "extensions": [_CountedLoops]})
        self.steps = 0
        self.globals = {"range": _range, "dict": dict}  # no lipsum, cycler, joiner or namespace
        self.filters = {name: _limited(self, func) for name, func in self.filters.items()}
        self.filters[_COUNTED] = _counted

    def render(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """Render ``template``; raises LimitError when it goes beyond a limit."""
        self.steps = 0
        pieces, size = [], 0
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_TEXT:
                raise LimitError(f"it renders more than {MAX_TEXT:,} characters")
            pieces.append(piece)
        return "".join(pieces)

    def step(self) -> None:
        """Count one loop turn or call."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitError(f"it takes more than {MAX_STEPS:,} steps (loop turns and calls)")

    def call_binop(self, context: jinja2.runtime.Context, op: str, left: Any, right: Any) -> Any:
        """Work out ``left op right`` only when the result will be within the limits."""
        self.step()
        _check_binop(op, left, right)
        return bounded(_BINOPS[op](left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Call from a template: counted, with bounded arguments and result."""
        __self.step()
        if not _formats(__obj):  # a format's own numbers are printed, not used as sizes (its widths are checked)
            _check_arguments((*args, *kwargs.values()))
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level: its turns count too
            args = (_counted(__context, args[0]), *args[1:])
        if getattr(__obj, "__name__", "") == "replace" and isinstance(getattr(__obj, "__self__", None), str):
            _check_replace(__obj.__self__, *args[:2])
        return bounded(super().call(__context, __obj, *args, **kwargs))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _STR_METHODS_REFUSED:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map, refusing a format with a huge width or precision."""
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:
            _check_format(value.__self__)
        return wrapper


def bounded(value: Any) -> Any:
    """``value``, if it is within the limits; raises LimitError otherwise."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise LimitError(f"it makes a text longer than {MAX_TEXT:,} characters")
    elif isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_BITS:
            raise LimitError(f"it makes a number larger than {MAX_BITS:,} binary digits")
    elif isinstance(value, (list, tuple, dict, set, frozenset, range)) and len(value) > MAX_ITEMS:
        raise LimitError(f"it makes a list of more than {MAX_ITEMS:,} items")
    return value


def _size(value: Any) -> int | None:
    """How many characters or items a text or list holds (None for anything else)."""
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _check_binop(op: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too large, before working it out."""
    ints = all(isinstance(v, int) for v in (left, right))
    if op == "**" and ints and right > 0 and left not in (0, 1, -1):
        if abs(left).bit_length() * right > MAX_BITS:
            raise LimitError(f"{_number(left)} ** {_number(right)} is a number larger than {MAX_BITS:,} binary digits")
    elif op == "*" and ints:
        if abs(left).bit_length() + abs(right).bit_length() > MAX_BITS + 1:
            raise LimitError(f"it makes a number larger than {MAX_BITS:,} binary digits")
    elif op == "*":
        sequence, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(times, int) and _size(sequence) is not None:
            limit = MAX_TEXT if isinstance(sequence, str) else MAX_ITEMS
            if len(sequence) * times > limit:
                raise LimitError(
                    f"it repeats {'a text' if isinstance(sequence, str) else 'a list'} to more than "
                    f"{limit:,} {'characters' if isinstance(sequence, str) else 'items'}"
                )
    elif op == "+" and _size(left) is not None and _size(right) is not None:
        if len(left) + len(right) > (MAX_TEXT if isinstance(left, str) else MAX_ITEMS):
            raise LimitError("it joins texts or lists into one beyond the limits")
    elif op == "%" and isinstance(left, str):
        _check_format(left)


def _number(value: int) -> str:
    """A number as a message shows it: in full when short."""
    return str(value) if value.bit_length() <= 64 else f"a {value.bit_length()}-bit number"


def _check_format(text: str) -> None:
    if _WIDE_FORMAT.search(text):
        raise LimitError(f"its format asks for a width or precision of {MAX_ARGUMENT:,} or more, or from an argument")


def _formats(function: Any) -> bool:
    """Whether ``function`` is str.format or format_map as the sandbox wraps it."""
    wrapped = getattr(function, "__wrapped__", None)
    return getattr(function, "__name__", "") in ("format", "format_map") and isinstance(
        getattr(wrapped, "__self__", None), str
    )


def _check_arguments(values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise LimitError(
                f"it passes the number {_number(value)} to a filter or method; the limit is {MAX_ARGUMENT:,}"
            )


def _check_replace(text: str, old: Any = None, new: Any = None) -> None:
    """Refuse a replacement whose result would be too long (replacing '' inserts between every character)."""
    if isinstance(old, str) and isinstance(new, str):
        grows = max(0, len(new) - len(old)) * (len(text) + 1 if not old else text.count(old))
        if len(text) + grows > MAX_TEXT:
            raise LimitError(f"it makes a text longer than {MAX_TEXT:,} characters")


def _limited(environment: LimitedEnvironment, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that counts as a step, takes bounded arguments and returns a bounded value."""
    # a filter marked pass_context (or pass_eval_context, pass_environment) takes that first, then the value
    skip = 2 if getattr(func, "jinja_pass_arg", None) is not None else 1

    @wraps(func)  # keeps the pass_context marks Jinja reads
    def limited(*args: Any, **kwargs: Any) -> Any:
        environment.step()
        if func.__name__ == "do_format" and len(args) >= skip:
            _check_format(str(args[skip - 1]))  # the values formatted may be any size: they are printed
        else:
            _check_arguments((*args[skip:], *kwargs.values()))
        if func.__name__ == "do_replace" and isinstance(args[skip - 1], str):
            _check_replace(*args[skip - 1 : skip + 2])
        return bounded(func(*args, **kwargs))

    return limited


@pass_context
def _counted(context: jinja2.runtime.Context, iterable: Any) -> Iterator[Any]:
    """The items of a loop's iterable, each counted as a step (a pass_context filter, so never run at compile time)."""
    environment = context.environment
    for item in iterable:
        environment.step()  # type: ignore[attr-defined]
        yield item


def _range(*args: int) -> range:
    """range(), limited to MAX_ITEMS numbers."""
    result = range(*args)
    if len(result) > MAX_ITEMS:
        raise LimitError(f"it makes a range of more than {MAX_ITEMS:,} numbers")
    return result
