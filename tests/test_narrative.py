import pandas as pd
import pytest

from kpi_notebook_lib import CatalogError
from kpi_notebook_lib.narrative import interpret, load_rules, react


def _comparison(rows):
    base = {
        "platform": "all",
        "compare_to": "previous",
        "compared_period": "2026-09",
        "last_year_value": None,
        "target": None,
        "status": None,
        "direction": None,
        "note": None,
        "gap_pct": None,
        "verdict": None,
        "p_value": None,
        "ci_low": None,
        "ci_high": None,
        "ci_level": 0.95,
    }
    return pd.DataFrame([base | r for r in rows])


def test_interpret_sentences_from_the_numbers():
    t = _comparison(
        [
            {
                "kpi": "reach",
                "value": 12350.0,
                "previous_value": 10000.0,
                "change": 2350.0,
                "change_pct": 0.235,
                "target": 12000.0,
                "status": "on_track",
                "direction": "up",
                "verdict": "rise",
                "p_value": 0.004,
                "ci_low": 800.0,
                "ci_high": 3900.0,
            },
            {
                "kpi": "engagement_rate_reach",
                "value": 0.04,
                "previous_value": 0.05,
                "change": -0.01,
                "change_pct": -0.2,
                "target": 0.05,
                "status": "off_track",
                "verdict": "noise",
                "p_value": 0.31,
                "ci_low": -0.03,
                "ci_high": 0.01,
            },
            {
                "kpi": "views",
                "value": None,
                "previous_value": None,
                "change": None,
                "change_pct": None,
                "note": "views not available",
            },
        ]
    )
    fr = interpret(t, lang="fr")
    assert fr[0] == (
        "Portée : 12\u202f350, hausse significative de 23,5\u00a0% par rapport à septembre "
        "2026 (10\u202f000 ; IC à 95\u00a0% : +8,0\u00a0% à +39,0\u00a0%) ; objectif de "
        "12\u202f000 atteint, tendance à la hausse sur 6 périodes."
    )
    # a change within normal variation is never called a rise or a fall
    assert "pas de changement significatif" in fr[1] and "-1,0 pt" in fr[1]
    assert "baisse" not in fr[1] and "objectif de 5,0\u00a0% non atteint" in fr[1]
    assert fr[2] == "Vues : non disponible (vues non disponible)."
    en = interpret(t, lang="en")
    assert en[0].startswith(
        "Reach: 12,350, a significant rise of 23.5% on September 2026 (10,000; 95% CI +8.0% "
        "to +39.0%); target"
    )
    assert "no significant change" in en[1] and " down" not in en[1]


def test_a_change_without_test_is_not_called_a_rise():
    t = _comparison(
        [
            {
                "kpi": "reach",
                "value": 12350.0,
                "previous_value": 10000.0,
                "change": 2350.0,
                "change_pct": 0.235,
                "verdict": "too_little_data",
            }
        ]
    )
    en = interpret(t, lang="en")[0]
    assert "+23.5%" in en and "too little data" in en and "up" not in en.split(",")[1]
    assert "rise" not in en
    t["verdict"] = None  # a KPI that is not tested (e.g. a level)
    en = interpret(t, lang="en")[0]
    assert "not tested on its own" in en and " up " not in en


def test_rules_about_a_change_ask_for_its_verdict():
    """A rise or a fall within normal variation must not trigger an action."""
    for rule in load_rules():
        text = rule.when
        for kpi in rule.kpis:
            if f"{kpi}.change" in text:
                assert f"{kpi}.verdict" in text, (rule.id, kpi)


def test_rules_fire_on_explicit_conditions():
    t = _comparison(
        [
            {
                "kpi": "reach",
                "value": 1.0,
                "previous_value": 1.0,
                "change": 1.0,
                "change_pct": 0.2,
                "verdict": "rise",
            },
            {
                "kpi": "engagement_rate_reach",
                "value": 0.04,
                "previous_value": 0.05,
                "change": -0.01,
                "change_pct": -0.2,
                "verdict": "fall",
            },
        ]
    )
    out = react(t, lang="en").set_index("rule")
    assert out.loc["reach_up_engagement_down", "fired"]
    assert "review formats" in out.loc["reach_up_engagement_down", "action"]
    # a rule on data that is missing does not fire, and says why
    assert not out.loc["negative_tone_spike", "fired"]
    assert out.loc["negative_tone_spike", "skipped"] == "negative_share"
    # the same numbers within normal variation fire nothing
    t["verdict"] = "noise"
    assert not react(t, lang="en").set_index("rule").loc["reach_up_engagement_down", "fired"]


def test_every_packaged_rule_parses_and_reads_catalog_kpis():
    assert len(load_rules()) >= 10


@pytest.mark.parametrize(
    "cond",
    ["__import__('os').system('x')", "reach.value.real > 1", "reech.value > 1", "reach.secret > 1"],
)
def test_rule_conditions_are_never_executed(cond):
    text = f'rules:\n  - {{id: r, objective: tone, when: "{cond}", fr: a, en: b}}\n'
    with pytest.raises(CatalogError):
        load_rules(text)


# ---- tone accuracy sentence ---------------------------------------------------------------


def _accuracy_file(tmp_path, monkeypatch, record):
    """Point the narrative at a ``data/tone_accuracy.json`` holding ``record``."""
    import json

    from kpi_notebook_lib import narrative

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tone_accuracy.json").write_text(json.dumps(record), "utf-8")
    monkeypatch.setattr(narrative.resources, "files", lambda package: tmp_path)


_RECORD = {
    "fr": {"accuracy": 0.6049, "macro_f1": 0.6043, "macro_f1_ci95": [0.5493, 0.6551]},
    "en": {"accuracy": 0.819, "macro_f1": 0.7485},
}


def test_tone_accuracy_sentence_quotes_the_file_per_language_with_shares(tmp_path, monkeypatch):
    from kpi_notebook_lib.narrative import tone_accuracy_sentence

    _accuracy_file(tmp_path, monkeypatch, _RECORD)
    # three French, one English, two unscored: shares are of the scored mentions
    langs = pd.Series(["fr", "fr", "fr", "en", None, None])
    fr = tone_accuracy_sentence(langs, "fr")
    assert "français (75,0\u00a0% des mentions notées) : macro-F1 0,60" in fr
    assert "(intervalle à 95\u00a0%\u00a0: 0,55 à 0,66)" in fr
    assert "exactitude 60,5\u00a0%" in fr
    assert "anglais (25,0\u00a0% des mentions notées) : macro-F1 0,75, exactitude 81,9\u00a0%" in fr
    en = tone_accuracy_sentence(langs, "en")
    assert "French (75.0% of scored mentions): macro-F1 0.60 (95% interval 0.55 to 0.66)" in en
    # no interval in the file for English: none is invented
    assert "English (25.0% of scored mentions): macro-F1 0.75, accuracy 81.9%" in en


def test_tone_accuracy_sentence_names_only_the_languages_present(tmp_path, monkeypatch):
    from kpi_notebook_lib.narrative import tone_accuracy_sentence

    _accuracy_file(tmp_path, monkeypatch, _RECORD)
    en = tone_accuracy_sentence(pd.Series(["en", "en", None]), "en")
    assert "English (100.0% of scored mentions)" in en
    assert "French" not in en and "DEFT" not in en
    # nothing scored: said so, no figures
    none = tone_accuracy_sentence(pd.Series([None, None], dtype=object), "fr")
    assert none == "Aucune mention notée sur la période."
    assert "macro-F1" not in tone_accuracy_sentence(pd.Series([], dtype=object), "en")


def test_tone_accuracy_sentence_without_a_measurement(tmp_path, monkeypatch):
    from kpi_notebook_lib import narrative

    monkeypatch.setattr(narrative.resources, "files", lambda package: tmp_path)
    s = narrative.tone_accuracy_sentence(pd.Series(["fr"]), "en")
    assert s == "The tone scorer's accuracy has not been measured for this version."


def test_shipped_tone_accuracy_is_consistent():
    """The shipped figures (written by bench/tone_accuracy.py) are coherent: intervals hold
    their estimate, macro-F1 is the mean of the per-class F1 scores."""
    import json
    from importlib import resources

    rec = json.loads(
        resources.files("kpi_notebook_lib").joinpath("data/tone_accuracy.json").read_text("utf-8")
    )
    for code in ("fr", "en"):
        a = rec[code]
        lo, hi = a["macro_f1_ci95"]
        assert lo < a["macro_f1"] < hi
        lo, hi = a["accuracy_ci95"]
        assert lo < a["accuracy"] < hi
        assert a["macro_f1"] == pytest.approx(sum(a["per_class_f1"].values()) / 3, abs=1e-3)
