"""The JSON Schema of school and _defaults.yaml files, for editors: made from the fields the validator uses."""

from __future__ import annotations

import json
from collections.abc import Mapping
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
