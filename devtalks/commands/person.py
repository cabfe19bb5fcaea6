"""devtalks person: people join, move and leave, and take their data with them."""

from __future__ import annotations

from pathlib import Path

import click

from .options import parse_date, repo_option, require_repo, today_option

dry_run_option = click.option("--dry-run", is_flag=True, help="Write nothing; print the diff of every file it would change.")


@click.group()
def person() -> None:
    """Someone joins, moves or leaves: team.yaml and CODEOWNERS follow, comments and layout kept.

    Each command prints what it changed, changes nothing when run twice, and with --dry-run
    prints the diff instead of writing. `devtalks validate` stays clean on the result.

    Example:

    \b
        devtalks person add --id mila --name 'Mila de Boer' --email mila@example.com --manager sanne
        devtalks person move mila --manager daan --identity ~/.config/devtalks/key.txt
        devtalks person leave mila --on 2027-06-30
        devtalks person export mila --out ~/mila-devtalks.zip
    """


def _show(edit, dry_run: bool, root: Path) -> None:
    if dry_run:
        click.echo(edit.diff() or "nothing would change", nl=False)
        if edit.files:
            click.echo("(dry run: nothing was written)")
        return
    edit.write(root)
    for line in edit.done:
        click.echo(line)


@person.command()
@repo_option
@click.option("--id", "pid", required=True, help="Their id: lower case, the name of their talk folder.")
@click.option("--name", required=True, help="Their full name.")
@click.option("--email", required=True, help="Their e-mail address, for reminder digests.")
@click.option("--github", metavar="HANDLE", help="Their GitHub handle, for reviews and reminder issues.")
@click.option("--manager", metavar="ID", help="The id of the person they report to.")
@click.option("--role", help="Their role, e.g. 'Platform engineer'.")
@click.option("--on", "on", metavar="YYYY-MM-DD", callback=parse_date,
              help="Their first day (default: today, or --today): cycles whose talks were due before it skip them.")
@click.option("--reuse-id", is_flag=True,
              help="The id was someone else's, who was taken out of team.yaml: give it to this new person anyway "
                   "(writes reused_id_since, their first day; nothing from before is theirs).")
@dry_run_option
@today_option
def add(repo, pid, name, email, github, manager, role, on, reuse_id, dry_run, today) -> None:
    """Add a person to team.yaml, and update .github/CODEOWNERS.

    With a manager, they take part in every cycle with `participants: all` whose talks
    are due on or after their first day (`joined_on`), not in earlier ones. The same person twice changes nothing; an id,
    e-mail address or GitHub handle that belongs to someone else is refused.

    Example:

    \b
        devtalks person add --id mila --name 'Mila de Boer' --email mila@example.com \\
            --github milade --manager sanne --role 'Platform engineer'
        devtalks person add --id mila --name 'Mila de Boer' --email mila@example.com --dry-run
    """
    from ..people.roster import add as add_person

    root = require_repo(repo)
    fields = {"id": pid, "name": name, "email": email, "github": github, "manager": manager, "role": role,
              "joined_on": on or today, "reused_id_since": (on or today) if reuse_id else None}
    _show(add_person(root, fields), dry_run, root)


@person.command()
@repo_option
@click.argument("pid", metavar="ID")
@click.option("--manager", required=True, metavar="ID", help="The id of their new manager.")
@click.option("--role", help="Their new role, if it changes too.")
@click.option("--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="KEYFILE",
              help="The old manager's age key: re-encrypts the private notes about them to the new manager now.")
@dry_run_option
def move(repo, pid, manager, role, identity, dry_run) -> None:
    """Give ID a new manager in team.yaml, update CODEOWNERS, and hand over the private notes.

    What happens to the old manager's private notes follows team.yaml's
    `notes.on_manager_change`: with `rekey` (the default) they are re-encrypted to the new
    manager, right away with the old manager's --identity, or later by the old manager
    with `devtalks notes rekey` (validate reports DT501 until then); with `keep` they stay
    readable by the old manager only. Notes written after the move are the new manager's
    alone.

    Example:

    \b
        devtalks person move daan --manager fleur --identity ~/.config/devtalks/key.txt
        devtalks person move daan --manager fleur --role 'Staff engineer' --dry-run
    """
    from ..errors import DevtalksError
    from ..notes.age import read_identities
    from ..notes.store import rekey, standing
    from ..people.roster import move as move_person
    from ..read.load import load

    root = require_repo(repo)
    edit = move_person(root, pid, manager, role)
    ws = load(root)
    policy = ws.team.notes.on_manager_change if ws.team else "rekey"
    notes = ws.notes.get(pid, [])
    if identity and notes and policy == "rekey":
        read_identities(identity)  # a wrong key file is refused before anything is written
        if ws.people[manager].age_recipient is None:
            raise DevtalksError(f"{manager} has no age key yet, so the notes about {pid} cannot be re-encrypted to "
                                f"them: {manager} runs `devtalks notes keygen --manager {manager}` first")
    _show(edit, dry_run, root)
    if not notes or not edit.files:
        return
    if policy == "keep":
        click.echo(f"{len(notes)} private note(s) about {pid} stay readable by the manager who wrote them "
                   "(notes.on_manager_change: keep)")
        return
    if dry_run:
        click.echo(f"would re-encrypt {len(notes)} private note(s) about {pid} to {manager}" if identity else
                   f"{len(notes)} private note(s) about {pid} would need `devtalks notes rekey {pid}`")
        return
    if not identity:
        ws = load(root)
        waiting = sum(standing(ws, pid, rel).needs_rekey for rel in notes)
        if waiting:
            click.echo(f"{waiting} private note(s) about {pid} are still encrypted to the old manager: they run "
                       f"`devtalks notes rekey {pid} --identity KEYFILE` (validate reports DT501 until then)")
        return
    done, closed = rekey(load(root), identity, pid)
    click.echo(f"re-encrypted {len(done)} private note(s) about {pid} to {manager}")
    if closed:
        raise DevtalksError(f"the key in {identity} does not open {len(closed)} note(s) about {pid}: "
                            f"{', '.join(closed)}. Whoever holds a key they are encrypted to runs "
                            f"`devtalks notes rekey {pid} --identity KEYFILE`.")


@person.command()
@repo_option
@click.argument("pid", metavar="ID")
@click.option("--on", "on", metavar="YYYY-MM-DD", callback=parse_date,
              help="The day they are gone from (default: today, or --today); a day ahead is fine, they take part until "
                   "then.")
@dry_run_option
@today_option
def leave(repo, pid, on, dry_run, today) -> None:
    """Mark ID as gone from a date: their history stays, nothing new is asked of them.

    Sets `left_on` in team.yaml and updates CODEOWNERS (their talk folder goes to their
    last manager). Their talks, check-ins and notes stay in the repository and on their
    manager's and HR's sites. A date ahead is known notice: until that day they take part as
    before. From that day on they get no reminders (the next `devtalks remind` closes their
    issues), no talk in a cycle that opens later, and a full `devtalks build` removes their
    own site. Someone who still manages people is refused until they are moved.

    Example:

    \b
        devtalks person leave thijs --on 2027-01-31
        devtalks person leave thijs --dry-run
    """
    from ..people.roster import leave as leave_team

    root = require_repo(repo)
    day = on or today
    edit = leave_team(root, pid, day, today)
    _show(edit, dry_run, root)
    if edit.files and not dry_run:
        when = "on the next `devtalks remind`" if day <= today else f"on the first `devtalks remind` from {day}"
        click.echo(f"{pid}'s reminder issues close {when}; a full `devtalks build` from then removes "
                   f"their site. `devtalks person export {pid} --out FILE.zip` gives them their data.")


@person.command()
@repo_option
@click.argument("pid", metavar="ID")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.zip",
              help="Where to write the zip (outside the repository).")
@click.option("--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="KEYFILE",
              help="A key that opens the manager's private notes about ID: adds them, decrypted.")
@today_option
def export(repo, pid, out, identity, today) -> None:
    """Everything devtalks holds about ID in one zip, for a data-access or portability request.

    The zip holds their talk folder (talks, check-ins, agreements), their team.yaml entry,
    their progress site and the Git history of their folder only: nobody else's answers.
    The manager's private notes are added, decrypted, only with --identity.

    Example:

    \b
        devtalks person export daan --out ~/daan-devtalks.zip --today 2026-11-27
        devtalks person export daan --out daan.zip --identity ~/.config/devtalks/key.txt
    """
    from ..people.export import export as export_person
    from ..read.load import load

    root = require_repo(repo)
    done = export_person(load(root), pid, out, today, identity)
    notes = f", {done.notes} private note(s)" if identity else ", without the manager's private notes"
    click.echo(f"wrote {done.path}: {len(done.entries)} files{notes}")
