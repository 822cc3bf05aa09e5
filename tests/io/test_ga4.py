"""GA4 CSV download importer."""

from __future__ import annotations

import pandas as pd
import pytest
from _io_exports import read_export
from pandas.testing import assert_frame_equal

from kpi_notebook_lib.io.ga4 import source_platform


def test_sections_sources_and_sums():
    pf = read_export("ga4/data-export.csv", "ga4.export")
    conv = pf.tables["conversions"].sort_values(["date", "source"]).reset_index(drop=True)
    expected = pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2023-10-02", "2023-10-02", "2023-10-10", "2023-10-10", "2023-10-11"]
            ).astype("datetime64[ns]"),
            "source": ["instagram", "x", "facebook", "other", "other"],
            "sessions": [25, 12, 50, 450, 500],  # m. + l.facebook.com; google + direct
            "leads": [2, 0, 4, 15, 12],
            "sales": [1, 0, 1, 6, pd.NA],
            "revenue": [19.9, 0.0, 45.5, 290.25, pd.NA],
        },
    ).astype(
        {
            "source": "string",
            "sessions": "Int64",
            "leads": "Int64",
            "sales": "Int64",
            "revenue": "Float64",
        }
    )
    assert_frame_equal(conv[expected.columns], expected)
    assert pf.exported_at == pd.Timestamp("2023-10-31", tz="UTC")
    assert any("line 8" in n and "not imported" in n for n in pf.notes)
    assert any("line 26 has no source column" in n for n in pf.notes)


@pytest.mark.parametrize(
    ("value", "platform"),
    [
        ("m.facebook.com / referral", "facebook"),
        ("l.instagram.com", "instagram"),
        ("lnkd.in", "linkedin"),
        ("t.co", "x"),
        ("twitter.com", "x"),
        ("youtube.com", "youtube"),
        ("tiktok.com", "tiktok"),
        ("google", "other"),
        ("Organic Social", "other"),
        ("(direct)", "other"),
    ],
)
def test_source_platform(value, platform):
    assert source_platform(value) == platform


def test_french_semicolon_decimal_comma(tmp_path):
    from kpi_notebook_lib.io import ImportContext, detect, read_head

    path = tmp_path / "data-export.csv"
    path.write_text(
        "# Compte : Boulangerie Dupont\n# Date de début : 20231001\n# Date de fin : 20231031\n"
        "Date;Source de la session;Sessions;Événements clés;Revenu total\n"
        "20231010;facebook.com;1\u202f204;3;1\u00a0045,50\n"
        "20231011;google;12;0;0\n",
        encoding="utf-8",
    )
    pf = detect(path).read(path, read_head(path), ImportContext(client="c"))
    conv = pf.tables["conversions"]
    assert conv["source"].tolist() == ["facebook", "other"]
    assert conv["sessions"].tolist() == [1204, 12]
    assert conv["revenue"].tolist() == [1045.5, 0.0]
    assert pf.exported_at == pd.Timestamp("2023-10-31", tz="UTC")
