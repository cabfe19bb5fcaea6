"""Every problem of a file in one run, at the line to fix, in plain words in the team's language (issue 25).

The example team at the top of the repository, edited as a first-time user would get it wrong.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from devtalks import i18n
from devtalks.check import translate
from devtalks.model import CheckIn, Cycle, QuestionTemplate, Talk, Team
from devtalks.read.yamlsource import parse
from tests.conftest import EXAMPLE_TODAY, ROOT
from tests.test_catalogues import catalogue

TALK = "talks/daan/2026-autumn.yaml"
# What PyYAML and pydantic say in their own words; none of it may reach a user.
LIBRARY_TEXT = re.compile(
    r"while (scanning|parsing)|did not find|could not find|found (unexpected|character|undefined|unknown)|"
    r"expected <|not allowed in this context|Input should|should have|Field required|Extra inputs|Value error|"
    r"Datetimes provided|String should|List should|Dictionary should|unable to parse|valid (integer|date|string)|"
    r"out of range for month|instance of", re.IGNORECASE)


def edit(repo: Path, rel: str, *changes: tuple[str, str]) -> list[str]:
    text = (repo / rel).read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (repo / rel).write_text(text, encoding="utf-8")
    return text.split("\n")


def problems(run_cli, repo: Path) -> list[dict]:
    result = run_cli("validate", "--repo", repo, "--format", "json", "--today", EXAMPLE_TODAY.isoformat())
    assert (result.exit_code, result.stderr) == (1, "")
    found = json.loads(result.stdout)
    assert [d["message"] for d in found if LIBRARY_TEXT.search(d["message"])] == []
    return found


def line_of(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_four_mistakes_in_one_talk_file_are_four_diagnostics_of_one_run(example_repo, run_cli):
    lines = edit(example_repo, TALK, ("scheduled: 2026-11-10", "scheduled: 2026-11-31"),
                 ("held_on: 2026-11-10\n", "held_on: 2026-11-10\nmood: fine\n"),
                 ("  wellbeing: 4", "  wellbeing: 9"), ("  workload: 3", "  workload: lots"))
    found = [(d["line"], d["code"]) for d in problems(run_cli, example_repo) if d["path"] == TALK]
    assert found == [(3, "DT010"), (5, "DT100"), (line_of(lines, "wellbeing: 9"), "DT205"),
                     (line_of(lines, "workload: lots"), "DT205")]


@pytest.mark.parametrize("scheduled", ["next week", "2026-11-10 14:30", "[2026-11-10]"])
def test_a_bad_scheduled_date_does_not_hide_the_answer_errors(scheduled, example_repo, run_cli):
    lines = edit(example_repo, TALK, ("scheduled: 2026-11-10", f"scheduled: {scheduled}"),
                 ("  wellbeing: 4", "  wellbeing: 9"), ("  workload: 3", "  workload: 0"),
                 ("  mobility: grow-here", "  mobility: elsewhere"))
    found = {(d["line"], d["code"]): d for d in problems(run_cli, example_repo) if d["path"] == TALK}
    assert sorted(found) == sorted([(3, "DT102"), (line_of(lines, "wellbeing: 9"), "DT205"),
                                    (line_of(lines, "workload: 0"), "DT205"),
                                    (line_of(lines, "mobility: elsewhere"), "DT205")])
    assert found[(3, "DT102")]["message"].startswith("scheduled")
    assert "JJJJ-MM-DD" in found[(3, "DT102")]["hint"]  # the example team speaks Dutch


def test_an_unknown_key_does_not_hide_wellbeing_9(example_repo, run_cli):
    lines = edit(example_repo, TALK, ("  wellbeing: 4", "  wellbeing: 9"),
                 ("sign_off:", "signoff_note: fine\nsign_off:"))
    found = [(d["line"], d["code"]) for d in problems(run_cli, example_repo) if d["path"] == TALK]
    assert found == [(line_of(lines, "wellbeing: 9"), "DT205"), (line_of(lines, "signoff_note"), "DT100")]


def test_a_bad_agreement_date_leaves_the_rest_of_the_agreement_checked(example_repo, run_cli):
    text = (example_repo / TALK).read_text(encoding="utf-8")
    agreement = re.search(r"    owner: \S+\n    due: \S+", text).group(0)  # the first agreement's
    lines = edit(example_repo, TALK, (agreement, "    owner: nobody\n    due: soon"))
    found = [(d["line"], d["code"]) for d in problems(run_cli, example_repo) if d["path"] == TALK]
    assert sorted(found) == sorted([(line_of(lines, "owner: nobody"), "DT200"), (line_of(lines, "due: soon"), "DT102")])


def test_an_unclosed_quote_is_reported_where_it_opened_not_at_the_end_of_the_file(example_repo, run_cli):
    (example_repo / TALK).write_text((example_repo / TALK).read_text(encoding="utf-8").replace('"', ""), encoding="utf-8")
    lines = edit(example_repo, TALK, ("  proud: |\n    RFC-007", '  proud: "RFC-007'))
    found = problems(run_cli, example_repo)
    opened = line_of(lines, 'proud: "')
    assert [(d["path"], d["line"], d["code"]) for d in found] == [(TALK, opened, "DT002")]
    assert f"{len(lines)}" in found[0]["message"]  # where YAML broke: the end of the file
    assert '"' in found[0]["hint"]


def test_a_quote_closed_lines_later_is_reported_where_it_opened(example_repo, run_cli):
    lines = edit(example_repo, TALK, ("  strengths: |\n    Ik kan", '  strengths: "Ik kan'),
                 ("herkent. Dat merkte", 'herkent." Dat merkte'))
    found = problems(run_cli, example_repo)
    assert [(d["line"], d["code"]) for d in found] == [(line_of(lines, 'strengths: "'), "DT002")]
    assert str(line_of(lines, 'herkent." Dat')) in found[0]["message"]


def test_a_key_that_lost_its_indentation_is_reported_at_its_own_line(example_repo, run_cli):
    lines = edit(example_repo, TALK, ("  wellbeing: 4", "wellbeing: 4"))
    found = problems(run_cli, example_repo)
    assert [(d["line"], d["code"]) for d in found] == [(line_of(lines, "wellbeing: 4"), "DT002")]
    assert str(line_of(lines, "workload: 3")) in found[0]["message"]  # where YAML broke


@pytest.mark.parametrize("language, words", [("en", "unknown key"), ("nl", "onbekende sleutel"),
                                             ("sv", "okänd nyckel")])
def test_problems_are_told_in_the_team_language(language, words, example_repo, run_cli):
    edit(example_repo, "team.yaml", ("language: nl", f"language: {language}"))
    edit(example_repo, TALK, ("held_on: 2026-11-10\n", "held_on: 2026-11-10\nmood: fine\n"),
         ("scheduled: 2026-11-10", "scheduled: 2026-11-10 09:00"))
    found = problems(run_cli, example_repo)
    assert [d["code"] for d in found] == ["DT102", "DT100"]
    assert words in found[1]["message"]
    assert found[0]["message"] == i18n.words(language)("check_date_time", where="scheduled", value="`2026-11-10 09:00`")


EXAMPLES = {"team.yaml": Team, "cycles/2026-autumn.yaml": Cycle, "question_templates/default.yaml": QuestionTemplate,
            TALK: Talk, "talks/daan/checkin-2026-06-30.yaml": CheckIn}
BAD_VALUES = ["text", "", "a\nb", 7, -1, 0, 10**20, 2.5, True, None, [], ["x"], {}, {"k": "v"}, dt.date(2026, 1, 1),
              dt.datetime(2026, 1, 1, 10, 0), dt.datetime(2026, 1, 1), "x" * 300, "Bad Id"]


def _leaves(data, loc=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield loc + (key,)
            yield from _leaves(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data[:2]):
            yield loc + (i,)
            yield from _leaves(value, loc + (i,))


def _with(data, loc, value):
    data = copy.deepcopy(data)
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    parent[loc[-1]] = value
    return data


def test_no_pydantic_text_reaches_a_user_for_any_bad_value_in_any_example_file():
    """Every value of every example file kind, replaced by each of many wrong ones: plain words, a fix, a mapped type."""
    kinds, checked = set(), 0
    for rel, model in EXAMPLES.items():
        src = parse(rel, (ROOT / rel).read_bytes())
        for loc in _leaves(src.data):
            for bad in BAD_VALUES:
                src.data = _with(parse(rel, src.raw).data, loc, bad)
                try:
                    model.model_validate(src.data)
                    continue
                except ValidationError as e:
                    error = e
                kinds |= {err["type"] for err in error.errors()}
                for language in i18n.LANGUAGES:
                    for d in translate.translate(model, src, error, language):
                        checked += 1
                        assert not LIBRARY_TEXT.search(d.message), (rel, loc, bad, d.message)
                        assert d.hint, (rel, loc, bad, d.message)
                        assert language != "en" or "the form this key takes" not in d.message, d  # says which form
    assert checked > 3000
    own = {"line_break", "value_error", "missing", "extra_forbidden"}
    assert sorted(kinds - set(translate.MESSAGES) - own) == []
    assert {"date_from_datetime_inexact", "string_pattern_mismatch", "literal_error", "int_type"} <= kinds


@pytest.mark.parametrize("name, text", [
    ("unclosed double quote", 'a: "open\nb: 1\n'), ("unclosed single quote", "a: 'open\nb: 1\n"),
    ("unclosed list", "a: [x, y\nb: 1\n"), ("unclosed mapping", "a: {x: 1\nb: 1\n"),
    ("no colon", "a: 1\nb\nc: 2\n"), ("tab", "a: 1\n\tb: 2\n"), ("at sign", "a: @x\n"), ("backtick", "a: `x`\n"),
    ("second colon", "a: x: y\n"), ("outdented", "a:\n  b: 1\n c: 2\n"), ("indented", "a: 1\n  b: 2\n"),
    ("bad escape", 'a: "x\\qy"\n'), ("control character", "a: x\x07\n"), ("dash after value", "a: x\n- y\n"),
    ("list item out of line", "a:\n  - x\n  b: 1\n"),
])
def test_yaml_syntax_errors_are_in_plain_words_with_a_fix(name, text):
    for language in i18n.LANGUAGES:
        (d,) = parse("talk.yaml", text.encode(), language).diagnostics
        assert d.code == "DT002" and d.hint, (name, d)
        assert not LIBRARY_TEXT.search(d.message), (name, d.message)
        assert 1 <= d.line <= text.count("\n"), (name, d)


def test_every_message_of_the_tables_is_in_every_catalogue():
    keys = {k for pair in [*translate.MESSAGES.values(), *translate.PATTERNS.values()] for k in pair}
    keys |= set(translate.FORMS.values()) | {"check_form_other", "check_bad_value", "check_bad_value_fix"}
    keys |= set(re.findall(r'"(check_yaml_\w+)"', (ROOT / "devtalks" / "read" / "syntax.py").read_text(encoding="utf-8")))
    assert len(keys) > 80
    for language in i18n.LANGUAGES:
        assert sorted(keys - set(catalogue(language))) == [], language


def test_every_name_a_rule_gives_a_list_or_a_duplicate_is_in_every_catalogue():
    from devtalks.check import rules

    source = (ROOT / "devtalks" / "check" / "rules.py").read_text(encoding="utf-8")
    whats = set(re.findall(r"_(?:suggest|duplicates)\([^()]*(?:\([^()]*\)[^()]*)*\"([\w -]+)\"(?:, t)?\)", source))
    assert {"people", "question ids", "agreement id", "e-mail address", "GitHub handle"} <= whats
    for language in i18n.LANGUAGES:
        for what in whats:
            assert rules._what(what, i18n.words(language)), (language, what)


MUTATIONS = {
    "open quote": lambda line: line.replace(": ", ': "', 1),
    "no colon": lambda line: line.replace(": ", " ", 1),
    "outdent": lambda line: line[1:] if line.startswith(" ") else line,
    "indent": lambda line: " " + line,
    "tab": lambda line: "\t" + line.lstrip(" "),
    "open bracket": lambda line: line.replace(": ", ": [", 1),
    "second colon": lambda line: line + ": x",
}


def test_every_syntax_error_of_a_one_line_edit_to_an_example_file_is_in_plain_words_at_a_line_of_the_file():
    """Each example file kind, each line edited as a hurried hand might: DT002 is plain, has a fix, points in the file,
    and nearly always at the edited line (an over-indented key may be reported at the line above, which it names)."""
    reported = at_edit = 0
    for rel in EXAMPLES:
        lines = (ROOT / rel).read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            for name, mutate in MUTATIONS.items():
                text = "\n".join([*lines[:i], mutate(line), *lines[i + 1:]])
                for d in parse(rel, text.encode(), "nl").diagnostics:
                    if d.code != "DT002":
                        continue
                    reported += 1
                    at_edit += d.line == i + 1
                    assert not LIBRARY_TEXT.search(d.message) and d.hint, (rel, i + 1, name, d)
                    assert 1 <= d.line <= len(lines), (rel, i + 1, name, d)
                    if name in ("open quote", "open bracket", "tab", "no colon"):
                        assert d.line == i + 1, (rel, i + 1, name, d)
    assert reported > 3000 and at_edit > 0.85 * reported, (at_edit, reported)  # 54 % before issue 25, most far below
