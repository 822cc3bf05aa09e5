"""The ``conversions`` table: sessions, leads, sales, revenue and ad spend per day and source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .specs import ClientSpec
from .timeline import activity, event_profile, trend

__all__ = ["conversions_frame"]

_OTHER_SHARE = 0.42


def conversions_frame(
    spec: ClientSpec,
    days: pd.DatetimeIndex,
    link_clicks: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One row per local day and source (each platform of the client, plus ``other``).

    ``link_clicks`` holds, per platform, the link clicks of the posts published each day:
    they bring sessions on top of the baseline.
    """
    n = len(days)
    act = activity(spec, days)
    act = act / act.mean()
    week = np.asarray(spec.weekly)[days.day_of_week.to_numpy()]
    week = week / np.mean(spec.weekly)
    growth = trend(days, 1.0, 1.25)
    launch = event_profile(days, spec.launch, decay=5.0)
    buzz = event_profile(days, spec.bad_buzz, decay=4.0)
    w = {p: spec.mention_platforms.get(p, 0.05) for p in spec.platforms}
    shares = {p: (1 - _OTHER_SHARE) * v / sum(w.values()) for p, v in w.items()}
    shares["other"] = _OTHER_SHARE
    frames = []
    for source in [*spec.platforms, "other"]:
        share = shares[source]
        boost = np.zeros(n)
        spend = np.zeros(n)
        campaign = np.full(n, "", dtype=object)
        lead_mult = np.ones(n)
        for c in spec.campaigns:
            on = np.asarray((days >= pd.Timestamp(c.start)) & (days <= pd.Timestamp(c.end)))
            if source in c.paid_platforms:
                boost[on] = (c.boost - 1) * 1.5
                per_day = c.daily_budget / len(c.paid_platforms)
                spend[on] = per_day * rng.uniform(0.85, 1.15, on.sum()) * week[on] ** 0.5
                campaign[on] = c.name
                lead_mult[on] = 1.8 if c.topic in ("livre", "webinaire", "ia") else 1.2
            elif source != "other":
                boost[on] = 0.3 * (c.boost - 1)
        base = spec.sessions_per_day * share * act * growth * (1 + boost + 0.8 * launch)
        base *= (1 - 0.25 * buzz) * rng.lognormal(0, 0.12, n)
        sessions = rng.poisson(base) + np.round(0.7 * link_clicks.get(source, np.zeros(n)))
        sessions = sessions.astype("int64")
        leads = rng.binomial(sessions, np.clip(spec.lead_rate * lead_mult, 0, 1))
        sales = rng.binomial(sessions, spec.sale_rate * (1 - 0.3 * buzz))
        spread = 0.5 / np.sqrt(np.maximum(sales, 1))
        revenue = np.where(sales > 0, sales * spec.basket * rng.lognormal(0, spread), 0.0)
        frames.append(pd.DataFrame({
            "date": days,
            "source": source,
            "campaign": pd.Series(campaign).replace("", pd.NA).astype("string"),
            "sessions": pd.Series(sessions, dtype="Int64"),
            "leads": pd.Series(leads, dtype="Int64"),
            "sales": pd.Series(sales, dtype="Int64"),
            "revenue": pd.Series(np.round(revenue, 2), dtype="Float64"),
            "ad_spend": pd.Series(np.round(spend, 2), dtype="Float64"),
        }))
    return pd.concat(frames, ignore_index=True)
