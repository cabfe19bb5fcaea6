"""Who sees what: the one place that decides which people and answers go into which site.

A person's site holds that person's data; a manager's site their direct reports'; the HR
site every team's progress and only the answers whose question is shared with HR. Page
generation asks this module and never decides visibility on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import DevtalksError
from ..model import Kind, Question, Reader
from ..progress import reports_of
from ..read.load import Workspace

PEOPLE, MANAGERS, HR = "people", "managers", "hr"
_READER = {PEOPLE: Reader.employee, MANAGERS: Reader.manager, HR: Reader.hr}
_AUTHOR_SIDE = {PEOPLE: "employee", MANAGERS: "manager"}


@dataclass(frozen=True)
class Audience:
    """The readers of one site: a person, a manager, or HR."""

    kind: str
    person: str | None = None

    @property
    def key(self) -> str:
        """The site's path under the output folder: people/<id>, managers/<id> or hr."""
        return HR if self.kind == HR else f"{self.kind}/{self.person}"

    @classmethod
    def parse(cls, key: str) -> "Audience":
        kind, _, person = key.strip("/").partition("/")
        if kind == HR and not person:
            return cls(HR)
        if kind in (PEOPLE, MANAGERS) and person and "/" not in person:
            return cls(kind, person)
        raise DevtalksError(f"`{key}` is not a site; write people/<person-id>, managers/<person-id> or hr")


def sites(ws: Workspace, today: dt.date) -> list[Audience]:
    """Every site a team repository has on `today`: one per person still in the team, one per manager, one for HR.

    Someone who left has no site of their own (a full build removes it); their talks stay on
    their former manager's and HR's sites, and `devtalks person export` gives them their data.
    """
    if ws.team is None:
        return []
    people = [Audience(PEOPLE, p.id) for p in ws.team.people if not p.left_by(today)]
    managers = [Audience(MANAGERS, p.id) for p in ws.team.people if not p.left_by(today) and reports_of(ws, p.id)]
    return [*people, *managers, Audience(HR)]


def subjects(ws: Workspace, audience: Audience) -> list[str]:
    """The people whose talks, agreements and check-ins this site shows in full."""
    if audience.kind == PEOPLE:
        return [audience.person] if audience.person in ws.people else []
    if audience.kind == MANAGERS:
        return reports_of(ws, audience.person)
    return []


def reads(audience: Audience, question: Question, side: str) -> bool:
    """Whether this site shows the answer that `side` (employee or manager) gave to `question`.

    The question's `visibility` lists who may read its answers; whoever wrote an answer may
    always read it back. HR never sees a scale answer on its own, only aggregates over
    enough people (see aggregates.py).
    """
    if audience.kind == HR:
        return Reader.hr in question.visibility and question.kind is not Kind.scale
    return _READER[audience.kind] in question.visibility or _AUTHOR_SIDE[audience.kind] == side


def aggregates(question: Question) -> bool:
    """Whether the HR site may show averages of this question's answers (over enough people)."""
    return Reader.hr in question.visibility and question.kind is Kind.scale


def weight(ws: Workspace, audience: Audience) -> int:
    """A rough cost of building a site, for spreading sites over workers and shards."""
    if audience.kind == HR:
        return len(ws.people)
    return 1 + len(subjects(ws, audience)) if audience.kind == MANAGERS else 1
