"""Scale benchmark: monthly KPIs of 50 clients through the library vs. hand-written DuckDB SQL.

A synthetic posts table (50 clients in four time zones, 6 platforms, 2 years, the canonical
``posts`` columns and types, each platform's missing metrics) is generated once per row count
and seed and cached under ``bench/_out/``. Two contenders then compute the same long-form
result (client × platform-or-"all" × month × KPI, for the 16 KPIs computable from posts alone)
from the same Parquet file:

``duckdb_sql``
    one hand-written DuckDB query (``duckdb.sql(SQL).df()``);
``library``
    :func:`kpi_notebook_lib.kpis.compute_kpis`.

Every run is a fresh interpreter (``python bench/kpi_scale.py --child ...``) so that peak memory
is the contender's own: the child reports its high-water RSS (``VmHWM``, interpreter and imports
included). ``ru_maxrss`` from :func:`os.wait4` is not used for it: on Linux it also holds the
parent's RSS at spawn time (a parent that has just generated 10M rows made both contenders
"peak" at the same 677 MiB). The child times the computation alone (after its imports: the
*work* wall, and its CPU time over all threads); the parent times the whole process (the
*total* wall). Ratios use the work wall. Both contenders import pandas and return a pandas
DataFrame, so their fixed costs are comparable.

Before timing, one untimed run of each contender (which also warms the page cache) saves its
result, and the two results are checked against each other: same rows, NA in the same places,
values equal within 1e-9 relative.

Usage::

    .venv/bin/python bench/kpi_scale.py                      # 1M and 10M rows, 3 runs each
    .venv/bin/python bench/kpi_scale.py --rows 1000000 --repeat 5
    .venv/bin/python bench/kpi_scale.py --breakdown          # also time the library's phases
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform as _platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "_out"

#: Bump when the generator changes, so that cached files are not reused.
GEN_VERSION = 1
CHUNK_ROWS = 1_000_000
ROW_GROUP_ROWS = 122_880  # DuckDB's own default; a single 1M-row group would scan on one thread

N_CLIENTS = 50
PLATFORMS = ("facebook", "instagram", "x", "linkedin", "youtube", "tiktok")
PLATFORM_WEIGHTS = (0.22, 0.28, 0.12, 0.15, 0.10, 0.13)
TIMEZONES = ("Europe/Paris", "Europe/London", "America/New_York", "Asia/Tokyo")
#: Posts are published from DATA_START to DATA_END (UTC); the report covers FIRST..LAST local
#: months, so posts of the first/last hours that fall outside in local time are dropped by both.
DATA_START, DATA_END = "2024-01-01", "2026-01-01"
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2025, 12, 31)
LATE_START = "2025-01-01"  # clients onboarded late: NA rows ("no posts") before

#: Metrics each platform does not report (NA on every post), besides 2 % random gaps.
NOT_REPORTED = {
    "x": ("reach",),
    "tiktok": ("impressions",),
    "youtube": ("reach",),
    "facebook": ("saves",),
    "linkedin": ("saves",),
}

#: The interactions of a post, per platform, as written by hand in BASELINE_SQL below; checked
#: against the catalog's engagement mapping at start-up so that the comparison stays fair.
ENGAGEMENT = {
    "facebook": ["reactions", "comments", "shares"],
    "instagram": ["reactions", "comments", "shares", "saves"],
    "x": ["reactions", "comments", "shares", "saves"],
    "linkedin": ["reactions", "comments", "shares"],
    "youtube": ["reactions", "comments", "shares"],
    "tiktok": ["reactions", "comments", "shares", "saves"],
}

# The hand-written query. {clients} is a VALUES list of (client, tz), {path} the Parquet file.
BASELINE_SQL = """
WITH clients(client, tz) AS (VALUES {clients}),
months AS (
    SELECT CAST(range AS DATE) AS start, strftime(range, '%Y-%m') AS period
    FROM range(DATE '{first}', DATE '{stop}', INTERVAL 1 MONTH)
),
posts AS (
    SELECT p.client, p.platform,
           CAST(date_trunc('month', timezone(c.tz, p.published_at)) AS DATE) AS month,
           p.impressions, p.reach, p.views, p.reactions, p.comments, p.shares, p.saves,
           p.link_clicks,
           CASE p.platform
               WHEN 'facebook' THEN p.reactions + p.comments + p.shares
               WHEN 'instagram' THEN p.reactions + p.comments + p.shares + p.saves
               WHEN 'linkedin' THEN p.reactions + p.comments + p.shares
               WHEN 'tiktok' THEN p.reactions + p.comments + p.shares + p.saves
               WHEN 'x' THEN p.reactions + p.comments + p.shares + p.saves
               WHEN 'youtube' THEN p.reactions + p.comments + p.shares
           END AS interactions
    FROM read_parquet('{path}') p JOIN clients c ON p.client = c.client
),
m AS (
    SELECT client, COALESCE(platform, 'all') AS platform, month,
        COUNT(*) AS n,
        SUM(impressions) AS impressions,
        SUM(reach) AS reach,
        SUM(views) AS views,
        SUM(link_clicks) AS link_clicks,
        SUM(link_clicks) FILTER (WHERE link_clicks IS NOT NULL AND impressions IS NOT NULL)
          / NULLIF(SUM(impressions) FILTER (
              WHERE link_clicks IS NOT NULL AND impressions IS NOT NULL), 0) AS ctr,
        SUM(impressions) FILTER (WHERE impressions IS NOT NULL AND reach IS NOT NULL)
          / NULLIF(SUM(reach) FILTER (
              WHERE impressions IS NOT NULL AND reach IS NOT NULL), 0) AS frequency,
        COUNT(*) AS posts,
        SUM(reactions) AS reactions,
        SUM(comments) AS comments,
        SUM(shares) AS shares,
        SUM(saves) AS saves,
        SUM(interactions) AS interactions,
        SUM(interactions) FILTER (WHERE interactions IS NOT NULL AND reach IS NOT NULL)
          / NULLIF(SUM(reach) FILTER (
              WHERE interactions IS NOT NULL AND reach IS NOT NULL), 0) AS engagement_rate_reach,
        SUM(interactions) FILTER (WHERE interactions IS NOT NULL AND impressions IS NOT NULL)
          / NULLIF(SUM(impressions) FILTER (
              WHERE interactions IS NOT NULL AND impressions IS NOT NULL), 0)
          AS engagement_rate_impressions,
        AVG(interactions / NULLIF(reach, 0)) AS avg_post_engagement_rate,
        SUM(shares) FILTER (WHERE shares IS NOT NULL AND impressions IS NOT NULL)
          / NULLIF(SUM(impressions) FILTER (
              WHERE shares IS NOT NULL AND impressions IS NOT NULL), 0) AS virality_rate
    FROM posts
    GROUP BY GROUPING SETS ((client, platform, month), (client, month))
),
-- every month of the report for every platform with data in it, and "all"; months outside
-- the report (posts of its first/last hours in other time zones) are dropped by the LEFT JOIN
grid AS (
    SELECT k.client, k.platform, months.start, months.period
    FROM (SELECT DISTINCT client, platform FROM m
          WHERE month >= DATE '{first}' AND month < DATE '{stop}'
          UNION SELECT client, 'all' FROM clients) k
    CROSS JOIN months
),
wide AS (
    SELECT g.client, g.platform, g.period, m.n,
        CAST(m.impressions AS DOUBLE) AS impressions, CAST(m.reach AS DOUBLE) AS reach,
        CAST(m.views AS DOUBLE) AS views, CAST(m.link_clicks AS DOUBLE) AS link_clicks,
        m.ctr, m.frequency, CAST(m.posts AS DOUBLE) AS posts,
        CAST(m.reactions AS DOUBLE) AS reactions, CAST(m.comments AS DOUBLE) AS comments,
        CAST(m.shares AS DOUBLE) AS shares, CAST(m.saves AS DOUBLE) AS saves,
        CAST(m.interactions AS DOUBLE) AS interactions,
        m.engagement_rate_reach, m.engagement_rate_impressions, m.avg_post_engagement_rate,
        m.virality_rate
    FROM grid g LEFT JOIN m
      ON m.client = g.client AND m.platform = g.platform AND m.month = g.start
)
SELECT client, platform, period, kpi,
       CASE WHEN isfinite(value) THEN value END AS value,
       CASE WHEN isfinite(value) THEN NULL
            WHEN n IS NULL THEN 'no posts in this period'
            ELSE 'not available' END AS note
FROM wide UNPIVOT INCLUDE NULLS (value FOR kpi IN (
    impressions, reach, views, link_clicks, ctr, frequency, posts, reactions, comments, shares,
    saves, interactions, engagement_rate_reach, engagement_rate_impressions,
    avg_post_engagement_rate, virality_rate))
ORDER BY client, platform, period, kpi
"""

CONTENDERS = ("duckdb_sql", "library")


# ------------------------------------------------------------------------------- data set
def client_ids() -> list[str]:
    """The benchmark's client ids."""
    return [f"client-{i:02d}" for i in range(N_CLIENTS)]


def client_timezones() -> dict[str, str]:
    """Client → time zone, cycling through :data:`TIMEZONES`."""
    return {c: TIMEZONES[i % len(TIMEZONES)] for i, c in enumerate(client_ids())}


def data_path(rows: int, seed: int) -> Path:
    """Cached Parquet file of ``rows`` posts generated with ``seed``."""
    return OUT / f"posts_{rows}_seed{seed}_v{GEN_VERSION}.parquet"


def _arrow_schema():
    import pyarrow as pa

    from kpi_notebook_lib.schema import TABLES

    types = {
        "string": pa.string(),
        "Int64": pa.int64(),
        "Float64": pa.float64(),
        "boolean": pa.bool_(),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }
    table = TABLES["posts"]
    return pa.schema([(n, types[table.column(n).dtype]) for n in table.names])


def _chunk(rng, offset: int, n: int, schema):
    """``n`` posts numbered from ``offset``, as a pyarrow Table of ``schema``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from kpi_notebook_lib.schema import POST_FORMATS

    clients = client_ids()
    # client sizes are skewed (1/sqrt(rank)); some clients skip TikTok or YouTube
    cw = 1.0 / np.sqrt(np.arange(1, N_CLIENTS + 1))
    client = np.searchsorted(np.cumsum(cw) / cw.sum(), rng.random(n), side="right")
    client = np.minimum(client, N_CLIENTS - 1)
    pw = np.tile(np.asarray(PLATFORM_WEIGHTS), (N_CLIENTS, 1))
    pw[np.arange(N_CLIENTS) % 7 == 3, PLATFORMS.index("tiktok")] = 0.0
    pw[np.arange(N_CLIENTS) % 5 == 1, PLATFORMS.index("youtube")] = 0.0
    pcum = np.cumsum(pw, axis=1) / pw.sum(axis=1, keepdims=True)
    plat = (rng.random(n)[:, None] >= pcum[client]).sum(axis=1).astype(np.int64)
    plat = np.minimum(plat, len(PLATFORMS) - 1)

    us = np.int64(1_000_000)
    t0 = np.datetime64(DATA_START, "us").astype(np.int64)
    t_late = np.datetime64(LATE_START, "us").astype(np.int64)
    t1 = np.datetime64(DATA_END, "us").astype(np.int64)
    lo = np.where(np.arange(N_CLIENTS) % 10 == 9, t_late, t0)[client]
    ts = lo + (rng.random(n) * (t1 - lo)).astype(np.int64)
    ts -= ts % us  # whole seconds, as exports give them

    imp = np.rint(rng.lognormal(7.0, 1.2, n)).astype(np.int64) + 1
    reach = (imp * rng.uniform(0.4, 0.95, n)).astype(np.int64)
    reach[rng.random(n) < 0.003] = 0  # reach 0: mean of per-post ratios must skip them
    views = (imp * rng.uniform(0.1, 1.0, n)).astype(np.int64)
    reactions = rng.binomial(reach, 0.03)
    comments = rng.binomial(reach, 0.004)
    shares = rng.binomial(reach, 0.003)
    saves = rng.binomial(reach, 0.005)
    clicks = rng.binomial(imp, 0.01)
    link_clicks = rng.binomial(clicks, 0.4)
    fmt = rng.integers(0, 6, n)  # text, image, video, carousel, reel, story
    video = np.isin(fmt, (2, 4))
    video_views = rng.binomial(imp, 0.3)
    profile_visits = rng.binomial(reach, 0.002)
    follows = rng.binomial(profile_visits, 0.1)

    metrics = {
        "impressions": imp,
        "reach": reach,
        "views": views,
        "reactions": reactions,
        "comments": comments,
        "shares": shares,
        "saves": saves,
        "clicks": clicks,
        "link_clicks": link_clicks,
        "video_views": video_views,
        "profile_visits": profile_visits,
        "follows": follows,
    }
    masks = {}
    for name in metrics:
        mask = rng.random(n) < 0.02
        for p, cols in NOT_REPORTED.items():
            if name in cols:
                mask |= plat == PLATFORMS.index(p)
        if name == "video_views":
            mask |= ~video
        masks[name] = mask
    er_mask = masks["reach"] | masks["reactions"] | masks["comments"] | masks["shares"]
    with np.errstate(divide="ignore", invalid="ignore"):
        er = (reactions + comments + shares) / reach
    er_mask |= ~np.isfinite(er)

    def take(pool: list[str], idx) -> pa.Array:
        return pa.array(pool, pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))

    ids = pc.cast(pa.array(np.arange(offset, offset + n, dtype=np.int64)), pa.string())
    post_id = pc.binary_join_element_wise("p", ids, "")
    cp = client * len(PLATFORMS) + plat
    accounts = [f"{c}-{p}" for c in clients for p in PLATFORMS]
    hashes = [hashlib.sha256(a.encode()).hexdigest() for a in accounts]
    month = ts.astype("datetime64[us]").astype("datetime64[M]").astype(np.int64) - 648  # 2024-01
    month = np.clip(month, 0, 23)
    files = [
        f"exports/{p}/{2024 + m // 12}-{m % 12 + 1:02d}.csv" for p in PLATFORMS for m in range(24)
    ]
    phrases = [
        f"{w} {k} #{t}"
        for k, (w, t) in enumerate(
            (w, t)
            for w in ("New in store:", "Behind the scenes", "Thank you!", "Our team", "Event")
            for t in ("news", "team", "promo", "local", "recipe", "live", "tips", "jobs")
        )
    ]
    campaign_idx = rng.integers(0, 12, n)
    campaign_mask = rng.random(n) < 0.8

    cols = {
        "client": take(clients, client),
        "platform": take(list(PLATFORMS), plat),
        "account": take(accounts, cp),
        "post_id": post_id,
        "published_at": pa.array(ts, pa.timestamp("us", tz="UTC")),
        "format": take(list(POST_FORMATS[:6]), fmt),
        "text": take(phrases, rng.integers(0, len(phrases), n)),
        "permalink": pc.binary_join_element_wise(
            take([f"https://social.example/{p}/" for p in PLATFORMS], plat), post_id, ""
        ),
        "campaign": pa.array(
            np.array([f"campaign-{i:02d}" for i in range(12)], dtype=object)[campaign_idx],
            pa.string(),
            mask=campaign_mask,
        ),
        "paid": pa.array(rng.random(n) < 0.1, pa.bool_()),
        **{k: pa.array(v, pa.int64(), mask=masks[k]) for k, v in metrics.items()},
        "platform_engagement_rate": pa.array(
            np.where(er_mask, 0.0, er), pa.float64(), mask=er_mask
        ),
        "source_file": take(files, plat * 24 + month),
        "source_hash": take(hashes, cp),
        "source_row": pa.array(rng.integers(2, 5000, n), pa.int64()),
        "exported_at": pa.array(
            np.minimum(ts + rng.integers(1, 30 * 86400, n) * us, t1 + 30 * 86400 * us),
            pa.timestamp("us", tz="UTC"),
        ),
    }
    return pa.table([cols[f.name] for f in schema], schema=schema)


def generate(rows: int, seed: int, *, force: bool = False) -> Path:
    """Write (or reuse) the cached posts Parquet of ``rows`` rows; return its path."""
    import numpy as np
    import pyarrow.parquet as pq

    path = data_path(rows, seed)
    if path.exists() and not force:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    schema = _arrow_schema()
    t = time.perf_counter()
    fd, tmp = tempfile.mkstemp(dir=OUT, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, 0o644)
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            for i, offset in enumerate(range(0, rows, CHUNK_ROWS)):
                n = min(CHUNK_ROWS, rows - offset)
                rng = np.random.default_rng([seed, i])
                writer.write_table(_chunk(rng, offset, n, schema), row_group_size=ROW_GROUP_ROWS)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    mib = path.stat().st_size / 2**20
    print(
        f"generated {path.relative_to(HERE.parent)}: {rows:,} rows, {mib:,.0f} MiB "
        f"in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    return path


# ---------------------------------------------------------------------------- contenders
def baseline_sql(path: Path) -> str:
    """The hand-written query over ``path`` (checked against the catalog's engagement)."""

    def q(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    values = ", ".join(f"({q(c)}, {q(tz)})" for c, tz in client_timezones().items())
    stop = date(LAST_DAY.year + LAST_DAY.month // 12, LAST_DAY.month % 12 + 1, 1)
    return BASELINE_SQL.format(
        clients=values,
        path=str(path).replace("'", "''"),
        first=FIRST_DAY.isoformat(),
        stop=stop.isoformat(),
    )


def _rss_hwm_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


#: Steps of ``compute_kpis`` timed by ``--breakdown``: functions looked up by name in
#: ``kpi_notebook_lib.kpis`` (skipped when the library renames them).
PHASES = {
    "compute_measures": "DuckDB query + .df() of the measure table",
    "evaluate": "catalog formulas (numpy)",
    "_note_excluded_platforms": "'excludes … (not available)' notes",
}


def _time_library_phases() -> dict[str, float]:
    """Wrap the steps of ``compute_kpis`` with timers; the returned dict fills as it runs."""
    from kpi_notebook_lib import kpis as module

    spent: dict[str, float] = dict.fromkeys(PHASES, 0.0)

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t

        return wrapper

    for name in PHASES:
        if callable(getattr(module, name, None)):
            setattr(module, name, timed(name, getattr(module, name)))
        else:
            del spent[name]
    return spent


def child(spec_file: str) -> None:
    """Run one contender as described by the JSON spec; print a JSON line of timings."""
    spec = json.loads(Path(spec_file).read_text())
    t_import = time.perf_counter()
    import duckdb
    import pandas as pd

    if spec["contender"] == "library":
        from kpi_notebook_lib.kpis import compute_kpis
        from kpi_notebook_lib.periods import periods_between
    imported = time.perf_counter()
    hwm_imports = _rss_hwm_kib()
    phases: dict[str, float] = {}

    t0, c0 = time.perf_counter(), time.process_time()
    if spec["contender"] == "duckdb_sql":
        result = duckdb.sql(spec["sql"]).df()
    else:
        periods = periods_between(
            "month", date.fromisoformat(spec["first"]), date.fromisoformat(spec["last"])
        )
        if spec.get("breakdown"):
            phases = _time_library_phases()
        result = compute_kpis(
            {"posts": spec["path"]},
            periods,
            clients=spec["clients"],
            timezones=spec["timezones"],
            kpis=spec["kpis"],
        )
    work, work_cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _rss_hwm_kib()
    assert isinstance(result, pd.DataFrame)
    if spec.get("out"):
        result.to_parquet(spec["out"], index=False)
    print(
        json.dumps(
            {
                "work_s": work,
                "work_cpu_s": work_cpu,
                "import_s": imported - t_import,
                "rss_after_imports_mib": hwm_imports / 1024,
                "peak_rss_mib": peak / 1024,
                "result_rows": len(result),
                "phases": phases,
            }
        ),
        flush=True,
    )


def run_child(spec: dict) -> dict:
    """Run one contender in a fresh interpreter; add its total wall and peak RSS."""
    OUT.mkdir(parents=True, exist_ok=True)
    fd, spec_file = tempfile.mkstemp(dir=OUT, prefix=".spec.", suffix=".json")
    with os.fdopen(fd, "w") as fh:
        json.dump(spec, fh)
    try:
        with tempfile.TemporaryFile() as err:
            t = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--child", spec_file],
                stdout=subprocess.PIPE,
                stderr=err,
            )
            out = proc.stdout.read()
            proc.stdout.close()
            _, status, usage = os.wait4(proc.pid, 0)
            total = time.perf_counter() - t
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                err.seek(0)
                sys.exit(
                    f"{spec['contender']} failed (exit {proc.returncode}):\n"
                    + err.read().decode(errors="replace")
                )
    finally:
        Path(spec_file).unlink(missing_ok=True)
    res = json.loads(out.decode().strip().splitlines()[-1])
    res["total_s"] = total
    res["total_cpu_s"] = usage.ru_utime + usage.ru_stime
    # ru_maxrss is only a cross-check: Linux carries the parent's RSS at spawn time into it
    # (vfork/fork + exec), so the child's own high-water mark (VmHWM) is the peak reported
    res["ru_maxrss_mib"] = usage.ru_maxrss / 1024  # KiB on Linux
    return res


# ----------------------------------------------------------------------------- checking
def check(lib_file: Path, sql_file: Path) -> tuple[bool, str]:
    """Compare the two results; return (ok, printable report)."""
    import numpy as np
    import pandas as pd

    keys = ["client", "platform", "period", "kpi"]
    lib = pd.read_parquet(lib_file)
    ref = pd.read_parquet(sql_file)
    lines = [f"  rows: library {len(lib):,}, duckdb_sql {len(ref):,}"]
    for f in (lib, ref):
        for k in keys:
            f[k] = f[k].astype(str)
    both = lib.merge(ref, on=keys, how="outer", suffixes=("_lib", "_sql"), indicator=True)
    only = (both["_merge"] != "both").sum()
    a = both["value_lib"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    b = both["value_sql"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    na_diff = int((np.isnan(a) != np.isnan(b)).sum())
    ok_vals = ~np.isnan(a) & ~np.isnan(b)
    rel = np.abs(a - b)[ok_vals] / np.maximum(np.maximum(np.abs(a), np.abs(b))[ok_vals], 1e-300)
    worst = float(rel.max()) if rel.size else 0.0
    lines.append(
        f"  keys only on one side: {only}; NA in different places: {na_diff} "
        f"(NA in both: {int((np.isnan(a) & np.isnan(b)).sum()):,}); "
        f"max relative difference over {int(ok_vals.sum()):,} values: {worst:.1e}"
    )
    no_posts = both["note_lib"].astype(str).eq("no posts in this period")
    no_posts_sql = both["note_sql"].astype(str).eq("no posts in this period")
    excl = both["note_lib"].astype(str).str.startswith("excludes").sum()
    lines.append(
        f"  'no posts in this period': library {no_posts.sum():,}, duckdb_sql "
        f"{no_posts_sql.sum():,}, on different rows: {(no_posts != no_posts_sql).sum()}; "
        f"library only: {excl:,} 'excludes … (not available)' notes on all-platform totals"
    )
    cells = [
        ("client-00", "all", "2024-01"),
        ("client-00", "x", "2024-01"),
        ("client-19", "tiktok", "2025-12"),
        ("client-19", "all", "2024-12"),
    ]
    cell = pd.Series(list(zip(both["client"], both["platform"], both["period"], strict=True)))
    sample = both[
        cell.isin(cells).to_numpy()
        & both["kpi"].isin(["reach", "engagement_rate_reach", "avg_post_engagement_rate", "ctr"])
    ]
    lines.append("  sample (library | duckdb_sql):")
    for r in sample.itertuples(index=False):
        lines.append(
            f"    {r.client} {r.platform:<8} {r.period} {r.kpi:<25} "
            f"{_fmt(r.value_lib):>16} | {_fmt(r.value_sql):>16}"
        )
    ok = (
        len(lib) == len(ref)
        and only == 0
        and na_diff == 0
        and worst <= 1e-9
        and (no_posts == no_posts_sql).all()
    )
    lines.insert(
        0,
        f"check {'OK' if ok else 'FAILED'}: library vs duckdb_sql "
        "(same rows, NA in the same places, values within 1e-9 relative)",
    )
    return ok, "\n".join(lines)


def _fmt(v) -> str:
    import pandas as pd

    return "NA" if pd.isna(v) else f"{v:.10g}"


# --------------------------------------------------------------------------------- main
def _cpu_busy_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(x) for x in fields]
    busy = sum(ticks[:8]) - ticks[3] - ticks[4]  # all but idle and iowait (guest is in user)
    return busy / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    """One paragraph describing the machine and versions."""
    import duckdb
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"machine: nproc {len(os.sched_getaffinity(0))} ({cpu}), {mem:.1f} GiB RAM, "
        f"{_platform.system()} {_platform.release()}\n"
        f"versions: python {_platform.python_version()}, duckdb {duckdb.__version__}, "
        f"pandas {pd.__version__}, pyarrow {pa.__version__}, numpy {np.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[1_000_000, 10_000_000],
        help="row counts to bench (default: 1000000 10000000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per contender")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument("--regen", action="store_true", help="regenerate cached data")
    parser.add_argument(
        "--keep", action="store_true", help="keep both results and the SQL under bench/_out/"
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="one extra library run timing the steps of compute_kpis",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0

    from kpi_notebook_lib.catalog import get_catalog

    catalog = get_catalog()
    if catalog.engagement != ENGAGEMENT:
        sys.exit(
            f"The catalog's engagement mapping changed: update ENGAGEMENT and BASELINE_SQL "
            f"(catalog: {catalog.engagement})."
        )
    kpis = [k.id for k in catalog.select() if k.tables == {"posts"}]

    print(machine())
    print(
        f"data: {N_CLIENTS} clients in {len(TIMEZONES)} time zones ({', '.join(TIMEZONES)}), "
        f"{len(PLATFORMS)} platforms, posts {DATA_START}..{DATA_END} UTC, "
        f"monthly KPIs {FIRST_DAY:%Y-%m}..{LAST_DAY:%Y-%m} in local time; {len(kpis)} KPIs: "
        f"{', '.join(kpis)}"
    )
    print(
        f"runs: {args.repeat} timed runs per contender and size, alternating, after one "
        "untimed run each that warms the page cache and checks the results",
        flush=True,
    )

    t_all = time.perf_counter()
    ncpu = os.cpu_count() or 1
    busy = 0.0
    summary = []
    all_ok = True
    for rows in args.rows:
        path = generate(rows, args.seed, force=args.regen)
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(path).metadata
        print(
            f"\n== {rows:,} rows: {path.relative_to(HERE.parent)} "
            f"({path.stat().st_size / 2**20:,.0f} MiB, {meta.num_row_groups} row groups)",
            flush=True,
        )
        base = {
            "path": str(path),
            "clients": client_ids(),
            "timezones": client_timezones(),
            "first": FIRST_DAY.isoformat(),
            "last": LAST_DAY.isoformat(),
            "kpis": kpis,
            "sql": baseline_sql(path),
        }
        outs = {c: OUT / f"result_{c}_{rows}_seed{args.seed}.parquet" for c in CONTENDERS}
        for c in CONTENDERS:
            run_child({**base, "contender": c, "out": str(outs[c])})
        ok, report = check(outs["library"], outs["duckdb_sql"])
        all_ok &= ok
        print(report, flush=True)
        if args.keep:
            (OUT / f"baseline_{rows}.sql").write_text(base["sql"])
        else:
            for f in outs.values():
                f.unlink(missing_ok=True)

        runs: dict[str, list[dict]] = {c: [] for c in CONTENDERS}
        busy0, t_runs = _cpu_busy_s(), time.perf_counter()
        for i in range(args.repeat):
            for c in CONTENDERS if i % 2 == 0 else CONTENDERS[::-1]:
                runs[c].append(run_child({**base, "contender": c}))
        ours = sum(r["total_cpu_s"] for c in CONTENDERS for r in runs[c])
        others = (_cpu_busy_s() - busy0 - ours) / ((time.perf_counter() - t_runs) * ncpu)
        busy = max(busy, others)
        print(
            f"  timed runs done; other processes used {max(others, 0):.0%} of the {ncpu} CPUs "
            "meanwhile (machine time minus the contenders' own CPU time)",
            flush=True,
        )
        med = {
            c: {
                k: statistics.median(r[k] for r in runs[c])
                for k in (
                    "work_s",
                    "work_cpu_s",
                    "total_s",
                    "peak_rss_mib",
                    "rss_after_imports_mib",
                )
            }
            for c in CONTENDERS
        }
        summary.append((rows, med, runs))
        if args.breakdown:
            bd = run_child({**base, "contender": "library", "breakdown": True})
            print(f"  library breakdown (one run, compute_kpis {bd['work_s']:.2f} s):")
            rest = bd["work_s"]
            for name, spent in bd["phases"].items():
                rest -= spent
                print(f"    {name:<26} {spent:6.3f} s  {PHASES[name]}")
            print(f"    {'rest':<26} {rest:6.3f} s  catalog, grid, long form, dtypes")

    print(
        "\nwork = wall time in the child around the computation only (after imports); cpu = "
        "CPU time of that work\n(all threads); total = whole child process (interpreter start "
        "+ imports + work); peak RSS = the child's\nhigh-water RSS (VmHWM). Medians of "
        f"{args.repeat} runs. Ratios are library / duckdb_sql of the medians (paired = median of "
        "the\nratios of runs made back to back). Targets: work wall ≤ 1.5×, peak RSS ≤ 2×.\n"
    )
    head = (
        f"{'rows':>11}  {'contender':<14} {'work s':>7} {'cpu s':>6} {'total s':>8} "
        f"{'peak RSS MiB':>13} {'after imports':>14}  work s of each run"
    )
    print(head)
    print("-" * len(head))
    met_all = True
    for rows, med, runs in summary:
        for c in CONTENDERS:
            m = med[c]
            each = " ".join(f"{r['work_s']:.2f}" for r in runs[c])
            print(
                f"{rows:>11,}  {c:<14} {m['work_s']:>7.2f} {m['work_cpu_s']:>6.2f} "
                f"{m['total_s']:>8.2f} {m['peak_rss_mib']:>13.0f} "
                f"{m['rss_after_imports_mib']:>14.0f}  {each}"
            )
        lib, sql = med["library"], med["duckdb_sql"]
        w = lib["work_s"] / sql["work_s"]
        mm = lib["peak_rss_mib"] / sql["peak_rss_mib"]
        paired = statistics.median(
            a["work_s"] / b["work_s"]
            for a, b in zip(runs["library"], runs["duckdb_sql"], strict=True)
        )
        met = w <= 1.5 and mm <= 2.0
        met_all &= met
        cpu = lib["work_cpu_s"] / sql["work_cpu_s"]
        print(
            f"{'':>11}  {'library/duckdb':<14} {w:>6.2f}× {cpu:>5.2f}×"
            f" {lib['total_s'] / sql['total_s']:>7.2f}× {mm:>12.2f}× "
            f"{lib['rss_after_imports_mib'] / sql['rss_after_imports_mib']:>13.2f}×  "
            f"paired {paired:.2f}×"
        )
        print(
            f"{'':>11}  → work wall ≤ 1.5×: {'yes' if w <= 1.5 else 'NO'} ({w:.2f}×), "
            f"peak RSS ≤ 2×: {'yes' if mm <= 2.0 else 'NO'} ({mm:.2f}×)"
        )
    if busy > 0.1:
        print(
            f"\nwarning: other processes used up to {busy:.0%} of the CPUs during timed runs: "
            "wall times are inflated and ratios noisy; rerun on an idle machine or raise --repeat"
        )
    print(
        f"\nresults agree: {'yes' if all_ok else 'NO'}; targets met at every size: "
        f"{'yes' if met_all else 'NO'}; bench took {time.perf_counter() - t_all:.0f} s"
    )
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
