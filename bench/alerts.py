"""Alerts on daily series: detection rate and false alarms, simulated and on the samples.

Usage::

    python bench/alerts.py [--quick] [--seed 0] [--budget 1.0] [--no-samples]

1. **Simulated series** (seeded): for each scenario (a daily level and a dispersion, from
   0–3 negative mentions a day to hundreds of very dispersed interactions, and net follows
   as follows gained minus follows lost), ``--series`` series of 8 weeks of history plus
   ``--days`` checked days, with the weekday pattern and slow trend of
   :mod:`kpi_notebook_lib.stats._alerts_sim`. Each series gets one spike of 2×, 3× or 5× the
   expected level at a random checked day (for net follows: the follows gained of that day
   multiplied). The budget is spread over 6 series per client (``n_series=6``), so 6
   simulated series-months make one client-month. Printed per scenario: the detection rate
   of each spike size, the rate an oracle that knows the true distribution would get (same
   per-check threshold), and false alarms per client-month on the spike-free days (all
   checked days but the spike day, over the three runs), against the budget.
2. **The sample workspace** (``data_samples/``; ingested the first time, ~30 s): every
   client's six series over its whole history (platform ``all``), alerts per client-month
   per series, on all days and on quiet days (outside the known events ± a few days), and
   whether each known event is caught: the bad buzz (a rise of mentions, negative mentions
   or lost follows, or a fall of net follows, between its first day and two days after its
   last) and each campaign (a rise of mentions, interactions, new or net follows during
   it). The events are read from the generator's specs (``data_samples/_gen``), not copied.

Target: false alarms per client-month on null simulated series at most the budget (within
binomial noise) in every scenario. Finishes in under a minute (``--quick``: ~10 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kpi_notebook_lib.stats._alerts_sim import (  # noqa: E402
    count_means,
    draw_counts,
    inject,
    long_form,
)
from kpi_notebook_lib.stats.alerts import (  # noqa: E402
    DAYS_PER_MONTH,
    alert_baseline,
    alert_threshold,
    detect_alerts,
)

HISTORY = 56
FACTORS = (2.0, 3.0, 5.0)
#: name, daily level, dispersion alpha, direction checked ("net" = follows gained − lost)
SCENARIOS = [
    ("negative mentions, 0.5/day, Poisson", 0.5, 0.0, "up"),
    ("negative mentions, 1.5/day, NB 0.3", 1.5, 0.3, "up"),
    ("mentions, 5/day, Poisson", 5.0, 0.0, "both"),
    ("mentions, 25/day, NB 0.2", 25.0, 0.2, "both"),
    ("new follows, 40/day, NB 0.1", 40.0, 0.1, "both"),
    ("interactions, 600/day, NB 0.6", 600.0, 0.6, "both"),
    ("net follows, 40 − 15/day, NB 0.1", 40.0, 0.1, "net"),
]


def _oracle(mean: np.ndarray, alpha: float, factor: float, tail: float) -> float:
    if alpha == 0:
        crit = stats.poisson.isf(tail, mean)
        return float(stats.poisson.sf(crit, factor * mean).mean())
    size = 1 / alpha
    crit = stats.nbinom.isf(tail, size, 1 / (1 + alpha * mean))
    return float(stats.nbinom.sf(crit, size, 1 / (1 + alpha * factor * mean)).mean())


def simulated(n: int, checked: int, budget: float, seed: int) -> pd.DataFrame:
    """One row per scenario: detection per spike size, oracle, false alarms per client-month."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2025-01-06", periods=HISTORY + checked, freq="D")
    threshold = alert_threshold(budget, 6)
    rows = []
    for name, level, alpha, way in SCENARIOS:
        mean = count_means(dates, level)
        gained = draw_counts(rng, mean, alpha, n)
        lost_mean = count_means(dates, 15.0, weekly=np.ones(7))
        lost = draw_counts(rng, lost_mean, alpha, n) if way == "net" else 0.0
        tail = threshold if way == "up" else threshold / 2
        row: dict[str, object] = {"scenario": name}
        false_alarms, quiet_days = 0, 0
        for k in FACTORS:
            day = rng.integers(HISTORY, HISTORY + checked, n)
            values = inject(rng, gained, mean, day, k, alpha) - lost
            series = "net_followers" if way == "net" else "mentions"
            base = alert_baseline(
                long_form(values, dates, series=series),
                start=dates[HISTORY],
                n_series=6,
                false_alarms_per_month=budget,
                direction="both" if way == "net" else way,
            )
            spike = np.zeros((n, len(dates)), dtype=bool)
            spike[np.arange(n), day] = True
            is_spike = spike[
                base["client"].str[3:].astype(int).to_numpy(),
                (base["date"] - dates[0]).dt.days.to_numpy(),
            ]
            found = base["alert"].to_numpy() & is_spike
            row[f"found {k:g}x"] = found.sum() / n
            row[f"oracle {k:g}x"] = np.nan if way == "net" else _oracle(mean[day], alpha, k, tail)
            false_alarms += int((base["alert"].to_numpy() & ~is_spike).sum())
            quiet_days += int((~is_spike).sum())
        client_months = quiet_days / DAYS_PER_MONTH / 6
        row["client-months"] = client_months / len(FACTORS)
        row["false alarms / client-month"] = false_alarms / client_months
        rows.append(row)
    out = pd.DataFrame(rows)
    # binomial (Poisson) tolerance at 3 standard errors on the false-alarm rate
    months = out["client-months"] * len(FACTORS)
    out["limit"] = budget + 3 * np.sqrt(budget / months)
    out["ok"] = np.where(out["false alarms / client-month"] <= out["limit"], "yes", "NO")
    return out


def _events(spec) -> list[tuple[str, str, pd.Timestamp, pd.Timestamp]]:
    """(kind, title, first day, last day) of a sample client's known events."""
    out = [("bad buzz", spec.bad_buzz.title, spec.bad_buzz.start, spec.bad_buzz.end)]
    out += [("campaign", c.name, c.start, c.end) for c in spec.campaigns]
    out += [("launch", spec.launch.title, spec.launch.start, spec.launch.end)]
    out += [("event", e.title, e.start, e.end) for e in spec.events]
    return [(k, t, pd.Timestamp(a), pd.Timestamp(b)) for k, t, a, b in out]


#: Series whose alerts count as catching each kind of event (series, direction).
CATCH = {
    "bad buzz": {
        ("mentions", "spike"),
        ("negative_mentions", "spike"),
        ("lost_followers", "spike"),
        ("net_followers", "drop"),
    },
    "campaign": {
        ("mentions", "spike"),
        ("interactions", "spike"),
        ("new_followers", "spike"),
        ("net_followers", "spike"),
    },
}
#: Days after an event's last day that still belong to it (its decay), for "quiet" days.
AFTERMATH = 7


def samples(workspace: Path, budget: float) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Alert rates per client × series, caught events, and the detection time."""
    from kpi_notebook_lib.series import daily_series
    from kpi_notebook_lib.workspace import open_workspace

    sys.path.insert(0, str(workspace))
    from _gen import CLIENTS  # the generator's specs: where the events are

    ws = open_workspace(workspace)
    frames = []
    for cid in ws.clients():
        client = ws.client(cid)
        first, last = client.data_range()
        frames.append(daily_series(client, first, last, platforms=False))
    data = pd.concat(frames, ignore_index=True)
    t0 = time.perf_counter()
    base = alert_baseline(data, false_alarms_per_month=budget)
    alerts = detect_alerts(data, false_alarms_per_month=budget)
    elapsed = time.perf_counter() - t0
    base["event"] = False
    caught = []
    for cid in ws.clients():
        spec = CLIENTS.get(cid)
        if spec is None:
            continue
        mine = alerts[alerts["client"] == cid]
        for kind, title, lo, hi in _events(spec):
            near = (base["client"] == cid) & base["date"].between(
                lo, hi + pd.Timedelta(days=AFTERMATH)
            )
            base.loc[near, "event"] = True
            if kind not in CATCH:
                continue
            stop = hi + pd.Timedelta(days=2 if kind == "bad buzz" else 0)
            hit = mine[mine["date"].between(lo, stop)]
            pairs = zip(hit["series"], hit["direction"], strict=True)
            hit = hit[np.asarray([p in CATCH[kind] for p in pairs], dtype=bool)]
            checked = (base["client"] == cid) & base["date"].between(lo, stop)
            status = "yes" if len(hit) else "no" if checked.any() else "no history"
            caught.append(
                {
                    "client": cid,
                    "event": f"{kind}: {title}"[:48],
                    "dates": f"{lo.date()} – {hi.date()}",
                    "caught": status,
                    "first alert": hit["date"].min().date() if len(hit) else "",
                    "series": ", ".join(sorted(set(hit["series"]))),
                }
            )
    g = base.groupby(["client", "series"])
    months = g.size() / DAYS_PER_MONTH
    quiet = base[~base["event"]].groupby(["client", "series"])
    rates = pd.DataFrame(
        {
            "checked days": g.size(),
            "alert days": g["alert"].sum(),
            "per month": g["alert"].sum() / months,
            "quiet days": quiet.size(),
            "per month (quiet)": quiet["alert"].sum() / (quiet.size() / DAYS_PER_MONTH),
        }
    ).reset_index()
    return rates, pd.DataFrame(caught), elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer simulated series")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=float, default=1.0, help="false alarms per month")
    parser.add_argument("--series", type=int, default=None, help="series per scenario")
    parser.add_argument("--days", type=int, default=61, help="checked days per series")
    parser.add_argument("--no-samples", action="store_true", help="skip the sample workspace")
    parser.add_argument("--workspace", default=str(ROOT / "data_samples"))
    args = parser.parse_args(argv)
    n = args.series or (240 if args.quick else 1200)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 30)

    t0 = time.perf_counter()
    sim = simulated(n, args.days, args.budget, args.seed)
    print(
        f"1. Simulated series: {n} series × {args.days} checked days per scenario, budget "
        f"{args.budget:g} false alarm(s) per client-month (6 series per client), seed {args.seed}"
    )
    shown = sim.copy()
    for c in shown.columns:
        if c.startswith(("found", "oracle")):
            shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    shown["client-months"] = shown["client-months"].round(0).astype(int)
    shown["false alarms / client-month"] = shown["false alarms / client-month"].round(2)
    shown["limit"] = shown["limit"].round(2)
    print(shown.to_string(index=False))
    print(f"   ({time.perf_counter() - t0:.1f} s)\n")

    if not args.no_samples:
        t1 = time.perf_counter()
        rates, caught, elapsed = samples(Path(args.workspace), args.budget)
        print(
            "2. Sample workspace: alert days per month per series (platform 'all', whole "
            f"history; quiet = outside the known events + {AFTERMATH} days)"
        )
        print(rates.round(2).to_string(index=False))
        per_client = rates.groupby("client")[["per month", "per month (quiet)"]].sum().round(2)
        print("\n   per client-month (all six series):")
        print(per_client.to_string())
        print("\n   known events:")
        print(caught.to_string(index=False))
        print(
            f"   (detection over {rates['checked days'].sum()} series-days: {elapsed:.2f} s; "
            f"part 2: {time.perf_counter() - t1:.1f} s)"
        )
    return 0 if (sim["ok"] == "yes").all() else 1


if __name__ == "__main__":
    sys.exit(main())
