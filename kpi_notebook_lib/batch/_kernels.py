"""Warm kernels: one long-lived Jupyter kernel per worker, reused from client to client.

Per report, starting a kernel and importing pandas, seaborn and the library costs more than a
second of CPU time, and a graceful shutdown sometimes stalls for seconds. A batch worker starts
its kernel once, imports the library in it once, and then executes each client's composed
report notebook in it through papermill's engine API (:class:`WarmKernelEngine`, registered as
the ``kpi-warm`` papermill engine: papermill's own client, given the running kernel's manager,
without shutting the kernel down at the end).

Between two clients the kernel's namespace is reset (``%reset -f``, figures closed), so no
variable leaks from one client's report into the next; modules stay imported (that is the
point). A kernel that died, timed out or has run :data:`MAX_RUNS` reports is replaced by a new
one, started outside the client's timeout.
"""

from __future__ import annotations

import atexit
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import remove_args

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager

__all__ = [
    "ENGINE_NAME",
    "MAX_RUNS",
    "WarmKernel",
    "WarmKernelEngine",
    "shutdown_kernels",
    "warm_kernel",
]

#: Name of the papermill engine that executes in an already running kernel.
ENGINE_NAME = "kpi-warm"
#: Reports executed in one kernel before it is replaced (bounds memory growth).
MAX_RUNS = 40
#: Code run once in each new kernel: the imports every report needs.
PRELOAD = """\
import matplotlib.pyplot
import kpi_notebook_lib.sections
import kpi_notebook_lib.tone
from kpi_notebook_lib.catalog import get_catalog
from kpi_notebook_lib.narrative import load_rules
get_catalog(); load_rules()
del get_catalog, load_rules
"""
RESET = """\
%reset -f
import matplotlib.pyplot as _plt
_plt.close("all")
del _plt
import gc as _gc
_gc.collect()
del _gc
"""


class WarmKernelEngine(NBClientEngine):
    """papermill engine executing in the running kernel passed as ``km=`` and leaving it
    running. Pass ``capture={}`` to get the notebook being executed (``capture["nb"]``) even
    when execution stops on a dead kernel or a timeout."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        **kwargs: Any,
    ) -> Any:
        """Execute ``nb_man.nb`` in ``kwargs["km"]`` (see papermill's ``NBClientEngine``)."""
        capture = kwargs.pop("capture", None)
        if capture is not None:
            capture["nb"] = nb_man.nb
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = PapermillNotebookClient(
            nb_man,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        try:
            return client.execute()
        finally:
            if client.kc is not None:  # the kernel stays; its client's sockets do not
                client.kc.stop_channels()


papermill_engines.register(ENGINE_NAME, WarmKernelEngine)


class KernelCodeError(RuntimeError):
    """Code sent to a warm kernel outside a notebook (preload, reset) failed."""


class WarmKernel:
    """A Jupyter kernel started once, with the library imported, reused across reports.

    Parameters
    ----------
    kernel_name : str
        Kernel spec name (``python3``).
    cwd : path
        Working directory of the kernel (the notebooks folder, as papermill's ``cwd``).
    """

    def __init__(self, kernel_name: str, cwd: Path) -> None:
        self.kernel_name = kernel_name
        self.cwd = Path(cwd)
        self.km: AsyncKernelManager
        self.runs = 0
        self.broken = False
        self.startup_seconds = 0.0
        self._start()

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        t = time.perf_counter()
        # a fresh manager each time: a shut-down manager's ZMQ context cannot be reused
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        run_sync(self.km.start_kernel)(cwd=str(self.cwd))
        self.run_code(PRELOAD, timeout=300)
        self.runs = 0
        self.broken = False
        self.startup_seconds = time.perf_counter() - t

    def run_code(self, code: str, *, timeout: float = 60) -> None:
        """Execute ``code`` in the kernel (shell channel only, outputs discarded).

        Raises
        ------
        KernelCodeError
            When the code raised or the kernel did not answer within ``timeout`` seconds.
        """
        from jupyter_core.utils import run_sync

        async def _run() -> dict:
            kc = self.km.client()
            kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
            try:
                msg_id = kc.execute(code, silent=True, store_history=False)
                deadline = time.monotonic() + timeout
                while True:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise KernelCodeError(f"the kernel did not answer in {timeout} s")
                    reply = await kc.get_shell_msg(timeout=remaining)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        return reply
            finally:
                kc.stop_channels()

        try:
            reply = run_sync(_run)()
        except TimeoutError as err:
            raise KernelCodeError(f"the kernel did not answer in {timeout} s") from err
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelCodeError(f"{content.get('ename')}: {content.get('evalue')}")

    def alive(self) -> bool:
        """Whether the kernel process is running."""
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def reset(self) -> None:
        """Clear the namespace between two reports; restart the kernel when that fails."""
        try:
            self.run_code(RESET, timeout=30)
        except KernelCodeError:
            self.restart()

    def restart(self) -> None:
        """Kill the kernel process and start a fresh one (imports included)."""
        from jupyter_core.utils import run_sync

        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            pass
        self._start()

    def shutdown(self) -> None:
        """Stop the kernel now (no graceful wait)."""
        from jupyter_core.utils import run_sync

        try:
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            pass

    def discard(self) -> None:
        """Kill the kernel now (it hung or died); the next :meth:`ready` starts a new one."""
        self.shutdown()
        self.broken = True

    def ready(self) -> WarmKernel:
        """This kernel, alive, clean and under :data:`MAX_RUNS` (restarted when needed)."""
        if self.broken or not self.alive() or self.runs >= MAX_RUNS:
            self.restart()
        elif self.runs:
            self.reset()
        return self


_local = threading.local()
_all: list[WarmKernel] = []
_lock = threading.Lock()


def warm_kernel(kernel_name: str, cwd: Path) -> WarmKernel:
    """This thread's warm kernel for ``(kernel_name, cwd)``, started on first use.

    One per thread: a Dask worker running several tasks at once gives each its own kernel.
    """
    kernels: dict[tuple[str, str], WarmKernel] = _local.__dict__.setdefault("kernels", {})
    key = (kernel_name, str(Path(cwd).resolve()))
    kernel = kernels.get(key)
    if kernel is None:
        kernel = kernels[key] = WarmKernel(kernel_name, Path(key[1]))
        with _lock:
            if not _all:
                _register_exit()
            _all.append(kernel)
    return kernel.ready()


def shutdown_kernels() -> None:
    """Stop every warm kernel of this process."""
    with _lock:
        kernels, _all[:] = list(_all), []
    for k in kernels:
        k.shutdown()
    _local.__dict__.pop("kernels", None)


def _register_exit() -> None:
    # multiprocessing workers leave through os._exit: atexit does not run there, but
    # multiprocessing's finalizers do. Kernels also exit by themselves when their parent dies.
    from multiprocessing import util

    atexit.register(shutdown_kernels)
    util.Finalize(None, shutdown_kernels, exitpriority=10)
