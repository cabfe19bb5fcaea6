"""A multi question's answer is a list naming each choice once, as the JSON Schema says; the message says how to
write it."""

from __future__ import annotations

import pytest

from tests.validate.test_cases import TALK, team_with, validate


def answer_interests(tmp_path, written: str, language: str = "en"):
    repo = team_with(tmp_path)
    team = repo / "team.yaml"
    team.write_text(team.read_text(encoding="utf-8").replace("language: en", f"language: {language}"), encoding="utf-8")
    talk = repo / TALK
    talk.write_text(talk.read_text(encoding="utf-8").replace("  interests: [data]", f"  interests: {written}"),
                    encoding="utf-8")
    return repo


@pytest.mark.parametrize("language, message, fix", [
    ("en", "`interests` takes a list of choices; `data` on its own is not a list", "write it as a list: [data]"),
    ("nl", "`interests` vraagt om een lijst met keuzes; `data` alleen is geen lijst", "schrijf het als lijst: [data]"),
    ("sv", "`interests` tar en lista med val; `data` ensamt är ingen lista", "skriv det som en lista: [data]"),
])
def test_one_choice_where_a_list_is_asked_is_an_error_that_says_how_to_write_it(tmp_path, run_cli, language, message,
                                                                                 fix):
    code, found = validate(run_cli, answer_interests(tmp_path, "data", language))
    assert code == 1
    # (the basic template has English text only: other languages add a warning per question)
    assert [(d["path"], d["line"], d["code"], d["message"], d["hint"]) for d in found if d["severity"] == "error"] == \
        [(TALK, 9, "DT205", message, fix)]


def test_a_choice_named_twice_is_an_error_with_the_list_to_write(tmp_path, run_cli):
    code, found = validate(run_cli, answer_interests(tmp_path, "[data, product, data]"))
    assert code == 1
    assert [(d["line"], d["message"], d["hint"]) for d in found] == \
        [(9, "`data` is chosen twice in `interests`", "name each choice once: [data, product]")]


@pytest.mark.parametrize("written", ["[data]", "[data, product]", "[]"])
def test_a_list_of_distinct_choices_is_valid(tmp_path, run_cli, written):
    assert validate(run_cli, answer_interests(tmp_path, written)) == (0, [])
