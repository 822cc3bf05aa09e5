"""One client × period, end to end, in a worker: the task function every executor runs.

:func:`run_client` never raises for a client's own problems: it returns a
:class:`~kpi_notebook_lib.batch.ClientResult` whose ``failure`` says what went wrong, so one
client cannot stop the others. Steps, each timed:

1. ``ingest`` — new or changed exports of the client (incremental; its own store folder);
2. up-to-date check — the input fingerprint against the published ``manifest.json``;
3. ``tables`` — the KPI table (Parquet + CSV) and the period's posts (CSV), formula-safe;
4. ``execute`` — the composed report notebook in this worker's warm kernel, with a deadline
   for the whole notebook and a success marker printed by an appended last cell (papermill
   reports neither a dead kernel's nor ``sys.exit(0)``'s truncated run as an error);
5. ``html`` / ``pdf`` — rendered here, in the worker process (CPU-bound, beside the kernel);
6. ``publish`` — the staging folder swapped into place.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import secrets
import shutil
import socket
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import nbformat

from ..exceptions import KPIError
from ..report import (
    FORMATS,
    REPORT_PARTS,
    check_parameters,
    compose,
    render_html,
    render_pdf,
    report_metadata,
)
from ._outputs import (
    MANIFEST,
    client_report_dir,
    expected_files,
    failed_dir,
    input_fingerprint,
    is_up_to_date,
    package_versions,
    publish,
    recover,
    sha256_file,
    staging_dir,
    write_bytes,
    write_json,
    write_tables,
    write_text,
)
from ._results import ClientResult, Failure

__all__ = ["MARKER", "ClientTask", "run_client"]

#: Printed by the last cell of every batch notebook, followed by the run's nonce.
MARKER = "kpi-batch-complete:"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class ClientTask:
    """Everything a worker needs to build one client's report (picklable, paths as str).

    Parameters
    ----------
    workspace : str
        Workspace folder (on a Dask cluster: the same path on every worker).
    client, period : str
        Validated client id and period label.
    run_id : str
        Id of the batch run (names staging folders).
    output_root : str
        Folder holding ``<client>/<period>/``.
    notebooks_dir, templates_dir : str
        Report notebooks and nbconvert templates.
    compare_to : {"previous", "last_year"}
    language : {"fr", "en"}, optional
        Report language (default: the client's).
    formats : tuple of str
        ``html`` and/or ``pdf``.
    kernel_name : str
    timeout : float, optional
        Seconds allowed for executing the client's notebooks (None: no limit).
    force : bool
        Build even when the published report is up to date.
    """

    workspace: str
    client: str
    period: str
    run_id: str
    output_root: str
    notebooks_dir: str
    templates_dir: str
    compare_to: str = "previous"
    language: str | None = None
    formats: tuple[str, ...] = FORMATS
    kernel_name: str = "python3"
    timeout: float | None = 600
    force: bool = False


class _Failed(Exception):
    """Internal: a step failed; carries the :class:`Failure` and the notebook, if any."""

    def __init__(self, failure: Failure, notebook: Any = None) -> None:
        super().__init__(str(failure))
        self.failure = failure
        self.notebook = notebook


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _from_exception(kind: str, err: BaseException, message: str | None = None) -> Failure:
    tb = "".join(traceback.format_exception(type(err), err, err.__traceback__))
    return Failure(
        kind,
        message or f"{type(err).__name__}: {err}".splitlines()[0][:300],
        ename=type(err).__name__,
        evalue=str(err)[:2000],
        traceback=tb[-8000:],
    )


@contextmanager
def _stage(kind: str):
    """Turn any exception of a step into a :class:`_Failed` of ``kind``."""
    try:
        yield
    except _Failed:
        raise
    except KPIError as err:
        raise _Failed(_from_exception(kind, err, str(err).splitlines()[0][:300])) from err
    except Exception as err:
        raise _Failed(_from_exception(kind, err)) from err


class _Timer(dict):
    @contextmanager
    def __call__(self, step: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            self[step] = round(self.get(step, 0.0) + time.perf_counter() - t, 3)


# the report notebook -----------------------------------------------------------------------
_composed: dict[tuple, nbformat.NotebookNode] = {}
_composed_lock = threading.Lock()


def report_notebook(notebooks_dir: Path, key: tuple) -> nbformat.NotebookNode:
    """The composed report notebook (cached per process by the notebooks' hashes), each cell
    tagged in its metadata with the notebook it comes from (``kpi_part``, ``kpi_part_cell``)."""
    with _composed_lock:
        if key in _composed:
            return _composed[key]
    nb = compose(notebooks_dir)
    origin: list[tuple[str, int]] = []  # as compose() orders them: parameters cell first
    for k, part in enumerate(REPORT_PARTS):
        src = nbformat.read(Path(notebooks_dir) / f"{part}.ipynb", as_version=4)
        tagged = ["parameters" in c.metadata.get("tags", []) for c in src.cells]
        if k == 0:
            origin += [(part, j) for j, t in enumerate(tagged) if t]
        origin += [(part, j) for j, t in enumerate(tagged) if not t]
    if len(origin) == len(nb.cells):  # else compose changed shape: leave cells unannotated
        for cell, (part, j) in zip(nb.cells, origin, strict=True):
            cell.metadata["kpi_part"] = part
            cell.metadata["kpi_part_cell"] = j
    with _composed_lock:
        _composed[key] = nb
    return nb


def _with_marker(nb: nbformat.NotebookNode, nonce: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    cell = nbformat.v4.new_code_cell(
        f"print({MARKER + nonce!r})", metadata={"tags": ["remove-cell"], "kpi_marker": True}
    )
    cell["id"] = "kpi-batch-marker"
    nb.cells.append(cell)
    return nb


def _where(nb: nbformat.NotebookNode, index: int | None) -> dict[str, Any]:
    if index is None or not 0 <= index < len(nb.cells):
        return {}
    meta = nb.cells[index].metadata
    return {
        "cell_index": index,
        "part": meta.get("kpi_part"),
        "part_cell": meta.get("kpi_part_cell"),
    }


def _first_error(nb: nbformat.NotebookNode) -> tuple[int, dict] | None:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, out
    return None


def _last_started(nb: nbformat.NotebookNode) -> int | None:
    """Index of the last cell papermill started (the one running when execution stopped)."""
    last = None
    for i, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
            last = i
    return last


def _check_complete(nb: nbformat.NotebookNode, nonce: str) -> None:
    """Raise :class:`_Failed` unless every code cell ran without error and the marker printed.

    Catches what papermill lets pass: ``sys.exit(0)`` stops execution without an error.
    """
    marker = nb.cells[-1] if nb.cells else None
    printed = marker is not None and any(
        MARKER + nonce in "".join(o.get("text", ""))
        for o in marker.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    skipped = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.source.strip() and c.get("execution_count") is None
    ]
    err = _first_error(nb)
    if printed and not skipped and err is None:
        return
    if err is not None:
        i, out = err
        failure = Failure(
            "incomplete",
            f"execution stopped at {out.get('ename')}: {out.get('evalue')}".strip(),
            ename=out.get("ename"),
            evalue=out.get("evalue"),
            **_where(nb, i),
        )
    else:
        i = (skipped[0] - 1) if skipped else None
        failure = Failure(
            "incomplete",
            "the notebooks stopped before the end without an error "
            "(the success marker was not printed)",
            **_where(nb, i),
        )
    raise _Failed(failure, nb)


def _execute(kernel: Any, nb: nbformat.NotebookNode, params: dict, timeout: float | None):
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from ._kernels import ENGINE_NAME

    capture: dict[str, Any] = {}
    deadline = time.monotonic() + timeout if timeout else None

    def remaining(cell: Any) -> float | None:
        return None if deadline is None else max(deadline - time.monotonic(), 0.001)

    try:
        return pm.execute_notebook(
            nb,
            None,
            parameters=check_parameters(dict(params)),
            engine_name=ENGINE_NAME,
            km=kernel.km,
            capture=capture,
            kernel_name=kernel.kernel_name,
            progress_bar=False,
            request_save_on_cell_execute=False,
            timeout_func=remaining,
        )
    except PapermillExecutionError as err:
        got = capture.get("nb")
        found = _first_error(got) if got else None
        where = _where(got, found[0]) if found else {}
        where["cell_index"] = err.cell_index  # papermill's: before its error cells were added
        tb = _ANSI.sub("", "\n".join(err.traceback or []))
        raise _Failed(
            Failure(
                "error",
                f"{err.ename}: {err.evalue}".splitlines()[0][:300],
                ename=err.ename,
                evalue=err.evalue,
                traceback=tb[-8000:],
                **where,
            ),
            got,
        ) from None
    except CellTimeoutError:
        got = capture.get("nb")
        kernel.discard()
        raise _Failed(
            Failure(
                "timeout",
                f"the notebooks ran longer than the timeout ({timeout:g} s)",
                ename="TimeoutError",
                **(_where(got, _last_started(got)) if got else {}),
            ),
            got,
        ) from None
    except DeadKernelError as err:
        got = capture.get("nb")
        kernel.discard()
        raise _Failed(
            Failure(
                "kernel_died",
                "the kernel died while executing the notebooks",
                ename=type(err).__name__,
                evalue=str(err),
                **(_where(got, _last_started(got)) if got else {}),
            ),
            got,
        ) from None
    except Exception as err:  # the kernel's state is unknown: do not reuse it
        kernel.discard()
        raise _Failed(_from_exception("internal", err), capture.get("nb")) from err
    finally:
        kernel.runs += 1


def _for_analyst(nb: nbformat.NotebookNode, failure: Failure) -> nbformat.NotebookNode:
    """The failed notebook as kept: a first cell saying what failed, and where."""
    nb = copy.deepcopy(nb)
    text = f"**This client's batch run failed** — {failure.kind}: {failure.message}"
    if failure.part is not None:
        text += f"  \nIn `{failure.part}.ipynb`, cell {failure.part_cell}."
    cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": ["kpi-batch-failure"]})
    cell["id"] = "kpi-batch-failure"
    nb.cells.insert(0, cell)
    return nb


# the task ----------------------------------------------------------------------------------
def run_client(task: ClientTask) -> ClientResult:
    """Build one client's report for one period. See the module docstring.

    Parameters
    ----------
    task : ClientTask

    Returns
    -------
    ClientResult
        ``succeeded``, ``skipped`` (already up to date) or ``failed`` with a
        :class:`~kpi_notebook_lib.batch.Failure`; never raises for the client's own problems.
    """
    from ..explore import in_period, with_interactions
    from ..workspace import open_workspace

    timer = _Timer()
    t0 = time.perf_counter()
    result = ClientResult(
        task.client,
        task.period,
        "failed",
        task.run_id,
        started=_now(),
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
    out_root = Path(task.output_root)
    staging: Path | None = None
    target: Path | None = None
    try:
        with _stage("input"):
            target = client_report_dir(out_root, task.client, task.period)
            recover(target)
            with timer("ingest"):
                ws = open_workspace(task.workspace, auto_ingest=False)
                c = ws.client(task.client)
                ingested = ws.ingest(task.client)
            bad = ingested.failed["file"].tolist()
            if bad:
                more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
                result.warnings.append(
                    f"{len(bad)} export file(s) could not be imported: {', '.join(bad[:3])}"
                    f"{more} (see `kpi ingest {task.workspace} --client {task.client}`)"
                )
            p = c.check_period(task.period)
            lang = task.language or c.language
            params = {
                "workspace": str(ws.root),
                "client": task.client,
                "period": p.label,
                "compare_to": task.compare_to,
                "language": lang,
            }
            check_parameters(params)
            nb_dir, tpl_dir = Path(task.notebooks_dir), Path(task.templates_dir)
            notebooks = {part: nb_dir / f"{part}.ipynb" for part in REPORT_PARTS}
            inputs = input_fingerprint(
                c,
                parameters=params,
                formats=task.formats,
                notebooks=notebooks,
                templates_dir=tpl_dir,
            )
            if not task.force and is_up_to_date(target, inputs["fingerprint"], task.formats):
                shutil.rmtree(failed_dir(out_root, task.client, task.period), ignore_errors=True)
                result.status = "skipped"
                result.report_dir = str(target)
                return result
            staging = staging_dir(target, task.run_id)
            with timer("tables"):
                comparison = c.kpis(p, task.compare_to)
                posts = with_interactions(in_period(c.table("posts"), p, c.settings.timezone))
                write_tables(staging, comparison, posts, c.alerts(p))
            nb = report_notebook(nb_dir, tuple(sorted(inputs["notebooks"].items())))

        with _stage("internal"):
            from ._kernels import warm_kernel

            kernel = warm_kernel(task.kernel_name, nb_dir)
        nonce = secrets.token_hex(16)
        with timer("execute"):
            executed = _execute(kernel, _with_marker(nb, nonce), params, task.timeout)
        _check_complete(executed, nonce)
        executed.cells = [c_ for c_ in executed.cells if not c_.metadata.get("kpi_marker")]

        with _stage("render"):
            executed.metadata["kpi_report"] = report_metadata(c, p, lang, task.compare_to)
            executed.metadata["kpi_batch"] = {
                "run_id": task.run_id,
                "inputs": inputs["fingerprint"],
            }
            write_text(staging / "report.ipynb", nbformat.writes(executed))
            with timer("html"):
                html = render_html(executed, templates_dir=tpl_dir)
            if "html" in task.formats:
                write_text(staging / "report.html", html)
            if "pdf" in task.formats:
                with timer("pdf"):
                    write_bytes(staging / "report.pdf", render_pdf(html))

        with _stage("internal"):
            result.status = "succeeded"
            result.report_dir = str(target)
            result.finished = _now()
            manifest = _manifest(task, result, timer, t0, inputs, ingested, staging, params)
            write_json(staging / MANIFEST, manifest)
            with timer("publish"):
                publish(staging, target)
            staging = None
            shutil.rmtree(failed_dir(out_root, task.client, task.period), ignore_errors=True)
        return result
    except _Failed as failed:
        result.status = "failed"
        result.failure = failed.failure
        if target is not None and (target / MANIFEST).exists():
            result.report_dir = str(target)  # the previous good report, untouched
        result.failed_notebook = _keep_failed(task, result, failed, timer, t0)
        return result
    except Exception as err:  # a bug of the runner: still this client's failure only
        result.status = "failed"
        result.failure = _from_exception("internal", err)
        return result
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        timer["total"] = round(time.perf_counter() - t0, 3)
        result.durations = dict(timer)
        result.finished = result.finished or _now()


def _manifest(
    task: ClientTask,
    result: ClientResult,
    timer: _Timer,
    t0: float,
    inputs: dict,
    ingested: Any,
    folder: Path,
    params: dict,
) -> dict[str, Any]:
    outputs = {}
    for name in expected_files(task.formats):
        path = folder / name
        if name != MANIFEST and path.exists():
            outputs[name] = {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
    s = ingested.summary
    return {
        "format": 1,
        "client": task.client,
        "period": task.period,
        "status": result.status,
        "run_id": task.run_id,
        "started": result.started,
        "finished": result.finished,
        "durations": dict(timer, total=round(time.perf_counter() - t0, 3)),
        "error": result.failure.to_dict() if result.failure else None,
        "parameters": params,
        "formats": list(task.formats),
        "inputs": inputs,
        "outputs": outputs,
        "ingest": {
            "files": len(s),
            "imported_rows": int(s["imported"].fillna(0).sum()) if len(s) else 0,
            "quarantined_values": len(ingested.quarantine),
            "failed_files": len(ingested.failed),
        },
        "versions": package_versions(),
        "worker": result.worker,
        "warnings": list(result.warnings),
    }


def _keep_failed(
    task: ClientTask, result: ClientResult, failed: _Failed, timer: _Timer, t0: float
) -> str | None:
    """Keep a failed client's executed notebook and manifest under ``_batch/<period>/failed``
    (never in the client's report folder, never rendered)."""
    try:
        folder = failed_dir(Path(task.output_root), task.client, task.period)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        kept = None
        if failed.notebook is not None:
            kept = folder / "report.ipynb"
            nb = _for_analyst(failed.notebook, failed.failure)
            write_text(kept, nbformat.writes(nb))
        info = replace(result, finished=_now())
        write_json(
            folder / MANIFEST,
            {
                "format": 1,
                "client": task.client,
                "period": task.period,
                "status": "failed",
                "run_id": task.run_id,
                "started": info.started,
                "finished": info.finished,
                "durations": dict(timer, total=round(time.perf_counter() - t0, 3)),
                "error": failed.failure.to_dict(),
                "previous_report": info.report_dir,
                "versions": package_versions(),
                "worker": info.worker,
            },
        )
        return str(kept) if kept else None
    except Exception:
        return None
