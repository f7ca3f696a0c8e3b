"""The _defaults.yaml cascade: deeper files override shallower ones, the school's own file wins."""

from __future__ import annotations

from factsheet_builder.config.base_fields import Field, Group
from factsheet_builder.config.yamlfile import Map, Node


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
