"""The embedded store: one Parquet file per client and canonical table, queried with DuckDB.

Layout (derived, rebuildable from the exports at any time with ``kpi ingest --rebuild``)::

    <workspace>/store/<client>/<table>.parquet
    <workspace>/store/<client>/manifest.json    files ingested: hash, importer, rows, when
    <workspace>/store/<client>/quarantine.csv   every row that did not land, and why

Writes are atomic: a temporary file in the same folder, then :func:`os.replace`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .schema import QUARANTINE_COLUMNS

__all__ = ["Store", "atomic_write_bytes", "atomic_write_text"]

_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600: give the usual file mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


class Store:
    """Per-client canonical tables under ``root``.

    Parameters
    ----------
    root : path
        The workspace's ``store/`` folder.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, client: str, table: str) -> Path:
        """Parquet file of ``table`` for ``client``."""
        return self.root / client / f"{table}.parquet"

    def paths(self, table: str, clients: list[str] | None = None) -> list[Path]:
        """Existing Parquet files of ``table`` (for the given clients, or all)."""
        if clients is None:
            return sorted(self.root.glob(f"*/{table}.parquet"))
        return [p for c in clients if (p := self.path(c, table)).exists()]

    def read(self, client: str, table: str) -> pd.DataFrame:
        """The stored table (an empty, typed frame when nothing is stored)."""
        p = self.path(client, table)
        if not p.exists():
            return schema.empty(table)
        return schema.coerce(table, pd.read_parquet(p))

    def write(self, client: str, table: str, data: pd.DataFrame) -> None:
        """Replace the stored table atomically."""
        p = self.path(client, table)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
        os.close(fd)
        try:
            schema.coerce(table, data).to_parquet(tmp, index=False)
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # manifest ---------------------------------------------------------------------------
    def manifest(self, client: str) -> dict[str, Any]:
        """Ingested files of ``client``: relative path → hash, importer, counts."""
        p = self.root / client / "manifest.json"
        if not p.exists():
            return {}
        return json.loads(p.read_text("utf-8"))

    def write_manifest(self, client: str, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically."""
        atomic_write_text(
            self.root / client / "manifest.json",
            json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False),
        )

    # quarantine -------------------------------------------------------------------------
    def quarantine(self, client: str) -> pd.DataFrame:
        """Every quarantined value of ``client`` (``table, file, row, column, value, reason``)."""
        p = self.root / client / "quarantine.csv"
        if not p.exists():
            return pd.DataFrame(columns=QUARANTINE_COLUMNS)
        return pd.read_csv(p, dtype=str, keep_default_na=False)

    def replace_quarantine(self, client: str, files: set[str], new: pd.DataFrame) -> None:
        """Replace the quarantined rows of ``files`` by ``new``."""
        old = self.quarantine(client)
        old = old[~old["file"].isin(files)]
        both = pd.concat([old, new.astype(str)], ignore_index=True)[QUARANTINE_COLUMNS]
        atomic_write_text(self.root / client / "quarantine.csv", both.to_csv(index=False))
