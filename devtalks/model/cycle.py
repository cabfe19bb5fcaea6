"""cycles/<id>.yaml: a round of talks, its template and its deadlines."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import Field

from .base import Day, Line, Once, OneOf, Slug, Strict


class CycleKind(str, Enum):
    development = "development"
    check_in = "check-in"


class Cycle(Strict):
    title: Line = Field(min_length=1)
    kind: OneOf[CycleKind] = CycleKind.development
    template: Slug
    opens: Day
    prepare_by: Day
    talks_by: Day
    plan_by: Day
    participants: Literal["all"] | Annotated[list[Slug], Once] = "all"
