"""Batch reporting: the naive notebook pipeline vs. ``kpi batch`` vs. the no-notebook floor.

For the sample clients replicated to 12 clients (``--clients N``) and one month, side by side,
each contender in fresh processes on the same ingested workspace:

1. **naive** — what a team does without the batch: per client, ``papermill`` (CLI) on each
   of the report notebooks (dashboard, seven objectives, appendix), one after the other, then
   ``jupyter nbconvert --to html --no-input`` on each executed notebook. HTML only.
2. **kpi batch** — ``kpi batch WS --period P`` with default settings: one worker per core, a
   warm kernel per worker, HTML *and* PDF, KPI tables (CSV + Parquet), manifests, overview.
3. **floor** — one plain Python process, no Jupyter: the same code cells the report runs
   (library calls: every KPI table, chart and text fragment), executed with ``exec`` and their
   HTML fragments collected, plus the KPI table written as CSV and Parquet. No HTML report, no
   PDF, one core.

Targets: (2) at least 6× faster than (1), and (2) at most 1.3× the wall time of (3).

Walls include interpreter start and imports for every contender. The script also prints the
share of the CPUs used by *other* processes during each contender (CPU time of the processes
that are not descendants of this script, from ``/proc``): on a shared 2-core machine a neighbour's
job can inflate a wall time by half. It checks that the three produced the same number of
figures per client, and that the batch's and the floor's KPI tables are identical.

Usage (from the repository root)::

    .venv/bin/python bench/batch.py                 # 12 clients (naive alone: ~10-15 min)
    .venv/bin/python bench/batch.py --clients 3
    .venv/bin/python bench/batch.py --skip-naive    # (2) and (3) only
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "_out" / "batch"
PY = sys.executable
BIN = Path(PY).parent
SAMPLES = ("boulangerie-dupont", "logiciel-pilote", "threadline-fashion")


def client_ids(n: int) -> list[str]:
    """``n`` client ids: the sample clients, then copies ``<id>-2``, ``<id>-3``…"""
    ids = []
    k = 1
    while len(ids) < n:
        for s in SAMPLES:
            if len(ids) < n:
                ids.append(s if k == 1 else f"{s}-{k}")
        k += 1
    return ids


def setup(n: int) -> tuple[Path, list[str]]:
    """A workspace under ``bench/_out/batch/ws`` with ``n`` clients, ingested (untimed)."""
    from kpi_notebook_lib.workspace import open_workspace

    ws = OUT / "ws"
    ids = client_ids(n)
    if ws.exists():
        shutil.rmtree(ws)
    for cid in ids:
        base = next(s for s in SAMPLES if cid == s or cid.startswith(s + "-"))
        shutil.copytree(ROOT / "data_samples" / "clients" / base, ws / "clients" / cid)
    t = time.perf_counter()
    report = open_workspace(ws, auto_ingest=False).ingest()
    print(
        f"workspace: {n} clients ({', '.join(ids[:4])}{'…' if n > 4 else ''}), "
        f"{len(report.summary)} export files ingested in {time.perf_counter() - t:.0f} s "
        "(untimed)",
        flush=True,
    )
    return ws, ids


# measuring ---------------------------------------------------------------------------------
def _proc_table() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds so far) of every process (``/proc/<pid>/stat``)."""
    tck = os.sysconf("SC_CLK_TCK")
    out = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        out[int(d.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tck)
    return out


def _ours(pid: int, table: dict[int, tuple[int, float]]) -> bool:
    me = os.getpid()
    while pid in table and pid > 1:
        if pid == me:
            return True
        pid = table[pid][0]
    return False


class Measure:
    """Wall time of a contender, and the CPU time *other* processes used meanwhile (processes
    that are not descendants of this script, from ``/proc``), as a share of the machine."""

    def __enter__(self) -> Measure:
        self.before = {p: cpu for p, (_, cpu) in _proc_table().items()}
        self.t = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.t
        table = _proc_table()
        others = sum(
            cpu - self.before.get(p, 0.0)
            for p, (_, cpu) in table.items()
            if not _ours(p, table) and p != os.getpid()
        )
        self.others = max(others, 0.0) / (self.wall * (os.cpu_count() or 1))


def run(cmd: list[str], **kw) -> None:
    """Run a command; stop the bench when it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")


# the contenders ----------------------------------------------------------------------------
def naive(ws: Path, ids: list[str], period: str) -> Path:
    """papermill CLI per notebook, then nbconvert per notebook, sequentially."""
    from kpi_notebook_lib.report import REPORT_PARTS

    out = OUT / "naive"
    shutil.rmtree(out, ignore_errors=True)
    nb_dir = ROOT / "notebooks"
    for i, cid in enumerate(ids, 1):
        (out / cid).mkdir(parents=True)
        t = time.perf_counter()
        for part in REPORT_PARTS:
            executed = out / cid / f"{part}.ipynb"
            run(
                [
                    str(BIN / "papermill"),
                    str(nb_dir / f"{part}.ipynb"),
                    str(executed),
                    "-p",
                    "workspace",
                    str(ws),
                    "-p",
                    "client",
                    cid,
                    "-p",
                    "period",
                    period,
                    "--cwd",
                    str(nb_dir),
                    "--no-progress-bar",
                ]
            )
        for part in REPORT_PARTS:
            run(
                [
                    str(BIN / "jupyter"),
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    str(out / cid / f"{part}.ipynb"),
                ]
            )
        print(f"  naive: {i}/{len(ids)} clients ({time.perf_counter() - t:.0f} s)", flush=True)
    return out


def batch(ws: Path, period: str, workers: int | None) -> Path:
    """``kpi batch`` with default settings (the command, in a fresh process)."""
    shutil.rmtree(ws / "reports", ignore_errors=True)
    cmd = [PY, "-m", "kpi_notebook_lib.batch_cli", str(ws), "--period", period, "--no-progress"]
    if workers:
        cmd += ["--workers", str(workers)]
    run(cmd)
    return ws / "reports"


def floor(ws: Path, ids: list[str], period: str) -> Path:
    """The floor, in a fresh process (see :func:`floor_child`)."""
    out = OUT / "floor"
    shutil.rmtree(out, ignore_errors=True)
    run([PY, __file__, "--floor-child", str(ws), period, str(out), *ids])
    return out


def floor_child(ws: str, period: str, out: str, ids: list[str]) -> None:
    """One process: every code cell of the report, per client, with ``exec``; the HTML
    fragments they return collected; the KPI table and the period's posts written."""
    import IPython.display

    from kpi_notebook_lib.explore import in_period, with_interactions
    from kpi_notebook_lib.report import compose
    from kpi_notebook_lib.safety import neutralize_formulas
    from kpi_notebook_lib.workspace import open_workspace

    fragments: list[str] = []

    def show(*objs: object, **_: object) -> None:
        for o in objs:
            r = getattr(o, "_repr_html_", None)
            fragments.append(r() if r else repr(o))

    IPython.display.display = show  # what Dashboard.zooms() calls
    nb = compose(ROOT / "notebooks")
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        tree = ast.parse(cell.source)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = compile(ast.Expression(tree.body.pop().value), "<cell>", "eval")
        cells.append((compile(tree, "<cell>", "exec"), last))
    root = Path(out)
    for cid in ids:
        fragments.clear()
        ns = {"workspace": ws, "client": cid, "period": period, "compare_to": "previous"}
        ns |= {"language": None, "display": show}
        for body, last in cells:
            exec(body, ns)
            if last is not None and (value := eval(last, ns)) is not None:
                show(value)
        folder = root / cid
        folder.mkdir(parents=True)
        (folder / "fragments.html").write_text("\n".join(fragments), "utf-8")
        c = open_workspace(ws).client(cid)
        table = c.kpis(period, "previous")
        table.to_parquet(folder / "kpis.parquet", index=False)
        csv = neutralize_formulas(table).to_csv(index=False, lineterminator="\r\n")
        (folder / "kpis.csv").write_text(csv, "utf-8")
        posts = with_interactions(in_period(c.table("posts"), period, c.settings.timezone))
        csv = neutralize_formulas(posts).to_csv(index=False, lineterminator="\r\n")
        (folder / "posts.csv").write_text(csv, "utf-8")
        alerts = c.alerts(period)  # the batch writes them for the overview
        alerts.to_parquet(folder / "alerts.parquet", index=False)
        csv = neutralize_formulas(alerts).to_csv(index=False, lineterminator="\r\n")
        (folder / "alerts.csv").write_text(csv, "utf-8")


# checks ------------------------------------------------------------------------------------
def figures(text: str) -> int:
    """Charts in an HTML text (the library's ``<figure class="chart">`` inline PNGs)."""
    return text.count('<figure class="chart">')


def check(ids: list[str], period: str, reports: Path, flo: Path, nai: Path | None) -> list[str]:
    """Same figures per client in all three; same KPI tables in the batch and the floor."""
    import pandas as pd

    problems = []
    for cid in ids:
        b = figures((reports / cid / period / "report.html").read_text("utf-8"))
        f = figures((flo / cid / "fragments.html").read_text("utf-8"))
        counts = f"batch {b}, floor {f}"
        if nai is not None:
            n = sum(figures(p.read_text("utf-8")) for p in (nai / cid).glob("*.html"))
            counts += f", naive {n}"
            if n != b:
                problems.append(f"{cid}: figures differ ({counts})")
        if b != f:
            problems.append(f"{cid}: figures differ ({counts})")
        if (reports / cid / period / "posts.csv").read_bytes() != (
            flo / cid / "posts.csv"
        ).read_bytes():
            problems.append(f"{cid}: posts.csv differs between batch and floor")
        try:  # DuckDB's parallel float sums may differ in the last bits from run to run
            pd.testing.assert_frame_equal(
                pd.read_parquet(reports / cid / period / "kpis.parquet"),
                pd.read_parquet(flo / cid / "kpis.parquet"),
                rtol=1e-12,
            )
        except AssertionError as err:
            problems.append(f"{cid}: KPI tables differ between batch and floor: {err}")
    return problems


def step_totals(reports: Path, ids: list[str], period: str) -> dict[str, float]:
    """Seconds per step, summed over the batch's client manifests."""
    import json

    totals: dict[str, float] = {}
    for cid in ids:
        m = json.loads((reports / cid / period / "manifest.json").read_text())
        for k, v in m["durations"].items():
            totals[k] = totals.get(k, 0.0) + v
    return totals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=12, help="number of clients (default 12)")
    ap.add_argument("--period", default="2026-10")
    ap.add_argument(
        "--workers", type=int, default=None, help="kpi batch --workers (default: cores)"
    )
    ap.add_argument("--skip-naive", action="store_true", help="only (2) and (3)")
    ap.add_argument("--floor-child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.floor_child:
        ws, period, out, *ids = args.floor_child
        floor_child(ws, period, out, ids)
        return 0

    import importlib.metadata as md

    ncpu = os.cpu_count()
    print(
        f"machine: {ncpu} CPUs, Python {platform.python_version()}, papermill "
        f"{md.version('papermill')}, nbconvert {md.version('nbconvert')}, weasyprint "
        f"{md.version('weasyprint')}",
        flush=True,
    )
    ws, ids = setup(args.clients)
    walls: dict[str, Measure] = {}
    nai = None
    if not args.skip_naive:
        print("(1) naive: papermill CLI per notebook, then nbconvert per notebook…", flush=True)
        with Measure() as m:
            nai = naive(ws, ids, args.period)
        walls["naive"] = m
    print("(2) kpi batch, default settings…", flush=True)
    with Measure() as m:
        reports = batch(ws, args.period, args.workers)
    walls["batch"] = m
    print("(3) floor: one Python process, no notebooks…", flush=True)
    with Measure() as m:
        flo = floor(ws, ids, args.period)
    walls["floor"] = m

    problems = check(ids, args.period, reports, flo, nai)
    steps = step_totals(reports, ids, args.period)
    n_nb = 9 * len(ids)
    labels = {
        "naive": f"(1) naive: papermill CLI x{n_nb} + nbconvert x{n_nb}, HTML only",
        "batch": f"(2) kpi batch: {args.workers or ncpu} workers, HTML + PDF + tables",
        "floor": "(3) floor: one process, no kernel, no HTML/PDF",
    }
    print(f"\n{len(ids)} clients, period {args.period}")
    for k, m in walls.items():
        print(
            f"  {labels[k]:<62} wall {m.wall:7.1f} s   other processes used "
            f"{m.others:4.0%} of the CPUs"
        )
    print(
        "  batch steps, summed over clients (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in steps.items() if k != "total")
    )
    ok = True
    if "naive" in walls:
        speedup = walls["naive"].wall / walls["batch"].wall
        met = speedup >= 6
        ok &= met
        print(f"  speed-up (1)/(2) = {speedup:.2f}x   target >= 6x   {'met' if met else 'NOT met'}")
    ratio = walls["batch"].wall / walls["floor"].wall
    met = ratio <= 1.3
    ok &= met
    print(f"  ratio (2)/(3)    = {ratio:.2f}    target <= 1.3   {'met' if met else 'NOT met'}")
    busy = max(m.others for m in walls.values())
    if busy > 0.10:
        print(
            f"  warning: other processes used up to {busy:.0%} of the CPUs during a contender: "
            "walls are inflated and ratios noisy; rerun on an idle machine"
        )
    print("  outputs agree: " + ("yes" if not problems else "NO\n    " + "\n    ".join(problems)))
    return 0 if ok and not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
