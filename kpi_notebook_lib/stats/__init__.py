"""Statistical honesty for KPI changes: tests, minimum detectable change, trends, pacing.

Pure statistics (numpy/scipy in, small frozen results out); the KPI engine, reports and
notebooks put the results in the KPI's unit and words.

Which test for which KPI
------------------------
Every change between two periods gets a test, an effect size, a confidence interval and a
verdict: ``rise``, ``fall``, ``noise`` (within normal variation) or ``too_little_data``. The
test depends on how the KPI is built, because each kind of KPI varies in its own way:

========================  ==========================================  =======================
KPI built as              Examples                                    Function (method)
========================  ==========================================  =======================
successes / trials        share of positive mentions                  :func:`two_proportion`
Σ numerator / Σ denom.    engagement rate over posts, CTR             :func:`ratio_of_sums`
count per day             mentions, impressions, followers gained     :func:`count_rate`
value per unit            mean sentiment, daily revenue, response     :func:`mean_values`
                          time (median)
========================  ==========================================  =======================

- :func:`two_proportion` — each trial is a yes/no: pooled z-test (Fisher's exact test with
  small expected counts), Newcombe interval, Cohen's h.
- :func:`ratio_of_sums` — posts differ wildly (one viral post outweighs hundreds), so the
  variance is computed per post (cluster-robust delta method), not as if every impression
  were independent; permutation test and bootstrap below 30 units in a period.
- :func:`count_rate` — tested on the daily *rate*, so a 31-day month is not a rise over a
  30-day one; Poisson exact test, or a negative-binomial (quasi-Poisson) test when days vary
  more than Poisson noise, which is the usual case on social media.
- :func:`mean_values` — Mann–Whitney by default (robust to skew and outliers: one angry thread
  or one huge sale does not decide the verdict), Welch's t-test on request.

Each test documents its minimum-data rules (e.g. fewer than 5 units in a period, fewer than 10
events in the two periods together, zero denominator, missing previous period).

:func:`minimum_detectable_change` gives, for the same tests, the smallest change the next
period could reliably show at the current volume. :func:`robust_trend` gives the direction over
several periods (Theil–Sen slope, Mann–Kendall test). :func:`pace_sum` and :func:`pace_ratio`
project the end of a period against its target.
"""

from ._result import VERDICTS, ChangeResult
from .alerts import alert_baseline, alert_episodes, alert_threshold, detect_alerts
from .changes import count_rate, mean_values, ratio_of_sums, two_proportion
from .mdc import MDC_METHODS, minimum_detectable_change
from .pacing import PaceResult, pace_ratio, pace_sum
from .trend import TrendResult, robust_trend

__all__ = [
    "MDC_METHODS",
    "VERDICTS",
    "ChangeResult",
    "PaceResult",
    "TrendResult",
    "alert_baseline",
    "alert_episodes",
    "alert_threshold",
    "count_rate",
    "detect_alerts",
    "mean_values",
    "minimum_detectable_change",
    "pace_ratio",
    "pace_sum",
    "ratio_of_sums",
    "robust_trend",
    "two_proportion",
]
