"""The words of reminders in the team's language (from the catalogues): issue titles and bodies, e-mail digests.

Only structure and dates go in: names, cycle titles, agreement titles and file paths.
Nothing here ever receives an answer, a summary or a note.
"""

from __future__ import annotations

import datetime as dt
import re

from ..i18n import words


def date(day: dt.date, lang: str) -> str:
    """A date as people write it: 13 November 2026, 13 november 2026."""
    return words(lang).date(day)


def word(key: str, lang: str, **fields: object) -> str:
    return words(lang)(f"remind_{key}", **fields)


def task(kind: str, lang: str, own: bool, **fields: str) -> str:
    """What to do, as a phrase: `prepare the talk with Noor El Amrani (…)`; `own` when the reader is the person."""
    return words(lang)(f"task_{kind}_own" if own else f"task_{kind}", **fields)


def how(kind: str, lang: str, **fields: object) -> str:
    """What to do in the file, one sentence; {n} counts required questions still open."""
    return words(lang)(f"how_{kind}", **fields)


def days(counts: list[int], lang: str) -> str:
    """`7 days and 1 day`, `7 dagen en 1 dag`."""
    return names([f"{n} {word('day' if n == 1 else 'days', lang)}" for n in counts], lang)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def names(people: list[str], lang: str) -> str:
    if len(people) <= 1:
        return "".join(people)
    return f"{', '.join(people[:-1])} {word('and', lang)} {people[-1]}"


def oneline(text: str, limit: int = 100) -> str:
    """User text for a title or a list line: one line, bounded length."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|!~])")


def inline(text: str, limit: int = 200) -> str:
    """User text inside Markdown: one line; markup escaped, HTML as entities, @-mentions broken."""
    text = oneline(text, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A zero-width space after @ keeps GitHub from turning the text into a mention.
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("@", "@\u200b")
