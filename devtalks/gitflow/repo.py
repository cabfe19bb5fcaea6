"""Writing to a team's Git repository: new commits and branches for a cycle, pushes, and where a work tree is.

gitpython is imported inside each function, so reading history never pays for it.
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DevtalksError

if TYPE_CHECKING:
    import git



def open_repo(root: str | os.PathLike) -> git.Repo:
    """The Git repository holding `root`; a DevtalksError when there is none."""
    import git

    try:
        return git.Repo(Path(root).resolve(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise DevtalksError(f"{root} is not inside a Git repository; run `git init` there, or use `devtalks init`") from None


def work_tree_holding(folder: Path) -> tuple[Path | None, bool]:
    """The Git work tree `folder` is (or would be) in, None outside one, and whether Git ignores the folder."""
    import git

    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        repo = git.Repo(existing, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None, False
    if repo.bare or repo.working_tree_dir is None:
        return None, False
    tree = Path(repo.working_tree_dir).resolve()
    try:
        repo.git.check_ignore("-q", os.path.join(folder.relative_to(tree), ""))  # a trailing slash: as a folder
    except git.GitCommandError:
        return tree, False
    return tree, True


def head_sha(repo: git.Repo) -> str | None:
    """The commit HEAD points at, or None in a repository without commits."""
    from git.refs import SymbolicReference

    try:
        return SymbolicReference.dereference_recursive(repo, "HEAD")
    except (ValueError, OSError):
        return None


def team_prefix(repo: git.Repo, root: Path) -> str:
    """The team root's path inside the repository, '' or 'teams/platform/'."""
    return path_prefix(Path(repo.working_tree_dir), root)


def path_prefix(top: Path, root: Path) -> str:
    rel = root.resolve().relative_to(top.resolve()).as_posix()
    return "" if rel == "." else rel + "/"


def commit_files(repo: git.Repo, parent: git.Commit, files: dict[str, str], message: str) -> git.Commit:
    """A new commit: `parent`'s tree plus `files` (repository path → text), without touching the work tree."""
    import git
    from git.index.base import IndexFile
    from git.index.typ import BaseIndexEntry
    from git.objects.blob import Blob
    from gitdb.base import IStream

    index = IndexFile.from_tree(repo, parent)
    entries = []
    for path, text in files.items():
        data = text.encode("utf-8")
        stored = repo.odb.store(IStream(Blob.type, len(data), BytesIO(data)))
        entries.append(BaseIndexEntry((0o100644, stored.binsha, 0, path)))
    index.add(entries)
    return git.Commit.create_from_tree(repo, index.write_tree(), message, parent_commits=[parent], head=False)


def switch_to_new_branch(repo: git.Repo, name: str) -> bool:
    """Like `git switch -c NAME`: a new branch at HEAD, checked out, the work tree left as it is.

    Returns False when that branch is already the current one (the cycle was opened on it before).
    """
    import git

    if not repo.head.is_detached and repo.active_branch.name == name:
        return False
    try:
        repo.git.check_ref_format("--branch", name)
    except git.GitCommandError:
        raise DevtalksError(f"`{name}` is not a valid branch name") from None
    if name in [h.name for h in repo.heads]:
        raise DevtalksError(f"branch `{name}` exists already; check it out to continue there, or pick another --branch")
    repo.head.reference = repo.create_head(name)
    return True


def commit_new_files(repo: git.Repo, root: Path, files: dict[str, str], message: str) -> git.Commit:
    """Commit exactly these new files (team-root path → text) on the current branch.

    Whatever else the user staged stays staged and out of the commit.
    """
    prefix = team_prefix(repo, root)
    commit = commit_files(repo, repo.head.commit, {prefix + rel: text for rel, text in files.items()}, message)
    repo.head.set_commit(commit, logmsg=f"commit: {message.splitlines()[0]}")
    repo.index.add([prefix + rel for rel in files])
    return commit


def local_branches(repo: git.Repo, remote: str) -> set[str]:
    """Branch names known here: local ones and those last fetched from `remote`."""
    names = {h.name for h in repo.heads}
    tracking = f"refs/remotes/{remote}/"
    return names | {r.path.removeprefix(tracking) for r in repo.refs if r.path.startswith(tracking)}


def remote_branches(repo: git.Repo, remote: str) -> set[str]:
    """Branch names on the remote, asked over the wire (a CI checkout knows only its own branch)."""
    import git

    try:
        listing = repo.git.ls_remote("--heads", remote)
    except git.GitCommandError as e:
        raise DevtalksError(f"cannot reach remote `{remote}`: {_git_error(e)}") from None
    return {line.split("\t", 1)[1].removeprefix("refs/heads/") for line in listing.splitlines() if "\t" in line}


def push(repo: git.Repo, remote: str, branches: list[str]) -> None:
    """Push the branches to the remote under the same names; a DevtalksError names any that failed."""
    if not branches:
        return
    import git
    from git.remote import PushInfo

    try:
        results = repo.remote(remote).push([f"refs/heads/{b}:refs/heads/{b}" for b in branches])
        results.raise_if_error()
    except (ValueError, git.GitCommandError) as e:
        raise DevtalksError(f"push to `{remote}` failed: {_git_error(e)}") from None
    bad = PushInfo.ERROR | PushInfo.REJECTED | PushInfo.REMOTE_REJECTED | PushInfo.REMOTE_FAILURE
    failed = [r.remote_ref_string for r in results if r.flags & bad]
    if failed:
        raise DevtalksError(f"push to `{remote}` was refused for {', '.join(failed)}; "
                            "someone pushed these branches first: fetch, and open the cycle again")


def _git_error(e: Exception) -> str:
    text = getattr(e, "stderr", "") or str(e)
    return " ".join(text.replace("stderr:", "").split()).strip(" '")
