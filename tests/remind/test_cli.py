"""`devtalks remind` as a user runs it: the dry-run plan, and a repository with errors refused."""

from __future__ import annotations

from devtalks.read.load import load
from devtalks.remind import plan
from devtalks.remind.email import SENT_LOG
from devtalks.state import state_dir
from tests.conftest import EXAMPLE_TODAY


def test_dry_run_shows_the_plan_and_contacts_nothing(forge, smtp, remind, example_repo):
    result = remind("--dry-run", channel="all")
    assert result.exit_code == 0, result.stderr
    assert forge.seen == [] and smtp.messages == []
    assert not state_dir(example_repo, SENT_LOG).exists()
    ws = load(example_repo)
    reminders = plan.reminders(ws, EXAMPLE_TODAY, plan.Links())
    digests = plan.digests(ws, EXAMPLE_TODAY, plan.Links(), {})
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["action", "who", "what", "due"]
    assert sum(line.startswith("open ") for line in lines) == len(reminders)
    assert sum(line.startswith("e-mail ") for line in lines) == len(digests)
    for r in reminders:
        assert any(r.task in line and r.item.due.isoformat() in line for line in lines)
    for d in digests:
        assert any(d.address in line and d.subject in line for line in lines)
    assert f"{len(reminders)} reminder issue(s) due" in result.stdout


def test_dry_run_needs_no_token_or_server(remind):
    result = remind("--dry-run", channel="all")
    assert result.exit_code == 0 and "open " in result.stdout


def test_a_repository_with_errors_gets_no_reminders(forge, remind, example_repo):
    talk = next(example_repo.glob("talks/*/*.yaml"))
    talk.write_text(talk.read_text(encoding="utf-8") + "\nnot_a_field: 1\n", encoding="utf-8")
    result = remind()
    assert result.exit_code == 1
    assert "file error(s)" in result.stderr and "devtalks validate" in result.stderr
    assert forge.seen == []
