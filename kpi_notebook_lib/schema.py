"""The canonical data model: the contract every importer writes to.

Five long-form tables, stored per client under ``<workspace>/store/``:

``posts``
    One row per published post with its lifetime metrics.
``audience``
    One row per account per (local) day.
``mentions``
    One row per mention of, or comment to, the client or a named competitor.
``conversions``
    One row per day and traffic source.
``benchmarks``
    One row per brand (the client's or a competitor's), platform and local day: the *public*
    figures a benchmarking tool collects for every brand alike (followers, posts, reactions,
    comments, shares, views). Read by :mod:`kpi_notebook_lib.benchmarks`, never by the KPI
    engine.

Timestamps are stored in UTC (``datetime64[ns, UTC]``); period boundaries are applied later in
the client's time zone. Dates (``audience.date``, ``conversions.date``, ``benchmarks.date``) are
local calendar days. A metric that a platform does not give is NA, never 0.

Every row also carries its provenance: ``source_file`` (path relative to the client folder),
``source_hash`` (SHA-256 of the file), ``source_row`` (1-based line in the file, as a spreadsheet
shows it) and ``exported_at`` (when the platform produced the export, UTC).

:func:`validate` checks a frame against its table and splits it into valid rows and a long-form
quarantine (``file, row, column, value, reason``): every failure is collected, nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .exceptions import CatalogError

__all__ = [
    "PLATFORMS",
    "POST_FORMATS",
    "PROVENANCE",
    "QUARANTINE_COLUMNS",
    "REACH_BOUNDED_PLATFORMS",
    "TABLES",
    "Column",
    "Table",
    "coerce",
    "empty",
    "validate",
]

#: Platform identifiers used everywhere (importers, KPIs, reports).
PLATFORMS: tuple[str, ...] = ("facebook", "instagram", "x", "linkedin", "youtube", "tiktok")

#: Post formats after normalisation by the importers.
POST_FORMATS: tuple[str, ...] = (
    "text",
    "image",
    "video",
    "carousel",
    "reel",
    "story",
    "link",
    "short",
    "live",
    "document",
    "poll",
    "other",
)

#: Platforms whose post ``reach`` (unique accounts) can never exceed ``impressions`` (total
#: displays). On YouTube "impressions" are thumbnail impressions and no reach is reported, so the
#: rule does not apply there.
REACH_BOUNDED_PLATFORMS: frozenset[str] = frozenset(
    {"facebook", "instagram", "linkedin", "x", "tiktok"}
)

#: Long-form quarantine columns.
QUARANTINE_COLUMNS: list[str] = ["table", "file", "row", "column", "value", "reason"]


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    Parameters
    ----------
    name : str
        Column name.
    dtype : {"string", "Int64", "Float64", "boolean", "timestamp", "date"}
        Logical type. ``timestamp`` is a UTC-aware datetime, ``date`` a local calendar day
        (stored as ``datetime64`` at midnight, no time zone).
    required : bool
        Must be present and non-null on every row.
    nonnegative : bool
        Numeric values must be ``>= 0`` (counts, money).
    description : str
        What the column holds.
    """

    name: str
    dtype: str
    required: bool = False
    nonnegative: bool = False
    description: str = ""


@dataclass(frozen=True)
class Table:
    """A canonical table: its columns and natural key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str = ""
    metrics: tuple[str, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        """Column names, provenance included, in canonical order."""
        return [c.name for c in self.columns] + [c.name for c in PROVENANCE]

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in (*self.columns, *PROVENANCE):
            if c.name == name:
                return c
        raise CatalogError(
            f"The `{self.name}` table has no column {name!r}; its columns are {self.names}."
        )


def _count(name: str, description: str) -> Column:
    return Column(name, "Int64", nonnegative=True, description=description)


PROVENANCE: tuple[Column, ...] = (
    Column("source_file", "string", description="Export file, relative to the client folder."),
    Column("source_hash", "string", description="SHA-256 of the export file."),
    Column("source_row", "Int64", description="1-based line of the row in the export file."),
    Column("exported_at", "timestamp", description="When the platform produced the export."),
)

_POST_METRICS = (
    _count("impressions", "Times the post was displayed."),
    _count("reach", "Unique accounts that saw the post."),
    _count("views", "Views as the platform counts them (Meta 'Views', TikTok, YouTube)."),
    _count("reactions", "Likes and reactions."),
    _count("comments", "Comments or replies."),
    _count("shares", "Shares, reposts, retweets."),
    _count("saves", "Saves and bookmarks."),
    _count("clicks", "All clicks on the post."),
    _count("link_clicks", "Clicks on the post's link."),
    _count("video_views", "Video plays (platform definition)."),
    _count("profile_visits", "Profile visits from the post."),
    _count("follows", "Follows attributed to the post."),
)

_POSTS = Table(
    "posts",
    (
        Column("client", "string", required=True),
        Column("platform", "string", required=True),
        Column("account", "string", required=True),
        Column("post_id", "string", required=True),
        Column("published_at", "timestamp", required=True),
        Column("format", "string"),
        Column("text", "string"),
        Column("permalink", "string"),
        Column("campaign", "string"),
        Column("paid", "boolean"),
        *_POST_METRICS,
        Column(
            "platform_engagement_rate",
            "Float64",
            description="Rate reported by the platform; "
            "kept only to cross-check our own computation.",
        ),
    ),
    key=("client", "platform", "post_id"),
    description="One row per published post, lifetime metrics.",
    metrics=tuple(c.name for c in _POST_METRICS),
)

_AUDIENCE_METRICS = (
    _count("followers", "Followers at the end of the day."),
    _count("new_followers", "Follows gained that day."),
    _count("lost_followers", "Follows lost that day."),
    _count("profile_visits", "Profile or page visits that day."),
    _count("impressions", "Page-level impressions that day."),
    _count("reach", "Page-level daily reach."),
)

_AUDIENCE = Table(
    "audience",
    (
        Column("client", "string", required=True),
        Column("platform", "string", required=True),
        Column("account", "string", required=True),
        Column("date", "date", required=True),
        *_AUDIENCE_METRICS,
    ),
    key=("client", "platform", "account", "date"),
    description="One row per account per local day.",
    metrics=tuple(c.name for c in _AUDIENCE_METRICS),
)

_MENTIONS = Table(
    "mentions",
    (
        Column("client", "string", required=True),
        Column("platform", "string", required=True),
        Column("mention_id", "string", required=True),
        Column("published_at", "timestamp", required=True),
        Column("author", "string"),
        Column("author_followers", "Int64", nonnegative=True),
        Column("text", "string"),
        Column("lang", "string", description="Language given by the export (ISO 639-1), if any."),
        Column(
            "brand",
            "string",
            required=True,
            description="Brand mentioned: the client's id or a competitor's id.",
        ),
        Column("kind", "string", description="mention | comment | reply | review | message."),
        Column("in_reply_to", "string", description="Post id the mention answers, if any."),
        Column(
            "addresses_brand",
            "boolean",
            description="The author asks or tells the brand something (expects an answer).",
        ),
        Column("replied_at", "timestamp", description="When the brand replied, if it did."),
        Column("compound", "Float64", description="Tone score in [-1, 1], filled at ingest."),
        Column(
            "sentiment",
            "string",
            description="positive | neutral | negative | unscored, filled at ingest.",
        ),
        Column("scored_lang", "string", description="Language the scorer used (fr, en)."),
    ),
    key=("client", "platform", "mention_id"),
    description="One row per mention or comment.",
)

_CONVERSION_METRICS = (
    _count("sessions", "Sessions on the site from that source."),
    _count("leads", "Leads (forms, sign-ups, quote requests)."),
    _count("sales", "Orders."),
    Column("revenue", "Float64", nonnegative=True, description="Revenue, client currency."),
    Column("ad_spend", "Float64", nonnegative=True, description="Ad spend, client currency."),
)

_CONVERSIONS = Table(
    "conversions",
    (
        Column("client", "string", required=True),
        Column("date", "date", required=True),
        Column(
            "source",
            "string",
            required=True,
            description="A platform id for social traffic, else e.g. 'other'.",
        ),
        Column("campaign", "string"),
        *_CONVERSION_METRICS,
    ),
    key=("client", "date", "source", "campaign"),
    description="Per day and source: leads, sales, revenue, ad spend.",
    metrics=tuple(c.name for c in _CONVERSION_METRICS),
)

_BENCHMARK_METRICS = (
    _count("followers", "Followers at the end of the day (public count)."),
    _count("posts", "Posts published that day."),
    _count("reactions", "Likes and reactions of that day's posts (public counts, summed)."),
    _count("comments", "Comments on that day's posts (public counts, summed)."),
    _count("shares", "Shares and reposts of that day's posts (public counts, summed)."),
    _count("views", "Views of that day's posts, where the platform shows them publicly."),
)

_BENCHMARKS = Table(
    "benchmarks",
    (
        Column("client", "string", required=True),
        Column(
            "brand",
            "string",
            required=True,
            description="Brand measured: the client's id or a competitor's id (as in mentions).",
        ),
        Column("platform", "string", required=True),
        Column("date", "date", required=True, description="Local day, in the client's zone."),
        *_BENCHMARK_METRICS,
    ),
    key=("client", "brand", "platform", "date"),
    description="Public figures per brand, platform and local day (competitor benchmarks).",
    metrics=tuple(c.name for c in _BENCHMARK_METRICS),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (_POSTS, _AUDIENCE, _MENTIONS, _CONVERSIONS, _BENCHMARKS)
}

_PANDAS_DTYPES = {
    "string": "string",
    "Int64": "Int64",
    "Float64": "Float64",
    "boolean": "boolean",
    "timestamp": "datetime64[ns, UTC]",
    "date": "datetime64[ns]",
}


def _table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise CatalogError(
            f"The table must be one of {sorted(TABLES)}, but {name!r} was passed."
        ) from None


def empty(table: str) -> pd.DataFrame:
    """Return an empty, correctly typed frame for ``table``."""
    t = _table(table)
    return pd.DataFrame({c: pd.Series(dtype=_PANDAS_DTYPES[t.column(c).dtype]) for c in t.names})


def coerce(table: str, data: pd.DataFrame) -> pd.DataFrame:
    """Return ``data`` with the canonical columns, order and dtypes of ``table``.

    Missing optional columns are added as NA. Values must already be parsed (importers parse
    text; this only casts). Extra columns are dropped.

    Parameters
    ----------
    table : str
        Canonical table name.
    data : pandas.DataFrame
        Frame with (a subset of) the canonical columns.

    Returns
    -------
    pandas.DataFrame
    """
    t = _table(table)
    out = {}
    n = len(data)
    for name in t.names:
        dtype = t.column(name).dtype
        if name in data.columns:
            s = data[name]
        else:
            s = pd.Series([pd.NA] * n, index=data.index, dtype="object")
        if dtype == "timestamp":
            s = pd.to_datetime(s, utc=True).astype("datetime64[ns, UTC]")
        elif dtype == "date":
            s = pd.to_datetime(s).astype("datetime64[ns]")
            if s.dt.tz is not None:  # pragma: no cover - defensive
                s = s.dt.tz_localize(None)
            s = s.dt.normalize()
        elif dtype in ("Int64", "Float64"):
            s = pd.to_numeric(s, errors="raise")
            if dtype == "Int64" and s.dtype.kind == "f":
                frac = s.dropna() % 1
                if (frac != 0).any():
                    bad = s[s.notna() & (s % 1 != 0)].iloc[0]
                    raise ValueError(f"column {name!r} holds a non-integer count {bad!r}")
            s = s.astype(dtype)
        else:
            s = s.astype(_PANDAS_DTYPES[dtype])
        out[name] = s
    return pd.DataFrame(out, index=data.index)


def validate(table: str, data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate a coerced frame and split it into valid rows and quarantined failures.

    Every failure is collected (pandera's lazy validation), then reported in long form with the
    file, row, column and value it is about. A row with at least one failure is quarantined
    whole: it never reaches the store, and it is never silently dropped.

    Checks: required columns non-null; counts and money non-negative; ``platform`` known;
    ``reach <= impressions`` on platforms where reach is a count of unique accounts
    (:data:`REACH_BOUNDED_PLATFORMS`); ``new_followers``/``lost_followers`` non-negative; natural
    key unique within the frame (duplicates within one file are quarantined, not guessed).

    Parameters
    ----------
    table : str
        Canonical table name.
    data : pandas.DataFrame
        Output of :func:`coerce`.

    Returns
    -------
    valid : pandas.DataFrame
        Rows that passed every check.
    quarantine : pandas.DataFrame
        Long-form failures with columns ``table, file, row, column, value, reason``.
    """
    import pandera.pandas as pa  # imported lazily: pandera is slow to import

    t = _table(table)
    columns = {}
    for c in t.columns:
        checks = []
        if c.nonnegative:
            checks.append(pa.Check.ge(0, error="must be >= 0"))
        if c.name == "platform" and table != "conversions":
            checks.append(pa.Check.isin(PLATFORMS, error=f"must be one of {', '.join(PLATFORMS)}"))
        columns[c.name] = pa.Column(nullable=not c.required, checks=checks or None, coerce=False)

    wide_checks = []
    if table == "posts":
        wide_checks.append(
            pa.Check(
                lambda df: (
                    ~(
                        df["platform"].isin(REACH_BOUNDED_PLATFORMS)
                        & (df["reach"] > df["impressions"]).fillna(False)
                    )
                ),
                error="reach > impressions, impossible on this platform",
            )
        )
    schema = pa.DataFrameSchema(columns, checks=wide_checks, strict=False)
    failures: list[pd.DataFrame] = []
    try:
        schema.validate(data, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        fc = fc[fc["index"].notna()]
        wide = fc["schema_context"].eq("DataFrameSchema")
        failures.append(
            pd.DataFrame(
                {
                    "index": fc["index"].to_numpy(),
                    # the only frame-wide check is reach <= impressions
                    "column": np.where(wide, "reach", fc["column"].astype(str)),
                    "reason": [_reason(c) for c in fc["check"]],
                }
            )
        )
    dup = data.duplicated(list(t.key), keep=False)
    if dup.any():
        failures.append(
            pd.DataFrame(
                {
                    "index": data.index[dup],
                    "column": t.key[-1],
                    "reason": f"duplicate {'/'.join(t.key)} within the same file",
                }
            )
        )
    if not failures:
        return data, pd.DataFrame(columns=QUARANTINE_COLUMNS)
    fails = pd.concat(failures, ignore_index=True)
    fails = fails.drop_duplicates(["index", "column", "reason"])
    bad_rows = data.loc[data.index.isin(fails["index"])]
    rows = bad_rows.reindex(fails["index"].to_numpy())
    values = [_cell(data, i, c) for i, c in zip(fails["index"], fails["column"], strict=True)]
    quarantine = pd.DataFrame(
        {
            "table": table,
            "file": rows["source_file"].to_numpy() if "source_file" in rows else pd.NA,
            "row": rows["source_row"].to_numpy() if "source_row" in rows else pd.NA,
            "column": fails["column"].to_numpy(),
            "value": values,
            "reason": fails["reason"].to_numpy(),
        }
    )
    valid = data.loc[~data.index.isin(fails["index"])]
    return valid, quarantine.reset_index(drop=True)


def _cell(data: pd.DataFrame, index, column: str) -> str:
    if column not in data.columns:
        return ""
    v = data.at[index, column]
    if column == "reach" and "impressions" in data.columns:
        return f"reach={_fmt(v)}, impressions={_fmt(data.at[index, 'impressions'])}"
    return _fmt(v)


def _fmt(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "<NA>"
    return str(v)


def _reason(check: str) -> str:
    check = str(check)
    if check.startswith("not_nullable"):
        return "required value is missing"
    return check
