"""Fingerprints of what each site is made of, computed without generating a single page.

A site's fingerprint covers: the tools and configuration (the base), the team's shared files
(team.yaml, templates, cycles), the files of every person the site shows, where each date
in them stands against today (past, today, due soon: the only way today changes a page),
their talks' Git history, where their edit links point (the forge, open pull-request
branches), and private notes when a manager's key opened them. A rebuild
with nothing changed compares fingerprints and does no other work.

The HR site's fingerprint leaves out what HR never sees of a person's files (a summary, an
agreement's text, a check-in's topics, the Git history), so an edit
to those regenerates that person's and manager's sites but not HR's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cached_property

from ..answers import filled
from ..read.snapshot import digest_rows
from .audiences import HR, Audience, aggregates, reads, subjects
from .facts import Facts


def _digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


# Keys of a talk or check-in whose values HR never sees, and those of an agreement (HR counts agreements only).
_HIDDEN_FROM_HR = ("summary", "topics")
_AGREEMENT_TEXT = ("title", "support", "goal")


def hr_view(data: object, shared: frozenset[str] | None) -> object:
    """A talk's or check-in's parsed data as far as the HR site can show it.

    An answer to a question not `shared` with HR, and the summary, count only as written or
    not: that decides a talk's stage (progress.stage_of). With `shared` None (no template
    found) every answer counts in full.
    """
    if not isinstance(data, dict):
        return data
    view = {k: v for k, v in data.items() if k not in _HIDDEN_FROM_HR}
    view["summary"] = bool(data.get("summary"))
    for side in ("employee", "manager"):
        answers = data.get(side)
        if shared is not None and isinstance(answers, dict):
            written = filled(answers)
            view[side] = {qid: value if qid in shared else qid in written for qid, value in answers.items()}
    for key in ("agreements", "follow_ups"):
        if isinstance(data.get(key), list):
            view[key] = [{k: v for k, v in a.items() if k not in _AGREEMENT_TEXT} if isinstance(a, dict) else a
                         for a in data[key]]
    return view


def _days(data: object) -> list[str]:
    """Every date in parsed data, once each, as sorted ISO text (which sorts and compares as the dates do)."""
    return sorted(d.isoformat() for d in _dates(data, set()))


def _dates(data: object, into: set) -> set:
    if isinstance(data, dt.date):
        into.add(data if not isinstance(data, dt.datetime) else data.date())
    elif isinstance(data, dict):
        for value in data.values():
            _dates(value, into)
    elif isinstance(data, list):
        for value in data:
            _dates(value, into)
    return into


class TeamInputs:
    """The inputs of one team's sites, indexed by person."""

    def __init__(self, facts: Facts, history=None, hr_known: dict[str, str] | None = None,
                 dates_known: dict[str, list[str]] | None = None):
        """`hr_known`: HR digests an earlier build worked out, by the digest of a person's whole inputs;
        `dates_known`: the dates in a person's files (_days), by the digest of those files."""
        self.f = facts
        self.history = history
        self.hr_known = hr_known or {}
        self.hr_used: dict[str, str] = {}  # what hr_known should hold for the next build
        self.dates_known = dates_known or {}
        self.dates_used: dict[str, list[str]] = {}  # and dates_known
        self._people: dict[str, str] = {}
        self._hr: dict[str, str] = {}
        self._when_of: dict[str, tuple] = {}

    def _when(self, days: list[str]) -> tuple:
        today = self.f.today.isoformat()
        soon = (self.f.today + min(self.f.soon, dt.date.max - self.f.today)).isoformat()  # none lies past date.max
        return tuple((d < today, d == today, d <= soon) for d in days)

    @cached_property
    def shared(self) -> str:
        ws = self.f.ws
        rels = sorted(r for r in ws.sources if not r.startswith("talks/"))
        return _digest(digest_rows((r, ws.sources[r].raw) for r in rels), self._when(_days([ws.sources[r].data for r in rels])))

    def _rels(self, person: str) -> list[str]:
        return [f.rel for f in self.f.ws.own.get(person, ())]

    def _data(self, person: str) -> list[tuple[str, object]]:
        """Each of a person's files with its parsed data, parsing those load(lazy=True) left unread."""
        ws = self.f.ws
        ws.read_people([person])
        return [(rel, ws.sources[rel].data) for rel in self._rels(person)]

    def person(self, person: str) -> str:
        if person not in self._people:
            self._people[person] = self._person(person)
        return self._people[person]

    def _person(self, person: str) -> str:
        history = []
        if self.history is not None:
            history = [(r, [c.sha for c in self.history(self.f.ws.home(person), r)]) for r in self._rels(person) if "checkin-" not in r]
        return _digest(self._files(person), self._dated(person), history)

    def _files(self, person: str) -> str:
        return self.f.ws.digests.get(person, "")

    def part(self, base: str, key: str, person: str) -> str:
        """The fingerprint of one person's pages in site `key`: all they show is theirs or the team's (reuse.Parts)."""
        return _digest(base, key, self.shared, person, self.person(person), self.edits(person))

    def edits(self, person: str) -> tuple | None:
        """Where a person's edit links point: the forge, and which of their talks have an open pull-request branch."""
        editor = self.f.editor_of(person)
        if editor is None:
            return None
        return editor.state(), [c for c in sorted(self.f.ws.cycles) if editor.branch_for(person, c)]

    def hr_person(self, person: str) -> str:
        """A person's inputs as the HR site sees them; worked out again only when their whole inputs changed."""
        if person not in self._hr:
            whole = _digest(self.f.key, self.shared, self.person(person))
            found = self.hr_known.get(whole)
            if found is None:
                found = _digest([(r, hr_view(data, self._shared_with_hr.get(self._template_of(r))))
                                 for r, data in self._data(person)], self._dated(person))
            self._hr[person] = self.hr_used[whole] = found
        return self._hr[person]

    @cached_property
    def _shared_with_hr(self) -> dict[str, frozenset[str]]:
        """Template id → the ids of its questions whose answers the HR site may show, alone or averaged."""
        hr = Audience(HR)
        return {tid: frozenset(q.id for s in t.sections for q in s.questions
                               if aggregates(q) or any(reads(hr, q, side) for side in ("employee", "manager")))
                for tid, t in self.f.ws.templates.items()}

    def _template_of(self, rel: str) -> str | None:
        """The template a talk's or check-in's answers were given to."""
        name = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if name.startswith("checkin-"):
            return self.f.team.checkin_template if self.f.team else None
        cycle = self.f.ws.cycles.get(name)
        return cycle.template if cycle else None

    def _dated(self, person: str) -> tuple:
        """Where each date in a person's files stands against today (their dates found again only when they changed)."""
        if person not in self._when_of:
            files = self._files(person)
            days = self.dates_known.get(files)
            if days is None:
                days = _days([data for _, data in self._data(person)])
            self.dates_used[files] = days
            self._when_of[person] = self._when(days)
        return self._when_of[person]


def fingerprint(base: str, key: str, teams: list[TeamInputs], notes: dict | None = None) -> str:
    """The fingerprint of one site: people/<id> and managers/<id> of the first team, hr over all."""
    audience = Audience.parse(key)
    if audience.kind == HR:
        people = [(t.f.key, t.shared, [t.hr_person(p) for p in sorted(t.f.ws.people)]) for t in teams]
        return _digest(base, key, people)
    team = teams[0]
    shown = subjects(team.f.ws, audience)
    opened = sorted((p, [(n.written.isoformat(), n.text) for n in items]) for p, items in (notes or {}).items())
    return _digest(base, key, team.shared, [(p, team.person(p), team.edits(p)) for p in shown], opened)
