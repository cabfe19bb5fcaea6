"""Calendar feeds: a person's or manager's site with dates in it carries calendar.ics, which two parsers read alike.

A subscribed calendar must update, not duplicate: an event keeps its UID when its date moves
and across rebuilds, and a rebuild with nothing changed writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import vobject
import yaml

from tests.site.sitehelpers import TODAY, sites_in

FEED = "calendar.ics"


def events(path: Path) -> dict[str, tuple[str, dt.date]]:
    """UID → (title, day) as icalendar reads the feed, checked against vobject, an independent parser."""
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n"), "RFC 5545 lines end in CRLF"
    cal = icalendar.Calendar.from_ical(raw)
    ours = {str(e["uid"]): (str(e["summary"]), e.decoded("dtstart")) for e in cal.walk("VEVENT")}
    for e in cal.walk("VEVENT"):
        assert e.get("dtstamp") is not None, "RFC 5545 requires DTSTAMP on every event"
    other = vobject.readOne(raw.decode("utf-8"))
    theirs = {e.uid.value: (e.summary.value, e.dtstart.value) for e in other.contents.get("vevent", [])}
    assert ours == theirs, f"{path}: the two parsers disagree"
    return ours


def test_every_person_and_manager_site_with_a_date_has_a_feed_and_hr_has_none(built):
    repo, out = built
    sites = sites_in(out)
    assert not (out / "hr" / FEED).exists(), "the HR site has no calendar"
    for key, site in sites.items():
        if key in ("hr", "people/sanne"):
            continue
        assert events(site / FEED), f"{key}'s feed is empty"
        home = (site / "index.html").read_text()
        assert f'href="{FEED}"' in home and "Zet in je agenda" in home, f"{key}'s home page does not link its feed"


def test_a_person_with_no_dates_gets_no_empty_calendar_and_no_link_to_one(built):
    repo, out = built
    assert not list((repo / "talks").glob("sanne/*.yaml")), "Sanne, the manager, has no talk and nothing due"
    site = sites_in(out)["people/sanne"]
    # RFC 5545 §3.6: a VCALENDAR holds one component or more
    assert not (site / FEED).exists(), "an empty VCALENDAR is no valid calendar"
    assert FEED not in (site / "index.html").read_text() and "Zet in je agenda" not in (site / "index.html").read_text()


def test_a_feed_holds_the_talk_date_and_the_deadlines_in_the_teams_language(built):
    repo, out = built
    cycle = yaml.safe_load((repo / "cycles" / "2026-autumn.yaml").read_text())
    talk = yaml.safe_load((repo / "talks" / "fleur" / "2026-autumn.yaml").read_text())
    fleur = events(out / "people" / "fleur" / FEED)
    days = {title: day for title, day in fleur.values()}
    assert days[f"Gesprek: {cycle['title']} · Fleur Jansen"] == talk["scheduled"]
    assert days["Het gesprek voeren · Fleur Jansen"] == cycle["talks_by"]
    files = [yaml.safe_load(path.read_text()) for path in (repo / "talks" / "fleur").glob("*.yaml")]
    agreements = [a for data in files for a in (data.get("agreements") or data.get("follow_ups") or [])]
    assert agreements
    for a in agreements:
        title = f"Afspraak: {a['title']} · Fleur Jansen"
        if a.get("status", "open") == "open" and a.get("due"):
            assert days[title] == a["due"], "an open agreement is on its due date"
        else:
            assert title not in days, "a done or dropped agreement is no longer in the calendar"


def test_a_person_sees_only_their_own_dates_and_a_manager_their_reports(built):
    repo, out = built
    team = yaml.safe_load((repo / "team.yaml").read_text())
    names = {p["id"]: p["name"] for p in team["people"]}
    reports = {p["id"] for p in team["people"] if p.get("manager") == "sanne"}
    for person, name in names.items():
        if not (out / "people" / person / FEED).exists():
            continue
        titles = [title for title, _ in events(out / "people" / person / FEED).values()]
        assert all(title.endswith(f" · {name}") for title in titles), f"{person}'s feed holds someone else's dates"
    manager = events(out / "managers" / "sanne" / FEED)
    whose = {title.rpartition(" · ")[2] for title, _ in manager.values()}
    assert whose == {names[r] for r in reports}
    assert not (repo / "talks" / "jeroen" / "2026-autumn.yaml").exists(), "nobody prepared Jeroen's talk yet"
    assert "Het gesprek voorbereiden (leidinggevende) · Jeroen Visser" in {t for t, _ in manager.values()}, \
        "the manager's own preparation deadline is in their feed"


def test_events_keep_their_uid_when_dates_move_and_rebuilds_write_the_same_bytes(example_repo, tmp_path, run_cli):
    out = tmp_path / "site"

    def build(*extra: str) -> None:
        result = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY, *extra)
        assert result.exit_code == 0, result.stderr

    build()
    feed = out / "people" / "fleur" / FEED
    before, raw = events(feed), feed.read_bytes()
    build("--force")
    assert feed.read_bytes() == raw, "a rebuild of the same facts writes the same feed"

    cycle_file = example_repo / "cycles" / "2026-autumn.yaml"
    cycle = yaml.safe_load(cycle_file.read_text())
    cycle["talks_by"] = cycle["talks_by"] + dt.timedelta(days=7)
    cycle_file.write_text(yaml.safe_dump(cycle, sort_keys=False, allow_unicode=True))
    talk_file = example_repo / "talks" / "fleur" / "2026-autumn.yaml"
    talk = yaml.safe_load(talk_file.read_text())
    talk["scheduled"] = dt.date(2026, 12, 3)
    talk_file.write_text(yaml.safe_dump(talk, sort_keys=False, allow_unicode=True))
    build()
    after = events(feed)
    assert set(after) == set(before), "moved dates update their events instead of adding new ones"
    moved = {uid for uid in before if before[uid][1] != after[uid][1]}
    assert {after[uid][1] for uid in moved} == {cycle["talks_by"], dt.date(2026, 12, 3)}
    manager = events(out / "managers" / "sanne" / FEED)
    assert all(uid in manager for uid in after), "the manager's feed names the same events the same way"
