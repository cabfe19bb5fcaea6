"""One team read from several repositories: the person layout, where each person's talks live in a private repository.

In a team repository whose team.yaml gives people a `talks_repo:`, each of those repositories is
fetched into devtalks' cache folder (read/clones.py, in parallel) and that person's folder,
talks/<id>/, is read from it; a copy left in the team repository is not used. In a person
repository (devtalks.yaml at its top), the team repository it names is fetched the same way and
its shared files (team.yaml, templates, cycles) are read beside the person's own. Either way the
Snapshot holds the same paths as a team-layout repository would, so everything after reading
is the same code. A repository may hold only its own person's folder; anything else in it is a
DT802 and is not read.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic
from ..state import digest, read_entry, state_dir, write_entry
from . import clones
from .snapshot import PERSON_FILE, Seen, Snapshot, _inside, gather, shared_files, talk_files

# A person repository's branch: the one `devtalks person add` pushes its scaffold to.
PERSON_BRANCH = "main"


def add_person_repositories(snap: Snapshot, team_raw: bytes, remember: bool) -> None:
    """Read the own files of every person with `talks_repo:` from their repository instead of the team's."""
    from .yamlsource import parse

    src = parse("team.yaml", team_raw)
    repos = _talks_repos(src.data)
    if not repos:
        return
    _drop_copies(snap, {pid for _, pid, _ in repos})
    for (index, pid, location), clone in zip(repos, _fetch(snap.root, repos)):
        where = ("people", index, "talks_repo")
        if clone.failure:
            snap.diagnostics.append(src.error(
                where, "DT801", f"{pid}'s repository `{location}` cannot be fetched: {clone.failure}"
                + (f"; their talks are read as fetched before (commit {clone.sha[:7]})" if clone.usable else ""),
                f"check {pid}'s `talks_repo:` and that this machine may read that repository",
                severity="warning" if clone.usable else "error"))
        if not clone.usable:
            continue
        named = _person_named(clone.path)
        if named != pid:  # only a person repository that says it is theirs: team.yaml may name any repository
            why = (f"is {named}'s repository (its {PERSON_FILE} says `person: {named}`)" if named else
                   f"is no person repository (it has no {PERSON_FILE} naming a person)")
            snap.diagnostics.append(src.error(where, "DT802", f"`{location}` {why}, not {pid}'s; nothing of it is read",
                                              f"give {pid} the URL of their own repository (`devtalks person add` "
                                              f"or `split` starts one with its {PERSON_FILE})"))
            continue
        part = Snapshot(clone.path)
        gather(clone.path, part, talk_files(clone.path, part), None, Seen(clone.path) if remember else None)
        _keep_own(part, pid, f"{pid}'s repository `{location}`")
        _take(snap, part, pid)
        snap.origins[pid] = (location, clone.sha)


def person_commits(root: Path, team_raw: bytes) -> dict[str, str | None]:
    """Fetch the person repositories this team.yaml names: each person's id → the commit fetched (None: not fetched).

    What a team is made of, for a cache keyed by commits (HR's `--org` build): the team's own commit is not enough.
    """
    from .yamlsource import parse

    repos = _talks_repos(parse("team.yaml", team_raw).data)
    return {pid: clone.sha for (_, pid, _), clone in zip(repos, _fetch(root, repos))}


def _fetch(root: Path, repos: list[tuple[int, str, str]]) -> list[clones.Clone]:
    """Each person's repository, fetched in parallel (within the fetch interval, as last fetched)."""
    if not repos:
        return []
    from concurrent.futures import ThreadPoolExecutor  # not on a person repository's hook, which fetches no person

    with ThreadPoolExecutor(max_workers=min(16, len(repos))) as pool:
        return list(pool.map(lambda it: clones.recent(clones.resolve(it[2], root), PERSON_BRANCH,
                                                      state_dir(root, "people", it[1])), repos))


def read_person_repository(snap: Snapshot, people: set[str] | None, wanted: set[str] | None, seen: Seen | None,
                           remember: bool) -> None:
    """A person repository: its devtalks.yaml and the person's own files, with the team's shared files beside them."""
    root = snap.root
    snap.files.extend(_file(snap, PERSON_FILE, "person-repo"))
    gather(root, snap, talk_files(root, snap, people), wanted, seen)
    config = _config(snap)
    if config is None:
        return  # devtalks.yaml is unusable: the check says why, at its line
    _keep_own(snap, config["person"], "this repository")
    clone = clones.recent(clones.resolve(config["team"], root), config["ref"], state_dir(root, "team"))
    if clone.failure:
        why = f"the team repository `{config['team']}` cannot be fetched: {clone.failure}"
        snap.diagnostics.append(Diagnostic(
            PERSON_FILE, 1, 1, "DT801", why + (f"; checked against its files as fetched before (commit "
                                               f"{clone.sha[:7]})" if clone.usable else ""),
            "check `team:` and `ref:` in devtalks.yaml, and that you may read that repository (a CI job needs a "
            "token that may)", "warning" if clone.usable else "error"))
    if not clone.usable:
        snap.files = [f for f in snap.files if f.kind == "person-repo"]  # checked without the team, every talk would fail
        return
    team = Snapshot(clone.path)
    gather(clone.path, team, (f for f in shared_files(clone.path, team) if f[1] != "codeowners"))
    snap.files[:0] = team.files
    snap.diagnostics.extend(team.diagnostics)
    snap.origins["team"] = (config["team"], clone.sha)


def _talks_repos(data: object) -> list[tuple[int, str, str]]:
    """(index in team.yaml, id, talks_repo) of each person with a usable `talks_repo:`; the check judges the rest."""
    people = data.get("people") if isinstance(data, dict) else None
    out = []
    for i, person in enumerate(people if isinstance(people, list) else ()):
        if isinstance(person, dict) and isinstance(person.get("id"), str) and isinstance(person.get("talks_repo"), str) \
                and person["talks_repo"].strip():
            out.append((i, person["id"], person["talks_repo"]))
    return out


def _drop_copies(snap: Snapshot, moved: set[str]) -> None:
    """A person's files left in the team repository once they have a repository of their own: reported, not read."""
    held = [f for f in snap.files if _owner(f.rel) in moved]
    for f in held:
        who = _owner(f.rel)
        snap.diagnostics.append(Diagnostic(
            f.rel, 1, 1, "DT405", f"{who}'s talks live in their own repository (`talks_repo:` in team.yaml); this copy "
            "in the team repository, which every member can read, is not used",
            f"check that {who}'s repository has it, then delete it here: `git rm -r talks/{who}`"))
    snap.files = [f for f in snap.files if f not in held]
    for who in moved & set(snap.notes):
        for rel in snap.notes.pop(who):
            snap.note_heads.pop(rel, None)
            snap.diagnostics.append(Diagnostic(rel, 1, 1, "DT405", f"notes about {who} belong in {who}'s own "
                                               "repository, not in the team repository every member can read",
                                               f"move the file there and delete it here: `git rm {rel}`"))


def _keep_own(part: Snapshot, pid: str, what: str) -> None:
    """Only `pid`'s folder is read from their repository: each other person's folder there is a DT802."""
    others = sorted(({_owner(f.rel) for f in part.files} | set(part.notes)) - {None, pid})
    for other in others:
        part.diagnostics.append(Diagnostic(
            f"talks/{other}", 1, 1, "DT802", f"{what} holds talks/{other}/; a person repository holds its own "
            f"person's talks only ({pid}'s)", f"move talks/{other}/ to {other}'s own repository and delete it here"))
    part.files = [f for f in part.files if _owner(f.rel) in (None, pid)]
    for other in others:
        for rel in part.notes.pop(other, ()):
            part.note_heads.pop(rel, None)


def _owner(rel: str) -> str | None:
    """Whose folder under talks/ a file is in (talks, check-ins, notes), or None for a file the team shares."""
    parts = rel.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "talks" else None


def _take(snap: Snapshot, part: Snapshot, pid: str) -> None:
    snap.files.extend(part.files)
    snap.notes.update(part.notes)
    snap.note_heads.update(part.note_heads)
    snap.diagnostics.extend(part.diagnostics)
    snap.homes[pid] = part.root


def _file(snap: Snapshot, rel: str, kind: str) -> list:
    """The one file `rel` at the top of the repository, read like every other (no link out of it)."""
    found = Snapshot(snap.root)
    gather(snap.root, found, [(rel, kind)] if _inside(snap.root, snap.root / rel, found, rel) else [])
    snap.diagnostics.extend(found.diagnostics)
    return found.files


def _config(snap: Snapshot) -> dict | None:
    """devtalks.yaml's person, team and ref, or None when it is not valid (the check reports why).

    Kept in the cache folder under a digest of its bytes: a hook whose verdict is reused parses no YAML.
    """
    file = next((f for f in snap.files if f.kind == "person-repo" and f.error is None), None)
    if file is None:
        return None
    entry = state_dir(snap.root, "person-repo")
    key = digest(file.read())
    kept = read_entry(entry, "person-repo")
    if isinstance(kept, dict) and kept.get("digest") == key:
        return kept.get("config")
    from ..check.translate import validate
    from ..model.personrepo import PersonRepo
    from .yamlsource import parse

    src = parse(PERSON_FILE, file.read())
    model = validate(PersonRepo, src)[0] if src.data is not None else None
    config = model.model_dump() if model is not None else None
    write_entry(entry, "person-repo", {"digest": key, "config": config})
    return config


def _person_named(clone: Path) -> str | None:
    """The `person:` a repository's devtalks.yaml names, when it can be read as such."""
    from .yamlsource import parse

    path = clone / PERSON_FILE
    if path.is_symlink():
        return None  # never followed: it could lead out of the repository
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    data = parse(PERSON_FILE, raw).data
    return data.get("person") if isinstance(data, dict) and isinstance(data.get("person"), str) else None
