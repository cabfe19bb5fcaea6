"""org.yaml: HR's list of team repositories, for the HR site across teams.

HR's own standard question templates and cycles live beside org.yaml, in
question_templates/ and cycles/, laid out as in a team repository.
"""

from __future__ import annotations

import re

from pydantic import Field

from ..read.clones import is_url
from .base import Line, Slug, Strict, UiLanguage



class TeamSource(Strict):
    repo: str = Field(min_length=1, description="A clone URL, or a path relative to org.yaml, of a team repository.")
    branch: str = Field(default="main", min_length=1, pattern=r"^[^\s~^:?*\[\\]+$",
                        description="The branch whose state the HR site shows.")
    name: Slug | None = Field(default=None, description="Keeps teams apart on the HR site (default: from the repo's name).")

    @property
    def is_url(self) -> bool:
        return is_url(self.repo)

    @property
    def key(self) -> str:
        """The name this team goes by in the HR site and the cache."""
        if self.name:
            return self.name
        last = self.repo.rstrip("/").replace(":", "/").rsplit("/", 1)[-1].removesuffix(".git")
        return re.sub(r"[^a-z0-9_-]+", "-", last.lower()).strip("-") or "team"


class Org(Strict):
    name: Line = Field(min_length=1, description="The organisation, as the HR site's title.")
    language: UiLanguage = Field(default="en", description="The language of the HR site, whatever the teams speak.")
    teams: list[TeamSource] = Field(min_length=1)
