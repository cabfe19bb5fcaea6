"""A hostile forge: odd waits, endless pages and bodies, answers dribbled a byte at a time.

Each run ends within its bounds, with exit code 1 and a message that says what happened, or
finishes its work; never a traceback, never a duplicated reminder.
"""

from __future__ import annotations

import email.utils
import time

import pytest

from devtalks.remind.github import MAX_ANSWER, MAX_PAGES
from tests.conftest import EXAMPLE_TODAY

from .helpers import expected


def _http_date(offset: float) -> str:
    return email.utils.formatdate(time.time() + offset, usegmt=True)


def _wait(value: str | float) -> str:
    """A Retry-After value: a string as it is, a number of seconds from now as an HTTP date (made when the test runs,
    so that every test process collects the same tests)."""
    return value if isinstance(value, str) else _http_date(value)


@pytest.mark.parametrize("value", ["-5", "-inf", "0", -3600, 1], ids=["-5", "-inf", "0", "date-an-hour-ago", "date-now"])
def test_a_retry_after_now_or_in_the_past_waits_a_short_while(value, forge, remind, example_repo):
    forge.fail("GET", r"/issues$", "429", wait=_wait(value))
    start = time.monotonic()
    result = remind()
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - start < 10
    assert forge.requests("GET", r"/issues$")[0].outcome == "429"
    assert forge.snapshot() == expected(example_repo, EXAMPLE_TODAY, forge)


@pytest.mark.parametrize("value", ["inf", "1e308", "99999999999", 7 * 86400, "nan", "soon", ""],
                         ids=["inf", "1e308", "99999999999", "date-in-a-week", "nan", "soon", "empty"])
def test_a_retry_after_beyond_the_bound_or_unreadable_stops_at_once(value, forge, remind):
    """What is no number or date means a minute, as GitHub advises; the tests' bound is 3 s."""
    forge.fail("GET", r"/issues$", "429", wait=_wait(value))
    start = time.monotonic()
    result = remind()
    assert result.exit_code == 1, result.stderr
    assert time.monotonic() - start < 5
    assert "rate limit is reached until" in result.stderr and "The next run picks up the rest" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_rate_limit_reset_of_nan_waits_a_minute_at_most(forge, remind):
    forge.fail("GET", r"/issues$", "403-rate", wait="nan")
    result = remind()
    assert result.exit_code == 1 and "rate limit is reached until" in result.stderr


def test_next_links_that_never_end_are_followed_only_so_far(forge, remind):
    forge.fail("GET", r"/issues$", "next", times=10 * MAX_PAGES)
    result = remind()
    assert result.exit_code == 1
    assert f"more than {MAX_PAGES} pages of /repos/example/team-platform/issues" in result.stderr
    pages = {tuple(sorted((k, tuple(v)) for k, v in seen.query.items())) for seen in forge.requests("GET", r"/issues$")}
    assert len(pages) == MAX_PAGES  # distinct pages: a request lost on a busy machine is sent again, rightly
    assert forge.marked() == []


def test_a_next_link_back_to_a_page_already_read_stops_the_run(forge, remind):
    forge.fail("GET", r"/issues$", "loop", times=99)
    result = remind()
    assert result.exit_code == 1
    assert "next-page link leads back to a page already read" in result.stderr
    assert len(forge.requests("GET", r"/issues$")) == 2


def test_an_answer_dribbled_a_byte_at_a_time_ends_at_the_timeout(forge, remind, monkeypatch):
    monkeypatch.setenv("DEVTALKS_HTTP_TIMEOUT", "1")
    monkeypatch.setenv("DEVTALKS_HTTP_ATTEMPTS", "2")
    forge.stall = 0.2
    forge.fail("GET", r"/labels/", "dribble", times=99)
    start = time.monotonic()
    result = remind()
    took = time.monotonic() - start
    assert result.exit_code == 1
    assert "did not answer GET /repos/example/team-platform/labels/" in result.stderr and "timed out" in result.stderr
    assert took < 2 * 1 + 3, took
    assert forge.marked() == []


def test_a_dribbled_create_is_found_again_not_opened_twice(forge, remind, example_repo, monkeypatch):
    monkeypatch.setenv("DEVTALKS_HTTP_TIMEOUT", "1")
    forge.stall = 0.2
    forge.fail("POST", r"/issues$", "dribble", times=2)
    start = time.monotonic()
    result = remind()
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - start < 8, "each dribbled answer ends after 1 s, not after the forge's 10 s"
    assert forge.snapshot() == expected(example_repo, EXAMPLE_TODAY, forge)


def test_the_whole_run_ends_at_its_own_deadline(forge, remind, monkeypatch):
    monkeypatch.setenv("DEVTALKS_HTTP_TIMEOUT", "1")
    monkeypatch.setenv("DEVTALKS_HTTP_RUN_TIMEOUT", "2")
    forge.stall = 0.2
    forge.fail("*", r"", "dribble", times=999)
    forge.dribble_for = 0.5
    start = time.monotonic()
    result = remind()
    assert result.exit_code == 1
    assert "DEVTALKS_HTTP_RUN_TIMEOUT" in result.stderr and "The next run picks up the rest" in result.stderr
    assert time.monotonic() - start < 2 + 1 + 2


def test_an_endless_answer_is_not_read_into_memory(forge, remind, monkeypatch):
    monkeypatch.setenv("DEVTALKS_HTTP_TIMEOUT", "60")
    forge.fail("GET", r"/issues$", "endless", times=99)
    result = remind()
    assert result.exit_code == 1
    assert f"is longer than {MAX_ANSWER // 2**20} MiB; stopped without reading the rest" in result.stderr
    assert forge.sent < 3 * MAX_ANSWER
    assert forge.marked() == []
