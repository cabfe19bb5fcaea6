"""talks/<person>/<cycle>.yaml and talks/<person>/checkin-<date>.yaml.

The path is the key: the person and the cycle (or the check-in date) come from the
file's path and are not repeated inside. Stages are derived (see progress.py), never stored.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field

from .base import Day, Line, OneOf, Slug, Strict

# Question id → answer. Whether an answer fits its question (a scale an int in range, a choice
# an option id, a multi a list of option ids, a text a string) depends on the template, so
# check/rules.py judges it, with the question at hand.
Answers = dict[str, Any]


class AgreementStatus(str, Enum):
    open = "open"
    done = "done"
    dropped = "dropped"


class Agreement(Strict):
    id: Slug
    title: Line = Field(min_length=1)
    owner: Slug
    due: Day | None = None
    status: OneOf[AgreementStatus] = AgreementStatus.open
    done_on: Day | None = None
    goal: Slug | None = None
    support: Line | None = Field(default=None, description="Support needed (training, time, budget, a mentor).")


class SignOff(Strict):
    employee: Day | None = None
    manager: Day | None = None


class Talk(Strict):
    template_version: int = Field(ge=1, description="The template version these answers were given against.")
    scheduled: Day | None = None
    held_on: Day | None = None
    employee: Answers = Field(default_factory=dict, description="The employee's preparation, keyed by question id.")
    manager: Answers = Field(default_factory=dict, description="The manager's preparation, keyed by question id.")
    summary: str | None = Field(default=None, description="Shared summary of the talk (Markdown).")
    agreements: list[Agreement] = Field(default_factory=list)
    sign_off: SignOff = Field(default_factory=SignOff)


class CheckIn(Strict):
    template_version: int | None = Field(default=None, ge=1)
    employee: Answers = Field(default_factory=dict)
    manager: Answers = Field(default_factory=dict)
    topics: list[Line] = Field(default_factory=list)
    summary: str | None = None
    follow_ups: list[Agreement] = Field(default_factory=list)
