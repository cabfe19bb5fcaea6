"""A `devtalks build` request carried out: which teams, which sites, and the build of them.

Takes a BuildRequest (the command line's options, already checked) and gives an Outcome (the
lines to print and the exit code); the command parses and prints, nothing else. A team's
build loads one repository; an organisation's (`org`) fetches and validates every team
repository org.yaml lists and builds the HR site alone. A rebuild starts the Builder
(builder.py) first thing, before the models load, where the platform can fork.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DevtalksError


@dataclass(frozen=True)
class BuildRequest:
    root: Path
    out: Path
    today: dt.date
    only: tuple[str, ...] = ()
    jobs: int | None = None
    shard: tuple[int, int] | None = None
    identity: Path | None = None
    org: Path | None = None
    force: bool = False


@dataclass
class Outcome:
    warnings: list[str] = field(default_factory=list)  # for stderr, in order
    summary: str = ""
    exit_code: int = 0


def build_sites(request: BuildRequest) -> Outcome:
    """Build the sites the request selects into request.out, and say how it went."""
    from ..parallel import can_fork
    from .builder import STATE, Builder

    start = time.perf_counter()
    workers = request.jobs or os.cpu_count() or 1
    builder = None
    if request.org is None and workers > 1 and not request.force and (request.out / STATE).is_dir() and can_fork():
        builder = Builder(request.root, request.out, force=False)  # loads mkdocs while this process loads the team
    try:
        return _build(request, builder, workers, start)
    finally:
        if builder is not None:
            builder.close()
        gc.unfreeze()


def _build(request: BuildRequest, builder, workers: int, start: float) -> Outcome:
    # Only now, with the builder forked, the models and the rest: the builder never loads them.
    from ..gitflow.history import pinned_history
    from ..read.load import load
    from .audiences import HR
    from .build import Bar, Job, available, keep_stamp, run, team_facts, unchanged_by_stamp
    from .build import shard as pick_shard
    from .facts import Facts

    outcome, stamp, language = Outcome(), "", None
    if request.org:
        from ..read.org import fetch_org, org_stamp, validate_org
        from ..state import state_dir

        config, repos = fetch_org(request.org, state_dir(request.root, "org"), request.jobs or 0, request.today)
        language = config.org.language
        stamp = org_stamp(config, repos, request.today)
        kept = None if request.force or request.shard or set(request.only) - {HR} else unchanged_by_stamp(
            request.root, request.out, HR, stamp)
        if kept is not None:
            return Outcome(kept, f"built 0, 1 unchanged in {time.perf_counter() - start:.1f}s → {request.out}",
                           1 if kept else 0)
        validate_org(repos, request.today, request.jobs or 0)
        repos, outcome.warnings = _readable(request.org, repos)
        teams = [Facts(r.workspace, request.today, r.name) for r in repos]  # validate_org checked each team already
    else:
        gc.disable()  # loading makes a team's many long-lived objects and hardly any garbage: nothing to collect
        try:
            teams = [team_facts(load(request.root, lazy=True), request.today)]
        finally:
            gc.enable()
    # The teams live as long as the build: no collection scans them again (a full one cost a tenth of a small
    # rebuild), and forked workers share their memory pages instead of copying them when a collection touches them.
    gc.freeze()
    weights = available(teams, org=request.org is not None)
    keys = _selected(request, weights, pick_shard)
    job = Job(request.root, request.out, teams, force=request.force, history=pinned_history(), stamp=stamp,
              language=language, builder=builder)
    if request.identity:
        manager = keys[0].split("/", 1)[1]
        job.notes = {manager: _notes(teams[0], manager, request.identity)}
    summary = run(job, keys, weights, workers, prune=not request.only and not request.shard, progress=Bar())
    failed = summary.count("failed")
    outcome.warnings += [f"error: {r.error}" for r in summary.results if r.status == "failed"]
    parts = [f"built {summary.count('built')}", f"{summary.count('unchanged')} unchanged"]
    if summary.removed:
        parts.append(f"{len(summary.removed)} removed")
    if failed:
        parts.append(f"{failed} failed")
    outcome.summary = f"{', '.join(parts)} in {summary.seconds:.1f}s → {request.out}"
    if stamp and HR in keys and not failed:
        keep_stamp(request.root, request.out, HR, stamp, outcome.warnings)
    outcome.exit_code = 1 if failed or outcome.warnings else 0
    return outcome


def _selected(request: BuildRequest, weights: dict[str, int], pick_shard) -> list[str]:
    """The sites to build: all, the ones --only names (each must exist), then the request's shard of them."""
    keys = list(weights)
    if request.only:
        unknown = [k for k in request.only if k.strip("/") not in weights]
        if unknown:
            raise DevtalksError(f"no site `{unknown[0]}` here; sites are people/<id>, managers/<id> (for someone with "
                                f"reports) and hr" + ("; an --org build has only hr" if request.org else ""))
        keys = [k.strip("/") for k in request.only]
    if request.shard:
        keys = [k for k in pick_shard(weights, *request.shard) if k in keys]
    return keys


def _readable(org: Path, repos: list) -> tuple[list, list[str]]:
    """An organisation's team repositories that could be read; one that fails is left out, loudly."""
    warnings = [f"warning: team `{r.name}` is left out of the HR site: " + "; ".join(d.message for d in r.diagnostics[:3])
                for r in repos if not r.ok]
    good = [r for r in repos if r.ok]
    if not good:
        raise DevtalksError(f"no team repository in {org} could be read, so there is no HR site to build")
    return good, warnings


def _notes(facts, manager: str, identity: Path) -> dict:
    from ..notes.store import notes_for_manager

    return notes_for_manager(facts.ws, manager, identity)
