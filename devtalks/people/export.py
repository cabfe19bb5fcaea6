"""Everything devtalks holds about one person, in one zip: for a data-access or portability request.

The zip holds the person's own talk folder (talks, check-ins, agreements), their entry in
team.yaml, their progress site as `devtalks build` renders it, and the Git history of their
folder alone, so nobody else's words come along. The manager's private notes are left out
unless a key that opens them is given; then they are added decrypted.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import DevtalksError
from ..read.load import Workspace

README = """\
Everything devtalks holds about {name} ({id}) in team {team}, exported on {today}.

person.yaml     {name}'s entry in team.yaml: name, e-mail address, GitHub handle, role, manager{left}.
files/          the files of talks/{id}/: every development talk, check-in and agreement, as written.
site/           {name}'s progress site as devtalks builds it; open site/index.html in a browser.
history.patch   the Git history of talks/{id}/ since it is {name}'s: every change, when, by whom (`git log -p`);
                a commit that also changed other files keeps its message to itself.
{notes}"""


@dataclass
class Export:
    path: Path
    entries: list[str] = field(default_factory=list)
    notes: int = 0


def export(ws: Workspace, person: str, out: Path, today: dt.date, identity: Path | None = None) -> Export:
    """Write the zip for `person` to `out` (never inside the repository); returns what it holds."""
    from ..site.build import team_facts

    if ws.team is None:
        raise DevtalksError("team.yaml has errors; run `devtalks validate` and fix them first")
    who = ws.people.get(person)
    if who is None:
        raise DevtalksError(f"`{person}` is not a person in team.yaml")
    out = out.resolve()
    if out.is_relative_to(ws.root.resolve()):
        raise DevtalksError(f"{out} is inside the repository, where it could be committed; write the export elsewhere")
    facts = team_facts(ws, today)
    with tempfile.TemporaryDirectory(prefix="devtalks-export-") as tmp:
        stage = Path(tmp) / f"{person}-export"
        stage.mkdir()
        _copy_folder(ws.home(person) / "talks" / person, stage / "files" / "talks" / person)
        (stage / "person.yaml").write_text(
            yaml.safe_dump(who.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True),
            encoding="utf-8")
        _site(ws, facts, person, stage / "site", Path(tmp) / "build")
        (stage / "history.patch").write_text(_history(ws.home(person), person), encoding="utf-8")
        opened = _notes(ws, person, identity, stage / "notes") if identity else 0
        notes = (f"notes/          {opened} private note(s) of the manager about {who.name}, decrypted.\n" if identity
                 else "The manager's private notes are not included (they are encrypted to the manager).\n")
        (stage / "README.txt").write_text(README.format(
            name=who.name, id=person, team=ws.team.team.name, today=today.isoformat(), notes=notes,
            left=f", the day they left ({who.left_on})" if who.left_by(today) else ""), encoding="utf-8")
        entries = _zip(stage, out)
    return Export(out, entries, opened)


def _copy_folder(src: Path, dest: Path) -> None:
    """The person's files, without private notes and without following a link out of the folder."""
    dest.mkdir(parents=True, exist_ok=True)
    if not src.is_dir() or src.is_symlink():
        return
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if rel.parts[0] == "notes" or path.is_symlink() or not path.is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / rel)


def _site(ws: Workspace, facts, person: str, dest: Path, out: Path) -> None:
    from ..gitflow.history import talk_history
    from ..site.build import Job, run

    key = f"people/{person}"
    summary = run(Job(ws.root.resolve(), out, [facts], history=talk_history), [key], {key: 1}, jobs=1, prune=False)
    failed = [r.error for r in summary.results if r.status == "failed"]
    if failed:
        raise DevtalksError(f"{person}'s site could not be built: {failed[0]}")
    shutil.copytree(out / key, dest)


def _history(root: Path, person: str) -> str:
    """`git log -p` of the person's folder during their tenure, private notes excluded; a note when there is no Git.

    A commit's message is shown only when every file it changed is the person's own (it may
    speak of others); with an id that someone else held before, history starts where it came back.
    """
    import git

    from ..gitflow.history import owner_of
    from ..gitflow.repo import team_prefix
    from ..gitflow.tenure import reused_ids

    try:
        repo = git.Repo(root.resolve(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return f"{root} is not a Git repository, so there is no history to export.\n"
    prefix = team_prefix(repo, root)
    folder = f"{prefix}talks/{person}/"
    paths = ["--", folder, f":(exclude){folder}notes"]
    reuse = reused_ids(root, {person}).get(person)
    if reuse is not None and reuse.since_sha is None:
        return f"No commit has touched {folder} since `{person}` became this person's id.\n"
    tenure = ["HEAD", "--not", f"{reuse.since_sha}^@"] if reuse else ["HEAD"]
    try:
        listing = repo.git.log("--full-diff", "--name-only", "-z", "--format=%x01%H", *tenure, *paths)
    except git.GitCommandError as e:
        if "does not have any commits" in str(e.stderr) or "bad revision 'HEAD'" in str(e.stderr):
            return "The repository has no commits yet.\n"
        raise DevtalksError(f"git log failed: {e.stderr.strip()}") from None
    shown = []
    for chunk in listing.split("\x01")[1:]:
        sha, _, changed = chunk.partition("\0")
        files = [path.strip("\n") for path in changed.split("\0") if path.strip("\n")]
        alone = bool(files) and all(owner_of(path, prefix) == person for path in files)
        message = "%n%w(0,4,4)%B" if alone else "%n    (changed with other files)"
        shown.append(repo.git.show("--no-color", "--no-ext-diff", "--patch",
                                   f"--format=commit %H%nAuthor: %an <%ae>%nDate:   %ad%n{message}", sha, *paths))
    return "\n".join(shown) + "\n" if shown else f"No commit has touched {folder} yet.\n"


def _notes(ws: Workspace, person: str, identity: Path, dest: Path) -> int:
    from ..notes.age import read_identities
    from ..notes.store import notes_of

    opened, _ = notes_of(ws, person, read_identities(identity))
    dest.mkdir()
    for note in opened:
        (dest / f"{note.written:%Y-%m-%dT%H%M%SZ}.md").write_text(note.text, encoding="utf-8")
    return len(opened)


def _zip(stage: Path, out: Path) -> list[str]:
    """Zip `stage` to `out` in one step: a half-written zip never takes the place of a whole one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    entries = []
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(stage.rglob("*")):
                if path.is_file():
                    name = path.relative_to(stage.parent).as_posix()
                    zf.write(path, name)
                    entries.append(name)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return entries
