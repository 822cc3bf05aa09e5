"""The work behind :func:`score_texts`: de-duplication, routing, cache look-ups, scoring.

Rows are reduced to *units*, distinct (text, route) pairs; each unit is looked up in the
per-text cache or scored once, on every core for large batches; results go back to rows.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import sys
import threading
import warnings
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa

from ._base import Scorer, scorer_cache_key
from ._cache import ScoreCache, text_keys
from ._routing import _detect_one, _langid, _lexicon_cues, detector_key
from ._text import _LINKS_RE, content_reason

__all__ = ["compute"]

_LETTER = re.compile(r"[^\W\d_]")
# reason codes, as stored in the cache
_OK, _EMPTY, _URL_ONLY = 0, 1, 2


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


_FORK_TEXTS: list[str] = []
_FORK_ROUTES: list[str] = []


def _work_range(start: int, stop: int) -> tuple[list[str | None], np.ndarray, np.ndarray]:
    """:func:`_work` on a slice of the texts a forked worker inherited."""
    return _work(_FORK_TEXTS[start:stop], _FORK_ROUTES[start:stop])


def _run(
    texts: list[str],
    routes: list[str],
    scorers: dict[str, Scorer],
    workers: int | None,
    parallel: tuple[int, int],
) -> tuple[list[str | None], np.ndarray, np.ndarray]:
    """Score ``texts`` in-process, or over a process pool for large batches.

    ``parallel`` is (minimum number of texts for a pool, texts per task).
    """
    global _FORK_TEXTS, _FORK_ROUTES
    n = len(texts)
    min_texts, chunk = parallel
    nw = (os.cpu_count() or 1) if workers is None else workers
    if n < min_texts or nw <= 1:
        return _work(texts, routes, scorers)
    bounds = [(i, min(i + chunk, n)) for i in range(0, n, chunk)]
    fork = "fork" in mp.get_all_start_methods() and sys.platform.startswith("linux")
    if fork:
        # fork: the workers inherit the scorers and the texts already in memory (nothing to
        # pickle but slice bounds, no import). They run pure-Python scoring only, never
        # DuckDB or Arrow, so the native threads those libraries may keep in this process
        # are not needed in the children.
        ctx = mp.get_context("fork")
        kwargs: dict = {}
        _init_worker(scorers)
        _FORK_TEXTS, _FORK_ROUTES = texts, routes
        if "auto" in routes:  # load the detectors once, here, rather than in each worker
            _lexicon_cues()
            _langid()
        fn, args = _work_range, list(zip(*bounds, strict=True))
    else:
        ctx = mp.get_context("spawn")
        kwargs = {"initializer": _init_worker, "initargs": (scorers,)}
        fn = _work
        args = [[texts[a:b] for a, b in bounds], [routes[a:b] for a, b in bounds]]
    langs: list[str | None] = []
    reasons, compound = [], []
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore",
                message=".*use of fork\\(\\) may lead to deadlocks.*",
                category=DeprecationWarning,
            )
            with ProcessPoolExecutor(
                max_workers=min(nw, len(bounds)), mp_context=ctx, **kwargs
            ) as pool:
                for lg, rs, cp in pool.map(fn, *args):
                    langs.extend(lg)
                    reasons.append(rs)
                    compound.append(cp)
    finally:
        _FORK_TEXTS, _FORK_ROUTES = [], []
    return langs, np.concatenate(reasons), np.concatenate(compound)


def compute(
    arr: pa.Array,
    route: np.ndarray,
    route_names: list[str],
    active: Mapping[str, Scorer],
    cache: ScoreCache | None,
    workers: int | None,
    parallel: tuple[int, int],
) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray, list[str]]:
    """Per-row language code, language names, compound, reason code and reason names.

    Reason code 0 means scored; 1 empty, 2 url_only, 3+ ``other_language:<code>`` (names in
    the returned list, index = code).
    """
    n = len(arr)
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
        preload = None
        if len(work) >= parallel[0] and (u_route[work] == 0).any():
            # py3langid's model is decompressed (LZMA, which releases the GIL) while the texts
            # are gathered; the pool is only forked after it is loaded
            preload = threading.Thread(target=_langid, daemon=True)
            preload.start()
        rows = u_row[work]
        work_texts = arr.take(pa.array(rows)).to_pylist()
        route_label = np.asarray([*lang_names, "auto"], dtype=object)
        routes = route_label[np.where(u_route[work] == 0, len(lang_names), u_lang[work])].tolist()
        if preload is not None:
            preload.join()
        langs, reasons, compound = _run(work_texts, routes, active, workers, parallel)
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
    return (
        lang_out[unit_of_row].astype(np.int8),
        lang_names,
        u_compound[unit_of_row],
        reason_out[unit_of_row],
        reason_names,
    )
