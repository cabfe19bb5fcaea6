"""Security fixtures: the Git-backed team of the Git workflow tests."""

from tests.gitflow.conftest import team_git  # noqa: F401  (a fixture, used by name)
from tests.notes.conftest import team  # noqa: F401  (a fixture, used by name)
