"""The school config format: every key a school or _defaults.yaml file may set, with its meaning."""

from __future__ import annotations

from factsheet_builder.config import phones
from factsheet_builder.config.fields import Date, Email, Group, Image, ListOf, Phone, Text

# The largest team and longest values every built-in layout is designed to print (an email's limit is in fields.py).
MAX_DEPUTIES = 5
MAX_PERSON_NAME = 80
MAX_SCHOOL_NAME = 150


def person(description: str, required: bool = False) -> Group:
    """A named member of staff with optional direct contact details."""
    return Group(
        description,
        required,
        fields={
            "name": Text("Full name as it should be printed.", required=True, max_length=MAX_PERSON_NAME),
            "phone": Phone("Direct phone number (optional)."),
            "email": Email("Email address (optional)."),
            "photo": Image("Photo for the poster layout: PNG or JPEG, relative to this file (optional)."),
        },
    )


def school_fields() -> dict[str, object]:
    """The top-level keys of a school file, shared by the validator and the JSON Schema."""
    return {
        "school": Group(
            "The school itself.",
            required=True,
            fields={
                "name": Text("The school's full name as printed on the leaflet.", required=True,
                             max_length=MAX_SCHOOL_NAME),
                "logo": Image("School logo: PNG or JPEG, relative to the file that names it (optional)."),
            },
        ),
        "authority": Group(
            "The local authority the school belongs to (usually set once in schools/_defaults.yaml).",
            required=True,
            fields={
                "name": Text("The local authority's name; the leaflet's author.", required=True),
                "cse_service": Text("Name of the local specialist CSE service.", required=True),
                "police_force": Text("Name of the local police force.", required=True),
            },
        ),
        "safeguarding": Group(
            "The school's safeguarding team.",
            required=True,
            fields={
                "dsl": person("The Designated Safeguarding Lead.", required=True),
                "deputies": ListOf("Deputy DSLs (optional).", item=person("A deputy DSL."),
                                   max_items=MAX_DEPUTIES),
                "cse_lead": person("The designated lead person for CSE; leave out when the DSL is the CSE lead."),
            },
        ),
        "contacts": Group(
            "Agency phone numbers (usually set in _defaults.yaml; any key here overrides it).",
            required=True,
            fields={
                "social_care": Group(
                    "Children's Social Care.",
                    required=True,
                    fields={
                        "phone": Phone("Daytime number.", required=True),
                        "out_of_hours": Phone("Out-of-hours (emergency duty) number.", required=True),
                    },
                ),
                "lado": Group(
                    "The Local Authority Designated Officer.",
                    fields={"phone": Phone("LADO phone number.", required=True), "email": Email("LADO email (optional).")},
                ),
                "police": Group(
                    "Police numbers.",
                    required=True,
                    fields={
                        "non_emergency": Phone("Non-emergency number, normally 101.", required=True,
                                               use=phones.NON_EMERGENCY),
                        "emergency": Phone("Emergency number, normally 999.", required=True, use=phones.EMERGENCY),
                    },
                ),
            },
        ),
        "review_date": Date("When this school's leaflet must next be reviewed (printed on it; optional)."),
    }
