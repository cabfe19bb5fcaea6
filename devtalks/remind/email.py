"""E-mail digests over SMTP (standard library), and the log of what was sent today.

The server comes from the environment (DEVTALKS_SMTP_HOST, _PORT, _STARTTLS, _USER,
_PASSWORD, _CAFILE); the sender from team.yaml. Which digests are due is decided in plan.py;
the sent-log only keeps a second run on the same day from sending them again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Callable, Mapping

from ..errors import DevtalksError
from ..state import state_dir
from .plan import Digest

SENT_LOG = "reminders-sent.json"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    starttls: bool
    user: str | None = None
    password: str | None = None
    cafile: str | None = None
    timeout: float = 30.0

    def __repr__(self) -> str:
        return f"Smtp({self.host}:{self.port}, starttls={self.starttls}, user={self.user!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Smtp | None":
        """None when DEVTALKS_SMTP_HOST is not set: e-mail is not configured."""
        host = env.get("DEVTALKS_SMTP_HOST", "").strip()
        if not host:
            return None
        flag = env.get("DEVTALKS_SMTP_STARTTLS", "true").strip().lower() or "true"
        if flag not in _TRUE | _FALSE:
            raise DevtalksError(f"DEVTALKS_SMTP_STARTTLS={flag!r}: use true or false")
        starttls = flag in _TRUE
        raw_port = env.get("DEVTALKS_SMTP_PORT", "").strip() or ("587" if starttls else "25")
        try:
            port = int(raw_port)
        except ValueError:
            raise DevtalksError(f"DEVTALKS_SMTP_PORT={raw_port!r} is not a port number") from None
        raw_timeout = env.get("DEVTALKS_SMTP_TIMEOUT", "").strip() or "30"
        try:
            timeout = float(raw_timeout)
        except ValueError:
            raise DevtalksError(f"DEVTALKS_SMTP_TIMEOUT={raw_timeout!r} is not a number") from None
        user = env.get("DEVTALKS_SMTP_USER", "").strip() or None
        password = env.get("DEVTALKS_SMTP_PASSWORD") or None
        if user and not password:
            raise DevtalksError("DEVTALKS_SMTP_USER is set but DEVTALKS_SMTP_PASSWORD is not")
        if user and not starttls and host not in ("127.0.0.1", "localhost", "::1"):
            raise DevtalksError("refusing to send the SMTP password without STARTTLS: set DEVTALKS_SMTP_STARTTLS=true")
        return cls(host, port, starttls, user, password, env.get("DEVTALKS_SMTP_CAFILE", "").strip() or None, timeout)


def message(digest: Digest, sender: str, sender_name: str, today: dt.date) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((_header(sender_name), sender))
    msg["To"] = formataddr((_header(digest.name), digest.address))
    msg["Subject"] = _header(digest.subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid("devtalks", domain=sender.rpartition("@")[2])
    # RFC 3834: an automatic message; out-of-office replies should not answer it.
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Devtalks-Date"] = today.isoformat()
    msg.set_content(digest.body)
    return msg


def _header(text: str) -> str:
    return " ".join(text.split())


def send(smtp: Smtp, messages: list[tuple[Digest, EmailMessage]], on_sent: Callable[[Digest], None]) -> list[str]:
    """Send each message over one connection; returns a line per recipient that failed."""
    failed = []
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as server:
            server.ehlo()
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context(cafile=smtp.cafile))
                server.ehlo()
            if smtp.user:
                server.login(smtp.user, smtp.password or "")
            for digest, msg in messages:
                try:
                    server.send_message(msg)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as e:
                    failed.append(f"{digest.address}: {_reason(e)}")
                    continue
                on_sent(digest)
    except smtplib.SMTPAuthenticationError as e:
        raise DevtalksError(f"the SMTP server refused the login of {smtp.user} ({e.smtp_code}): check "
                            "DEVTALKS_SMTP_USER and DEVTALKS_SMTP_PASSWORD") from None
    except smtplib.SMTPNotSupportedError as e:
        raise DevtalksError(f"the SMTP server at {smtp.host}:{smtp.port} does not support {_reason(e)}; "
                            "check DEVTALKS_SMTP_STARTTLS and DEVTALKS_SMTP_PORT") from None
    except ssl.SSLError as e:
        raise DevtalksError(f"TLS with {smtp.host}:{smtp.port} failed ({e.reason or e}); a private CA goes in "
                            "DEVTALKS_SMTP_CAFILE") from None
    except (OSError, smtplib.SMTPException) as e:
        raise DevtalksError(f"cannot send e-mail through {smtp.host}:{smtp.port}: {_reason(e)}") from None
    return failed


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for code, msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {text}"
    return str(error) or type(error).__name__


class SentLog:
    """Which reminder keys each person was e-mailed about today, in devtalks' cache folder for the repository.

    Never in the repository itself: a committed log would silence everyone's e-mail.
    """

    def __init__(self, root: Path, today: dt.date):
        self.file = state_dir(root, SENT_LOG)
        self.today = today.isoformat()
        self.sent: dict[str, set[str]] = {}
        self.problem: str | None = None
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("date") == self.today and isinstance(data.get("sent"), dict):
                self.sent = {p: {k for k in keys if isinstance(k, str)} for p, keys in data["sent"].items()
                             if isinstance(keys, list)}
        except (OSError, ValueError):
            self.sent = {}

    def record(self, digest: Digest) -> None:
        """Remember a sent digest at once, so a run that fails half-way does not resend it."""
        self.sent.setdefault(digest.person, set()).update(digest.keys)
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"date": self.today, "sent": {p: sorted(k) for p, k in sorted(self.sent.items())}},
                                      indent=1) + "\n", encoding="utf-8")
            os.replace(tmp, self.file)
        except OSError as e:
            self.problem = f"could not write {self.file} ({e.strerror}): a second run today would send again"
