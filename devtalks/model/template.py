"""question_templates/<id>.yaml: sections of questions with stable ids.

A template is versioned: rewording a question keeps its id, and a question is never
deleted, only retired (`retired_in`). A talk pins the version it was answered against,
so old answers always keep their question.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field, PrivateAttr, model_validator

from .base import Localised, LocalisedLine, Once, OneOf, Slug, Strict


class Kind(str, Enum):
    text = "text"
    scale = "scale"
    choice = "choice"
    multi = "multi"


class Side(str, Enum):
    employee = "employee"
    manager = "manager"
    both = "both"


class Reader(str, Enum):
    employee = "employee"
    manager = "manager"
    hr = "hr"


class Signal(str, Enum):
    wellbeing = "wellbeing"
    workload = "workload"
    engagement = "engagement"
    growth_readiness = "growth-readiness"
    mobility = "mobility"


class Option(Strict):
    id: Slug
    text: LocalisedLine


class Scale(Strict):
    min: int = 1
    max: int = 5
    # A label's key is a whole number, which YAML keeps and JSON writes as text: the schema checks the text.
    labels: dict[int, LocalisedLine] = Field(default_factory=dict,
                                             json_schema_extra={"propertyNames": {"pattern": "^-?[0-9]+$"}})

    @model_validator(mode="after")
    def _ordered(self) -> "Scale":
        if self.min >= self.max:
            raise ValueError(f"scale min ({self.min}) must be below max ({self.max})")
        return self


class Question(Strict):
    id: Slug
    text: LocalisedLine
    manager_text: LocalisedLine | None = Field(
        default=None, description="The question as the manager is asked it, when it reads differently "
                                  "(\"What did your employee do well?\"); else the manager reads `text`.")
    help: Localised | None = None
    note: Localised | None = Field(
        default=None, description="For whoever edits the template (why a question changed, what it replaced); "
                                  "never shown to anyone answering it, unlike `help`.")
    kind: OneOf[Kind] = Kind.text
    answered_by: OneOf[Side] = Side.both
    required: bool = True
    visibility: Annotated[list[OneOf[Reader]], Once] = Field(default_factory=lambda: [Reader.employee, Reader.manager])
    signal: OneOf[Signal] | None = None
    scale: Scale | None = None
    options: list[Option] | None = None
    added_in: int = Field(default=1, ge=1)
    retired_in: int | None = Field(default=None, ge=2)

    @model_validator(mode="after")
    def _kind_fits(self) -> "Question":
        if self.kind is Kind.scale and self.scale is None:
            object.__setattr__(self, "scale", Scale())
        if self.kind in (Kind.choice, Kind.multi) and not self.options:
            raise ValueError(f"a {self.kind.value} question needs `options`")
        if self.kind not in (Kind.choice, Kind.multi) and self.options:
            raise ValueError(f"`options` only belong to choice and multi questions, not {self.kind.value}")
        if self.kind is not Kind.scale and self.scale is not None:
            raise ValueError(f"`scale` only belongs to scale questions, not {self.kind.value}")
        if self.manager_text is not None and not self.asks("manager"):
            raise ValueError("`manager_text` belongs to a question the manager answers (answered_by: manager or both)")
        return self

    def active_in(self, version: int) -> bool:
        return self.added_in <= version and (self.retired_in is None or version < self.retired_in)

    def asks(self, side: str) -> bool:
        return self.answered_by.value in (side, "both")

    def wording(self, side: str) -> dict[str, str]:
        """The question's text, per language, as `side` (employee or manager) is asked it."""
        return self.manager_text if side == "manager" and self.manager_text else self.text


class Section(Strict):
    id: Slug
    title: LocalisedLine
    questions: list[Question] = Field(min_length=1)


class QuestionTemplate(Strict):
    title: LocalisedLine
    version: int = Field(default=1, ge=1)
    description: Localised | None = None
    sections: list[Section] = Field(min_length=1)
    _by_version: dict[int, dict[str, Question]] = PrivateAttr(default_factory=dict)

    def questions(self, version: int | None = None) -> dict[str, Question]:
        """Question id → question, for those active in `version` (default: the latest)."""
        v = self.version if version is None else version
        found = self._by_version.get(v)
        if found is None:
            found = self._by_version[v] = {q.id: q for s in self.sections for q in s.questions if q.active_in(v)}
        return found
