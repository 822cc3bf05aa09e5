"""Statistics blocks: alert episodes with evidence, pacing and realism tables, escaped."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpi_notebook_lib.overview import _alert_lines
from kpi_notebook_lib.stats_html import (
    alert_episodes_table,
    alerts_html,
    pacing_html,
    realism_html,
    statistics_note_html,
)


def _alerts():
    days = pd.to_datetime(["2026-10-10", "2026-10-11", "2026-10-12", "2026-10-20"])
    return pd.DataFrame(
        {
            "client": "acme",
            "platform": "all",
            "series": ["negative_mentions"] * 3 + ["mentions"],
            "date": days,
            "observed": [9.0, 14.0, 6.0, 0.0],
            "expected": [1.5, 1.4, 1.2, 30.0],
            "low": [0.0, 0.0, 0.0, 12.0],
            "high": [5.0, 5.0, 4.0, 52.0],
            "p_value": [1e-4, 1e-7, 1e-3, 1e-4],
            "direction": ["spike"] * 3 + ["drop"],
            "severity": ["strong", "strong", "alert", "alert"],
            "episode_start": pd.to_datetime(["2026-10-10"] * 3 + ["2026-10-20"]),
        }
    )


def test_consecutive_alert_days_form_one_episode_with_its_peak():
    ann = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-11"]),
            "end_date": pd.to_datetime([None]),
            "kind": ["incident"],
            "title": ["<b>Bad buzz</b>"],
            "text": [""],
        }
    )
    ep = alert_episodes_table(_alerts(), ann)
    assert len(ep) == 2
    first = ep.iloc[0]
    assert first["days"] == 3 and first["observed"] == 14.0 and first["high"] == 5.0
    assert first["context"] == "<b>Bad buzz</b>"
    html = alerts_html(_alerts(), lang="fr", budget=1.0, annotations=ann)
    assert "&lt;b&gt;Bad buzz" in html and "<b>Bad" not in html
    assert "10 octobre 2026 – 12 octobre 2026 (3 jours)" in html
    assert "Mentions négatives" in html and "alerte forte" in html
    assert "au plus 1 fausse alerte par mois" in html


def test_no_alert_is_said_not_left_blank():
    empty = _alerts().iloc[0:0]
    assert "No alert in this period." in alerts_html(empty, lang="en")


def test_pacing_and_realism_tables_use_the_locale():
    pace = pd.DataFrame(
        {
            "kpi": ["leads"],
            "platform": ["all"],
            "period": ["2026-11"],
            "target": [100.0],
            "so_far": [84.0],
            "projected": [100.8],
            "low": [93.0],
            "high": [109.0],
            "probability": [0.55],
            "elapsed": [25],
            "total": [30],
            "reason": [""],
        }
    )
    html = pacing_html(pace, lang="fr")
    assert "novembre 2026 — 25/30 jours" in html and "55\u00a0%" in html
    realism = pd.DataFrame(
        {
            "kpi": ["reach", "leads"],
            "platform": ["all", "all"],
            "value": [1000.0, 20.0],
            "target": [900.0, 21.0],
            "needed": [-100.0, 1.0],
            "mdc": [300.0, 9.0],
            "detectable": pd.array([False, False], dtype="boolean"),
            "met": pd.array([True, False], dtype="boolean"),
        }
    )
    html = realism_html(realism, lang="en")
    assert "target already met" in html and "gap within noise" in html
    assert "95" in statistics_note_html(lang="en", alpha=0.05)


def test_overview_lines_quote_the_evidence(tmp_path):
    path = tmp_path / "alerts.parquet"
    _alerts().to_parquet(path)
    lines = _alert_lines(path, "en")
    assert len(lines) == 2  # one line per episode
    assert lines[0] == (
        "10 October 2026 – 12 October 2026 (3 days) · Negative mentions: peak 14 (expected 0–5)"
    )
    assert np.all([("expected" in x) for x in lines])


def test_statistics_note_says_how_the_p_values_are_adjusted():
    fr = statistics_note_html(lang="fr")
    assert "Benjamini–Hochberg" in fr and "p ajusté" in fr
    en = statistics_note_html(lang="en", multiple_testing="none")
    assert "Benjamini" not in en and "no adjustment" in en
