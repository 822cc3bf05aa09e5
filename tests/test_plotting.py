"""Charts are checked by reading their artists, not images."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kpi_notebook_lib.plotting import (
    STATUS_COLORS,
    plot_breakdown,
    plot_sparkline,
    plot_trend,
    set_theme,
)


def test_plot_trend_with_target_and_annotations():
    set_theme()
    data = pd.DataFrame({"period": ["2026-08", "2026-09", "2026-10"], "value": [0.1, 0.12, 0.2]})
    ann = pd.DataFrame(
        {
            "date": [pd.Timestamp("2026-09-10")],
            "end_date": [pd.NaT],
            "kind": ["incident"],
            "title": ["Bad buzz"],
        }
    )
    ax = plot_trend(data, unit="percent", lang="fr", target=0.15, annotations=ann, title="Taux")
    line = ax.get_lines()[0]
    assert list(line.get_ydata()) == [0.1, 0.12, 0.2]
    assert any(t.get_text() == "Bad buzz" for t in ax.texts)
    assert any(t.get_text() == "objectif" for t in ax.texts)
    assert ax.get_title(loc="left") == "Taux"
    ax.figure.canvas.draw()
    assert any("%" in t.get_text() for t in ax.get_yticklabels())
    plt.close("all")


def test_plot_breakdown_labels_and_na():
    data = pd.DataFrame({"platform": ["facebook", "instagram", "x"], "value": [1234.0, 50.0, None]})
    ax = plot_breakdown(data, unit="count", lang="fr")
    labels = [t.get_text() for c in ax.containers for t in ax.texts] + [
        t.get_text() for t in ax.texts
    ]
    assert "1\u202f234" in labels and "—" in labels
    plt.close("all")


def test_sparkline_and_status_colours():
    ax = plot_sparkline([1, 2, np.nan, 4])
    assert not ax.axison
    assert len(set(STATUS_COLORS.values())) == 3
    plt.close("all")
