"""A validated team of an organisation, kept between `build --org` runs: an unchanged team is not parsed again.

Validating a team reads and parses its thousands of files, so a hundred teams take minutes.
What a validation found (the team's models and its diagnostics) is kept in devtalks' own
cache folder, beside the team's clone and never in it, as plain JSON. It is keyed by all that
decides it: devtalks' version, the team's name (its diagnostics' prefix), the commit checked
out clean (org.sync) and today; validating a team reads no file of HR's. An entry is read back
through the same pydantic models as the files and must dump to the JSON its digest was made of
(cache.read_model), so a corrupt, truncated, foreign or edited entry is a miss and the team is
validated afresh. A team whose models would not come back from JSON exactly is never kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .. import __version__
from ..diagnostics import Diagnostic
from ..model import CheckIn, Cycle, QuestionTemplate, Talk, Team
from ..model.notes import NotesIndex
from ..read.load import Workspace
from ..state import read_model, write_model

KIND = "validated-team"
# A Diagnostic's fields in order: path, line, column, code, message, hint, severity.
Row = tuple[str, int, int, str, str, str, str]


class KeptWorkspace(BaseModel):
    """A Workspace without its parsed sources (the HR site does not need them); JSON has no tuple keys, so pairs are lists."""

    model_config = ConfigDict(extra="forbid", strict=True)

    team: Team | None
    templates: dict[str, QuestionTemplate]
    cycles: dict[str, Cycle]
    talks: list[tuple[str, str, Talk]]
    checkins: list[tuple[str, dt.date, CheckIn]]
    notes: dict[str, list[str]]
    note_index: dict[str, NotesIndex]
    codeowners: str | None
    diagnostics: list[Row]
    complete: bool


class ValidatedTeam(BaseModel):
    """What validating one team at one commit found: its diagnostics, and its workspace when it has no errors."""

    model_config = ConfigDict(extra="forbid", strict=True)

    key: str
    diagnostics: list[Row]
    workspace: KeptWorkspace | None


def entry_key(name: str, sha: str, today: dt.date) -> str:
    """Everything a team's validation depends on besides its files, which its commit fixes."""
    return hashlib.blake2b(f"{__version__}\0{name}\0{sha}\0{today.isoformat()}".encode(), digest_size=20).hexdigest()


def keep(file: Path, key: str, ws: Workspace | None, found: list[Diagnostic]) -> None:
    """Store what validating a team found under `key`."""
    entry = ValidatedTeam(key=key, diagnostics=[_row(d) for d in found], workspace=None if ws is None else KeptWorkspace(
        team=ws.team, templates=ws.templates, cycles=ws.cycles,
        talks=[(p, c, t) for (p, c), t in ws.talks.items()], checkins=[(p, d, c) for (p, d), c in ws.checkins.items()],
        notes=ws.notes, note_index=ws.note_index, codeowners=ws.codeowners,
        diagnostics=[_row(d) for d in ws.diagnostics], complete=ws.complete))
    try:
        exact = ValidatedTeam.model_validate_json(entry.model_dump_json()).model_dump() == entry.model_dump()
    except ValueError:  # pydantic cannot write it as JSON, or read back what it wrote
        exact = False
    if exact:
        write_model(file, KIND, entry)
    else:  # e.g. a date given as a free answer would come back as a string
        file.unlink(missing_ok=True)


def kept(file: Path, key: str, root: Path) -> tuple[Workspace | None, list[Diagnostic]] | None:
    """The workspace (rooted at `root`) and diagnostics kept under exactly `key`, or None."""
    entry = read_model(file, KIND, ValidatedTeam)
    if entry is None or entry.key != key:
        return None
    found = [Diagnostic(*row) for row in entry.diagnostics]
    if (entry.workspace is None) != any(d.is_error for d in found):
        return None
    k = entry.workspace
    if k is None:
        return None, found
    return Workspace(root, team=k.team, templates=k.templates, cycles=k.cycles,
                     talks={(p, c): t for p, c, t in k.talks}, checkins={(p, d): c for p, d, c in k.checkins},
                     notes=k.notes, note_index=k.note_index, codeowners=k.codeowners,
                     diagnostics=[Diagnostic(*row) for row in k.diagnostics], complete=k.complete), found


def _row(d: Diagnostic) -> Row:
    return d.path, d.line, d.column, d.code, d.message, d.hint, d.severity
