"""``score_texts``: argument checks, the batch memo, and the result frame."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from ._base import Scorer
from ._batch import batch_key
from ._cache import ScoreCache
from ._calibrated import FrenchScorer
from ._english import EnglishScorer
from ._frame import as_arrow, result_frame, routes_of
from ._overrides import as_overrides
from ._pipeline import compute

__all__ = ["COLUMNS", "PARALLEL_MIN_TEXTS", "default_scorers", "score_texts", "scoring_key"]

#: Below this many texts to score, everything stays in-process: starting worker processes
#: costs ~0.1 s with fork (Linux) and 1-4 s with spawn (macOS, Windows).
PARALLEL_MIN_TEXTS = 20_000
#: Columns of :func:`score_texts`' result.
COLUMNS = ("lang", "compound", "label", "reason")

_CHUNK = 4_000


_BUILTIN: dict[str, dict[str, Scorer]] = {}


def default_scorers(overrides: object = None) -> dict[str, Scorer]:
    """The built-in scorers by language: ``{"fr": FrenchScorer, "en": EnglishScorer}``.

    Parameters
    ----------
    overrides : Overrides, mapping, path or None
        Client lexicon overrides applied by both scorers.

    Returns
    -------
    dict
        A new dict (the scorers themselves are built once per override content).
    """
    ov = as_overrides(overrides)
    key = ov.hash if ov else ""
    if key not in _BUILTIN:
        _BUILTIN[key] = {"fr": FrenchScorer(ov), "en": EnglishScorer(ov)}
    return dict(_BUILTIN[key])


def scoring_key(overrides: object = None) -> str:
    """What the built-in scoring of a text depends on, as one SHA-256 hex digest.

    It changes when a scorer's version, lexicon or calibration changes, when the client's
    lexicon overrides change, or when the language detector changes: scores stored under
    another key are stale (the ingest re-scores them, see :mod:`kpi_notebook_lib.ingest`).

    Parameters
    ----------
    overrides : Overrides, mapping, path or None
        Client lexicon overrides.
    """
    import hashlib
    import json

    from ._base import scorer_cache_key
    from ._routing import detector_key

    keys = {code: scorer_cache_key(sc) for code, sc in sorted(default_scorers(overrides).items())}
    blob = json.dumps({"scorers": keys, "detector": detector_key()}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


# -- the public function ---------------------------------------------------------------------
def score_texts(
    texts: Sequence[str] | pd.Series,
    *,
    lang: str | Sequence[str | None] = "auto",
    overrides: object = None,
    cache: ScoreCache | str | os.PathLike | None = None,
    workers: int | None = None,
    scorers: Mapping[str, Scorer] | None = None,
) -> pd.DataFrame:
    """Score the tone of texts, routing each to the scorer of its language.

    Parameters
    ----------
    texts : sequence of str or pandas.Series
        Texts; missing values are allowed (they come back unscored, reason ``empty``).
    lang : {"auto", "fr", "en"} or sequence, default "auto"
        ``"auto"`` detects each text's language; a code forces one language for all texts;
        a sequence gives one code per text (the export's language), where a missing value
        means "detect". Codes are normalised (``"fr-FR"`` -> ``"fr"``).
    overrides : Overrides, mapping, path or None
        Client lexicon overrides (see :func:`load_overrides`), applied by the built-in
        scorers and part of the cache key.
    cache : ScoreCache, path or None
        Persistent cache; texts already scored by the same scorer, version, lexicon and
        overrides are not scored again. Detected languages are cached too. Unless the cache
        was made with ``memo=False``, the whole result is also kept under the content hash
        of ``texts`` and ``lang`` and the scorers' keys: scoring the same batch again reads
        one file.
    workers : int, optional
        Processes used when more than :data:`PARALLEL_MIN_TEXTS` distinct texts need scoring;
        default: every core. ``workers=1`` keeps everything in-process.
    scorers : mapping of str to Scorer, optional
        Scorers by language, merged over :func:`default_scorers` (plug a transformer model
        in here; see the module docstring).

    Returns
    -------
    pandas.DataFrame
        One row per input text, in input order (a Series' index is kept), with columns:

        ``lang``
            Language of the scorer that read the text (``fr``, ``en``); NA when unscored.
        ``compound``
            Score in ``[-1, 1]`` (``Float64``); NA when unscored.
        ``label``
            ``positive`` (compound >= 0.05), ``negative`` (<= -0.05), ``neutral`` or
            ``unscored``.
        ``reason``
            Why a text is unscored: ``empty``, ``url_only`` or ``other_language:<code>``;
            NA when scored.

    Notes
    -----
    Each distinct text is scored once per language. A text whose language cannot be told
    (``"ok"``, emojis only) is read by the scorer of the batch's most frequent language.
    """
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError("workers", workers, "None or a positive integer")
    if cache is not None and not isinstance(cache, ScoreCache):
        cache = ScoreCache(cache)  # type: ignore[arg-type]
    ov = as_overrides(overrides)
    active: dict[str, Scorer] = default_scorers(ov)
    if scorers:
        for code, sc in scorers.items():
            if not isinstance(sc, Scorer):
                raise ParameterError(
                    f"scorers[{code!r}]",
                    sc,
                    "an object with name, version, languages and score(texts)",
                )
            if ov and hasattr(sc, "with_overrides") and getattr(sc, "overrides", None) != ov:
                try:
                    sc = sc.with_overrides(ov)
                except NotImplementedError:
                    pass
            active[code] = sc

    arr, index = as_arrow(texts)
    n = len(arr)
    routes = None
    if not isinstance(lang, str) and not (
        isinstance(lang, pd.Series) and isinstance(lang.dtype, pd.StringDtype)
    ):
        routes = routes_of(lang, n)  # checks lang, and is what the memo key hashes
    elif isinstance(lang, str):
        routes_of(lang, 0)  # checks the code
    elif len(lang) != n:
        raise ParameterError("lang", f"<{len(lang)} values>", f"one language per text ({n})")
    key = None
    if cache is not None and cache.memo and n:
        key = batch_key(arr, lang, active, routes)
        hit = cache.load_batch(key)
        if hit is not None:
            table, meta = hit
            return result_frame(
                table.column("lang").to_numpy(),
                meta["lang_names"],
                table.column("compound").to_numpy(),
                table.column("reason").to_numpy(),
                meta["reason_names"],
                index,
            )
    route, route_names = routes if routes is not None else routes_of(lang, n)
    if n == 0:
        return result_frame(np.zeros(0, np.int8), [], np.zeros(0), np.zeros(0, np.int16), [], index)
    lang_codes, lang_names, compound, reason_codes, reason_names = compute(
        arr, route, route_names, active, cache, workers, (PARALLEL_MIN_TEXTS, _CHUNK)
    )
    if key is not None:
        cache.store_batch(
            key,
            {"lang": lang_codes, "compound": compound, "reason": reason_codes},
            {"lang_names": list(lang_names), "reason_names": list(reason_names)},
        )
    return result_frame(lang_codes, lang_names, compound, reason_codes, reason_names, index)
