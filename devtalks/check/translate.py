"""pydantic validation errors as Diagnostics at the file's own lines, in plain words with a fix for each.

Every kind of error pydantic can raise for the types in devtalks/model has its message and fix
in the catalogues (check_* keys), in the team's language; pydantic's own text never reaches a
user. A message devtalks' own validators raise (a ValueError, a PydanticCustomError) is
devtalks' text already and is kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from ..diagnostics import Diagnostic
from ..i18n import FALLBACK, Words, words
from ..model.base import SLUG_RE, Email, GitHubHandle, Language
from ..model.org import TeamSource
from ..model.team import Reminders
from ..read.yamlsource import Source

# pydantic's error type → the catalogue's message and fix (the fix may name {limit} or {options}).
MESSAGES: dict[str, tuple[str, str]] = {
    "string_type": ("check_not_text", "check_not_text_fix"),
    "int_type": ("check_not_whole", "check_not_whole_fix"),
    "int_parsing": ("check_not_whole", "check_not_whole_fix"),
    "int_parsing_size": ("check_not_whole", "check_not_whole_fix"),
    "float_type": ("check_not_number", "check_not_number_fix"),
    "float_parsing": ("check_not_number", "check_not_number_fix"),
    "bool_type": ("check_not_bool", "check_not_bool_fix"),
    "bool_parsing": ("check_not_bool", "check_not_bool_fix"),
    "date_type": ("check_not_date", "check_not_date_fix"),
    "date_parsing": ("check_not_date", "check_not_date_fix"),
    "date_from_datetime_parsing": ("check_not_date", "check_not_date_fix"),
    "date_from_datetime_inexact": ("check_date_time", "check_date_time_fix"),
    "greater_than_equal": ("check_too_small", "check_too_small_fix"),
    "greater_than": ("check_above", "check_above_fix"),
    "less_than_equal": ("check_too_big", "check_too_big_fix"),
    "less_than": ("check_below", "check_below_fix"),
    "string_too_short": ("check_text_short", "check_text_short_fix"),
    "string_too_long": ("check_text_long", "check_text_long_fix"),
    "too_short": ("check_few", "check_few_fix"),
    "too_long": ("check_many", "check_many_fix"),
    "enum": ("check_not_option", "check_not_option_fix"),
    "literal_error": ("check_not_option", "check_not_option_fix"),
    "list_type": ("check_not_list", "check_not_list_fix"),
    "set_type": ("check_not_list", "check_not_list_fix"),
    "tuple_type": ("check_not_list", "check_not_list_fix"),
    "dict_type": ("check_not_mapping", "check_not_mapping_fix"),
    "model_type": ("check_not_mapping", "check_not_mapping_fix"),
    "model_attributes_type": ("check_not_mapping", "check_not_mapping_fix"),
    "string_pattern_mismatch": ("check_pattern", "check_pattern_fix"),
}
# The pattern a text did not match → what the text should be, and how to write it.
PATTERNS: dict[str, tuple[str, str]] = {
    SLUG_RE.pattern: ("check_pattern_id", "check_pattern_id_fix"),
    **{next(m.pattern for m in metadata if getattr(m, "pattern", None)): keys for metadata, keys in (
        (Email.__metadata__, ("check_pattern_email", "check_pattern_email_fix")),
        (GitHubHandle.__metadata__, ("check_pattern_github", "check_pattern_github_fix")),
        (Language.__metadata__, ("check_pattern_language", "check_pattern_language_fix")),
        (Reminders.model_fields["repository"].metadata, ("check_pattern_repository", "check_pattern_repository_fix")),
        (TeamSource.model_fields["branch"].metadata, ("check_pattern_branch", "check_pattern_branch_fix")))},
}
# What one member of a union (`all` or a list of ids) takes, for the fix that lists them all.
FORMS = {"list_type": "check_form_list", "string_type": "check_form_text", "int_type": "check_form_number",
         "int_parsing": "check_form_number", "date_type": "check_form_date", "dict_type": "check_form_mapping",
         "model_type": "check_form_mapping"}
# Error types whose message is devtalks' own words: raised by a validator in devtalks/model.
_OWN = {"value_error", "assertion_error"}
_LIMITS = ("ge", "gt", "le", "lt", "min_length", "max_length")
_SHOWN = 40  # a longer value is cut in a message: the line it is on is named anyway


def validate(model: type[BaseModel], src: Source, language: str = FALLBACK,
             salvage: bool = False) -> tuple[Any, list[Diagnostic]]:
    """`src`'s data as `model` with the problems found; None when it does not validate.

    With `salvage`, a file with problems still gives a model of what is valid in it: the values
    at fault are left out (src.pruned names them), so the cross-file rules check the rest. A
    required value at fault leaves out the whole top-level key it is under; a required
    top-level key that is missing or wrong gives None.
    """
    try:
        return model.model_validate(src.data), []
    except ValidationError as e:
        problems = translate(model, src, e, language)
        return (_salvaged(model, src, e) if salvage else None), problems


def translate(model: type[BaseModel], src: Source, error: ValidationError, language: str = FALLBACK) -> list[Diagnostic]:
    """One diagnostic per problem pydantic found, at its line; the members of a union that all failed give one."""
    t = words(language)
    out, seen = [], set()
    errors = error.errors(include_url=False)
    locs = [_data_loc(src.data, e["loc"]) for e in errors]
    for err, loc in zip(errors, locs):
        if loc in seen or loc in src.reported:
            continue  # a union's other members, or a value the parse reported already
        if len(err["loc"]) > len(loc) and any(len(o) > len(loc) and o[:len(loc)] == loc for o in locs):
            continue  # a union member that did not fit, where another took the value in and found a fault inside
        seen.add(loc)
        members = [e for e, o in zip(errors, locs) if o == loc and e["loc"] != err["loc"]]
        out.append(_diagnostic(model, src, loc, err, members, t))
    return out


def _diagnostic(model: type[BaseModel], src: Source, loc: tuple, err: dict, members: list[dict], t: Words) -> Diagnostic:
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = t("check_did_you_mean", word=close[0]) if close else (
            t("check_known_keys", keys=", ".join(sorted(allowed))) if allowed else t("check_remove_it"))
        return src.error(loc, "DT100", t("check_unknown_key", name=key), hint, key=True)
    if kind == "missing":
        where = dotted(loc[:-1]) if loc[:-1] else t("check_top_level")
        return src.error(loc[:-1], "DT101", t("check_missing_key", name=loc[-1], where=where),
                         t("check_missing_key_fix", name=loc[-1]), key=True)
    values = {"where": dotted(loc), "value": shown(err.get("input"), t), **_context(err.get("ctx") or {})}
    if members:
        forms = [_form(e, t) for e in (err, *members)]
        return src.error(loc, "DT102", t("check_none_of", **values), t("check_none_of_fix", forms=", ".join(forms)))
    if kind in _OWN or kind not in _LIBRARY:
        return src.error(loc, "DT102", f"{values['where']}: {_own_text(err)}",
                         _own_hint(kind) or t("check_bad_value_fix"))
    message, fix = MESSAGES.get(kind, ("check_bad_value", "check_bad_value_fix"))
    if kind == "string_pattern_mismatch":
        message, fix = PATTERNS.get(err["ctx"]["pattern"], (message, fix))
    elif kind in ("string_too_short", "too_short") and values.get("limit") == 1:
        message, fix = "check_empty", "check_empty_fix"
    return src.error(loc, "DT102", t(message, **values), t(fix, **values))


_LIBRARY = frozenset(get_args(ErrorType))  # every error type pydantic itself raises, with its own English text


def _context(ctx: dict) -> dict[str, str]:
    """The limit and the allowed values an error names, as a message shows them."""
    out = {}
    for name in _LIMITS:
        if name in ctx:
            out["limit"] = ctx[name]
    if "expected" in ctx:
        out["options"] = ", ".join(f"`{v}`" for v in re.findall(r"'([^']*)'", str(ctx["expected"])))
    return out


def _form(err: dict, t: Words) -> str:
    """What one member of a union takes: its values (`all`), or the kind of value (a list)."""
    if err["type"] in ("literal_error", "enum"):
        return _context(err.get("ctx") or {}).get("options", "")
    return t(FORMS.get(err["type"], "check_form_other"))


def shown(value: Any, t: Words) -> str:
    """A value as the file has it, in backticks, cut short; a list or mapping by its kind."""
    if isinstance(value, list):
        return t("check_a_list")
    if isinstance(value, dict):
        return t("check_a_mapping")
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    else:
        text = str(value).replace("\n", "\\n")
    return f"`{text[:_SHOWN]}…`" if len(text) > _SHOWN else f"`{text}`"


def _own_text(err: dict) -> str:
    return err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _own_hint(kind: str) -> str:
    if kind == "line_break":
        return ("write it on one line: a `|` or `>` block, an empty line or `\\n` in quotes each make a break "
                "(a long line may use `>-`)")
    return ""


def _salvaged(model: type[BaseModel], src: Source, error: ValidationError) -> Any:
    """The model of `src`'s data without the values at fault (recorded in src.pruned), or None."""
    data = src.data
    for deep in (True, False):  # leaves first; then the top-level keys a leaf could not be left out of
        data, pruned = _without(data, [_data_loc(data, e["loc"]) for e in error.errors(include_url=False)], deep)
        src.pruned |= pruned
        try:
            return model.model_validate(data)
        except ValidationError as e:
            error = e
    return None


def _without(data: dict, locs: list[tuple], deep: bool) -> tuple[dict, set[tuple]]:
    """`data` without the values at `locs`: each as a key of its mapping when `deep`, else its whole top-level key.

    An item of a list is never left out on its own: the items after it would move, and with them every line
    a rule reports. Its top-level key goes in the second round instead.
    """
    data, pruned = dict(data), set()
    for loc in locs:
        if not loc or loc[0] not in data:
            continue
        if deep and len(loc) > 1:
            if isinstance(loc[-1], str) and isinstance(_at(data, loc[:-1]), dict) and loc[-1] in _at(data, loc[:-1]):
                _pop(data, loc)
                pruned.add(loc)
            continue
        del data[loc[0]]
        pruned.add(loc[:1])
    return data, pruned


def _at(data: dict, loc: tuple) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data or isinstance(data, list) and isinstance(part, int) \
                and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _pop(data: dict, loc: tuple) -> None:
    """Delete the value at `loc`, copying each mapping and list on the way: the file's own data stays as it was read."""
    parent = data
    for part in loc[:-1]:
        parent[part] = copy.copy(parent[part])
        parent = parent[part]
    del parent[loc[-1]]


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
