"""A site's calendar feed (RFC 5545): the talk dates and what is due, so a subscribed calendar shows them.

The feed holds the same facts as the site's home pages and nothing more: each subject's
talk date, and the deadlines and open agreements progress.py says are due. Titles only,
never an answer, summary or note. Every event's UID comes from stable facts (team, person,
cycle, kind, agreement), never from a date, so a moved deadline updates its event in place.
"""

from __future__ import annotations

import datetime as dt

from . import views
from .audiences import Audience, subjects
from .facts import Facts

FEED = "calendar.ics"
FOLD = 74  # octets of a content line before it folds (RFC 5545 3.1: at most 75)


def feed(f: Facts, audience: Audience, title: str) -> str:
    """The .ics of one person's or manager's site, byte-identical for the same facts on the same day."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//devtalks//development talks//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"NAME:{_text(title)}", f"X-WR-CALNAME:{_text(title)}",
             # Subscribed calendars fetch again daily (RFC 7986, and the older name some clients still read).
             "REFRESH-INTERVAL;VALUE=DURATION:P1D", "X-PUBLISHED-TTL:P1D"]
    # DTSTAMP is when the facts were computed: the build's day, so a rebuild that day writes the same bytes.
    stamp = f"{f.today:%Y%m%d}T000000Z"
    for person in subjects(f.ws, audience):
        name = f.name(person)
        for cid in f.talks_of(person):
            talk = f.ws.talks.get((person, cid))
            day = talk and (talk.held_on or talk.scheduled)
            if day:
                what = f.words("talk_in", cycle=f.cycle(cid).title)
                lines += _event(f, f"meeting:{person}:{cid}", f"{what} · {name}", day, stamp,
                                f.words("edit_file", path=f.ws.talk_path(person, cid)))
        for row in views.due_rows(f, person):
            lines += _event(f, row["key"], f"{row['what']} · {name}", row["due"], stamp,
                            f.words("edit_file", path=row["path"]))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _event(f: Facts, key: str, summary: str, day: dt.date, stamp: str, description: str) -> list[str]:
    return ["BEGIN:VEVENT", f"SUMMARY:{_text(summary)}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}", f"DTSTAMP:{stamp}",
            f"UID:{_text(f'{key}@{f.key}.devtalks')}", f"DESCRIPTION:{_text(description)}",
            "TRANSP:TRANSPARENT",  # a deadline marks a day, it does not make anyone busy
            "END:VEVENT"]


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """A content line folded before FOLD octets, never inside a character or between a backslash and what it escapes."""
    if len(line.encode()) <= FOLD:
        return line
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if current and size + width > FOLD:
            carried = [current.pop()] if len(current) > 1 and current[-1] == "\\" else []
            parts.append("".join(current))
            current, size = carried, sum(len(c.encode()) for c in carried)
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)
