"""`devtalks remind --channel email` against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import datetime as dt
import subprocess
from email.utils import parseaddr

import pytest

from devtalks.progress import due_items
from devtalks.read.load import load
from devtalks.remind import plan, texts
from devtalks.remind.email import SENT_LOG
from devtalks.state import state_dir
from tests.conftest import EXAMPLE_TODAY, need

from .conftest import Inbox, edit_yaml, free_port


def planned(repo, today) -> dict[str, plan.Digest]:
    return {d.address: d for d in plan.digests(load(repo), today, plan.Links(), {})}


def test_each_person_gets_one_digest_of_what_is_due_for_them(smtp, remind, example_repo):
    result = remind(channel="email")
    assert result.exit_code == 0, result.stderr
    want = planned(example_repo, EXAMPLE_TODAY)
    assert want, "the example day has e-mail reminders"
    got = {rcpt[0]: msg for _, rcpt, msg in smtp.messages}
    assert len(smtp.messages) == len(got) == len(want)
    assert set(got) == set(want)
    ws = load(example_repo)
    for address, msg in got.items():
        person = next(p for p in ws.team.people if p.email == address)
        digest = want[address]
        assert parseaddr(msg["From"]) == (f"{ws.team.team.name} via devtalks", ws.team.reminders.sender)
        assert parseaddr(msg["To"]) == (person.name, address)
        assert msg["Auto-Submitted"] == "auto-generated"
        assert "wat er voor jou klaarstaat" in msg["Subject"]
        body = msg.get_content()
        assert body.startswith(f"Hoi {person.name.split()[0]},")
        for item in digest.items:
            assert item.path in body
            assert texts.date(item.due, "nl") in body
    assert f"E-mail: {len(want)} sent" in result.stdout


def test_nobody_is_mailed_on_a_day_without_a_reminder_day(smtp, remind, example_repo):
    ws = load(example_repo)
    rules = plan.settings(ws)
    quiet = next(EXAMPLE_TODAY + dt.timedelta(days=n) for n in range(1, 60)
                 if not plan.digests(ws, EXAMPLE_TODAY + dt.timedelta(days=n), plan.Links(), {}))
    assert all(not plan.mail_day(i, quiet, rules.email_days_before) for i in due_items(ws, quiet))
    result = remind(channel="email", today=quiet)
    assert result.exit_code == 0 and smtp.messages == []
    assert "E-mail: 0 sent" in result.stdout


def test_a_second_run_on_the_same_day_sends_nothing_new(smtp, remind, example_repo):
    assert remind(channel="email").exit_code == 0
    first = len(smtp.messages)
    assert first
    result = remind(channel="email")
    assert result.exit_code == 0
    assert len(smtp.messages) == first
    assert "E-mail: 0 sent" in result.stdout
    assert state_dir(example_repo, SENT_LOG).is_file() and not (example_repo / ".devtalks-cache").exists()


def test_an_item_that_becomes_due_later_that_day_is_still_sent(smtp, remind, example_repo):
    assert remind(channel="email").exit_code == 0
    sent = {rcpt[0] for _, rcpt, _ in smtp.messages}
    ws = load(example_repo)
    quiet = next(p for p in ws.team.people if p.email not in sent)
    talk = next(path for path in ws.sources if path.startswith(f"talks/{quiet.id}/") and "checkin" not in path)

    def add(data: dict) -> None:
        data.setdefault("agreements", []).append(
            {"id": "vandaag-klaar", "title": "Iets dat vandaag af moet", "owner": quiet.id, "due": EXAMPLE_TODAY})

    edit_yaml(example_repo / talk, add)
    assert remind(channel="email").exit_code == 0
    late = smtp.to(quiet.email)
    assert len(late) == 1 and "Iets dat vandaag af moet" in late[0].get_content()
    assert len(smtp.messages) == len(sent) + 1


def test_the_team_language_is_the_mail_language(smtp, remind, example_repo):
    edit_yaml(example_repo / "team.yaml", lambda data: data.update(language="en"))
    assert remind(channel="email").exit_code == 0
    assert smtp.messages
    for _, _, msg in smtp.messages:
        assert "what is due for you" in msg["Subject"]
        body = msg.get_content()
        assert body.startswith("Hello ") and "You get this e-mail 7 days and 1 day before a deadline" in body
        assert "november" not in body and "November 2026" in body


def test_starttls_and_login(monkeypatch, tmp_path, remind, example_repo):
    need("openssl")
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    password = "s3cret-Password-never-shown"

    def authenticate(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == b"devtalks" and data.password == password.encode()
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context, require_starttls=True,
                            authenticator=authenticate, auth_required=True, auth_require_tls=True)
    controller.start()
    try:
        for name, value in {"DEVTALKS_SMTP_HOST": "127.0.0.1", "DEVTALKS_SMTP_PORT": str(controller.port),
                            "DEVTALKS_SMTP_STARTTLS": "true", "DEVTALKS_SMTP_USER": "devtalks",
                            "DEVTALKS_SMTP_PASSWORD": "wrong-password", "DEVTALKS_SMTP_CAFILE": str(cert),
                            "DEVTALKS_SMTP_TIMEOUT": "5"}.items():
            monkeypatch.setenv(name, value)
        refused = remind(channel="email")
        assert refused.exit_code == 1 and "refused the login of devtalks" in refused.stderr
        assert "wrong-password" not in refused.stdout + refused.stderr and inbox.messages == []
        monkeypatch.setenv("DEVTALKS_SMTP_PASSWORD", password)
        result = remind(channel="email")
        assert result.exit_code == 0, result.stderr
        assert len(inbox.messages) == len(planned(example_repo, EXAMPLE_TODAY))
        assert password not in result.stdout + result.stderr
    finally:
        controller.stop()


def test_an_unreachable_server_is_a_clear_error(monkeypatch, remind):
    monkeypatch.setenv("DEVTALKS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DEVTALKS_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("DEVTALKS_SMTP_STARTTLS", "false")
    result = remind(channel="email")
    assert result.exit_code == 1
    assert "cannot send e-mail through 127.0.0.1" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("channel, message", [
    ("email", "e-mail digests need DEVTALKS_SMTP_HOST"),
    ("github", "GitHub reminders need GITHUB_TOKEN"),
    ("all", "nothing to do: set GITHUB_TOKEN for issues, or DEVTALKS_SMTP_HOST for e-mail"),
])
def test_a_channel_without_settings_says_what_is_missing(remind, channel, message):
    result = remind(channel=channel)
    assert result.exit_code == 1 and message in result.stderr


def test_all_skips_an_unconfigured_channel_with_a_note(smtp, remind):
    result = remind(channel="all")
    assert result.exit_code == 0
    assert "note: GitHub issues skipped: GITHUB_TOKEN is not set" in result.stderr
    assert smtp.messages
