"""Alerts on daily series, with a stated false-alarm rate.

Each day is compared with a baseline built only from the ``window_weeks`` weeks **before** it,
and an alert is raised when the day is too unlikely under that baseline. The threshold is not
a rule of thumb: it comes from a budget of false alarms.

The budget, and the arithmetic
------------------------------
``false_alarms_per_month = B`` is the number of alerts a client may get per month from pure
noise (on quiet history), over all the series checked for that client. With ``S`` series
checked per client (``n_series``; by default the client's series in the input, e.g. 6) and
365.25 / 12 = 30.44 days per month, each day of each series is allowed a false-alarm
probability of

    threshold = B / (S × 30.44)        e.g. 1 / (6 × 30.44) = 0.0055 per check.

A day alerts when its p-value is at most ``threshold``. For series checked in both directions
the p-value is two-sided (twice the smaller tail), so each tail gets ``threshold / 2``; for
series checked one way (negative mentions, lost followers: only rises matter) it is the upper
tail. By the union bound the expected number of false alarms per client-month is at most
``S × 30.44 × threshold = B``. Counts are discrete, so the actual rate is lower, much lower
for series of 0–3 events a day (a tail of exactly 0.0055 is rarely available).

The baseline
------------
Both kinds of series share one robust skeleton, fitted on the window's days only:

- *level*: the median of the window's weekly means (a week holds every weekday, so weekday
  effects cancel; a bad week out of eight does not move a median);
- *weekday shape*: each weekday's mean over its ~8 days, its deviation from the average day
  shrunk by empirical Bayes (``τ² / (τ² + s²)``): a real Saturday peak is kept, "weekday
  effects" made of noise (0–3 events a day) are not;
- *trend*: Theil–Sen slope of the weekly means, shrunk by its own noise, to carry the level
  from the window's centre (four weeks back) to the checked day;
- *robustness*: a start from the median, trimmed mean and MAD, then every value beyond the
  fitted model's 0.1 % tails is winsorised and the model refitted, three times; the
  dispersion is the median of the weekly dispersions. A past spike of a few days changes
  nothing, a whole week at 8× the usual level raises the expected value by about 10 %
  (a plain 8-week mean: 90 %), and an outage does not deflate the baseline.

*Counts* (mentions, negative mentions, interactions, new and lost followers): negative
binomial tail probabilities, ``Var = mu + alpha·mu²``: social counts vary more than Poisson,
and the dispersion is what makes "50 mentions instead of 30" an alert or not, while at 0–3
events a day the tail stays exact where a z-score is meaningless. The predictive variance adds
the error of the expected value (the weekday's own mean, ``Var/n_weekday``, and the trend's),
and the part beyond Poisson is widened for the uncertainty of ``alpha`` as a t-test widens a
z-test (degrees of freedom from the days, the NB kurtosis and the median's efficiency).

*Signed series* (net followers): a robust z-score on the same skeleton, the scale from the
median of the weekly residual variances, each weekday's variance moderated half-way to the
pooled one (busy days are noisier), rises and falls with their own scale (semi-variances:
net gains are skewed), Student t degrees of freedom lowered for heavy tails (Moors' octile
kurtosis), a half-unit continuity correction for whole numbers, never below 0.5.

Calibration, measured on simulated null series (``tests/stats/test_alerts.py``,
``bench/alerts.py``): false alarms per client-month between 0.2 and 0.9 of the budget for
Poisson and negative-binomial counts from 0.5 to 800 a day (dispersion up to 0.6) with a
weekday pattern and a slow trend, and 0.3–1.0 for net follows. The approximations (estimated
dispersion, shrinkage, discreteness) err on the side of fewer alerts.

Why not EWMA or CUSUM
---------------------
EWMA and CUSUM charts accumulate evidence of a *sustained* shift and are tuned by an average
run length that assumes a stationary, roughly normal, non-seasonal series with a known
in-control level. Here the series are short (a few months), weekly seasonal, often counts of
0–3 a day where a normal approximation or a MAD is meaningless (the MAD is 0 when most days
are 0), and the reports need a per-day statement ("this Tuesday was unusual, expected 2–9,
observed 31") with a false-alarm probability per day that adds up to a monthly budget. A
per-day predictive tail probability gives exactly that, and a count-aware tail stays
calibrated at low counts. Sustained shifts are still caught day by day while the window has
not absorbed them (e.g. a two-week campaign), and consecutive alerts are grouped into
episodes (``episode_start``) so a three-day bad buzz reads as one event.

Consecutive alerts
------------------
Rows stay one per day (each day has its own evidence: observed vs expected range), and
consecutive alert days of the same client, platform, series and direction share an
``episode_start`` (the first day). :func:`alert_episodes` summarises them, one row per
episode. The budget above counts alert *days*, so it also bounds the false episodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from ._alerts_data import KEYS, calendar, check_directions, check_input, episodes, positive
from ._alerts_fit import windows
from ._alerts_model import evaluate

__all__ = [
    "ALERT_COLUMNS",
    "BASELINE_COLUMNS",
    "DAYS_PER_MONTH",
    "DEFAULT_DIRECTIONS",
    "SIGNED_SERIES",
    "alert_baseline",
    "alert_episodes",
    "alert_threshold",
    "detect_alerts",
]

#: Days in an average month (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12
#: Direction checked per series: "both", "up" (rises only) or "down" (falls only). Series not
#: listed are checked both ways.
DEFAULT_DIRECTIONS: dict[str, str] = {
    "mentions": "both",
    "negative_mentions": "up",
    "interactions": "both",
    "new_followers": "both",
    "lost_followers": "up",
    "net_followers": "both",
}
#: Series that can be negative: robust z-score. Other series are counts (negative binomial)
#: when all their values are whole numbers ≥ 0, and signed otherwise.
SIGNED_SERIES = frozenset({"net_followers"})
#: An alert is "strong" when its p-value is this many times smaller than the threshold.
STRONG_FACTOR = 10.0

#: Columns of :func:`alert_baseline`.
BASELINE_COLUMNS = [
    *KEYS,
    "date",
    "observed",
    "expected",
    "low",
    "high",
    "p_value",
    "threshold",
    "alert",
    "direction",
    "method",
    "history_days",
]
#: Columns of :func:`detect_alerts`.
ALERT_COLUMNS = [
    *KEYS,
    "date",
    "observed",
    "expected",
    "low",
    "high",
    "p_value",
    "direction",
    "severity",
    "history_days",
    "episode_start",
    "threshold",
]


def alert_threshold(false_alarms_per_month: float, n_series: int) -> float:
    """Per-check false-alarm probability: ``false_alarms_per_month / (n_series × 30.44)``.

    Examples
    --------
    >>> round(alert_threshold(1.0, 6), 5)
    0.00548
    """
    b = positive("false_alarms_per_month", false_alarms_per_month)
    if not isinstance(n_series, (int, np.integer)) or n_series < 1:
        raise ParameterError("n_series", n_series, "a whole number ≥ 1")
    t = b / (int(n_series) * DAYS_PER_MONTH)
    if t >= 1:
        raise ParameterError(
            "false_alarms_per_month",
            b,
            f"below {n_series * DAYS_PER_MONTH:.0f} (one alert per series and day)",
        )
    return t


def alert_baseline(
    series: pd.DataFrame,
    *,
    start: Any = None,
    end: Any = None,
    false_alarms_per_month: float = 1.0,
    n_series: int | None = None,
    window_weeks: int = 8,
    min_history_weeks: int = 4,
    direction: str | Mapping[str, str] | None = None,
    platforms: bool = False,
) -> pd.DataFrame:
    """Expected value, acceptance band and p-value of every checked day.

    Parameters
    ----------
    series : pandas.DataFrame
        Long-form DataFrame with columns ``client, platform, series, date, value`` (e.g.
        :func:`kpi_notebook_lib.series.daily_series`, possibly several clients); NA values
        are days without data. Days before ``start`` serve as history.
    start, end : date-like, optional
        First and last day checked (default: the whole input).
    false_alarms_per_month : float
        Alerts per client and month allowed on quiet history (see the module docstring).
    n_series : int, optional
        Series checked per client, over which the budget is spread (default: per client, the
        number of platform × series in the input with data in ``[start, end]``).
    window_weeks : int
        Weeks of history before each day that the baseline is fitted on.
    min_history_weeks : int
        Days with fewer than ``7 × min_history_weeks`` days of data in their window are not
        checked (counted in ``attrs["skipped"]``).
    direction : str or mapping, optional
        ``"both"``, ``"up"`` or ``"down"`` for every series, or series → direction (default
        :data:`DEFAULT_DIRECTIONS`).
    platforms : bool
        Also check each platform's series; by default only ``platform == "all"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BASELINE_COLUMNS`, one row per checked day: ``expected``, the
        acceptance band ``[low, high]`` at the threshold (``low`` is 0 for counts and NA for
        signed series when only rises are checked; ``high`` NA when only falls are), the
        ``p_value`` (two-sided when both directions are checked), the per-check ``threshold``,
        ``alert`` (``p_value <= threshold``), ``direction`` of the deviation (``spike`` or
        ``drop``), ``method`` (``negative_binomial`` or ``robust_z``) and ``history_days``
        (days of data in the window). ``attrs`` holds ``checked``, ``skipped`` (not enough
        history), ``missing`` (no data that day), ``n_series`` and ``threshold`` per client.
    """
    budget = positive("false_alarms_per_month", false_alarms_per_month)
    for name, v in (("window_weeks", window_weeks), ("min_history_weeks", min_history_weeks)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ParameterError(name, v, "a whole number of weeks ≥ 1")
    if min_history_weeks > window_weeks:
        raise ParameterError(
            "min_history_weeks", min_history_weeks, f"at most window_weeks ({window_weeks})"
        )
    df = check_input(series)
    if not platforms:
        df = df[df["platform"] == "all"]
    lo = None if start is None else pd.Timestamp(start).normalize()
    hi = None if end is None else pd.Timestamp(end).normalize()
    cal = calendar(df, hi, SIGNED_SERIES)
    in_range = np.ones(len(cal.value), dtype=bool)
    if lo is not None:
        in_range &= cal.date >= lo.to_datetime64()
    has = ~np.isnan(cal.value)
    # budget: per client, spread over its series with data in the checked range
    live = np.bincount(cal.group[in_range & has], minlength=len(cal.keys)) > 0
    counts = cal.keys.loc[live, "client"].value_counts()
    clients = sorted(cal.keys["client"].unique())
    per_client = {
        c: int(n_series) if n_series is not None else max(int(counts.get(c, 0)), 1) for c in clients
    }
    thresholds = {c: alert_threshold(budget, per_client[c]) for c in clients}
    dirs = check_directions(direction, sorted(cal.keys["series"].unique()), DEFAULT_DIRECTIONS)
    w = 7 * int(window_weeks)
    cand = np.flatnonzero(in_range & has)
    win = windows(cal.value, cal.first[cal.group[cand]], cand, w)
    hist = (~np.isnan(win)).sum(axis=1)
    ok = hist >= 7 * int(min_history_weeks)
    attrs = {
        "checked": int(ok.sum()),
        "skipped": int((~ok).sum()),
        "missing": int((in_range & ~has).sum()),
        "false_alarms_per_month": budget,
        "n_series": per_client,
        "threshold": thresholds,
    }
    cand, win, hist = cand[ok], win[ok], hist[ok]
    g = cal.group[cand]
    rows = cal.keys.iloc[g].reset_index(drop=True)
    y = cal.value[cand]
    signed = cal.keys["signed"].to_numpy(dtype=bool)[g]
    thr = rows["client"].map(thresholds).to_numpy(dtype=float)
    way = rows["series"].map(dirs).to_numpy()
    tail = np.where(way == "both", thr / 2, thr)
    expected, up, down, low, high = evaluate(win, y, signed, tail)
    low = np.where(way == "up", np.where(signed, np.nan, 0.0), low)
    high = np.where(way == "down", np.nan, high)
    p = np.where(
        way == "both", np.minimum(1.0, 2 * np.minimum(up, down)), np.where(way == "up", up, down)
    )
    out = rows[KEYS].copy()
    out["date"] = cal.date[cand]
    out["observed"] = y
    out["expected"] = expected
    out["low"] = low
    out["high"] = high
    out["p_value"] = p
    out["threshold"] = thr
    out["alert"] = p <= thr
    out["direction"] = np.where(up <= down, "spike", "drop")
    out["method"] = np.where(signed, "robust_z", "negative_binomial")
    out["history_days"] = hist.astype("int64")
    out = out[BASELINE_COLUMNS].sort_values([*KEYS, "date"], ignore_index=True)
    out.attrs = attrs
    return out


def detect_alerts(
    series: pd.DataFrame,
    *,
    start: Any = None,
    end: Any = None,
    false_alarms_per_month: float = 1.0,
    n_series: int | None = None,
    window_weeks: int = 8,
    min_history_weeks: int = 4,
    direction: str | Mapping[str, str] | None = None,
    platforms: bool = False,
) -> pd.DataFrame:
    """Days of ``[start, end]`` that are too unlikely under their baseline, with evidence.

    Parameters
    ----------
    series, start, end, false_alarms_per_month, n_series, window_weeks, min_history_weeks, \
direction, platforms
        See :func:`alert_baseline`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ALERT_COLUMNS`, one row per alert day: ``observed`` against
        ``expected`` and the acceptance band ``[low, high]``, ``p_value``, ``direction``
        (``spike`` or ``drop``), ``severity`` (``strong`` when the p-value is 10× smaller than
        the threshold, else ``alert``), ``history_days``, ``episode_start`` (first day of the
        run of consecutive alerts it belongs to) and the per-check ``threshold``. ``attrs``:
        see :func:`alert_baseline`.

    Examples
    --------
    >>> alerts = detect_alerts(daily_series(client, "2026-01-01", "2026-10-31"),
    ...                        start="2026-10-01")  # doctest: +SKIP
    """
    base = alert_baseline(
        series,
        start=start,
        end=end,
        false_alarms_per_month=false_alarms_per_month,
        n_series=n_series,
        window_weeks=window_weeks,
        min_history_weeks=min_history_weeks,
        direction=direction,
        platforms=platforms,
    )
    out = base[base["alert"].to_numpy(dtype=bool)].reset_index(drop=True)
    strong = out["p_value"] <= out["threshold"] / STRONG_FACTOR
    out["severity"] = np.where(strong, "strong", "alert")
    out["episode_start"] = episodes(out)
    out = out[ALERT_COLUMNS]
    out.attrs = dict(base.attrs)
    return out


def alert_episodes(alerts: pd.DataFrame) -> pd.DataFrame:
    """One row per episode of :func:`detect_alerts`' output.

    Returns
    -------
    pandas.DataFrame
        Columns ``client, platform, series, direction, episode_start, episode_end, days,
        observed, expected, low, high, p_value, severity``: the peak day's observed and
        expected values and acceptance band (the most unlikely day), the smallest p-value and
        the strongest severity.
    """
    cols = [*KEYS, "direction", "episode_start"]
    if alerts.empty:
        return pd.DataFrame(
            columns=[
                *cols,
                "episode_end",
                "days",
                "observed",
                "expected",
                "low",
                "high",
                "p_value",
                "severity",
            ]
        )
    # the peak: smallest p-value, then (p-values of 0 tie) the largest gap to the expected
    gap = (alerts["observed"] - alerts["expected"]).abs()
    ranked = alerts.assign(_gap=-gap).sort_values([*cols, "p_value", "_gap"], kind="stable")
    peak = ranked.drop_duplicates(cols).drop(columns="_gap")
    g = alerts.groupby(cols, sort=True)
    out = peak[[*cols, "observed", "expected", "low", "high", "p_value"]].reset_index(drop=True)
    out.insert(len(cols), "episode_end", g["date"].max().to_numpy())
    out.insert(len(cols) + 1, "days", g.size().to_numpy())
    out["severity"] = np.where(
        g["severity"].agg(lambda s: (s == "strong").any()), "strong", "alert"
    )
    return out
