"""Write frames as the toolkit's CSV templates (see ``kpi_notebook_lib.io.template``).

UTF-8, comma-separated, canonical column names as header; timestamps ISO 8601 with a UTC offset,
dates ``YYYY-MM-DD``, NA as an empty cell, booleans ``true``/``false``. Every file ends with an
``exported_at`` column (the day after the last day of data), so that ingesting the samples never
falls back on file modification times. The platforms' own export formats are written by
:mod:`_gen.raw_writers`; the sample workspace keeps templates only for what no platform exports
(mentions, conversions, the follower counts of X, LinkedIn and YouTube, and the competitor
benchmarks: :func:`write_benchmark_exports`).
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from kpi_notebook_lib.io.template import template_header
from kpi_notebook_lib.schema import TABLES

from .specs import END, START
from .timeline import fmt_ts

__all__ = [
    "BENCHMARK_WINDOWS",
    "EXPORTED_AT",
    "TEMPLATE_COLUMNS",
    "format_frame",
    "write_benchmark_exports",
    "write_csv",
    "write_template",
    "write_template_exports",
]

#: When the template files were "exported": 08:00 UTC the day after the last day of data.
EXPORTED_AT: datetime = datetime.combine(END + timedelta(days=1), datetime.min.time()).replace(
    hour=8, tzinfo=UTC
)

#: Columns filled at ingest, never in an export.
_INGEST_ONLY = {"compound", "sentiment", "scored_lang"}

#: Template columns written per table.
TEMPLATE_COLUMNS: dict[str, list[str]] = {
    t: [c for c in template_header(t) if c not in _INGEST_ONLY] for t in TABLES
}
_SORT = {
    "posts": ["published_at", "post_id"],
    "audience": ["date"],
    "mentions": ["published_at", "platform", "mention_id"],
    "conversions": ["date", "source"],
    "benchmarks": ["date", "brand", "platform"],
}


def _cell_numbers(s: pd.Series, decimals: int | None) -> list[str]:
    if decimals is None:
        return ["" if pd.isna(v) else str(int(v)) for v in s]
    return ["" if pd.isna(v) else f"{float(v):.{decimals}f}" for v in s]


def format_frame(
    table: str,
    data: pd.DataFrame,
    columns: list[str] | None = None,
    exported_at: datetime | None = None,
) -> pd.DataFrame:
    """Return ``data`` as template text cells, in canonical order.

    ``columns`` restricts the template columns written (default: all); ``exported_at`` adds
    that column, the same on every row.
    """
    t = TABLES[table]
    data = data.sort_values(_SORT[table], kind="stable", ignore_index=True)
    names = list(columns or TEMPLATE_COLUMNS[table])
    out = {}
    for name in names:
        if name not in data.columns:
            out[name] = [""] * len(data)
            continue
        s = data[name]
        dtype = t.column(name).dtype
        if dtype == "timestamp":
            out[name] = fmt_ts(pd.to_datetime(s, utc=True))
        elif dtype == "date":
            out[name] = list(pd.to_datetime(s).dt.strftime("%Y-%m-%d"))
        elif dtype == "boolean":
            out[name] = ["" if pd.isna(v) else ("true" if v else "false") for v in s]
        elif dtype == "Int64":
            out[name] = _cell_numbers(s, None)
        elif dtype == "Float64":
            out[name] = _cell_numbers(s, 4 if name == "platform_engagement_rate" else 2)
        else:
            out[name] = ["" if pd.isna(v) else str(v) for v in s]
    if exported_at is not None:
        names.append("exported_at")
        out["exported_at"] = [exported_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")] * len(data)
    return pd.DataFrame(out, columns=names)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write text cells as UTF-8 CSV with ``\\n`` line ends (byte-stable across runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(text.encode("utf-8"))
    return path


def write_template(
    table: str,
    data: pd.DataFrame,
    path: Path,
    *,
    columns: list[str] | None = None,
    exported_at: datetime | None = EXPORTED_AT,
) -> Path:
    """Write ``data`` as one template file (see :func:`format_frame`)."""
    return write_csv(format_frame(table, data, columns, exported_at), path)


def write_template_exports(
    frames: dict[str, pd.DataFrame],
    client_dir: Path,
    tables: tuple[str, ...] = ("posts", "audience", "mentions", "conversions"),
) -> list[Path]:
    """Write one client's frames as template exports under ``client_dir/exports``.

    Layout: ``<platform>/posts.csv`` and ``<platform>/audience.csv`` per platform,
    ``listening/mentions.csv`` (every platform and brand) and ``crm/conversions.csv``; only the
    ``tables`` asked for.
    """
    exports = Path(client_dir) / "exports"
    targets = []
    for table in ("posts", "audience"):
        if table not in tables:
            continue
        data = frames[table]
        for platform in sorted(data["platform"].unique()):
            part = data[data["platform"] == platform]
            targets.append((table, part, exports / platform / f"{table}.csv"))
    if "mentions" in tables:
        targets.append(("mentions", frames["mentions"], exports / "listening" / "mentions.csv"))
    if "conversions" in tables:
        targets.append(("conversions", frames["conversions"], exports / "crm" / "conversions.csv"))
    return [write_template(table, data, path) for table, data, path in targets]


def _half_years() -> tuple[tuple[date, date], ...]:
    out, first = [], START
    while first <= END:
        nxt = date(first.year + (first.month > 6), 7 if first.month <= 6 else 1, 1)
        out.append((first, min(nxt - timedelta(days=1), END)))
        first = nxt
    return tuple(out)


#: One benchmark export per half-year (inclusive local days), the last one up to the end.
BENCHMARK_WINDOWS: tuple[tuple[date, date], ...] = _half_years()


def write_benchmark_exports(frame: pd.DataFrame, client_dir: Path) -> list[Path]:
    """Write the ``benchmarks`` frame as a benchmarking tool's half-yearly exports.

    ``exports/benchmarks/benchmark_<from>_<to>.csv``, template header (``brand, platform,
    date, followers, posts, reactions, comments, shares, views``), no ``exported_at`` column:
    the date range in the name dates each file (its last day), as for the platforms' exports.
    """
    folder = Path(client_dir) / "exports" / "benchmarks"
    paths = []
    for first, last in BENCHMARK_WINDOWS:
        days = frame["date"].between(pd.Timestamp(first), pd.Timestamp(last))
        path = folder / f"benchmark_{first.isoformat()}_{last.isoformat()}.csv"
        paths.append(write_template("benchmarks", frame[days], path, exported_at=None))
    return paths
