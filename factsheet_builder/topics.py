"""Topics: one fact sheet each, a content file content/<topic>.yaml, and what it needs from a school's config."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet_builder.config import yamlfile
from factsheet_builder.config.fields import Checker, Node, is_valid, shown
from factsheet_builder.config.yamlfile import Map, Scalar, Seq, YamlFileError
from factsheet_builder.content import TemplateText, references
from factsheet_builder.exceptions import ConfigError, Problem
from factsheet_builder.topic_schema import CONFIG_ROOTS, EXTENSIBLE, FIXED_PEOPLE, ROLE_WORDS, TOPIC_SCHEMA
from factsheet_builder.workspace import LEGACY_CONTENT, SLUG, Workspace


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
    tree: Map | None = None  # the file as read, every value located
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


_ROLE_WORDS_PATH = re.compile(r"contacts_panel\.(dsl|deputy)|roles\[\d+\]\.label")  # the words role_names gives


def _check_references(values: dict[str, Any], checker: Checker) -> tuple[dict[str, tuple[str, int]], set[str]]:
    """The values the text refers to (required ones with their first place); a name outside the config is an error."""
    roles = {r["key"] for r in _listed(values, "roles") if isinstance(r, dict) and isinstance(r.get("key"), str)}
    words = ("dsl", "deputy", *(key.split(".", 1)[-1] for key in sorted(roles)))
    requires: dict[str, tuple[str, int]] = {}
    refers: set[str] = set()
    for text, conditional in _walk_texts(values):
        for name, inner in references(text.source):
            parts = name.split(".")
            if parts[0] == ROLE_WORDS:  # every school has words for every role, so none is required
                if _ROLE_WORDS_PATH.fullmatch(text.path or ""):
                    wrong = "in the words for a role itself; write the topic's words here (role_names replaces them)"
                elif len(parts) != 2 or parts[1] not in words:
                    wrong = (
                        f"which is not a role's words; the roles are {', '.join(f'{ROLE_WORDS}.{w}' for w in words)}"
                    )
                else:
                    continue
                checker.problems.append(
                    Problem(text.file, text.line, text.path, f"{shown(text.source)} refers to '{name}', {wrong}")
                )
                continue
            if parts[0] not in CONFIG_ROOTS:
                checker.problems.append(
                    Problem(
                        text.file,
                        text.line,
                        text.path,
                        f"{shown(text.source)} refers to '{parts[0]}', which is not a config "
                        f"value; the names available are {', '.join((*CONFIG_ROOTS, ROLE_WORDS))}",
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


def _node_at(tree: Node, *keys: str) -> Node | None:
    """The located node at a key path of a content file's tree (None where the path leads nowhere)."""
    node: Node | None = tree
    for key in keys:
        node = node.items.get(key) if isinstance(node, Map) else None
    return node


def _listed(values: dict[str, Any], key: str) -> list[Any]:
    """The list at ``key``; none when it is missing or was refused (its problem is reported already)."""
    value = values.get(key)
    return value if isinstance(value, list) else []


def _check_poster(values: dict[str, Any], tree: Node, checker: Checker) -> None:
    """Each poster list names a section that exists; a list without items takes that section's bullets."""
    sections = {s["id"]: s for s in _listed(values, "sections") if isinstance(s, dict) and isinstance(s.get("id"), str)}
    poster = values.get("poster")
    for what in ("steps", "signs"):
        chosen = poster.get(what) if isinstance(poster, dict) else None
        if not isinstance(chosen, dict) or not isinstance(chosen.get("section"), str):
            continue
        if chosen["section"] not in sections:
            checker.error(
                _node_at(tree, "poster", what, "section"),
                f"poster.{what}.section",
                f"there is no section with the id '{chosen['section']}'; the ids are {', '.join(sections) or 'none'}",
            )
        elif "items" not in chosen:
            chosen["items"] = [
                t
                for b in _listed(sections[chosen["section"]], "blocks")
                if isinstance(b, dict) and b.get("kind") == "bullets"
                for t in _listed(b, "bullets")
            ]


def _check_conditions(values: dict[str, Any], tree: Node, checker: Checker) -> None:
    """Each agency's ``when`` names a value it prints (or a part of one, such as contacts.lado): a value no school
    file could set (a typo) would leave the agency off every leaflet without a word."""
    listed = _node_at(tree, "agencies")
    for index, agency in enumerate(_listed(values, "agencies")):
        when = agency.get("when") if isinstance(agency, dict) else None
        if not isinstance(when, str):
            continue
        texts = [
            agency.get("label"),
            *(line.get("value") for line in _listed(agency, "lines") if isinstance(line, dict)),
        ]
        printed = [n for t in texts if isinstance(t, TemplateText) for n, _ in references(t.source)]
        if any(name == when or name.startswith(when + ".") for name in printed):
            continue
        item = listed.items[index] if isinstance(listed, Seq) and index < len(listed.items) else None
        whole = {name.rsplit(".", 1)[0] if name.count(".") > 1 else name for name in printed}
        checker.error(
            item.items.get("when") if isinstance(item, Map) else None,
            f"agencies[{index}].when",
            f"'{when}' is no value this agency prints ({', '.join(printed) or 'it prints none'}); an agency is listed "
            "only for a school that sets its 'when' value, so name one of them or a part of one"
            + (f", such as '{sorted(whole)[0]}'" if whole else ""),
        )


def load_topic(path: Path, label_root: Path) -> Topic:
    """Load and check one content file; raise ConfigError listing every problem."""
    label = path.relative_to(label_root).as_posix()
    name = path.name[: -len(".yaml")]
    if not SLUG.fullmatch(name):
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
    ids = [s.get("id") for s in _listed(values, "sections") if isinstance(s, dict) and isinstance(s.get("id"), str)]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1 and i}):
        checker.problems.append(Problem(label, None, "sections", f"the section id '{duplicate}' is used twice"))
    _check_poster(values, tree, checker)
    _check_conditions(values, tree, checker)
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
        tree,
        hashlib.sha256(data).hexdigest(),
    )


def load_topics(workspace: Workspace) -> dict[str, Topic]:
    """Every topic of a workspace by name; ConfigError listing the problems of every file."""
    legacy = workspace.content_dir / LEGACY_CONTENT
    if legacy.is_file():
        raise ConfigError([legacy_problem(legacy, workspace.root)])
    files = workspace.topic_files()
    problems = [
        Problem(
            workspace.label(path),
            None,
            None,
            f"is not read: content files must end in '.yaml'; rename it to '{path.stem}.yaml'",
        )
        for path in workspace.misnamed_topic_files()
    ]
    if not files:
        raise ConfigError(
            [
                *problems,
                Problem(
                    "content",
                    None,
                    None,
                    "there is no content file: each fact sheet is a file content/<topic>.yaml (see docs/topics.md)",
                ),
            ]
        )
    topics: dict[str, Topic] = {}
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
    """``factsheet topics``: a line per topic (name, title, version, review date), and a warning for each topic
    whose review date has passed and for each retired contact the topics' text gives."""
    from factsheet_builder.config.retired import load_register

    topics = load_topics(workspace)
    retired, problems = load_register(workspace.root)
    if problems:
        raise ConfigError(problems)
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
        warnings += retired.problems(topic.tree) if topic.tree is not None else []
    return lines, warnings
