"""The _defaults.yaml cascade: deeper files override shallower ones, the school's own file wins."""

from __future__ import annotations

from collections.abc import Mapping

from factsheet_builder.config.base_fields import Field, Group, shown
from factsheet_builder.config.located import scalars
from factsheet_builder.config.yamlfile import Map, Node, Scalar


def overlay(base: Node, override: Node, field: Field | None = None) -> Node:
    """Deep-overlay two located trees: mappings overlay key by key, anything else is replaced. ``field`` is the
    schema of the trees: a group it marks atomic (a person, an agency's contacts) is one value, so a deeper file
    that names it replaces all of it, and one person's name never prints beside another's number."""
    if not (isinstance(base, Map) and isinstance(override, Map)) or (isinstance(field, Group) and field.atomic):
        return override
    fields = field.fields if isinstance(field, Group) else {}
    items = dict(base.items)
    key_lines = dict(base.key_lines)
    for key, value in override.items.items():
        items[key] = overlay(items[key], value, fields.get(key)) if key in items else value
        key_lines[key] = override.key_lines[key]
    return Map(items, override.file, override.line, key_lines)


def overlay_maps(base: Map, override: Map, field: Group | None = None) -> Map:
    """``overlay`` of two mappings (of the schema ``field``, not atomic), which is a mapping."""
    merged = overlay(base, override, field)
    assert isinstance(merged, Map)
    return merged


# What belongs to one authority besides its name: a file that names another authority sets these again, or its
# schools would print one authority's name beside another's service and numbers (the police numbers are national).
AUTHORITY_OWNED = (("authority",), ("contacts", "social_care"), ("contacts", "lado"))


def mixed_authority(merged: Map, named: Mapping[str, str]) -> tuple[Scalar, str] | None:
    """``merged``'s authority.name and why it mixes two authorities' values (completing a sentence that starts with
    the name), or None: ``named`` is the authority each file of the cascade names (file -> name)."""
    authority = merged.items.get("authority")
    name = authority.items.get("name") if isinstance(authority, Map) else None
    if not isinstance(name, Scalar):
        return None
    inherited: dict[str, list[str]] = {}  # file naming another authority -> the values still taken from it
    for root, *keys in AUTHORITY_OWNED:
        node = merged.items.get(root)
        for key in keys:
            node = node.items.get(key) if isinstance(node, Map) else None
        for path, value in scalars(node, ".".join((root, *keys))) if node is not None else ():
            other = named.get(value.file)
            if path != "authority.name" and other is not None and other != name.text:
                inherited.setdefault(value.file, []).append(path)
    if not inherited:
        return None
    file, paths = next(iter(inherited.items()))
    return name, (
        f"names {shown(name.text)}, but {', '.join(paths)} {'is' if len(paths) == 1 else 'are'} still taken from "
        f"{file}, which names {shown(named[file])}; set {'it' if len(paths) == 1 else 'them'} here too, for "
        "this authority"
    )
