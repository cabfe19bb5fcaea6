#!/usr/bin/env bash
# The tests that depend most on library behaviour (validation, the guard, stages and reminders,
# HR's averages and who sees what), in two fresh virtual environments: one with the newest
# versions pyproject.toml allows and one with the lowest (.ci/constraints-lowest.txt).
# Usage: tools/test-bounds.sh [newest|lowest]...   (default: both); venvs go to $BOUNDS_DIR (default /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."

TESTS=(tests/validate tests/gitflow/test_guard.py tests/test_progress.py tests/remind/test_plan.py
       tests/site/test_site_aggregates.py tests/site/test_site_visibility.py)
status=0
for bound in "${@:-newest lowest}"; do
  for which in $bound; do
    venv="${BOUNDS_DIR:-/tmp}/devtalks-venv-$which"
    rm -rf "$venv"
    python3 -m venv "$venv"
    if [ "$which" = lowest ]; then
      "$venv/bin/pip" install -q -e '.[test]' -c .ci/constraints-lowest.txt
    else
      "$venv/bin/pip" install -q -e '.[test]'
    fi
    echo "== $which: $("$venv/bin/python" -c 'import yaml, pydantic, click, mkdocs; print("PyYAML", yaml.__version__, "pydantic", pydantic.VERSION, "click", __import__("importlib.metadata").metadata.version("click"), "mkdocs", __import__("importlib.metadata").metadata.version("mkdocs"))')"
    "$venv/bin/python" -m pytest -q -p no:cacheprovider "${TESTS[@]}" || status=1
  done
done
exit $status
