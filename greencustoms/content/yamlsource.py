"""YAML and front-matter reading that remembers the line of every field, for precise error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .issues import Issues

KeyPath = tuple[str | int, ...]

_HINTS = {
    "mapping values are not allowed here": "if a value contains ': ', put the whole value in quotes",
    "found character '\\t' that cannot start any token": "indent with spaces, never with tabs",
    "found character '\\t'": "indent with spaces, never with tabs",
}


@dataclass
class Doc:
    """A parsed YAML document: `data` plus the 1-based line of each field path, e.g. ("questions", 2, "id")."""

    path: str
    data: Any
    lines: dict[KeyPath, int]
    issues: Issues
    first_line: int = 1
    text_lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, keypath: KeyPath = ()) -> int:
        """The line of `keypath`, or of its nearest parent the parser knows, or the document's first line."""
        for end in range(len(keypath), -1, -1):
            known = self.lines.get(tuple(keypath[:end]))
            if known is not None:
                return known
        return self.first_line

    def text_line(self, keypath: KeyPath) -> int:
        """The line where a text value starts (the line after `|` or `>` for a block of text)."""
        return self.text_lines.get(tuple(keypath)) or self.line(keypath)

    def error(self, keypath: KeyPath, message: str) -> None:
        """Record a problem at the line of `keypath`."""
        self.issues.add(self.path, self.line(keypath), message)


@dataclass
class FrontMatter:
    """A lesson file split into its YAML header and Markdown body, with the file line where each starts."""

    header: str
    header_line: int
    body: str
    body_line: int
    closing_line: int = field(default=0)


def read_text(file: Path, rel: str, issues: Issues) -> tuple[bytes, str] | None:
    """Return (raw bytes, text with \\n line ends); report and return None if the file is not UTF-8."""
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        issues.add(rel, line, "the file is not UTF-8 text: save it with UTF-8 encoding")
        return None
    return raw, text.replace("\r\n", "\n").replace("\r", "\n")


# libyaml's loader (when PyYAML was built with it) is about ten times faster and keeps every node's line; the pure
# Python loader words errors better, so an invalid document is read again with it for the message.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: str, issues: Issues, first_line: int = 1) -> Doc | None:
    """Parse one YAML document; report invalid YAML (with its line) and duplicated fields. None if unparsable."""
    try:
        return _parse(text, path, issues, first_line, _FAST_LOADER)
    except yaml.YAMLError:
        return _parse(text, path, issues, first_line, yaml.SafeLoader, report=True)


def _parse(text: str, path: str, issues: Issues, first_line: int, loader_class: type, report: bool = False):
    """Parse with `loader_class`; YAML errors propagate unless `report`, when they are recorded as issues."""
    loader = loader_class(text)
    offset = first_line - 1
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        text_lines: dict[KeyPath, int] = {}
        if node is None:
            return Doc(path, None, lines, issues, first_line)
        _walk(node, (), (lines, text_lines), offset, path, issues, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        if not report:
            raise
        mark = exc.problem_mark or exc.context_mark
        line = offset + (mark.line + 1 if mark else 1)
        issues.add(path, line, _yaml_message(exc))
        return None
    except yaml.YAMLError as exc:  # errors without a position, e.g. from the reader
        if not report:
            raise
        issues.add(path, first_line, f"invalid YAML: {exc}")
        return None
    finally:
        loader.dispose()
    return Doc(path, data, lines, issues, first_line, text_lines)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "cannot be read"
    hint = next((text for key, text in _HINTS.items() if problem.startswith(key)), None)
    message = f"invalid YAML: {problem}"
    return f"{message} ({hint})" if hint else message


def _walk(
    node: yaml.Node,
    keypath: KeyPath,
    maps: tuple[dict[KeyPath, int], dict[KeyPath, int]],
    offset: int,
    path: str,
    issues: Issues,
    seen: set[int],
) -> None:
    """Record the line of every mapping key, sequence item and text value below `node`; report keys given twice."""
    if id(node) in seen:  # an alias pointing back into itself
        return
    seen.add(id(node))
    lines, text_lines = maps
    lines.setdefault(keypath, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.ScalarNode):
        text_lines[keypath] = node.start_mark.line + 1 + offset + (1 if node.style in ("|", ">") else 0)
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            if key in first_seen:
                issues.add(path, line, f'field "{key}" is given twice (first on line {first_seen[key]}); keep one')
                continue
            first_seen[key] = line
            lines[keypath + (key,)] = line
            _walk(value_node, keypath + (key,), maps, offset, path, issues, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[keypath + (index,)] = item.start_mark.line + 1 + offset
            _walk(item, keypath + (index,), maps, offset, path, issues, seen)


def split_front_matter(text: str, path: str, issues: Issues) -> FrontMatter | None:
    """Split `---` header `---` body. Reports a missing opening line or a header that is never closed."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        issues.add(
            path,
            1,
            "a lesson must start with its header: line 1 must be ---, then the fields "
            "(title, summary, objectives), then a line with only ---",
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return FrontMatter(
                header="\n".join(lines[1:index]),
                header_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
                closing_line=index + 1,
            )
    issues.add(
        path,
        1,
        "the header opened with --- on line 1 is never closed: add a line with only --- after the last header field",
    )
    return None
