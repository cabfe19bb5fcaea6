"""Averages of scale answers for HR: hidden below a minimum group size, and never recoverable.

Cells form a tree: all teams → departments → teams, and each parent is the sum of its
children. A cell over fewer than `k` people is hidden. Hiding one cell is not enough when a
shown total minus the shown siblings gives it back, so hiding spreads (complementary
suppression) until no hidden cell, and no group of hidden cells over fewer than `k` people,
can be worked out from what is shown. A hidden department hides all its teams, so what is
left shown is whole departments (less some of their teams) and the grand total.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL = ("all",)


@dataclass
class Cell:
    key: tuple
    n: int = 0
    total: float = 0.0
    shown: bool = True

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n and self.shown else None


def cells(values: dict[tuple[str, str], list[float]], k: int) -> dict[tuple, Cell]:
    """Cells for every team, department and all teams together.

    `values` maps (department, team) to the answers given in that team. Keys of the result:
    ("all",), ("dept", department), ("team", department, team).
    """
    out: dict[tuple, Cell] = {ALL: Cell(ALL)}
    equations: dict[tuple, list[tuple]] = {ALL: []}
    for (dept, team), answers in sorted(values.items()):
        dkey, tkey = ("dept", dept), ("team", dept, team)
        if dkey not in out:
            out[dkey] = Cell(dkey)
            equations[dkey] = []
            equations[ALL].append(dkey)
        out[tkey] = Cell(tkey, len(answers), float(sum(answers)))
        equations[dkey].append(tkey)
        for key in (dkey, ALL):
            out[key].n += len(answers)
            out[key].total += sum(answers)
    for cell in out.values():
        cell.shown = cell.n >= k
    while _hide_one_more(out, equations, k):
        pass
    return out


def _hide_one_more(out: dict[tuple, Cell], equations: dict[tuple, list[tuple]], k: int) -> bool:
    """Find one way to recover hidden figures from shown ones and close it; False when there is none."""
    for parent, kids in equations.items():
        # A hidden department with a team shown would let "all − other departments − that team" out.
        if parent != ALL and not out[parent].shown:
            for kid in kids:
                if out[kid].shown:
                    out[kid].shown = False
                    return True
    known = {key for key, cell in out.items() if cell.shown}
    changed = True
    while changed:
        changed = False
        for parent, kids in equations.items():
            unknown = [c for c in kids if c not in known]
            if parent in known and len(unknown) == 1:
                found = unknown[0]
            elif parent not in known and not unknown:
                found = parent
            else:
                if parent in known and unknown and sum(out[c].n for c in unknown) < k:
                    return _hide_in(out, parent, kids, exclude=())
                continue
            known.add(found)
            changed = True
            if not out[found].shown:
                return _hide_in(out, parent, kids, exclude=(found,))
    return False


def _hide_in(out: dict[tuple, Cell], parent: tuple, kids: list[tuple], exclude: tuple) -> bool:
    """Hide the smallest shown child of this equation, else its total."""
    shown = sorted((out[c].n, c) for c in kids if out[c].shown and c not in exclude)
    target = shown[0][1] if shown else parent
    if not out[target].shown:
        return False
    out[target].shown = False
    return True
