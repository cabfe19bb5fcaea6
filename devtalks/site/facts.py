"""One team's derived state for its sites, computed once per build and shared by every page.

Everything here comes from progress.py; this module only indexes it by person, so that
generating hundreds of sites does not recompute the same due items for each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from ..i18n import words
from ..model import CheckIn, Cycle
from ..progress import (
    AgreementState,
    DueItem,
    NextStep,
    Step,
    TalkProgress,
    agreements,
    current_cycle,
    development_cycles,
    due_items,
    next_step,
    soon_days,
    steps,
    talk_progress,
    urgency,
)
from ..read.load import Workspace

if TYPE_CHECKING:
    from ..gitflow.editlinks import Editor


class Facts:
    def __init__(self, ws: Workspace, today: dt.date, key: str | None = None):
        self.ws = ws
        self.key = key or (ws.team.team.id if ws.team else "")  # keeps teams apart on the HR site
        self.today = today
        self.team = ws.team
        self.words = words(ws.team.language if ws.team else "en")
        self.soon = dt.timedelta(days=soon_days(ws))
        self.progress = lru_cache(maxsize=None)(self._progress)
        self.current = lru_cache(maxsize=None)(self._current)
        self._items = lru_cache(maxsize=None)(self._due)
        self._own_editors: dict[str, Editor | None] = {}

    @cached_property
    def editor(self) -> Editor | None:
        """Where the sites link each file to the forge's web editor (gitflow/editlinks.py); None: no link, a path."""
        from ..gitflow.editlinks import editor_for

        return editor_for(self.ws.root, self.team)

    def editor_of(self, person: str) -> Editor | None:
        """Where this person's files are edited on the web: their own repository in the person layout."""
        if person not in self.ws.homes:
            return self.editor
        if person not in self._own_editors:
            from ..gitflow.editlinks import editor_for

            self._own_editors[person] = editor_for(self.ws.home(person), self.team, own=self.ws.origins[person][0])
        return self._own_editors[person]

    def edit_link(self, path: str, person: str, cycle: str | None = None) -> dict:
        """A file someone should edit: its path, and its web editor's address on the branch it is edited on (a
        talk's open pull-request branch, else the default one), or None where there is none to give."""
        editor, url = self.editor_of(person), None
        if editor is not None:
            branch = editor.branch_for(person, cycle)
            if branch or self.ws.has_file(path):
                url = editor.url(path, branch)
        return {"path": path, "url": url}

    @cached_property
    def cycles(self) -> list[str]:
        """Development cycles, newest first."""
        return list(reversed(development_cycles(self.ws)))

    @cached_property
    def _agreements(self) -> dict[str, list[AgreementState]]:
        out: dict[str, list[AgreementState]] = defaultdict(list)
        for state in agreements(self.ws, self.today):
            out[state.person].append(state)
        return out

    def items(self, person: str) -> list[DueItem]:
        """What is due about this person's talks and agreements, by anyone, soonest first."""
        return self._items(person)

    def _due(self, person: str) -> list[DueItem]:
        return due_items(self.ws, self.today, person)  # one person's: a site shows a few people of thousands

    def next(self, person: str) -> NextStep | None:
        """The soonest thing due about this person, as status and reminders see it (progress.next_step)."""
        return next_step(self.ws, self.today, person, self.items(person))

    def next_by(self, manager: str, reports: list[str]) -> NextStep | None:
        """What `manager` must do next about one of `reports`, as their reminders see it (progress.next_step)."""
        return next_step(self.ws, self.today, None, [i for r in reports for i in self.items(r)], by=manager)

    def steps(self, person: str, cycle: str) -> list[Step]:
        """The steps of this person's talk in `cycle`, the current one as urgent as progress.next_step says."""
        return steps(self.ws, self.today, person, cycle, self.items(person))

    def agreements(self, person: str) -> list[AgreementState]:
        """Agreements from this person's talks and check-ins, oldest first."""
        return self._agreements.get(person, [])

    def _progress(self, person: str, cycle: str) -> TalkProgress:
        return talk_progress(self.ws, person, cycle)

    def _current(self, person: str) -> str | None:
        return current_cycle(self.ws, person, self.today)

    def cycle(self, cid: str) -> Cycle:
        return self.ws.cycles[cid]

    def talks_of(self, person: str) -> list[str]:
        """Cycles with a talk page for this person, newest first: those with a file, plus the current one."""
        current = self.current(person)
        return [cid for cid in self.cycles if (person, cid) in self.ws.talks or cid == current]

    @cached_property
    def _checkins(self) -> dict[str, list[tuple[dt.date, CheckIn]]]:
        out: dict[str, list[tuple[dt.date, CheckIn]]] = defaultdict(list)
        for (pid, day), c in sorted(self.ws.checkins.items(), key=lambda kv: kv[0][1], reverse=True):
            out[pid].append((day, c))
        return out

    def checkins_of(self, person: str) -> list[tuple[dt.date, CheckIn]]:
        """A person's check-ins, newest first."""
        return self._checkins.get(person, [])

    def name(self, person: str) -> str:
        p = self.ws.people.get(person)
        return p.name if p else person

    def goal_title(self, goal: str | None) -> str | None:
        if goal is None or self.team is None:
            return None
        return next((g.title for g in self.team.goals if g.id == goal), goal)

    def urgency(self, due: dt.date | None, is_open: bool = True) -> str:
        """overdue, soon or '' for a deadline, as of today (progress.urgency)."""
        if due is None or not is_open:
            return ""
        return urgency(due, self.today, self.soon.days)
