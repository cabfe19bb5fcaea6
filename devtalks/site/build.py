"""Building many sites: which ones (--only, --shard), whether they changed, in parallel workers.

Each site records a fingerprint of its inputs (inputs.py: the data it shows, where its
dates stand against today, mkdocs.yml, site_overrides/, devtalks' own site code and the
versions of devtalks, mkdocs and Material). A site whose fingerprint did not change is not
generated or built at all. An organisation's HR site has a cheaper fingerprint: the stamp of
org.yaml, today and every team's commit, so a run where no team moved loads no team at all.
Many sites go to a pool of forked workers, each keeping its mkdocs engine (and its compiled
templates) for every site it builds. A few sites, a rebuild's usual lot, go to a Builder
(builder.py): a process the build command forks first thing, before it loads the models,
which loads mkdocs and the theme meanwhile and then builds the sites whose pages this
process generates, side by side. Where the system cannot fork, this process builds them one by one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..check.validate import check_lazily
from ..errors import DevtalksError
from ..parallel import can_fork, fork_pool
from ..read.load import Workspace
from ..state import read_entry, state_dir, write_entry
from . import publish, reuse
from .audiences import HR, MANAGERS, PEOPLE, Audience, sites, subjects, weight
from .builder import STATE, Builder, Order, Result, attempt, base_fingerprint, put
from .facts import Facts
from .inputs import TeamInputs, fingerprint

HR_KNOWN = "hr-people"  # TeamInputs.hr_known, in the output's state folder beside the fingerprints
DATES_KNOWN = "people-dates"  # TeamInputs.dates_known, likewise
# From this many sites to build, a pool of workers hands them out as workers free up (and the progress bar moves);
# fewer go to a Builder, which loaded mkdocs while this process read the repository.
WORKERS_AT = 6


@dataclass
class Job:
    """Everything a worker needs, inherited through fork: the teams and where to write."""

    repo: Path
    out: Path
    teams: list[Facts]
    notes: dict[str, dict[str, list]] = field(default_factory=dict)   # manager → person → notes
    history: Callable | None = None  # pages.History: a talk's commits
    force: bool = False
    base: str = ""
    language: str | None = None     # the HR site's: the organisation's, or else the one team's
    stamp: str = ""  # a digest deciding every input (an organisation's commits and today), in place of the teams' files
    inputs: list[TeamInputs] = field(default_factory=list)  # changed() works them out
    builder: Builder | None = None  # started before the repository was read, for a build of a few sites

    def spec(self, key: str, parts: reuse.Parts | None = None):
        from . import pages  # Jinja and the page code only when a site is made, not on a build with nothing to do

        audience = Audience.parse(key)
        if audience.kind == HR:
            return pages.hr_site(self.teams, self.site_language)
        team = self.teams[0]
        feed = None if self.force else reuse.Feed(self.out, key, self.base)
        if audience.kind == PEOPLE:
            return pages.person_site(team, audience.person, self.history, feed)
        return pages.manager_site(team, audience.person, self.notes.get(audience.person), self.history, parts, feed)

    @property
    def site_language(self) -> str:
        """The language of every site this job makes."""
        return self.language or self.teams[0].words.language

    def read_for(self, keys: list[str]) -> None:
        """Parse the files of the people these sites show, where loading left them unread: every one for HR's."""
        for f in self.teams:
            if HR in keys:
                f.ws.read_people(list(f.ws.unread))
            elif f.ws.unread:
                f.ws.read_people({p for key in keys for p in subjects(f.ws, Audience.parse(key))})

    def parts(self, key: str) -> reuse.Parts | None:
        """The kept pages of a manager's reports; none for a site with decrypted notes (it keeps no record)."""
        if not key.startswith(MANAGERS) or self.notes or self.force or not self.inputs:
            return None
        team = self.inputs[0]
        return reuse.Parts(self.out, key, lambda person: team.part(self.base, key, person))

    def order(self, key: str, parts: reuse.Parts | None) -> Order:
        spec = self.spec(key, parts)
        # A site with decrypted notes keeps no record: its search entries would put them in the cache folder.
        return Order(key, spec, reuse.page_digests(self.base, spec), recorded=not self.notes)

    def keep(self, key: str, fingerprint: str, parts: reuse.Parts | None) -> None:
        """Record that site `key`, as it is in place now, was made from inputs with this fingerprint."""
        if parts:
            parts.keep()
        _keep_fingerprint(self.out, key, fingerprint)


@dataclass
class Summary:
    results: list[Result]
    seconds: float
    removed: list[str]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


def team_facts(ws: Workspace, today: dt.date, key: str | None = None) -> Facts:
    """A validated team's derived state; a repository with errors builds no site (its pages would be wrong).

    People's files that load(lazy=True) left unread stay so when an earlier check of the same bytes
    found them valid: Job.read_for parses the ones the sites being made show.
    """
    errors = [d for d in check_lazily(ws, today) if d.is_error]
    if errors:
        first = "\n".join(f"  {d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in errors[:5])
        more = f"\n  … and {len(errors) - 5} more" if len(errors) > 5 else ""
        raise DevtalksError(f"{ws.root} has {len(errors)} error(s); fix them first "
                            f"(`devtalks validate --repo {ws.root}` shows all):\n{first}{more}")
    return Facts(ws, today, key)


def available(teams: list[Facts], *, org: bool) -> dict[str, int]:
    """Every site to build → a rough cost. An organisation's build (`org`) has the HR site only, however many teams
    it lists or could read: HR's output must never hold a person's or a manager's site. A team's build has all of its
    one team's sites."""
    if org:
        return {HR: sum(len(f.ws.people) for f in teams)}
    [f] = teams
    return {a.key: weight(f.ws, a) for a in sites(f.ws, f.today)}


def shard(weights: dict[str, int], k: int, n: int) -> list[str]:
    """The sites of shard k (1-based) of n: heaviest first onto the lightest shard, deterministic."""
    loads = [0] * n
    mine = []
    for key in sorted(weights, key=lambda s: (-weights[s], s)):
        i = min(range(n), key=lambda j: (loads[j], j))
        loads[i] += weights[key]
        if i == k - 1:
            mine.append(key)
    return mine


def _fingerprint_file(out: Path, key: str, folder: Path | None = None) -> Path:
    """Where site `key`'s fingerprint is kept; `folder` is state_dir(out, "fingerprints") when the caller has it."""
    return (folder or state_dir(out, "fingerprints")) / key.replace("/", "__")  # never under out: a commit could plant it


def _stamp_file(out: Path, key: str) -> Path:
    return state_dir(out, "stamps", key.replace("/", "__"))  # never under out: a commit could plant it


def _whole_stamp(repo: Path, stamp: str) -> str:
    return hashlib.blake2b(f"{base_fingerprint(repo)}\0{stamp}".encode(), digest_size=20).hexdigest()


def unchanged_by_stamp(repo: Path, out: Path, key: str, stamp: str) -> list[str] | None:
    """The warnings of the build that made site `key`, if a stamp of its inputs equal to `stamp` was kept; else None.

    A stamp is a digest that decides every input of a site (for an organisation: org.yaml,
    today and each team's commit), so an equal one lets a build skip loading the inputs at all.
    """
    kept = read_entry(_stamp_file(out, key), "stamp")
    if not (isinstance(kept, dict) and kept.get("stamp") == _whole_stamp(repo, stamp)
            and isinstance(kept.get("warnings"), list) and (out / key / "index.html").is_file()):
        return None
    return [str(w) for w in kept["warnings"]]


def keep_stamp(repo: Path, out: Path, key: str, stamp: str, warnings: list[str]) -> None:
    """Remember that site `key` as it is now was made from inputs with this stamp."""
    write_entry(_stamp_file(out, key), "stamp", {"stamp": _whole_stamp(repo, stamp), "warnings": warnings})


_JOB: Job | None = None


def make(key: str, fingerprint: str) -> Result:
    """Generate one site's pages, build those that changed and put the site in place of the old one."""
    job = _JOB

    def work() -> str:
        parts = job.parts(key)
        status = put(job.order(key, parts), job)
        job.keep(key, fingerprint, parts)
        return status
    return attempt(key, work)


def _keep_fingerprint(out: Path, key: str, fingerprint: str) -> None:
    record = _fingerprint_file(out, key)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(fingerprint)


def changed(job: Job, keys: list[str]) -> dict[str, str]:
    """The sites whose inputs changed since they were last built (all with --force), with their new fingerprints."""
    folder = state_dir(job.out, "fingerprints")
    known = _known(job.out, HR_KNOWN, job.base, str) if HR in keys and not job.stamp else {}
    dates = _known(job.out, DATES_KNOWN, job.base, list) if not job.stamp else {}
    teams = job.inputs = [] if job.stamp else [TeamInputs(f, job.history, known, dates) for f in job.teams]
    out = {}
    for key in keys:
        if job.stamp:
            fp = hashlib.blake2b(f"{job.base}\0{key}\0{job.stamp}".encode(), digest_size=20).hexdigest()
        else:
            fp = fingerprint(job.base, key, teams, job.notes.get(key.partition("/")[2]) if key.startswith(MANAGERS) else None)
        record = _fingerprint_file(job.out, key, folder)
        if job.force or not (job.out / key / "index.html").is_file() or not record.is_file() \
                or record.read_text() != fp:
            out[key] = fp
    for name, was, used in ((HR_KNOWN, known, [t.hr_used for t in teams]),
                            (DATES_KNOWN, dates, [t.dates_used for t in teams])):
        now = {k: v for t in used for k, v in t.items()}
        if now and now != was:
            write_entry(state_dir(job.out, name), name, {"base": job.base, "people": now})
    return out


def _known(out: Path, name: str, base: str, kind: type) -> dict:
    """What the last build with the same site code worked out per person (TeamInputs.hr_known or .dates_known)."""
    kept = read_entry(state_dir(out, name), name)
    if not (isinstance(kept, dict) and kept.get("base") == base and isinstance(kept.get("people"), dict)):
        return {}
    return {k: v for k, v in kept["people"].items()
            if isinstance(v, kind) and (kind is str or all(isinstance(d, str) for d in v))}


def run(job: Job, keys: list[str], weights: dict[str, int], jobs: int, prune: bool,
        progress: Callable[[Result, int, int], None] | None = None) -> Summary:
    """Build `keys` into job.out with `jobs` workers; with `prune`, delete sites that no longer exist."""
    global _JOB
    start = time.perf_counter()
    state = job.out / STATE
    publish.refuse_symlinks(job.out, (STATE, f"{STATE}/tmp", f"{STATE}/assets", PEOPLE, MANAGERS, HR))
    (state / "tmp").mkdir(parents=True, exist_ok=True)
    with open(state / "lock", "w") as lock:
        if not _locked(lock):
            raise DevtalksError(f"another `devtalks build` is writing to {job.out}; wait for it to finish")
        for stale in (state / "tmp").iterdir():
            shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
        job.base = (job.builder and job.builder.base()) or base_fingerprint(job.repo)
        if job.builder:
            job.builder.expect(job.site_language)  # now that the output folder is checked and locked
        _JOB = job
        todo = changed(job, keys)
        results = [Result(key, "unchanged", 0.0) for key in keys if key not in todo]
        order = sorted(todo, key=lambda k: (-weights.get(k, 1), k))
        job.read_for(order)
        if job.builder and not order:
            job.builder.close()  # nothing for it to do
        if order:
            from . import pages  # noqa: F401  (once, before the fork, not in every worker; a no-op run never pays it)
        if jobs <= 1 or not can_fork():
            for key in order:
                results.append(make(key, todo[key]))
                if progress:
                    progress(results[-1], len(results), len(keys))
        elif 0 < len(order) < WORKERS_AT:
            with job.builder or Builder(job.repo, job.out, job.force, job.base) as builder:
                for result in _built_by(builder, job, order, todo):
                    results.append(result)
                    if progress:
                        progress(result, len(results), len(keys))
        elif order:
            if job.builder:
                job.builder.close()  # the pool's workers will need every core
            from concurrent.futures import as_completed  # the pool only when it pays: a small rebuild never starts one

            with fork_pool(min(jobs, len(order))) as pool:
                futures = [pool.submit(make, key, todo[key]) for key in order]
                try:
                    for future in as_completed(futures):
                        results.append(future.result())
                        if progress:
                            progress(results[-1], len(results), len(keys))
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
        removed = _prune(job.out, set(weights)) if prune else []
        if prune:
            publish.AssetStore(state / "assets").prune()
    return Summary(sorted(results, key=lambda r: r.key), time.perf_counter() - start, removed)


def _locked(lock) -> bool:
    """Hold this open file's lock until it is closed; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(lock.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _built_by(builder: Builder, job: Job, order: list[str], todo: dict[str, str]) -> list[Result]:
    """Generate each site's pages here and send them to the builder as they come; record the sites it put in place."""
    results, parts = [], {}
    builder.expect(job.site_language)
    for key in order:
        start = time.perf_counter()
        try:
            parts[key] = job.parts(key)
            builder.send(job.order(key, parts[key]))
        except DevtalksError as e:
            results.append(Result(key, "failed", time.perf_counter() - start, str(e)))
    for result in builder.results():
        if result.status != "failed":
            job.keep(result.key, todo[result.key], parts[result.key])
        results.append(result)
    return results


def _prune(out: Path, keep: set[str]) -> list[str]:
    """Delete the sites of people who left or stopped managing: their pages must not linger."""
    removed = []
    for kind in (PEOPLE, MANAGERS):
        folder = out / kind
        for site in sorted(folder.iterdir()) if folder.is_dir() else []:
            key = f"{kind}/{site.name}"
            if site.is_dir() and not site.name.startswith(".") and key not in keep:
                publish.remove(site)
                _fingerprint_file(out, key).unlink(missing_ok=True)
                reuse.forget(out, key)
                removed.append(key)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # an organisation's output, or a team nobody is left in, has no such folder
    return removed


class Bar:
    """A one-line progress bar on a terminal; silent in CI and when output is not a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr  # looked up now: the stderr of import time may be closed (pytest's capture)
        self.enabled = self.stream.isatty() and os.environ.get("CI") != "true"

    def __call__(self, result: Result, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // max(total, 1)
        line = f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {result.key[:40]:<40}"
        self.stream.write(line if done < total else "\r" + " " * len(line) + "\r")
        self.stream.flush()
