"""The sign-off guard's rules: what may change in a signed-off talk or a closed cycle.

Pure functions of the old and the new text of one file; gitflow/history.py finds the changed files.
A signed talk is a record of what was agreed: only an agreement's status and done_on may
change. A closed cycle (plan_by before today) is history and does not change at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from ..diagnostics import Diagnostic
from ..read.yamlsource import Source, parse
from .translate import dotted

_GUARD_HINT_TALK = ("a signed talk is a record of what was agreed: only an agreement's status and done_on may change; "
                    "put new agreements in the next talk or a check-in")
_GUARD_HINT_CYCLE = "a closed cycle is history; open a new cycle file for new dates"


def signed_talk(rel: str, old: Source, new: bytes | None) -> list[Diagnostic]:
    """DT700 for each change to a talk whose `old` version both sides signed; `new` None is a deletion."""
    sign_off = old.data.get("sign_off")
    if not (isinstance(sign_off, dict) and sign_off.get("employee") and sign_off.get("manager")):
        return []
    when = max(str(sign_off["employee"]), str(sign_off["manager"]))
    if new is None:
        return [Diagnostic(rel, 1, 1, "DT700", f"a talk signed off on {when} is deleted", _GUARD_HINT_TALK)]
    src = parse(rel, new)
    if not isinstance(src.data, dict):
        return []
    return [src.error(loc, "DT700", f"`{dotted(loc)}` changed in a talk signed off on {when}", _GUARD_HINT_TALK)
            for loc in _differences(old.data, src.data, ()) if not _follow_up(loc, old.data, src.data)]


def closed_cycle(rel: str, old: Source, new: bytes | None, today: dt.date) -> list[Diagnostic]:
    """DT700 for each change to a cycle whose `old` version closed (plan_by) before today."""
    plan_by = old.data.get("plan_by")
    if not isinstance(plan_by, dt.date) or plan_by >= today:
        return []
    if new is None:
        return [Diagnostic(rel, 1, 1, "DT700", f"a cycle closed on {plan_by} is deleted", _GUARD_HINT_CYCLE)]
    src = parse(rel, new)
    if not isinstance(src.data, dict):
        return []
    return [src.error(loc, "DT700", f"`{dotted(loc)}` changed in a cycle that closed on {plan_by}", _GUARD_HINT_CYCLE)
            for loc in _differences(old.data, src.data, ())]


def _differences(old, new, loc: tuple) -> Iterable[tuple]:
    """Key paths where two parsed YAML documents differ, leaves first."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            yield from _differences(old.get(key, _MISSING), new.get(key, _MISSING), loc + (key,))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            yield from _differences(a, b, loc + (i,))
    elif old != new or type(old) is not type(new):
        yield loc


_MISSING = object()


def _follow_up(loc: tuple, old: dict, new: dict) -> bool:
    """True for the status or done_on of an agreement that kept its id."""
    if len(loc) != 3 or loc[0] != "agreements" or loc[2] not in ("status", "done_on"):
        return False
    try:
        return old["agreements"][loc[1]]["id"] == new["agreements"][loc[1]]["id"]
    except (KeyError, IndexError, TypeError):
        return False

