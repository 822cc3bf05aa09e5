"""Tests for kpi_notebook_lib.sentiment: rules, routing, overrides, cache, plumbing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kpi_notebook_lib.exceptions import ParameterError, SettingsError
from kpi_notebook_lib.sentiment import (
    BaseScorer,
    EnglishScorer,
    FrenchRules,
    FrenchScorer,
    Overrides,
    ScoreCache,
    Scorer,
    _score,
    detect_language,
    label_from_compound,
    load_overrides,
    score_texts,
)


def fr_label(text: str) -> str:
    return score_texts([text], lang="fr")["label"].iloc[0]


def rules(text: str) -> float:
    return float(FrenchRules().score([text])[0])


# ---- French rules ---------------------------------------------------------------------------
def _hand_picked() -> list[tuple[str, str, str]]:
    """The sentences of ``data/sentiment/fr_hand_picked.tsv`` (also read by the trainer)."""
    from kpi_notebook_lib.sentiment._lexicon import DATA_DIR

    lines = (DATA_DIR / "fr_hand_picked.tsv").read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t") for ln in lines if ln and not ln.startswith("# ")]
    return [(r[0], r[1], r[3] if len(r) > 3 else "") for r in rows]


HAND_PICKED = _hand_picked()


def test_hand_picked_sentences_cover_every_rule():
    assert len(HAND_PICKED) >= 25
    texts = [t for t, _, _ in HAND_PICKED]
    for must in ("je ne recommande pas", "pas terrible", "aucun problème, parfait", "#génial"):
        assert must in texts


@pytest.mark.parametrize(("text", "expected", "overrides"), HAND_PICKED)
def test_french_sentences(text, expected, overrides):
    if overrides:
        terms = dict(kv.split("=") for kv in overrides.split(";"))
        ov = Overrides({k: float(v) for k, v in terms.items()})
        assert fr_label_with(text, ov) == expected
    else:
        assert fr_label(text) == expected


def test_french_rules_details():
    assert rules("je ne recommande pas") < 0 < rules("je recommande")
    assert rules("Le service est nul mais le produit est bien") > 0
    assert rules("Le produit est bien mais le service est nul") < 0
    # caps and exclamation marks add emphasis
    assert rules("c'est BIEN vraiment") > rules("c'est bien vraiment")
    assert rules("c'est bien!!!") > rules("c'est bien")
    # intensifier and elongation
    assert rules("très bien") > rules("bien")
    assert rules("trooop bien") > rules("bien")
    # hashtags are read, camel case split
    assert rules("#génial") > 0
    assert rules("#JeNeRecommandePas") < 0
    # emojis the translated lexicon scored 0
    assert rules("😡") < 0 < rules("👍")
    assert rules("❤️") > 0
    # "ne ... que" is not a negation
    assert rules("je n'ai que des éloges, génial") > 0


def test_french_scorer_is_deterministic_and_in_range():
    texts = ["super produit", "nul", "bof", "👍", "Le magasin ouvre à 9h.", "!!!"]
    a = FrenchScorer().score(texts)
    b = FrenchScorer().score(texts)
    np.testing.assert_array_equal(a, b)
    assert np.all(np.abs(a) <= 1)


# ---- English --------------------------------------------------------------------------------
def test_english_scorer_matches_vader_and_reads_emojis():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    texts = [
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
        "The plot was good, but the characters are uncompelling and the dialog is not great.",
        "At least it isn't a horrible book.",
        "Today only kinda sux! But I'll get by, lol",
        "never so good",
        "without doubt good",
        "not the least bit good",
        "Make sure you :) or :D today!",
        "",
    ]
    raw = EnglishScorer(emojis=False, names=False, calibration={}).score(texts)
    assert list(raw) == [sia.polarity_scores(t)["compound"] for t in texts]
    en = EnglishScorer()
    assert en.score(["Delivered 😡"])[0] < -0.05
    assert en.score(["Delivered 👍"])[0] > 0.05
    assert en.score(["Delivered ❤️"])[0] > 0.05
    out = score_texts(["I do not recommend this", "Not bad at all"], lang="en")
    assert list(out["label"]) == ["negative", "positive"]


def test_english_title_case_complaints_keep_their_tone_by_default():
    en = EnglishScorer()
    texts = ["Terrible Customer Service", "Worst Experience Ever", "I Love This Shop"]
    labels = [np.sign(v) for v in en.score(texts)]
    assert labels == [-1, -1, 1]


def test_english_names_and_headlines_carry_no_valence():
    en = EnglishScorer(names=True, calibration={})
    raw = EnglishScorer(emojis=False, names=False, calibration={})
    texts = [
        "Watching The Walking Dead tonight",  # "dead" inside a name
        "Off to Best Buy with my brother",  # "best" inside a name
        "Top Health Systems: Who Made The List?",  # a headline
    ]
    assert list(np.abs(raw.score(texts)) >= 0.05) == [True, True, True]
    assert list(en.score(texts)) == [0.0, 0.0, 0.0]
    # opinions keep their valence: lower case, ALL CAPS, a lone capital, a sentence's first word
    kept = [
        "the walking dead was great",
        "BEST BUY EVER",
        "Best purchase ever",
        "I love it. Great stuff",
        "Love Ireland",  # two capitalised words opening a sentence: not a name run
    ]
    np.testing.assert_array_equal(en.score(kept), raw.score(kept))
    # a run whose words all carry valence is not a name ("Great Love")
    assert en.score(["so much Great Love here"])[0] == raw.score(["so much Great Love here"])[0]
    assert EnglishScorer(names=False).name != en.name  # distinct cache keys


# ---- routing and unscored texts ---------------------------------------------------------------
def test_unscored_reasons_and_order():
    texts = pd.Series(
        [
            "",
            None,
            "https://t.co/abc",
            "@marque",
            "Este producto es muy malo, no lo recomiendo",
            "Je ne recommande pas ce produit",
            "   ",
        ],
        index=[10, 11, 12, 13, 14, 15, 16],
    )
    out = score_texts(texts)
    assert list(out.index) == [10, 11, 12, 13, 14, 15, 16]
    assert list(out.columns) == ["lang", "compound", "label", "reason"]
    assert list(out["label"]) == ["unscored"] * 5 + ["negative", "unscored"]
    assert list(out["reason"].fillna("-")) == [
        "empty",
        "empty",
        "url_only",
        "empty",
        "other_language:es",
        "-",
        "empty",
    ]
    assert out["compound"].isna().tolist() == [True] * 5 + [False, True]
    assert out["lang"].iloc[5] == "fr"
    assert out["lang"].iloc[:5].isna().all()


def test_mixed_language_text_is_scored():
    out = score_texts(["Trop bien ce produit, love it!"])
    assert out["lang"].iloc[0] in ("fr", "en")
    assert out["label"].iloc[0] == "positive"


def test_export_language_wins_and_other_languages_are_unscored():
    out = score_texts(["Das ist sehr gut", "super", "very good"], lang=["de", "fr-FR", None])
    assert out["reason"].iloc[0] == "other_language:de"
    assert list(out["lang"].iloc[1:]) == ["fr", "en"]


def test_detect_language():
    got = detect_language(
        [
            "Je ne recommande pas ce produit",
            "Not bad at all, I love it",
            "Muy bueno, gracias",
            "",
            "https://x.co/a",
        ]
    )
    assert got == ["fr", "en", "es", None, None]


def test_bad_arguments():
    with pytest.raises(ParameterError):
        score_texts("just one string")
    with pytest.raises(ParameterError):
        score_texts(["a"], lang="not a language!")
    with pytest.raises(ParameterError):
        score_texts(["a", "b"], lang=["fr"])
    with pytest.raises(ParameterError):
        score_texts(["a"], workers=0)
    with pytest.raises(ParameterError):
        score_texts([1.5])


def test_label_from_compound():
    assert label_from_compound(0.05) == "positive"
    assert label_from_compound(-0.05) == "negative"
    assert label_from_compound(0.0) == "neutral"
    assert label_from_compound(np.nan) == "unscored"
    assert label_from_compound(None) == "unscored"
    s = label_from_compound(pd.Series([0.5, pd.NA, -0.2], index=[3, 4, 5], dtype="Float64"))
    assert list(s) == ["positive", "unscored", "negative"]
    assert list(s.index) == [3, 4, 5]
    assert list(label_from_compound(np.array([0.01, -0.9]))) == ["neutral", "negative"]


# ---- overrides ------------------------------------------------------------------------------
def test_override_file_neutralises_terms(tmp_path):
    csv = tmp_path / "client.csv"
    csv.write_text("term,valence\nKiller,0\nZéro défaut,0\n", encoding="utf-8")
    ov = load_overrides(csv)
    assert ov.terms == {"Killer": 0.0, "Zéro défaut": 0.0}
    plain = score_texts(["Killer", "Zéro défaut", "The Killer"], lang=["en", "fr", "en"])
    assert list(plain["label"]) == ["negative", "negative", "negative"]
    fixed = score_texts(
        ["Killer", "Zéro défaut", "The Killer"], lang=["en", "fr", "en"], overrides=csv
    )
    assert list(fixed["label"]) == ["neutral", "neutral", "neutral"]
    # the rest of the text still counts
    assert fr_label_with("Killer est top", ov) == "positive"
    yml = tmp_path / "client.yml"
    yml.write_text('Killer: 0\n"Zéro défaut": 0\n', encoding="utf-8")
    assert load_overrides(yml).hash == ov.hash


def fr_label_with(text: str, ov: Overrides) -> str:
    return score_texts([text], lang="fr", overrides=ov)["label"].iloc[0]


def test_override_file_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("term,valence\nKiller,zero\n,1\nok,9\n", encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_overrides(bad)
    assert len(err.value.problems) == 3
    with pytest.raises(ParameterError):
        load_overrides(tmp_path / "missing.csv")
    with pytest.raises(ParameterError):
        score_texts(["a"], overrides=42)


# ---- a pluggable scorer -----------------------------------------------------------------------
class CountingScorer(BaseScorer):
    """Scores every text 0.5 and records what it was asked."""

    name = "counting"
    languages = ("fr",)

    def __init__(self, version: str = "1", lexicon_hash: str = "a") -> None:
        self.version = version
        self.lexicon_hash = lexicon_hash
        self.seen: list[str] = []

    def score(self, texts):
        self.seen.extend(texts)
        return np.full(len(texts), 0.5)


def test_plugged_scorer_scores_each_distinct_text_once():
    sc = CountingScorer()
    assert isinstance(sc, Scorer)
    texts = ["b", "a", "b", "b", "c", "a"]
    out = score_texts(texts, lang="fr", scorers={"fr": sc})
    assert sorted(sc.seen) == ["a", "b", "c"]
    assert list(out["compound"]) == [0.5] * 6
    assert list(out["label"]) == ["positive"] * 6


def test_cache_hit_and_misses_after_changes(tmp_path):
    texts = ["un", "deux", "un", "trois"]
    first = CountingScorer()
    a = score_texts(texts, lang="fr", scorers={"fr": first}, cache=tmp_path)
    assert sorted(first.seen) == ["deux", "trois", "un"]

    again = CountingScorer()
    cache = ScoreCache(tmp_path, memo=False)  # per-text look-ups only
    b = score_texts(texts, lang="fr", scorers={"fr": again}, cache=cache)
    assert again.seen == []  # every text served by the cache
    assert cache.hits == 3 and cache.misses == 0
    pd.testing.assert_frame_equal(a, b)

    changed = CountingScorer(lexicon_hash="b")  # a changed lexicon: nothing reused
    score_texts(texts, lang="fr", scorers={"fr": changed}, cache=tmp_path)
    assert sorted(changed.seen) == ["deux", "trois", "un"]

    bumped = CountingScorer(version="2")
    score_texts(texts, lang="fr", scorers={"fr": bumped}, cache=tmp_path)
    assert len(bumped.seen) == 3


def test_batch_memo_serves_the_same_batch_only(tmp_path):
    texts = pd.Series(["un", "deux", "un", None, "Muy bueno, gracias"], index=list("abcde"))
    first = CountingScorer()
    a = score_texts(texts, scorers={"fr": first}, cache=tmp_path)
    memo = ScoreCache(tmp_path)
    again = CountingScorer()
    b = score_texts(texts, scorers={"fr": again}, cache=memo)
    assert memo.batch_hits == 1 and memo.hits == memo.misses == 0  # one file read
    pd.testing.assert_frame_equal(a, b)
    # the same batch without the memo: every text from the per-text cache, same result
    c = score_texts(texts, scorers={"fr": again}, cache=ScoreCache(tmp_path, memo=False))
    pd.testing.assert_frame_equal(a, c)
    assert again.seen == []
    # one text changed, or the language argument, or the scorer: not the same batch
    for kwargs in (
        {"texts": texts.replace("deux", "trois")},
        {"lang": ["fr", None, None, None, None]},
        {"scorers": {"fr": CountingScorer(lexicon_hash="b")}},
        {"overrides": {"deux": 1.0}},
    ):
        cache = ScoreCache(tmp_path)
        args = {"texts": texts, "scorers": {"fr": CountingScorer()}, **kwargs}
        score_texts(args.pop("texts"), cache=cache, **args)
        assert cache.batch_hits == 0
    # a slice hashes like a copy of the same texts
    arr = pa.array(["x", "un", "deux", "un", None, "Muy bueno, gracias"], pa.large_string())
    sliced = ScoreCache(tmp_path)
    d = score_texts(arr[1:], scorers={"fr": again}, cache=sliced)
    assert sliced.batch_hits == 1
    pd.testing.assert_frame_equal(a.reset_index(drop=True), d)


def test_batch_memo_keeps_the_latest_batches(tmp_path, monkeypatch):
    from kpi_notebook_lib.sentiment import _cache

    monkeypatch.setattr(_cache, "MAX_BATCHES", 2)
    cache = ScoreCache(tmp_path)
    for i in range(4):
        score_texts([f"texte {i}"], lang="fr", scorers={"fr": CountingScorer()}, cache=cache)
    assert len(list((tmp_path / "batches").glob("*.arrow"))) == 2
    cache.clear()
    assert not (tmp_path / "batches").exists() and list(tmp_path.iterdir()) == []


def test_content_digest(monkeypatch):
    from kpi_notebook_lib.sentiment import _batch

    texts = ["un", "", None, "deux 👍", "trois"] * 3
    base = pa.array(texts, pa.large_string())
    digest = _batch.content_digest(base)
    # the same content in another layout: sliced, chunked then combined
    padded = pa.array(["x", *texts, "y"], pa.large_string())
    assert _batch.content_digest(padded[1:-1]) == digest
    chunked = pa.chunked_array([base[:4], base[4:]]).combine_chunks()
    assert _batch.content_digest(chunked) == digest
    # any change is another digest: a character, a missing value, an empty string, the type
    for other in (
        [*texts[:-1], "trois!"],
        ["un", None, None, *texts[3:]],
        ["un", "", "", *texts[3:]],
    ):
        assert _batch.content_digest(pa.array(other, pa.large_string())) != digest
    assert _batch.content_digest(pa.array(texts, pa.string())) != digest
    # big buffers are hashed in two halves on two threads: still deterministic
    monkeypatch.setattr(_batch, "_SPLIT", 4)
    split = _batch.content_digest(base)
    assert split == _batch.content_digest(padded[1:-1]) != digest


def test_cache_misses_after_override_change(tmp_path):
    cache = ScoreCache(tmp_path, memo=False)
    score_texts(["Killer est top"], lang="fr", cache=cache)
    assert cache.misses == 1
    score_texts(["Killer est top"], lang="fr", cache=cache)
    assert cache.hits == 1
    score_texts(["Killer est top"], lang="fr", cache=cache, overrides={"Killer": 0})
    assert cache.misses == 2
    score_texts(["Killer est top"], lang="fr", cache=cache, overrides={"Killer": -1})
    assert cache.misses == 3
    out = score_texts(
        ["Killer est top"],
        lang="fr",
        cache=ScoreCache(tmp_path, memo=False),
        overrides={"Killer": 0},
    )
    assert out["label"].iloc[0] == "positive"


def test_cached_auto_routing_matches(tmp_path):
    texts = ["Je ne recommande pas", "great stuff", "Muy bueno, gracias", "", "👍", "ok"]
    a = score_texts(texts, cache=tmp_path)
    b = score_texts(texts, cache=ScoreCache(tmp_path))
    pd.testing.assert_frame_equal(a, b)


def test_parallel_path_matches_in_process(monkeypatch):
    texts = [f"{w} {i}" for i in range(150) for w in ("super produit", "awful service")]
    single = score_texts(texts, workers=1)
    monkeypatch.setattr(_score, "PARALLEL_MIN_TEXTS", 10)
    monkeypatch.setattr(_score, "_CHUNK", 50)
    multi = score_texts(texts, workers=2)
    pd.testing.assert_frame_equal(single, multi)
