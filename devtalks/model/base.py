"""Shared building blocks of every file model."""

from __future__ import annotations

import datetime as dt
import os
import re
from enum import Enum
from typing import Annotated, TypeVar

# A repository's files are judged by these models' own validators, never by a pydantic plugin another installed
# package brings; finding the plugins would also scan every installed package's entry points (10 ms a run).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema  # noqa: E402
from pydantic_core import PydanticCustomError  # noqa: E402

from ..i18n import LANGUAGES  # noqa: E402

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
Slug = Annotated[str, StringConstraints(pattern=SLUG_RE.pattern, max_length=64)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
GitHubHandle = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


def _spoken(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"devtalks has no catalogue for `{language}`; use one of {', '.join(LANGUAGES)}")
    return language


# A language devtalks writes its sites, talk files and reminders in: one with a catalogue.
UiLanguage = Annotated[str, AfterValidator(_spoken), WithJsonSchema({"type": "string", "enum": list(LANGUAGES)})]

# An X25519 age public key as `devtalks notes keygen` (or `age-keygen`) makes it. check/rules.py judges the format (its message
# says how to get a key); the pattern is here for editors.
AGE_RECIPIENT_RE = re.compile(r"^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$")
AgeRecipient = Annotated[str, WithJsonSchema({"type": "string", "pattern": AGE_RECIPIENT_RE.pattern})]

# What ends a line (str.splitlines()): a title shown inside a page's HTML would start a new block of Markdown there.
LINE_BREAK = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK_RE = re.compile(f"[{LINE_BREAK}]")


def _one_line(text: str) -> str:
    if _LINE_BREAK_RE.search(text):
        raise PydanticCustomError("line_break", "has a line break; it is one line of text")
    return text


_ONE_LINE = (AfterValidator(_one_line),
             Field(json_schema_extra={"pattern": f"^[^{LINE_BREAK.encode('unicode_escape').decode()}]*$"}))
# A title, a name, a label: text shown on one line (check/translate.py hints how to write a long one in YAML).
Line = Annotated[str, *_ONE_LINE]

# Text in several languages, e.g. {"nl": "Waar ben je trots op?", "en": "What are you proud of?"}.
# (A key that is no language is no text either: the schema says so too, beside its pattern for the keys.)
_LANGUAGES_ONLY = Field(min_length=1, json_schema_extra={"additionalProperties": False})
Localised = Annotated[dict[Language, Annotated[str, StringConstraints(min_length=1)]], _LANGUAGES_ONLY]
LocalisedLine = Annotated[dict[Language, Annotated[str, StringConstraints(min_length=1), *_ONE_LINE]], _LANGUAGES_ONLY]


# A list that names each item once (`Annotated[list[Slug], Once]`): the JSON Schema says so, check/rules.py reports a
# repeat at its line.
Once = Field(json_schema_extra={"uniqueItems": True})

E = TypeVar("E", bound=Enum)
# One of an Enum's values, as YAML gives it (text): strict mode would take only the Enum member itself.
OneOf = Annotated[E, Field(strict=False)]

_ISO_DAY_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DAY_AND_TIME_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{1,2}:[0-9]{2}")


def _iso_day(value: object) -> object:
    """A date written in quotes, "2026-05-01", as the date it names; anything else is left for strict validation."""
    if isinstance(value, dt.datetime) or isinstance(value, str) and _DAY_AND_TIME_RE.match(value):
        # `2026-11-10 09:00`: say that the time of day is the trouble, as lax pydantic did
        raise PydanticCustomError("date_from_datetime_inexact", "has a time of day; a date is asked")
    if isinstance(value, str) and _ISO_DAY_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # no such day: rejected as not a date
    return value


# A day: a YAML date, or the same written in quotes (the JSON Schema's `format: date`); never a date and time,
# a number of seconds or another way of writing a day.
Day = Annotated[dt.date, BeforeValidator(_iso_day)]


class Strict(BaseModel):
    """Every file model: unknown keys are errors, values are immutable once loaded, and a value is never
    converted to fit (`"5"` is no number, `1` no yes-or-no): what the JSON Schema rejects, the model rejects."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True, strict=True)


def pick(text: dict[str, str], language: str) -> str:
    """The text in `language`, else English, else whatever language there is."""
    return text.get(language) or text.get("en") or next(iter(text.values()))
