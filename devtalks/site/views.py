"""View models of one person's pages: what a talk, the agreements, check-ins and trends show.

Plain dicts and lists for the Jinja templates; every answer passes through audiences.reads
and every piece of user text through usertext, so templates only lay things out.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..model import AgreementStatus, Kind, Question, QuestionTemplate
from ..model.base import pick
from ..progress import NextStep, Stage, revisit
from . import charts, usertext
from .audiences import Audience, reads
from .facts import Facts

LABELS = {"preparation": "step_preparation", "talk": "step_talk", "plan": "step_plan", "sign-off": "step_signoff"}
SIGNALS = ("wellbeing", "workload", "engagement", "growth-readiness")


def stepper(f: Facts, person: str, cid: str) -> list[dict]:
    """preparation → talk → plan → sign-off, each done, overdue, soon, current or to do, with its deadline."""
    return [{"label": f.words(LABELS[s.name]), "state": s.state, "due": f.words.date(s.due)}
            for s in f.steps(person, cid)]


def answer(q: Question, value: Any, language: str) -> Markup | None:
    """One answer as safe HTML, or None when it is empty."""
    if value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip()):
        return None
    if q.kind is Kind.scale and isinstance(value, (int, float)):
        label = q.scale.labels.get(int(value))
        text = f'<span class="dt-scale"><strong>{value:g}</strong>/{q.scale.max}'
        text += f" · {usertext.plain(pick(label, language))}" if label else ""
        return Markup(text + "</span>") + charts.meter(value, q.scale.min, q.scale.max)
    if q.kind in (Kind.choice, Kind.multi) and q.options:
        names = {o.id: pick(o.text, language) for o in q.options}
        chosen = value if isinstance(value, list) else [value]
        items = "".join(f"<li>{usertext.plain(names.get(str(v), v))}</li>" for v in chosen)
        return Markup(f'<ul class="dt-choices">{items}</ul>')
    return usertext.render(str(value))


def questions(f: Facts, audience: Audience, template: QuestionTemplate, version: int,
              answers: dict[str, dict], sides: tuple[str, ...] = ("employee", "manager"),
              answered_only: bool = False) -> list[dict]:
    """Sections with their questions and the answers this audience may read.

    With `answered_only` (a talk that was held, a check-in) questions nobody answered are left out.
    """
    lang = f.words.language
    sections = []
    for section in template.sections:
        rows = []
        for q in section.questions:
            if not q.active_in(version):
                continue
            shown = [{"side": f.words(side), "html": answer(q, answers.get(side, {}).get(q.id), lang),
                      "wording": pick(q.wording(side), lang)}
                     for side in sides if q.asks(side) and reads(audience, q, side)]
            if answered_only:
                shown = [a for a in shown if a["html"] is not None]
            if shown:
                # the heading is the first side's wording; an answer to other words says what it answers
                text = shown[0]["wording"]
                for a in shown:
                    a["wording"] = a["wording"] if a["wording"] != text else None
                rows.append({"text": text, "help": pick(q.help, lang) if q.help else None, "answers": shown})
        if rows:
            sections.append({"title": pick(section.title, lang), "questions": rows})
    return sections


def answered(sections: list[dict]) -> tuple[list[dict], int]:
    """`sections` with only the questions somebody answered, and how many questions were left out."""
    out, left = [], 0
    for section in sections:
        rows = [q for q in section["questions"] if any(a["html"] is not None for a in q["answers"])]
        left += len(section["questions"]) - len(rows)
        if rows:
            out.append({**section, "questions": rows})
    return out, left


def talk(f: Facts, audience: Audience, person: str, cid: str) -> dict:
    cycle = f.cycle(cid)
    progress = f.progress(person, cid)
    t = progress.talk
    template = f.ws.templates.get(cycle.template)
    version = t.template_version if t else (template.version if template else 1)
    answers = {"employee": t.employee, "manager": t.manager} if t else {}
    return {
        "cycle": cid, "title": cycle.title, "path": progress.path, "stage": _stage(f, progress.stage),
        "edit": f.edit_link(progress.path, person, cid) if progress.stage < Stage.signed_off else None,
        "scheduled": f.words.date(t.scheduled) if t and t.scheduled else None,
        "held_on": f.words.date(t.held_on) if t and t.held_on else None,
        "steps": stepper(f, person, cid),
        "sections": questions(f, audience, template, version, answers,
                              answered_only=progress.stage >= Stage.held) if template else [],
        "revisit": agreement_rows(f, revisit(f.ws, person, cid, f.today)) if progress.stage < Stage.held else [],
        "summary": usertext.render(t.summary) if t else Markup(""),
        "agreements": agreement_rows(f, _states_of(f, person, cid)),
        "sign_off": [{"side": f.words(side), "date": _signed(f, getattr(t.sign_off, side))}
                     for side in ("employee", "manager")] if t else [],
    }


def _states_of(f: Facts, person: str, source: str) -> list:
    return [s for s in f.agreements(person) if s.source == source]


def _stage(f: Facts, stage: Stage) -> dict:
    return {"slug": stage.slug, "label": f.words(f"stage_{stage.slug}")}


def agreement_status(f: Facts, state) -> tuple[str, str]:
    a = state.agreement
    if a.status is AgreementStatus.open:
        key = "overdue" if state.overdue else "open"
    else:
        key = a.status.value
    return key, f.words(f"status_{key}")


def agreement_rows(f: Facts, states: list) -> list[dict]:
    rows = []
    for s in states:
        a = s.agreement
        status, label = agreement_status(f, s)
        done = f.words("done_on", date=f.words.date(a.done_on)) if a.done_on else None
        rows.append({
            "id": a.id, "title": a.title, "owner": f.name(a.owner), "due": f.words.date(a.due) if a.due else None,
            "status": status, "status_label": label, "done": done, "goal": f.goal_title(a.goal),
            "support": a.support, "source": s.source, "is_checkin": s.source.startswith("checkin-"),
            "source_label": (f.words("checkin_on", date=f.words.date(s.made_on)) if s.source.startswith("checkin-")
                             else f.cycle(s.source).title if s.source in f.ws.cycles else s.source),
            "urgency": f.urgency(a.due, a.status is AgreementStatus.open),
        })
    return rows


def agreement_groups(f: Facts, person: str) -> list[dict]:
    """All of a person's agreements in four groups: overdue, open, done, dropped."""
    rows = agreement_rows(f, list(reversed(f.agreements(person))))
    return [{"key": key, "title": f.words(f"group_{key}"), "rows": [r for r in rows if r["status"] == key]}
            for key in ("overdue", "open", "done", "dropped")]


def checkins(f: Facts, audience: Audience, person: str) -> list[dict]:
    template_id = f.team.checkin_template if f.team else None
    template = f.ws.templates.get(template_id) if template_id else None
    out = []
    for day, c in f.checkins_of(person):
        version = c.template_version or (template.version if template else 1)
        answers = {"employee": c.employee, "manager": c.manager}
        out.append({
            "id": f"checkin-{day.isoformat()}", "title": f.words("checkin_on", date=f.words.date(day)),
            "edit": f.edit_link(f.ws.checkin_path(person, day), person),
            "sections": questions(f, audience, template, version, answers, answered_only=True) if template else [],
            "topics": list(c.topics), "summary": usertext.render(c.summary),
            "follow_ups": agreement_rows(f, _states_of(f, person, f"checkin-{day.isoformat()}")),
        })
    return out


def trends(f: Facts, audience: Audience, person: str) -> list[dict]:
    """One chart per signal: this person's scale answers over time, per side this audience may read."""
    lang = f.words.language
    points: dict[str, dict[str, list]] = {}
    scale: dict[str, Question] = {}
    for day, template, version, answers in _answered(f, person):
        for q in template.questions(version).values():
            if q.kind is not Kind.scale or q.signal is None or q.signal.value not in SIGNALS:
                continue
            for side in ("employee", "manager"):
                value = answers[side].get(q.id)
                if isinstance(value, (int, float)) and q.asks(side) and reads(audience, q, side):
                    scale.setdefault(q.signal.value, q)
                    points.setdefault(q.signal.value, {}).setdefault(side, []).append((day, float(value)))
    out = []
    for signal in SIGNALS:
        if signal not in points:
            continue
        q = scale[signal]
        series = [charts.Series(f.words(side), tuple(pts)) for side, pts in points[signal].items()]
        days = sorted(d for s in series for d, _ in s.points)
        title = f.words(f"signal_{signal}")
        label = f.words("chart_label", question=pick(q.text, lang), start=f.words.date(days[0]),
                        end=f.words.date(days[-1]))
        ident = f"dt-chart-{signal}"
        out.append({"title": title, "question": pick(q.text, lang), "label": label, "id": ident,
                    "chart": charts.line_chart(series, q.scale.min, q.scale.max, label, f.words.short_date, ident),
                    "columns": [s.label for s in series], "rows": _table(f, series)})
    return out


def _table(f: Facts, series: list[charts.Series]) -> list[dict]:
    """A chart's numbers as rows: one per date, a value (or –) per series."""
    values = [dict(s.points) for s in series]
    return [{"date": f.words.date(day), "cells": [f"{v[day]:g}" if day in v else "–" for v in values]}
            for day in sorted({d for v in values for d in v})]


def _answered(f: Facts, person: str):
    """(date, template, version, answers by side) for each talk and check-in of a person."""
    for cid in reversed(f.talks_of(person)):
        t = f.ws.talks.get((person, cid))
        cycle = f.cycle(cid)
        template = f.ws.templates.get(cycle.template)
        if t is None or template is None:
            continue
        day = t.held_on or t.scheduled or cycle.talks_by
        yield day, template, t.template_version, {"employee": t.employee, "manager": t.manager}
    template_id = f.team.checkin_template if f.team else None
    template = f.ws.templates.get(template_id) if template_id else None
    if template is None:
        return
    for day, c in reversed(f.checkins_of(person)):
        yield day, template, c.template_version or template.version, {"employee": c.employee, "manager": c.manager}


def due_rows(f: Facts, person: str) -> list[dict]:
    rows = []
    for item in f.items(person):
        label = f.words("kind_agreement", title=item.title) if item.kind == "agreement" else f.words(f"kind_{item.kind}")
        rows.append({"key": item.key, "what": label, "who": ", ".join(f.name(r) for r in item.responsible) or "–",
                     "due": item.due, "when": f.words.date(item.due), "urgency": f.urgency(item.due), "path": item.path,
                     "edit": f.edit_link(item.path, item.person, item.cycle),
                     "mine": person in item.responsible})
    return rows


def next_row(rows: list[dict], step: NextStep | None) -> dict | None:
    """Of due_rows, the one `step` (progress.next_step) names: what the home and the team page show next."""
    return next((r for r in rows if r["key"] == step.item.key), None) if step else None


def manager_next(f: Facts, manager: str, reports: list[str]) -> dict | None:
    """What a manager must do next about one of their reports: that report's due row, with their name."""
    step = f.next_by(manager, reports)
    if step is None:
        return None
    row = next_row(due_rows(f, step.item.person), step)
    return {**row, "name": f.name(step.item.person)} if row else None


def home(f: Facts, person: str) -> dict:
    """A person's standing: the current cycle's stage and steps, and what is due next."""
    cid = f.current(person)
    rows = due_rows(f, person)
    states = f.agreements(person)
    is_open = [s for s in states if s.is_open]
    return {
        "cycle": {"id": cid, "title": f.cycle(cid).title, "stage": _stage(f, f.progress(person, cid).stage),
                  "steps": stepper(f, person, cid)} if cid else None,
        "next": next_row(rows, f.next(person)), "due": rows,
        "talks": [{"id": c, "title": f.cycle(c).title, "stage": _stage(f, f.progress(person, c).stage)}
                  for c in f.talks_of(person)],
        "open": len(is_open), "overdue": sum(s.overdue for s in is_open),
    }


def _signed(f: Facts, day) -> str | None:
    return f.words.date(day) if day else None
