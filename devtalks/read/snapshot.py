"""Find and read every file of a team repository, once, without following a path out of it.

A Snapshot is the repository's bytes: what loading parses, and what the validation cache
fingerprints (each file by a digest of its bytes). Reading never raises for a user mistake;
problems become diagnostics.

With `remember`, each file's status (size, times, inode) is kept in devtalks' cache folder
beside the digest of the bytes read, the way Git's index spares it reading unchanged files:
a file whose status is the same is not read until its bytes are needed (a person whose
verdict and sites are kept never is), and then they must match the digest. A file changed
less than two seconds before it was read is not remembered: within one tick of the file
system's clock, a second change can leave the status as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..diagnostics import Diagnostic
from ..errors import DevtalksError
from ..state import committed_state, digest, read_entry, state_dir, write_entry

CHECKIN_RE = re.compile(r"^checkin-(\d{4}-\d{2}-\d{2})$")
YAML_SUFFIXES = (".yaml", ".yml")
NOTES_INDEX = "recipients.yaml"
PERSON_FILE = "devtalks.yaml"  # at the top of a person repository (the person layout), in place of team.yaml
# Files devtalks reads under one name only, at the top of a repository; the other spelling is a DT404.
ONE_SPELLING = ("team.yaml", "mkdocs.yml")
# Files that belong to one person, under talks/<person>/; every other kind is shared by the whole team.
PERSONAL_KINDS = ("talk", "checkin")
CODEOWNERS = ".github/CODEOWNERS"
# Enough of a note to see its age header: the magic line and one stanza per recipient.
NOTE_HEAD_BYTES = 4096
# One byte past yamlsource.MAX_BYTES, so parsing can tell that a file is too big.
MAX_READ = 1024 * 1024 + 1
# A file whose status changed this recently is read again next time (Git's "racily clean" files).
SETTLED_NS = 2_000_000_000


def person_of(rel: str) -> str | None:
    """Whose own file this is (talks/<person>/<file>: a talk or check-in), or None for a file the team shares."""
    parts = rel.split("/")
    return parts[1] if len(parts) == 3 and parts[0] == "talks" else None


def digest_rows(rows: Iterable[tuple]) -> str:
    """A digest of rows of names and, last, bytes (hashed as they are: a repr of bytes costs five times more)."""
    h = hashlib.blake2b(digest_size=20)
    for *names, data in rows:
        h.update("\0".join([*names, str(len(data)), ""]).encode())
        h.update(data)
    return h.hexdigest()


@dataclass(eq=False)
class File:
    rel: str
    kind: str            # team | template | cycle | talk | checkin | notes-index | codeowners
    content: bytes | None = b""  # None: not read yet, the status being as when `digest` was taken (raw reads it)
    error: Diagnostic | None = None
    digest: str = ""     # of the bytes
    root: Path | None = None

    def __post_init__(self) -> None:
        if self.content is not None and not self.digest:
            self.digest = digest(self.content)

    def read(self) -> bytes:
        """The file's bytes, read now if they were not before; the same bytes as its digest was taken of."""
        if self.content is None:
            try:
                raw, _ = _read_path(self.root / self.rel)
            except OSError as e:
                raise DevtalksError(f"cannot read {self.rel}: {e.strerror}") from None
            if digest(raw) != self.digest:
                raise DevtalksError(f"{self.rel} changed while devtalks was reading the repository; run the command again")
            self.content = raw
        return self.content

    raw = property(read)


@dataclass
class Snapshot:
    root: Path
    files: list[File] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    note_heads: dict[str, bytes] = field(default_factory=dict)
    complete: bool = True
    homes: dict[str, Path] = field(default_factory=dict)  # person → the repository their own files came from, if not root
    # Each other repository read ("team", or a person's id) → (its URL or path, the commit read).
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)

    def fingerprint(self, *context: str) -> bytes:
        """A digest of every byte read and every problem seen: equal digests, equal verdicts."""
        h = hashlib.blake2b(digest_size=24)
        for part in (__version__, str(self.complete), *context):
            h.update(part.encode() + b"\0")
        for f in self.files:
            h.update(f"{f.rel}\0{f.kind}\0{f.digest}\0".encode())
        for rel, head in sorted(self.note_heads.items()):
            h.update(f"{rel}\0{len(head)}\0".encode())
            h.update(head)
        h.update(repr(self.diagnostics).encode())
        return h.digest()


def read(root: str | os.PathLike, only: Iterable[str] | None = None, remember: bool = False) -> Snapshot:
    """Read the repository at `root`; with `remember` (and no `only`), files whose status is as when they were last
    read wait.

    `only` limits talk and check-in files to the given paths (relative or absolute), and notes
    to the notes/ folders those paths touch, for a pre-commit hook that was handed the changed
    files: only those people's folders are looked into. Team, templates and cycles are always read.
    """
    root = Path(root).resolve()
    snap = Snapshot(root)
    seen = Seen(root) if remember and only is None else None  # a hook's few files would not pay for loading it
    wanted = people = None
    if only is not None:
        wanted = {_relative(root, p) for p in only}
        people = {w.split("/")[1] for w in wanted if w.startswith("talks/") and w.count("/") >= 2}
        snap.complete = False
    snap.diagnostics.extend(committed_state(root))
    if not os.path.lexists(root / "team.yaml") and os.path.lexists(root / PERSON_FILE):
        from .assemble import read_person_repository

        read_person_repository(snap, people, wanted, seen, remember)
        return snap
    gather(root, snap, _discover(root, snap, people), wanted, seen)
    team = next((f for f in snap.files if f.kind == "team" and f.error is None), None)
    if team is not None and b"talks_repo" in team.read():
        from .assemble import add_person_repositories

        add_person_repositories(snap, team.read(), remember)
    return snap


def gather(root: Path, snap: Snapshot, found: Iterable[tuple[str, str]], wanted: set[str] | None = None,
           seen: Seen | None = None) -> None:
    """Read the files `found` (relative path, kind) under `root` into `snap`, with `wanted` as read()'s `only`."""
    for rel, kind in found:
        if wanted is not None and kind in ("talk", "checkin") and rel not in wanted:
            continue
        if wanted is not None and kind == "notes-index" and not _touches_notes(wanted, rel.split("/")[1]):
            continue
        snap.files.append(_read(root, rel, kind, seen))
    if seen:
        seen.save({f.rel for f in snap.files} if snap.complete else None)
    if wanted is not None:
        snap.notes = {person: paths for person, paths in snap.notes.items() if _touches_notes(wanted, person)}
    for paths in snap.notes.values():
        for rel in paths:
            snap.note_heads[rel] = _head(root, rel, snap)


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
    return path.as_posix().removeprefix("./")


def _entries(folder: str | os.PathLike) -> list[os.DirEntry]:
    with os.scandir(folder) as found:
        return sorted(found, key=lambda e: e.name)


def _discover(root: Path, snap: Snapshot, people: set[str] | None = None) -> Iterable[tuple[str, str]]:
    """Yield (relative path, kind) for every file devtalks knows, in a stable order; with `people`,
    only their folders under talks/ are listed (a hook's changed files, in a repository of thousands)."""
    yield from shared_files(root, snap)
    yield from talk_files(root, snap, people)


def shared_files(root: Path, snap: Snapshot) -> Iterable[tuple[str, str]]:
    """(relative path, kind) of the files the whole team shares: team.yaml, templates, cycles, CODEOWNERS."""
    for name in ONE_SPELLING:
        _other_spelling(root, "", name, snap)
    team = root / "team.yaml"
    if _inside(root, team, snap, "team.yaml") and team.is_file():
        yield "team.yaml", "team"
    elif not team.is_symlink():
        snap.diagnostics.append(Diagnostic("team.yaml", 1, 1, "DT101", "team.yaml is missing",
                                           "run `devtalks init` to scaffold a team repository, or point --repo at one"))
    for folder, kind in (("question_templates", "template"), ("cycles", "cycle")):
        for rel in _yaml_files(root, folder, snap):
            yield rel, kind
    owners = root / CODEOWNERS
    if owners.is_file() and _inside(root, owners, snap, CODEOWNERS):
        yield CODEOWNERS, "codeowners"


def talk_files(root: Path, snap: Snapshot, people: set[str] | None = None) -> Iterable[tuple[str, str]]:
    """(relative path, kind) of people's own files under talks/ (only `people`'s folders, when given)."""
    talks = root / "talks"
    if not talks.is_dir() or not _inside(root, talks, snap, "talks"):
        return
    for person_dir in _entries(talks):
        if people is not None and person_dir.name not in people:
            continue
        rel_dir = f"talks/{person_dir.name}"
        if not _usable(root, person_dir, snap, rel_dir):
            continue
        if not person_dir.is_dir():
            snap.diagnostics.append(Diagnostic(rel_dir, 1, 1, "DT402", "files under talks/ belong in a folder per person",
                                               f"move it to talks/<person-id>/{person_dir.name}", "warning"))
            continue
        entries = _entries(person_dir.path)
        twins = _twins([e.name for e in entries], rel_dir, snap)
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}"
            if entry.name in twins or not _usable(root, entry, snap, rel):
                continue
            if entry.name == "notes" and entry.is_dir():
                snap.notes[person_dir.name] = _note_files(root, entry.path, rel, snap)
                _other_spelling(root, f"{rel}/", NOTES_INDEX, snap)
                index = Path(entry.path) / NOTES_INDEX
                if index.is_file() and _inside(root, index, snap, f"{rel}/{NOTES_INDEX}"):
                    yield f"{rel}/{NOTES_INDEX}", "notes-index"
            elif entry.is_file() and entry.name.endswith(YAML_SUFFIXES):
                yield rel, "checkin" if CHECKIN_RE.match(entry.name.rsplit(".", 1)[0]) else "talk"
            elif not entry.name.startswith("."):
                what = "folder" if entry.is_dir() else "file"
                snap.diagnostics.append(Diagnostic(rel, 1, 1, "DT402", f"unexpected {what} in a talks folder",
                                                   "a person's folder holds <cycle>.yaml, checkin-<date>.yaml and notes/",
                                                   "warning"))


def _note_files(root: Path, folder: str, rel: str, snap: Snapshot, top: bool = True) -> list[str]:
    """Every file under a notes/ folder, sub-folders included, except the recipients index."""
    out = []
    for entry in _entries(folder):
        entry_rel = f"{rel}/{entry.name}"
        if top and entry.name in (NOTES_INDEX, _spelled_other(NOTES_INDEX)) and entry.is_file():
            continue
        if not _usable(root, entry, snap, entry_rel):
            continue
        if entry.is_dir():
            out.extend(_note_files(root, entry.path, entry_rel, snap, top=False))
        elif entry.is_file():
            out.append(entry_rel)
    return out


def _yaml_files(root: Path, folder: str, snap: Snapshot) -> list[str]:
    base = root / folder
    if not base.is_dir() or not _inside(root, base, snap, folder):
        return []
    entries = _entries(base)
    twins = _twins([e.name for e in entries], folder, snap)
    return [f"{folder}/{e.name}" for e in entries if e.name.endswith(YAML_SUFFIXES) and e.name not in twins
            and _usable(root, e, snap, f"{folder}/{e.name}") and e.is_file()]


def _twins(names: list[str], folder: str, snap: Snapshot) -> set[str]:
    """The .yml files of one folder whose stem is also saved as .yaml: each is a DT404, and only the .yaml is read.

    Every folder devtalks lists goes through here, so one file per stem holds for every kind of file.
    """
    present = set(names)
    twins = {name for name in names if name.endswith(".yml") and f"{name[:-4]}.yaml" in present}
    for name in sorted(twins):
        snap.diagnostics.append(_twin_diagnostic(f"{folder}/{name}", f"{folder}/{name[:-4]}.yaml"))
    return twins


def _twin_diagnostic(twin: str, kept: str) -> Diagnostic:
    return Diagnostic(twin, 1, 1, "DT404", f"{twin} and {kept} are two files for one thing; devtalks reads only {kept}",
                      f"keep one file: move what {twin} should change into {kept} and delete {twin}")


def _spelled_other(name: str) -> str:
    return name[:-4] + ".yaml" if name.endswith(".yml") else name.removesuffix(".yaml") + ".yml"


def _other_spelling(root: Path, folder: str, name: str, snap: Snapshot) -> None:
    """DT404 when a file devtalks reads under one spelling (team.yaml, mkdocs.yml) is also, or only, saved under the other."""
    other = _spelled_other(name)
    if not os.path.lexists(root / folder / other):
        return
    if os.path.lexists(root / folder / name):
        snap.diagnostics.append(_twin_diagnostic(f"{folder}{other}", f"{folder}{name}"))
    else:
        snap.diagnostics.append(Diagnostic(f"{folder}{other}", 1, 1, "DT404", f"devtalks reads {folder}{name}, "
                                           f"not {folder}{other}, so this file is not used", f"rename it to {name}"))


def _usable(root: Path, entry: os.DirEntry, snap: Snapshot, rel: str) -> bool:
    # scandir knows each entry's type, so only symlinks cost an extra look
    return not entry.is_symlink() or _inside(root, Path(entry.path), snap, rel)


def _inside(root: Path, path: Path, snap: Snapshot, rel: str) -> bool:
    """True when `path` exists and stays inside the repository; a symlink out is a diagnostic."""
    if not path.is_symlink():
        return path.exists()
    target = Path(os.path.realpath(path))
    if target == root or root in target.parents:
        return target.exists()
    snap.diagnostics.append(Diagnostic(rel, 1, 1, "DT009", "symlink points outside the repository; it was not read",
                                       "replace the symlink with the file itself"))
    return False


def _read(root: Path, rel: str, kind: str, seen: Seen | None = None) -> File:
    path = f"{root}/{rel}"
    try:
        if seen and rel in seen.known:
            known = seen.digest(rel, os.stat(path))
            if known:
                return File(rel, kind, None, digest=known, root=root)
        raw, status = _read_path(path)
    except OSError as e:
        return File(rel, kind, error=Diagnostic(rel, 1, 1, "DT009", f"cannot read the file: {e.strerror}",
                                                "check the file's permissions"))
    found = File(rel, kind, raw)
    if seen:
        seen.note(rel, status, found.digest)
    return found


def _read_path(path: str | os.PathLike) -> tuple[bytes, os.stat_result]:
    """A file's bytes, up to MAX_READ, and its status as it was before they were read."""
    # Plain file descriptors: half the cost of file objects, for thousands of small files.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # Windows would read CRLF as LF without it
    try:
        status = os.fstat(fd)
        # read(MAX_READ) would allocate a megabyte per file; ask for what is there, capped.
        raw = _read_all(fd, min(status.st_size + 1, MAX_READ))
    finally:
        os.close(fd)
    return raw, status


def _read_all(fd: int, size: int) -> bytes:
    """Up to `size` bytes: os.read may return fewer than asked before the end of a file."""
    chunks = []
    while size > 0:
        chunk = os.read(fd, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _head(root: Path, rel: str, snap: Snapshot) -> bytes:
    try:
        with open(os.path.join(root, rel), "rb") as f:
            return f.read(NOTE_HEAD_BYTES)
    except OSError as e:
        snap.diagnostics.append(Diagnostic(rel, 1, 1, "DT009", f"cannot read the file: {e.strerror}",
                                           "check the file's permissions"))
        return b""


class Seen:
    """Each file's status when it was last read and the digest of the bytes read then, in devtalks' cache folder."""

    KIND = "seen-files"

    def __init__(self, root: Path):
        self.file = state_dir(root, "seen")
        stored = read_entry(self.file, self.KIND)
        self.known: dict[str, list] = stored if isinstance(stored, dict) else {}
        self.changed = False

    def digest(self, rel: str, status: os.stat_result) -> str | None:
        """The digest of the file's bytes, if its status is as when they were read."""
        kept = self.known.get(rel)
        if isinstance(kept, list) and len(kept) == 5 and kept[0] == status.st_size and kept[1] == status.st_ino \
                and kept[2] == status.st_mtime_ns and kept[3] == status.st_ctime_ns and isinstance(kept[4], str):
            return kept[4]
        return None

    def note(self, rel: str, status: os.stat_result, digest: str) -> None:
        settled = time.time_ns() - SETTLED_NS
        if status.st_mtime_ns < settled and status.st_ctime_ns < settled:
            self.known[rel] = [*_status(status), digest]
            self.changed = True
        elif self.known.pop(rel, None) is not None:
            self.changed = True

    def save(self, present: set[str] | None) -> None:
        """Keep what was noted; with `present` (every file a complete read found), forget the files that are gone."""
        if present is not None and any(rel not in present for rel in self.known):
            self.known = {rel: kept for rel, kept in self.known.items() if rel in present}
            self.changed = True
        if self.changed:
            write_entry(self.file, self.KIND, self.known)


def _status(status: os.stat_result) -> list[int]:
    """What changes whenever a file's bytes do: its size, inode and times (the change time no program can set)."""
    return [status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns]
