"""The one domain error. The CLI prints its message and exits 1; nothing else is caught there."""


class DevtalksError(Exception):
    """A problem the user can fix: the message says what is wrong and how to fix it."""

    exit_code = 1
