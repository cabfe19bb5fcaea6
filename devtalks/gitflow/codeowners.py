""".github/CODEOWNERS from team.yaml: who must review a change to which files.

Each person's talk folder is owned by that person and their manager, so a pull request
that touches a talk asks exactly those two; question templates and cycles are owned by
HR (the team's top managers when team.yaml names no HR). Plain text in, plain text out:
no Git here, so `devtalks validate` can check it for free.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import Person, Team

PATH = ".github/CODEOWNERS"
HEADER = (
    "# Generated from team.yaml by `devtalks codeowners`; run it again after changing people.\n"
    "# On GitHub the last matching line wins: a talk folder is reviewed by the person and their manager.\n"
)


@dataclass(frozen=True)
class Rule:
    pattern: str
    owners: tuple[str, ...]

    def line(self, width: int) -> str:
        return f"{self.pattern.ljust(width)}  {' '.join(self.owners)}".rstrip()


def owner(person: Person) -> str:
    """How CODEOWNERS names a person: @handle, else their e-mail address."""
    return f"@{person.github}" if person.github else person.email


def rules(team: Team) -> list[Rule]:
    """The rules CODEOWNERS should hold for this team, in file order.

    Someone who left, or has a leaving date ahead, owns nothing (their account may be gone): their talk folder goes
    to their last manager, or to HR. A date ahead counts already, so the file follows team.yaml alone and never goes
    stale on its own when that day comes.
    """
    people = {p.id: p for p in team.people if p.left_on is None}
    staying = list(people.values())
    leads = [owner(p) for p in staying if p.manager not in people]
    managers = _unique([owner(people[p.manager]) for p in staying if p.manager in people] + leads)
    hr = _unique(list(team.hr)) or leads
    out = [Rule("*", tuple(managers)), Rule("/question_templates/", tuple(hr)), Rule("/cycles/", tuple(hr))]
    for p in team.people:
        boss = people.get(p.manager) if p.manager else None
        own = [] if p.left_on else [owner(p)]
        out.append(Rule(f"/talks/{p.id}/", tuple(_unique([*own, owner(boss)] if boss else [*own, *hr]))))
    return out


def render(team: Team) -> str:
    found = rules(team)
    width = max(len(r.pattern) for r in found)
    return HEADER + "\n" + "\n".join(r.line(width) for r in found) + "\n"


def parse(text: str) -> list[tuple[int, Rule]]:
    """(line number, rule) for every rule line; comments and blank lines are skipped."""
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        out.append((n, Rule(pattern, tuple(owners))))
    return out


def check(team: Team, text: str, path: str = PATH) -> list[Diagnostic]:
    """DT600 for every rule that differs from what team.yaml implies."""
    hint = "run `devtalks codeowners` to write it from team.yaml"
    have = parse(text)
    want = rules(team)
    found: list[Diagnostic] = []
    by_pattern = {rule.pattern: (n, rule) for n, rule in have}
    for rule in want:
        if rule.pattern not in by_pattern:
            found.append(Diagnostic(path, 1, 1, "DT600",
                                    f"no owners for {rule.pattern}; team.yaml gives {' '.join(rule.owners)}", hint))
            continue
        n, current = by_pattern[rule.pattern]
        if sorted(_fold(current.owners)) != sorted(_fold(rule.owners)):
            found.append(Diagnostic(path, n, 1, "DT600",
                                    f"{rule.pattern} is owned by {' '.join(current.owners) or 'nobody'}, "
                                    f"but team.yaml gives {' '.join(rule.owners)}", hint))
    wanted = {r.pattern for r in want}
    for n, rule in have:
        if rule.pattern not in wanted:
            found.append(Diagnostic(path, n, 1, "DT600", f"{rule.pattern} is not in team.yaml's rules "
                                    "(a person who left, or a hand-written line)", hint))
    order = [r.pattern for _, r in have if r.pattern in wanted]
    if not found and order != [r.pattern for r in want]:
        found.append(Diagnostic(path, 1, 1, "DT600", "the rules are in another order; the last matching line wins, "
                                "so a talk folder may not go to the person and their manager", hint))
    return found


def _fold(owners: tuple[str, ...]) -> list[str]:
    # GitHub handles and e-mail addresses are case-insensitive.
    return [o.lower() for o in owners]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
