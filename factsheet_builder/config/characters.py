"""What typed text may hold: no invisible characters, no marks that change how letters read, and no signs that it
was damaged on its way (letters of two alphabets in one word, '?' or U+FFFD for a letter, mojibake)."""

from __future__ import annotations

import re
import unicodedata

import ftfy

from factsheet_builder.exceptions import clip

_INVISIBLE = {  # categories of characters that print as nothing, or as a box
    "Cc": "invisible or control character",
    "Cf": "invisible or control character",
    "Zl": "line separator",
    "Zp": "paragraph separator",
    "Cs": "surrogate",
    "Co": "private-use character",
    "Cn": "unassigned code point",
}
# The combining marks Unicode calls default-ignorable (DerivedCoreProperties.txt): they print as nothing, but change
# how text compares and breaks (U+034F COMBINING GRAPHEME JOINER, the variation selectors).
_IGNORABLE_MARKS = re.compile("[\u034f\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_OVERLAY = 1  # the canonical combining class of marks drawn through a letter (strike-through, slashes)
# Marks that draw a line or a sign on a letter (an overline, an underline, an x, an arrowhead, an asterisk, the marks
# for symbols), which no language writes a name with: a name so marked reads as crossed out or annotated
_DRAWN = re.compile("[\u0305\u0332\u0333\u033f\u0347\u0353-\u0356\u0359\u20d0-\u20ff]")
MAX_MARKS = 2  # combining marks on one letter once composed: more is stacked marks, not a language's accents
# Alphabets whose accents are two at most; other writing systems put more marks on a letter by design (Arabic's
# shadda, vowel and dagger alif; Devanagari's nukta, vowel sign and candrabindu; Hebrew's points).
_FEW_MARKS = {"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "GEORGIAN"}
MAX_SCRIPT_MARKS = 4
# Writing systems that mix in one word by design (Japanese writes Han and kana together; Korean may add Han).
_ONE_SYSTEM = {"CJK": "CJK", "HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "BOPOMOFO": "CJK"}
_SCRIPTS = {
    "LATIN",
    "CYRILLIC",
    "GREEK",
    "ARMENIAN",
    "GEORGIAN",
    "HEBREW",
    "ARABIC",
    "SYRIAC",
    "THAANA",
    "DEVANAGARI",
    "BENGALI",
    "GURMUKHI",
    "GUJARATI",
    "ORIYA",
    "TAMIL",
    "TELUGU",
    "KANNADA",
    "MALAYALAM",
    "SINHALA",
    "THAI",
    "LAO",
    "TIBETAN",
    "MYANMAR",
    "ETHIOPIC",
    "KHMER",
    "MONGOLIAN",
    *_ONE_SYSTEM,
}
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters
# 'Â' or 'Ã' between letters, one of them small: the first byte of a UTF-8 letter read as Windows-1252 whose second
# byte was lost ('García' read so is 'GarcÃ' and a soft hyphen, which is often dropped); 'JOÃO' is written so
_HALF_LETTER = re.compile(r"(?<=[^\W\d_])[ÂÃ](?=[^\W\d_])")
CONFIRM_KEY = "confirmed_text"


def char_name(char: str) -> str:
    """``U+00AD SOFT HYPHEN``: a character as a message names it."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def unusual_character(text: str) -> str | None:
    """Why ``text`` (NFC) may not be printed as typed: an invisible or control character, or a combining mark that
    changes a letter rather than accenting it; None when every character is fine. Accents of any language pass."""
    marks = 0
    base = ""  # the letter the marks are on (a vowel sign such as Devanagari's 'ि' is part of it)
    for char in text:
        category = unicodedata.category(char)
        if category in _INVISIBLE and char != "\t":
            return f"contains the {_INVISIBLE[category]} {char_name(char)}; delete it and retype the value"
        if category == "Mc" and base:
            continue
        if category not in ("Mn", "Me"):
            marks, base = 0, char
            continue
        marks += 1
        why = (
            "draws over or around a letter"
            if category == "Me" or unicodedata.combining(char) == _OVERLAY
            else "is invisible"
            if _IGNORABLE_MARKS.match(char)
            else "draws a line or a sign on a letter, not an accent"
            if _DRAWN.match(char)
            else None
        )
        if why is not None:
            return f"contains the combining mark {char_name(char)}, which {why}; delete it and retype the value"
        if not base or not base.isalpha():
            return f"contains the combining mark {char_name(char)} with no letter before it; delete it"
        if marks > (MAX_MARKS if script(base) in _FEW_MARKS else MAX_SCRIPT_MARKS):
            return f"stacks {marks} combining marks on the letter '{base}'; retype the value with its accents only"
    return None


def script(char: str) -> str | None:
    """The writing system of a letter, from its Unicode name ('LATIN', 'CYRILLIC', 'CJK'...), or None."""
    word = unicodedata.name(char, "").split(" ", 1)[0]
    if word in _SCRIPTS:
        return _ONE_SYSTEM.get(word, word)
    return None


def mixed_word(text: str) -> tuple[str, str, str, str] | None:
    """The first word of ``text`` that mixes letters of two writing systems: the word, the system of its first
    letter, the first letter of another system and that system."""
    for word in _WORD.findall(text):
        first = None
        for char in word:
            system = script(char)
            if system is None:
                continue
            if first is None:
                first = system
            elif system != first:
                return word, first, char, system
    return None


def damage(text: str, names: bool = True) -> str | None:
    """Why ``text`` is probably damaged (read in the wrong encoding, or saved in one that cannot hold a letter),
    completing a sentence that starts with the value; None when it looks whole. In ``names`` any '?' against a
    letter counts; in running text (which may ask a question) only one between letters."""
    if "\ufffd" in text:
        return "contains U+FFFD, the mark left where a letter could not be read: it was damaged in an earlier copy"
    question = re.search(r"[^\W\d_]\?|\?[^\W\d_]" if names else r"[^\W\d_]\?+[^\W\d_]", text)
    if question:
        return (
            f"has '?' where a letter should be (in '{_word_at(text, question)}'): a letter was lost when the text was "
            "saved in an encoding that cannot hold it"
        )
    mixed = mixed_word(text)
    if mixed is not None:
        word, first, other, second = mixed
        return (
            f"mixes {first.title()} and {second.title()} letters in the word '{clip(word, 40)}' "
            f"('{other}' {char_name(other)}), as text read in the wrong encoding does"
        )
    if ftfy.is_bad(text):
        fixed = ftfy.fix_encoding(text)
        hint = f" (it probably reads '{clip(fixed, 60)}')" if fixed != text else ""
        return f"has the marks of text decoded in the wrong encoding{hint}"
    half = next((m for m in _HALF_LETTER.finditer(text) if not text[m.start() - 1 : m.end() + 1].isupper()), None)
    if half:
        return (
            f"has the marks of text decoded in the wrong encoding: the '{half.group()}' in '{_word_at(text, half)}' "
            "is what is left of a letter such as 'í' or 'Á' read in the wrong encoding"
        )
    return None


def _word_at(text: str, found: re.Match[str]) -> str:
    """The word of ``text`` (between spaces) that holds what was found, as a message shows it."""
    start, end = text.rfind(" ", 0, found.start()) + 1, text.find(" ", found.end())
    return clip(text[start : end if end >= 0 else len(text)], 40)


def damage_message(text: str, reason: str, shown_text: str) -> str:
    """The whole message for a damaged value: what is wrong, and how to keep a value that is right as written."""
    return (
        f"{shown_text} looks damaged: it {reason}; retype it, or, if it is right as written, list it under "
        f"{CONFIRM_KEY}: in the school's file (or a _defaults.yaml) to confirm it"
    )
