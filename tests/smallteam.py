"""A small team written from scratch for tests of who sees what, stages and reminders.

Every branch of visibility has a question: one only the manager may read, one only the
employee, one both answer but only the employee may read, a scale shared with HR and one
that is not. Talks are at every stage, two of them signed by one side only. Someone left the
day the current cycle opened, someone joined the day after its talks were due, and the cycle
ids sort the other way round from their dates (only Ada and Fien took part in the earlier one). k (min_group_size) is 3.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 27)
CURRENT, EARLIER = "najaar", "voorjaar"  # by id, "voorjaar" sorts last; by date it is the older cycle
K = 3
REPORTS = ["ada", "bas", "cor", "dirk", "eef"]

TEAM = """\
team: {id: studio, name: Studio, department: Design}
language: en
privacy: {min_group_size: 3}
people:
  - {id: mira, name: Mira Manager, email: mira@example.com, github: miragh}
  - {id: ada, name: Ada Achter, email: ada@example.com, github: adagh, manager: mira}
  - {id: bas, name: Bas Berg, email: bas@example.com, github: basgh, manager: mira}
  - {id: cor, name: Cor Claes, email: cor@example.com, github: corgh, manager: mira}
  - {id: dirk, name: Dirk Dekker, email: dirk@example.com, github: dirkgh, manager: mira}
  - {id: eef, name: Eef Eiland, email: eef@example.com, github: eefgh, manager: mira}
  - {id: fien, name: Fien Fort, email: fien@example.com, github: fiengh, manager: mira, left_on: 2026-10-05}
  - {id: gijs, name: Gijs Gans, email: gijs@example.com, github: gijsgh, manager: mira, joined_on: 2026-11-28}
reminders: {soon_days: 7, email_days_before: [7, 1], repository: example/studio}
"""

TEMPLATE = """\
title: {en: Talk}
version: 1
sections:
  - id: all
    title: {en: Everything}
    questions:
      - {id: shared-note, text: {en: Question shared with HR}, answered_by: both,
         visibility: [employee, manager, hr]}
      - {id: manager-only, text: {en: Question only the manager reads}, answered_by: manager,
         visibility: [manager]}
      - {id: employee-only, text: {en: Question only the employee reads}, answered_by: employee, required: false,
         visibility: [employee]}
      - {id: mixed, text: {en: Question both answer and the employee reads}, answered_by: both, required: false,
         visibility: [employee]}
      - {id: mood, text: {en: Scale kept from HR}, kind: scale, answered_by: employee, required: false,
         visibility: [employee, manager]}
      - {id: ready, text: {en: Scale three people answered}, kind: scale, answered_by: employee, required: false,
         visibility: [employee, manager, hr]}
      - {id: growth, text: {en: Scale two people answered}, kind: scale, answered_by: manager, required: false,
         visibility: [employee, manager, hr]}
"""

CYCLE = """\
title: {title}
kind: {kind}
template: talk
opens: {opens}
prepare_by: {prepare_by}
talks_by: {talks_by}
plan_by: {plan_by}
participants: {participants}
"""


def answers(person: str, ready: int | None = None, growth: int | None = None, mood: int = 2) -> str:
    """Both sides' answers to every question, each text naming who wrote it and who may read it."""
    employee = [f"shared-note: Shared by {person} employee", f"employee-only: Secret of {person} employee",
                f"mixed: Mixed of {person} employee", f"mood: {mood}"] + ([f"ready: {ready}"] if ready else [])
    manager = [f"shared-note: Shared by {person} manager", f"manager-only: Secret of {person} manager",
               f"mixed: Mixed of {person} manager"] + ([f"growth: {growth}"] if growth else [])
    return ("employee:\n" + "".join(f"  {a}\n" for a in employee)
            + "manager:\n" + "".join(f"  {a}\n" for a in manager))


HELD = """\
held_on: 2026-11-20
summary: We talked.
agreements:
  - {{id: next-step, title: The next step of {person}, owner: {person}, due: 2027-01-15}}
"""


def talk(person: str, *, held: bool = False, employee_signed: bool = False, manager_signed: bool = False,
         **values) -> str:
    text = "template_version: 1\n" + answers(person, **values)
    if held:
        text += HELD.format(person=person)
    signed = {side: "2026-11-24" for side, yes in (("employee", employee_signed), ("manager", manager_signed)) if yes}
    if signed:
        text += "sign_off:\n" + "".join(f"  {side}: {day}\n" for side, day in signed.items())
    return text


def write_team(root: Path) -> Path:
    """The small team in `root`, with the example's site configuration; returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "site_overrides", root / "site_overrides")
    (root / "team.yaml").write_text(TEAM, encoding="utf-8")
    (root / "question_templates").mkdir()
    (root / "question_templates" / "talk.yaml").write_text(TEMPLATE, encoding="utf-8")
    (root / "cycles").mkdir()
    (root / "cycles" / f"{CURRENT}.yaml").write_text(CYCLE.format(
        title="Autumn talks", opens="2026-10-05", prepare_by="2026-11-13", talks_by="2026-11-27",
        plan_by="2026-12-11", participants="all", kind="development"), encoding="utf-8")
    (root / "cycles" / f"{EARLIER}.yaml").write_text(CYCLE.format(
        title="Spring talks", opens="2026-03-02", prepare_by="2026-03-20", talks_by="2026-04-03",
        plan_by="2026-04-17", participants="[ada, fien]", kind="development"), encoding="utf-8")
    (root / "cycles" / "checkins.yaml").write_text(CYCLE.format(  # not a development cycle: no talks are due
        title="Check-ins", opens="2026-11-02", prepare_by="2026-11-16", talks_by="2026-11-20",
        plan_by="2026-11-30", participants="all", kind="check-in"), encoding="utf-8")
    talks = {
        "ada": talk("ada", held=True, employee_signed=True, ready=4, growth=2),  # signed by the employee only
        "bas": talk("bas", held=True, manager_signed=True, ready=5, growth=5),   # signed by the manager only
        "cor": talk("cor", held=True, employee_signed=True, manager_signed=True, ready=2),
        "dirk": talk("dirk"),                                                    # prepared, not held
    }
    for person, text in talks.items():
        folder = root / "talks" / person
        folder.mkdir(parents=True)
        (folder / f"{CURRENT}.yaml").write_text(text, encoding="utf-8")
    for person in ("ada", "fien"):
        (root / "talks" / person).mkdir(exist_ok=True)
        (root / "talks" / person / f"{EARLIER}.yaml").write_text(
            talk(person, held=True, employee_signed=True, manager_signed=True).replace("2026-11-2", "2026-03-2"),
            encoding="utf-8")
    return root
