"""A persistent score cache: Parquet files in a folder the caller chooses.

Layout::

    <folder>/
        <namespace>/                  one per (scorer, version, lexicon hash, override hash)
            manifest.json             the key fields, for people
            part-<uuid>.parquet       columns k1, k2 (uint64), value, reason
        batches/                      the batch memo (see ``_batch.py``)
            <key>.arrow               one whole result: lang, compound, reason per row

A namespace is the SHA-256 of the key fields and of the text-hashing scheme, so a changed
lexicon, calibration, override file, scorer version or hash function never reuses stale
scores: it reads another namespace. Texts are keyed by two 64-bit hashes (DuckDB's ``hash`` of
the text and of the text with a suffix, computed in bulk); a lookup must match both.

Writes are atomic (a temporary file renamed into place) and append-only, so several processes
may share a folder; a namespace with many parts is compacted when it is read. The memo keeps
the :data:`MAX_BATCHES` most recently used batches.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq

from ..exceptions import ParameterError

__all__ = ["MAX_BATCHES", "ScoreCache", "hash_scheme", "text_keys"]

_SUFFIX = "\x1fkpi"
_COMPACT_AT = 16
#: Batch results kept by the memo (the least recently used are deleted first).
MAX_BATCHES = 8


def _duckdb():
    import duckdb

    return duckdb


def text_keys(texts: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Two independent 64-bit hashes of each text (nulls hash too; callers mask them).

    Parameters
    ----------
    texts : pyarrow.Array or ChunkedArray of strings

    Returns
    -------
    k1, k2 : numpy.ndarray of uint64
    """
    duckdb = _duckdb()
    con = duckdb.connect()
    try:
        con.register("tbl", pa.table({"t": texts}))
        res = con.sql(
            f"SELECT hash(t) AS k1, hash(t || '{_SUFFIX}') AS k2 FROM tbl"
        ).to_arrow_table()
    finally:
        con.close()
    return (
        res.column("k1").to_numpy().astype(np.uint64, copy=False),
        res.column("k2").to_numpy().astype(np.uint64, copy=False),
    )


def _scheme() -> str:
    probe = pa.array(["kpi_notebook_lib", "Génial 👍", ""], type=pa.string())
    k1, k2 = text_keys(probe)
    return "duckdb-hash:" + hashlib.sha256(k1.tobytes() + k2.tobytes()).hexdigest()[:12]


_SCHEME: str | None = None


def hash_scheme() -> str:
    """Fingerprint of the text-hashing function (part of every namespace)."""
    global _SCHEME
    if _SCHEME is None:
        _SCHEME = _scheme()
    return _SCHEME


class _Table:
    """One namespace in memory: a hash index on k1, and k2, value, reason aligned with it."""

    def __init__(self, frame: pd.DataFrame) -> None:
        index = pd.Index(frame["k1"].to_numpy(np.uint64))
        if not index.is_unique:  # the same text stored twice (two processes, or a collision)
            frame = frame.drop_duplicates("k1", keep="last")
            index = pd.Index(frame["k1"].to_numpy(np.uint64))
        self.index = index
        self.k2 = frame["k2"].to_numpy(np.uint64)
        self.value = frame["value"].to_numpy()
        self.reason = frame["reason"].to_numpy(np.int8)

    def __len__(self) -> int:
        return len(self.index)


class ScoreCache:
    """Persistent cache of scores (and of detected languages) keyed by text hash.

    Parameters
    ----------
    path : str or os.PathLike
        Folder for the cache; created if needed.
    memo : bool, default True
        Also keep whole batch results keyed by the content of the input (see
        :func:`~kpi_notebook_lib.sentiment.score_texts`): re-scoring an unchanged export is
        then one file read. ``memo=False`` serves every text from the per-text cache.

    Attributes
    ----------
    hits, misses : int
        Look-ups served and not served since the cache object was created.
    batch_hits : int
        Calls served whole by the batch memo.

    Examples
    --------
    >>> cache = ScoreCache("~/.cache/kpi-tone")                    # doctest: +SKIP
    >>> score_texts(texts, cache=cache)                             # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike, *, memo: bool = True) -> None:
        if not isinstance(path, (str, os.PathLike)):
            raise ParameterError("path", path, "a folder path (str or os.PathLike)")
        self.path = Path(path).expanduser()
        if self.path.exists() and not self.path.is_dir():
            raise ParameterError("path", str(path), "a folder, not a file")
        self.path.mkdir(parents=True, exist_ok=True)
        self._tables: dict[str, _Table] = {}
        self.memo = bool(memo)
        self.hits = 0
        self.misses = 0
        self.batch_hits = 0

    def __repr__(self) -> str:
        return f"ScoreCache({str(self.path)!r})"

    # -- namespaces ------------------------------------------------------------------------
    def namespace(self, key: Mapping[str, str]) -> str:
        """Folder name for a key (scorer, version, lexicon hash, override hash...)."""
        payload = json.dumps({**dict(key), "hash_scheme": hash_scheme()}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:24]

    def _dir(self, key: Mapping[str, str]) -> Path:
        d = self.path / self.namespace(key)
        if not d.is_dir():
            d.mkdir(parents=True, exist_ok=True)
            manifest = {**dict(key), "hash_scheme": hash_scheme()}
            _atomic_write(d / "manifest.json", json.dumps(manifest, indent=1).encode())
        return d

    def _load(self, key: Mapping[str, str]) -> _Table:
        ns = self.namespace(key)
        table = self._tables.get(ns)
        if table is not None:
            return table
        d = self.path / ns
        parts = sorted(d.glob("part-*.parquet")) if d.is_dir() else []
        if parts:
            frame = pa.concat_tables([pq.read_table(p) for p in parts]).to_pandas()
            if len(parts) >= _COMPACT_AT:
                _write_part(d, frame)
                for p in parts:
                    p.unlink(missing_ok=True)
        else:
            frame = pd.DataFrame(
                {
                    "k1": np.empty(0, np.uint64),
                    "k2": np.empty(0, np.uint64),
                    "value": np.empty(0, object),
                    "reason": np.empty(0, np.int8),
                }
            )
        table = _Table(frame)
        self._tables[ns] = table
        return table

    # -- API -------------------------------------------------------------------------------
    def lookup(
        self, key: Mapping[str, str], k1: np.ndarray, k2: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cached values for texts with hashes ``k1``, ``k2``.

        Returns
        -------
        found : numpy.ndarray of bool
        value : numpy.ndarray
            Cached value where found (undefined elsewhere).
        reason : numpy.ndarray of int8
            Cached unscored-reason code where found.
        """
        table = self._load(key)
        if len(table) == 0 or len(k1) == 0:
            self.misses += len(k1)
            n = len(k1)
            return np.zeros(n, bool), np.empty(n, object), np.zeros(n, np.int8)
        pos = table.index.get_indexer(k1)
        found = pos >= 0
        safe = np.where(found, pos, 0)
        found &= table.k2[safe] == k2
        self.hits += int(found.sum())
        self.misses += int((~found).sum())
        return found, table.value[safe], table.reason[safe]

    def store(
        self,
        key: Mapping[str, str],
        k1: np.ndarray,
        k2: np.ndarray,
        value: np.ndarray,
        reason: np.ndarray,
    ) -> None:
        """Add entries (one new Parquet part, written atomically)."""
        if len(k1) == 0:
            return
        frame = pd.DataFrame(
            {
                "k1": np.asarray(k1, np.uint64),
                "k2": np.asarray(k2, np.uint64),
                "value": value,
                "reason": np.asarray(reason, np.int8),
            }
        )
        d = self._dir(key)
        _write_part(d, frame)
        ns = d.name
        old = self._tables.pop(ns, None)
        if old is not None and len(old):
            merged = pd.concat(
                [
                    pd.DataFrame(
                        {
                            "k1": np.asarray(old.index, np.uint64),
                            "k2": old.k2,
                            "value": old.value,
                            "reason": old.reason,
                        }
                    ),
                    frame,
                ],
                ignore_index=True,
            )
            self._tables[ns] = _Table(merged)

    # -- the batch memo ----------------------------------------------------------------------
    def load_batch(self, key: str) -> tuple[pa.Table, dict] | None:
        """A stored batch result and its metadata, or None."""
        if not self.memo:
            return None
        path = self.path / "batches" / f"{key}.arrow"
        try:
            table = feather.read_table(path, memory_map=False)
        except (FileNotFoundError, OSError, pa.ArrowInvalid):
            return None
        meta = json.loads((table.schema.metadata or {}).get(b"kpi", b"{}"))
        if meta.get("key") != key:
            return None
        try:
            os.utime(path)  # most recently used
        except OSError:  # pragma: no cover - read-only cache folder
            pass
        self.batch_hits += 1
        return table, meta

    def store_batch(self, key: str, columns: Mapping[str, np.ndarray], meta: dict) -> None:
        """Store a batch result (written atomically; the oldest batches beyond
        :data:`MAX_BATCHES` are deleted)."""
        if not self.memo:
            return
        d = self.path / "batches"
        d.mkdir(exist_ok=True)
        table = pa.table({k: pa.array(v) for k, v in columns.items()})
        table = table.replace_schema_metadata({"kpi": json.dumps({**meta, "key": key})})
        target = d / f"{key}.arrow"
        tmp = d / f".{key}.{uuid.uuid4().hex}.tmp"
        feather.write_feather(table, tmp, compression="lz4")
        os.replace(tmp, target)
        kept = sorted(d.glob("*.arrow"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[MAX_BATCHES:]:
            old.unlink(missing_ok=True)

    def clear(self) -> None:
        """Delete every cached entry under :attr:`path`."""
        for d in self.path.iterdir():
            if d.is_dir() and (d / "manifest.json").exists():
                for f in d.iterdir():
                    f.unlink(missing_ok=True)
                d.rmdir()
        batches = self.path / "batches"
        if batches.is_dir():
            for f in batches.iterdir():
                f.unlink(missing_ok=True)
            batches.rmdir()
        self._tables.clear()


def _write_part(folder: Path, frame: pd.DataFrame) -> None:
    value = frame["value"]
    if value.dtype == object:
        value = value.astype("string")
    table = pa.table(
        {
            "k1": pa.array(frame["k1"].to_numpy(np.uint64)),
            "k2": pa.array(frame["k2"].to_numpy(np.uint64)),
            "value": pa.array(value),
            "reason": pa.array(frame["reason"].to_numpy(np.int8)),
        }
    )
    target = folder / f"part-{uuid.uuid4().hex}.parquet"
    tmp = folder / f".{target.name}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, target)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
