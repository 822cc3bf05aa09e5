"""``score_texts``: routing, de-duplication, caching and parallel scoring."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..exceptions import ParameterError
from ._base import LABELS, NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, Scorer, scorer_cache_key
from ._cache import ScoreCache, text_keys
from ._english import EnglishScorer
from ._french import FrenchScorer
from ._overrides import as_overrides
from ._routing import _detect_one, _langid, _lexicon_cues, detector_key, normalize_lang
from ._text import _LINKS_RE, content_reason

__all__ = ["COLUMNS", "PARALLEL_MIN_TEXTS", "default_scorers", "score_texts"]

#: Below this many texts to score, everything stays in-process: starting worker processes
#: costs ~0.1 s with fork (Linux) and 1-4 s with spawn (macOS, Windows).
PARALLEL_MIN_TEXTS = 20_000
#: Columns of :func:`score_texts`' result.
COLUMNS = ("lang", "compound", "label", "reason")

_CHUNK = 4_000
_LETTER = re.compile(r"[^\W\d_]")
# reason codes, as stored in the cache
_OK, _EMPTY, _URL_ONLY = 0, 1, 2


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


# -- the work done on texts that are not cached (in-process or in a worker) ------------------
_WORKER_SCORERS: dict[str, Scorer] = {}


def _init_worker(scorers: dict[str, Scorer]) -> None:
    global _WORKER_SCORERS
    _WORKER_SCORERS = scorers


def _reason_code(text: str) -> int:
    if "@" in text or "ttp" in text or "TTP" in text or "ww." in text or "WW." in text:
        if _LETTER.search(_LINKS_RE.sub(" ", text)):
            return _OK
    elif _LETTER.search(text):
        return _OK
    r = content_reason(text)
    return _OK if r is None else _EMPTY if r == "empty" else _URL_ONLY


def _work(
    texts: list[str], routes: list[str], scorers: Mapping[str, Scorer] | None = None
) -> tuple[list[str | None], np.ndarray, np.ndarray]:
    """Reason, language and compound of texts: ``routes`` are "auto" or a scorer language."""
    scorers = _WORKER_SCORERS if scorers is None else scorers
    n = len(texts)
    langs: list[str | None] = [None] * n
    reasons = np.zeros(n, np.int8)
    compound = np.full(n, np.nan)
    buckets: dict[str, list[int]] = {}
    for i, (t, r) in enumerate(zip(texts, routes, strict=True)):
        code = _reason_code(t) if t is not None else _EMPTY
        if code:
            reasons[i] = code
            continue
        lang = _detect_one(t) if r == "auto" else r
        langs[i] = lang
        if lang in scorers:
            buckets.setdefault(lang, []).append(i)
    for lang, idx in buckets.items():
        compound[idx] = scorers[lang].score([texts[i] for i in idx])
    return langs, reasons, compound


def _run(
    texts: list[str], routes: list[str], scorers: dict[str, Scorer], workers: int | None
) -> tuple[list[str | None], np.ndarray, np.ndarray]:
    n = len(texts)
    nw = (os.cpu_count() or 1) if workers is None else workers
    if n < PARALLEL_MIN_TEXTS or nw <= 1:
        return _work(texts, routes, scorers)
    chunks = [(texts[i : i + _CHUNK], routes[i : i + _CHUNK]) for i in range(0, n, _CHUNK)]
    langs: list[str | None] = []
    reasons, compound = [], []
    if "fork" in mp.get_all_start_methods() and sys.platform.startswith("linux"):
        # fork: the workers inherit the scorers already in memory (nothing to pickle, no
        # import). They run pure-Python scoring only, never DuckDB or Arrow, so the native
        # threads those libraries may keep in this process are not needed in the children.
        ctx = mp.get_context("fork")
        kwargs: dict = {}
        _init_worker(scorers)
        if "auto" in routes:  # load the detectors once, here, rather than in each worker
            _lexicon_cues()
            _langid()
    else:
        ctx = mp.get_context("spawn")
        kwargs = {"initializer": _init_worker, "initargs": (scorers,)}
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=".*use of fork\\(\\) may lead to deadlocks.*",
            category=DeprecationWarning,
        )
        with ProcessPoolExecutor(
            max_workers=min(nw, len(chunks)), mp_context=ctx, **kwargs
        ) as pool:
            for lg, rs, cp in pool.map(_work, *zip(*chunks, strict=True)):
                langs.extend(lg)
                reasons.append(rs)
                compound.append(cp)
    return langs, np.concatenate(reasons), np.concatenate(compound)


# -- input handling ----------------------------------------------------------------------------
def _as_arrow(texts: object) -> tuple[pa.Array, pd.Index | None]:
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


def _routes(lang: object, n: int) -> tuple[np.ndarray, list[str]]:
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


def _string_column(codes: np.ndarray, categories: Sequence[str]) -> pd.arrays.StringArray:
    """A pandas string array from integer codes (-1 = NA), built through Arrow."""
    mask = codes < 0
    idx = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask)
    dictionary = pa.array(list(categories) or [""], type=pa.large_string())
    arr = pa.DictionaryArray.from_arrays(idx, dictionary).cast(pa.large_string())
    return pd.array(arr, dtype=pd.StringDtype())


# -- the public function -----------------------------------------------------------------------
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
        overrides are not scored again. Detected languages are cached too.
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

    arr, index = _as_arrow(texts)
    n = len(arr)
    route, route_names = _routes(lang, n)
    if n == 0:
        return _frame(np.zeros(0, np.int16), [], np.zeros(0), np.zeros(0, np.int16), [], index)

    missing = arr.is_null().to_numpy(zero_copy_only=False)
    k1, k2 = text_keys(arr)
    text_code, _ = pd.factorize(k1)
    n_text = int(text_code.max()) + 1
    first = np.empty(n_text, np.int64)
    first[text_code[::-1]] = np.arange(n - 1, -1, -1)
    n_routes = len(route_names)
    if n_routes > 1:
        # a text's language is a property of the text: rows without an export language take
        # the one the export gives the same text elsewhere (so it is read once, not twice)
        given = route > 0
        if given.any():
            hint = np.full(n_text, n_routes, np.int16)
            for r in range(n_routes - 1, 0, -1):  # the smallest code wins
                hint[text_code[route == r]] = r
            inherited = hint[text_code]
            route = np.where((route == 0) & (inherited < n_routes), inherited, route)
    # units = distinct (text, route) pairs; the keys are dense, so no hashing is needed
    pair = text_code.astype(np.int64) * n_routes + route
    present = np.zeros(n_text * n_routes, bool)
    present[pair] = True
    unit_keys = np.flatnonzero(present)
    unit_id = np.cumsum(present) - 1
    unit_of_row = unit_id[pair]
    u_row = first[unit_keys // n_routes]
    u_route = (unit_keys % n_routes).astype(np.int16)
    nu = len(unit_keys)
    u_k1, u_k2 = k1[u_row], k2[u_row]

    # per unit: final language code (index into lang_names, -1 none), reason code, compound
    lang_names: list[str] = []

    def lang_code(name: str) -> int:
        if name not in lang_names:
            lang_names.append(name)
        return lang_names.index(name)

    u_lang = np.full(nu, -1, np.int32)  # language the text is in (detected or given)
    u_reason = np.where(missing[u_row], _EMPTY, _OK).astype(np.int8)
    u_compound = np.full(nu, np.nan)
    u_undetermined = np.zeros(nu, bool)
    for j, name in enumerate(route_names[1:], start=1):
        u_lang[u_route == j] = lang_code(name)

    # 1. language of "auto" texts: from the cache, else computed below
    todo = np.zeros(nu, bool)  # needs _work
    auto = (u_route == 0) & (u_reason == _OK)
    if cache is not None and auto.any():
        idx = np.flatnonzero(auto)
        found, value, reason = cache.lookup(detector_key(), u_k1[idx], u_k2[idx])
        hit = idx[found]
        u_reason[hit] = reason[found]
        codes, names = pd.factorize(value[found])
        mapping = np.array([lang_code(str(v)) if v else -2 for v in names] + [-2], np.int32)
        got = mapping[codes]  # -2: cached as undetermined
        u_lang[hit] = np.where(got >= 0, got, -1)
        u_undetermined[hit] = got == -2
        todo[idx[~found]] = True
    else:
        todo |= auto

    # 2. scores of texts whose language is known, from the cache
    scored_langs = [c for c in lang_names if c in active]
    known = (u_lang >= 0) & (u_reason == _OK) & ~todo
    for name in scored_langs:
        sel = np.flatnonzero(known & (u_lang == lang_names.index(name)))
        if not len(sel):
            continue
        if cache is not None:
            found, value, reason = cache.lookup(
                scorer_cache_key(active[name]), u_k1[sel], u_k2[sel]
            )
            hit = sel[found]
            u_compound[hit] = value[found].astype(np.float64)
            u_reason[hit] = reason[found]
            todo[sel[~found]] = True
        else:
            todo[sel] = True

    # 3. everything else is computed (in parallel for large batches)
    work = np.flatnonzero(todo)
    if len(work):
        rows = u_row[work]
        work_texts = arr.take(pa.array(rows)).to_pylist()
        route_label = np.asarray([*lang_names, "auto"], dtype=object)
        routes = route_label[np.where(u_route[work] == 0, len(lang_names), u_lang[work])].tolist()
        langs, reasons, compound = _run(work_texts, routes, active, workers)
        u_reason[work] = reasons
        u_compound[work] = compound
        langs_arr = np.asarray(langs, dtype=object)
        codes, names = pd.factorize(langs_arr)  # None -> -1
        mapping = np.array([lang_code(str(v)) for v in names] + [-2], np.int32)
        got = np.where(reasons == _OK, mapping[codes], -1)  # -2: no language found
        u_lang[work] = np.where(got >= 0, got, u_lang[work])
        u_undetermined[work] = got == -2
        if cache is not None:
            was_auto = u_route[work] == 0
            if was_auto.any():
                w = work[was_auto]
                got = langs_arr[was_auto]
                value = np.where(pd.isna(got), "", got).astype(object)
                cache.store(detector_key(), u_k1[w], u_k2[w], value, u_reason[w])
            for name in [c for c in lang_names if c in active]:
                m = u_lang[work] == lang_names.index(name)
                m &= (u_reason[work] != _OK) | ~np.isnan(u_compound[work])
                w = work[m]
                if len(w):
                    cache.store(
                        scorer_cache_key(active[name]), u_k1[w], u_k2[w], u_compound[w], u_reason[w]
                    )

    # 4. texts without a detectable language: the batch's main language reads them
    und = np.flatnonzero(u_undetermined & (u_reason == _OK))
    if len(und):
        counts = (
            np.bincount(u_lang[unit_of_row][u_lang[unit_of_row] >= 0], minlength=len(lang_names))
            if len(lang_names)
            else np.zeros(0)
        )
        ranked = [
            lang_names[i]
            for i in np.argsort(-counts, kind="stable")
            if counts[i] > 0 and lang_names[i] in active
        ]
        main = ranked[0] if ranked else next(iter(active))
        code = lang_code(main)
        u_lang[und] = code
        und_texts = arr.take(pa.array(u_row[und])).to_pylist()
        sc = active[main]
        need = np.ones(len(und), bool)
        if cache is not None:
            found, value, reason = cache.lookup(scorer_cache_key(sc), u_k1[und], u_k2[und])
            u_compound[und[found]] = value[found].astype(np.float64)
            need = ~found
        if need.any():
            sub = und[need]
            u_compound[sub] = sc.score([t for t, f in zip(und_texts, need, strict=True) if f])
            if cache is not None:
                cache.store(
                    scorer_cache_key(sc), u_k1[sub], u_k2[sub], u_compound[sub], u_reason[sub]
                )

    # 5. unit results -> rows
    scored = (u_reason == _OK) & ~np.isnan(u_compound)
    # lang column: the scorer's language, only for scored texts
    lang_out = np.where(scored, u_lang, -1)
    # reasons: 0 ok, 1 empty, 2 url_only, 3+ other_language:<code>
    reason_names = ["", "empty", "url_only"]
    reason_out = u_reason.astype(np.int16)
    other = (u_reason == _OK) & ~scored
    for code in np.unique(u_lang[other]):
        name = lang_names[code] if code >= 0 else "und"
        reason_names.append(f"other_language:{name}")
        reason_out[other & (u_lang == code)] = len(reason_names) - 1
    return _frame(
        lang_out[unit_of_row],
        lang_names,
        u_compound[unit_of_row],
        reason_out[unit_of_row],
        reason_names,
        index,
    )


def _frame(lang_codes, lang_names, compound, reason_codes, reason_names, index) -> pd.DataFrame:
    compound = np.asarray(compound, dtype=np.float64)
    reason_codes = np.asarray(reason_codes, dtype=np.int16)
    scored = reason_codes == 0
    compound = np.where(scored, compound, np.nan)
    label = np.full(len(compound), 3, np.int8)
    label[compound >= POSITIVE_THRESHOLD] = 0
    label[(compound > NEGATIVE_THRESHOLD) & (compound < POSITIVE_THRESHOLD)] = 1
    label[compound <= NEGATIVE_THRESHOLD] = 2
    out = pd.DataFrame(
        {
            "lang": _string_column(np.asarray(lang_codes, np.int32), lang_names),
            "compound": pd.array(compound, dtype="Float64"),
            "label": _string_column(label.astype(np.int32), LABELS),
            "reason": _string_column(
                np.where(scored, -1, reason_codes).astype(np.int32), reason_names
            ),
        }
    )
    out["compound"] = out["compound"].mask(~scored)
    if index is not None:
        out.index = index
    return out
