"""The demo job: ingest a workspace, then one client's KPI table and report (latest full month).

This is what ``make demo`` and ``kpi demo`` run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .formatting import format_period, kpi_table
from .safety import neutralize_formulas
from .store import atomic_write_text
from .workspace import open_workspace

__all__ = ["run_demo"]


def run_demo(
    workspace: str | Path,
    *,
    client: str | None = None,
    period: str | None = None,
    echo: Callable[[str], object] = print,
    report: bool = True,
) -> dict[str, Path | str]:
    """Ingest ``workspace`` and write the KPI table of ``client`` for ``period``.

    Parameters
    ----------
    workspace : path
        Workspace folder (``data_samples`` for the sample workspace).
    client : str, optional
        Client id (default: the first client).
    period : str, optional
        Period label (default: the client's latest full month).
    echo : callable
        Where progress and the table are printed.
    report : bool
        Also build the client report (``report.html`` and ``report.pdf``).

    Returns
    -------
    dict
        ``client``, ``period``, ``kpis_csv`` (path of the written table) and, with
        ``report``, ``report_html`` and ``report_pdf``.
    """
    ws = open_workspace(workspace, auto_ingest=False)
    report = ws.ingest()
    s = report.summary
    echo(
        f"Ingested {len(s)} export file(s) for {s['client'].nunique()} client(s): "
        f"{int(s['imported'].fillna(0).sum())} rows imported, "
        f"{len(report.quarantine)} value(s) quarantined, {len(report.failed)} file(s) failed."
    )
    c = ws.client(client or ws.clients()[0])
    p = c.check_period(period) if period else c.latest_full_period("month")
    table = c.kpis(p, "previous")
    out_dir = (ws.reports_dir / c.id / p.label).resolve()
    if not out_dir.is_relative_to(ws.reports_dir.resolve()):  # pragma: no cover - ids validated
        raise RuntimeError(f"refusing to write outside {ws.reports_dir}")
    path = out_dir / "kpis.csv"
    atomic_write_text(path, neutralize_formulas(table).to_csv(index=False, lineterminator="\r\n"))
    lang = c.language
    title = "KPI, toutes plateformes" if lang == "fr" else "KPIs, all platforms"
    echo(f"\n{c.settings.name} — {format_period(p, lang)} — {title}\n")
    shown = kpi_table(table, lang, currency=c.settings.currency)
    echo(shown.to_string(index=False))
    result: dict[str, Path | str] = {"client": c.id, "period": p.label, "kpis_csv": path}
    if report:
        from .report import build_report

        echo("\nBuilding the client report (HTML and PDF)…")
        written = build_report(ws.root, c.id, p.label)
        result |= {"report_html": written["html"], "report_pdf": written["pdf"]}
    return result
