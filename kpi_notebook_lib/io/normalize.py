"""One normaliser for every number and missing-value token found in exports.

All importers send their text cells through :func:`parse_numbers`, so thousands separators
(``,`` ``.`` space, NBSP, U+202F), decimal commas, percentages and the platforms' NA tokens are
handled in one place and the same way everywhere.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["NA_TOKENS", "clean_text", "parse_bools", "parse_numbers"]

#: Cell values that mean "not available" (compared case-insensitively, after stripping).
NA_TOKENS: frozenset[str] = frozenset(
    {"", "n/a", "na", "nan", "-", "--", "undefined", "null", "none", "—", "–", "#n/a"}
)

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _to_number(text: str, decimal: str) -> float | None:
    """Parse one already-stripped, non-NA cell; return None when it is not a number."""
    t = _SPACES.sub("", text)
    if t.endswith("%"):
        t = t[:-1]
        scale = 0.01
    else:
        scale = 1.0
    if decimal == ",":
        if t.count(",") > 1:
            return None
        t = t.replace(".", "").replace(",", ".")
    else:
        # "1,234.5" or "1,234": commas are thousands separators only in groups of three
        if "," in t:
            if not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", t):
                return None
            t = t.replace(",", "")
    if not _PLAIN.match(t):
        return None
    return float(t) * scale


def parse_numbers(
    values: pd.Series,
    *,
    column: str,
    decimal: str = ".",
    integer: bool = False,
) -> tuple[pd.Series, pd.DataFrame]:
    """Parse a text column into numbers, collecting every cell that is not one.

    Parameters
    ----------
    values : pandas.Series
        Raw cells (strings or already numbers); the index must be the 1-based file line.
    column : str
        Header of the column in the file, for the failure report.
    decimal : {".", ","}
        Decimal mark of the file (``,`` for French locale exports).
    integer : bool
        The column is a count: ``1938.0`` is accepted, ``12.5`` is a failure.

    Returns
    -------
    numbers : pandas.Series
        ``Float64`` (or ``Int64`` when ``integer``) with NA for NA tokens and failures.
    failures : pandas.DataFrame
        ``row, column, value, reason`` for each cell that is not a number.
    """
    out = np.full(len(values), np.nan)
    fail_rows, fail_vals, fail_reasons = [], [], []
    for i, (row, v) in enumerate(values.items()):
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            continue
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            num: float | None = float(v)
        else:
            s = str(v).strip()
            if s.lower() in NA_TOKENS:
                continue
            num = _to_number(s, decimal)
        if num is None:
            fail_rows.append(row)
            fail_vals.append(v)
            fail_reasons.append("not a number")
            continue
        if integer and num % 1 != 0:
            fail_rows.append(row)
            fail_vals.append(v)
            fail_reasons.append("a count must be a whole number")
            continue
        out[i] = num
    s = pd.Series(out, index=values.index, dtype="Float64")
    s[np.isnan(out)] = pd.NA
    if integer:
        s = s.astype("Int64")
    failures = pd.DataFrame(
        {"row": fail_rows, "column": column, "value": fail_vals, "reason": fail_reasons}
    )
    return s, failures


_TRUE = {"true", "yes", "oui", "1", "vrai", "y"}
_FALSE = {"false", "no", "non", "0", "faux", "n"}


def parse_bools(values: pd.Series, *, column: str) -> tuple[pd.Series, pd.DataFrame]:
    """Parse yes/no-like cells (English and French) into a nullable boolean column."""
    out, rows, vals = [], [], []
    for row, v in values.items():
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            out.append(pd.NA)
            continue
        if isinstance(v, (bool, np.bool_)):
            out.append(bool(v))
            continue
        s = str(v).strip().lower()
        if s in NA_TOKENS:
            out.append(pd.NA)
        elif s in _TRUE:
            out.append(True)
        elif s in _FALSE:
            out.append(False)
        else:
            out.append(pd.NA)
            rows.append(row)
            vals.append(v)
    failures = pd.DataFrame(
        {"row": rows, "column": column, "value": vals, "reason": "expected yes/no or true/false"}
    )
    return pd.Series(out, index=values.index, dtype="boolean"), failures


def clean_text(values: pd.Series) -> pd.Series:
    """Strip surrounding blanks; NA tokens stay text (a caption can be "-"), empty becomes NA."""
    s = values.astype("string").str.strip()
    return s.mask(s == "", pd.NA)
