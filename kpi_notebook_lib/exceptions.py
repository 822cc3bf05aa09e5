"""One error style for the whole toolkit.

Every error the library raises on purpose derives from :class:`KPIError`. Messages say what was
expected and what was found, and errors about files name the file, row, column and value.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CatalogError",
    "ImportFormatError",
    "KPIError",
    "NoDataError",
    "ParameterError",
    "SchemaError",
    "SettingsError",
]


class KPIError(Exception):
    """Base class of every error raised on purpose by :mod:`kpi_notebook_lib`."""


class ParameterError(KPIError, ValueError):
    """A parameter passed by a user (CLI flag, notebook parameter, function argument) is invalid.

    Parameters
    ----------
    name : str
        Name of the parameter.
    value : Any
        Value that was passed.
    expected : str
        Plain-language description of what was expected.
    """

    def __init__(self, name: str, value: Any, expected: str) -> None:
        self.name = name
        self.value = value
        self.expected = expected
        verb = "" if expected.startswith(("look ", "be ")) else "be "
        super().__init__(f"The value for `{name}` must {verb}{expected}, but {value!r} was passed.")


class SettingsError(KPIError, ValueError):
    """A workspace settings file (``client.yml``, ``targets.csv``…) is invalid.

    Parameters
    ----------
    file : str
        Path of the settings file.
    problems : list of str
        One line per problem found; all problems are collected before raising.
    """

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = str(file)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.file} is not valid ({len(self.problems)} problem(s)):\n{lines}")


class SchemaError(KPIError, ValueError):
    """Rows do not satisfy the canonical schema and cannot be quarantined row by row.

    Parameters
    ----------
    table : str
        Canonical table name (``posts``, ``audience``, ``mentions``, ``conversions``).
    failures : pandas.DataFrame
        Long-form failures with columns ``file, row, column, value, reason``.
    """

    def __init__(self, table: str, failures: Any) -> None:
        self.table = table
        self.failures = failures
        head = failures.head(10).to_string(index=False) if len(failures) else ""
        super().__init__(f"{len(failures)} value(s) do not fit the `{table}` table:\n{head}")


class ImportFormatError(KPIError, ValueError):
    """A file could not be read as any known export format.

    Parameters
    ----------
    file : str
        Path of the file.
    reason : str
        What was expected and what was found.
    row, column, value : optional
        Where the problem is, when it is about one cell. ``row`` is the 1-based line number in
        the file as a spreadsheet would show it.
    """

    def __init__(
        self,
        file: str,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        self.file = str(file)
        self.reason = reason
        self.row = row
        self.column = column
        self.value = value
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            where.append(f"value {value!r}")
        super().__init__(f"{', '.join(where)}: {reason}")


class NoDataError(KPIError, LookupError):
    """There is no data where some was required (never reported as a zero)."""


class CatalogError(KPIError, ValueError):
    """The KPI catalog, or a request against it, is invalid (unknown KPI id, bad formula…)."""
