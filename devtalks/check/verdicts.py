"""The verdicts validation reuses: whole runs by the snapshot's fingerprint, and each person's own diagnostics.

Verdicts are keyed by the fingerprint of every byte read plus today's date (read/snapshot.py),
so a stale entry can never hide an error: any changed byte makes a different key. A build
keeps each person's own diagnostics too, under the bytes of their files and of everything they
are checked against (PersonVerdicts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..state import read_entry, state_dir, write_entry

KEPT_VERDICTS = 8
_DIAGNOSTIC_TYPES = (str, int, int, str, str, str, str)


def _diagnostics(value: Any) -> list[Diagnostic] | None:
    """Stored rows back into diagnostics; None when any row is not exactly what put() wrote."""
    if not isinstance(value, list):
        return None
    out = []
    for row in value:
        if not (isinstance(row, list) and len(row) == len(_DIAGNOSTIC_TYPES)
                and all(type(v) is t for v, t in zip(row, _DIAGNOSTIC_TYPES))):
            return None
        out.append(Diagnostic(*row))
    return out


class VerdictCache:
    """Diagnostics of whole runs, keyed by the snapshot's fingerprint; the last few are kept."""

    KIND = "verdicts"

    def __init__(self, root: Path):
        self.file = state_dir(root, "verdicts.json")
        stored = read_entry(self.file, self.KIND)
        self.entries: dict[str, list] = stored if isinstance(stored, dict) else {}

    def get(self, key: bytes) -> list[Diagnostic] | None:
        return _diagnostics(self.entries.get(key.hex()))

    def put(self, key: bytes, diagnostics: list[Diagnostic]) -> None:
        self.entries.pop(key.hex(), None)
        self.entries[key.hex()] = [d.row() for d in diagnostics]
        while len(self.entries) > KEPT_VERDICTS:
            self.entries.pop(next(iter(self.entries)))
        write_entry(self.file, self.KIND, self.entries)


class PersonVerdicts:
    """Each person's own diagnostics (their talks' and check-ins'), by a digest of their files.

    All of them hang on one `key`: the digest of what else a person's files are checked
    against (the shared files, today, the devtalks version), so another key starts afresh.
    """

    KIND = "person-verdicts"

    def __init__(self, root: Path, key: str):
        self.file = state_dir(root, "person-verdicts.json")
        self.key = key
        stored = read_entry(self.file, self.KIND)
        people = stored.get("people") if isinstance(stored, dict) and stored.get("key") == key else None
        self.people: dict[str, Any] = people if isinstance(people, dict) else {}
        self._changed = False

    def get(self, person: str, files: str) -> list[Diagnostic] | None:
        entry = self.people.get(person)
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == files):
            return None
        return _diagnostics(entry[1])

    def put(self, person: str, files: str, diagnostics: list[Diagnostic]) -> None:
        self.people[person] = [files, [d.row() for d in diagnostics]]
        self._changed = True

    def save(self, present: set[str]) -> None:
        """Write what changed, forgetting the people who have no files any more."""
        gone = [p for p in self.people if p not in present]
        for person in gone:
            del self.people[person]
        if self._changed or gone:
            write_entry(self.file, self.KIND, {"key": self.key, "people": self.people})
