"""Robust trend: Theil–Sen slope and Mann–Kendall significance."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from kpi_notebook_lib.exceptions import ParameterError
from kpi_notebook_lib.stats import TrendResult, robust_trend

ALPHA = 0.05


def test_clean_linear_rise_is_up():
    res = robust_trend(5 + 2.0 * np.arange(12))
    assert res.direction == "up"
    assert res.p_value < ALPHA
    assert res.slope == pytest.approx(2.0)
    assert res.slope_low <= 2.0 <= res.slope_high
    assert res.tau == pytest.approx(1.0)
    assert res.n == 12
    assert res.reason == ""


def test_noisy_fall_is_down_and_matches_scipy():
    rng = np.random.default_rng(1)
    y = 100 - 3 * np.arange(12) + rng.normal(0, 4, 12)
    res = robust_trend(y, alpha=0.1)
    ts = stats.theilslopes(y, np.arange(12), alpha=0.9)
    kt = stats.kendalltau(np.arange(12), y)
    assert (res.slope, res.slope_low, res.slope_high) == pytest.approx(
        (ts.slope, ts.low_slope, ts.high_slope)
    )
    assert (res.tau, res.p_value) == pytest.approx((kt.statistic, kt.pvalue))
    assert res.direction == "down"


def test_pure_noise_is_rarely_called_a_trend():
    n_seeds = 1000
    rng = np.random.default_rng(2)
    series = rng.lognormal(3, 0.5, (n_seeds, 12))
    series[:, ::4] = np.round(series[:, ::4])  # some ties
    called = sum(robust_trend(y).direction in ("up", "down") for y in series)
    assert called / n_seeds <= ALPHA + 3 * np.sqrt(ALPHA * (1 - ALPHA) / n_seeds)


def test_one_outlier_does_not_flip_the_slope():
    y = 10 + 1.0 * np.arange(12)
    y[-1] = -200.0  # a broken export on the last period
    res = robust_trend(y)
    ols_slope = np.polyfit(np.arange(12), y, 1)[0]
    assert ols_slope < 0  # least squares is dragged down by the outlier
    assert res.slope > 0
    assert res.direction == "up"


def test_fewer_than_four_values_has_no_direction():
    res = robust_trend([1.0, np.nan, 2.0, 3.0])
    assert res.direction is None
    assert res.n == 3
    assert "fewer than 4" in res.reason
    assert np.isnan(res.slope)
    assert robust_trend([]).direction is None


def test_nans_keep_their_place_in_time():
    res = robust_trend([1.0, np.nan, 3.0, 4.0, np.nan, 6.0])
    assert res.slope == pytest.approx(1.0)
    assert res.n == 4


def test_constant_series_is_flat():
    res = robust_trend([7.0] * 6)
    assert (res.direction, res.slope, res.p_value) == ("flat", 0.0, 1.0)


def test_result_record_and_errors():
    res = robust_trend([1, 3, 2, 4, 6, 5])
    assert isinstance(res, TrendResult)
    assert set(res.as_dict()) == {
        "slope", "slope_low", "slope_high", "tau", "p_value", "n", "direction", "reason"
    }  # fmt: skip
    with pytest.raises(ParameterError):
        robust_trend([[1, 2], [3, 4]])
    with pytest.raises(ParameterError):
        robust_trend([1, 2, 3, 4], alpha=0)
