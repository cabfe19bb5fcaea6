"""devtalks build."""

from __future__ import annotations

import os
import re
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
    from ..site.request import BuildRequest, build_sites

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
    outcome = build_sites(BuildRequest(root.resolve(), out, today, tuple(only), jobs, shard, identity, org, force))
    for line in outcome.warnings:
        click.echo(line, err=True)
    click.echo(outcome.summary)
    if outcome.exit_code:
        click.get_current_context().exit(outcome.exit_code)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _private_out(out: Path, allow: bool) -> None:
    """Decrypted notes must never be one `git add -A` away from a repository's history."""
    from ..gitflow.repo import work_tree_holding

    tree, ignored = work_tree_holding(out)
    if tree is None or (allow and ignored):
        return
    fix = ("choose an --out outside every Git work tree (e.g. a folder under /tmp)"
           + (", or git-ignore it and add --allow-out-in-repo" if not ignored else ", or add --allow-out-in-repo"))
    raise click.UsageError(f"--out {out} is inside the Git work tree {tree}"
                           + ("" if ignored else " and Git does not ignore it")
                           + f"; a site with decrypted private notes must never be one `git add -A` from its history: {fix}")
