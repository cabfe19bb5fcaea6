"""What validation may reuse between runs, under REPO/.devtalks-cache/.

Two levels, both keyed by content, never by time stamps: parsed sources keyed by path,
bytes and devtalks version (an unchanged file skips YAML); and whole verdicts keyed by the
fingerprint of every byte read plus today's date (an unchanged repository skips everything).
A stale entry can never hide an error: any changed byte makes a different key.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .diagnostics import Diagnostic

if TYPE_CHECKING:
    from .yamlsource import Source

CACHE_DIR = ".devtalks-cache"
KEPT_VERDICTS = 8
_UNREADABLE = (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError)


def _load(file: Path, default: Any) -> Any:
    try:
        with open(file, "rb") as f:
            version, value = pickle.load(f)
        return value if version == __version__ else default
    except _UNREADABLE:
        return default


def _save(file: Path, value: Any) -> None:
    try:
        file.parent.mkdir(exist_ok=True)
        (file.parent / ".gitignore").write_text("*\n")
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump((__version__, value), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except OSError:
        pass  # a read-only checkout still validates, just without the speed-up


def _key(rel: str, raw: bytes) -> bytes:
    return hashlib.blake2b(rel.encode() + b"\0" + raw, digest_size=20).digest()


class SourceCache:
    """Parsed sources keyed by path, content and devtalks version."""

    def __init__(self, root: Path):
        self.file = root / CACHE_DIR / "sources.pickle"
        self.entries: dict[bytes, Source] = _load(self.file, {})
        self.used: dict[bytes, Source] = {}
        self.dirty = False

    def knows(self, rel: str, raw: bytes) -> bool:
        return _key(rel, raw) in self.entries

    def parse(self, rel: str, raw: bytes, parsed: Source | None = None) -> Source:
        """The file's source from the cache; else `parsed` (parsed already, by a worker) or parsed now."""
        key = _key(rel, raw)
        src = self.entries.get(key)
        if src is None:
            from .yamlsource import parse  # not on the path of a reused verdict, which needs no YAML

            src = parsed or parse(rel, raw)
            self.dirty = True
        else:
            src.raw = raw
        self.used[key] = src
        return src

    def save(self) -> None:
        """Keep what this run used: the sources of the whole repository as it is now."""
        if self.dirty or len(self.used) != len(self.entries):
            _save(self.file, self.used)


class VerdictCache:
    """Diagnostics of whole runs, keyed by the snapshot's fingerprint; the last few are kept."""

    def __init__(self, root: Path):
        self.file = root / CACHE_DIR / "verdicts.pickle"
        self.entries: dict[bytes, list[Diagnostic]] = _load(self.file, {})

    def get(self, key: bytes) -> list[Diagnostic] | None:
        return self.entries.get(key)

    def put(self, key: bytes, diagnostics: list[Diagnostic]) -> None:
        self.entries.pop(key, None)
        self.entries[key] = diagnostics
        while len(self.entries) > KEPT_VERDICTS:
            self.entries.pop(next(iter(self.entries)))
        _save(self.file, self.entries)
