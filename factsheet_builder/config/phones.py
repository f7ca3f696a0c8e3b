"""UK phone numbers: parsing with Google's libphonenumber port, the grouped national form and what kind a number is."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType, shortnumberinfo

# Digits with the separators people type: "0191 277 2500", "+44 (0)191-277-2500", "116.123".
_TYPED = re.compile(r"\+?[\d\s().-]+")

# A phone number inside running text: a national (0...) or international (+44...) number of nine digits or more (a
# UK number has ten or eleven: nine is one cut short), single separators between them. Shorter runs (ages, years,
# 101) cannot be told from other numbers.
_IN_TEXT = re.compile(r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s().-]?\d){7,}(?![\w])")

# What a number is used for decides the kinds it may be: a person's or a service's own line must reach them; a
# topic's own lines (LISTED) may print national short numbers such as 116 123 and 999, and national lines on a
# service-charge number (084, 087), which agencies and charities use and the authority chooses to print.
OFFICE, EMERGENCY, NON_EMERGENCY, LISTED = "office", "emergency", "non-emergency", "listed"
POLICE_NON_EMERGENCY = "101"
NOT_VALID = "is not a valid UK phone number (expected e.g. '0191 277 2500', '101' or '116 123')"

# Kinds no field may hold, because callers pay extra or nobody answers.
_REFUSED = {
    PhoneNumberType.PREMIUM_RATE: "premium-rate",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.VOICEMAIL: "voicemail",
}
_REFUSED_WHY = {
    "premium-rate": "a premium-rate number (callers pay extra)",
    "service-charge": "a service-charge number (callers pay extra)",
    "personal": "a personal (070) number, charged at premium rates",
    "pager": "a pager number, which nobody answers",
    "voicemail": "a voicemail access number",
}


def format_uk(text: str) -> str | None:
    """The number in grouped UK national form ("0191 277 2500", "101"), or None when not a valid UK number."""
    found = classify(text)
    return None if found is None else found[0]


@lru_cache(maxsize=4096)  # every school of an authority gives the same agencies' numbers
def classify(text: str) -> tuple[str, str] | None:
    """The grouped national form of a valid UK number and its kind: 'emergency' (999, 112), 'short' (101, 111,
    116 123...), 'standard', or one no field may hold ('premium-rate'...); None when it is not a valid UK number."""
    if not _TYPED.fullmatch(text):
        return None
    digits = phonenumbers.normalize_digits_only(text)
    if not text.lstrip().startswith("+") and 3 <= len(digits) <= 6:
        try:
            short = phonenumbers.parse(digits, "GB")
        except phonenumbers.NumberParseException:  # e.g. "001": an international prefix with nothing after it
            return None
        if not shortnumberinfo.is_valid_short_number_for_region(short, "GB"):
            return None
        kind = "emergency" if shortnumberinfo.is_emergency_number(digits, "GB") else "short"
        return (f"{digits[:3]} {digits[3:]}" if len(digits) == 6 else digits), kind
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number_for_region(number, "GB"):
        return None
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    kind = _REFUSED.get(phonenumbers.number_type(number), "standard")
    if kind == "premium-rate" and formatted.startswith("08"):
        kind = "service-charge"
    return formatted, kind


def misuse(kind: str, use: str, number: str = "") -> str | None:
    """Why the ``number`` of ``kind`` (see ``classify``) cannot be printed as a number for ``use``, or None."""
    if kind in _REFUSED_WHY and not (use == LISTED and kind == "service-charge"):
        return f"is {_REFUSED_WHY[kind]}; give a standard number, e.g. '0191 277 2500'"
    if use == EMERGENCY and kind != "emergency":
        return "is not an emergency number; the emergency number is '999' (or '112')"
    if use == NON_EMERGENCY and kind == "emergency":
        return "is the emergency number, not a non-emergency one; the police non-emergency number is '101'"
    if use == NON_EMERGENCY and kind == "short" and number != POLICE_NON_EMERGENCY:
        return (
            "is the national short number of another service, not the police's; the police non-emergency number "
            f"is '{POLICE_NON_EMERGENCY}' (or a force's own standard number)"
        )
    if use == OFFICE and kind == "emergency":
        return (
            "is the emergency number, not a direct or office line; give the number that reaches this person or "
            "service, e.g. '0191 277 2500' (999 is printed from contacts.police.emergency)"
        )
    if use == OFFICE and kind == "short":
        return (
            "is a national short number, not a direct or office line; give the number that reaches this person "
            "or service, e.g. '0191 277 2500'"
        )
    return None


def numbers_in(text: str) -> list[str]:
    """The phone numbers written in running text, as typed (see _IN_TEXT)."""
    return [match.group() for match in _IN_TEXT.finditer(text)]


def is_typed_number(text: str) -> bool:
    """Whether ``text`` is written as a phone number alone (digits with the separators people type)."""
    return bool(_TYPED.fullmatch(text)) and any(char.isdigit() for char in text)


def problem(text: str, use: str) -> str | None:
    """Why ``text`` cannot be printed as a phone number for ``use``, completing a sentence that starts with it;
    None when it can."""
    found = classify(text)
    if found is None:
        return NOT_VALID
    formatted, kind = found
    return misuse(kind, use, formatted)


_BETWEEN = re.compile(r"\s*(?:/|,|;|&|\band\b|\bor\b)\s*", re.IGNORECASE)


def two_numbers(text: str) -> tuple[str, str] | None:
    """The two numbers a text holds, grouped, when it is two valid numbers ("01389 804438 and 01389 804439") or a
    number and other last digits for it ("01556 502821/2", "01248 752733 or 752734"); None otherwise."""
    parts = _BETWEEN.split(text.strip())
    if len(parts) != 2 or not all(parts):
        return None
    first, second = parts
    digits, last = phonenumbers.normalize_digits_only(first), second.replace(" ", "")
    if last.isdigit() and len(last) < len(digits):  # "/2", "or 752734": the same number with other last digits
        second = digits[: len(digits) - len(last)] + last
    one, other = format_uk(first), format_uk(second)
    return None if one is None or other is None else (one, other)
