"""Per-client lexicon overrides, read from a CSV or YAML file."""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping
from pathlib import Path

from ..exceptions import ParameterError, SettingsError
from ._base import Overrides

__all__ = ["as_overrides", "load_overrides"]

_MAX = 4.0


def load_overrides(path: str | os.PathLike) -> Overrides:
    """Read a client's lexicon overrides.

    Two formats, told apart by the file extension:

    - CSV (``.csv``, ``.tsv``, ``.txt``; comma, semicolon or tab separated) with a header
      ``term,valence``::

          term,valence
          Killer,0
          Zéro défaut,0
          rupture de stock,-2

    - YAML (``.yml``, ``.yaml``): a mapping ``term: valence``::

          Killer: 0
          "Zéro défaut": 0

    A valence is on VADER's ``-4..+4`` scale; 0 neutralises the term (a product called
    "Killer" no longer reads as negative). Terms are matched case- and accent-insensitively;
    multi-word terms are matched as phrases and win over their words.

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    Overrides
        Whose ``hash`` (of the content) enters the score cache key.

    Raises
    ------
    ParameterError
        If the file does not exist or its extension is not one of the above.
    SettingsError
        Listing every bad row (missing term, valence not a number or outside ``-4..4``).
    """
    p = Path(path).expanduser()
    if not p.is_file():
        raise ParameterError("path", str(path), "an existing CSV or YAML overrides file")
    suffix = p.suffix.lower()
    text = p.read_text(encoding="utf-8-sig")
    problems: list[str] = []
    rows: list[tuple[int, object, object]] = []
    if suffix in (".yml", ".yaml"):
        import yaml

        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as err:
            raise SettingsError(str(p), [f"not valid YAML: {err}"]) from None
        if not isinstance(data, Mapping):
            raise SettingsError(str(p), ["expected a mapping `term: valence`"])
        rows = [(i + 1, k, v) for i, (k, v) in enumerate(data.items())]
    elif suffix in (".csv", ".tsv", ".txt"):
        first = text.splitlines()[0] if text.strip() else ""
        delim = "\t" if "\t" in first else ";" if ";" in first and "," not in first else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delim)
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        if "term" not in fields or "valence" not in fields:
            raise SettingsError(
                str(p), [f"the header must name `term` and `valence`, but it is {first!r}"]
            )
        reader.fieldnames = fields
        rows = [(i + 2, r.get("term"), r.get("valence")) for i, r in enumerate(reader)]
    else:
        raise ParameterError("path", str(path), "a .csv, .tsv, .txt, .yml or .yaml file")
    terms: dict[str, float] = {}
    for row, term, value in rows:
        term_s = "" if term is None else str(term).strip()
        if not term_s:
            problems.append(f"row {row}: the term is empty")
            continue
        try:
            v = float(str(value).strip().replace(",", ".")) if value is not None else math.nan
        except ValueError:
            v = math.nan
        if not (-_MAX <= v <= _MAX):
            problems.append(
                f"row {row}, term {term_s!r}: the valence must be a number in -4..4, "
                f"but {value!r} was found"
            )
            continue
        terms[term_s] = v
    if problems:
        raise SettingsError(str(p), problems)
    return Overrides(terms, source=str(p))


def as_overrides(value: object) -> Overrides | None:
    """Accept None, an :class:`Overrides`, a mapping ``term -> valence`` or a file path."""
    if value is None or isinstance(value, Overrides):
        return value or None
    if isinstance(value, (str, os.PathLike)):
        return load_overrides(value) or None
    if isinstance(value, Mapping):
        bad = [k for k, v in value.items() if not isinstance(v, (int, float))]
        if bad:
            raise ParameterError("overrides", dict(value), "a mapping of term to a number")
        return Overrides(dict(value)) or None
    raise ParameterError(
        "overrides", value, "None, an Overrides, a mapping term -> valence or a file path"
    )
