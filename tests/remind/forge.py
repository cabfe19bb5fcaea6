"""A stand-in for the GitHub issues API on 127.0.0.1: issues in memory, and a script of faults.

It speaks the parts of the REST API devtalks uses (list with label filter and Link pagination,
create, update, comment, labels; for the person layout: create a repository under an
organisation, its collaborators, archive it), checks the token, and can answer any request with a fault:
a status code, a rate limit, a stall past the client's timeout, or a dropped connection —
the last two after doing the work, the way a lost answer looks from the client. Hostile
faults: an answer dribbled a byte at a time, an endless body, and Link headers that never end
or lead back to the same page.
"""

from __future__ import annotations

import json
import random
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from devtalks.remind.plan import key_of

# Faults that leave the work done but the answer lost, and faults that refuse outright.
LOST_ANSWER = ("timeout", "drop")
REFUSALS = (500, 502, 503, "429", "403-rate")


@dataclass
class Fault:
    method: str
    pattern: str
    kind: object            # an int status, "timeout", "drop", "429", "403-rate", "dribble", "endless", "next", "loop"
    times: int = 1
    wait: float | str = 0   # Retry-After (a string is sent as it is), or seconds until x-ratelimit-reset
    after: int = 0          # let this many matching requests through first

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and self.method in (method, "*") and re.search(self.pattern, path) is not None


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    outcome: object
    at: float
    authorization: str


@dataclass
class Forge:
    token: str = "forge-token"
    repository: str = "example/team-platform"
    prefix: str = ""
    page_size: int = 100
    stall: float = 1.0
    dribble_for: float = 10.0   # how long a dribbled answer goes on before it is finished
    sent: int = 0               # bytes of endless bodies written before the client hung up
    collaborators: set[str] | None = None   # None: anyone can be assigned
    issues_enabled: bool = True
    issues: dict[int, dict] = field(default_factory=dict)
    comments: dict[int, list[dict]] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    chaos: tuple[random.Random, float, tuple] | None = None
    url: str = ""
    repos: dict[str, dict] = field(default_factory=dict)                # owner/name → the repository
    access: dict[str, dict[str, str]] = field(default_factory=dict)     # owner/name → login → permission
    users: set[str] | None = None   # None: any login is a user
    git_root: Path | None = None    # set: a created repository is also a bare Git repository at git_root/owner/name.git
    pulls: dict[str, list[dict]] = field(default_factory=dict)          # owner/name → its pull requests

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self._number = 0

    def start(self) -> "Forge":
        forge = self

        class Handler(_Handler):
            pass

        Handler.forge = forge
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{self.prefix}"
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, method: str, pattern: str, kind: object, times: int = 1, wait: float = 0, after: int = 0) -> None:
        self.faults.append(Fault(method, pattern, kind, times, wait, after))

    def add_issue(self, title: str, body: str, labels: list[str], state: str = "open", pull_request: bool = False) -> dict:
        with self.lock:
            issue = self._new(title, body, labels, [])
            issue["state"] = state
            if pull_request:
                issue["pull_request"] = {"url": f"{self.url}/repos/{self.repository}/pulls/{issue['number']}"}
            return issue

    def marked(self) -> list[dict]:
        """Issues that carry a devtalks marker, pull requests excluded."""
        return [i for i in self.issues.values() if "pull_request" not in i and key_of(i["body"])]

    def snapshot(self, strict: bool = True) -> dict[str, tuple]:
        """key → (title, body, assignees) of each open reminder.

        Fails on two open issues with one key, and when `strict`, on two issues with one key at all.
        """
        keys = [key_of(i["body"]) for i in self.marked() if strict or i["state"] == "open"]
        duplicates = {k for k in keys if keys.count(k) > 1}
        assert not duplicates, f"duplicate reminder issues: {sorted(duplicates)}"
        return {key_of(i["body"]): (i["title"], i["body"], tuple(sorted(a["login"] for a in i["assignees"])))
                for i in self.marked() if i["state"] == "open"}

    def requests(self, method: str | None = None, pattern: str = "") -> list[Seen]:
        return [s for s in self.seen if (method is None or s.method == method) and re.search(pattern, s.path)]

    def _new(self, title: str, body: str, labels: list[str], assignees: list[str]) -> dict:
        self._number += 1
        self.labels.update(labels)
        issue = {"number": self._number, "title": title, "body": body, "state": "open", "state_reason": None,
                 "labels": [{"name": n} for n in labels], "assignees": [{"login": a} for a in assignees],
                 "html_url": f"https://github.invalid/{self.repository}/issues/{self._number}",
                 "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.issues[self._number] = issue
        return issue

    def _fault(self, method: str, path: str) -> object:
        for fault in self.faults:
            if fault.matches(method, path):
                if fault.after:
                    fault.after -= 1
                    continue
                fault.times -= 1
                return fault
        if self.chaos:
            rng, rate, kinds = self.chaos
            if rng.random() < rate:
                return Fault(method, "", rng.choice(kinds), wait=0)
        return None

    def add_repo(self, full_name: str, private: bool = True) -> dict:
        owner, name = full_name.split("/")
        repo = {"name": name, "full_name": full_name, "owner": {"login": owner}, "private": private, "archived": False}
        self.repos[full_name] = repo
        self.access.setdefault(full_name, {})
        if self.git_root is not None:
            bare = self.git_root / owner / f"{name}.git"
            bare.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(bare)], check=True)
        return repo

    def _pull_requests(self, method: str, path: str, query: dict, body: object) -> tuple[int, object, dict] | None:
        """Pull requests of any repository (`/repos/owner/name/pulls`, and their assignees), or None."""
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)/(pulls|issues/(\d+)/assignees)", path)
        if m is None or (m.group(3) and int(m.group(3)) not in {p["number"] for p in self.pulls.get(m.group(1), [])}):
            return None
        pulls = self.pulls.setdefault(m.group(1), [])
        if m.group(3):
            pull = next(p for p in pulls if p["number"] == int(m.group(3)))
            pull["assignees"] = [{"login": a} for a in body["assignees"] if not self._unassignable([a])]
            return 201, pull, {}
        if method == "GET":
            head = (query.get("head") or [""])[0].split(":", 1)[-1]
            return 200, [p for p in pulls if p["head"]["ref"] == head and p["state"] == "open"], {}
        if any(p["head"]["ref"] == body["head"] and p["state"] == "open" for p in pulls):
            return 422, {"message": "Validation Failed", "errors": [
                {"resource": "PullRequest", "code": "custom", "message": f"A pull request already exists for "
                                                                         f"{m.group(1).split('/')[0]}:{body['head']}."}]}, {}
        self._number += 1
        pull = {"number": self._number, "title": body["title"], "body": body.get("body") or "", "state": "open",
                "head": {"ref": body["head"]}, "base": {"ref": body["base"]}, "assignees": [],
                "html_url": f"https://github.invalid/{m.group(1)}/pull/{self._number}"}
        pulls.append(pull)
        return 201, pull, {}

    def _repositories(self, method: str, path: str, body: object) -> tuple[int, object, dict] | None:
        """Repository administration, or None for a path that is not about it."""
        m = re.fullmatch(r"/orgs/([^/]+)/repos", path)
        if m and method == "POST":
            full_name = f"{m.group(1)}/{body['name']}"
            if full_name in self.repos:
                return 422, {"message": "Repository creation failed.", "errors": [
                    {"resource": "Repository", "code": "custom", "field": "name",
                     "message": "name already exists on this account"}]}, {}
            return 201, self.add_repo(full_name, bool(body.get("private"))), {}
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)(/collaborators(?:/([^/]+))?)?", path)
        repo = self.repos.get(m.group(1)) if m else None
        if repo is None or (m.group(2) is None and method not in ("GET", "PATCH")):
            return None
        if m.group(2) is None:
            if method == "PATCH":
                repo["archived"] = bool(body.get("archived", repo["archived"]))
            return 200, repo, {}
        people, login = self.access[m.group(1)], m.group(3)
        if login is None:
            return (200, [{"login": k, "role_name": v} for k, v in sorted(people.items())], {}) if method == "GET" else None
        if method in ("PUT", "DELETE") and repo["archived"]:
            return 403, {"message": "Repository was archived so is read-only."}, {}
        if method == "PUT":
            if self.users is not None and login not in self.users:
                return 404, {"message": "Not Found"}, {}
            new = login not in people
            people[login] = body["permission"]
            return (201, {"id": len(people), "permissions": body["permission"]}, {}) if new else (204, None, {})
        if method == "DELETE":
            people.pop(login, None)
            return 204, None, {}
        return None

    def handle(self, method: str, path: str, query: dict, body: object) -> tuple[int, object, dict]:
        """The API itself: (status, json body, extra headers)."""
        answer = self._pull_requests(method, path, query, body) or self._repositories(method, path, body)
        if answer is not None:
            return answer
        repo_path = f"/repos/{self.repository}"
        if not path.startswith("/repos/"):
            return 404, {"message": "Not Found"}, {}
        if not path.startswith(repo_path + "/"):
            return 404, {"message": "Not Found"}, {}
        rest = path[len(repo_path):]
        if rest.startswith("/issues") and not self.issues_enabled:
            return 410, {"message": "Issues are disabled for this repo"}, {}
        if rest == "/issues" and method == "GET":
            return self._list(query)
        if rest == "/issues" and method == "POST":
            bad = self._unassignable(body.get("assignees") or [])
            if bad:
                return 422, {"message": "Validation Failed", "errors": [
                    {"value": bad, "resource": "Issue", "field": "assignees", "code": "invalid"}]}, {}
            issue = self._new(body["title"], body.get("body") or "", body.get("labels") or [], body.get("assignees") or [])
            return 201, issue, {}
        m = re.fullmatch(r"/issues/(\d+)(/comments)?", rest)
        if m:
            issue = self.issues.get(int(m.group(1)))
            if issue is None:
                return 404, {"message": "Not Found"}, {}
            if m.group(2) and method == "GET":
                return 200, self.comments.get(issue["number"], []), {}
            if m.group(2) and method == "POST":
                comment = {"id": sum(map(len, self.comments.values())) + 1, "body": body["body"]}
                self.comments.setdefault(issue["number"], []).append(comment)
                return 201, comment, {}
            if method == "PATCH":
                if "assignees" in body and self._unassignable(body["assignees"]):
                    return 422, {"message": "Validation Failed", "errors": [
                        {"resource": "Issue", "field": "assignees", "code": "invalid"}]}, {}
                for k in ("title", "body", "state", "state_reason"):
                    if k in body:
                        issue[k] = body[k]
                if "assignees" in body:
                    issue["assignees"] = [{"login": a} for a in body["assignees"]]
                return 200, issue, {}
        m = re.fullmatch(r"/labels(?:/([^/]+))?", rest)
        if m and method == "GET" and m.group(1):
            name = m.group(1).replace("%2F", "/")
            return (200, {"name": name}, {}) if name in self.labels else (404, {"message": "Not Found"}, {})
        if m and method == "POST" and not m.group(1):
            if body["name"] in self.labels:
                return 422, {"message": "Validation Failed", "errors": [{"code": "already_exists"}]}, {}
            self.labels.add(body["name"])
            return 201, {"name": body["name"]}, {}
        return 404, {"message": "Not Found"}, {}

    def _unassignable(self, logins: list[str]) -> list[str]:
        return [] if self.collaborators is None else [a for a in logins if a not in self.collaborators]

    def _list(self, query: dict) -> tuple[int, object, dict]:
        wanted = set(filter(None, (query.get("labels") or [""])[0].split(",")))
        state = (query.get("state") or ["open"])[0]
        per_page = min(int((query.get("per_page") or ["30"])[0]), self.page_size)
        page = int((query.get("page") or ["1"])[0])
        found = [i for i in sorted(self.issues.values(), key=lambda i: i["number"])
                 if wanted <= {label["name"] for label in i["labels"]} and state in ("all", i["state"])]
        chunk = found[(page - 1) * per_page: page * per_page]
        headers = {}
        if page * per_page < len(found):
            params = {k: v[0] for k, v in query.items()}
            params.update(page=str(page + 1), per_page=str(per_page))
            base = f"{self.url}/repos/{self.repository}/issues"
            last = {**params, "page": str((len(found) + per_page - 1) // per_page)}
            headers["Link"] = f'<{base}?{urlencode(params)}>; rel="next", <{base}?{urlencode(last)}>; rel="last"'
        return 200, chunk, headers


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    forge: Forge

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without this, Nagle waits on the client's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        forge = self.forge
        parts = urlsplit(self.path)
        path = parts.path.removeprefix(forge.prefix)
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        auth = self.headers.get("Authorization", "")
        with forge.lock:
            fault = forge._fault(method, path)
        outcome: object = fault.kind if fault else "ok"
        forge.seen.append(Seen(method, path, query, outcome, time.monotonic(), auth))
        if auth != f"Bearer {forge.token}":
            return self._reply(401, {"message": "Bad credentials"}, {})
        if fault and fault.kind == "429":
            wait = fault.wait if isinstance(fault.wait, str) else str(int(fault.wait))
            return self._reply(429, {"message": "Too many requests"}, {"Retry-After": wait})
        if fault and fault.kind == "endless":
            return self._endless()
        if fault and fault.kind == "403-rate":
            reset = fault.wait if isinstance(fault.wait, str) else str(int(time.time() + fault.wait))
            return self._reply(403, {"message": "API rate limit exceeded"},
                               {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
        if fault and isinstance(fault.kind, int):
            return self._reply(fault.kind, {"message": "fault"}, {})
        with forge.lock:
            status, payload, headers = forge.handle(method, path, query, body)
        if fault and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        if fault and fault.kind == "timeout":
            time.sleep(forge.stall)
            self.close_connection = True
        if fault and fault.kind in ("next", "loop"):
            page = int((query.get("page") or ["1"])[0]) + (fault.kind == "next")
            headers["Link"] = f'<{forge.url}{path}?page={page}>; rel="next"'
        if fault and fault.kind == "dribble":
            return self._dribble(status, payload, headers)
        return self._reply(status, payload, headers)

    def _dribble(self, status: int, payload: object, headers: dict) -> None:
        """The answer's headers a byte every `stall` seconds, for `dribble_for` seconds, then the answer."""
        forge = self.forge
        self.close_connection = True
        head = f"HTTP/1.1 {status} OK\r\nX-Slow: ".encode()
        ends = time.monotonic() + forge.dribble_for
        try:
            self.wfile.write(head)
            while time.monotonic() < ends:
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(forge.stall)
            data = json.dumps(payload).encode()
            rest = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            self.wfile.write(f"\r\n{rest}Content-Length: {len(data)}\r\n\r\n".encode() + data)
        except OSError:
            pass

    def _endless(self) -> None:
        """A JSON list that never ends (up to 1 GiB), sent as fast as the client reads it."""
        self.close_connection = True
        chunk = b'{"number": 1, "body": "' + b"x" * 65000 + b'"}, '
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[")
            while self.forge.sent < 2**30:
                self.wfile.write(chunk)
                self.forge.sent += len(chunk)
        except OSError:
            pass

    def _reply(self, status: int, payload: object, headers: dict) -> None:
        data = b"" if status == 204 else json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            if status != 204:
                self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True
