"""Reminder issues and e-mail digests are worked out with notes in the repository, and never mention them."""

from __future__ import annotations

from devtalks.read.load import load
from tests.conftest import EXAMPLE_TODAY

from .conftest import TODAY, add_note

SECRET = "Noor slaapt slecht door de on-call; niet in een issue zetten."


def test_reminders_and_digests_never_mention_notes(team, run_cli):
    from devtalks.remind import email, plan

    paths = [add_note(team.repo, who, SECRET) for who in ("noor", "jeroen", "daan")]
    ws = load(team.repo)
    issues = plan.reminders(ws, EXAMPLE_TODAY, plan.Links("https://github.com/example/team-platform"))
    digests = plan.digests(ws, EXAMPLE_TODAY, plan.Links("https://github.com/example/team-platform"), {})
    assert issues and digests, "the example team has things due, so this test sees real reminder texts"
    texts = [r.title + r.body for r in issues]
    texts += [email.message(d, "devtalks@example.com", "devtalks", EXAMPLE_TODAY).as_string() for d in digests]
    dry_run = run_cli("remind", "--repo", team.repo, "--dry-run", "--today", TODAY)
    assert dry_run.exit_code == 0
    texts.append(dry_run.stdout + dry_run.stderr)
    for text in texts:
        assert SECRET not in text
        assert "notes/" not in text and ".md.age" not in text
        assert not any(p.rsplit("/", 1)[1] in text for p in paths)
