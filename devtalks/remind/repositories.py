"""The forge's repository calls for the person layout: create a private repository, who may read and push, archive.

The same client as reminder issues (retries, rate limits, clear errors, the token kept to the
API's origin), pointed at one person's repository instead of the team's.
"""

from __future__ import annotations

from urllib.parse import quote

from .github import ForgeError, GitHub, Unprocessable, _answer


class Repositories(GitHub):
    """One repository (`owner/name`) as its administrator sees it."""

    needs = "administration rights (create repositories, manage collaborators)"
    found_by = "the person's talks_repo in team.yaml"

    def get(self) -> dict | None:
        """The repository's description from the forge, or None when there is none of that name."""
        response = self._send("GET", self._url(""), allow={404})
        return None if response.status_code == 404 else _answer(response, dict)

    def create_private(self, description: str) -> tuple[dict, bool]:
        """Create the repository, private and empty, under its organisation; (description, whether it is new).

        A repository of that name already there is taken as it is (running twice creates one).
        """
        owner, name = self.repository.split("/", 1)
        payload = {"name": name, "private": True, "auto_init": False, "description": description}
        try:
            made = self._post_once(f"{self.api}/orgs/{quote(owner, safe='')}/repos", payload, self.get)
        except Unprocessable as e:
            existing = self.get() if e.about("name") else None
            if existing is None:
                raise
            return existing, False
        return made, True

    def set_access(self, login: str, permission: str) -> None:
        """Make `login` a collaborator with `permission` (pull, push, maintain); an existing one gets it changed."""
        response = self._send("PUT", self._url(f"/collaborators/{quote(login, safe='')}"),
                              json={"permission": permission}, allow={404})
        if response.status_code == 404:
            raise ForgeError(f"the forge knows no user `{login}`, or no repository {self.repository} (404): check the "
                             "github handle in team.yaml and the person's talks_repo")

    def collaborators(self) -> list[str]:
        """The logins given access to this repository itself (not through the organisation or a team)."""
        return [str(c.get("login")) for c in self._pages(self._url("/collaborators"), {"affiliation": "direct",
                                                                                       "per_page": 100})]

    def remove_access(self, login: str) -> None:
        """Take `login` off the collaborators; someone who is not one is left alone."""
        self._send("DELETE", self._url(f"/collaborators/{quote(login, safe='')}"), allow={404})

    def archive(self) -> None:
        """Make the repository read-only for everyone (it can be unarchived in its settings)."""
        self._send("PATCH", self._url(""), json={"archived": True})


class PullRequests(GitHub):
    """The pull requests of one repository: `devtalks cycle open --pull-requests` opens one per new talk branch."""

    needs = "contents and pull requests (read and write)"
    found_by = "GITHUB_REPOSITORY, or the person's talks_repo in team.yaml"

    def open(self, head: str, base: str, title: str, body: str, assignees: list[str]) -> tuple[dict, bool]:
        """The open pull request from `head` into `base`, made now unless there is one; (it, whether it is new).

        Assignees who cannot be assigned (not collaborators) are left off with the forge's word for it.
        """
        owner = self.repository.split("/", 1)[0]
        try:
            made = self._post_once(self._url("/pulls"), {"title": title, "head": head, "base": base, "body": body},
                                   lambda: self._existing(owner, head))
        except Unprocessable:
            made = self._existing(owner, head)
            if made is None:
                raise
            return made, False
        if assignees:
            self._send("POST", self._url(f"/issues/{made['number']}/assignees"), json={"assignees": assignees},
                       allow={422})
        return made, True

    def _existing(self, owner: str, head: str) -> dict | None:
        found = _answer(self._send("GET", self._url("/pulls"), params={"head": f"{owner}:{head}", "state": "open"}),
                        list)
        return found[0] if found else None
