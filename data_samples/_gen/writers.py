"""Write frames as the toolkit's CSV templates (see ``kpi_notebook_lib.io.template``).

UTF-8, comma-separated, canonical column names as header; timestamps ISO 8601 with a UTC offset,
dates ``YYYY-MM-DD``, NA as an empty cell, booleans ``true``/``false``. Raw platform export
formats can be added later as other writers of the same frames.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from kpi_notebook_lib.io.template import template_header
from kpi_notebook_lib.schema import TABLES

from .timeline import fmt_ts

__all__ = ["TEMPLATE_COLUMNS", "format_frame", "write_csv", "write_template_exports"]

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
}


def _cell_numbers(s: pd.Series, decimals: int | None) -> list[str]:
    if decimals is None:
        return ["" if pd.isna(v) else str(int(v)) for v in s]
    return ["" if pd.isna(v) else f"{float(v):.{decimals}f}" for v in s]


def format_frame(table: str, data: pd.DataFrame) -> pd.DataFrame:
    """Return ``data`` as template text cells: the template columns, in canonical order."""
    t = TABLES[table]
    data = data.sort_values(_SORT[table], kind="stable", ignore_index=True)
    out = {}
    for name in TEMPLATE_COLUMNS[table]:
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
    return pd.DataFrame(out, columns=TEMPLATE_COLUMNS[table])


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write text cells as UTF-8 CSV with ``\\n`` line ends (byte-stable across runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(text.encode("utf-8"))
    return path


def write_template_exports(frames: dict[str, pd.DataFrame], client_dir: Path) -> list[Path]:
    """Write one client's frames as template exports under ``client_dir/exports``.

    Layout: ``<platform>/posts.csv`` and ``<platform>/audience.csv`` per platform,
    ``listening/mentions.csv`` (every platform and brand) and ``crm/conversions.csv``.
    """
    exports = Path(client_dir) / "exports"
    targets = []
    for table in ("posts", "audience"):
        data = frames[table]
        for platform in sorted(data["platform"].unique()):
            part = data[data["platform"] == platform]
            targets.append((table, part, exports / platform / f"{table}.csv"))
    targets.append(("mentions", frames["mentions"], exports / "listening" / "mentions.csv"))
    targets.append(("conversions", frames["conversions"], exports / "crm" / "conversions.csv"))
    return [write_csv(format_frame(table, data), path) for table, data, path in targets]
