"""Input checks and the result frame of :func:`score_texts` (Arrow in, pandas out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..exceptions import ParameterError
from ._base import LABELS, NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD
from ._routing import normalize_lang

__all__ = ["as_arrow", "label_codes", "result_frame", "routes_of", "string_column"]


def as_arrow(texts: object) -> tuple[pa.Array, pd.Index | None]:
    """One contiguous Arrow string array of the texts, and the Series' index (if any)."""
    index = None
    if isinstance(texts, pd.Series):
        index = texts.index
        s = texts
    elif isinstance(texts, (pa.Array, pa.ChunkedArray)):
        return _flat_strings(texts), None
    elif isinstance(texts, str) or not isinstance(texts, Iterable):
        raise ParameterError("texts", texts, "a sequence of texts (list, Series, array)")
    else:
        s = pd.Series(
            list(texts) if not isinstance(texts, (list, np.ndarray)) else texts, dtype="object"
        )
    if not isinstance(s.dtype, pd.StringDtype):
        bad = s.map(
            lambda v: (
                not (
                    isinstance(v, str)
                    or v is None
                    or v is pd.NA
                    or (isinstance(v, float) and np.isnan(v))
                )
            )
        )
        if bad.any():
            v = s[bad].iloc[0]
            raise ParameterError("texts", v, "texts (str) or missing values only")
        s = s.astype(pd.StringDtype())
    return _flat_strings(pa.array(s.array)), index


def _flat_strings(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous Arrow string array (copied only when it must be)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    if arr.type not in (pa.string(), pa.large_string()):
        arr = pc.cast(arr, pa.large_string())
    return arr


def routes_of(lang: object, n: int) -> tuple[np.ndarray, list[str]]:
    """Route code per row: 0 auto, 1.. an explicit language (names in the returned list)."""
    names = ["auto"]
    if isinstance(lang, str):
        if lang == "auto":
            return np.zeros(n, np.int16), names
        code = normalize_lang(lang)
        if code is None:
            raise ParameterError(
                "lang",
                lang,
                '"auto", a language code such as "fr", or a sequence of per-text codes',
            )
        return np.ones(n, np.int16), [*names, code]
    if lang is None or not isinstance(lang, Iterable):
        raise ParameterError("lang", lang, '"auto", "fr", "en" or a sequence of per-text codes')
    values = pd.Series(lang, dtype="object") if not isinstance(lang, pd.Series) else lang
    if len(values) != n:
        raise ParameterError("lang", f"<{len(values)} values>", f"one language per text ({n})")
    if values.dtype == object:
        values = values.where(values.map(lambda v: isinstance(v, str)), None)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapping = np.zeros(len(uniques) + 1, np.int16)
    for j, u in enumerate(uniques):
        c = normalize_lang(u)
        if c is not None:
            if c not in names:
                names.append(c)
            mapping[j] = names.index(c)
    return mapping[codes], names  # the sentinel -1 maps to the last slot, which is 0 (auto)


def string_column(codes: np.ndarray, categories: Sequence[str]) -> pd.api.extensions.ExtensionArray:
    """A pandas ``string`` array from integer codes (-1 = NA), built through Arrow."""
    codes = np.asarray(codes, np.int32)
    mask = codes < 0
    idx = pa.array(codes, mask=mask) if mask.any() else pa.array(codes)
    dictionary = pa.array(list(categories) or [""], type=pa.large_string())
    return pd.array(dictionary.take(idx), dtype=pd.StringDtype())


def label_codes(compound: np.ndarray) -> np.ndarray:
    """0 positive, 1 neutral, 2 negative, 3 unscored (NaN), with the shared thresholds."""
    label = np.full(len(compound), 3, np.int8)
    label[compound >= POSITIVE_THRESHOLD] = 0
    label[(compound > NEGATIVE_THRESHOLD) & (compound < POSITIVE_THRESHOLD)] = 1
    label[compound <= NEGATIVE_THRESHOLD] = 2
    return label


def result_frame(
    lang_codes: np.ndarray,
    lang_names: Sequence[str],
    compound: np.ndarray,
    reason_codes: np.ndarray,
    reason_names: Sequence[str],
    index: pd.Index | None,
) -> pd.DataFrame:
    """The frame :func:`score_texts` returns, from per-row codes.

    ``reason_codes`` 0 means scored; a row that is not scored gets an NA compound, the label
    ``unscored`` and its reason.
    """
    compound = np.asarray(compound, dtype=np.float64)
    reason_codes = np.asarray(reason_codes, dtype=np.int32)
    scored = reason_codes == 0
    missing = ~scored | np.isnan(compound)
    values = np.where(missing, 0.0, compound)
    label = label_codes(np.where(missing, np.nan, compound))
    out = pd.DataFrame(
        {
            "lang": string_column(lang_codes, lang_names),
            "compound": pd.arrays.FloatingArray(values, missing),
            "label": string_column(label, LABELS),
            "reason": string_column(np.where(scored, -1, reason_codes), reason_names),
        },
        index=index,
        copy=False,
    )
    return out
