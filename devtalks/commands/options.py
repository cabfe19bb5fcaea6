"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-27") from None


def _today(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    return dt.date.today() if value is None else parse_date(ctx, param, value)


repo_option = click.option(
    "--repo", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
    help="The team repository (a folder with team.yaml), or a person repository (with devtalks.yaml).",
)
today_option = click.option(
    "--today", metavar="YYYY-MM-DD", callback=_today,
    help="Pretend today is this date (default: today), for reproducible runs.",
)


def require_repo(repo: Path) -> Path:
    if not repo.is_dir():
        raise click.BadParameter(f"{repo} is not a folder", param_hint="--repo")
    if not (repo / "team.yaml").is_file() and not (repo / "devtalks.yaml").is_file():
        if (repo / "team.yml").is_file():
            raise click.UsageError(f"{repo} has team.yml, but devtalks reads team.yaml: rename it to team.yaml.")
        raise click.UsageError(f"{repo} has no team.yaml (nor devtalks.yaml), so it is not a devtalks team repository "
                               "(nor a person repository). Point --repo at one, or create one with `devtalks init DIR`.")
    return repo
