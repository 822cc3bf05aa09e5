"""The ``benchmarks`` CSV template: detection, parsing, validation, ingest and its report."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi_notebook_lib import open_workspace, schema
from kpi_notebook_lib.exceptions import ImportFormatError
from kpi_notebook_lib.io import ImportContext, detect, read_head
from kpi_notebook_lib.io.template import template_header

HEADER = "brand,platform,date,followers,posts,reactions,comments,shares,views"
ROWS = [
    "acme,instagram,2026-10-01,5000,1,120,8,4,",
    "acme,instagram,2026-10-02,5010,0,0,0,0,",
    "rival,instagram,2026-10-01,20000,3,410,,12,",
    "rival,tiktok,2026-10-01,,2,900,50,30,15000",
]


def _write(path, rows=ROWS, header=HEADER):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _read(path):
    head = read_head(path)
    imp = detect(path, head)
    return imp, imp.read(path, head, ImportContext(client="acme", timezone="Europe/Paris"))


def test_header_is_the_canonical_one():
    assert ",".join(template_header("benchmarks")) == HEADER


def test_detected_parsed_and_valid(tmp_path):
    path = _write(tmp_path / "benchmark_2026-10-01_2026-10-31.csv")
    imp, pf = _read(path)
    assert imp.name == "template" and pf.importer == "template.benchmarks"
    assert pf.quarantine.empty
    rows = pf.tables["benchmarks"]
    assert list(rows["source_row"]) == [2, 3, 4, 5]
    data = schema.coerce("benchmarks", rows.assign(source_file="b.csv", source_hash="0"))
    valid, failures = schema.validate("benchmarks", data)
    assert failures.empty and len(valid) == 4
    # empty cells are NA, never 0
    assert pd.isna(
        valid.loc[valid["brand"].eq("rival") & valid["platform"].eq("tiktok"), "followers"]
    ).all()
    assert valid["views"].isna().sum() == 3 and valid["comments"].isna().sum() == 1
    assert valid["date"].dtype == "datetime64[ns]"
    # no exported_at column: the date range in the name dates the file
    assert pf.exported_at == pd.Timestamp("2026-10-31", tz="UTC")


def test_other_templates_are_not_taken_for_benchmarks(tmp_path):
    audience = _write(
        tmp_path / "a.csv", ["instagram,acme,2026-10-01,5000"], "platform,account,date,followers"
    )
    assert _read(audience)[1].importer == "template.audience"
    unknown = _write(
        tmp_path / "u.csv", ["acme,instagram,2026-10-01,1"], "brand,platform,date,impressions"
    )
    with pytest.raises(ImportFormatError, match=r"u\.csv"):
        _read(unknown)


def test_bad_values_are_quarantined_with_file_row_column_value(tmp_path):
    rows = [
        "acme,instagram,2026-10-01,5000,1,-3,8,4,",  # negative count
        "acme,instagram,2026-10-02,5010,0,0,0,0,",
        "acme,instagram,2026-10-02,5011,0,0,0,0,",  # same key twice in one file
        "acme,myspace,2026-10-03,5020,0,0,0,0,",  # unknown platform
        "acme,instagram,03/10/2026,5020,0,0,0,0,",  # not a date
    ]
    path = _write(tmp_path / "b.csv", rows)
    _, pf = _read(path)
    assert set(pf.quarantine["row"]) == {6}
    assert pf.quarantine.iloc[0]["column"] == "date"
    data = schema.coerce(
        "benchmarks", pf.tables["benchmarks"].assign(source_file="b.csv", source_hash="0")
    )
    valid, q = schema.validate("benchmarks", data)
    assert valid.empty  # every remaining row has a failure
    got = set(zip(q["row"], q["column"], q["value"], strict=True))
    assert (2, "reactions", "-3") in got
    assert {(3, "date"), (4, "date")} <= {(r, c) for r, c, _ in got}
    assert (5, "platform", "myspace") in got
    assert set(q["file"]) == {"b.csv"}


def test_ingest_reports_and_upserts_benchmarks(tiny_workspace):
    exports = tiny_workspace / "clients" / "acme" / "exports" / "benchmarks"
    _write(exports / "benchmark_2026-10-01_2026-10-31.csv")
    ws = open_workspace(tiny_workspace, auto_ingest=False)
    report = ws.ingest()
    name = "exports/benchmarks/benchmark_2026-10-01_2026-10-31.csv"
    s = report.summary.set_index("file").loc[name]
    assert (s["importer"], s["tables"], s["status"]) == (
        "template.benchmarks",
        "benchmarks",
        "imported",
    )
    assert (s["rows"], s["imported"], s["quarantined"]) == (4, 4, 0)
    stored = ws.store.read("acme", "benchmarks")
    assert len(stored) == 4 and set(stored["client"]) == {"acme"}
    assert (stored["exported_at"] == pd.Timestamp("2026-10-31", tz="UTC")).all()
    # a later export of the same days replaces them (latest export wins), one per key
    _write(
        exports / "benchmark_2026-10-01_2026-11-05.csv",
        ["acme,instagram,2026-10-02,5012,1,50,2,1,"],
    )
    s2 = ws.ingest().summary.set_index("file")
    assert s2.loc["exports/benchmarks/benchmark_2026-10-01_2026-11-05.csv", "replaced"] == 1
    stored = ws.store.read("acme", "benchmarks").set_index(["brand", "platform", "date"])
    assert len(stored) == 4
    assert stored.loc[("acme", "instagram", pd.Timestamp("2026-10-02")), "followers"] == 5012
