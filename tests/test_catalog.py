import pytest

from kpi_notebook_lib import CatalogError, get_catalog
from kpi_notebook_lib.catalog import AGGREGATIONS, OBJECTIVES, load_catalog


def test_catalog_covers_every_objective():
    cat = get_catalog()
    for o in OBJECTIVES:
        assert cat.for_objective(o), o


@pytest.mark.parametrize("kpi", list(get_catalog()))
def test_every_kpi_is_complete(kpi):
    k = get_catalog()[kpi]
    assert k.label_fr and k.label_en and k.description_fr and k.description_en
    assert k.aggregation in AGGREGATIONS
    assert get_catalog().sources[k.source]
    assert k.tables  # the formula reads at least one table


def test_required_kpis_are_there():
    required = {
        "impressions",
        "reach",
        "views",
        "link_clicks",
        "ctr",
        "frequency",
        "share_of_voice",
        "followers",
        "net_new_followers",
        "follower_growth_rate",
        "leads",
        "conversion_rate",
        "cost_per_lead",
        "reactions",
        "comments",
        "shares",
        "saves",
        "interactions",
        "engagement_rate_reach",
        "engagement_rate_impressions",
        "engagement_rate_followers",
        "applause_rate",
        "conversation_rate",
        "amplification_rate",
        "mentions",
        "positive_mentions",
        "neutral_mentions",
        "negative_mentions",
        "positive_share",
        "negative_share",
        "net_sentiment",
        "net_sentiment_pct",
        "avg_compound",
        "unscored_share",
        "virality_rate",
        "ambassadors",
        "sales",
        "revenue",
        "roi",
        "response_rate",
        "median_response_time",
    }
    assert required <= set(get_catalog())


def test_engagement_mapping_is_explicit_for_every_platform():
    from kpi_notebook_lib.schema import PLATFORMS

    assert set(get_catalog().engagement) == set(PLATFORMS)
    assert "saves" in get_catalog().engagement["x"]  # bookmarks


@pytest.mark.parametrize(
    "formula, message",
    [
        ("__import__('os')", "calls __import__() wrongly"),
        ("reach.real", "only + - * /"),
        ("reech", "not a base measure"),
        ("ratio(reach, followers)", "takes post columns"),
        ("reach **", "not a valid expression"),
    ],
)
def test_formulas_are_checked_not_executed(formula, message):
    text = (
        "engagement: {}\nsources: {s: S}\nkpis:\n"
        f"  - {{id: k, label_fr: K, label_en: K, objective: visibility, level: strategic, "
        f"nature: quantitative, unit: count, higher_is_better: true, aggregation: sum, "
        f'formula: "{formula}", source: s}}\n'
    )
    with pytest.raises(CatalogError, match="invalid") as err:
        load_catalog(text)
    assert message in str(err.value)


def test_unknown_kpi_error_lists_ids():
    with pytest.raises(CatalogError, match="but 'reech' was passed"):
        get_catalog()["reech"]


def test_sources_are_a_text_or_one_per_language():
    base = (
        "engagement: {}\nkpis:\n"
        "  - {id: k, label_fr: K, label_en: K, objective: visibility, level: strategic, "
        "nature: quantitative, unit: count, higher_is_better: true, aggregation: sum, "
        "formula: reach, source: s}\n"
    )
    one = load_catalog("sources: {s: Same text}\n" + base)
    assert one.source("k", "fr") == one.source("k", "en") == "Same text"
    two = load_catalog("sources: {s: {en: English, fr: Français}}\n" + base)
    assert (two.source("k", "fr"), two.source("k", "en")) == ("Français", "English")
    with pytest.raises(CatalogError, match=r"sources\.s: must be a text or a mapping"):
        load_catalog("sources: {s: {en: English only}}\n" + base)
