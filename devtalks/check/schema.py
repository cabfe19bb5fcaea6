"""JSON Schemas for editors: one per file kind, and one talk schema per question template.

The per-template schema lists that template's question ids as the answer keys, with their
kinds and ranges, so the YAML language server autocompletes ids and flags a bad scale.
"""

from __future__ import annotations

import copy
from typing import Any

from ..model import CheckIn, Cycle, Kind, Question, QuestionTemplate, Talk, Team

BASE = {
    "team.schema.json": Team,
    "question-template.schema.json": QuestionTemplate,
    "cycle.schema.json": Cycle,
    "talk.schema.json": Talk,
    "checkin.schema.json": CheckIn,
}


def schemas(templates: dict[str, QuestionTemplate]) -> dict[str, dict[str, Any]]:
    """File name → JSON Schema."""
    out = {name: _titled(model.model_json_schema(), name) for name, model in BASE.items()}
    for tid, template in sorted(templates.items()):
        out[f"talk-{tid}.schema.json"] = _with_answers(out["talk.schema.json"], template, tid)
        out[f"checkin-{tid}.schema.json"] = _with_answers(out["checkin.schema.json"], template, tid)
    return out


def _titled(schema: dict, name: str) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": name, **schema}


def _with_answers(base: dict, template: QuestionTemplate, tid: str) -> dict:
    schema = copy.deepcopy(base)
    schema["$id"] = f"{base['$id'].split('.')[0]}-{tid}.schema.json"
    schema["title"] = f"{schema.get('title', '')} ({tid}, version {template.version})"
    every = {q.id: q for s in template.sections for q in s.questions}
    for side in ("employee", "manager"):
        props = {qid: _answer_schema(q, template) for qid, q in every.items() if q.asks(side)}
        schema["properties"][side] = {
            "type": "object", "additionalProperties": False, "properties": props,
            "description": f"The {side}'s answers, keyed by question id of template `{tid}`.",
        }
    return schema


def _answer_schema(q: Question, template: QuestionTemplate) -> dict:
    text = q.text.get("en") or next(iter(q.text.values()))
    described = {"description": f"{text} ({q.kind.value}{', required' if q.required else ''})"}
    if q.kind is Kind.text:
        return {**described, "type": ["string", "null"]}
    if q.kind is Kind.scale:
        return {**described, "type": ["integer", "null"], "minimum": q.scale.min, "maximum": q.scale.max}
    options = [o.id for o in q.options]
    if q.kind is Kind.choice:
        return {**described, "enum": [*options, None]}
    return {**described, "type": ["array", "null"], "items": {"enum": options}, "uniqueItems": True}
