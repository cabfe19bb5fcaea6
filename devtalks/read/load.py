"""Read a team repository into one Workspace: every file parsed, validated and placed.

The path is the key: `talks/daan/2026-spring.yaml` is Daan's talk in cycle 2026-spring.
Reading (read/snapshot.py) never follows a path out of the repository; parsing (read/yamlsource.py)
never raises for a user mistake; problems become diagnostics with a file, line and column.
A build loads lazily: every file is read, the shared ones are parsed, and people's own files
wait in Workspace.unread until a check or a site needs them (validation.check_lazily).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from ..check.translate import validate
from ..diagnostics import Diagnostic
from ..i18n import FALLBACK, supported
from ..model import CheckIn, Cycle, Person, QuestionTemplate, Talk, Team
from ..model.base import SLUG_RE
from ..model.notes import NotesIndex
from ..model.personrepo import PersonRepo
from ..parallel import parse_many
from .snapshot import CHECKIN_RE, NOTES_INDEX, PERSONAL_KINDS, File, Snapshot, digest_rows, person_of, read
from .yamlsource import ParsedStore, Source

__all__ = ["NOTES_INDEX", "Workspace", "load", "from_snapshot", "place", "validate_source"]


@dataclass
class Workspace:
    """Everything in one team repository, as models, with the sources kept for positions."""

    root: Path
    team: Team | None = None
    templates: dict[str, QuestionTemplate] = field(default_factory=dict)
    cycles: dict[str, Cycle] = field(default_factory=dict)
    talks: dict[tuple[str, str], Talk] = field(default_factory=dict)
    checkins: dict[tuple[str, dt.date], CheckIn] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    note_index: dict[str, NotesIndex] = field(default_factory=dict)
    note_heads: dict[str, bytes] = field(default_factory=dict)
    codeowners: str | None = None  # the text of .github/CODEOWNERS, when there is one
    sources: dict[str, Source] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    complete: bool = True
    language: str = FALLBACK  # what diagnostics are written in: team.yaml's `language`, once it is read
    own: dict[str, list[File]] = field(default_factory=dict)  # person → the files under talks/<person>/ that were read
    unread: dict[str, list[File]] = field(default_factory=dict)  # person → own files load(lazy=True) left unparsed
    store: ParsedStore | None = field(default=None, repr=False)
    person_repo: PersonRepo | None = None  # devtalks.yaml, in a person repository
    homes: dict[str, Path] = field(default_factory=dict)  # person → the repository holding their files, if not root
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)  # other repositories read → (URL, commit)

    def home(self, person: str) -> Path:
        """The work tree that holds this person's own files: their repository in the person layout, else root."""
        return self.homes.get(person, self.root)

    def has_file(self, rel: str) -> bool:
        """True when the file was read, even if it had errors (those are reported on their own)."""
        return rel in self.sources

    def talk_path(self, person: str, cycle: str) -> str:
        return self.path_of(f"talks/{person}/{cycle}")

    def checkin_path(self, person: str, day: dt.date) -> str:
        return self.path_of(f"talks/{person}/checkin-{day.isoformat()}")

    def template_path(self, tid: str) -> str:
        return self.path_of(f"question_templates/{tid}")

    def cycle_path(self, cid: str) -> str:
        return self.path_of(f"cycles/{cid}")

    def path_of(self, stem: str) -> str:
        """The file as it was read: .yml when it was saved so (read/snapshot.py reads one file per stem), else .yaml."""
        return f"{stem}.yml" if f"{stem}.yml" in self.sources else f"{stem}.yaml"

    def read_people(self, people: Iterable[str]) -> None:
        """Parse and place the own files of these people (folders under talks/) that load(lazy=True) left unread."""
        wanted = set(people)
        files = [f for person in list(self.unread) if person in wanted for f in self.unread.pop(person)]
        _parse_and_place(self, files, None, self.store)

    @cached_property
    def digests(self) -> dict[str, str]:
        """Person → a digest of their own files: paths, bytes and any problem reading them (parsed or not)."""
        return {person: digest_rows((f.rel, repr(f.error), f.digest.encode()) for f in files)
                for person, files in self.own.items()}

    @cached_property
    def people(self) -> dict[str, Person]:
        """Person id → person; read only after loading, when team.yaml is in place."""
        return {p.id: p for p in self.team.people} if self.team else {}

    @cached_property
    def reports(self) -> dict[str, list[str]]:
        """Manager id → the ids of their direct reports, in team.yaml's order."""
        out: dict[str, list[str]] = {}
        for p in self.team.people if self.team else ():
            if p.manager:
                out.setdefault(p.manager, []).append(p.id)
        return out


def load(root: str | os.PathLike, only: Iterable[str] | None = None, workers: int | None = None,
         keep_parsed: bool = True, lazy: bool = False) -> Workspace:
    """Load the repository at `root`; `only` narrows talk files as in snapshot.read(). With `keep_parsed`, files
    parsed by an earlier run are read back from devtalks' cache folder, and the rest are kept there for the next;
    so is each file's status, and a file whose status is as then is read only when its bytes are needed.
    With `lazy`, people's own files are read but parsed only when Workspace.read_people asks for them."""
    snap = read(root, only, remember=keep_parsed)
    store = ParsedStore(snap.root) if keep_parsed else None
    ws = from_snapshot(snap, workers, store, lazy)
    if store and snap.complete:
        store.prune({f.rel for f in snap.files})
    return ws


def from_snapshot(snap: Snapshot, workers: int | None = None, store: ParsedStore | None = None,
                  lazy: bool = False) -> Workspace:
    """Parse and validate what a snapshot read; `workers` processes parse (None: as many as pay off)."""
    ws = Workspace(snap.root, notes=snap.notes, note_heads=snap.note_heads, diagnostics=list(snap.diagnostics),
                   complete=snap.complete, store=store, homes=snap.homes, origins=snap.origins)
    for f in snap.files:
        if f.kind in PERSONAL_KINDS:
            ws.own.setdefault(person_of(f.rel), []).append(f)
    if lazy:
        ws.unread = {person: list(files) for person, files in ws.own.items()}
    _parse_and_place(ws, [f for f in snap.files if not (lazy and f.kind in PERSONAL_KINDS)], workers, store)
    return ws


def _parse_and_place(ws: Workspace, files: list[File], workers: int | None, store: ParsedStore | None) -> None:
    todo = [f for f in files if f.kind != "codeowners" and f.error is None]
    # team.yaml first: its `language` is the one the other files' problems are told in
    team = [f for f in todo if f.kind == "team"]
    parsed = dict(zip((f.rel for f in team), parse_many([(f.rel, f.raw) for f in team], 1, store, ws.language)))
    for src in parsed.values():
        ws.language = language_of(src)
    rest = [f for f in todo if f.kind != "team"]
    parsed.update(zip((f.rel for f in rest), parse_many([(f.rel, f.raw) for f in rest], workers, store, ws.language)))
    for f in files:
        place(ws, f, parsed.get(f.rel))


def place(ws: Workspace, f: File, src: Source | None) -> None:
    """Put one file the snapshot read, parsed as `src` (None when it was not parsed), into the workspace."""
    if f.kind == "codeowners":
        ws.codeowners = f.raw.decode("utf-8", errors="replace")
    elif f.error is not None:
        _place(ws, f.rel, f.kind, Source(f.rel, diagnostics=[f.error], raw=f.raw))
    else:
        _place(ws, f.rel, f.kind, src)


def _place(ws: Workspace, rel: str, kind: str, src: Source) -> None:
    ws.sources[rel] = src
    ws.diagnostics.extend(src.diagnostics)
    if src.data is None:
        return
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    parts = rel.split("/")
    if kind == "team":
        ws.team = _validate(Team, src, ws)
    elif kind == "person-repo":
        ws.person_repo = _validate(PersonRepo, src, ws)
    elif kind in ("template", "cycle"):
        if not SLUG_RE.fullmatch(stem):
            ws.diagnostics.append(src.error((), "DT207", f"`{stem}` is not a valid id for a file name",
                                            "use lower-case letters, digits, - and _ only"))
            return
        model = _validate(QuestionTemplate if kind == "template" else Cycle, src, ws)
        if model is not None:
            (ws.templates if kind == "template" else ws.cycles)[stem] = model
    elif kind == "notes-index":
        model = _validate(NotesIndex, src, ws)
        if model is not None:
            ws.note_index[parts[1]] = model
    elif kind == "checkin":
        day = _checkin_date(stem, src, ws)
        model = _validate(CheckIn, src, ws, salvage=True)
        if model is not None and day is not None:
            ws.checkins[(parts[1], day)] = model
    else:
        model = _validate(Talk, src, ws, salvage=True)
        if model is not None:
            ws.talks[(parts[1], stem)] = model


def language_of(team: Source) -> str:
    """The language team.yaml asks for, when it names one devtalks speaks; else the fallback."""
    language = team.data.get("language") if isinstance(team.data, dict) else None
    return supported(language) if isinstance(language, str) else FALLBACK


def _checkin_date(stem: str, src: Source, ws: Workspace) -> dt.date | None:
    try:
        return dt.date.fromisoformat(CHECKIN_RE.match(stem).group(1))
    except ValueError:
        ws.diagnostics.append(Diagnostic(src.path, 1, 1, "DT207", f"`{stem}` does not name a real date",
                                         "name a check-in file checkin-YYYY-MM-DD.yaml"))
        return None


def _validate(model: type[BaseModel], src: Source, ws: Workspace, salvage: bool = False) -> Any:
    """`src` as `model`; with `salvage`, a talk or check-in with problems still gives what is valid in it, so
    the rules check its answers too (its problems make any build or status refuse it)."""
    found, problems = validate(model, src, ws.language, salvage)
    ws.diagnostics.extend(problems)
    return found


def validate_source(model: type[BaseModel], src: Source) -> tuple[Any, list[Diagnostic]]:
    """A file outside the team layout (org.yaml) as `model`, or None, with diagnostics at its lines."""
    if src.data is None:
        return None, list(src.diagnostics)
    found, problems = validate(model, src)
    return found, [*src.diagnostics, *problems]
