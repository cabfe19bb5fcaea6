"""A YAML syntax error as people can act on it: the line where the broken construct opened, in plain words.

PyYAML notices a mistake where it can no longer read on, often far below it: an unclosed quote at
line 17 is found at the end of the file. Its error carries two marks, where the construct it was
reading opened (context_mark) and where it broke (problem_mark); the diagnostic points at the
first and names the second. Its own text never reaches the user.
"""

from __future__ import annotations

import re

import yaml

from ..diagnostics import Diagnostic
from ..i18n import words

_CLOSE = {"[": "]", "{": "}"}
Explained = tuple[yaml.Mark, str, str, dict]  # where to report, message key, fix key, the values both may name
_KEY_LINE = re.compile(r" *(?:- +)*[^\s#:-][^:]*:(?: |$)")  # a line that starts with a key (`  - id: x`)


def syntax_diagnostic(path: str, text: str, error: yaml.YAMLError, language: str) -> Diagnostic:
    """DT002 for a syntax error of PyYAML's while reading `text` (the file at `path`), in `language`."""
    t = words(language)
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        return Diagnostic(path, line, column, "DT002", t("check_yaml_control", code=f"{error.character:04X}"),
                          t("check_yaml_control_fix"))
    opened = getattr(error, "context_mark", None)
    broke = getattr(error, "problem_mark", None) or opened
    if broke is None:
        return Diagnostic(path, 1, 1, "DT002", t("check_yaml_syntax"), t("check_yaml_syntax_fix"))
    at, message, fix, values = _explain(text, error, opened, broke)
    said = t(message, **values)
    if at.line != broke.line and "line" not in values:  # a message given the broken line names it already
        said = f"{said}; {t('check_yaml_broke', line=broke.line + 1, column=broke.column + 1)}"
    return Diagnostic(path, at.line + 1, at.column + 1, "DT002", said, t(fix, **values))


def _explain(text: str, error: yaml.MarkedYAMLError, opened: yaml.Mark | None, broke: yaml.Mark) -> Explained:
    """The mark to report, the catalogue's message and fix, and their values, for one kind of PyYAML error."""
    context, problem = error.context or "", error.problem or ""
    char = text[broke.index:broke.index + 1]
    if "quoted scalar" in context and opened is not None:
        quote = text[opened.index:opened.index + 1] or '"'
        if "escape" in problem:
            return broke, "check_yaml_escape", "check_yaml_escape_fix", {"char": text[broke.index + 1:broke.index + 2]}
        return opened, "check_yaml_quote", "check_yaml_quote_fix", {"quote": quote}
    if "flow" in context and opened is not None:
        bracket = text[opened.index:opened.index + 1] or "["
        close = _CLOSE.get(bracket, "]")
        return opened, "check_yaml_flow", "check_yaml_flow_fix", {"bracket": bracket, "close": close}
    if "simple key" in context and opened is not None:
        return opened, "check_yaml_colon", "check_yaml_colon_fix", {}
    if char == "\t" or "tab" in problem:
        return broke, "check_yaml_tab", "check_yaml_tab_fix", {}
    if "cannot start any token" in problem:
        return broke, "check_yaml_char", "check_yaml_char_fix", {"char": char}
    if "mapping values are not allowed" in problem:
        last = _token_before(text, broke)
        if isinstance(last, yaml.ScalarToken) and not last.style and last.start_mark.line < broke.line:
            return _ran_on(text.split("\n"), last, broke)
        return broke, "check_yaml_second_colon", "check_yaml_second_colon_fix", {}
    if "document start" in problem:
        return _first_key_indented(text, broke)
    if "sequence entries are not allowed" in problem:
        return broke, "check_yaml_dash", "check_yaml_dash_fix", {}
    if "block" in context:
        return _indentation(text, broke)
    return broke, "check_yaml_syntax", "check_yaml_syntax_fix", {}


def _indentation(text: str, broke: yaml.Mark) -> Explained:
    """A block mapping or list that broke: an indentation mistake, at the line that caused it.

    The last token PyYAML read before the break tells which: a quoted text that ran over
    several lines and closed on the broken line (a quote closed too late), plain text that starts
    a line where a key could (a key without its `:`), a complete line indented less than the
    broken one (see _deeper), or else the broken line itself is indented to no level above it.
    """
    last = _token_before(text, broke)
    if isinstance(last, yaml.ScalarToken) and last.style in ("'", '"') and last.start_mark.line < last.end_mark.line \
            and last.end_mark.line == broke.line:
        quote = last.style
        values = {"quote": quote, "line": broke.line + 1}
        return last.start_mark, "check_yaml_quote_late", "check_yaml_quote_late_fix", values
    lines = text.split("\n")
    spaces = _indent(lines[broke.line]) if broke.line < len(lines) else 0
    if isinstance(last, yaml.ScalarToken) and not last.style and last.start_mark.line < broke.line \
            and last.start_mark.column == _key_column(lines[last.start_mark.line]) >= spaces:
        return last.start_mark, "check_yaml_colon", "check_yaml_colon_fix", {}  # a key without its `:`
    if last is not None and last.start_mark.line < broke.line:
        complete = last.start_mark.line
        column = _key_column(lines[complete])
        if column < spaces:
            return _deeper(lines, complete, broke)
        keys = [_key_column(line) for line in lines[:complete] if _KEY_LINE.match(line)]
        parent = keys[-1] if keys else -2
        # the first key under a parent, indented other than the usual two spaces more, and the next key
        if parent < spaces < column and _indent(lines[complete]) != parent + 2:
            start = yaml.Mark("", 0, complete, column, None, None)
            return start, "check_yaml_siblings", "check_yaml_siblings_fix", {"line": broke.line + 1}
    return _misindented(lines, broke)


def _deeper(lines: list[str], complete: int, broke: yaml.Mark) -> Explained:
    """The broken line is indented further than the complete line before it. When keys above start where the broken
    line does, the complete line lost its indentation; when the complete line is the first key under its parent, either
    may be wrong: both are reported there. Else the broken line has too much."""
    spaces = _indent(lines[broke.line])
    keys = [_key_column(line) for line in lines[:complete] if _KEY_LINE.match(line)]
    if spaces in keys or not keys or keys[-1] < _key_column(lines[complete]):
        start = yaml.Mark("", 0, complete, _key_column(lines[complete]), None, None)
        return start, "check_yaml_deeper", "check_yaml_deeper_fix", {"line": broke.line + 1}
    return _misindented(lines, broke)


def _misindented(lines: list[str], broke: yaml.Mark) -> Explained:
    spaces = _indent(lines[broke.line]) if broke.line < len(lines) else 0
    start = yaml.Mark("", 0, broke.line, spaces, None, None)
    return start, "check_yaml_indent", "check_yaml_indent_fix", {"column": spaces + 1}


def _ran_on(lines: list[str], last: yaml.ScalarToken, broke: yaml.Mark) -> Explained:
    """Plain text from an earlier line ran on into the broken one: a key without `:`, or a value's next line
    indented like a key."""
    line = last.start_mark.line
    if last.start_mark.column == _key_column(lines[line]):
        return last.start_mark, "check_yaml_colon", "check_yaml_colon_fix", {}
    return _deeper(lines, line, broke)


def _first_key_indented(text: str, broke: yaml.Mark) -> Explained:
    """YAML ended the file's mapping before its end: mostly because its first key is indented and a later one is not."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), broke.line)
    spaces = _indent(lines[first])
    if first < broke.line and spaces > _indent(lines[broke.line] if broke.line < len(lines) else ""):
        start = yaml.Mark("", 0, first, spaces, None, None)
        return start, "check_yaml_first_indented", "check_yaml_first_indented_fix", {"line": broke.line + 1}
    return broke, "check_yaml_syntax", "check_yaml_syntax_fix", {}


def _token_before(text: str, broke: yaml.Mark) -> yaml.Token | None:
    """The last token holding text (a key, a value) that ends before the broken spot; None when there is none."""
    last = None
    try:
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if token.start_mark.index >= broke.index:
                break
            if isinstance(token, yaml.ScalarToken):
                last = token
    except yaml.YAMLError:
        pass  # the scanner may fail past the break: what it read up to there is enough
    return last


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_column(line: str) -> int:
    """Where a line's key starts: after its indentation and any list dashes (`  - id: x` → 4)."""
    start = _indent(line)
    while line[start:start + 2] == "- ":
        start += 2 + _indent(line[start + 2:])
    return start
