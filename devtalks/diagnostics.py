"""Diagnostic: one problem in one file, at a line and column, with a hint to fix it.

Codes are stable: tools and people may grep for them. docs/codes.md documents each one,
and a test keeps that page and this table in step.
"""

from __future__ import annotations

from dataclasses import dataclass

CODES: dict[str, str] = {
    "DT001": "file is not valid UTF-8 text",
    "DT002": "YAML syntax error",
    "DT003": "duplicate key in a mapping",
    "DT004": "file is empty or its top level is not a mapping",
    "DT005": "file is larger than the size limit",
    "DT006": "nesting is too deep",
    "DT007": "YAML anchors, aliases and merge keys are not allowed",
    "DT008": "YAML tag that is not plain data",
    "DT009": "path is a symlink out of the repository or cannot be read",
    "DT010": "impossible date",
    "DT100": "unknown key",
    "DT101": "required key missing",
    "DT102": "value has the wrong type or is out of range",
    "DT200": "unknown person",
    "DT202": "unknown question template or template version",
    "DT203": "unknown goal",
    "DT204": "answer to a question the pinned template does not have",
    "DT205": "answer does not fit the question (kind, range or option)",
    "DT206": "answer given by a side the question is not asked of",
    "DT207": "file name does not match a cycle, a check-in date or a known file kind",
    "DT208": "person is not a participant of the cycle",
    "DT210": "reference to a person who has left",
    "DT211": "person id that belonged to someone else before, reused without `reused_id_since`",
    "DT300": "dates in the wrong order",
    "DT301": "date in the future",
    "DT400": "duplicate id",
    "DT401": "people's managers form a loop",
    "DT402": "file outside the known layout",
    "DT403": "devtalks state inside the repository (ignored)",
    "DT404": "two files for one thing (.yaml and .yml of one name), or a file under a name devtalks does not read",
    "DT405": "a talk, check-in or note in the team repository of a person whose talks live in their own repository",
    "DT406": "a person without `talks_repo:` in the person layout",
    "DT500": "private note is not age-encrypted",
    "DT501": "private note is not encrypted to the person's manager",
    "DT502": "notes/recipients.yaml records a note that does not exist",
    "DT600": "CODEOWNERS does not match team.yaml",
    "DT700": "change to a signed-off talk or a closed cycle",
    "DT800": "team repository in org.yaml cannot be cloned, fetched or read",
    "DT801": "a repository of the person layout (a person's, or the team's) cannot be fetched",
    "DT802": "a person repository that is not where team.yaml and devtalks.yaml say: someone else's, or another team's",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def row(self) -> list:
        """Plain JSON-able fields, in order: Diagnostic(*row) gives it back (verdict cache, worker answers)."""
        return [self.path, self.line, self.column, self.code, self.message, self.hint, self.severity]

    def sort_key(self) -> tuple:
        # every field, so that equal positions still sort the same in every run and process
        return (self.path, self.line, self.column, self.code, self.message, self.hint, self.severity)
