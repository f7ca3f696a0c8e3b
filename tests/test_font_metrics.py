"""ReportLab's fonts made from their TrueType tables remembered between builds (factsheet_builder.font_metrics)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.pdfbase import ttfonts

from factsheet_builder import cache, font_metrics
from factsheet_builder.font_metrics import remembered_fonts
from factsheet_builder.fonts import LIBERATION_SANS

TEXT = "Ysgol Gŵyr: Zoë Ålander-Ó Briain, 0113 496 0899 (Ελένη, Дмитрий)"


@pytest.fixture
def cache_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "out" / cache.CACHE_NAME
    path.parent.mkdir()
    fresh_process(path, monkeypatch)
    yield path
    monkeypatch.setattr(cache, "_file", None)


def fresh_process(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process read of the cache, as a new build would."""
    monkeypatch.setattr(cache, "_file", None)
    cache.use(path, "stamp")


def entries(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))["entries"] if path.exists() else {}


def attributes(font: ttfonts.TTFont) -> tuple[dict, dict]:
    """The font's and its face's attributes with their types, but for the face's one function (its scale)."""

    def typed(items: dict) -> dict:
        return {key: (type(value), value) for key, value in items.items()}

    own = typed({key: value for key, value in vars(font).items() if key not in ("face", "state", "encoding")})
    face = typed({key: value for key, value in vars(font.face).items() if key != "_pdfScale"})
    return own, face


def test_fonts_made_from_their_remembered_tables_measure_and_subset_as_the_parsed_ones(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faces = [("Test-Bold", LIBERATION_SANS.path("bold")), ("Test-Italic", LIBERATION_SANS.path("italic"))]
    parsed = remembered_fonts(faces)
    assert len(entries(cache_file)) == 1
    fresh_process(cache_file, monkeypatch)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the font file was parsed again")

    monkeypatch.setattr(ttfonts.TTFontFile, "extractInfo", never)
    restored = remembered_fonts(faces)
    subset = sorted({ord(ch) for ch in TEXT})
    for mine, theirs in zip(restored, parsed, strict=True):
        assert mine is not theirs and mine.face is not theirs.face
        assert attributes(mine) == attributes(theirs)
        assert (type(mine.state), len(mine.state), vars(mine.encoding)) == (
            type(theirs.state),
            0,
            vars(theirs.encoding),
        )
        assert [mine.face._pdfScale(x) for x in (0, 1, 2048, -543.5)] == [
            theirs.face._pdfScale(x) for x in (0, 1, 2048, -543.5)
        ]
        assert mine.stringWidth(TEXT, 11) == theirs.stringWidth(TEXT, 11) > 0
        assert mine.face.makeSubset(subset) == theirs.face.makeSubset(subset)
    assert restored[0].stringWidth(TEXT, 11) != restored[1].stringWidth(TEXT, 11)  # each face its own tables


def test_a_spoilt_remembered_state_is_parsed_again(cache_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faces = [("Test-Regular", LIBERATION_SANS.path("regular"))]
    (parsed,) = remembered_fonts(faces)
    ((key, states),) = entries(cache_file).items()
    names = states[0]["face"]["dict"][0]["list"]
    values = states[0]["face"]["dict"][1]["list"]
    values[names.index("charToGlyph")]["dict"][1] = {"list": [1, 2, 3]}  # fewer glyphs than characters
    cache_file.write_text(json.dumps({"format": cache.FORMAT, "stamp": "stamp", "entries": {key: states}}), "utf-8")
    fresh_process(cache_file, monkeypatch)
    (again,) = remembered_fonts(faces)
    assert again.face.charToGlyph == parsed.face.charToGlyph and len(again.face.charToGlyph) > 2000


def test_a_font_with_an_attribute_of_an_unknown_kind_is_parsed_every_time(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = ttfonts.TTFont.__init__

    def with_extra(self: ttfonts.TTFont, *args: object, **kwargs: object) -> None:
        made(self, *args, **kwargs)
        self.extra = object()

    monkeypatch.setattr(ttfonts.TTFont, "__init__", with_extra)
    (font,) = remembered_fonts([("Test-Italic", LIBERATION_SANS.path("italic"))])
    assert font.stringWidth(TEXT, 11) > 0 and type(font.extra) is object
    assert entries(cache_file) == {}


def test_a_font_that_is_not_restored_as_parsed_is_not_remembered(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(font_metrics, "_scale", lambda units_per_em: lambda x: x)  # not ReportLab's scale
    (font,) = remembered_fonts([("Test-Regular", LIBERATION_SANS.path("regular"))])
    assert font.face._pdfScale(2048) == 1000
    assert entries(cache_file) == {}
