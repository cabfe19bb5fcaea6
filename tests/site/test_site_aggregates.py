"""HR averages: nothing over fewer than k people is shown or can be worked out from what is shown."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from devtalks.site.aggregates import ALL, cells


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows]
    rank, col = 0, 0
    width = len(rows[0]) if rows else 0
    while rank < len(rows) and col < width:
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
        col += 1
    return rank


def recoverable_small_groups(values: dict, k: int) -> list[tuple]:
    """Every set of teams over fewer than k people whose total follows from the shown cells."""
    out = cells(values, k)
    leaves = sorted(values)

    def vector(key: tuple) -> list[Fraction]:
        if key == ALL:
            return [Fraction(1)] * len(leaves)
        if key[0] == "dept":
            return [Fraction(int(d == key[1])) for d, _ in leaves]
        return [Fraction(int((d, t) == key[1:])) for d, t in leaves]

    shown = [vector(key) for key, cell in out.items() if cell.shown]
    base = _rank(shown) if shown else 0
    found = []
    for size in range(1, len(leaves) + 1):
        for group in combinations(range(len(leaves)), size):
            n = sum(len(values[leaves[i]]) for i in group)
            if n >= k:
                continue
            target = [Fraction(int(i in group)) for i in range(len(leaves))]
            if _rank([*shown, target]) == base:
                found.append(tuple(leaves[i] for i in group))
    return found


def test_a_single_small_team_is_hidden_with_its_department_total():
    values = {("eng", "platform"): [4, 4, 5, 3, 4, 4], ("eng", "data"): [2, 3]}
    out = cells(values, 5)
    assert out[("team", "eng", "platform")].shown is False, "data (2) hidden, so platform must hide too"
    assert out[("team", "eng", "data")].shown is False
    assert out[("dept", "eng")].shown and out[ALL].shown
    assert out[("dept", "eng")].mean == sum(values[("eng", "platform")] + values[("eng", "data")]) / 8
    assert recoverable_small_groups(values, 5) == []


def test_a_department_of_one_small_team_hides_up_the_tree():
    values = {("eng", "platform"): [4] * 6, ("eng", "infra"): [3] * 5, ("sales", "north"): [2, 2]}
    out = cells(values, 5)
    assert not out[("team", "sales", "north")].shown and not out[("dept", "sales")].shown
    assert not out[ALL].shown or not out[("dept", "eng")].shown, "else sales = all − eng"
    assert recoverable_small_groups(values, 5) == []


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(
    st.tuples(st.sampled_from(["eng", "ops", "hr"]), st.sampled_from(["a", "b", "c", "d"])),
    st.integers(min_value=1, max_value=9), min_size=1, max_size=7),
    st.integers(min_value=2, max_value=6))
def test_no_group_under_k_can_be_recovered(sizes, k):
    values = {key: [3.0] * n for key, n in sizes.items()}
    out = cells(values, k)
    for cell in out.values():
        if cell.shown:
            assert cell.n >= k
    assert recoverable_small_groups(values, k) == []


def test_a_group_of_exactly_k_is_shown_and_a_hidden_cell_has_no_mean():
    values = {("eng", "platform"): [1, 2, 3]}
    shown = cells(values, 3)
    assert all(c.shown and c.n == 3 and c.mean == 2 for c in shown.values())
    hidden = cells(values, 4)
    assert all(not c.shown and c.mean is None for c in hidden.values()), "k − 1 answers must not be averaged"


def test_a_department_hidden_to_protect_another_hides_all_its_teams():
    values = {("eng", "platform"): [3] * 6, ("eng", "data"): [3] * 6, ("sales", "north"): [3] * 2}
    out = cells(values, 5)
    assert not out[("dept", "sales")].shown and not out[("dept", "eng")].shown, "else sales = all − eng"
    assert not out[("team", "eng", "platform")].shown and not out[("team", "eng", "data")].shown
    assert out[ALL].shown


def test_a_group_of_exactly_k_hidden_teams_may_be_worked_out():
    values = {("eng", "platform"): [3] * 6, ("eng", "data"): [3] * 2, ("eng", "infra"): [3] * 3}
    out = cells(values, 5)
    assert not out[("team", "eng", "data")].shown and not out[("team", "eng", "infra")].shown
    assert out[("team", "eng", "platform")].shown, "eng − platform is data and infra together: 5 people, k"
