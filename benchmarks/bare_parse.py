"""The yardstick: read every YAML file of a repository and parse it with PyYAML's C loader, on one core.

    python benchmarks/bare_parse.py REPO [REPO …]
"""

import sys
from pathlib import Path

import yaml

READ = ("team.yaml", "question_templates", "cycles", "talks")


def files(root: Path) -> list[Path]:
    """The files devtalks validate reads: team.yaml, question templates, cycles, talks and check-ins."""
    return sorted(p for p in root.rglob("*.y*ml") if p.relative_to(root).parts[0] in READ)


if __name__ == "__main__":
    for root in sys.argv[1:]:
        for path in files(Path(root)):
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
