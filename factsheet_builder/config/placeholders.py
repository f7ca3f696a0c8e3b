"""Recognising placeholder text left in a value ("Add number here", "TBC", "[name]"...)."""

from __future__ import annotations

import re

_WORDS = r"name|names|number|phone|telephone|tel|mobile|email|e-mail|address|school|insert|add|enter|your|here|todo|tbc|surname|dsl|deputy|contact|lead"
_PATTERNS = [
    re.compile(r"\b(add|insert|enter|put|type)\b.{0,30}\bhere\b", re.I),
    re.compile(
        r"\b(add|insert|enter)\s+(a|an|the|your)?\s*(name|number|phone|telephone|email|e-mail|address|details)\b", re.I
    ),
    re.compile(r"\bTB[CAD]\b", re.I),
    re.compile(r"\bto be (confirmed|advised|decided|announced)\b", re.I),
    re.compile(r"x{3,}", re.I),
    re.compile(
        r"^\W*(n\s*/\s*[ak]|n\.a\.?|na|none|nil|null|unknown|not known|not applicable|pending|todo|fixme|placeholder"
        r"|dummy|sample|test|tba|ditto|see above|same as above|-+|\?+|\.+)\W*$",
        re.I,
    ),
    re.compile(
        r"^\W*(name|names|surname|(phone|telephone|contact) number|email address|((your|the|school|dsl|deputy|full|"
        r"person'?s?)\s+)(name|names|surname|number|phone( number)?|telephone( number)?|email( address)?|e-mail|address))"
        r"\W*$",
        re.I,
    ),
    re.compile(r"^(mr|mrs|ms|miss|mx|dr)\.?\s+[xyz]\.?$", re.I),
    re.compile(r"\?\?"),
    re.compile(rf"\[[^\]]*\b({_WORDS})\b[^\]]*\]", re.I),
    re.compile(rf"<[^>]*\b({_WORDS})\b[^>]*>", re.I),
    re.compile(r"\{[^}]*\b(" + _WORDS + r")\b[^}]*\}", re.I),
    re.compile(r"\blorem\b|\bipsum\b", re.I),
    re.compile(
        r"\b(john|jane) doe\b|\bjoe bloggs\b|\ba\.? ?n\.? other\b|\bfirst ?name\b|\blast ?name\b|\bname surname\b", re.I
    ),
    re.compile(r"\bplaceholder\b|\bfixme\b|\btodo\b", re.I),
    # Only noughts are a placeholder among digits: a run such as 01234 567890 is a real number in Bedford, and a
    # number that is not real is refused as not valid, which says more.
    re.compile(r"^0+[\s0]*$|\b0{4} ?0{3} ?0{4}\b"),
]
_EXAMPLE_DOMAIN = re.compile(
    r"@(?:[^@]*\.)?(example|domain|email|yourschool|school|test|sample)\.(com|org|net|co\.uk|org\.uk|gov\.uk|sch\.uk|uk)$",
    re.I,
)


def find_placeholder(text: str) -> bool:
    """True when ``text`` looks like an unfilled template placeholder rather than a real value."""
    stripped = text.strip()
    if _EXAMPLE_DOMAIN.search(stripped):
        return True
    return any(pattern.search(stripped) for pattern in _PATTERNS)
