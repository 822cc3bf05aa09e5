"""Client folder files besides exports: client.yml, logo.svg, targets.csv, annotations.csv."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from .specs import ClientSpec
from .targets import targets_frame

__all__ = ["annotations_frame", "client_yaml", "logo_svg", "write_client_files"]

_MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def client_yaml(spec: ClientSpec) -> str:
    """``client.yml``, in the layout a person would write."""
    q = _q
    comps = "\n".join(f"  - {{id: {cid}, name: {q(name)}}}" for cid, name in spec.competitors)
    accounts = ", ".join(f"{p}: {q(h)}" for p, h in spec.accounts.items())
    return (
        f"name: {q(spec.name)}\n"
        f"language: {spec.language}\n"
        f"timezone: {spec.timezone}\n"
        f"currency: {spec.currency}\n"
        f"brand: {spec.brand}\n"
        f"sector: {q(spec.sector)}\n"
        f"competitors:\n{comps}\n"
        f"accounts: {{{accounts}}}\n"
        f"primary_kpis: [{', '.join(spec.primary_kpis)}]\n"
        f"thresholds: {{watch: {spec.watch}}}\n"
        f'branding: {{primary_color: "{spec.colors[0]}", secondary_color: "{spec.colors[1]}", '
        f"logo: logo.svg}}\n"
    )


def _q(text: str) -> str:
    """Quote a YAML scalar when it holds characters YAML treats specially."""
    if any(ch in text for ch in ":&#{}[],*!|>'\"%@`") or text != text.strip():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def logo_svg(spec: ClientSpec) -> str:
    """A simple square logo: the initials in the brand colour on the secondary colour."""
    primary, secondary = spec.colors
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" '
        f'viewBox="0 0 120 120" role="img" aria-label="{spec.name}">\n'
        f"  <title>{spec.name}</title>\n"
        f'  <rect width="120" height="120" rx="22" fill="{secondary}"/>\n'
        f'  <circle cx="60" cy="60" r="48" fill="none" stroke="{primary}" stroke-width="6"/>\n'
        f'  <text x="60" y="61" text-anchor="middle" dominant-baseline="middle" '
        f'font-family="Georgia, \'Times New Roman\', serif" font-size="42" font-weight="700" '
        f'fill="{primary}">{spec.initials}</text>\n'
        "</svg>\n"
    )


def annotations_frame(spec: ClientSpec) -> pd.DataFrame:
    """Events, campaigns, the incident and the analyst's monthly comments."""
    rows = []
    for c in spec.campaigns:
        platform = c.paid_platforms[0] if len(c.paid_platforms) == 1 else ""
        kpi = "leads" if c.topic in ("webinaire", "livre") else "reach"
        rows.append((c.start, c.end, "campaign", platform, kpi, "", c.title, c.text))
    for e in (spec.launch, spec.bad_buzz, *spec.events):
        end = e.end if e.end != e.start else None
        rows.append((e.start, end, e.kind, e.platform, e.kpi, "", e.title, e.text))
    for label, text in spec.comments.items():
        year, month = (int(x) for x in label.split("-"))
        written = date(year + month // 12, month % 12 + 1, 1) + timedelta(days=2)
        name = _MONTHS[spec.language][month - 1]
        title = (f"Commentaire — {name} {year}" if spec.language == "fr"
                 else f"Analyst note — {name} {year}")
        rows.append((written, None, "comment", "", "", label, title, text))
    frame = pd.DataFrame(
        rows, columns=["date", "end_date", "kind", "platform", "kpi", "period", "title", "text"]
    )
    frame["author"] = spec.analyst
    for col in ("date", "end_date"):
        frame[col] = [d.isoformat() if d else "" for d in frame[col]]
    return frame.sort_values(["date", "kind"], kind="stable", ignore_index=True)


def _csv_text(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue()


def write_client_files(
    spec: ClientSpec, frames: dict[str, pd.DataFrame], client_dir: Path
) -> list[Path]:
    """Write ``client.yml``, ``logo.svg``, ``targets.csv`` and ``annotations.csv``."""
    client_dir.mkdir(parents=True, exist_ok=True)
    targets = targets_frame(spec, frames)
    targets["target"] = [f"{v:g}" if abs(v) < 1e6 else f"{v:.0f}" for v in targets["target"]]
    files = {
        "client.yml": client_yaml(spec),
        "logo.svg": logo_svg(spec),
        "targets.csv": _csv_text(targets),
        "annotations.csv": _csv_text(annotations_frame(spec)),
    }
    out = []
    for name, text in files.items():
        path = client_dir / name
        path.write_bytes(text.encode("utf-8"))
        out.append(path)
    return out
