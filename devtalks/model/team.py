"""team.yaml: the team, its people, goals and reminder settings."""

from __future__ import annotations

from pydantic import Field

from .base import Email, GitHubHandle, Language, Slug, Strict


class Person(Strict):
    id: Slug
    name: str = Field(min_length=1)
    email: Email
    github: GitHubHandle | None = None
    manager: Slug | None = None
    role: str | None = None
    age_recipient: str | None = Field(
        default=None, description="The manager's age public key (age1…); private notes are encrypted to it."
    )


class Goal(Strict):
    id: Slug
    title: str = Field(min_length=1)
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


class Privacy(Strict):
    min_group_size: int = Field(default=5, ge=2, le=100, description="Aggregates over fewer people are not shown.")


class TeamInfo(Strict):
    id: Slug
    name: str = Field(min_length=1)
    department: str = Field(min_length=1)


class Team(Strict):
    team: TeamInfo
    language: Language = "en"
    people: list[Person] = Field(min_length=1)
    goals: list[Goal] = Field(default_factory=list)
    hr: list[Email] = Field(default_factory=list, description="HR partners who read the HR site.")
    checkin_template: Slug | None = Field(default=None, description="Question template for check-ins.")
    reminders: Reminders = Field(default_factory=Reminders)
    privacy: Privacy = Field(default_factory=Privacy)
