"""Numbers and addresses as they are written: an email address whose link would write to someone else, and the
phone numbers and email addresses written in running text (a name, a service, a topic's sentences), which are
printed, and linked, as they are typed."""

from __future__ import annotations

import re

from factsheet_builder.config import phones

_EMAIL = re.compile(
    r"^(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}(?<!\.)@"
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
# What a character of an address's name part does in a mailto: link (the leaflets' emails are links): any but
# letters, digits and . _ - + ' would send the email elsewhere, copy someone in, or is no part of a real address.
_MAILTO = {
    "?": "starts the extra fields of an email link (such as someone to copy in)",
    "&": "joins extra fields of an email link (such as someone to copy in)",
    "#": "ends the address in an email link",
    "%": "writes another character in code in an email link",
}
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9._'+-]+")
# A word of running text with an '@' between letters or digits, which the formats link as an email address; the
# punctuation around it is the sentence's.
_EMAIL_WORD = re.compile(r"[^\s(\[<\"'‘“]*\w@\w[^\s]*?(?=[.,;:!?)\]>\"'’”]*(?:\s|$))")


def email_problem(text: str) -> str | None:
    """Why ``text`` cannot be printed as an email address and its link, or None when it can."""
    if not _EMAIL.match(text):
        return "is not an email address (expected e.g. 'name@school.sch.uk')"
    local = text.rsplit("@", 1)[0]
    if not _SAFE_LOCAL.fullmatch(local):
        char = next(c for c in local if not _SAFE_LOCAL.fullmatch(c))
        what = _MAILTO.get(char, "is no part of a school's or a service's address")
        return f"contains '{char}', which {what}; an address may hold letters, digits and . _ - + ' before the '@'"
    return None


def written_problem(text: str, use: str = phones.LISTED) -> str | None:
    """Why running text cannot be printed as written, completing a sentence that starts with it: a phone number in
    it that no field of ``use`` could hold, or an email address whose link would not be the address printed."""
    for number in phones.numbers_in(text):
        problem = phones.problem(number, use)
        if problem is not None:
            return f"has the number '{number}', which {problem}"
    for address in _EMAIL_WORD.findall(text):
        problem = email_problem(address)
        if problem is not None:
            return f"has the email address '{address}', which {problem}"
    return None
