"""YouTube Studio folder importer."""

from __future__ import annotations

import pandas as pd
import pytest
from _io_exports import read_export

from kpi_notebook_lib.exceptions import ImportFormatError
from kpi_notebook_lib.io import ImportContext, detect, read_head

FOLDER = "youtube/Content 2025-08-01_2025-08-31 Boulangerie Dupont"


def test_content_table_skips_total_once():
    pf = read_export(FOLDER, "youtube.studio")
    posts = pf.tables["posts"]
    assert posts["post_id"].tolist() == ["dQw4w9WgXcQ", "abcDEF12345"]  # no "Total" row
    assert posts["views"].sum() == 3100 + 2130  # not 2 × 5230
    assert posts["views"].tolist() == [3100, 2130]
    assert posts["impressions"].tolist() == [40000, 21000]
    assert posts["follows"].tolist() == [31, 14]  # Subscribers gained, not the net column
    assert posts["published_at"].tolist() == [
        pd.Timestamp("2025-08-27 22:00", tz="UTC"),
        pd.Timestamp("2025-08-02 22:00", tz="UTC"),
    ]
    assert posts["text"].iloc[0] == "Recette du pain, épisode 1"
    assert set(posts["account"]) == {"Boulangerie Dupont"}
    assert posts["source_row"].tolist() == [3, 4]
    assert [n for n in pf.notes if "'Total' row" in n] == [
        "Table data.csv: skipped the YouTube 'Total' row (line 2)."
    ]
    aud = pf.tables["audience"]  # from Totals.csv
    assert aud["new_followers"].tolist() == [20, 9]
    assert aud["lost_followers"].tolist() == [2, 1]
    assert pf.exported_at == pd.Timestamp("2025-08-31", tz="UTC")


def test_french_date_table():
    pf = read_export("youtube/export_fr", "youtube.studio")
    aud = pf.tables["audience"]
    assert "posts" not in pf.tables
    assert aud["date"].tolist() == [pd.Timestamp("2025-08-28"), pd.Timestamp("2025-08-29")]
    assert aud["impressions"].tolist() == [18000, 12000]
    assert aud["new_followers"].tolist() == [20, 9]


def test_other_grouping_is_rejected(tmp_path):
    (tmp_path / "Table data.csv").write_text("Geography,Views\nTotal,10\nFR,10\n")
    imp = detect(tmp_path)
    with pytest.raises(ImportFormatError, match="grouped by 'Geography'"):
        imp.read(tmp_path, read_head(tmp_path), ImportContext(client="c"))
