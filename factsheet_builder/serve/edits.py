"""What a submitted form changes, as values by path: the changes themselves (for the change log and a conflict's
report), the school file's new text (its comments, key order and untouched lines kept, as ``factsheet import``
keeps them), and two people's changes to one school reconciled without losing either."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from factsheet_builder.config.base_fields import ScalarField, join
from factsheet_builder.config.fields import Date, Phone
from factsheet_builder.roster import yamledit
from factsheet_builder.serve.forms import NEW, Plan, Repeated, Rows, Values, lists, row_values, scalar_paths, with_rows


@dataclass(frozen=True)
class Change:
    """One value changed: its dotted path, and its text before and after ("" for none)."""

    path: str
    old: str
    new: str


State = tuple[Values, Rows]  # a form's values and its lists' rows


def _keys(part: Repeated) -> list[str]:
    return [key for key, _ in part.item.fields]


def diff(parts: Plan, before: State, after: State) -> list[Change]:
    """Every value of the form that differs between two states (a list's compared row by row)."""
    (old, old_rows), (new, new_rows) = before, after
    found = [Change(p, old.get(p, ""), new.get(p, "")) for p in scalar_paths(parts) if old.get(p, "") != new.get(p, "")]
    for part in lists(parts):
        keys = _keys(part)
        was = row_values(old, part.path, len(old_rows.get(part.path, [])), keys)
        now = row_values(new, part.path, len(new_rows.get(part.path, [])), keys)
        for i in range(max(len(was), len(now))):
            for key in keys:
                a = was[i].get(key, "") if i < len(was) else ""
                b = now[i].get(key, "") if i < len(now) else ""
                if a != b:
                    found.append(Change(f"{part.path}[{i}].{key}", a, b))
    return found


def without_blank_rows(parts: Plan, state: State) -> State:
    """A submission without the rows of lists left wholly blank (clearing a row removes it)."""
    values, rows = state
    rows = dict(rows)
    for part in lists(parts):
        keys = _keys(part)
        kept = [
            (o, r)
            for o, r in zip(rows.get(part.path, []), row_values(values, part.path, len(rows.get(part.path, [])), keys))
            if r
        ]
        rows[part.path] = [origin for origin, _ in kept]
        values = with_rows(values, part.path, [row for _, row in kept])
    return values, rows


def apply(text: str, label: str, parts: Plan, was: State, now: State) -> str:
    """The school file's text with the form's changes from ``was`` to ``now`` written in; every other line,
    comment and key order kept. EditError when the file's shape does not allow it (a person that is not a mapping)."""
    document, yaml = yamledit.load(text.replace("\r\n", "\n"), label)
    (old, old_rows), (new, new_rows) = was, now
    fields = {
        join(part.path, key): declared
        for part in parts
        if not isinstance(part, Repeated)
        for key, declared in part.fields
    }
    for path, declared in fields.items():
        if old.get(path, "") != new.get(path, ""):
            _unshared(document, path.split("."), label, path)
            _set(document, path.split("."), new.get(path, ""), declared)
    for part in lists(parts):
        keys = _keys(part)
        before = row_values(old, part.path, len(old_rows.get(part.path, [])), keys)
        after = row_values(new, part.path, len(new_rows.get(part.path, [])), keys)
        if before != after or old_rows.get(part.path, []) != new_rows.get(part.path, []):
            _unshared(document, [*part.path.split("."), ""], label, part.path)  # the list itself
            _set_list(document, label, part, new_rows.get(part.path, []), after)
    return yamledit.dump(yaml, document, text)


def _set(document: CommentedMap, keys: list[str], text: str, declared: ScalarField) -> None:
    """Write one value; an optional value cleared is deleted, a required one is left empty for the checker to name."""
    parent = yamledit.get(document, keys[:-1]) if len(keys) > 1 else document
    if not text and not declared.required and isinstance(parent, CommentedMap) and keys[-1] in parent:
        yamledit.remove(parent, keys[-1])
        return
    yamledit.put(document, keys, _typed(text, declared))


def _typed(text: str, declared: ScalarField) -> Any:
    """A value as the file writes it: phone numbers quoted (as the examples and ``import`` write them), a real
    date plain, anything else as ruamel.yaml sees fit (it quotes text that YAML would read as another type)."""
    if isinstance(declared, Phone) and text:
        return DoubleQuotedScalarString(text)
    if isinstance(declared, Date):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _unshared(document: CommentedMap, keys: Sequence[str | int], label: str, path: str) -> None:
    """Refuse (EditError) to set ``keys`` when that would change another key too, through a YAML alias: the change
    log would name one value changed, the leaflet print two."""
    try:
        yamledit.not_shared(document, keys, then="save again")
    except yamledit.SharedValue as exc:
        raise yamledit.EditError(f"{label}: changing {path} {exc.message}") from None


def _set_list(document: CommentedMap, label: str, part: Repeated, origins: list[str], rows: list[Values]) -> None:
    """Make the list at ``part.path`` these rows, each row that came from the file edited in place (keeping its
    comments, its style and the values the form does not show, such as a photo)."""
    keys = part.path.split(".")
    own = yamledit.get(document, keys)
    items = list(own) if isinstance(own, CommentedSeq) else []
    made = CommentedSeq()
    for origin, row in zip(origins, rows):
        index = int(origin) if origin != NEW and origin.isdigit() else None
        item = items[index] if index is not None and index < len(items) else None
        if not isinstance(item, CommentedMap):
            item = CommentedMap()
            item.fa.set_flow_style()
        for key, declared in part.item.fields:
            text = row.get(key, "")
            if str(item.get(key, "") or "") != text:
                if index is not None:
                    _unshared(document, [*keys, index, key], label, f"{part.path}[{index}].{key}")
                _set(item, [key], text, declared)
        made.append(item)
    if [id(item) for item in made] != [id(item) for item in items]:
        yamledit.put(document, keys, made)


def merge(parts: Plan, mine: State, was: State, now: State) -> State:
    """The form to show after a conflict: the values this person changed (from ``was``), and for every other value
    what the file holds ``now``; a list this person changed is kept whole, as new rows if the file's changed too."""
    (values, rows), (old, old_rows), (current, current_rows) = mine, was, now
    merged = {
        p: values.get(p, "") if values.get(p, "") != old.get(p, "") else current.get(p, "") for p in scalar_paths(parts)
    }
    merged_rows: Rows = {}
    for part in lists(parts):
        keys = _keys(part)
        path = part.path

        def state(v: Values, r: Rows) -> tuple[list[str], list[Values]]:
            return r.get(path, []), row_values(v, path, len(r.get(path, [])), keys)

        mine_list, was_list, now_list = state(values, rows), state(old, old_rows), state(current, current_rows)
        if mine_list == was_list:
            origins, chosen = now_list
        else:
            origins = mine_list[0] if was_list == now_list else [NEW] * len(mine_list[1])
            chosen = mine_list[1]
        merged_rows[path] = origins
        merged = with_rows(merged, path, chosen)
    return {k: v for k, v in merged.items() if v}, merged_rows


def renamed(parts: Plan, was: State, now: State, confirmed: set[str]) -> dict[str, str]:
    """For each person whose name changed while their phone or email stayed (and that was not ``confirmed``): the
    question to ask, by the person's path in ``now``. A leaflet must never print one person's name beside another
    person's number."""
    (old, old_rows), (new, new_rows) = was, now
    people: list[tuple[str, str, list[tuple[str, ScalarField]]]] = []  # (path now, path then, fields)
    for part in parts:
        if isinstance(part, Repeated):
            for i, origin in enumerate(new_rows.get(part.path, [])):
                if origin.isdigit() and int(origin) < len(old_rows.get(part.path, [])):
                    people.append((f"{part.path}[{i}]", f"{part.path}[{origin}]", list(part.item.fields)))
        else:
            people.append((part.path, part.path, list(part.fields)))
    questions = {}
    for here, then, fields in people:
        before, after = old.get(join(then, "name"), ""), new.get(join(here, "name"), "")
        if not before or not after or _fold(before) == _fold(after) or here in confirmed:
            continue
        kept = [
            declared.noun
            for key, declared in fields
            if key != "name" and new.get(join(here, key)) and new.get(join(here, key)) == old.get(join(then, key))
        ]
        if kept:
            details = " and ".join(kept)
            questions[here] = (
                f"The {details} {'is' if len(kept) == 1 else 'are'} still {before}'s. Change or clear "
                f"{'it' if len(kept) == 1 else 'them'}, or tick the box if {'it is' if len(kept) == 1 else 'they are'} "
                f"{after}'s too."
            )
    return questions


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
