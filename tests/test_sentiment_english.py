"""Tests for the English scorer's calibration (kpi_notebook_lib.sentiment._english)."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from kpi_notebook_lib.sentiment import EnglishScorer, Overrides, label_from_compound
from kpi_notebook_lib.sentiment._base import scorer_cache_key
from kpi_notebook_lib.sentiment._english import (
    ENGLISH_FEATURES,
    N_CLASS_FEATURES,
    english_features,
)
from kpi_notebook_lib.sentiment._lexicon import DATA_DIR

TWEETS = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "sentiment"
    / "en_vader_tweets"
    / "tweets_GroundTruth.txt"
)


def stored_calibration() -> dict:
    return json.loads((DATA_DIR / "en_calibration.json").read_text(encoding="utf-8"))


def label(text: str) -> str:
    return label_from_compound(float(EnglishScorer().score([text])[0]))


# ---- hand-picked brand mentions ----------------------------------------------------------------
# Two cases are known misses of the stored calibration; they are reported, not tuned away:
# VADER reads "please" and "ok" as positive words, and a compound alone cannot tell.
_VADER_POSITIVE_WORD = pytest.mark.xfail(
    strict=True, reason="VADER scores this positive ('please' / 'ok'); no word weights by design"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # complaints
        ("Terrible Customer Service", "negative"),
        ("Worst Experience Ever", "negative"),
        ("I do not recommend this", "negative"),
        ("my order never arrived and nobody answers, really disappointed", "negative"),
        pytest.param(
            "@shop refund please, this is the third time I ask?!",
            "negative",
            marks=_VADER_POSITIVE_WORD,
        ),
        # compliments
        ("I Love This Shop", "positive"),
        ("Thanks for the quick delivery, great job!", "positive"),
        ("love it 😍", "positive"),
        # neutral
        ("Our new store opens on Monday http://x.co/1", "neutral"),
        ("What time do you open on Sunday?", "neutral"),
        pytest.param("ok", "neutral", marks=_VADER_POSITIVE_WORD),
    ],
)
def test_brand_mentions_keep_their_tone(text, expected):
    assert label(text) == expected


# ---- calibration={} is VADER ---------------------------------------------------------------------
def test_empty_calibration_is_plain_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    texts = [
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
        "Terrible Customer Service",
        "ok",
        "What time do you open on Sunday?",
        "never so good",
        "",
    ]
    raw = EnglishScorer(emojis=False, calibration={})
    assert list(raw.score(texts)) == [sia.polarity_scores(t)["compound"] for t in texts]
    assert raw.name == "vader-en-raw"
    # with emojis, calibration={} is the compound the calibration starts from
    uncal = EnglishScorer(calibration={})
    assert list(uncal.score(texts)) == [uncal.vader_compound(t) for t in texts]
    assert uncal.decide("ok") is None


def test_scorer_names_are_short_and_unique():
    names = {
        EnglishScorer(emojis=e, names=n, calibration=c).name
        for e in (True, False)
        for n in (True, False)
        for c in (None, {})
    }
    assert len(names) == 8
    assert EnglishScorer().name == "vader-en"
    assert all(len(n) <= 32 for n in names)


# ---- features and the stored file ---------------------------------------------------------------
def test_stored_feature_names_match_english_features():
    cal = stored_calibration()
    k = N_CLASS_FEATURES
    assert cal["features"] == list(ENGLISH_FEATURES)
    assert len(english_features("Some Text here? http://x.co !", 0.3)) == len(cal["features"])
    assert cal["class_model"]["features"] == list(ENGLISH_FEATURES[:k])
    assert cal["rating_model"]["features"] == list(ENGLISH_FEATURES)
    assert np.shape(cal["class_model"]["coef"]) == (3, k)
    assert len(cal["class_model"]["intercept"]) == 3
    assert len(cal["rating_model"]["coef"]) == len(ENGLISH_FEATURES)
    assert len(cal["standardise"]["mean"]) == len(cal["standardise"]["std"]) == len(cal["features"])
    assert cal["trained_on"]["split"] == "dev half (seed 20140601, by id)"


def test_english_features_values():
    f = dict(
        zip(
            ENGLISH_FEATURES,
            english_features("Great Shop, see www.x.co? #Love it!", 0.5),
            strict=True,
        )
    )
    # tokens: Great Shop, see www.x.co? #Love it! -> 6 tokens, all start with a letter
    assert f["compound"] == 0.5 and f["abs_compound"] == 0.5 and f["compound_sq"] == 0.25
    assert f["has_url"] == f["has_question"] == f["has_exclamation"] == 1.0
    assert f["log1p_words"] == pytest.approx(np.log1p(6))
    assert f["title_share"] == pytest.approx(3 / 6)  # Great, Shop, Love
    assert f["compound_x_url"] == 0.5
    assert f["compound_x_question"] == 0.5
    assert f["compound_x_title_share"] == pytest.approx(0.25)
    g = dict(zip(ENGLISH_FEATURES, english_features("123 :) !!", -0.2), strict=True))
    assert g["title_share"] == 0.0 and g["has_url"] == 0.0 and g["abs_compound"] == 0.2


def test_mismatched_calibration_is_refused():
    cal = copy.deepcopy(stored_calibration())
    cal["features"] = cal["features"][:-1]
    with pytest.raises(ValueError, match="train_english"):
        EnglishScorer(calibration=cal)


# ---- cache keys ---------------------------------------------------------------------------------
def test_changed_calibration_changes_the_cache_key():
    default = EnglishScorer()
    cal = copy.deepcopy(stored_calibration())
    cal["rating_model"]["intercept"] += 0.01
    changed = EnglishScorer(calibration=cal)
    key, key2 = scorer_cache_key(default), scorer_cache_key(changed)
    assert key != key2
    assert key["version"] != key2["version"]
    assert key["lexicon_hash"] != key2["lexicon_hash"]
    uncal = scorer_cache_key(EnglishScorer(calibration={}))
    assert uncal["scorer"] != key["scorer"]
    assert uncal["lexicon_hash"] != key["lexicon_hash"]
    # the same calibration gives the same key
    assert scorer_cache_key(EnglishScorer(calibration=copy.deepcopy(cal))) == key2


def test_with_overrides_and_pickle_keep_the_calibration():
    cal = copy.deepcopy(stored_calibration())
    cal["rating_model"]["intercept"] += 0.01
    scorer = EnglishScorer(calibration=cal)
    other = scorer.with_overrides(Overrides({"killer": 0.0}))
    assert other.calibration is scorer.calibration
    assert other.version == scorer.version
    texts = ["Killer deal, love it", "meh", "I do not recommend this"]
    back = pickle.loads(pickle.dumps(scorer))
    np.testing.assert_array_equal(back.score(texts), scorer.score(texts))
    assert EnglishScorer(calibration={}).with_overrides(None).name == "vader-en-uncal"


def test_scores_are_in_range_and_neutral_zero_texts_keep_zero():
    en = EnglishScorer()
    texts = ["", "   ", "Our store opens on Monday", "!!!", "What?", "😍😍😍", "GREAT!!!"]
    out = en.score(texts)
    assert np.all(np.abs(out) <= 1)
    for t, v in zip(texts, out, strict=True):
        if en.vader_compound(t) == 0.0 and en.decide(t) == "neutral":
            assert v == 0.0
    assert en.score(["Our store opens on Monday"])[0] == 0.0


# ---- the band property on VADER's 4,200 tweets -------------------------------------------------
def test_label_is_the_class_models_decision_on_vader_tweets():
    if not TWEETS.is_file():
        pytest.skip(f"VADER's tweets are not at {TWEETS} (../shared/data is missing)")
    lines = TWEETS.read_text(encoding="utf-8").splitlines()
    texts = [ln.split("\t", 2)[2] for ln in lines if ln.strip()]
    en = EnglishScorer()
    out = en.score(texts)
    # the class model's argmax, recomputed with numpy from the stored file
    cal = stored_calibration()
    k = N_CLASS_FEATURES
    c = np.array([en.vader_compound(t) for t in texts])
    x = np.array([english_features(t, v) for t, v in zip(texts, c, strict=True)])
    mean = np.asarray(cal["standardise"]["mean"])[:k]
    std = np.asarray(cal["standardise"]["std"])[:k]
    z = ((x[:, :k] - mean) / std) @ np.asarray(cal["class_model"]["coef"]).T
    decided = np.argmax(z + np.asarray(cal["class_model"]["intercept"]), axis=1)
    expected = np.asarray(["negative", "neutral", "positive"], dtype=object)[decided]
    np.testing.assert_array_equal(label_from_compound(out), expected)
    assert np.all(np.abs(out) <= 1)
    zero = (c == 0.0) & (decided == 1)
    assert zero.any() and np.all(out[zero] == 0.0)
