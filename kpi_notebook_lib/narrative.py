"""Interpretation and reaction: sentences generated from the numbers, and explicit rules.

``interpret`` turns a comparison table into plain sentences (what changed, by how much, against
target); ``react`` evaluates the reaction rules of ``data/rules.yml`` and returns the actions
whose conditions hold. Rules are data: conditions are parsed with :mod:`ast` and evaluated on a
whitelist of names, never executed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml
from babel.numbers import format_percent

from .catalog import get_catalog
from .exceptions import CatalogError
from .formatting import (
    MISSING,
    format_change,
    format_period,
    format_share,
    format_value,
    locale_of,
    translate_note,
)

__all__ = ["Rule", "interpret", "load_rules", "mdc_sentence", "react"]

_FIELDS = {
    "value",
    "previous_value",
    "last_year_value",
    "change",
    "change_pct",
    "target",
    "gap_pct",
    "status",
    "direction",
    "verdict",
    "p_value",
    "p_adjusted",
    "mdc",
}
_WORDS = {
    "fr": {
        "up": "en hausse de",
        "down": "en baisse de",
        "flat": "stable",
        "vs": "par rapport à",
        "na": "non disponible",
        "target_met": "objectif de {t} atteint",
        "target_watch": "objectif de {t} presque atteint",
        "target_missed": "objectif de {t} non atteint",
        "trend_up": "tendance à la hausse sur {n} périodes",
        "trend_down": "tendance à la baisse sur {n} périodes",
        "colon": " : ",
        "rise": "hausse significative de {a} par rapport à {when} "
        "({base} ; IC à {lvl} : {lo} à {hi})",
        "fall": "baisse significative de {a} par rapport à {when} "
        "({base} ; IC à {lvl} : {lo} à {hi})",
        "noise": "pas de changement significatif par rapport à {when} ({base}, {s}, "
        "dans la variation normale)",
        "too_little_data": "{s} par rapport à {when} ({base}) ; trop peu de données pour dire "
        "si ce changement est réel",
        "untested": "{s} par rapport à {when} ({base}) ; évolution non testée en elle-même",
        "same": "identique à {when} ({base})",
        "mdc": "au volume actuel, seul un changement d'au moins {m} se distinguerait du bruit "
        "à la prochaine période",
    },
    "en": {
        "up": "up",
        "down": "down",
        "flat": "stable",
        "vs": "on",
        "na": "not available",
        "target_met": "target of {t} met",
        "target_watch": "target of {t} nearly met",
        "target_missed": "target of {t} missed",
        "trend_up": "rising over {n} periods",
        "trend_down": "falling over {n} periods",
        "colon": ": ",
        "rise": "a significant rise of {a} on {when} ({base}; {lvl} CI {lo} to {hi})",
        "fall": "a significant fall of {a} on {when} ({base}; {lvl} CI {lo} to {hi})",
        "noise": "no significant change on {when} ({base}, {s}, within normal variation)",
        "too_little_data": "{s} on {when} ({base}); too little data to tell whether the "
        "change is real",
        "untested": "{s} on {when} ({base}); this change is not tested on its own",
        "same": "the same as {when} ({base})",
        "mdc": "at current volumes, only a change of at least {m} would stand out from noise "
        "next period",
    },
}


def _isna(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _signed(change: float, base: float, unit: str, lang: str) -> str:
    pct = change / abs(base) if base not in (0, 0.0) else None
    return format_change(change, pct, unit, lang)


def _change_phrase(r: pd.Series, unit: str, base: Any, lang: str, currency: str) -> str:
    """The change against the compared period, worded by its significance verdict.

    A change the test calls within normal variation is never worded as a rise or a fall.
    """
    w = _WORDS[lang]
    ch = float(r["change"])
    base = float(base)
    when = format_period(r["compared_period"], lang)
    base_txt = format_value(base, unit, lang, currency=currency)
    verdict = r.get("verdict")
    if _isna(verdict):  # not tested (a level, or significance not computed): no direction word
        verdict = "untested"
    if ch == 0:
        return w["same"].format(when=when, base=base_txt)
    signed = _signed(ch, base, unit, lang)
    if verdict in ("rise", "fall") and (ch > 0) == (verdict == "rise"):
        alpha = 1 - float(r.get("ci_level", 0.95))
        lvl = format_share(1 - alpha, lang)
        lo = _signed(float(r["ci_low"]), base, unit, lang)
        hi = _signed(float(r["ci_high"]), base, unit, lang)
        return w[verdict].format(
            a=signed.lstrip("+-−"), when=when, base=base_txt, lvl=lvl, lo=lo, hi=hi
        )
    if verdict in ("rise", "fall"):  # the test disagrees with the raw sign: say nothing
        verdict = "noise"
    return w[verdict].format(s=signed, when=when, base=base_txt)


def mdc_sentence(row: pd.Series, lang: str = "en", *, currency: str = "EUR") -> str:
    """Minimum detectable change of a KPI, in words (shown where targets are set).

    Parameters
    ----------
    row : pandas.Series
        One row of :meth:`kpi_notebook_lib.workspace.Client.kpis` (needs ``kpi``, ``mdc``,
        ``mdc_pct``).
    """
    kpi = get_catalog()[row["kpi"]]
    if _isna(row.get("mdc")):
        return ""
    m = abs(float(row["mdc"]))
    if kpi.unit == "percent":
        txt = format_change(m, None, "percent", lang).lstrip("+")
    elif not _isna(row.get("mdc_pct")):
        txt = format_share(abs(float(row["mdc_pct"])), lang)
    else:
        txt = format_value(m, kpi.unit, lang, currency=currency)
    return _WORDS[lang]["mdc"].format(m=txt)


def interpret(
    comparison: pd.DataFrame,
    *,
    lang: str = "en",
    kpis: list[str] | None = None,
    platform: str = "all",
    currency: str = "EUR",
    history: int = 6,
) -> list[str]:
    """One sentence per KPI: its value, change against the compared period, and target.

    Parameters
    ----------
    comparison : pandas.DataFrame
        Output of :meth:`kpi_notebook_lib.workspace.Client.kpis`.
    lang : {"fr", "en"}
    kpis : list of str, optional
        KPIs to describe, in this order (default: every KPI of the table).
    platform : str
        ``all`` or a platform id.

    Returns
    -------
    list of str
    """
    w = _WORDS[lang]
    cat = get_catalog()
    rows = comparison[comparison["platform"] == platform].set_index("kpi")
    order = kpis or list(rows.index)
    out = []
    for k in order:
        if k not in rows.index:
            continue
        r = rows.loc[k]
        kpi = cat[k]
        label = kpi.label(lang)
        if _isna(r["value"]):
            why = f" ({translate_note(r['note'], lang)})" if isinstance(r["note"], str) else ""
            out.append(f"{label}{w['colon']}{w['na']}{why}.")
            continue
        parts = [format_value(r["value"], kpi.unit, lang, currency=currency)]
        base = r["previous_value"] if r["compare_to"] == "previous" else r["last_year_value"]
        if not _isna(r["change"]) and not _isna(base):
            parts.append(_change_phrase(r, kpi.unit, base, lang, currency))
        if not _isna(r["target"]) and not _isna(r["status"]):
            t = format_value(r["target"], kpi.unit, lang, currency=currency)
            key = {"on_track": "target_met", "watch": "target_watch"}.get(
                r["status"], "target_missed"
            )
            parts.append(w[key].format(t=t))
        if not _isna(r.get("direction")) and r["direction"] in ("up", "down"):
            parts.append(w[f"trend_{r['direction']}"].format(n=history))
        sentence = f"{label}{w['colon']}" + ", ".join(parts[:2])
        if len(parts) > 2:
            sentence += " ; " if lang == "fr" else "; "
            sentence += ", ".join(parts[2:])
        out.append(sentence.replace(f"{MISSING} ", "") + ".")
    return out


@dataclass(frozen=True)
class Rule:
    """A reaction rule: a condition on the comparison and the action it suggests."""

    id: str
    objective: str
    when: str
    fr: str
    en: str
    tree: ast.Expression

    @property
    def kpis(self) -> set[str]:
        """KPIs the condition reads."""
        return {n.value.id for n in ast.walk(self.tree) if isinstance(n, ast.Attribute)}


def _check(node: ast.AST, text: str) -> None:
    cat = get_catalog()
    ok = (
        ast.Expression,
        ast.BoolOp,
        ast.And,
        ast.Or,
        ast.Compare,
        ast.Gt,
        ast.GtE,
        ast.Lt,
        ast.LtE,
        ast.Eq,
        ast.NotEq,
        ast.Constant,
        ast.UnaryOp,
        ast.USub,
        ast.Not,
        ast.Load,
    )
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute):
            if not isinstance(n.value, ast.Name) or n.value.id not in cat or n.attr not in _FIELDS:
                raise CatalogError(
                    f"Rule condition {text!r}: {ast.unparse(n)!r} must be "
                    f"<kpi id>.<one of {sorted(_FIELDS)}>."
                )
        elif isinstance(n, ast.Name):
            continue  # checked through its Attribute parent
        elif not isinstance(n, ok):
            raise CatalogError(
                f"Rule condition {text!r} uses {ast.unparse(n)!r}, which is not "
                "allowed (comparisons, and/or/not, numbers, strings)."
            )


@cache
def load_rules(text: str | None = None) -> tuple[Rule, ...]:
    """Parse and check the reaction rules (the packaged ones when ``text`` is None)."""
    if text is None:
        text = resources.files("kpi_notebook_lib").joinpath("data/rules.yml").read_text("utf-8")
    rules = []
    for r in yaml.safe_load(text)["rules"]:
        try:
            tree = ast.parse(r["when"], mode="eval")
        except SyntaxError as err:
            raise CatalogError(f"Rule {r['id']}: {r['when']!r} is not valid: {err.msg}") from None
        _check(tree, r["when"])
        rules.append(Rule(r["id"], r["objective"], r["when"], r["fr"], r["en"], tree))
    return tuple(rules)


class _Missing(Exception):
    pass


def _eval(node: ast.AST, rows: pd.DataFrame) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, rows)
    if isinstance(node, ast.BoolOp):
        vals = [_eval(v, rows) for v in node.values]
        return all(vals) if isinstance(node.op, ast.And) else any(vals)
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, rows)
        return (not v) if isinstance(node.op, ast.Not) else -v
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Attribute):
        kpi, fld = node.value.id, node.attr  # type: ignore[attr-defined]
        if kpi not in rows.index:
            raise _Missing(kpi)
        v = rows.at[kpi, fld]
        if _isna(v):
            raise _Missing(f"{kpi}.{fld}")
        return v.item() if hasattr(v, "item") else v
    if isinstance(node, ast.Compare):
        left = _eval(node.left, rows)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _eval(comp, rows)
            ok = {
                ast.Gt: lambda a, b: a > b,
                ast.GtE: lambda a, b: a >= b,
                ast.Lt: lambda a, b: a < b,
                ast.LtE: lambda a, b: a <= b,
                ast.Eq: lambda a, b: a == b,
                ast.NotEq: lambda a, b: a != b,
            }[type(op)](left, right)
            if not ok:
                return False
            left = right
        return True
    raise CatalogError(f"Cannot evaluate {ast.unparse(node)!r}")  # pragma: no cover


def react(
    comparison: pd.DataFrame,
    *,
    lang: str = "en",
    platform: str = "all",
    objectives: list[str] | None = None,
    rules: tuple[Rule, ...] | None = None,
) -> pd.DataFrame:
    """Suggested actions: the reaction rules whose conditions hold for this comparison.

    Returns
    -------
    pandas.DataFrame
        Columns ``rule, objective, fired, action, condition, skipped`` — one row per rule
        considered; ``skipped`` names the missing value when a rule could not be evaluated.
    """
    rules = rules or load_rules()
    rows = comparison[comparison["platform"] == platform].set_index("kpi")
    out = []
    for r in rules:
        if objectives and r.objective not in objectives:
            continue
        try:
            fired, skipped = bool(_eval(r.tree, rows)), ""
        except _Missing as m:
            fired, skipped = False, str(m)
        out.append(
            {
                "rule": r.id,
                "objective": r.objective,
                "fired": fired,
                "action": r.fr if lang == "fr" else r.en,
                "condition": r.when,
                "skipped": skipped,
            }
        )
    return pd.DataFrame(
        out, columns=["rule", "objective", "fired", "action", "condition", "skipped"]
    )


_DATASETS = {
    "en": {
        "fr": "la moitié réservée des tweets annotés de VADER (2 100, notes humaines, "
        "jamais utilisée pour l'apprentissage)",
        "en": "the held-out half of the VADER annotated tweets (2,100, human ratings, never "
        "used for fitting)",
    },
    "fr": {
        "fr": "le jeu de validation DEFT 2017 (324 tweets, jamais utilisé pour le réglage)",
        "en": "the DEFT 2017 validation split (324 tweets, never used for tuning)",
    },
}


def tone_accuracy_sentence(languages: pd.Series, lang: str = "en") -> str:
    """State the measured accuracy of the tone scorer for the languages of these mentions.

    The figures come from ``data/tone_accuracy.json``, written by ``bench/tone_accuracy.py``
    (never typed by hand): English on the held-out half of the VADER tweets (2,100 tweets,
    human ratings; the calibration was fitted on the other half), French on the DEFT 2017
    validation split (never used for tuning). Macro-F1 comes with its 95 % bootstrap
    interval when the file has one: 324 French tweets leave about ±0.05 of sampling noise.

    Parameters
    ----------
    languages : pandas.Series
        The scored language of each mention (``"fr"``, ``"en"``; missing for unscored ones).
    lang : {"en", "fr"}
        The report's language.

    Returns
    -------
    str
        One sentence per report, naming each scored language present with its share.
    """
    import json

    fr = lang == "fr"
    path = resources.files("kpi_notebook_lib").joinpath("data/tone_accuracy.json")
    if not path.is_file():
        return (
            "L'exactitude de l'analyse de tonalité n'a pas été mesurée pour cette version."
            if fr
            else "The tone scorer's accuracy has not been measured for this version."
        )
    acc = json.loads(path.read_text("utf-8"))
    counts = languages.value_counts(dropna=True)
    total = int(languages.notna().sum())
    parts = []
    for code in ("fr", "en"):
        if code not in acc or code not in counts.index:
            continue
        a = acc[code]
        share = format_value(counts[code] / total, "percent", lang) if total else MISSING
        f1 = format_value(a["macro_f1"], "ratio", lang)
        accu = format_value(a["accuracy"], "percent", lang)
        ci = ""
        if "macro_f1_ci95" in a:
            lo, hi = (format_value(v, "ratio", lang) for v in a["macro_f1_ci95"])
            level = format_percent(0.95, locale=locale_of(lang))
            ci = (
                f" (intervalle à {level}\u00a0: {lo} à {hi})"
                if fr
                else f" ({level} interval {lo} to {hi})"
            )
        if fr:
            name = "français" if code == "fr" else "anglais"
            parts.append(
                f"{name} ({share} des mentions notées) : macro-F1 {f1}{ci}, exactitude "
                f"{accu} sur {_DATASETS[code]['fr']}"
            )
        else:
            name = "French" if code == "fr" else "English"
            parts.append(
                f"{name} ({share} of scored mentions): macro-F1 {f1}{ci}, accuracy "
                f"{accu} on {_DATASETS[code]['en']}"
            )
    if not parts:
        return "Aucune mention notée sur la période." if fr else "No scored mention in this period."
    lead = (
        "Exactitude mesurée de l'analyse de tonalité — "
        if fr
        else "Measured accuracy of the tone scoring — "
    )
    return lead + (" ; " if fr else "; ").join(parts) + "."
