"""The sign-off guard over Git: which signed talks and closed cycles a branch changed since its base.

The rules themselves (what may change) are check/guard.py; this module finds the changed files.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..diagnostics import Diagnostic
from ..errors import DevtalksError
from ..read.snapshot import MAX_READ, YAML_SUFFIXES
from ..read.yamlsource import parse
from .history import TALK_RE
from .repo import head_sha, open_repo, team_prefix


def signoff_guard(root: str | os.PathLike, base: str, today: dt.date) -> list[Diagnostic]:
    """DT700 for every change since `base` to a signed-off talk or a closed cycle.

    Compares the working tree with the point where it forked from `base` (what a pull
    request shows), so changes that landed on `base` meanwhile are not blamed on it. In a
    signed talk only an agreement's status and done_on may change: that is follow-up,
    not a rewrite of what was agreed.
    """
    import git

    from ..check.guard import closed_cycle, signed_talk

    root = Path(root).resolve()
    repo = open_repo(root)
    try:
        base_commit = repo.commit(base)
    except (git.BadName, ValueError, git.GitCommandError):
        raise DevtalksError(f"`{base}` is not a commit or branch in this repository; "
                            f"fetch it first, e.g. `git fetch origin {base.removeprefix('origin/')}`") from None
    point = base_commit
    if head_sha(repo):
        forks = repo.merge_base(base_commit, repo.head.commit)
        point = forks[0] if forks else base_commit
    prefix = team_prefix(repo, root)
    stems = set()
    for d in point.diff(None, paths=[f"{prefix}talks", f"{prefix}cycles"], no_renames=True):
        for path in (d.a_path, d.b_path):
            if path and path.startswith(prefix) and path.endswith(YAML_SUFFIXES):
                stems.add(path.removeprefix(prefix).rsplit(".", 1)[0])
    found: list[Diagnostic] = []
    for stem in sorted(stems):
        # One file per stem: a .yml beside (or instead of) a signed .yaml is a new version of that same file.
        news = [(f"{stem}{ext}", _work_file(root / f"{stem}{ext}")) for ext in YAML_SUFFIXES
                if (root / f"{stem}{ext}").is_file() and not (root / f"{stem}{ext}").is_symlink()] or [(None, None)]
        for ext in YAML_SUFFIXES:
            try:
                blob = point.tree / f"{prefix}{stem}{ext}"
            except KeyError:
                continue
            if blob.type != "blob":
                continue
            old = parse(f"{stem}{ext}", blob.data_stream.read())
            if not isinstance(old.data, dict):
                continue
            for rel, new in news:
                rel = rel or old.path
                if rel.startswith("cycles/"):
                    found.extend(closed_cycle(rel, old, new, today))
                elif TALK_RE.match(rel):
                    found.extend(signed_talk(rel, old, new))
    return found


def _work_file(path: Path) -> bytes:
    """A work-tree file as the guard compares it: read as far as the validator would (a bigger one is DT005 there)."""
    with open(path, "rb") as f:
        return f.read(MAX_READ)
