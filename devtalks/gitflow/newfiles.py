"""Files a command writes so that nobody writes them by hand: a new cycle and a new check-in.

Takes a team repository and what the command was told; gives a NewFile (its path, its text with the
comments a first-time editor needs, and sentences for the user), refused with the reason when the file
exists or could not be valid. The text is checked against its model, as `devtalks validate` reads it,
before anyone writes it; `write` never replaces a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DevtalksError
from ..model import CheckIn, Cycle
from ..model.base import SLUG_RE
from ..progress import agreements, participants
from ..read.load import Workspace, load, validate_source
from ..read.yamlsource import parse
from .init import first_cycle, templates
from .talkfile import render_checkin

DATES = ("opens", "prepare_by", "talks_by", "plan_by")
STEP = dt.timedelta(days=14)  # two weeks per step when a date is not given, as `devtalks init`'s first cycle


@dataclass(frozen=True)
class NewFile:
    path: str                                       # relative to the team repository
    text: str
    said: list[str] = field(default_factory=list)   # what the user should know about it

    def write(self, root: Path) -> None:
        """Create the file; one that appeared since it was planned is left alone."""
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "x", encoding="utf-8", newline="") as fh:
                fh.write(self.text)
        except FileExistsError:
            raise DevtalksError(f"{self.path} exists already; nothing was written") from None


def new_cycle(root: Path, cycle_id: str | None, title: str | None, template: str | None,
              dates: dict[str, dt.date | None], today: dt.date) -> NewFile:
    """cycles/<id>.yaml: the id and title default from the opening date's half year, the template from the latest
    cycle, the dates two weeks apart from the ones given; participants are the team as it will be on talks_by."""
    ws = _team(root)
    language = ws.team.language
    given = {k: v for k, v in dates.items() if v is not None}
    opens = given.get("opens", today)
    default_id, values = first_cycle(opens, language)
    cycle_id = cycle_id or default_id
    if not SLUG_RE.fullmatch(cycle_id):
        raise DevtalksError(f"`{cycle_id}` cannot be a cycle id: use lower-case letters, digits, - and _ "
                            f"(e.g. {default_id})")
    path = ws.cycle_path(cycle_id)
    for existing in (f"cycles/{cycle_id}.yaml", f"cycles/{cycle_id}.yml"):
        if (root / existing).exists():
            raise DevtalksError(f"{existing} exists already: choose another id, or edit that file")
    talks_by = given.get("talks_by") or max(given.get("prepare_by", opens + STEP), opens) + STEP
    values.update(
        cycle_id=cycle_id, title=title if title is not None else values["title"],
        template=template or _latest_template(ws), opens=opens,
        prepare_by=given.get("prepare_by") or max(opens, talks_by - STEP), talks_by=talks_by,
        plan_by=given.get("plan_by") or talks_by + STEP)
    _require_order(values)
    if values["template"] not in ws.templates:
        close = difflib.get_close_matches(values["template"], ws.templates, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"known templates: {', '.join(sorted(ws.templates))}"
        raise DevtalksError(f"there is no question template `{values['template']}` in question_templates/; {hint}")
    said = _participants(ws, values)
    text = templates("team").get_template(f"cycle.{language}.yaml.j2").render(values)
    _require_valid(Cycle, path, text)
    return NewFile(path, text, said)


def _latest_template(ws: Workspace) -> str:
    """The template of the cycle that opened last, else `default`: a team keeps the questions it chose."""
    if not ws.cycles:
        return "default"
    return max(ws.cycles.items(), key=lambda kv: (kv[1].opens, kv[0]))[1].template


def _require_order(values: dict) -> None:
    for earlier, later in zip(DATES, DATES[1:]):
        if values[earlier] > values[later]:
            raise DevtalksError(f"{later.replace('_', '-')} {values[later]} is before {earlier.replace('_', '-')} "
                                f"{values[earlier]}: the order is opens ≤ prepare-by ≤ talks-by ≤ plan-by")


def _participants(ws: Workspace, values: dict) -> list[str]:
    """Put `all` or a list in `values`, and say who is left out: everyone with a manager on talks_by takes part.

    `all` (which also takes in whoever joins later) is written when it means exactly these people; a list when
    someone leaves between the opening and talks_by, whom `all` would still ask for a talk.
    """
    cycle = Cycle(title="-", template=values["template"], **{k: values[k] for k in DATES})
    everyone = participants(ws, cycle)
    day = values["talks_by"]
    taking_part = [p for p in everyone if not ws.people[p].left_by(day)]
    left_out = [{"id": p.id, "left_on": p.left_on if p.left_by(day) else None, "joined_on": p.joined_on}
                for p in ws.team.people if p.manager and p.id not in taking_part
                and not p.left_by(values["opens"])]
    if not taking_part:
        raise DevtalksError("nobody would take part: people take part when they have a manager in team.yaml "
                            "(`devtalks person add --manager ID`)")
    values.update(participants="all" if taking_part == everyone else taking_part, left_out=left_out)
    return [f"{p['id']} does not take part: " + (f"leaves on {p['left_on']}" if p["left_on"]
                                                 else f"joins on {p['joined_on']}, after talks-by") for p in left_out]


def new_checkin(root: Path, person: str, day: dt.date, today: dt.date) -> NewFile:
    """talks/<person>/checkin-<day>.yaml: the check-in template's questions, and the person's open agreements."""
    ws = _team(root)
    if person not in ws.people:
        close = difflib.get_close_matches(person, ws.people, n=1)
        raise DevtalksError(f"`{person}` is not a person in team.yaml"
                            + (f"; did you mean `{close[0]}`?" if close else ""))
    if person in ws.homes:
        raise DevtalksError(f"{person}'s talks live in their own repository ({ws.origins[person][0]}): run this in "
                            "your clone of it, then commit and push there")
    who = ws.people[person]
    if who.left_by(day):
        raise DevtalksError(f"{person} left on {who.left_on}: no new check-ins with someone who left")
    if day > today:
        raise DevtalksError(f"{day} is in the future: a check-in file is named after the day it is held; "
                            "write it on that day (or later, with --on)")
    path = ws.checkin_path(person, day)
    if (root / path).exists():
        raise DevtalksError(f"{path} exists already; edit that file")
    tid = ws.team.checkin_template
    if tid and tid not in ws.templates:
        raise DevtalksError(f"team.yaml's checkin_template `{tid}` is not in question_templates/; "
                            "run `devtalks validate` and fix it first")
    earlier = [s for s in agreements(ws, day, person) if s.is_open and s.made_on <= day]
    text = render_checkin(ws, person, day, earlier)
    _require_valid(CheckIn, path, text)
    n = len(earlier)
    return NewFile(path, text, [f"{n} open agreement{'s' * (n != 1)} of {person} listed to look at"] if n else [])


def _team(root: Path) -> Workspace:
    ws = load(root)
    if ws.team is None:
        raise DevtalksError("team.yaml has errors; run `devtalks validate` and fix them first")
    return ws


def _require_valid(model: type, path: str, text: str) -> None:
    """The new text as `devtalks validate` reads it: only a value no file may hold (a title of two lines), or a bug,
    fails here."""
    found, problems = validate_source(model, parse(path, text.encode("utf-8")))
    if found is None or problems:
        first = "; ".join(f"line {d.line}: {d.message}" for d in problems[:3])
        raise DevtalksError(f"the new {path} would not be valid ({first}); nothing was written. "
                            "If a value you gave is not the cause, this is a bug in devtalks: please report it")

