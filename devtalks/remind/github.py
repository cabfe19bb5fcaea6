"""A small GitHub REST client for issues: retries, rate limits, Link pagination, clear errors.

Works against github.com and GitHub Enterprise (GITHUB_API_URL). The token goes only into
the Authorization header of requests to the API's own origin; no message ever includes it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import os
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import quote, urlsplit

import httpcore
import httpx

from .. import __version__
from ..errors import DevtalksError

PUBLIC_API = "https://api.github.com"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# 100 issues of GitHub's longest body fit many times over; a longer answer is no answer GitHub sends.
MAX_ANSWER = 32 * 2**20
# 100,000 issues at 100 a page: more pages is a forge that never stops.
MAX_PAGES = 1000


class ForgeError(DevtalksError):
    """The forge refused or failed; the message says what to do."""


class Stopped(ForgeError):
    """The run stopped early on purpose (rate limit beyond the wait bound, forge unavailable)."""


class Unprocessable(ForgeError):
    def __init__(self, message: str, errors: list[dict]):
        super().__init__(message)
        self.errors = errors

    def about(self, field: str) -> bool:
        return any(isinstance(e, dict) and e.get("field") == field for e in self.errors)


class _Ambiguous(Exception):
    """The request may or may not have been carried out: no usable answer came back."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class Policy:
    """How patient a run is; tests make these short through the environment."""

    timeout: float = 20.0
    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 120.0
    run: float = 1800.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Policy":
        def number(name: str, default: float, kind: type = float) -> Any:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = kind(raw)
            except ValueError:
                raise DevtalksError(f"{name}={raw!r} is not a number") from None
            if not 0 <= value < math.inf:
                raise DevtalksError(f"{name} must be a number of at least 0")
            return value

        return cls(number("DEVTALKS_HTTP_TIMEOUT", cls.timeout), max(1, number("DEVTALKS_HTTP_ATTEMPTS", cls.attempts, int)),
                   number("DEVTALKS_HTTP_BACKOFF", cls.backoff), number("DEVTALKS_RATE_LIMIT_MAX_WAIT", cls.max_wait),
                   number("DEVTALKS_HTTP_RUN_TIMEOUT", cls.run))


def web_url(api: str) -> str:
    """The web address that goes with an API address: api.github.com → github.com, GHE's /api/v3 stripped."""
    api = api.rstrip("/")
    if api == PUBLIC_API:
        return "https://github.com"
    return api.removesuffix("/api/v3")


class GitHub:
    """Issues of one repository."""

    # What a refusal (403) or a missing repository (404) asks the user to check; the repository calls say their own.
    needs = "`issues: write`"
    found_by = "reminders.repository in team.yaml (or GITHUB_REPOSITORY)"

    def __init__(self, api: str, repository: str, token: str, policy: Policy = Policy(),
                 sleep: Callable[[float], None] = time.sleep):
        parts = urlsplit(api)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DevtalksError(f"GITHUB_API_URL={api!r} is not an http(s) URL")
        if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
            raise DevtalksError("GITHUB_API_URL must use https: the token would travel in plain text")
        self.api = api.rstrip("/")
        self.origin = (parts.scheme, parts.netloc)
        self.repository = repository
        self.policy = policy
        self.sleep = sleep
        self._ends = time.monotonic() + policy.run
        self._clock = _Clock()
        transport = httpx.HTTPTransport()
        # httpx's timeouts are per read: a byte every so often would keep a request alive for ever.
        transport._pool._network_backend = self._clock
        self._http = httpx.Client(transport=transport, timeout=policy.timeout, follow_redirects=False, headers={
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"devtalks/{__version__}",
            "Authorization": f"Bearer {token}",
            "Accept-Encoding": "identity",
        })

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "GitHub":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _url(self, path: str) -> str:
        return f"{self.api}/repos/{self.repository}{path}"

    def list_issues(self, label: str) -> Iterator[dict]:
        """Every issue (open and closed) with the label, following Link pagination; pull requests skipped."""
        params = {"labels": label, "state": "all", "per_page": 100, "sort": "created", "direction": "asc"}
        return (issue for issue in self._pages(self._url("/issues"), params) if "pull_request" not in issue)

    def ensure_label(self, name: str, color: str, description: str) -> None:
        response = self._send("GET", self._url(f"/labels/{quote(name, safe='')}"), allow={404})
        if response.status_code == 404:
            self._send("POST", self._url("/labels"), json={"name": name, "color": color, "description": description},
                       allow={422})

    def create_issue(self, payload: dict, find: Callable[[], dict | None]) -> dict:
        """Create once: when the answer is lost, `find` looks for it before anything is sent again."""
        return self._post_once(self._url("/issues"), payload, find)

    def update_issue(self, number: int, payload: dict) -> dict:
        return _answer(self._send("PATCH", self._url(f"/issues/{number}"), json=payload), dict)

    def comment(self, number: int, body: str, find: Callable[[], dict | None]) -> dict:
        return self._post_once(self._url(f"/issues/{number}/comments"), {"body": body}, find)

    def comments(self, number: int) -> Iterator[dict]:
        return self._pages(self._url(f"/issues/{number}/comments"), {"per_page": 100})

    def _pages(self, url: str | None, params: dict | None) -> Iterator[dict]:
        seen: set[str] = set()
        while url:
            if len(seen) == MAX_PAGES:
                raise ForgeError(f"the forge offered more than {MAX_PAGES} pages of {self._short(url.split('?')[0])}; "
                                 "stopped, as no repository has that many reminders: check GITHUB_API_URL")
            response = self._send("GET", url, params=params)
            seen.add(str(response.url))
            yield from _answer(response, list)
            url, params = response.links.get("next", {}).get("url"), None
            if url and (urlsplit(url).scheme, urlsplit(url).netloc) != self.origin:
                raise ForgeError("the forge's next-page link points to another host; stopped so the token stays put")
            if url in seen:
                raise ForgeError(f"the forge's next-page link leads back to a page already read ({self._short(url)}); "
                                 "stopped: check GITHUB_API_URL")

    def _post_once(self, url: str, payload: dict, find: Callable[[], dict | None]) -> dict:
        why = ""
        for attempt in range(self.policy.attempts):
            try:
                return _answer(self._send("POST", url, json=payload, ambiguous=True), dict)
            except _Ambiguous as e:
                why = e.why
            self._back_off(attempt, "POST", url)
            found = find()
            if found is not None:
                return found
        raise Stopped(f"GitHub did not confirm POST {self._short(url)} after {self.policy.attempts} attempts ({why})")

    def _send(self, method: str, url: str, *, params: dict | None = None, json: Any = None,
              allow: set[int] = frozenset(), ambiguous: bool = False) -> httpx.Response:
        """One request with retries. With `ambiguous`, a lost answer is raised for the caller to resolve."""
        why = ""
        for attempt in range(self.policy.attempts):
            try:
                response = self._exchange(method, url, params, json)
            except httpx.TransportError as e:
                why = _describe(e)
                if ambiguous:
                    raise _Ambiguous(why) from None
                self._back_off(attempt, method, url)
                continue
            if response.status_code in allow or response.is_success:
                return response
            wait = self._rate_limited(response)
            if wait is not None:
                why = "rate limited"
                self._wait(wait, method, url)
                continue
            if response.status_code >= 500:
                why = f"{response.status_code} {response.reason_phrase}"
                if ambiguous:
                    raise _Ambiguous(why)
                self._back_off(attempt, method, url)
                continue
            self._fail(response, method, url)
        raise Stopped(f"GitHub did not answer {method} {self._short(url)} after {self.policy.attempts} attempts ({why})")

    def _exchange(self, method: str, url: str, params: dict | None, json: Any) -> httpx.Response:
        """One request and its whole answer, read within the request's deadline and up to MAX_ANSWER bytes."""
        self._clock.until = min(time.monotonic() + self.policy.timeout, self._ends)
        if self._clock.until <= time.monotonic():
            self._stop(method, url)
        request = self._http.build_request(method, url, params=params, json=json)
        streamed = self._http.send(request, stream=True)
        try:
            body = bytearray()
            for chunk in streamed.iter_raw():
                body += chunk
                if len(body) > MAX_ANSWER:
                    raise ForgeError(f"the forge's answer to {method} {self._short(url)} is longer than "
                                     f"{MAX_ANSWER // 2**20} MiB; stopped without reading the rest: check GITHUB_API_URL")
        finally:
            streamed.close()
        if streamed.headers.get("content-encoding", "identity").lower() not in ("identity", ""):
            raise ForgeError(f"the forge compressed its answer to {method} {self._short(url)}, which devtalks did not "
                             "ask for; stopped: check GITHUB_API_URL")
        return httpx.Response(streamed.status_code, headers=streamed.headers, content=bytes(body), request=request,
                              extensions={"reason_phrase": streamed.extensions.get("reason_phrase", b"")})

    def _stop(self, method: str, url: str) -> None:
        raise Stopped(f"this run has talked to GitHub for {self.policy.run:.0f} s (DEVTALKS_HTTP_RUN_TIMEOUT), so it "
                      f"stopped at {method} {self._short(url)}. The next run picks up the rest.")

    def _pause(self, seconds: float, method: str, url: str) -> None:
        if time.monotonic() + seconds >= self._ends:
            self._stop(method, url)
        self.sleep(seconds)

    def _back_off(self, attempt: int, method: str, url: str) -> None:
        if attempt < self.policy.attempts - 1:
            self._pause(self.policy.backoff * 2 ** attempt, method, url)

    def _rate_limited(self, response: httpx.Response) -> float | None:
        """Seconds to wait when the response is a rate limit, else None."""
        headers = response.headers
        if response.status_code == 429 or (response.status_code == 403 and "retry-after" in headers):
            return _delay(headers.get("retry-after"), since=time.time())
        if response.status_code == 403 and headers.get("x-ratelimit-remaining") == "0":
            return _delay(headers.get("x-ratelimit-reset"), since=time.time(), absolute=True)
        return None

    def _wait(self, seconds: float, method: str, url: str) -> None:
        if seconds > self.policy.max_wait:
            until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)
            raise Stopped(f"GitHub's rate limit is reached until {until:%Y-%m-%d %H:%M} UTC ({seconds:.0f} s); this run "
                          f"waits at most {self.policy.max_wait:.0f} s (DEVTALKS_RATE_LIMIT_MAX_WAIT), so it stopped at "
                          f"{method} {self._short(url)}. The next run picks up the rest.")
        self._pause(seconds, method, url)

    def _fail(self, response: httpx.Response, method: str, url: str) -> None:
        code, repo = response.status_code, self.repository
        message = _message(response)
        if code == 401:
            raise ForgeError("GitHub rejected the token (401 Bad credentials): set GITHUB_TOKEN to a valid token "
                             "(in a workflow: GITHUB_TOKEN: ${{ github.token }})")
        if code == 403:
            raise ForgeError(f"GitHub refused {method} {self._short(url)} (403: {message}): the token needs "
                             f"{self.needs} on {repo}")
        if code == 404:
            raise ForgeError(f"repository {repo} not found at {self.api} (404), or the token cannot see it: check "
                             f"{self.found_by} and the token's access")
        if code == 410:
            raise ForgeError(f"issues are turned off for {repo} (410): turn them on under Settings → General → "
                             "Features, or run with --channel email")
        if code == 422:
            body = _json(response)
            raise Unprocessable(f"GitHub rejected {method} {self._short(url)} (422: {message})",
                                body.get("errors", []) if isinstance(body, dict) else [])
        raise ForgeError(f"GitHub answered {code} to {method} {self._short(url)}: {message}")

    def _short(self, url: str) -> str:
        return url.removeprefix(self.api)


def _describe(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        return "could not connect"
    return "connection dropped"


# A wait longer than a year is a forge that means "not today"; it is shown as a year.
_YEAR = 365 * 86400.0


def _delay(value: str | None, since: float, absolute: bool = False) -> float:
    """Seconds to wait from a header: a number of seconds (or, when `absolute`, a Unix time) or an HTTP date.

    What is no such thing waits a minute; a time past waits nothing; never less than 0 or more than a year.
    """
    text = (value or "").strip()
    try:
        number = float(text)
        seconds = number - since if absolute else number
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(text).timestamp() - since
        except (TypeError, ValueError, IndexError, OverflowError):
            seconds = 60.0
    return min(max(seconds, 0.0), _YEAR) if not math.isnan(seconds) else 60.0


class _Clock(httpcore.SyncBackend):
    """Network connections whose every read and write ends by `until`, the deadline of the request under way."""

    until = math.inf

    def left(self, timeout: float | None) -> float:
        remaining = self.until - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("the request's deadline passed")
        return remaining if timeout is None else min(timeout, remaining)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        return _Bounded(super().connect_tcp(host, port, self.left(timeout), local_address, socket_options), self)


class _Bounded(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, clock: _Clock):
        self._stream, self._clock = stream, clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._clock.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._clock.left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Bounded(self._stream.start_tls(ssl_context, server_hostname, self._clock.left(timeout)), self._clock)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def _answer(response: httpx.Response, shape: type) -> Any:
    """The answer's JSON when it has the shape GitHub sends (a list holds objects); anything else stops the run."""
    body = _json(response)
    if not isinstance(body, shape) or (shape is list and not all(isinstance(item, dict) for item in body)):
        raise ForgeError(f"the forge's answer to {response.request.method} {response.url.path} is not what GitHub "
                         "sends; stopped without changing anything on the strength of it: check GITHUB_API_URL")
    return body


def _message(response: httpx.Response) -> str:
    body = _json(response)
    text = body.get("message") if isinstance(body, dict) else None
    return " ".join(str(text or response.reason_phrase).split())[:200]


def api_from_env(env: Mapping[str, str] = os.environ) -> str:
    return (env.get("GITHUB_API_URL") or PUBLIC_API).strip()
