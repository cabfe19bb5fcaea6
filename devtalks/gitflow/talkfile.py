"""A new talk or check-in file that teaches itself: the one place that renders a scaffolded talk or check-in.

Each question of the cycle's (or the team's check-in) template becomes a comment in the team's language
above an empty answer, the open agreements from earlier talks are listed for revisiting, and the
first line points the editor at the template's JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import yaml

from .. import i18n
from ..model import Kind, Question, QuestionTemplate
from ..model.base import pick
from ..progress import AgreementState, participants, revisit
from ..read.load import Workspace


class _FileWords:
    """The catalogue's texts of a talk file (its `file_*` messages), as `words["header"]`."""

    def __init__(self, language: str):
        self._words = i18n.words(language)

    def __getitem__(self, key: str) -> str:
        return self._words(f"file_{key}")


@dataclass(frozen=True)
class PlannedTalk:
    """A participant's talk file for a cycle, rendered; `exists` when the file is already there."""

    person: str
    path: str
    text: str
    exists: bool


def plan(ws: Workspace, cycle_id: str, today: dt.date) -> list[PlannedTalk]:
    """The talk file of every participant of the cycle who is still in the team on `today`, in team order."""
    cycle = ws.cycles[cycle_id]
    out = []
    for person in participants(ws, cycle):
        path = ws.talk_path(person, cycle_id)
        exists = (ws.home(person) / path).exists()
        if ws.people[person].left_by(today) and not exists:
            continue  # someone who left gets no new talk, even in a cycle that opened before they left
        out.append(PlannedTalk(person, path, "" if exists else render(ws, person, cycle_id, today), exists))
    return out


def render(ws: Workspace, person: str, cycle_id: str, today: dt.date) -> str:
    """The YAML text of a new, unanswered talk of `person` in `cycle_id`."""
    cycle = ws.cycles[cycle_id]
    template = ws.templates[cycle.template]
    language = ws.team.language if ws.team else "en"
    words = _FileWords(language)
    people = ws.people
    name = _one_line(people[person].name) if person in people else person
    manager = people.get(people[person].manager) if person in people and people[person].manager else None
    lines = [
        f"# yaml-language-server: $schema=../../schemas/talk-{cycle.template}.schema.json",
        f"# {words['header'].format(cycle=_one_line(cycle.title), name=name)}",
        f"# {words['deadlines'].format(prepare_by=cycle.prepare_by, talks_by=cycle.talks_by, plan_by=cycle.plan_by)}",
        f"# {words['how']}",
        f"template_version: {template.version}",
        f"# {words['scheduled']}",
        "scheduled:",
        "held_on:",
        "",
    ]
    lines += _listed(revisit(ws, person, cycle_id, today), words["revisit"], words)
    for side, who in (("employee", name), ("manager", _one_line(manager.name) if manager else "")):
        lines.append(f"# {words[side]}" + (f" — {who}" if who else ""))
        lines.append(f"{side}:")
        lines.extend(_questions(template, side, language, words))
        lines.append("")
    lines += [
        f"# {words['after']}",
        "summary:",
        f"# {words['agreement_shape']}",
        "agreements: []",
        "sign_off:",
        "  employee:",
        "  manager:",
    ]
    return "\n".join(lines) + "\n"


def render_checkin(ws: Workspace, person: str, day: dt.date, earlier: list[AgreementState]) -> str:
    """The YAML text of a new check-in of `person` on `day`, with the team's check-in questions (if it names a
    template) and `earlier`, their open agreements, listed to look at."""
    language = ws.team.language if ws.team else "en"
    words = _FileWords(language)
    tid = ws.team.checkin_template if ws.team else None
    template = ws.templates.get(tid) if tid else None
    schema = f"checkin-{tid}" if template else "checkin"
    lines = [
        f"# yaml-language-server: $schema=../../schemas/{schema}.schema.json",
        f"# {words['checkin_header'].format(name=_one_line(ws.people[person].name), date=day.isoformat())}",
        f"# {words['how']}",
    ]
    if template is None:
        lines += [f"# {words['checkin_no_template']}", ""]
    else:
        lines += [f"template_version: {template.version}", ""]
    lines += _listed(earlier, words["checkin_revisit"], words)
    for side in ("employee", "manager") if template else ():
        if any(q.asks(side) for q in template.questions().values()):
            lines += [f"# {words[f'checkin_{side}']}", f"{side}:", *_questions(template, side, language, words), ""]
    lines += [
        f"# {words['topics']}",
        "topics: []",
        "",
        f"# {words['checkin_after']}",
        "summary:",
        f"# {words['agreement_shape']}",
        "follow_ups: []",
    ]
    return "\n".join(lines) + "\n"


def _listed(states: list[AgreementState], heading: str, words: _FileWords) -> list[str]:
    """Open agreements as comment lines under `heading`, and a blank line; nothing when there are none."""
    if not states:
        return []
    lines = [f"# {heading}"]
    for state in states:
        a = state.agreement
        due = words["due"].format(due=a.due) if a.due else ""
        lines.append("#   - " + words["agreement"].format(id=a.id, source=state.source, title=_one_line(a.title),
                                                        owner=a.owner, due=due))
    return [*lines, ""]


def pull_request(ws: Workspace, person: str, cycle_id: str) -> tuple[str, str]:
    """Title and body of the pull request that carries a new talk, in the team's language."""
    cycle = ws.cycles[cycle_id]
    words = _FileWords(ws.team.language if ws.team else "en")
    employee = ws.people.get(person)
    manager = ws.people.get(employee.manager) if employee and employee.manager else None
    mention = lambda p: f"@{p.github}" if p.github else p.name  # noqa: E731
    body = words["pr_body"].format(
        employee=mention(employee) if employee else person, manager=mention(manager) if manager else "—",
        cycle=cycle.title, path=ws.talk_path(person, cycle_id),
        prepare_by=cycle.prepare_by, talks_by=cycle.talks_by, plan_by=cycle.plan_by)
    return words["pr_title"].format(cycle=cycle.title, name=employee.name if employee else person), body


def _questions(template: QuestionTemplate, side: str, language: str, words: _FileWords) -> list[str]:
    lines: list[str] = []
    for section in template.sections:
        asked = [q for q in section.questions if q.active_in(template.version) and q.asks(side)]
        if not asked:
            continue
        if lines:
            lines.append("")
        lines.append(f"  # ── {_one_line(pick(section.title, language))} ──")
        for q in asked:
            lines.extend(f"  # {c}" for c in _prompt(q, side, language, words))
            lines.append(f"  {_key(q.id)}:")
    return lines or ["  {}"]


def _prompt(q: Question, side: str, language: str, words: _FileWords) -> list[str]:
    """The question as comment lines: its text as `side` is asked it, how to answer it, and its help."""
    first = _one_line(pick(q.wording(side), language))
    notes = []
    if q.kind is Kind.scale:
        notes.append(words["scale"].format(lo=q.scale.min, hi=q.scale.max))
    elif q.kind is Kind.choice:
        notes.append(words["one_of"] + ": " + ", ".join(o.id for o in q.options))
    elif q.kind is Kind.multi:
        notes.append(words["some_of"].format(example=", ".join(o.id for o in q.options[:2])))
    if not q.required:
        notes.append(words["optional"])
    out = [f"{first} ({'; '.join(notes)})" if notes else first]
    if q.kind is Kind.scale and q.scale.labels:
        out.append("  " + " · ".join(f"{n} = {_one_line(pick(t, language))}" for n, t in sorted(q.scale.labels.items())))
    if q.kind in (Kind.choice, Kind.multi):
        out.extend(f"  {o.id}: {_one_line(pick(o.text, language))}" for o in q.options)
    if q.help:
        out.append(_one_line(pick(q.help, language)))
    return out


def _key(qid: str) -> str:
    """A question id as a YAML key; quoted when YAML would read it as something else (yes, null, 12)."""
    plain = yaml.resolver.Resolver().resolve(yaml.ScalarNode, qid, (True, False)) == "tag:yaml.org,2002:str"
    return qid if plain else json.dumps(qid)


def _one_line(text: str) -> str:
    """Text fit for a YAML comment: one line, so no line of the user's answer area is swallowed."""
    return " ".join(text.split())
