"""One person's talk folder with its history, as commits of its own: `devtalks person split`.

Each commit of the team repository that changed talks/<id>/ gets a copy holding that folder
only, at the same path, with the same author, committer, dates and message; merges stay
merges. A commit that also changed other files keeps its message in the team repository
only: it may speak of other people, and the person's repository is theirs to read. Git's own history simplification (`rev-list --parents -- PATH`) picks the commits,
and the copies are written straight into the object database: one `rev-list` and no work
tree, where `filter-branch` runs a shell per commit of the whole history.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from .personrepo import TREE_MODE, write_tree

if TYPE_CHECKING:
    import git


SHARED_MESSAGE = "Changed together with other files of the team repository (its message stays there)\n"


def carry(repo: git.Repo, path: str, to: str) -> tuple[git.Commit | None, int]:
    """Copies of the commits on HEAD that changed `path`, the folder moved to `to`; the newest copy and how many."""
    import git
    from gitdb.base import IStream

    listing = repo.git.rev_list("--parents", "--topo-order", "--reverse", "HEAD", "--", path)
    shared = _shared(repo, path)
    copies: dict[str, git.Commit] = {}
    newest = None
    for line in listing.splitlines():
        sha, *parents = line.split()
        old = repo.commit(sha)
        try:
            entries = {to: (TREE_MODE, old.tree[path].binsha)}
        except KeyError:
            entries = {}  # this commit took the whole folder away
        new = git.Commit(repo, git.Commit.NULL_BIN_SHA, git.Tree(repo, write_tree(repo, entries), path=""),
                         old.author, old.authored_date, old.author_tz_offset,
                         old.committer, old.committed_date, old.committer_tz_offset,
                         SHARED_MESSAGE if sha in shared else old.message, [copies[p] for p in parents if p in copies],
                         old.encoding)
        data = BytesIO()
        new._serialize(data)
        new.binsha = repo.odb.store(IStream(git.Commit.type, data.tell(), BytesIO(data.getvalue()))).binsha
        copies[sha] = newest = new
    return newest, len(copies)


def _shared(repo: git.Repo, path: str) -> set[str]:
    """The commits that changed `path` and anything outside it (every file each changed: one `git log`)."""
    out, sha = set(), None
    for line in repo.git.log("--format=%x00%H", "--name-only", "--full-diff", "-m", "HEAD", "--", path).splitlines():
        if line.startswith("\0"):
            sha = line[1:]
        elif line and not line.startswith(path.rstrip("/") + "/"):
            out.add(sha)
    return out
