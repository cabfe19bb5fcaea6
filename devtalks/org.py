"""Many team repositories for one HR site: org.yaml → clones in a cache → validated workspaces.

Each team repository is cloned once into HR's cache folder (cache.state_dir of HR's
repository, never inside a team's clone) and fetched on later runs, in parallel. Each is
validated on its own: a broken one is reported and left out while the others go on. Nothing
a team commits is read as devtalks' state: its workspace is validated afresh on every run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import git

from .check import check
from .diagnostics import Diagnostic
from .errors import DevtalksError
from .git import head_sha
from .load import Workspace, load, validate_source
from .model import Cycle, QuestionTemplate
from .model.org import Org, TeamSource
from .yamlsource import Source, parse


@dataclass
class TeamRepo:
    """One team repository of the organisation, as of the last fetch."""

    name: str
    source: str
    branch: str
    path: Path
    workspace: Workspace | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sha: str | None = None
    changed: bool = True

    @property
    def ok(self) -> bool:
        """True when the repository was fetched and has no errors; only then is it in the HR site."""
        return self.workspace is not None


@dataclass
class OrgConfig:
    """org.yaml with HR's own question templates and cycles beside it."""

    file: Path
    org: Org
    source: Source
    templates: dict[str, QuestionTemplate]
    cycles: dict[str, Cycle]
    diagnostics: list[Diagnostic]


def read_org(org_file: Path, today: dt.date | None = None) -> OrgConfig:
    """org.yaml and HR's templates and cycles; a DevtalksError when org.yaml itself is unusable."""
    org_file = Path(org_file).resolve()
    try:
        raw = org_file.read_bytes()
    except OSError as e:
        raise DevtalksError(f"cannot read {org_file}: {e.strerror}") from None
    src = parse(org_file.name, raw)
    org, found = validate_source(Org, src)
    if org is not None:
        found.extend(_duplicate_names(org, src))
    if org is None or any(d.is_error for d in found):
        lines = "\n".join(f"  {d.path}:{d.line}:{d.column}: {d.message}" + (f" — {d.hint}" if d.hint else "")
                          for d in found)
        raise DevtalksError(f"{org_file} is not a valid org file:\n{lines}")
    hr = load(org_file.parent, only=[])
    hr_diagnostics = [d for d in check(hr, today or dt.date.today()) if d.path != "team.yaml"]
    return OrgConfig(org_file, org, src, hr.templates, hr.cycles, found + hr_diagnostics)


def hr_language(org_file: Path) -> str:
    """The language org.yaml gives the HR site, once read_org (in load_org) has judged the file."""
    org, _ = validate_source(Org, parse(Path(org_file).name, Path(org_file).read_bytes()))
    return org.language


def _duplicate_names(org: Org, src: Source) -> list[Diagnostic]:
    seen: dict[str, int] = {}
    out = []
    for i, team in enumerate(org.teams):
        if team.key in seen:
            out.append(src.error(("teams", i), "DT400", f"two teams are called `{team.key}`",
                                 "give one of them its own `name:`; the HR site and the cache tell teams apart by it"))
        seen.setdefault(team.key, i)
    return out


def load_org(org_file: Path, cache_dir: Path, jobs: int = 0, today: dt.date | None = None) -> list[TeamRepo]:
    """Clone or fetch every team repository of org.yaml into `cache_dir` and validate each on its own.

    `jobs` repositories are fetched and validated at a time (0: one per core, at least 4,
    since fetching mostly waits on the network). Returns them in org.yaml's order; those
    with `ok` False carry the reason in `diagnostics` and have no workspace.
    """
    config = read_org(org_file, today)
    cache_dir = Path(cache_dir).resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    today = today or dt.date.today()
    workers = jobs or max(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_team, config, i, team, cache_dir, today) for i, team in enumerate(config.org.teams)]
        return [f.result() for f in futures]


def _team(config: OrgConfig, index: int, team: TeamSource, cache_dir: Path, today: dt.date) -> TeamRepo:
    repo = TeamRepo(team.key, team.repo, team.branch, cache_dir / team.key)
    url = team.repo if team.is_url else str((config.file.parent / team.repo).resolve())
    try:
        repo.sha, repo.changed = sync(url, team.branch, repo.path)
    except (git.GitCommandError, git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError, OSError) as e:
        repo.diagnostics.append(config.source.error(
            ("teams", index), "DT800", f"team repository `{team.key}` cannot be fetched: {_reason(e)}",
            "check `repo:` and `branch:` in org.yaml, and that this machine may read the repository"))
        return repo
    repo.workspace, repo.diagnostics = _validated(repo, today)
    return repo


def sync(url: str, branch: str, dest: Path) -> tuple[str, bool]:
    """Make `dest` a clean checkout of `branch` of `url`: clone the first time, fetch after.

    Returns the checked-out commit and whether it differs from the one checked out before.
    """
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


def _validated(repo: TeamRepo, today: dt.date) -> tuple[Workspace | None, list[Diagnostic]]:
    """The repository's workspace and diagnostics (paths prefixed with its name); None when it has errors."""
    ws = load(repo.path)
    found = [replace(d, path=f"{repo.name}/{d.path}") for d in check(ws, today)]
    return (None if any(d.is_error for d in found) else ws), found


def _reason(e: Exception) -> str:
    text = getattr(e, "stderr", None) or str(e)
    lines = [line.strip() for line in str(text).replace("stderr:", "").splitlines() if line.strip()]
    return " ".join(lines[-2:]).strip(" '") or type(e).__name__
