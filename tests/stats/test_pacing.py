"""Target pacing: projection, prediction interval coverage, probability of reaching the target."""

from __future__ import annotations

import numpy as np
import pytest

from kpi_notebook_lib.exceptions import ParameterError
from kpi_notebook_lib.stats import PaceResult, pace_ratio, pace_sum

N_SEEDS = 500


def coverage(trial) -> float:
    return float(np.mean([trial(np.random.default_rng(seed)) for seed in range(N_SEEDS)]))


@pytest.mark.parametrize(("rate", "elapsed"), [(5.0, 10), (40.0, 20)])
def test_80_percent_interval_covers_the_final_total_80_percent_of_the_time(rate, elapsed):
    def trial(rng):
        days = rng.poisson(rate, 30)
        res = pace_sum(days[:elapsed], days_total=30, target=None, seed=int(rng.integers(1e9)))
        return res.low <= days.sum() <= res.high

    assert 0.72 <= coverage(trial) <= 0.88


def test_interval_coverage_for_sums_that_can_be_negative():
    # daily net follower change: normal model
    def trial(rng):
        days = rng.normal(2.0, 6.0, 30)
        res = pace_sum(days[:12], days_total=30, target=None)
        return res.low <= days.sum() <= res.high

    assert 0.72 <= coverage(trial) <= 0.88


def test_ratio_interval_coverage():
    def trial(rng):
        reach = np.round(rng.lognormal(7, 0.5, 60))
        rate = np.minimum(0.05 * rng.gamma(4, 1 / 4, 60), 1)
        num = rng.binomial(reach.astype(np.int64), rate).astype(float)
        res = pace_ratio(num[:20], reach[:20], units_total=60, target=None)
        return res.low <= num.sum() / reach.sum() <= res.high

    assert 0.72 <= coverage(trial) <= 0.88


def test_projection_is_so_far_plus_remaining_days_at_the_current_rate():
    days = np.array([3, 5, 2, 4, 6, 1, 7, 3, 3, 6])
    res = pace_sum(days, days_total=31, target=100)
    assert res.projected == pytest.approx(days.sum() + 21 * days.mean())
    assert res.low < res.projected < res.high
    assert (res.elapsed, res.total, res.target, res.reason) == (10, 31, 100.0, "")
    assert res == pace_sum(days, days_total=31, target=100)  # seeded, deterministic


def test_year_to_date_pacing_of_an_annual_target():
    rng = np.random.default_rng(7)
    ytd = rng.poisson(4, 100)  # 10 April
    res = pace_sum(ytd, days_total=365, target=1600)
    assert res.projected == pytest.approx(ytd.sum() * 365 / 100)
    assert 0 < res.probability < 1


def test_probability_is_monotone_in_the_target():
    days = np.random.default_rng(3).negative_binomial(3, 3 / 23, 12)  # over-dispersed
    targets = np.linspace(200, 900, 30)
    up = [pace_sum(days, days_total=30, target=t).probability for t in targets]
    down = [
        pace_sum(days, days_total=30, target=t, higher_is_better=False).probability for t in targets
    ]
    assert np.all(np.diff(up) <= 0)
    assert np.all(np.diff(down) >= 0)
    assert up[0] > 0.95 and up[-1] < 0.05
    ratio = [
        pace_ratio([5.0, 9, 4, 7], [100.0, 150, 90, 120], units_total=10, target=t).probability
        for t in np.linspace(0.03, 0.08, 20)
    ]
    assert np.all(np.diff(ratio) <= 0)


def test_on_the_last_day_the_interval_collapses_to_the_realised_value():
    days = np.random.default_rng(4).poisson(8, 30)
    total = float(days.sum())
    res = pace_sum(days, days_total=30, target=total)
    assert res.projected == res.low == res.high == total
    assert res.probability == 1.0
    assert pace_sum(days, days_total=30, target=total + 1).probability == 0.0
    assert pace_sum(days, days_total=30, target=total - 1, higher_is_better=False).probability == 0


def test_ratio_interval_shrinks_as_the_last_unit_is_reached():
    rng = np.random.default_rng(5)
    reach = np.round(rng.lognormal(7, 1, 40))
    num = rng.binomial(reach.astype(np.int64), 0.04).astype(float)
    widths = []
    for n in (10, 20, 30, 39, 40):
        res = pace_ratio(num[:n], reach[:n], units_total=40, target=0.04)
        assert res.projected == pytest.approx(num[:n].sum() / reach[:n].sum())
        widths.append(res.high - res.low)
    assert np.all(np.diff(widths) < 0)
    assert widths[-1] == 0


def test_too_early_in_the_period():
    for res in (
        pace_sum([4, 5], days_total=30, target=100),
        pace_sum([4, np.nan, 5, np.nan], days_total=30, target=100),
        pace_ratio([1.0, 2.0], [10.0, 20.0], units_total=30, target=0.1),
    ):
        assert np.isnan(res.projected) and np.isnan(res.probability)
        assert res.reason == "too early in the period"


def test_missing_days_are_projected_like_remaining_days():
    res = pace_sum([4, np.nan, 6, 5, np.nan], days_total=10, target=None)
    assert res.projected == pytest.approx(15 + 7 * 5)
    assert res.elapsed == 5
    assert np.isnan(res.probability)


def test_result_record_and_errors():
    res = pace_sum([1, 2, 3], days_total=5, target=10)
    assert isinstance(res, PaceResult)
    assert list(res.as_dict()) == [
        "projected", "low", "high", "probability", "elapsed", "total", "target", "reason"
    ]  # fmt: skip
    with pytest.raises(ParameterError, match="days_total"):
        pace_sum([1, 2, 3, 4], days_total=3, target=10)
    with pytest.raises(ParameterError, match="level"):
        pace_sum([1, 2, 3], days_total=5, target=10, level=80)
    with pytest.raises(ParameterError, match="units_total"):
        pace_ratio([1.0, 2, 3], [1.0, 2, 3], units_total=2.5, target=1)
