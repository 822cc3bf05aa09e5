"""What the objective notebooks show, in the four phases of the method.

A notebook opens a :class:`Section` for its objective and calls one method per block::

    sec = open_section(workspace, client, period, "engagement", compare_to, language)
    sec.kpi_table()          # Analysis
    sec.trends()
    sec.breakdown("format")
    sec.top_posts()
    sec.interpretation()     # Interpretation
    sec.reactions()          # Reaction
    sec.decision()           # Decision: the analyst's comments for the period

All computation happens here and in the modules it calls; notebooks stay thin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import matplotlib.pyplot as plt
import pandas as pd

from . import html as h
from .catalog import KPI, OBJECTIVE_LABELS, OBJECTIVES, get_catalog
from .exceptions import ParameterError
from .explore import in_period, top_posts, with_interactions
from .formatting import format_period
from .narrative import interpret, react
from .periods import Period
from .plotting import plot_breakdown, plot_trend, set_theme
from .workspace import Client, open_workspace

__all__ = ["SECTION_KPIS", "TOP_METRIC", "Section", "open_section"]

#: KPIs shown in each objective's table, in order (the catalog's KPIs of that objective).
SECTION_KPIS: dict[str, list[str]] = {
    o: [k.id for k in get_catalog().for_objective(o)] for o in OBJECTIVES
}
#: Post metric used for top and flop posts, per objective (None: no post ranking).
TOP_METRIC: dict[str, str | None] = {
    "visibility": "reach",
    "acquisition": "link_clicks",
    "engagement": "engagement_rate",
    "tone": None,
    "recommendation": "shares",
    "leads_sales": None,
    "customer_service": None,
}
HISTORY = 12


@dataclass
class Section:
    """One objective's section for a client and a period (see the module docstring)."""

    client: Client
    period: Period
    objective: str
    compare_to: str = "previous"
    lang: str = "en"
    _cache: dict = field(default_factory=dict, repr=False)

    # data ------------------------------------------------------------------------------
    @cached_property
    def comparison(self) -> pd.DataFrame:
        """KPIs of the period compared with ``compare_to`` and targets (all objectives)."""
        return self.client.kpis(self.period, self.compare_to)

    @cached_property
    def history(self) -> pd.DataFrame:
        """KPI values over the last 12 periods, for trends and sparklines."""
        periods = self.period.history(HISTORY) if self.period.kind != "custom" else [self.period]
        return self.client.kpi_values(periods, kpis=self.kpis)

    @property
    def kpis(self) -> list[str]:
        """KPI ids of this objective."""
        return SECTION_KPIS[self.objective]

    @property
    def strategic(self) -> list[KPI]:
        """Strategic KPIs of this objective (charted)."""
        cat = get_catalog()
        return [cat[k] for k in self.kpis if cat[k].level == "strategic"]

    @cached_property
    def posts(self) -> pd.DataFrame:
        """The client's posts published in the period, with per-post interactions."""
        posts = self.client.table("posts")
        return with_interactions(in_period(posts, self.period, self.client.settings.timezone))

    @property
    def title(self) -> str:
        """Section title in the report language."""
        return OBJECTIVE_LABELS[self.objective][self.lang]

    @property
    def currency(self) -> str:
        """Client currency."""
        return self.client.settings.currency

    # analysis --------------------------------------------------------------------------
    def kpi_table(self, platform: str = "all") -> h.Fragment:
        """The objective's KPI table (value, comparison, change, target, status)."""
        return h.kpi_table_html(
            self.comparison,
            kpis=self.kpis,
            lang=self.lang,
            currency=self.currency,
            platform=platform,
        )

    def cards(self) -> h.Fragment:
        """Cards for the objective's strategic KPIs."""
        return h.kpi_cards_html(
            self.comparison,
            kpis=[k.id for k in self.strategic],
            lang=self.lang,
            currency=self.currency,
            history=self.history,
        )

    def trends(self, kpis: list[str] | None = None) -> plt.Figure:
        """Trend charts of the strategic KPIs over 12 periods, targets and annotations drawn."""
        set_theme()
        cat = get_catalog()
        ids = kpis or [k.id for k in self.strategic][:4]
        fig, axes = plt.subplots(len(ids), 1, figsize=(8, 2.6 * len(ids)), squeeze=False)
        data = self.history[self.history["platform"] == "all"]
        targets = self.comparison[self.comparison["platform"] == "all"].set_index("kpi")["target"]
        ann = self.client.annotations
        ann = ann[ann["kind"] != "comment"]
        for ax, k in zip(axes[:, 0], ids, strict=True):
            plot_trend(
                data[data["kpi"] == k],
                ax=ax,
                unit=cat[k].unit,
                lang=self.lang,
                target=targets.get(k),
                annotations=ann,
                title=cat[k].label(self.lang),
            )
        fig.tight_layout()
        return fig

    def breakdown(self, by: str = "platform", kpi: str | None = None) -> plt.Figure:
        """Bar chart of one KPI by platform or post format, for the period."""
        set_theme()
        cat = get_catalog()
        k = kpi or (self.strategic[0].id if self.strategic else self.kpis[0])
        if by == "platform":
            rows = self.comparison[
                (self.comparison["kpi"] == k) & (self.comparison["platform"] != "all")
            ]
            data = rows.rename(columns={"platform": "group"})[["group", "value"]]
        elif by == "format":
            if cat[k].tables != {"posts"}:
                raise ParameterError("kpi", k, "a KPI computed from posts to break down by format")
            vals = self.client.kpi_values([self.period], kpis=[k], by="format")
            data = vals[vals["format"] != "all"].rename(columns={"format": "group"})
            data = data[["group", "value"]]
        else:
            raise ParameterError("by", by, "'platform' or 'format'")
        fig, ax = plt.subplots(figsize=(8, 0.45 * max(3, len(data)) + 0.9))
        word = {"platform": ("plateforme", "platform"), "format": ("format", "format")}[by]
        title = (
            f"{cat[k].label(self.lang)} par {word[0]}"
            if self.lang == "fr"
            else f"{cat[k].label(self.lang)} by {word[1]}"
        )
        plot_breakdown(
            data, x="value", y="group", ax=ax, unit=cat[k].unit, lang=self.lang, title=title
        )
        fig.tight_layout()
        return fig

    def top_posts(self, n: int = 5, *, flop: bool = False) -> h.Fragment:
        """Best (or worst) posts of the period on the objective's post metric."""
        metric = TOP_METRIC.get(self.objective) or "engagement_rate"
        ranked = top_posts(
            self.posts,
            metric=metric,
            n=n,
            ascending=flop,
            min_reach=100 if metric == "engagement_rate" else 0,
        )
        unit = "percent" if metric == "engagement_rate" else "count"
        return h.posts_html(ranked, metric=metric, unit=unit, lang=self.lang)

    # interpretation, reaction, decision -----------------------------------------------
    def interpretation(self) -> h.Fragment:
        """Sentences generated from the numbers."""
        return h.sentences_html(
            interpret(self.comparison, lang=self.lang, kpis=self.kpis, currency=self.currency)
        )

    def reactions(self) -> h.Fragment:
        """Suggested actions from the rules of this objective that fired."""
        return h.actions_html(
            react(self.comparison, lang=self.lang, objectives=[self.objective]), lang=self.lang
        )

    def decision(self) -> h.Fragment:
        """The analyst's comments for the period (``annotations.csv``, kind ``comment``)."""
        return h.comments_html(self.client.comments(self.period), lang=self.lang)

    def heading(self) -> str:
        """Markdown heading: objective, client and period."""
        return (
            f"{self.title} — {self.client.settings.name}, {format_period(self.period, self.lang)}"
        )


def open_section(
    workspace: str,
    client: str,
    period: str | None,
    objective: str,
    compare_to: str = "previous",
    language: str | None = None,
) -> Section:
    """Validate notebook parameters and open a :class:`Section`.

    Every parameter is checked before any work: unknown client, malformed period, a period with
    no data, an unknown objective or comparison, a language other than fr/en.
    """
    if objective not in OBJECTIVES:
        raise ParameterError("objective", objective, f"one of {', '.join(OBJECTIVES)}")
    if compare_to not in ("previous", "last_year"):
        raise ParameterError("compare_to", compare_to, "'previous' or 'last_year'")
    if language not in (None, "fr", "en"):
        raise ParameterError("language", language, "'fr', 'en' or None (the client's language)")
    c = open_workspace(workspace).client(client)
    p = c.check_period(period) if period else c.latest_full_period("month")
    return Section(c, p, objective, compare_to, language or c.language)
