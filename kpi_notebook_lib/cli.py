"""The ``kpi`` command: a thin layer that parses arguments and calls the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd

from . import __version__
from .exceptions import KPIError, ParameterError

__all__ = ["cli", "main"]


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    from .safety import neutralize_formulas

    if fmt == "csv":
        # CRLF rows: a bare CR inside a caption cannot split a row in a spreadsheet
        click.echo(neutralize_formulas(frame).to_csv(index=False, lineterminator="\r\n"), nl=False)
    elif fmt == "json":
        click.echo(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        with pd.option_context(
            "display.max_rows", None, "display.width", 200, "display.max_colwidth", 60
        ):
            click.echo(frame.to_string(index=False))


_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


@click.group()
@click.version_option(__version__, prog_name="kpi")
def cli() -> None:
    """Measure social-media actions with KPIs: catalog, ingest, KPI tables, demo."""


@cli.command()
@_FORMAT
@click.option("--objective", default=None, help="Only the KPIs serving this objective.")
def catalog(fmt: str, objective: str | None) -> None:
    """Print the KPI catalog (one row per KPI)."""
    from .catalog import get_catalog

    cat = get_catalog()
    frame = cat.to_frame()
    if objective:
        ids = [k.id for k in cat.for_objective(objective)]
        frame = frame[frame["id"].isin(ids)]
    if fmt == "table":
        frame = frame[
            [
                "id",
                "objective",
                "level",
                "nature",
                "unit",
                "higher_is_better",
                "label_en",
                "formula",
            ]
        ]
    _emit(frame, fmt)


@cli.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--client", "client_id", default=None, help="Only this client (default: all).")
@click.option("--rebuild", is_flag=True, help="Forget the store and ingest every file again.")
@click.option(
    "--year", type=int, default=None, help="Year for exports whose dates carry none (TikTok)."
)
@_FORMAT
def ingest(
    workspace: Path, client_id: str | None, rebuild: bool, year: int | None, fmt: str
) -> None:
    """Recognise, parse, validate and store the raw exports of a workspace."""
    from .workspace import open_workspace

    ws = open_workspace(workspace, auto_ingest=False)
    report = ws.ingest(client_id, rebuild=rebuild, year=year)
    _emit(report.summary, fmt)
    if fmt == "table":
        n_q = len(report.quarantine)
        click.echo(
            f"\n{int(report.summary['imported'].fillna(0).sum())} rows imported, "
            f"{n_q} value(s) quarantined (see store/<client>/quarantine.csv), "
            f"{len(report.failed)} file(s) failed.",
            err=True,
        )
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--client", "client_id", required=True, help="Client id.")
@click.option("--period", required=True, help="2026-10, 2026-W43, 2026-Q3…")
@click.option(
    "--compare-to",
    type=click.Choice(["previous", "last_year"]),
    default="previous",
    show_default=True,
)
@click.option("--platform", default=None, help="Only this platform (or 'all' for totals).")
@click.option("--kpi", "kpi_ids", multiple=True, help="KPI id (repeatable; default: all).")
@_FORMAT
def kpis(
    workspace: Path,
    client_id: str,
    period: str,
    compare_to: str,
    platform: str | None,
    kpi_ids: tuple[str, ...],
    fmt: str,
) -> None:
    """Print the long-form KPI table of a client for a period.

    Each change is tested: ``verdict`` is rise, fall, noise (within normal variation) or
    too_little_data, with its ``p_value``, the ``p_adjusted`` the verdict is decided on (the
    p-values of one platform's KPIs adjusted together, Benjamini–Hochberg, unless the client
    sets ``thresholds.multiple_testing: none``) and the confidence interval
    ``ci_low``–``ci_high`` of the change, in the KPI's unit."""
    from .workspace import open_workspace

    c = open_workspace(workspace).client(client_id)
    table = c.kpis(period, compare_to, kpis=list(kpi_ids) or None)
    if platform:
        table = table[table["platform"] == platform]
    if fmt == "table":
        table = table[
            [
                "platform",
                "kpi",
                "value",
                "previous_value",
                "change_pct",
                "verdict",
                "p_value",
                "p_adjusted",
                "ci_low",
                "ci_high",
                "target",
                "status",
                "note",
            ]
        ]
    _emit(table, fmt)


@cli.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--client", "client_id", required=True, help="Client id.")
@click.option("--period", required=True, help="2026-10, 2026-W43, 2026-Q3…")
@click.option("--platforms", is_flag=True, help="Also check each platform, not only the total.")
@_FORMAT
def alerts(workspace: Path, client_id: str, period: str, platforms: bool, fmt: str) -> None:
    """Print the alerts of a period: days whose mentions, negative mentions, interactions or
    follower changes fall outside their expected range (observed, expected, low, high)."""
    from .workspace import open_workspace

    c = open_workspace(workspace).client(client_id)
    table = c.alerts(period, platforms=platforms)
    if fmt == "table":
        table = table[
            ["platform", "series", "date", "observed", "expected", "low", "high", "severity"]
        ]
    _emit(table, fmt)


@cli.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--client", "client_id", required=True, help="Client id.")
@click.option("--as-of", default=None, help="Last day counted (default: the last day of data).")
@_FORMAT
def pacing(workspace: Path, client_id: str, as_of: str | None, fmt: str) -> None:
    """Print the targets of the periods in progress: so far, projected end value with its 80 %
    interval, and the probability of reaching the target."""
    from datetime import date

    from .workspace import open_workspace

    c = open_workspace(workspace).client(client_id)
    day = None
    if as_of:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise ParameterError("as_of", as_of, "a day like 2026-11-15") from None
    _emit(c.pacing(as_of=day), fmt)


@cli.command()
@click.option(
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data_samples"),
    show_default=True,
)
@click.option(
    "--client", "client_id", default=None, help="Client (default: the first sample client)."
)
@click.option("--period", default=None, help="Period (default: the latest full month).")
@click.option("--no-report", is_flag=True, help="Only the KPI table, no HTML/PDF report.")
def demo(workspace: Path, client_id: str | None, period: str | None, no_report: bool) -> None:
    """Ingest the sample workspace, write a client's KPI table and report for its latest full
    month, and print where they are."""
    from .demo import run_demo

    result = run_demo(
        workspace, client=client_id, period=period, echo=click.echo, report=not no_report
    )
    click.echo(f"\nKPI table:   {result['kpis_csv']}")
    if "report_html" in result:
        click.echo(f"Report HTML: {result['report_html']}")
        click.echo(f"Report PDF:  {result['report_pdf']}")


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option(
    "--lang",
    type=click.Choice(["auto", "fr", "en"]),
    default="auto",
    show_default=True,
    help="Language of the texts (auto: detect per line).",
)
@click.option(
    "--overrides",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Lexicon overrides file (term,valence).",
)
def score(file, lang: str, overrides: Path | None) -> None:
    """Score the tone of one text per line (stdin when no FILE); CSV in input order."""
    from .safety import neutralize_formulas
    from .sentiment import score_texts

    texts = [line.rstrip("\r\n") for line in file]
    scored = score_texts(texts, lang=lang, overrides=overrides)
    scored.insert(0, "line", range(1, len(texts) + 1))
    click.echo(neutralize_formulas(scored).to_csv(index=False), nl=False)


@cli.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--client", "client_id", required=True, help="Client id.")
@click.option(
    "--period", default=None, help="2026-10, 2026-W43, 2026-Q3… (default: latest full month)."
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Report language (default: the client's).",
)
@click.option(
    "--compare-to",
    type=click.Choice(["previous", "last_year"]),
    default="previous",
    show_default=True,
)
@click.option(
    "--format", "formats", default="html,pdf", show_default=True, help="html, pdf or html,pdf."
)
def report(
    workspace: Path,
    client_id: str,
    period: str | None,
    language: str | None,
    compare_to: str,
    formats: str,
) -> None:
    """Write reports/<client>/<period>/report.html and report.pdf."""
    from .report import build_report

    written = build_report(
        workspace,
        client_id,
        period,
        language=language,
        compare_to=compare_to,
        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
    )
    for kind in ("html", "pdf"):
        if kind in written:
            click.echo(f"{kind.upper()}: {written[kind]}")


def _register_batch() -> None:
    from .batch_cli import batch

    cli.add_command(batch)


_register_batch()


def main() -> None:
    """Entry point of the ``kpi`` command."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except ParameterError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(2)
    except KPIError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
