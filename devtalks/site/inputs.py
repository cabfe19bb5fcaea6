"""Fingerprints of what each site is made of, computed without generating a single page.

A site's fingerprint covers: the tools and configuration (the base), the team's shared files
(team.yaml, templates, cycles), the files of every person the site shows, where each date
in them stands against today (past, today, due soon: the only way today changes a page),
their talks' Git history, and private notes when a manager's key opened them. A rebuild
with nothing changed compares fingerprints and does no other work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cached_property
from pathlib import Path

from ..errors import DevtalksError
from .audiences import HR, Audience, subjects
from .facts import Facts


def refuse_links_out(repo: Path, path: Path) -> None:
    """A site may show only the repository's own files: no symlink in mkdocs.yml or site_overrides/ leads out."""
    for found in [path, *(path.rglob("*") if path.is_dir() else ())]:
        target = found.resolve()
        if target != repo and repo not in target.parents:
            shown = found.relative_to(repo) if repo in found.parents else found
            raise DevtalksError(f"{shown} leads out of the repository (to {target}); a site shows only the "
                                "repository's own files: replace the symbolic link with the file itself")


def _digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


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

    def __init__(self, facts: Facts, history=None):
        self.f = facts
        self.history = history
        self._people: dict[str, str] = {}

    def _when(self, days: set[dt.date]) -> tuple:
        today, soon = self.f.today, self.f.soon
        return tuple((d < today, d == today, d - today <= soon) for d in sorted(days))

    @cached_property
    def shared(self) -> str:
        ws = self.f.ws
        rels = sorted(r for r in ws.sources if not r.startswith("talks/"))
        days = _dates([ws.sources[r].data for r in rels], set())
        return _digest([(r, ws.sources[r].raw) for r in rels], self._when(days))

    @cached_property
    def _by_person(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for rel in sorted(self.f.ws.sources):
            parts = rel.split("/")
            if parts[0] == "talks" and len(parts) == 3:
                out.setdefault(parts[1], []).append(rel)
        return out

    def person(self, person: str) -> str:
        if person not in self._people:
            self._people[person] = self._person(person)
        return self._people[person]

    def _person(self, person: str) -> str:
        ws = self.f.ws
        rels = self._by_person.get(person, [])
        days = _dates([ws.sources[r].data for r in rels], set())
        history = []
        if self.history is not None:
            history = [(r, [c.sha for c in self.history(ws.root, r)]) for r in rels if "checkin-" not in r]
        return _digest([(r, ws.sources[r].raw) for r in rels], self._when(days), history)


def fingerprint(base: str, key: str, teams: list[TeamInputs], notes: dict | None = None) -> str:
    """The fingerprint of one site: people/<id> and managers/<id> of the first team, hr over all."""
    audience = Audience.parse(key)
    if audience.kind == HR:
        people = [(t.f.key, t.shared, [t.person(p) for p in sorted(t.f.ws.people)]) for t in teams]
        return _digest(base, key, people)
    team = teams[0]
    shown = subjects(team.f.ws, audience)
    opened = sorted((p, [(n.written.isoformat(), n.text) for n in items]) for p, items in (notes or {}).items())
    return _digest(base, key, team.shared, [(p, team.person(p)) for p in shown], opened)
