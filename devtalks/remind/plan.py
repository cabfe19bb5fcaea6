"""What to remind whom of, and when: due items become reminder issues and e-mail digests.

Pure functions of (workspace, today): what is due comes from progress.py; this module only
decides which of it is close enough to remind about, and words it. A reminder carries its
item's stable key, so every run can find the issue it opened before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote

from ..model.team import Reminders
from ..progress import DueItem, due_items, revisit, talk_progress, urgency
from ..read.load import Workspace
from . import texts

LABEL = "devtalks-reminder"
MARKER_RE = re.compile(r"<!-- devtalks:reminder ([A-Za-z0-9:._-]+) -->\s*\Z")


def marker(key: str) -> str:
    return f"<!-- devtalks:reminder {key} -->"


def key_of(body: str | None) -> str | None:
    """The reminder key of an issue body, from its last line only, so quoted text cannot fake one."""
    match = MARKER_RE.search(body or "")
    return match.group(1) if match else None


@dataclass(frozen=True)
class Links:
    """Web links to files on the forge; without a repository, reminders name paths only."""

    web: str | None = None  # e.g. https://github.com/owner/name

    def blob(self, path: str) -> str | None:
        return f"{self.web}/blob/HEAD/{quote(path)}" if self.web else None

    def new(self, path: str) -> str | None:
        folder, _, name = path.rpartition("/")
        return f"{self.web}/new/HEAD/{quote(folder)}?filename={quote(name)}" if self.web else None


@dataclass(frozen=True)
class Reminder:
    """One reminder issue: what is due, for whom, worded in the team's language."""

    item: DueItem
    people: tuple[str, ...]     # person ids, in the order of the item's responsible
    assignees: tuple[str, ...]  # their GitHub handles, where they have one
    title: str
    body: str
    task: str                   # the short phrase, for tables

    @property
    def key(self) -> str:
        return self.item.key


@dataclass(frozen=True)
class Digest:
    """One e-mail to one person: everything due for them, sent because something is due today."""

    person: str
    name: str
    address: str
    subject: str
    body: str
    keys: tuple[str, ...]       # the items whose reminder day is today: what the sent-log records
    items: tuple[DueItem, ...]


def settings(ws: Workspace) -> Reminders:
    return ws.team.reminders if ws.team else Reminders()


def current(item: DueItem, today: dt.date, soon: int) -> bool:
    """Due soon or overdue (progress.urgency, as status and the sites say it): what a reminder issue is open for."""
    return urgency(item.due, today, soon) != ""


def mail_day(item: DueItem, today: dt.date, days_before: list[int]) -> bool:
    """Whether today is one of the item's e-mail days: the set days before, the day itself, then weekly."""
    left = item.days_left(today)
    return left in days_before or left == 0 or (left < 0 and -left % 7 == 0)


def reminders(ws: Workspace, today: dt.date, links: Links) -> list[Reminder]:
    """One reminder per item that is due soon or overdue, sorted by deadline."""
    if ws.team is None:
        return []
    soon = settings(ws).soon_days
    return [_reminder(ws, item, today, links) for item in due_items(ws, today) if current(item, today, soon)]


def digests(ws: Workspace, today: dt.date, links: Links, sent: Mapping[str, set[str]]) -> list[Digest]:
    """The e-mails to send now: one per person who has an item on its e-mail day not yet sent today."""
    if ws.team is None:
        return []
    rules = settings(ws)
    items = due_items(ws, today)
    out = []
    for person in ws.team.people:
        mine = [i for i in items if person.id in i.responsible]
        ringing = tuple(i.key for i in mine if mail_day(i, today, rules.email_days_before))
        if not set(ringing) - set(sent.get(person.id, ())):
            continue
        listed = tuple(i for i in mine if current(i, today, rules.soon_days) or i.key in ringing)
        out.append(_digest(ws, person.id, listed, ringing, today, links))
    return out


def _name(ws: Workspace, pid: str) -> str:
    p = ws.people.get(pid)
    return p.name if p else pid


def _task(ws: Workspace, item: DueItem, lang: str, own: bool) -> str:
    cycle = ws.cycles[item.cycle].title if item.cycle in ws.cycles else (item.cycle or "")
    return texts.task(item.kind, lang, own, person=_name(ws, item.person), cycle=texts.oneline(cycle),
                      title=texts.oneline(item.title, 80))


def _when(item: DueItem, today: dt.date, lang: str) -> str:
    when = texts.date(item.due, lang)
    return texts.word("overdue_since", lang, date=when) if item.overdue(today) else when


def _reminder(ws: Workspace, item: DueItem, today: dt.date, links: Links) -> Reminder:
    lang = ws.team.language
    people = tuple(p for p in item.responsible if p in ws.people)
    own = people == (item.person,)
    task = _task(ws, item, lang, own)
    title = f"{texts.names([_name(ws, p) for p in people], lang)}: {task}, {texts.word('by', lang, date=texts.date(item.due, lang))}"
    if item.overdue(today):
        title = f"[{texts.word('overdue', lang)}] {title}"
    handles = tuple(ws.people[p].github for p in people if ws.people[p].github)
    who = [f"@{ws.people[p].github} ({texts.inline(_name(ws, p))})" if ws.people[p].github else texts.inline(_name(ws, p))
           for p in people]
    lines = [f"- **{texts.word('what', lang)}:** {texts.inline(texts.capital(task))}. {_how(ws, item, lang, today)}"]
    if item.kind == "revisit" and item.cycle:
        for state in revisit(ws, item.person, item.cycle, today):
            due = f", {texts.word('by', lang, date=texts.date(state.agreement.due, lang))}" if state.agreement.due else ""
            lines.append(f"  - {texts.inline(state.agreement.title)}{due} (`{state.path}`)")
    lines += [
        f"- **{texts.word('who', lang)}:** {texts.names(who, lang)}",
        f"- **{texts.word('due', lang)}:** {_when(item, today, lang)}",
        f"- **{texts.word('file', lang)}:** {_file(ws, item.path, lang, links)}",
    ]
    body = "\n".join([*lines, "", texts.word("footer", lang), marker(item.key)])
    return Reminder(item, people, handles, texts.oneline(title, 250), body, task)


def _how(ws: Workspace, item: DueItem, lang: str, today: dt.date) -> str:
    fields: dict[str, object] = {"id": item.agreement or ""}
    if item.kind in ("prepare", "prepare-manager") and item.cycle in ws.cycles:
        progress = talk_progress(ws, item.person, item.cycle)
        fields["n"] = len(progress.employee_missing if item.kind == "prepare" else progress.manager_missing)
    if item.kind == "sign-off":
        fields["sides"] = texts.names([texts.inline(_name(ws, p)) for p in item.responsible], lang)
    return texts.how(item.kind, lang, **fields)


def _file(ws: Workspace, path: str, lang: str, links: Links) -> str:
    url = links.blob(path)
    shown = f"[`{path}`]({url})" if url else f"`{path}`"
    if path in ws.sources:
        return shown
    create = links.new(path)
    return f"`{path}` " + (texts.word("new_file", lang, url=create) if create else texts.word("new_file_plain", lang))


def _digest(ws: Workspace, pid: str, items: tuple[DueItem, ...], ringing: tuple[str, ...], today: dt.date,
            links: Links) -> Digest:
    lang = ws.team.language
    person = ws.people[pid]
    team = texts.oneline(ws.team.team.name)
    late = [i for i in items if i.overdue(today)]
    soon = [i for i in items if not i.overdue(today)]
    lines = [texts.word("hello", lang, name=texts.oneline(person.name).split(" ")[0]), "",
             texts.word("intro", lang, team=team)]
    for heading, group in (("late_heading", late), ("soon_heading", soon)):
        if not group:
            continue
        lines += ["", texts.word(heading, lang)]
        for item in group:
            task = texts.capital(_task(ws, item, lang, own=pid == item.person))
            lines.append(f"- {task}, {texts.word('by', lang, date=texts.date(item.due, lang))}")
            lines.append(f"  {item.path}")
            url = links.blob(item.path) if item.path in ws.sources else links.new(item.path)
            if url:
                lines.append(f"  {url}")
    days_before = sorted({d for d in settings(ws).email_days_before if d > 0}, reverse=True)
    schedule = texts.word("schedule", lang, days=texts.days(days_before, lang)) if days_before else texts.word("schedule_day", lang)
    lines += ["", schedule, "", f"-- {texts.word('sign', lang)}"]
    key = "subject_overdue" if late else "subject"
    subject = texts.word(key, lang, team=team, n=len(items), late=len(late))
    return Digest(pid, person.name, person.email, subject, "\n".join(lines) + "\n", ringing, items)
