"""The words of reminders in each team language: issue titles and bodies, e-mail digests, dates.

Only structure and dates go in: names, cycle titles, agreement titles and file paths.
Nothing here ever receives an answer, a summary or a note.
"""

from __future__ import annotations

import datetime as dt
import re

LANGUAGES = ("en", "nl")

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
}

# {person} is whose talk it is, {cycle} the cycle's title, {title} an agreement's title.
# "own" is the wording when the reader is the person whose talk it is.
_TASKS = {
    "en": {
        "prepare": ("prepare your talk ({cycle})", "prepare your talk ({cycle})"),
        "prepare-manager": ("prepare the talk with {person} ({cycle})", "prepare the talk with {person} ({cycle})"),
        "talk": ("hold the talk with {person} ({cycle})", "hold your talk ({cycle})"),
        "plan": ("write down the plan of the talk with {person} ({cycle})", "write down the plan of your talk ({cycle})"),
        "sign-off": ("sign off the plan of the talk with {person} ({cycle})", "sign off the plan of your talk ({cycle})"),
        "revisit": ("revisit open agreements in the talk with {person} ({cycle})",
                    "revisit your open agreements in your talk ({cycle})"),
        "agreement": ("agreement “{title}”", "agreement “{title}”"),
    },
    "nl": {
        "prepare": ("bereid je gesprek voor ({cycle})", "bereid je gesprek voor ({cycle})"),
        "prepare-manager": ("bereid het gesprek met {person} voor ({cycle})", "bereid het gesprek met {person} voor ({cycle})"),
        "talk": ("voer het gesprek met {person} ({cycle})", "voer je gesprek ({cycle})"),
        "plan": ("leg het plan van het gesprek met {person} vast ({cycle})", "leg het plan van je gesprek vast ({cycle})"),
        "sign-off": ("teken het plan van het gesprek met {person} af ({cycle})", "teken het plan van je gesprek af ({cycle})"),
        "revisit": ("bespreek de open afspraken opnieuw in het gesprek met {person} ({cycle})",
                    "bespreek je open afspraken opnieuw in je gesprek ({cycle})"),
        "agreement": ("afspraak “{title}”", "afspraak “{title}”"),
    },
}

# What to do in the file, one sentence per kind; {n} counts required questions still open.
_HOW = {
    "en": {
        "prepare": "Answer the questions under `employee:`. Required questions still open: {n}.",
        "prepare-manager": "Answer the questions under `manager:`. Required questions still open: {n}.",
        "talk": "Once the talk has taken place, set `held_on:` to its date.",
        "plan": "Write the shared `summary:` and the `agreements:` you made.",
        "sign-off": "Each side sets their date under `sign_off:` ({sides}).",
        "revisit": "Afterwards, update their `status:` in the file they come from:",
        "agreement": "When it is done, set `status: done` and `done_on:` for `{id}`.",
    },
    "nl": {
        "prepare": "Beantwoord de vragen onder `employee:`. Verplichte vragen nog open: {n}.",
        "prepare-manager": "Beantwoord de vragen onder `manager:`. Verplichte vragen nog open: {n}.",
        "talk": "Zet na het gesprek de datum bij `held_on:`.",
        "plan": "Schrijf de gezamenlijke `summary:` en de `agreements:` die jullie maakten.",
        "sign-off": "Ieder zet de eigen datum onder `sign_off:` ({sides}).",
        "revisit": "Werk daarna hun `status:` bij in het bestand waar ze vandaan komen:",
        "agreement": "Zet als het klaar is `status: done` en `done_on:` bij `{id}`.",
    },
}

_WORDS = {
    "en": {
        "by": "by {date}", "overdue": "Overdue", "what": "What", "who": "Who", "due": "Due",
        "overdue_since": "{date} (overdue)", "file": "File", "new_file": "does not exist yet: [create it]({url})",
        "new_file_plain": "does not exist yet: create it", "and": "and",
        "item": "{title}, due {date}, in `{path}`",
        "footer": "devtalks opened this reminder and keeps it up to date: it closes itself once the file shows it is done, and reopens if it is closed by hand before then.",
        "close_done": "Done: the repository shows this is taken care of. Closed by devtalks.",
        "close_moved": "No longer due soon: its deadline moved. Closed by devtalks; it reopens when it is due again.",
        "close_left": "No longer needed: the person it concerns has left the team (team.yaml). Closed by devtalks.",
        "close_duplicate": "Duplicate of #{number}. Closed by devtalks.",
        "subject": "{team}: what is due for you ({n})",
        "subject_overdue": "{team}: what is due for you ({n}, {late} overdue)",
        "hello": "Hello {name},", "intro": "This is what is due for you in the development talks of {team}:",
        "late_heading": "Overdue", "soon_heading": "Due soon",
        "schedule": "You get this e-mail {days} before a deadline, on the day itself, and weekly once it has passed.",
        "schedule_day": "You get this e-mail on the day of a deadline, and weekly once it has passed.",
        "day": "day", "days": "days", "sign": "devtalks",
    },
    "nl": {
        "by": "uiterlijk {date}", "overdue": "Te laat", "what": "Wat", "who": "Wie", "due": "Uiterlijk",
        "overdue_since": "{date} (te laat)", "file": "Bestand", "new_file": "bestaat nog niet: [maak het aan]({url})",
        "new_file_plain": "bestaat nog niet: maak het aan", "and": "en",
        "item": "{title}, uiterlijk {date}, in `{path}`",
        "footer": "devtalks opende deze herinnering en houdt haar bij: ze sluit vanzelf zodra het bestand laat zien dat het gedaan is, en gaat weer open als ze eerder met de hand gesloten wordt.",
        "close_done": "Gedaan: de repository laat zien dat dit geregeld is. Gesloten door devtalks.",
        "close_moved": "Niet meer binnenkort: de deadline is verschoven. Gesloten door devtalks; ze gaat weer open zodra het weer aan de beurt is.",
        "close_left": "Niet meer nodig: de betrokkene is uit het team vertrokken (team.yaml). Gesloten door devtalks.",
        "close_duplicate": "Dubbel met #{number}. Gesloten door devtalks.",
        "subject": "{team}: wat er voor jou klaarstaat ({n})",
        "subject_overdue": "{team}: wat er voor jou klaarstaat ({n}, waarvan {late} te laat)",
        "hello": "Hoi {name},", "intro": "Dit staat voor je klaar in de ontwikkelingsgesprekken van {team}:",
        "late_heading": "Te laat", "soon_heading": "Binnenkort",
        "schedule": "Je krijgt deze mail {days} voor een deadline, op de dag zelf, en daarna wekelijks.",
        "schedule_day": "Je krijgt deze mail op de dag van een deadline, en daarna wekelijks.",
        "day": "dag", "days": "dagen", "sign": "devtalks",
    },
}


def language(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def date(day: dt.date, lang: str) -> str:
    """A date as people write it: 13 November 2026, 13 november 2026."""
    return f"{day.day} {_MONTHS[language(lang)][day.month - 1]} {day.year}"


def word(key: str, lang: str, **fields: object) -> str:
    return _WORDS[language(lang)][key].format(**fields)


def task(kind: str, lang: str, own: bool, **fields: str) -> str:
    """What to do, as a phrase: `prepare the talk with Noor El Amrani (…)`."""
    other, mine = _TASKS[language(lang)][kind]
    return (mine if own else other).format(**fields)


def how(kind: str, lang: str, **fields: object) -> str:
    return _HOW[language(lang)][kind].format(**fields)


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
