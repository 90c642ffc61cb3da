"""Problems found in content files, each tied to a file and a line an author can open."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentIssue:
    """One problem: `path` is relative to the content root, `line` is 1-based."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised by load_catalog when any content file is wrong; carries every issue, sorted by (path, line)."""

    def __init__(self, issues: list[ContentIssue]) -> None:
        self.issues = sorted(issues, key=lambda issue: (issue.path, issue.line))
        super().__init__("\n".join(str(issue) for issue in self.issues))


class Issues:
    """Collects problems while loading so that one run reports all of them, not just the first."""

    def __init__(self) -> None:
        self._items: list[ContentIssue] = []
        self._seen: set[ContentIssue] = set()
        self.warnings: list[ContentIssue] = []  # reported by `content check` but do not stop the content loading

    def add(self, path: str, line: int, message: str) -> None:
        """Record a problem once (the same message on the same line is reported a single time)."""
        issue = ContentIssue(path, max(int(line), 1), message)
        if issue not in self._seen:
            self._seen.add(issue)
            self._items.append(issue)

    def warn(self, path: str, line: int, message: str) -> None:
        """Record a warning (shown by `flask content check`, never an error)."""
        issue = ContentIssue(path, max(int(line), 1), message)
        if issue not in self.warnings:
            self.warnings.append(issue)

    def extend(self, other: Issues) -> None:
        """Record every problem and warning of `other` here too."""
        for issue in other._items:
            self.add(issue.path, issue.line, issue.message)
        for issue in other.warnings:
            self.warn(issue.path, issue.line, issue.message)

    def count_in(self, path: str) -> int:
        """How many problems were recorded in one file so far."""
        return sum(1 for issue in self._items if issue.path == path)

    def __iter__(self):
        """The problems recorded so far, in the order found."""
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self) -> None:
        """Raise ContentError with every collected issue, if there is at least one."""
        if self._items:
            raise ContentError(list(self._items))
