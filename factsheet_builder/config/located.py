"""Reading a located YAML tree as text: every value it holds, with the dotted field path a message names it by."""

from __future__ import annotations

from collections.abc import Iterator

from factsheet_builder.config.base_fields import join
from factsheet_builder.config.yamlfile import Map, Node, Scalar, Seq


def scalars(node: Node, path: str = "") -> Iterator[tuple[str, Scalar]]:
    """Every non-empty value below ``node`` (keys aside) with its path, written as the checker writes it
    (``sections[10].blocks[0].contacts[2].value``), in the order of the file."""
    if isinstance(node, Scalar):
        if not node.is_null and node.text.strip():
            yield path, node
    elif isinstance(node, Seq):
        for i, item in enumerate(node.items):
            yield from scalars(item, f"{path}[{i}]")
    elif isinstance(node, Map):
        for key, item in node.items.items():
            yield from scalars(item, join(path, key))
