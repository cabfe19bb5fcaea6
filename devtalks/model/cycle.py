"""cycles/<id>.yaml: a round of talks, its template and its deadlines."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import Field

from .base import Line, Slug, Strict


class CycleKind(str, Enum):
    development = "development"
    check_in = "check-in"


class Cycle(Strict):
    title: Line = Field(min_length=1)
    kind: CycleKind = CycleKind.development
    template: Slug
    opens: dt.date
    prepare_by: dt.date
    talks_by: dt.date
    plan_by: dt.date
    participants: Literal["all"] | list[Slug] = "all"
