"""View models of the HR site, over any number of teams (one Facts per team repository).

People are keyed by (team id, person id): the same person id in two teams is two people. An
average counts each person (by e-mail address) once, so its n is a number of people.
HR sees progress counts, overdue agreement counts, averages of shared scale answers over
enough people, and the other answers a question shares with HR; never a summary, an
agreement's text or an answer kept from HR.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..i18n import Words
from ..model import Kind, Question, Talk
from ..model.base import pick
from ..progress import Stage, participants
from . import aggregates, charts
from .audiences import HR, Audience, reads
from .audiences import aggregates as averaged
from .facts import Facts
from .views import answer

AUDIENCE = Audience(HR)
COUNTS = (("prepared", Stage.prepared), ("held", Stage.held), ("planned", Stage.plan_agreed),
          ("signed", Stage.signed_off))


def cycles(teams: list[Facts]) -> list[tuple[str, str]]:
    """(cycle id, title) of every development cycle in any team, newest first."""
    found: dict[str, tuple] = {}
    for f in teams:
        for cid in f.cycles:
            c = f.cycle(cid)
            found.setdefault(cid, (c.opens, c.title))
    return [(cid, title) for cid, (_, title) in sorted(found.items(), key=lambda kv: (kv[1][0], kv[0]), reverse=True)]


def _departments(teams: list[Facts]) -> dict[str, list[Facts]]:
    out: dict[str, list[Facts]] = defaultdict(list)
    for f in sorted(teams, key=lambda f: (f.team.team.department, f.team.team.name, f.key)):
        out[f.team.team.department].append(f)
    return dict(out)


def progress(teams: list[Facts], cid: str) -> list[dict]:
    """Rows per team, a subtotal per department and a total: how many prepared, held, planned, signed off."""
    rows, total = [], _zero()
    for dept, members in _departments(teams).items():
        sub = _zero()
        team_rows = []
        for f in members:
            if cid not in f.ws.cycles:
                continue
            row = _zero()
            for person in participants(f.ws, f.cycle(cid)):
                stage = f.progress(person, cid).stage
                row["participants"] += 1
                for key, reached in COUNTS:
                    row[key] += stage >= reached
            team_rows.append({"kind": "team", "department": dept, "team": f.team.team.name, **row})
            _add(sub, row)
        if team_rows:
            rows.extend(team_rows)
            rows.append({"kind": "dept", "department": dept, "team": "", **sub})
            _add(total, sub)
    rows.append({"kind": "all", "department": "", "team": "", **total})
    return distinct(rows)


def distinct(rows: list[dict]) -> list[dict]:
    """Team rows with the subtotals that add something: a department's only when it has two teams and there is
    another department, the total only over two teams or more (else each repeats a row above it)."""
    teams = [r for r in rows if r["kind"] == "team"]
    per_department = {d: sum(t["department"] == d for t in teams) for d in {t["department"] for t in teams}}
    return [r for r in rows if r["kind"] == "team"
            or r["kind"] == "dept" and len(per_department) > 1 and per_department.get(r["department"], 0) > 1
            or r["kind"] == "all" and len(teams) > 1]


def _zero() -> dict[str, int]:
    return {"participants": 0, **{key: 0 for key, _ in COUNTS}}


def _add(into: dict, row: dict) -> None:
    for key in into:
        into[key] += row[key]


def agreements(teams: list[Facts]) -> list[dict]:
    """Open and overdue agreement counts per team (numbers only: agreements are the team's own text)."""
    rows = []
    for dept, members in _departments(teams).items():
        for f in members:
            # open agreements of someone who left are history, not work anyone still owes
            states = [s for pid, p in f.ws.people.items() if not p.left_by(f.today) for s in f.agreements(pid) if s.is_open]
            rows.append({"department": dept, "team": f.team.team.name, "open": len(states),
                         "overdue": sum(s.overdue for s in states)})
    return rows


def signals(teams: list[Facts], cid: str, k: int, t: Words) -> list[dict]:
    """Per shared scale question and side: averages per team, department and overall, suppressed, in HR's language."""
    values: dict[tuple, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(list))
    meta: dict[tuple, dict] = {}
    counted: set[tuple] = set()
    for f, person, talk, q in _answered(teams, cid):
        if not averaged(q):
            continue
        for side in ("employee", "manager"):
            value = getattr(talk, side).get(q.id)
            key = (q.id, side)
            # k counts people: one answer per person, however often a cycle or org.yaml lists them
            who = (key, f.ws.people[person].email.casefold())
            if q.asks(side) and isinstance(value, (int, float)) and who not in counted:
                counted.add(who)
                values[key][(f.team.team.department, f.key)].append(float(value))
                meta.setdefault(key, {"question": pick(q.wording(side), t.language), "low": q.scale.min,
                                      "high": q.scale.max, "side": side, "both": q.answered_by.value == "both"})
    names = {f.key: f.team.team.name for f in teams}
    out = []
    for key in values:
        cells = aggregates.cells(dict(values[key]), k)
        m = meta[key]
        out.append({**m, "rows": distinct([_cell_row(c, names, m, t) for c in _ordered(cells)])})
    return out


def _ordered(cells: dict[tuple, aggregates.Cell]) -> list[aggregates.Cell]:
    teams = sorted(c for c in cells if c[0] == "team")
    out = []
    for dept in sorted({c[1] for c in teams}):
        out.extend(cells[c] for c in teams if c[1] == dept)
        out.append(cells[("dept", dept)])
    return [*out, cells[aggregates.ALL]]


def _cell_row(cell: aggregates.Cell, names: dict[str, str], meta: dict, t: Words) -> dict:
    kind = cell.key[0]
    mean = cell.mean
    return {"kind": kind, "department": cell.key[1] if kind != "all" else "",
            "team": names.get(cell.key[2], cell.key[2]) if kind == "team" else "",
            "shown": cell.shown, "n": cell.n if cell.shown else None,
            "mean": t.number(mean) if mean is not None else None,
            "meter": charts.meter(mean, meta["low"], meta["high"]) if mean is not None else None}


def shared_answers(teams: list[Facts], cid: str, t: Words) -> list[dict]:
    """Answers to questions shared with HR that are not averaged (a choice, a text), per question and team, in HR's language."""
    out: dict[str, dict] = {}
    for f, person, talk, q in _answered(teams, cid):
        for side in ("employee", "manager"):
            if q.kind is Kind.scale or not q.asks(side) or not reads(AUDIENCE, q, side):
                continue
            html = answer(q, getattr(talk, side).get(q.id), t.language)
            if html is None:
                continue
            entry = out.setdefault(q.id, {"question": pick(q.text, t.language), "rows": []})
            entry["rows"].append({"team": f.team.team.name, "person": f.name(person),
                                  "side": t(side), "html": html})
    return [out[qid] for qid in sorted(out)]


def _answered(teams: list[Facts], cid: str) -> Iterator[tuple[Facts, str, Talk, Question]]:
    """(team, person, talk, question) for every question of every participant's talk in the cycle."""
    for f in teams:
        if cid not in f.ws.cycles:
            continue
        template = f.ws.templates.get(f.cycle(cid).template)
        if template is None:
            continue
        for person in participants(f.ws, f.cycle(cid)):
            t = f.ws.talks.get((person, cid))
            if t is not None:
                for q in template.questions(t.template_version).values():
                    yield f, person, t, q
