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
        devtalks person split mila --talks-repo https://github.com/acme/talks-mila
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
@click.option("--talks-repo", metavar="URL", help="Their own private repository for their talks (required with "
                                                  "`layout: person`): an empty one; devtalks pushes its first commit.")
@click.option("--create", is_flag=True, help="First make that repository, private, through the forge's API "
                                             "(GITHUB_TOKEN), and let them and their manager push to it.")
@dry_run_option
@today_option
def add(repo, pid, name, email, github, manager, role, on, reuse_id, talks_repo, create, dry_run, today) -> None:
    """Add a person to team.yaml, and update .github/CODEOWNERS.

    With a manager, they take part in every cycle with `participants: all` whose talks
    are due on or after their first day (`joined_on`), not in earlier ones. The same person twice changes nothing; an id,
    e-mail address or GitHub handle that belongs to someone else is refused.

    With --talks-repo (the person layout, or a team moving person by person), their talks
    live in a private repository of their own: devtalks pushes its first commit there
    (devtalks.yaml naming this team, a pre-commit hook, a validate workflow, a README). That
    repository must be empty, or be theirs already. --create makes it first, under the
    organisation in the URL, through the forge's API (GITHUB_TOKEN, GITHUB_API_URL).

    Example:

    \b
        devtalks person add --id mila --name 'Mila de Boer' --email mila@example.com \\
            --github milade --manager sanne --role 'Platform engineer'
        devtalks person add --id mila --name 'Mila de Boer' --email mila@example.com --dry-run
        devtalks person add --id mila --name 'Mila de Boer' --email mila@example.com --github milade \\
            --manager sanne --talks-repo https://github.com/acme/talks-mila --create
    """
    from ..people.roster import add as add_person

    root = require_repo(repo)
    if create and not talks_repo:
        raise click.UsageError("--create makes the repository --talks-repo names: give --talks-repo URL too")
    fields = {"id": pid, "name": name, "email": email, "github": github, "manager": manager, "role": role,
              "joined_on": on or today, "reused_id_since": (on or today) if reuse_id else None, "talks_repo": talks_repo}
    edit = add_person(root, fields)
    if talks_repo and dry_run:
        click.echo(("would create the private repository, then " if create else "would ") +
                   f"push {pid}'s repository scaffold to {talks_repo}")
    started = _start_repo(root, fields, create) if talks_repo and not dry_run else []
    for line in started:
        click.echo(line)
    _show(edit, dry_run, root)


def _start_repo(root: Path, fields: dict, create: bool) -> list[str]:
    """The person's own repository made (with --create) and given its first commit, before team.yaml names it."""
    from ..model import Person
    from ..people import access, talksrepo
    from ..people.roster import Roster

    roster = Roster(root)
    new = roster.people.get(fields["id"]) or Person.model_validate({k: v for k, v in fields.items() if v is not None})
    boss = roster.people.get(new.manager) if new.manager else None
    done = access.create(new.talks_repo, new, boss) if create else []
    return done + talksrepo.publish(root, new, new.talks_repo, roster.team.language)


@person.command()
@repo_option
@click.argument("pid", metavar="ID")
@click.option("--manager", required=True, metavar="ID", help="The id of their new manager.")
@click.option("--role", help="Their new role, if it changes too.")
@click.option("--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="KEYFILE",
              help="The old manager's age key: re-encrypts the private notes about them to the new manager now.")
@click.option("--notes-rekeyed", is_flag=True,
              help="ID has a repository of their own, and the old manager has re-encrypted the private notes there: "
                   "take the old manager's access to it away now.")
@dry_run_option
def move(repo, pid, manager, role, identity, notes_rekeyed, dry_run) -> None:
    """Give ID a new manager in team.yaml, update CODEOWNERS, and hand over the private notes.

    What happens to the old manager's private notes follows team.yaml's
    `notes.on_manager_change`: with `rekey` (the default) they are re-encrypted to the new
    manager, right away with the old manager's --identity, or later by the old manager
    with `devtalks notes rekey` (validate reports DT501 until then); with `keep` they stay
    readable by the old manager only. Notes written after the move are the new manager's
    alone.

    When ID's talks are in a repository of their own (`talks_repo:`), the new manager may
    push to it (with GITHUB_TOKEN; otherwise it says what to do on the forge). The private
    notes are there too, so the old manager re-encrypts them there (the exact commands are
    printed) and keeps access until then; `--notes-rekeyed` then takes it away. With
    `notes.on_manager_change: keep` their access goes at once.

    Example:

    \b
        devtalks person move daan --manager fleur --identity ~/.config/devtalks/key.txt
        devtalks person move daan --manager fleur --role 'Staff engineer' --dry-run
        devtalks person move mila --manager fleur --notes-rekeyed
    """
    from ..errors import DevtalksError
    from ..notes.age import read_identities
    from ..notes.store import rekey, standing
    from ..people.roster import Roster
    from ..people.roster import move as move_person
    from ..read.load import load

    root = require_repo(repo)
    edit = move_person(root, pid, manager, role)
    roster = Roster(root)
    if roster.people[pid].talks_repo:
        return _move_own_repo(root, roster, pid, manager, edit, identity, notes_rekeyed, dry_run)
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


def _move_own_repo(root: Path, roster, pid: str, manager: str, edit, identity, notes_rekeyed: bool, dry_run: bool) -> None:
    """person move for someone whose talks (and notes) are in their own repository: access follows the manager."""
    from ..errors import DevtalksError
    from ..people.access import hand_over

    person = roster.people[pid]
    url = person.talks_repo
    old = roster.people.get(person.manager) if person.manager and person.manager != manager else None
    rekeying = roster.team.notes.on_manager_change == "rekey" and old is not None and not notes_rekeyed
    if identity:
        raise DevtalksError(f"the private notes about {pid} are in their own repository, not here: leave out "
                            "--identity; the old manager re-encrypts them there (the commands follow the move)")
    drop = notes_rekeyed or (old is not None and not rekeying)
    lines = hand_over(url, person, old, roster.people[manager], roster.team.people, drop, dry_run)
    _show(edit, dry_run, root)
    for line in lines:
        click.echo(line)
    if rekeying and not dry_run:
        folder = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        click.echo(f"{old.id} keeps access to {pid}'s repository until the private notes about {pid} there are "
                   f"re-encrypted to {manager} (validate reports DT501 there until then). Once this team.yaml is on "
                   f"the team's main branch, {old.id} runs:\n"
                   f"  git clone {url} && cd {folder}\n"
                   f"  devtalks notes rekey {pid} --identity KEYFILE\n"
                   f"  git add talks/{pid}/notes && git commit -m 'Re-encrypt the notes about {pid} to {manager}' "
                   f"&& git push\n"
                   f"then `devtalks person move {pid} --manager {manager} --notes-rekeyed` takes {old.id}'s access away.")


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

    When their talks are in a repository of their own (`talks_repo:`), they may only read it
    from their last day on, and it is archived (with GITHUB_TOKEN; otherwise it says what
    to do on the forge). Before that day only team.yaml changes: run this again on or after it.

    Example:

    \b
        devtalks person leave thijs --on 2027-01-31
        devtalks person leave thijs --dry-run
    """
    from ..people.roster import leave as leave_team

    root = require_repo(repo)
    day = on or today
    edit = leave_team(root, pid, day, today)
    closing = _close_own_repo(root, pid, day, today, dry_run)
    _show(edit, dry_run, root)
    for line in closing:
        click.echo(line)
    if edit.files and not dry_run:
        when = "on the next `devtalks remind`" if day <= today else f"on the first `devtalks remind` from {day}"
        click.echo(f"{pid}'s reminder issues close {when}; a full `devtalks build` from then removes "
                   f"their site. `devtalks person export {pid} --out FILE.zip` gives them their data.")


def _close_own_repo(root: Path, pid: str, day, today, dry_run: bool) -> list[str]:
    """On or after their last day, the person's own repository (if any) is closed to their pushes and archived."""
    from ..people.access import close
    from ..people.roster import Roster

    person = Roster(root).people[pid]
    if not person.talks_repo:
        return []
    if day > today:
        return [f"{pid} may push to {person.talks_repo} until {day}: run `devtalks person leave {pid} --on {day}` "
                "again on or after that day to archive it"]
    return close(person.talks_repo, person, dry_run)


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


@person.command()
@repo_option
@click.argument("pid", metavar="ID")
@click.option("--talks-repo", required=True, metavar="URL",
              help="Their new private repository: an empty one (create it first, without README or licence).")
def split(repo, pid, talks_repo) -> None:
    """Move ID's talks, with their history, out of this repository into a private one of their own.

    Every commit that changed talks/ID/ is copied into the repository at URL with the same
    author, date and message, and the folder at the same path; devtalks.yaml, a pre-commit
    hook, a validate workflow and a README go on top, and that is pushed as its branch main.
    Then, here, one commit removes talks/ID/ and gives ID `talks_repo: URL` in team.yaml:
    push it, or open a pull request with it. Their notes go along (they are under talks/ID/).
    Anyone with an old clone of this repository still has the old history: that history
    stays readable to whoever could read it before.

    Example:

    \b
        devtalks person split daan --talks-repo https://github.com/acme/talks-daan
    """
    from ..people import talksrepo
    from ..people.roster import Roster, set_talks_repo

    root = require_repo(repo)
    roster = Roster(root)
    person = roster.person(pid)
    edit = set_talks_repo(root, pid, talks_repo)
    for line in talksrepo.split(root, person, talks_repo, roster.team.language):
        click.echo(line)
    edit.write(root)
    for line in edit.done:
        click.echo(line)
    click.echo(talksrepo.remove_folder(root, pid, talks_repo, [f.path for f in edit.files]))
