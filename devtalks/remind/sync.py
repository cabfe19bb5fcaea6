"""Reconcile the forge with what is due: open what is missing, update what changed, close what is done.

`diff` is pure: (reminders, issues found) → changes. `sync` carries the changes out and records
each one as it lands, so a run that stops early can still say what it did. Only issues whose
body ends in a devtalks marker are ever touched.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from . import texts
from .github import ForgeError, GitHub, Unprocessable
from .plan import LABEL, Reminder, key_of

LABEL_COLOR = "1d76db"
LABEL_DESCRIPTION = "Reminders from devtalks: opened, updated and closed automatically"


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    is_open: bool
    assignees: tuple[str, ...]
    key: str

    @classmethod
    def parse(cls, raw: dict) -> "Issue | None":
        body = raw.get("body")
        key = key_of(body) if isinstance(body, str) else None
        if key is None:
            return None
        number, title, assignees = raw.get("number"), raw.get("title") or "", raw.get("assignees") or []
        if type(number) is not int or not isinstance(title, str) or not isinstance(assignees, list) \
                or not all(isinstance(a, dict) and isinstance(a.get("login"), str) for a in assignees):
            raise ForgeError(f"the forge listed a devtalks issue ({key}) with fields GitHub never sends; stopped "
                             "without changing anything: check GITHUB_API_URL")
        return cls(number, title, body, raw.get("state") == "open", tuple(sorted(a["login"] for a in assignees)), key)


@dataclass(frozen=True)
class Change:
    action: str                 # open | update | reopen | close
    key: str
    reminder: Reminder | None = None
    issue: Issue | None = None
    reason: str = ""            # why a close: done | moved | left | duplicate
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Done:
    action: str
    key: str
    number: int
    who: str
    what: str


@dataclass
class Outcome:
    """What a run did, filled in as each change lands."""

    done: list[Done] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(d.action == action for d in self.done)


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def diff(reminders: list[Reminder], issues: list[Issue], still_due: set[str], left: frozenset[str] = frozenset()) -> list[Change]:
    """The changes that make the forge match the reminders.

    `still_due` holds keys due but not yet soon; `left` keys no longer due because someone left the team.
    """
    groups: dict[str, list[Issue]] = defaultdict(list)
    for issue in sorted(issues, key=lambda i: i.number):
        groups[issue.key].append(issue)
    kept: dict[str, Issue] = {}
    changes: list[Change] = []
    for key, group in groups.items():
        opened = [i for i in group if i.is_open]
        kept[key] = opened[0] if opened else group[0]
        changes += [Change("close", key, issue=dup, reason="duplicate", duplicate_of=kept[key].number) for dup in opened[1:]]
    wanted = {r.key: r for r in reminders}
    for r in reminders:
        issue = kept.get(r.key)
        if issue is None:
            changes.append(Change("open", r.key, r))
        elif not issue.is_open:
            changes.append(Change("reopen", r.key, r, issue))
        elif not (_same(issue.title, r.title) and _same(issue.body, r.body)):
            changes.append(Change("update", r.key, r, issue))
    for key, issue in kept.items():
        if key not in wanted and issue.is_open:
            reason = "left" if key in left else "moved" if key in still_due else "done"
            changes.append(Change("close", key, issue=issue, reason=reason))
    return changes


def listed(gh: GitHub) -> list[Issue]:
    return [i for i in (Issue.parse(raw) for raw in gh.list_issues(LABEL)) if i is not None]


def sync(gh: GitHub, reminders: list[Reminder], still_due: set[str], lang: str, outcome: Outcome,
         left: frozenset[str] = frozenset()) -> None:
    """Make the forge match `reminders`; each landed change is appended to `outcome` at once."""
    changes = diff(reminders, listed(gh), still_due, left)
    outcome.unchanged = len(reminders) - sum(c.reminder is not None for c in changes)
    if any(c.action == "open" for c in changes):
        gh.ensure_label(LABEL, LABEL_COLOR, LABEL_DESCRIPTION)
    for change in changes:
        if change.action == "open":
            number = _open(gh, change.reminder, outcome)
        elif change.action in ("update", "reopen"):
            number = _update(gh, change, outcome)
        else:
            number = _close(gh, change, lang)
        r = change.reminder
        who = ", ".join(r.assignees or r.people) if r else ", ".join(change.issue.assignees)
        outcome.done.append(Done(change.action, change.key, number, who, r.title if r else change.issue.title))


def _find(gh: GitHub, key: str) -> dict | None:
    """The open issue carrying `key`, by listing afresh: the list API, unlike search, does not lag."""
    for raw in gh.list_issues(LABEL):
        if raw.get("state") == "open" and key_of(raw.get("body")) == key:
            return raw
    return None


def _open(gh: GitHub, r: Reminder, outcome: Outcome) -> int:
    payload = {"title": r.title, "body": r.body, "labels": [LABEL], "assignees": list(r.assignees)}
    try:
        raw = gh.create_issue(payload, lambda: _find(gh, r.key))
    except Unprocessable as e:
        if not e.about("assignees"):
            raise
        outcome.notes.append(f"could not assign {', '.join('@' + a for a in r.assignees)} (not a collaborator?): "
                             f"opened {r.key} unassigned; the issue names them in its text")
        raw = gh.create_issue({**payload, "assignees": []}, lambda: _find(gh, r.key))
    if type(raw.get("number")) is not int:
        raise ForgeError("the forge confirmed a new issue without an issue number; stopped: check GITHUB_API_URL")
    labels = raw.get("labels") if isinstance(raw.get("labels"), list) else []
    if LABEL not in {label.get("name") for label in labels if isinstance(label, dict)}:
        raise ForgeError(f"issue #{raw.get('number')} was opened without the {LABEL} label, so later runs could not "
                         "find it: give the token permission to set labels (issues: write), then remove that issue")
    return raw["number"]


def _update(gh: GitHub, change: Change, outcome: Outcome) -> int:
    r, issue = change.reminder, change.issue
    payload = {"title": r.title, "body": r.body}
    if change.action == "reopen":
        payload["state"] = "open"
    if tuple(sorted(r.assignees)) != issue.assignees:
        payload["assignees"] = list(r.assignees)
    try:
        gh.update_issue(issue.number, payload)
    except Unprocessable as e:
        if "assignees" not in payload or not e.about("assignees"):
            raise
        outcome.notes.append(f"could not assign {', '.join('@' + a for a in r.assignees)} to #{issue.number} "
                             "(not a collaborator?): updated it without assignees")
        gh.update_issue(issue.number, {k: v for k, v in payload.items() if k != "assignees"})
    return issue.number


def _close(gh: GitHub, change: Change, lang: str) -> int:
    issue = change.issue
    if change.reason == "duplicate":
        text = texts.word("close_duplicate", lang, number=change.duplicate_of)
    else:
        text = texts.word(f"close_{change.reason}", lang)
    # A fresh token per comment lets a retry whose answer was lost see that the comment landed.
    token = f"<!-- devtalks:comment {uuid.uuid4().hex} -->"
    gh.comment(issue.number, f"{text}\n{token}",
               lambda: next((c for c in gh.comments(issue.number) if token in (c.get("body") or "")), None))
    reason = "completed" if change.reason == "done" else "not_planned"
    gh.update_issue(issue.number, {"state": "closed", "state_reason": reason})
    return issue.number
