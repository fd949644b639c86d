"""The one exception type for problems in user input (files, fields, values).

The CLI turns it into a single line on stderr and exit code 2; anything else is a bug.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad user input: names the file, the field path (or row) and the reason."""

    def __init__(self, file: str | Path | None, field: str | None, reason: str):
        self.file = str(file) if file is not None else None
        self.field = field or None
        self.reason = reason
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = ": ".join(part for part in (self.file, self.field) if part)
        return f"{where}: {self.reason}" if where else self.reason


class InputErrors(InputError):
    """Several input problems found at once. `sim validate` (report=True) prints one line each; any other
    command prints the first and how many more there are, keeping to one line on stderr."""

    def __init__(self, errors: list[InputError], report: bool = False):
        self.errors = list(errors)
        self.report = report
        first = self.errors[0]
        super().__init__(first.file, first.field, first.reason)

    @property
    def message(self) -> str:
        errors = getattr(self, "errors", [])
        if not errors:
            return super().message
        if getattr(self, "report", False) or len(errors) == 1:
            return "\n".join(error.message for error in errors)
        more = len(errors) - 1
        return (f"{errors[0].message} (and {more} more problem{'s' if more > 1 else ''}: "
                f"`sim validate {errors[0].file or 'FILE'}` lists them all)")
