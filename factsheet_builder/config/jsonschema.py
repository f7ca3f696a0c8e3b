"""The JSON Schema of school and _defaults.yaml files, for editors: made from the fields the validator uses."""

from __future__ import annotations

from collections.abc import Mapping
import json
from pathlib import Path
from typing import Any

from factsheet_builder.config.load import school_schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(layouts: Mapping[str, Any], topics: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a school or _defaults.yaml file, for the available layouts and topics."""
    return {
        "$schema": DRAFT,
        "title": "factsheet-builder school settings",
        # No key is required: a _defaults.yaml may set any part, and a school file may leave any part to one.
        **school_schema(layouts, topics).schema(),
    }


def json_schema_text(layouts: Mapping[str, Any], topics: Mapping[str, Any]) -> str:
    """The schema as indented JSON text, ending in a newline."""
    return json.dumps(json_schema(layouts, topics), indent=2, ensure_ascii=False) + "\n"


def workspace_schema_text(folder: Path) -> str:
    """The schema text for the built-in layouts and those in ``folder``/layouts, and the topics in ``folder``/content
    (the folder need not be a workspace)."""
    from factsheet_builder.layouts.registry import for_folder
    from factsheet_builder.topics import load_topics
    from factsheet_builder.workspace import Workspace

    workspace = Workspace(folder.resolve())
    topics = load_topics(workspace) if workspace.topic_files() else {}
    return json_schema_text(for_folder(folder), topics)
