"""Minimum detectable change: a true change of exactly the MDC is detected with ≈ the power."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from kpi_notebook_lib.exceptions import ParameterError
from kpi_notebook_lib.stats import (
    count_rate,
    mean_values,
    minimum_detectable_change,
    ratio_of_sums,
    two_proportion,
)

POWER = 0.8
N_SEEDS = 600


def power_band(n_seeds: int = N_SEEDS) -> tuple[float, float]:
    """Detection rate expected at the MDC: ≥ power − 3 binomial SEs, and not absurdly above."""
    return POWER - 3 * np.sqrt(POWER * (1 - POWER) / n_seeds), 0.95


def posts(rng, n, rate=0.04, sigma=1.0):
    """Posts with lognormal reach and a per-post engagement rate around `rate`."""
    reach = np.round(rng.lognormal(7, sigma, n))
    per_post = np.minimum(rate * rng.gamma(4, 1 / 4, n), 1)
    return rng.binomial(reach.astype(np.int64), per_post).astype(float), reach


def nb_days(rng, days, mean, size=5.0):
    return rng.negative_binomial(size, size / (size + mean), days)


def detection_rate(trial) -> float:
    """Share of seeds where the change of exactly the MDC (from the current data) is a rise."""
    hits = [trial(np.random.default_rng(seed)) for seed in range(N_SEEDS)]
    return float(np.mean(hits))


# Each trial: draw the current period, ask its MDC, draw the next period with the true level
# moved by exactly that MDC, and test next vs current.


def _trial_two_proportion(rng, n=800, p=0.3):
    x0 = rng.binomial(n, p)
    mdc, rel = minimum_detectable_change("two_proportion", x=x0, n=n, power=POWER)
    assert rel == pytest.approx(mdc / (x0 / n))
    return two_proportion(rng.binomial(n, p + mdc), n, x0, n).verdict == "rise"


def _trial_ratio_of_sums(rng, n=60, rate=0.04):
    num0, den0 = posts(rng, n, rate)
    mdc, _ = minimum_detectable_change("ratio_of_sums", num=num0, den=den0, power=POWER)
    return ratio_of_sums(*posts(rng, n, rate + mdc), num0, den0).verdict == "rise"


def _trial_count_rate_overdispersed(rng, days=91, mean=40.0):
    c0 = nb_days(rng, days, mean)
    mdc, rel = minimum_detectable_change("count_rate", counts=c0, power=POWER)
    assert mdc == pytest.approx(rel * c0.sum())
    res = count_rate(nb_days(rng, days, mean * (1 + rel)), c0)
    assert res.method == "negative_binomial_rate"
    return res.verdict == "rise"


def _trial_count_rate_poisson(rng, days=30, mean=20.0):
    c0 = rng.poisson(mean, days)
    _, rel = minimum_detectable_change("count_rate", counts=c0, power=POWER)
    return count_rate(rng.poisson(mean * (1 + rel), days), c0).verdict == "rise"


def _trial_welch(rng, n=60):
    v0 = rng.normal(5, 2, n)
    mdc, _ = minimum_detectable_change("welch", values=v0, power=POWER)
    return mean_values(rng.normal(5 + mdc, 2, n), v0, test="welch").verdict == "rise"


TRIALS = {
    "two_proportion": _trial_two_proportion,
    "ratio_of_sums": _trial_ratio_of_sums,
    "count_rate_overdispersed": _trial_count_rate_overdispersed,
    "count_rate_poisson": _trial_count_rate_poisson,
    "welch": _trial_welch,
}


@pytest.mark.parametrize("case", list(TRIALS))
def test_a_change_of_exactly_the_mdc_is_detected_with_the_power(case):
    rate = detection_rate(TRIALS[case])
    low, high = power_band()
    assert low <= rate <= high, (case, rate)


def test_two_proportion_mdc_is_close_to_the_textbook_formula():
    # (z_{1-α/2} + z_power) · √(2 p q / n): same test, a cruder variance under the alternative
    for p, n in [(0.3, 1000), (0.1, 5000), (0.5, 400)]:
        mdc, _ = minimum_detectable_change("two_proportion", x=p * n, n=n)
        textbook = (stats.norm.isf(0.025) + stats.norm.ppf(0.8)) * np.sqrt(2 * p * (1 - p) / n)
        assert mdc == pytest.approx(textbook, rel=0.08)


def test_welch_mdc_is_the_plain_formula():
    v = np.random.default_rng(1).normal(10, 3, 50)
    mdc, rel = minimum_detectable_change("welch", values=v, alpha=0.1, power=0.9)
    df = 98
    expected = (stats.t.isf(0.05, df) + stats.t.ppf(0.9, df)) * v.std(ddof=1) * np.sqrt(2 / 50)
    assert mdc == pytest.approx(expected)
    assert rel == pytest.approx(expected / v.mean())


def test_mdc_shrinks_with_volume_and_grows_with_power():
    rng = np.random.default_rng(2)
    small = minimum_detectable_change("two_proportion", x=30, n=100)[0]
    large = minimum_detectable_change("two_proportion", x=1200, n=4000)[0]
    assert large < small / 4
    counts = nb_days(rng, 30, 40)
    lo = minimum_detectable_change("count_rate", counts=counts, power=0.5)[1]
    hi = minimum_detectable_change("count_rate", counts=counts, power=0.9)[1]
    assert lo < hi
    # over-dispersed days need a larger change than Poisson days at the same mean
    poisson = minimum_detectable_change("count_rate", counts=np.full(30, 40))[1]
    assert poisson < lo


def test_rank_test_mdc_is_a_shift_of_the_statistic():
    rng = np.random.default_rng(3)
    v = rng.lognormal(1, 1, 200)
    mdc, rel = minimum_detectable_change("mann_whitney", values=v, statistic="median")
    assert mdc > 0
    assert rel == pytest.approx(mdc / np.median(v))
    assert minimum_detectable_change("mean_values", values=v, statistic="median") == (mdc, rel)


def test_too_little_data_gives_nan():
    for method, data in [
        ("two_proportion", {"x": 1, "n": 3}),
        ("ratio_of_sums", {"num": [1.0, 2.0], "den": [5.0, 5.0]}),
        ("ratio_of_sums", {"num": [1.0] * 6, "den": [0.0] * 6}),
        ("count_rate", {"counts": []}),
        ("count_rate", {"counts": [0, 0, 1, 0]}),
        ("welch", {"values": [1.0, 2.0, np.nan]}),
    ]:
        assert np.isnan(minimum_detectable_change(method, **data)).all(), method


def test_bad_arguments_raise_parameter_error():
    with pytest.raises(ParameterError, match="method"):
        minimum_detectable_change("chi_square", x=1, n=2)
    with pytest.raises(ParameterError, match="data keywords"):
        minimum_detectable_change("two_proportion", num=[1.0], den=[2.0])
    with pytest.raises(ParameterError, match="power"):
        minimum_detectable_change("two_proportion", power=1.2, x=30, n=100)
