"""pydantic validation errors as Diagnostics at the file's own lines, with a hint to fix each."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostic
from ..read.yamlsource import Source


def validate(model: type[BaseModel], src: Source) -> tuple[Any, list[Diagnostic]]:
    """`src`'s data as `model`, or None with the problems found."""
    try:
        return model.model_validate(src.data), []
    except ValidationError as e:
        return None, translate(model, src, e)


def translate(model: type[BaseModel], src: Source, error: ValidationError) -> list[Diagnostic]:
    out = []
    for err in error.errors(include_url=False):
        loc = _data_loc(src.data, err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            key = loc[-1]
            allowed = _fields_at(model, loc[:-1])
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else (
                f"known keys here: {', '.join(sorted(allowed))}" if allowed else "remove it")
            out.append(src.error(loc, "DT100", f"unknown key `{key}`", hint, key=True))
        elif kind == "missing":
            where = dotted(loc[:-1]) if loc[:-1] else "the top level"
            out.append(src.error(loc[:-1], "DT101", f"required key `{loc[-1]}` is missing in {where}",
                                 f"add `{loc[-1]}:` with a value", key=True))
        else:
            message = err["msg"].removeprefix("Value error, ")
            out.append(src.error(loc, "DT102", f"{dotted(loc)}: {message}", _type_hint(kind)))
    return out


def _data_loc(data: Any, loc: tuple) -> tuple:
    """pydantic's error location as a key path into the file's data.

    Inside unions pydantic adds the member's type name (`literal['all']`); those are not
    keys of the data and are dropped. The last element stays: it may be a missing key.
    """
    out: list = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif i < len(loc) - 1:
            continue
        out.append(part)
    return tuple(out)


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def dotted(loc: tuple) -> str:
    """A key path as people write it: `agreements[0].due`."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "the file"


def _type_hint(kind: str) -> str:
    if kind.startswith("date"):
        return "write a date as YYYY-MM-DD"
    if "int" in kind or "number" in kind or kind.startswith(("greater", "less")):
        return "write a whole number in the allowed range"
    if "string_pattern" in kind:
        return "ids use lower-case letters, digits, - and _ only"
    if kind == "enum" or kind.startswith("literal"):
        return "use one of the values listed"
    if kind == "line_break":
        return ("write it on one line: a `|` or `>` block, an empty line or `\\n` in quotes each make a break "
                "(a long line may use `>-`)")
    return ""
