"""Validate a repository: read it, and unless the very same bytes were judged before, check them.

An unchanged repository costs reading and hashing its files: the verdict of the last run with
the same fingerprint (every byte read, the problems seen while reading, today's date and the
devtalks version) is reused. Anything else goes through load and check in full.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Iterable

from .cache import VerdictCache
from .diagnostics import Diagnostic
from .snapshot import read


@dataclass(frozen=True)
class Verdict:
    diagnostics: list[Diagnostic]
    files: int
    reused: bool


def validate_repo(root: str | os.PathLike, today: dt.date, only: Iterable[str] | None = None,
                  use_cache: bool = True) -> Verdict:
    snap = read(root, only)
    files = len(snap.files) + len(snap.note_heads)
    verdicts = VerdictCache(snap.root) if use_cache else None
    key = snap.fingerprint(today.isoformat())
    if verdicts is not None:
        found = verdicts.get(key)
        if found is not None:
            return Verdict(found, files, True)
    from .check import check
    from .load import from_snapshot

    diagnostics = check(from_snapshot(snap), today)
    if verdicts is not None:
        verdicts.put(key, diagnostics)
    return Verdict(diagnostics, files, False)
