"""The words and dates of every language devtalks speaks: gettext catalogues and CLDR via Babel.

A language is a catalogue, devtalks/locale/<lang>/LC_MESSAGES/devtalks.po, compiled to
devtalks.mo when the package is built or installed (setup.py). Message ids are stable keys
(`site_person`), not English sentences, so rewording the English text never orphans a
translation. Dates, month names and numbers come from CLDR, never from tables of our own (the
dates Babel wrote are kept in devtalks' cache folder, so a process that writes known dates never loads it).
"""

from __future__ import annotations

import atexit
import datetime as dt
import gettext
import io
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "devtalks"
FALLBACK = "en"
# Every language with a catalogue; adding a folder under locale/ adds a language.
LANGUAGES = tuple(sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))
# English dates are written day first ("27 November 2026"), as in the rest of Europe.
_CLDR = {"en": "en_GB"}


def supported(language: str) -> str:
    """`language` if devtalks speaks it, else the fallback."""
    return language if language in LANGUAGES else FALLBACK


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(po: Path) -> bytes:
    """A catalogue compiled to .mo bytes (the same compiler setup.py runs at build time)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


class _Missing(gettext.NullTranslations):
    """The end of every fallback chain: a key no catalogue has is a bug, not a blank on a page."""

    def gettext(self, message: str) -> str:
        raise KeyError(f"no catalogue has the message `{message}`; add it to {po_path(FALLBACK)} and every other")


@lru_cache(maxsize=None)
def _texts(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language`, falling back to English.

    The .mo from the build is used while it is at least as new as its .po; a .po edited since
    (or a source checkout never built) is compiled in memory instead, so an edit shows at once
    and a read-only install never has to write.
    """
    po = po_path(language)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        texts = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    else:
        texts = gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    texts.add_fallback(_texts(FALLBACK) if language != FALLBACK else _Missing())
    return texts


# Dates as CLDR writes them, by locale, kept in devtalks' cache folder from process to process: loading Babel and a
# locale's data costs more (~60 ms) than a small rebuild spends on its pages, and a rebuild writes dates it wrote before.
_dates: dict[str, dict[str, str]] = {}
# Where each locale's dates were read from, and go back to: the cache folder of that moment, not of the exit's.
_files: dict[str, Path | None] = {}
_unsaved: set[str] = set()


def _date(day: dt.date, locale: str, skeleton: str | None) -> str:
    known = _dates.get(locale)
    if known is None:
        _files[locale] = _dates_file(locale)
        known = _dates[locale] = _saved_dates(_files[locale])
    key = f"{skeleton or 'long'} {day.isoformat()}"
    text = known.get(key)
    if text is None:
        text = known[key] = _format_date(day, locale, skeleton)
        if not _unsaved:
            atexit.register(_save_dates)
        _unsaved.add(locale)
    return text


def _format_date(day: dt.date, locale: str, skeleton: str | None) -> str:
    from babel.dates import format_date, format_skeleton

    return format_skeleton(skeleton, day, locale=locale) if skeleton else format_date(day, "long", locale=locale)


def _dates_file(locale: str) -> Path | None:
    from .errors import DevtalksError
    from .state import cache_home

    try:
        return cache_home() / "dates" / f"{locale}.json"
    except DevtalksError:
        return None  # no cache folder: every process formats its dates anew


def _saved_dates(file: Path | None) -> dict[str, str]:
    """The dates an earlier process formatted with this version of Babel and kept in `file`."""
    from .state import read_entry

    kept = read_entry(file, "dates") if file else None
    if not (isinstance(kept, dict) and kept.get("babel") == _babel() and isinstance(kept.get("dates"), dict)):
        return {}
    return {k: v for k, v in kept["dates"].items() if isinstance(v, str)}


def _save_dates() -> None:
    from .state import write_entry

    for locale in sorted(_unsaved):
        file = _files.get(locale)
        if file and locale in _dates:
            write_entry(file, "dates", {"babel": _babel(), "dates": _dates[locale]})
    _unsaved.clear()


@lru_cache(maxsize=None)
def _babel() -> str:
    from importlib import metadata

    try:
        return metadata.version("babel")
    except metadata.PackageNotFoundError:
        return ""


@lru_cache(maxsize=8192)
def _number(value: float, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.0", locale=locale)


class Words:
    """The texts, dates and numbers of one language: `t("site_person", name=...)` in code and templates."""

    def __init__(self, language: str):
        self.language = supported(language)
        self.locale = _CLDR.get(self.language, self.language)
        self._texts = _texts(self.language)

    def __call__(self, key: str, **values: object) -> str:
        text = self._texts.gettext(key)
        return text.format(**values) if values else text

    def date(self, day: dt.date | None) -> str:
        """27 November 2026, 27 november 2026, 27 november 2026."""
        return "–" if day is None else _date(day, self.locale, None)

    def short_date(self, day: dt.date) -> str:
        """A date for a chart's axis: 3 Mar ’26, 3 mrt 2026, 3 mars 2026."""
        return _date(day, self.locale, "yyMMMd")

    def number(self, value: float) -> str:
        """An average as the language writes it: 3.5, 3,5."""
        return _number(value, self.locale)


@lru_cache(maxsize=None)
def words(language: str) -> Words:
    return Words(language)
