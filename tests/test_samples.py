"""The committed sample workspace (``data_samples/``): layout, contract, consistency, determinism.

Posts and audience are committed as the platforms' raw exports (checked, ingested and compared
with the generator in ``test_samples_raw.py``); the consistency checks here run on the
generator's frames for them, and on the template files (mentions, conversions, the follower
counts no platform exports) read through the toolkit's template reader. Everything is coerced
and validated against the canonical schema.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_notebook_lib import schema
from kpi_notebook_lib.io import ImportContext
from kpi_notebook_lib.io.template import read_template
from kpi_notebook_lib.workspace import ClientSettings, open_workspace

WS = Path(__file__).resolve().parents[1] / "data_samples"
sys.path.insert(0, str(WS))

from _gen import CLIENTS as SPECS  # noqa: E402
from _gen import build_client  # noqa: E402
from _gen.raw_writers import TEMPLATE_AUDIENCE  # noqa: E402
from _gen.timeline import local_days  # noqa: E402
from _gen.writers import BENCHMARK_WINDOWS  # noqa: E402
from generate import DEFAULT_SEED  # noqa: E402

CLIENTS = ("boulangerie-dupont", "logiciel-pilote", "threadline-fashion")
PARSED_ROWS_MIN = {"mentions": 2000}


def _settings(cid: str) -> ClientSettings:
    return ClientSettings.from_file(WS / "clients" / cid / "client.yml")


def _template_files(cid: str) -> dict[Path, str]:
    """Every template file of a client and the table it holds."""
    exports = WS / "clients" / cid / "exports"
    files = {
        exports / "listening" / "mentions.csv": "mentions",
        exports / "crm" / "conversions.csv": "conversions",
    }
    for platform in _settings(cid).accounts:
        if platform in TEMPLATE_AUDIENCE:
            files[exports / platform / "followers.csv"] = "audience"
    for first, last in BENCHMARK_WINDOWS:
        files[exports / "benchmarks" / f"benchmark_{first}_{last}.csv"] = "benchmarks"
    return files


@pytest.fixture(scope="module")
def tables() -> dict[str, dict[str, pd.DataFrame]]:
    """``{client: {table: coerced frame}}``: the generator's posts and audience, the committed
    template files for mentions and conversions (read and checked on the way)."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for cid in CLIENTS:
        ctx = ImportContext(client=cid, timezone=_settings(cid).timezone)
        built = build_client(SPECS[cid], DEFAULT_SEED)
        parts = {t: schema.coerce(t, built[t].assign(client=cid)) for t in ("posts", "audience")}
        for path, table in _template_files(cid).items():
            rows, failures = read_template(path, table, ctx)
            assert failures.empty, f"{path}: {failures.head().to_dict('records')}"
            if table == "audience":  # followers.csv: the generator's follower counts, as committed
                key = ["platform", "account", "date"]
                merged = parts[table].merge(schema.coerce(table, rows), on=key, how="inner")
                assert len(merged) == len(rows), path
                assert (merged["followers_x"] == merged["followers_y"]).all(), path
                continue
            frame = schema.coerce(table, rows.assign(source_file=str(path.relative_to(WS))))
            if table in parts:  # benchmarks: one file per half-year
                frame = pd.concat([parts[table], frame], ignore_index=True)
            parts[table] = frame
        out[cid] = parts
    return out


def test_layout_and_settings():
    assert sorted(p.name for p in (WS / "clients").iterdir() if p.is_dir()) == list(CLIENTS)
    for cid in CLIENTS:
        folder = WS / "clients" / cid
        settings = _settings(cid)
        assert settings.brand == cid
        assert len(settings.accounts) >= 5
        assert 2 <= len(settings.competitors) <= 3
        assert 1 <= len(settings.primary_kpis) <= 10
        for path in _template_files(cid):
            assert path.is_file(), path
        for platform in settings.accounts:
            assert any((folder / "exports" / platform).iterdir()), (cid, platform)
        root = ET.parse(folder / settings.branding.logo).getroot()
        assert root.tag.endswith("svg")
    assert (WS / "README.md").is_file()
    assert (WS / "generate.py").is_file()


def test_total_size_under_15_mb():
    derived = {"store", "reports"}
    files = [
        p for p in WS.rglob("*")
        if p.is_file() and derived.isdisjoint(p.relative_to(WS).parts)
        and "__pycache__" not in p.parts
    ]
    assert sum(p.stat().st_size for p in files) < 15 * 1024 * 1024


def test_targets_and_annotations_validate():
    ws = open_workspace(WS, auto_ingest=False)
    for cid in CLIENTS:
        c = ws.client(cid)
        t = c.targets
        monthly = set(t.loc[(t["period"] == "month") & (t["platform"] == "all"), "kpi"])
        assert set(c.settings.primary_kpis) <= monthly
        assert (t["platform"] != "all").sum() >= 2
        a = c.annotations
        assert {"campaign", "incident", "event", "comment"} <= set(a["kind"])
        for label in ("2026-07", "2026-08", "2026-09", "2026-10"):
            assert len(c.comments(label)) >= 1, (cid, label)


def test_round_trip_validates_without_quarantine(tables):
    for cid, frames in tables.items():
        for table, frame in frames.items():
            valid, quarantine = schema.validate(table, frame)
            assert quarantine.empty, (cid, table, quarantine.head().to_dict("records"))
            assert len(valid) == len(frame)


def test_row_counts(tables):
    total = 0
    for cid, frames in tables.items():
        m = frames["mentions"]
        assert len(m) >= PARSED_ROWS_MIN["mentions"]
        total += len(m)
        aud = frames["audience"]
        assert aud["platform"].nunique() >= 5
        for platform, g in aud.groupby("platform"):
            days = g["date"].sort_values()
            assert days.is_unique
            assert len(days) >= 548, (cid, platform)  # 18 months of daily rows
            assert (days.diff().dropna() == pd.Timedelta(days=1)).all()
        assert frames["posts"]["platform"].nunique() >= 5
    assert total >= 5000


def test_followers_are_consistent(tables):
    for frames in tables.values():
        aud = frames["audience"].sort_values(["platform", "date"])
        for _, g in aud.groupby("platform"):
            f = g["followers"].astype(float).to_numpy()
            assert not np.isnan(f).any()
            both = g["new_followers"].notna() & g["lost_followers"].notna()
            if both.any():
                step = (g["new_followers"] - g["lost_followers"]).astype(float).to_numpy()
                assert (np.diff(f) == step[1:])[both.to_numpy()[1:]].all()
        rb = aud["reach"].notna() & aud["impressions"].notna()
        assert (aud.loc[rb, "reach"] <= aud.loc[rb, "impressions"]).all()


def test_post_metrics_are_consistent(tables):
    for frames in tables.values():
        p = frames["posts"]
        rb = p["reach"].notna() & p["impressions"].notna()
        assert (p.loc[rb, "reach"] <= p.loc[rb, "impressions"]).all()
        eng = p[["reactions", "comments", "shares"]].sum(axis=1) + p["saves"].fillna(0)
        has_reach = p["reach"].notna()
        assert (eng[has_reach] <= p.loc[has_reach, "reach"]).all()
        ci = p["clicks"].notna() & p["impressions"].notna()
        assert (p.loc[ci, "clicks"] <= p.loc[ci, "impressions"]).all()
        lc = p["link_clicks"].notna()
        assert (p.loc[lc, "link_clicks"] <= p.loc[lc, "clicks"]).all()
        assert p["post_id"].is_unique
        assert p["format"].isin(schema.POST_FORMATS).all()
        assert p["paid"].notna().all() and p.loc[p["paid"], "campaign"].notna().all()


_POST_IDS = {
    "x": r"\d{19}",
    "tiktok": r"\d{19}",
    "instagram": r"\d{17,18}",
    "facebook": r"\d{15}_\d{15,16}",
    "linkedin": r"urn:li:activity:\d{19}",
    "youtube": r"[A-Za-z0-9_-]{11}",
}


def test_post_ids_look_like_the_platforms(tables):
    for frames in tables.values():
        for platform, g in frames["posts"].groupby("platform"):
            assert g["post_id"].str.fullmatch(_POST_IDS[platform]).all(), platform
            assert g["permalink"].str.startswith("https://").all()


def test_missing_metrics_are_na_not_zero(tables):
    for frames in tables.values():
        p, a = frames["posts"], frames["audience"]
        by = {k: g for k, g in p.groupby("platform")}
        assert by["x"]["reach"].isna().all() and by["x"]["saves"].notna().all()
        rate = by["x"][["reactions", "comments", "shares", "clicks"]].sum(axis=1)
        expected = (rate / by["x"]["impressions"]).astype(float).round(4)
        assert np.allclose(by["x"]["platform_engagement_rate"].astype(float), expected)
        assert p.loc[p["platform"] != "x", "platform_engagement_rate"].isna().all()
        for platform, g in by.items():
            if platform == "tiktok":
                assert g["impressions"].isna().all() and g["views"].notna().all()
            if platform == "youtube":
                assert g["reach"].isna().all() and g[["impressions", "views"]].notna().all().all()
            if platform in ("linkedin", "facebook"):
                assert g["saves"].isna().all()
        x = a[a["platform"] == "x"]
        assert x[["new_followers", "lost_followers", "reach", "impressions"]].isna().all().all()
        assert x["followers"].notna().all()


def test_mentions_follow_the_contract(tables):
    for cid, frames in tables.items():
        m, p = frames["mentions"], frames["posts"]
        settings = _settings(cid)
        brands = {cid} | {c.id for c in settings.competitors}
        assert set(m["brand"]) == brands
        assert m["mention_id"].is_unique
        assert m["platform"].isin(list(settings.accounts)).all()
        assert m["kind"].isin(["mention", "comment", "reply", "review"]).all()
        comments = m["kind"] == "comment"
        assert m.loc[comments, "in_reply_to"].isin(set(p["post_id"])).all()
        assert m.loc[~comments, "in_reply_to"].isna().all()
        own = m["brand"] == cid
        assert 0.5 <= own.mean() <= 0.7
        assert 0.12 <= m.loc[own, "addresses_brand"].mean() <= 0.3
        replied = m["replied_at"].notna()
        assert (m.loc[replied, "addresses_brand"] & own[replied]).all()
        assert (m.loc[replied, "replied_at"] > m.loc[replied, "published_at"]).all()
        assert 0.5 <= m["lang"].notna().mean() <= 0.85
        assert m["text"].str.contains("<script>alert(1)</script>", regex=False).any()


def test_conversions_are_consistent(tables):
    for cid, frames in tables.items():
        c = frames["conversions"]
        assert set(c["source"]) == set(_settings(cid).accounts) | {"other"}
        assert (c["leads"] <= c["sessions"]).all() and (c["sales"] <= c["sessions"]).all()
        spend = c["ad_spend"] > 0
        assert spend.any() and c.loc[spend, "campaign"].notna().all()
        assert (c.loc[spend, "source"] != "other").all()
        assert (c.loc[c["sales"] == 0, "revenue"] == 0).all()


def _windows_of(path: Path) -> tuple[pd.Timestamp, pd.Timestamp]:
    _, first, last = path.stem.split("_")
    return pd.Timestamp(first), pd.Timestamp(last)


def test_benchmark_exports_cover_every_day_once(tables):
    days = local_days()
    for cid, frames in tables.items():
        spec = SPECS[cid]
        folder = WS / "clients" / cid / "exports" / "benchmarks"
        files = sorted(folder.glob("*.csv"))
        assert [_windows_of(f) for f in files] == [
            (pd.Timestamp(a), pd.Timestamp(b)) for a, b in BENCHMARK_WINDOWS
        ]
        assert _windows_of(files[0])[0] == days[0] and _windows_of(files[-1])[1] == days[-1]
        b = frames["benchmarks"]
        for f in files:
            first, last = _windows_of(f)
            mine = b[b["source_file"].str.endswith(f.name)]
            assert mine["date"].between(first, last).all(), f
        series = {(spec.brand, p) for p in spec.benchmark_platforms} | {
            (r.id, p) for r in spec.rivals for p in r.platforms
        }
        assert set(map(tuple, b[["brand", "platform"]].drop_duplicates().to_numpy())) == series
        assert len(b) == len(series) * len(days)  # one row per brand, platform and day
        assert b[["followers", "posts", "reactions", "comments", "shares"]].notna().all().all()
        public = b["platform"].isin(["tiktok", "youtube"])
        assert b.loc[public, "views"].notna().all() and b.loc[~public, "views"].isna().all()


def test_benchmark_client_rows_are_its_own_exports(tables):
    """The client's public figures in the benchmark file are its own posts' counts summed per
    local day and its own follower counts: one truth, not two."""
    for cid, frames in tables.items():
        spec = SPECS[cid]
        b = frames["benchmarks"]
        posts, audience = frames["posts"], frames["audience"]
        day = posts["published_at"].dt.tz_convert(spec.timezone).dt.tz_localize(None)
        posts = posts.assign(date=day.dt.normalize().astype("datetime64[ns]"))
        for platform in spec.benchmark_platforms:
            mine = b[(b["brand"] == cid) & (b["platform"] == platform)].set_index("date")
            p = posts[posts["platform"] == platform].groupby("date")
            expected = pd.DataFrame({
                "posts": p.size(),
                **{c: p[c].sum() for c in ("reactions", "comments", "shares")},
            }).reindex(mine.index, fill_value=0)
            for c in expected:
                assert (mine[c].astype(int) == expected[c].astype(int)).all(), (cid, platform, c)
            if platform in ("tiktok", "youtube"):
                views = p["views"].sum().reindex(mine.index, fill_value=0)
                assert (mine["views"].astype(int) == views.astype(int)).all(), (cid, platform)
            a = audience[audience["platform"] == platform].set_index("date")["followers"]
            assert (mine["followers"] == a.reindex(mine.index)).all(), (cid, platform)


def test_benchmark_competitors_are_bigger_and_smaller(tables):
    for cid, frames in tables.items():
        spec = SPECS[cid]
        b = frames["benchmarks"]
        main = spec.benchmark_platforms[0]
        on = b[b["platform"] == main]
        end = on[on["date"] == on["date"].max()].set_index("brand")["followers"].astype(float)
        start = on[on["date"] == on["date"].min()].set_index("brand")["followers"]
        own = end.pop(cid)
        assert (end > own).any() and (end < own).any(), (cid, end.to_dict(), own)
        assert (end > start.drop(cid).astype(float)).all()  # every account grows
        rivals = on[on["brand"] != cid]
        # posts and public interactions follow the sector's weekday pattern
        weekday = rivals["date"].dt.day_of_week
        inter = rivals[["reactions", "comments", "shares"]].sum(axis=1).astype(float)
        for values in (rivals["posts"].astype(float), inter):
            by_day = values.groupby(weekday).mean()
            assert np.corrcoef(by_day, spec.weekly)[0, 1] > 0.5, cid


def test_hostile_caption_is_kept():
    exports = WS / "clients" / "boulangerie-dupont" / "exports" / "facebook"
    texts = [p.read_text("utf-8-sig") for p in sorted(exports.glob("*.csv"))]
    assert any('"=HYPERLINK(""http://x"")' in t for t in texts)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_generator_is_deterministic(tmp_path):
    cid = "logiciel-pilote"
    subprocess.run(
        [sys.executable, str(WS / "generate.py"), "--out", str(tmp_path), "--client", cid],
        check=True, capture_output=True, timeout=120,
    )
    assert _digest(tmp_path / "clients" / cid) == _digest(WS / "clients" / cid)
