"""Sites as Markdown pages: Jinja2 templates (package data in templates/) over the view models.

A site is a SiteSpec: its pages and navigation. Who sees what is decided by audiences.py;
this module only assembles the pages each audience gets.
"""

from __future__ import annotations

import hashlib
import posixpath
from functools import partial
from pathlib import Path
from typing import Any, Callable

import jinja2

from ..errors import DevtalksError
from ..i18n import words
from ..model import Person
from ..state import cache_home
from . import calendar, hrviews, usertext, views
from .audiences import HR, MANAGERS, PEOPLE, Audience, subjects
from .facts import Facts
from .reuse import Parts
from .spec import SiteSpec

TEMPLATES = Path(__file__).parent / "templates"

# The Git history of a talk file, (repo root, talk path) → changes with .date, .author, .subject, .sha;
# devtalks.git.talk_history where Git is available.
History = Callable[[Path, str], list]


# Every value a template prints passes usertext: on one line unless a renderer made it (a blank line would end the
# HTML block it sits in, and Markdown would read the rest).
OPTIONS = dict(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
               undefined=jinja2.StrictUndefined, finalize=usertext.shown)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), bytecode_cache=_compiled(), **OPTIONS)
    env.filters["heading"] = usertext.heading
    return env


def _compiled() -> jinja2.BytecodeCache | None:
    """The page templates compiled once per user, in devtalks' cache folder: compiling costs more than a small site.

    Jinja keys compiled code by the template's source alone, yet the options (finalize above all) are compiled in:
    code compiled under other options is never loaded.
    """
    try:
        folder = cache_home() / "page-templates"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, DevtalksError):
        return None  # no cache folder: the templates compile in every process
    options = repr(sorted((k, getattr(v, "__qualname__", v)) for k, v in OPTIONS.items()))
    tag = hashlib.blake2b(options.encode(), digest_size=5).hexdigest()
    return jinja2.FileSystemBytecodeCache(str(folder), f"__jinja2_%s.{tag}.cache")


ENV = _env()


def link(page: str, target: str) -> str:
    """A relative link from one page to another (both .md paths; a site has no directory URLs)."""
    path, _, anchor = target.partition("#")
    dest = path[:-3] + ".html" if path.endswith(".md") else path
    rel = posixpath.relpath(dest, posixpath.dirname(page) or ".")
    return f"{rel}#{anchor}" if anchor else rel


def render(template: str, page: str, **context: Any) -> str:
    return ENV.get_template(template).render(url=lambda target: link(page, target), **context)


def nav_title(text: str) -> str:
    # mkdocs templates print navigation titles without escaping them.
    return str(usertext.plain(text))


def person_pages(f: Facts, audience: Audience, person: str, prefix: str = "", notes: list | None = None,
                 history: History | None = None, feed: str | None = None) -> tuple[dict[str, str], list]:
    """One person's pages (home, a page per talk, agreements, check-ins, trends) under `prefix`; the home page links
    the calendar `feed` when there is one."""
    t = f.words
    p = f.ws.people.get(person)
    base = {"t": t, "name": f.name(person), "prefix": prefix}
    pages: dict[str, str] = {}
    home = f"{prefix}index.md"
    manager = f.name(p.manager) if p and p.manager else None
    pages[home] = render("person_home.md.j2", home, home=views.home(f, person), role=p.role if p else None,
                         manager=manager, calendar=feed, **base)
    talk_nav = []
    for cid in f.talks_of(person):
        path = f"{prefix}talks/{cid}.md"
        talk = views.talk(f, audience, person, cid)
        changes = history(f.ws.home(person), talk["path"]) if history else []
        rows = [{"when": t.date(c.date), "author": c.author, "message": c.subject if c.alone else t("shared_commit"), "commit": c.sha[:7], "signed": c.signed}
                for c in changes]
        signed = next((row for row in rows if row["signed"]), None)
        pages[path] = render("talk.md.j2", path, talk=talk, history=rows, signed=signed, **base)
        talk_nav.append({nav_title(f.cycle(cid).title): path})
    for name, template, key, value in (
            ("agreements.md", "agreements.md.j2", "groups", lambda: views.agreement_groups(f, person)),
            ("checkins.md", "checkins.md.j2", "checkins", lambda: views.checkins(f, audience, person)),
            ("trends.md", "trends.md.j2", "charts", lambda: views.trends(f, audience, person))):
        pages[prefix + name] = render(template, prefix + name, **{key: value()}, **base)
    nav = [{t("home"): home}]
    if talk_nav:
        nav.append({t("talks"): talk_nav})
    nav += [{t("agreements"): f"{prefix}agreements.md"}, {t("checkins"): f"{prefix}checkins.md"},
            {t("trends"): f"{prefix}trends.md"}]
    if notes is not None:
        path = f"{prefix}notes.md"
        shown = [{"written": t.date(n.written.date() if hasattr(n.written, "date") else n.written),
                  "html": usertext.render(n.text)} for n in sorted(notes, key=lambda n: n.written, reverse=True)]
        pages[path] = render("notes.md.j2", path, notes=shown, **base)
        nav.append({t("notes"): path})
    return pages, nav


def person_site(f: Facts, person: str, history: History | None = None, feed: calendar.Kept | None = None) -> SiteSpec:
    audience = Audience(PEOPLE, person)
    (subject,) = subjects(f.ws, audience)  # the person themself
    title = f.words("site_person", name=f.name(person))
    ics = calendar.feed(f, audience, title, feed)
    pages, nav = person_pages(f, audience, subject, history=history, feed=calendar.FEED if ics else None)
    if ics:
        pages[calendar.FEED] = ics
    return SiteSpec(audience.key, nav_title(title), f.words.language, pages, nav, f.words("about_person"))


def manager_site(f: Facts, manager: str, notes: dict[str, list] | None = None, history: History | None = None,
                 parts: Parts | None = None, feed: calendar.Kept | None = None) -> SiteSpec:
    """A manager's team overview, talk preparation, and each direct report's pages under <id>/ (from `parts` when
    the report's pages are kept from the last build, and the calendar feed from `feed`)."""
    audience = Audience(MANAGERS, manager)
    t = f.words
    reports = subjects(f.ws, audience)
    title = t("site_manager", name=f.name(manager))
    ics = calendar.feed(f, audience, title, feed)
    pages: dict[str, str] = {calendar.FEED: ics} if ics else {}
    pages["index.md"] = render("team.md.j2", "index.md", t=t, rows=[_team_row(f, r) for r in reports],
                               next=views.manager_next(f, manager, reports), calendar=calendar.FEED if ics else None)
    prep = []
    for r in (r for r in reports if not f.ws.people[r].left_by(f.today)):
        cid = f.current(r)
        talk = views.talk(f, audience, r, cid) if cid else None
        if talk:
            # what the report wrote, and one line for the rest: a page of "not answered yet" hides what is there
            asked = views.questions(f, audience, f.ws.templates[f.cycle(cid).template], _version(f, r, cid),
                                    _answers(f, r, cid), sides=("employee",))
            talk["sections"], talk["unanswered"] = views.answered(asked)
            talk["asked"] = sum(len(s["questions"]) for s in asked)
        prep.append({"id": r, "name": f.name(r), "talk": talk})
    pages["preparation.md"] = render("preparation.md.j2", "preparation.md", t=t, reports=prep)
    nav: list = [{t("team"): "index.md"}, {t("preparation"): "preparation.md"}]
    for r in reports:
        report_notes = notes.get(r, []) if notes is not None else None
        generate = partial(person_pages, f, audience, r, prefix=f"{r}/", notes=report_notes, history=history)
        sub_pages, sub_nav = parts.pages(r, generate) if parts else generate()
        pages.update(sub_pages)
        nav.append({nav_title(f.name(r)): sub_nav})
    return SiteSpec(audience.key, nav_title(title), t.language, pages, nav, t("about_manager"))


def _version(f: Facts, person: str, cid: str) -> int:
    talk = f.ws.talks.get((person, cid))
    template = f.ws.templates[f.cycle(cid).template]
    return talk.template_version if talk else template.version


def _answers(f: Facts, person: str, cid: str) -> dict:
    talk = f.ws.talks.get((person, cid))
    return {"employee": talk.employee, "manager": talk.manager} if talk else {}


def _team_row(f: Facts, person: str) -> dict:
    cid = f.current(person)
    progress = f.progress(person, cid) if cid else None
    rows = views.due_rows(f, person)
    states = [s for s in f.agreements(person) if s.is_open]
    talk = progress.talk if progress else None
    upcoming = talk.scheduled if talk and talk.scheduled and not talk.held_on else None
    return {"id": person, "name": f.name(person),
            "stage": {"slug": progress.stage.slug, "label": f.words(f"stage_{progress.stage.slug}")} if progress else None,
            "next": views.next_row(rows, f.next(person)), "open": len(states), "overdue": sum(s.overdue for s in states),
            "next_talk": f.words.date(upcoming) if upcoming else None,
            "left": _leaving(f, f.ws.people[person])}


def _leaving(f: Facts, person: Person) -> str | None:
    """"left on …" once the person is gone, "leaves on …" while their leaving date lies ahead."""
    if person.left_on is None:
        return None
    return f.words("left_on" if person.left_by(f.today) else "leaves_on", date=f.words.date(person.left_on))


def hr_site(teams: list[Facts], language: str) -> SiteSpec:
    """Every team's progress per cycle, overdue agreements, and what the templates share with HR, in `language`."""
    t = words(language)
    k = max(f.team.privacy.min_group_size for f in teams)
    cycles = [{"id": cid, "title": title, "progress": hrviews.progress(teams, cid)}
              for cid, title in hrviews.cycles(teams)]
    pages = {"index.md": render("hr_home.md.j2", "index.md", t=t, k=k, cycles=cycles,
                                agreements=hrviews.agreements(teams))}
    cycle_nav = []
    for c in cycles:
        path = f"cycles/{c['id']}.md"
        c = {**c, "signals": hrviews.signals(teams, c["id"], k, t), "shared": hrviews.shared_answers(teams, c["id"], t)}
        pages[path] = render("hr_cycle.md.j2", path, t=t, k=k, c=c)
        cycle_nav.append({nav_title(c["title"]): path})
    nav = [{t("home"): "index.md"}, *([{t("cycles"): cycle_nav}] if cycle_nav else [])]
    return SiteSpec(HR, nav_title(t("site_hr")), t.language, pages, nav, t("about_hr"))
