"""Write the training notebooks of notebooks/training/ (French first, English available), each
as an exercise notebook and a solutions notebook, from one description.

Exercise check cells are tagged ``raises-exception``: the notebook runs top to bottom and shows
the self-check's helpful message until the learner fills in the answer. Solutions compute their
answers from the data or the catalog (no answer is typed in as a figure).
Run ``python tools/make_training.py`` from the repo root.
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

ROOT = Path(__file__).resolve().parents[1]


def params(lang: str, solved: bool) -> str:
    up = "../" * (4 if solved else 3)  # notebooks/training/<lang>[/solutions]/
    return (
        f'workspace: str = "{up}data_samples"  # workspace folder (holds clients/)\n'
        'client: str = "boulangerie-dupont"  # client id\n'
        f'language: str = "{lang}"  # fr | en'
    )


def md(text: str) -> nbf.NotebookNode:
    return nbf.v4.new_markdown_cell(text)


def code(src: str, *tags: str) -> nbf.NotebookNode:
    return nbf.v4.new_code_cell(src, metadata={"tags": list(tags)} if tags else {})


def T(lang: str, fr: str, en: str) -> str:
    return fr if lang == "fr" else en


def exercise(lang: str, solved: bool, blank: str, solution: str, check: str) -> list:
    return [
        code(solution if solved else blank),
        code(check, *([] if solved else ["raises-exception"])),
    ]


def nb1(lang: str, solved: bool) -> list:
    return [
        md(
            T(
                lang,
                "# 1. Qu'est-ce qu'un KPI ?\n\nUn **KPI** (indicateur clé de performance) mesure "
                "l'atteinte d'un **objectif** (visibilité, acquisition, engagement, tonalité, "
                "recommandation, leads et ventes, service client) et porte un **objectif "
                "chiffré**.\n\n"
                "- **stratégique** (suivi par la direction : il dit si l'objectif est atteint) ou "
                "**opérationnel** (suivi par l'équipe : il dit quoi ajuster) ;\n"
                "- **quantitatif** (un volume, un taux) ou **qualitatif** (la tonalité, la "
                "recommandation) ;\n- **principal** ou **secondaire** pour un client donné.\n\n"
                "Un bon KPI est *quantifiable, actionnable, simple, fiable, maîtrisable et "
                "qualifiable*.",
                "# 1. What is a KPI?\n\nA **KPI** (key performance indicator) measures how well "
                "an **objective** is met (visibility, acquisition, engagement, tone, "
                "recommendation, leads & sales, customer service) and carries a **numeric "
                "target**.\n\n- **strategic** (followed by management: is the objective met?) or "
                "**operational** (followed by the team: what to adjust?);\n- **quantitative** "
                "(a volume, a rate) or **qualitative** (tone, recommendation);\n- **primary** or "
                "**secondary** for a given client.\n\nA good KPI is *quantifiable, actionable, "
                "simple, reliable, controllable and qualifiable*.",
            )
        ),
        code(params(lang, solved), "parameters"),
        code(
            "import pandas as pd\n\nfrom kpi_notebook_lib import get_catalog, training\n\n"
            "cat = get_catalog()\n"
            f'cat.to_frame()[["id", "objective", "level", "nature", "unit", "label_{lang}"]]'
        ),
        md(
            T(
                lang,
                "## Exercice 1 — stratégique ou opérationnel ?\n\nPour chaque KPI, écrivez "
                '`"strategic"` ou `"operational"`.',
                '## Exercise 1 — strategic or operational?\n\nFor each KPI, write `"strategic"` '
                'or `"operational"`.',
            )
        ),
        *exercise(
            lang,
            solved,
            'answers = {"reach": None, "ctr": None, "net_sentiment": None, "posts": None, '
            '"response_rate": None}',
            'answers = {k: cat[k].level for k in ["reach", "ctr", "net_sentiment", "posts", '
            '"response_rate"]}\nanswers',
            "training.check_levels(answers, language)",
        ),
        md(
            T(
                lang,
                "## Exercice 2 — quantitatif ou qualitatif ?",
                "## Exercise 2 — quantitative or qualitative?",
            )
        ),
        *exercise(
            lang,
            solved,
            'answers = {"net_sentiment": None, "impressions": None, "ambassadors": None, '
            '"leads": None}',
            'answers = {k: cat[k].nature for k in ["net_sentiment", "impressions", '
            '"ambassadors", "leads"]}\nanswers',
            "training.check_natures(answers, language)",
        ),
        md(T(lang, "## Les six critères d'un bon KPI", "## The six criteria of a good KPI")),
        code(
            f'pd.DataFrame({{c: d["{lang}"] for c, d in training.CRITERIA.items()}}, '
            'index=["definition"]).T'
        ),
        md(
            T(
                lang,
                "## Exercice 3 — est-ce un bon KPI ?\n\nPour chaque candidat, écrivez le critère "
                "qu'il ne respecte pas, ou `None` si c'est un bon KPI.",
                "## Exercise 3 — is it a good KPI?\n\nFor each candidate, write the criterion it "
                "fails, or `None` when it is a good KPI.",
            )
        ),
        code(f'pd.Series({{c: d["{lang}"] for c, d in training.CANDIDATES.items()}})'),
        *exercise(
            lang,
            solved,
            "answers = {c: None for c in training.CANDIDATES}  # "
            + T(lang, "à compléter", "fill in"),
            'answers = {c: d["fails"] for c, d in training.CANDIDATES.items()}\nanswers',
            "training.check_candidates(answers, language)",
        ),
    ]


def nb2(lang: str, solved: bool) -> list:
    return [
        md(
            T(
                lang,
                "# 2. Des objectifs aux KPI, et des objectifs chiffrés\n\nLe catalogue associe "
                "chaque KPI à un objectif. On en choisit peu par objectif, dont au moins un "
                "stratégique, puis on fixe une **cible chiffrée** par période.",
                "# 2. From objectives to KPIs, and numeric targets\n\nThe catalog maps every KPI "
                "to an objective. Pick few per objective, at least one strategic, then set a "
                "**numeric target** per period.",
            )
        ),
        code(params(lang, solved), "parameters"),
        code(
            "from kpi_notebook_lib import get_catalog, open_workspace, training\n\n"
            "cat = get_catalog()\nc = open_workspace(workspace).client(client)\n"
            'cat.to_frame().groupby(["objective", "level"]).size().unstack(fill_value=0)'
        ),
        md(
            T(
                lang,
                "## Exercice 1 — choisir les KPI de l'engagement\n\nAu plus quatre, dont un "
                "stratégique.",
                "## Exercise 1 — choose the engagement KPIs\n\nAt most four, at least one "
                "strategic.",
            )
        ),
        code('[(k.id, k.level, k.label(language)) for k in cat.for_objective("engagement")]'),
        *exercise(
            lang,
            solved,
            "chosen = []  # " + T(lang, "ids de KPI", "KPI ids"),
            'strategic = [k.id for k in cat.for_objective("engagement") if k.level == '
            '"strategic"]\nchosen = strategic[:1] + ["interactions", "comments"]\nchosen',
            'training.check_objective_kpis("engagement", chosen, language)',
        ),
        md(
            T(
                lang,
                "## Exercice 2 — fixer un objectif chiffré\n\nObjectif de portée du dernier mois "
                "complet : la portée du même mois l'an dernier, **+10 %**.",
                "## Exercise 2 — set a numeric target\n\nReach target for the latest full month: "
                "reach in the same month last year, **+10%**.",
            )
        ),
        code(
            'p = c.latest_full_period("month")\n'
            'last = c.kpi_values([p.last_year()], kpis=["reach"])\n'
            'base = float(last.query("platform == \'all\'")["value"].iloc[0])\n'
            "p.label, p.last_year().label, base"
        ),
        *exercise(
            lang,
            solved,
            "target = None  # " + T(lang, "à calculer à partir de base", "compute from base"),
            "target = base * 1.10\ntarget",
            "training.check_target(target, base=base, growth=0.10, lang=language)",
        ),
        md(
            T(
                lang,
                "Les objectifs se notent dans `clients/<id>/targets.csv` (`kpi,platform,period,"
                "target`) ; `period` vaut un libellé (`2026-10`) ou `month` pour tous les mois.",
                "Targets live in `clients/<id>/targets.csv` (`kpi,platform,period,target`); "
                "`period` is a label (`2026-10`) or `month` for every month.",
            )
        ),
        code("c.targets.head(8)"),
    ]


def nb3(lang: str, solved: bool) -> list:
    return [
        md(
            T(
                lang,
                "# 3. Lire un tableau de bord et suivre les quatre phases\n\n**Analyse** → "
                "**interprétation** → **réaction** → **décision**, sur un client d'exemple.",
                "# 3. Reading a dashboard and walking the four phases\n\n**Analysis** → "
                "**interpretation** → **reaction** → **decision**, on a sample client.",
            )
        ),
        code(params(lang, solved), "parameters"),
        code(
            "from kpi_notebook_lib import training\n"
            "from kpi_notebook_lib.narrative import interpret, react\n"
            "from kpi_notebook_lib.sections import open_dashboard\n\n"
            'dash = open_dashboard(workspace, client, None, "previous", language)\n'
            "table = dash.section.comparison\ndash.cards()"
        ),
        md(
            T(
                lang,
                "## Analyse — exercice : quels KPI sont hors objectif (toutes plateformes) ?",
                "## Analysis — exercise: which KPIs are off track (all platforms)?",
            )
        ),
        *exercise(
            lang,
            solved,
            "off = set()  # " + T(lang, "ids de KPI", "KPI ids"),
            "off = set(table.query(\"platform == 'all' and status == 'off_track'\")[\"kpi\"])\noff",
            "training.check_off_track(off, table, language)",
        ),
        md(
            T(
                lang,
                "## Interprétation — ce que disent les chiffres",
                "## Interpretation — what the numbers say",
            )
        ),
        code("interpret(table, lang=language, kpis=dash.kpis)"),
        md(
            T(
                lang,
                "## Réaction — exercice : quelles règles d'alerte se déclenchent ?",
                "## Reaction — exercise: which alert rules fire?",
            )
        ),
        code(
            "actions = react(table, lang=language)\n"
            'actions[["rule", "objective", "fired", "condition"]]'
        ),
        *exercise(
            lang,
            solved,
            "fired = set()  # " + T(lang, "ids de règles", "rule ids"),
            'fired = set(actions.loc[actions["fired"], "rule"])\nfired',
            "training.check_fired_rules(fired, actions, language)",
        ),
        md(
            T(
                lang,
                "## Décision\n\nLes commentaires de l'analyste pour la période "
                "(`annotations.csv`, `kind = comment`) : rédigez le vôtre, puis comparez.",
                "## Decision\n\nThe analyst's comments for the period (`annotations.csv`, "
                "`kind = comment`): write yours, then compare.",
            )
        ),
        code("dash.section.decision()"),
    ]


def nb4(lang: str, solved: bool) -> list:
    return [
        md(
            T(
                lang,
                "# 4. Ce changement est-il réel ?\n\nLes chiffres des réseaux sociaux bougent "
                "chaque mois, même quand rien ne change : publications plus ou moins "
                "virales, jours de semaine, hasard. Avant de dire « hausse » ou « baisse », on "
                "teste si l'évolution dépasse ce bruit. Le **verdict** vaut `rise` (hausse "
                "significative), `fall` (baisse significative), `noise` (variation normale) ou "
                "`too_little_data` ; `p_value` est la probabilité d'un tel écart sans "
                "changement réel, `p_adjusted` la même, ajustée pour la quarantaine de KPI "
                "testés ensemble (c'est elle qui décide du verdict, voir plus bas) ; "
                "`ci_low`–`ci_high` encadrent l'évolution à 95 %.",
                "# 4. Is this change real?\n\nSocial-media numbers move every month even when "
                "nothing changes: more or less viral posts, weekdays, chance. Before saying "
                "'rise' or 'fall', we test whether the change exceeds that noise. The "
                "**verdict** is `rise` (significant rise), `fall` (significant fall), `noise` "
                "(normal variation) or `too_little_data`; `p_value` is the probability of such a "
                "gap with no real change, `p_adjusted` the same adjusted for the forty-odd KPIs "
                "tested together (it decides the verdict, see below); `ci_low`–`ci_high` "
                "bracket the change at 95 %.",
            )
        ),
        code(params(lang, solved), "parameters"),
        code(
            "from kpi_notebook_lib import training\n"
            "from kpi_notebook_lib.narrative import interpret\n"
            "from kpi_notebook_lib.sections import open_dashboard\n"
            "from kpi_notebook_lib.targets import target_realism\n\n"
            'dash = open_dashboard(workspace, client, None, "previous", language)\n'
            "table = dash.section.comparison\n"
            'cols = ["kpi", "value", "previous_value", "change_pct", "verdict", "p_value", '
            '"p_adjusted", "ci_low", "ci_high"]\n'
            "table.query(\"platform == 'all' and kpi in @dash.kpis\")[cols]"
        ),
        md(
            T(
                lang,
                "## Exercice 1 : parmi les KPI principaux, lesquels ont réellement évolué ?",
                "## Exercise 1: among the primary KPIs, which really changed?",
            )
        ),
        *exercise(
            lang,
            solved,
            "real = set()  # " + T(lang, "ids de KPI", "KPI ids"),
            "rows = table.query(\"platform == 'all' and kpi in @dash.kpis\")\n"
            'real = set(rows.loc[rows["verdict"].isin(["rise", "fall"]), "kpi"])\nreal',
            "training.check_significant(real, table, dash.kpis, language)",
        ),
        md(
            T(
                lang,
                "Les phrases d'interprétation suivent le verdict : une évolution dans la "
                "variation normale n'y est jamais appelée hausse ou baisse.",
                "Interpretation sentences follow the verdict: a change within normal variation "
                "is never called a rise or a fall.",
            )
        ),
        code("interpret(table, lang=language, kpis=dash.kpis)"),
        md(
            T(
                lang,
                "## Le bruit, simulé\n\nDeux mois avec **exactement** le même taux de mentions "
                "positives (40 %), 200 mentions chacun, tirés 200 fois : combien de fois le "
                "test voit-il une évolution ?",
                "## Noise, simulated\n\nTwo months with **exactly** the same share of positive "
                "mentions (40 %), 200 mentions each, drawn 200 times: how often does the test "
                "see a change?",
            )
        ),
        code(
            "import numpy as np\n"
            "from kpi_notebook_lib.stats import two_proportion\n\n"
            "rng = np.random.default_rng(0)\n"
            "verdicts = [\n"
            "    two_proportion(rng.binomial(200, 0.4), 200, rng.binomial(200, 0.4), 200).verdict\n"
            "    for _ in range(200)\n"
            "]"
        ),
        *exercise(
            lang,
            solved,
            "share = None  # " + T(lang, "part des verdicts rise ou fall", "share of rise or fall"),
            'share = sum(v in ("rise", "fall") for v in verdicts) / len(verdicts)\nshare',
            "training.check_false_alarm_share(share, verdicts, language)",
        ),
        md(
            T(
                lang,
                "## Quarante KPI à la fois\n\nUn rapport teste une quarantaine de KPI. Si "
                "chacun a 5 % de risque d'être déclaré significatif sans raison, presque "
                "chaque mois en aura au moins un. C'est pourquoi les p-values d'un même "
                "tableau sont **ajustées ensemble** (procédure de Benjamini–Hochberg, colonne "
                "`p_adjusted`) : en moyenne, au plus 5 % des évolutions déclarées "
                "significatives sont dues au hasard. Ci-dessous, 200 mois simulés de 40 KPI "
                "qui ne changent pas.",
                "## Forty KPIs at once\n\nA report tests some forty KPIs. If each has a 5 % "
                "risk of being called significant for no reason, nearly every month will have "
                "at least one. That is why the p-values of one table are **adjusted together** "
                "(Benjamini–Hochberg procedure, column `p_adjusted`): on average, at most 5 % "
                "of the changes called significant are due to chance. Below, 200 simulated "
                "months of 40 KPIs that do not change.",
            )
        ),
        code("training.many_kpis_noise(n_kpis=40, n_months=200, lang=language)"),
        md(
            T(
                lang,
                "## Exercice 2 : quels objectifs sont « dans le bruit » ?\n\nLe **changement "
                "minimal détectable** (`mdc`) est le plus petit changement que la période "
                "suivante pourrait montrer, aux volumes actuels. Un objectif non atteint dont "
                "l'écart est plus petit ne pourra pas être vu atteint : il faut le revoir ou "
                "accumuler plus de données (trimestre plutôt que mois).",
                "## Exercise 2: which targets are 'within noise'?\n\nThe **minimum detectable "
                "change** (`mdc`) is the smallest change the next period could show at current "
                "volumes. A target not met whose gap is smaller cannot be seen to be reached: "
                "revise it, or gather more data (a quarter rather than a month).",
            )
        ),
        code("realism = target_realism(table.query(\"platform == 'all'\"))\nrealism"),
        *exercise(
            lang,
            solved,
            "noisy = set()  # " + T(lang, "ids de KPI", "KPI ids"),
            'noisy = set(realism.loc[~realism["met"].fillna(False).astype(bool)\n'
            '                        & ~realism["detectable"].fillna(True).astype(bool), "kpi"])\n'
            "noisy",
            "training.check_within_noise(noisy, realism, language)",
        ),
        md(
            T(
                lang,
                "## Alertes du mois\n\nChaque jour est comparé à une référence des 8 semaines "
                "précédentes qui tient compte du jour de la semaine ; le seuil vise au plus "
                "une fausse alerte par mois. Les annotations du client expliquent souvent les "
                "épisodes (campagne, bad buzz).",
                "## Alerts of the month\n\nEach day is checked against a baseline of the 8 "
                "previous weeks that knows the day of the week; the threshold allows at most "
                "one false alarm a month. The client's annotations often explain the episodes "
                "(campaign, bad buzz).",
            )
        ),
        code("dash.alerts()"),
    ]


NOTEBOOKS = {
    "01": ("qu_est_ce_qu_un_kpi", "what_is_a_kpi", nb1),
    "02": ("objectifs_et_cibles", "objectives_and_targets", nb2),
    "03": ("lire_un_tableau_de_bord", "reading_a_dashboard", nb3),
    "04": ("ce_changement_est_il_reel", "is_this_change_real", nb4),
}


def main() -> None:
    for lang in ("fr", "en"):
        for num, (name_fr, name_en, build) in NOTEBOOKS.items():
            name = f"{num}_{name_fr if lang == 'fr' else name_en}.ipynb"
            for solved, folder in (
                (False, ROOT / "notebooks" / "training" / lang),
                (True, ROOT / "notebooks" / "training" / lang / "solutions"),
            ):
                folder.mkdir(parents=True, exist_ok=True)
                nb = nbf.v4.new_notebook()
                nb.cells = build(lang, solved)
                for i, cell in enumerate(nb.cells):  # stable ids: regenerating changes nothing
                    cell["id"] = f"cell-{i:02d}"
                nb.metadata["kernelspec"] = {
                    "name": "python3",
                    "display_name": "Python 3",
                    "language": "python",
                }
                nb.metadata["language_info"] = {"name": "python"}
                nbf.write(nb, folder / name)


if __name__ == "__main__":
    main()
