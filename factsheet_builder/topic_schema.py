"""The shape of a topic's content file (content/<topic>.yaml), declared with the config field types."""

from __future__ import annotations

import re
from typing import Any

from factsheet_builder.config.fields import Checker, Date, Group, ListOf, ScalarField, Text, shown
from factsheet_builder.config.yamlfile import Scalar
from factsheet_builder.content import Block, ContactValue, Prose

CONFIG_ROOTS = ("school", "authority", "contacts", "safeguarding")  # the names content text may refer to
EXTENSIBLE = ("authority", "contacts")  # where a topic may ask for values of its own
FIXED_PEOPLE = ("dsl", "deputies")
ROLE_WORDS = "role_names"  # also a name content text may use: each role's words for the school (its own or the topic's)


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
                                "value": ContactValue("The number, e.g. {{ contacts.police.emergency }}.", True),
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
