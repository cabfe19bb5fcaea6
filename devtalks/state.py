"""Where devtalks keeps state for itself, and in what format: every stage's cache lives here.

A repository is untrusted input, so state never lives where its contents can reach it (the
work tree, or an output folder inside it): it lives in the user's cache folder
($DEVTALKS_CACHE_DIR, else $XDG_CACHE_HOME/devtalks, else ~/.cache/devtalks), one folder per
repository keyed by its resolved path. Entries are plain JSON stamped with their kind and the
devtalks version; a missing, corrupt, truncated, foreign or older entry reads as a miss. One
written from a pydantic model also carries a digest of its bytes: an edited one is a miss too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .diagnostics import Diagnostic
from .errors import DevtalksError

if TYPE_CHECKING:  # pydantic only where a model is stored: the hook's verdict cache does without it
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")

CACHE_ENV = "DEVTALKS_CACHE_DIR"
# Where earlier devtalks versions kept state inside the repository (and the default --out): now ignored, and reported.
COMMITTED_STATE = (".devtalks-cache", "site/.devtalks/cache", "site/.devtalks/fingerprints")


def cache_home() -> Path:
    """The folder devtalks owns for all its state, outside every repository."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec says to ignore a relative value
        return Path(xdg).resolve() / "devtalks"
    try:
        return Path.home().resolve() / ".cache" / "devtalks"
    except RuntimeError:  # no home directory (a bare container): a folder only this user owns
        return _private_temp_folder()


def _private_temp_folder() -> Path:
    """/tmp/devtalks-UID, refused when someone else could have made or written it (and planted a verdict)."""
    import stat
    import tempfile  # only here: the validate path of a pre-commit hook should not pay for it

    uid = os.getuid() if hasattr(os, "getuid") else None  # Windows has no uid: its temp folder is the user's own
    folder = Path(tempfile.gettempdir()) / f"devtalks-{uid if uid is not None else 'user'}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        found = folder.lstat()
    except OSError as e:
        raise DevtalksError(f"cannot make devtalks' cache folder {folder}: {e.strerror}; set {CACHE_ENV}") from None
    if not stat.S_ISDIR(found.st_mode) or (uid is not None and (found.st_uid != uid or found.st_mode & 0o022)):
        raise DevtalksError(f"{folder} is not a folder only you can write (another user could plant devtalks' state "
                            f"there); remove it, or set {CACHE_ENV} to a folder of your own")
    return folder


def state_dir(root: str | os.PathLike, *parts: str) -> Path:
    """Devtalks' own folder for the repository at `root` (callers create it when they write)."""
    repo = Path(root).resolve()
    home = cache_home()
    if home == repo or repo in home.parents:
        raise DevtalksError(f"the devtalks cache folder {home} is inside the repository {repo}, where a commit "
                            f"could plant state; set {CACHE_ENV} to a folder outside it")
    digest = hashlib.blake2b(os.fsencode(repo), digest_size=8).hexdigest()
    name = re.sub(r"[^A-Za-z0-9._-]", "_", repo.name)[:40] or "root"
    return home.joinpath("repos", f"{name}-{digest}", *parts)


def committed_state(root: Path) -> list[Diagnostic]:
    """A warning for each place in the repository where devtalks' state once lived: it is never read."""
    return [Diagnostic(rel, 1, 1, "DT403", f"`{rel}` looks like devtalks' own state, but devtalks never reads "
                       "state from a repository; it is ignored",
                       f"delete it (`git rm -r {rel}` if it was committed); devtalks keeps its state in "
                       f"{cache_home()}", "warning")
            for rel in COMMITTED_STATE if os.path.lexists(root / rel)]


def read_entry(file: str | Path, kind: str) -> Any:
    """The value write_entry stored as `kind` by this devtalks version, or None."""
    try:
        with open(file, "rb") as f:
            doc = json.loads(f.read())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("kind") != kind or doc.get("devtalks") != __version__:
        return None
    return doc.get("value")


def write_entry(file: str | Path, kind: str, value: Any) -> None:
    """Store plain data atomically; a cache that cannot be written only costs the next run time."""
    _write(file, json.dumps({"kind": kind, "devtalks": __version__, "value": value},
                            ensure_ascii=False, separators=(",", ":")))


def _write(file: str | Path, text: str) -> None:
    file = Path(file)
    try:
        data = text.encode("utf-8")
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, file)
    except (OSError, UnicodeEncodeError):  # a lone surrogate (a YAML "\ud800" escape) has no UTF-8 form
        pass


def write_model(file: Path, kind: str, value: BaseModel) -> None:
    """Store a pydantic model as write_entry does, with a digest of its JSON that read_model checks."""
    body = value.model_dump_json()
    _write(file, f'{_head(kind)}{digest(body.encode())}","value":{body}}}')


def read_model(file: Path, kind: str, model: type[M]) -> M | None:
    """The `model` write_model stored as `kind` by this devtalks version, or None.

    The stored JSON must be byte for byte what its digest was made of (an entry edited by hand
    reads as a miss, like a corrupt one), and is then checked field by field by the model.
    """
    try:
        raw = file.read_bytes()
    except OSError:
        return None
    head = _head(kind).encode()
    stamp, found, body = raw[len(head):].partition(b'","value":')
    body = body[:-1] if raw.startswith(head) and found and body.endswith(b"}") else b""
    if not body or stamp.decode("ascii", "replace") != digest(body):
        return None
    try:
        return model.model_validate_json(body)
    except (ValueError, RecursionError):  # pydantic's ValidationError is a ValueError
        return None


def _head(kind: str) -> str:
    return f'{{"kind":{json.dumps(kind)},"devtalks":{json.dumps(__version__)},"digest":"'


def digest(body: bytes) -> str:
    """The digest devtalks keeps of bytes: a file read, a stored entry, a page written."""
    return hashlib.blake2b(body, digest_size=20).hexdigest()
