"""The importer contract and registry.

An importer turns one export file (or one export folder, e.g. YouTube Studio's) into canonical
rows. It never writes anything: :func:`kpi_notebook_lib.ingest.ingest` coerces, validates, adds
provenance and stores.

Writing an importer
-------------------
Subclass :class:`Importer`, set ``name``, ``platform`` and ``tables``, implement
:meth:`Importer.sniff` (decide from the file's *content*, with the name only as a hint) and
:meth:`Importer.read`, then decorate the class with :func:`register`.

``read`` returns a :class:`ParsedFile` whose ``tables`` hold frames with canonical column
names and already-parsed values (numbers as numbers, timestamps UTC-aware, NA where the platform
gives nothing), plus a ``source_row`` column (1-based line number in the file) on every row.
Cells that cannot be parsed go to ``quarantine`` (one row per bad cell: ``row, column, value,
reason``) and their row must not appear in ``tables``.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from ..exceptions import ImportFormatError

__all__ = [
    "FileHead",
    "ImportContext",
    "Importer",
    "ParsedFile",
    "detect",
    "file_sha256",
    "read_head",
    "register",
    "registered",
]

_HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileHead:
    """The beginning of a file, decoded, for sniffing.

    Attributes
    ----------
    path : Path
        The file (or folder, for folder-shaped exports).
    raw : bytes
        First 64 KiB as bytes (empty for folders).
    encoding : str or None
        Encoding guessed from the BOM and content (``utf-8-sig``, ``utf-16``, ``utf-8``,
        ``cp1252``), ``None`` for binary files and folders.
    text : str
        ``raw`` decoded with ``encoding`` (empty when binary).
    """

    path: Path
    raw: bytes
    encoding: str | None
    text: str

    @property
    def lines(self) -> list[str]:
        """Decoded lines of the head (the last one may be cut)."""
        return self.text.splitlines()

    @property
    def suffix(self) -> str:
        """Lower-case file suffix, e.g. ``.csv``."""
        return self.path.suffix.lower()


@dataclass
class ImportContext:
    """What an importer may know besides the file itself.

    Attributes
    ----------
    client : str
        Client id; importers put it in the ``client`` column.
    timezone : str
        Client's IANA time zone, for exports whose timestamps are local.
    client_dir : Path
        The client's folder (``source_file`` is relative to it).
    brand : str
        Brand id used in ``mentions.brand`` for the client itself.
    aliases : dict
        Extra header aliases from the workspace, ``{platform: {header: canonical}}``.
    year : int or None
        Year to use for exports whose dates carry none (TikTok), when given by the user.
    """

    client: str
    timezone: str = "UTC"
    client_dir: Path = Path(".")
    brand: str = ""
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    year: int | None = None


@dataclass
class ParsedFile:
    """What an importer read from one file.

    Attributes
    ----------
    importer : str
        Importer name (``template.posts``, ``x.tweet_activity``…).
    platform : str or None
        Platform detected (``None`` for multi-platform files).
    tables : dict of str to DataFrame
        Canonical rows per table, with a ``source_row`` column.
    quarantine : DataFrame
        Cells that could not be parsed: ``row, column, value, reason``.
    exported_at : Timestamp or None
        When the export was produced, if the file tells (name or content).
    notes : list of str
        Anything worth telling the user (cross-check mismatches, skipped total rows…).
    """

    importer: str
    platform: str | None
    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["row", "column", "value", "reason"])
    )
    exported_at: pd.Timestamp | None = None
    notes: list[str] = field(default_factory=list)


class Importer:
    """Base class of importers. See the module docstring."""

    #: Unique importer name, ``<platform>.<kind>``.
    name: ClassVar[str] = ""
    #: Platform id, or ``None`` for multi-platform formats.
    platform: ClassVar[str | None] = None
    #: Canonical tables it can produce.
    tables: ClassVar[tuple[str, ...]] = ()
    #: One line describing the format, shown when nothing matches.
    description: ClassVar[str] = ""
    #: True for exports that are folders (YouTube Studio).
    folder: ClassVar[bool] = False
    #: Higher runs first when several importers could match.
    priority: ClassVar[int] = 0

    def sniff(self, head: FileHead) -> bool:  # pragma: no cover - interface
        """Return True when ``head`` is this importer's format."""
        raise NotImplementedError

    def read(
        self, path: Path, head: FileHead, ctx: ImportContext
    ) -> ParsedFile:  # pragma: no cover
        """Parse the file. See the module docstring for the contract."""
        raise NotImplementedError


_REGISTRY: dict[str, Importer] = {}


def register(cls: type[Importer]) -> type[Importer]:
    """Class decorator adding an importer to the registry."""
    if not cls.name:
        raise TypeError(f"{cls.__name__} must set `name`")
    _REGISTRY[cls.name] = cls()
    return cls


def registered() -> list[Importer]:
    """Registered importers, highest priority first."""
    from . import _load_all  # noqa: F401  (imports every importer module once)

    return sorted(_REGISTRY.values(), key=lambda i: (-i.priority, i.name))


def _guess_encoding(raw: bytes) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in raw[:4096]:
        # UTF-16 without BOM: every other byte is NUL for Latin text
        even, odd = raw[0:4096:2], raw[1:4096:2]
        if odd.count(0) > len(odd) * 0.3:
            return "utf-16-le"
        if even.count(0) > len(even) * 0.3:
            return "utf-16-be"
        return None  # binary (xlsx is a zip and has no NUL in its first bytes, xls does)
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if err.start > len(raw) - 4:  # cut in the middle of a multi-byte character
            return "utf-8"
        return "cp1252"


def read_head(path: Path) -> FileHead:
    """Read and decode the beginning of ``path`` for sniffing."""
    path = Path(path)
    if path.is_dir():
        return FileHead(path, b"", None, "")
    with open(path, "rb") as fh:
        raw = fh.read(_HEAD_BYTES)
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return FileHead(path, raw, None, "")
    enc = _guess_encoding(raw)
    text = raw.decode(enc, errors="replace") if enc else ""
    return FileHead(path, raw, enc, text.lstrip("\ufeff"))


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (sorted by relative name)."""
    h = hashlib.sha256()
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            h.update(str(f.relative_to(path)).encode())
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def detect(path: Path, head: FileHead | None = None) -> Importer:
    """Return the importer that recognises ``path`` by its content.

    Raises
    ------
    ImportFormatError
        When no importer recognises the file; the message lists the known formats.
    """
    head = head or read_head(path)
    candidates = [i for i in registered() if i.folder == head.path.is_dir()]
    for imp in candidates:
        try:
            if imp.sniff(head):
                return imp
        except Exception:
            continue
    first = head.lines[0][:120] if head.lines else "(binary or empty)"
    known = "; ".join(f"{i.name}: {i.description}" for i in candidates)
    raise ImportFormatError(
        str(path),
        f"not a known export format. Its first line is {first!r}. Known formats: {known}.",
    )


def _describe(v: Any) -> str:  # pragma: no cover - helper for importers
    return repr(v)
