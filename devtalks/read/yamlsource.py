"""Safe YAML with source positions: text → plain data plus the line/column of every value.

PyYAML's C composer builds the node tree (fast, and it keeps marks); we turn nodes into
data ourselves so that duplicate keys, aliases and non-data tags become diagnostics
instead of silent data loss or code execution. A file parsed cleanly before is not parsed
again: ParsedStore keeps its data, as tagged JSON, in devtalks' cache folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import Diagnostic
from ..i18n import FALLBACK, words
from ..state import digest, read_entry, state_dir, write_entry

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
# libyaml's composer recurses in C; a file of deeply nested flow collections can crash
# the interpreter, so files with many brackets get a cheap event-based depth check first.
_BRACKET_CHECK_AT = 512

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A plain scalar's tag depends on its text alone; most repeat (keys, ids, dates), so the answers are kept.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAG_TEXT = 64  # longer plain text is rarely repeated: not kept, so the memo stays small


# Plain text YAML 1.2 reads as a yes-or-no or a number; PyYAML's YAML 1.1 reads more (`yes`, `off`, `1_0`, `1:30`).
# Editors and the JSON Schema read 1.2, so devtalks takes the rest as text, and never a value the schema rejects.
_YAML_1_2 = {
    "tag:yaml.org,2002:bool": re.compile(r"true|True|TRUE|false|False|FALSE"),
    "tag:yaml.org,2002:int": re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"),
    "tag:yaml.org,2002:float": re.compile(
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"),
}


class Loader(_SafeLoader):
    """The C loader, with the tag of a plain scalar memoised: libyaml asks Python for it on every scalar."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= _PLAIN_TAG_TEXT:
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = _PLAIN_TAGS[value] = self._tag(kind, value, implicit)
            return tag
        return self._tag(kind, value, implicit)

    def _tag(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        tag = _SafeLoader.resolve(self, kind, value, implicit)
        core = _YAML_1_2.get(tag) if kind is yaml.ScalarNode and implicit[0] else None
        return "tag:yaml.org,2002:str" if core is not None and not core.fullmatch(value) else tag
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str": None,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _constructor.construct_yaml_timestamp,
}

_STR, _INT, _TIMESTAMP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"

Path_ = tuple  # a key path into the data: ("agreements", 0, "due")


@dataclass
class Source:
    """One YAML file: its data, its problems, and on demand where each value sits.

    Positions are only needed when a diagnostic points into a valid file, which is rare,
    so they are worked out lazily from the raw bytes instead of on every parse.
    """

    path: str
    data: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    raw: bytes = b""
    reported: set[Path_] = field(default_factory=set)  # values the parse already reported (kept as their text)
    pruned: set[Path_] = field(default_factory=set)  # values left out so that the rest of the file could be checked
    _positions: dict[Path_, tuple[int, int, int, int]] | None = None

    @property
    def positions(self) -> dict[Path_, tuple[int, int, int, int]]:
        """Key path → (line, col) of the value and (line, col) of its key, 1-based."""
        if self._positions is None:
            builder = _Builder(record=True)
            try:
                builder.build(yaml.compose(self.raw.decode("utf-8-sig"), Loader=Loader), (), 0)
            except (yaml.YAMLError, UnicodeDecodeError, _Reject):
                pass
            self._positions = builder.positions
        return self._positions

    def where(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column for a key path; the nearest known parent when the path has none."""
        loc = tuple(loc)
        while loc not in self.positions and loc:
            loc = loc[:-1]
        line, col, kline, kcol = self.positions.get(loc, (1, 1, 1, 1))
        return (kline, kcol) if key else (line, col)

    def error(self, loc: Path_, code: str, message: str, hint: str = "", *, key: bool = False,
              severity: str = "error") -> Diagnostic:
        line, col = self.where(loc, key=key)
        return Diagnostic(self.path, line, col, code, message, hint, severity)


class _Reject(Exception):
    def __init__(self, node: yaml.Node, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.node, self.code, self.message, self.hint = node, code, message, hint


class _Misread(_Reject):
    """A value that looks like a date or number and is none: reported, and read on as its text."""

def parse(path: str, raw: bytes, language: str = FALLBACK) -> Source:
    """Parse one file's bytes. Never raises for bad input: problems land in `diagnostics`, in `language`.
    A bad date or number, a repeated key is reported and read past (as its text, the last value): one run shows all."""
    src = Source(path, raw=raw)
    if len(raw) > MAX_BYTES:
        src.diagnostics.append(Diagnostic(path, 1, 1, "DT005", f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                                          "split it up or remove pasted content; talk files are a few KB"))
        return src
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        src.diagnostics.append(Diagnostic(path, line, col, "DT001", f"byte 0x{raw[e.start]:02x} is not UTF-8",
                                          "save the file as UTF-8 in your editor"))
        return src
    if "\x00" in text:
        src.diagnostics.append(Diagnostic(path, 1, 1, "DT001", "file contains NUL bytes; it is not a text file",
                                          "save the file as UTF-8 text"))
        return src
    builder = _Builder(record=False, language=language)
    try:
        if text.count("[") + text.count("{") > _BRACKET_CHECK_AT:
            _check_flow_depth(text)
        node = yaml.compose(text, Loader=Loader)
        if isinstance(node, yaml.MappingNode):
            src.data = builder.build(node, (), 0)
    except _Reject as e:
        src.data = None
        builder.problems.append(e)
    except yaml.YAMLError as e:
        from .syntax import syntax_diagnostic  # only a broken file pays for explaining it
        src.diagnostics.append(syntax_diagnostic(path, text, e, language))
        return src
    if not builder.problems and not isinstance(node, yaml.MappingNode):
        what = "empty" if node is None else "not a mapping of keys to values"
        line, col = (1, 1) if node is None else (node.start_mark.line + 1, node.start_mark.column + 1)
        src.diagnostics.append(Diagnostic(path, line, col, "DT004", f"the file is {what}",
                                          "a devtalks file is a YAML mapping such as `key: value`"))
    src.diagnostics += [Diagnostic(path, e.node.start_mark.line + 1, e.node.start_mark.column + 1, e.code, e.message,
                                   e.hint) for e in builder.problems]
    src.reported = builder.reported
    return src


def _check_flow_depth(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Reject(event, "DT006", f"nesting is deeper than {MAX_DEPTH} levels",
                              "devtalks files are a few levels deep; flatten this structure")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


class _Builder:
    def __init__(self, record: bool, language: str = FALLBACK):
        self.record, self.language = record, language
        self.positions: dict[Path_, tuple[int, int, int, int]] = {}
        self.seen: set[int] = set()
        self.problems: list[_Reject] = []  # mistakes read past: a bad date or number, a repeated key
        self.reported: set[Path_] = set()

    def build(self, node: yaml.Node, loc: Path_, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _Reject(node, "DT006", f"nesting is deeper than {MAX_DEPTH} levels",
                          "devtalks files are a few levels deep; flatten this structure")
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.scalar(node)
            except _Misread as e:
                self.problems.append(e)
                self.reported.add(loc)
                return node.value
        # An alias makes the composer hand out the same collection node twice: that is how a
        # few lines expand into billions of values, so any reuse is refused.
        if id(node) in self.seen:
            raise _Reject(node, "DT007", "YAML anchors and aliases (&name, *name) are not allowed",
                          "write the value out in full")
        self.seen.add(id(node))
        # Most values are plain text one level down: taken as they are, without a call (a 3 KB talk has a hundred).
        text_child = depth < MAX_DEPTH
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise _tag(node)
            items = []
            for i, child in enumerate(node.value):
                if self.record:
                    m = child.start_mark
                    self.positions[loc + (i,)] = (m.line + 1, m.column + 1, m.line + 1, m.column + 1)
                if text_child and child.tag == _STR and type(child) is yaml.ScalarNode:
                    items.append(child.value)
                else:
                    items.append(self.build(child, loc + (i,), depth + 1))
            return items
        if node.tag != "tag:yaml.org,2002:map":
            raise _tag(node)
        result: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if knode.tag == _STR and type(knode) is yaml.ScalarNode:
                key = knode.value
            else:
                key = self.key(knode)
            if key in result:
                first = next(k for k, _ in node.value if k.value == knode.value)
                t = words(self.language)
                said = t("check_duplicate_key", name=key, line=first.start_mark.line + 1)
                self.problems.append(_Reject(knode, "DT003", said, t("check_duplicate_key_fix")))
            if self.record:
                km, vm = knode.start_mark, vnode.start_mark
                self.positions[loc + (key,)] = (vm.line + 1, vm.column + 1, km.line + 1, km.column + 1)
            if text_child and vnode.tag == _STR and type(vnode) is yaml.ScalarNode:
                result[key] = vnode.value
            else:
                result[key] = self.build(vnode, loc + (key,), depth + 1)
        return result

    def key(self, knode: yaml.Node) -> Any:
        if knode.tag == "tag:yaml.org,2002:merge":
            raise _Reject(knode, "DT007", "YAML merge keys (<<) are not allowed", "write the keys out in full")
        if not isinstance(knode, yaml.ScalarNode):
            raise _Reject(knode, "DT002", "a key must be a plain value, not a list or mapping",
                          "use a simple name as the key")
        try:
            key = self.scalar(knode)
        except _Misread:
            return knode.value
        if isinstance(key, (dt.date, float)) or key is None:
            key = knode.value
        return key

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise _tag(node)
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        # Fast paths for the common plain forms; anything unusual goes to PyYAML's constructors.
        if tag == _INT and value.isdigit():
            return int(value)
        if tag == _TIMESTAMP and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        try:
            construct = _SCALAR_TAGS[tag]
        except KeyError:
            raise _tag(node) from None
        try:
            return construct(node)
        except ValueError:
            t = words(self.language)
            if node.tag.endswith("timestamp"):
                raise _Misread(node, "DT010", t("check_date_impossible", value=f"`{node.value}`"),
                               t("check_date_impossible_fix")) from None
            raise _Misread(node, "DT102", t("check_number_bad", value=f"`{node.value}`"), t("check_number_bad_fix")) from None


def _tag(node: yaml.Node) -> _Reject:
    return _Reject(node, "DT008", f"YAML tag `{node.tag}` is not allowed", "remove the tag; write plain text, numbers, lists and mappings")


# JSON has no dates and only text keys. In the store, a date, a time or a mapping with other keys (or with a key
# starting with _TAG) becomes a one-key object tagged with _TAG; no other object has such a key, so none is misread.
_TAG = "\x00"
_UNTAG = {_TAG + "date": dt.date.fromisoformat, _TAG + "datetime": dt.datetime.fromisoformat,
          _TAG + "map": lambda pairs: {key: value for key, value in pairs}}


def _tagged(value: Any) -> Any:
    if isinstance(value, dict):
        if all(type(k) is str and not k.startswith(_TAG) for k in value):
            return {k: _tagged(v) for k, v in value.items()}
        return {_TAG + "map": [[k, _tagged(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    if isinstance(value, dt.datetime):
        return {_TAG + "datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG + "date": value.isoformat()}
    return value


def _untagged(obj: dict) -> Any:
    """json.loads' object hook: a tagged object back into what it stood for (an unknown tag raises KeyError)."""
    if len(obj) == 1:
        ((key, value),) = obj.items()
        if key.startswith(_TAG):
            return _UNTAG[key](value)
    return obj


class ParsedStore:
    """What files parsed to, kept in devtalks' cache folder: an unchanged file is read back instead of parsed.

    Each file's entry holds a digest of the bytes it was parsed from, so different bytes are a
    miss. Only clean parses are kept: a file with a problem is parsed again and reported in
    full. An entry that does not decode to the data it was made from is not written. Entries
    are kept per folder of the repository (one person's talks and check-ins together), so a
    load opens a few hundred entries, not thousands, and an edit rewrites one person's.
    """

    KIND = "parsed-folder"

    def __init__(self, root: str | os.PathLike):
        self.folder = str(state_dir(root, "parsed"))
        self._names: set[str] | None = None
        self._groups: dict[str, dict[str, str]] = {}  # folder in the repository → file → its entry as JSON text

    def get(self, rel: str, raw: bytes) -> Source | None:
        text = self._group(_folder_of(rel)).get(rel)
        try:
            entry = json.loads(text, object_hook=_untagged) if isinstance(text, str) else None
        except (KeyError, TypeError, ValueError, RecursionError):
            return None
        if not (isinstance(entry, dict) and entry.get("digest") == digest(raw) and isinstance(entry.get("data"), dict)):
            return None
        return Source(rel, data=entry["data"], raw=raw)

    def keep(self, sources: list[Source]) -> None:
        """Keep these files' data for the next run; each folder they are in is written once."""
        touched = set()
        for src in sources:
            if src.data is None or src.diagnostics:
                continue
            try:
                text = json.dumps({"digest": digest(src.raw), "data": _tagged(src.data)}, ensure_ascii=False)
                (src.path + text).encode("utf-8")  # a file name that is not UTF-8 would keep its whole folder unwritten
                same = json.loads(text, object_hook=_untagged)["data"] == src.data
            except (KeyError, TypeError, ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
                same = False
            if same:  # not so for NaN, which equals nothing
                folder = _folder_of(src.path)
                self._group(folder)[src.path] = text
                touched.add(folder)
        for folder in touched:
            self._write(folder)

    def prune(self, rels: set[str]) -> None:
        """Delete the entries of files that are no longer in the repository: the store keeps one per file there is."""
        wanted = {self._name(folder) for folder in map(_folder_of, rels)}
        for name in [n for n in self._kept() if n not in wanted and not n.startswith(".")]:  # .tmp: being written
            try:
                os.unlink(os.path.join(self.folder, name))
            except OSError:
                pass  # gone already (another run pruned it), or not ours to delete: a miss either way
            self._kept().discard(name)
        for folder, group in self._groups.items():
            gone = [rel for rel in group if rel not in rels]
            for rel in gone:
                del group[rel]
            if gone:
                self._write(folder)

    def _group(self, folder: str) -> dict[str, str]:
        """The entries of one folder's files, read once (a miss costs a set lookup, not a failed open)."""
        if folder not in self._groups:
            name = self._name(folder)
            found = read_entry(os.path.join(self.folder, name), self.KIND) if name in self._kept() else None
            self._groups[folder] = {k: v for k, v in found.items() if isinstance(v, str)} \
                if isinstance(found, dict) else {}
        return self._groups[folder]

    def _write(self, folder: str) -> None:
        name = self._name(folder)
        write_entry(os.path.join(self.folder, name), self.KIND, self._groups[folder])
        self._kept().add(name)

    def _kept(self) -> set[str]:
        """The names of the entries there are, listed once."""
        if self._names is None:
            try:
                self._names = set(os.listdir(self.folder))
            except OSError:
                self._names = set()
        return self._names

    @staticmethod
    def _name(folder: str) -> str:
        return hashlib.blake2b(folder.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


def _folder_of(rel: str) -> str:
    return rel.rpartition("/")[0]

