"""Git: each talk's history and signed commit, commits and branches for a cycle, and a new repository.

Takes a work tree; gives Changes (history.py), new commits, branches and pushes (repo.py), the
signed talks and closed cycles a branch changed (signoff.py), who held an id when (gitflow/tenure.py),
.github/CODEOWNERS (gitflow/codeowners.py), a new talk file (gitflow/talkfile.py) and `devtalks init` (init.py).
"""
