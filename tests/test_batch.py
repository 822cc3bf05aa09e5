"""Batch reporting end to end: fault isolation, atomic outputs, Dask, idempotence, overview.

Every batch here runs the real report notebooks (HTML only: PDF rendering is not the point)
on the tiny hand-computed client of ``conftest`` copied under several ids.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import (
    ANNOTATIONS_CSV,
    CLIENT_YML,
    CONVERSIONS_CSV,
    POSTS_CSV,
    ROOT,
    TARGETS_CSV,
    _audience_csv,
)

from kpi_notebook_lib.batch import DaskExecutor, LocalExecutor, load_record, run_batch
from kpi_notebook_lib.batch._outputs import batch_dir, recover
from kpi_notebook_lib.batch._run import _lock
from kpi_notebook_lib.batch_cli import batch as batch_command

PERIOD = "2026-10"
#: Seconds per client: the tiny client needs ~13 s on a busy 2-core machine.
TIMEOUT = 30
HTML = ("html",)
REPORT_FILES = {
    "report.html",
    "report.ipynb",
    "kpis.csv",
    "kpis.parquet",
    "posts.csv",
    "alerts.csv",
    "alerts.parquet",
    "manifest.json",
}


def make_workspace(root: Path, ids: list[str]) -> Path:
    """The tiny conftest client under each of ``ids`` (names made distinct)."""
    for cid in ids:
        c = root / "clients" / cid
        (c / "exports" / "meta").mkdir(parents=True)
        (c / "exports" / "crm").mkdir(parents=True)
        yml = CLIENT_YML.replace("Acme Boulangerie", f"Acme {cid}")
        (c / "client.yml").write_text(yml, "utf-8")
        (c / "exports" / "meta" / "posts.csv").write_text(POSTS_CSV, "utf-8")
        (c / "exports" / "meta" / "audience.csv").write_text(_audience_csv(), "utf-8")
        (c / "exports" / "crm" / "conversions.csv").write_text(CONVERSIONS_CSV, "utf-8")
        (c / "targets.csv").write_text(TARGETS_CSV, "utf-8")
        (c / "annotations.csv").write_text(textwrap.dedent(ANNOTATIONS_CSV), "utf-8")
    return root


FAULTS = """\
import os, sys, time
if client == "raises":
    raise RuntimeError("injected failure for the test")
if client == "killed":
    os.kill(os.getpid(), 9)
if client == "slow":
    time.sleep(600)
if client == "exits":
    sys.exit(0)
"""


def faulty_notebooks(tmp_path: Path) -> Path:
    """A copy of the report notebooks whose dashboard misbehaves for some client ids."""
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nb_dir)
    path = nb_dir / "dashboard.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(FAULTS, metadata={"tags": ["remove-cell"]})
    cell["id"] = "injected-faults"
    nb.cells.insert(2, cell)  # right after the parameters cell
    nbformat.write(nb, path)
    return nb_dir


# fault isolation ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def faulty_batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    ws = make_workspace(tmp / "ws", ["exits", "killed", "ok", "raises", "slow"])
    (ws / "clients" / "ok" / "exports" / "unknown.csv").write_text("a,b\n1,2\n")
    nb_dir = faulty_notebooks(tmp)
    out = CliRunner().invoke(
        batch_command,
        [
            str(ws),
            "--period",
            PERIOD,
            "--workers",
            "2",
            "--timeout",
            str(TIMEOUT),
            "--formats",
            "html",
            "--notebooks",
            str(nb_dir),
            "--no-progress",
        ],
    )
    return ws, nb_dir, out


def test_failures_are_isolated_and_named(faulty_batch):
    ws, _, out = faulty_batch
    assert out.exit_code == 1, out.output
    reports = ws / "reports"
    record = load_record(reports, PERIOD)["clients"]
    status = {c: r["status"] for c, r in record.items()}
    assert status == {
        "ok": "succeeded",
        "raises": "failed",
        "killed": "failed",
        "slow": "failed",
        "exits": "failed",
    }
    kinds = {c: r["failure"]["kind"] for c, r in record.items() if r["failure"]}
    assert kinds == {
        "raises": "error",
        "killed": "kernel_died",
        "slow": "timeout",
        "exits": "incomplete",
    }
    raised = record["raises"]["failure"]
    assert raised["ename"] == "RuntimeError"
    assert raised["evalue"] == "injected failure for the test"
    assert (raised["part"], raised["part_cell"]) == ("dashboard", 2)
    assert "RuntimeError" in raised["traceback"]
    assert record["exits"]["failure"]["ename"] == "SystemExit"
    assert f"{TIMEOUT} s" in record["slow"]["failure"]["message"]
    for c in ("killed", "slow"):
        assert record[c]["failure"]["part"] == "dashboard", record[c]["failure"]
    # the summary printed by the command names each failure and its reason
    lines = {line.split()[0]: line for line in out.output.splitlines() if line.strip()}
    assert "succeeded" in lines["ok"]
    assert "error" in lines["raises"] and "RuntimeError" in lines["raises"]
    assert "kernel_died" in lines["killed"]
    assert "timeout" in lines["slow"]
    assert "incomplete" in lines["exits"]
    assert "1 built, 0 up to date, 4 failed" in out.output


def test_the_good_client_report_is_complete(faulty_batch):
    ws, _, _ = faulty_batch
    folder = ws / "reports" / "ok" / PERIOD
    assert {p.name for p in folder.iterdir()} == REPORT_FILES
    html = (folder / "report.html").read_text("utf-8")
    assert "Acme ok" in html and "Traceback" not in html
    assert "kpi-batch-complete" not in html
    assert html.count("data:image/png") > 5, "figures of every section"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["status"] == "succeeded" and manifest["error"] is None
    assert manifest["ingest"]["failed_files"] == 1
    assert "exports/unknown.csv" in manifest["warnings"][0], "reported, not fatal"
    assert {"ingest", "tables", "execute", "html"} <= set(manifest["durations"])
    assert manifest["inputs"]["fingerprint"] and manifest["inputs"]["exports"]
    assert "pandas" in manifest["versions"]
    for name, info in manifest["outputs"].items():
        assert (folder / name).stat().st_size == info["bytes"]
    executed = nbformat.read(folder / "report.ipynb", as_version=4)
    assert not any(c.metadata.get("kpi_marker") for c in executed.cells)


def test_failed_clients_keep_their_notebook_but_get_no_report(faulty_batch):
    ws, _, _ = faulty_batch
    reports = ws / "reports"
    for c in ("raises", "killed", "slow", "exits"):
        assert not (reports / c / PERIOD).exists(), f"{c} must not get a client report"
        leftovers = list((reports / c).glob(".*")) if (reports / c).exists() else []
        assert not leftovers, leftovers
        kept = batch_dir(reports, PERIOD) / "failed" / c
        assert (kept / "manifest.json").exists()
    nb = nbformat.read(batch_dir(reports, PERIOD) / "failed" / "raises" / "report.ipynb", 4)
    assert "failed" in nb.cells[0].source and "dashboard.ipynb" in nb.cells[0].source
    assert any(o.get("ename") == "RuntimeError" for c in nb.cells for o in c.get("outputs", []))


def test_overview_lists_every_client_with_links_and_reasons(faulty_batch):
    ws, _, _ = faulty_batch
    page = (batch_dir(ws / "reports", PERIOD) / "index.html").read_text("utf-8")
    for c in ("ok", "raises", "killed", "slow", "exits"):
        assert f'id="client-{c}"' in page
    assert 'href="../../ok/2026-10/report.html"' in page
    assert 'href="failed/raises/report.ipynb"' in page
    assert "kernel_died" in page and "timeout" in page
    assert "Impressions" in page, "primary KPIs of the built client"
    assert "could not be imported" in page, "the good client's ingest warning"
    assert "<script" not in page


def test_retry_failed_reruns_only_the_failed_clients(faulty_batch):
    ws, nb_dir, _ = faulty_batch
    before = (ws / "reports" / "ok" / PERIOD / "manifest.json").read_bytes()
    result = run_batch(
        ws,
        PERIOD,
        clients="ok,raises,exits",  # the timeout and kill cases are not needed again
        retry_failed=True,
        formats=HTML,
        notebooks_dir=nb_dir,
        workers=2,
    )
    assert [r.client for r in result.results] == ["raises", "exits"]
    assert not result.ok
    assert (ws / "reports" / "ok" / PERIOD / "manifest.json").read_bytes() == before
    record = load_record(ws / "reports", PERIOD)
    assert set(record["clients"]) == {"ok", "raises", "killed", "slow", "exits"}
    assert record["runs"][-1]["clients"] == ["raises", "exits"]


# one good batch, compared across executors -------------------------------------------------
@pytest.fixture(scope="module")
def local_batch(tmp_path_factory):
    ws = make_workspace(tmp_path_factory.mktemp("local") / "ws", ["acme", "acme-two"])
    with LocalExecutor(2) as ex:
        result = run_batch(ws, PERIOD, formats=HTML, executor=ex)
    return ws, result


def test_local_batch_succeeds(local_batch):
    _, result = local_batch
    assert result.ok, result.summary
    assert [r.status for r in result.results] == ["succeeded", "succeeded"]
    assert result.summary["status"].tolist() == ["succeeded", "succeeded"]


def test_csv_outputs_neutralise_formula_captions(local_batch):
    ws, _ = local_batch
    folder = ws / "reports" / "acme" / PERIOD
    posts = pd.read_csv(folder / "posts.csv")
    assert '\'=HYPERLINK("http://x")' in posts["text"].tolist()
    raw = (folder / "posts.csv").read_text("utf-8")
    assert ",=HYPERLINK" not in raw and '"=HYPERLINK' not in raw
    for name in ("posts.csv", "kpis.csv"):
        frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        for col in frame.columns:
            assert not frame[col].str.match(r"^[=+@\t\r]").any(), (name, col)


def test_unchanged_inputs_are_skipped_unless_forced(local_batch):
    ws, _ = local_batch
    folder = ws / "reports" / "acme" / PERIOD
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    result = run_batch(ws, PERIOD, formats=HTML, workers=1)
    assert [r.status for r in result.results] == ["skipped", "skipped"]
    assert result.ok
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_dask_cluster_produces_the_same_outputs(local_batch, tmp_path):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    ws, _ = local_batch
    out = tmp_path / "dask-reports"
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_batch(
            ws, PERIOD, formats=HTML, output_root=out, scheduler=cluster.scheduler_address
        )
    assert result.ok, result.summary
    assert {r.worker for r in result.results} != {""}
    for cid in ("acme", "acme-two"):
        local, remote = ws / "reports" / cid / PERIOD, out / cid / PERIOD
        assert {p.name for p in remote.iterdir()} == REPORT_FILES
        for name in ("kpis.csv", "posts.csv"):
            assert (local / name).read_bytes() == (remote / name).read_bytes(), name
        pd.testing.assert_frame_equal(
            pd.read_parquet(local / "kpis.parquet"), pd.read_parquet(remote / "kpis.parquet")
        )
        assert (local / "report.html").read_bytes() == (remote / "report.html").read_bytes()
        fp = [
            json.loads((d / "manifest.json").read_text())["inputs"]["fingerprint"]
            for d in (local, remote)
        ]
        assert fp[0] == fp[1]


def test_dask_executor_through_an_existing_client():
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        ex = DaskExecutor(client=client)
        assert ex.capacity == 1
        outcomes = list(ex.map(abs, [-1, -2]))
        ex.close()
        assert sorted(o.result for o in outcomes) == [1, 2]
        assert client.status == "running", "a client passed in is left open"


# kill -9 mid-way -----------------------------------------------------------------------------
def test_killed_batch_leaves_the_previous_report_intact(tmp_path):
    ws = make_workspace(tmp_path / "ws", ["acme"])
    target = ws / "reports" / "acme" / PERIOD
    target.mkdir(parents=True)
    previous = {
        "report.html": b"<html>last good report</html>",
        "report.ipynb": b"{}",
        "kpis.csv": b"kpi,value\r\nreach,1\r\n",
        "manifest.json": json.dumps({"status": "succeeded", "inputs": {}}).encode(),
    }
    for name, data in previous.items():
        (target / name).write_bytes(data)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kpi_notebook_lib.batch_cli",
            str(ws),
            "--period",
            PERIOD,
            "--workers",
            "1",
            "--formats",
            "html",
            "--no-progress",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        staged = None
        while time.monotonic() < deadline and proc.poll() is None:
            staged = next(target.parent.glob(f".{PERIOD}.*.staging/kpis.csv"), None)
            if staged is not None:
                break
            time.sleep(0.05)
        assert staged is not None, "the batch never reached the middle of the client's build"
        time.sleep(1.0)  # now executing the notebooks, with part of the outputs staged
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert {p.name: p.read_bytes() for p in target.iterdir()} == previous
    assert not (ws / "reports" / "_batch" / PERIOD / "batch.json").exists()
    with _lock(batch_dir(ws / "reports", PERIOD)):  # the lock died with the process
        pass
    recover(target)
    assert sorted(p.name for p in target.parent.iterdir()) == [PERIOD]
    assert {p.name: p.read_bytes() for p in target.iterdir()} == previous
