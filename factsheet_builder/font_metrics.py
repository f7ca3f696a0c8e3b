"""ReportLab's fonts with their parsed TrueType tables remembered between builds (in the build's cache).

Parsing the four faces of a family took some 14 ms of every fresh process that draws. What ReportLab makes
of a font file is kept as it is: the font's and its face's attributes, stored as JSON with each list of whole
numbers packed into base64. A stored state is used only if, when it was stored, it gave back exactly what ReportLab
had just made; the cache's stamp holds the fonts and ReportLab's version, so no other version ever reads it.
A font whose attributes are of a kind this module does not know is parsed every time, never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from factsheet_builder import cache

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

# made again: the file's name and bytes (from the path given), and a function (from unitsPerEm)
_UNKEPT = ("filename", "_ttf_data", "_pdfScale")
_WHOLE = ("h", "i", "q")  # array type codes for whole numbers, narrowest first
_FLOATS = ("d",)
_ARRAYS = (*_WHOLE, *_FLOATS)
_SCALE_CHECKS = (0, 1, 7, 1000, 2048, -543.5)
_MADE_PER_FONT = ("face", "state", "encoding")  # objects, not values: compared by kind


def remembered_fonts(faces: Sequence[tuple[str, Path]], kind: type[TTFont] | None = None) -> list[TTFont]:
    """The font (of class ``kind``: ReportLab's TTFont, or a subclass) of each (name, TrueType file) of ``faces`` (a
    family's), made from their remembered tables if they are stored, else parsed (and their tables stored, all in
    one entry)."""
    from reportlab.pdfbase.ttfonts import TTFont

    kind = kind or TTFont
    key = repr(("TrueType tables", [(name, path.name) for name, path in faces]))
    states = cache.stored(key, lambda value: isinstance(value, list) and len(value) == len(faces))
    if states is not None:
        try:
            return [_restored(state, path, kind) for state, (_, path) in zip(states, faces)]
        except (ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError):
            pass
    fonts = [kind(name, path) for name, path in faces]
    try:
        states = [_state(font) for font in fonts]
    except TypeError:  # an attribute of a kind not kept: these fonts are parsed every time
        return fonts
    if all(_same(_restored(state, path, kind), font) for state, font, (_, path) in zip(states, fonts, faces)):
        cache.store(key, states)
    return fonts


def _state(font: TTFont) -> dict[str, Any]:
    """The font's and its face's attributes as JSON; TypeError for anything this module cannot keep."""
    own = {key: value for key, value in vars(font).items() if key != "face"}
    face = {key: value for key, value in vars(font.face).items() if key not in _UNKEPT}
    return {"font": _encoded(own), "face": _encoded(face)}


def _restored(state: dict[str, Any], path: Path, kind: type[TTFont]) -> TTFont:
    """A font made from a remembered state, as ReportLab would have made it from the file at ``path``."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(_decoded(state["face"]))
    face.filename, face._ttf_data = path, path.read_bytes()
    face._pdfScale = _scale(face.unitsPerEm)
    font = kind.__new__(kind)
    vars(font).update(_decoded(state["font"]))
    font.face = face
    return font


def _scale(units_per_em: int) -> Callable[[float], float]:
    """Font units to thousandths of the font size, as ReportLab's parser makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _same(restored: TTFont, parsed: TTFont) -> bool:
    """Whether a restored font has every attribute the parsed one has, of the same value and type (the objects
    ReportLab keeps per document of the same kind and empty; the face's scale giving the same results)."""
    mine, theirs = restored.face, parsed.face
    return (
        _typed_vars(restored, _MADE_PER_FONT) == _typed_vars(parsed, _MADE_PER_FONT)
        and all(type(getattr(restored, key)) is type(getattr(parsed, key)) for key in _MADE_PER_FONT)
        and not restored.state
        and _typed_vars(mine, ("_pdfScale",)) == _typed_vars(theirs, ("_pdfScale",))
        and all(_typed(mine._pdfScale(x)) == _typed(theirs._pdfScale(x)) for x in _SCALE_CHECKS)
    )


def _typed_vars(thing: object, leaving: tuple[str, ...]) -> dict[str, tuple[type, Any]]:
    return {key: _typed(value) for key, value in vars(thing).items() if key not in leaving}


def _typed(value: object) -> tuple[type, object]:
    return type(value), value


def _encoded(value: Any) -> Any:
    """``value`` as JSON that ``_decoded`` turns back into an equal value of the same types."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is dict:
        return {"dict": [_encoded(list(value)), _encoded(list(value.values()))]}
    if kind in (list, tuple):
        return {kind.__name__: _packed_items(value)}
    if kind is bytes:
        return {"bytes": cache.encoded(value)}
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes

    if kind is TTFNameBytes:  # bytes with their text beside them: UTF-8 bytes of that text, so it is made again
        return {"name": cache.encoded(value)}
    if kind is TTEncoding and vars(value) == vars(TTEncoding()):
        return {"new": "TTEncoding"}
    if kind is WeakKeyDictionary and not value:
        return {"new": "WeakKeyDictionary"}
    raise TypeError(f"cannot keep a {kind.__name__}")


def _packed_items(items: list[Any] | tuple[Any, ...]) -> Any:
    """A list's items: packed when all are whole numbers, all floats, or all lists (or all tuples) of whole
    numbers."""
    for inner in (list, tuple):
        if items and all(type(item) is inner for item in items):
            flat = [number for item in items for number in item]
            if all(type(number) is int for number in flat):
                return {inner.__name__ + "s": [_packed([len(item) for item in items]), _packed(flat)]}
    if items and all(type(item) is int for item in items):
        return _packed(items)
    if items and all(type(item) is float for item in items):
        return _packed(items, _FLOATS)
    return [_encoded(item) for item in items]


def _packed(numbers: Sequence[int | float], codes: tuple[str, ...] = _WHOLE) -> dict[str, str]:
    """Numbers as base64 of the first (narrowest) of the arrays ``codes`` that holds them."""
    for code in codes:
        try:
            return {code: cache.packed(numbers, code)}
        except OverflowError:
            continue
    raise TypeError("a whole number too large to keep")


def _decoded(value: Any) -> Any:
    """The value ``_encoded`` made ``value`` of; ValueError (or TypeError, KeyError) for anything else."""
    if not isinstance(value, dict):
        return value
    ((tag, body),) = value.items()
    if tag == "dict":
        keys, values = _decoded(body[0]), _decoded(body[1])
        if len(keys) != len(values):
            raise ValueError("a dictionary's keys and values differ in number")
        return dict(zip(keys, values))
    if tag in ("list", "tuple"):
        items = [_decoded(item) for item in body] if isinstance(body, list) else _unpacked_items(body)
        return items if tag == "list" else tuple(items)
    if tag in _ARRAYS:
        return cache.unpacked(body, tag)
    if tag == "bytes":
        return cache.decoded(body)
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes

    made: dict[str, Callable[[Any], Any]] = {
        "name": lambda text: TTFNameBytes(cache.decoded(text)),
        "new": lambda kind: {"TTEncoding": TTEncoding, "WeakKeyDictionary": WeakKeyDictionary}[kind](),
    }
    return made[tag](body)


def _unpacked_items(body: dict[str, Any]) -> list[Any]:
    """The items of a packed list (see ``_packed_items``)."""
    ((tag, packed),) = body.items()
    if tag in _ARRAYS:
        return _decoded(body)
    inner = {"lists": list, "tuples": tuple}[tag]
    lengths, flat = _decoded(packed[0]), _decoded(packed[1])
    if sum(lengths) != len(flat) or min(lengths, default=0) < 0:
        raise ValueError("packed items that do not add up")
    if len(set(lengths)) == 1 and lengths[0]:  # all of one length (a table's rows): cut in one pass
        rows = zip(*[iter(flat)] * lengths[0])
        return list(rows) if inner is tuple else list(map(list, rows))
    ends = list(accumulate(lengths))
    items = [flat[start:end] for start, end in zip([0, *ends], ends)]
    return items if inner is list else list(map(tuple, items))
