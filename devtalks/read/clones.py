"""Clones of other repositories in devtalks' cache folder: HR's teams (`--org`) and a team's person repositories.

Takes a URL (or a local path), a branch and a folder in the cache; gives a clean checkout of
that branch and its commit. A clone is untrusted input like any repository: it is read with
the same snapshot reader, never run, and tidied back to its commit when devtalks fetches it.
`recent()` spares a pre-commit hook the network: a clone fetched within the last
DEVTALKS_FETCH_INTERVAL seconds (default 300) is used as it is, and a clone that can no
longer be fetched is used as last fetched, with a warning that says so.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..state import read_entry, write_entry

FETCH_INTERVAL_ENV = "DEVTALKS_FETCH_INTERVAL"
_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://|^[\w.-]+@[\w.-]+:")


@dataclass(frozen=True)
class Clone:
    """A repository as devtalks last fetched it: its checkout, commit, and why it could not be fetched this time."""

    path: Path
    sha: str | None
    changed: bool = True
    failure: str | None = None  # set when the fetch failed; with a sha, the clone of an earlier fetch is used

    @property
    def usable(self) -> bool:
        return self.sha is not None


def sync(url: str, branch: str, dest: Path) -> tuple[str, bool]:
    """Make `dest` a checkout of `branch` of `url`: clone the first time, fetch after (tidy() undoes stray edits).

    Returns the checked-out commit and whether it differs from the one checked out before.
    """
    import git

    from ..gitflow.repo import head_sha

    refspec = f"+refs/heads/{branch}:refs/remotes/origin/{branch}"
    try:
        repo = git.Repo(dest)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        shutil.rmtree(dest, ignore_errors=True)
        repo = git.Repo.clone_from(url, dest, branch=branch, single_branch=True)
        return repo.head.commit.hexsha, True
    origin = repo.remote("origin")
    if origin.url != url:
        origin.set_url(url)
    origin.fetch(refspec=refspec)
    target = repo.commit(f"refs/remotes/origin/{branch}")
    before = head_sha(repo)
    if before != target.hexsha:
        repo.head.reset(target, index=True, working_tree=True)
    return target.hexsha, before != target.hexsha


def tidy(path: Path, sha: str) -> None:
    """Undo any stray edit in a clone (only devtalks should write there): what is read must be that commit's files."""
    import git

    clone = git.Repo(path)
    if clone.git.status("--porcelain", "--ignored", "--untracked-files=all", "-z"):
        clone.head.reset(sha, index=True, working_tree=True)
        clone.git.clean("-ffdx")


def recent(url: str, branch: str, dest: Path) -> Clone:
    """`dest` as a clean checkout of `branch` of `url`, fetched now unless it was within the fetch interval."""
    stamp = dest.with_name(f"{dest.name}.fetched.json")
    kept = read_entry(stamp, "fetched")
    fresh = isinstance(kept, dict) and kept.get("url") == url and kept.get("branch") == branch \
        and isinstance(kept.get("sha"), str) and isinstance(kept.get("at"), (int, float)) and (dest / ".git").is_dir()
    if fresh and 0 <= time.time() - kept["at"] < _interval():
        return Clone(dest, kept["sha"], changed=False)
    import git

    try:
        sha, changed = sync(url, branch, dest)
        tidy(dest, sha)
    except (git.GitCommandError, git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError, OSError) as e:
        return Clone(dest, kept["sha"] if fresh else None, False, reason(e))
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_entry(stamp, "fetched", {"url": url, "branch": branch, "sha": sha, "at": time.time()})
    return Clone(dest, sha, changed)


def _interval() -> float:
    try:
        return float(os.environ.get(FETCH_INTERVAL_ENV, "300"))
    except ValueError:
        return 300.0


def reason(e: Exception) -> str:
    """Git's last words on why it failed, in one line."""
    text = getattr(e, "stderr", None) or str(e)
    lines = [line.strip() for line in str(text).replace("stderr:", "").splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith("fatal:")]  # not git's closing advice about access rights
    return " ".join((fatal or lines)[-2:]).strip(" '") or type(e).__name__


def is_url(location: str) -> bool:
    """True for a Git URL (scheme:// or user@host:path), False for a local path."""
    return bool(_URL_RE.match(location))


def resolve(location: str, base: Path) -> str:
    """A repository's URL as Git takes it: a URL as written, a path relative to `base` made absolute."""
    return location if is_url(location) else str((base / location).resolve())
