"""Tests for kpi_notebook_lib.tone: small frames, hand-computed expectations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kpi_notebook_lib import tone
from kpi_notebook_lib.exceptions import ParameterError

NA = pd.NA


def scored(rows: list[tuple]) -> pd.DataFrame:
    """(period, platform, brand, sentiment, compound) rows -> a scored mentions frame."""
    df = pd.DataFrame(rows, columns=["period", "platform", "brand", "sentiment", "compound"])
    df["compound"] = df["compound"].astype("Float64")
    for c in ("period", "platform", "brand", "sentiment"):
        df[c] = df[c].astype("string")
    return df


@pytest.fixture
def mentions() -> pd.DataFrame:
    return scored(
        [
            ("2026-10", "x", "acme", "positive", 0.6),
            ("2026-10", "x", "acme", "positive", 0.4),
            ("2026-10", "x", "acme", "negative", -0.5),
            ("2026-10", "x", "acme", "neutral", 0.0),
            ("2026-10", "x", "acme", "unscored", None),
            ("2026-10", "x", "rival", "neutral", 0.01),
            ("2026-10", "x", "rival", "unscored", None),
            ("2026-10", "x", "other", "unscored", None),
        ]
    )


def test_tone_summary_wide(mentions):
    got = tone.tone_summary(mentions, wide=True)
    f = lambda *v: pd.array(list(v), dtype="Float64")  # noqa: E731
    expected = pd.DataFrame(
        {
            "period": pd.array(["2026-10"] * 3, dtype="string"),
            "platform": pd.array(["x"] * 3, dtype="string"),
            "brand": pd.array(["acme", "rival", "other"], dtype="string"),
            "n_mentions": f(5, 2, 1),
            "positive": f(2, 0, 0),
            "neutral": f(1, 1, 0),
            "negative": f(1, 0, 0),
            "unscored": f(1, 1, 1),
            "positive_share": f(0.5, 0.0, NA),
            "neutral_share": f(0.25, 1.0, NA),
            "negative_share": f(0.25, 0.0, NA),
            "unscored_share": f(0.2, 0.5, 1.0),
            # P + N = 0 for rival: no data, not zero
            "net_sentiment": f(1 / 3, NA, NA),
            # scored mentions exist for rival: 0 % - 0 % is a real 0
            "net_sentiment_pct": f(25.0, 0.0, NA),
            "avg_compound": f(0.125, 0.01, NA),
            "share_of_voice": f(5 / 8, 2 / 8, 1 / 8),
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_tone_summary_long_form(mentions):
    got = tone.tone_summary(mentions, by=("brand",))
    assert list(got.columns) == ["brand", "metric", "value", "unit"]
    acme = got[got["brand"] == "acme"].set_index("metric")["value"]
    assert acme["net_sentiment"] == pytest.approx(1 / 3)
    assert acme["share_of_voice"] == pytest.approx(5 / 8)
    other = got[got["brand"] == "other"].set_index("metric")
    assert other.loc["net_sentiment", "value"] is NA
    assert other.loc["unscored", "value"] == 1
    assert other.loc["n_mentions", "unit"] == "count"
    # every group has every metric, in the same order
    assert (got.groupby("brand")["metric"].apply(list).map(len) == 13).all()


def test_tone_summary_empty_category_is_na_not_zero():
    df = scored([("2026-10", "x", "acme", "positive", 0.5)])
    df["period"] = pd.Categorical(["2026-10"], categories=["2026-10", "2026-11"])
    got = tone.tone_summary(df, by=("period",), wide=True)
    expected = pd.DataFrame(
        {
            "period": pd.Categorical(["2026-10", "2026-11"], categories=["2026-10", "2026-11"]),
            "n_mentions": pd.array([1, 0], dtype="Float64"),
            "positive": pd.array([1, 0], dtype="Float64"),
            "neutral": pd.array([0, 0], dtype="Float64"),
            "negative": pd.array([0, 0], dtype="Float64"),
            "unscored": pd.array([0, 0], dtype="Float64"),
            "positive_share": pd.array([1.0, NA], dtype="Float64"),
            "neutral_share": pd.array([0.0, NA], dtype="Float64"),
            "negative_share": pd.array([0.0, NA], dtype="Float64"),
            "unscored_share": pd.array([0.0, NA], dtype="Float64"),
            "net_sentiment": pd.array([1.0, NA], dtype="Float64"),
            "net_sentiment_pct": pd.array([100.0, NA], dtype="Float64"),
            "avg_compound": pd.array([0.5, NA], dtype="Float64"),
        }
    )
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("threaded", [False, True])
def test_tone_summary_matches_plain_pandas(monkeypatch, threaded):
    """Counts, shares, net sentiment and mean compound against a pandas groupby."""
    if threaded:
        monkeypatch.setattr(tone, "_THREADED_ROWS", 0)
    rng = np.random.default_rng(3)
    n = 3_000
    labels = np.array(["positive", "neutral", "negative", "unscored"], dtype=object)
    lab = labels[rng.integers(0, 4, n)]
    comp = np.where(
        lab == "positive",
        rng.uniform(0.05, 1, n),
        np.where(lab == "negative", rng.uniform(-1, -0.05, n), rng.uniform(-0.04, 0.04, n)),
    )
    brand = rng.choice(np.array(["acme", "rival", None], dtype=object), n, p=[0.5, 0.45, 0.05])
    df = pd.DataFrame(
        {
            "period": pd.array(rng.choice(["2026-09", "2026-10"], n), dtype="string"),
            "platform": pd.array(rng.choice(["x", "instagram", "tiktok"], n), dtype="string"),
            "brand": pd.array(brand, dtype="string"),
            "sentiment": pd.array(lab, dtype="string"),
            "compound": pd.array(np.where(lab == "unscored", np.nan, comp), dtype="Float64"),
        }
    )
    got = tone.tone_summary(df, wide=True).set_index(list(tone.BY))
    keys = [df[k].fillna("<NA>") for k in tone.BY]
    grouped = df.assign(**{k: v for k, v in zip(tone.BY, keys, strict=True)}).groupby(list(tone.BY))
    counts = grouped["sentiment"].value_counts().unstack(fill_value=0)
    scored = counts[["positive", "neutral", "negative"]].sum(axis=1)
    expected = pd.DataFrame(
        {
            "n_mentions": counts.sum(axis=1),
            "negative_share": counts["negative"] / scored,
            "net_sentiment": (counts["positive"] - counts["negative"])
            / (counts["positive"] + counts["negative"]),
            "avg_compound": grouped["compound"].mean().astype(float),
        }
    )
    got.index = pd.MultiIndex.from_frame(got.index.to_frame().fillna("<NA>"))
    got = got.loc[expected.index, list(expected.columns)].astype(float)
    pd.testing.assert_frame_equal(got, expected.astype(float), check_names=False)
    # first-appearance order of every key, missing values last
    first = tone.tone_summary(df, by=("brand",), wide=True)["brand"]
    assert list(first.iloc[:2]) == list(pd.unique(df["brand"].dropna()))
    assert first.isna().tolist() == [False, False, True]


def test_tone_summary_checks_columns(mentions):
    with pytest.raises(ParameterError):
        tone.tone_summary(mentions.drop(columns="sentiment"))


def people() -> pd.DataFrame:
    t = pd.Timestamp("2026-10-01 08:00", tz="UTC")
    rows = [
        # author, followers, sentiment, compound, published, text, id
        ("ana", 999, "positive", 0.9, t, "Génial, merci", "m1"),
        ("ana", 99, "positive", 0.5, t + pd.Timedelta(hours=1), "Top", "m2"),
        ("bob", None, "positive", 0.9, t, "Parfait", "m3"),
        ("bob", None, "positive", 0.6, t, "Bravo", "m4"),
        ("bob", None, "negative", -0.2, t, "Bof", "m5"),
        ("cat", 9, "positive", 0.7, t, "Super", "m6"),
        ("dan", 9999, "negative", -0.9, t, "Nul, nul, nul", "m7"),
        ("dan", 9999, "negative", -0.8, t, "Horrible", "m8"),
        (None, 5, "positive", 0.8, t, "anonyme", "m9"),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "author",
            "author_followers",
            "sentiment",
            "compound",
            "published_at",
            "text",
            "mention_id",
        ],
    )
    df["author_followers"] = df["author_followers"].astype("Int64")
    df["compound"] = df["compound"].astype("Float64")
    df["platform"] = "x"
    df["brand"] = "acme"
    return df


def test_ambassadors_and_detractors():
    got = tone.ambassadors(people(), min_positive=2)
    expected = pd.DataFrame(
        {
            "author": ["ana", "bob"],
            "positive_mentions": pd.array([2, 2], dtype="Int64"),
            "negative_mentions": pd.array([0, 1], dtype="Int64"),
            # ana's latest follower count is 99; bob has none: NA, ranked last, not 0
            "followers": pd.array([99, NA], dtype="Int64"),
            "score": pd.array([2 * math.log10(100), NA], dtype="Float64"),
        }
    )
    pd.testing.assert_frame_equal(got, expected)
    bad = tone.detractors(people(), min_negative=1, n=1)
    assert list(bad["author"]) == ["dan"]
    assert bad["score"].iloc[0] == pytest.approx(2 * math.log10(10000))
    with pytest.raises(ParameterError):
        tone.ambassadors(people(), min_positive=0)


def test_top_mentions_is_data_not_html():
    df = people()
    df.loc[0, "text"] = "<b>Génial</b> & merci"
    top = tone.top_mentions(df, n=2, polarity="positive")
    # ties on compound (0.9): more followers first
    assert list(top["mention_id"]) == ["m1", "m3"]
    assert top["text"].iloc[0] == "<b>Génial</b> & merci"
    worst = tone.top_mentions(df, n=1, polarity="negative")
    assert list(worst["mention_id"]) == ["m7"]
    with pytest.raises(ParameterError):
        tone.top_mentions(df, polarity="angry")


def test_response_to_negative():
    t = pd.Timestamp("2026-10-01 08:00", tz="UTC")
    df = pd.DataFrame(
        {
            "brand": ["acme"] * 5 + ["rival"],
            "sentiment": ["negative", "negative", "negative", "positive", "negative", "positive"],
            "addresses_brand": pd.array([True, True, True, True, False, True], dtype="boolean"),
            "published_at": [t] * 6,
            "replied_at": [
                t + pd.Timedelta(hours=2),
                t + pd.Timedelta(hours=6),
                pd.NaT,
                t + pd.Timedelta(hours=1),
                pd.NaT,
                pd.NaT,
            ],
        }
    )
    got = tone.response_to_negative(df, by=("brand",))
    expected = pd.DataFrame(
        {
            "brand": ["acme", "rival"],
            "n_negative": pd.array([3, 0], dtype="Int64"),
            "n_replied": pd.array([2, 0], dtype="Int64"),
            "response_rate": pd.array([2 / 3, NA], dtype="Float64"),
            "median_response_hours": pd.array([4.0, NA], dtype="Float64"),
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_themes_log_odds():
    rows = [
        ("négative", "Livraison en retard, colis abîmé #fail"),
        ("négative", "Encore un retard de livraison"),
        ("négative", "Retard et service client injoignable"),
        ("positive", "Accueil chaleureux, merci"),
        ("positive", "Accueil au top, merci beaucoup"),
        ("positive", "Produit génial, merci"),
        ("neutral", "Livraison prévue mardi"),
    ]
    df = pd.DataFrame(
        {
            "sentiment": [r[0].replace("négative", "negative") for r in rows],
            "text": [r[1] for r in rows],
            "scored_lang": "fr",
        }
    )
    got = tone.themes(df, n=2, lang="fr")
    assert list(got.columns) == [
        "side",
        "term",
        "kind",
        "n_negative",
        "n_positive",
        "log_odds",
        "z",
    ]
    assert list(got["side"]) == ["negative", "negative", "positive", "positive"]
    assert list(got["term"]) == ["retard", "livraison", "merci", "accueil"]
    # Monroe et al. (2008) by hand for "retard". Terms per mention once stop words are gone:
    # negative 5 + 2 + 4 = 11, positive 3 + 4 + 3 = 10, neutral 3; the prior is the counts
    # over every scored mention (24 in all; "retard" 3)
    prior_total = 24
    a, yi, yj, ni, nj = 3, 3, 0, 11, 10
    delta = math.log((yi + a) / (ni + prior_total - yi - a)) - math.log(
        (yj + a) / (nj + prior_total - yj - a)
    )
    row = got.iloc[0]
    assert row["log_odds"] == pytest.approx(delta)
    assert row["z"] == pytest.approx(delta / math.sqrt(1 / (yi + a) + 1 / (yj + a)))
    assert tone.themes(df[df["sentiment"] != "positive"], lang="fr").empty


def test_score_mentions_fills_columns():
    df = pd.DataFrame(
        {
            "text": ["Je ne recommande pas", "Great service!", "Muy bueno", None],
            "lang": pd.array([None, "en", "es", None], dtype="string"),
        }
    )
    out = tone.score_mentions(df)
    assert list(out["sentiment"]) == ["negative", "positive", "unscored", "unscored"]
    assert list(out["scored_lang"].fillna("-")) == ["fr", "en", "-", "-"]
    assert out["compound"].dtype == "Float64"
    assert out["compound"].isna().tolist() == [False, False, True, True]
    assert "sentiment" not in df.columns  # the input is not modified


def test_missing_group_key_is_its_own_group(mentions):
    df = mentions.copy()
    df.loc[7, "brand"] = pd.NA
    got = tone.tone_summary(df, by=("brand",), wide=True)
    assert got["brand"].isna().tolist() == [False, False, True]
    assert got["n_mentions"].sum() == len(df)
