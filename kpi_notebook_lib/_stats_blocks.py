"""Statistics blocks of the notebooks: alerts, targets (pacing and realism), methods note.

Mixed into :class:`kpi_notebook_lib.sections.Section`; kept apart so that each module stays
small. Everything is computed by the library (:meth:`Client.alerts`, :meth:`Client.pacing`,
:func:`kpi_notebook_lib.targets.target_realism`) and rendered by
:mod:`kpi_notebook_lib.stats_html`.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from . import stats_html as sh
from .html import Fragment
from .targets import target_realism

#: Daily series whose alerts each objective shows.
ALERT_SERIES: dict[str, tuple[str, ...]] = {
    "visibility": ("mentions",),
    "acquisition": ("new_followers", "lost_followers", "net_followers"),
    "engagement": ("interactions",),
    "tone": ("mentions", "negative_mentions"),
    "recommendation": ("mentions",),
    "leads_sales": (),
    "customer_service": ("negative_mentions",),
}


class StatsBlocks:
    """Alerts, target pacing and realism blocks (needs ``client``, ``period``, ``lang``,
    ``comparison``, ``currency``, ``objective`` and ``kpis`` on the host)."""

    @cached_property
    def alerts_table(self) -> pd.DataFrame:
        """Every alert of the period (all series, all platforms total)."""
        return self.client.alerts(self.period)

    def alerts(self, series: tuple[str, ...] | None = None) -> Fragment:
        """Alerts of the period on this objective's daily series."""
        wanted = ALERT_SERIES.get(self.objective, ()) if series is None else series
        a = self.alerts_table
        a = a[a["series"].isin(wanted)] if len(a) else a
        budget = self.client.settings.thresholds.false_alarms_per_month
        return sh.alerts_html(a, lang=self.lang, budget=budget, annotations=self.client.annotations)

    @cached_property
    def pacing_table(self) -> pd.DataFrame:
        """Targets of the periods in progress, paced (see :meth:`Client.pacing`)."""
        return self.client.pacing()

    def pacing(self, kpis: list[str] | None = None) -> Fragment:
        """Targets of periods in progress: projection, interval and chance to reach them."""
        pace = self.pacing_table
        if kpis is not None and len(pace):
            pace = pace[pace["kpi"].isin(kpis)]
        return sh.pacing_html(pace, lang=self.lang, currency=self.currency)

    def targets(self, kpis: list[str] | None = None) -> Fragment:
        """The period's targets against the minimum detectable change of each KPI."""
        wanted = self.kpis if kpis is None else kpis
        rows = self.comparison[self.comparison["kpi"].isin(wanted)]
        realism = target_realism(rows)
        return sh.realism_html(realism, lang=self.lang, currency=self.currency)

    def benchmarks(self, platform: str = "all") -> Fragment:
        """Fair competitor benchmark for the period (public figures only, same formulas)."""
        names = {self.client.brand: self.client.settings.name}
        names.update({c.id: c.name for c in self.client.settings.competitors})
        table = self.client.benchmarks(self.period)
        return sh.benchmarks_html(
            table, names=names, lang=self.lang, platform=platform, period=self.period.label
        )

    def statistics_note(self) -> Fragment:
        """How the verdicts, intervals, trends, alerts and pacing are computed."""
        t = self.client.settings.thresholds
        return sh.statistics_note_html(
            lang=self.lang,
            alpha=t.alpha,
            power=t.power,
            false_alarms=t.false_alarms_per_month,
            multiple_testing=t.multiple_testing,
        )
