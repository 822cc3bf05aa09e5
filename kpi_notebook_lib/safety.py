"""Treat user text as data: spreadsheet formula neutralisation and safe identifiers.

Captions, comments and author names end up in CSV and Excel files that analysts open in a
spreadsheet. A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula there (CSV/formula injection, OWASP). :func:`neutralize_formulas` prefixes such
text cells with a single quote, which spreadsheets show as text. Numbers are left alone.
"""

from __future__ import annotations

import re

import pandas as pd

from .exceptions import ParameterError

__all__ = ["FORMULA_PREFIXES", "check_client_id", "neutralize_formulas", "neutralize_text"]

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_CLIENT_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def neutralize_text(value: object) -> object:
    """Prefix ``value`` with ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_formulas(data: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``data`` whose text cells cannot run as spreadsheet formulas."""
    out = data.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(neutralize_text, na_action="ignore")
    return out


def check_client_id(value: str) -> str:
    """Validate a client id: a lower-case slug, safe as a folder name.

    Raises
    ------
    ParameterError
        For anything else (``..``, slashes, absolute paths, NUL, capitals, spaces, accents).
    """
    if not isinstance(value, str) or not _CLIENT_ID.fullmatch(value):  # `$` allows a final \n
        raise ParameterError(
            "client",
            value,
            "a client id made of lower-case letters, digits and dashes (e.g. boulangerie-dupont)",
        )
    return value
