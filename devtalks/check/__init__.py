"""Judging a repository: schemas, cross-file rules, the sign-off guard's rules, and verdicts.

Takes a Snapshot or Workspace and today; gives Diagnostics (path, line, column, code, message, hint)
and the reporters that print them (text, GitHub annotations, JSON). A verdict of the very same bytes
is reused (verdicts.py); it never changes what the rules answer.
"""
