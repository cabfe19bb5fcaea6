"""Edits to team.yaml that keep its comments and layout: people join, move and leave, a manager gets a key.

Only this write path uses ruamel.yaml (a round-trip parser); reading and validating stay on
the fast loader, so `devtalks validate` never imports it. Every edit is planned first, as
the new text of each file it touches, so `--dry-run` can show a diff and nothing is written
unless the result is a valid team.yaml.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DevtalksError
from ..gitflow import codeowners
from ..model import Cycle, Person, Team

TEAM = "team.yaml"
FIELDS = ("id", "name", "email", "github", "role", "manager", "joined_on", "reused_id_since", "talks_repo")


@dataclass(frozen=True)
class FileChange:
    path: str           # relative to the team repository
    before: str | None  # None: the file is new
    after: str

    def diff(self) -> str:
        return "".join(difflib.unified_diff((self.before or "").splitlines(True), self.after.splitlines(True),
                                            f"a/{self.path}" if self.before is not None else "/dev/null",
                                            f"b/{self.path}"))


@dataclass
class Edit:
    """What one command changes: sentences for the user and the new text of each file."""

    done: list[str] = field(default_factory=list)
    files: list[FileChange] = field(default_factory=list)

    def diff(self) -> str:
        return "".join(f.diff() for f in self.files)

    def write(self, root: Path) -> None:
        for f in self.files:
            target = root / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_text(f.after, encoding="utf-8")
            os.replace(tmp, target)


class Document:
    """One YAML file, parsed for round-trip editing: comments, order, quotes and indentation stay."""

    def __init__(self, root: Path, rel: str):
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError

        self.rel = rel
        try:
            self.text = (root / rel).read_text(encoding="utf-8")
        except OSError as e:
            raise DevtalksError(f"cannot read {rel}: {e.strerror}") from None
        self._yaml = YAML()
        self._yaml.preserve_quotes = True
        self._yaml.width = 4096  # never re-wrap a long line
        self._yaml.indent(**_indentation(self.text))
        self._yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
        self._yaml.representer.ignore_aliases = lambda _: True  # one value used twice is written twice: devtalks refuses aliases
        try:
            self.data = self._yaml.load(self.text)
        except YAMLError:
            raise DevtalksError(f"{rel} is not valid YAML; run `devtalks validate` and fix it first") from None

    def dump(self) -> str:
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()


def _indentation(text: str) -> dict:
    """How deep this file indents list items under their key, so new entries look like the old ones."""
    match = re.search(r"^( *)[\w-]+:[ \t]*\n(?:[ \t]*#.*\n)*( *)- ", text, re.M)
    offset = len(match.group(2)) - len(match.group(1)) if match else 2
    return {"mapping": 2, "sequence": offset + 2, "offset": offset}


class Roster:
    """team.yaml as a round-trip document, with the checks every people edit shares."""

    def __init__(self, root: Path):
        from pydantic import ValidationError

        self.root = root
        self.doc = Document(root, TEAM)
        try:
            self.team = Team.model_validate(_plain(self.doc.data))
        except ValidationError:
            raise DevtalksError("team.yaml has errors; run `devtalks validate` and fix them first") from None
        self.people = {p.id: p for p in self.team.people}

    def entry(self, pid: str):
        for item in self.doc.data["people"]:
            if item.get("id") == pid:
                return item
        raise DevtalksError(f"`{pid}` is not a person in team.yaml{_close(pid, self.people)}")

    def person(self, pid: str) -> Person:
        self.entry(pid)
        return self.people[pid]

    def staying(self, pid: str, what: str, ahead: bool = False) -> Person:
        """A person who may take on `what`: in team.yaml and not gone (with `ahead`, not leaving on a later day
        either: a manager's reports would be left without one)."""
        p = self.person(pid)
        gone = p.left_by(dt.date.today())
        if gone or (ahead and p.left_on is not None):
            raise DevtalksError(f"{p.id} {'left' if gone else 'leaves'} on {p.left_on}, so they cannot be {what}")
        return p

    def finish(self, edit: Edit) -> Edit:
        """Add team.yaml and, where the repository has one, CODEOWNERS to `edit` if their text changed."""
        from pydantic import ValidationError

        after = self.doc.dump()
        if after == self.doc.text:
            return edit
        try:
            team = Team.model_validate(_plain(self.doc.data))
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise DevtalksError(f"the result would not be a valid team.yaml ({where}: {first['msg']}); nothing was written") from None
        edit.files.append(FileChange(TEAM, self.doc.text, after))
        owners = self.root / codeowners.PATH
        if owners.is_file():
            before, wanted = owners.read_text(encoding="utf-8"), codeowners.render(team)
            if before != wanted:
                edit.files.append(FileChange(codeowners.PATH, before, wanted))
                edit.done.append(f"updated {codeowners.PATH}")
        return edit


def _put(mapping, key: str, value) -> None:
    """Set `key`; a new key goes last, before the blank lines and comments that followed the old last one."""
    if key in mapping:
        mapping[key] = value
        return
    before = list(mapping)[-1] if len(mapping) else None
    mapping[key] = value
    if before is not None:
        _move_tail(mapping, before, mapping, key)


def _append(seq, entry: dict) -> None:
    """Append a mapping to a list, before the blank lines and comments that followed its old last item."""
    from ruamel.yaml.comments import CommentedMap

    new = CommentedMap(entry)
    last = seq[-1] if len(seq) else None
    seq.append(new)
    if isinstance(last, CommentedMap) and len(last):
        _move_tail(last, list(last)[-1], new, list(new)[-1])


def _move_tail(old, old_key: str, new, new_key: str) -> None:
    # ruamel keeps what follows a value (its end-of-line comment, then blank and comment lines)
    # in one token on that value; the end-of-line part stays, the lines after it move along.
    slot = old.ca.items.get(old_key)
    token = slot[2] if slot and len(slot) > 2 else None
    if token is None or "\n" not in token.value:
        return
    own, _, rest = token.value.partition("\n")
    if not rest:
        return
    from ruamel.yaml.tokens import CommentToken

    token.value = own + "\n"
    new.ca.items[new_key] = [None, None, CommentToken("\n" + rest, token.start_mark, None), None]


def _plain(node):
    """ruamel's commented containers as plain dicts and lists, for pydantic."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _close(word: str, known) -> str:
    close = difflib.get_close_matches(word, sorted(known), n=1)
    return f"; did you mean `{close[0]}`?" if close else ""


def add(root: Path, fields: dict[str, str | None]) -> Edit:
    """Add a person to team.yaml; the same person again changes nothing, a clash is refused."""
    from pydantic import ValidationError

    roster = Roster(root)
    given = {k: fields.get(k) for k in FIELDS if fields.get(k) is not None}
    try:
        new = Person.model_validate(given)
    except ValidationError as e:
        first = e.errors()[0]
        raise DevtalksError(f"--{first['loc'][0]} `{given.get(first['loc'][0], '')}` is not valid: {_why(first)}") from None
    if roster.team.layout == "person" and new.talks_repo is None:
        raise DevtalksError("team.yaml says `layout: person`: each person's talks live in a private repository of "
                            "their own. Give it with --talks-repo URL (an empty repository), and add --create to "
                            "make that repository on the forge first")
    edit = Edit()
    old = roster.people.get(new.id)
    if old is not None:
        if all(getattr(old, k) == v for k, v in given.items() if k != "joined_on"):
            edit.done.append(f"{new.id} is in team.yaml already, as given; nothing to change")
            return roster.finish(edit)
        raise DevtalksError(f"`{new.id}` is in team.yaml already ({old.name}, {old.email}); choose another id, or "
                            f"change their manager with `devtalks person move {new.id} --manager ID`")
    for other in roster.team.people:
        if other.email.lower() == new.email.lower():
            raise DevtalksError(f"{new.email} is the e-mail address of `{other.id}` ({other.name}) already")
        if new.github and other.github and other.github.lower() == new.github.lower():
            raise DevtalksError(f"GitHub handle {new.github} is `{other.id}`'s ({other.name}) already")
    if new.manager is not None:
        roster.staying(new.manager, "a manager", ahead=True)
    _refuse_silent_reuse(root, new)
    _append(roster.doc.data["people"], given)
    boss = f", reporting to {new.manager}" if new.manager else ""
    edit.done.append(f"added {new.id} ({new.name}, {new.email}){boss} to team.yaml")
    return roster.finish(edit)


def _refuse_silent_reuse(root: Path, new: Person) -> None:
    """An id taken out of team.yaml before is someone else's history: it is given again only when said (DT211)."""
    from ..gitflow.tenure import reused_ids

    reuse = reused_ids(root, {new.id}).get(new.id)
    if reuse is not None and not (new.reused_id_since and new.reused_id_since >= reuse.removed_on):
        raise DevtalksError(f"`{new.id}` was someone else's id, taken out of team.yaml in {reuse.removed_sha[:7]} on "
                            f"{reuse.removed_on}; choose another id, or pass --reuse-id to give it to this new person "
                            "(their history starts now)")


def _why(error: dict) -> str:
    if error["type"] == "string_pattern_mismatch":
        return {"id": "use lower-case letters, digits, - and _ (e.g. daan or daan-b)",
                "email": "write a whole address such as daan.bakker@example.com",
                "github": "a GitHub handle has letters, digits and single hyphens, up to 39 characters"
                }.get(error["loc"][0], error["msg"])
    return error["msg"]


def move(root: Path, pid: str, manager: str, role: str | None = None) -> Edit:
    """Give a person a new manager (and optionally a new role)."""
    roster = Roster(root)
    person = roster.staying(pid, "moved")
    if manager == pid:
        raise DevtalksError(f"{pid} cannot be their own manager")
    roster.staying(manager, "a manager", ahead=True)
    chain, current = [], manager
    while current is not None and current not in chain:
        chain.append(current)
        current = roster.people[current].manager if current in roster.people else None
    if pid in chain:
        raise DevtalksError(f"{manager} reports, through {' → '.join(chain)}, to {pid}: {pid} cannot report to them")
    entry = roster.entry(pid)
    edit = Edit()
    if person.manager != manager:
        _put(entry, "manager", manager)
        edit.done.append(f"{pid} now reports to {manager}" + (f" (was {person.manager})" if person.manager else ""))
    if role is not None and person.role != role:
        _put(entry, "role", role)
        edit.done.append(f"{pid}'s role is now {role}")
    if not edit.done:
        edit.done.append(f"{pid} reports to {manager} already; nothing to change")
    return roster.finish(edit)


def leave(root: Path, pid: str, on: dt.date, today: dt.date | None = None) -> Edit:
    """Mark a person as gone from `on` (a day after `today` too: they take part until then), and take them off the
    participant lists of cycles that open on or after it."""
    roster = Roster(root)
    person = roster.person(pid)
    reports = [p.id for p in roster.team.people if p.manager == pid and not p.left_by(on)]
    if reports:
        moves = "; ".join(f"`devtalks person move {r} --manager ID`" for r in reports)
        raise DevtalksError(f"{pid} still manages {', '.join(reports)}: give them a new manager first ({moves})")
    edit = Edit()
    went = "leaves" if today is not None and on > today else "left"
    if person.left_on == on:
        edit.done.append(f"{pid} {went} on {on} already; nothing to change")
    else:
        _put(roster.entry(pid), "left_on", on)
        edit.done.append(f"{pid} {went} on {on}" + (f" (was {person.left_on})" if person.left_on else ""))
    roster.finish(edit)
    for rel, doc in _cycles_listing(root, pid):
        cycle = Cycle.model_validate(_plain(doc.data))
        if cycle.opens >= on:
            doc.data["participants"].remove(pid)
            edit.files.append(FileChange(rel, doc.text, doc.dump()))
            edit.done.append(f"took {pid} off the participants of {rel} (it opens {cycle.opens})")
    return edit


def _cycles_listing(root: Path, pid: str):
    """The cycles that name `pid` as a participant, as round-trip documents."""
    from pydantic import ValidationError

    for path in sorted([*(root / "cycles").glob("*.yaml"), *(root / "cycles").glob("*.yml")]):
        rel = path.relative_to(root).as_posix()
        if pid not in path.read_text(encoding="utf-8"):
            continue  # most cycles say `participants: all`; no need to parse them
        doc = Document(root, rel)
        try:
            cycle = Cycle.model_validate(_plain(doc.data))
        except ValidationError:
            continue
        if isinstance(cycle.participants, list) and pid in cycle.participants:
            yield rel, doc


def set_talks_repo(root: Path, pid: str, url: str) -> Edit:
    """Say in a person's entry that their talks live in the repository at `url`."""
    roster = Roster(root)
    roster.person(pid)
    edit = Edit()
    _put(roster.entry(pid), "talks_repo", url)
    edit.done.append(f"set {pid}'s talks_repo in team.yaml to {url}")
    return roster.finish(edit)


def set_recipient(root: Path, pid: str, key: str) -> Edit:
    """Put an age public key in a person's entry as their `age_recipient`."""
    roster = Roster(root)
    person = roster.staying(pid, "given a key")
    edit = Edit()
    _put(roster.entry(pid), "age_recipient", key)
    edit.done.append(f"set {pid}'s age_recipient in team.yaml")
    if person.age_recipient and person.age_recipient != key:
        edit.done.append(f"it replaces {pid}'s old key: notes encrypted to it need "
                         "`devtalks notes rekey --identity OLD-KEYFILE` (validate reports DT501 until then)")
    return roster.finish(edit)


def find_person(root: Path, email: str | None) -> str | None:
    """The id of the person still in the team whose e-mail address is `email`."""
    if not email:
        return None
    roster = Roster(root)
    found = [p.id for p in roster.team.people if not p.left_by(dt.date.today()) and p.email.lower() == email.lower()]
    return found[0] if found else None
