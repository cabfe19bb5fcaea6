"""Fixtures for reminders: a fake forge and a real SMTP server on loopback, short patience."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE_TODAY

from .forge import Forge

TOKEN = "ghs_Canary0Token1Never2Printed3456789"
ENV = ("GITHUB_API_URL", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "DEVTALKS_HTTP_TIMEOUT",
       "DEVTALKS_HTTP_ATTEMPTS", "DEVTALKS_HTTP_BACKOFF", "DEVTALKS_RATE_LIMIT_MAX_WAIT", "DEVTALKS_SMTP_HOST",
       "DEVTALKS_SMTP_PORT", "DEVTALKS_SMTP_STARTTLS", "DEVTALKS_SMTP_USER", "DEVTALKS_SMTP_PASSWORD",
       "DEVTALKS_SMTP_CAFILE", "DEVTALKS_SMTP_TIMEOUT", "DEVTALKS_HTTP_RUN_TIMEOUT")


@pytest.fixture(autouse=True)
def quiet_env(monkeypatch):
    """No setting from the machine leaks in; the forge and SMTP fixtures set their own."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def forge(monkeypatch):
    f = Forge(token=TOKEN, stall=0.5).start()
    monkeypatch.setenv("GITHUB_API_URL", f.url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("DEVTALKS_HTTP_TIMEOUT", "0.3")
    monkeypatch.setenv("DEVTALKS_HTTP_ATTEMPTS", "4")
    monkeypatch.setenv("DEVTALKS_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("DEVTALKS_RATE_LIMIT_MAX_WAIT", "3")
    yield f
    f.stop()


class Inbox:
    """What the SMTP server received: one entry per message."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                                  email.message_from_bytes(envelope.original_content or envelope.content,
                                                           policy=policy.default)))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for _, rcpt, m in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("DEVTALKS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DEVTALKS_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("DEVTALKS_SMTP_STARTTLS", "false")
    monkeypatch.setenv("DEVTALKS_SMTP_TIMEOUT", "5")
    yield inbox
    controller.stop()


@pytest.fixture
def remind(run_cli, example_repo):
    """`devtalks remind` on the example copy; the forge / smtp fixtures decide where it goes."""

    def run(*extra: str, today: dt.date = EXAMPLE_TODAY, channel: str = "github"):
        return run_cli("remind", "--repo", example_repo, "--channel", channel, "--today", today.isoformat(), *extra)

    return run


def edit_yaml(path: Path, change) -> None:
    """Load a YAML file of the example copy, let `change` edit the data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
