"""Every notebook runs under papermill on the sample workspace, in French and in English, and
renders as a client report without code; the HTML holds the values the library computes."""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil

import nbformat
import pandas as pd
import papermill as pm
import pytest
from conftest import ROOT

from kpi_notebook_lib import open_workspace
from kpi_notebook_lib.catalog import get_catalog
from kpi_notebook_lib.formatting import format_value
from kpi_notebook_lib.report import REPORT_PARTS, build_report, render_html

NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))
TRAINING = sorted((ROOT / "notebooks" / "training").rglob("*.ipynb"))
HOSTILE_TEXT = (
    "HORRIBLE arnaque, je déteste, nul nul nul !!! <script>alert('pwned')</script> "
    "<img src=x onerror=alert(1)> javascript:alert(2)"
)
HOSTILE_AUTHOR = "<b onmouseover=alert(3)>troll</b>"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_has_a_parameters_cell_and_no_outputs(path):
    nb = json.loads(path.read_text("utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0].get("metadata", {}).get("tags", []), (
        f"{path.name}: the first code cell must be tagged `parameters`"
    )
    assert all(not c.get("outputs") for c in code), f"{path.name} is committed with outputs"
    for c in code:
        src = "\n" + "".join(c["source"])
        assert "\ndef " not in src and "\nclass " not in src, (
            f"{path.name}: logic belongs in the library, not in notebooks"
        )


def test_a_notebook_without_parameters_cannot_be_assembled(tmp_path):
    from kpi_notebook_lib import ParameterError
    from kpi_notebook_lib.report import compose

    for part in REPORT_PARTS:
        shutil.copy(ROOT / "notebooks" / f"{part}.ipynb", tmp_path)
    nb = nbformat.read(tmp_path / "tone.ipynb", as_version=4)
    for cell in nb.cells:
        cell.metadata["tags"] = [t for t in cell.metadata.get("tags", []) if t != "parameters"]
    nbformat.write(nb, tmp_path / "tone.ipynb")
    with pytest.raises(ParameterError, match=r"parameters of tone\.ipynb"):
        compose(tmp_path)


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory):
    """A copy of the sample workspace, ingested, with a hostile mention, caption and author."""
    root = tmp_path_factory.mktemp("ws")
    shutil.copytree(ROOT / "data_samples" / "clients", root / "clients")
    hostile = root / "clients" / "boulangerie-dupont" / "exports" / "listening" / "hostile.csv"
    pd.DataFrame(
        {
            "platform": ["facebook"] * 3,
            "mention_id": ["hostile-1", "hostile-2", "hostile-3"],
            "published_at": ["2026-10-14T09:00:00+00:00", "2026-10-15T09:00:00+00:00",
                             "2026-10-16T09:00:00+00:00"],
            "author": [HOSTILE_AUTHOR] * 3,
            "author_followers": [10, 10, 10],
            "text": [HOSTILE_TEXT] * 3,
            "lang": ["fr"] * 3,
            "brand": ["boulangerie-dupont"] * 3,
            "kind": ["mention"] * 3,
            "addresses_brand": ["true"] * 3,
        }
    ).to_csv(hostile, index=False)
    report = open_workspace(root).ingest()
    assert report.ok and report.quarantine.empty
    return root


def _visible_text(html: str) -> str:
    body = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    body = re.sub(r'src="data:[^"]+"', "", body)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def _check_report_html(html: str, ws, client: str, lang: str) -> None:
    c = open_workspace(ws).client(client)
    p = c.latest_full_period()
    table = c.kpis(p, "previous")
    cat = get_catalog()
    text = _visible_text(html)
    # the values the library computes, formatted for the locale, are in the report
    for kpi in c.settings.primary_kpis:
        row = table[(table.kpi == kpi) & (table.platform == "all")].iloc[0]
        shown = format_value(row.value, cat[kpi].unit, lang, currency=c.settings.currency)
        assert shown in text, (kpi, shown)
    # no code, no traceback, no prompt
    assert "open_section" not in html and "from kpi_notebook_lib" not in html
    assert "Traceback" not in text and "Error" not in text.split()
    assert not re.search(r'class="[^"]*\bjp-InputArea\b', html)
    assert "<script" not in html.lower()


@pytest.mark.parametrize(("client", "lang"), [("boulangerie-dupont", "fr"),
                                              ("threadline-fashion", "en")])
def test_report_in_both_languages(sample_ws, client, lang):
    formats = ("html", "pdf") if lang == "fr" else ("html",)
    out = build_report(sample_ws, client, None, formats=formats)
    html = out["html"].read_text("utf-8")
    _check_report_html(html, sample_ws, client, lang)
    assert f'<html lang="{lang}">' in html
    period = open_workspace(sample_ws).client(client).latest_full_period().label
    assert out["html"] == sample_ws / "reports" / client / period / "report.html"
    if lang == "fr":
        assert "Rapport de performance social media" in html and "Sommaire" in html
        assert out["pdf"].read_bytes().startswith(b"%PDF")
        assert out["pdf"].stat().st_size > 50_000
    else:
        assert "Social media performance report" in html and "Contents" in html


def test_hostile_mention_is_inert(sample_ws):
    client = "boulangerie-dupont"
    period = open_workspace(sample_ws).client(client).latest_full_period().label
    path = sample_ws / "reports" / client / period / "report.html"
    if not path.exists():
        build_report(sample_ws, client, None, formats=("html",))
    html = path.read_text("utf-8")
    # shown, escaped, as text
    assert "&lt;script&gt;alert(" in html and "pwned" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b onmouseover=alert(3)&gt;troll&lt;/b&gt;" in html
    # never as markup
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<b onmouseover" not in html and 'href="javascript:' not in html


@pytest.mark.parametrize("part", REPORT_PARTS)
def test_each_notebook_runs_alone_in_the_other_language(sample_ws, tmp_path, part):
    out = tmp_path / f"{part}.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / f"{part}.ipynb"), str(out),
        parameters={"workspace": str(sample_ws), "client": "boulangerie-dupont",
                    "language": "en"},
        kernel_name="python3", progress_bar=False, cwd=str(ROOT / "notebooks"),
    )
    html = render_html(nbformat.read(out, as_version=4), templates_dir=ROOT / "templates")
    assert "Traceback" not in html and "open_section" not in html
    text = _visible_text(html)
    if part == "engagement":
        c = open_workspace(sample_ws).client("boulangerie-dupont")
        t = c.kpis(c.latest_full_period())
        row = t[(t.kpi == "engagement_rate_reach") & (t.platform == "all")].iloc[0]
        assert format_value(row.value, "percent", "en") in text
        assert "Engagement rate (by reach)" in text


@pytest.mark.parametrize("path", TRAINING, ids=lambda p: str(p.relative_to(ROOT)))
def test_training_notebooks(sample_ws, tmp_path, path):
    out = tmp_path / path.name
    params = {"workspace": str(sample_ws)}
    solved = path.parent.name == "solutions"
    if solved:
        pm.execute_notebook(str(path), str(out), parameters=params, kernel_name="python3",
                            progress_bar=False, cwd=str(path.parent))
        return
    with pytest.raises(pm.PapermillExecutionError):
        pm.execute_notebook(str(path), str(out), parameters=params, kernel_name="python3",
                            progress_bar=False, cwd=str(path.parent))
    nb = nbformat.read(out, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if "raises-exception" in cell.metadata.get("tags", []):
            # an unanswered exercise: the self-check explains what to do
            assert errors and errors[0].ename == "AssertionError" and errors[0].evalue
        else:
            assert not errors, (path.name, cell.source)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"workspace": "w", "client": "c", "perod": "2026-10", "compare_to": "previous"},
         "`parameter name` must be one of workspace, client, period"),
        ({"workspace": "w", "client": "c", "period": 202610, "compare_to": "previous"},
         "`period` must be a str"),
        ({"workspace": "w", "client": "c\nimport os", "compare_to": "previous"},
         "single-line"),
        ({"workspace": "w", "compare_to": "previous"}, "to include client"),
    ],
)
def test_parameters_are_whitelisted_before_any_work(params, fragment):
    from kpi_notebook_lib import ParameterError
    from kpi_notebook_lib.report import check_parameters

    with pytest.raises(ParameterError) as err:
        check_parameters(params)
    assert fragment in str(err.value)


def test_report_refuses_unknown_client_and_bad_period(sample_ws):
    from kpi_notebook_lib import ParameterError

    with pytest.raises(ParameterError, match="`client`"):
        build_report(sample_ws, "nobody", None)
    with pytest.raises(ParameterError, match="`period`"):
        build_report(sample_ws, "boulangerie-dupont", "2026-13")
    with pytest.raises(ParameterError, match="a period with data"):
        build_report(sample_ws, "boulangerie-dupont", "2019-01")
    with pytest.raises(ParameterError, match="`client`"):
        build_report(sample_ws, "../etc", None)


def test_report_files_are_swapped_in_whole(tmp_path):
    from kpi_notebook_lib.report import _publish

    out = tmp_path / "reports" / "acme" / "2026-10"
    out.mkdir(parents=True)
    (out / "kpis.csv").write_text("kept")
    (out / "report.html").write_text("old")
    _publish(out, {"report.html": b"new", "report.pdf": b"%PDF"})
    assert (out / "kpis.csv").read_text() == "kept"
    assert (out / "report.html").read_text() == "new"
    assert (out / "report.pdf").read_bytes() == b"%PDF"
    assert [p.name for p in out.parent.iterdir()] == ["2026-10"]  # no staging left behind
