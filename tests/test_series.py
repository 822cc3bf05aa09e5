"""Daily series: counts checked against plain pandas, local days, and "no data is never 0"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpi_notebook_lib import schema
from kpi_notebook_lib.catalog import get_catalog
from kpi_notebook_lib.exceptions import ParameterError
from kpi_notebook_lib.series import SERIES, SERIES_COLUMNS, daily_series, daily_series_from_tables
from kpi_notebook_lib.workspace import open_workspace

TZ = "Europe/Paris"
START, END = "2026-10-25", "2026-11-06"  # DST ends in Paris on 2026-10-25

MENTIONS = [
    # platform, published_at (UTC), brand, sentiment
    ("facebook", "2026-10-27T10:00:00Z", "acme", "positive"),
    ("facebook", "2026-10-27T11:00:00Z", "acme", "negative"),
    ("facebook", "2026-10-31T23:30:00Z", "acme", "negative"),  # 1 November in Paris
    ("facebook", "2026-11-03T08:00:00Z", "rival", "negative"),  # a competitor: not counted
    ("facebook", "2026-11-04T08:00:00Z", "acme", "unscored"),
    ("instagram", "2026-10-30T09:00:00Z", "acme", "neutral"),
    ("instagram", "2026-11-02T09:00:00Z", "acme", "negative"),
]

POSTS = [
    # platform, published_at (UTC), reactions, comments, shares, saves
    ("facebook", "2026-10-26T09:00:00Z", 10, 2, 1, None),
    ("facebook", "2026-10-26T17:00:00Z", 5, 0, 0, None),
    ("facebook", "2026-10-31T23:10:00Z", 7, 1, 0, None),  # 1 November in Paris
    ("facebook", "2026-11-05T09:00:00Z", 3, None, 0, None),  # a component missing: NA
    ("instagram", "2026-10-28T12:00:00Z", 100, 10, 5, 20),
    ("instagram", "2026-11-02T12:00:00Z", 50, 5, 0, 10),
]


def _tables(client: str = "acme") -> dict[str, pd.DataFrame]:
    m = pd.DataFrame(MENTIONS, columns=["platform", "published_at", "brand", "sentiment"])
    m["mention_id"] = [f"m{i}" for i in range(len(m))]
    m["client"] = client
    other = m.iloc[:2].assign(client="someone-else", mention_id=["x1", "x2"])
    p = pd.DataFrame(
        POSTS, columns=["platform", "published_at", "reactions", "comments", "shares", "saves"]
    )
    p["post_id"] = [f"p{i}" for i in range(len(p))]
    p["account"] = p["platform"]
    p["client"] = client
    rows = []
    for day in pd.date_range("2026-10-24", "2026-11-04"):
        if day == pd.Timestamp("2026-10-29"):
            continue  # facebook sent no audience row that day
        rows.append(("facebook", day, 4, 1))
    for day in pd.date_range("2026-10-28", "2026-11-06"):
        rows.append(("instagram", day, 10, 3))
    for day in pd.date_range("2026-10-24", "2026-11-06"):
        rows.append(("x", day, None, None))  # X gives no follows gained or lost
    a = pd.DataFrame(rows, columns=["platform", "date", "new_followers", "lost_followers"])
    a["account"] = a["platform"]
    a["client"] = client
    a["followers"] = 100
    return {
        "mentions": schema.coerce("mentions", pd.concat([m, other], ignore_index=True)),
        "posts": schema.coerce("posts", p),
        "audience": schema.coerce("audience", a),
    }


def _event_expected(
    frame: pd.DataFrame, value: pd.Series, covered: pd.Series, days: pd.DatetimeIndex
) -> pd.DataFrame:
    """The rule in plain pandas: per platform, 0 inside [first, last covered day], NA out."""
    day = frame["published_at"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    out = []
    for platform in sorted(frame["platform"].unique()):
        mine = frame["platform"] == platform
        span = day[mine & covered]
        if span.empty:
            continue
        v = value[mine].groupby(day[mine]).sum(min_count=1).reindex(days)
        inside = (days >= span.min()) & (days <= span.max())
        had_rows = days.isin(day[mine])
        v = v.where(had_rows | ~inside, 0.0).where(inside)
        out.append(pd.DataFrame({"platform": platform, "date": days, "value": v.to_numpy()}))
    return pd.concat(out, ignore_index=True)


def _with_all(per_platform: pd.DataFrame, days: pd.DatetimeIndex) -> pd.DataFrame:
    total = per_platform.groupby("date")["value"].sum(min_count=1).reindex(days)
    keep = per_platform.groupby("platform")["value"].transform(lambda v: v.notna().any())
    all_rows = pd.DataFrame({"platform": "all", "date": days, "value": total.to_numpy()})
    return pd.concat([per_platform[keep.to_numpy(dtype=bool)], all_rows], ignore_index=True)


def _expected() -> pd.DataFrame:
    t = _tables()
    days = pd.date_range(START, END, freq="D")
    m = t["mentions"][t["mentions"]["client"] == "acme"]
    own = (m["brand"] == "acme").astype(float)
    neg = ((m["brand"] == "acme") & (m["sentiment"] == "negative")).astype(float)
    every = pd.Series(True, index=m.index)
    p = t["posts"]
    parts = get_catalog().engagement
    inter = pd.Series(np.nan, index=p.index)
    for platform, cols in parts.items():
        mine = p["platform"] == platform
        inter[mine] = p.loc[mine, cols].astype("float64").sum(axis=1, min_count=len(cols))
        inter[mine & p.loc[:, cols].isna().any(axis=1)] = np.nan
    a = t["audience"]
    a_day = a["date"].dt.normalize()
    frames = {
        "mentions": _event_expected(m, own, every, days),
        "negative_mentions": _event_expected(m, neg, every, days),
        "interactions": _event_expected(p, inter, inter.notna(), days),
    }
    net = (a["new_followers"] - a["lost_followers"]).astype("float64")
    for name, values in (
        ("new_followers", a["new_followers"].astype("float64")),
        ("lost_followers", a["lost_followers"].astype("float64")),
        ("net_followers", net),
    ):
        out = []
        for platform in sorted(a["platform"].unique()):
            mine = a["platform"] == platform
            v = values[mine].groupby(a_day[mine]).sum(min_count=1).reindex(days)
            out.append(pd.DataFrame({"platform": platform, "date": days, "value": v.to_numpy()}))
        frames[name] = pd.concat(out, ignore_index=True)
    rows = []
    for name in SERIES:
        g = _with_all(frames[name], days)
        g.insert(0, "series", name)
        rows.append(g)
    out = pd.concat(rows, ignore_index=True)
    out.insert(0, "client", "acme")
    out["value"] = out["value"].astype("Float64")
    return out[SERIES_COLUMNS]


def test_counts_match_plain_pandas():
    got = daily_series_from_tables(_tables(), START, END, client="acme", timezone=TZ)
    want = _expected()
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), want, check_dtype=False, check_index_type=False
    )


def test_days_are_local_days():
    t = _tables()
    paris = daily_series_from_tables(t, START, END, client="acme", timezone=TZ)
    utc = daily_series_from_tables(t, START, END, client="acme", timezone="UTC")

    def value(df, series, platform, day):
        row = df[(df["series"] == series) & (df["platform"] == platform) & (df["date"] == day)]
        return row["value"].iloc[0]

    # the negative mention at 23:30 UTC on 31 October is on 1 November in Paris
    assert value(paris, "negative_mentions", "facebook", "2026-11-01") == 1
    assert value(paris, "negative_mentions", "facebook", "2026-10-31") == 0
    assert value(utc, "negative_mentions", "facebook", "2026-10-31") == 1
    # and so is the post published at 23:10 UTC
    assert value(paris, "interactions", "facebook", "2026-11-01") == 8
    assert value(utc, "interactions", "facebook", "2026-10-31") == 8


def test_no_data_is_never_zero():
    s = daily_series_from_tables(_tables(), START, END, client="acme", timezone=TZ)

    def values(series, platform):
        g = s[(s["series"] == series) & (s["platform"] == platform)]
        return g.set_index("date")["value"]

    fb = values("mentions", "facebook")
    # facebook mentions cover 27 Oct – 4 Nov: NA before and after, 0 on quiet days inside
    assert fb[:"2026-10-26"].isna().all() and fb["2026-11-05":].isna().all()
    assert fb["2026-10-28"] == 0 and fb["2026-11-03"] == 0  # a competitor's mention only
    # all platforms: the sum of the platforms covering the day, NA when none does
    total = values("mentions", "all")
    assert total[:"2026-10-26"].isna().all()
    assert total["2026-10-30"] == 1 and total["2026-11-05":].isna().all()
    # a post whose interactions are incomplete gives NA, not a partial sum
    assert pd.isna(values("interactions", "facebook")["2026-11-05"])
    # audience: a day without a row is NA, for that platform and (alone) for the total
    new_fb = values("new_followers", "facebook")
    assert pd.isna(new_fb["2026-10-29"]) and pd.isna(new_fb["2026-11-05"])
    assert values("new_followers", "all")["2026-10-29"] == 10  # instagram alone
    assert values("new_followers", "all")["2026-10-25"] == 4  # facebook alone
    # X reports no follows gained: no X rows at all, and it does not make the total NA
    assert not ((s["platform"] == "x") & s["series"].isin(["new_followers"])).any()
    assert values("net_followers", "all")["2026-10-30"] == (4 - 1) + (10 - 3)


def test_every_day_and_series_is_there():
    s = daily_series_from_tables(_tables(), START, END, client="acme", timezone=TZ)
    days = pd.date_range(START, END, freq="D")
    for name in SERIES:
        g = s[(s["series"] == name) & (s["platform"] == "all")]
        assert list(g["date"]) == list(days)
    only_all = daily_series_from_tables(
        _tables(), START, END, client="acme", timezone=TZ, platforms=False
    )
    assert set(only_all["platform"]) == {"all"}
    assert len(only_all) == len(SERIES) * len(days)
    some = daily_series_from_tables(_tables(), START, END, client="acme", series=["mentions"])
    assert set(some["series"]) == {"mentions"}


def test_other_clients_and_absent_tables():
    t = _tables()
    s = daily_series_from_tables(
        {"mentions": t["mentions"]}, START, END, client="someone-else", timezone=TZ, brand="acme"
    )
    fb = s[(s["series"] == "mentions") & (s["platform"] == "facebook")].set_index("date")
    assert fb.loc["2026-10-27", "value"] == 2  # only its own two rows
    assert fb["value"].notna().sum() == 1  # its export covers that single day
    # tables that are not given: NA on every day, never 0
    assert s.loc[s["series"] == "new_followers", "value"].isna().all()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"start": "2026-11-06", "end": "2026-11-01"}, "end"),
        ({"start": "not a day", "end": "2026-11-01"}, "start"),
        ({"start": START, "end": END, "series": ["likes"]}, "series"),
    ],
)
def test_invalid_parameters(kwargs, name):
    with pytest.raises(ParameterError) as err:
        daily_series_from_tables(_tables(), client="acme", **kwargs)
    assert err.value.name == name


def test_workspace_client_reads_its_store(tiny_workspace):
    client = open_workspace(tiny_workspace).client("acme")
    s = daily_series(client, "2026-10-01", "2026-10-31")
    posts = client.table("posts")
    day = posts["published_at"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    fb = posts[(posts["platform"] == "facebook") & (day.dt.month == 10)]
    fb_inter = (fb["reactions"] + fb["comments"] + fb["shares"]).astype(float)
    got = s[(s["series"] == "interactions") & (s["platform"] == "facebook")]
    assert got["value"].sum() == fb_inter.sum()
    new = s[(s["series"] == "new_followers") & (s["platform"] == "all")]
    assert (new["value"] == 2 + 10).all()
    net = s[(s["series"] == "net_followers") & (s["platform"] == "all")]
    assert (net["value"] == (2 - 1) + (10 - 0)).all()
    # no mentions were ingested: NA, not 0
    assert s.loc[s["series"] == "mentions", "value"].isna().all()
