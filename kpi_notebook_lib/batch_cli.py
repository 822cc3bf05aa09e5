"""The ``kpi batch`` command: parse the options, call :func:`kpi_notebook_lib.batch.run_batch`,
print the summary. Exit status 0 only when every client succeeded (or was up to date)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["batch"]


@click.command("batch")
@click.argument("workspace", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--period", required=True, help="2026-10, 2026-W43, 2026-Q3…")
@click.option(
    "--clients", default="all", show_default=True, help="'all' or client ids separated by commas."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes (default: the cores available).",
)
@click.option(
    "--scheduler", default=None, help="Run on a Dask cluster: its scheduler, tcp://HOST:PORT."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600,
    show_default=True,
    help="Seconds a client's notebooks may run before the client is marked failed.",
)
@click.option("--force", is_flag=True, help="Rebuild reports that are up to date.")
@click.option(
    "--retry-failed", is_flag=True, help="Only the clients that failed in the last batch."
)
@click.option("--formats", default="html,pdf", show_default=True, help="Report formats: html, pdf.")
@click.option(
    "--compare-to",
    type=click.Choice(["previous", "last_year"]),
    default="previous",
    show_default=True,
)
@click.option(
    "--language",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Report language (default: each client's).",
)
@click.option(
    "--notebooks",
    "notebooks_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of the report notebooks (default: the package's).",
)
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of the nbconvert templates (default: the package's).",
)
@click.option(
    "--output",
    "output_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output root (default: WORKSPACE/reports).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
def batch(
    workspace: Path,
    period: str,
    clients: str,
    workers: int | None,
    scheduler: str | None,
    timeout: float,
    force: bool,
    retry_failed: bool,
    formats: str,
    compare_to: str,
    language: str | None,
    notebooks_dir: Path | None,
    templates_dir: Path | None,
    output_root: Path | None,
    progress: bool | None,
) -> None:
    """Build every client's report for a period, in parallel; list what failed and why."""
    import pandas as pd

    from .batch import run_batch

    result = run_batch(
        workspace,
        period,
        clients=clients,
        workers=workers,
        scheduler=scheduler,
        timeout=timeout,
        force=force,
        retry_failed=retry_failed,
        formats=[f.strip() for f in formats.split(",") if f.strip()],
        compare_to=compare_to,
        language=language,
        notebooks_dir=notebooks_dir,
        templates_dir=templates_dir,
        output_root=output_root,
        progress=progress,
    )
    table = result.summary[["client", "status", "seconds", "reason"]]
    if len(table):
        with pd.option_context("display.max_colwidth", 100, "display.width", 200):
            click.echo(table.to_string(index=False))
    n = result.counts()
    click.echo(
        f"\n{n['succeeded']} built, {n['skipped']} up to date, {n['failed']} failed "
        f"in {result.wall:.1f} s. Overview: {result.overview}"
    )
    for r in result.results:
        for w in r.warnings:
            click.echo(f"  warning: {r.client}: {w}", err=True)
        if r.failed_notebook:
            click.echo(f"  {r.client}: failed notebook kept at {r.failed_notebook}", err=True)
    if not result.ok:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover - `python -m kpi_notebook_lib.batch_cli`
    from .cli import main as _main  # noqa: F401 - same error handling as `kpi`

    batch()
