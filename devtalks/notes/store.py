"""Private manager notes, encrypted with age: written, listed, read and re-keyed.

A note is talks/<person>/notes/<YYYY-MM-DDTHHMMSSZ>.md.age, encrypted to the age key of the
person's manager (plus team.yaml's `notes.extra_recipients`, if a company adds HR's). An age
file does not name its recipients, so notes/recipients.yaml records them and `devtalks
validate` compares that record with team.yaml without any secret key (see `standing`).
Plain text lives only in memory and, while the editor is open, in a private temporary folder
outside the repository. pyrage is imported only where a note is encrypted or decrypted, so
the validate path never loads it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DevtalksError
from ..model.notes import NoteRecord, NotesIndex
from ..read.load import NOTES_INDEX, Workspace
from .age import decrypt, encrypt, is_age, public_keys, read_identities, recipient_stanzas

NAME_FORMAT = "%Y-%m-%dT%H%M%SZ"
NAME_SUFFIX = ".md.age"
NOTE_NAME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z\.md\.age$")


@dataclass(frozen=True)
class Note:
    person: str
    path: str
    written: dt.datetime
    text: str


@dataclass(frozen=True)
class Standing:
    """Where one note file stands against team.yaml, judged without any secret key.

    state: ok | kept (with the manager who wrote it, by policy) | plain | misnamed |
    unrecorded | stale (needs `devtalks notes rekey`) | unchecked (team.yaml did not load).
    """

    state: str
    message: str = ""
    hint: str = ""

    @property
    def needs_rekey(self) -> bool:
        return self.state in ("unrecorded", "stale")


def written(name: str) -> dt.datetime | None:
    """When a note was written, from its file name; None when the name is not a note's."""
    if not NOTE_NAME_RE.match(name):
        return None
    try:
        return dt.datetime.fromisoformat(name[: -len(NAME_SUFFIX)])
    except ValueError:
        return None


def notes_dir(person: str) -> str:
    return f"talks/{person}/notes"


@dataclass(frozen=True)
class Recipients:
    """Who a note about a person must be encrypted to now; `missing` says why there is nobody."""

    manager: str | None
    keys: list[str]
    missing: str = ""
    fix: str = ""


def expected(ws: Workspace, person: str) -> Recipients:
    who = ws.people.get(person)
    if who is None:
        return Recipients(None, [], f"`{person}` is not a person in team.yaml",
                          "delete the notes of people who left, or add the person back to team.yaml")
    if who.manager is None:
        return Recipients(None, [], f"`{person}` has no manager in team.yaml, so nobody may hold notes about them",
                          f"set `manager:` for {person} in team.yaml, or delete the notes")
    manager = ws.people.get(who.manager)
    if manager is None or manager.age_recipient is None:
        return Recipients(who.manager, [], f"manager `{who.manager}` has no `age_recipient` (age public key) in team.yaml",
                          f"{who.manager} runs `devtalks notes keygen --manager {who.manager}` once: it writes their "
                          "secret key to ~/.config/devtalks/key.txt and their public key into team.yaml")
    keys = list(dict.fromkeys([manager.age_recipient, *ws.team.notes.extra_recipients]))
    return Recipients(who.manager, keys)


def recipients_for(ws: Workspace, person: str, new_on: dt.date | None = None) -> Recipients:
    """Who a note about `person` is encrypted to; DevtalksError when nobody can be (or, for a new note written on
    `new_on`, they have left by then)."""
    if ws.team is None:
        raise DevtalksError("team.yaml did not load; run `devtalks validate` and fix it first")
    who = ws.people.get(person)
    if new_on is not None and who is not None and who.left_by(new_on):
        raise DevtalksError(f"{person} left on {who.left_on}: no new notes about someone who left; the earlier ones stay")
    found = expected(ws, person)
    if found.missing:
        raise DevtalksError(f"{found.missing}: {found.fix}")
    return found


def standing(ws: Workspace, person: str, rel: str) -> Standing:
    head = ws.note_heads.get(rel, b"")
    name = rel.rsplit("/", 1)[1]
    if not is_age(head):
        return Standing("plain", f"`{name}` is not age-encrypted: everyone who can read this repository can read it",
                        f"encrypt it with `devtalks notes add {person} < FILE` from a copy outside the repository, "
                        "delete this file, and if it was ever committed, remove it from the Git history")
    if rel != f"{notes_dir(person)}/{name}" or written(name) is None:
        return Standing("misnamed", f"`{rel}` is not named like a note",
                        f"notes are written by `devtalks notes add` as {notes_dir(person)}/YYYY-MM-DDTHHMMSSZ{NAME_SUFFIX}")
    if ws.team is None:
        return Standing("unchecked")
    index = ws.note_index.get(person)
    record = index.notes.get(name) if index else None
    target = expected(ws, person)
    manager, keys = target.manager, target.keys
    rekey = f"whoever holds a key that opens it runs `devtalks notes rekey {person} --identity KEYFILE`"
    if record is None:
        return Standing("unrecorded", f"`{name}` has no entry in {notes_dir(person)}/{NOTES_INDEX}, so nobody can tell "
                                      "who it is encrypted to", rekey)
    stanzas = recipient_stanzas(head)
    if stanzas is not None and stanzas != len(record.recipients):
        return Standing("stale", f"`{name}` is encrypted to {stanzas} key(s), but {NOTES_INDEX} records "
                                 f"{len(record.recipients)}: it was re-encrypted outside devtalks", rekey)
    if record.manager != manager and ws.team.notes.on_manager_change == "keep":
        return Standing("kept", f"kept with {record.manager}, who wrote it")
    if target.missing:
        return Standing("stale", f"`{name}` has nobody to be encrypted to: {target.missing}", target.fix)
    if record.manager != manager:
        return Standing("stale", f"`{name}` is encrypted to {record.manager}, but {person}'s manager is now {manager}",
                        f"{record.manager} runs `devtalks notes rekey {person} --identity KEYFILE`, or set "
                        "`notes: {on_manager_change: keep}` in team.yaml to leave notes with the manager who wrote them")
    if set(record.recipients) != set(keys):
        gone = [k for k in record.recipients if k not in keys]
        new = [k for k in keys if k not in record.recipients]
        what = "; ".join(x for x in (f"not to {', '.join(_short(k) for k in new)}" if new else "",
                                     f"still to {', '.join(_short(k) for k in gone)}" if gone else "") if x)
        return Standing("stale", f"`{name}` is not encrypted to the keys team.yaml gives now ({what})", rekey)
    return Standing("ok")


def _short(key: str) -> str:
    return f"{key[:12]}…"


def add(ws: Workspace, person: str, text: str, now: dt.datetime | None = None) -> str:
    """Encrypt `text` to the person's manager and write it as a new note; returns its path."""
    if not text.strip():
        raise DevtalksError("the note is empty; nothing was written")
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    target = recipients_for(ws, person, new_on=moment.date())
    records = _records(ws, person)
    folder = _writable(ws, person) / notes_dir(person)
    name = f"{moment.strftime(NAME_FORMAT)}{NAME_SUFFIX}"
    while (folder / name).exists() or name in records:
        moment += dt.timedelta(seconds=1)
        name = f"{moment.strftime(NAME_FORMAT)}{NAME_SUFFIX}"
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / name, encrypt(text, target.keys))
    records[name] = NoteRecord(manager=target.manager, recipients=target.keys)
    _write_index(folder, records)
    return f"{notes_dir(person)}/{name}"


def notes_of(ws: Workspace, person: str, identities: list) -> tuple[list[Note], list[str]]:
    """The notes about `person` these keys open, oldest first, and the paths they do not open."""
    opened, closed = [], []
    for rel in ws.notes.get(person, []):
        name = rel.rsplit("/", 1)[1]
        when = written(name)
        if when is None or rel != f"{notes_dir(person)}/{name}" or not is_age(ws.note_heads.get(rel, b"")):
            continue
        text = decrypt((ws.home(person) / rel).read_bytes(), identities)
        if text is None:
            closed.append(rel)
        else:
            opened.append(Note(person, rel, when, text))
    return sorted(opened, key=lambda n: n.written), closed


def notes_for_manager(ws: Workspace, manager_id: str, identity_path: str | os.PathLike) -> dict[str, list[Note]]:
    """Person id → the notes about them that manager opens with their key, for each direct report.

    Raises DevtalksError when the key file is unreadable or is not the manager's key in team.yaml.
    Notes the key does not open (kept with an earlier manager) are left out.
    """
    manager = ws.people.get(manager_id)
    if manager is None:
        raise DevtalksError(f"`{manager_id}` is not a person in team.yaml")
    if manager.age_recipient is None:
        raise DevtalksError(f"`{manager_id}` has no `age_recipient` in team.yaml, so no notes are encrypted to them")
    identities = read_identities(identity_path)
    mine = public_keys(identities)
    if manager.age_recipient not in mine:
        raise DevtalksError(f"the key in {identity_path} is not {manager.name}'s: its public key is {mine[0]}, but "
                            f"team.yaml gives {manager_id}'s as {manager.age_recipient}. Pass {manager_id}'s own key file.")
    reports = sorted(p.id for p in ws.team.people if p.manager == manager_id)
    return {person: notes_of(ws, person, identities)[0] for person in reports}


def rekey(ws: Workspace, identity_path: str | os.PathLike, person: str | None = None) -> tuple[list[str], list[str]]:
    """Re-encrypt every note that `standing` says needs it to the keys team.yaml gives now.

    Returns (paths re-encrypted, paths that needed it but the key does not open).
    """
    if person is not None and person not in ws.people:
        raise DevtalksError(f"`{person}` is not a person in team.yaml")
    identities = read_identities(identity_path)
    done, closed = [], []
    for who in [person] if person else sorted(ws.notes):
        stale = [rel for rel in ws.notes.get(who, []) if standing(ws, who, rel).needs_rekey]
        if not stale:
            continue
        target = recipients_for(ws, who)
        records = _records(ws, who)
        home = _writable(ws, who)
        for rel in stale:
            text = decrypt((home / rel).read_bytes(), identities)
            if text is None:
                closed.append(rel)
                continue
            _write(home / rel, encrypt(text, target.keys))
            records[rel.rsplit("/", 1)[1]] = NoteRecord(manager=target.manager, recipients=target.keys)
            done.append(rel)
        _write_index(home / notes_dir(who), records)
    return done, closed


def compose(root: Path, about: str) -> str:
    """Let the user write a note in $VISUAL or $EDITOR; the draft lives outside the repository and is removed."""
    import shlex
    import subprocess  # only the editor needs it, and validate imports this module

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise DevtalksError("set $EDITOR to your editor (e.g. `export EDITOR=nano`), or pipe the note in: "
                            "`devtalks notes add PERSON < note.md`")
    private = Path(tempfile.mkdtemp(prefix="devtalks-note-"))
    try:
        if private.resolve().is_relative_to(root.resolve()):
            raise DevtalksError(f"the temporary folder {private} is inside the repository; set TMPDIR to a folder "
                                "outside it, so the draft never lands in the repository")
        draft = private / f"note-about-{about}.md"
        os.close(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            finished = subprocess.run([*shlex.split(editor), str(draft)], check=False)
        except OSError as e:
            raise DevtalksError(f"cannot run the editor `{editor}`: {e.strerror}") from None
        if finished.returncode != 0:
            raise DevtalksError(f"the editor exited with status {finished.returncode}; nothing was written")
        return draft.read_text(encoding="utf-8")
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _writable(ws: Workspace, person: str) -> Path:
    """The work tree to write the person's notes in; never devtalks' cache copy of their own repository."""
    if person in ws.homes:
        raise DevtalksError(f"notes about {person} live in their own repository ({ws.origins[person][0]}): run this "
                            "command in your clone of it, then commit and push there")
    return ws.root


def _records(ws: Workspace, person: str) -> dict[str, NoteRecord]:
    """The person's index entries, read afresh, for notes that still exist; refuses an index with errors."""
    from pydantic import ValidationError

    from ..read.yamlsource import parse

    folder = ws.home(person) / notes_dir(person)
    index_rel = f"{notes_dir(person)}/{NOTES_INDEX}"
    _refuse_links_out(ws.home(person), folder, folder / NOTES_INDEX)
    try:
        raw = (folder / NOTES_INDEX).read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise DevtalksError(f"cannot read {index_rel}: {e.strerror}") from None
    src = parse(index_rel, raw)
    try:
        index = NotesIndex.model_validate(src.data)
    except ValidationError:
        index = None
    if src.diagnostics or index is None:
        raise DevtalksError(f"{index_rel} has errors; run `devtalks validate` and fix them first")
    return {name: record for name, record in index.notes.items() if (folder / name).is_file()}


def _refuse_links_out(root: Path, *paths: Path) -> None:
    """Notes are read and written only inside the repository: a committed symlink out would take them elsewhere."""
    real_root = Path(os.path.realpath(root))
    for path in paths:
        real = Path(os.path.realpath(path))
        if real != real_root and real_root not in real.parents:
            raise DevtalksError(f"{path.relative_to(root).as_posix()} is a symlink out of the repository; "
                                "replace it with a real folder or file inside the repository")


def _write_index(folder: Path, records: dict[str, NoteRecord]) -> None:
    # one line per note, so Git can merge notes added on two branches (merge=union); ids are
    # quoted because YAML reads a bare `no` or `123` as a boolean or a number
    lines = ["# Who each note here is encrypted to (public keys only). Written by `devtalks notes`.",
             "notes:" if records else "notes: {}"]
    for name in sorted(records):
        r = records[name]
        lines.append(f"  {name}: {{manager: \"{r.manager}\", recipients: [{', '.join(r.recipients)}]}}")
    _write(folder / NOTES_INDEX, ("\n".join(lines) + "\n").encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
