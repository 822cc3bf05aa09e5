"""Self-checks for the training notebooks (``notebooks/training/``).

Each ``check_*`` function compares a learner's answer with what the library computes (never a
hard-coded figure) and raises :class:`AssertionError` with a helpful message, in French or
English, when the answer is wrong. When it is right it returns a short confirmation to display.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.stats import false_discovery_control

from .catalog import OBJECTIVES, get_catalog
from .stats import two_proportion

__all__ = [
    "CANDIDATES",
    "CRITERIA",
    "check_candidates",
    "check_false_alarm_share",
    "check_fired_rules",
    "check_levels",
    "check_natures",
    "check_objective_kpis",
    "check_off_track",
    "check_significant",
    "check_target",
    "check_within_noise",
    "many_kpis_noise",
]

#: The criteria of a good KPI (the method's article), with a one-line definition.
CRITERIA: dict[str, dict[str, str]] = {
    "quantifiable": {"fr": "se mesure par un nombre", "en": "measured by a number"},
    "actionable": {
        "fr": "on sait quoi faire quand il bouge",
        "en": "you know what to do when it moves",
    },
    "simple": {"fr": "compris par tous sans explication", "en": "understood without explanation"},
    "reliable": {
        "fr": "mesuré de la même façon à chaque période",
        "en": "measured the same way every period",
    },
    "controllable": {"fr": "vos actions peuvent le faire bouger", "en": "your actions can move it"},
    "qualifiable": {
        "fr": "on peut dire s'il est bon ou mauvais (objectif chiffré)",
        "en": "you can tell good from bad (numeric target)",
    },
}

#: Candidate indicators for the "is it a good KPI?" exercise: the criterion each one fails
#: (None when it is a good KPI).
CANDIDATES: dict[str, dict[str, str | None]] = {
    "engagement_rate_reach": {
        "fails": None,
        "fr": "Taux d'engagement sur la portée, par mois",
        "en": "Engagement rate by reach, per month",
    },
    "likes_of_one_post": {
        "fails": "reliable",
        "fr": "Nombre de J'aime d'une seule publication",
        "en": "Likes of one single post",
    },
    "brand_love": {
        "fails": "quantifiable",
        "fr": "« L'amour de la marque » (sans mesure définie)",
        "en": "“Brand love” (no defined measure)",
    },
    "weather_mentions": {
        "fails": "controllable",
        "fr": "Mentions de la météo dans le secteur",
        "en": "Mentions of the weather in the sector",
    },
    "response_rate": {
        "fails": None,
        "fr": "Taux de réponse aux messages adressés à la marque",
        "en": "Response rate to messages addressed to the brand",
    },
    "composite_score": {
        "fails": "simple",
        "fr": "Score composite de 14 indicateurs pondérés en secret",
        "en": "Composite score of 14 secretly weighted indicators",
    },
}


def _t(lang: str, fr: str, en: str) -> str:
    return fr if lang == "fr" else en


def _check_field(answers: Mapping[str, str], field: str, lang: str) -> str:
    cat = get_catalog()
    if not answers:
        raise AssertionError(
            _t(
                lang,
                "Complétez le dictionnaire `answers` avant de vérifier.",
                "Fill in the `answers` dictionary before checking.",
            )
        )
    wrong = []
    for kpi, given in answers.items():
        if kpi not in cat:
            raise AssertionError(
                _t(
                    lang,
                    f"{kpi!r} n'est pas un KPI du catalogue (kpi catalog).",
                    f"{kpi!r} is not a catalog KPI (kpi catalog).",
                )
            )
        expected = getattr(cat[kpi], field)
        if given != expected:
            k = cat[kpi]
            wrong.append(
                f"{k.label(lang)} ({kpi}): {given!r} → {expected!r} — {k.description(lang)}"
            )
    if wrong:
        raise AssertionError(
            _t(lang, "Pas encore : revoyez ", "Not yet: check ") + "; ".join(wrong)
        )
    return _t(
        lang,
        f"Bravo : {len(answers)} réponses justes.",
        f"Well done: {len(answers)} correct answers.",
    )


def check_levels(answers: Mapping[str, str], lang: str = "fr") -> str:
    """Check ``{kpi_id: "strategic" | "operational"}`` against the catalog."""
    return _check_field(answers, "level", lang)


def check_natures(answers: Mapping[str, str], lang: str = "fr") -> str:
    """Check ``{kpi_id: "quantitative" | "qualitative"}`` against the catalog."""
    return _check_field(answers, "nature", lang)


def check_candidates(answers: Mapping[str, str | None], lang: str = "fr") -> str:
    """Check ``{candidate: failed criterion or None}`` for :data:`CANDIDATES`."""
    missing = [c for c in CANDIDATES if c not in answers]
    if missing:
        raise AssertionError(
            _t(
                lang,
                f"Il manque des réponses pour : {', '.join(missing)}.",
                f"Answers are missing for: {', '.join(missing)}.",
            )
        )
    wrong = []
    for c, given in answers.items():
        expected = CANDIDATES[c]["fails"]
        if given != expected:
            hint = (
                _t(lang, "c'est un bon KPI", "it is a good KPI")
                if expected is None
                else f"{expected}: {CRITERIA[expected][lang]}"
            )
            wrong.append(f"{CANDIDATES[c][lang]} → {hint}")
    if wrong:
        raise AssertionError(_t(lang, "À revoir : ", "Check again: ") + " | ".join(wrong))
    return _t(
        lang, "Bravo : vous savez reconnaître un bon KPI.", "Well done: you can tell a good KPI."
    )


def check_objective_kpis(objective: str, chosen: list[str], lang: str = "fr") -> str:
    """Check that ``chosen`` are KPIs of ``objective``, with at least one strategic KPI."""
    if objective not in OBJECTIVES:
        raise AssertionError(
            _t(
                lang,
                f"Objectif inconnu {objective!r} : {', '.join(OBJECTIVES)}",
                f"Unknown objective {objective!r}: {', '.join(OBJECTIVES)}",
            )
        )
    cat = get_catalog()
    allowed = {k.id for k in cat.for_objective(objective)}
    outside = [k for k in chosen if k not in allowed]
    if not chosen or outside:
        raise AssertionError(
            _t(
                lang,
                f"Choisissez parmi les KPI de l'objectif {objective} : "
                f"{', '.join(sorted(allowed))}.",
                f"Choose among the KPIs of objective {objective}: {', '.join(sorted(allowed))}.",
            )
        )
    if not any(cat[k].level == "strategic" for k in chosen):
        raise AssertionError(
            _t(
                lang,
                "Ajoutez au moins un KPI stratégique (level = strategic).",
                "Add at least one strategic KPI (level = strategic).",
            )
        )
    if len(chosen) > 4:
        raise AssertionError(
            _t(lang, "Peu de KPI par objectif : 4 au plus.", "Few KPIs per objective: 4 at most.")
        )
    return _t(lang, "Bonne sélection.", "Good selection.")


def check_target(target: float, *, base: float, growth: float, lang: str = "fr") -> str:
    """Check a target computed as ``base × (1 + growth)`` (e.g. +10 % on last year)."""
    if target is None:
        raise AssertionError(
            _t(lang, "Calculez `target` avant de vérifier.", "Compute `target` before checking.")
        )
    expected = base * (1 + growth)
    if abs(target - expected) > 1e-6 * max(1.0, abs(expected)):
        raise AssertionError(
            _t(
                lang,
                f"L'objectif doit valoir base × (1 + croissance) = {expected:,.2f}, pas {target}.",
                f"The target should be base × (1 + growth) = {expected:,.2f}, not {target}.",
            )
        )
    return _t(lang, f"Objectif juste : {expected:,.0f}.", f"Right target: {expected:,.0f}.")


def check_off_track(answer: set[str], comparison: pd.DataFrame, lang: str = "fr") -> str:
    """Check the set of KPIs off track (all platforms) in a comparison table."""
    rows = comparison[(comparison["platform"] == "all") & (comparison["status"] == "off_track")]
    expected = set(rows["kpi"])
    if set(answer or ()) != expected:
        raise AssertionError(
            _t(
                lang,
                "Relisez la colonne `status` des lignes `platform == 'all'` : "
                f"{len(expected)} KPI sont hors objectif.",
                f"Read the `status` column of rows with `platform == 'all'`: {len(expected)} KPIs "
                "are off track.",
            )
        )
    return _t(
        lang,
        "Exact : ce sont les KPI à expliquer en priorité.",
        "Right: these are the KPIs to explain first.",
    )


def check_fired_rules(answer: set[str], actions: pd.DataFrame, lang: str = "fr") -> str:
    """Check the ids of the reaction rules that fired."""
    expected = set(actions.loc[actions["fired"], "rule"])
    if set(answer or ()) != expected:
        raise AssertionError(
            _t(
                lang,
                f"Filtrez `actions` sur la colonne `fired` : {len(expected)} règle(s).",
                f"Filter `actions` on the `fired` column: {len(expected)} rule(s).",
            )
        )
    return _t(lang, "Exact.", "Right.")


def check_significant(answer: set[str], comparison: pd.DataFrame, kpis, lang: str = "fr") -> str:
    """Check the KPIs (among ``kpis``, all platforms) whose change is significant."""
    rows = comparison[(comparison["platform"] == "all") & comparison["kpi"].isin(list(kpis))]
    expected = set(rows.loc[rows["verdict"].isin(["rise", "fall"]), "kpi"])
    if set(answer or ()) != expected:
        raise AssertionError(
            _t(
                lang,
                "Gardez les lignes dont `verdict` vaut `rise` ou `fall` : "
                f"{len(expected)} KPI. Une évolution « dans la variation normale » (`noise`) "
                "n'est ni une hausse ni une baisse, même si elle paraît grande.",
                "Keep the rows whose `verdict` is `rise` or `fall`: "
                f"{len(expected)} KPIs. A change within normal variation (`noise`) is neither a "
                "rise nor a fall, however large it looks.",
            )
        )
    return _t(
        lang,
        "Exact : seules ces évolutions se distinguent du bruit.",
        "Right: only these changes stand out from noise.",
    )


def check_within_noise(answer: set[str], realism: pd.DataFrame, lang: str = "fr") -> str:
    """Check the targets whose remaining gap is smaller than the minimum detectable change."""
    met = realism["met"].fillna(False).astype(bool)
    gap = realism["detectable"].fillna(True).astype(bool)
    expected = set(realism.loc[~met & ~gap, "kpi"])
    if set(answer or ()) != expected:
        raise AssertionError(
            _t(
                lang,
                "Gardez les objectifs non atteints dont |écart| < changement minimal détectable "
                f"(`detectable == False`) : {len(expected)} KPI.",
                "Keep the targets not met whose |gap| < minimum detectable change "
                f"(`detectable == False`): {len(expected)} KPIs.",
            )
        )
    return _t(
        lang,
        "Exact : pour ceux-là, atteindre l'objectif ne se verrait pas dans les chiffres.",
        "Right: for these, reaching the target would not show in the numbers.",
    )


def check_false_alarm_share(share: float, verdicts: list[str], lang: str = "fr") -> str:
    """Check the share of simulated no-change pairs that a test called a rise or a fall."""
    if share is None:
        raise AssertionError(_t(lang, "Calculez `share`.", "Compute `share`."))
    expected = sum(v in ("rise", "fall") for v in verdicts) / len(verdicts)
    if abs(share - expected) > 1e-9:
        raise AssertionError(
            _t(
                lang,
                "Comptez les verdicts `rise` ou `fall` et divisez par le nombre de simulations.",
                "Count the `rise` or `fall` verdicts and divide by the number of simulations.",
            )
        )
    return _t(
        lang,
        f"{expected:.0%} des simulations sans aucun changement réel sont déclarées "
        "significatives : c'est le risque de 5 % accepté par le test, pas une tendance.",
        f"{expected:.0%} of the simulations with no real change are called significant: that "
        "is the 5 % risk the test accepts, not a trend.",
    )


def many_kpis_noise(
    n_kpis: int = 40,
    n_months: int = 200,
    *,
    mentions: int = 200,
    share: float = 0.4,
    alpha: float = 0.05,
    seed: int = 0,
    lang: str = "fr",
) -> pd.DataFrame:
    """Simulate months of ``n_kpis`` KPIs that do **not** change, tested one by one and then
    adjusted together (Benjamini–Hochberg, as the reports do).

    Each KPI is a share of ``mentions`` mentions (true share ``share`` in both months), tested
    with :func:`kpi_notebook_lib.stats.two_proportion`.

    Returns
    -------
    pandas.DataFrame
        One row per way of reading the p-values: the mean number of KPIs called significant
        per month and the share of months with at least one such call (all of them are
        false: nothing changed).
    """
    rng = np.random.default_rng(seed)
    raw, adjusted = [], []
    for _ in range(n_months):
        p = np.array(
            [
                two_proportion(
                    rng.binomial(mentions, share), mentions, rng.binomial(mentions, share), mentions
                ).p_value
                for _ in range(n_kpis)
            ]
        )
        raw.append(int(np.sum(p < alpha)))
        adjusted.append(int(np.sum(false_discovery_control(p, method="bh") < alpha)))
    rows = []
    for name, calls in (
        (_t(lang, "chaque KPI seul (p)", "each KPI on its own (p)"), raw),
        (_t(lang, "ajustés ensemble (p ajusté)", "adjusted together (adjusted p)"), adjusted),
    ):
        calls = np.asarray(calls)
        rows.append(
            {
                _t(lang, "lecture", "reading"): name,
                _t(
                    lang, "KPI déclarés significatifs par mois", "KPIs called significant a month"
                ): (round(float(calls.mean()), 2)),
                _t(
                    lang,
                    "mois avec au moins une évolution déclarée à tort",
                    "months with at least one false call",
                ): (round(float(np.mean(calls > 0)), 3)),
            }
        )
    return pd.DataFrame(rows)
