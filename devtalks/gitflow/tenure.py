"""Who held a person id when: team.yaml's history in Git.

An id taken out of team.yaml and put back later is a new person under an old name: the talks,
check-ins and commits under talks/<id>/ from before belong to whoever had it then. Reuse is
found from the ids in every committed version of team.yaml (each version parsed once and kept
in devtalks' cache folder, by its blob); an id in the work tree's team.yaml that some earlier
version had and a later one dropped is reused, since the commit that put it back.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic
from ..read.yamlsource import Source, parse
from ..state import read_entry, state_dir, write_entry
from .history import Checkout, GitFailed, read_blobs
from .repo import path_prefix

IDS_FILE = "team-ids.json"
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Reuse:
    """An id that belonged to someone else: taken out of team.yaml in `removed`, back since `since` (None: only in
    the work tree so far)."""

    removed_sha: str
    removed_on: dt.date
    since_sha: str | None
    since_on: dt.date | None


def reused_ids(root: str | os.PathLike, current: set[str]) -> dict[str, Reuse]:
    """Id → how it was reused, for the ids in `current` (the work tree's team.yaml) that were taken out before."""
    root = Path(root).resolve()
    repo = Checkout.find(root)
    if repo is None:
        return {}
    prefix = path_prefix(repo.top, root)
    try:
        # the branch's own line (a merge as its change to that line): a side branch's older team.yaml is no removal
        out = repo.run("log", "--reverse", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev",
                       "--no-renames", "-z", "--format=%x01%H%x02%cI", "HEAD", "--", f"{prefix}team.yaml")
    except GitFailed:
        return {}  # no commits yet: no history to inherit
    versions = []
    for chunk in out.split(b"\x01")[1:]:
        header, _, raw = chunk.partition(b"\0")
        sha, when = header.decode("ascii", "replace").strip().split("\x02")
        meta = raw.split(b"\0")[0].split()
        if len(meta) > 3:
            versions.append((sha, dt.datetime.fromisoformat(when).date(), meta[3].decode()))
    ids = _ids_of(root, repo, f"{prefix}team.yaml", [blob for _, _, blob in versions if blob != _NO_BLOB])
    present: set[str] = set()
    removed: dict[str, tuple[str, dt.date]] = {}
    back: dict[str, tuple[str, dt.date]] = {}
    for sha, day, blob in versions:
        if ids.get(blob) is None:
            continue  # a version that does not parse (a slip fixed in the next commit) takes nobody out
        now = set(ids[blob])
        for pid in present - now:
            removed[pid] = (sha, day)
            back.pop(pid, None)
        for pid in now - present:
            if pid in removed:
                back[pid] = (sha, day)
        present = now
    found = {}
    for pid in current & set(removed):
        since = back.get(pid) if pid in present else None
        found[pid] = Reuse(*removed[pid], *(since or (None, None)))
    return found


def _ids_of(root: Path, repo: Checkout, rel: str, blobs: list[str]) -> dict[str, list[str] | None]:
    """Blob → the person ids of that version of team.yaml (None: it has no list of people); each blob is parsed
    once, ever."""
    file = state_dir(root, IDS_FILE)
    kept = read_entry(file, "team-ids")
    known = {blob: ids for blob, ids in kept.items() if ids is None or isinstance(ids, list)
             and all(isinstance(i, str) for i in ids)} if isinstance(kept, dict) else {}
    todo = [blob for blob in dict.fromkeys(blobs) if blob not in known]
    if todo:
        for blob, content in read_blobs(repo, todo).items():
            data = parse(rel, content).data
            people = data.get("people") if isinstance(data, dict) else None
            known[blob] = [p["id"] for p in people if isinstance(p, dict) and isinstance(p.get("id"), str)] \
                if isinstance(people, list) else None
        write_entry(file, "team-ids", {blob: known[blob] for blob in dict.fromkeys(blobs) if blob in known})
    return known


def reuse_diagnostics(root: str | os.PathLike, team: Source, today: dt.date) -> list[Diagnostic]:
    """DT211 for every person in team.yaml (parsed as `team`) whose id belonged to someone else, unless
    `reused_id_since` says so, on or after the day that someone was taken out."""
    people = team.data.get("people") if isinstance(team.data, dict) else None
    if not isinstance(people, list):
        return []
    listed = {p["id"]: i for i, p in enumerate(people) if isinstance(p, dict) and isinstance(p.get("id"), str)}
    out = []
    for pid, reuse in sorted(reused_ids(root, set(listed)).items()):
        i = listed[pid]
        said = people[i].get("reused_id_since")
        if isinstance(said, dt.date) and said >= reuse.removed_on:
            continue
        back = f"put back in {reuse.since_sha[:7]} on {reuse.since_on}" if reuse.since_sha else "put back here"
        out.append(team.error(("people", i, "reused_id_since" if said is not None else "id"), "DT211",
                              f"id `{pid}` belonged to someone else: it was taken out of team.yaml in "
                              f"{reuse.removed_sha[:7]} on {reuse.removed_on} and {back}; that person's talks and "
                              f"commits under talks/{pid}/ are not this person's",
                              f"give the new person an id of their own, or add `reused_id_since: "
                              f"{reuse.since_on or today}` to say this is someone new (their history starts "
                              f"there; nothing from before is shown or exported as theirs)"))
    return out
