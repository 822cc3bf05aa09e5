"""Every notebook runs under papermill and renders as a client report without code."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_a_parameters_cell_and_no_outputs(path):
    nb = json.loads(path.read_text("utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0].get("metadata", {}).get("tags", []), (
        f"{path.name}: the first code cell must be tagged `parameters`"
    )
    assert all(not c.get("outputs") for c in code), f"{path.name} is committed with outputs"
    for c in code:
        src = "".join(c["source"])
        assert "\ndef " not in "\n" + src and "\nclass " not in "\n" + src, (
            f"{path.name}: logic belongs in the library, not in notebooks"
        )


def test_kpi_table_notebook_runs_and_renders(tiny_workspace, tmp_path):
    import papermill as pm
    from nbconvert import HTMLExporter

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "kpi_table.ipynb"),
        str(out),
        parameters={"workspace": str(tiny_workspace), "client": "acme", "period": "2026-10"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(ROOT / "notebooks"),
    )
    exporter = HTMLExporter(
        extra_template_basedirs=[str(ROOT / "templates")], template_name="kpi_report"
    )
    html, _ = exporter.from_filename(str(out))
    assert "Acme Boulangerie — octobre 2026" in html
    assert "3\u202f900" in html  # impressions, French format
    assert "dans l&#39;objectif" in html or "dans l'objectif" in html
    assert "from kpi_notebook_lib" not in html and "open_workspace" not in html
    assert "Traceback" not in html
