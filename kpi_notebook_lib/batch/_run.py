"""The batch: choose the clients, hand one task per client to an executor, record and summarise
what happened, write the agency overview."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import ParameterError
from ..periods import parse_period
from ..report import FORMATS, project_dir
from ._executors import DaskExecutor, Executor, LocalExecutor, Outcome, WorkerLostError
from ._outputs import (
    atomic_write_text,
    batch_dir,
    check_batch_ids,
    client_report_dir,
    read_json,
    safe_csv,
)
from ._results import BatchError, BatchResult, ClientResult, Failure
from ._runner import ClientTask, run_client

__all__ = ["load_record", "run_batch", "select_clients"]

RECORD = "batch.json"
_KEEP_RUNS = 50


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def load_record(output_root: Path, period: str) -> dict[str, Any] | None:
    """The batch record of ``period`` (``_batch/<period>/batch.json``), or None."""
    return read_json(batch_dir(output_root, parse_period(period).label) / RECORD)


def select_clients(
    available: Sequence[str],
    clients: str | Sequence[str] | None = None,
    *,
    failed: Sequence[str] | None = None,
) -> tuple[list[str], dict[str, Failure]]:
    """The client ids a batch runs, in order, and the invalid folder names it cannot run.

    Parameters
    ----------
    available : sequence of str
        Client folders of the workspace.
    clients : str or sequence of str, optional
        ``"all"`` / None, a comma-separated string, or a list of ids.
    failed : sequence of str, optional
        With ``--retry-failed``: only these (the clients that failed in the last batch).

    Returns
    -------
    ids : list of str
        Valid ids to run.
    invalid : dict
        Folder name → :class:`Failure` for folders of ``available`` that are no valid id
        (only when running all clients; they are reported as failed, the others run).

    Raises
    ------
    ParameterError
        When a requested id is invalid (``..``, ``/``, NUL, capitals, accents, two ids that
        are one folder on a case-insensitive file system) or not a client of the workspace.
    """
    invalid: dict[str, Failure] = {}
    if clients is None or clients == "all" or (not isinstance(clients, str) and not clients):
        ids = []
        for name in sorted(available):
            try:
                check_batch_ids([*ids, name])
            except ParameterError as err:
                invalid[name] = Failure("input", str(err))
            else:
                ids.append(name)
    else:
        if isinstance(clients, str):
            requested = [c.strip() for c in clients.split(",")]
        else:
            requested = list(clients)
        if any(c == "" for c in requested):
            raise ParameterError("clients", clients, "'all' or client ids separated by commas")
        ids = check_batch_ids(dict.fromkeys(requested))
        unknown = [c for c in ids if c not in available]
        if unknown:
            raise ParameterError(
                "clients",
                ",".join(unknown),
                f"clients of the workspace ({', '.join(available) or 'none'})",
            )
    if failed is not None:
        keep = set(failed)
        ids = [c for c in ids if c in keep]
        invalid = {k: v for k, v in invalid.items() if k in keep}
    return ids, invalid


@contextlib.contextmanager
def _lock(folder: Path) -> Iterator[None]:
    """One batch per output root and period at a time (released even on ``kill -9``)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    with open(folder / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchError(
                f"Another batch is running for this period (it holds {folder / '.lock'})."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _outcome_result(out: Outcome, run_id: str) -> ClientResult:
    if out.error is None:
        return out.result
    err = out.error
    lost = isinstance(err, WorkerLostError) or type(err).__name__ == "KilledWorker"
    return ClientResult(
        out.task.client,
        out.task.period,
        "failed",
        run_id,
        started=_now(),
        finished=_now(),
        failure=Failure(
            "worker_lost" if lost else "internal",
            f"{type(err).__name__}: {err}".splitlines()[0][:300],
            ename=type(err).__name__,
            evalue=str(err)[:2000],
        ),
    )


def _progress(total: int, enabled: bool | None, period: str) -> Any:
    from tqdm.auto import tqdm

    disable = None if enabled is None else not enabled  # None: only on a terminal
    return tqdm(total=total, desc=f"Reports {period}", unit="client", disable=disable)


def run_batch(
    workspace: str | Path,
    period: str,
    *,
    clients: str | Sequence[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: Executor | None = None,
    timeout: float | None = 600,
    force: bool = False,
    retry_failed: bool = False,
    formats: Sequence[str] = FORMATS,
    compare_to: str = "previous",
    language: str | None = None,
    notebooks_dir: str | Path | None = None,
    templates_dir: str | Path | None = None,
    output_root: str | Path | None = None,
    kernel_name: str = "python3",
    progress: bool | None = False,
    overview_language: str = "en",
) -> BatchResult:
    """Build every client's report for ``period``, in parallel, each client isolated.

    Parameters
    ----------
    workspace : path
        Workspace folder (holds ``clients/``).
    period : str
        ``2026-10``, ``2026-W43``, ``2026-Q3``…
    clients : str or list of str, optional
        ``"all"`` (default), ``"a,b"`` or a list of ids.
    workers : int, optional
        Local worker processes (default: the cores available).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a Dask scheduler: run on that cluster instead.
    executor : Executor, optional
        Run through this executor (not closed here); excludes ``workers`` and ``scheduler``.
    timeout : float, optional
        Seconds a client's notebooks may run (None: no limit); beyond, the client fails.
    force : bool
        Rebuild reports that are up to date with their inputs.
    retry_failed : bool
        Only the clients that failed in the last batch of this period.
    formats : sequence of {"html", "pdf"}
    compare_to : {"previous", "last_year"}
    language : {"fr", "en"}, optional
        Report language (default: each client's).
    notebooks_dir, templates_dir : path, optional
        Report notebooks and nbconvert templates (default: the checkout's).
    output_root : path, optional
        Default: ``<workspace>/reports``.
    kernel_name : str
    progress : bool, optional
        Show a progress bar on stderr (None: when stderr is a terminal).
    overview_language : {"en", "fr"}
        Language of the agency overview page.

    Returns
    -------
    BatchResult
        ``ok`` only when every client succeeded or was up to date; ``summary`` names each
        failure and its reason.

    Raises
    ------
    ParameterError
        Invalid arguments or client ids (nothing runs).
    BatchError
        Another batch holds this period's lock, ``retry_failed`` without a previous batch, or
        the Dask scheduler cannot be reached.
    """
    from ..overview import write_overview
    from ..workspace import open_workspace

    t0 = time.perf_counter()
    ws = open_workspace(workspace, auto_ingest=False)
    p = parse_period(period)
    formats = tuple(dict.fromkeys(formats))
    if not formats or any(f not in FORMATS for f in formats):
        raise ParameterError("formats", ",".join(formats), "html, pdf or html,pdf")
    if compare_to not in ("previous", "last_year"):
        raise ParameterError("compare_to", compare_to, "'previous' or 'last_year'")
    if language not in (None, "fr", "en"):
        raise ParameterError("language", language, "'fr', 'en' or None (each client's)")
    if timeout is not None and (isinstance(timeout, bool) or not timeout > 0):
        raise ParameterError("timeout", timeout, "a positive number of seconds")
    if sum(x is not None for x in (workers, scheduler, executor)) > 1:
        raise ParameterError(
            "workers/scheduler", (workers, scheduler), "local workers or a Dask scheduler, not both"
        )
    if notebooks_dir is None or templates_dir is None:
        root = project_dir()
        notebooks_dir = notebooks_dir or root / "notebooks"
        templates_dir = templates_dir or root / "templates"
    out_root = Path(output_root or ws.reports_dir).resolve()
    bdir = batch_dir(out_root, p.label)

    available = ws.clients()
    ids, invalid = select_clients(available, clients)  # refuses bad ids before any write

    with _lock(bdir):
        record = read_json(bdir / RECORD) or {}
        if retry_failed:
            if not record:
                raise BatchError(
                    f"No batch has run for {p.label} under {out_root}: nothing to retry."
                )
            failed = {
                c for c, r in record.get("clients", {}).items() if r.get("status") == "failed"
            }
            ids = [c for c in ids if c in failed]
            invalid = {k: v for k, v in invalid.items() if k in failed}
        run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        started = _now()
        results: dict[str, ClientResult] = {
            name: ClientResult(name, p.label, "failed", run_id, started, started, failure=f)
            for name, f in invalid.items()
        }
        tasks = []
        for cid in ids:
            try:
                client_report_dir(out_root, cid, p.label)
            except ParameterError as err:
                results[cid] = ClientResult(
                    cid,
                    p.label,
                    "failed",
                    run_id,
                    started,
                    started,
                    failure=Failure("input", str(err)),
                )
                continue
            tasks.append(
                ClientTask(
                    workspace=str(ws.root),
                    client=cid,
                    period=p.label,
                    run_id=run_id,
                    output_root=str(out_root),
                    notebooks_dir=str(Path(notebooks_dir).resolve()),
                    templates_dir=str(Path(templates_dir).resolve()),
                    compare_to=compare_to,
                    language=language,
                    formats=formats,
                    kernel_name=kernel_name,
                    timeout=timeout,
                    force=force,
                )
            )

        own = executor is None and bool(tasks)
        if own:
            executor = DaskExecutor(scheduler) if scheduler else LocalExecutor(workers)
        try:
            if tasks:
                _run_tasks(executor, tasks, results, run_id, progress, p.label)
        finally:
            if own:
                executor.close()
            ordered = [results[c] for c in [*invalid, *ids] if c in results]
            record = _update_record(bdir, record, p.label, run_id, started, ordered, available)
            overview = write_overview(
                ws, p.label, record["clients"], output_root=out_root, lang=overview_language
            )
    return BatchResult(
        p.label,
        run_id,
        ordered,
        overview=str(overview),
        record=str(bdir / RECORD),
        wall=time.perf_counter() - t0,
    )


def _run_tasks(
    executor: Executor,
    tasks: list[ClientTask],
    results: dict[str, ClientResult],
    run_id: str,
    progress: bool | None,
    period: str,
) -> None:
    bar = _progress(len(tasks), progress, period)
    done = failed = skipped = 0
    capacity = executor.capacity

    def postfix() -> None:
        running = min(capacity, len(tasks) - done)
        bar.set_postfix(done=done, running=running, failed=failed, up_to_date=skipped, refresh=True)

    postfix()
    try:
        for out in executor.map(run_client, tasks):
            r = _outcome_result(out, run_id)
            results[r.client] = r
            done += 1
            failed += r.status == "failed"
            skipped += r.status == "skipped"
            if r.status == "failed":
                bar.write(f"FAILED {r.client}: {r.failure}")
            postfix()
            bar.update(1)
    except BaseException:
        executor.terminate()
        raise
    finally:
        bar.close()


def _update_record(
    folder: Path,
    record: dict[str, Any],
    period: str,
    run_id: str,
    started: str,
    results: list[ClientResult],
    available: list[str],
) -> dict[str, Any]:
    """Merge this run into ``batch.json`` (clients not run now keep their last result) and
    write ``summary.csv`` beside it."""
    clients = {c: r for c, r in record.get("clients", {}).items() if c in available}
    for r in results:
        clients[r.client] = r.to_dict()
    runs = [
        *record.get("runs", []),
        {
            "run_id": run_id,
            "started": started,
            "finished": _now(),
            "clients": [r.client for r in results],
            "counts": {
                s: sum(r.status == s for r in results) for s in ("succeeded", "skipped", "failed")
            },
        },
    ][-_KEEP_RUNS:]
    record = {
        "format": 1,
        "period": period,
        "updated": _now(),
        "runs": runs,
        "clients": dict(sorted(clients.items())),
    }
    import json

    atomic_write_text(
        folder / RECORD, json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True)
    )
    rows = [
        {
            "client": c,
            "status": r["status"],
            "run_id": r["run_id"],
            "finished": r.get("finished", ""),
            "seconds": (r.get("durations") or {}).get("total"),
            "reason": str(Failure.from_dict(r["failure"])) if r.get("failure") else "",
            "report_dir": r.get("report_dir") or "",
            "failed_notebook": r.get("failed_notebook") or "",
        }
        for c, r in record["clients"].items()
    ]
    atomic_write_text(folder / "summary.csv", safe_csv(pd.DataFrame(rows)))
    return record
