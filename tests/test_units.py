"""Unit-level tables add up to the KPI values the engine computes, for every KPI's test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpi_notebook_lib import schema
from kpi_notebook_lib.catalog import get_catalog
from kpi_notebook_lib.kpis import compute_kpis
from kpi_notebook_lib.periods import parse_period
from kpi_notebook_lib.units import UnitSplit, unit_tables

TZ = "Europe/Paris"
PLATFORMS = ["facebook", "instagram", "x"]


def _sources(seed: int = 3) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = 400
    t0 = pd.Timestamp("2026-08-31T20:00:00Z")
    when = t0 + pd.to_timedelta(rng.uniform(0, 62 * 86400, n), unit="s")
    platform = rng.choice(PLATFORMS, n)
    reach = rng.lognormal(7, 1, n).round()
    posts = pd.DataFrame(
        {
            "client": "acme",
            "platform": platform,
            "account": platform,
            "post_id": [f"p{i}" for i in range(n)],
            "published_at": when,
            "format": "image",
            "impressions": (reach * rng.uniform(1, 2, n)).round(),
            "reach": np.where(platform == "x", np.nan, reach),
            "reactions": rng.poisson(30, n),
            "comments": rng.poisson(4, n),
            "shares": rng.poisson(2, n),
            "saves": rng.poisson(1, n),
            "clicks": rng.poisson(10, n),
            "link_clicks": np.where(rng.random(n) < 0.1, np.nan, rng.poisson(3, n)),
        }
    )
    days = pd.date_range("2026-08-25", "2026-11-05")
    aud = []
    for p in PLATFORMS:
        followers = 1000 + np.cumsum(rng.integers(-3, 10, len(days)))
        aud.append(
            pd.DataFrame(
                {
                    "client": "acme",
                    "platform": p,
                    "account": p,
                    "date": days,
                    "followers": followers,
                    "new_followers": rng.poisson(6, len(days)),
                    "lost_followers": rng.poisson(2, len(days)),
                }
            )
        )
    m = 600
    mwhen = t0 + pd.to_timedelta(rng.uniform(0, 62 * 86400, m), unit="s")
    sentiment = rng.choice(
        ["positive", "neutral", "negative", "unscored"], m, p=[0.4, 0.3, 0.2, 0.1]
    )
    addressed = rng.random(m) < 0.4
    replied = addressed & (rng.random(m) < 0.6)
    mentions = pd.DataFrame(
        {
            "client": "acme",
            "platform": rng.choice(PLATFORMS, m),
            "mention_id": [f"m{i}" for i in range(m)],
            "published_at": mwhen,
            "author": rng.choice([f"a{i}" for i in range(50)], m),
            "brand": rng.choice(["acme", "rival"], m, p=[0.7, 0.3]),
            "text": "t",
            "sentiment": sentiment,
            "compound": np.where(sentiment == "unscored", np.nan, rng.uniform(-1, 1, m)),
            "addresses_brand": addressed,
            "replied_at": pd.Series(
                mwhen + pd.to_timedelta(rng.uniform(600, 90000, m), unit="s")
            ).where(replied),
        }
    )
    conv = pd.DataFrame(
        {
            "client": "acme",
            "date": np.repeat(days, 2),
            "source": np.tile(["facebook", "instagram"], len(days)),
            "sessions": rng.poisson(100, 2 * len(days)),
            "leads": rng.poisson(4, 2 * len(days)),
            "sales": rng.poisson(2, 2 * len(days)),
            "revenue": rng.gamma(2, 60, 2 * len(days)).round(2),
            "ad_spend": rng.gamma(2, 20, 2 * len(days)).round(2),
        }
    )
    return {
        "posts": schema.coerce("posts", posts),
        "audience": schema.coerce("audience", pd.concat(aud, ignore_index=True)),
        "mentions": schema.coerce("mentions", mentions),
        "conversions": schema.coerce("conversions", conv),
    }


@pytest.fixture(scope="module")
def data():
    sources = _sources()
    periods = [parse_period("2026-09"), parse_period("2026-10")]
    values = compute_kpis(sources, periods, clients=["acme"], timezones={"acme": TZ})
    units = unit_tables(sources, periods, client="acme", timezone=TZ)
    return values, units


def _arrays(units, spec, period, platform):
    return UnitSplit(units[spec.unit]).get(period, platform)


@pytest.mark.parametrize("kpi", [k.id for k in get_catalog().select()])
def test_units_reproduce_every_kpi(data, kpi):
    values, units = data
    spec = get_catalog()[kpi].test
    if spec.kind == "none" or spec.scale == "kpi":
        pytest.skip(f"{kpi}: {spec.reason or 'scaled by the KPI value'}")
    checked = 0
    for (period, platform), v in values[values["kpi"] == kpi].groupby(["period", "platform"]):
        expected = v["value"].iloc[0]
        u = _arrays(units, spec, period, platform)
        if spec.kind in ("proportion", "ratio"):
            ok = u[spec.num].notna() & u[spec.den].notna()
            den = u.loc[ok, spec.den].sum()
            got = u.loc[ok, spec.num].sum() / den * float(spec.scale) if den else np.nan
            got += spec.offset  # (pos − neg) / (pos + neg) = 2 × pos / (pos + neg) − 1
        elif spec.kind == "count" or spec.total:
            col = u[spec.value]
            got = col.sum() if col.notna().any() else np.nan
        elif spec.value:
            col = u[spec.value].dropna()
            got = (
                (col.median() if spec.statistic == "median" else col.mean()) if len(col) else np.nan
            )
        else:
            a, b = u[spec.num], u[spec.den]
            r = (a / b.where(b > 0)).dropna()
            got = r.mean() if len(r) else np.nan
        if pd.isna(expected):
            continue
        assert got == pytest.approx(float(expected), rel=1e-9), (kpi, period, platform)
        checked += 1
    assert checked > 0 or values.loc[values["kpi"] == kpi, "value"].isna().all()


def test_local_days_and_no_data_rule(data):
    _, units = data
    day = units["day"]
    # every day of each period is present once per platform (posts cover the whole span)
    sept = day[(day["period"] == "2026-09") & (day["platform"] == "facebook")]
    assert sept["d"].nunique() == 30 and len(sept) == 30
    assert (day["n_posts"].dropna() >= 0).all()


def test_audience_day_without_row_stays_missing():
    sources = _sources()
    aud = sources["audience"]
    gap = (aud["platform"] == "facebook") & (aud["date"] == pd.Timestamp("2026-10-10"))
    sources["audience"] = aud[~gap]
    units = unit_tables(sources, [parse_period("2026-10")], client="acme", timezone=TZ)
    fb = units["day"][(units["day"]["platform"] == "facebook")].set_index("d")
    assert pd.isna(fb.loc[pd.Timestamp("2026-10-10"), "new_followers"])
    assert fb.loc[pd.Timestamp("2026-10-10"), "n_posts"] >= 0  # posts: a day without posts is 0
