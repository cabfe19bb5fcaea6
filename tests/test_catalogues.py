"""The message catalogues: complete in every language, and compiled into what gets installed."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from devtalks import i18n
from devtalks.model.template import Signal
from devtalks.progress import Stage
from tests.conftest import ROOT

PACKAGE = ROOT / "devtalks"
# How code and templates ask for a message, and the prefix the catalogue key carries.
CALLS = [
    (re.compile(r"""(?<![\w.])(?:t|words|f\.words)\(["']([\w-]+)["']"""), ""),  # t("home"), f.words("by", ...)
    (re.compile(r"""\bword\(["']([\w-]+)["']"""), "remind_"),                   # texts.word("hello", lang)
    (re.compile(r"""\bwords\[["']([\w-]+)["']\]"""), "file_"),                  # words["header"] in gitflow/talkfile.py
]


def catalogue(language: str) -> dict[str, str]:
    with i18n.po_path(language).open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def used_keys() -> dict[str, str]:
    """Every message key code or a template asks for by name → where."""
    found = {}
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2")]):
        text = path.read_text(encoding="utf-8")
        for pattern, prefix in CALLS:
            for m in pattern.finditer(text):
                found.setdefault(prefix + m.group(1), f"{path.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}")
    return found


def test_devtalks_speaks_english_dutch_and_swedish():
    assert i18n.LANGUAGES == ("en", "nl", "sv")


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != i18n.FALLBACK])
def test_every_catalogue_has_every_message_with_the_same_placeholders(language):
    english, other = catalogue(i18n.FALLBACK), catalogue(language)
    assert sorted(set(english) - set(other)) == [], f"{language} lacks these messages"
    assert sorted(set(other) - set(english)) == [], f"{language} has messages English does not"
    assert [k for k, v in other.items() if not v] == [], f"{language} leaves these untranslated"
    assert [k for k in english if fields(english[k]) != fields(other[k])] == [], \
        f"{language} names other {{placeholders}} than English in these"


def test_every_message_the_code_asks_for_is_in_the_catalogue():
    english = catalogue(i18n.FALLBACK)
    used = used_keys()
    assert len(used) > 120, "the scan finds the calls"
    assert {k: where for k, where in used.items() if k not in english} == {}
    dynamic = ([f"stage_{s.slug}" for s in Stage] + [f"signal_{s.value}" for s in Signal] +
               [f"{family}_{k.removeprefix('kind_')}{own}" for k in english if k.startswith("kind_")
                for family, own in (("task", ""), ("task", "_own"), ("how", ""))])
    assert [k for k in dynamic if k not in english] == []


def test_a_message_nobody_has_is_an_error_not_a_blank():
    with pytest.raises(KeyError, match="no catalogue has the message `no-such-key`"):
        i18n.Words("sv")("no-such-key")


def test_a_catalogue_edited_after_its_build_is_read_from_the_po(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    po = i18n.po_path("sv")
    po.with_suffix(".mo").write_bytes(i18n.compile_po(po))
    os.utime(po.with_suffix(".mo"), (1_000_000, 1_000_000))   # built long before the edit below
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Ditt nästa steg"', 'msgstr "Nästa steg"'),
                  encoding="utf-8")
    i18n._texts.cache_clear()
    try:
        assert i18n.Words("sv")("next_step") == "Nästa steg"
    finally:
        i18n._texts.cache_clear()


def test_babel_formats_a_date_once_and_the_next_process_reads_it_back(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVTALKS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(i18n, "_unsaved", set())
    formatted = []
    format_date = i18n._format_date
    monkeypatch.setattr(i18n, "_format_date", lambda *args: formatted.append(args) or format_date(*args))
    day = dt.date(2026, 3, 3)

    def as_written() -> tuple[str, str]:
        monkeypatch.setattr(i18n, "_dates", {})  # as in a new process
        monkeypatch.setattr(i18n, "_files", {})
        nl = i18n.Words("nl")
        return nl.date(day), nl.short_date(day)

    assert as_written() == ("3 maart 2026", "3 mrt 2026")
    i18n._save_dates()  # as the process exits
    assert as_written() == ("3 maart 2026", "3 mrt 2026")
    assert len(formatted) == 2, "the second process formats nothing"
    entry = tmp_path / "cache" / "dates" / "nl.json"
    kept = json.loads(entry.read_text(encoding="utf-8"))
    kept["value"]["babel"] = "0.1"
    entry.write_text(json.dumps(kept), encoding="utf-8")
    assert as_written() == ("3 maart 2026", "3 mrt 2026")
    assert len(formatted) == 4, "dates another version of Babel wrote are formatted again"


def test_dates_go_back_to_the_cache_folder_they_came_from(tmp_path, monkeypatch):
    """A process (a test session) that points elsewhere by the time it exits does not write into that other folder."""
    monkeypatch.setenv("DEVTALKS_CACHE_DIR", str(tmp_path / "first"))
    monkeypatch.setattr(i18n, "_unsaved", set())
    monkeypatch.setattr(i18n, "_dates", {})
    monkeypatch.setattr(i18n, "_files", {})
    assert i18n.Words("sv").date(dt.date(2026, 3, 3)) == "3 mars 2026"
    monkeypatch.setenv("DEVTALKS_CACHE_DIR", str(tmp_path / "later"))
    i18n._save_dates()
    assert (tmp_path / "first" / "dates" / "sv.json").is_file() and not (tmp_path / "later").exists()


def test_a_wheel_carries_the_compiled_catalogues(tmp_path):
    source = tmp_path / "source"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "devtalks", "pyproject.toml",
                            "setup.py", "README.md"], cwd=ROOT, capture_output=True, text=True, check=True)
    for rel in files.stdout.split():
        if not rel.endswith(".mo") and (ROOT / rel).is_file():
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, source / rel)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                            "--no-index", "-q", "-w", str(tmp_path / "dist")], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("devtalks-*.whl")
    with zipfile.ZipFile(wheel) as z:
        for language in i18n.LANGUAGES:
            mo = z.read(f"devtalks/locale/{language}/LC_MESSAGES/devtalks.mo")
            texts = gettext.GNUTranslations(io.BytesIO(mo))
            assert texts.gettext("next_step") == catalogue(language)["next_step"]
