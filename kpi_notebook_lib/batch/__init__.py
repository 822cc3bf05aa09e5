"""Batch reporting at agency scale: every client's report for a period, in parallel, each
client isolated from the others' failures, outputs published atomically.

::

    from kpi_notebook_lib.batch import run_batch
    result = run_batch("agency-workspace", "2026-10", workers=2)
    result.summary            # one row per client: status, seconds, reason
    result.ok                 # every client succeeded or was already up to date

What it costs, and how the design answers it
--------------------------------------------
A report is the composed report notebook (dashboard, the seven objectives, appendix; see
:func:`kpi_notebook_lib.report.compose`) executed in one kernel. Per report, a fresh kernel
costs about 0.5 s to start, 1–2 s of imports (pandas, seaborn, the library) and 0.4 s to shut
down (with occasional multi-second stalls), on top of the real work. So:

- **Warm kernels.** Each worker process starts *one* kernel, imports the library in it once,
  and executes client after client in it through papermill's engine API (the ``kpi-warm``
  engine: papermill's client given the running kernel), resetting the namespace in between.
  Fixed costs are paid once per worker, not once per report or per notebook.
- **All cores.** One worker process per core (:class:`LocalExecutor`); each renders its HTML and
  PDF itself, so one worker's WeasyPrint runs while another's kernel computes.
- **Scale-out.** :class:`DaskExecutor` submits the same task function to a Dask cluster:
  the executor interface (``map(fn, tasks)``) is the only thing that changes.

Fault isolation: the task function (:func:`run_client`) returns a failed
:class:`ClientResult` for a cell that raised, a kernel that died, a timeout, or a run that
stopped without error (papermill's silent ``sys.exit(0)``, caught by a success marker printed
by an appended last cell); the failed notebook is kept under ``_batch/<period>/failed/`` and
never rendered. Outputs are staged and swapped into place whole, and skipped when their input
fingerprint (export hashes, settings, notebooks, templates, code, package versions) is
unchanged.
"""

from ._executors import DaskExecutor, Executor, LocalExecutor, Outcome, WorkerLostError
from ._outputs import check_batch_ids, client_report_dir
from ._results import (
    FAILURE_KINDS,
    STATUSES,
    BatchError,
    BatchFailedError,
    BatchResult,
    ClientResult,
    Failure,
)
from ._run import load_record, run_batch, select_clients
from ._runner import MARKER, ClientTask, run_client

__all__ = [
    "FAILURE_KINDS",
    "MARKER",
    "STATUSES",
    "BatchError",
    "BatchFailedError",
    "BatchResult",
    "ClientResult",
    "ClientTask",
    "DaskExecutor",
    "Executor",
    "Failure",
    "LocalExecutor",
    "Outcome",
    "WorkerLostError",
    "check_batch_ids",
    "client_report_dir",
    "load_record",
    "run_batch",
    "run_client",
    "select_clients",
]
