"""Read a team repository into one Workspace: every file parsed, validated and placed.

The path is the key: `talks/daan/2026-spring.yaml` is Daan's talk in cycle 2026-spring.
Reading never follows a path out of the repository and never raises for a user mistake;
problems become diagnostics with a file, line and column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from . import __version__
from .diagnostics import Diagnostic
from .model import CheckIn, Cycle, Person, QuestionTemplate, Talk, Team
from .model.notes import NotesIndex
from .yamlsource import Source, parse

CACHE_DIR = ".devtalks-cache"
CHECKIN_RE = re.compile(r"^checkin-(\d{4}-\d{2}-\d{2})$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
YAML_SUFFIXES = (".yaml", ".yml")
NOTES_INDEX = "recipients.yaml"
# Enough of a note to see its age header: the magic line and one stanza per recipient.
NOTE_HEAD_BYTES = 4096


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
    sources: dict[str, Source] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    complete: bool = True

    def has_file(self, rel: str) -> bool:
        """True when the file was read, even if it had errors (those are reported on their own)."""
        return rel in self.sources

    def talk_path(self, person: str, cycle: str) -> str:
        return f"talks/{person}/{cycle}.yaml"

    def checkin_path(self, person: str, day: dt.date) -> str:
        return f"talks/{person}/checkin-{day.isoformat()}.yaml"

    @cached_property
    def people(self) -> dict[str, Person]:
        """Person id → person; read only after loading, when team.yaml is in place."""
        return {p.id: p for p in self.team.people} if self.team else {}


def load(root: str | os.PathLike, only: Iterable[str] | None = None, use_cache: bool = True) -> Workspace:
    """Load the repository at `root`.

    `only` limits talk and check-in files to the given paths (relative or absolute), and notes
    to the notes/ folders those paths touch, for a pre-commit hook that was handed the changed
    files; team, templates and cycles are always read.
    """
    root = Path(root).resolve()
    ws = Workspace(root)
    cache = _Cache(root) if use_cache else None
    wanted = None
    if only is not None:
        wanted = {_relative(root, p) for p in only}
        ws.complete = False
    for rel, kind in _discover(root, ws):
        if wanted is not None and kind in ("talk", "checkin") and rel not in wanted:
            continue
        if wanted is not None and kind == "notes-index" and not _touches_notes(wanted, rel.split("/")[1]):
            continue
        _place(ws, rel, kind, _read(root, rel, cache, ws))
    if wanted is not None:
        ws.notes = {person: paths for person, paths in ws.notes.items() if _touches_notes(wanted, person)}
    for paths in ws.notes.values():
        for rel in paths:
            ws.note_heads[rel] = _head(root, rel, ws)
    if cache:
        cache.save()
    return ws


def _touches_notes(wanted: set[str], person: str) -> bool:
    """Whether a change is in the person's notes/ folder: in hook mode only those notes are read, like talks."""
    prefix = f"talks/{person}/notes/"
    return any(w.startswith(prefix) for w in wanted)


def _relative(root: Path, p: str) -> str:
    path = Path(p)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def _discover(root: Path, ws: Workspace) -> Iterable[tuple[str, str]]:
    """Yield (relative path, kind) for every file devtalks knows, in a stable order."""
    if _inside(root, root / "team.yaml", ws, "team.yaml"):
        yield "team.yaml", "team"
    elif not (root / "team.yaml").exists():
        ws.diagnostics.append(Diagnostic("team.yaml", 1, 1, "DT101", "team.yaml is missing",
                                         "run `devtalks init` to scaffold a team repository, or point --repo at one"))
    for folder, kind in (("question_templates", "template"), ("cycles", "cycle")):
        for rel in _yaml_files(root, folder, ws):
            yield rel, kind
    talks = root / "talks"
    if not talks.is_dir():
        return
    for person_dir in sorted(talks.iterdir()):
        rel_dir = f"talks/{person_dir.name}"
        if not _inside(root, person_dir, ws, rel_dir):
            continue
        if not person_dir.is_dir():
            ws.diagnostics.append(Diagnostic(rel_dir, 1, 1, "DT402", "files under talks/ belong in a folder per person",
                                             f"move it to talks/<person-id>/{person_dir.name}", "warning"))
            continue
        for entry in sorted(person_dir.iterdir()):
            rel = f"{rel_dir}/{entry.name}"
            if not _inside(root, entry, ws, rel):
                continue
            if entry.name == "notes" and entry.is_dir():
                ws.notes[person_dir.name] = _note_files(root, entry, rel, ws)
                if _inside(root, entry / NOTES_INDEX, ws, f"{rel}/{NOTES_INDEX}") and (entry / NOTES_INDEX).is_file():
                    yield f"{rel}/{NOTES_INDEX}", "notes-index"
            elif entry.is_file() and entry.suffix in YAML_SUFFIXES:
                yield rel, "checkin" if CHECKIN_RE.match(entry.stem) else "talk"
            elif not entry.name.startswith("."):
                ws.diagnostics.append(Diagnostic(rel, 1, 1, "DT402", f"unexpected {'folder' if entry.is_dir() else 'file'} in a talks folder",
                                                 "a person's folder holds <cycle>.yaml, checkin-<date>.yaml and notes/", "warning"))


def _note_files(root: Path, folder: Path, rel: str, ws: Workspace, top: bool = True) -> list[str]:
    """Every file under a notes/ folder, sub-folders included, except the recipients index."""
    out = []
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        entry_rel = f"{rel}/{entry.name}"
        if top and entry.name == NOTES_INDEX and entry.is_file():
            continue
        # scandir knows each entry's type, so only symlinks cost an extra look
        if entry.is_symlink() and not _inside(root, Path(entry.path), ws, entry_rel):
            continue
        if entry.is_dir():
            out.extend(_note_files(root, Path(entry.path), entry_rel, ws, top=False))
        elif entry.is_file():
            out.append(entry_rel)
    return out


def _head(root: Path, rel: str, ws: Workspace) -> bytes:
    try:
        with open(os.path.join(root, rel), "rb") as f:
            return f.read(NOTE_HEAD_BYTES)
    except OSError as e:
        ws.diagnostics.append(Diagnostic(rel, 1, 1, "DT009", f"cannot read the file: {e.strerror}",
                                         "check the file's permissions"))
        return b""


def _yaml_files(root: Path, folder: str, ws: Workspace) -> list[str]:
    base = root / folder
    if not base.is_dir() or not _inside(root, base, ws, folder):
        return []
    out = []
    for entry in sorted(base.iterdir()):
        rel = f"{folder}/{entry.name}"
        if entry.suffix in YAML_SUFFIXES and _inside(root, entry, ws, rel) and entry.is_file():
            out.append(rel)
    return out


def _inside(root: Path, path: Path, ws: Workspace, rel: str) -> bool:
    """True when `path` exists and stays inside the repository; a symlink out is a diagnostic."""
    if not path.is_symlink():
        return path.exists()
    target = Path(os.path.realpath(path))
    if target == root or root in target.parents:
        return target.exists()
    ws.diagnostics.append(Diagnostic(rel, 1, 1, "DT009", "symlink points outside the repository; it was not read",
                                     "replace the symlink with the file itself"))
    return False


def _read(root: Path, rel: str, cache: "_Cache | None", ws: Workspace) -> Source:
    try:
        with open(root / rel, "rb") as f:
            raw = f.read(_MAX_READ)
    except OSError as e:
        return Source(rel, diagnostics=[Diagnostic(rel, 1, 1, "DT009", f"cannot read the file: {e.strerror}",
                                                   "check the file's permissions")])
    if cache is None:
        return parse(rel, raw)
    return cache.get(rel, raw)


_MAX_READ = 1024 * 1024 + 1  # one byte past the limit, so parse() can tell the file is too big


def _place(ws: Workspace, rel: str, kind: str, src: Source) -> None:
    ws.sources[rel] = src
    ws.diagnostics.extend(src.diagnostics)
    if src.data is None:
        return
    stem = Path(rel).stem
    parts = rel.split("/")
    if kind == "team":
        ws.team = _validate(Team, src, ws)
    elif kind in ("template", "cycle"):
        if not SLUG_RE.match(stem):
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
        model = _validate(CheckIn, src, ws)
        if model is not None and day is not None:
            ws.checkins[(parts[1], day)] = model
    else:
        model = _validate(Talk, src, ws)
        if model is not None:
            ws.talks[(parts[1], stem)] = model


def _checkin_date(stem: str, src: Source, ws: Workspace) -> dt.date | None:
    try:
        return dt.date.fromisoformat(CHECKIN_RE.match(stem).group(1))
    except ValueError:
        ws.diagnostics.append(Diagnostic(src.path, 1, 1, "DT207", f"`{stem}` does not name a real date",
                                         "name a check-in file checkin-YYYY-MM-DD.yaml"))
        return None


def _validate(model: type[BaseModel], src: Source, ws: Workspace) -> Any:
    try:
        return model.model_validate(src.data)
    except ValidationError as e:
        ws.diagnostics.extend(_translate(model, src, e))
        return None


def _translate(model: type[BaseModel], src: Source, error: ValidationError) -> list[Diagnostic]:
    out = []
    for err in error.errors(include_url=False):
        loc = _data_loc(src.data, err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            key = loc[-1]
            allowed = _fields_at(model, loc[:-1])
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else (
                f"known keys here: {', '.join(sorted(allowed))}" if allowed else "remove it")
            out.append(src.error(loc, "DT100", f"unknown key `{key}`", hint, key=True))
        elif kind == "missing":
            where = _dotted(loc[:-1]) if loc[:-1] else "the top level"
            out.append(src.error(loc[:-1], "DT101", f"required key `{loc[-1]}` is missing in {where}",
                                 f"add `{loc[-1]}:` with a value", key=True))
        else:
            message = err["msg"].removeprefix("Value error, ")
            out.append(src.error(loc, "DT102", f"{_dotted(loc)}: {message}", _type_hint(kind)))
    return out


def _data_loc(data: Any, loc: tuple) -> tuple:
    """pydantic's error location as a key path into the file's data.

    Inside unions pydantic adds the member's type name (`literal['all']`); those are not
    keys of the data and are dropped. The last element stays: it may be a missing key.
    """
    out: list = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif i < len(loc) - 1:
            continue
        out.append(part)
    return tuple(out)


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _dotted(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "the file"


def _type_hint(kind: str) -> str:
    if kind.startswith("date"):
        return "write a date as YYYY-MM-DD"
    if "int" in kind or "number" in kind or kind.startswith(("greater", "less")):
        return "write a whole number in the allowed range"
    if "string_pattern" in kind:
        return "ids use lower-case letters, digits, - and _ only"
    if kind == "enum" or kind.startswith("literal"):
        return "use one of the values listed"
    return ""


class _Cache:
    """Parsed sources keyed by path, content and devtalks version, so unchanged files skip YAML.

    Only parsing is cached; models, cross-file checks and progress are always recomputed,
    so a stale entry can never hide an error.
    """

    def __init__(self, root: Path):
        self.file = root / CACHE_DIR / "sources.pickle"
        self.entries: dict[bytes, Source] = {}
        self.used: dict[bytes, Source] = {}
        self.dirty = False
        try:
            with open(self.file, "rb") as f:
                version, entries = pickle.load(f)
            if version == __version__:
                self.entries = entries
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            self.entries = {}

    def get(self, rel: str, raw: bytes) -> Source:
        key = hashlib.blake2b(rel.encode() + b"\0" + raw, digest_size=20).digest()
        src = self.entries.get(key)
        if src is None:
            src = parse(rel, raw)
            self.dirty = True
        else:
            src.raw = raw
        self.used[key] = src
        return src

    def save(self) -> None:
        if not self.dirty and len(self.used) == len(self.entries):
            return
        try:
            self.file.parent.mkdir(exist_ok=True)
            (self.file.parent / ".gitignore").write_text("*\n")
            tmp = self.file.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump((__version__, self.used), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.file)
        except OSError:
            pass  # a read-only checkout still validates, just without the speed-up


def validate_source(model: type[BaseModel], src: Source) -> tuple[Any, list[Diagnostic]]:
    """A file outside the team layout (org.yaml) as `model`, or None, with diagnostics at its lines."""
    if src.data is None:
        return None, list(src.diagnostics)
    try:
        return model.model_validate(src.data), list(src.diagnostics)
    except ValidationError as e:
        return None, [*src.diagnostics, *_translate(model, src, e)]
