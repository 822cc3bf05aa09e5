"""Targets in progress (pacing) and target realism against the minimum detectable change."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi_notebook_lib.targets import PACE_COLUMNS, pace_targets, target_realism
from kpi_notebook_lib.workspace import open_workspace


def test_pacing_projects_a_month_in_progress(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    pace = pace_targets(c, as_of=date(2026, 10, 20))
    assert list(pace.columns) == PACE_COLUMNS
    lost = pace[(pace["kpi"] == "lost_followers") & (pace["period"] == "2026-10")].iloc[0]
    # facebook loses 1 follower a day, instagram none: 20 so far, about 31 by the end
    assert lost["elapsed"] == 20 and lost["total"] == 31
    assert lost["so_far"] == 20
    assert lost["low"] <= lost["projected"] <= lost["high"]
    assert lost["projected"] == pytest.approx(31, abs=2)
    # lower is better and the target is 20: it will almost surely be missed
    assert lost["probability"] < 0.05
    # a month that is over is not paced
    assert pace_targets(c, as_of=date(2026, 10, 31)).query("period == '2026-10'").empty


def test_pacing_of_a_rate_keeps_the_current_level(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    pace = pace_targets(c, as_of=date(2026, 10, 20)).set_index("kpi")
    r = pace.loc["engagement_rate_reach"]
    if isinstance(r, pd.DataFrame):
        r = r.iloc[0]
    assert r["projected"] == pytest.approx(r["so_far"])
    assert 0 <= r["probability"] <= 1


def test_target_realism_compares_the_gap_with_the_mdc():
    comparison = pd.DataFrame(
        {
            "kpi": ["reach", "leads", "ctr"],
            "platform": "all",
            "value": [1000.0, 20.0, 0.01],
            "target": [1500.0, 21.0, np.nan],
            "mdc": [300.0, 9.0, 0.002],
        }
    )
    r = target_realism(comparison).set_index("kpi")
    assert list(r.index) == ["reach", "leads"]  # no target, no row
    assert r.loc["reach", "needed"] == 500 and bool(r.loc["reach", "detectable"])
    assert not bool(r.loc["leads", "detectable"])  # +1 lead is below what noise lets one see


def test_pacing_without_units_yet_says_so(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    pace = pace_targets(c, as_of=date(2026, 11, 1))
    rate = pace[pace["kpi"] == "engagement_rate_reach"].iloc[0]
    assert pd.isna(rate["projected"]) and rate["reason"]
