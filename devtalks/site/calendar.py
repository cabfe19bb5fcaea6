"""A site's calendar feed (RFC 5545): the talk dates and what is due, so a subscribed calendar shows them.

The feed holds the same facts as the site's home pages and nothing more: each subject's
talk date, and the deadlines and open agreements progress.py says are due. Titles only,
never an answer, summary or note. Every event's UID comes from stable facts (team, person,
cycle, kind, agreement), never from a date, so a moved deadline updates its event in place.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from . import views
from .audiences import Audience, subjects
from .facts import Facts

FEED = "calendar.ics"


def feed(f: Facts, audience: Audience, title: str) -> str:
    """The .ics of one person's or manager's site, byte-identical for the same facts on the same day."""
    cal = Calendar()
    cal.add("prodid", "-//devtalks//development talks//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", title)
    cal.add("x-wr-calname", title)
    # Subscribed calendars fetch again daily (RFC 7986, and the older name some clients still read).
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    # DTSTAMP is when the facts were computed: the build's day, so a rebuild that day writes the same bytes.
    stamp = dt.datetime.combine(f.today, dt.time(), dt.timezone.utc)
    for person in subjects(f.ws, audience):
        name = f.name(person)
        for cid in f.talks_of(person):
            talk = f.ws.talks.get((person, cid))
            day = talk and (talk.held_on or talk.scheduled)
            if day:
                what = f.words("talk_in", cycle=f.cycle(cid).title)
                cal.add_component(_event(f, f"meeting:{person}:{cid}", f"{what} · {name}", day, stamp,
                                         f.words("edit_file", path=f.ws.talk_path(person, cid))))
        for row in views.due_rows(f, person):
            cal.add_component(_event(f, row["key"], f"{row['what']} · {name}", row["due"], stamp,
                                     f.words("edit_file", path=row["path"])))
    return cal.to_ical().decode()


def _event(f: Facts, key: str, summary: str, day: dt.date, stamp: dt.datetime, description: str) -> Event:
    event = Event()
    event.add("uid", f"{key}@{f.key}.devtalks")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a deadline marks a day, it does not make anyone busy
    return event
