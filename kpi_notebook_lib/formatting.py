"""Locale-correct numbers, percentages, money and periods (Babel), for client-facing text.

>>> format_value(1234.5, "count", "fr")
'1\\u202f234,5'
>>> format_value(0.123, "percent", "fr")
'12,3\\xa0%'
>>> format_period(parse_period("2026-10"), "fr")
'octobre 2026'

Missing values are shown as an em dash, never as 0.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from .periods import Period, parse_period

__all__ = [
    "MISSING",
    "format_change",
    "format_day",
    "format_period",
    "format_share",
    "format_value",
    "format_verdict",
    "kpi_table",
    "locale_of",
    "verdict_of",
]

#: What a missing value looks like.
MISSING = "—"
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
_STATUS = {
    "fr": {"on_track": "dans l'objectif", "watch": "à surveiller", "off_track": "hors objectif"},
    "en": {"on_track": "on track", "watch": "watch", "off_track": "off track"},
}


VERDICTS = {
    "fr": {
        "rise": "hausse significative",
        "fall": "baisse significative",
        "noise": "variation normale",
        "too_little_data": "trop peu de données",
    },
    "en": {
        "rise": "significant rise",
        "fall": "significant fall",
        "noise": "normal variation",
        "too_little_data": "too little data",
    },
}


def format_share(value, lang: str = "en") -> str:
    """A share without decimals in the locale's percent pattern: ``95 %`` (NBSP in French)."""
    if _missing(value):
        return MISSING
    pattern = _percent_pattern(lang).replace("#,##0.0", "#,##0", 1)
    return format_percent(float(value), pattern, locale=locale_of(lang))


def format_verdict(verdict, p_value=None, lang: str = "en", *, adjusted: bool = False) -> str:
    """A change's significance in words, with its p-value: ``hausse significative (p = 0,003)``.

    ``noise`` reads "normal variation": a change the test cannot tell from noise is not called
    a rise or a fall. With ``adjusted`` the p-value is one adjusted for the other changes
    tested with it (:mod:`kpi_notebook_lib.significance`) and says so: ``p ajusté = 0,02``.
    """
    if _missing(verdict) or verdict not in VERDICTS["en"]:
        return MISSING
    text = VERDICTS[lang][verdict]
    if verdict in ("rise", "fall", "noise") and not _missing(p_value):
        p = float(p_value)
        loc = locale_of(lang)
        shown = (
            "< " + format_decimal(0.001, "0.###", locale=loc)
            if p < 0.001
            else "= " + format_decimal(p, "0.###" if p < 0.01 else "0.##", locale=loc)
        )
        # no line break inside the name (a narrow verdict column would split it)
        name = ("p\u00a0ajusté" if lang == "fr" else "adjusted\u00a0p") if adjusted else "p"
        text += f" ({name} {shown})"
    return text


def verdict_of(row, lang: str = "en") -> str:
    """:func:`format_verdict` of one comparison row (a mapping or a namedtuple), quoting the
    p-value its verdict was decided on: the adjusted one when the row's change was tested
    together with others."""

    def get(name):
        return row.get(name) if hasattr(row, "get") else getattr(row, name, None)

    family = get("tests_in_family")
    if not _missing(family) and float(family) > 1 and not _missing(get("p_adjusted")):
        return format_verdict(get("verdict"), get("p_adjusted"), lang, adjusted=True)
    return format_verdict(get("verdict"), get("p_value"), lang)


def locale_of(lang: str) -> str:
    """Babel locale for a report language (``fr`` → ``fr_FR``, ``en`` → ``en_GB``)."""
    return _LOCALES.get(lang, lang)


def _percent_pattern(lang: str, *, signed: bool = False) -> str:
    """The locale's percent pattern with one decimal (``#,##0.0 %`` in French)."""
    base = Locale.parse(locale_of(lang)).percent_formats[None].pattern.split(";")[0]
    one = base.replace("#,##0", "#,##0.0", 1)
    return f"+{one};-{one}" if signed else one


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_value(value, unit: str, lang: str = "en", *, currency: str = "EUR") -> str:
    """Format a KPI value in its unit for ``lang``."""
    if _missing(value):
        return MISSING
    loc = locale_of(lang)
    value = float(value)
    if unit == "percent":
        return format_percent(value, _percent_pattern(lang), locale=loc)
    if unit == "currency":
        return format_currency(value, currency, locale=loc)
    if unit == "hours":
        return format_decimal(value, "#,##0.0", locale=loc) + " h"
    if unit in ("ratio", "per_1000"):
        return format_decimal(value, "#,##0.00", locale=loc)
    if value == int(value):
        return format_decimal(value, "#,##0", locale=loc)
    return format_decimal(value, "#,##0.#", locale=loc)


def format_change(change, change_pct, unit: str, lang: str = "en") -> str:
    """Format a change: relative for counts and money, in points for percentages."""
    if unit == "percent":
        if _missing(change):
            return MISSING
        pts = format_decimal(float(change) * 100, "+#,##0.0;-#,##0.0", locale=locale_of(lang))
        return f"{pts} pt"
    if _missing(change_pct):
        return MISSING
    return format_percent(
        float(change_pct), _percent_pattern(lang, signed=True), locale=locale_of(lang)
    )


def format_period(period: Period | str, lang: str = "en") -> str:
    """Human label of a period: ``octobre 2026``, ``semaine 43 2026``, ``T3 2026``."""
    p = parse_period(period)
    loc = locale_of(lang)
    if p.kind == "month":
        return format_date(p.start, "LLLL y", locale=loc)
    if p.kind == "week":
        y, w, _ = p.start.isocalendar()
        return f"semaine {w} {y}" if lang == "fr" else f"week {w} {y}"
    if p.kind == "quarter":
        q = (p.start.month - 1) // 3 + 1
        return f"T{q} {p.start.year}" if lang == "fr" else f"Q{q} {p.start.year}"
    if p.kind == "year":
        return str(p.start.year)
    return f"{format_day(p.start, lang)} – {format_day(p.last_day, lang)}"


def format_day(day: date, lang: str = "en") -> str:
    """A day in long form: ``3 octobre 2026`` / ``3 October 2026``."""
    return format_date(day, "d MMMM y", locale=locale_of(lang))


def kpi_table(
    comparison: pd.DataFrame, lang: str = "en", *, currency: str = "EUR", platform: str = "all"
) -> pd.DataFrame:
    """Display table of a comparison frame for one platform: labels and formatted values.

    Parameters
    ----------
    comparison : pandas.DataFrame
        Output of :meth:`kpi_notebook_lib.workspace.Client.kpis`.
    lang : {"fr", "en"}
    platform : str
        Platform to show (``all`` for the total).
    """
    from .catalog import get_catalog

    cat = get_catalog()
    rows = comparison[comparison["platform"] == platform]
    fr = lang == "fr"
    cols = (
        [
            "KPI",
            "Valeur",
            "Période de comparaison",
            "Évolution",
            "Verdict",
            "Objectif",
            "Statut",
        ]
        if fr
        else ["KPI", "Value", "Comparison", "Change", "Verdict", "Target", "Status"]
    )
    out = []
    for r in rows.itertuples(index=False):
        out.append(
            [
                cat[r.kpi].label(lang),
                format_value(r.value, r.unit, lang, currency=currency),
                format_value(
                    r.previous_value if r.compare_to == "previous" else r.last_year_value,
                    r.unit,
                    lang,
                    currency=currency,
                ),
                format_change(r.change, r.change_pct, r.unit, lang),
                verdict_of(r, lang),
                format_value(r.target, r.unit, lang, currency=currency),
                MISSING if _missing(r.status) else _STATUS[lang][r.status],
            ]
        )
    return pd.DataFrame(out, columns=cols)


_MEASURE_FR = {
    "impressions": "impressions",
    "reach": "portée",
    "views": "vues",
    "reactions": "réactions",
    "comments": "commentaires",
    "shares": "partages",
    "saves": "enregistrements",
    "clicks": "clics",
    "link_clicks": "clics sur les liens",
    "video_views": "vues vidéo",
    "interactions": "interactions",
    "followers": "abonnés",
    "followers_start": "abonnés au début",
    "new_followers": "nouveaux abonnés",
    "lost_followers": "désabonnements",
    "sessions": "sessions",
    "leads": "leads",
    "sales": "ventes",
    "revenue": "chiffre d'affaires",
    "ad_spend": "dépenses publicitaires",
    "mentions": "mentions",
    "addressed": "messages adressés",
    "positive": "mentions positives",
    "negative": "mentions négatives",
    "compound_mean": "score de tonalité",
    "response_hours_median": "délai de réponse",
}
_NOTE_FR = [
    (r"^no posts in this period$", "aucune publication sur la période"),
    (r"^no audience data in this period$", "pas de données d'audience sur la période"),
    (r"^no mentions in this period$", "aucune mention sur la période"),
    (r"^no conversion data in this period$", "pas de données de conversion sur la période"),
    (
        r"^no post reports both (\w+) and (\w+)(.*)$",
        "aucune publication ne donne à la fois {1} et {2}",
    ),
    (r"^no post reports (\w+)$", "aucune publication ne donne {1}"),
    (r"^division by zero: (.+) is 0$", "division par zéro : {1} vaut 0"),
    (r"^(\w+) not available$", "{1} non disponible"),
    (r"^excludes (.+) \(not available\)$", "hors {1} (non disponible)"),
    (r"^partial period: data from (\S+) to (\S+)$", "période incomplète : données du {1} au {2}"),
]


def translate_note(note, lang: str = "en"):
    """A KPI note (why a value is NA, what a total leaves out) in the report language."""
    import re

    if _missing(note) or lang != "fr":
        return note
    parts = []
    for piece in str(note).split("; "):
        for pattern, template in _NOTE_FR:
            m = re.match(pattern, piece)
            if m:
                groups = [_MEASURE_FR.get(g, g) if g else "" for g in m.groups()]
                piece = template.format(None, *groups)
                break
        parts.append(piece)
    return " ; ".join(parts)
