"""Reminders say what is due and when: never an answer, a summary, support asked for, or a private note."""

from __future__ import annotations

import datetime as dt

from devtalks.model import Kind
from devtalks.read.load import load
from tests.conftest import EXAMPLE_TODAY

from .conftest import TOKEN, edit_yaml
from .helpers import resolve_everything

ANSWER = "CANARY-ANSWER-vertrouwelijk"
SUMMARY = "CANARY-SUMMARY-vertrouwelijk"
SUPPORT = "CANARY-SUPPORT-vertrouwelijk"
NOTE = "CANARY-NOTE-vertrouwelijk"
SECRETS = (ANSWER, SUMMARY, SUPPORT, NOTE, TOKEN)


def plant_canaries(repo) -> None:
    """Put a marked text into every free-text answer, summary, topic and support field."""
    texts = {q.id for t in load(repo).templates.values() for q in t.questions().values() if q.kind is Kind.text}

    def change(data: dict) -> None:
        for side in ("employee", "manager"):
            for qid, value in (data.get(side) or {}).items():
                if qid in texts and isinstance(value, str):
                    data[side][qid] = f"{ANSWER} {value}"
        if data.get("summary"):
            data["summary"] = f"{SUMMARY} {data['summary']}"
        if data.get("topics"):
            data["topics"] = [f"{ANSWER} {t}" for t in data["topics"]]
        for a in (data.get("agreements") or []) + (data.get("follow_ups") or []):
            a["support"] = SUPPORT

    for file in sorted((repo / "talks").glob("*/*.yaml")):
        edit_yaml(file, change)


def write_note(repo) -> str:
    """A real encrypted note from a manager about a report, the way `devtalks notes add` writes it."""
    from pyrage import x25519

    from devtalks.notes.store import add

    ws = load(repo)
    report = next(p for p in ws.team.people if p.manager)
    identity = x25519.Identity.generate()

    def change(data: dict) -> None:
        for p in data["people"]:
            if p["id"] == report.manager:
                p["age_recipient"] = str(identity.to_public())

    edit_yaml(repo / "team.yaml", change)
    return add(load(repo), report.id, NOTE)


def test_no_answer_summary_support_or_note_reaches_an_issue_or_an_e_mail(forge, smtp, remind, example_repo, run_cli):
    plant_canaries(example_repo)
    planted = "".join(f.read_text(encoding="utf-8") for f in (example_repo / "talks").glob("*/*.yaml"))
    assert all(secret in planted for secret in (ANSWER, SUMMARY, SUPPORT))
    note = write_note(example_repo)
    assert (example_repo / note).exists()
    assert run_cli("validate", "--repo", example_repo, "--today", EXAMPLE_TODAY.isoformat()).exit_code == 0
    outputs = [remind(channel="all"), remind(channel="all", today=EXAMPLE_TODAY + dt.timedelta(days=7))]
    later = EXAMPLE_TODAY + dt.timedelta(days=30)
    resolve_everything(example_repo, later)
    outputs.append(remind(channel="all", today=later))
    assert all(r.exit_code == 0 for r in outputs), [r.stderr for r in outputs]

    issues = [f"{i['title']}\n{i['body']}" for i in forge.issues.values()]
    comments = [c["body"] for cs in forge.comments.values() for c in cs]
    mails = [f"{m['Subject']}\n{m.get_content()}" for _, _, m in smtp.messages]
    printed = [r.stdout + r.stderr for r in outputs]
    assert issues and comments and mails
    for text in issues + comments + mails + printed:
        for secret in SECRETS:
            assert secret not in text
        assert "/notes/" not in text and ".age" not in text and "notities" not in text.lower()
