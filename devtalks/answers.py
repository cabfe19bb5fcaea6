"""What counts as an answer to a question: shared by progress (a talk's stage) and git (each version of a talk).

Plain functions of parsed data, with no model behind them, so that the process that reads the
Git history of talks (a build's builder) need not load the models.
"""

from __future__ import annotations


def filled(answers: dict) -> frozenset[str]:
    """Question ids with a non-empty answer: what a talk's history keeps of each version."""
    return frozenset(qid for qid, value in answers.items() if not empty(value))


def empty(value: object) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())
