"""Significance of KPI changes through the engine: known answers on simulated workspaces."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from kpi_notebook_lib import schema
from kpi_notebook_lib.catalog import get_catalog
from kpi_notebook_lib.cli import cli
from kpi_notebook_lib.kpis import compute_kpis
from kpi_notebook_lib.periods import parse_period
from kpi_notebook_lib.significance import SIGNIFICANCE_COLUMNS, change_tests
from kpi_notebook_lib.units import unit_tables
from kpi_notebook_lib.workspace import open_workspace

SEPT, OCT = parse_period("2026-09"), parse_period("2026-10")
KPIS = ["engagement_rate_reach", "interactions", "mentions", "positive_share", "avg_compound"]


def _sources(seed: int, *, lift: float = 1.0, n_posts: int = 120, n_mentions: int = 400):
    """Two months of posts and mentions; October's engagement and positive share × ``lift``."""
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp("2026-09-01T08:00:00Z")
    when = t0 + pd.to_timedelta(rng.uniform(0, 60 * 86400, n_posts), unit="s")
    october = when >= pd.Timestamp("2026-10-01T00:00:00Z")
    reach = rng.lognormal(7, 1.2, n_posts).round() + 1
    rate = rng.beta(4, 80, n_posts) * np.where(october, lift, 1.0)
    inter = rng.binomial(reach.astype(int), np.clip(rate, 0, 1))
    posts = pd.DataFrame(
        {
            "client": "acme",
            "platform": "instagram",
            "account": "acme",
            "post_id": [f"p{i}" for i in range(n_posts)],
            "published_at": when,
            "format": "image",
            "reach": reach,
            "impressions": reach,
            "reactions": inter,
            "comments": 0,
            "shares": 0,
            "saves": 0,
        }
    )
    mwhen = t0 + pd.to_timedelta(rng.uniform(0, 60 * 86400, n_mentions), unit="s")
    m_oct = mwhen >= pd.Timestamp("2026-10-01T00:00:00Z")
    p_pos = np.where(m_oct, min(0.4 * lift, 0.95), 0.4)
    positive = rng.random(n_mentions) < p_pos
    mentions = pd.DataFrame(
        {
            "client": "acme",
            "platform": "x",
            "mention_id": [f"m{i}" for i in range(n_mentions)],
            "published_at": mwhen,
            "author": "a",
            "brand": "acme",
            "text": "t",
            "sentiment": np.where(positive, "positive", "neutral"),
            "compound": np.where(positive, rng.uniform(0.05, 1, n_mentions), 0.0),
        }
    )
    return {"posts": schema.coerce("posts", posts), "mentions": schema.coerce("mentions", mentions)}


def _tests(seed: int, lift: float, n_posts: int = 120) -> pd.DataFrame:
    sources = _sources(seed, lift=lift, n_posts=n_posts)
    values = compute_kpis(sources, [SEPT, OCT], clients=["acme"], kpis=KPIS)
    cur = values[values["period"] == OCT.label].reset_index(drop=True)
    prev = values[values["period"] == SEPT.label].set_index(["platform", "kpi"])["value"]
    cur["previous_value"] = [
        prev.get((p, k)) for p, k in zip(cur["platform"], cur["kpi"], strict=True)
    ]
    cur["previous_value"] = pd.to_numeric(cur["previous_value"]).astype(float)
    cur["change"] = cur["value"].astype(float) - cur["previous_value"]
    cur["compare_to"] = "previous"
    cur["compared_period"] = SEPT.label
    units = unit_tables(sources, [SEPT, OCT], client="acme")
    tests = change_tests(units, cur, kpis=get_catalog().select(KPIS))
    return cur.join(tests).query("platform == 'all'").set_index("kpi")


def test_null_changes_are_mostly_called_normal_variation():
    seeds = range(60)
    calls = pd.concat([_tests(s, 1.0)["verdict"] for s in seeds], axis=1)
    wrong = calls.isin(["rise", "fall"]).to_numpy().mean()
    # at alpha = 5 %, with a binomial tolerance for 60 × 5 tests
    assert wrong <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / calls.size)
    assert calls.notna().all().all()


def test_a_large_true_change_is_detected_in_the_right_direction():
    up = pd.concat([_tests(s, 1.8, 300)["verdict"] for s in range(20)], axis=1)
    assert (up.loc["engagement_rate_reach"] == "rise").mean() >= 0.9
    assert (up.loc["positive_share"] == "rise").mean() >= 0.9
    down = pd.concat([_tests(s, 0.5, 300)["verdict"] for s in range(20)], axis=1)
    assert (down.loc["engagement_rate_reach"] == "fall").mean() >= 0.9


def test_interval_brackets_the_change_and_agrees_with_the_verdict():
    t = _tests(1, 1.8)
    for kpi, r in t.iterrows():
        if r["verdict"] in ("rise", "fall"):
            assert r["ci_low"] <= r["change"] <= r["ci_high"], kpi
            assert (r["ci_low"] > 0) if r["verdict"] == "rise" else (r["ci_high"] < 0)
        assert r["mdc"] > 0 or pd.isna(r["mdc"])


def test_client_kpis_carry_the_significance_columns(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    k = c.kpis("2026-10")
    assert set(SIGNIFICANCE_COLUMNS) <= set(k.columns)
    allowed = {"rise", "fall", "noise", "too_little_data"}
    assert set(k["verdict"].dropna()) <= allowed
    followers = k[(k["kpi"] == "followers") & (k["platform"] == "all")].iloc[0]
    assert pd.isna(followers["verdict"]) and "level" in followers["verdict_reason"]
    # the tiny workspace has a handful of posts: nothing is called significant on that
    posts = k[(k["kpi"] == "engagement_rate_reach") & (k["platform"] == "all")].iloc[0]
    assert posts["verdict"] == "too_little_data"


def test_cli_kpis_prints_verdict_p_value_and_interval(tiny_workspace):
    out = CliRunner().invoke(
        cli,
        ["kpis", str(tiny_workspace), "--client", "acme", "--period", "2026-10", "--format", "csv"],
    )
    assert out.exit_code == 0, out.output
    header = out.output.splitlines()[0].split(",")
    for col in ("verdict", "p_value", "ci_low", "ci_high"):
        assert col in header


@pytest.mark.parametrize("kpi", [k.id for k in get_catalog().select()])
def test_every_kpi_says_how_its_change_is_tested(kpi):
    spec = get_catalog()[kpi].test
    assert spec is not None
    assert spec.kind != "none" or spec.reason
