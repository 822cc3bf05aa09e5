"""Significance of KPI changes through the engine: known answers on simulated workspaces."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from kpi_notebook_lib import ParameterError, schema
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


# ---- many changes tested together ---------------------------------------------------------


def _table(n_null: int = 39, seed: int = 0, lift: float = 1.0) -> tuple[pd.DataFrame, dict]:
    """A comparison table of ``n_null + 1`` share KPIs on one platform: the first one's share
    moves by ``lift``, the others do not (mentions of two months, one row per mention)."""
    rng = np.random.default_rng(seed)
    n = 400
    ids = [f"k{i}" for i in range(n_null + 1)]
    rows, cols = [], {}
    for i, k in enumerate(ids):
        p1 = 0.4 * (lift if i == 0 else 1.0)
        cols[k] = (rng.random(n) < 0.4, rng.random(n) < p1)
        rows.append({"platform": "all", "kpi": k, "period": "b", "compared_period": "a"})
    comp = pd.DataFrame(rows)
    return comp, cols


def _bh_tests(comp, cols, adjust="benjamini_hochberg", alpha=0.05):
    """change_tests over hand-made units: one two-proportion KPI per column of ``cols``."""
    from types import SimpleNamespace

    from kpi_notebook_lib.catalog import TestSpec

    kpis = [
        SimpleNamespace(id=k, test=TestSpec(kind="proportion", unit="mention", num=k, den="one"))
        for k in cols
    ]
    n = len(next(iter(cols.values()))[0])
    units = []
    for platform in comp["platform"].unique():
        for period, j in (("a", 0), ("b", 1)):
            frame = {"period": period, "platform": platform, "one": np.ones(n)}
            frame.update({k: v[j].astype(float) for k, v in cols.items()})
            units.append(pd.DataFrame(frame))
    comp = comp.assign(
        value=[cols[k][1].mean() for k in comp["kpi"]],
        previous_value=[cols[k][0].mean() for k in comp["kpi"]],
        compare_to="previous",
    )
    return change_tests({"mention": pd.concat(units)}, comp, kpis=kpis, alpha=alpha, adjust=adjust)


def test_p_values_of_one_table_are_adjusted_together():
    from scipy.stats import false_discovery_control

    comp, cols = _table(seed=3, lift=1.6)
    t = _bh_tests(comp, cols)
    assert (t["tests_in_family"] == 40).all()
    assert np.allclose(t["p_adjusted"], false_discovery_control(t["p_value"], method="bh"))
    assert (t["p_adjusted"] >= t["p_value"] - 1e-12).all()
    # the real change (k0, a share from 40 % to 64 % on 400 mentions) survives the adjustment
    assert t.iloc[0]["verdict"] == "rise" and t.iloc[0]["p_adjusted"] < 0.001
    # a verdict is a rise or a fall only when the adjusted p-value is below the level
    called = t["verdict"].isin(["rise", "fall"])
    assert (t.loc[called, "p_adjusted"] < 0.05).all()


def test_a_change_significant_alone_but_not_among_many_is_normal_variation():
    # seeds where some null KPI has p < 0.05 on its own: 39 null KPIs, about 2 per table
    seen = 0
    for seed in range(10):
        comp, cols = _table(seed=seed)
        alone = _bh_tests(comp, cols, adjust="none")
        together = _bh_tests(comp, cols)
        lucky = alone["verdict"].isin(["rise", "fall"])
        seen += int(lucky.sum())
        assert (alone["p_adjusted"].equals(alone["p_value"])) and (
            alone["tests_in_family"] == 1
        ).all()
        for i in np.flatnonzero(lucky & ~together["verdict"].isin(["rise", "fall"])):
            r = together.iloc[i]
            assert r["verdict"] == "noise"
            assert "not once adjusted for the 40 changes" in r["verdict_reason"]
    assert seen >= 5  # the comparison is not vacuous


def test_adjusted_false_calls_stay_rare_over_many_null_tables():
    """With nothing changing, at most alpha of the tables show any false rise or fall (under
    the complete null Benjamini–Hochberg controls the chance of any false call), against
    most tables when each change is tested on its own."""
    any_adjusted, any_alone = [], []
    for seed in range(40):
        comp, cols = _table(seed=100 + seed)
        comp, cols = comp.iloc[1:], {k: v for k, v in cols.items() if k != "k0"}
        any_adjusted.append(_bh_tests(comp, cols)["verdict"].isin(["rise", "fall"]).any())
        any_alone.append(_bh_tests(comp, cols, "none")["verdict"].isin(["rise", "fall"]).any())
    assert np.mean(any_adjusted) <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / 40)
    assert np.mean(any_alone) >= 0.5


def test_families_are_platforms():
    comp, cols = _table(n_null=3)
    two = pd.concat([comp, comp.assign(platform="x")], ignore_index=True)
    t = _bh_tests(two, cols)
    assert (t["tests_in_family"] == 4).all()
    a, x = t.iloc[:4], t.iloc[4:]
    assert np.allclose(a["p_adjusted"].to_numpy(), x["p_adjusted"].to_numpy())


def test_unknown_adjustment_is_a_clear_error():
    comp, cols = _table(n_null=1)
    with pytest.raises(ParameterError, match="adjust"):
        _bh_tests(comp, cols, adjust="bonferroni")


def test_client_kpis_verdict_does_not_depend_on_the_kpis_asked_for(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    full = c.kpis("2026-10").set_index(["platform", "kpi"])
    some = c.kpis("2026-10", kpis=["mentions", "reach"])
    assert list(dict.fromkeys(some["kpi"])) == ["mentions", "reach"]
    for col in ("verdict", "p_value", "p_adjusted", "tests_in_family"):
        mine = some.set_index(["platform", "kpi"])[col]
        pd.testing.assert_series_equal(mine, full.loc[mine.index, col], check_names=False)
    assert (some["tests_in_family"].dropna() > 2).all()


def test_client_can_test_each_change_on_its_own(tiny_workspace):
    import yaml

    path = tiny_workspace / "clients" / "acme" / "client.yml"
    cfg = yaml.safe_load(path.read_text("utf-8"))
    cfg.setdefault("thresholds", {})["multiple_testing"] = "none"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), "utf-8")
    k = open_workspace(tiny_workspace).client("acme").kpis("2026-10")
    tested = k[k["p_value"].notna()]
    assert (tested["tests_in_family"] == 1).all()
    assert (tested["p_adjusted"] == tested["p_value"]).all()


def test_families_do_not_mix_periods():
    comp, cols = _table(n_null=3)
    # one table holding two comparisons (b against a, a against b): two families of four
    two = pd.concat([comp, comp.assign(period="a", compared_period="b")], ignore_index=True)
    t = _bh_tests(two, cols)
    assert (t["tests_in_family"] == 4).all()
