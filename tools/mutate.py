"""Mutation testing of the decision code: plant one small bug at a time and see whether a test notices.

Usage: python tools/mutate.py [--module NAME]... [-j N] [--timeout S] [--match TEXT] [--list]

Takes the modules in MODULES (who sees what, HR's averages, stages and due items, the reminder
plan, the sign-off guard), makes every mutant of each (comparison flips, and/or swaps, `not`
removed, constants nudged, return values swapped, a condition dropped, membership inverted),
runs that module's tests against each one in a throwaway copy of the worktree, and prints per
module how many mutants the tests killed and every survivor as `file:line: original → mutant`.
Mutants listed in tools/equivalent-mutants.txt (with a reason each) do not count.
The real files are never written: each worker has its own copy in a temp dir.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "tools" / "equivalent-mutants.txt"
COPIED = ["devtalks", "tests", "team.yaml", "question_templates", "cycles", "talks", "mkdocs.yml",
          "site_overrides", "schemas", "pyproject.toml"]

# status, reminders and the sites agreeing on each person's next step, without the browser
NEXT_STEP = [f"tests/test_next_step.py::test_{name}" for name in (
    "status_reminders_and_sites_give_one_next_step_every_day_of_a_year",
    "a_talk_waiting_for_its_manager_is_everyones_next_step", "the_current_step_is_plain_when_nobody_is_asked_to_do_it",
    "each_talk_s_steps_follow_its_own_cycle", "without_its_template_no_preparation_is_asked_so_none_is_overdue")]
# module name → (source file, the functions that decide something (None: all), the fast tests that exercise it;
# browser tests are left out, and so are slow whole-journey tests)
MODULES: dict[str, tuple[str, set[str] | None, list[str]]] = {
    "audiences": ("devtalks/site/audiences.py", {"sites", "subjects", "reads", "aggregates"}, [
        "tests/site/test_site_visibility.py", "tests/site/test_site_privacy.py"]),
    "aggregates": ("devtalks/site/aggregates.py", None, [
        "tests/site/test_site_aggregates.py"]),
    "hrviews": ("devtalks/site/hrviews.py", {"progress", "agreements", "signals", "shared_answers", "_answered"}, [
        "tests/site/test_site_visibility.py", "tests/site/test_site_privacy.py", "tests/security/test_security_people.py"]),
    "progress": ("devtalks/progress.py", {
        "TalkProgress", "AgreementState", "DueItem", "participants", "present", "talk_progress", "missing_required",
        "stage_of", "development_cycles", "current_cycle", "agreements", "_states", "revisit", "due_items",
        "_all_due", "_talk_items", "urgency", "soon_days", "next_step", "steps"}, [
        "tests/test_progress.py", "tests/remind/test_plan.py", "tests/site/test_site_visibility.py", *NEXT_STEP]),
    "plan": ("devtalks/remind/plan.py", {"current", "mail_day", "reminders", "digests", "_how"}, [
        "tests/test_progress.py", "tests/remind/test_plan.py", *NEXT_STEP]),
    "guard": ("devtalks/check/guard.py", None, [
        "tests/gitflow/test_guard.py"]),
}

_FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
         ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


@dataclass(frozen=True)
class Mutant:
    path: str        # relative to the worktree
    line: int
    original: str
    mutated: str
    source: str      # the whole mutated module

    @property
    def label(self) -> str:
        return f"{self.path}:{self.line}: {self.original} → {self.mutated}"


class _Sites(ast.NodeVisitor):
    """Collects (node, replacement) pairs: each is one mutant; annotations and docstrings are left alone."""

    def __init__(self, only: set[str] | None) -> None:
        self.only = only
        self._scope: list[str] = []
        self.found: list[tuple[ast.AST, ast.AST, int]] = []
        self._returns: list[str] = []

    def add(self, node: ast.AST, new: ast.AST, line: int | None = None) -> None:
        if self.only is None or self.only.intersection(self._scope):
            self.found.append((node, new, line or node.lineno))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._returns.append(ast.unparse(node.returns) if node.returns else "")
        self._scope.append(node.name)
        for child in node.body:
            self.visit(child)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(default)
        self._scope.pop()
        self._returns.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope.append(node.name)
        for child in node.body:
            self.visit(child)
        self._scope.pop()

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Expr(self, node: ast.Expr) -> None:
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.visit(node.value)

    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            new = copy.deepcopy(node)
            new.ops[i] = _FLIP[type(op)]()
            self.add(node, new)
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self.add(node, new)
        for i in range(len(node.values)):  # drop one condition
            rest = [copy.deepcopy(v) for j, v in enumerate(node.values) if j != i]
            self.add(node, rest[0] if len(rest) == 1 else ast.BoolOp(op=copy.deepcopy(node.op), values=rest))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.add(node, copy.deepcopy(node.operand))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self.add(node, ast.Constant(not value))
        elif isinstance(value, int):
            self.add(node, ast.Constant(1 if value == 0 else 0 if value == 1 else value + 1))
            if value > 1:
                self.add(node, ast.Constant(value - 1))

    def visit_comprehension(self, node: ast.comprehension) -> None:
        for i in range(len(node.ifs)):
            new = copy.deepcopy(node)
            del new.ifs[i]
            self.add(node, new, node.ifs[i].lineno)
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        if not isinstance(node.test, ast.BoolOp):  # a single condition dropped: the branch always runs
            self.add(node.test, ast.Constant(True))
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        value, returns = node.value, self._returns[-1] if self._returns else ""
        if value is not None and not isinstance(value, ast.Constant):
            if returns == "bool":
                for swap in (True, False):
                    self.add(node, ast.Return(ast.Constant(swap)))
            elif "None" in returns:
                self.add(node, ast.Return(ast.Constant(None)))
        self.generic_visit(node)


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.comprehension):
        return ast.unparse(ast.GeneratorExp(ast.Name("_"), [node]))[4:-1].strip()
    return ast.unparse(node)


def mutants(path: str, only: set[str] | None = None) -> list[Mutant]:
    """Every mutant of one module (within the functions or classes named in `only`), in source order."""
    text = (ROOT / path).read_text(encoding="utf-8")
    tree = ast.parse(text)
    sites = _Sites(only)
    sites.visit(tree)
    parents = {id(child): parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    out = []
    for node, new, line in sites.found:
        if not isinstance(node, ast.comprehension):
            ast.copy_location(new, node)
        swapped = _Replace(node, new).visit(copy.deepcopy(tree, {id(node): node}))
        before, after = node, new
        parent = parents.get(id(node))
        if isinstance(node, ast.Constant) and isinstance(parent, ast.expr):  # `left < 0 → left < 1`, not `0 → 1`
            before, after = parent, _Replace(node, new).visit(copy.deepcopy(parent, {id(node): node}))
        out.append(Mutant(path, line, _describe(before), _describe(after),
                          ast.unparse(ast.fix_missing_locations(swapped))))
    return sorted(out, key=lambda m: m.line)


class _Replace(ast.NodeTransformer):
    def __init__(self, old: ast.AST, new: ast.AST) -> None:
        self.old, self.new = old, new

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if node is self.old:
            return self.new
        return super().generic_visit(node)


def equivalents() -> dict[str, str]:
    """label → reason, from tools/equivalent-mutants.txt (`path:line: original → mutant — reason`)."""
    out = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                label, _, reason = line.partition(" — ")
                out[label.strip()] = reason.strip()
    return out


def workspace(base: Path) -> Path:
    """A throwaway copy of the worktree's package, tests and example team."""
    for part in COPIED:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, base / part, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        elif src.exists():
            shutil.copy2(src, base / part)
    return base


def run_tests(copy_root: Path, tests: list[str], timeout: float) -> str:
    """'passed', 'failed' or 'timeout' for the tests in a copy of the worktree."""
    env = {**os.environ, "PYTHONPATH": str(copy_root), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *tests]
    proc = subprocess.Popen(cmd, cwd=copy_root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        return "passed" if proc.wait(timeout) == 0 else "failed"
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):  # the test run and any build workers it started
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.wait()
        return "timeout"


def test_module(name: str, jobs: int, timeout: float | None, out, match: str | None = None) -> tuple[int, int, int]:
    """Run every mutant of one module (or those whose label holds `match`); print and return (killed, survived,
    equivalent)."""
    path, only, tests = MODULES[name]
    tests = [t for t in tests if (ROOT / t.partition("::")[0]).exists()]
    known = equivalents()
    every = [m for m in mutants(path, only) if match is None or match in m.label]
    todo = [m for m in every if m.label not in known]
    skipped = len(every) - len(todo)
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        copies = [workspace(Path(tmp) / f"w{i}") for i in range(jobs)]
        start = time.monotonic()
        if run_tests(copies[0], tests, 600) != "passed":
            print(f"{name}: the tests fail without any mutant; fix them first", file=out, flush=True)
            return 0, 0, skipped
        baseline = time.monotonic() - start
        limit = timeout or max(30.0, 4 * baseline)
        free = list(copies)

        def one(m: Mutant) -> str:
            root = free.pop()
            target = root / m.path
            try:
                target.write_text(m.source, encoding="utf-8")
                result = run_tests(root, tests, limit)
                fate = "survived" if result == "passed" else f"killed ({result})"
                print(f"  {fate:16} {m.label}", file=sys.stderr, flush=True)
                return result
            finally:
                shutil.copy2(ROOT / m.path, target)
                free.append(root)

        with ThreadPoolExecutor(jobs) as pool:
            results = list(pool.map(one, todo))
    survivors = [m for m, r in zip(todo, results) if r == "passed"]
    killed = len(todo) - len(survivors)
    share = 100 * killed / len(todo) if todo else 100.0
    slow = results.count("timeout")
    print(f"{name}: {path}: {killed}/{len(todo)} killed ({share:.0f} %; {slow} of them by the {limit:.0f} s timeout), "
          f"{len(survivors)} survived, "
          f"{skipped} equivalent; tests {' '.join(tests)} ({baseline:.1f} s a run, {time.monotonic() - start:.0f} s in all)",
          file=out, flush=True)
    for m in survivors:
        print(f"  survived {m.label}", file=out, flush=True)
    return killed, len(survivors), skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES), help="only this module (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 4× the clean run, at least 30)")
    parser.add_argument("--match", metavar="TEXT", help="only the mutants whose `file:line: original → mutant` holds TEXT")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args(argv)
    names = args.module or list(MODULES)
    if args.list:
        for name in names:
            for m in mutants(*MODULES[name][:2]):
                print(m.label)
        return 0
    total_killed = total_survived = 0
    for name in names:
        killed, survived, _ = test_module(name, max(1, args.jobs), args.timeout, sys.stdout, args.match)
        total_killed, total_survived = total_killed + killed, total_survived + survived
    return 1 if total_survived else 0


if __name__ == "__main__":
    sys.exit(main())
