"""Validate a repository: read it, and unless the very same bytes were judged before, check them.

An unchanged repository costs reading and hashing its files: the verdict of the last run with
the same fingerprint (every byte read, the problems seen while reading, today's date and the
devtalks version) is reused. Anything else is loaded and checked in full: the shared files
here, people's own files in shares, on every core when there are many (judge()).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from ..diagnostics import Diagnostic
from ..read.snapshot import PERSON_FILE, PERSONAL_KINDS, Snapshot, digest_rows, person_of, read
from .verdicts import VerdictCache

if TYPE_CHECKING:  # yaml is imported only when something is parsed: a reused verdict needs none
    from ..read.load import Workspace
    from ..read.yamlsource import ParsedStore


@dataclass(frozen=True)
class Verdict:
    diagnostics: list[Diagnostic]
    files: int
    reused: bool
    team: bytes | None = None  # team.yaml as the snapshot read it (never through a link out of the repository)
    origins: dict[str, tuple[str, str]] | None = None  # the other repositories read (Snapshot.origins)


def report(repo: Path, fmt: str, strict: bool, no_cache: bool, base: str | None, today: dt.date,
           files: Sequence[str]) -> tuple[int, str]:
    """What `devtalks validate` prints, and its exit code: 1 when there is an error (or, with `strict`, any problem)."""
    from .report import REPORTERS

    # A changed team.yaml, template or cycle can break any talk, so then everything is read.
    only = files if files and all(_is_talk_file(f) for f in files) else None
    verdict = validate_repo(repo, today, only=only, use_cache=not no_cache)
    diagnostics = sorted(_placed(verdict.diagnostics, verdict.origins)
                         + _reused_ids(repo, verdict.team, today, not no_cache), key=Diagnostic.sort_key)
    if base:
        from ..gitflow.signoff import signoff_guard  # gitpython only when a comparison is asked for

        diagnostics = sorted(diagnostics + signoff_guard(repo, base, today), key=lambda d: d.sort_key())
    out = REPORTERS[fmt](diagnostics)
    if not out and fmt == "text":
        out = f"ok: {verdict.files} files valid{_read_beside(verdict.origins)}"
    failed = any(d.is_error for d in diagnostics) or (strict and diagnostics)
    return (1 if failed else 0), out


def _placed(diagnostics: list[Diagnostic], origins: dict[str, tuple[str, str]]) -> list[Diagnostic]:
    """In a person repository, a problem in the team's files says it is there: it is fixed there, not here."""
    if "team" not in origins:
        return diagnostics
    team, sha = origins["team"]
    return [replace(d, message=f"in the team repository `{team}` (commit {sha[:7]}): {d.message}")
            if not d.path.startswith(("talks/", PERSON_FILE)) else d for d in diagnostics]


def _read_beside(origins: dict[str, tuple[str, str]]) -> str:
    """What else the verdict was reached with: the team's commit, or how many person repositories."""
    if "team" in origins:
        team, sha = origins["team"]
        return f", checked against the team repository `{team}` at commit {sha[:7]}"
    return f", read from the team repository and {len(origins)} person repositories" if origins else ""


def _reused_ids(repo: Path, team: bytes | None, today: dt.date, use_cache: bool) -> list[Diagnostic]:
    """DT211 for ids in team.yaml that someone else held before (from Git's history, so beside the kept verdict).

    The answer is kept under team.yaml's bytes, what HEAD reads and today: a hook between two commits runs
    no `git` and parses no YAML for it (it cost 45 ms a run, more than the rest of an unchanged hook).
    """
    from ..gitflow.head import locate, outside_git, stamp_of_head

    root = Path(repo).resolve()
    if team is None or outside_git(root):
        return []  # no history: nobody held an id before
    from .. import __version__
    from ..state import digest

    found_git = locate(root)
    stamp = stamp_of_head(*found_git[1:]) if found_git is not None else None
    verdicts = VerdictCache(root) if use_cache and stamp is not None else None
    key = digest(repr(("reused ids", team, stamp, today.isoformat(), __version__)).encode()).encode()
    found = verdicts.get(key) if verdicts is not None else None
    if found is None:
        from ..gitflow.tenure import reuse_diagnostics
        from ..read.yamlsource import parse

        found = reuse_diagnostics(repo, parse("team.yaml", team), today)
        if verdicts is not None:
            verdicts.put(key, found)
    return found


def _is_talk_file(path: str) -> bool:
    return path.replace("\\", "/").removeprefix("./").startswith("talks/")


def validate_repo(root: str | os.PathLike, today: dt.date, only: Iterable[str] | None = None,
                  use_cache: bool = True) -> Verdict:
    snap = read(root, only, remember=use_cache)
    files = len(snap.files) + len(snap.note_heads)
    team = next((f.read() for f in snap.files if f.kind == "team" and f.error is None), None)
    verdicts = VerdictCache(snap.root) if use_cache else None
    key = snap.fingerprint(today.isoformat())
    if verdicts is not None:
        found = verdicts.get(key)
        if found is not None:
            return Verdict(found, files, True, team, snap.origins)
    from ..read.yamlsource import ParsedStore

    diagnostics = judge(snap, today, ParsedStore(snap.root) if use_cache else None)
    if verdicts is not None:
        verdicts.put(key, diagnostics)
    return Verdict(diagnostics, files, False, team, snap.origins)


def check_lazily(ws: Workspace, today: dt.date) -> list[Diagnostic]:
    """check(ws, today) of a workspace that load(lazy=True) made, parsing only the people whose files changed.

    A person's own files are checked against the shared files and today alone (judge() relies
    on the same), so with the same shared bytes, day and devtalks version, a person whose files
    are the same bytes as at the last check has the same diagnostics. Everyone else's files are
    parsed (into `ws`) and checked now.
    """
    from .. import __version__
    from . import rules as check
    from .verdicts import PersonVerdicts

    if not ws.unread:
        return check.check(ws, today)
    shared = sorted((rel, repr(src.diagnostics), src.raw) for rel, src in ws.sources.items() if person_of(rel) is None)
    memo = PersonVerdicts(ws.root, digest_rows([(__version__, today.isoformat(), b""), *shared]))
    files = {person: ws.digests[person] for person in ws.unread}
    kept = {person: memo.get(person, digest) for person, digest in files.items()}
    missed = [person for person, found in kept.items() if found is None]
    start = len(ws.diagnostics)
    ws.read_people(missed)
    personal = [*ws.diagnostics[start:], *(d for rule in check.PERSONAL_RULES for d in rule(ws, today))]
    for person in missed:
        memo.put(person, files[person], sorted({d for d in personal if person_of(d.path) == person},
                                               key=Diagnostic.sort_key))
    memo.save(set(files))
    found = check.check(ws, today, check.SHARED_RULES) + personal
    return sorted({*found, *(d for person_found in kept.values() if person_found for d in person_found)},
                  key=Diagnostic.sort_key)


def judge(snap: Snapshot, today: dt.date, store: ParsedStore | None = None) -> list[Diagnostic]:
    """Load and check what the snapshot read: the shared files here, then people's own files in shares.

    A big repository's shares go to forked workers, which inherit the shared files already loaded
    and send back only diagnostics. A share holds whole person folders, so it sees each person's
    files as a serial run does, and the verdict is the same to the byte. People's files are read
    back from the `store` when a build kept them, but not written to it: a cold validate of
    thousands of files would pay more for writing than a later run saves.
    """
    from ..parallel import in_shares, shares, workers_for
    from ..read.load import from_snapshot, place
    from ..read.yamlsource import parse
    from . import rules as check

    own = [f for f in snap.files if f.kind in PERSONAL_KINDS]
    for f in own:
        f.read()  # what the snapshot left unread, here: in a worker, a file changed since could not say so
    ws = from_snapshot(replace(snap, files=[f for f in snap.files if f.kind not in PERSONAL_KINDS]), 1, store)

    def share(lo: int, hi: int) -> list[Diagnostic]:
        part = replace(ws, talks={}, checkins={}, sources=dict(ws.sources), diagnostics=[])
        for f in own[lo:hi]:
            place(part, f, None if f.error else (store and store.get(f.rel, f.raw)) or parse(f.rel, f.raw, ws.language))
        found = check.check(part, today, check.PERSONAL_RULES)
        # The first share is done here, beside the workers: it checks the shared files too.
        return found + check.check(ws, today, check.SHARED_RULES) if lo == 0 else found

    ranges = shares(len(own), workers_for(len(own)), lambda i: person_of(own[i].rel) != person_of(own[i - 1].rel))
    if len(ranges) > 1:
        from ..model import CheckIn, Talk

        for model in (Talk, CheckIn):
            model.model_rebuild()  # validators are built on first use: once here, not once in every worker
    return sorted(set(in_shares(share, ranges, Diagnostic)), key=Diagnostic.sort_key)
