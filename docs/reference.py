"""The documentation site's generated pages: a mkdocs hook (`hooks:` in docs/mkdocs.yml).

Takes the pydantic file models and devtalks' Click commands of this checkout, and gives two
pages that exist only in the built site, so they never disagree with the code:
reference/files.md (every file kind: fields, types, required, default, description, an
example) and reference/cli.md (every command: usage, help, options).
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
import types
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the docs describe this checkout's code, not whichever devtalks is installed

import click  # noqa: E402
import yaml  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from devtalks.commands import cli  # noqa: E402
from devtalks.model import base  # noqa: E402
from devtalks.model.cycle import Cycle  # noqa: E402
from devtalks.model.notes import NotesIndex  # noqa: E402
from devtalks.model.org import Org  # noqa: E402
from devtalks.model.talk import Answers, CheckIn, Talk  # noqa: E402
from devtalks.model.team import Team  # noqa: E402
from devtalks.model.template import QuestionTemplate  # noqa: E402

FILES_PAGE = "reference/files.md"
CLI_PAGE = "reference/cli.md"

# Examples for the two kinds the example team has no file of (it has no age keys and no organisation);
# the build validates them against their models, so they cannot go stale.
ORG_EXAMPLE = """\
name: Voorbeeld BV
teams:
  - repo: git@github.com:example/team-platform.git
  - repo: ../team-data        # a path, relative to org.yaml
    branch: develop
language: nl
"""
RECIPIENTS_EXAMPLE = """\
notes:
  2026-11-20T093000Z.md.age:
    manager: sanne
    recipients:
      - age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
"""

# (path pattern, model, what the file is, example: a path in the example team or a YAML text).
KINDS = [
    ("team.yaml", Team, "The team, its people, goals, reminder, privacy and notes settings.", "team.yaml"),
    ("question_templates/<id>.yaml", QuestionTemplate,
     "Sections of questions with stable ids; versioned, a question is retired, never deleted.",
     "question_templates/checkin.yaml"),
    ("cycles/<id>.yaml", Cycle, "A round of talks: its template and its deadlines.", "cycles/2026-autumn.yaml"),
    ("talks/<person>/<cycle>.yaml", Talk,
     "One talk: both sides' preparation, the summary, agreements and sign-off. The person and the cycle are the "
     "path, never repeated inside.", "talks/daan/2026-autumn.yaml"),
    ("talks/<person>/checkin-<YYYY-MM-DD>.yaml", CheckIn, "A light check-in between two talks.",
     "talks/daan/checkin-2026-10-20.yaml"),
    ("talks/<person>/notes/recipients.yaml", NotesIndex,
     "Which public keys each private note is encrypted to; `devtalks notes` writes it.", RECIPIENTS_EXAMPLE),
    ("org.yaml", Org, "HR's list of team repositories, for `devtalks build --org`.", ORG_EXAMPLE),
]

# Names for the constrained strings the models share, in the words a file's author knows.
NAMED = [
    (base.Slug, "id"), (base.Email, "e-mail address"), (base.GitHubHandle, "GitHub handle"),
    (base.Language, "language code"), (base.UiLanguage, "language (" + " \\| ".join(base.LANGUAGES) + ")"),
    (base.AgeRecipient, "age public key"), (base.Localised, "text per language"),
    (Answers, "map of question id → answer"),
]
EXAMPLE_LINES = 60


def on_files(files, config):
    """Add the two generated pages to the site's files."""
    files.append(File.generated(config, FILES_PAGE, content=files_page()))
    files.append(File.generated(config, CLI_PAGE, content=cli_page()))
    return files


def files_page() -> str:
    """Markdown for every file kind: a table per model (nested ones after it) and an example."""
    out = ["# Files", "",
           "Every file devtalks reads, generated from the models that check it. Unknown keys are errors "
           "(DT100), a missing required key is DT101, a wrong value DT102 ([codes](../codes.md)). "
           "`devtalks schema` writes the same rules as JSON Schemas for editors.", ""]
    seen: list[type[BaseModel]] = []  # a model shared by two kinds (Agreement) is described once
    for path, model, what, example in KINDS:
        out += [f"## `{path}`", "", what, ""]
        out += model_tables(model, seen)
        inline = "\n" in example
        whole = example if inline else (ROOT / example).read_text(encoding="utf-8")
        model.model_validate(yaml.safe_load(whole))  # an example that no longer fits its model fails the build
        text = whole if inline else _excerpt(whole)
        source = "" if inline else f" (`{example}` of the example team{', abridged' if text != whole else ''})"
        out += [f"Example{source}:", "", "```yaml", text.rstrip("\n"), "```", ""]
    return "\n".join(out)


def model_tables(model: type[BaseModel], seen: list[type[BaseModel]]) -> list[str]:
    """A table of `model`'s fields, then one for each model nested in it not in `seen` (which it extends)."""
    out: list[str] = []
    todo = [model]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        hints = typing.get_type_hints(current, include_extras=True)
        if current is not model:
            out += [f"#### {current.__name__} {{#{_anchor(current)}}}", ""]
        out += ["| key | type | required | default | description |", "|---|---|---|---|---|"]
        for name, field in current.model_fields.items():
            todo += [m for m in _models_in(hints[name]) if m not in seen]
            default = "" if field.is_required() else _default(field)
            out.append(f"| `{name}` | {type_name(hints[name])}{_bounds(field.metadata)} | "
                       f"{'yes' if field.is_required() else 'no'} | "
                       f"{default} | {_cell(field.description or '')} |")
        out.append("")
    return out


def type_name(hint) -> str:
    """A type hint as a reader says it: `list of id`, `date`, `one of: open, done`."""
    for alias, name in NAMED:
        if hint == alias:
            return name
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in args if a is not type(None))
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"map of {type_name(args[0])} → {type_name(args[1])}"
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return "one of: " + ", ".join(f"`{m.value}`" for m in hint)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return f"[{hint.__name__}](#{_anchor(hint)})"
    names = {str: "text", int: "integer", bool: "true/false", dt.date: "date (YYYY-MM-DD)", typing.Any: "answer"}
    return names.get(hint, getattr(hint, "__name__", str(hint)))


def _bounds(metadata: list) -> str:
    """The limits a field's own constraints set, as words: `, 0 to 90`, `, at least 1`, `, not empty`."""
    low = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    if low is not None and high is not None:
        return f", {low} to {high}"
    if low is not None:
        return f", at least {low}"
    return ", not empty" if any(getattr(m, "min_length", None) == 1 for m in metadata) else ""


def _models_in(hint) -> list[type[BaseModel]]:
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return [hint]
    return [m for arg in typing.get_args(hint) for m in _models_in(arg)]


def _cell(text: str) -> str:
    """Text safe in a Markdown paragraph or table cell: `<id>` stays visible, `|` does not split a cell."""
    return text.replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")


def _anchor(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _default(field) -> str:
    """The default as it would be written in YAML."""
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "its defaults"
    if value is None:
        return "none"
    plain = [v.value if isinstance(v, enum.Enum) else v for v in value] if isinstance(value, list) else value
    plain = plain.value if isinstance(plain, enum.Enum) else plain
    written = yaml.safe_dump(plain, default_flow_style=True, allow_unicode=True)
    return f"`{written.removesuffix('...' + chr(10)).strip()}`"


def _excerpt(text: str) -> str:
    lines = text.splitlines(keepends=True)
    if len(lines) <= EXAMPLE_LINES:
        return "".join(lines)
    cut = EXAMPLE_LINES
    while cut < len(lines) and lines[cut].startswith((" ", "-")):
        cut += 1  # end the excerpt where a top-level key starts, so it stays a readable whole
    return "".join(lines[:cut]) + "# …\n"


def cli_page() -> str:
    """Markdown for every command under the `devtalks` group: usage, help text, options."""
    out = ["# Commands", "",
           "Every `devtalks` command with its `--help`, generated from the commands themselves. "
           "Every command that depends on the date takes `--today YYYY-MM-DD`.", ""]
    for path, command, ctx in commands(cli):
        out += [f"## `{' '.join(['devtalks', *path])}`", "", "```text", command.get_usage(ctx), "```", ""]
        out += _help_markdown(command.help or "")
        rows = [param.get_help_record(ctx) for param in command.get_params(ctx)]
        rows = [r for r in rows if r and r[1]]  # an argument has no help of its own: the usage line names it
        if rows:
            out += ["| option | what it does |", "|---|---|"]
            out += [f"| `{names}` | {_cell(text)} |" for names, text in rows]
            out.append("")
        if isinstance(command, click.Group):
            subs = [f"[`{name}`](#devtalks-{'-'.join([*path, name])})" for name in command.list_commands(ctx)]
            out += ["Commands: " + ", ".join(subs), ""]
    return "\n".join(out)


def commands(group: click.Group, path: tuple[str, ...] = (), parent: click.Context | None = None):
    """(path, command, its context) for `group` and every command and subcommand under it, in help order."""
    ctx = click.Context(group, info_name=path[-1] if path else "devtalks", parent=parent, **group.context_settings)
    yield path, group, ctx
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name), ctx)
        else:
            yield (*path, name), command, click.Context(command, info_name=name, parent=ctx)


def _help_markdown(text: str) -> list[str]:
    """A Click docstring as Markdown: its paragraphs as text, a `\\b` block (examples) as a code block."""
    out: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            block = [line for line in lines[1:]]
            indent = min(len(line) - len(line.lstrip()) for line in block if line.strip())
            out += ["```text", *(line[indent:] for line in block), "```", ""]
        else:
            out += [_cell(" ".join(line.strip() for line in lines)), ""]
    return out
