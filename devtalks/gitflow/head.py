"""Where a work tree's Git data is and what HEAD reads, from the files Git keeps: no `git` process.

Takes a folder; gives its work tree's top, Git folder and common folder (a worktree's are two),
and a stamp of HEAD that changes with every commit, checkout and fetch into the branch. The
pre-commit hook asks both on every run, so this module imports nothing heavier than os.
"""

from __future__ import annotations

import os
from pathlib import Path


def outside_git(root: Path) -> bool:
    """True when no Git work tree holds `root` (resolved): no `.git` in it or above it, and no GIT_DIR."""
    if any(name in os.environ for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR")):
        return False
    return not any((folder / ".git").exists() for folder in (root, *root.parents))


def locate(root: Path) -> tuple[Path, Path, Path] | None:
    """(top, git folder, common folder) of the work tree holding `root` (resolved), in the plain case of a `.git`
    folder or a worktree's `.git` file; None where Git's environment or anything unusual needs `git` to say."""
    if any(name in os.environ for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR")):
        return None
    for top in (root, *root.parents):
        dot = top / ".git"
        try:
            if dot.is_dir():
                git_dir = dot
            elif dot.is_file():
                text = dot.read_text(encoding="utf-8").strip()
                if not text.startswith("gitdir: "):
                    return None
                git_dir = (top / text.removeprefix("gitdir: ")).resolve()
            else:
                continue
            common = git_dir / "commondir"
            common_dir = (git_dir / common.read_text(encoding="utf-8").strip()).resolve() if common.is_file() \
                else git_dir
        except (OSError, UnicodeDecodeError):
            return None
        return (top, git_dir, common_dir) if (git_dir / "HEAD").is_file() else None
    return None


def stamp_of_head(git_dir: Path, common_dir: Path) -> tuple | None:
    """What HEAD reads and the identity of the files behind it: unchanged stamp, unchanged HEAD.

    Asking `git` for HEAD costs a process; this costs a few stat calls, so a site build may
    ask for the history of every talk without paying that per talk.
    """
    try:
        head = (git_dir / "HEAD").read_bytes()
    except OSError:
        return None
    branch = common_dir / head[5:].strip().decode("utf-8", "replace") if head.startswith(b"ref: ") else None
    return head, _file_id(branch), _file_id(common_dir / "packed-refs")


def _file_id(path: Path | None) -> tuple | None:
    try:
        found = path.stat() if path else None
    except OSError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size) if found else None
