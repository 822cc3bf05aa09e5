"""Fast checks of the batch machinery: ids and paths, publishing, fingerprints, the success
marker, spreadsheet safety, the process executor. No notebook is executed here."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import ROOT

from kpi_notebook_lib.batch import (
    MARKER,
    BatchError,
    BatchResult,
    ClientResult,
    Failure,
    LocalExecutor,
    WorkerLostError,
    check_batch_ids,
    client_report_dir,
    run_batch,
    select_clients,
)
from kpi_notebook_lib.batch import _outputs as outputs
from kpi_notebook_lib.batch._runner import _check_complete, _Failed, report_notebook
from kpi_notebook_lib.exceptions import ParameterError
from kpi_notebook_lib.report import REPORT_PARTS

BAD_IDS = [
    "../etc",
    "..",
    "a/../../b",
    "/etc/passwd",
    "acme\x00",
    "ACME",
    "café",  # NFC
    "cafe\u0301",  # NFD
    "acme ",
    "acme\n",  # a regex `$` matches before a final newline
    "a\\b",
    "",
]


# ids and paths -------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_traversal_and_odd_client_ids_are_refused(bad, tiny_workspace):
    with pytest.raises(ParameterError):
        check_batch_ids([bad])
    with pytest.raises(ParameterError):
        select_clients(["acme"], [bad])
    with pytest.raises(ParameterError):
        run_batch(tiny_workspace, "2026-10", clients=[bad])
    assert not (tiny_workspace / "reports").exists(), "nothing may be written for a refused id"


def test_ids_equal_after_case_folding_or_unicode_normalisation_collide():
    with pytest.raises(ParameterError, match="same folder"):
        check_batch_ids(["acme", "ＡＣＭＥ"])  # full-width: NFKC + casefold give "acme"
    with pytest.raises(ParameterError):
        check_batch_ids(["acme", "Acme"])


def test_all_clients_reports_invalid_folders_as_failed_and_runs_the_rest():
    ids, invalid = select_clients(["acme", "Acme", "b-2", "café"])
    assert ids == ["acme", "b-2"]
    assert set(invalid) == {"Acme", "café"}
    assert all(f.kind == "input" for f in invalid.values())


def test_select_clients_list_unknown_and_retry_filter():
    assert select_clients(["a", "b", "c"], "c, a") == (["c", "a"], {})
    with pytest.raises(ParameterError, match="clients of the workspace"):
        select_clients(["a"], "a,zz")
    with pytest.raises(ParameterError):
        select_clients(["a"], "a,,b")
    assert select_clients(["a", "b", "c"], "all", failed=["b", "zz"]) == (["b"], {})


def test_output_path_must_stay_under_the_root(tmp_path):
    root = tmp_path / "reports"
    root.mkdir()
    assert client_report_dir(root, "acme", "2026-10") == (root / "acme" / "2026-10").resolve()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "evil").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ParameterError, match="stays under"):
        client_report_dir(root, "evil", "2026-10")
    with pytest.raises(ParameterError):
        client_report_dir(root, "../x", "2026-10")


def test_retry_failed_without_a_previous_batch_is_an_error(tiny_workspace):
    with pytest.raises(BatchError, match="nothing to retry"):
        run_batch(tiny_workspace, "2026-10", retry_failed=True)


def test_bad_arguments_are_refused_before_anything_runs(tiny_workspace):
    for kwargs in (
        {"formats": ("docx",)},
        {"timeout": 0},
        {"compare_to": "yesterday"},
        {"workers": 2, "scheduler": "tcp://127.0.0.1:8786"},
    ):
        with pytest.raises(ParameterError):
            run_batch(tiny_workspace, "2026-10", **kwargs)
    with pytest.raises(ParameterError):
        run_batch(tiny_workspace, "2026-13")


# publishing ----------------------------------------------------------------------------------
def _folder(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / "report.html").write_text(text)
    return path


def test_publish_replaces_the_whole_folder_and_leaves_nothing_behind(tmp_path):
    target = _folder(tmp_path / "acme" / "2026-10", "old")
    (target / "only-in-old.txt").write_text("x")
    staging = outputs.staging_dir(target, "run1")
    (staging / "report.html").write_text("new")
    outputs.publish(staging, target)
    assert (target / "report.html").read_text() == "new"
    assert not (target / "only-in-old.txt").exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026-10"]


def test_publish_without_atomic_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)
    target = _folder(tmp_path / "acme" / "2026-10", "old")
    staging = outputs.staging_dir(target, "run2")
    (staging / "report.html").write_text("new")
    outputs.publish(staging, target)
    assert (target / "report.html").read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026-10"]


def test_recover_puts_back_the_previous_report_after_a_crash_between_renames(tmp_path):
    target = _folder(tmp_path / "acme" / "2026-10", "previous good report")
    staging = outputs.staging_dir(target, "run3")
    (staging / "report.html").write_text("new, complete")
    # the fallback path died after its first rename: target moved aside, staging not yet in
    os.rename(target, target.with_name(".2026-10.run3.old"))
    outputs.recover(target)
    assert (target / "report.html").read_text() == "previous good report"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026-10"]


def test_recover_removes_stale_staging_and_keeps_the_report(tmp_path):
    target = _folder(tmp_path / "acme" / "2026-10", "good")
    stale = outputs.staging_dir(target, "crashed")
    (stale / "report.html").write_text("partial")
    other_period = _folder(tmp_path / "acme" / ".2026-09.x.staging", "other period")
    outputs.recover(target)
    assert (target / "report.html").read_text() == "good"
    assert not stale.exists()
    assert other_period.exists(), "only this period's leftovers are touched"


# fingerprints --------------------------------------------------------------------------------
def test_fingerprint_changes_with_settings_exports_and_parameters(tiny_workspace):
    from kpi_notebook_lib.workspace import open_workspace

    ws = open_workspace(tiny_workspace, auto_ingest=False)
    ws.ingest("acme")
    c = ws.client("acme")
    nbs = {p: ROOT / "notebooks" / f"{p}.ipynb" for p in REPORT_PARTS}

    def fp(period="2026-10", formats=("html",)):
        return outputs.input_fingerprint(
            c,
            parameters={"client": "acme", "period": period},
            formats=formats,
            notebooks=nbs,
            templates_dir=ROOT / "templates",
        )

    first = fp()
    assert first == fp(), "deterministic"
    assert set(first["exports"]) == set(ws.store.manifest("acme"))
    assert {"client.yml", "targets.csv", "annotations.csv"} <= set(first["settings"])
    assert "pandas" in first["versions"] and first["code"]
    assert fp(period="2026-09")["fingerprint"] != first["fingerprint"]
    assert fp(formats=("html", "pdf"))["fingerprint"] != first["fingerprint"]
    with open(c.dir / "targets.csv", "a") as fh:
        fh.write("reach,all,month,100\n")
    assert fp()["fingerprint"] != first["fingerprint"]


def test_up_to_date_needs_same_fingerprint_and_every_file(tmp_path):
    target = tmp_path / "r"
    target.mkdir()
    files = outputs.expected_files(["html"])
    recorded = {}
    for name in files:
        if name != "manifest.json":
            (target / name).write_text(name)
            recorded[name] = {"bytes": len(name)}
    manifest = {"status": "succeeded", "inputs": {"fingerprint": "abc"}, "outputs": recorded}
    outputs.write_json(target / "manifest.json", manifest)
    assert outputs.is_up_to_date(target, "abc", ["html"])
    assert not outputs.is_up_to_date(target, "abd", ["html"])
    assert not outputs.is_up_to_date(target, "abc", ["html", "pdf"])
    (target / "report.html").write_text("truncated")
    assert not outputs.is_up_to_date(target, "abc", ["html"])


# spreadsheet safety --------------------------------------------------------------------------
def test_csv_tables_neutralise_formulas(tmp_path):
    comparison = pd.DataFrame({"kpi": ["reach"], "value": [-3.0], "note": ["=1+1"]})
    posts = pd.DataFrame(
        {
            "text": ['=HYPERLINK("http://x")', "+33 6", "-x", "@SUM(A1)", "\tx", "\rx", "ok"],
            "reach": [1, -2, 3, 4, 5, 6, 7],
        }
    )
    outputs.write_tables(tmp_path, comparison, posts)
    back = pd.read_csv(tmp_path / "posts.csv")
    assert back["text"].tolist()[:6] == [
        '\'=HYPERLINK("http://x")',
        "'+33 6",
        "'-x",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert back["reach"].tolist() == [1, -2, 3, 4, 5, 6, 7], "numbers are left alone"
    kpis = pd.read_csv(tmp_path / "kpis.csv")
    assert kpis.loc[0, "note"] == "'=1+1" and kpis.loc[0, "value"] == -3.0
    assert pd.read_parquet(tmp_path / "kpis.parquet").loc[0, "note"] == "=1+1", "typed copy"


# the success marker --------------------------------------------------------------------------
def _nb(*outputs_per_cell, marker_printed=True, nonce="n0"):
    nb = nbformat.v4.new_notebook()
    for i, outs in enumerate(outputs_per_cell):
        cell = nbformat.v4.new_code_cell(f"x = {i}", execution_count=i + 1)
        cell.outputs = outs
        cell.metadata["kpi_part"] = "engagement"
        cell.metadata["kpi_part_cell"] = i
        nb.cells.append(cell)
    marker = nbformat.v4.new_code_cell("print(...)")
    if marker_printed:
        marker.execution_count = len(nb.cells) + 1
        marker.outputs = [nbformat.v4.new_output("stream", name="stdout", text=MARKER + nonce)]
    nb.cells.append(marker)
    return nb


def test_complete_run_passes_the_marker_check():
    _check_complete(_nb([], []), "n0")


def test_silent_sys_exit_is_caught_by_the_marker():
    exit_out = nbformat.v4.new_output("error", ename="SystemExit", evalue="0", traceback=[])
    nb = _nb([], [exit_out], marker_printed=False)
    nb.cells[-1].execution_count = None
    with pytest.raises(_Failed) as info:
        _check_complete(nb, "n0")
    f = info.value.failure
    assert (f.kind, f.ename, f.part, f.part_cell) == ("incomplete", "SystemExit", "engagement", 1)


def test_a_marker_from_another_run_does_not_count():
    with pytest.raises(_Failed):
        _check_complete(_nb([]), "other-nonce")


def test_report_notebook_cells_know_their_source_notebook():
    nb = report_notebook(ROOT / "notebooks", ("test",))
    parts = [c.metadata.get("kpi_part") for c in nb.cells]
    assert parts[0] == "dashboard" and parts[-1] == "appendix"
    assert set(parts) == set(REPORT_PARTS)
    source = nbformat.read(ROOT / "notebooks" / "engagement.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata["kpi_part"] == "engagement":
            assert cell.source == source.cells[cell.metadata["kpi_part_cell"]].source


# results -------------------------------------------------------------------------------------
def test_results_round_trip_and_summary():
    f = Failure("error", "RuntimeError: boom", ename="RuntimeError", part="tone", part_cell=3)
    r = ClientResult("acme", "2026-10", "failed", "r1", durations={"total": 1.25}, failure=f)
    assert ClientResult.from_dict(r.to_dict()) == r
    b = BatchResult("2026-10", "r1", [r, ClientResult("b", "2026-10", "skipped", "r1")])
    assert not b.ok and b.counts() == {"succeeded": 0, "skipped": 1, "failed": 1}
    assert b.summary.loc[0, "reason"] == "error in tone.ipynb cell 3: RuntimeError: boom"
    with pytest.raises(Exception, match="1 client report"):
        b.raise_for_failures()
    with pytest.raises(ValueError):
        Failure("oops", "x")


# executor ------------------------------------------------------------------------------------
def test_local_executor_survives_a_worker_process_dying():
    tasks = ["6 * 7", "__import__('os')._exit(3)", "1 + 1"]
    with LocalExecutor(2) as ex:
        outcomes = {o.index: o for o in ex.map(eval, tasks)}
    assert outcomes[0].result == 42 and outcomes[2].result == 2
    assert isinstance(outcomes[1].error, WorkerLostError)


def test_local_executor_rejects_bad_worker_counts():
    for bad in (0, -1, 1.5):
        with pytest.raises(ParameterError):
            LocalExecutor(bad)


def test_dask_executor_validates_the_address():
    pytest.importorskip("distributed")
    from kpi_notebook_lib.batch import DaskExecutor

    for bad in ("", "not an address", "http://x/y"):
        with pytest.raises(ParameterError):
            DaskExecutor(bad)
