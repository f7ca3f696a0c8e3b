"""The register of retired contacts: organisations, email domains and phone numbers known to be out of use, each with
when it was retired, what replaced it and where that is stated; and finding them in the values of input files.

The register shipped with the tool is ``retired.yaml`` beside this module. A workspace adds entries of its own (a
council's old switchboard, a disbanded team) in a ``retired.yaml`` at its root, in the same form, checked like
every other input file (docs/retired-contacts.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import Checker, Date, Group, ListOf, ScalarField, Text, Url, is_valid, shown
from factsheet_builder.config.located import scalars
from factsheet_builder.config.yamlfile import Map, Node, Scalar, Seq, YamlFileError
from factsheet_builder.exceptions import ConfigError, Problem

WORKSPACE_REGISTER = "retired.yaml"  # a workspace's own entries, at its root
SHIPPED = Path(__file__).with_name("retired.yaml")
REQUIRED = ("name", "retired", "replaced_by", "sources")
MATCHERS = ("names", "abbreviations", "domains", "numbers", "number_ranges")
MAX_ENTRIES = 1000

_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_SEPARATOR = r"[ \-.()\u00a0]{0,2}"  # what people type between the digits of a number: "0191 277-2500", "(0191)"
# An address whose domain a register entry can match: an email address, a web address, or one starting www.
_ADDRESS = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+@(?P<mail>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)"
    r"|\b[a-z][a-z0-9+.-]*://(?:[^\s/@]*@)?(?P<web>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)\S*"
    r"|(?<![\w.@/-])(?P<www>www\.[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)\S*",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"’”"  # punctuation after an address in a sentence, which is not part of it


class Domain(ScalarField):
    """An email or web domain: an address at it, or at any name below it, matches."""

    def __init__(self, description: str) -> None:
        super().__init__(description, False, "a domain such as 'gsi.gov.uk'")

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        domain = text.lower().lstrip(".@")  # '.gsi.gov.uk' and '@gsi.gov.uk' say the same
        if not _HOST.fullmatch(domain):
            return checker.error(node, path, f"{shown(text)} is not a domain; write it as e.g. 'gsi.gov.uk'")
        return domain


class Abbreviation(ScalarField):
    """An abbreviation, matched as a whole word as written, in capitals, in lower case or with full stops (U.K.B.A.)."""

    def __init__(self, description: str) -> None:
        super().__init__(description, False, "an abbreviation such as 'UKBA'")

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        if not re.fullmatch(r"[^\W_][\w&'.-]*[^\W_]", text):
            return checker.error(
                node, path, f"{shown(text)} is not an abbreviation; write one word of two or more letters, e.g. 'UKBA'"
            )
        return text


class PhoneDigits(ScalarField):
    """A phone number, kept as its digits in UK national form (+44 written 0), so that any spacing matches."""

    def __init__(self, description: str) -> None:
        super().__init__(description, False, "a phone number such as '0191 277 2500'")

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        if not re.fullmatch(r"\+?[\d\s().-]+", text) or not 3 <= len(digits := national(text)) <= 15:
            return checker.error(node, path, f"{shown(text)} is not a phone number; write it as e.g. '0191 277 2500'")
        return digits


def national(text: str) -> str:
    """The digits of a typed number in UK national form: '+44 (0)191 277 2500' -> '01912772500'."""
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+44"):
        digits = "0" + digits[2:].removeprefix("0")
    return digits


ENTRY = Group(
    "A retired contact.",
    fields={
        "name": Text("What it is, as a warning names it, e.g. 'the UK Border Agency (UKBA)'.", max_length=150),
        "retired": Date("When it was retired, abolished or closed."),
        "replaced_by": Text("What replaced it, or where to find the current contact.", max_length=200),
        "sources": ListOf(
            "Public web pages that state the retirement (the first is named in warnings).",
            item=Url("A web address where the retirement is stated.", qr=False),
            max_items=5,
        ),
        "names": ListOf("Its names, matched whole, in any case.", item=Text("A name."), max_items=20),
        "abbreviations": ListOf(
            "Its abbreviations, matched whole: as written, in capitals, in lower case or with full stops.",
            item=Abbreviation("An abbreviation."),
            max_items=20,
        ),
        "domains": ListOf(
            "Email or web domains: an address at one, or below one, matches.", item=Domain("A domain."), max_items=20
        ),
        "numbers": ListOf(
            "Phone numbers, matched however they are spaced.", item=PhoneDigits("A number."), max_items=50
        ),
        "number_ranges": ListOf(
            "Ranges of phone numbers, such as a switchboard's extensions.",
            max_items=20,
            item=Group(
                "A range: every number from first to last, of the same length.",
                fields={"first": PhoneDigits("The first number."), "last": PhoneDigits("The last number.")},
            ),
        ),
    },
)
REGISTER = Group(
    "Retired contacts to warn of.",
    fields={"entries": ListOf("The retired contacts.", item=ENTRY, max_items=MAX_ENTRIES)},
)


@dataclass(frozen=True)
class Retired:
    """One retired contact: what it is, when it was retired, what replaced it, where that is stated, what matches."""

    name: str
    retired: dt.date
    replaced_by: str
    sources: tuple[str, ...]
    names: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    number_ranges: tuple[tuple[str, str], ...] = ()

    def message(self, found: str) -> str:
        """The warning for ``found``, a piece of text that matches this entry."""
        when = f"{self.retired.day} {self.retired:%B %Y}"
        return f"{shown(' '.join(found.split()))}: {self.name}, retired {when}; replaced by {self.replaced_by} (source: {self.sources[0]})"

    def pattern(self) -> str | None:
        """A regular expression for its names, abbreviations and numbers (not its ranges), or None if it has none."""
        words = [r"(?i:" + r"\s+".join(map(_name_word, name.split())) + ")" for name in self.names]
        words += [form for abbreviation in self.abbreviations for form in _abbreviation_forms(abbreviation)]
        parts = [r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)"] if words else []
        parts += [_number_pattern(number) for number in self.numbers]
        return "|".join(parts) or None


def _abbreviation_forms(abbreviation: str) -> list[str]:
    """Regular expressions for an abbreviation as written, in capitals, in lower case, and with a full stop after
    each letter: 'UKBA', 'ukba', 'U.K.B.A.'."""
    cases = dict.fromkeys((abbreviation, abbreviation.upper(), abbreviation.lower()))
    forms = [re.escape(case) for case in cases]
    if abbreviation.isalnum():
        forms += [_dotted(case) for case in cases]
    return forms


def _name_word(word: str) -> str:
    """A regular expression for a word of a name: an abbreviation in it also with full stops ('U.K. Border Agency')."""
    if len(word) > 1 and word.isalpha() and word.isupper():
        return f"(?:{re.escape(word)}|{_dotted(word)})"
    return re.escape(word)


def _dotted(word: str) -> str:
    return r"\.".join(map(re.escape, word)) + r"\.?"


def _number_pattern(digits: str, free: int = 0) -> str:
    """A number's ``digits`` and ``free`` digits more, however spaced, its leading 0 also written +44 or +44 (0)."""
    parts = [re.escape(d) for d in digits] + [r"\d"] * free
    if digits.startswith("0"):
        parts[0] = rf"(?:\(?0|\+44{_SEPARATOR}(?:\(0\){_SEPARATOR})?)"
    return r"(?<![\d+])" + _SEPARATOR.join(parts) + r"(?!\d)"


class Register:
    """The retired contacts to warn of, ready to be searched for."""

    def __init__(self, entries: Iterable[Retired] = ()) -> None:
        self.entries = tuple(entries)
        self._patterns = [(e, re.compile(p)) for e in self.entries if (p := e.pattern()) is not None]
        self._ranges = [
            (e, first, last, re.compile(_number_pattern(prefix, len(first) - len(prefix))))
            for e in self.entries
            for first, last in e.number_ranges
            for prefix in [_common_prefix(first, last)]
        ]
        self._domains: dict[str, list[Retired]] = {}
        for entry in self.entries:
            for domain in entry.domains:
                self._domains.setdefault(domain, []).append(entry)

    def find(self, text: str) -> list[tuple[Retired, str]]:
        """Each entry that ``text`` mentions, once, with the first text that matches it, in the order they appear."""
        found: dict[Retired, tuple[int, str]] = {}
        for entry, pattern in self._patterns:
            match = pattern.search(text)
            if match:
                found[entry] = (match.start(), match.group())
        for entry, first, last, pattern in self._ranges:
            for match in pattern.finditer(text):
                if first <= national(match.group()) <= last and match.start() < found.get(entry, (len(text), ""))[0]:
                    found[entry] = (match.start(), match.group())
                    break
        if self._domains and ("@" in text or "://" in text or "www." in text.lower()):  # else no address: skip
            for match in _ADDRESS.finditer(text):
                host = (match.group("mail") or match.group("web") or match.group("www")).lower()
                labels = host.split(".")
                for entry in (e for i in range(len(labels)) for e in self._domains.get(".".join(labels[i:]), [])):
                    if entry not in found or match.start() < found[entry][0]:
                        found[entry] = (match.start(), match.group().rstrip(_TRAILING))
        return [(entry, text) for entry, (_, text) in sorted(found.items(), key=lambda item: item[1][0])]

    def problems(self, tree: Node) -> list[Problem]:
        """A warning for each retired contact written in a located tree, at the value's file, line and field (a
        section's ``id``, a label that is never printed, aside)."""
        return [
            Problem(node.file, node.line, path or None, entry.message(found), warning=True)
            for path, node in scalars(tree)
            if not path.endswith(".id")
            for entry, found in self.find(node.text)
        ]


def _common_prefix(first: str, last: str) -> str:
    size = next((i for i, (a, b) in enumerate(zip(first, last)) if a != b), len(first))
    return first[:size]


def load_register(root: Path) -> tuple[Register, list[Problem]]:
    """The shipped register with the workspace's own entries (``root``/retired.yaml, when there is one) added, and
    the problems of the workspace's file."""
    path = root / WORKSPACE_REGISTER
    if not path.exists() and not path.is_symlink():
        return Register(shipped()), []
    own, problems = read_entries(path, WORKSPACE_REGISTER, root)
    return Register((*shipped(), *own)), problems


@lru_cache(maxsize=1)
def shipped() -> tuple[Retired, ...]:
    """The entries of the register shipped with the tool."""
    entries, problems = read_entries(SHIPPED, f"factsheet_builder/config/{SHIPPED.name}", SHIPPED.parent)
    if problems:  # a fault of the package itself, which its tests catch
        raise ConfigError(problems)
    return entries


def read_entries(path: Path, label: str, root: Path) -> tuple[tuple[Retired, ...], list[Problem]]:
    """The checked entries of a register file, and its problems (an entry with any is left out)."""
    try:
        tree = yamlfile.parse(yamlfile.read_text(path, label), label)
    except YamlFileError as exc:
        return (), [exc.problem]
    checker = Checker(root, label)
    values = REGISTER.convert(tree, "", checker)
    listed = tree.items.get("entries")
    if listed is None:
        checker.error(tree, "entries", "is missing; list the retired contacts under 'entries:'")
    entries = []
    if isinstance(listed, Seq) and isinstance(values, dict):
        for i, (value, node) in enumerate(zip(values.get("entries", []), listed.items)):
            if isinstance(value, dict) and _complete(value, node, f"entries[{i}]", checker) and is_valid(value):
                entries.append(_entry(value))
    return tuple(entries), checker.problems


def _complete(value: dict[str, Any], node: Node, path: str, checker: Checker) -> bool:
    """Whether an entry has what every entry needs and its ranges run forwards; records what it lacks."""
    problems = len(checker.problems)
    for key in REQUIRED:
        if not value.get(key):
            checker.error(node, f"{path}.{key}", f"is missing; every entry needs {', '.join(REQUIRED)}")
    if not any(value.get(key) for key in MATCHERS):
        checker.error(node, path, f"matches nothing; give at least one of {', '.join(MATCHERS)}")
    ranges = node.items.get("number_ranges") if isinstance(node, Map) else None
    listed = value.get("number_ranges")
    pairs = zip(listed, ranges.items) if isinstance(listed, list) and isinstance(ranges, Seq) else iter(())
    for j, (limits, where) in enumerate(pairs):
        if not isinstance(limits, dict):
            continue  # reported as it was converted
        first, last = limits.get("first"), limits.get("last")
        if first is None or last is None:
            checker.error(where, f"{path}.number_ranges[{j}]", "needs both a first and a last number")
        elif isinstance(first, str) and isinstance(last, str) and (len(first) != len(last) or first > last):
            nodes = [where.items.get(key) for key in ("first", "last")] if isinstance(where, Map) else []
            typed = [n.text if isinstance(n, Scalar) else "" for n in nodes] or [first, last]
            checker.error(
                where,
                f"{path}.number_ranges[{j}]",
                f"'{typed[0]}' to '{typed[1]}' is not a range; give two numbers of the same length, the lower first",
            )
    return len(checker.problems) == problems


def _entry(value: dict[str, Any]) -> Retired:
    return Retired(
        value["name"],
        value["retired"],
        value["replaced_by"],
        tuple(value["sources"]),
        tuple(value.get("names", ())),
        tuple(value.get("abbreviations", ())),
        tuple(value.get("domains", ())),
        tuple(value.get("numbers", ())),
        tuple((r["first"], r["last"]) for r in value.get("number_ranges", ())),
    )
