"""HTML fragments for the statistics blocks: alerts, target pacing, realism, methods note.

Same rules as :mod:`kpi_notebook_lib.html`: every value goes through :func:`~kpi_notebook_lib.
html.esc`, numbers and dates are formatted for the report's locale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalog import get_catalog
from .formatting import MISSING, format_day, format_period, format_share, format_value
from .html import Fragment, esc, table_html
from .stats.alerts import alert_episodes

__all__ = [
    "SERIES_LABELS",
    "alert_episodes_table",
    "alerts_html",
    "benchmarks_html",
    "pacing_html",
    "realism_html",
    "statistics_note_html",
]

#: Labels of the daily series checked for alerts.
SERIES_LABELS = {
    "fr": {
        "mentions": "Mentions",
        "negative_mentions": "Mentions négatives",
        "interactions": "Interactions",
        "new_followers": "Nouveaux abonnés",
        "lost_followers": "Désabonnements",
        "net_followers": "Solde d'abonnés",
    },
    "en": {
        "mentions": "Mentions",
        "negative_mentions": "Negative mentions",
        "interactions": "Interactions",
        "new_followers": "New followers",
        "lost_followers": "Unfollows",
        "net_followers": "Net follower change",
    },
}
_PLATFORM_ALL = {"fr": "toutes", "en": "all"}


def _isna(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _pct(v, lang: str) -> str:
    return format_share(v, lang)


def _num(v, lang: str, unit: str = "count", currency: str = "EUR") -> str:
    if _isna(v):
        return MISSING
    if unit == "count":
        v = round(float(v))
    return format_value(v, unit, lang, currency=currency)


def alert_episodes_table(alerts: pd.DataFrame, annotations: pd.DataFrame | None = None):
    """Alerts grouped into episodes (runs of consecutive alert days of one series), each with
    its peak day (the most unlikely), the peak's expected range, and the client's annotations
    that overlap it (a campaign that explains a spike).

    Returns
    -------
    pandas.DataFrame
        ``platform, series, direction, start, end, days, observed, expected, low, high,
        severity, context``, strongest first then by date.
    """
    cols = [
        "platform",
        "series",
        "direction",
        "start",
        "end",
        "days",
        "observed",
        "expected",
        "low",
        "high",
        "severity",
        "context",
    ]
    if alerts is None or alerts.empty:
        return pd.DataFrame(columns=cols)
    a = alerts.copy()
    a["date"] = pd.to_datetime(a["date"])
    if "episode_start" not in a:
        a["episode_start"] = a["date"]
    if "client" not in a:
        a["client"] = ""
    out = alert_episodes(a).rename(columns={"episode_start": "start", "episode_end": "end"})
    out["context"] = ""
    if annotations is not None and len(annotations):
        ann = annotations[annotations["kind"] != "comment"]
        first = pd.to_datetime(ann["date"])
        last = pd.to_datetime(ann["end_date"]).fillna(first)
        for i, r in out.iterrows():
            hit = ann[(first <= r["end"]) & (last >= r["start"])]
            out.at[i, "context"] = "; ".join(
                str(t) for t in hit["title"].where(hit["title"] != "", hit["text"]) if str(t)
            )
    out = out.sort_values(["severity", "start"], ascending=[False, True], ignore_index=True)
    return out[cols]


def alerts_html(
    alerts: pd.DataFrame,
    *,
    lang: str = "en",
    budget: float | None = None,
    annotations: pd.DataFrame | None = None,
) -> Fragment:
    """The alerts of a period, one row per episode: dates, series, platform, the peak day's
    observed value against its expected range, and the annotations that may explain it.

    Parameters
    ----------
    alerts : pandas.DataFrame
        Output of :meth:`kpi_notebook_lib.workspace.Client.alerts`.
    budget : float, optional
        The false-alarm budget (alerts per month on quiet history), quoted under the table.
    annotations : pandas.DataFrame, optional
        The client's annotations (events, campaigns, incidents) shown beside the alerts they
        overlap.
    """
    fr = lang == "fr"
    note = ""
    if budget is not None:
        b = format_value(budget, "ratio", lang).rstrip("0").rstrip(",.")
        note = (
            f"Seuil réglé pour au plus {b} fausse alerte par mois sur un historique calme ; "
            "la plage attendue tient compte du jour de la semaine. Les jours d'alerte "
            "consécutifs forment un épisode ; le pic est le jour le plus improbable."
            if fr
            else f"Threshold set for at most {b} false alarm a month on quiet history; the "
            "expected range accounts for the day of the week. Consecutive alert days form "
            "one episode; the peak is its most unlikely day."
        )
    episodes = alert_episodes_table(alerts, annotations)
    if episodes.empty:
        none = "Aucune alerte sur la période." if fr else "No alert in this period."
        return Fragment(f"<p>{esc(none)} {esc(note)}</p>")
    head = (
        ["Dates", "Série", "Plateforme", "Pic : observé", "Attendu (plage)", "Sens", "Contexte"]
        if fr
        else [
            "Dates",
            "Series",
            "Platform",
            "Peak: observed",
            "Expected (range)",
            "Kind",
            "Context",
        ]
    )
    words = {
        "spike": ("pic", "spike"),
        "drop": ("creux", "drop"),
        "strong": ("alerte forte", "strong alert"),
        "alert": ("alerte", "alert"),
    }
    body = []
    for r in episodes.itertuples(index=False):
        first = format_day(pd.Timestamp(r.start).date(), lang)
        dates = first
        if r.days > 1:
            last = format_day(pd.Timestamp(r.end).date(), lang)
            dates = f"{first} – {last} ({r.days} " + ("jours" if fr else "days") + ")"
        series = SERIES_LABELS[lang].get(r.series, r.series)
        platform = _PLATFORM_ALL[lang] if r.platform == "all" else r.platform
        expected = f"{_num(r.expected, lang)} ({_num(r.low, lang)} – {_num(r.high, lang)})"
        kind = words.get(r.direction, (r.direction, r.direction))[0 if fr else 1]
        kind += ", " + words[r.severity][0 if fr else 1]
        cells = [dates, series, platform, _num(r.observed, lang), expected, kind, r.context]
        body.append(
            f'<tr class="alert alert-{esc(r.severity)}">'
            + "".join(f"<td>{esc(c)}</td>" for c in cells)
            + "</tr>"
        )
    table = table_html(head, body, css_class="kpi-table alerts")
    return Fragment(f"{table}<p class='table-note'>{esc(note)}</p>")


def pacing_html(pace: pd.DataFrame, *, lang: str = "en", currency: str = "EUR") -> Fragment:
    """Targets of periods in progress: so far, projection with interval, chance to reach."""
    fr = lang == "fr"
    if pace is None or pace.empty:
        none = (
            "Aucun objectif sur une période en cours."
            if fr
            else "No target for a period in progress."
        )
        return Fragment(f"<p>{esc(none)}</p>")
    cat = get_catalog()
    head = (
        [
            "Indicateur",
            "Période",
            "Objectif",
            "À date",
            "Projection (intervalle à 80 %)",
            "Chance d'atteindre",
        ]
        if fr
        else ["KPI", "Period", "Target", "So far", "Projection (80% interval)", "Chance to reach"]
    )
    body = []
    for r in pace.itertuples(index=False):
        kpi = cat[r.kpi]
        label = kpi.label(lang) + ("" if r.platform == "all" else f" ({r.platform})")
        when = format_period(r.period, lang)
        if not _isna(r.elapsed) and not _isna(r.total):
            when += f" — {int(r.elapsed)}/{int(r.total)} " + ("jours" if fr else "days")
        if _isna(r.projected):
            proj = r.reason or MISSING
            chance = MISSING
        else:
            proj = (
                f"{_num(r.projected, lang, kpi.unit, currency)} "
                f"({_num(r.low, lang, kpi.unit, currency)} – "
                f"{_num(r.high, lang, kpi.unit, currency)})"
            )
            chance = _pct(r.probability, lang)
        cells = [
            label,
            when,
            _num(r.target, lang, kpi.unit, currency),
            _num(r.so_far, lang, kpi.unit, currency),
            proj,
            chance,
        ]
        body.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    return table_html(head, body, css_class="kpi-table pacing")


def realism_html(realism: pd.DataFrame, *, lang: str = "en", currency: str = "EUR") -> Fragment:
    """Targets against the minimum detectable change: can reaching them be seen at all?"""
    fr = lang == "fr"
    if realism is None or realism.empty:
        return Fragment("<p>" + esc("Aucun objectif." if fr else "No target.") + "</p>")
    cat = get_catalog()
    head = (
        [
            "Indicateur",
            "Valeur",
            "Objectif",
            "Écart à combler",
            "Changement minimal détectable",
            "Lecture",
        ]
        if fr
        else ["KPI", "Value", "Target", "Gap to close", "Minimum detectable change", "Reading"]
    )
    reading = {
        "met": ("objectif déjà atteint", "target already met"),
        True: ("écart mesurable", "measurable gap"),
        False: (
            "écart dans le bruit : son atteinte ne se distinguerait pas du hasard",
            "gap within noise: reaching it could not be told from chance",
        ),
    }
    body = []
    for r in realism.itertuples(index=False):
        kpi = cat[r.kpi]
        label = kpi.label(lang) + ("" if r.platform == "all" else f" ({r.platform})")
        unit = "count" if kpi.unit == "count" else kpi.unit
        met = not _isna(r.met) and bool(r.met)
        key = "met" if met else (None if _isna(r.detectable) else bool(r.detectable))
        read = MISSING if key is None else reading[key][0 if fr else 1]
        cells = [
            label,
            _num(r.value, lang, unit, currency),
            _num(r.target, lang, unit, currency),
            _num(r.needed, lang, unit, currency),
            _num(r.mdc, lang, unit, currency),
            read,
        ]
        body.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    return table_html(head, body, css_class="kpi-table realism")


def statistics_note_html(
    *,
    lang: str = "en",
    alpha: float = 0.05,
    power: float = 0.8,
    false_alarms: float = 1.0,
    multiple_testing: str = "benjamini_hochberg",
) -> Fragment:
    """How to read verdicts, intervals, trends, alerts and pacing (the methods appendix)."""
    a = _pct(alpha, lang)
    conf = _pct(1 - alpha, lang)
    pw = _pct(power, lang)
    fa = format_value(false_alarms, "ratio", lang).rstrip("0").rstrip(",.")
    if lang == "fr":
        text = [
            f"Chaque évolution est testée au seuil de {a} : « hausse » ou « baisse "
            "significative » seulement si le test écarte le hasard ; sinon « variation "
            "normale ». Les intervalles de confiance sont à "
            f"{conf}. Parts de mentions : test de deux proportions. Taux sur les publications "
            "(engagement, CTR) : rapport de sommes avec une variance robuste par publication "
            "(bootstrap quand il y a peu de publications). Comptages quotidiens (impressions, "
            "mentions, abonnés gagnés) : comparaison de taux de Poisson, ou binomiale négative "
            "quand les jours varient plus que le hasard ne l'explique. Valeurs par publication "
            "ou par mention : test de Mann–Whitney.",
            (
                "Comme une quarantaine d'évolutions sont testées ensemble dans chaque tableau "
                "(une plateforme, ou toutes), les p-values y sont ajustées ensemble "
                "(procédure de Benjamini–Hochberg, « p ajusté ») : en moyenne, au plus "
                f"{a} des évolutions déclarées significatives sont dues au hasard. Les "
                "intervalles de confiance, eux, décrivent chaque évolution seule."
                if multiple_testing == "benjamini_hochberg"
                else "Chaque évolution est testée seule, sans ajustement pour le nombre de "
                f"KPI : sur quarante évolutions sans changement réel, environ {a} sont "
                "déclarées significatives par hasard."
            ),
            "Tendances : pente de Theil–Sen et test de Mann–Kendall sur les dernières "
            "périodes ; une tendance n'est signalée que si elle est significative.",
            f"Changement minimal détectable : le plus petit changement que la période "
            f"suivante pourrait montrer avec une puissance de {pw}, aux volumes actuels.",
            f"Alertes : chaque jour est comparé à une référence des 8 semaines précédentes "
            f"qui tient compte du jour de la semaine ; le seuil vise au plus {fa} fausse "
            "alerte par client et par mois sur un historique calme.",
            "Projection d'objectif : valeur attendue en fin de période au rythme des jours "
            "écoulés, avec un intervalle à 80 % et la probabilité d'atteindre l'objectif.",
        ]
    else:
        text = [
            f"Every change is tested at the {a} level: a 'significant rise' or 'fall' only "
            "when the test rules out chance; otherwise 'normal variation'. Confidence "
            f"intervals are {conf}. Shares of mentions: two-proportion test. Rates over "
            "posts (engagement, CTR): ratio of sums with a post-level robust variance "
            "(bootstrap when posts are few). Daily counts (impressions, mentions, follows "
            "gained): Poisson rate comparison, or negative binomial when days vary more "
            "than chance explains. Per-post or per-mention values: Mann–Whitney test.",
            (
                "As some forty changes are tested together in each table (one platform, or "
                "all), their p-values are adjusted together (Benjamini–Hochberg procedure, "
                f"'adjusted p'): on average, at most {a} of the changes called significant "
                "are due to chance. The confidence intervals describe each change on its own."
                if multiple_testing == "benjamini_hochberg"
                else "Each change is tested on its own, with no adjustment for the number of "
                f"KPIs: of forty changes with no real change, about {a} are called "
                "significant by chance."
            ),
            "Trends: Theil–Sen slope and Mann–Kendall test over the last periods; a trend "
            "is reported only when it is significant.",
            "Minimum detectable change: the smallest change the next period could show "
            f"with {pw} power at current volumes.",
            "Alerts: each day is checked against a baseline of the previous 8 weeks that "
            "knows day-of-week effects; the threshold allows at most "
            f"{fa} false alarm per client and month on quiet history.",
            "Target pacing: the end-of-period value expected at the pace of the elapsed "
            "days, with an 80% interval and the probability of reaching the target.",
        ]
    return Fragment("".join(f"<p>{esc(t)}</p>" for t in text))


_BENCH_COLUMNS = {
    "followers": ("Abonnés", "Followers"),
    "follower_growth_pct": ("Croissance", "Growth"),
    "posts": ("Publications", "Posts"),
    "interactions_per_post": ("Interactions par publication", "Interactions per post"),
    "interactions_per_1000_followers": (
        "Interactions / publication / 1 000 abonnés (IC 95 %)",
        "Interactions / post / 1,000 followers (95 % CI)",
    ),
    "share_of_voice": ("Part de voix (IC 95 %)", "Share of voice (95 % CI)"),
}


def _fair_note(note: str, lang: str) -> str:
    """The benchmark's fairness note ("over instagram (…); left out: x, y") in words."""
    import re

    m = re.match(r"over (.+?) \(every compared brand has data there\)(?:; left out: (.+))?", note)
    if not m:
        return ""
    used, left = m.group(1), m.group(2)
    if lang == "fr":
        text = f"Comparaison sur {used}, où toutes les marques comparées ont des données"
        return text + (f" (hors {left})." if left else ".")
    text = f"Compared on {used}, where every compared brand has data"
    return text + (f" (leaving out {left})." if left else ".")


def benchmarks_html(
    table: pd.DataFrame,
    *,
    names: dict[str, str],
    lang: str = "en",
    platform: str = "all",
    period: str | None = None,
) -> Fragment:
    """Fair competitor benchmark: the same public-only formulas for every brand.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :meth:`kpi_notebook_lib.workspace.Client.benchmarks`.
    names : dict
        Brand id → display name (client first).
    """
    from .benchmarks import METRIC_UNITS, rank_brands

    fr = lang == "fr"
    t = table[table["platform"] == platform]
    if period is not None:
        t = t[t["period"] == period]
    if t.empty or t["value"].isna().all():
        none = (
            "Pas de données publiques de concurrents sur la période."
            if fr
            else "No public competitor data for this period."
        )
        return Fragment(f"<p>{esc(none)}</p>")
    head = ["Marque" if fr else "Brand"] + [v[0 if fr else 1] for v in _BENCH_COLUMNS.values()]
    body = []
    for brand in names:
        rows = t[t["brand"] == brand].set_index("metric")
        if rows.empty:
            continue
        cells = [names[brand]]
        for metric in _BENCH_COLUMNS:
            if metric not in rows.index:
                cells.append(MISSING)
                continue
            r = rows.loc[metric]
            unit = METRIC_UNITS[metric]
            txt = _num(r["value"], lang, unit)
            if not _isna(r["low"]) and not _isna(r["high"]):
                txt += f" ({_num(r['low'], lang, unit)} – {_num(r['high'], lang, unit)})"
            cells.append(txt)
        body.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    notes = t["note"].dropna()
    lead = _fair_note(str(notes.iloc[0]), lang) if len(notes) else ""
    sentences = []
    for metric in ("interactions_per_1000_followers", "share_of_voice"):
        ranked = rank_brands(t, metric, platform=platform)
        ranked = ranked[ranked["rank"] == 1]
        if ranked.empty:
            continue
        top = ranked.iloc[0]
        who = names.get(top["brand"], top["brand"])
        label = _BENCH_COLUMNS[metric][0 if fr else 1].split(" (")[0].lower()
        clear = top["clear_lead"]
        if _isna(clear):
            continue
        if bool(clear):
            sentences.append(
                f"{who} mène nettement en {label} (intervalles disjoints)."
                if fr
                else f"{who} clearly leads on {label} (intervals do not overlap)."
            )
        else:
            sentences.append(
                f"{who} est en tête en {label}, mais son intervalle recoupe celui du suivant : "
                "pas de leader net."
                if fr
                else f"{who} is first on {label}, but its interval overlaps the next "
                "brand's: no clear leader."
            )
    table_ = table_html(head, body, css_class="kpi-table benchmarks")
    after = "".join(f"<p>{esc(s)}</p>" for s in sentences)
    return Fragment(f"<p>{esc(lead)}</p>{table_}{after}")
