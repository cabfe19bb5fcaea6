"""Putting a built site in place: shared theme files as hard links, and an atomic swap.

Theme files are identical in every site, so each is stored once under the output's
.devtalks/assets and hard-linked into every site: an extra site costs only its own pages.
A site is built in a temporary folder next to its destination and exchanged with the old
one in a single rename, so a crash or Ctrl-C leaves either the old site or the new one.
"""

from __future__ import annotations

import ctypes
import filecmp
import hashlib
import os
import shutil
from pathlib import Path
from typing import Callable

from ..errors import DevtalksError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def refuse_links_out(repo: Path, path: Path) -> None:
    """A site may show only the repository's own files: no symlink in mkdocs.yml or site_overrides/ leads out."""
    for found in [path, *(path.rglob("*") if path.is_dir() else ())]:
        target = found.resolve()
        if target != repo and repo not in target.parents:
            shown = found.relative_to(repo) if repo in found.parents else found
            raise DevtalksError(f"{shown} leads out of the repository (to {target}); a site shows only the "
                                "repository's own files: replace the symbolic link with the file itself")


class AssetStore:
    def __init__(self, root: Path):
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._known: dict[str, Path] = {}

    def _stored(self, source: str) -> Path:
        """The store's copy of a theme file, made once per version of the file."""
        found = self._known.get(source)
        if found is not None:
            return found
        st = os.stat(source)
        key = hashlib.blake2b(f"{source}\0{st.st_size}\0{st.st_mtime_ns}".encode(), digest_size=16).hexdigest()
        stored = self.root / key[:2] / f"{key}{Path(source).suffix}"
        # The store sits in the output folder, which a commit can reach: trust a copy only once compared.
        if not (stored.is_file() and not stored.is_symlink() and filecmp.cmp(source, stored, shallow=False)):
            stored.parent.mkdir(exist_ok=True)
            put(stored, lambda tmp: shutil.copyfile(source, tmp), lambda: filecmp.cmp(source, stored, shallow=False))
        self._known[source] = stored
        return stored

    def check(self, files: list[tuple[str, str]]) -> None:
        """Store each (path in a site, source file) now, compared once: this process, and the forks it makes after,
        link them without comparing again."""
        for _, source in files:
            self._stored(source)

    def link(self, files: list[tuple[str, str]], site: Path) -> None:
        """Put each (path in the site, source file) into `site` as a hard link to the stored copy."""
        for dest, source in files:
            target = site / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            stored = self._stored(source)
            try:
                os.link(stored, target)
            except OSError:
                shutil.copyfile(stored, target)  # a file system without hard links still gets a whole site

    def prune(self) -> None:
        """Drop stored files no site links to any more (an old theme version)."""
        for stored in self.root.glob("*/*"):
            if stored.is_file() and stored.stat().st_nlink == 1:
                stored.unlink()


def put(path: Path, write: Callable[[Path], object], same: Callable[[], bool]) -> None:
    """Make `path` by `write(tmp)`; when another worker made it first and `same()` holds, keep theirs.

    Replacing a file another worker already linked into its sites would leave those links alone
    on the old copy, each a file of its own.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    write(tmp)
    try:
        os.link(tmp, path)
    except FileExistsError:
        if path.is_symlink() or not path.is_file() or not same():
            os.replace(tmp, path)
    except OSError:
        os.replace(tmp, path)  # a file system without hard links
    finally:
        tmp.unlink(missing_ok=True)


def refuse_symlinks(out: Path, folders: tuple[str, ...]) -> None:
    """Fail when `out` holds a symbolic link where devtalks writes or deletes: a commit could point it anywhere."""
    for folder in (out / name for name in folders):
        found = [folder] if folder.is_symlink() else []
        if not found and folder.is_dir():
            with os.scandir(folder) as entries:
                found = [Path(e.path) for e in entries if e.is_symlink()]
        if found:
            raise DevtalksError(f"{found[0]} is a symbolic link; devtalks writes and deletes in this folder and "
                                "follows no link there: remove it (a built site is never committed)")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None).renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    return False


def replace(new: Path, target: Path) -> None:
    """Make `new` the folder at `target`; the old folder, if any, is gone afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)
        return
    old = new.with_name(new.name + ".old")
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old)


def remove(target: Path) -> None:
    """Delete a site atomically from the reader's side: rename it away first, then delete."""
    if target.exists():
        gone = target.with_name(f".{target.name}.removed.{os.getpid()}")
        os.rename(target, gone)
        shutil.rmtree(gone)
