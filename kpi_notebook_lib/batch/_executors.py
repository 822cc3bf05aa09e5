"""Executors: run one picklable task function over many tasks, in parallel, and yield each
outcome as it completes.

The batch knows one interface, :class:`Executor` (``map(fn, tasks)`` → :class:`Outcome` as they
complete). :class:`LocalExecutor` runs the tasks in worker processes on this machine;
:class:`DaskExecutor` submits the same function and tasks to a Dask distributed cluster. A
failure inside a task is the task function's business (the batch's returns a failed result);
what an executor reports as ``Outcome.error`` is a task that could not run to the end at all
(its worker process died, the cluster lost it).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from ..exceptions import ParameterError
from ._results import BatchError

__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "Outcome", "WorkerLostError"]


class WorkerLostError(RuntimeError):
    """The process running a task died (it was killed, crashed or ran out of memory)."""


@dataclass
class Outcome:
    """One task's outcome: its position in ``tasks``, and a result or an error."""

    index: int
    task: Any
    result: Any = None
    error: BaseException | None = None


class Executor(ABC):
    """Runs ``fn`` over tasks in parallel. Use as a context manager, or call :meth:`close`."""

    @property
    @abstractmethod
    def capacity(self) -> int:
        """How many tasks run at the same time."""

    @abstractmethod
    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Outcome]:
        """Run ``fn(task)`` for every task; yield an :class:`Outcome` as each completes."""

    def close(self) -> None:  # noqa: B027 - nothing to release by default
        """Release workers and connections."""

    def terminate(self) -> None:
        """Stop now, abandoning running tasks (after Ctrl-C)."""
        self.close()

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ignore_sigint() -> None:  # pragma: no cover - runs in worker processes
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _tracked(fn: Callable[[Any], Any], started: Any, index: int, task: Any) -> Any:
    """Run ``fn(task)`` in a worker, first noting which process runs which task."""
    started[index] = os.getpid()
    return fn(task)


class LocalExecutor(Executor):
    """Worker processes on this machine (``concurrent.futures.ProcessPoolExecutor``).

    Workers live as long as the executor, so what a worker sets up once — imports, a warm
    Jupyter kernel — serves every task it runs. They ignore Ctrl-C, which the parent handles.

    When a worker process dies (killed, crashed, out of memory), the pool breaks and every
    unfinished task with it. The pool is rebuilt; the tasks that were running then are run
    again one at a time, so the one that kills its worker again, alone, is reported lost
    (:class:`WorkerLostError`) and the others complete; the tasks still queued are submitted
    again as usual.

    Parameters
    ----------
    workers : int, optional
        Number of worker processes (default: the cores available).
    """

    def __init__(self, workers: int | None = None) -> None:
        if workers is not None and (
            isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
        ):
            raise ParameterError("workers", workers, "a positive number of worker processes")
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None
        methods = multiprocessing.get_all_start_methods()
        # never fork a parent that may hold threads (progress bar, Dask, Jupyter clients)
        self._ctx = multiprocessing.get_context(
            "forkserver" if "forkserver" in methods else "spawn"
        )

    def __repr__(self) -> str:
        return f"LocalExecutor(workers={self.workers})"

    @property
    def capacity(self) -> int:
        return self.workers

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=self._ctx, initializer=_ignore_sigint
            )
        return self._pool

    def _drop_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Outcome]:
        tasks = list(tasks)
        pending = set(range(len(tasks)))
        suspects: list[int] = []  # running when a worker died: rerun alone
        breaks: dict[int, int] = {}
        with self._ctx.Manager() as manager:
            started = manager.dict()
            while pending:
                if suspects:
                    batch = [suspects.pop(0)]
                else:
                    batch = sorted(pending)
                for i in batch:
                    started.pop(i, None)
                pool = self._get_pool()
                futures = {pool.submit(_tracked, fn, started, i, tasks[i]): i for i in batch}
                broken = False
                for fut in as_completed(futures):
                    i = futures[fut]
                    try:
                        result = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as err:  # reported per task
                        pending.discard(i)
                        yield Outcome(i, tasks[i], error=err)
                    else:
                        pending.discard(i)
                        yield Outcome(i, tasks[i], result=result)
                if not broken:
                    continue
                self._drop_pool()
                seen = set(started.keys())
                running = [i for i in batch if i in pending and i in seen]
                for i in running or [i for i in batch if i in pending]:
                    breaks[i] = breaks.get(i, 0) + 1
                    if len(batch) == 1 and breaks[i] >= 2:  # died again, alone: the culprit
                        pending.discard(i)
                        yield Outcome(
                            i,
                            tasks[i],
                            error=WorkerLostError(
                                f"its worker process died {breaks[i]} times while running it "
                                "(killed, crashed or out of memory)"
                            ),
                        )
                    elif i not in suspects:
                        suspects.append(i)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def terminate(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = getattr(pool, "_processes", None) or {}
        for proc in list(procs.values()):
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)


_ADDRESS = re.compile(r"^(?:[a-z]+://)?[^\s/]+:\d{1,5}$")


class DaskExecutor(Executor):
    """Tasks submitted to a Dask distributed cluster (``Client.submit``).

    The workers run the same task function as :class:`LocalExecutor`'s; they must have this
    package installed and see the workspace and output folders at the same paths (a shared
    file system). Start workers with one thread each (``dask worker --nthreads 1 --nworkers N``):
    each thread keeps its own warm kernel, and PDF rendering holds the GIL.

    Parameters
    ----------
    address : str, optional
        Scheduler address, ``tcp://HOST:PORT``.
    client : distributed.Client, optional
        An existing client (then ``address`` is not used, and :meth:`close` leaves it open).
    """

    def __init__(self, address: str | None = None, *, client: Any = None) -> None:
        try:
            from distributed import Client
        except ImportError as err:  # pragma: no cover - dask is a declared dependency
            raise BatchError(
                "Running on a Dask cluster needs `dask[distributed]` (pip install "
                "'dask[distributed]')."
            ) from err
        if client is None:
            if not isinstance(address, str) or not _ADDRESS.match(address):
                raise ParameterError(
                    "scheduler", address, "a Dask scheduler address like tcp://HOST:PORT"
                )
            try:
                client = Client(address, timeout="20s", set_as_default=False)
            except (OSError, TimeoutError) as err:
                raise BatchError(f"Cannot reach the Dask scheduler at {address}: {err}") from err
            self._owns = True
        else:
            self._owns = False
        self.client = client
        self._futures: list[Any] = []

    def __repr__(self) -> str:
        return f"DaskExecutor({self.client.scheduler.address!r})"

    @property
    def capacity(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Outcome]:
        from distributed import as_completed

        tasks = list(tasks)
        batch = uuid.uuid4().hex[:8]
        futures = [
            self.client.submit(
                fn, t, pure=False, key=f"kpi-report-{getattr(t, 'client', i)}-{batch}-{i}"
            )
            for i, t in enumerate(tasks)
        ]
        self._futures = futures
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in as_completed(futures, loop=self.client.loop):
            i = index[fut.key]
            try:
                result = fut.result()
            except Exception as err:
                yield Outcome(i, tasks[i], error=err)
            else:
                yield Outcome(i, tasks[i], result=result)
            finally:
                fut.release()
        self._futures = []

    def close(self) -> None:
        if self._futures:
            self.client.cancel(self._futures)
            self._futures = []
        if self._owns:
            self.client.close()
