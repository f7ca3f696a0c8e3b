"""Loading one school: its YAML and _defaults.yaml cascade, converted and checked against the schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from factsheet_builder.config import yamlfile
from factsheet_builder.config.cascade import mixed_authority, overlay_maps
from factsheet_builder.config.characters import CONFIRM_KEY
from factsheet_builder.config.fields import Checker, Choice, Group, ListOf, char_name, is_valid, shown
from factsheet_builder.config.schema import school_fields
from factsheet_builder.config.yamlfile import Map, Scalar, Seq, YamlFileError
from factsheet_builder.exceptions import Problem
from factsheet_builder.files import digest
from factsheet_builder.images import Picture
from factsheet_builder.workspace import SchoolFile, Workspace

DEFAULT_LAYOUTS = ("leaflet",)


@dataclass
class SchoolConfig:
    """A school's checked values, the layouts and topics it wants and every text value with its place (for font
    checks). ``topics`` are those to build now: of ``own_topics``, the school's choice, those the command line
    names (all of them when it names none)."""

    id: str
    label: str
    values: dict[str, Any]
    layouts: tuple[str, ...]
    topics: tuple[str, ...]
    own_topics: tuple[str, ...]
    layout_options: dict[str, dict[str, Any]]  # as the config gives them; Layout(options) adds the defaults
    cascade: str  # the hash of the bytes read of the school's file and every _defaults.yaml above it
    texts: list[tuple[str, str, Scalar]] = field(default_factory=list)
    images: tuple[Picture, ...] = ()  # as read


def school_schema(layouts: Mapping[str, Any], topics: Mapping[str, Any]) -> Group:
    """The whole school-file schema: the keys of the layouts available and what the topics declare and refer to."""
    names = tuple(layouts)
    roles = {role.key.split(".", 1)[1]: role.label.source for topic in topics.values() for role in topic.roles}
    return Group(
        "A school's leaflet settings (or defaults for the schools in and below this folder).",
        fields={
            **school_fields(roles, {name for topic in topics.values() for name in topic.refers}),
            "topics": ListOf(
                "Topics to build for this school (default: every topic in content/).",
                item=Choice("A topic name.", tuple(topics)),
                max_items=len(topics) or 1,
                unique=True,
            ),
            "layouts": ListOf(
                "Layouts to build for this school (default: leaflet).",
                item=Choice("A layout name.", names),
                max_items=len(names) or 1,
                unique=True,
            ),
            "layout_options": Group(
                "Options for each layout, by layout name.",
                fields={
                    name: Group(f"Options of the '{name}' layout.", fields=dict(layout.options))
                    for name, layout in layouts.items()
                },
            ),
        },
    )


@lru_cache(maxsize=256)
def _parsed(data: bytes, label: str) -> Map:
    return yamlfile.parse(yamlfile.decode(data, label), label)


def load_yaml(workspace: Workspace, path: Path) -> tuple[Map, str]:
    """Parse one YAML file, and the sha256 of the bytes parsed (a file's bytes are parsed once per process:
    defaults files are shared by many schools)."""
    label = workspace.label(path)
    data = yamlfile.read_bytes(path, label)
    return _parsed(data, label), hashlib.sha256(data).hexdigest()


def check_defaults(
    workspace: Workspace, path: Path, layouts: Mapping[str, Any], topics: Mapping[str, Any]
) -> list[Problem]:
    """The problems of a _defaults.yaml that no school uses yet: its keys, types and values, not what it leaves out."""
    try:
        tree, _ = load_yaml(workspace, path)
    except YamlFileError as exc:
        return [exc.problem]
    checker = Checker(workspace.root, workspace.label(path), partial=True, confirmed=confirmed_texts(tree))
    school_schema(layouts, topics).convert(tree, "", checker)
    return checker.problems


def load_school(
    workspace: Workspace,
    school: SchoolFile,
    layouts: Mapping[str, Any],
    topics: Mapping[str, Any],
    selected: tuple[str, ...] | None = None,
    today: dt.date | None = None,
    text: str | None = None,
    selected_topics: tuple[str, ...] | None = None,
) -> tuple[SchoolConfig | None, list[Problem]]:
    """Load, merge and check one school (``text``: its file's would-be contents) against its layouts and topics
    (``selected``, ``selected_topics``: those of the command line); None and the problems if unprintable."""
    problems: list[Problem] = []
    merged: Map | None = None
    schema = school_schema(layouts, topics)
    hashes: list[str] = []  # of the bytes of each file of the cascade, as read
    named: dict[str, str] = {}  # the authority each file names
    for path in (*school.defaults, school.path):
        try:
            if text is not None and path == school.path:
                tree = yamlfile.parse(text, school.label)
                hashes.append(hashlib.sha256(text.encode("utf-8")).hexdigest())
            else:
                tree, sha = load_yaml(workspace, path)
                hashes.append(sha)
        except YamlFileError as exc:
            problems.append(exc.problem)
            continue
        authority = tree.items.get("authority")
        authority_name = authority.items.get("name") if isinstance(authority, Map) else None
        if isinstance(authority_name, Scalar):
            named[authority_name.file] = authority_name.text
        merged = tree if merged is None else overlay_maps(merged, tree, schema)
    if problems or merged is None:
        return None, problems
    checker = Checker(workspace.root, school.label, confirmed=confirmed_texts(merged))
    values = schema.convert(merged, "", checker)
    mixed = mixed_authority(merged, named)
    if mixed is not None and not any(p.field == "authority.name" for p in checker.problems):  # damaged: said
        checker.error(mixed[0], "authority.name", mixed[1])
    wanted = values.get("layouts") if isinstance(values, dict) else None
    chosen = selected or tuple(wanted if isinstance(wanted, list) else DEFAULT_LAYOUTS)  # not a list: already an error
    wanted = values.get("topics") if isinstance(values, dict) else None
    own_topics = tuple(wanted if isinstance(wanted, list) else topics)
    chosen_topics = tuple(t for t in own_topics if t in selected_topics) if selected_topics else own_topics
    if not own_topics:
        checker.error(
            merged.items.get("topics"),
            "topics",
            f"lists no topic; list at least one of {', '.join(topics)}, or delete the line to build them all",
        )
    if not chosen:
        checker.error(
            merged.items.get("layouts"),
            "layouts",
            f"lists no layout; list at least one of {', '.join(layouts)}, or delete the line to build the leaflet",
        )
    _check_required(values, chosen_topics, topics, checker)
    _check_review_date(values.get("review_date"), merged, checker, today or dt.date.today())
    for name in chosen:
        if name in layouts:
            _check_fonts(layouts[name], checker)
    problems.extend(checker.problems)
    if not is_valid(values) or any(not p.warning for p in problems):
        return None, problems
    given = values.get("layout_options", {})
    options = {name: given[name] for name in chosen if name in given}  # a Layout sets the defaults of the rest
    images = tuple(sorted({v.path: v for v in _walk(values) if isinstance(v, Picture)}.values(), key=lambda p: p.path))
    return SchoolConfig(
        school.id,
        school.label,
        values,
        chosen,
        chosen_topics,
        own_topics,
        options,
        digest(*hashes),
        checker.texts,
        images,
    ), problems


def confirmed_texts(tree: Map) -> frozenset[str]:
    """The texts a settings file confirms are right as written (its ``confirmed_text`` list, spaces folded)."""
    listed = tree.items.get(CONFIRM_KEY)
    if not isinstance(listed, Seq):
        return frozenset()
    return frozenset(" ".join(item.text.split()) for item in listed.items if isinstance(item, Scalar))


def _check_required(values: Any, chosen: tuple[str, ...], topics: Mapping[str, Any], checker: Checker) -> None:
    """Report each value a chosen topic's text needs that the school leaves unset, naming the topic and where."""
    for name in chosen:
        if name not in topics:
            continue  # not a topic: the topics key has reported it
        for path, (file, line) in topics[name].requires.items():
            value = values
            for part in path.split("."):
                if not isinstance(value, dict):
                    break
                value = value.get(part)
            if value is None:  # an INVALID value or part of one has been reported already
                checker.error(None, path, f"required by topic '{name}' ({file}:{line})")


def _walk(value: Any):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def _check_review_date(review: dt.date | None, merged: Map, checker: Checker, today: dt.date) -> None:
    if isinstance(review, dt.date) and review < today:
        node = merged.items["review_date"]
        checker.problems.append(
            Problem(
                node.file,
                node.line,
                "review_date",
                f"'{review.isoformat()}' is in the past; check the leaflet's names and numbers, then set the next review date",
                warning=True,
            )
        )


def unprintable(text: str, layout: Any) -> str | None:
    """Why ``text`` cannot be printed with ``layout``'s fonts (naming each character), or None when it can."""
    missing = layout.fonts.missing(text)
    if not missing:
        rtl = next((c for c in text if unicodedata.bidirectional(c) in ("R", "AL")), None)
        if rtl is None:
            return None
        # ReportLab lays text out left to right only: Hebrew the font has would print reversed.
        return (
            f"{shown(text)} contains right-to-left text ('{rtl}' {char_name(rtl)}), which the '{layout.name}' "
            "layout would print in the wrong order; write the value in a left-to-right script"
        )
    chars = [f"'{c}' ({char_name(c)})" for c in missing[:5]] + (["others"] if len(missing) > 5 else [])
    listed = chars[0] if len(chars) == 1 else ", ".join(chars[:-1]) + " and " + chars[-1]
    return (
        f"{shown(text)} contains {listed}, which the '{layout.name}' layout's font {layout.fonts.name} cannot print; "
        f"retype the value without {'it' if len(missing) == 1 else 'them'} or use a layout whose font has "
        f"{'it' if len(missing) == 1 else 'them'}"
    )


def _check_fonts(layout: Any, checker: Checker) -> None:
    for text, path, node in checker.texts:
        message = unprintable(text, layout)
        if message is not None:
            checker.error(node, path, message)
