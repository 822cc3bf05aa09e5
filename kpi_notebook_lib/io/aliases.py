"""Header aliases: the names platforms give their columns, in English and French.

One YAML table per platform lives in ``kpi_notebook_lib/data/aliases/<platform>.yml``. Each
table has one block per export *kind* (``x.yml`` has ``tweet_activity``, ``content``…)::

    content:
      fields:
        post_id:
          en: [Post id]
          fr: [Identifiant du post]
      ignore: [Detail Expands]   # known columns that the toolkit does not use

Headers are compared after :func:`normalize_header` (case, accents, blanks and typographic
apostrophes do not matter). ``ignore`` lists columns that are known but not imported, so that
only truly unknown columns are reported.

Users add their own aliases in ``<workspace>/aliases.yml``; they arrive in
:attr:`~kpi_notebook_lib.io.base.ImportContext.aliases` as ``{platform: {header: field}}``,
for example::

    facebook:
      "Couverture des publications": reach

and take precedence over the built-in tables. The keys are the table names: ``x``, ``facebook``,
``instagram``, ``meta`` (titles of the daily page files, e.g. ``"Portée de la Page": reach``),
``linkedin``, ``youtube``, ``tiktok`` and ``ga4``. The fields an export kind accepts are those of
its block in the built-in table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..exceptions import ImportFormatError

__all__ = [
    "AliasTable",
    "Resolution",
    "alias_kinds",
    "load_aliases",
    "normalize_header",
    "resolve_header",
]

_BLANKS = re.compile(r"[\s\u00a0\u202f\u2009]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\ufeff": None})


def normalize_header(text: Any) -> str:
    """Return the comparison form of a header or title.

    Case, accents, surrounding quotes, repeated or non-breaking blanks and typographic
    apostrophes are ignored: ``"  Portée "`` and ``"portee"`` compare equal.

    Parameters
    ----------
    text : Any
        Header cell as read from the file.

    Returns
    -------
    str
    """
    s = unicodedata.normalize("NFKD", str(text).translate(_APOSTROPHES))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _BLANKS.sub(" ", s).strip().strip('"').strip()
    return s.casefold()


@cache
def _builtin(platform: str) -> dict[str, Any]:
    ref = resources.files("kpi_notebook_lib") / "data" / "aliases" / f"{platform}.yml"
    if not ref.is_file():
        raise ImportFormatError(
            f"aliases/{platform}.yml", f"no built-in alias table for platform {platform!r}"
        )
    return yaml.safe_load(ref.read_text(encoding="utf-8")) or {}


def alias_kinds(platform: str) -> list[str]:
    """Export kinds that the built-in alias table of ``platform`` describes."""
    return sorted(_builtin(platform))


@dataclass(frozen=True)
class AliasTable:
    """The header names of one export kind, ready for lookups.

    Attributes
    ----------
    platform : str
        Alias table name (``x``, ``facebook``… ``ga4``, ``meta``).
    kind : str
        Export kind within the table (``tweet_activity``, ``posts``…).
    fields : dict of str to tuple of str
        Field name to the headers known for it, in order of preference (user aliases first).
    lookup : dict of str to str
        Normalised header to field.
    french : frozenset of str
        Normalised headers that only French exports use.
    ignore : frozenset of str
        Normalised headers known but not imported.
    """

    platform: str
    kind: str
    fields: dict[str, tuple[str, ...]]
    lookup: dict[str, str]
    french: frozenset[str] = field(default_factory=frozenset)
    ignore: frozenset[str] = field(default_factory=frozenset)

    def field_of(self, header: Any) -> str | None:
        """Field that ``header`` names, or None."""
        return self.lookup.get(normalize_header(header))

    def expected(self, name: str) -> list[str]:
        """Headers accepted for field ``name``."""
        return list(self.fields.get(name, ()))


def load_aliases(
    platform: str, kind: str, extra: Mapping[str, Mapping[str, str]] | None = None
) -> AliasTable:
    """Build the alias table of one export kind, with the user's aliases on top.

    Parameters
    ----------
    platform : str
        Name of the built-in table (``data/aliases/<platform>.yml``).
    kind : str
        Block of that table.
    extra : mapping, optional
        User aliases ``{platform: {header: field}}`` (``ImportContext.aliases``). Only the
        entries under ``platform`` whose field belongs to ``kind`` are used.

    Returns
    -------
    AliasTable
    """
    spec = _builtin(platform).get(kind)
    if spec is None:
        raise ImportFormatError(
            f"aliases/{platform}.yml", f"no block {kind!r}; blocks are {alias_kinds(platform)}"
        )
    fields: dict[str, list[str]] = {}
    lookup: dict[str, str] = {}
    french: set[str] = set()
    user = dict((extra or {}).get(platform, {}) or {})
    for header, name in user.items():
        if name in spec.get("fields", {}):
            fields.setdefault(name, []).append(str(header))
            lookup[normalize_header(header)] = name
    for name, langs in (spec.get("fields") or {}).items():
        en = [str(h) for h in (langs or {}).get("en", []) or []]
        fr = [str(h) for h in (langs or {}).get("fr", []) or []]
        en_keys = {normalize_header(h) for h in en}
        for h in en + fr:
            key = normalize_header(h)
            lookup.setdefault(key, name)
            if key not in en_keys:
                french.add(key)
            if h not in fields.setdefault(name, []):
                fields[name].append(h)
    ignore = {normalize_header(h) for h in spec.get("ignore", []) or []} - set(lookup)
    return AliasTable(
        platform=platform,
        kind=kind,
        fields={k: tuple(v) for k, v in fields.items()},
        lookup=lookup,
        french=frozenset(french),
        ignore=frozenset(ignore),
    )


@dataclass
class Resolution:
    """Which file columns hold which field.

    Attributes
    ----------
    columns : dict of str to list of int
        Field to the positions of the columns naming it, best alias first.
    header : list of str
        The header as found in the file.
    unknown : list of str
        Headers that are neither aliases nor known-and-ignored.
    french : bool
        At least one header is a French-only alias.
    """

    columns: dict[str, list[int]]
    header: list[str]
    unknown: list[str]
    french: bool

    def has(self, name: str) -> bool:
        """True when the file has a column for field ``name``."""
        return bool(self.columns.get(name))

    def header_of(self, name: str) -> str:
        """File header of the (first) column holding field ``name``."""
        cols = self.columns.get(name)
        return self.header[cols[0]] if cols else name


def resolve_header(
    header: list[str],
    table: AliasTable,
    *,
    required: Iterable[str] = (),
    file: str | Path = "",
    row: int | None = None,
) -> Resolution:
    """Map a file's header onto fields, checking that the required ones are there.

    Parameters
    ----------
    header : list of str
        Header cells in file order (duplicates allowed).
    table : AliasTable
        Aliases of the export kind.
    required : iterable of str
        Fields without which the file cannot be read.
    file : str or Path
        File name, for the error message.
    row : int, optional
        Line of the header, for the error message.

    Returns
    -------
    Resolution

    Raises
    ------
    ImportFormatError
        When a required field has no column. The message lists the headers expected, the
        headers found and how to add an alias in the workspace.
    """
    order = {name: i for i, name in enumerate(table.fields)}
    columns: dict[str, list[tuple[int, int]]] = {}
    unknown: list[str] = []
    french = False
    for pos, cell in enumerate(header):
        key = normalize_header(cell)
        if not key:
            continue
        name = table.lookup.get(key)
        if name is None:
            if key not in table.ignore:
                unknown.append(str(cell))
            continue
        french = french or key in table.french
        rank = [normalize_header(h) for h in table.fields[name]].index(key)
        columns.setdefault(name, []).append((rank, pos))
    missing = [name for name in required if name not in columns]
    if missing:
        lines = [
            f"`{name}` expects one of {', '.join(repr(h) for h in table.expected(name))}"
            for name in missing
        ]
        found = ", ".join(repr(h) for h in header if str(h).strip()) or "(no header)"
        example = missing[0]
        raise ImportFormatError(
            str(file),
            f"this {table.platform} {table.kind.replace('_', ' ')} export lacks required "
            f"column(s): {'; '.join(lines)}. Found: {found}. If the export names the column "
            f"differently, add an alias to <workspace>/aliases.yml, e.g.\n"
            f'{table.platform}:\n  "<header in your file>": {example}',
            row=row,
        )
    resolved = {name: [pos for _, pos in sorted(v)] for name, v in columns.items()}
    resolved = dict(sorted(resolved.items(), key=lambda kv: order.get(kv[0], 0)))
    return Resolution(columns=resolved, header=list(header), unknown=unknown, french=french)
