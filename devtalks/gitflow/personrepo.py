"""A person's own repository in the person layout: its scaffold, and its first commit pushed to an empty URL.

The scaffold is package data in devtalks/gitflow/scaffold/person/, rendered the way `devtalks
init` renders the team's. Commits are written straight into the team repository's object
database and pushed from there by URL: no work tree is touched, no clone is made.
"""

from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..errors import DevtalksError
from .init import INSTALL_PLACEHOLDER, REQUIREMENT, SCAFFOLD, templates
from .repo import _git_error, open_repo, remote_branches, team_prefix

if TYPE_CHECKING:
    import git

    from ..model import Person

BRANCH = "main"
TREE_MODE = 0o040000
FILE_MODE = 0o100644


def team_address(root: Path) -> tuple[str, str]:
    """How a person repository names the team: its `origin` URL (else its path) and its main branch."""
    repo = open_repo(root)
    if team_prefix(repo, root):
        raise DevtalksError(f"team.yaml is in {team_prefix(repo, root)} of its repository; the person layout needs "
                            "team.yaml at the top of the team repository")
    import git

    url = repo.remotes.origin.url if "origin" in [r.name for r in repo.remotes] else str(Path(root).resolve())
    if not Path(url).is_absolute() and (Path(root) / url).exists():
        url = str((Path(root) / url).resolve())  # a relative path means nothing from inside the person repository
    try:
        ref = repo.git.symbolic_ref("--short", "refs/remotes/origin/HEAD").removeprefix("origin/")
    except git.GitCommandError:  # no origin, or it never said its default branch
        ref = BRANCH if repo.head.is_detached else repo.active_branch.name
    return url, ref


def scaffold(root: Path, person: Person, team: str, ref: str, language: str) -> dict[str, str]:
    """Path → text of each file a new person repository starts with.

    The pre-commit hook is the team's own (same devtalks and version), and CI installs that
    same devtalks.
    """
    env = templates("person")
    values = {"person_id": person.id, "person_name": person.name, "team": team, "ref": ref}
    hook_text, install = _team_hook(root)
    workflow = (SCAFFOLD / "person" / "validate.yml").read_text(encoding="utf-8")
    return {
        "devtalks.yaml": env.get_template("devtalks.yaml.j2").render(values),
        "README.md": env.get_template(f"README.{language}.md.j2").render(values),
        ".pre-commit-config.yaml": hook_text,
        ".github/workflows/validate.yml": workflow.replace(INSTALL_PLACEHOLDER, install),
    }


def _team_hook(root: Path) -> tuple[str, str]:
    """The team's pre-commit config (or a new one) and the pip requirement of the devtalks it pins."""
    path = root / ".pre-commit-config.yaml"
    try:
        text = path.read_text(encoding="utf-8")
        hook = next(h for r in yaml.safe_load(text)["repos"] for h in r.get("hooks", []) if h.get("id") == "devtalks-validate")
        return text, next(str(d) for d in hook["additional_dependencies"] if str(d).startswith("devtalks"))
    except (OSError, yaml.YAMLError, TypeError, KeyError, AttributeError, StopIteration):
        return templates("team").get_template("pre-commit-config.yaml.j2").render(requirement=REQUIREMENT), REQUIREMENT


def holder(repo: git.Repo, url: str) -> str | None:
    """Whose repository `url` is: None when it has no commits yet, else the person its devtalks.yaml names
    ('' when it has none)."""
    import git

    branches = remote_branches(repo, url)
    if not branches:
        return None
    branch = BRANCH if BRANCH in branches else sorted(branches)[0]
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch:
        look = git.Repo.init(scratch)
        try:
            look.git.fetch("--quiet", "--depth=1", url, f"refs/heads/{branch}")
            text = look.git.show("FETCH_HEAD:devtalks.yaml")
        except git.GitCommandError:
            return ""
        finally:
            look.close()
    try:
        found = yaml.safe_load(text)
    except yaml.YAMLError:
        return ""
    return str(found.get("person") or "") if isinstance(found, dict) else ""


def write_tree(repo: git.Repo, entries: dict[str, tuple[int, bytes]]) -> bytes:
    """Store a tree holding each path (→ mode, object id), folders made as needed; its object id."""
    from git.objects.fun import tree_to_stream
    from git.objects.tree import Tree
    from gitdb.base import IStream

    top: dict[str, tuple[int, bytes]] = {}
    folders: dict[str, dict[str, tuple[int, bytes]]] = {}
    for path, entry in entries.items():
        head, _, rest = path.partition("/")
        if rest:
            folders.setdefault(head, {})[rest] = entry
        else:
            top[head] = entry
    for name, inner in folders.items():
        top[name] = (TREE_MODE, write_tree(repo, inner))
    # Git orders a tree's entries by name, a folder's name as if it ended in "/".
    ordered = sorted(top.items(), key=lambda item: item[0] + ("/" if item[1][0] == TREE_MODE else ""))
    out = BytesIO()
    tree_to_stream([(sha, mode, name) for name, (mode, sha) in ordered], out.write)
    data = out.getvalue()
    return repo.odb.store(IStream(Tree.type, len(data), BytesIO(data))).binsha


def blobs(repo: git.Repo, files: dict[str, str]) -> dict[str, tuple[int, bytes]]:
    """Store each file's text; path → (mode, object id), for write_tree."""
    from git.objects.blob import Blob
    from gitdb.base import IStream

    out = {}
    for path, text in files.items():
        data = text.encode("utf-8")
        out[path] = (FILE_MODE, repo.odb.store(IStream(Blob.type, len(data), BytesIO(data))).binsha)
    return out


def scaffold_commit(repo: git.Repo, files: dict[str, str], on: git.Commit | None, message: str) -> git.Commit:
    """A commit of the scaffold files, on top of `on` (its tree kept) or as a first commit; by whoever runs this."""
    import git

    entries = blobs(repo, files)
    if on is not None:
        entries = {**{item.path: (item.mode, item.binsha) for item in on.tree}, **entries}
    tree = git.Tree(repo, write_tree(repo, entries), path="")
    return git.Commit.create_from_tree(repo, tree, message, parent_commits=[on] if on else [], head=False)


def push_first(repo: git.Repo, url: str, commit: git.Commit) -> None:
    """Push `commit` as the branch main of the empty repository at `url`."""
    import git

    try:
        repo.git.push("--quiet", url, f"{commit.hexsha}:refs/heads/{BRANCH}")
    except git.GitCommandError as e:
        raise DevtalksError(f"push to {url} failed: {_git_error(e)}") from None


def refuse_taken(repo: git.Repo, url: str, pid: str) -> bool:
    """True when `url` already is `pid`'s repository; False when it is empty; refuses anything else."""
    owner = holder(repo, url)
    if owner is None:
        return False
    if owner == pid:
        return True
    whose = f"the talks of `{owner}`" if owner else "commits that are not a devtalks person repository"
    raise DevtalksError(f"{url} already has {whose}; a person repository starts empty: create a new, empty "
                        f"repository for {pid} (no README, no licence) and give its URL")
