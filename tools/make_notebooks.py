"""Write the objective notebooks and the dashboard notebook of notebooks/ (run from the repo root).

The notebooks are thin and share one layout (parameters, validation, then the four phases of
the method); writing them from this one description keeps them consistent. Edit here, run
``python tools/make_notebooks.py``, commit the notebooks (without outputs).
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

from kpi_notebook_lib._stats_blocks import ALERT_SERIES

ROOT = Path(__file__).resolve().parents[1]
PARAMETERS = """\
workspace: str = "../data_samples"  # workspace folder (holds clients/)
client: str = "boulangerie-dupont"  # client id, a folder of clients/
period = None  # type: Optional[str] — 2026-10, 2026-W43 or 2026-Q3; None: latest full month
compare_to: str = "previous"  # previous | last_year
language = None  # type: Optional[str] — fr | en; None: the client's language"""

TITLES = {
    "visibility": ("Visibilité", "Visibility"),
    "acquisition": ("Acquisition", "Acquisition"),
    "engagement": ("Engagement", "Engagement"),
    "tone": ("Tonalité", "Tone"),
    "recommendation": ("Recommandation", "Recommendation"),
    "leads_sales": ("Leads et ventes", "Leads & sales"),
    "customer_service": ("Service client", "Customer service"),
}
# Analysis blocks beyond the KPI table and trends, per objective.
EXTRA = {
    "visibility": [
        'sec.breakdown("platform")',
        (
            "Concurrents : données publiques comparées",
            "Competitors: public figures compared",
            "sec.benchmarks()",
        ),
        'sec.breakdown("format", kpi="reach")',
        ("Meilleures publications (portée)", "Top posts (reach)", "sec.top_posts()"),
        ("Publications les moins vues", "Flop posts (reach)", "sec.top_posts(flop=True)"),
    ],
    "acquisition": [
        'sec.breakdown("platform", kpi="net_new_followers")',
        (
            "Publications qui amènent le plus de clics",
            "Posts bringing most clicks",
            "sec.top_posts()",
        ),
    ],
    "engagement": [
        'sec.breakdown("platform", kpi="engagement_rate_reach")',
        'sec.breakdown("format", kpi="engagement_rate_reach")',
        (
            "Meilleures publications (taux d'engagement)",
            "Top posts (engagement rate)",
            "sec.top_posts()",
        ),
        (
            "Publications les moins engageantes",
            "Flop posts (engagement rate)",
            "sec.top_posts(flop=True)",
        ),
    ],
    "tone": [
        'sec.breakdown("platform", kpi="net_sentiment")',
        ("Tonalité par marque (concurrents)", "Tone by brand (competitors)", "sec.tone_by_brand()"),
        ("Mentions les plus négatives", "Most negative mentions", 'sec.top_mentions("negative")'),
        ("Mentions les plus positives", "Most positive mentions", 'sec.top_mentions("positive")'),
        ("Thèmes des mentions négatives", "Themes of negative mentions", "sec.themes()"),
        (
            "Exactitude de l'analyse de tonalité",
            "Accuracy of the tone scoring",
            "sec.tone_accuracy()",
        ),
    ],
    "recommendation": [
        'sec.breakdown("platform", kpi="virality_rate")',
        ("Ambassadeurs", "Ambassadors", "sec.ambassadors()"),
        ("Publications les plus partagées", "Most shared posts", "sec.top_posts()"),
    ],
    "leads_sales": [
        'sec.breakdown("platform", kpi="leads")',
        'sec.breakdown("platform", kpi="revenue")',
    ],
    "customer_service": [
        'sec.breakdown("platform", kpi="response_rate")',
        ("Messages restés sans réponse", "Unanswered messages", "sec.unanswered()"),
    ],
}


def code(src: str, *tags: str) -> nbf.NotebookNode:
    return nbf.v4.new_code_cell(src, metadata={"tags": list(tags)} if tags else {})


def md(src: str, *tags: str) -> nbf.NotebookNode:
    return nbf.v4.new_markdown_cell(src, metadata={"tags": list(tags)} if tags else {})


def notebook(cells: list) -> nbf.NotebookNode:
    nb = nbf.v4.new_notebook()
    for i, cell in enumerate(cells):  # stable ids: regenerating changes nothing
        cell["id"] = f"cell-{i:02d}"
    nb.cells = cells
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def objective_notebook(objective: str) -> nbf.NotebookNode:
    fr, en = TITLES[objective]
    intro = (
        f"# {en} / {fr}\n\n"
        f"KPIs of the **{en.lower()}** objective for one client and one period, in the four "
        "phases of the method: analysis, interpretation, reaction, decision. Runs top to "
        "bottom with its defaults on `data_samples/`; run it for another client or period "
        "with papermill:\n\n"
        f"```bash\npapermill notebooks/{objective}.ipynb out.ipynb "
        "-p client threadline-fashion -p period 2026-09\n```\n\n"
        "Cells tagged `remove-input` show their output only in the client report; this "
        "introduction is tagged `remove-cell`."
    )
    cells = [
        md(intro, "remove-cell"),
        code(PARAMETERS, "parameters"),
        code(
            "from kpi_notebook_lib.sections import open_section\n\n"
            f'sec = open_section(workspace, client, period, "{objective}", compare_to, '
            "language)",
            "remove-input",
        ),
        code("sec.header()", "remove-input", "section-start"),
        code('sec.phase("analysis")', "remove-input"),
        code("sec.kpi_table()", "remove-input"),
        code("sec.trends()", "remove-input"),
        code(
            'sec.subheading("Objectifs et seuil de détection", "Targets and detection threshold")',
            "remove-input",
        ),
        code("sec.targets()", "remove-input"),
    ]
    if ALERT_SERIES[objective]:
        cells.append(code('sec.subheading("Alertes", "Alerts")', "remove-input"))
        cells.append(code("sec.alerts()", "remove-input"))
    for block in EXTRA[objective]:
        if isinstance(block, tuple):
            t_fr, t_en, call = block
            cells.append(code(f'sec.subheading("{t_fr}", "{t_en}")', "remove-input"))
            cells.append(code(call, "remove-input"))
        else:
            cells.append(code(block, "remove-input"))
    for phase, call in (
        ("interpretation", "sec.interpretation()"),
        ("reaction", "sec.reactions()"),
        ("decision", "sec.decision()"),
    ):
        cells.append(code(f'sec.phase("{phase}")', "remove-input"))
        cells.append(code(call, "remove-input"))
    return notebook(cells)


def dashboard_notebook() -> nbf.NotebookNode:
    intro = (
        "# Dashboard / Tableau de bord\n\n"
        "The client's primary KPIs (at most ten, from `client.yml`) with status, change, "
        "target and a small trend each, then a zoom on each KPI: its trend with the client's "
        "annotations and its value by platform."
    )
    cells = [
        md(intro, "remove-cell"),
        code(PARAMETERS, "parameters"),
        code(
            "from kpi_notebook_lib.sections import open_dashboard\n\n"
            "dash = open_dashboard(workspace, client, period, compare_to, language)",
            "remove-input",
        ),
        code("dash.header()", "remove-input", "section-start"),
        code("dash.cards()", "remove-input"),
        code('dash.subheading("Alertes de la période", "Alerts of the period")', "remove-input"),
        code("dash.alerts()", "remove-input"),
        code(
            'dash.subheading("Objectifs en cours : projection", "Targets in progress: pacing")',
            "remove-input",
        ),
        code("dash.pacing()", "remove-input"),
        code(
            'dash.subheading("Objectifs et seuil de détection", "Targets and detection threshold")',
            "remove-input",
        ),
        code("dash.targets()", "remove-input"),
    ]
    cells.append(code("dash.zooms()", "remove-input"))
    return notebook(cells)


def appendix_notebook() -> nbf.NotebookNode:
    intro = (
        "# Methods and sources / Méthodes et sources\n\n"
        "The report's appendix: every KPI's definition, formula, aggregation and source, the "
        "engagement mapping per platform, and the provenance of the data (files, hashes, "
        "export dates)."
    )
    return notebook(
        [
            md(intro, "remove-cell"),
            code(PARAMETERS, "parameters"),
            code(
                "from kpi_notebook_lib.sections import open_appendix\n\n"
                "appx = open_appendix(workspace, client, period, compare_to, language)",
                "remove-input",
            ),
            code("appx.header()", "remove-input", "section-start"),
            code("appx.methods()", "remove-input"),
            code('appx.subheading("Statistiques", "Statistics")', "remove-input"),
            code("appx.statistics()", "remove-input"),
            code("appx.provenance()", "remove-input"),
        ]
    )


def main() -> None:
    out = ROOT / "notebooks"
    for objective in TITLES:
        nbf.write(objective_notebook(objective), out / f"{objective}.ipynb")
    nbf.write(dashboard_notebook(), out / "dashboard.ipynb")
    nbf.write(appendix_notebook(), out / "appendix.ipynb")


if __name__ == "__main__":
    main()
