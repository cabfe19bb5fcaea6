"""The file models, one module per file kind."""

from .cycle import Cycle, CycleKind
from .talk import Agreement, AgreementStatus, CheckIn, SignOff, Talk
from .team import Goal, Person, Team
from .template import Kind, Question, QuestionTemplate, Reader, Section, Side, Signal

__all__ = [
    "Agreement", "AgreementStatus", "CheckIn", "Cycle", "CycleKind", "Goal", "Kind", "Person",
    "Question", "QuestionTemplate", "Reader", "Section", "Side", "Signal", "SignOff", "Talk", "Team",
]
