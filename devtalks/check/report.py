"""Diagnostics as text, GitHub workflow annotations or JSON. The registry's keys are --format's choices."""

from __future__ import annotations

import json
from typing import Callable

from ..diagnostics import Diagnostic


def text(diagnostics: list[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        hint = f" — {d.hint}" if d.hint else ""
        lines.append(f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code}: {d.message}{hint}")
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return "\n".join(lines)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: list[Diagnostic]) -> str:
    """Workflow commands, so each problem shows on the pull request's diff at its line."""
    lines = []
    for d in diagnostics:
        level = "error" if d.is_error else "warning"
        message = f"{d.message}. {d.hint}" if d.hint else d.message
        lines.append(f"::{level} file={_escape_property(d.path)},line={d.line},col={d.column},"
                     f"title={_escape_property(d.code)}::{_escape_data(message)}")
    return "\n".join(lines)


def as_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([{"path": d.path, "line": d.line, "column": d.column, "severity": d.severity,
                        "code": d.code, "message": d.message, "hint": d.hint} for d in diagnostics],
                      indent=2, ensure_ascii=False)


REPORTERS: dict[str, Callable[[list[Diagnostic]], str]] = {"text": text, "github": github, "json": as_json}
