"""age encryption of notes: identities, recipients, encrypting and decrypting, and telling an age file apart."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..errors import DevtalksError

AGE_MAGIC = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"


def is_age(head: bytes) -> bool:
    return head.startswith(AGE_MAGIC) or head.lstrip().startswith(AGE_ARMOR)


def recipient_stanzas(head: bytes) -> int | None:
    """How many X25519 recipient stanzas a binary age header holds; None if the header is not all in `head`."""
    end = head.find(b"\n---")
    if not head.startswith(AGE_MAGIC) or end < 0:
        return None
    return sum(line.startswith(b"-> X25519 ") for line in head[:end].split(b"\n"))


def read_identities(path: str | os.PathLike) -> list:
    """The age secret keys in an identity file (as `devtalks notes keygen` or `age-keygen -o` writes it)."""
    from pyrage import IdentityError, x25519

    try:
        text = Path(path).read_bytes()
    except OSError as e:
        raise DevtalksError(f"cannot read the key file {path}: {e.strerror}") from None
    if is_age(text):
        raise DevtalksError(f"{path} is itself age-encrypted (a passphrase-protected key); devtalks needs the plain "
                            "key file that `devtalks notes keygen` writes")
    identities = []
    for number, line in enumerate(text.decode("utf-8", "replace").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(line))
        except IdentityError:
            # never echo the line: it may be a secret with a typo
            raise DevtalksError(f"{path}:{number}: this line is not an age secret key (AGE-SECRET-KEY-1…); pass the "
                                "key file that `devtalks notes keygen` wrote, not a public key") from None
    if not identities:
        raise DevtalksError(f"{path} holds no age secret key (a line starting AGE-SECRET-KEY-1)")
    return identities


def keygen(path: Path, root: Path) -> str:
    """Make a new X25519 age identity in `path`, readable by its owner alone; returns its public key.

    Refuses to overwrite a key (that would lock its owner out of every note encrypted to it)
    and to write inside the repository at `root` (a committed secret key is no longer secret).
    """
    from pyrage import x25519

    path = path.expanduser().absolute()
    if path.resolve().is_relative_to(root.resolve()):
        raise DevtalksError(f"{path} is inside the repository, where a secret key could be committed; keep it outside, "
                            "e.g. in ~/.config/devtalks/key.txt")
    if path.exists() or path.is_symlink():
        raise DevtalksError(f"{path} exists already, and replacing it would lose the key that opens your notes; "
                            "use it as it is, or choose another file with --out")
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True)
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    # O_BINARY: on Windows the text layer below already writes CRLF, and the descriptor must not add another CR.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"# created: {created}\n# public key: {public}\n{identity}\n")
    return public


def public_keys(identities: list) -> list[str]:
    return [str(i.to_public()) for i in identities]


def encrypt(text: str, recipients: list[str]) -> bytes:
    import pyrage
    from pyrage import RecipientError, x25519

    keys = []
    for key in recipients:
        try:
            keys.append(x25519.Recipient.from_str(key))
        except RecipientError:
            raise DevtalksError(f"`{key}` in team.yaml is not an age public key; run `devtalks validate`") from None
    return pyrage.encrypt(text.encode("utf-8"), keys)


def decrypt(data: bytes, identities: list) -> str | None:
    """The note's text, or None when none of `identities` opens it."""
    import pyrage

    try:
        return pyrage.decrypt(data, identities).decode("utf-8", "replace")
    except pyrage.DecryptError:
        return None
