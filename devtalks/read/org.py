"""Many team repositories for one HR site: org.yaml → clones in a cache → validated workspaces.

Each team repository is cloned once into HR's cache folder (cache.state_dir of HR's
repository, never inside a team's clone) and fetched on later runs, in parallel, each checked
out clean. Each is validated on its own, a team per core: a broken one is reported and left out
while the others go on. Nothing a team commits is read as devtalks' state. What validating a
team found is kept in that cache folder (check/orgcache.py), so a team whose commit did not move is
not parsed again; a run where no team moved leaves the HR site as it is (see org_stamp).
Workspaces are kept without their parsed sources: the HR site needs the models, and 5,000
people's files parsed twice over would not fit in memory.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import git

from .. import __version__
from ..check.orgcache import entry_key, keep, kept
from ..check.rules import check
from ..diagnostics import Diagnostic
from ..errors import DevtalksError
from ..model import Cycle, QuestionTemplate
from ..model.org import Org, TeamSource
from ..parallel import cores, fork_pool
from . import clones
from .assemble import person_commits
from .load import Workspace, load, validate_source
from .yamlsource import Source, parse


@dataclass
class TeamRepo:
    """One team repository of the organisation, as of the last fetch."""

    name: str
    source: str
    branch: str
    path: Path
    workspace: Workspace | None = None  # validated models, without parsed sources: the HR site does not need them
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sha: str | None = None
    changed: bool = True
    people: dict[str, str | None] = field(default_factory=dict)  # the person layout: each person repository's commit

    @property
    def version(self) -> str:
        """What the team is made of: its commit, and those of its people's repositories (the person layout)."""
        return f"{self.sha} {sorted(self.people.items())}" if self.people else str(self.sha)

    @property
    def entry(self) -> Path:
        """Where what validating this team found is kept: beside its clone (a team's name has no dot), never in it."""
        return self.path.with_name(f"{self.name}.validated.json")

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
        found.extend(_repeated_repositories(org, src, org_file.parent))
    if org is None or any(d.is_error for d in found):
        lines = "\n".join(f"  {d.path}:{d.line}:{d.column}: {d.message}" + (f" — {d.hint}" if d.hint else "")
                          for d in sorted(found, key=Diagnostic.sort_key))
        raise DevtalksError(f"{org_file} is not a valid org file:\n{lines}")
    hr = load(org_file.parent, only=[])
    hr_diagnostics = [d for d in check(hr, today or dt.date.today()) if d.path != "team.yaml"]
    return OrgConfig(org_file, org, src, hr.templates, hr.cycles, found + hr_diagnostics)


def _duplicate_names(org: Org, src: Source) -> list[Diagnostic]:
    seen: dict[str, int] = {}
    out = []
    for i, team in enumerate(org.teams):
        if team.key in seen:
            out.append(src.error(("teams", i), "DT400", f"two teams are called `{team.key}`",
                                 "give one of them its own `name:`; the HR site and the cache tell teams apart by it"))
        seen.setdefault(team.key, i)
    return out


def _repeated_repositories(org: Org, src: Source, folder: Path) -> list[Diagnostic]:
    """DT400 at every team whose repository is listed before (any branch, spelling or name): HR's k counts people."""
    seen: dict[str, int] = {}
    out = []
    for i, team in enumerate(org.teams):
        local = team.repo.removeprefix("file://") if team.repo.startswith("file:///") else None
        where = team.repo if team.is_url and not local else str((folder / (local or team.repo)).resolve())
        same = where.rstrip("/").removesuffix(".git").rstrip("/").casefold()
        if same in seen:
            out.append(src.error(("teams", i, "repo"), "DT400", f"repository `{team.repo}` is listed twice (first as "
                                 f"team {seen[same] + 1})", "list each team repository once: the same people twice "
                                 "would count twice towards the HR site's minimum group size"))
        seen.setdefault(same, i)
    return out


def load_org(org_file: Path, cache_dir: Path, jobs: int = 0, today: dt.date | None = None) -> list[TeamRepo]:
    """Clone or fetch every team repository of org.yaml into `cache_dir` and validate each on its own.

    Returns them in org.yaml's order; those with `ok` False carry the reason in `diagnostics`
    and have no workspace.
    """
    today = today or dt.date.today()
    _, repos = fetch_org(org_file, cache_dir, jobs, today)
    validate_org(repos, today, jobs)
    return repos


def fetch_org(org_file: Path, cache_dir: Path, jobs: int = 0, today: dt.date | None = None) -> tuple[OrgConfig, list[TeamRepo]]:
    """org.yaml, and every team repository cloned or fetched into `cache_dir`, not validated yet.

    `jobs` repositories are fetched at a time (0: one per core, at least 4, since fetching
    mostly waits on the network).
    """
    config = read_org(org_file, today)
    cache_dir = Path(cache_dir).resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=jobs or max(4, os.cpu_count() or 1)) as pool:
        repos = list(pool.map(lambda it: _fetched(config, it[0], it[1], cache_dir), enumerate(config.org.teams)))
    return config, repos


def org_stamp(config: OrgConfig, repos: list[TeamRepo], today: dt.date) -> str:
    """A digest that decides everything the HR site is made of: org.yaml, HR's templates and
    cycles, today, and the commit of each team (or why it could not be fetched)."""
    h = hashlib.blake2b(digest_size=20)
    for part in (__version__, config.source.raw, repr(config.templates), repr(config.cycles), today.isoformat(),
                 *(repr((r.name, r.version, r.diagnostics)) for r in repos)):
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()


def validate_org(repos: list[TeamRepo], today: dt.date, jobs: int = 0) -> list[TeamRepo]:
    """Give every fetched team its workspace and diagnostics, and return the teams validated anew.

    A team whose commit did not move since it was last validated gets what that validation
    found; the others are validated, spread over the cores.
    """
    fetched = [repo for repo in repos if not repo.diagnostics]
    with ThreadPoolExecutor(max_workers=max(4, os.cpu_count() or 1)) as pool:
        list(pool.map(lambda repo: clones.tidy(repo.path, repo.sha), fetched))
    todo = []
    gc.disable()  # kept teams are millions of objects without cycles: collecting would only scan them again and again
    try:
        for repo in fetched:
            found = kept(repo.entry, entry_key(repo.name, repo.version, today), repo.path)
            if found is None:
                todo.append(repo)
            else:
                repo.workspace, repo.diagnostics = found
    finally:
        gc.enable()
    for repo, found in zip(todo, _validate_all(todo, today, jobs or cores())):
        repo.workspace, repo.diagnostics = found
    return todo


def _fetched(config: OrgConfig, index: int, team: TeamSource, cache_dir: Path) -> TeamRepo:
    repo = TeamRepo(team.key, team.repo, team.branch, cache_dir / team.key)
    url = clones.resolve(team.repo, config.file.parent)
    try:
        repo.sha, repo.changed = clones.sync(url, team.branch, repo.path)
        team_yaml = _committed(repo.path, repo.sha, "team.yaml")  # from Git's objects: a work tree is read only to validate
        if b"talks_repo" in team_yaml:
            repo.people = person_commits(repo.path, team_yaml)
    except (git.GitCommandError, git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError, OSError) as e:
        repo.diagnostics.append(config.source.error(
            ("teams", index), "DT800", f"team repository `{team.key}` cannot be fetched: {clones.reason(e)}",
            "check `repo:` and `branch:` in org.yaml, and that this machine may read the repository"))
    return repo


def _committed(path: Path, sha: str, rel: str) -> bytes:
    """A file's bytes at a commit of the clone at `path`; nothing when it has no such file."""
    try:
        blob = git.Repo(path).commit(sha).tree / rel
    except KeyError:
        return b""
    return blob.data_stream.read() if blob.type == "blob" else b""


def _validate_all(repos: list[TeamRepo], today: dt.date, jobs: int) -> list[tuple[Workspace | None, list[Diagnostic]]]:
    """Each team validated on its own core: forked workers, each with whole teams, results in order.

    A single team is validated here, where its files are parsed on every core instead.
    """
    if len(repos) < 2 or jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_validated(r, today) for r in repos]
    with fork_pool(min(jobs, len(repos))) as pool:
        return list(pool.map(_validated, repos, [today] * len(repos)))


def _validated(repo: TeamRepo, today: dt.date) -> tuple[Workspace | None, list[Diagnostic]]:
    """The team's workspace and diagnostics (paths prefixed with its name), kept for the next run; no workspace when
    it has errors."""
    ws = load(repo.path, workers=1 if multiprocessing.parent_process() else None, keep_parsed=False)
    found = [replace(d, path=f"{repo.name}/{d.path}") for d in check(ws, today)]
    if any(d.is_error for d in found):
        ws = None
    else:
        ws.sources, ws.note_heads = {}, {}  # a hundred teams' parsed files would not fit in memory beside their models
    keep(repo.entry, entry_key(repo.name, repo.version, today), ws, found)
    return ws, found
