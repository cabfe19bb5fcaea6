"""A YAML syntax error as people can act on it: the line where the broken construct opened, in plain words.

PyYAML notices a mistake where it can no longer read on, often far below it: an unclosed quote at
line 17 is found at the end of the file. Its error carries two marks, where the construct it was
reading opened (context_mark) and where it broke (problem_mark); the diagnostic points at the
first and names the second. Its own text never reaches the user.
"""

from __future__ import annotations

import yaml

from ..diagnostics import Diagnostic
from ..i18n import words

_CLOSE = {"[": "]", "{": "}"}


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
    at, message, hint = _explain(text, error, opened, broke, t)
    if at.line != broke.line and str(broke.line + 1) not in message:  # said already where it broke, or say it
        message = f"{message}; {t('check_yaml_broke', line=broke.line + 1, column=broke.column + 1)}"
    return Diagnostic(path, at.line + 1, at.column + 1, "DT002", message, hint)


def _explain(text: str, error: yaml.MarkedYAMLError, opened: yaml.Mark | None, broke: yaml.Mark, t) -> tuple:
    """(the mark to report, message, hint) for one kind of PyYAML error."""
    context, problem = error.context or "", error.problem or ""
    char = text[broke.index:broke.index + 1]
    if "quoted scalar" in context and opened is not None:
        quote = text[opened.index:opened.index + 1] or '"'
        if "escape" in problem:
            return broke, t("check_yaml_escape", char=text[broke.index + 1:broke.index + 2]), t("check_yaml_escape_fix")
        return opened, t("check_yaml_quote", quote=quote), t("check_yaml_quote_fix", quote=quote)
    if "flow" in context and opened is not None:
        bracket = text[opened.index:opened.index + 1] or "["
        close = _CLOSE.get(bracket, "]")
        return opened, t("check_yaml_flow", bracket=bracket, close=close), t("check_yaml_flow_fix", close=close)
    if "simple key" in context and opened is not None:
        return opened, t("check_yaml_colon"), t("check_yaml_colon_fix")
    if char == "\t" or "tab" in problem:
        return broke, t("check_yaml_tab"), t("check_yaml_tab_fix")
    if "cannot start any token" in problem:
        return broke, t("check_yaml_char", char=char), t("check_yaml_char_fix")
    if "mapping values are not allowed" in problem:
        last = _token_before(text, broke)
        if isinstance(last, yaml.ScalarToken) and not last.style and last.start_mark.line < broke.line:
            return last.start_mark, t("check_yaml_colon"), t("check_yaml_colon_fix")  # it ran on into the next line
        return broke, t("check_yaml_second_colon"), t("check_yaml_second_colon_fix")
    if "sequence entries are not allowed" in problem:
        return broke, t("check_yaml_dash"), t("check_yaml_dash_fix")
    if "block" in context:
        return _indentation(text, broke, t)
    return broke, t("check_yaml_syntax"), t("check_yaml_syntax_fix")


def _indentation(text: str, broke: yaml.Mark, t) -> tuple:
    """A block mapping or list that broke: an indentation mistake, at the line that caused it.

    The last token PyYAML read before the break tells which: a quoted text that ran over
    several lines and closed on the broken line (a quote closed too late), plain text that starts
    a line where a key could (a key without its `:`), a complete line
    indented less than the broken one (one of the two is wrong; the first is reported), or
    else the broken line itself is indented to no level above it.
    """
    last = _token_before(text, broke)
    if isinstance(last, yaml.ScalarToken) and last.style in ("'", '"') and last.start_mark.line < last.end_mark.line \
            and last.end_mark.line == broke.line:
        quote = last.style
        return last.start_mark, t("check_yaml_quote_late", quote=quote, line=broke.line + 1), \
            t("check_yaml_quote_late_fix", quote=quote)
    lines = text.split("\n")
    spaces = _indent(lines[broke.line]) if broke.line < len(lines) else 0
    if isinstance(last, yaml.ScalarToken) and not last.style and last.start_mark.line < broke.line \
            and last.start_mark.column == _indent(lines[last.start_mark.line]) >= spaces:
        return last.start_mark, t("check_yaml_colon"), t("check_yaml_colon_fix")  # a key without its `:`
    if last is not None and last.start_mark.line < broke.line and _indent(lines[last.start_mark.line]) < spaces:
        at = last.start_mark
        start = yaml.Mark("", 0, at.line, _indent(lines[at.line]), None, None)
        return start, t("check_yaml_deeper", line=broke.line + 1), t("check_yaml_deeper_fix", line=broke.line + 1)
    start = yaml.Mark("", 0, broke.line, spaces, None, None)
    return start, t("check_yaml_indent", column=spaces + 1), t("check_yaml_indent_fix")


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
