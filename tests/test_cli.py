import io
import subprocess
import sys

import pandas as pd
from click.testing import CliRunner

from kpi_notebook_lib.cli import cli


def test_catalog_csv():
    out = CliRunner().invoke(cli, ["catalog", "--format", "csv"])
    assert out.exit_code == 0
    table = pd.read_csv(io.StringIO(out.output))
    assert {
        "id",
        "objective",
        "level",
        "nature",
        "unit",
        "higher_is_better",
        "label_fr",
        "label_en",
        "formula",
        "source",
    } <= set(table.columns)
    assert "engagement_rate_reach" in set(table["id"])


def test_kpis_csv(tiny_workspace):
    out = CliRunner().invoke(
        cli,
        [
            "kpis",
            str(tiny_workspace),
            "--client",
            "acme",
            "--period",
            "2026-10",
            "--compare-to",
            "previous",
            "--format",
            "csv",
        ],
    )
    assert out.exit_code == 0, out.output
    table = pd.read_csv(io.StringIO(out.output))
    assert {
        "client",
        "platform",
        "period",
        "kpi",
        "value",
        "previous_value",
        "change",
        "change_pct",
        "target",
        "status",
    } <= set(table.columns)
    row = table[(table.kpi == "impressions") & (table.platform == "all")].iloc[0]
    assert row.value == 3900 and row.status == "on_track"


def test_ingest_command(tiny_workspace):
    out = CliRunner().invoke(cli, ["ingest", str(tiny_workspace), "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert "exports/meta/posts.csv" in out.output
    (tiny_workspace / "clients" / "acme" / "exports" / "x.csv").write_text("a,b\n1,2\n")
    out = CliRunner().invoke(cli, ["ingest", str(tiny_workspace)])
    assert out.exit_code == 1


def test_bad_period_is_a_clear_error(tiny_workspace):
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kpi_notebook_lib.cli import main; main()",
            "kpis",
            str(tiny_workspace),
            "--client",
            "acme",
            "--period",
            "2026-13",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "The value for `period` must look like 2026-10" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_demo(tiny_workspace):
    out = CliRunner().invoke(cli, ["demo", "--workspace", str(tiny_workspace), "--no-report"])
    assert out.exit_code == 0, out.output
    path = tiny_workspace / "reports" / "acme" / "2026-10" / "kpis.csv"
    assert path.exists() and str(path) in out.output
    assert "Acme Boulangerie — octobre 2026" in out.output
    assert "3\u202f900" in out.output  # French number format
    table = pd.read_csv(path)
    assert len(table) == len(table[["platform", "kpi"]].drop_duplicates())


def test_score_reads_stdin_and_keeps_order():
    text = (
        "je ne recommande pas\nI love it!\n\nhttps://t.co/abc\nHola, ¿qué tal? Muy buen servicio\n"
    )
    out = CliRunner().invoke(cli, ["score", "--lang", "auto"], input=text)
    assert out.exit_code == 0, out.output
    table = pd.read_csv(io.StringIO(out.output))
    assert list(table.columns[:4]) == ["line", "lang", "compound", "label"]
    assert table["line"].tolist() == [1, 2, 3, 4, 5]
    assert table["label"].tolist()[:4] == ["negative", "positive", "unscored", "unscored"]
    assert table.loc[4, "label"] == "unscored"  # Spanish: not silently neutral


def test_report_command_refuses_bad_format(tiny_workspace):
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kpi_notebook_lib.cli import main; main()",
            "report",
            str(tiny_workspace),
            "--client",
            "acme",
            "--format",
            "docx",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "html, pdf or html,pdf" in proc.stderr


def test_alerts_and_pacing_commands(tiny_workspace):
    runner = CliRunner()
    out = runner.invoke(
        cli,
        [
            "alerts",
            str(tiny_workspace),
            "--client",
            "acme",
            "--period",
            "2026-10",
            "--format",
            "csv",
        ],
    )
    assert out.exit_code == 0, out.output
    header = out.output.splitlines()[0].split(",")
    assert {"series", "date", "observed", "expected", "low", "high"} <= set(header)
    out = runner.invoke(
        cli,
        [
            *("pacing", str(tiny_workspace), "--client", "acme"),
            *("--as-of", "2026-10-20", "--format", "csv"),
        ],
    )
    assert out.exit_code == 0, out.output
    table = pd.read_csv(io.StringIO(out.output))
    assert "lost_followers" in set(table["kpi"]) and table["probability"].between(0, 1).any()
    bad = runner.invoke(cli, ["pacing", str(tiny_workspace), "--client", "acme", "--as-of", "x"])
    assert bad.exit_code != 0 and "as_of" in str(bad.exception)
