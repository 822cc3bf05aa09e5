"""Fair competitor benchmarks (kpi_notebook_lib.benchmarks), checked against plain pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kpi_notebook_lib import open_workspace, schema
from kpi_notebook_lib.benchmarks import (
    BENCHMARK_COLUMNS,
    METRICS,
    benchmark_table,
    query_benchmarks,
    rank_brands,
    share_interval,
)
from kpi_notebook_lib.exceptions import ParameterError
from kpi_notebook_lib.io.template import template_header
from kpi_notebook_lib.kpis import compute_kpis
from kpi_notebook_lib.periods import parse_period

OCT = "2026-10"
TZ = "Europe/Paris"
KEYS = ["brand", "platform"]
SIZES = {
    "acme": {"instagram": 5000, "facebook": 2000},
    "rival": {"instagram": 20000, "facebook": 8000, "tiktok": 30000},
}


def _bench(seed: int = 0, sizes=SIZES) -> pd.DataFrame:
    """Daily public figures, 2026-09-20 → 2026-11-05, every brand and platform."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2026-09-20", "2026-11-05")
    frames = []
    for brand, platforms in sizes.items():
        for platform, f0 in platforms.items():
            n = len(days)
            posts = rng.poisson(1.3, n)
            frames.append(
                pd.DataFrame(
                    {
                        "brand": brand,
                        "platform": platform,
                        "date": days,
                        "followers": f0 + np.cumsum(rng.integers(-5, 25, n)),
                        "posts": posts,
                        "reactions": rng.poisson(posts * f0 * 0.01),
                        "comments": rng.poisson(posts * 4.0),
                        "shares": rng.poisson(posts * 2.0),
                        "views": np.nan,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _mentions(counts: dict[tuple[str, str], int], day="2026-10-10", kind="mention") -> pd.DataFrame:
    rows = [(b, p) for (b, p), n in counts.items() for _ in range(n)]
    return pd.DataFrame(
        {
            "client": "acme",
            "mention_id": [f"m{i}" for i in range(len(rows))],
            "brand": [b for b, _ in rows],
            "platform": [p for _, p in rows],
            "published_at": pd.Timestamp(f"{day}T10:00:00Z"),
            "kind": kind,
        }
    )


def _values(t: pd.DataFrame, metric: str, platform_all: bool = False) -> pd.Series:
    rows = t[(t["metric"] == metric) & ((t["platform"] == "all") == platform_all)]
    s = rows.set_index(["brand", "platform"])["value"].astype("float64").dropna()
    return s.droplevel("platform") if platform_all else s


def _plain(bench: pd.DataFrame, common: list[str] | None = None) -> dict[str, pd.Series]:
    """The metrics of October by plain pandas (per brand × platform, or summed over
    ``common`` platforms)."""
    b = bench.copy()
    if common is not None:
        b = b[b["platform"].isin(common)]
    keys = ["brand"] if common is not None else KEYS
    inside = b[(b["date"] >= "2026-10-01") & (b["date"] <= "2026-10-31")]
    inter = inside["reactions"] + inside["comments"] + inside["shares"]
    by = [inside[k] for k in keys]
    last = inside[inside["date"] == "2026-10-31"].groupby(keys)["followers"].sum()
    first = b[b["date"] == "2026-09-30"].groupby(keys)["followers"].sum()
    posts = inside.groupby(keys)["posts"].sum()
    pi = inter.groupby(by).sum()
    posting = inside["posts"] > 0
    w = (inside["posts"] * inside["followers"])[posting].groupby([k[posting] for k in by]).sum()
    return {
        "followers": last.astype(float),
        "follower_growth_pct": last / first - 1,
        "posts": posts.astype(float),
        "public_interactions": pi.astype(float),
        "interactions_per_post": pi / posts,
        "interactions_per_1000_followers": 1000
        * inter[posting].groupby([k[posting] for k in by]).sum()
        / w,
    }


def _same(got: pd.Series, expected: pd.Series, what: str) -> None:
    pd.testing.assert_series_equal(
        got.sort_index(),
        expected.sort_index().astype(float),
        check_names=False,
        check_index_type=False,
        rtol=1e-12,
        obj=what,
    )


# ------------------------------------------------------------------------------ the formulas
def test_matches_plain_pandas_per_platform_and_all():
    bench = _bench()
    t = benchmark_table({"benchmarks": bench}, periods=OCT, client="acme", tz=TZ)
    assert list(t.columns) == BENCHMARK_COLUMNS
    assert set(t["metric"]) == set(METRICS)
    per_platform = _plain(bench)
    for metric, expected in per_platform.items():
        _same(_values(t, metric), expected, metric)
    # "all": only instagram and facebook, where both brands are; tiktok is left out
    totals = _plain(bench, common=["facebook", "instagram"])
    for metric, expected in totals.items():
        _same(_values(t, metric, platform_all=True), expected, f"all/{metric}")
    notes = t.loc[(t["platform"] == "all") & (t["metric"] == "posts"), "note"]
    assert notes.str.contains("over facebook, instagram").all()
    assert notes.str.contains("left out: tiktok").all()
    # acme has no tiktok account: NA with a note, never 0
    acme_tt = t[
        (t["brand"] == "acme") & (t["platform"] == "tiktok") & (t["metric"] != "share_of_voice")
    ]
    assert acme_tt["value"].isna().all() and acme_tt["note"].str.contains("no data").all()


def test_per_1000_followers_on_a_hand_computed_case():
    # day 1: 2 posts, 1,000 followers, 30 interactions; day 2: 1 post, 2,000 followers, 50
    bench = pd.DataFrame(
        {
            "brand": "acme",
            "platform": "instagram",
            "date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03"]),
            "followers": [1000, 2000, 2000],
            "posts": [2, 1, 0],
            "reactions": [20, 40, 0],
            "comments": [6, 6, 0],
            "shares": [4, 4, 0],
            "views": None,
        }
    )
    t = benchmark_table({"benchmarks": bench}, periods="2026-10-01..2026-10-03", client="acme")
    row = t[(t["metric"] == "interactions_per_1000_followers") & (t["platform"] == "instagram")]
    row = row.iloc[0]
    # 1000 · (30 + 50) / (2 · 1000 + 1 · 2000) = 20 per post per 1,000 followers
    assert row["value"] == pytest.approx(20.0)
    assert row["n"] == 2  # two posting days
    # delta method: residuals 30 − 0.02·2000 = −10 and 50 − 0.02·2000 = 10;
    # se = √(2/1 · 200) / 4000 · 1000 = 5, t(1 df) = 12.706
    half = stats.t.isf(0.025, 1) * 5.0
    assert row["low"] == pytest.approx(0.0)  # 20 − 63.5, cut at 0
    assert row["high"] == pytest.approx(20 + half)
    per_post = t[(t["metric"] == "interactions_per_post") & (t["platform"] == "instagram")]
    assert per_post["value"].iloc[0] == pytest.approx(80 / 3)


def test_posting_more_does_not_win_per_post_per_1000():
    one = _bench(1, {"acme": {"instagram": 5000}})
    ten = one.assign(brand="spammer")
    for c in ("posts", "reactions", "comments", "shares"):
        ten[c] = ten[c] * 10
    t = benchmark_table({"benchmarks": pd.concat([one, ten])}, periods=OCT, client="acme")
    per = _values(t, "interactions_per_1000_followers", platform_all=True)
    assert per["acme"] == pytest.approx(per["spammer"])
    total = _values(t, "public_interactions", platform_all=True)
    assert total["spammer"] == pytest.approx(10 * total["acme"])


def test_missing_followers_are_na_with_a_note():
    bench = _bench()
    gone = (bench["brand"] == "rival") & (bench["platform"] == "facebook")
    bench.loc[gone, "followers"] = np.nan
    t = benchmark_table({"benchmarks": bench}, periods=OCT, client="acme", tz=TZ)
    rows = t[(t["brand"] == "rival") & (t["platform"] == "facebook")].set_index("metric")
    for m in ("followers", "follower_growth_pct", "interactions_per_1000_followers"):
        assert pd.isna(rows.loc[m, "value"]), m
        assert "no follower count" in rows.loc[m, "note"], m
    assert rows.loc["posts", "value"] > 0  # the rest is still there
    # the "all" total of that brand cannot add up a missing count either
    rival_all = t[(t["brand"] == "rival") & (t["platform"] == "all")].set_index("metric")
    assert pd.isna(rival_all.loc["followers", "value"])
    assert not ((t["metric"] == "followers") & (t["value"] == 0)).any()


def test_growth_needs_the_day_before_the_period():
    bench = _bench()
    bench = bench[bench["date"] != "2026-09-30"]
    t = benchmark_table({"benchmarks": bench}, periods=OCT, client="acme", tz=TZ)
    g = t[t["metric"] == "follower_growth_pct"]
    assert g["value"].isna().all()
    known = g[(g["platform"] != "all") & ~g["note"].str.contains("no data")]
    assert len(known) == 5 and known["note"].str.contains("no follower count on 2026-09-30").all()


def test_a_count_missing_for_one_brand_is_left_out_for_every_brand():
    bench = _bench()
    bench.loc[bench["brand"] == "rival", "shares"] = np.nan
    t = benchmark_table({"benchmarks": bench}, periods=OCT, client="acme", tz=TZ)
    pi = t[(t["metric"] == "public_interactions") & (t["platform"] == "instagram")]
    inside = bench[(bench["date"] >= "2026-10-01") & (bench["date"] <= "2026-10-31")]
    inside = inside[inside["platform"] == "instagram"]
    expected = (inside["reactions"] + inside["comments"]).groupby(inside["brand"]).sum()
    _same(pi.set_index("brand")["value"].astype(float), expected, "reactions + comments")
    assert pi["note"].str.contains("without shares").all()


# ------------------------------------------------------------------------- share of voice
def test_share_of_voice_plain_and_own_comments_left_out():
    counts = {
        ("acme", "instagram"): 30,
        ("rival", "instagram"): 10,
        ("acme", "x"): 5,
        ("rival", "x"): 15,
    }
    mentions = pd.concat(
        [_mentions(counts), _mentions({("acme", "instagram"): 50}, kind="comment")],
        ignore_index=True,
    )
    mentions["mention_id"] = [f"m{i}" for i in range(len(mentions))]
    t = benchmark_table({"mentions": mentions}, periods=OCT, client="acme", tz=TZ)
    sov = t[t["metric"] == "share_of_voice"].set_index(["brand", "platform"])
    assert sov.loc[("acme", "instagram"), "value"] == pytest.approx(30 / 40)
    assert sov.loc[("rival", "x"), "value"] == pytest.approx(15 / 20)
    assert sov.loc[("acme", "all"), "value"] == pytest.approx(35 / 60)
    assert sov.loc[("acme", "all"), "n"] == 60
    lo, hi = share_interval([35, 25])
    assert sov.loc[("acme", "all"), "low"] == pytest.approx(lo[0])
    assert sov.loc[("acme", "all"), "high"] == pytest.approx(hi[0])
    # counting the comments on the client's own posts would give it 85 of 110
    t_all = benchmark_table(
        {"mentions": mentions}, periods=OCT, client="acme", tz=TZ, exclude_kinds=()
    )
    every = t_all[(t_all["metric"] == "share_of_voice") & (t_all["platform"] == "all")]
    assert every.set_index("brand").loc["acme", "value"] == pytest.approx(85 / 110)


def _exact_wilson_coverage(n: int, p: float) -> float:
    x = np.arange(n + 1)
    lo, hi = share_interval(np.stack([x, n - x], axis=1))
    return float(stats.binom.pmf(x, n, p)[(lo[:, 0] <= p) & (p <= hi[:, 0])].sum())


def test_share_interval_coverage_over_many_seeds():
    rng = np.random.default_rng(20261126)
    p = np.array([0.45, 0.3, 0.15, 0.1])
    n, seeds = 120, 4000
    counts = rng.multinomial(n, p, size=seeds)  # vectorised: one row per seed
    lo, hi = share_interval(counts)
    covered = (lo <= p) & (p <= hi)
    sd = np.sqrt(0.95 * 0.05 / seeds)
    for k in range(len(p)):
        exact = _exact_wilson_coverage(n, p[k])
        assert 0.93 <= exact <= 0.97
        assert abs(covered[:, k].mean() - exact) < 4 * sd
    glo, ghi = share_interval(counts, method="goodman")
    together = ((glo <= p) & (p <= ghi)).all(axis=1).mean()
    assert together >= 0.95 - 3 * sd
    assert (ghi - glo > hi - lo).all()  # simultaneous intervals are wider


def test_share_of_voice_covers_the_true_share_through_the_table():
    rng = np.random.default_rng(7)
    brands = ["acme", "rival", "third"]
    p = np.array([0.5, 0.35, 0.15])
    days = pd.date_range("2025-01-01", periods=400)
    counts = rng.multinomial(60, p, size=len(days))  # 400 seeds, one per one-day period
    brand_idx = np.concatenate([np.repeat(np.arange(3), c) for c in counts])
    day_idx = np.repeat(np.arange(len(days)), counts.sum(axis=1))
    mentions = pd.DataFrame(
        {
            "client": "acme",
            "platform": "instagram",
            "brand": np.asarray(brands)[brand_idx],
            "published_at": (days[day_idx] + pd.Timedelta(hours=12)).tz_localize("UTC"),
            "kind": "mention",
        }
    )
    periods = [f"{d:%Y-%m-%d}..{d:%Y-%m-%d}" for d in days]
    t = benchmark_table({"mentions": mentions}, periods=periods, client="acme", brands=brands)
    sov = t[(t["metric"] == "share_of_voice") & (t["platform"] == "all")]
    truth = sov["brand"].map(dict(zip(brands, p, strict=True)))
    covered = (sov["low"] <= truth) & (truth <= sov["high"])
    assert len(sov) == 400 * 3 and (sov["n"] == 60).all()
    # ≈ 95 %: the exact coverage of Wilson's interval at n = 60 (0.948–0.959 for these shares)
    exact = np.mean([_exact_wilson_coverage(60, q) for q in p])
    assert 0.94 <= exact <= 0.96
    assert abs(covered.mean() - exact) < 4 * np.sqrt(0.95 * 0.05 / len(sov))


# ------------------------------------------------------------------- the client's own data
def _own_tables(seed: int = 3) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = 60
    published = pd.Timestamp("2026-09-25T08:00:00Z") + pd.to_timedelta(
        rng.integers(0, 40 * 24, n), unit="h"
    )
    posts = pd.DataFrame(
        {
            "client": "acme",
            "platform": rng.choice(["instagram", "tiktok"], n),
            "account": "acme",
            "post_id": [f"p{i}" for i in range(n)],
            "published_at": published,
            "impressions": rng.integers(1000, 5000, n),
            "reach": rng.integers(500, 1000, n),
            "views": rng.integers(100, 9000, n),
            "reactions": rng.integers(0, 200, n),
            "comments": rng.integers(0, 20, n),
            "shares": rng.integers(0, 10, n),
            "saves": rng.integers(0, 10, n),
            "clicks": rng.integers(0, 50, n),
        }
    )
    days = pd.date_range("2026-09-25", "2026-11-03")
    audience = pd.concat(
        [
            pd.DataFrame(
                {
                    "client": "acme",
                    "platform": p,
                    "account": "acme",
                    "date": days,
                    "followers": base + np.arange(len(days)) * 3,
                    "impressions": rng.integers(1000, 9000, len(days)),
                    "reach": rng.integers(100, 900, len(days)),
                }
            )
            for p, base in (("instagram", 5000), ("tiktok", 9000))
        ],
        ignore_index=True,
    )
    return {"posts": schema.coerce("posts", posts), "audience": schema.coerce("audience", audience)}


def test_client_private_metrics_have_no_influence():
    data = _own_tables()
    before = benchmark_table(data, periods=OCT, client="acme", tz=TZ)
    rng = np.random.default_rng(99)
    changed = {k: v.copy() for k, v in data.items()}
    for col in ("impressions", "reach", "saves", "clicks"):
        changed["posts"][col] = rng.integers(0, 10**6, len(changed["posts"]))
    for col in ("impressions", "reach"):
        changed["audience"][col] = rng.integers(0, 10**6, len(changed["audience"]))
    after = benchmark_table(changed, periods=OCT, client="acme", tz=TZ)
    pd.testing.assert_frame_equal(before, after)
    derived = before[
        before["platform"].isin(["instagram", "tiktok"]) & (before["metric"] != "share_of_voice")
    ]
    assert derived["note"].str.contains("derived from the client's own exports").all()


def test_client_rows_come_from_the_benchmark_file_when_present():
    data = _own_tables()
    posts = data["posts"]
    local = posts["published_at"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    october = (local >= "2026-10-01") & (local < "2026-11-01")
    # instagram from the benchmark file (different numbers on purpose), tiktok derived
    bench = _bench(5, {"acme": {"instagram": 7000}})
    t = benchmark_table({**data, "benchmarks": bench}, periods=OCT, client="acme", tz=TZ)
    got = t[t["metric"] == "posts"].set_index("platform")
    inside = bench[(bench["date"] >= "2026-10-01") & (bench["date"] <= "2026-10-31")]
    assert got.loc["instagram", "value"] == inside["posts"].sum()
    assert pd.isna(got.loc["instagram", "note"])
    tiktok = october & (posts["platform"] == "tiktok")
    assert got.loc["tiktok", "value"] == tiktok.sum()
    assert "derived" in got.loc["tiktok", "note"]
    pi = t[(t["metric"] == "public_interactions") & (t["platform"] == "tiktok")]["value"]
    p = posts[tiktok]
    assert pi.iloc[0] == (p["reactions"] + p["comments"] + p["shares"]).sum()


# ------------------------------------------------------------------------------ the store
def _store_frames() -> dict[str, pd.DataFrame]:
    bench = _bench(11)
    bench.loc[bench.sample(frac=0.05, random_state=1).index, "followers"] = np.nan
    own = _own_tables()
    mentions = _mentions(
        {("acme", "instagram"): 12, ("rival", "instagram"): 9, ("rival", "tiktok"): 4}
    )
    return {
        "benchmarks": schema.coerce("benchmarks", bench.assign(client="acme")),
        "mentions": schema.coerce("mentions", mentions),
        # the client's tiktok comes from its own exports: no tiktok rows for acme in bench
        "posts": own["posts"],
        "audience": own["audience"],
    }


def test_duckdb_path_equals_the_pure_one(tmp_path):
    frames = _store_frames()
    sources = {}
    for name, frame in frames.items():
        sources[name] = tmp_path / f"{name}.parquet"
        frame.to_parquet(sources[name], index=False)
    periods = [OCT, "2026-W41", "2026-10-05..2026-10-20"]
    pure = benchmark_table(frames, periods=periods, client="acme", tz=TZ)
    sql = query_benchmarks(sources, periods=periods, client="acme", tz=TZ)
    pd.testing.assert_frame_equal(pure, sql)
    assert pure["low"].notna().any()


def test_template_round_trip_through_ingest(tiny_workspace):
    bench = _bench(2, {"acme": {"facebook": 1000}, "rival": {"facebook": 3000}})
    folder = tiny_workspace / "clients" / "acme" / "exports" / "benchmarks"
    folder.mkdir(parents=True)
    text = bench[template_header("benchmarks")].to_csv(index=False, date_format="%Y-%m-%d")
    (folder / "benchmark_2026-09-20_2026-11-05.csv").write_text(text, "utf-8")
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    assert ws.ingest().quarantine.empty
    stored = ws.store.read("acme", "benchmarks")
    assert len(stored) == len(bench)
    sources = {"benchmarks": ws.store.paths("benchmarks", ["acme"])}
    got = query_benchmarks(sources, periods=OCT, client="acme", tz=TZ)
    expected = benchmark_table({"benchmarks": bench}, periods=OCT, client="acme", tz=TZ)
    pd.testing.assert_frame_equal(got, expected)
    # the KPI engine ignores the new table: same KPIs with or without it
    tables = ("posts", "audience", "mentions", "conversions")
    base = {t: ws.store.paths(t, ["acme"]) or None for t in tables}
    with_bench = {**base, "benchmarks": ws.store.paths("benchmarks", ["acme"])}
    kw = {"clients": ["acme"], "timezones": {"acme": TZ}}
    pd.testing.assert_frame_equal(
        compute_kpis(base, [parse_period(OCT)], **kw),
        compute_kpis(with_bench, [parse_period(OCT)], **kw),
    )


# --------------------------------------------------------------------------- ranks, errors
def test_rank_brands():
    t = benchmark_table({"benchmarks": _bench()}, periods=OCT, client="acme", tz=TZ)
    r = rank_brands(t, "followers", platform="instagram")
    assert list(r["brand"]) == ["rival", "acme"] and list(r["rank"]) == [1, 2]
    assert r["clear_lead"].isna().all()  # followers have no interval
    per = rank_brands(t, "interactions_per_1000_followers", period=OCT)
    first = per.iloc[0]
    assert first["value"] == per["value"].max()
    assert first["clear_lead"] == (first["low"] > per.iloc[1]["high"])
    with pytest.raises(ParameterError, match="metric"):
        rank_brands(t, "reach")


def test_errors_say_what_was_expected():
    bench = _bench()
    with pytest.raises(ParameterError, match="one row per brand, platform and date"):
        twice = bench[bench["date"] == "2026-10-10"].head(1)
        benchmark_table({"benchmarks": pd.concat([bench, twice])}, periods=OCT, client="acme")
    with pytest.raises(ParameterError, match="sov_method"):
        benchmark_table({"benchmarks": bench}, periods=OCT, client="acme", sov_method="exact")
    with pytest.raises(ParameterError, match="tz"):
        benchmark_table({"benchmarks": bench}, periods=OCT, client="acme", tz="Mars/Olympus")
    with pytest.raises(ParameterError, match="period"):
        benchmark_table({"benchmarks": bench}, periods="2026-13", client="acme")
    with pytest.raises(ParameterError, match="benchmarks"):
        benchmark_table({"benchmarks": bench.drop(columns="posts")}, periods=OCT, client="acme")
