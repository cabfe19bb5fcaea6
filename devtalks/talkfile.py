"""A new talk file that teaches itself: the one place that renders a scaffolded talk.

Each question of the cycle's template becomes a comment in the team's language above an
empty answer, the open agreements from earlier talks are listed for revisiting, and the
first line points the editor at the template's JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import yaml

from .load import Workspace
from .model import Kind, Question, QuestionTemplate
from .model.base import pick
from .progress import participants, revisit

WORDS = {
    "en": {
        "header": "{cycle} — {name}",
        "deadlines": "Prepare by {prepare_by} · talk by {talks_by} · plan by {plan_by}",
        "how": "Answer below each question; leave an answer empty until you know it. Save, commit, done.",
        "scheduled": "The date of the talk (YYYY-MM-DD), and once it took place, held_on.",
        "revisit": "Open agreements from earlier talks, to revisit in this talk:",
        "agreement": "{id} ({source}): {title} — owner {owner}{due}",
        "due": ", due {due}",
        "employee": "The employee's preparation",
        "manager": "The manager's preparation",
        "after": "After the talk: a shared summary (Markdown), the agreements, and both sign-off dates.",
        "agreement_shape": "Each agreement: id, title, owner, due; status open|done|dropped, done_on when done.",
        "optional": "optional",
        "one_of": "one of",
        "some_of": "one or more, as a list such as [{example}]",
        "scale": "{lo}–{hi}",
        "pr_title": "{cycle}: {name}",
        "pr_body": (
            "This pull request holds the development talk of {employee} in **{cycle}**.\n\n"
            "1. {employee}: answer the questions in `{path}` by **{prepare_by}**.\n"
            "2. {manager}: add your own preparation by the same date.\n"
            "3. Hold the talk by **{talks_by}**; write the summary and the agreements in the file.\n"
            "4. Both of you set your sign-off date by **{plan_by}**, then merge.\n\n"
            "Edit the file on the web with the pencil icon, or in your editor; each save is a commit on this branch."
        ),
    },
    "nl": {
        "header": "{cycle} — {name}",
        "deadlines": "Voorbereiden vóór {prepare_by} · gesprek vóór {talks_by} · plan vóór {plan_by}",
        "how": "Antwoord onder elke vraag; laat een antwoord leeg tot je het weet. Opslaan, committen, klaar.",
        "scheduled": "De datum van het gesprek (JJJJ-MM-DD), en zodra het gevoerd is held_on.",
        "revisit": "Open afspraken uit eerdere gesprekken, om in dit gesprek te bespreken:",
        "agreement": "{id} ({source}): {title} — eigenaar {owner}{due}",
        "due": ", vóór {due}",
        "employee": "Voorbereiding van de medewerker",
        "manager": "Voorbereiding van de leidinggevende",
        "after": "Na het gesprek: een gezamenlijke samenvatting (Markdown), de afspraken en allebei de datum van akkoord.",
        "agreement_shape": "Elke afspraak: id, title, owner, due; status open|done|dropped, done_on zodra het af is.",
        "optional": "optioneel",
        "one_of": "een van",
        "some_of": "een of meer, als lijst zoals [{example}]",
        "scale": "{lo}–{hi}",
        "pr_title": "{cycle}: {name}",
        "pr_body": (
            "In deze pull request staat het ontwikkelingsgesprek van {employee} in **{cycle}**.\n\n"
            "1. {employee}: beantwoord de vragen in `{path}` vóór **{prepare_by}**.\n"
            "2. {manager}: vul vóór dezelfde datum je eigen voorbereiding in.\n"
            "3. Voer het gesprek vóór **{talks_by}**; zet de samenvatting en de afspraken in het bestand.\n"
            "4. Zet allebei je datum van akkoord vóór **{plan_by}**, en merge.\n\n"
            "Bewerk het bestand op het web met het potloodje, of in je editor; elke keer opslaan is een commit op deze branch."
        ),
    },
}


@dataclass(frozen=True)
class PlannedTalk:
    """A participant's talk file for a cycle, rendered; `exists` when the file is already there."""

    person: str
    path: str
    text: str
    exists: bool


def plan(ws: Workspace, cycle_id: str, today: dt.date) -> list[PlannedTalk]:
    """The talk file of every participant of the cycle who is still in the team, in team order."""
    cycle = ws.cycles[cycle_id]
    out = []
    for person in participants(ws, cycle):
        path = ws.talk_path(person, cycle_id)
        exists = (ws.root / path).exists()
        if ws.people[person].gone and not exists:
            continue  # someone who left gets no new talk, even in a cycle that opened before they left
        out.append(PlannedTalk(person, path, "" if exists else render(ws, person, cycle_id, today), exists))
    return out


def render(ws: Workspace, person: str, cycle_id: str, today: dt.date) -> str:
    """The YAML text of a new, unanswered talk of `person` in `cycle_id`."""
    cycle = ws.cycles[cycle_id]
    template = ws.templates[cycle.template]
    language = ws.team.language if ws.team else "en"
    words = WORDS.get(language, WORDS["en"])
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
    earlier = revisit(ws, person, cycle_id, today)
    if earlier:
        lines.append(f"# {words['revisit']}")
        for state in earlier:
            a = state.agreement
            due = words["due"].format(due=a.due) if a.due else ""
            lines.append("#   - " + words["agreement"].format(id=a.id, source=state.source, title=_one_line(a.title),
                                                            owner=a.owner, due=due))
        lines.append("")
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


def pull_request(ws: Workspace, person: str, cycle_id: str) -> tuple[str, str]:
    """Title and body of the pull request that carries a new talk, in the team's language."""
    cycle = ws.cycles[cycle_id]
    words = WORDS.get(ws.team.language if ws.team else "en", WORDS["en"])
    employee = ws.people.get(person)
    manager = ws.people.get(employee.manager) if employee and employee.manager else None
    mention = lambda p: f"@{p.github}" if p.github else p.name  # noqa: E731
    body = words["pr_body"].format(
        employee=mention(employee) if employee else person, manager=mention(manager) if manager else "—",
        cycle=cycle.title, path=ws.talk_path(person, cycle_id),
        prepare_by=cycle.prepare_by, talks_by=cycle.talks_by, plan_by=cycle.plan_by)
    return words["pr_title"].format(cycle=cycle.title, name=employee.name if employee else person), body


def _questions(template: QuestionTemplate, side: str, language: str, words: dict) -> list[str]:
    lines: list[str] = []
    for section in template.sections:
        asked = [q for q in section.questions if q.active_in(template.version) and q.asks(side)]
        if not asked:
            continue
        if lines:
            lines.append("")
        lines.append(f"  # ── {_one_line(pick(section.title, language))} ──")
        for q in asked:
            lines.extend(f"  # {c}" for c in _prompt(q, language, words))
            lines.append(f"  {_key(q.id)}:")
    return lines or ["  {}"]


def _prompt(q: Question, language: str, words: dict) -> list[str]:
    """The question as comment lines: its text, how to answer it, and its help."""
    first = _one_line(pick(q.text, language))
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
