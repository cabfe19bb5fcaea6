"""A talk's history in Git: each commit that changed it, the commit both sign-offs landed in, and when
the preparation was complete.

History is one `git log` walk per repository, kept in devtalks' own cache folder (state.py)
keyed by HEAD: an unchanged repository costs one ref lookup, a repository with new commits
walks only those. It runs plain `git` commands, so a site build never imports gitpython;
what writes to a repository (repo.py) and the sign-off guard (signoff.py) use gitpython,
imported inside them, so `devtalks validate` without --base never pays for it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..answers import filled
from ..read.snapshot import person_of
from ..state import read_entry, state_dir, write_entry
from .head import locate, stamp_of_head
from .repo import path_prefix

if TYPE_CHECKING:
    from ..model import QuestionTemplate

HISTORY_FILE = "history.json"
TALK_RE = re.compile(r"^talks/[^/]+/(?!checkin-)[^/]+\.ya?ml$")  # a talk file; no check-in has a history to show
_FORMAT = "%x01%H%x02%aI%x02%aN%x02%s"


@dataclass(frozen=True, slots=True)
class Change:
    """One commit that changed a file: what a talk page lists as its history."""

    sha: str
    date: dt.date
    author: str
    subject: str
    alone: bool = True  # every file the commit changed is this talk's person's own: only then may its subject be shown
    signed: bool = False  # both sign-offs landed in this commit, and the talk is still signed: the version agreed to

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True, slots=True)
class _Version:
    """What history needs of one version of a talk file; `kind` is ok, broken or deleted."""

    change: Change
    kind: str
    template_version: int | None = None
    employee: frozenset[str] = frozenset()
    signed: bool = False

    def row(self) -> list:
        c = self.change
        return [c.sha, c.date.isoformat(), c.author, c.subject, c.alone, self.kind, self.template_version,
                sorted(self.employee), self.signed]

    @classmethod
    def from_row(cls, row: list) -> _Version:
        """The inverse of row(); a TypeError or ValueError for anything else."""
        sha, date, author, subject, alone, kind, version, employee, signed = row
        if not all(isinstance(v, str) for v in (sha, date, author, subject, kind)) or not isinstance(signed, bool) \
                or not isinstance(alone, bool) or not (version is None or type(version) is int) \
                or not isinstance(employee, list) or not all(isinstance(q, str) for q in employee):
            raise TypeError("not a stored version")
        return cls(Change(sha, dt.date.fromisoformat(date), author, subject, alone), kind, version,
                   frozenset(employee), signed)


@dataclass(frozen=True)
class Checkout:
    """Where a work tree's Git data is: what history needs to ask `git`, and to see whether HEAD moved."""

    top: Path
    git_dir: Path
    common_dir: Path

    @classmethod
    def find(cls, root: Path) -> Checkout | None:
        found = locate(root.resolve())
        if found is not None:
            return cls(*found)
        try:
            top, git_dir, common = _run(root, "rev-parse", "--show-toplevel", "--absolute-git-dir",
                                        "--git-common-dir").decode().splitlines()
        except (GitFailed, ValueError, UnicodeDecodeError):
            return None  # not a Git work tree (a tarball of the team): no history
        return cls(Path(top), Path(git_dir), (root / common).resolve())

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        return _run(self.top, *args, stdin=stdin)


class GitFailed(Exception):
    """A `git` command exited with an error."""

    def __init__(self, code: int):
        super().__init__(f"git exited with {code}")
        self.code = code


def _run(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """The output of one plain `git` command (cheaper than importing gitpython for a few reads)."""
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True)
    except OSError:
        raise GitFailed(-1) from None
    if proc.returncode:
        raise GitFailed(proc.returncode)
    return proc.stdout


class History:
    """Every version of every talk file of one repository, up to HEAD."""

    def __init__(self, root: Path, repo: Checkout | None):
        self.root = root
        self.repo = repo
        self.head: str | None = None
        self.files: dict[str, list[_Version]] = {}
        self._stamp: tuple | None = None

    def changes(self, rel: str) -> list[Change]:
        """The commits that changed the file since it was last created, newest first; the one that was signed
        (signed_commit) says so. A file deleted and written again starts over: the id may be someone else's now."""
        signed = self.signed_commit(rel)
        versions = self.files.get(rel, [])
        start = max((i + 1 for i, v in enumerate(versions) if v.kind == "deleted"), default=0)
        return [replace(v.change, signed=True) if v.change is signed else v.change for v in reversed(versions[start:])]

    def signed_commit(self, rel: str) -> Change | None:
        """The commit in which both sign-offs landed, if the talk is signed off now."""
        return _last_turn(self.files.get(rel, []), lambda v: v.signed)

    def preparation_completed(self, rel: str, template: QuestionTemplate) -> dt.date | None:
        """The date of the commit in which the last required employee answer appeared."""
        from ..progress import missing_required  # the models are loaded when there is a template

        def complete(v: _Version) -> bool:
            return v.template_version is not None and not missing_required(template, v.template_version, v.employee, "employee")
        change = _last_turn(self.files.get(rel, []), complete)
        return change.date if change else None

    def refresh(self) -> None:
        """Bring the history up to HEAD: nothing when HEAD did not move, else walk the new commits."""
        if self.repo is None:
            return
        stamp = stamp_of_head(self.repo.git_dir, self.repo.common_dir)
        if stamp is not None and stamp == self._stamp:
            return
        head = _head(self.repo)
        self._stamp = stamp
        if head == self.head:
            return
        if head is None:
            self.head, self.files = None, {}
            return
        if self.head is None:
            self.head = self._load()
            if self.head == head:
                return
        if self.head and _is_ancestor(self.repo, self.head, head):
            self._walk(f"{self.head}..{head}")
        else:
            self.files = {}
            self._walk(head)
        self.head = head
        self._save()

    def _walk(self, revisions: str) -> None:
        prefix = path_prefix(self.repo.top, self.root)
        # --full-diff lists every file of each commit, so a subject is shown only where all of them are one person's
        out = self.repo.run("log", revisions, "--raw", "--no-abbrev", "--no-renames", "--topo-order", "--reverse", "-z",
                            "--full-diff", f"--format={_FORMAT}", "--", f"{prefix}talks/")
        found: list[tuple[str, Change, str]] = []
        for chunk in out.split(b"\x01")[1:]:
            header, _, raw = chunk.partition(b"\0")
            sha, when, author, subject = header.decode("utf-8", "replace").split("\x02", 3)
            fields = raw.split(b"\0")
            paths = [path.decode("utf-8", "replace") for path in fields[1::2]]
            owners = {owner_of(path, prefix) for path in paths}
            for meta, path in zip(fields[0::2], paths):
                rel = path.removeprefix(prefix)
                if not TALK_RE.match(rel) or not path.startswith(prefix):
                    continue
                change = Change(sha, dt.datetime.fromisoformat(when).date(), author, subject,
                                owners == {owner_of(path, prefix)})
                found.append((rel, change, meta.strip().split()[3].decode()))
        contents = read_blobs(self.repo, [blob for _, _, blob in found if set(blob) != {"0"}])
        for rel, change, blob in found:
            self.files.setdefault(rel, []).append(self._version(change, rel, contents.get(blob)))

    def _version(self, change: Change, rel: str, content: bytes | None) -> _Version:
        if content is None:
            return _Version(change, "deleted")
        from ..read.yamlsource import parse  # YAML only where a version is read: a kept history needs none

        data = parse(rel, content).data
        if not isinstance(data, dict):
            return _Version(change, "broken")
        employee = data.get("employee")
        sign_off = data.get("sign_off")
        version = data.get("template_version")
        return _Version(
            change, "ok",
            version if isinstance(version, int) and not isinstance(version, bool) else None,
            filled(employee) if isinstance(employee, dict) else frozenset(),
            isinstance(sign_off, dict) and bool(sign_off.get("employee")) and bool(sign_off.get("manager")),
        )

    def _cache_file(self) -> Path:
        return state_dir(self.root, HISTORY_FILE)

    def _load(self) -> str | None:
        stored = read_entry(self._cache_file(), "history")
        try:
            head, files = stored["head"], stored["files"]
            self.files = {rel: [_Version.from_row(row) for row in rows] for rel, rows in files.items()
                          if TALK_RE.match(rel)}
        except (TypeError, KeyError, ValueError, AttributeError):
            return None  # not what _save wrote: walk the whole history again
        return head if isinstance(head, str) else None

    def _save(self) -> None:
        write_entry(self._cache_file(), "history",
                    {"head": self.head, "files": {rel: [v.row() for v in vs] for rel, vs in self.files.items()}})


def owner_of(path: str, prefix: str = "") -> str | None:
    """Whose own file a repository path is (a talk or check-in under talks/<person>/), or None: shared, a manager's
    private note, or outside the team."""
    return person_of(path.removeprefix(prefix)) if path.startswith(prefix) else None


def read_blobs(repo: Checkout, shas: list[str]) -> dict[str, bytes]:
    """The contents of these blobs, read by one `git cat-file --batch`."""
    if not shas:
        return {}
    out = repo.run("cat-file", "--batch", stdin="\n".join(dict.fromkeys(shas)).encode() + b"\n")
    contents, pos = {}, 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3:  # "<sha> missing"
            pos = end + 1
            continue
        size = int(header[2])
        contents[header[0].decode()] = out[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
    return contents


def _head(repo: Checkout) -> str | None:
    """The commit HEAD points at, or None in a repository without commits."""
    try:
        return repo.run("rev-parse", "-q", "--verify", "HEAD^{commit}").decode().strip() or None
    except GitFailed:
        return None


def _is_ancestor(repo: Checkout, old: str, new: str) -> bool:
    try:
        repo.run("merge-base", "--is-ancestor", old, new)
    except GitFailed:
        return False  # not an ancestor (exit 1), or `old` is gone after a rewrite
    return True


def _last_turn(versions: list[_Version], holds) -> Change | None:
    """The change where `holds` last became true, if it still holds now.

    A deleted file starts over; a broken version (a YAML slip fixed in the next commit)
    keeps the state it had, so it does not move the date.
    """
    state, turned = False, None
    for v in versions:
        if v.kind == "broken":
            continue
        now = v.kind == "ok" and holds(v)
        if now and not state:
            turned = v.change
        state = now
    return turned if state else None


_histories: dict[str, History] = {}


def history(root: str | os.PathLike) -> History:
    """The history of the team repository at `root`, up to its current HEAD, from the cache.

    Outside a Git repository (a tarball of the team) every file simply has no history.
    """
    key = os.fspath(root)
    found = _histories.get(key) if os.path.isabs(key) else None
    if found is None:
        resolved = Path(root).resolve()
        found = _histories.get(str(resolved))
        if found is None:
            found = _histories[str(resolved)] = History(resolved, Checkout.find(resolved))
        _histories[key if os.path.isabs(key) else str(resolved)] = found
    found.refresh()
    return found


def pinned_history() -> Callable[[str | os.PathLike, str], list[Change]]:
    """talk_history for one build: each repository's HEAD is read at its first talk, not at every talk."""
    pinned: dict[str, History] = {}

    def changes(root: str | os.PathLike, rel_path: str) -> list[Change]:
        key = os.fspath(root)
        found = pinned.get(key)
        if found is None:
            found = pinned[key] = history(root)
        return found.changes(rel_path)
    return changes


def talk_history(root: str | os.PathLike, rel_path: str) -> list[Change]:
    """The commits that changed a talk file, newest first: date, author, subject, sha."""
    return history(root).changes(rel_path)


def signed_commit(root: str | os.PathLike, rel_path: str) -> Change | None:
    """The commit in which both sign-offs of the talk landed: the exact version that was signed."""
    return history(root).signed_commit(rel_path)


def preparation_completed(root: str | os.PathLike, rel_path: str, template: QuestionTemplate) -> dt.date | None:
    """The date of the commit in which the employee's last required answer appeared."""
    return history(root).preparation_completed(rel_path, template)
