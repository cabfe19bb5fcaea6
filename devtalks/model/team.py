"""team.yaml: the team, its people, goals and reminder settings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import AgeRecipient, Day, Email, GitHubHandle, Line, Slug, Strict, UiLanguage


class Person(Strict):
    id: Slug
    name: Line = Field(min_length=1)
    email: Email
    github: GitHubHandle | None = None
    manager: Slug | None = None
    role: Line | None = None
    age_recipient: AgeRecipient | None = Field(
        default=None, description="This person's age public key (age1…, from `devtalks notes keygen`), needed once "
                                  "they manage someone: private notes about their reports are encrypted to it. The "
                                  "secret key never goes in the repository.")
    joined_on: Day | None = Field(
        default=None, description="The day this person joined (`devtalks person add`): they take part in cycles whose "
                                  "talks are due on or after it, not in earlier ones.")
    reused_id_since: Day | None = Field(
        default=None, description="Set when this id belonged to someone else before, who was taken out of team.yaml: "
                                  "the day it became this person's. Their history under talks/<id>/ starts with the "
                                  "commit that put the id back; nothing from before is shown or exported as theirs.")
    talks_repo: str | None = Field(
        default=None, min_length=1, description="In the person layout (`layout: person`): the Git URL (or a path, absolute "
                                                "or relative to the team repository) of this person's own private "
                                                "repository, which holds their talks/<id>/ and nothing else.")
    left_on: Day | None = Field(
        default=None, description="The day this person left the team (`devtalks person leave`). Their talks stay as "
                                  "history; they get no reminders, no new talks and no site of their own. A day "
                                  "still to come is fine: they take part until then.")

    def left_by(self, day: dt.date) -> bool:
        """Whether this person is gone on `day`: from `left_on` on, not before (a leaving date may lie ahead)."""
        return self.left_on is not None and self.left_on <= day


class Goal(Strict):
    id: Slug
    title: Line = Field(min_length=1)
    description: str | None = None


class Reminders(Strict):
    soon_days: int = Field(default=7, ge=0, le=90, description="How many days ahead a deadline counts as due soon.")
    email_days_before: list[int] = Field(
        default_factory=lambda: [7, 1], description="E-mail on these days before a deadline, on the day, then weekly."
    )
    sender: Email | None = Field(default=None, description="From address of e-mail digests.")
    repository: str | None = Field(
        default=None, pattern=r"^[\w.-]+/[\w.-]+$", description="owner/name of the forge repository for reminder issues."
    )


# A branch name as the sites put it in an address: segments of letters, digits, `_`, `-` and `.`, none starting with a dot.
BRANCH_RE = r"^[\w-][\w.-]*(/[\w-][\w.-]*)*$"


class Forge(Strict):
    url: str | None = Field(
        default=None, pattern=r"^https?://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?/?$",
        description="The forge's web address, e.g. https://github.com or https://gitlab.example.com: the sites link "
                    "every file someone should edit to the forge's web editor there. Default: the host of the Git "
                    "remote `origin`.")
    repository: str | None = Field(
        default=None, pattern=r"^[\w.-]+(/[\w.-]+)+$",
        description="This repository on the forge: owner/name (on GitLab also group/subgroup/name). Default: from the "
                    "Git remote `origin`, else reminders.repository. Without either (and without a remote) the sites "
                    "name each file's path, with no link.")
    kind: Literal["github", "gitlab"] | None = Field(
        default=None, description="Whose web-editor addresses to use. Default: gitlab on a host whose name holds "
                                  "`gitlab`, else github.")
    branch: str | None = Field(
        default=None, pattern=BRANCH_RE,
        description="The branch people edit the files on. Default: the remote's default branch (origin/HEAD), else "
                    "the branch checked out when the sites are built.")
    pull_request_branch: str = Field(
        default="cycle/{cycle}/{person}", pattern=r"^[\w{}-][\w.{}-]*(/[\w{}-][\w.{}-]*)*$",
        description="How `devtalks cycle open --branch` names a talk's branch, with {cycle} and {person} (the "
                    "scaffolded cycle-open workflow's name is the default). While such a branch is not merged, the "
                    "sites link that talk to the file on it, where its pull request collects the edits.")


class Privacy(Strict):
    min_group_size: int = Field(default=5, ge=2, le=100, description="Aggregates over fewer people are not shown.")


class NotesPolicy(Strict):
    extra_recipients: list[AgeRecipient] = Field(
        default_factory=list, description="Age public keys every private note is also encrypted to, e.g. HR's, if the "
                                          "company chooses so. Empty (the default): only the manager can read a note.")
    on_manager_change: Literal["rekey", "keep"] = Field(
        default="rekey", description="After a person changes manager: `rekey` (validate fails until the old manager "
                                     "runs `devtalks notes rekey`, so the new manager can read them) or `keep` (notes "
                                     "stay readable by the manager who wrote them only).")


class TeamInfo(Strict):
    id: Slug
    name: Line = Field(min_length=1)
    department: Line = Field(min_length=1)


class Team(Strict):
    team: TeamInfo
    language: UiLanguage = Field(default="en", description="The language of the team's sites, new talk files and "
                                                             "reminders (and of the HR site of a single team).")
    layout: Literal["team", "person"] = Field(
        default="team", description="`team`: every talk lives in this repository, so whoever may read it reads every "
                                    "talk. `person`: each person's talks live in a private repository of their own "
                                    "(`talks_repo:`), readable by the person, their manager and HR only.")
    people: list[Person] = Field(min_length=1)
    goals: list[Goal] = Field(default_factory=list)
    hr: list[Email] = Field(default_factory=list, description="HR partners who read the HR site.")
    checkin_template: Slug | None = Field(default=None, description="Question template for check-ins.")
    reminders: Reminders = Field(default_factory=Reminders)
    privacy: Privacy = Field(default_factory=Privacy)
    notes: NotesPolicy = Field(default_factory=NotesPolicy, description="Who private manager notes are encrypted to.")
    forge: Forge = Field(default_factory=Forge, description="Where the repository lives on the web, for the sites' "
                                                            "edit links; every key is optional.")
