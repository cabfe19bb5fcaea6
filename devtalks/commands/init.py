"""devtalks init."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import LANGUAGES
from .options import today_option


@click.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--team-id", metavar="ID", help="The team's id (default: from DIR's name).")
@click.option("--team-name", metavar="NAME", help="The team's name as people say it (default: from the id).")
@click.option("--department", metavar="NAME", help="The department the HR site groups the team under "
                                                   "(default: the team's name).")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of the questions in talk files, of the README and of the sites.")
@click.option("--layout", type=click.Choice(["team", "person"]), default="team", show_default=True,
              help="team: every talk lives in this repository. person: each person's talks live in a private "
                   "repository of their own, added with `devtalks person add --talks-repo`.")
@today_option
def init(directory, team_id, team_name, department, language, layout, today) -> None:
    """Start a team repository in DIR that works on the first try, and make its first commit.

    Writes team.yaml (you as the manager, from Git's user.name and user.email, and a
    commented example person), the default question templates, a first cycle that opens
    today, the site configuration, a pre-commit hook, every CI workflow devtalks ships
    (pull-request validation with annotations, reminders, opening a cycle as pull
    requests, building the sites), CODEOWNERS, .gitignore, JSON Schemas for editors and a
    README that walks a manager through a talk. The hook and CI install this very release,
    pinned as devtalks==VERSION. Never overwrites a file: it refuses when any exists.

    With --layout person, team.yaml says `layout: person`: this repository then holds what
    the whole team may read (people, cycles, questions, site settings) and no talk; each
    person's talks go in a private repository of their own (`devtalks person add
    --talks-repo URL [--create]`).

    Example:

    \b
        devtalks init team-platform --language nl --today 2026-11-27
        devtalks init team-platform --layout person
    """
    from ..errors import DevtalksError
    from ..gitflow.init import Options, first_cycle, slug
    from ..gitflow.init import init as scaffold
    from ..model.base import SLUG_RE

    team_id = team_id or slug(directory.resolve().name, "team")
    if not SLUG_RE.fullmatch(team_id):
        raise click.BadParameter(f"`{team_id}` is not an id: use lower-case letters, digits, - and _",
                                 param_hint="--team-id")
    name = team_name or team_id.replace("-", " ").replace("_", " ").capitalize()
    options = Options(team_id, name, department or name, language, today, layout=layout)
    try:
        written, sha = scaffold(directory, options)
    except OSError as e:
        raise DevtalksError(f"cannot write to {directory}: {e.strerror}") from None
    cycle_id, _ = first_cycle(today, language)
    people = (f"add each person with `devtalks person add --repo {directory} … --talks-repo URL --create`"
              if layout == "person" else f"add your team to {directory}/team.yaml, then run `devtalks codeowners`")
    click.echo(f"created {len(written)} files in {directory} and committed them ({sha[:7]})\n\n"
               f"Next:\n"
               f"  1. {people}\n"
               f"  2. devtalks validate --repo {directory}\n"
               f"  3. devtalks cycle open {cycle_id} --repo {directory}"
               + (" --branch 'cycle/{cycle}/{person}' --push (a branch in each person's repository)\n"
                  if layout == "person" else "\n") +
               f"  4. push it to a private repository; see README.md for how a talk goes")
