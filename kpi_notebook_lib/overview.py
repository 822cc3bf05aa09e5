"""The agency overview: one HTML page per batch period listing every client with its primary
KPIs, their statuses, the alerts that fired and a link to its report.

Written by :func:`kpi_notebook_lib.batch.run_batch` to ``reports/_batch/<period>/index.html``.
Links are relative (the ``reports`` folder can be moved or served as is); every piece of client
text is escaped; the page has no script and no external resource.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from .batch._outputs import atomic_write_text
from .catalog import get_catalog
from .formatting import format_change, format_period, format_value, format_verdict
from .html import esc

__all__ = ["build_overview", "client_rows", "write_overview"]

_TEXT = {
    "en": {
        "title": "Client reports",
        "client": "Client",
        "status": "Status",
        "kpis": "Primary KPIs",
        "alerts": "Alerts",
        "report": "Report",
        "succeeded": "Built",
        "skipped": "Up to date",
        "failed": "Failed",
        "missing": "Not built",
        "previous": "previous report kept",
        "notebook": "failed notebook",
        "open": "Open report",
        "more": "more",
        "none": "none",
        "generated": "Generated",
        "summary": "{succeeded} built, {skipped} up to date, {failed} failed, {missing} not built",
        "on_track": "on track",
        "watch": "watch",
        "off_track": "off track",
    },
    "fr": {
        "title": "Rapports clients",
        "client": "Client",
        "status": "Statut",
        "kpis": "KPI principaux",
        "alerts": "Alertes",
        "report": "Rapport",
        "succeeded": "Produit",
        "skipped": "À jour",
        "failed": "Échec",
        "missing": "Non produit",
        "previous": "rapport précédent conservé",
        "notebook": "notebook en échec",
        "open": "Ouvrir le rapport",
        "more": "de plus",
        "none": "aucune",
        "generated": "Généré le",
        "summary": (
            "{succeeded} produit(s), {skipped} à jour, {failed} en échec, {missing} non produit(s)"
        ),
        "on_track": "dans l'objectif",
        "watch": "à surveiller",
        "off_track": "hors objectif",
    },
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1b1f24}
h1{font-size:1.5rem;margin:0 0 .25rem}
.meta{color:#57606a;margin:0 0 1.5rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d0d7de;padding:.5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-size:.85rem;text-transform:uppercase;letter-spacing:.03em}
.id{color:#57606a;font-size:.8rem}
.badge{display:inline-block;border-radius:1rem;padding:.1rem .6rem;font-size:.8rem;font-weight:600}
.badge-succeeded{background:#dafbe1;color:#116329}.badge-skipped{background:#ddf4ff;color:#0a3069}
.badge-failed{background:#ffebe9;color:#82071e}.badge-missing{background:#eaeef2;color:#424a53}
.reason{font-size:.8rem;color:#82071e;margin-top:.25rem;max-width:28rem}
.warning{font-size:.8rem;color:#7d4e00;margin-top:.25rem;max-width:28rem}
.kpis{display:flex;flex-wrap:wrap;gap:.35rem}
.kpi{border:1px solid #d0d7de;border-left-width:4px;border-radius:4px;padding:.2rem .4rem;
font-size:.8rem}
.kpi b{display:block;font-weight:600}
.kpi-on_track{border-left-color:#1a7f37}.kpi-watch{border-left-color:#bf8700}
.kpi-off_track{border-left-color:#cf222e}.kpi-none{border-left-color:#8c959f}
.alerts{margin:0;padding-left:1rem;font-size:.8rem;max-width:26rem}
.small{font-size:.8rem}
"""


def _rel(path: Path, start: Path) -> str:
    rel = os.path.relpath(path, start)
    return "/".join(quote(part) for part in Path(rel).parts)


def _primary(settings: Any) -> list[str]:
    chosen = list(settings.primary_kpis) if settings is not None else []
    if not chosen:
        chosen = [k.id for k in get_catalog().select() if k.importance == "primary"]
    return chosen[:10]


def _alert_lines(path: Path, lang: str) -> list[str]:
    """One line per alert episode of the period (consecutive alert days of one series), with
    its evidence: the peak day's observed value against the expected range; strongest first."""
    from .formatting import format_day
    from .stats_html import SERIES_LABELS, alert_episodes_table

    if not path.is_file():
        return []
    episodes = alert_episodes_table(pd.read_parquet(path))
    words = {"fr": ("attendu", "jours", "pic"), "en": ("expected", "days", "peak")}[lang]

    def n(v) -> str:
        return format_value(round(float(v)), "count", lang)

    out = []
    for r in episodes.itertuples(index=False):
        day = format_day(pd.Timestamp(r.start).date(), lang)
        if r.days > 1:
            day += f" – {format_day(pd.Timestamp(r.end).date(), lang)} ({r.days} {words[1]})"
        series = SERIES_LABELS[lang].get(r.series, r.series)
        where = "" if r.platform == "all" else f" ({r.platform})"
        out.append(
            f"{day} · {series}{where}: {words[2]} {n(r.observed)} "
            f"({words[0]} {n(r.low)}–{n(r.high)})"
        )
    return out


def client_rows(
    workspace: Any,
    period: str,
    clients: Mapping[str, Mapping[str, Any]],
    *,
    output_root: Path,
    lang: str = "en",
) -> list[dict[str, Any]]:
    """What the overview shows per client, as plain data (one dict per client, in id order).

    Parameters
    ----------
    workspace : Workspace
    period : str
    clients : mapping
        Client id → its last batch result (``ClientResult.to_dict()``); the workspace's other
        clients are listed as not built.
    output_root : path
    lang : {"en", "fr"}

    Returns
    -------
    list of dict
        ``client, name, status, reason, warnings, report, failed_notebook, kpis`` (list of
        dicts ``kpi, label, value, change, verdict, status``), ``alerts`` (list of str: the
        alert episodes with their evidence, then the reaction rules that fired).
    """
    from .narrative import react

    cat = get_catalog()
    root = Path(output_root)
    ids = sorted(set(clients) | set(workspace.clients()))
    rows = []
    for cid in ids:
        rec = clients.get(cid, {})
        try:
            settings = workspace.client(cid).settings
        except Exception:
            settings = None
        report_dir = root / cid / period
        row: dict[str, Any] = {
            "client": cid,
            "name": settings.name if settings else cid,
            "status": rec.get("status", "missing"),
            "reason": "",
            "report": None,
            "failed_notebook": rec.get("failed_notebook"),
            "kpis": [],
            "alerts": [],
        }
        row["warnings"] = list(rec.get("warnings") or [])
        if rec.get("failure"):
            f = rec["failure"]
            where = f" ({f['part']}.ipynb, cell {f.get('part_cell')})" if f.get("part") else ""
            row["reason"] = f"{f.get('kind')}{where}: {f.get('message')}"
        for name in ("report.html", "report.pdf"):
            if (report_dir / name).is_file():
                row["report"] = report_dir / name
                break
        table = report_dir / "kpis.parquet"
        if settings is not None and table.is_file():
            comparison = pd.read_parquet(table)
            total = comparison[comparison["platform"] == "all"].set_index("kpi")
            currency = settings.currency
            for k in _primary(settings):
                if k not in total.index or k not in cat:
                    continue
                r, kpi = total.loc[k], cat[k]
                status = r["status"] if isinstance(r["status"], str) else None
                row["kpis"].append(
                    {
                        "kpi": k,
                        "label": kpi.label(lang),
                        "value": format_value(r["value"], kpi.unit, lang, currency=currency),
                        "change": format_change(r["change"], r["change_pct"], kpi.unit, lang),
                        "verdict": format_verdict(r.get("verdict"), None, lang),
                        "status": status,
                    }
                )
            row["alerts"] = _alert_lines(report_dir / "alerts.parquet", lang)
            fired = react(comparison, lang=lang)
            row["alerts"] += fired.loc[fired["fired"], "action"].tolist()
        rows.append(row)
    return rows


def build_overview(
    workspace: Any,
    period: str,
    clients: Mapping[str, Mapping[str, Any]],
    *,
    output_root: Path,
    lang: str = "en",
) -> str:
    """The overview page's HTML (see :func:`client_rows` for the parameters)."""
    t = _TEXT.get(lang, _TEXT["en"])
    page_dir = Path(output_root) / "_batch" / period
    rows = client_rows(workspace, period, clients, output_root=output_root, lang=lang)
    counts = {
        s: sum(r["status"] == s for r in rows)
        for s in ("succeeded", "skipped", "failed", "missing")
    }
    body = []
    for r in rows:
        status = r["status"] if r["status"] in counts else "failed"
        cell_status = f'<span class="badge badge-{status}">{esc(t[status])}</span>'
        if r["reason"]:
            cell_status += f'<div class="reason">{esc(r["reason"])}</div>'
        for w in r["warnings"]:
            cell_status += f'<div class="warning">{esc(w)}</div>'
        chips = "".join(
            f'<div class="kpi kpi-{esc(k["status"] or "none")}"><b>{esc(k["label"])}</b>'
            f'{esc(k["value"])} <span class="small">{esc(k["change"])}'
            f"{' (' + esc(k['verdict']) + ')' if k.get('verdict', '—') != '—' else ''}"
            f"{' · ' + esc(t[k['status']]) if k['status'] in t else ''}</span></div>"
            for k in r["kpis"]
        )
        alerts = r["alerts"]
        if alerts:
            items = "".join(f"<li>{esc(a)}</li>" for a in alerts[:5])
            if len(alerts) > 5:
                items += f"<li>+{len(alerts) - 5} {esc(t['more'])}</li>"
            cell_alerts = f'<ul class="alerts">{items}</ul>'
        else:
            cell_alerts = f'<span class="small">{esc(t["none"]) if r["kpis"] else ""}</span>'
        links = []
        if r["report"] is not None:
            label = t["open"] if status != "failed" else t["previous"]
            links.append(f'<a href="{esc(_rel(r["report"], page_dir))}">{esc(label)}</a>')
        if status == "failed" and r["failed_notebook"]:
            nb = Path(r["failed_notebook"])
            links.append(f'<a href="{esc(_rel(nb, page_dir))}">{esc(t["notebook"])}</a>')
        body.append(
            f'<tr id="client-{esc(r["client"])}"><td><b>{esc(r["name"])}</b>'
            f'<div class="id">{esc(r["client"])}</div></td><td>{cell_status}</td>'
            f'<td><div class="kpis">{chips}</div></td><td>{cell_alerts}</td>'
            f"<td>{'<br>'.join(links)}</td></tr>"
        )
    title = f"{t['title']} — {format_period(period, lang)}"
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>"
        f'<p class="meta">{esc(t["summary"].format(**counts))} · '
        f"{esc(t['generated'])} {esc(now)}</p>"
        f"<table><thead><tr><th>{esc(t['client'])}</th><th>{esc(t['status'])}</th>"
        f"<th>{esc(t['kpis'])}</th><th>{esc(t['alerts'])}</th><th>{esc(t['report'])}</th></tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table></body></html>\n"
    )


def write_overview(
    workspace: Any,
    period: str,
    clients: Mapping[str, Mapping[str, Any]],
    *,
    output_root: Path | None = None,
    lang: str = "en",
) -> Path:
    """Write ``<output_root>/_batch/<period>/index.html`` atomically and return its path."""
    root = Path(output_root or workspace.reports_dir)
    path = root / "_batch" / period / "index.html"
    atomic_write_text(path, build_overview(workspace, period, clients, output_root=root, lang=lang))
    return path
