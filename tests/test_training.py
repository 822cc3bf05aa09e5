"""The training helpers that compute (the self-checks are exercised by the notebooks)."""

import pytest

from kpi_notebook_lib.training import many_kpis_noise


def test_many_kpis_noise_shows_what_the_adjustment_buys():
    t = many_kpis_noise(n_kpis=40, n_months=60, seed=1, lang="en")
    assert list(t.columns) == [
        "reading",
        "KPIs called significant a month",
        "months with at least one false call",
    ]
    alone, together = t.iloc[0], t.iloc[1]
    assert alone["reading"] == "each KPI on its own (p)"
    # 40 null KPIs at 5 %: about 2 false calls a month, and most months have one
    assert alone["KPIs called significant a month"] == pytest.approx(2.0, abs=0.6)
    assert alone["months with at least one false call"] >= 0.6
    # adjusted together: a false call in about 5 % of the months (complete null)
    assert together["months with at least one false call"] <= 0.05 + 3 * (0.05 * 0.95 / 60) ** 0.5
    assert together["KPIs called significant a month"] < alone["KPIs called significant a month"]


def test_many_kpis_noise_speaks_french():
    t = many_kpis_noise(n_kpis=5, n_months=5, lang="fr")
    assert t.iloc[1]["lecture"] == "ajustés ensemble (p ajusté)"
