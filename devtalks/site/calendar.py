"""A site's calendar feed (RFC 5545): the talk dates and what is due, so a subscribed calendar shows them.

The feed holds the same facts as the site's home pages and nothing more: each subject's
talk date, and the deadlines and open agreements progress.py says are due. Titles only,
never an answer, summary or note. Every event's UID comes from stable facts (team, person,
cycle, kind, agreement), never from a date, so a moved deadline updates its event in place.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Callable

from . import views
from .audiences import Audience, subjects
from .facts import Facts

FEED = "calendar.ics"

# A feed's events as plain data: (UID, summary, day, description).
Events = list[tuple[str, str, dt.date, str]]
# The feed a rebuild wrote last time from the same title, day and events (reuse.Feed), else make() anew:
# kept(what decides every byte, make).
Kept = Callable[[list, Callable[[], str]], str]


def feed(f: Facts, audience: Audience, title: str, kept: Kept | None = None) -> str | None:
    """The .ics of one person's or manager's site, byte-identical for the same facts on the same day; None when it
    would hold no event (RFC 5545 wants at least one component, and an empty calendar is nothing to subscribe to)."""
    found = events(f, audience)
    if not found:
        return None
    make = partial(ics, title, f.today, found)
    if kept is None:
        return make()
    return kept([title, f.today.isoformat(), [[uid, what, day.isoformat(), text] for uid, what, day, text in found]], make)


def events(f: Facts, audience: Audience) -> Events:
    """Each subject's talk date and what is due, in the site's language."""
    out: Events = []
    for person in subjects(f.ws, audience):
        name = f.name(person)
        for cid in f.talks_of(person):
            talk = f.ws.talks.get((person, cid))
            day = talk and (talk.held_on or talk.scheduled)
            if day:
                what = f.words("talk_in", cycle=f.cycle(cid).title)
                out.append((f"meeting:{person}:{cid}@{f.key}.devtalks", f"{what} · {name}", day,
                            f.words("edit_file", path=f.ws.talk_path(person, cid))))
        for row in views.due_rows(f, person):
            out.append((f"{row['key']}@{f.key}.devtalks", f"{row['what']} · {name}", row["due"],
                        f.words("edit_file", path=row["path"])))
    return out


def ics(title: str, today: dt.date, found: Events) -> str:
    """The feed itself, written by icalendar (imported only here: a rebuild whose feeds are kept never loads it)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//devtalks//development talks//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = _one_line(title)
    cal.add("name", title)
    cal.add("x-wr-calname", title)
    # Subscribed calendars fetch again daily (RFC 7986, and the older name some clients still read).
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    # DTSTAMP is when the facts were computed: the build's day, so a rebuild that day writes the same bytes.
    stamp = dt.datetime.combine(today, dt.time(), dt.timezone.utc)
    for uid, summary, day, description in found:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("summary", _one_line(summary))
        event.add("description", description)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a deadline marks a day, it does not make anyone busy
        cal.add_component(event)
    return cal.to_ical().decode()


def _one_line(text: str) -> str:
    """Titles and names are one line (validation sees to it); a line break would end the property in the feed."""
    return " ".join(text.split())
