"""The merged fact sheet: one school's config and one topic's content, ready for a layout to draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from factsheet_builder.config.load import SchoolConfig
from factsheet_builder.content import TemplateText, references
from factsheet_builder.images import Picture
from factsheet_builder.topics import Topic


@dataclass(frozen=True)
class Person:
    """A member of the school's safeguarding team as printed: role, name and direct contacts."""

    role: str
    name: str
    phone: str | None = None
    email: str | None = None
    photo: Picture | None = None


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
class PosterList:
    """A list the poster draws (the steps, or the signs) under the heading of the section it comes from."""

    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Poster:
    """What the poster draws besides the team and the numbers; a topic may give it no steps or no signs."""

    heading: str
    steps: PosterList | None
    signs: PosterList | None


@dataclass(frozen=True)
class FactSheet:
    """Everything a layout draws for one school; layouts read only this."""

    school_id: str
    school_name: str
    logo: Picture | None
    authority: str
    topic: str
    title: str
    attribution: str
    subtitle: str
    subject: str
    language: str
    version: str
    review_date: dt.date
    sections: tuple[Section, ...]
    panel_heading: str
    panel_intro: str
    people: tuple[Person, ...]
    deputies: int  # how many of the people are deputies
    notes: tuple[str, ...]  # what the panel says of the topic's roles that a school leaves empty
    agencies: tuple[Agency, ...]
    poster: Poster

    @property
    def panel_people(self) -> tuple[Person, ...]:
        """The team as its lists print it: neighbours with one role and no phone, email or photo share an entry."""
        rows: list[Person] = []
        for person in self.people:
            previous = rows[-1] if rows else None
            if (
                previous
                and previous.role == person.role
                and not any((person.phone, person.email, person.photo, previous.phone, previous.email, previous.photo))
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
        out = [self.title, self.attribution, self.subtitle, self.school_name, self.panel_heading, self.panel_intro]
        for person in self.people:
            out += [person.role, person.name, person.phone or "", person.email or ""]
        out += self.notes
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


def merge(config: SchoolConfig, topic: Topic) -> FactSheet:
    """Combine one school's config with one topic: once per school and topic, whatever the layouts."""
    ctx = context(config)
    c = topic.values

    def r(value: TemplateText | None) -> str:
        return value.render(ctx) if value is not None else ""

    panel = c["contacts_panel"]
    safeguarding = config.values["safeguarding"]
    own = config.values.get("role_names", {})  # the school's own words for a role win over the topic's
    words = {"dsl": own.get("dsl") or r(panel["dsl"]), "deputy": own.get("deputy") or r(panel["deputy"])}
    for role in topic.roles:
        key = role.key.split(".", 1)[1]
        words[key] = own.get(key) or r(role.label)
    ctx["role_names"] = words  # for the text around them, such as a role's when_absent ("Our DSL is also ...")
    people = [_person(words["dsl"], safeguarding["dsl"])]
    people += [_person(words["deputy"], d) for d in safeguarding.get("deputies", [])]
    notes = []
    for role in topic.roles:
        key = role.key.split(".", 1)[1]
        person = safeguarding.get(key)
        if person is not None:
            people.append(_person(words[key], person))
        elif role.when_absent is not None:
            notes.append(r(role.when_absent))
    sections = tuple(
        Section(s["id"], r(s["heading"]), tuple(_block(b, r) for b in s.get("blocks", [])))
        for s in c.get("sections", [])
    )
    return FactSheet(
        school_id=config.id,
        school_name=config.values["school"]["name"],
        logo=config.values["school"].get("logo"),
        authority=config.values["authority"]["name"],
        topic=topic.name,
        title=r(c["title"]),
        attribution=r(c["attribution"]),
        subtitle=r(c["subtitle"]),
        subject=r(c["subject"]),
        language=c["language"],
        version=c["version"],
        review_date=config.values.get("review_date") or c["review_date"],
        sections=sections,
        panel_heading=r(panel["heading"]),
        panel_intro=r(panel["intro"]),
        people=tuple(people),
        deputies=len(safeguarding.get("deputies", [])),
        notes=tuple(notes),
        agencies=tuple(_agencies(c.get("agencies", []), ctx, r)),
        poster=Poster(
            r(c["poster"]["heading"]),
            _poster_list(c["poster"].get("steps"), sections, r),
            _poster_list(c["poster"].get("signs"), sections, r),
        ),
    )


def _agencies(agencies: list[dict[str, Any]], ctx: dict[str, Any], r) -> list[Agency]:
    """The agencies a school's panel lists: one whose "when" value the school does not set is left out, and so
    is a line referring to a value it leaves out (such as an optional email)."""
    out = []
    for agency in agencies:
        if "when" in agency and not _is_set(ctx, agency["when"]):
            continue
        lines = tuple(
            (r(line.get("caption")), r(line["value"]))
            for line in agency["lines"]
            if all(_is_set(ctx, name) for name, _ in references(line["value"].source))
        )
        if lines:
            out.append(Agency(r(agency["label"]), lines))
    return out


def _is_set(ctx: dict[str, Any], name: str) -> bool:
    value: Any = ctx
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


def _poster_list(chosen: dict[str, Any] | None, sections: tuple[Section, ...], r) -> PosterList | None:
    if not chosen or not chosen.get("items"):
        return None
    heading = next(s.heading for s in sections if s.id == chosen["section"])
    return PosterList(heading, tuple(r(t) for t in chosen["items"]))


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
