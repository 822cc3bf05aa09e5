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
            },
            {
                "kpi": "engagement_rate_reach",
                "value": 0.04,
                "previous_value": 0.05,
                "change": -0.01,
                "change_pct": -0.2,
                "target": 0.05,
                "status": "off_track",
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
        "Portée : 12\u202f350, en hausse de 23,5\u00a0% par rapport à septembre 2026 "
        "(10\u202f000) ; objectif de 12\u202f000 atteint, tendance à la hausse sur "
        "6 périodes."
    )
    assert "en baisse de 1,0 pt" in fr[1] and "objectif de 5,0\u00a0% non atteint" in fr[1]
    assert fr[2] == "Vues : non disponible (vues non disponible)."
    en = interpret(t, lang="en")
    assert en[0].startswith("Reach: 12,350, up 23.5% on September 2026 (10,000); target")


def test_rules_fire_on_explicit_conditions():
    t = _comparison(
        [
            {"kpi": "reach", "value": 1.0, "previous_value": 1.0, "change": 1.0, "change_pct": 0.2},
            {
                "kpi": "engagement_rate_reach",
                "value": 0.04,
                "previous_value": 0.05,
                "change": -0.01,
                "change_pct": -0.2,
            },
        ]
    )
    out = react(t, lang="en").set_index("rule")
    assert out.loc["reach_up_engagement_down", "fired"]
    assert "review formats" in out.loc["reach_up_engagement_down", "action"]
    # a rule on data that is missing does not fire, and says why
    assert not out.loc["negative_tone_spike", "fired"]
    assert out.loc["negative_tone_spike", "skipped"] == "negative_share"


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
