"""Shared building blocks of every file model."""

from __future__ import annotations

import os
import re
from typing import Annotated

# A repository's files are judged by these models' own validators, never by a pydantic plugin another installed
# package brings; finding the plugins would also scan every installed package's entry points (10 ms a run).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema  # noqa: E402
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
Localised = Annotated[dict[Language, Annotated[str, StringConstraints(min_length=1)]], Field(min_length=1)]
LocalisedLine = Annotated[dict[Language, Annotated[str, StringConstraints(min_length=1), *_ONE_LINE]], Field(min_length=1)]


class Strict(BaseModel):
    """Every file model: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)


def pick(text: dict[str, str], language: str) -> str:
    """The text in `language`, else English, else whatever language there is."""
    return text.get(language) or text.get("en") or next(iter(text.values()))
