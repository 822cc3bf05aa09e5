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

import pandas as pd
from matplotlib.figure import Figure

from . import html as h
from ._stats_blocks import ALERT_SERIES, StatsBlocks
from .catalog import KPI, OBJECTIVE_LABELS, OBJECTIVES, get_catalog
from .exceptions import ParameterError
from .explore import in_period, top_posts, with_interactions
from .formatting import format_period
from .narrative import interpret, react
from .periods import Period
from .plotting import plot_breakdown, plot_trend, set_theme
from .workspace import Client, open_workspace

__all__ = [
    "PHASES",
    "SECTION_KPIS",
    "TOP_METRIC",
    "Appendix",
    "Dashboard",
    "Section",
    "open_appendix",
    "open_dashboard",
    "open_section",
]

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
#: The four phases of the method, in order, with their titles.
PHASES: dict[str, dict[str, str]] = {
    "analysis": {"fr": "Analyse", "en": "Analysis"},
    "interpretation": {"fr": "Interprétation", "en": "Interpretation"},
    "reaction": {"fr": "Réaction", "en": "Reaction"},
    "decision": {"fr": "Décision", "en": "Decision"},
}


@dataclass
class Section(StatsBlocks):
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

    def trends(self, kpis: list[str] | None = None) -> h.Fragment:
        """Trend charts of the strategic KPIs over 12 periods, targets and annotations drawn."""
        set_theme()
        cat = get_catalog()
        ids = kpis or [k.id for k in self.strategic][:4]
        # a bare Figure (not pyplot's): nothing is shown twice by an inline backend
        fig = Figure(figsize=(8, 2.6 * len(ids)))
        axes = fig.subplots(len(ids), 1, squeeze=False)
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
        return h.figure_html(fig)

    def _breakdown_kpi(self, kpi: str | None) -> str:
        return kpi or (self.strategic[0].id if self.strategic else self.kpis[0])

    def breakdown_data(self, by: str = "platform", kpi: str | None = None) -> pd.DataFrame:
        """One KPI for the period by platform or post format: columns ``group, value``."""
        cat = get_catalog()
        k = self._breakdown_kpi(kpi)
        if by == "platform":
            rows = self.comparison[
                (self.comparison["kpi"] == k) & (self.comparison["platform"] != "all")
            ]
            return rows.rename(columns={"platform": "group"})[["group", "value"]]
        if by == "format":
            if cat[k].tables != {"posts"}:
                raise ParameterError("kpi", k, "a KPI computed from posts to break down by format")
            vals = self.client.kpi_values([self.period], kpis=[k], by="format")
            data = vals[vals["format"] != "all"].rename(columns={"format": "group"})
            return data[["group", "value"]].reset_index(drop=True)
        raise ParameterError("by", by, "'platform' or 'format'")

    def breakdown(self, by: str = "platform", kpi: str | None = None) -> h.Fragment:
        """Bar chart of one KPI by platform or post format, for the period."""
        set_theme()
        cat = get_catalog()
        k = self._breakdown_kpi(kpi)
        data = self.breakdown_data(by, k)
        fig = Figure(figsize=(8, 0.45 * max(3, len(data)) + 0.9))
        ax = fig.subplots()
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
        return h.figure_html(fig, alt=title)

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

    # mentions (tone, recommendation, customer service) ---------------------------------
    @cached_property
    def mentions(self) -> pd.DataFrame:
        """Mentions of the client and its competitors published in the period (scored)."""
        m = self.client.table("mentions")
        return in_period(m, self.period, self.client.settings.timezone)

    @property
    def own_mentions(self) -> pd.DataFrame:
        """Mentions of the client's own brand in the period."""
        return self.mentions[self.mentions["brand"] == self.client.brand]

    def _brand_names(self) -> dict[str, str]:
        names = {c.id: c.name for c in self.client.settings.competitors}
        names[self.client.brand] = self.client.settings.name
        return names

    def tone_by_brand(self) -> h.Fragment:
        """Tone and share of voice of the client and each named competitor."""
        from .tone import tone_summary

        fr = self.lang == "fr"
        wide = tone_summary(self.mentions, by=["brand"], wide=True)
        wide["name"] = wide["brand"].map(self._brand_names()).fillna(wide["brand"])
        cols = {
            "name": ("Marque" if fr else "Brand", None),
            "n_mentions": ("Mentions", "count"),
            "share_of_voice": ("Part de voix" if fr else "Share of voice", "percent"),
            "positive_share": ("Positives" if fr else "Positive", "percent"),
            "negative_share": ("Négatives" if fr else "Negative", "percent"),
            "net_sentiment": ("Sentiment net" if fr else "Net sentiment", "percent"),
            "unscored_share": ("Non notées" if fr else "Unscored", "percent"),
        }
        return h.frame_html(wide, columns=cols, lang=self.lang)

    def top_mentions(self, polarity: str = "negative", n: int = 5) -> h.Fragment:
        """The most negative (or positive) mentions of the brand in the period, escaped."""
        from .tone import top_mentions

        return h.mentions_html(
            top_mentions(self.own_mentions, n=n, polarity=polarity), lang=self.lang
        )

    def themes(self, n: int = 12) -> h.Fragment:
        """Words and hashtags over-represented in negative vs positive mentions."""
        from .tone import themes

        fr = self.lang == "fr"
        t = themes(self.own_mentions, n=n)
        if "side" in t:
            t = t[t["side"] == "negative"]
        if t.empty:
            none = (
                "Pas assez de mentions notées pour dégager des thèmes."
                if fr
                else "Not enough scored mentions to find themes."
            )
            return h.Fragment(f"<p>{h.esc(none)}</p>")
        cols = {
            "term": ("Mot ou hashtag" if fr else "Word or hashtag", None),
            "n_negative": ("Mentions négatives" if fr else "Negative mentions", "count"),
            "n_positive": ("Mentions positives" if fr else "Positive mentions", "count"),
            "z": ("Sur-représentation (z)" if fr else "Over-representation (z)", "ratio"),
        }
        cols = {k: v for k, v in cols.items() if k in t}
        return h.frame_html(t, columns=cols, lang=self.lang, css_class="kpi-table themes")

    def ambassadors(self, n: int = 10) -> h.Fragment:
        """Authors with repeated positive mentions, weighted by their reach."""
        from .tone import ambassadors

        fr = self.lang == "fr"
        a = ambassadors(self.own_mentions, n=n)
        cols = {
            "author": ("Auteur" if fr else "Author", None),
            "positive_mentions": ("Mentions positives" if fr else "Positive mentions", "count"),
            "negative_mentions": ("Mentions négatives" if fr else "Negative mentions", "count"),
            "followers": ("Abonnés" if fr else "Followers", "count"),
            "score": ("Score", "ratio"),
        }
        return h.frame_html(a, columns={k: v for k, v in cols.items() if k in a}, lang=self.lang)

    def unanswered(self, n: int = 10) -> h.Fragment:
        """Mentions that addressed the brand in the period and got no reply (oldest first)."""
        m = self.own_mentions
        m = m[m["addresses_brand"].fillna(False).astype(bool) & m["replied_at"].isna()]
        return h.mentions_html(m.sort_values("published_at").head(n), lang=self.lang)

    def tone_accuracy(self) -> h.Fragment:
        """How accurate the tone scoring is, measured, for the languages of the mentions."""
        from .narrative import tone_accuracy_sentence

        sentence = tone_accuracy_sentence(self.own_mentions["scored_lang"], self.lang)
        return h.Fragment(f"<p>{h.esc(sentence)}</p>")

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

    def header(self) -> h.Fragment:
        """The section's title (an ``<h2>`` anchored for the table of contents)."""
        text = f"{self.title} — {format_period(self.period, self.lang)}"
        return h.Fragment(f'<h2 id="{h.esc(self.objective)}">{h.esc(text)}</h2>')

    def phase(self, name: str) -> h.Fragment:
        """A phase heading of the method: analysis, interpretation, reaction or decision."""
        if name not in PHASES:
            raise ParameterError("name", name, f"one of {', '.join(PHASES)}")
        label = h.esc(PHASES[name][self.lang])
        return h.Fragment(f'<h3 class="phase phase-{name}">{label}</h3>')

    def subheading(self, text_fr: str, text_en: str) -> h.Fragment:
        """A small heading in the report language."""
        return h.Fragment(f"<h4>{h.esc(text_fr if self.lang == 'fr' else text_en)}</h4>")


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


@dataclass
class Dashboard:
    """The client's primary KPIs (at most 10): cards, then a zoom per KPI."""

    section: Section

    @property
    def kpis(self) -> list[str]:
        """Primary KPIs: the client's ``primary_kpis``, else the catalog's primary ones."""
        chosen = self.section.client.settings.primary_kpis
        if not chosen:
            chosen = [k.id for k in get_catalog().select() if k.importance == "primary"]
        return chosen[:10]

    def header(self) -> h.Fragment:
        """Dashboard title."""
        s = self.section
        word = "Tableau de bord" if s.lang == "fr" else "Dashboard"
        text = f"{word} — {format_period(s.period, s.lang)}"
        return h.Fragment(f'<h2 id="dashboard">{h.esc(text)}</h2>')

    def cards(self) -> h.Fragment:
        """One card per primary KPI: value, change, target, status and a 12-period trend."""
        s = self.section
        history = s.client.kpi_values(s.period.history(HISTORY), kpis=self.kpis)
        return h.kpi_cards_html(
            s.comparison, kpis=self.kpis, lang=s.lang, currency=s.currency, history=history
        )

    def alerts(self) -> h.Fragment:
        """Every alert of the period, all series (evidence: expected range vs observed)."""
        s = self.section
        return s.alerts(tuple(dict.fromkeys(x for v in ALERT_SERIES.values() for x in v)))

    def pacing(self) -> h.Fragment:
        """Targets of the periods in progress: projection and chance to reach them."""
        return self.section.pacing()

    def targets(self) -> h.Fragment:
        """Targets of the primary KPIs against their minimum detectable change."""
        return self.section.targets(self.kpis)

    def subheading(self, text_fr: str, text_en: str) -> h.Fragment:
        """A small heading in the report language."""
        return self.section.subheading(text_fr, text_en)

    def zoom(self, kpi: str) -> h.Fragment:
        """Trend of one KPI over 12 periods with target and annotations, and its value by
        platform for the period."""
        s = self.section
        cat = get_catalog()
        set_theme()
        history = s.client.kpi_values(s.period.history(HISTORY), kpis=[kpi])
        fig = Figure(figsize=(8, 4.0))
        top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
        targets = s.comparison[(s.comparison["platform"] == "all")].set_index("kpi")["target"]
        ann = s.client.annotations
        plot_trend(
            history[history["platform"] == "all"],
            ax=top,
            unit=cat[kpi].unit,
            lang=s.lang,
            target=targets.get(kpi),
            annotations=ann[ann["kind"] != "comment"],
            title=cat[kpi].label(s.lang),
        )
        rows = s.comparison[(s.comparison["kpi"] == kpi) & (s.comparison["platform"] != "all")]
        plot_breakdown(
            rows.rename(columns={"platform": "group"}),
            x="value",
            y="group",
            ax=bottom,
            unit=cat[kpi].unit,
            lang=s.lang,
        )
        fig.tight_layout()
        return h.figure_html(fig)

    def zoom_text(self, kpi: str) -> h.Fragment:
        """The zoomed KPI's title, interpretation sentence and definition."""
        s = self.section
        k = get_catalog()[kpi]
        sentence = interpret(s.comparison, lang=s.lang, kpis=[kpi], currency=s.currency)
        return h.Fragment(
            f'<h3 id="zoom-{h.esc(kpi)}">{h.esc(k.label(s.lang))}</h3>'
            f"<p>{h.esc(' '.join(sentence))}</p>"
            f'<p class="definition">{h.esc(k.description(s.lang))}</p>'
        )

    def zooms(self) -> None:
        """Display the zoom (title, sentence, definition, charts) of every primary KPI."""
        from IPython.display import display

        for k in self.kpis:  # text and chart kept on one page
            display(h.Fragment(f'<div class="zoom">{self.zoom_text(k)}{self.zoom(k)}</div>'))


def open_dashboard(
    workspace: str,
    client: str,
    period: str | None,
    compare_to: str = "previous",
    language: str | None = None,
) -> Dashboard:
    """Validate notebook parameters and open the client's :class:`Dashboard`."""
    return Dashboard(open_section(workspace, client, period, "visibility", compare_to, language))


@dataclass
class Appendix:
    """Methods and sources: every KPI formula used, and the data's provenance."""

    section: Section

    def header(self) -> h.Fragment:
        """Appendix title."""
        s = self.section
        text = "Méthodes et sources" if s.lang == "fr" else "Methods and sources"
        return h.Fragment(f'<h2 id="appendix">{h.esc(text)}</h2>')

    def methods(self) -> h.Fragment:
        """Every KPI of the report: definition, formula, aggregation and source."""
        s = self.section
        cat = get_catalog()
        fr = s.lang == "fr"
        head = (
            ["Indicateur", "Définition", "Formule", "Agrégation", "Source"]
            if fr
            else ["KPI", "Definition", "Formula", "Aggregation", "Source"]
        )
        used = dict.fromkeys(k for o in OBJECTIVES for k in SECTION_KPIS[o])
        rows = []
        for k in used:
            kpi = cat[k]
            rows.append(
                "<tr>"
                + "".join(
                    f"<td>{h.esc(v)}</td>"
                    for v in (
                        kpi.label(s.lang),
                        kpi.description(s.lang),
                        kpi.formula,
                        cat.aggregation_label(kpi.aggregation, s.lang),
                        cat.source(k, s.lang),
                    )
                )
                + "</tr>"
            )
        mapping = "; ".join(f"{p}: {' + '.join(parts)}" for p, parts in cat.engagement.items())
        lead = "Interactions par plateforme — " if fr else "Interactions per platform — "
        table = h.table_html(head, rows, css_class="kpi-table methods")
        return h.Fragment(f"<p>{h.esc(lead + mapping)}.</p>{table}")

    def statistics(self) -> h.Fragment:
        """How changes, trends, alerts and pacing are tested (the statistics' methods)."""
        return self.section.statistics_note()

    def subheading(self, text_fr: str, text_en: str) -> h.Fragment:
        """A small heading in the report language."""
        return self.section.subheading(text_fr, text_en)

    def provenance(self) -> h.Fragment:
        """Every export file behind the report: path, importer, rows, export date, SHA-256."""
        s = self.section
        fr = s.lang == "fr"
        manifest = s.client.workspace.store.manifest(s.client.id)
        head = (
            ["Fichier", "Format", "Lignes", "Exporté le / SHA-256"]
            if fr
            else ["File", "Format", "Rows", "Exported / SHA-256"]
        )
        rows = []
        for f, info in sorted(manifest.items()):
            exported = info.get("exported_at")
            day = pd.Timestamp(exported).date().isoformat() if exported else ""
            digest = str(info.get("hash", ""))[:16]
            quarantined = int(info.get("quarantined", 0) or 0)
            count = f"{info.get('imported', '')}" + (f" (+{quarantined} q.)" if quarantined else "")
            rows.append(
                f"<tr><td>{h.esc(f)}</td><td>{h.esc(info.get('importer', ''))}</td>"
                f"<td>{h.esc(count)}</td><td>{h.esc(day)}<br>{h.esc(digest)}…</td></tr>"
            )
        lead = (
            f"{len(manifest)} fichiers d'export importés (empreintes SHA-256 complètes dans "
            "store/<client>/manifest.json)."
            if fr
            else f"{len(manifest)} export files ingested (full SHA-256 in "
            "store/<client>/manifest.json)."
        )
        table = h.table_html(head, rows, css_class="kpi-table provenance")
        return h.Fragment(f"<p>{h.esc(lead)}</p>{table}")


def open_appendix(
    workspace: str,
    client: str,
    period: str | None,
    compare_to: str = "previous",
    language: str | None = None,
) -> Appendix:
    """Validate notebook parameters and open the report's :class:`Appendix`."""
    return Appendix(open_section(workspace, client, period, "visibility", compare_to, language))
