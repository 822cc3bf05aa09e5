import pandas as pd
import pytest

from kpi_notebook_lib import ParameterError, SettingsError, open_workspace


def test_three_lines_from_a_notebook(tiny_workspace):
    ws = open_workspace(tiny_workspace)
    c = ws.client("acme")
    table = c.kpis(period="2026-10", compare_to="previous")
    assert {
        "client",
        "platform",
        "period",
        "kpi",
        "value",
        "previous_value",
        "change",
        "change_pct",
        "target",
        "status",
    } <= set(table.columns)
    assert c.latest_full_period().label == "2026-10"
    assert c.settings.language == "fr" and c.brand == "acme"
    assert c.comments("2026-10")["text"].tolist() == ["La portée progresse ; l'engagement recule."]


@pytest.mark.parametrize(
    "yml, fragment",
    [
        ("name: X\nlanguage: de\n", "language"),
        ("name: X\ntimezone: Paris\n", "IANA time zone"),
        ("name: X\nprimary_kpis: [reach, reech]\n", "unknown KPI id(s) ['reech']"),
        ("name: X\nlangauge: fr\n", "langauge: unknown setting (misspelled?)"),
        ("name: X\nbranding: {primary_color: red}\n", "colour like #1f4e79"),
        ("name: X\ncompetitors: [{id: ../evil, name: E}]\n", "client id made of"),
        ("- just\n- a list\n", "expected a mapping"),
        ("name: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
    ],
)
def test_settings_errors_are_clear(tiny_workspace, yml, fragment):
    (tiny_workspace / "clients" / "acme" / "client.yml").write_text(yml, "utf-8")
    with pytest.raises(SettingsError) as err:
        open_workspace(tiny_workspace).client("acme")
    assert fragment in str(err.value) and "client.yml" in str(err.value)


def test_all_settings_problems_are_reported_together(tiny_workspace):
    (tiny_workspace / "clients" / "acme" / "client.yml").write_text(
        "name: X\nlanguage: de\ntimezone: Nowhere\n", "utf-8"
    )
    with pytest.raises(SettingsError) as err:
        open_workspace(tiny_workspace).client("acme")
    assert len(err.value.problems) == 2


@pytest.mark.parametrize("cid", ["../acme", "/etc", "Acme", "ac me", "nobody", "a\0b"])
def test_unknown_or_unsafe_client(tiny_workspace, cid):
    with pytest.raises(ParameterError, match="client"):
        open_workspace(tiny_workspace).client(cid)


def test_period_without_data_is_refused(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    with pytest.raises(ParameterError, match="a period with data for acme"):
        c.kpis("2024-10")
    with pytest.raises(ParameterError, match="compare_to"):
        c.kpis("2026-10", "yesterday")


def test_bad_targets_file(tiny_workspace):
    (tiny_workspace / "clients" / "acme" / "targets.csv").write_text(
        "kpi,platform,period,target\nreech,all,month,1\nreach,all,2026-13,x\n", "utf-8"
    )
    c = open_workspace(tiny_workspace).client("acme")
    with pytest.raises(SettingsError) as err:
        c.targets  # noqa: B018
    msg = str(err.value)
    assert "row 2, column 'kpi': unknown KPI 'reech'" in msg
    assert "row 3, column 'period'" in msg and "row 3, column 'target': 'x'" in msg


def test_workspace_must_exist(tmp_path):
    with pytest.raises(ParameterError, match="clients/ folder"):
        open_workspace(tmp_path)


def test_tables_are_shared_within_a_process_until_an_input_changes(tiny_workspace):
    from kpi_notebook_lib.workspace import open_workspace

    a = open_workspace(tiny_workspace).client("acme").kpis("2026-10")
    b = open_workspace(tiny_workspace).client("acme").kpis("2026-10")
    pd.testing.assert_frame_equal(a, b)
    b.loc[:, "value"] = 0  # a caller's edit never leaks into the shared table
    c = open_workspace(tiny_workspace).client("acme").kpis("2026-10")
    pd.testing.assert_frame_equal(a, c)
    # a new target is seen at once
    targets = tiny_workspace / "clients" / "acme" / "targets.csv"
    targets.write_text(targets.read_text("utf-8") + "reach,all,month,123\n", "utf-8")
    d = open_workspace(tiny_workspace).client("acme").kpis("2026-10")
    reach = d[(d["kpi"] == "reach") & (d["platform"] == "all")]["target"].iloc[0]
    assert reach == 123
