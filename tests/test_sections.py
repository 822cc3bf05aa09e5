import matplotlib

matplotlib.use("Agg")

import pytest

from kpi_notebook_lib import ParameterError
from kpi_notebook_lib.catalog import OBJECTIVES
from kpi_notebook_lib.sections import open_section


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_every_section_renders(tiny_workspace, objective):
    sec = open_section(str(tiny_workspace), "acme", "2026-10", objective)
    assert sec.lang == "fr" and sec.period.label == "2026-10"
    table = sec.kpi_table()
    for k in sec.kpis:
        assert f'data-kpi="{k}"' in table
    assert sec.interpretation().startswith('<ul class="interpretation">')
    assert sec.reactions() and sec.decision()
    assert sec.trends().startswith('<figure class="chart"><img src="data:image/png;base64,')


def test_engagement_section_numbers_and_escaping(tiny_workspace):
    sec = open_section(str(tiny_workspace), "acme", "2026-10", "engagement", language="en")
    assert "3,900" not in sec.kpi_table()  # impressions belong to visibility
    top = sec.top_posts(n=10)
    assert "Le pétrin" in top and "HYPERLINK" not in top  # x1 has no reach: no rate to rank
    data = sec.breakdown_data("format", kpi="engagement_rate_reach").set_index("group")
    # engagement rate by reach per format, over the posts reporting reach (x1 has none)
    assert data.loc["image", "value"] == pytest.approx(55 / 800)
    assert data.loc["link", "value"] == pytest.approx(10 / 400)
    assert data.loc["reel", "value"] == pytest.approx(160 / 1500)
    assert data.loc["text", "value"] == 0  # fb6: no interaction on 100 reached (x1: no reach)
    assert "<figure" in sec.breakdown("format", kpi="engagement_rate_reach")
    assert "La portée progresse ; l&#x27;engagement recule." in sec.decision()


def test_captions_are_escaped(tiny_workspace):
    sec = open_section(str(tiny_workspace), "acme", "2026-10", "recommendation")
    top = sec.top_posts(n=10)  # ranked by shares: x1 (1 share) is listed
    assert "=HYPERLINK(&quot;http://x&quot;)" in top


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"client": "nobody"}, "client"),
        ({"period": "2026-13"}, "period"),
        ({"period": "2019-01"}, "period"),
        ({"compare_to": "yesterday"}, "compare_to"),
        ({"language": "de"}, "language"),
        ({"objective": "fame"}, "objective"),
    ],
)
def test_bad_parameters_stop_before_any_work(tiny_workspace, kwargs, name):
    params = {
        "workspace": str(tiny_workspace),
        "client": "acme",
        "period": "2026-10",
        "objective": "engagement",
    } | kwargs
    with pytest.raises(ParameterError, match=f"`{name}`"):
        open_section(**params)


def test_appendix_methods_speak_the_report_language(tiny_workspace):
    from kpi_notebook_lib.catalog import get_catalog
    from kpi_notebook_lib.sections import open_appendix

    cat = get_catalog()
    fr = open_appendix(str(tiny_workspace), "acme", "2026-10").methods()
    assert "rapport des sommes" in fr and "somme sur la période" in fr
    assert "ratio_of_sums" not in fr
    assert "L&#x27;article de méthode du projet" in fr
    assert "The project&#x27;s method article" not in fr
    en = open_appendix(str(tiny_workspace), "acme", "2026-10", language="en").methods()
    assert "ratio of sums" in en and "The project&#x27;s method article" in en
    # every reference exists in both languages
    for key, ref in cat.sources.items():
        assert ref["fr"] and ref["en"], key
