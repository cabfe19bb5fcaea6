"""devtalks build."""

from __future__ import annotations

import gc
import os
import re
import time
from pathlib import Path

import click

from .options import repo_option, require_repo, today_option


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    match = re.fullmatch(r"(\d+)/(\d+)", value)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise click.BadParameter(f"`{value}` is not a shard; write K/N with 1 ≤ K ≤ N, e.g. 2/4")
    return int(match.group(1)), int(match.group(2))


@click.command()
@repo_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="site", show_default=True,
              help="Folder to write the sites to: OUT/people/<id>, OUT/managers/<id>, OUT/hr.")
@click.option("--only", "only", multiple=True, metavar="SITE",
              help="Build only this site: people/ID, managers/ID or hr. Repeat for several.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--shard", callback=_shard, metavar="K/N",
              help="Build the K-th of N equal shares of the sites, for a CI matrix of N runners.")
@click.option("--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="KEYFILE",
              help="Your age secret key: adds your private notes to your manager site (needs --only managers/ID).")
@click.option("--org", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="ORG.yaml",
              help="Build the HR site over every team repository listed in this organisation file.")
@click.option("--allow-out-in-repo", is_flag=True,
              help="With --identity: allow an --out inside a Git work tree, if Git ignores it.")
@click.option("--force", is_flag=True, help="Rebuild every selected site, changed or not.")
@today_option
def build(repo, out, only, jobs, shard, identity, org, allow_out_in_repo, force, today) -> None:
    """Build the progress sites: one per person, one per manager, one for HR.

    Each site is a complete static site (pages and search, no sitemap) in its own folder,
    to deploy behind its own access rule. Sites inherit the repository's mkdocs.yml and
    site_overrides/. Only sites whose inputs changed are rebuilt; a site is replaced in one
    step, so an interrupted build leaves the previous one intact. A full build (no --only,
    no --shard) also deletes the sites of people who are no longer in team.yaml.

    Example:

    \b
        devtalks build --repo . --out site --today 2026-11-27
        devtalks build --only people/daan --only managers/sanne
        devtalks build --shard 2/4 --out site
        devtalks build --only managers/sanne --identity ~/.age/sanne.txt --out /tmp/sanne
    """
    from ..parallel import can_fork
    from ..site.builder import STATE, Builder

    start = time.perf_counter()
    root = require_repo(repo) if org is None else repo
    if _inside(Path(os.path.abspath(out)), Path(os.path.abspath(root))) and not _inside(out.resolve(), root.resolve()):
        raise click.UsageError(f"--out {out} is a symbolic link out of the repository (a commit could have placed "
                               "it); remove the link, or give the real folder as --out")
    out = out.resolve()
    if out == root.resolve() or out in root.resolve().parents:
        raise click.UsageError(f"--out {out} would write the sites over the repository; choose a folder of its own")
    if identity and not (len(only) == 1 and only[0].startswith("managers/")):
        raise click.UsageError("--identity needs exactly one --only managers/ID: private notes go into that "
                               "manager's own site and nowhere else")
    if identity:
        _private_out(out, allow_out_in_repo)
    workers = jobs or os.cpu_count() or 1
    builder = None
    if org is None and workers > 1 and not force and (out / STATE).is_dir() and can_fork():  # a rebuild: few sites
        builder = Builder(root.resolve(), out, force=False)  # loads mkdocs while this process loads the team
        click.get_current_context().call_on_close(builder.close)
    # Only now, with the builder forked, the models and the rest: the builder never loads them.
    from ..errors import DevtalksError
    from ..git import pinned_history
    from ..load import load
    from ..site.audiences import HR
    from ..site.build import Bar, Job, available, keep_stamp, run, shard as pick_shard, team_facts, unchanged_by_stamp
    from ..site.facts import Facts

    left_out, warnings, stamp, language = 0, [], "", None
    if org:
        from ..cache import state_dir
        from ..org import fetch_org, org_stamp, validate_org

        config, repos = fetch_org(org, state_dir(root, "org"), jobs or 0, today)
        language = config.org.language
        stamp = org_stamp(config, repos, today)
        kept = None if force or shard or set(only) - {"hr"} else unchanged_by_stamp(root.resolve(), out, HR, stamp)
        if kept is not None:
            for line in kept:
                click.echo(line, err=True)
            click.echo(f"built 0, 1 unchanged in {time.perf_counter() - start:.1f}s → {out}")
            click.get_current_context().exit(1 if kept else 0)
        validate_org(repos, today, jobs or 0)
        repos, warnings = _org_repos(org, repos)
        left_out = len(warnings)
        teams = [Facts(r.workspace, today, r.name) for r in repos]  # validate_org checked each team already
    else:
        gc.disable()  # loading makes a team's many long-lived objects and hardly any garbage: nothing to collect
        try:
            teams = [team_facts(load(root, lazy=True), today)]
        finally:
            gc.enable()
    # The teams live as long as the build: no collection scans them again (a full one cost a tenth of a small
    # rebuild), and forked workers share their memory pages instead of copying them when a collection touches them.
    gc.freeze()
    click.get_current_context().call_on_close(gc.unfreeze)
    weights = available(teams, org=org is not None)
    keys = list(weights)
    if only:
        unknown = [k for k in only if k.strip("/") not in weights]
        if unknown:
            raise DevtalksError(f"no site `{unknown[0]}` here; sites are people/<id>, managers/<id> (for someone with "
                                f"reports) and hr" + ("; an --org build has only hr" if org else ""))
        keys = [k.strip("/") for k in only]
    if shard:
        keys = [k for k in pick_shard(weights, *shard) if k in keys]
    job = Job(root.resolve(), out, teams, force=force, history=pinned_history(), stamp=stamp, language=language,
              builder=builder)
    if identity:
        job.notes = {keys[0].split("/", 1)[1]: _notes(teams[0], keys[0].split("/", 1)[1], identity)}
    summary = run(job, keys, weights, workers, prune=not only and not shard, progress=Bar())
    for r in summary.results:
        if r.status == "failed":
            click.echo(f"error: {r.error}", err=True)
    parts = [f"built {summary.count('built')}", f"{summary.count('unchanged')} unchanged"]
    if summary.removed:
        parts.append(f"{len(summary.removed)} removed")
    if summary.count("failed"):
        parts.append(f"{summary.count('failed')} failed")
    click.echo(f"{', '.join(parts)} in {summary.seconds:.1f}s → {out}")
    if stamp and HR in keys and not summary.count("failed"):
        keep_stamp(root.resolve(), out, HR, stamp, warnings)
    if summary.count("failed") or left_out:
        click.get_current_context().exit(1)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _private_out(out: Path, allow: bool) -> None:
    """Decrypted notes must never be one `git add -A` away from a repository's history."""
    from ..git import work_tree_holding

    tree, ignored = work_tree_holding(out)
    if tree is None or (allow and ignored):
        return
    fix = ("choose an --out outside every Git work tree (e.g. a folder under /tmp)"
           + (", or git-ignore it and add --allow-out-in-repo" if not ignored else ", or add --allow-out-in-repo"))
    raise click.UsageError(f"--out {out} is inside the Git work tree {tree}"
                           + ("" if ignored else " and Git does not ignore it")
                           + f"; a site with decrypted private notes must never be one `git add -A` from its history: {fix}")


def _org_repos(org: Path, repos: list) -> tuple[list, list[str]]:
    """An organisation's team repositories that could be read; one that fails is left out, loudly."""
    from ..errors import DevtalksError

    warnings = []
    for r in repos:
        if not r.ok:
            reasons = "; ".join(d.message for d in r.diagnostics[:3])
            warnings.append(f"warning: team `{r.name}` is left out of the HR site: {reasons}")
            click.echo(warnings[-1], err=True)
    good = [r for r in repos if r.ok]
    if not good:
        raise DevtalksError(f"no team repository in {org} could be read, so there is no HR site to build")
    return good, warnings


def _notes(facts, manager: str, identity: Path) -> dict:
    from ..notes import notes_for_manager

    return notes_for_manager(facts.ws, manager, identity)
