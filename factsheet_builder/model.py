"""The merged leaflet: one school's config and the canonical content, ready for a layout to draw."""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from pathlib import Path
from typing import Any

from factsheet_builder.config.load import SchoolConfig
from factsheet_builder.content import Content, TemplateText


@dataclass(frozen=True)
class Person:
    """A member of the school's safeguarding team as printed: role, name and direct contacts."""

    role: str
    name: str
    phone: str | None = None
    email: str | None = None
    photo: Path | None = None


@dataclass(frozen=True)
class Agency:
    """A row of the agencies half of the contacts panel: a label and its numbers."""

    label: str
    lines: tuple[tuple[str, str], ...]  # (caption, value); caption may be ""


@dataclass(frozen=True)
class Block:
    """A content block: kind is paragraph, quote, bullets, links or contacts."""

    kind: str
    text: str = ""
    source: str = ""
    items: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Link:
    """A useful website."""

    name: str
    text: str = ""
    url: str | None = None

    @property
    def display_url(self) -> str:
        """The address as printed: without the scheme, which nobody types."""
        return (self.url or "").removeprefix("https://").removeprefix("http://").rstrip("/")


@dataclass(frozen=True)
class Section:
    """A titled run of blocks."""

    id: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class FactSheet:
    """Everything a layout draws for one school; layouts read only this."""

    school_id: str
    school_name: str
    logo: Path | None
    authority: str
    title: str
    attribution: str
    tagline: str
    subject: str
    language: str
    version: str
    review_date: dt.date
    sections: tuple[Section, ...]
    panel_heading: str
    panel_intro: str
    people: tuple[Person, ...]
    cse_note: str | None
    agencies: tuple[Agency, ...]
    poster_heading: str
    poster_steps: tuple[str, ...]
    poster_signs: tuple[str, ...]

    @property
    def panel_people(self) -> tuple[Person, ...]:
        """The team as a contacts table lists it: neighbours with one role and no phone or email share a row."""
        rows: list[Person] = []
        for person in self.people:
            previous = rows[-1] if rows else None
            if previous and previous.role == person.role and not (
                person.phone or person.email or previous.phone or previous.email
            ):
                rows[-1] = Person(previous.role, f"{previous.name}, {person.name}")
            else:
                rows.append(person)
        return tuple(rows)

    def section(self, section_id: str) -> Section:
        """The section with this id."""
        return next(s for s in self.sections if s.id == section_id)

    @property
    def footer(self) -> str:
        """The footer line printed on every page."""
        return f"{self.school_name} · Review date: {self.review_date.day} {self.review_date:%B %Y} · Content version {self.version}"

    def all_text(self) -> list[str]:
        """Every string the leaflet prints, for checks and tests."""
        out = [self.title, self.attribution, self.tagline, self.school_name, self.panel_heading, self.panel_intro]
        for person in self.people:
            out += [person.role, person.name, person.phone or "", person.email or ""]
        for agency in self.agencies:
            out += [agency.label, *(f"{c} {v}".strip() for c, v in agency.lines)]
        for section in self.sections:
            out.append(section.heading)
            for block in section.blocks:
                out += [block.text, block.source, *(_item_text(i) for i in block.items)]
        return [s for s in out if s]


def _item_text(item: Any) -> str:
    if isinstance(item, Link):
        return " ".join(filter(None, [item.name, item.text, item.display_url]))
    if isinstance(item, tuple):
        return f"{item[0]}: {item[1]}"
    return str(item)


def context(config: SchoolConfig) -> dict[str, Any]:
    """The names content text may use: config values, phones already formatted; never re-rendered."""
    values = config.values
    return {
        "school": {"name": values["school"]["name"]},
        "authority": values["authority"],
        "contacts": values["contacts"],
        "safeguarding": values["safeguarding"],
    }


def merge(config: SchoolConfig, content: Content) -> FactSheet:
    """Combine one school's config with the content: once per school, whatever its layouts."""
    ctx = context(config)
    c = content.values

    def r(value: TemplateText | None) -> str:
        return value.render(ctx) if value is not None else ""

    panel = {key: r(value) for key, value in c["contacts_panel"].items()}
    safeguarding = config.values["safeguarding"]
    people = [_person(panel["dsl"], safeguarding["dsl"])]
    people += [_person(panel["deputy"], d) for d in safeguarding.get("deputies", [])]
    if "cse_lead" in safeguarding:
        people.append(_person(panel["cse_lead"], safeguarding["cse_lead"]))
    contacts = config.values["contacts"]
    agencies = [
        Agency(panel["social_care"], (("", contacts["social_care"]["phone"]),)),
        Agency(panel["out_of_hours"], (("", contacts["social_care"]["out_of_hours"]),)),
        Agency(panel["police"], ((panel["non_emergency"], contacts["police"]["non_emergency"]),
                                 (panel["emergency"], contacts["police"]["emergency"]))),
    ]
    if "lado" in contacts:
        lado = contacts["lado"]
        agencies.append(Agency(panel["lado"], (("", lado["phone"]),) + ((("", lado["email"]),) if "email" in lado else ())))
    sections = tuple(
        Section(s["id"], r(s["heading"]), tuple(_block(b, r) for b in s.get("blocks", []))) for s in c.get("sections", [])
    )
    return FactSheet(
        school_id=config.id,
        school_name=config.values["school"]["name"],
        logo=config.values["school"].get("logo"),
        authority=config.values["authority"]["name"],
        title=r(c["title"]),
        attribution=r(c["attribution"]),
        tagline=r(c["tagline"]),
        subject=r(c["subject"]),
        language=c["language"],
        version=c["version"],
        review_date=config.values.get("review_date") or c["review_date"],
        sections=sections,
        panel_heading=panel["heading"],
        panel_intro=panel["intro"],
        people=tuple(people),
        cse_note=None if "cse_lead" in safeguarding else panel["cse_lead_is_dsl"],
        agencies=tuple(agencies),
        poster_heading=r(c["poster"]["heading"]),
        poster_steps=tuple(r(t) for t in c["poster"].get("steps", [])),
        poster_signs=tuple(r(t) for t in c["poster"].get("key_signs", [])),
    )


def _person(role: str, values: dict[str, Any]) -> Person:
    return Person(role, values["name"], values.get("phone"), values.get("email"), values.get("photo"))


def _block(block: dict[str, Any], r) -> Block:
    kind = block["kind"]
    if kind == "bullets":
        return Block(kind, items=tuple(r(t) for t in block["bullets"]))
    if kind == "links":
        return Block(kind, items=tuple(Link(r(x["name"]), r(x.get("text")), x.get("url")) for x in block["links"]))
    if kind == "contacts":
        return Block(kind, items=tuple((r(x["label"]), r(x["value"])) for x in block["contacts"]))
    return Block(kind, text=r(block[kind]), source=r(block.get("source")))
