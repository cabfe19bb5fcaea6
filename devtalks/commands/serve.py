"""devtalks serve."""

from __future__ import annotations

import click

from .options import repo_option, require_repo, today_option

WATCHED = ("team.yaml", "question_templates", "cycles", "talks", "mkdocs.yml", "site_overrides")


@click.command()
@repo_option
@click.option("--only", required=True, metavar="SITE", help="The site to preview: people/ID, managers/ID or hr.")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Where to serve the preview.")
@today_option
def serve(repo, only, dev_addr, today) -> None:
    """Preview one site while you edit: it rebuilds and the browser reloads on every save.

    Watches team.yaml, question_templates/, cycles/, talks/, mkdocs.yml and site_overrides/.
    A file with an error keeps the last good preview and prints the error.

    Example:

    \b
        devtalks serve --only people/daan --today 2026-11-27
    """
    import gc

    from ..errors import DevtalksError
    from ..read.load import load
    from ..site.build import Job, available, team_facts
    from ..site.engine import Engine
    from ..state import state_dir

    gc.enable()  # every rebuild while it serves makes garbage
    root = require_repo(repo).resolve()
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter(f"`{dev_addr}` is not HOST:PORT, e.g. 127.0.0.1:8000", param_hint="--dev-addr")
    key = only.strip("/")
    teams = [team_facts(load(root), today)]
    if key not in available(teams, org=False):
        raise DevtalksError(f"no site `{only}` here; sites are people/<id>, managers/<id> (for someone with reports) and hr")

    def make_spec():
        return Job(root, root, [team_facts(load(root), today)]).spec(key)

    def ready(url: str) -> None:
        click.echo(f"Serving {key} on {url} — it rebuilds when you save; Ctrl-C stops.", err=True)

    engine = Engine(root, state_dir(root, "serve"), share_assets=False, reuse_templates=False)
    engine.serve(make_spec, [root / name for name in WATCHED], host, int(port), ready)
