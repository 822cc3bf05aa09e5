"""Charts, in seaborn's shape: long-form ``data`` first, keyword-only columns, ``ax=None``,
return the Axes. Computation lives elsewhere (``kpis``, ``compare``); this module only draws.

One theme for every chart (:func:`set_theme`): white grid, the colour-blind-safe palette, fonts
readable in print. Titles, axes, numbers and dates follow the report language.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from babel.dates import format_date
from matplotlib.ticker import FuncFormatter

from .formatting import format_value, locale_of
from .periods import parse_period

__all__ = [
    "PALETTE",
    "STATUS_COLORS",
    "plot_breakdown",
    "plot_sparkline",
    "plot_trend",
    "set_theme",
]

#: Colour-blind-safe palette (seaborn "colorblind", after Okabe & Ito).
PALETTE = sns.color_palette("colorblind")
#: Status colours (also colour-blind distinguishable: blue / orange / vermillion).
STATUS_COLORS = {"on_track": "#0072B2", "watch": "#E69F00", "off_track": "#D55E00"}
_ANNOTATION_COLORS = {
    "event": "#555555",
    "campaign": "#009E73",
    "incident": "#D55E00",
    "comment": "#777777",
}


def set_theme() -> None:
    """Apply the toolkit's chart theme (idempotent)."""
    sns.set_theme(
        style="whitegrid",
        palette=PALETTE,
        context="notebook",
        rc={
            "figure.figsize": (8, 3.6),
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.family": "DejaVu Sans",
        },
    )


def _period_start(labels: pd.Series) -> pd.Series:
    return labels.map(lambda s: pd.Timestamp(parse_period(s).start))


def _value_formatter(unit: str | None, lang: str) -> FuncFormatter:
    def fmt(v, _pos):
        if unit == "percent":
            return format_value(v, "percent", lang)
        if abs(v) >= 1000:
            return format_value(round(v), "count", lang)
        return format_value(v, "ratio" if unit in ("ratio", "per_1000") else "count", lang)

    return FuncFormatter(fmt)


def plot_trend(
    data: pd.DataFrame,
    *,
    x: str = "period",
    y: str = "value",
    hue: str | None = None,
    ax: plt.Axes | None = None,
    unit: str | None = None,
    lang: str = "en",
    target: float | None = None,
    annotations: pd.DataFrame | None = None,
    title: str | None = None,
    **kwargs,
) -> plt.Axes:
    """Line chart of a KPI over periods, with the target and the client's annotations.

    Parameters
    ----------
    data : pandas.DataFrame
        Long-form data with columns ``x`` (period labels such as ``2026-10``), ``y`` and
        optionally ``hue`` (e.g. ``platform``).
    unit : str, optional
        KPI unit, for the y-axis format (``percent`` shows ``12,3 %``).
    lang : {"fr", "en"}
        Language of dates and numbers.
    target : float, optional
        Drawn as a dashed horizontal line.
    annotations : pandas.DataFrame, optional
        Columns ``date``, ``end_date`` (optional), ``kind``, ``title``: drawn on the time axis
        (a line for a day, a shaded span for a range), labelled with their title.
    title : str, optional
    **kwargs
        Passed to :func:`seaborn.lineplot`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots()
    df = data.copy()
    df["_x"] = _period_start(df[x].astype(str))
    df = df.sort_values("_x")
    kw = {"marker": "o", "linewidth": 2} | kwargs
    sns.lineplot(data=df, x="_x", y=y, hue=hue, ax=ax, **kw)
    if target is not None and not pd.isna(target):
        ax.axhline(float(target), color="#444444", linestyle="--", linewidth=1)
        label = "objectif" if lang == "fr" else "target"
        ax.annotate(
            label,
            xy=(1, float(target)),
            xycoords=("axes fraction", "data"),
            ha="right",
            va="bottom",
            fontsize=8,
            color="#444444",
        )
    if annotations is not None and len(annotations):
        lo, hi = df["_x"].min(), df["_x"].max() + pd.offsets.MonthEnd(1)
        ymax = ax.get_ylim()[1]
        for a in annotations.itertuples(index=False):
            start = pd.Timestamp(a.date)
            if pd.isna(start) or start < lo or start > hi:
                continue
            color = _ANNOTATION_COLORS.get(getattr(a, "kind", "event"), "#555555")
            end = getattr(a, "end_date", None)
            if end is not None and not pd.isna(end) and pd.Timestamp(end) > start:
                ax.axvspan(start, pd.Timestamp(end), color=color, alpha=0.12, linewidth=0)
            else:
                ax.axvline(start, color=color, linestyle=":", linewidth=1.2)
            text = str(getattr(a, "title", "") or getattr(a, "text", ""))[:40]
            ax.annotate(
                text,
                xy=(start, ymax),
                xytext=(2, -2),
                textcoords="offset points",
                rotation=90,
                va="top",
                ha="left",
                fontsize=7,
                color=color,
            )
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
    loc = locale_of(lang)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: format_date(mdates.num2date(v).date(), "MMM y", locale=loc))
    )
    ax.yaxis.set_major_formatter(_value_formatter(unit, lang))
    ax.set_xlabel("")
    ax.set_ylabel("")
    if title:
        ax.set_title(title, loc="left")
    if hue and ax.get_legend() is not None:
        ax.legend(
            title=None,
            frameon=False,
            ncol=min(6, df[hue].nunique()),
            loc="upper left",
            bbox_to_anchor=(0, -0.12),
        )
    return ax


def plot_breakdown(
    data: pd.DataFrame,
    *,
    x: str = "value",
    y: str = "platform",
    hue: str | None = None,
    ax: plt.Axes | None = None,
    unit: str | None = None,
    lang: str = "en",
    title: str | None = None,
    **kwargs,
) -> plt.Axes:
    """Horizontal bars of a KPI by category (platform, post format…), values labelled.

    Parameters
    ----------
    data : pandas.DataFrame
        Long-form data with columns ``x`` (numbers) and ``y`` (categories). NA values are
        shown as "—", not as empty bars of length 0.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * max(3, data[y].nunique()) + 0.8))
    df = data.copy()
    df["_v"] = pd.to_numeric(df[x], errors="coerce").astype(float)
    sns.barplot(
        data=df,
        x="_v",
        y=y,
        hue=hue or y,
        ax=ax,
        legend=bool(hue),
        palette=PALETTE[: df[hue or y].nunique()],
        **kwargs,
    )
    for cont in ax.containers:
        labels = [format_value(v, unit or "count", lang) for v in cont.datavalues]
        ax.bar_label(cont, labels=labels, padding=3, fontsize=8)
    na = df[df["_v"].isna()]
    for cat in na[y]:
        ticks = [t.get_text() for t in ax.get_yticklabels()]
        if cat in ticks:
            ax.annotate("—", xy=(0, ticks.index(cat)), va="center", fontsize=9)
    ax.xaxis.set_major_formatter(_value_formatter(unit, lang))
    ax.set_xlabel("")
    ax.set_ylabel("")
    if title:
        ax.set_title(title, loc="left")
    return ax


def plot_sparkline(
    values: Sequence[float], *, ax: plt.Axes | None = None, color: str | None = None
) -> plt.Axes:
    """A tiny trend line without axes, for KPI cards (NA values leave gaps)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(1.8, 0.5))
    y = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    ax.plot(np.arange(len(y)), y, color=color or PALETTE[0], linewidth=1.6)
    if len(y) and not np.isnan(y[-1]):
        ax.plot([len(y) - 1], [y[-1]], "o", color=color or PALETTE[0], markersize=3)
    ax.set_axis_off()
    return ax
