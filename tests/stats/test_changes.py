"""Change tests: level under no change, agreement with scipy, CIs, minimum-data rules."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields

import numpy as np
import pytest
from scipy import stats

from kpi_notebook_lib.exceptions import ParameterError
from kpi_notebook_lib.stats import (
    VERDICTS,
    ChangeResult,
    count_rate,
    mean_values,
    ratio_of_sums,
    two_proportion,
)

ALPHA = 0.05


def max_false_rate(n_seeds: int, alpha: float = ALPHA) -> float:
    """alpha + 3 binomial standard errors: the most a correct test shows over n_seeds."""
    return alpha + 3 * np.sqrt(alpha * (1 - alpha) / n_seeds)


def posts(rng, n, rate=0.04, sigma=1.5):
    """Posts with heavy-tailed lognormal reach and a per-post engagement rate around `rate`."""
    reach = np.round(rng.lognormal(7, sigma, n))
    per_post = np.minimum(rate * rng.gamma(4, 1 / 4, n), 1)
    return rng.binomial(reach.astype(np.int64), per_post).astype(float), reach


def nb_days(rng, days, mean=40.0, size=5.0):
    """Over-dispersed daily counts: negative binomial, variance mean + mean²/size."""
    return rng.negative_binomial(size, size / (size + mean), days)


# ------------------------------------------------------------------- level under no change


def _null_two_proportion(rng):
    n1, n0 = rng.integers(200, 2000, 2)
    return two_proportion(rng.binomial(n1, 0.3), n1, rng.binomial(n0, 0.3), n0)


def _null_ratio_large(rng):
    return ratio_of_sums(*posts(rng, 60), *posts(rng, 45))


def _null_ratio_small(rng):
    return ratio_of_sums(*posts(rng, 12), *posts(rng, 15), n_resamples=1000)


def _null_counts_nb(rng):
    return count_rate(nb_days(rng, 31), nb_days(rng, 30))


def _null_counts_poisson(rng):
    return count_rate(rng.poisson(20, 31), rng.poisson(20, 30))


def _null_mann_whitney(rng):
    # mean compound of mentions: bounded, skewed
    v1, v0 = np.tanh(rng.normal(0.2, 0.5, 150)), np.tanh(rng.normal(0.2, 0.5, 120))
    return mean_values(v1, v0, n_resamples=200)


def _null_median_response(rng):
    v1, v0 = rng.lognormal(1, 1.2, 40), rng.lognormal(1, 1.2, 55)
    return mean_values(v1, v0, statistic="median", n_resamples=200)


def _null_welch_net_followers(rng):
    # daily net follower change: can be negative
    return mean_values(rng.normal(3, 8, 31), rng.normal(3, 8, 30), test="welch")


NULL_CASES = {
    "two_proportion": (_null_two_proportion, 600),
    "ratio_of_sums": (_null_ratio_large, 600),
    "ratio_of_sums_small": (_null_ratio_small, 400),
    "count_rate_nb": (_null_counts_nb, 600),
    "count_rate_poisson": (_null_counts_poisson, 2000),
    "mann_whitney": (_null_mann_whitney, 400),
    "median_response_time": (_null_median_response, 400),
    "welch": (_null_welch_net_followers, 400),
}


@pytest.mark.parametrize("case", list(NULL_CASES))
def test_no_change_is_called_noise_at_the_nominal_rate(case):
    make, n_seeds = NULL_CASES[case]
    verdicts = Counter(make(np.random.default_rng(seed)).verdict for seed in range(n_seeds))
    assert verdicts["too_little_data"] == 0
    false_rate = (verdicts["rise"] + verdicts["fall"]) / n_seeds
    assert false_rate <= max_false_rate(n_seeds), (case, false_rate)


# ------------------------------------------------------------------ agreement with scipy


def test_two_proportion_matches_a_direct_pooled_z_test():
    for seed in range(50):
        rng = np.random.default_rng(seed)
        n1, n0 = rng.integers(100, 3000, 2)
        x1, x0 = rng.binomial(n1, 0.4), rng.binomial(n0, 0.45)
        res = two_proportion(x1, n1, x0, n0)
        p = (x1 + x0) / (n1 + n0)
        z = (x1 / n1 - x0 / n0) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n0))
        assert res.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
        assert res.estimate == pytest.approx(x1 / n1 - x0 / n0)
        h = 2 * np.arcsin(np.sqrt(x1 / n1)) - 2 * np.arcsin(np.sqrt(x0 / n0))
        assert res.effect_size == pytest.approx(h)
        assert res.ci_low < res.estimate < res.ci_high


def test_two_proportion_uses_fisher_with_small_expected_counts():
    res = two_proportion(1, 20, 6, 20)
    assert res.p_value == pytest.approx(stats.fisher_exact([[1, 19], [6, 14]]).pvalue)


def test_two_proportion_newcombe_interval_on_a_published_example():
    # Newcombe (1998), Statistics in Medicine 17, table II, example (a): 56/70 vs 48/80,
    # hybrid score interval 0.0524 to 0.3339
    res = two_proportion(56, 70, 48, 80)
    assert res.ci_low == pytest.approx(0.0524, abs=1e-4)
    assert res.ci_high == pytest.approx(0.3339, abs=1e-4)


def test_mann_whitney_matches_scipy_and_rank_biserial():
    rng = np.random.default_rng(3)
    v1, v0 = rng.lognormal(0.3, 1, 60), rng.lognormal(0, 1, 70)
    res = mean_values(v1, v0)
    ref = stats.mannwhitneyu(v1, v0, alternative="two-sided")
    assert res.method == "mann_whitney"
    assert res.p_value == pytest.approx(ref.pvalue)
    assert res.effect_size == pytest.approx(2 * ref.statistic / (60 * 70) - 1)
    assert res.estimate == pytest.approx(v1.mean() - v0.mean())


def test_welch_matches_scipy_test_and_interval():
    rng = np.random.default_rng(4)
    v1, v0 = rng.normal(1, 2, 25), rng.normal(0, 5, 40)
    res = mean_values(v1, v0, test="welch", alpha=0.1)
    ref = stats.ttest_ind(v1, v0, equal_var=False)
    ci = ref.confidence_interval(0.9)
    assert res.p_value == pytest.approx(ref.pvalue)
    assert (res.ci_low, res.ci_high) == pytest.approx((ci.low, ci.high))


def test_median_statistic_and_bootstrap_interval():
    rng = np.random.default_rng(5)
    v1, v0 = rng.lognormal(1.5, 1, 80), rng.lognormal(1, 1, 80)
    res = mean_values(v1, v0, statistic="median", seed=1)
    assert res.estimate == pytest.approx(np.median(v1) - np.median(v0))
    assert res.ci_low < res.estimate < res.ci_high
    assert res == mean_values(v1, v0, statistic="median", seed=1)  # seeded, deterministic


def test_poisson_rate_matches_the_exact_conditional_binomial_test():
    rng = np.random.default_rng(6)
    c1, c0 = rng.poisson(12, 31), rng.poisson(10, 28)
    res = count_rate(c1, c0, dispersion_alpha=1e-6)  # Poisson data: keep the Poisson path
    assert res.method == "poisson_rate"
    x1, n, pi0 = c1.sum(), c1.sum() + c0.sum(), 31 / 59
    tails = stats.binom.cdf(x1, n, pi0), stats.binom.sf(x1 - 1, n, pi0)
    assert res.p_value == pytest.approx(min(1, 2 * min(tails)))
    assert res.estimate == c1.sum() - c0.sum()
    assert res.effect_size == pytest.approx(np.log((c1.sum() / 31) / (c0.sum() / 28)))


def test_ratio_of_sums_estimate_counts_zero_denominator_units():
    num1, den1 = np.array([5.0, 3, 2, 8, 1, 4]), np.array([100.0, 0, 50, 200, 0, 80])
    num0, den0 = np.array([2.0, 6, 1, 3, 7]), np.array([60.0, 120, 0, 90, 150])
    res = ratio_of_sums(num1, den1, num0, den0)
    assert res.estimate == pytest.approx(num1.sum() / den1.sum() - num0.sum() / den0.sum())
    assert res.effect_size == pytest.approx(res.estimate / (num0.sum() / den0.sum()))


# ---------------------------------------------------------- interval agrees with the verdict


def _mixed_cases(rng):
    """One result per method whose CI inverts its test, under a change or not."""
    shift = rng.choice([0.0, 0.1, 0.25])
    a1, b1 = posts(rng, 50, 0.04 * (1 + shift))
    a0, b0 = posts(rng, 40)
    days = rng.integers(28, 32)
    yield ratio_of_sums(a1, b1, a0, b0), 0.0
    # small periods: permutation test and the interval that inverts it
    yield ratio_of_sums(a1[:12], b1[:12], a0[:15], b0[:15], n_resamples=500), 0.0
    c1, c0 = nb_days(rng, days, 40 * (1 + shift)), nb_days(rng, 30)
    res = count_rate(c1, c0)
    yield res, c0.sum() * (days - 30) / 30  # the no-change value of the totals' change
    c1, c0 = rng.poisson(20 * (1 + shift), days), rng.poisson(20, 30)
    yield count_rate(c1, c0), c0.sum() * (days - 30) / 30
    yield mean_values(rng.normal(shift, 1, 40), rng.normal(0, 1, 30), test="welch"), 0.0


def test_interval_excludes_the_no_change_value_exactly_when_significant():
    methods = Counter()
    for seed in range(150):
        for res, null in _mixed_cases(np.random.default_rng(seed)):
            methods[res.method] += 1
            significant = res.verdict in ("rise", "fall")
            excludes = not res.ci_low <= null <= res.ci_high
            assert significant == excludes, (seed, res)
    assert set(methods) == {"ratio_of_sums", "negative_binomial_rate", "poisson_rate", "welch"}


# ----------------------------------------------------------------------- count_rate specifics


def test_a_count_never_falls_by_more_than_everything():
    # 106 neutral mentions in September, 27 in October, days varying a lot: the interval of
    # the change stays above -106 (-100 %) and holds the estimate
    rng = np.random.default_rng(11)
    c0 = rng.multinomial(106, rng.dirichlet(np.full(30, 0.3)))
    c1 = rng.multinomial(27, rng.dirichlet(np.full(31, 0.3)))
    res = count_rate(c1, c0)
    assert res.method == "negative_binomial_rate"
    assert -106 < res.ci_low < res.estimate == -79 < res.ci_high
    assert res.verdict == "fall"


def test_a_31_day_month_at_the_same_daily_rate_is_noise():
    res = count_rate(np.full(31, 1000), np.full(30, 1000))
    assert res.estimate == 1000
    assert res.verdict == "noise"
    assert res.p_value == pytest.approx(1.0)
    # a naive Poisson test on the totals would have called it a rise
    assert stats.binomtest(31000, 61000, 0.5).pvalue < ALPHA


def test_dispersion_picks_the_method():
    n_seeds = 300
    nb = Counter(count_rate(nb_days(rng, 30), nb_days(rng, 30)).method for rng in _rngs(n_seeds))
    pois = Counter(
        count_rate(rng.poisson(30, 30), rng.poisson(30, 30)).method for rng in _rngs(n_seeds)
    )
    assert nb["negative_binomial_rate"] / n_seeds >= 0.99
    # the pre-test has level 0.1: Poisson data are tested as Poisson about 90 % of the time
    assert pois["poisson_rate"] / n_seeds >= 0.9 - 3 * np.sqrt(0.09 / n_seeds)


def _rngs(n):
    return (np.random.default_rng(seed) for seed in range(n))


def test_clear_changes_have_the_right_direction():
    rng = np.random.default_rng(8)
    assert count_rate(nb_days(rng, 30, 80), nb_days(rng, 30, 40)).verdict == "rise"
    assert count_rate(rng.poisson(10, 30), rng.poisson(20, 30)).verdict == "fall"
    assert two_proportion(200, 1000, 300, 1000).verdict == "fall"
    assert ratio_of_sums(*posts(rng, 80, 0.08), *posts(rng, 80, 0.04)).verdict == "rise"
    assert ratio_of_sums(*posts(rng, 15, 0.02), *posts(rng, 15, 0.06)).verdict == "fall"
    assert mean_values(rng.normal(1, 1, 50), rng.normal(0, 1, 50)).verdict == "rise"


# ------------------------------------------------------------------------------ edge cases


def test_empty_or_missing_previous_period_is_too_little_data():
    cases = [
        two_proportion(30, 100, 0, 0),
        two_proportion(30, 100, np.nan, np.nan),
        ratio_of_sums([1.0] * 10, [10.0] * 10, [], []),
        count_rate([3, 4, 5], []),
        mean_values([1.0] * 10, None),
    ]
    for res in cases:
        assert res.verdict == "too_little_data"
        assert res.method == "none"
        assert "previous" in res.reason
        assert np.isnan(res.p_value)


def test_minimum_data_rules():
    assert "fewer than 5" in two_proportion(1, 4, 30, 100).reason
    assert "fewer than 5" in ratio_of_sums([1.0] * 4, [9.0] * 4, [1.0] * 9, [9.0] * 9).reason
    assert "fewer than 5" in mean_values([1, 2, 3], [1, 2, 3, 4, 5]).reason
    res = count_rate([0, 1, 0, 2], [1, 0, 3, 0])
    assert res.verdict == "too_little_data"
    assert "fewer than 10 events" in res.reason
    assert res.estimate == -1  # the raw change is still reported


def test_zero_denominators():
    zero = ratio_of_sums([1.0, 2, 3, 4, 5], [0.0] * 5, [1.0] * 5, [10.0] * 5)
    assert zero.verdict == "too_little_data"
    assert "zero denominator" in zero.reason
    assert "current" in zero.reason


def test_all_zero_counts():
    res = count_rate(np.zeros(30), np.zeros(31))
    assert res.verdict == "too_little_data"
    assert res.estimate == 0


def test_nans_are_dropped_pairwise():
    rng = np.random.default_rng(9)
    a1, b1 = posts(rng, 40)
    a0, b0 = posts(rng, 40)
    a1n, b0n = a1.copy(), b0.copy()
    a1n[[3, 7]] = np.nan
    b0n[5] = np.nan
    keep1, keep0 = ~np.isnan(a1n), ~np.isnan(b0n)
    assert ratio_of_sums(a1n, b1, a0, b0n) == ratio_of_sums(
        a1[keep1], b1[keep1], a0[keep0], b0[keep0]
    )
    v1 = np.array([1.0, np.nan, 3, 4, 5, 6, np.nan])
    v0 = np.array([2.0, 2, 3, np.nan, 1, 0])
    assert mean_values(v1, v0) == mean_values(v1[~np.isnan(v1)], v0[~np.isnan(v0)])
    c1 = np.array([5, np.nan, 7, 6, 9, 4])
    assert count_rate(c1, [3, 4, 6, 5, 2]) == count_rate([5, 7, 6, 9, 4], [3, 4, 6, 5, 2])


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: count_rate([1, -2, 3], [1, 2, 3]), "counts1"),
        (lambda: count_rate([1, 2, 3], [1, 2.5, 3]), "counts0"),
        (lambda: two_proportion(120, 100, 5, 10), "x1"),
        (lambda: ratio_of_sums([1, 2], [1, -1], [1, 2], [1, 1]), "den1"),
        (lambda: ratio_of_sums([1, 2, 3], [1, 1], [1, 2], [1, 1]), "den1"),
        (lambda: mean_values([1, 2], [3, 4], statistic="mode"), "statistic"),
        (lambda: mean_values([1, 2], [3, 4], test="t"), "test"),
        (lambda: two_proportion(1, 10, 1, 10, alpha=1.5), "alpha"),
        (lambda: mean_values([[1, 2]], [3, 4]), "values1"),
        (lambda: mean_values([1, np.inf], [3, 4]), "values1"),
    ],
)
def test_invalid_input_raises_parameter_error(call, name):
    with pytest.raises(ParameterError) as err:
        call()
    assert err.value.name == name
    assert "but" in str(err.value)


def test_result_is_a_small_frozen_record():
    res = two_proportion(30, 100, 20, 100)
    assert isinstance(res, ChangeResult)
    assert res.verdict in VERDICTS
    d = res.as_dict()
    assert list(d) == [f.name for f in fields(ChangeResult)]
    assert d["reason"] == ""
    with pytest.raises(AttributeError):
        res.verdict = "rise"  # type: ignore[misc]
