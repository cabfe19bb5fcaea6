"""Cross-file rules: what each file's schema cannot see on its own.

Every rule reads the Workspace and yields Diagnostics; nothing here touches the disk.
Incomplete is not invalid: a missing answer is a stage (see progress.py), never an error.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Callable, Iterable, Iterator

from ..diagnostics import Diagnostic
from ..i18n import FALLBACK, Words, words
from ..gitflow import codeowners
from ..model import Agreement, CheckIn, Kind, Person, Question, QuestionTemplate, Talk
from ..model.base import AGE_RECIPIENT_RE
from ..notes.store import NOTES_INDEX, notes_dir, standing
from ..read.load import Workspace
from ..read.snapshot import PERSON_FILE
from ..read.yamlsource import Source
from .translate import shown

Rule = Callable[[Workspace, dt.date], Iterable[Diagnostic]]


def check(ws: Workspace, today: dt.date, rules: Iterable[Rule] | None = None) -> list[Diagnostic]:
    """All diagnostics of the workspace, loader's and rules', sorted by file and line."""
    found = list(ws.diagnostics)
    for rule in (*SHARED_RULES, *PERSONAL_RULES) if rules is None else rules:
        found.extend(rule(ws, today))
    return sorted(set(found), key=Diagnostic.sort_key)


def _suggest(word: str, known: Iterable[str], what: str, t: Words | None = None) -> str:
    """A close match of `word` among `known`, else (some of) the known ones; `what` names them (rule_what_* keys)."""
    t, known = t or words(FALLBACK), sorted(known)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return t("check_did_you_mean", word=close[0])
    what = _what(what, t)
    names = f"{', '.join(known[:12])}{' …' if len(known) > 12 else ''}"
    return t("rule_known", what=what, names=names) if known else t("rule_none_yet", what=what)


def _leaves(person: Person, today: dt.date) -> str:
    """"left on DAY", or "leaves on DAY" while that day lies ahead."""
    return f"{'left' if person.left_by(today) else 'leaves'} on {person.left_on}"


def _duplicates(src: Source, items: list, key: str, loc: tuple, what: str,
                t: Words | None = None) -> Iterator[Diagnostic]:
    """DT400 at every repeat of a value after its first use; `what` names the value (rule_what_* keys)."""
    seen: set = set()
    t = t or words(FALLBACK)
    what = _what(what, t)
    for i, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            yield src.error(loc + (i, key), "DT400", t("rule_duplicate", what=what, value=value),
                            t("rule_duplicate_fix", what=what))
        seen.add(value)


def _what(what: str, t: Words) -> str:
    """What a rule names (`question ids`) in the catalogue's words: its key is rule_what_question_ids."""
    return t(f"rule_what_{re.sub(r'[^a-z]+', '_', what.lower())}")


def _team(ws: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    if ws.team is None:
        return
    src = ws.sources["team.yaml"]
    people = ws.team.people
    yield from _duplicates(src, people, "id", ("people",), "person id")
    yield from _duplicates(src, people, "email", ("people",), "e-mail address")
    yield from _duplicates(src, [p for p in people if p.github], "github", ("people",), "GitHub handle")
    yield from _duplicates(src, ws.team.goals, "id", ("goals",), "goal id")
    yield from _duplicates(src, [p for p in people if p.talks_repo], "talks_repo", ("people",), "talks_repo")
    ids = {p.id for p in people}
    managers = {p.id: p.manager for p in people}
    for i, person in enumerate(people):
        if person.left_on and person.joined_on and person.left_on < person.joined_on:
            yield src.error(("people", i, "left_on"), "DT300", f"left_on {person.left_on} is before joined_on "
                            f"{person.joined_on}", "a person leaves on or after the day they joined")
        if ws.team.layout == "person" and person.talks_repo is None and person.manager is not None:
            yield src.error(("people", i), "DT406", f"{person.id} has no `talks_repo:`; in the person layout the "
                            "talks of each person with a manager live in a private repository of their own",
                            f"give them one: `devtalks person split {person.id} --talks-repo URL` moves their talks "
                            "there with their history, or add `talks_repo: URL` to an empty one")
        if person.manager is None:
            continue
        boss = ws.people.get(person.manager)
        if boss is not None and boss.left_on and not (person.left_on and person.left_on <= boss.left_on):
            yield src.error(("people", i, "manager"), "DT210", f"manager `{boss.id}` {_leaves(boss, today)}",
                            f"give {person.id} a new manager: `devtalks person move {person.id} --manager ID`")
        if person.manager not in ids:
            yield src.error(("people", i, "manager"), "DT200", f"manager `{person.manager}` is not a person in this team",
                            _suggest(person.manager, ids, "people"))
        elif _in_loop(person.id, managers):
            yield src.error(("people", i, "manager"), "DT401", f"`{person.id}` is, through their managers, their own manager",
                            "somebody in this chain must report to someone outside it")
    if ws.team.checkin_template and not _template_known(ws, ws.team.checkin_template):
        yield src.error(("checkin_template",), "DT202", f"question template `{ws.team.checkin_template}` does not exist",
                        _suggest(ws.team.checkin_template, ws.templates, "templates"))


def _template_known(ws: Workspace, tid: str) -> bool:
    return tid in ws.templates or ws.has_file(ws.template_path(tid))


def _in_loop(start: str, managers: dict[str, str | None]) -> bool:
    seen, current = set(), start
    while current is not None and current not in seen:
        seen.add(current)
        current = managers.get(current)
    return current == start


def _templates(ws: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    language = ws.team.language if ws.team else None
    for tid, template in ws.templates.items():
        src = ws.sources[ws.template_path(tid)]
        yield from _duplicates(src, template.sections, "id", ("sections",), "section id")
        seen: dict[str, tuple] = {}
        for si, section in enumerate(template.sections):
            for qi, q in enumerate(section.questions):
                loc = ("sections", si, "questions", qi)
                if q.id in seen:
                    yield src.error(loc + ("id",), "DT400", f"duplicate question id `{q.id}`",
                                    "question ids are unique across the whole template; rename this one")
                seen[q.id] = loc
                if q.options:
                    yield from _duplicates(src, q.options, "id", loc + ("options",), "option id")
                for ri, reader in enumerate(q.visibility):
                    if reader in q.visibility[:ri]:
                        t = words(language or FALLBACK)
                        yield src.error(loc + ("visibility", ri), "DT400", t("reader_twice", reader=reader.value),
                                        t("reader_twice_fix"))
                if language and not _speaks(q, language):
                    yield src.error(loc + ("text",), "DT209", f"question `{q.id}` has no `{language}` text, the team's "
                                    "language, so its pages and talk files show it in another language",
                                    f"add `{language}:` to its text, help, options and scale labels", severity="warning")
                if q.added_in > template.version:
                    yield src.error(loc + ("added_in",), "DT202",
                                    f"question `{q.id}` is added in version {q.added_in}, but the template is at version {template.version}",
                                    f"raise the template's `version:` to {q.added_in}")
                if q.retired_in is not None and q.retired_in <= q.added_in:
                    yield src.error(loc + ("retired_in",), "DT300", f"question `{q.id}` is retired before it was added",
                                    "retired_in must be after added_in")
                if q.scale:
                    for label in q.scale.labels:
                        if not q.scale.min <= label <= q.scale.max:
                            yield src.error(loc + ("scale", "labels", label), "DT102",
                                            f"label for {label} is outside the scale {q.scale.min}–{q.scale.max}", "")


def _speaks(q: Question, language: str) -> bool:
    texts = [q.text, q.manager_text or {}, q.help or {}, *(o.text for o in q.options or []),
             *(q.scale.labels.values() if q.scale else [])]
    return all(language in text for text in texts if text)


def _cycles(ws: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    for cid, cycle in ws.cycles.items():
        src = ws.sources[ws.cycle_path(cid)]
        if not _template_known(ws, cycle.template):
            yield src.error(("template",), "DT202", f"question template `{cycle.template}` does not exist",
                            _suggest(cycle.template, ws.templates, "templates"))
        order = ("opens", "prepare_by", "talks_by", "plan_by")
        for earlier, later in zip(order, order[1:]):
            if getattr(cycle, earlier) > getattr(cycle, later):
                yield src.error((later,), "DT300", f"{later} ({getattr(cycle, later)}) is before {earlier} ({getattr(cycle, earlier)})",
                                "the order is opens ≤ prepare_by ≤ talks_by ≤ plan_by")
        if isinstance(cycle.participants, list) and ws.team:
            for i, pid in enumerate(cycle.participants):
                if pid in cycle.participants[:i]:
                    yield src.error(("participants", i), "DT400", f"participant `{pid}` is listed twice",
                                    "list each person once: HR's averages count people, not lines")
                elif pid not in ws.people:
                    yield src.error(("participants", i), "DT200", f"participant `{pid}` is not a person in team.yaml",
                                    _suggest(pid, ws.people, "people"))
                elif ws.people[pid].left_by(cycle.opens):
                    yield src.error(("participants", i), "DT210", f"participant `{pid}` left on "
                                    f"{ws.people[pid].left_on}, before this cycle opens ({cycle.opens})",
                                    f"remove `{pid}` from participants")


def _talks(ws: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    t = words(ws.language)
    for (person, cid), talk in ws.talks.items():
        src = ws.sources[ws.talk_path(person, cid)]
        if ws.team is not None and person not in ws.people:
            yield src.error((), "DT200", t("rule_folder_stranger", person=person), _suggest(person, ws.people, "people", t))
            continue
        cycle = ws.cycles.get(cid)
        if cycle is None and ws.has_file(ws.cycle_path(cid)):
            continue
        if cycle is None:
            yield src.error((), "DT207", t("rule_no_cycle", cycle=cid), _suggest(cid, ws.cycles, "cycles", t))
            continue
        if isinstance(cycle.participants, list) and person in ws.people and person not in cycle.participants:
            yield src.error((), "DT208", t("rule_not_participant", person=person, cycle=cid),
                            t("rule_not_participant_fix", person=person, path=ws.cycle_path(cid)), severity="warning")
        template = ws.templates.get(cycle.template)
        if template is not None:
            yield from _answers(src, template, talk.template_version, talk, cycle.template, t)
        yield from _talk_dates(src, talk, today, t)
        yield from _agreements(ws, src, talk.agreements, "agreements", today, t)


def _checkins(ws: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    t = words(ws.language)
    for (person, day), checkin in ws.checkins.items():
        src = ws.sources[ws.checkin_path(person, day)]
        if ws.team is not None and person not in ws.people:
            yield src.error((), "DT200", t("rule_folder_stranger", person=person), _suggest(person, ws.people, "people", t))
            continue
        if day > today:
            yield src.error((), "DT301", t("rule_checkin_future", day=day), t("rule_checkin_future_fix"))
        tid = ws.team.checkin_template if ws.team else None
        if checkin.employee or checkin.manager:
            template = ws.templates.get(tid) if tid else None
            if template is None:
                yield src.error(("employee" if checkin.employee else "manager",), "DT202",
                                t("rule_checkin_no_template"), t("rule_checkin_no_template_fix"))
            else:
                yield from _answers(src, template, checkin.template_version or template.version, checkin, tid, t)
        yield from _agreements(ws, src, checkin.follow_ups, "follow_ups", today, t)


def _answers(src: Source, template: QuestionTemplate, version: int, talk: Talk | CheckIn, tid: str,
             t: Words) -> Iterator[Diagnostic]:
    if version > template.version:
        yield src.error(("template_version",), "DT202", t("rule_no_version", template=tid, version=version,
                                                          latest=template.version),
                        t("rule_no_version_fix", latest=template.version))
        return
    questions = template.questions(version)
    retired = {q.id for s in template.sections for q in s.questions} - set(questions)
    for side in ("employee", "manager"):
        for qid, value in getattr(talk, side).items():
            loc = (side, qid)
            q = questions.get(qid)
            if q is None:
                why = (t("rule_question_retired", question=qid, version=version, template=tid) if qid in retired
                       else t("rule_question_unknown", question=qid, template=tid))
                yield src.error(loc, "DT204", why, _suggest(str(qid), questions, "question ids", t), key=True)
            elif not q.asks(side):
                by = q.answered_by.value
                yield src.error(loc, "DT206", t("rule_wrong_side", question=qid, by=t(f"rule_by_{by}"),
                                                side=t(f"rule_by_{side}")),
                                t("rule_wrong_side_fix", by=by) if by != "both" else "", key=True)
            elif value is not None:
                problem = _misfit(q, value, t)
                if problem:
                    yield src.error(loc, "DT205", problem[0], problem[1])


def _misfit(q: Question, value: object, t: Words) -> tuple[str, str] | None:
    """What is wrong with `value` as an answer to `q`, or None when it fits."""
    if q.kind is Kind.text:
        if not isinstance(value, str):
            return t("rule_not_text", question=q.id, value=shown(value, t)), t("rule_not_text_fix")
    elif q.kind is Kind.scale:
        lo, hi = q.scale.min, q.scale.max
        if isinstance(value, bool) or not isinstance(value, int):
            return (t("rule_scale_not_number", question=q.id, lo=lo, hi=hi, value=shown(value, t)),
                    t("rule_scale_fix", lo=lo, hi=hi))
        if not lo <= value <= hi:
            return t("rule_scale_out", question=q.id, lo=lo, hi=hi, value=value), t("rule_scale_fix", lo=lo, hi=hi)
    else:
        options = [o.id for o in q.options]
        values = value if isinstance(value, list) else [value]
        if q.kind is Kind.choice and isinstance(value, list):
            return t("rule_one_choice", question=q.id), t("rule_one_choice_fix", options=", ".join(options))
        for v in values:
            if not isinstance(v, str) or v not in options:
                return t("rule_not_option", value=v, question=q.id), _suggest(str(v), options, "options", t)
        # The schema's `interests: [security]`: one choice on its own is no list, a choice named twice no answer.
        if q.kind is Kind.multi and not isinstance(value, list):
            return t("answer_not_list", question=q.id, value=value), t("answer_not_list_fix", value=value)
        repeated = next((v for i, v in enumerate(values) if v in values[:i]), None)
        if repeated is not None:
            return (t("answer_repeated", question=q.id, value=repeated),
                    t("answer_repeated_fix", choices=", ".join(dict.fromkeys(values))))
    return None


def _talk_dates(src: Source, talk: Talk, today: dt.date, t: Words) -> Iterator[Diagnostic]:
    if talk.held_on and talk.held_on > today:
        yield src.error(("held_on",), "DT301", t("rule_held_future", day=talk.held_on), t("rule_held_future_fix"))
    for side in ("employee", "manager"):
        signed = getattr(talk.sign_off, side)
        if signed is None:
            continue
        loc = ("sign_off", side)
        if signed > today:
            yield src.error(loc, "DT301", t("rule_signed_future", day=signed), t("rule_signed_future_fix"))
        if talk.held_on is None:
            if ("held_on",) not in src.pruned:  # a held_on at fault was reported as it is
                yield src.error(loc, "DT300", t("rule_signed_not_held"), t("rule_signed_not_held_fix"))
        elif signed < talk.held_on:
            yield src.error(loc, "DT300", t("rule_signed_early", day=signed, held=talk.held_on), t("rule_signed_early_fix"))


def _agreements(ws: Workspace, src: Source, agreements: list[Agreement], key: str, today: dt.date,
                t: Words) -> Iterator[Diagnostic]:
    yield from _duplicates(src, agreements, "id", (key,), "agreement id", t)
    goals = {g.id for g in ws.team.goals} if ws.team else set()
    for i, a in enumerate(agreements):
        loc = (key, i)
        if ws.team and a.owner not in ws.people:
            yield src.error(loc + ("owner",), "DT200", t("rule_owner_stranger", owner=a.owner),
                            _suggest(a.owner, ws.people, "people", t))
        elif ws.team and a.status.value == "open" and ws.people[a.owner].left_on and not _folder_of(src, a.owner):
            owner = ws.people[a.owner]
            yield src.error(loc + ("owner",), "DT210", t("rule_owner_left" if owner.left_by(today) else
                                                         "rule_owner_leaves", owner=a.owner, day=owner.left_on),
                            t("rule_owner_left_fix"), severity="warning")
        if a.goal and ws.team and a.goal not in goals:
            yield src.error(loc + ("goal",), "DT203", t("rule_goal_unknown", goal=a.goal), _suggest(a.goal, goals, "goals", t))
        if {loc + ("done_on",), loc + ("status",)} & src.pruned:
            continue  # a done_on or status at fault was reported: how the two agree is for when both are right
        if a.done_on is not None:
            if a.done_on > today:
                yield src.error(loc + ("done_on",), "DT301", t("rule_done_future", day=a.done_on), t("rule_done_future_fix"))
            if a.status.value != "done":
                yield src.error(loc + ("done_on",), "DT300", t("rule_done_not_done", agreement=a.id, status=a.status.value),
                                t("rule_done_not_done_fix"))
        elif a.status.value == "done":
            yield src.error(loc + ("status",), "DT101", t("rule_done_no_date", agreement=a.id), t("rule_done_no_date_fix"),
                            severity="warning")


def _folder_of(src: Source, person: str) -> bool:
    """Whether the file is in the person's own talk folder (their history, left as it was)."""
    return src.path.startswith(f"talks/{person}/")


_NOTE_CODES = {"plain": ("DT500", "error"), "misnamed": ("DT207", "error"), "unrecorded": ("DT501", "error"),
               "stale": ("DT501", "error")}


def _notes(ws: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    """Private notes: age-encrypted, and encrypted to the keys team.yaml gives the person's manager now.

    Judged from each note's age header and notes/recipients.yaml alone: no secret key, no pyrage.
    """
    if ws.team is not None:
        src = ws.sources["team.yaml"]
        keys = [(("people", i, "age_recipient"), p.age_recipient) for i, p in enumerate(ws.team.people)]
        keys += [(("notes", "extra_recipients", i), k) for i, k in enumerate(ws.team.notes.extra_recipients)]
        for loc, key in keys:
            if key is None or AGE_RECIPIENT_RE.match(key):
                continue
            if key.upper().startswith("AGE-SECRET-KEY-"):
                yield src.error(loc, "DT102", "this is an age SECRET key; only the public key (age1…) belongs here",
                                "remove it now and make a new key pair: a secret key that was in a repository is "
                                "no longer secret")
            else:
                yield src.error(loc, "DT102", f"`{key}` is not an age public key",
                                "an age public key is `age1` and 58 more characters; `devtalks notes keygen` writes yours here")
    for person, paths in ws.notes.items():
        for rel in paths:
            found = standing(ws, person, rel)
            if found.state in _NOTE_CODES:
                code, severity = _NOTE_CODES[found.state]
                yield Diagnostic(rel, 1, 1, code, found.message, found.hint, severity)
    for person, index in ws.note_index.items():
        src = ws.sources[f"{notes_dir(person)}/{NOTES_INDEX}"]
        present = {rel.rsplit("/", 1)[1] for rel in ws.notes.get(person, [])}
        for name in index.notes:
            if name not in present:
                yield src.error(("notes", name), "DT502", f"{NOTES_INDEX} records `{name}`, which is not a note here",
                                "remove the line; `devtalks notes add` and `rekey` rewrite this file", key=True,
                                severity="warning")


def _person_repo(ws: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    """In a person repository: devtalks.yaml must name a person of the team it names, who keeps their talks here."""
    if ws.person_repo is None or ws.team is None:
        return
    src, pid = ws.sources[PERSON_FILE], ws.person_repo.person
    team = f"the team repository `{ws.person_repo.team}`"
    person = ws.people.get(pid)
    if person is None:
        yield src.error(("person",), "DT802", f"{team} has no person `{pid}` in its team.yaml, so this repository "
                        "belongs to no one there", f"{_suggest(pid, ws.people, 'people')}; or point `team:` at your "
                        "own team's repository")
    elif person.talks_repo is None:
        yield src.error(("person",), "DT802", f"{team} does not give {pid} a `talks_repo:`, so nothing in this "
                        "repository reaches a site", f"add `talks_repo:` with this repository's URL to {pid} in "
                        "the team's team.yaml")


def _codeowners(ws: Workspace, today: dt.date) -> list[Diagnostic]:
    if ws.team is None or ws.codeowners is None:
        return []
    return codeowners.check(ws.team, ws.codeowners)


# Rules over the files everyone shares, and rules over one person's talks and check-ins each, which
# never look at another person's: those can run on a share of the people (check/validate.py).
SHARED_RULES: tuple[Rule, ...] = (_team, _templates, _cycles, _notes, _codeowners, _person_repo)
PERSONAL_RULES: tuple[Rule, ...] = (_talks, _checkins)
