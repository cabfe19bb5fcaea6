"""devtalks notes: a manager's private notes about a report, encrypted with age."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import repo_option, require_repo

identity_option = click.option(
    "--identity", "identity", required=True, metavar="KEYFILE", type=click.Path(dir_okay=False, path_type=Path),
    help="Your age key file, as `devtalks notes keygen` wrote it. It stays outside the repository.",
)


@click.group()
def notes() -> None:
    """Private notes about a report, readable by their manager alone.

    Each note is talks/PERSON/notes/<time>.md.age, encrypted with age to the age_recipient
    that team.yaml gives PERSON's manager (and to notes.extra_recipients, if the company
    adds HR's key). Everyone with the repository sees that a note exists; only a key it is
    encrypted to reads it. `devtalks validate` refuses plain text under notes/ and notes not
    encrypted to the current manager.

    Example:

    \b
        devtalks notes keygen --manager sanne   # once: your key, and its public half in team.yaml
        devtalks notes add daan
        devtalks notes show daan --identity ~/.config/devtalks/key.txt
    """


@notes.command()
@repo_option
@click.option("--manager", "pid", metavar="ID",
              help="Whose key it is (default: the person in team.yaml with your `git config user.email`).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default="~/.config/devtalks/key.txt",
              show_default=True, help="Where to write the secret key (never inside the repository).")
def keygen(repo, pid, out) -> None:
    """Make your age key for private notes, and put its public half in team.yaml.

    Writes a new X25519 age identity to --out, readable by you alone (0600, in a 0700
    folder), and sets `age_recipient` in your entry in team.yaml, so notes about your
    reports are encrypted to you. An existing key file is never overwritten. Commit the
    team.yaml change; the key file stays on your machine (keep a backup: a lost key
    cannot open its notes).

    Example:

    \b
        devtalks notes keygen --manager sanne
        devtalks notes keygen --manager sanne --out ~/.config/devtalks/platform-key.txt
    """
    from ..errors import DevtalksError
    from ..notes.age import keygen as make_key
    from ..people.roster import Roster, find_person, set_recipient

    root = require_repo(repo)
    if pid is None:
        email = _git_email(root)
        pid = find_person(root, email)
        if pid is None:
            raise DevtalksError("whose key is it? pass --manager ID" + (f" (nobody in team.yaml has the e-mail address "
                                                                       f"{email})" if email else ""))
    Roster(root).staying(pid, "given a key")
    public = make_key(out, root)
    edit = set_recipient(root, pid, public)
    edit.write(root)
    click.echo(f"wrote your secret key to {out.expanduser()} (only you can read it; keep a backup)")
    for line in edit.done:
        click.echo(line)
    click.echo(f"public key: {public}")


def _git_email(root: Path) -> str | None:
    import subprocess  # one `git config` call needs no gitpython

    try:
        found = subprocess.run(["git", "config", "user.email"], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return found.stdout.strip() or None


@notes.command()
@repo_option
@click.argument("person")
def add(repo, person) -> None:
    """Write a new private note about PERSON.

    Opens $VISUAL or $EDITOR on an empty draft in a private temporary folder outside the
    repository (removed afterwards), or reads the note from standard input when that is not
    a terminal. The note is encrypted before anything is written to the repository.

    Example:

    \b
        devtalks notes add daan
        devtalks notes add daan < ~/private/daan-draft.md
    """
    from ..notes.store import add as write_note
    from ..notes.store import compose, recipients_for
    from ..read.load import load

    root = require_repo(repo)
    ws = load(root)
    who = recipients_for(ws, person, new_on=dt.date.today())
    stdin = click.get_text_stream("stdin")
    if stdin.isatty():
        click.echo(f"Writing a private note about {ws.people[person].name}, encrypted to {who.manager}. "
                   "Save and close the editor to store it; an empty note is discarded.", err=True)
        text = compose(root, person)
    else:
        text = stdin.read()
    path = write_note(ws, person, text)
    extra = f" and {len(who.keys) - 1} more key(s) from team.yaml" if len(who.keys) > 1 else ""
    click.echo(f"wrote {path} (encrypted to {who.manager}{extra})")


@notes.command(name="list")
@repo_option
@click.argument("person")
def list_(repo, person) -> None:
    """List the notes about PERSON: when, for whom, and whether they need a rekey. No key needed.

    Example:

    \b
        devtalks notes list daan
    """
    from ..errors import DevtalksError
    from ..notes.store import standing, written
    from ..read.load import load
    from ..table import render

    ws = load(require_repo(repo))
    if ws.team is not None and person not in ws.people and person not in ws.notes:
        raise DevtalksError(f"`{person}` is not a person in team.yaml")
    index = ws.note_index.get(person)
    rows = []
    for rel in ws.notes.get(person, []):
        name = rel.rsplit("/", 1)[1]
        when = written(name)
        record = index.notes.get(name) if index else None
        found = standing(ws, person, rel)
        rows.append([when.strftime("%Y-%m-%d %H:%M UTC") if when else "–", rel, record.manager if record else "?",
                     found.state if found.state != "stale" else "needs rekey"])
    if not rows:
        click.echo(f"no notes about {person}")
        return
    click.echo(render(["written", "file", "for", "state"], rows))


@notes.command()
@repo_option
@identity_option
@click.argument("person")
def show(repo, identity, person) -> None:
    """Decrypt and print the notes about PERSON that your key opens, oldest first.

    Example:

    \b
        devtalks notes show daan --identity ~/.config/devtalks/key.txt
    """
    from ..errors import DevtalksError
    from ..notes.age import public_keys, read_identities
    from ..notes.store import notes_of
    from ..read.load import load

    ws = load(require_repo(repo))
    if ws.team is not None and person not in ws.people and person not in ws.notes:
        raise DevtalksError(f"`{person}` is not a person in team.yaml")
    identities = read_identities(identity)
    opened, closed = notes_of(ws, person, identities)
    if closed and not opened:
        index = ws.note_index.get(person)
        owners = sorted({index.notes[p.rsplit("/", 1)[1]].manager for p in closed
                         if index and p.rsplit("/", 1)[1] in index.notes})
        raise DevtalksError(f"the key in {identity} (public key {public_keys(identities)[0]}) opens none of the "
                            f"{len(closed)} note(s) about {person}"
                            + (f"; they are encrypted to {', '.join(owners)}" if owners else "")
                            + ". Pass the key file of the manager they are encrypted to.")
    if not opened:
        click.echo(f"no notes about {person}")
        return
    for note in opened:
        click.echo(f"## {note.written:%Y-%m-%d %H:%M} UTC — {note.path}\n\n{note.text.rstrip()}\n")
    if closed:
        click.echo(f"{len(closed)} more note(s) about {person} are encrypted to other keys and were not shown.", err=True)


@notes.command()
@repo_option
@identity_option
@click.argument("person", required=False)
def rekey(repo, identity, person) -> None:
    """Re-encrypt notes to the keys team.yaml gives now (after a change of manager or key).

    Re-encrypts every note about PERSON (default: everyone) that `devtalks validate` reports
    as not encrypted to the person's current manager. It needs a key that opens those notes:
    the previous manager's, or your old key after you made a new one.

    Example:

    \b
        devtalks notes rekey daan --identity ~/.config/devtalks/old-key.txt
    """
    from ..errors import DevtalksError
    from ..notes.store import rekey as rekey_notes
    from ..read.load import load

    ws = load(require_repo(repo))
    done, closed = rekey_notes(ws, identity, person)
    for rel in done:
        click.echo(f"re-encrypted {rel}")
    if closed:
        raise DevtalksError(f"the key in {identity} does not open {len(closed)} note(s) that need a rekey: "
                            f"{', '.join(closed)}. Whoever holds a key they are encrypted to must run this.")
    if not done:
        click.echo("nothing to re-encrypt: every note is encrypted to the keys team.yaml gives now")
