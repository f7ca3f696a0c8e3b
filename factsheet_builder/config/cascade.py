"""The _defaults.yaml cascade: deeper files override shallower ones, the school's own file wins."""

from __future__ import annotations

from factsheet_builder.config.yamlfile import Map, Node


def overlay(base: Node, override: Node) -> Node:
    """Deep-overlay two located trees: mappings overlay key by key, anything else is replaced."""
    if not (isinstance(base, Map) and isinstance(override, Map)):
        return override
    items = dict(base.items)
    key_lines = dict(base.key_lines)
    for key, value in override.items.items():
        items[key] = overlay(items[key], value) if key in items else value
        key_lines[key] = override.key_lines[key]
    return Map(items, override.file, override.line, key_lines)


def overlay_maps(base: Map, override: Map) -> Map:
    """``overlay`` of two mappings, which is a mapping."""
    merged = overlay(base, override)
    assert isinstance(merged, Map)
    return merged
