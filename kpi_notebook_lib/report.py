"""One client report per client × period: the objective notebooks assembled, executed once,
rendered to HTML (no code) and PDF (A4).

The dashboard, the seven objective notebooks and the appendix share one set of parameters, so
their cells are concatenated into one notebook and executed in **one** kernel (kernel start and
imports are paid once per report, not once per notebook). The result is rendered with the
``templates/report`` nbconvert template (white-label cover, table of contents, versions footer)
and printed to PDF with WeasyPrint (fonts embedded, no browser needed).

Parameters are validated before any work: names and types are whitelisted, values are checked by
the library, and they reach the notebook only through papermill's injected-parameters cell as
literals — never spliced into code.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from .catalog import OBJECTIVE_LABELS, OBJECTIVES
from .exceptions import ParameterError
from .formatting import format_day, format_period
from .periods import Period
from .safety import check_client_id
from .workspace import Client, open_workspace

__all__ = [
    "PARAMETERS",
    "REPORT_PARTS",
    "build_report",
    "check_parameters",
    "compose",
    "execute",
    "project_dir",
    "render_html",
    "render_pdf",
    "report_metadata",
]

#: Parameters every report notebook declares, with their types (None allowed where noted).
PARAMETERS: dict[str, tuple[type, bool]] = {
    "workspace": (str, False),
    "client": (str, False),
    "period": (str, True),
    "compare_to": (str, False),
    "language": (str, True),
}
#: Notebooks assembled into a report, in order.
REPORT_PARTS: tuple[str, ...] = ("dashboard", *OBJECTIVES, "appendix")
FORMATS = ("html", "pdf")


def project_dir() -> Path:
    """The folder holding ``notebooks/`` and ``templates/`` (the repository checkout)."""
    here = Path(__file__).resolve().parents[1]
    if (here / "notebooks").is_dir() and (here / "templates").is_dir():
        return here
    raise ParameterError(
        "notebooks",
        str(here),
        "a checkout holding notebooks/ and templates/ (pass them explicitly)",
    )


def check_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """Whitelist parameter names and types; raise :class:`ParameterError` on anything else."""
    for name, value in params.items():
        if name not in PARAMETERS:
            raise ParameterError(
                "parameter name", name, f"one of {', '.join(PARAMETERS)} (misspelled?)"
            )
        typ, optional = PARAMETERS[name]
        if value is None and optional:
            continue
        if not isinstance(value, typ):
            raise ParameterError(name, value, f"a {typ.__name__}")
        if "\n" in value or "\x00" in value:
            raise ParameterError(name, value, "a single-line value")
    missing = [n for n, (_, opt) in PARAMETERS.items() if n not in params and not opt]
    if missing:
        raise ParameterError("parameters", sorted(params), f"to include {', '.join(missing)}")
    return params


def _declared(nb: nbformat.NotebookNode) -> set[str]:
    import papermill as pm

    return set(pm.inspect_notebook(nb).keys())


def compose(notebooks_dir: Path, parts: Sequence[str] = REPORT_PARTS) -> nbformat.NotebookNode:
    """Concatenate report notebooks into one: one parameters cell, then every part's cells.

    Raises
    ------
    ParameterError
        When a part is missing or does not declare exactly the report parameters.
    """
    combined = None
    for part in parts:
        path = Path(notebooks_dir) / f"{part}.ipynb"
        if not path.exists():
            raise ParameterError("notebook", str(path), "an existing notebook")
        nb = nbformat.read(path, as_version=4)
        declared = _declared(nb)
        if declared != set(PARAMETERS):
            raise ParameterError(
                f"parameters of {path.name}", sorted(declared), f"exactly {sorted(PARAMETERS)}"
            )
        cells = [c for c in nb.cells if "parameters" not in c.metadata.get("tags", [])]
        if combined is None:
            combined = nb
            params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
            combined.cells = params + cells
        else:
            combined.cells.extend(cells)
    assert combined is not None
    for i, cell in enumerate(combined.cells):  # unique ids after concatenation
        cell["id"] = f"cell-{i}"
    return combined


def _logo_data_uri(client: Client) -> str:
    logo = client.settings.branding.logo
    if not logo:
        return ""
    path = (client.dir / logo).resolve()
    if not path.is_relative_to(client.dir.resolve()) or not path.is_file():
        return ""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if mime not in ("image/svg+xml", "image/png", "image/jpeg"):
        return ""
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def _versions() -> str:
    import importlib.metadata as md
    import platform

    names = [
        "kpi-notebook-lib",
        "pandas",
        "duckdb",
        "seaborn",
        "papermill",
        "nbconvert",
        "vaderSentiment",
        "weasyprint",
    ]
    parts = []
    for n in names:
        try:
            parts.append(f"{n} {md.version(n)}")
        except md.PackageNotFoundError:
            continue
    return f"Python {platform.python_version()} · " + " · ".join(parts)


def report_metadata(client: Client, period: Period, lang: str, compare_to: str) -> dict:
    """What the report template shows besides the notebook: cover, contents, footer."""
    fr = lang == "fr"
    toc = [{"id": "dashboard", "title": "Tableau de bord" if fr else "Dashboard"}]
    toc += [{"id": o, "title": OBJECTIVE_LABELS[o][lang]} for o in OBJECTIVES]
    toc.append({"id": "appendix", "title": "Méthodes et sources" if fr else "Methods and sources"})
    compared = period.previous() if compare_to == "previous" else period.last_year()
    today = format_day(dt.date.today(), lang)
    return {
        "title": "Rapport de performance social media" if fr else "Social media performance report",
        "client_name": client.settings.name,
        "period_title": format_period(period, lang).capitalize(),
        "compared_with": (
            f"Comparé à : {format_period(compared, lang)}"
            if fr
            else f"Compared with: {format_period(compared, lang)}"
        ),
        "generated": f"Généré le {today}" if fr else f"Generated on {today}",
        "toc_title": "Sommaire" if fr else "Contents",
        "toc": toc,
        "primary_color": client.settings.branding.primary_color,
        "secondary_color": client.settings.branding.secondary_color,
        "logo": _logo_data_uri(client),
        "lang": lang,
        "versions": _versions(),
    }


def execute(
    nb: nbformat.NotebookNode,
    params: dict[str, Any],
    *,
    cwd: Path,
    kernel_name: str = "python3",
    timeout: int | None = 600,
) -> nbformat.NotebookNode:
    """Execute ``nb`` with papermill (parameters injected as literals)."""
    import papermill as pm

    return pm.execute_notebook(
        nb,
        None,
        parameters=check_parameters(dict(params)),
        kernel_name=kernel_name,
        cwd=str(cwd),
        progress_bar=False,
        execution_timeout=timeout,
        shutdown_kernel="immediate",
    )


def render_html(nb: nbformat.NotebookNode, *, templates_dir: Path) -> str:
    """Render an executed report notebook with the ``report`` template (no code)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        extra_template_basedirs=[str(templates_dir)], template_name="report", exclude_input=True
    )
    lang = nb.metadata.get("kpi_report", {}).get("lang")
    if lang:
        exporter.language_code = lang
    body, _ = exporter.from_notebook_node(nb)
    return body


def render_pdf(html: str) -> bytes:
    """Print the report HTML to an A4 PDF with WeasyPrint (fonts embedded)."""
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html).write_pdf()


def build_report(
    workspace: str | Path,
    client: str,
    period: str | None = None,
    *,
    language: str | None = None,
    compare_to: str = "previous",
    formats: Sequence[str] = FORMATS,
    notebooks_dir: Path | None = None,
    templates_dir: Path | None = None,
    output_root: Path | None = None,
    kernel_name: str = "python3",
    timeout: int | None = 600,
) -> dict[str, Path]:
    """Build ``reports/<client>/<period>/report.html`` (and ``report.pdf``) for one client.

    Returns
    -------
    dict
        Format → path written (plus ``notebook`` for the executed notebook).
    """
    check_client_id(client)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ParameterError("format", ",".join(formats), "html, pdf or html,pdf")
    ws = open_workspace(workspace)
    c = ws.client(client)
    p = c.check_period(period) if period else c.latest_full_period("month")
    lang = language or c.language
    params = {
        "workspace": str(ws.root),
        "client": client,
        "period": p.label,
        "compare_to": compare_to,
        "language": lang,
    }
    check_parameters(params)
    if compare_to not in ("previous", "last_year"):
        raise ParameterError("compare_to", compare_to, "'previous' or 'last_year'")
    if lang not in ("fr", "en"):
        raise ParameterError("language", lang, "'fr' or 'en'")
    root = project_dir() if notebooks_dir is None or templates_dir is None else None
    notebooks_dir = notebooks_dir or root / "notebooks"  # type: ignore[operator]
    templates_dir = templates_dir or root / "templates"  # type: ignore[operator]
    out_root = (output_root or ws.reports_dir).resolve()
    out_dir = (out_root / client / p.label).resolve()
    if not out_dir.is_relative_to(out_root):
        raise ParameterError("client", client, "an id whose report stays under the output root")

    nb = compose(notebooks_dir)
    executed = execute(nb, params, cwd=notebooks_dir, kernel_name=kernel_name, timeout=timeout)
    executed.metadata["kpi_report"] = report_metadata(c, p, lang, compare_to)
    html = render_html(executed, templates_dir=templates_dir)
    files: dict[str, tuple[str, bytes]] = {
        "notebook": ("report.ipynb", nbformat.writes(executed).encode("utf-8"))
    }
    if "html" in formats:
        files["html"] = ("report.html", html.encode("utf-8"))
    if "pdf" in formats:
        files["pdf"] = ("report.pdf", render_pdf(html))
    _publish(out_dir, {name: data for name, data in files.values()})
    return {kind: out_dir / name for kind, (name, _) in files.items()}


def _publish(out_dir: Path, files: dict[str, bytes]) -> None:
    """Swap the report folder in whole: the other files already there are carried over, and a
    crash never leaves a new HTML beside last month's PDF (same mechanism as the batch)."""
    import secrets
    import shutil

    from .batch._outputs import publish, recover, staging_dir, write_bytes

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    stage = staging_dir(out_dir, secrets.token_hex(6))
    try:
        if out_dir.is_dir():
            for old in out_dir.iterdir():
                if old.is_file() and old.name not in files:
                    shutil.copy2(old, stage / old.name)
        for name, data in files.items():
            write_bytes(stage / name, data)
        publish(stage, out_dir)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
