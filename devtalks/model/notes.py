"""talks/<person>/notes/recipients.yaml: who each private note is encrypted to.

An age file does not name its recipients (its header holds one anonymous stanza per key),
so `devtalks notes` records them here when it writes a note, and `devtalks validate` checks
the record against team.yaml without any secret key. Public keys only: nothing here is secret.
"""

from __future__ import annotations

from pydantic import Field

from .base import AgeRecipient, Slug, Strict


class NoteRecord(Strict):
    manager: Slug = Field(description="The manager the note was encrypted for, when written or last rekeyed.")
    recipients: list[AgeRecipient] = Field(min_length=1, description="The age public keys the note is encrypted to.")


class NotesIndex(Strict):
    notes: dict[str, NoteRecord] = Field(default_factory=dict, description="Note file name → its recipients.")
