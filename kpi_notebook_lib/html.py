"""Safe HTML fragments for notebooks and reports: KPI cards, tables, posts and mentions.

User text (captions, mentions, author names, comments) is data: every piece of it goes through
:func:`html.escape`, and links are only emitted for ``http``/``https`` URLs, so a mention holding
``<script>``, ``<img onerror=…>`` or a ``javascript:`` link is shown as inert text.
Objects returned by the ``*_html`` functions are :class:`Fragment` — strings that Jupyter
displays as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from .catalog import get_catalog
from .formatting import (
    MISSING,
    format_change,
    format_day,
    format_period,
    format_value,
    format_verdict,
    translate_note,
    verdict_of,
)

__all__ = [
    "Fragment",
    "actions_html",
    "comments_html",
    "esc",
    "kpi_cards_html",
    "kpi_table_html",
    "mentions_html",
    "posts_html",
    "safe_link",
    "sentences_html",
    "sparkline_svg",
    "table_html",
]

_STATUS = {
    "fr": {
        "on_track": "Dans l'objectif",
        "watch": "À surveiller",
        "off_track": "Hors objectif",
        None: "Sans objectif",
    },
    "en": {"on_track": "On track", "watch": "Watch", "off_track": "Off track", None: "No target"},
}
_ARROWS = {"up": "↗", "down": "↘", "flat": "→"}


class Fragment(str):
    """An HTML fragment that Jupyter renders as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(text: object) -> str:
    """Escape user text for HTML (NA → empty)."""
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    return html.escape(str(text), quote=True)


def safe_link(url: object, label: object) -> str:
    """An ``<a>`` for http(s) URLs only; anything else (``javascript:``…) becomes plain text."""
    label_html = esc(label)
    if isinstance(url, str) and urlparse(url.strip()).scheme in ("http", "https"):
        return f'<a href="{esc(url.strip())}" rel="noopener noreferrer">{label_html}</a>'
    return label_html


def sparkline_svg(
    values: Sequence[float], *, color: str = "#0072B2", width: int = 120, height: int = 28
) -> str:
    """A tiny inline SVG trend line (NA values leave gaps); no JavaScript, prints crisply."""
    y = np.asarray(pd.to_numeric(pd.Series(list(values)), errors="coerce"), dtype=float)
    if len(y) < 2 or np.isnan(y).all():
        return ""
    lo, hi = np.nanmin(y), np.nanmax(y)
    span = hi - lo or 1.0
    xs = np.linspace(2, width - 4, len(y))
    ys = height - 3 - (y - lo) / span * (height - 6)
    segments, cur = [], []
    for xv, yv in zip(xs, ys, strict=True):
        if np.isnan(yv):
            if cur:
                segments.append(cur)
            cur = []
        else:
            cur.append(f"{xv:.1f},{yv:.1f}")
    if cur:
        segments.append(cur)
    lines = "".join(
        f'<polyline fill="none" stroke="{esc(color)}" stroke-width="1.8" points="{" ".join(s)}"/>'
        for s in segments
    )
    dot = ""
    if not np.isnan(ys[-1]):
        dot = f'<circle cx="{xs[-1]:.1f}" cy="{ys[-1]:.1f}" r="2.2" fill="{esc(color)}"/>'
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-hidden="true">{lines}{dot}</svg>'
    )


def _isna(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def kpi_cards_html(
    comparison: pd.DataFrame,
    *,
    kpis: Sequence[str],
    lang: str = "en",
    currency: str = "EUR",
    history: pd.DataFrame | None = None,
    platform: str = "all",
) -> Fragment:
    """KPI cards coloured by status: value, change, target and a small trend.

    Parameters
    ----------
    comparison : pandas.DataFrame
        Output of :meth:`~kpi_notebook_lib.workspace.Client.kpis`.
    kpis : sequence of str
        Cards to show, in order.
    history : pandas.DataFrame, optional
        Long-form KPI values over past periods (``period, kpi, value`` for ``platform``), for
        the sparklines.
    """
    cat = get_catalog()
    rows = comparison[comparison["platform"] == platform].set_index("kpi")
    cards = []
    for k in kpis:
        if k not in rows.index:
            continue
        r, kpi = rows.loc[k], cat[k]
        status = None if _isna(r["status"]) else r["status"]
        value = format_value(r["value"], kpi.unit, lang, currency=currency)
        change = format_change(r["change"], r["change_pct"], kpi.unit, lang)
        target = format_value(r["target"], kpi.unit, lang, currency=currency)
        vs = format_period(r["compared_period"], lang)
        verdict = format_verdict(r.get("verdict"), None, lang)
        spark = ""
        if history is not None and len(history):
            h = history[(history["kpi"] == k) & (history["platform"] == platform)]
            spark = sparkline_svg(h.sort_values("period")["value"].tolist())
        note = ""
        if _isna(r["value"]) and isinstance(r["note"], str):
            note = f'<div class="kpi-note">{esc(translate_note(r["note"], lang))}</div>'
        arrow = "" if _isna(r["direction"]) else _ARROWS.get(r["direction"], "")
        tgt = f"Objectif : {target}" if lang == "fr" else f"Target: {target}"
        cards.append(
            f'<div class="kpi-card status-{esc(status or "none")}">'
            f'<div class="kpi-label">{esc(kpi.label(lang))}</div>'
            f'<div class="kpi-value">{esc(value)} <span class="kpi-dir">{arrow}</span></div>'
            f'<div class="kpi-change">{esc(change)} <span class="kpi-vs">vs {esc(vs)}</span></div>'
            f'<div class="kpi-verdict">{esc(verdict)}</div>'
            f'<div class="kpi-target">{esc(tgt)}</div>'
            f'<div class="kpi-status">{esc(_STATUS[lang][status])}</div>{spark}{note}</div>'
        )
    return Fragment(f'<div class="kpi-cards">{"".join(cards)}</div>')


def kpi_table_html(
    comparison: pd.DataFrame,
    *,
    kpis: Sequence[str] | None = None,
    lang: str = "en",
    currency: str = "EUR",
    platform: str = "all",
) -> Fragment:
    """The KPI table of a section: label, value, comparison, change, target, status."""
    cat = get_catalog()
    rows = comparison[comparison["platform"] == platform].set_index("kpi")
    order = [k for k in (kpis or rows.index) if k in rows.index]
    fr = lang == "fr"
    head = (
        [
            "Indicateur",
            "Valeur",
            "Comparaison",
            "Évolution",
            "Verdict",
            "Objectif",
            "Statut",
            "Remarque",
        ]
        if fr
        else ["KPI", "Value", "Compared with", "Change", "Verdict", "Target", "Status", "Note"]
    )
    body = []
    for k in order:
        r, kpi = rows.loc[k], cat[k]
        base = r["previous_value"] if r["compare_to"] == "previous" else r["last_year_value"]
        status = None if _isna(r["status"]) else r["status"]
        cells = [
            esc(kpi.label(lang)),
            esc(format_value(r["value"], kpi.unit, lang, currency=currency)),
            esc(format_value(base, kpi.unit, lang, currency=currency)),
            esc(format_change(r["change"], r["change_pct"], kpi.unit, lang)),
            f'<span class="verdict verdict-{esc(r.get("verdict") or "none")}">'
            f"{esc(verdict_of(r, lang))}</span>",
            esc(format_value(r["target"], kpi.unit, lang, currency=currency)),
            f'<span class="status status-{esc(status or "none")}">'
            f"{esc(_STATUS[lang][status]) if status else MISSING}</span>",
            esc(translate_note(r["note"], lang)) if isinstance(r["note"], str) else "",
        ]
        body.append(f'<tr data-kpi="{esc(k)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return table_html(head, body, css_class="kpi-table kpis")


def posts_html(
    posts: pd.DataFrame,
    *,
    metric: str,
    unit: str = "count",
    lang: str = "en",
    max_chars: int = 140,
) -> Fragment:
    """Posts (e.g. top and flop) with platform, date, format, caption and ``metric``."""
    fr = lang == "fr"
    head = (
        ["Plateforme", "Date", "Format", "Publication", "Valeur"]
        if fr
        else ["Platform", "Date", "Format", "Post", "Value"]
    )
    body = []
    for p in posts.itertuples(index=False):
        text = "" if _isna(p.text) else str(p.text)
        text = text if len(text) <= max_chars else text[: max_chars - 1] + "…"
        when = format_day(pd.Timestamp(p.published_at).date(), lang)
        body.append(
            "<tr>"
            f"<td>{esc(p.platform)}</td><td>{esc(when)}</td><td>{esc(p.format)}</td>"
            f"<td>{safe_link(getattr(p, 'permalink', None), text)}</td>"
            f"<td>{esc(format_value(getattr(p, metric), unit, lang))}</td>"
            "</tr>"
        )
    return table_html(head, body, css_class="posts")


def mentions_html(mentions: pd.DataFrame, *, lang: str = "en", max_chars: int = 200) -> Fragment:
    """Mentions as quotes: author, platform, date, text — all escaped."""
    items = []
    for m in mentions.itertuples(index=False):
        text = "" if _isna(m.text) else str(m.text)
        text = text if len(text) <= max_chars else text[: max_chars - 1] + "…"
        when = format_day(pd.Timestamp(m.published_at).date(), lang)
        score = (
            "" if _isna(getattr(m, "compound", None)) else format_value(m.compound, "ratio", lang)
        )
        items.append(
            f'<blockquote class="mention"><p>{esc(text)}</p><footer>@{esc(m.author)} · '
            f"{esc(m.platform)} · {esc(when)} · {esc(score)}</footer></blockquote>"
        )
    return Fragment(f'<div class="mentions">{"".join(items)}</div>')


def comments_html(comments: pd.DataFrame, *, lang: str = "en") -> Fragment:
    """Analyst comments of a period (the Decision phase)."""
    if comments.empty:
        none = (
            "Aucun commentaire de l'analyste pour cette période."
            if lang == "fr"
            else "No analyst comment for this period."
        )
        return Fragment(f'<p class="no-comment">{esc(none)}</p>')
    items = []
    for c in comments.itertuples(index=False):
        who = esc(c.author) if not _isna(c.author) else ""
        title = f"<strong>{esc(c.title)}</strong> — " if not _isna(c.title) and c.title else ""
        items.append(f'<li>{title}{esc(c.text)} <span class="author">{who}</span></li>')
    return Fragment(f'<ul class="comments">{"".join(items)}</ul>')


def actions_html(actions: pd.DataFrame, *, lang: str = "en") -> Fragment:
    """Suggested actions (rules that fired)."""
    fired = actions[actions["fired"]]
    if fired.empty:
        none = (
            "Aucune règle d'alerte déclenchée sur cette période."
            if lang == "fr"
            else "No alert rule fired for this period."
        )
        return Fragment(f'<p class="no-action">{esc(none)}</p>')
    items = "".join(f"<li>{esc(a)}</li>" for a in fired["action"])
    return Fragment(f'<ul class="actions">{items}</ul>')


def sentences_html(sentences: Sequence[str]) -> Fragment:
    """Interpretation sentences as a list."""
    return Fragment(
        '<ul class="interpretation">' + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>"
    )


def frame_html(
    data: pd.DataFrame,
    *,
    columns: dict[str, tuple[str, str | None]],
    lang: str = "en",
    css_class: str = "kpi-table",
) -> Fragment:
    """A small display table: ``columns`` maps a column to (header, unit or None for text).

    Values with a unit are formatted for the locale (NA as "—"); text is escaped.
    """
    body = []
    for _, row in data.iterrows():
        cells = []
        for col, (_, unit) in columns.items():
            v = row.get(col)
            cells.append(esc(format_value(v, unit, lang)) if unit else esc(v))
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return table_html([label for label, _ in columns.values()], body, css_class=css_class)


def table_html(head: Sequence[str], rows: Sequence[str], *, css_class: str) -> Fragment:
    """A table from header labels (escaped here) and ready ``<tr>`` rows (escaped by the
    caller, cell by cell)."""
    thead = "".join(f"<th>{esc(label)}</th>" for label in head)
    return Fragment(
        f'<table class="{esc(css_class)}"><thead><tr>{thead}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def figure_html(fig, *, alt: str = "", dpi: int = 150) -> Fragment:
    """A matplotlib figure as an inline PNG ``<figure>``: renders the same in Jupyter, in the
    HTML report and in the PDF, whatever the notebook's matplotlib backend."""
    import base64
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    data = base64.b64encode(buf.getvalue()).decode()
    return Fragment(
        f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{esc(alt)}"></figure>'
    )
