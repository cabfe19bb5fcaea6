"""Derived state: stages, deadlines, open and overdue agreements, what is due for whom.

Pure functions of (workspace, today). Nobody stores a status that can go stale; sites,
reminders and `devtalks status` all ask this module, and nothing else computes a stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import IntEnum

from .answers import empty, filled
from .model import Agreement, AgreementStatus, Cycle, CycleKind, Person, QuestionTemplate, Talk
from .model.team import Reminders
from .read.load import Workspace


class Stage(IntEnum):
    not_started = 0
    preparing = 1
    prepared = 2
    held = 3
    plan_agreed = 4
    signed_off = 5

    @property
    def slug(self) -> str:
        return self.name.replace("_", "-")


@dataclass(frozen=True)
class TalkProgress:
    person: str
    cycle: str
    stage: Stage
    talk: Talk | None
    employee_missing: tuple[str, ...]
    manager_missing: tuple[str, ...]
    path: str  # the talk's file, as it was read (or would be written)


@dataclass(frozen=True)
class AgreementState:
    person: str          # whose talk or check-in the agreement comes from
    source: str          # cycle id, or checkin-YYYY-MM-DD
    path: str
    agreement: Agreement
    made_on: dt.date     # when it was agreed: the talk's held_on, the check-in's date, else the cycle's opening
    overdue: bool

    @property
    def is_open(self) -> bool:
        return self.agreement.status is AgreementStatus.open


@dataclass(frozen=True)
class DueItem:
    """Something a person must do by a date: the unit of every reminder."""

    key: str             # stable across runs: kind, person, cycle or agreement
    kind: str            # prepare | prepare-manager | talk | plan | sign-off | agreement | revisit
    responsible: tuple[str, ...]
    person: str          # whose talk it concerns
    due: dt.date
    path: str            # the file to edit
    cycle: str | None = None
    agreement: str | None = None
    title: str = ""

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


@dataclass(frozen=True)
class NextStep:
    """What is to happen next about someone: the due item (what, who, by when) and how close it is."""

    item: DueItem
    urgency: str         # overdue | soon | '' (later than the team's soon_days)


@dataclass(frozen=True)
class Step:
    """One step of a talk (preparation, talk, plan, sign-off) and where it stands today."""

    name: str
    due: dt.date
    state: str           # done | overdue | soon | current (nothing of it due soon, or nobody asked) | todo


# Each step of a talk: the stage that completes it, its deadline in the cycle, the due items that ask for it.
STEPS = (("preparation", Stage.prepared, "prepare_by", ("prepare", "prepare-manager")),
         ("talk", Stage.held, "talks_by", ("talk",)),
         ("plan", Stage.plan_agreed, "plan_by", ("plan",)),
         ("sign-off", Stage.signed_off, "plan_by", ("sign-off",)))
STEP_KINDS = frozenset(kind for *_, kinds in STEPS for kind in kinds)


@dataclass(frozen=True)
class PersonStatus:
    person: Person
    cycle: str | None
    stage: Stage | None
    next: NextStep | None
    open_agreements: int
    overdue_agreements: int


def participants(ws: Workspace, cycle: Cycle) -> list[str]:
    """Who takes part: the listed people, or with `all` everyone who has a manager.

    Not who left before it opened, nor who joined after its talks were due.
    """
    if isinstance(cycle.participants, list):
        listed = [ws.people[p] for p in dict.fromkeys(cycle.participants) if p in ws.people]
    else:
        listed = [p for p in ws.team.people if p.manager] if ws.team else []
    return [p.id for p in listed if not p.left_by(cycle.opens)
            and not (p.joined_on and p.joined_on > cycle.talks_by)]


def present(ws: Workspace, person: str, today: dt.date) -> bool:
    """In team.yaml and not gone by `today`: someone devtalks may still ask to do something."""
    p = ws.people.get(person)
    return p is not None and not p.left_by(today)


def manager_of(ws: Workspace, person: str) -> str | None:
    p = ws.people.get(person)
    return p.manager if p else None


def reports_of(ws: Workspace, manager: str) -> list[str]:
    return list(ws.reports.get(manager, ()))


def talk_progress(ws: Workspace, person: str, cycle_id: str) -> TalkProgress:
    cycle = ws.cycles[cycle_id]
    talk = ws.talks.get((person, cycle_id))
    path = ws.talk_path(person, cycle_id)
    template = ws.templates.get(cycle.template)
    if template is None:
        return TalkProgress(person, cycle_id, Stage.not_started, talk, (), (), path)
    if talk is None:
        nothing = frozenset()
        return TalkProgress(person, cycle_id, Stage.not_started, talk,
                            missing_required(template, None, nothing, "employee"),
                            missing_required(template, None, nothing, "manager"), path)
    emp = missing_required(template, talk.template_version, filled(talk.employee), "employee")
    mgr = missing_required(template, talk.template_version, filled(talk.manager), "manager")
    return TalkProgress(person, cycle_id, stage_of(talk, emp, mgr), talk, emp, mgr, path)


def missing_required(template: QuestionTemplate, version: int | None, filled_ids: frozenset[str], side: str) -> tuple[str, ...]:
    """Required questions of `side` in `version` of the template that are not among `filled_ids`."""
    return tuple(q.id for q in template.questions(version).values()
                 if q.required and q.asks(side) and q.id not in filled_ids)


def stage_of(talk: Talk, employee_missing: tuple, manager_missing: tuple) -> Stage:
    if talk.sign_off.employee and talk.sign_off.manager:
        return Stage.signed_off
    if talk.held_on and talk.agreements and talk.summary:
        return Stage.plan_agreed
    if talk.held_on:
        return Stage.held
    if not employee_missing and not manager_missing:
        return Stage.prepared
    if any(not empty(v) for v in (*talk.employee.values(), *talk.manager.values())):
        return Stage.preparing
    return Stage.not_started


def development_cycles(ws: Workspace) -> list[str]:
    """Development cycles, oldest first."""
    return sorted((cid for cid, c in ws.cycles.items() if c.kind is CycleKind.development),
                  key=lambda cid: (ws.cycles[cid].opens, cid))


def current_cycle(ws: Workspace, person: str, today: dt.date) -> str | None:
    """The latest opened cycle the person takes part in, else the next one to open."""
    mine = [cid for cid in development_cycles(ws) if person in participants(ws, ws.cycles[cid])]
    opened = [cid for cid in mine if ws.cycles[cid].opens <= today]
    if opened:
        return opened[-1]
    return mine[0] if mine else None


def agreements(ws: Workspace, today: dt.date, person: str | None = None) -> list[AgreementState]:
    """Every agreement from talks and check-ins follow-ups, oldest first."""
    out = []
    for (pid, cid), talk in ws.talks.items():
        if person not in (None, pid):
            continue
        made = talk.held_on or (ws.cycles[cid].opens if cid in ws.cycles else today)
        out.extend(_states(pid, cid, ws.talk_path(pid, cid), talk.agreements, made, today))
    for (pid, day), checkin in ws.checkins.items():
        if person not in (None, pid):
            continue
        out.extend(_states(pid, f"checkin-{day.isoformat()}", ws.checkin_path(pid, day), checkin.follow_ups, day, today))
    return sorted(out, key=lambda s: (s.made_on, s.path, s.agreement.id))


def _states(person, source, path, items, made, today) -> list[AgreementState]:
    return [AgreementState(person, source, path, a, made,
                           a.status is AgreementStatus.open and a.due is not None and a.due < today)
            for a in items]


def revisit(ws: Workspace, person: str, cycle_id: str, today: dt.date) -> list[AgreementState]:
    """Open agreements from earlier talks and check-ins that this cycle's talk should revisit."""
    opens = ws.cycles[cycle_id].opens
    return [s for s in agreements(ws, today, person)
            if s.is_open and s.source != cycle_id and s.made_on <= max(opens, today)]


def due_items(ws: Workspace, today: dt.date, person: str | None = None) -> list[DueItem]:
    """Everything someone must do, with its deadline, whether or not it is close yet (only about `person`, if given)."""
    # nobody who left is reminded of anything, nor asked to act on a talk about someone who left
    items = [replace(i, responsible=tuple(w for w in i.responsible if present(ws, w, today)))
             for i in _all_due(ws, today, person) if present(ws, i.person, today)]
    return [i for i in items if i.responsible]


def left_behind(ws: Workspace, today: dt.date) -> set[str]:
    """Keys of items that would be due but for someone's leaving: their reminders close for that reason."""
    return {i.key for i in _all_due(ws, today)} - {i.key for i in due_items(ws, today)}


def _all_due(ws: Workspace, today: dt.date, person: str | None = None) -> list[DueItem]:
    items: list[DueItem] = []
    for cid in development_cycles(ws):
        cycle = ws.cycles[cid]
        if cycle.opens > today:
            continue
        for who in participants(ws, cycle):
            if person in (None, who):
                items.extend(_talk_items(ws, who, cid, cycle, today))
    for state in agreements(ws, today, person):
        a = state.agreement
        if state.is_open and a.due is not None:
            items.append(DueItem(f"agreement:{state.person}:{state.source}:{a.id}", "agreement", (a.owner,),
                                 state.person, a.due, state.path, agreement=a.id, title=a.title))
    return sorted(items, key=lambda i: (i.due, i.key))


def _talk_items(ws: Workspace, person: str, cid: str, cycle: Cycle, today: dt.date) -> list[DueItem]:
    p = talk_progress(ws, person, cid)
    manager = manager_of(ws, person)
    path, key = p.path, f"{person}:{cid}"
    mk = lambda kind, who, due: DueItem(f"{kind}:{key}", kind, tuple(w for w in who if w), person, due, path, cid)  # noqa: E731
    out = []
    if p.stage < Stage.held:
        if p.employee_missing:
            out.append(mk("prepare", (person,), cycle.prepare_by))
        if p.manager_missing and manager:
            out.append(mk("prepare-manager", (manager,), cycle.prepare_by))
        out.append(mk("talk", (manager,), cycle.talks_by))
        if revisit(ws, person, cid, today):
            out.append(mk("revisit", (person, manager), cycle.talks_by))
    elif p.stage < Stage.plan_agreed:
        out.append(mk("plan", (manager, person), cycle.plan_by))
    elif p.stage < Stage.signed_off:
        talk = p.talk
        missing = [w for w, side in ((person, "employee"), (manager, "manager")) if not getattr(talk.sign_off, side)]
        out.append(mk("sign-off", missing, cycle.plan_by))
    return out


def urgency(due: dt.date, today: dt.date, soon_days: int) -> str:
    """overdue (its day has passed), soon (within `soon_days`, today included) or '' (later)."""
    if due < today:
        return "overdue"
    return "soon" if (due - today).days <= soon_days else ""


def soon_days(ws: Workspace) -> int:
    """How many days ahead a deadline counts as due soon, from team.yaml's reminder settings."""
    return (ws.team.reminders if ws.team else Reminders()).soon_days


def next_step(ws: Workspace, today: dt.date, person: str | None, items: list[DueItem], cycle: str | None = None,
              by: str | None = None) -> NextStep | None:
    """The soonest of `items` (due_items, or the part of them the caller may show) about `person`, or None.

    About a person: their talks and agreements, whoever must act. With `cycle`, only the steps of
    their talk in that cycle; with `by`, only what `by` must do (a manager's next step: `person`
    None and `items` those of their reports). status, remind and the sites all ask here.
    """
    about = [i for i in items if person in (None, i.person) and by in (None, *i.responsible)
             and (cycle is None or (i.cycle == cycle and i.kind in STEP_KINDS))]
    if not about:
        return None
    first = min(about, key=lambda i: (i.due, person not in i.responsible, i.key))  # a tie: their own part first
    return NextStep(first, urgency(first.due, today, soon_days(ws)))


def steps(ws: Workspace, today: dt.date, person: str, cycle: str, items: list[DueItem]) -> list[Step]:
    """preparation → talk → plan → sign-off of `person`'s talk in `cycle`: done, to do, or the first one
    not done, as urgent as next_step says (plain current when nothing of it is asked of anyone)."""
    stage = talk_progress(ws, person, cycle).stage
    step = next_step(ws, today, person, items, cycle)
    out, current_seen = [], False
    for name, reached, deadline, kinds in STEPS:
        if stage >= reached:
            state = "done"
        elif current_seen:
            state = "todo"
        else:
            current_seen = True
            state = (step.urgency if step and step.item.kind in kinds else "") or "current"
        out.append(Step(name, getattr(ws.cycles[cycle], deadline), state))
    return out


def status(ws: Workspace, today: dt.date) -> list[PersonStatus]:
    """One row per person in the team on `today`: current cycle and stage, next step, open and overdue agreements."""
    if ws.team is None:
        return []
    items = due_items(ws, today)
    all_agreements = agreements(ws, today)
    rows = []
    for person in ws.team.people:
        if person.left_by(today):
            continue
        cid = current_cycle(ws, person.id, today)
        progress = talk_progress(ws, person.id, cid) if cid else None
        owned = [s for s in all_agreements if s.agreement.owner == person.id and s.is_open]
        rows.append(PersonStatus(
            person, cid, progress.stage if progress else None, next_step(ws, today, person.id, items),
            len(owned), sum(s.overdue for s in owned)))
    return rows
