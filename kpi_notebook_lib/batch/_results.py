"""What a batch run returns: one :class:`ClientResult` per client, a :class:`BatchResult`,
and the structured :class:`Failure` that says what went wrong for a client.

Everything here is plain data (dataclasses of str, float, dict) so that results travel between
processes and Dask workers by pickle and are written to ``manifest.json`` / ``batch.json`` as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from ..exceptions import KPIError

__all__ = [
    "FAILURE_KINDS",
    "STATUSES",
    "BatchError",
    "BatchFailedError",
    "BatchResult",
    "ClientResult",
    "Failure",
]

#: Status of a client in a batch: built now, already up to date, or failed.
STATUSES: tuple[str, ...] = ("succeeded", "skipped", "failed")

#: Why a client failed.
FAILURE_KINDS: dict[str, str] = {
    "input": "its settings, data or period could not be used",
    "error": "a notebook cell raised an exception",
    "kernel_died": "the notebook's kernel died",
    "timeout": "the notebooks ran longer than the timeout",
    "incomplete": "the notebooks stopped before the end without an error (sys.exit?)",
    "render": "the HTML or PDF report could not be rendered",
    "worker_lost": "the worker process running it died",
    "internal": "an unexpected error in the batch runner",
}


class BatchError(KPIError, RuntimeError):
    """A batch cannot run at all (another batch holds the lock, no previous batch to retry…)."""


@dataclass(frozen=True)
class Failure:
    """Why a client's report failed, structured like papermill's ``PapermillExecutionError``.

    Parameters
    ----------
    kind : str
        One of :data:`FAILURE_KINDS`.
    message : str
        One line for the summary table.
    ename, evalue : str, optional
        Exception name and value raised by the failing cell.
    cell_index : int, optional
        Index of the failing cell in the executed (composed) notebook.
    part : str, optional
        Report notebook the failing cell comes from (``engagement``…).
    part_cell : int, optional
        Index of the failing cell in that notebook (``notebooks/<part>.ipynb``).
    traceback : str, optional
        Traceback text, without terminal colours.
    """

    kind: str
    message: str
    ename: str | None = None
    evalue: str | None = None
    cell_index: int | None = None
    part: str | None = None
    part_cell: int | None = None
    traceback: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAILURE_KINDS:
            raise ValueError(f"unknown failure kind {self.kind!r}; expected {list(FAILURE_KINDS)}")

    def __str__(self) -> str:
        where = ""
        if self.part is not None:
            where = f" in {self.part}.ipynb"
            if self.part_cell is not None:
                where += f" cell {self.part_cell}"
        return f"{self.kind}{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Failure:
        """Inverse of :meth:`to_dict`."""
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


@dataclass
class ClientResult:
    """The outcome of one client × period.

    Parameters
    ----------
    client, period : str
    status : {"succeeded", "skipped", "failed"}
        ``skipped`` means the published report was already up to date with its inputs.
    run_id : str
        Id of the batch run that produced this result.
    started, finished : str
        ISO 8601 UTC timestamps.
    durations : dict
        Seconds per step (``ingest``, ``tables``, ``execute``, ``html``, ``pdf``, ``publish``,
        ``total``).
    failure : Failure, optional
        Why it failed (``status == "failed"`` only).
    report_dir : str, optional
        Folder of the published report (the previous good one when this run failed).
    failed_notebook : str, optional
        The executed notebook of a failed run, kept for the analyst.
    worker : str
        ``host:pid`` of the process that ran it.
    warnings : list of str
        Problems that did not stop the report (export files that could not be imported).
    """

    client: str
    period: str
    status: str
    run_id: str
    started: str = ""
    finished: str = ""
    durations: dict[str, float] = field(default_factory=dict)
    failure: Failure | None = None
    report_dir: str | None = None
    failed_notebook: str | None = None
    worker: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the client's report is published and current."""
        return self.status in ("succeeded", "skipped")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        d = asdict(self)
        d["failure"] = self.failure.to_dict() if self.failure else None
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClientResult:
        """Inverse of :meth:`to_dict`."""
        kw = {k: data.get(k) for k in cls.__dataclass_fields__ if k in data}
        if kw.get("failure"):
            kw["failure"] = Failure.from_dict(kw["failure"])
        kw["durations"] = dict(kw.get("durations") or {})
        kw["warnings"] = list(kw.get("warnings") or [])
        return cls(**kw)


SUMMARY_COLUMNS = ["client", "period", "status", "seconds", "reason", "report", "notebook"]


@dataclass
class BatchResult:
    """All clients of a batch run.

    Parameters
    ----------
    period : str
    run_id : str
    results : list of ClientResult
        The clients run now, in client order.
    overview : str, optional
        Path of the agency overview page.
    record : str, optional
        Path of ``batch.json`` (every client of the period, including earlier runs).
    wall : float
        Wall time of the run, in seconds.
    """

    period: str
    run_id: str
    results: list[ClientResult]
    overview: str | None = None
    record: str | None = None
    wall: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every client succeeded or was already up to date."""
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[ClientResult]:
        """The clients that failed."""
        return [r for r in self.results if r.status == "failed"]

    def counts(self) -> dict[str, int]:
        """Number of clients per status."""
        return {s: sum(r.status == s for r in self.results) for s in STATUSES}

    @property
    def summary(self) -> pd.DataFrame:
        """One row per client: ``client, period, status, seconds, reason, report, notebook``."""
        rows = [
            {
                "client": r.client,
                "period": r.period,
                "status": r.status,
                "seconds": round(r.durations.get("total", float("nan")), 1),
                "reason": str(r.failure) if r.failure else "",
                "report": r.report_dir or "",
                "notebook": r.failed_notebook or "",
            }
            for r in self.results
        ]
        return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)

    def raise_for_failures(self) -> None:
        """Raise :class:`BatchFailedError` when a client failed."""
        if not self.ok:
            raise BatchFailedError(self.failed)


class BatchFailedError(KPIError, RuntimeError):
    """Some clients of a batch failed.

    Parameters
    ----------
    failed : list of ClientResult
        The failed clients, each with its :class:`Failure`.
    """

    def __init__(self, failed: list[ClientResult]) -> None:
        self.failed = list(failed)
        lines = "\n".join(f"  - {r.client}: {r.failure}" for r in self.failed)
        super().__init__(f"{len(self.failed)} client report(s) failed:\n{lines}")
