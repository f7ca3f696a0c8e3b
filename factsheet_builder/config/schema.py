"""The school config format: every key a school or _defaults.yaml file may set, with its meaning."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from factsheet_builder.config import phones
from factsheet_builder.config.characters import CONFIRM_KEY
from factsheet_builder.config.fields import Date, Email, Field, Group, Image, ListOf, Phone, ScalarField, Text

# The largest team and longest values every built-in layout is designed to print (an email's limit is in fields.py).
MAX_DEPUTIES = 8
MAX_PERSON_NAME = 80
MAX_SCHOOL_NAME = 150
MAX_ROLE_NAME = 60


def person(description: str, required: bool = False) -> Group:
    """A named member of staff with optional direct contact details."""
    return Group(
        description,
        required,
        atomic=True,
        fields={
            "name": Text("Full name as it should be printed.", required=True, max_length=MAX_PERSON_NAME),
            "phone": Phone(
                "Direct phone number (optional).",
                second="keep the one that reaches this person; a number that reaches someone else goes with them "
                "(a deputy's own phone, or the school's number in contacts)",
            ),
            "email": Email("Email address (optional)."),
            "photo": Image("Photo for the poster layout: PNG or JPEG, relative to this file (optional)."),
        },
    )


def school_fields(roles: Mapping[str, str] | None = None, refers: Iterable[str] = ()) -> dict[str, Field]:
    """The top-level keys of a school file, shared by the validator and the JSON Schema: the fixed ones, a person
    for each of the topics' ``roles`` (key under safeguarding -> what it is) and any value the topics' text
    ``refers`` to under authority or contacts that is not one of them."""
    fields = _fixed_fields()
    team = fields["safeguarding"].fields  # type: ignore[attr-defined]
    for key, label in (roles or {}).items():
        team.setdefault(key, person(f"{label} (optional; what the fact sheet says without one depends on the topic)."))
    fields["role_names"] = role_names(roles or {})
    for name in sorted(refers):
        root, *parts = name.split(".")
        if root in ("authority", "contacts") and parts:
            _extend(fields[root], parts, root, root == "contacts")  # type: ignore[arg-type]
    return fields


def role_names(roles: Mapping[str, str]) -> Group:
    """The words the panel prints for each role where schools use their own (key -> what the topic calls it): the
    DSL's and a deputy's, and each of the topics' roles."""
    return Group(
        "The panel's words for each role, where the schools in and below this folder use their own (in Wales, "
        "'Designated Safeguarding Person'); each role left out keeps the topic's words.",
        fields={
            "dsl": Text(
                "What these schools call the DSL, e.g. 'Designated Teacher for Child Protection'.",
                max_length=MAX_ROLE_NAME,
            ),
            "deputy": Text(
                "What these schools call a deputy, e.g. 'Deputy Designated Teacher'.", max_length=MAX_ROLE_NAME
            ),
            **{
                key: Text(f"What these schools call the role '{label}'.", max_length=MAX_ROLE_NAME)
                for key, label in roles.items()
                if key not in ("dsl", "deputy")
            },
        },
    )


def _extend(group: Group, parts: list[str], root: str, agency: bool) -> None:
    """Declare a value a topic refers to: text under authority, a phone number (or an email) under contacts."""
    key, rest = parts[0], parts[1:]
    if rest:
        # an agency's contacts (contacts.<agency>) are one value in the cascade, as a person is
        made = Group(f"Values that content text refers to ({root}).", atomic=agency)
        sub = group.fields.setdefault(key, made)
        if isinstance(sub, Group):
            _extend(sub, rest, root, False)
    elif key not in group.fields:
        described = "Referred to by the content text"
        group.fields[key] = (
            Email(f"{described}: an email address.")
            if key.endswith("email")
            else Phone(f"{described}: a phone number.")
            if root == "contacts"
            else Text(f"{described}.")
        )


def _fixed_fields() -> dict[str, Field]:
    return {
        "school": Group(
            "The school itself.",
            required=True,
            fields={
                "name": Text(
                    "The school's full name as printed on the leaflet.", required=True, max_length=MAX_SCHOOL_NAME
                ),
                "logo": Image("School logo: PNG or JPEG, relative to the file that names it (optional)."),
            },
        ),
        "authority": Group(
            "The local authority the school belongs to (usually set once in schools/_defaults.yaml).",
            required=True,
            fields={
                "name": Text("The local authority's name; the leaflet's author.", required=True),
                "police_force": Text("Name of the local police force."),
            },
        ),
        "safeguarding": Group(
            "The school's safeguarding team.",
            required=True,
            fields={
                "dsl": person("The Designated Safeguarding Lead.", required=True),
                "deputies": ListOf("Deputy DSLs (optional).", item=person("A deputy DSL."), max_items=MAX_DEPUTIES),
            },
        ),
        "contacts": Group(
            "Agency phone numbers (usually set in _defaults.yaml; any key here overrides it).",
            required=True,
            fields={
                "social_care": Group(
                    "Children's Social Care.",
                    fields={
                        "phone": Phone(
                            "Daytime number.",
                            second="keep the daytime number here; the out-of-hours one goes in "
                            "contacts.social_care.out_of_hours (a roster's out_of_hours_phone column)",
                        ),
                        "out_of_hours": Phone(
                            "Out-of-hours (emergency duty) number.",
                            second="keep the out-of-hours number here; the daytime one goes in "
                            "contacts.social_care.phone (a roster's social_care_phone column)",
                        ),
                    },
                ),
                "lado": Group(
                    "The Local Authority Designated Officer.",
                    atomic=True,  # one officer's phone and email; the social care and police lines are separate
                    fields={
                        "phone": Phone("LADO phone number.", required=True),
                        "email": Email("LADO email (optional)."),
                    },
                ),
                "police": Group(
                    "Police numbers.",
                    fields={
                        "non_emergency": Phone("Non-emergency number, normally 101.", use=phones.NON_EMERGENCY),
                        "emergency": Phone("Emergency number, normally 999.", use=phones.EMERGENCY),
                    },
                ),
            },
        ),
        "review_date": Date("When this school's leaflet must next be reviewed (printed on it; optional)."),
        CONFIRM_KEY: ListOf(
            "Names and texts that look damaged (letters of two alphabets in one word, '?' for a letter, mojibake) "
            "but are right as written, each exactly as it is written elsewhere in the settings (optional).",
            item=ScalarField("A text confirmed as written.", expects="text"),
            max_items=50,
            unique=True,
        ),
    }
