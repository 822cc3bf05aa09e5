"""Tone KPIs from the canonical ``mentions`` table: DataFrame in, DataFrame out.

Every function takes the mentions as a long-form DataFrame with the columns of
:data:`kpi_notebook_lib.schema.TABLES` ``["mentions"]`` (``client, platform, mention_id,
published_at, author, author_followers, text, lang, brand, kind, in_reply_to,
addresses_brand, replied_at, compound, sentiment, scored_lang``) plus, where grouping by
period, a ``period`` column added by the caller. Nothing here draws.

"No data" is NA, never 0: a group without scored mentions has NA shares, NA net sentiment and
NA average compound; an author without a follower count has NA followers and NA score.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .exceptions import ParameterError
from .sentiment import score_texts
from .sentiment._lexicon import DATA_DIR
from .sentiment._text import strip_links

__all__ = [
    "BY",
    "ambassadors",
    "detractors",
    "response_to_negative",
    "score_mentions",
    "themes",
    "tone_summary",
    "top_mentions",
]

#: Default grouping of the tone KPIs.
BY: tuple[str, ...] = ("period", "platform", "brand")
#: From this many rows, grouping columns are encoded on two threads.
_THREADED_ROWS = 200_000

_SUMMARY_UNITS = {
    "n_mentions": "count",
    "positive": "count",
    "neutral": "count",
    "negative": "count",
    "unscored": "count",
    "positive_share": "share",
    "neutral_share": "share",
    "negative_share": "share",
    "unscored_share": "share",
    "net_sentiment": "index",
    "net_sentiment_pct": "points",
    "avg_compound": "score",
    "share_of_voice": "share",
}


def _require(data: pd.DataFrame, columns: Sequence[str], name: str = "mentions") -> None:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(name, type(data).__name__, "a pandas DataFrame of mentions")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ParameterError(
            name, f"<columns {list(data.columns)}>", f"a DataFrame with the columns {missing}"
        )


def _by(by: Sequence[str] | str | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def score_mentions(
    mentions: pd.DataFrame,
    *,
    overrides: object = None,
    cache: object = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Fill ``compound``, ``sentiment`` and ``scored_lang`` of a mentions table.

    The export's ``lang`` is used where present; other mentions have their language
    detected. See :func:`kpi_notebook_lib.sentiment.score_texts`.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Long-form DataFrame with at least ``text`` (and optionally ``lang``).
    overrides : Overrides, mapping, path or None
        Client lexicon overrides.
    cache : ScoreCache, path or None
        Persistent score cache.
    workers : int, optional
        Processes for large batches (default: every core).

    Returns
    -------
    pandas.DataFrame
        A copy of ``mentions`` with ``compound`` (Float64, NA when unscored), ``sentiment``
        (positive | neutral | negative | unscored) and ``scored_lang`` (fr, en; NA when
        unscored) filled.
    """
    _require(mentions, ["text"])
    lang = mentions["lang"] if "lang" in mentions.columns else "auto"
    res = score_texts(
        mentions["text"], lang=lang, overrides=overrides, cache=cache, workers=workers
    )
    out = mentions.copy(deep=False)
    out["compound"] = res["compound"].array
    out["sentiment"] = res["label"].array
    out["scored_lang"] = res["lang"].array
    return out


def _codes(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes in order of first appearance (-1 for NA) and the distinct values of a column.

    Arrow-backed string columns are encoded by Arrow (``dictionary_encode``, which releases the
    GIL, so several columns are encoded at once on several cores); anything else by
    :func:`pandas.factorize`. Both give the same codes.
    """
    arr = col.array
    if isinstance(col.dtype, pd.StringDtype) and getattr(col.dtype, "storage", "") == "pyarrow":
        data = pa.array(arr)
        if isinstance(data, pa.ChunkedArray):
            data = data.combine_chunks()
        enc = pc.dictionary_encode(data)
        codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        uniques = pd.Index(pd.array(enc.dictionary, dtype=col.dtype), name=col.name)
        return codes, uniques
    c, u = pd.factorize(col, use_na_sentinel=True)
    return c.astype(np.int64), pd.Index(u, name=col.name)


def _encode_all(data: pd.DataFrame, columns: list[str]) -> list[tuple[np.ndarray, pd.Index]]:
    """:func:`_codes` of several columns, on two threads when the frame is large."""
    cols = [data[c] for c in columns]
    if len(data) < _THREADED_ROWS or len(cols) < 2:
        return [_codes(c) for c in cols]
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(_codes, cols))


def _group_codes(
    data: pd.DataFrame, keys: list[str], encoded: list[tuple[np.ndarray, pd.Index]] | None = None
) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number per row and the key frame of every group.

    A categorical key yields all its categories (mentions or not); a missing key value is a
    group of its own, last (nothing is silently dropped).
    """
    if not keys:
        return np.zeros(len(data), np.int64), pd.DataFrame(index=[0])
    plain = [k for k in keys if not isinstance(data[k].dtype, pd.CategoricalDtype)]
    if encoded is None:
        encoded = _encode_all(data, plain)
    by_name = dict(zip(plain, encoded, strict=True))
    codes = []
    levels = []
    for k in keys:
        col = data[k]
        if isinstance(col.dtype, pd.CategoricalDtype):
            c = col.cat.codes.to_numpy(np.int64)
            u = pd.Index(col.cat.categories, name=k)
        else:
            c, u = by_name[k]
        if (c < 0).any():
            c = np.where(c < 0, len(u), c)
            u = u.append(pd.Index([None], dtype=u.dtype if len(u) else object, name=k))
        codes.append(c)
        levels.append(u)
    observed_only = not any(isinstance(data[k].dtype, pd.CategoricalDtype) for k in keys)
    sizes = [max(len(lv), 1) for lv in levels]
    flat = np.zeros(len(data), np.int64)
    for c, s in zip(codes, sizes, strict=True):
        flat = flat * s + c
    if observed_only:
        present = np.flatnonzero(np.bincount(flat, minlength=int(np.prod(sizes))))
    else:
        present = np.arange(int(np.prod(sizes)))
    keys_frame = {}
    rem = present.copy()
    for k, lv, s in zip(reversed(keys), reversed(levels), reversed(sizes), strict=True):
        keys_frame[k] = lv.take(rem % s) if len(lv) else pd.Index([pd.NA] * len(rem))
        rem = rem // s
    frame = pd.DataFrame({k: np.asarray(keys_frame[k], dtype=object) for k in keys})
    for k in keys:
        frame[k] = frame[k].astype(data[k].dtype)
    lookup = np.full(int(np.prod(sizes)), -1, np.int64)
    lookup[present] = np.arange(len(present))
    return lookup[flat], frame


def _float_values(col: pd.Series) -> np.ndarray:
    """A numeric column as float64 with NaN for missing values (no copy for Float64)."""
    arr = col.array
    if isinstance(arr, pd.arrays.FloatingArray) and arr.dtype == "Float64":
        data, mask = arr._data, arr._mask  # the masked array's own buffers
        return np.where(mask, np.nan, data) if mask.any() else data
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def tone_summary(
    mentions: pd.DataFrame,
    *,
    by: Sequence[str] | str | None = BY,
    wide: bool = False,
) -> pd.DataFrame:
    """Tone KPIs per group: label counts and shares, net sentiment, mean compound, share of voice.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Long-form DataFrame with columns ``sentiment`` and ``compound`` (see
        :func:`score_mentions`) and the ``by`` columns.
    by : sequence of str, default ("period", "platform", "brand")
        Grouping columns. A categorical column yields every category, mentions or not (such a
        group has ``n_mentions`` 0 and NA rates).
    wide : bool, default False
        Return one row per group and one column per metric instead of long form.

    Returns
    -------
    pandas.DataFrame
        Long form: the ``by`` columns, ``metric``, ``value`` (Float64) and ``unit``, with
        metrics

        - ``n_mentions``: all mentions of the group, scored or not;
        - ``positive``, ``neutral``, ``negative``, ``unscored``: counts;
        - ``positive_share``, ``neutral_share``, ``negative_share``: shares of the *scored*
          mentions (NA when none is scored); ``unscored_share``: share of all mentions;
        - ``net_sentiment``: ``(P - N) / (P + N)`` in ``[-1, 1]``, NA when ``P + N = 0``;
        - ``net_sentiment_pct``: ``%P - %N`` of the scored mentions, in percentage points;
        - ``avg_compound``: mean compound of the scored mentions;
        - ``share_of_voice``: the brand's mentions over all brands' mentions in the same
          group without ``brand`` (only when ``brand`` is in ``by``).

    Examples
    --------
    >>> tone_summary(scored, by=("period", "brand"))                 # doctest: +SKIP
    """
    keys = _by(by)
    _require(mentions, ["sentiment", "compound", *keys])
    plain = [k for k in keys if not isinstance(mentions[k].dtype, pd.CategoricalDtype)]
    encoded = _encode_all(mentions, [*plain, "sentiment"])
    group, frame = _group_codes(mentions, keys, encoded[:-1])
    ng = len(frame)
    g = group  # every row has a group (a missing key value is a group of its own)
    lab_codes, lab_names = encoded[-1]
    lab = np.full(len(lab_names) + 1, 3, np.int64)  # 0 pos, 1 neu, 2 neg, 3 anything else
    for j, name in enumerate(lab_names):
        lab[j] = {"positive": 0, "neutral": 1, "negative": 2}.get(str(name), 3)
    label = lab[lab_codes]
    by_label = np.bincount(g * 4 + label, minlength=4 * ng).reshape(ng, 4).astype(np.float64)
    counts = {
        "positive": by_label[:, 0],
        "neutral": by_label[:, 1],
        "negative": by_label[:, 2],
    }
    n = by_label.sum(axis=1)
    scored_n = counts["positive"] + counts["neutral"] + counts["negative"]
    counts["unscored"] = n - scored_n
    comp = _float_values(mentions["compound"])
    has = ~np.isnan(comp) & (label < 3)
    comp_sum = np.bincount(g, weights=np.where(has, comp, 0.0), minlength=ng)
    comp_n = np.bincount(g, weights=has, minlength=ng)

    def ratio(a, b):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)

    p, neg = counts["positive"], counts["negative"]
    metrics = {
        "n_mentions": n,
        "positive": p,
        "neutral": counts["neutral"],
        "negative": neg,
        "unscored": counts["unscored"],
        "positive_share": ratio(p, scored_n),
        "neutral_share": ratio(counts["neutral"], scored_n),
        "negative_share": ratio(neg, scored_n),
        "unscored_share": ratio(counts["unscored"], n),
        "net_sentiment": ratio(p - neg, p + neg),
        "net_sentiment_pct": 100 * (ratio(p, scored_n) - ratio(neg, scored_n)),
        "avg_compound": ratio(comp_sum, comp_n),
    }
    if "brand" in keys:
        rest = [k for k in keys if k != "brand"]
        if rest:
            total = (
                pd.Series(n)
                .groupby(
                    [frame[k].to_numpy(dtype=object, na_value=None) for k in rest], dropna=False
                )
                .transform("sum")
                .to_numpy(np.float64)
            )
        else:
            total = np.full(ng, n.sum())
        metrics["share_of_voice"] = ratio(n, total)
    wide_frame = frame.reset_index(drop=True).copy()
    for name, values in metrics.items():
        wide_frame[name] = pd.arrays.FloatingArray(
            np.where(np.isnan(values), 0.0, values), np.isnan(values)
        )
    if wide:
        return wide_frame
    # long form: groups in order, metrics in catalogue order within each group
    names = list(metrics)
    values = np.column_stack([np.asarray(metrics[m], np.float64) for m in names]).ravel()
    rows = np.repeat(np.arange(ng), len(names))
    long = pd.DataFrame(
        {k: frame[k].take(rows).reset_index(drop=True) for k in keys}, index=range(len(rows))
    )
    long["metric"] = pd.array(np.tile(np.asarray(names, dtype=object), ng), dtype="string")
    long["value"] = pd.arrays.FloatingArray(
        np.where(np.isnan(values), 0.0, values), np.isnan(values)
    )
    units = [_SUMMARY_UNITS[m] for m in names]
    long["unit"] = pd.array(np.tile(np.asarray(units, dtype=object), ng), dtype="string")
    return long


def top_mentions(
    mentions: pd.DataFrame,
    *,
    n: int = 5,
    polarity: str = "positive",
    by: Sequence[str] | str | None = None,
) -> pd.DataFrame:
    """The most positive or most negative mentions, kept as data (text is not escaped).

    Parameters
    ----------
    mentions : pandas.DataFrame
        Scored long-form DataFrame (``sentiment``, ``compound``, ``text``...).
    n : int, default 5
        Mentions per group.
    polarity : {"positive", "negative"}
        Which end of the scale.
    by : sequence of str, optional
        Top ``n`` per group of these columns.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``platform, brand, mention_id, published_at, author,
        author_followers, text, compound`` (those present), strongest first; ties go to the
        author with more followers, then the earlier mention.
    """
    if polarity not in ("positive", "negative"):
        raise ParameterError("polarity", polarity, '"positive" or "negative"')
    if not isinstance(n, int) or n < 1:
        raise ParameterError("n", n, "a positive integer")
    keys = _by(by)
    _require(mentions, ["sentiment", "compound", *keys])
    sel = mentions[mentions["sentiment"] == polarity].copy()
    sel["_c"] = sel["compound"].astype("float64")
    sel["_f"] = (
        sel["author_followers"].astype("float64").fillna(-1) if "author_followers" in sel else 0.0
    )
    sort_cols = [*keys, "_c", "_f"]
    asc = [True] * len(keys) + [polarity == "negative", False]
    if "published_at" in sel:
        sort_cols.append("published_at")
        asc.append(True)
    sel = sel.sort_values(sort_cols, ascending=asc, kind="stable")
    if keys:
        sel = sel.groupby(keys, sort=False, dropna=False, observed=True).head(n)
    else:
        sel = sel.head(n)
    cols = [*keys] + [
        c
        for c in (
            "platform",
            "brand",
            "mention_id",
            "published_at",
            "author",
            "author_followers",
            "text",
            "compound",
        )
        if c in sel.columns and c not in keys
    ]
    return sel[cols].reset_index(drop=True)


@cache
def _stopwords(lang: str) -> frozenset[str]:
    words: set[str] = set()
    with open(DATA_DIR / f"stopwords_{lang}.txt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                words.update(line.split())
    return frozenset(words)


_TERM_RE = re.compile(r"#\w+|[^\W\d_]+(?:['’][^\W\d_]+)?")


def _terms(text: object, stop: frozenset[str]) -> set[str]:
    if not isinstance(text, str):
        return set()
    out = set()
    for t in _TERM_RE.findall(strip_links(text).lower().replace("’", "'")):
        if t.startswith("#"):
            if len(t) > 2:
                out.add(t)
            continue
        if "'" in t:
            head, _, tail = t.partition("'")
            if len(head) <= 2 or head + "'" in stop:  # elision: l'accueil -> accueil
                t = tail
        if len(t) > 2 and t not in stop:
            out.add(t)
    return out


def themes(
    mentions: pd.DataFrame,
    *,
    n: int = 15,
    lang: str | None = None,
    min_count: int = 2,
) -> pd.DataFrame:
    """Words and hashtags most over-represented in negative versus positive mentions.

    Uses the weighted log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi &
    Quinn (2008): the prior is the term counts of every scored mention (negative, neutral and
    positive), so rare terms are shrunk towards the corpus rate and the z-score accounts for
    how much evidence there is. Counts are of mentions containing the term (a mention counts
    once). Stop words (``data/sentiment/stopwords_fr.txt`` and ``stopwords_en.txt``) and
    links are removed; hashtags are kept as ``#tag``.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Scored long-form DataFrame (``text``, ``sentiment``, ``scored_lang``).
    n : int, default 15
        Terms per side.
    lang : {"fr", "en"}, optional
        Keep only mentions scored in that language (and its stop words); default: all, with
        both stop-word lists.
    min_count : int, default 2
        A term must occur in at least this many negative or positive mentions.

    Returns
    -------
    pandas.DataFrame
        Columns ``side`` (``negative`` then ``positive``), ``term``, ``kind`` (word |
        hashtag), ``n_negative``, ``n_positive``, ``log_odds`` (negative over positive) and
        ``z``; the ``n`` terms with the largest ``z`` towards each side. Empty when one of
        the sides has no mention.

    References
    ----------
    Monroe, B. L., Colaresi, M. P., & Quinn, K. M. (2008). Fightin' Words: Lexical Feature
    Selection and Evaluation for Identifying the Content of Political Conflict. *Political
    Analysis*, 16(4), 372-403.
    """
    if lang not in (None, "fr", "en"):
        raise ParameterError("lang", lang, 'None, "fr" or "en"')
    if not isinstance(n, int) or n < 1:
        raise ParameterError("n", n, "a positive integer")
    _require(mentions, ["text", "sentiment"])
    data = mentions
    if lang is not None:
        _require(mentions, ["scored_lang"])
        data = mentions[mentions["scored_lang"] == lang]
        stop = _stopwords(lang)
    else:
        stop = _stopwords("fr") | _stopwords("en")
    label = data["sentiment"].to_numpy(dtype=object, na_value=None)
    texts = data["text"].to_numpy(dtype=object, na_value=None)
    counts = {"negative": Counter(), "positive": Counter(), "all": Counter()}
    docs = {"negative": 0, "positive": 0}
    for t, lab in zip(texts, label, strict=True):
        if lab not in ("positive", "neutral", "negative"):
            continue
        terms = _terms(t, stop)
        counts["all"].update(terms)
        if lab in docs:
            counts[lab].update(terms)
            docs[lab] += 1
    columns = ["side", "term", "kind", "n_negative", "n_positive", "log_odds", "z"]
    if docs["negative"] == 0 or docs["positive"] == 0:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype="float64"
                    if c in ("log_odds", "z")
                    else "Int64"
                    if c.startswith("n_")
                    else "string"
                )
                for c in columns
            }
        )
    neg, pos, prior = counts["negative"], counts["positive"], counts["all"]
    a0 = float(sum(prior.values()))
    n_neg, n_pos = float(sum(neg.values())), float(sum(pos.values()))
    rows = []
    for term, a in prior.items():
        yi, yj = neg.get(term, 0), pos.get(term, 0)
        if max(yi, yj) < min_count:
            continue
        li = math.log((yi + a) / (n_neg + a0 - yi - a))
        lj = math.log((yj + a) / (n_pos + a0 - yj - a))
        delta = li - lj
        z = delta / math.sqrt(1.0 / (yi + a) + 1.0 / (yj + a))
        rows.append((term, yi, yj, delta, z))
    if not rows:
        return pd.DataFrame({c: [] for c in columns}).astype(
            {
                "n_negative": "Int64",
                "n_positive": "Int64",
                "log_odds": "float64",
                "z": "float64",
                "side": "string",
                "term": "string",
                "kind": "string",
            }
        )
    df = pd.DataFrame(rows, columns=["term", "n_negative", "n_positive", "log_odds", "z"])
    top_neg = df[df["z"] > 0].sort_values(["z", "term"], ascending=[False, True]).head(n)
    top_pos = df[df["z"] < 0].sort_values(["z", "term"], ascending=[True, True]).head(n)
    out = pd.concat(
        [top_neg.assign(side="negative"), top_pos.assign(side="positive")], ignore_index=True
    )
    out["kind"] = np.where(out["term"].str.startswith("#"), "hashtag", "word")
    out = out[columns]
    return out.astype(
        {
            "side": "string",
            "term": "string",
            "kind": "string",
            "n_negative": "Int64",
            "n_positive": "Int64",
        }
    )


def _authors(mentions, polarity, minimum, n, by, name) -> pd.DataFrame:
    if not isinstance(minimum, int) or minimum < 1:
        raise ParameterError(name, minimum, "a positive integer")
    if not isinstance(n, int) or n < 1:
        raise ParameterError("n", n, "a positive integer")
    keys = _by(by)
    _require(mentions, ["author", "sentiment", *keys])
    data = mentions[mentions["author"].notna()]
    lab = data["sentiment"]
    frame = data[[*keys, "author"]].copy()
    frame["positive_mentions"] = (lab == "positive").astype("int64").to_numpy()
    frame["negative_mentions"] = (lab == "negative").astype("int64").to_numpy()
    if "author_followers" in data.columns:
        followers = data["author_followers"].astype("Float64")
        if "published_at" in data.columns:
            order = np.argsort(data["published_at"].to_numpy(), kind="stable")
        else:
            order = np.arange(len(data))
        frame["followers"] = followers.to_numpy()
        frame = frame.iloc[order]
    else:
        frame["followers"] = pd.array([pd.NA] * len(frame), dtype="Float64")
    agg = (
        frame.groupby([*keys, "author"], sort=True, dropna=False, observed=True)
        .agg(
            positive_mentions=("positive_mentions", "sum"),
            negative_mentions=("negative_mentions", "sum"),
            followers=("followers", "last"),  # the latest known count
        )
        .reset_index()
    )
    count_col = f"{polarity}_mentions"
    agg = agg[agg[count_col] >= minimum].copy()
    agg["followers"] = agg["followers"].astype("Float64").round().astype("Int64")
    f = agg["followers"].to_numpy(dtype=np.float64, na_value=np.nan)
    score = agg[count_col].to_numpy(np.float64) * np.log10(1 + np.where(f >= 0, f, np.nan))
    agg["score"] = pd.array(score, dtype="Float64")
    agg["score"] = agg["score"].mask(np.isnan(score))
    agg["positive_mentions"] = agg["positive_mentions"].astype("Int64")
    agg["negative_mentions"] = agg["negative_mentions"].astype("Int64")
    agg = agg.sort_values(
        [*keys, "score", count_col, "author"],
        ascending=[True] * len(keys) + [False, False, True],
        na_position="last",
        kind="stable",
    )
    if keys:
        agg = agg.groupby(keys, sort=False, dropna=False, observed=True).head(n)
    else:
        agg = agg.head(n)
    return agg[
        [*keys, "author", "positive_mentions", "negative_mentions", "followers", "score"]
    ].reset_index(drop=True)


def ambassadors(
    mentions: pd.DataFrame,
    *,
    min_positive: int = 2,
    n: int = 10,
    by: Sequence[str] | str | None = None,
) -> pd.DataFrame:
    """Authors with repeated positive mentions, weighted by reach.

    ``score = positive_mentions * log10(1 + followers)``, with ``followers`` the author's
    latest known ``author_followers``; NA followers give an NA score, ranked last (no reach
    data is not zero reach).

    Parameters
    ----------
    mentions : pandas.DataFrame
        Scored long-form DataFrame (``author``, ``sentiment``, ``author_followers``,
        ``published_at``).
    min_positive : int, default 2
        Minimum number of positive mentions.
    n : int, default 10
        Authors returned (per group when ``by`` is given).
    by : sequence of str, optional
        Split by these columns first, e.g. ``("platform",)``: the same handle on two
        platforms may be two people.

    Returns
    -------
    pandas.DataFrame
        Columns ``author, positive_mentions, negative_mentions, followers, score`` (after the
        ``by`` columns), best first.
    """
    return _authors(mentions, "positive", min_positive, n, by, "min_positive")


def detractors(
    mentions: pd.DataFrame,
    *,
    min_negative: int = 2,
    n: int = 10,
    by: Sequence[str] | str | None = None,
) -> pd.DataFrame:
    """Authors with repeated negative mentions, weighted by reach (see :func:`ambassadors`).

    ``score = negative_mentions * log10(1 + followers)``.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Scored long-form DataFrame.
    min_negative : int, default 2
        Minimum number of negative mentions.
    n : int, default 10
        Authors returned (per group when ``by`` is given).
    by : sequence of str, optional
        Split by these columns first.

    Returns
    -------
    pandas.DataFrame
        Columns ``author, positive_mentions, negative_mentions, followers, score``, worst
        first.
    """
    return _authors(mentions, "negative", min_negative, n, by, "min_negative")


def response_to_negative(
    mentions: pd.DataFrame,
    *,
    by: Sequence[str] | str | None = BY,
) -> pd.DataFrame:
    """Response rate and median response time to negative mentions that addressed the brand.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Scored long-form DataFrame with ``sentiment``, ``addresses_brand``, ``published_at``,
        ``replied_at`` and the ``by`` columns.
    by : sequence of str, default ("period", "platform", "brand")
        Grouping columns (categoricals yield every category).

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``n_negative`` (negative mentions that
        addressed the brand), ``n_replied``, ``response_rate`` (NA when ``n_negative`` is 0)
        and ``median_response_hours`` (NA when nothing was replied). A reply dated before
        its mention is an export error: it counts as replied, but not in the median.
    """
    keys = _by(by)
    _require(mentions, ["sentiment", "addresses_brand", "published_at", "replied_at", *keys])
    addressed = mentions["addresses_brand"].astype("boolean").fillna(False).to_numpy(bool)
    negative = (mentions["sentiment"] == "negative").fillna(False).to_numpy(bool)
    group, frame = _group_codes(mentions, keys)
    ng = len(frame)
    sel = addressed & negative & (group >= 0)
    g = group[sel]
    replied_at = pd.to_datetime(mentions["replied_at"], utc=True)
    published = pd.to_datetime(mentions["published_at"], utc=True)
    replied = replied_at.notna().to_numpy(bool)[sel]
    hours = ((replied_at - published).dt.total_seconds() / 3600.0).to_numpy(
        dtype=np.float64, na_value=np.nan
    )[sel]
    n_neg = np.bincount(g, minlength=ng).astype(np.float64)
    n_rep = np.bincount(g[replied], minlength=ng).astype(np.float64)
    med = np.full(ng, np.nan)
    valid = replied & (hours >= 0)
    if valid.any():
        s = pd.Series(hours[valid]).groupby(g[valid]).median()
        med[s.index.to_numpy()] = s.to_numpy()
    out = frame.reset_index(drop=True).copy()
    out["n_negative"] = pd.array(n_neg.astype(np.int64), dtype="Int64")
    out["n_replied"] = pd.array(n_rep.astype(np.int64), dtype="Int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n_neg > 0, n_rep / np.where(n_neg > 0, n_neg, 1), np.nan)
    out["response_rate"] = pd.array(rate, dtype="Float64")
    out["response_rate"] = out["response_rate"].mask(np.isnan(rate))
    out["median_response_hours"] = pd.array(med, dtype="Float64")
    out["median_response_hours"] = out["median_response_hours"].mask(np.isnan(med))
    return out
