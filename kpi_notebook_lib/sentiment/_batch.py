"""The batch memo: a whole :func:`score_texts` result, keyed by the content of its input.

Scoring the same export twice (a report re-run, a notebook re-executed) is the common case.
The per-text cache already avoids re-scoring, but still hashes, de-duplicates and looks up
every text. The memo keys the *batch*: a SHA-256 of the texts' Arrow buffers (validity,
offsets, characters), of the ``lang`` argument, of every active scorer's cache key (scorer,
version, lexicon hash, overrides hash) and of the language detector's key. A hit returns the
stored per-row result; any change in one text, one language or one scorer is a miss, and the
batch then goes through the per-text cache as usual.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa

from ._base import Scorer, scorer_cache_key
from ._routing import detector_key

__all__ = ["MEMO_VERSION", "batch_key", "content_digest"]

#: Bump when the memo's layout or the meaning of its codes changes.
MEMO_VERSION = "1"
_SPLIT = 1 << 22  # hash big buffers in two halves on two threads above this many bytes


def _sha(data: memoryview) -> bytes:
    return hashlib.sha256(data).digest()


def content_digest(arr: pa.Array) -> bytes:
    """SHA-256 of a string array's content: type, length, validity, offsets and characters.

    Slices and chunk layouts hash alike (offsets are rebased). Large buffers are hashed in two
    halves on two threads (``hashlib`` releases the GIL).
    """
    n = len(arr)
    h = hashlib.sha256(f"{arr.type}|{n}|{arr.null_count}|".encode())
    if arr.null_count:
        h.update(np.packbits(arr.is_null().to_numpy(zero_copy_only=False)).tobytes())
    bufs = arr.buffers()
    if n == 0 or bufs[1] is None:
        return h.digest()
    large = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
    otype = np.int64 if large else np.int32
    offs = np.frombuffer(
        bufs[1], dtype=otype, count=n + 1, offset=arr.offset * np.dtype(otype).itemsize
    )
    start, end = int(offs[0]), int(offs[-1])
    data = memoryview(bufs[2])[start:end] if bufs[2] is not None else memoryview(b"")
    rebased = (offs - offs[0]).tobytes() if start else memoryview(offs).cast("B")
    if len(data) >= _SPLIT:
        half = len(data) // 2
        with ThreadPoolExecutor(2) as pool:
            parts = list(pool.map(_sha, [data[:half], data[half:]]))
        h.update(_sha(rebased))
        for p in parts:
            h.update(p)
    else:
        h.update(rebased)
        h.update(data)
    return h.digest()


def _lang_digest(lang: object, n: int) -> bytes | None:
    """Digest of the ``lang`` argument; None when it is not one of the common shapes."""
    if isinstance(lang, str):
        return hashlib.sha256(b"str|" + lang.encode()).digest()
    if isinstance(lang, pd.Series) and isinstance(lang.dtype, pd.StringDtype):
        arr = pa.array(lang.array)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            return b"series|" + content_digest(arr)
    return None


def batch_key(
    texts: pa.Array,
    lang: object,
    scorers: Mapping[str, Scorer],
    routes: tuple[np.ndarray, list[str]] | None = None,
) -> str:
    """Memo key of one :func:`score_texts` call.

    Parameters
    ----------
    texts : pyarrow.Array
        The texts, as :func:`score_texts` holds them.
    lang : object
        The ``lang`` argument as passed.
    scorers : mapping
        Active scorers by language.
    routes : (codes, names), optional
        The per-row routes, hashed instead of ``lang`` when ``lang`` is neither a string nor
        a pandas string Series.
    """
    h = hashlib.sha256(f"kpi-tone-batch|{MEMO_VERSION}|".encode())
    h.update(content_digest(texts))
    digest = _lang_digest(lang, len(texts))
    if digest is None:
        if routes is None:  # pragma: no cover - callers pass routes
            raise ValueError("routes are needed for this kind of lang")
        codes, names = routes
        digest = b"routes|" + json.dumps(names).encode() + np.asarray(codes, np.int16).tobytes()
    h.update(digest)
    keys = {code: scorer_cache_key(sc) for code, sc in sorted(scorers.items())}
    h.update(json.dumps({"scorers": keys, "detector": detector_key()}, sort_keys=True).encode())
    return h.hexdigest()[:32]
