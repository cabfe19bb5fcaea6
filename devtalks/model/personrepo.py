"""devtalks.yaml: at the top of a person repository (the person layout), which team it belongs to."""

from __future__ import annotations

from pydantic import Field

from .base import Slug, Strict


class PersonRepo(Strict):
    person: Slug = Field(description="The id, in the team's team.yaml, of the person whose talks this repository holds.")
    team: str = Field(min_length=1, description="The team repository: a Git URL, or a path (absolute, or relative to "
                                                "this repository).")
    ref: str = Field(default="main", min_length=1, pattern=r"^[^\s~^:?*\[\\]+$",
                     description="The team repository's branch whose team.yaml, cycles and templates apply.")
