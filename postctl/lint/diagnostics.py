"""The one record every lint format renders, and the fixes a diagnostic may carry.

Records are NamedTuples (immutable, and cheap to define: start-up matters for a hook).

A ``Diagnostic``'s JSON keys are its public field names: path (relative to the site
root), line, column, rule, severity, message, fixable. The fix itself is not part of
the record's identity or of its JSON form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from postctl.edit.splice import Edit

Severity = Literal["error", "warning"]
Applicability = Literal["safe", "unsafe"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning")


class Fix(NamedTuple):
    """A change that resolves a diagnostic.

    ``safe``: Jekyll reads the very same values afterwards; ``unsafe``: a value changes.
    ``edits`` change front-matter values of the diagnostic's file; ``rename`` is the new
    file name (same folder) for the one fix that renames a post.
    """

    applicability: Applicability
    description: str
    edits: tuple[Edit, ...] = ()
    rename: str | None = None


class Diagnostic(NamedTuple):
    path: str  # relative to the site root, '/'-separated
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    fixable: bool = False
    fix: Fix | None = None  # not part of the JSON form

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "fixable": self.fixable,
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)


class Finding(NamedTuple):
    """What a rule reports, before configuration decides its severity (or drops it)."""

    rule: str
    line: int
    column: int
    message: str
    fix: Fix | None = None
    severity: Severity | None = None  # overrides the rule's default (a schema field's severity)
