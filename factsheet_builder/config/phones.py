"""UK phone numbers: parsing with Google's libphonenumber port and the grouped national form."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import shortnumberinfo

# Digits with the separators people type: "0191 277 2500", "+44 (0)191-277-2500", "116.123".
_TYPED = re.compile(r"\+?[\d\s().-]+")


def format_uk(text: str) -> str | None:
    """The number in grouped UK national form ("0191 277 2500", "101"), or None when not a valid UK number."""
    if not _TYPED.fullmatch(text):
        return None
    digits = phonenumbers.normalize_digits_only(text)
    if not text.lstrip().startswith("+") and 3 <= len(digits) <= 6:
        short = phonenumbers.parse(digits, "GB")
        if shortnumberinfo.is_valid_short_number_for_region(short, "GB"):
            return f"{digits[:3]} {digits[3:]}" if len(digits) == 6 else digits
        return None
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number_for_region(number, "GB"):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
