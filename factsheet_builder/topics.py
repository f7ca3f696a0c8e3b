"""Topics: one fact sheet each, a content file content/<topic>.yaml, and what it needs from a school's config."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import Checker, Date, Group, ListOf, Node, ScalarField, Text, is_valid, shown
from factsheet_builder.config.yamlfile import Map, Scalar, YamlFileError
from factsheet_builder.content import Block, Prose, TemplateText, references
from factsheet_builder.exceptions import ConfigError, Problem
from factsheet_builder.workspace import LEGACY_CONTENT, SLUG, Workspace

CONFIG_ROOTS = ("school", "authority", "contacts", "safeguarding")  # the names content text may refer to
EXTENSIBLE = ("authority", "contacts")  # where a topic may ask for values of its own
FIXED_PEOPLE = ("dsl", "deputies")


class ConfigPath(ScalarField):
    """A dotted name of a config value, such as contacts.lado or safeguarding.cse_lead."""

    def __init__(self, description: str, required: bool = False, roots: tuple[str, ...] = CONFIG_ROOTS) -> None:
        super().__init__(description, required, "a dotted config name such as " + ", ".join(f"'{r}.…'" for r in roots))
        self.roots = roots

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        parts = text.split(".")
        if len(parts) < 2 or parts[0] not in self.roots or not all(re.fullmatch(r"[a-z][a-z0-9_]*", p) for p in parts):
            return checker.error(node, path, f"{shown(text)} is not a config name; expected {self.expects}")
        return text

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.description, "type": "string"}


class RoleKey(ConfigPath):
    """Where a school file names the person in a topic's role: safeguarding.<role>."""

    def __init__(self, description: str) -> None:
        super().__init__(description, True, ("safeguarding",))

    def parse(self, text: str, node: Scalar, path: str, checker: Checker) -> Any:
        value = super().parse(text, node, path, checker)
        if isinstance(value, str) and (value.count(".") != 1 or value.split(".")[1] in FIXED_PEOPLE):
            return checker.error(
                node,
                path,
                f"{shown(text)} is not a role's key; write 'safeguarding.' and one word "
                f"of your own, such as 'safeguarding.cse_lead' (not {' or '.join(FIXED_PEOPLE)})",
            )
        return value


def _poster_list(what: str) -> Group:
    return Group(
        f"The poster's {what}: the section whose heading titles them, and the items.",
        fields={
            "section": Text("The id of the content section whose heading the poster prints above them.", True),
            "items": ListOf(
                f"The {what} (default: the bullets of the section).", item=Prose("An item.", True), max_items=12
            ),
        },
    )


TOPIC_SCHEMA = Group(
    "The canonical content of one fact sheet.",
    fields={
        "version": Text("Content version, printed in the footer.", True),
        "review_date": Date("When the content must next be reviewed; printed on the fact sheet.", True),
        "language": Text("Language tag of the text, e.g. en-GB.", True),
        "title": Prose("The fact sheet's title.", True),
        "subtitle": Prose("The line under the title.", True),
        "attribution": Prose("The attribution line under the title.", True),
        "subject": Prose("One line for the document's subject metadata.", True),
        "sections": ListOf(
            "The sections, in reading order.",
            max_items=40,
            item=Group(
                "A section.",
                fields={
                    "id": Text("A short unique name for the section.", True),
                    "heading": Prose("The heading.", True),
                    "blocks": ListOf("The section's blocks.", item=Block(), max_items=40),
                },
            ),
        ),
        "contacts_panel": Group(
            "The words of the 'Who to talk to' panel.",
            True,
            fields={
                "heading": Prose("The panel's heading.", True),
                "intro": Prose("The sentence under the heading.", True),
                "dsl": Prose("The DSL's role, as printed.", True),
                "deputy": Prose("A deputy's role, as printed.", True),
            },
        ),
        "roles": ListOf(
            "People the panel lists after the DSL and deputies.",
            max_items=6,
            item=Group(
                "A role.",
                fields={
                    "key": RoleKey("Where a school file gives the person, e.g. safeguarding.cse_lead."),
                    "label": Prose("The role, as printed.", True),
                    "when_absent": Prose("What the fact sheet says when a school has no one in this role (optional)."),
                },
            ),
        ),
        "agencies": ListOf(
            "The agencies whose numbers the panel lists, in order.",
            max_items=10,
            item=Group(
                "An agency.",
                fields={
                    "label": Prose("The agency's name, as printed.", True),
                    "when": ConfigPath(
                        "List the agency only when a school sets this value, e.g. contacts.lado (optional)."
                    ),
                    "lines": ListOf(
                        "Its numbers.",
                        max_items=4,
                        item=Group(
                            "A number.",
                            fields={
                                "caption": Prose("Printed before the number, e.g. Emergency (optional)."),
                                "value": Prose("The number, e.g. {{ contacts.police.emergency }}.", True),
                            },
                        ),
                    ),
                },
            ),
        ),
        "poster": Group(
            "The words of the one-page poster.",
            True,
            fields={
                "heading": Prose("The poster's headline.", True),
                "steps": _poster_list("steps of what to do"),
                "signs": _poster_list("key warning signs"),
            },
        ),
    },
)


@dataclass(frozen=True)
class Role:
    """A person a topic's panel shows besides the DSL and deputies, and what it says when a school has none."""

    key: str
    label: TemplateText
    when_absent: TemplateText | None


@dataclass(frozen=True)
class Topic:
    """One checked content file: its values (TemplateText where text), every text with its place, and the config
    values it refers to (required: the first place each is referred to unconditionally)."""

    name: str
    path: Path
    label: str
    values: dict[str, Any]
    texts: tuple[tuple[str, str, Scalar], ...]
    requires: dict[str, tuple[str, int]]
    refers: frozenset[str]
    review_line: int | None = None
    sha256: str = ""  # of the file's bytes as read

    @property
    def version(self) -> str:
        return self.values["version"]

    @property
    def review_date(self) -> dt.date:
        return self.values["review_date"]

    @property
    def title(self) -> str:
        return self.values["title"].source

    @property
    def roles(self) -> tuple[Role, ...]:
        return tuple(Role(r["key"], r["label"], r.get("when_absent")) for r in self.values.get("roles", []))


def _walk_texts(value: Any, conditional: bool = False):
    """Every TemplateText in a converted topic, with whether it is printed only under a condition."""
    if isinstance(value, TemplateText):
        yield value, conditional
    elif isinstance(value, dict):
        conditional = conditional or "when" in value
        for key, item in value.items():
            yield from _walk_texts(item, conditional or key == "when_absent")
    elif isinstance(value, list):
        for item in value:
            yield from _walk_texts(item, conditional)


def _check_references(values: dict[str, Any], checker: Checker) -> tuple[dict[str, tuple[str, int]], set[str]]:
    """The values the text refers to (required ones with their first place); a name outside the config is an error."""
    roles = {r["key"] for r in values.get("roles", []) if isinstance(r, dict) and isinstance(r.get("key"), str)}
    requires: dict[str, tuple[str, int]] = {}
    refers: set[str] = set()
    for text, conditional in _walk_texts(values):
        for name, inner in references(text.source):
            parts = name.split(".")
            if parts[0] not in CONFIG_ROOTS:
                checker.problems.append(
                    Problem(
                        text.file,
                        text.line,
                        text.path,
                        f"{shown(text.source)} refers to '{parts[0]}', which is not a config "
                        f"value; the names available are {', '.join(CONFIG_ROOTS)}",
                    )
                )
                continue
            if (
                parts[0] in ("school", "safeguarding")
                and len(parts) > 1
                and ".".join(parts[:2]) not in roles
                and parts[1] not in ("name", "logo", *FIXED_PEOPLE)
            ):
                checker.problems.append(
                    Problem(
                        text.file,
                        text.line,
                        text.path,
                        f"{shown(text.source)} refers to '{name}', which school files do not "
                        f"have; a topic may ask for values of its own under "
                        f"{' and '.join(EXTENSIBLE)}, or declare a role",
                    )
                )
                continue
            refers.add(name)
            if not (conditional or inner):
                requires.setdefault(name, (text.file, text.line))
    return requires, refers


def _check_poster(values: dict[str, Any], tree: Node, checker: Checker) -> None:
    """Each poster list names a section that exists; a list without items takes that section's bullets."""
    sections = {s["id"]: s for s in values.get("sections", []) if isinstance(s, dict) and "id" in s}
    for what in ("steps", "signs"):
        chosen = values.get("poster", {}).get(what)
        if not isinstance(chosen, dict) or not isinstance(chosen.get("section"), str):
            continue
        if chosen["section"] not in sections:
            node = _child(tree, "poster", what, "section")
            checker.error(
                node,
                f"poster.{what}.section",
                f"there is no section with the id '{chosen['section']}'; the ids are {', '.join(sections) or 'none'}",
            )
        elif "items" not in chosen:
            chosen["items"] = [
                t
                for b in sections[chosen["section"]].get("blocks", [])
                if isinstance(b, dict) and b.get("kind") == "bullets"
                for t in b["bullets"]
            ]


def _child(node: Node, *keys: str) -> Node | None:
    """The node at ``keys`` below a mapping node, or None where one of them is not there."""
    for key in keys:
        if not isinstance(node, Map) or key not in node.items:
            return None
        node = node.items[key]
    return node


def load_topic(path: Path, label_root: Path) -> Topic:
    """Load and check one content file; raise ConfigError listing every problem."""
    label = path.relative_to(label_root).as_posix()
    name = path.name[: -len(".yaml")]
    if not SLUG.match(name):
        raise ConfigError(
            [
                Problem(
                    label,
                    None,
                    None,
                    f"'{name}' is not a topic name: the file name goes into output "
                    "file names, so use lower-case letters, digits and single hyphens",
                )
            ]
        )
    try:
        data = yamlfile.read_bytes(path, label)
        tree = yamlfile.parse(yamlfile.decode(data, label), label)
    except YamlFileError as exc:
        raise ConfigError([exc.problem]) from None
    checker = Checker(label_root, label)
    values = TOPIC_SCHEMA.convert(tree, "", checker)
    ids = [s.get("id") for s in values.get("sections", []) if isinstance(s, dict)]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1 and i}):
        checker.problems.append(Problem(label, None, "sections", f"the section id '{duplicate}' is used twice"))
    _check_poster(values, tree, checker)
    requires, refers = _check_references(values, checker)
    if checker.problems or not is_valid(values):
        raise ConfigError(checker.problems)
    review = tree.items.get("review_date") if isinstance(tree, Map) else None
    return Topic(
        name,
        path,
        label,
        values,
        tuple(checker.texts),
        requires,
        frozenset(refers),
        review.line if review is not None else None,
        hashlib.sha256(data).hexdigest(),
    )


def load_topics(workspace: Workspace) -> dict[str, Topic]:
    """Every topic of a workspace by name; ConfigError listing the problems of every file."""
    legacy = workspace.content_dir / LEGACY_CONTENT
    if legacy.is_file():
        raise ConfigError([legacy_problem(legacy, workspace.root)])
    files = workspace.topic_files()
    if not files:
        raise ConfigError(
            [
                Problem(
                    "content",
                    None,
                    None,
                    "there is no content file: each fact sheet is a file content/<topic>.yaml (see docs/topics.md)",
                )
            ]
        )
    topics: dict[str, Topic] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            topic = load_topic(path, workspace.root)
        except ConfigError as exc:
            problems += exc.problems
        else:
            topics[topic.name] = topic
    if problems:
        raise ConfigError(problems)
    return topics


def topics_in(folder: Path) -> dict[str, Topic]:
    """The topics in ``folder``/content, if it has any (the folder need not be a workspace)."""
    workspace = Workspace(folder.resolve())
    return load_topics(workspace) if workspace.topic_files() else {}


def legacy_problem(path: Path, label_root: Path) -> Problem:
    """The one-line message for a workspace that still has the single content/leaflet.yaml."""
    slug = re.search(r"^slug:\s*['\"]?([a-z0-9-]+)", path.read_text("utf-8", errors="replace"), re.MULTILINE)
    name = slug.group(1) if slug else "cse"
    return Problem(
        path.relative_to(label_root).as_posix(),
        None,
        None,
        f"each fact sheet is now a file named after its topic: rename this file to content/{name}.yaml "
        "and update it as docs/topics.md describes",
    )


def overview(workspace: Workspace, today: dt.date | None = None) -> tuple[list[str], list[Problem]]:
    """``factsheet topics``: a line per topic (name, title, version, review date) and a warning for each topic
    whose review date has passed."""
    topics = load_topics(workspace)
    today = today or dt.date.today()
    width = max(len(name) for name in topics)
    lines, warnings = [], []
    for topic in topics.values():
        review = topic.review_date
        lines.append(
            f"{topic.name:<{width}}  {topic.title}  (version {topic.version}, review by {review.day} {review:%B %Y})"
        )
        if review < today:
            warnings.append(
                Problem(
                    topic.label,
                    topic.review_line,
                    "review_date",
                    f"'{review.isoformat()}' is in the past; review the text of the fact sheet, "
                    "then set the next review date",
                    warning=True,
                )
            )
    return lines, warnings
