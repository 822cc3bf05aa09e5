"""Header alias tables."""

from __future__ import annotations

import pytest

from kpi_notebook_lib.exceptions import ImportFormatError
from kpi_notebook_lib.io.aliases import (
    alias_kinds,
    load_aliases,
    normalize_header,
    resolve_header,
)
from kpi_notebook_lib.schema import TABLES

PLATFORM_TABLES = ("x", "facebook", "instagram", "meta", "linkedin", "youtube", "tiktok", "ga4")


def test_normalize_header():
    assert normalize_header("  Portée\u00a0 ") == normalize_header("portee")
    assert normalize_header("J’aime") == "j'aime"
    assert normalize_header('"Post ID"') == "post id"


@pytest.mark.parametrize("platform", PLATFORM_TABLES)
def test_every_table_loads_and_canonical_fields_exist(platform):
    canonical = {c for t in TABLES.values() for c in t.names}
    for kind in alias_kinds(platform):
        table = load_aliases(platform, kind)
        assert table.lookup, (platform, kind)
        # a field is either canonical or a helper the importer handles by name
        for field in table.fields:
            assert field in canonical or field.isidentifier()


def test_french_headers_are_known_as_french():
    table = load_aliases("facebook", "posts")
    res = resolve_header(["Identifiant de la publication", "Portée", "Heure de publication"], table)
    assert res.french and res.columns["reach"] == [1]
    assert not resolve_header(["Post ID", "Reach"], table).french


def test_user_alias_wins_and_only_for_its_kind():
    extra = {"facebook": {"Couverture des publications": "reach", "Foo": "not_a_field"}}
    table = load_aliases("facebook", "posts", extra)
    assert table.field_of("couverture des publications") == "reach"
    assert table.field_of("Foo") is None


def test_missing_required_column_error():
    table = load_aliases("ga4", "export")
    with pytest.raises(ImportFormatError) as err:
        resolve_header(["Jour", "Sessions"], table, required=["date"], file="ga.csv", row=9)
    msg = str(err.value)
    assert msg.startswith("ga.csv, row 9:")
    assert "'Date'" in msg and "'Jour'" in msg and "ga4:" in msg and ": date" in msg
