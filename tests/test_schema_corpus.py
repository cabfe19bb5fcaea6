"""devtalks is never looser than the JSON Schema it ships: every single edit of an example file the schema rejects,
`devtalks validate` rejects too.

The corpus: each example file kind, and in it each value changed one at a time (a quoted number, a number where
text is, a single choice where a list is, a repeated item, an unknown key, null, empty, an impossible date, out of
range, a key left out, `yes` or `1:30` unquoted …). Each edit is written into a real copy of the example team and
validated there, and the same text is checked against the schema its first line names (`devtalks schema`), read as
an editor's yaml-language-server reads it: YAML 1.2, dates as text, formats checked.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Iterator

import jsonschema
import pytest
import yaml

from tests.conftest import EXAMPLE_TODAY, ROOT, copy_example

# One file of every kind a person edits, with answers of every question kind (text, scale, choice, multi).
EXAMPLES = ["team.yaml", "question_templates/default.yaml", "cycles/2026-autumn.yaml",
            "talks/noor/2026-spring.yaml", "talks/noor/checkin-2026-09-29.yaml"]
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?:\S*/)?(\S+)$", re.M)


class Unquoted(str):
    """Text written without quotes, as a person types it: `2026-02-30`, `yes`, `1_0`, whatever YAML makes of it."""


class _Dumper(yaml.SafeDumper):
    pass


# The tag YAML 1.1 resolves the text to: the emitter then writes the text as it is, unquoted.
_Dumper.add_representer(Unquoted, lambda d, v: d.represent_scalar(d.resolve(yaml.ScalarNode, v, (True, False)), str(v)))


@dataclass(frozen=True)
class Edit:
    path: str
    where: str
    what: str
    text: str

    def __str__(self) -> str:
        return f"{self.path} {self.where}: {self.what}"


def variants(value: Any) -> Iterator[tuple[str, Any]]:
    """(what, new value) for one value: the mistakes a person makes when typing it by hand."""
    common = [("null", None), ("empty text", "")]
    if isinstance(value, bool):
        yield from [("quoted", str(value).lower()), ("yes", Unquoted("yes")), ("no", Unquoted("no")),
                    ("off", Unquoted("off")), ("number", 1), *common]
    elif isinstance(value, int):
        yield from [("quoted number", str(value)), ("fraction", value + 0.5), ("whole float", float(value)),
                    ("bool", True), ("zero", 0), ("negative", -1), ("huge", 10**6), ("list", [value]),
                    ("date", dt.date(2026, 5, 1)), ("digits apart", Unquoted("1_0")), ("hexadecimal", Unquoted("0x10")),
                    ("minutes", Unquoted("1:30")), *common]
    elif isinstance(value, dt.date):
        yield from [("quoted date", value.isoformat()), ("impossible date", Unquoted("2026-02-30")),
                    ("quoted impossible date", "2026-02-30"), ("not a date", "next week"),
                    ("one digit month", Unquoted("2026-5-1")), ("number", int(value.strftime("%Y%m%d"))),
                    ("date and time", dt.datetime(2026, 5, 1, 10, 0)),
                    ("list", [value]), *common]
    elif isinstance(value, str):
        yield from [("number", 5), ("quoted number", "5"), ("bool", True), ("yes", Unquoted("yes")),
                    ("date", dt.date(2026, 5, 1)),
                    ("list", [value]), ("mapping", {"en": value}), ("line break", value + "\nmore"),
                    ("capitals and spaces", value.upper() + " X"), ("long", "x" * 300), *common]
    elif isinstance(value, list):
        if value:
            yield from [("scalar", value[0]), ("repeated item", [*value, copy.deepcopy(value[0])])]  # no YAML alias
        yield from [("empty list", []), ("mapping", {"x": 1}), *common]
    elif isinstance(value, dict):
        yield from [("unknown key", {**value, "colour": "blue"}), ("empty mapping", {}), ("list", [value]), *common]
    elif value is None:
        yield from [("text", "x"), ("number", 1), ("list", []), ("empty text", "")]


def _edits_of(data: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str, Any]]:
    """(location, what, new value) for every value in `data`, and every key left out."""
    for what, new in variants(data):
        yield loc, what, new
    if isinstance(data, dict):
        for key, value in data.items():
            yield loc + (key,), "key left out", _LEFT_OUT
            yield from _edits_of(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _edits_of(value, loc + (i,))


_LEFT_OUT = object()


def _changed(data: Any, loc: tuple, new: Any) -> Any:
    if not loc:
        return new
    head, rest = loc[0], loc[1:]
    if isinstance(data, dict):
        out = dict(data)
        if new is _LEFT_OUT and not rest:
            del out[head]
        else:
            out[head] = _changed(data[head], rest, new)
        return out
    out = list(data)
    out[head] = _changed(data[head], rest, new)
    return out


def _shape(loc: tuple, kinds: dict[str, str]) -> tuple:
    """The case a location stands for: the same field in another list item, another language of a text or another
    answer to a question of the same kind (`kinds`: question id → kind) is the same case."""
    if loc[:1] in (("employee",), ("manager",)) and len(loc) > 1:
        loc = (loc[0], kinds.get(loc[1], loc[1]), *loc[2:])
    return tuple("*" if isinstance(part, int) else "<language>" if part in ("en", "nl", "sv") else part
                 for part in loc)


def _question_kinds(schema_name: str) -> dict[str, str]:
    """Question id → kind, of the template a talk or check-in schema is made for (`talk-default.schema.json`)."""
    template = ROOT / "question_templates" / f"{schema_name.split('.')[0].partition('-')[2]}.yaml"
    if not template.is_file():
        return {}
    sections = yaml.safe_load(template.read_text(encoding="utf-8"))["sections"]
    return {q["id"]: q.get("kind", "text") for s in sections for q in s["questions"]}


def corpus() -> list[Edit]:
    edits = []
    seen = set()
    for rel in EXAMPLES:
        text = (ROOT / rel).read_text(encoding="utf-8")
        first = text.splitlines()[0]
        schema_name = SCHEMA_LINE.match(first).group(1)
        kinds = _question_kinds(schema_name)
        data = yaml.safe_load(text)
        for loc, what, new in _edits_of(data):
            case = (schema_name.split("-")[0], _shape(loc, kinds), what, type(_at(data, loc)).__name__)
            if case in seen:
                continue
            seen.add(case)
            body = yaml.dump(_changed(data, loc, new), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "the file"
            edits.append(Edit(rel, where, what, f"{first}\n{body}"))
    return edits


def _at(data: Any, loc: tuple) -> Any:
    for part in loc:
        data = data[part]
    return data


# YAML 1.2's core schema, as yaml-language-server reads YAML: what a plain (unquoted) scalar stands for. Anything
# else is text, `yes`, `1:30` and `2026-05-01` too (JSON has no dates: a schema checks a date as text).
CORE_SCALARS = [
    (re.compile(r"~|null|Null|NULL|"), lambda text: None),
    (re.compile(r"true|True|TRUE"), lambda text: True),
    (re.compile(r"false|False|FALSE"), lambda text: False),
    (re.compile(r"[-+]?[0-9]+"), int),
    (re.compile(r"0o[0-7]+"), lambda text: int(text[2:], 8)),
    (re.compile(r"0x[0-9a-fA-F]+"), lambda text: int(text[2:], 16)),
    (re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"), float),
    (re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"), lambda text: float(text.replace(".", ""))),
]


def as_schema_data(node: yaml.Node) -> Any:
    """A YAML node as a JSON Schema checker sees it: YAML 1.2 core values, keys as text."""
    if isinstance(node, yaml.MappingNode):
        return {str(as_schema_data(k)): as_schema_data(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [as_schema_data(item) for item in node.value]
    if not node.style:  # plain (libyaml says so with "", PyYAML with None): not quoted, not a block
        for pattern, value in CORE_SCALARS:
            if pattern.fullmatch(node.value):
                return value(node.value)
    return node.value


@pytest.fixture(scope="module")
def judges(tmp_path_factory):
    """(devtalks rejects?, schema rejects?) of one edit."""
    from devtalks.check.schema import schemas
    from devtalks.check.validate import validate_repo
    from devtalks.read.load import load

    repo = copy_example(tmp_path_factory.mktemp("corpus") / "team")
    validator = jsonschema.Draft202012Validator
    checkers = {name: validator(body, format_checker=validator.FORMAT_CHECKER)  # formats checked, as check-jsonschema does
                for name, body in schemas(load(repo, keep_parsed=False).templates).items()}

    def judge(edit: Edit) -> tuple[bool, bool]:
        file = repo / edit.path
        kept = file.read_bytes()
        file.write_text(edit.text, encoding="utf-8")
        try:
            # A talk or check-in is checked against the shared files, as the pre-commit hook checks a changed talk.
            only = [edit.path] if edit.path.startswith("talks/") else None
            found = validate_repo(repo, EXAMPLE_TODAY, only=only, use_cache=False).diagnostics
        finally:
            file.write_bytes(kept)
        try:
            data = as_schema_data(yaml.compose(edit.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        except yaml.YAMLError:  # a text YAML does not read is rejected by every schema checker
            schema_rejects = True
        else:
            schema_rejects = not checkers[SCHEMA_LINE.match(edit.text).group(1)].is_valid(data)
        return any(d.is_error for d in found), schema_rejects

    return judge


def test_the_example_files_pass_both(judges):
    for rel in EXAMPLES:
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert judges(Edit(rel, "the file", "none", text)) == (False, False), rel


def test_devtalks_rejects_every_edit_its_schema_rejects(judges, record_property):
    edits = corpus()
    verdicts = {edit: judges(edit) for edit in edits}
    looser = [str(e) for e, (ours, schema) in verdicts.items() if schema and not ours]
    counts = {"edits": len(edits), "devtalks rejects": sum(ours for ours, _ in verdicts.values()),
              "schema rejects": sum(schema for _, schema in verdicts.values()), "devtalks accepts, schema rejects":
              len(looser), "devtalks rejects, schema accepts": sum(ours and not s for ours, s in verdicts.values())}
    record_property("corpus", counts)
    print(counts)
    assert len(edits) > 500 and {e.path for e in edits} == set(EXAMPLES), "the corpus covers every file kind"
    talk = "talks/noor/2026-spring.yaml"
    reported = [f"{talk} template_version: quoted number", "team.yaml privacy.min_group_size: quoted number",
                f"{talk} employee.interests: scalar", f"{talk} employee.interests: repeated item"]
    assert [verdicts[e][1] for e in edits if str(e) in reported] == [True] * 4, "issue 25's edits, which the schema rejects"
    assert looser == [], f"{counts}: devtalks accepts what its JSON Schema rejects:\n" + "\n".join(looser)
