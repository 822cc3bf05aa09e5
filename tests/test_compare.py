import numpy as np
import pandas as pd
import pytest

from kpi_notebook_lib import open_workspace, parse_period
from kpi_notebook_lib.compare import attach_targets, compare, status_of


def test_status_of_orientation_and_watch():
    value = np.array([110, 95, 80, 31, 10, np.nan, 5, 0])
    target = np.array([100, 100, 100, 20, 12, 100, np.nan, 0])
    hib = np.array([True, True, True, False, False, True, True, False])
    watch = np.full(8, 0.10)
    status, gap = status_of(value, target, hib, watch)
    assert list(status) == [
        "on_track",
        "watch",
        "off_track",
        "off_track",
        "on_track",
        None,
        None,
        "on_track",
    ]
    assert gap[0] == pytest.approx(0.10) and gap[3] == pytest.approx(-0.55)


def test_targets_most_specific_wins():
    values = pd.DataFrame({"kpi": ["reach", "reach", "ctr"], "platform": ["all", "x", "all"]})
    targets = pd.DataFrame(
        {
            "kpi": ["reach", "reach", "reach", "ctr"],
            "platform": ["all", "all", "x", "all"],
            "period": ["month", "2026-10", "month", "2026-09"],
            "target": [1.0, 2.0, 3.0, 4.0],
        }
    )
    got = attach_targets(values, targets, parse_period("2026-10"))
    assert got.tolist()[:2] == [2.0, 3.0] and np.isnan(got.iloc[2])


def test_client_kpis_compare_with_previous_and_targets(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    t = c.kpis("2026-10", "previous").set_index(["platform", "kpi"])
    imp = t.loc[("facebook", "impressions")]
    assert imp.value == 1600 and imp.previous_value == 800
    assert imp.change == 800 and imp.change_pct == 1.0
    assert pd.isna(imp.last_year_value)
    assert t.loc[("all", "impressions")].status == "on_track"  # 3900 vs 3500
    err = t.loc[("all", "engagement_rate_reach")]  # 0.0804 vs 0.085 (the 2026-10 override)
    assert err.target == 0.085 and err.status == "watch"
    assert t.loc[("all", "lost_followers")].status == "off_track"  # lower is better: 31 vs 20
    assert t.loc[("facebook", "cost_per_lead")].status == "on_track"  # 10 vs 12
    assert pd.isna(t.loc[("all", "reach")].status)  # no target: no status, not a guess


def test_compare_to_last_year_without_data_is_na(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    t = c.kpis("2026-10", "last_year")
    assert t["compared_period"].unique().tolist() == ["2025-10"]
    assert t["change"].isna().all()


def test_direction_over_history():
    rows = []
    for i, p in enumerate(["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]):
        rows += [
            ("c", "all", p, "reach", 100.0 + 10 * i, None),
            ("c", "all", p, "ctr", 0.05, None),
            ("c", "all", p, "lost_followers", 50.0 - 5 * i, None),
            ("c", "all", p, "posts", np.nan if i < 4 else 3.0, None),
        ]
    values = pd.DataFrame(rows, columns=["client", "platform", "period", "kpi", "value", "note"])
    hist = parse_period("2026-10").history(6)
    out = compare(values, period=hist[-1], history=hist).set_index("kpi")
    assert out.loc["reach", "direction"] == "up"
    assert out.loc["ctr", "direction"] == "flat"
    assert out.loc["lost_followers", "direction"] == "down"
    assert pd.isna(out.loc["posts", "direction"])  # fewer than 3 values
