"""The KPI catalog: one frozen definition per KPI, loaded from ``data/catalog.yml``.

Notebooks, reports and tests ask the catalog; nothing else defines a KPI. Example::

    >>> from kpi_notebook_lib import get_catalog
    >>> cat = get_catalog()
    >>> cat["engagement_rate_reach"].formula
    'ratio(interactions, reach)'
    >>> [k.id for k in cat.for_objective("tone")][:3]
    ['mentions', 'positive_mentions', 'neutral_mentions']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd
import yaml

from ._formula import Formula, parse_formula
from .exceptions import CatalogError
from .measures import MEASURES, POST_COLUMNS
from .schema import PLATFORMS

__all__ = [
    "AGGREGATIONS",
    "KPI",
    "LEVELS",
    "NATURES",
    "OBJECTIVES",
    "OBJECTIVE_LABELS",
    "TEST_KINDS",
    "UNITS",
    "Catalog",
    "TestSpec",
    "get_catalog",
    "load_catalog",
]

#: The seven objectives of the method, in report order.
OBJECTIVES: tuple[str, ...] = (
    "visibility",
    "acquisition",
    "engagement",
    "tone",
    "recommendation",
    "leads_sales",
    "customer_service",
)
OBJECTIVE_LABELS: dict[str, dict[str, str]] = {
    "visibility": {"fr": "Visibilité", "en": "Visibility"},
    "acquisition": {"fr": "Acquisition", "en": "Acquisition"},
    "engagement": {"fr": "Engagement", "en": "Engagement"},
    "tone": {"fr": "Tonalité", "en": "Tone"},
    "recommendation": {"fr": "Recommandation", "en": "Recommendation"},
    "leads_sales": {"fr": "Leads et ventes", "en": "Leads & sales"},
    "customer_service": {"fr": "Service client", "en": "Customer service"},
}
LEVELS = ("strategic", "operational")
NATURES = ("quantitative", "qualitative")
UNITS = ("count", "percent", "ratio", "currency", "hours", "per_1000")
#: Languages of the catalog's texts.
LANGS = ("fr", "en")
#: The aggregations a KPI can have, and how each reads in a report, per language.
AGGREGATION_LABELS = {
    "sum": {"fr": "somme sur la période", "en": "sum over the period"},
    "last": {"fr": "dernière valeur de la période", "en": "last value of the period"},
    "ratio_of_sums": {"fr": "rapport des sommes", "en": "ratio of sums"},
    "mean_of_ratios": {"fr": "moyenne par publication", "en": "mean per post"},
    "ratio": {"fr": "rapport", "en": "ratio"},
    "median": {"fr": "médiane", "en": "median"},
    "count": {"fr": "nombre sur la période", "en": "count over the period"},
}
AGGREGATIONS = tuple(AGGREGATION_LABELS)
DEFAULT_WATCH = 0.10

#: Kinds of significance test (see :mod:`kpi_notebook_lib.significance`).
TEST_KINDS = ("proportion", "ratio", "count", "values", "none")
TEST_UNITS = ("post", "mention", "day")


@dataclass(frozen=True)
class TestSpec:
    """How a KPI's period-over-period change is tested, on which units.

    Attributes
    ----------
    kind : {"proportion", "ratio", "count", "values", "none"}
        ``proportion``: Σnum successes out of Σden trials (two-proportion test);
        ``ratio``: Σnum / Σden over units (ratio of sums, cluster-robust);
        ``count``: daily counts (Poisson or negative-binomial rate test);
        ``values``: a mean or median of per-unit values (Mann–Whitney or Welch);
        ``none``: not tested, ``reason`` says why.
    unit : {"post", "mention", "day"}
        Units (see :mod:`kpi_notebook_lib.units`).
    num, den, value : str
        Unit columns. For ``values``, ``value`` or ``num``/``den`` (per-unit ratio).
    statistic : {"mean", "median"}
    method : {"mann_whitney", "welch"}
    scale : float or "kpi"
        Multiplies the estimate and interval into the KPI's unit (``kpi``: by the KPI's value
        over the statistic, for KPIs like mean(comments) / followers × 1000).
    offset : float
        Added after scaling: net sentiment (P − N) / (P + N) is ``2 × P / (P + N) − 1``.
    total : bool
        ``values`` over days for a KPI that is the period's total: the interval is scaled to
        the period's length.
    reason : str
    """

    __test__ = False  # not a pytest class

    kind: str
    unit: str = "day"
    num: str = ""
    den: str = ""
    value: str = ""
    statistic: str = "mean"
    method: str = "mann_whitney"
    scale: float | str = 1.0
    offset: float = 0.0
    total: bool = False
    reason: str = ""


@dataclass(frozen=True)
class KPI:
    """One KPI definition.

    Attributes
    ----------
    id : str
        Stable identifier (``engagement_rate_reach``).
    label_fr, label_en : str
        Labels shown in reports.
    objective : str
        Main objective (one of :data:`OBJECTIVES`); ``also_objectives`` lists others it serves.
    level : {"strategic", "operational"}
    nature : {"quantitative", "qualitative"}
    unit : {"count", "percent", "ratio", "currency", "hours", "per_1000"}
        ``percent`` values are fractions (0.045 is 4.5 %).
    higher_is_better : bool
    aggregation : str
        How it aggregates over a period (one of :data:`AGGREGATIONS`).
    formula : str
        Expression over base measures (:mod:`kpi_notebook_lib.measures`).
    source : str
        Where the formula comes from.
    importance : {"primary", "secondary"}
        Default importance; a client's ``primary_kpis`` overrides it.
    watch : float
        Relative tolerance below target still counted as "watch".
    """

    id: str
    label_fr: str
    label_en: str
    objective: str
    level: str
    nature: str
    unit: str
    higher_is_better: bool
    aggregation: str
    formula: str
    source: str
    description_fr: str = ""
    description_en: str = ""
    also_objectives: tuple[str, ...] = ()
    importance: str = "secondary"
    watch: float = DEFAULT_WATCH
    test: TestSpec | None = field(default=None, compare=False, repr=False)
    parsed: Formula | None = field(default=None, compare=False, repr=False)

    def label(self, lang: str = "en") -> str:
        """Label in ``lang`` (``fr`` or ``en``)."""
        return self.label_fr if lang == "fr" else self.label_en

    def description(self, lang: str = "en") -> str:
        """Description in ``lang``."""
        return self.description_fr if lang == "fr" else self.description_en

    @property
    def objectives(self) -> tuple[str, ...]:
        """Main objective first, then the others it serves."""
        return (self.objective, *self.also_objectives)

    @property
    def tables(self) -> set[str]:
        """Canonical tables its formula reads."""
        assert self.parsed is not None
        tables = {MEASURES[n].table for n in self.parsed.names}
        if self.parsed.calls:
            tables.add("posts")
        return tables


class Catalog(Mapping[str, KPI]):
    """All KPI definitions, in catalog order.

    Parameters
    ----------
    kpis : list of KPI
    engagement : dict
        Platform → engagement components (what counts as an interaction).
    sources : dict
        Source key → full reference per language (``{"en": ..., "fr": ...}``).
    """

    def __init__(
        self,
        kpis: list[KPI],
        engagement: dict[str, list[str]],
        sources: dict[str, dict[str, str]],
    ) -> None:
        self._kpis = {k.id: k for k in kpis}
        self.engagement = engagement
        self.sources = sources

    def source(self, kpi_id: str, lang: str = "en") -> str:
        """The reference behind a KPI's definition, in ``lang`` (``fr`` or ``en``)."""
        key = self[kpi_id].source
        ref = self.sources.get(key, {})
        return ref.get(lang) or ref.get("en") or key

    @staticmethod
    def aggregation_label(aggregation: str, lang: str = "en") -> str:
        """How an aggregation reads in a report (``ratio_of_sums`` -> ``rapport des sommes``)."""
        return AGGREGATION_LABELS.get(aggregation, {}).get(lang, aggregation)

    def __getitem__(self, kpi_id: str) -> KPI:
        try:
            return self._kpis[kpi_id]
        except KeyError:
            raise CatalogError(
                f"The KPI must be one of the catalog's ids ({', '.join(self._kpis)}), "
                f"but {kpi_id!r} was passed."
            ) from None

    def __contains__(self, kpi_id: object) -> bool:
        return kpi_id in self._kpis

    def __iter__(self) -> Iterator[str]:
        return iter(self._kpis)

    def __len__(self) -> int:
        return len(self._kpis)

    def select(self, ids: list[str] | None = None) -> list[KPI]:
        """KPIs by id (all when ``ids`` is None), checking every id."""
        if ids is None:
            return list(self._kpis.values())
        return [self[i] for i in ids]

    def for_objective(self, objective: str) -> list[KPI]:
        """KPIs serving ``objective`` (main objective first, then the ones it also serves)."""
        if objective not in OBJECTIVES:
            raise CatalogError(
                f"The objective must be one of {', '.join(OBJECTIVES)}, but {objective!r} was "
                "passed."
            )
        return [k for k in self._kpis.values() if objective in k.objectives]

    def to_frame(self) -> pd.DataFrame:
        """The catalog as a table (one row per KPI), e.g. for ``kpi catalog --format csv``."""
        rows = []
        for k in self._kpis.values():
            rows.append(
                {
                    "id": k.id,
                    "objective": k.objective,
                    "also_objectives": ",".join(k.also_objectives),
                    "level": k.level,
                    "nature": k.nature,
                    "unit": k.unit,
                    "higher_is_better": k.higher_is_better,
                    "aggregation": k.aggregation,
                    "importance": k.importance,
                    "label_fr": k.label_fr,
                    "label_en": k.label_en,
                    "formula": k.formula,
                    "description_en": k.description_en,
                    "description_fr": k.description_fr,
                    "source": self.source(k.id, "en"),
                    "source_fr": self.source(k.id, "fr"),
                }
            )
        return pd.DataFrame(rows)


_REQUIRED = (
    "id",
    "label_fr",
    "label_en",
    "objective",
    "level",
    "nature",
    "unit",
    "higher_is_better",
    "aggregation",
    "formula",
    "source",
)


def load_catalog(text: str | None = None) -> Catalog:
    """Parse and check a catalog (the packaged one when ``text`` is None).

    Every problem is collected and reported together.

    Raises
    ------
    CatalogError
    """
    if text is None:
        text = resources.files("kpi_notebook_lib").joinpath("data/catalog.yml").read_text("utf-8")
    # libyaml's parser when available: 4 ms instead of 38 ms for the catalog
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    problems: list[str] = []
    engagement = raw.get("engagement", {})
    for platform, parts in engagement.items():
        if platform not in PLATFORMS:
            problems.append(f"engagement: unknown platform {platform!r}")
        for p in parts:
            if p not in POST_COLUMNS or p == "interactions":
                problems.append(f"engagement.{platform}: {p!r} is not a post metric")
    sources = {}
    for key, ref in (raw.get("sources") or {}).items():
        if isinstance(ref, str):  # one text for both languages
            ref = {"en": ref, "fr": ref}
        if not isinstance(ref, dict) or not all(isinstance(ref.get(x), str) for x in LANGS):
            problems.append(f"sources.{key}: must be a text or a mapping with en and fr texts")
            continue
        sources[key] = {x: ref[x] for x in LANGS}
    kpis: list[KPI] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw.get("kpis", [])):
        where = f"kpis[{i}] ({entry.get('id', '?')})"
        missing = [f for f in _REQUIRED if f not in entry]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        for fld, allowed in (
            ("objective", OBJECTIVES),
            ("level", LEVELS),
            ("nature", NATURES),
            ("unit", UNITS),
            ("aggregation", AGGREGATIONS),
        ):
            if entry[fld] not in allowed:
                problems.append(f"{where}: {fld} must be one of {allowed}, not {entry[fld]!r}")
        for o in entry.get("also_objectives", []):
            if o not in OBJECTIVES:
                problems.append(f"{where}: unknown objective {o!r} in also_objectives")
        if entry["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(entry["id"])
        if entry["source"] not in sources:
            problems.append(f"{where}: source {entry['source']!r} is not in `sources`")
        try:
            parsed = parse_formula(
                entry["formula"], measures=set(MEASURES), post_columns=set(POST_COLUMNS)
            )
        except CatalogError as err:
            problems.append(f"{where}: {err}")
            continue
        try:
            test = _test_spec(entry, parsed)
        except CatalogError as err:
            problems.append(f"{where}: {err}")
            continue
        kpis.append(
            KPI(
                id=entry["id"],
                label_fr=entry["label_fr"],
                label_en=entry["label_en"],
                objective=entry["objective"],
                level=entry["level"],
                nature=entry["nature"],
                unit=entry["unit"],
                higher_is_better=bool(entry["higher_is_better"]),
                aggregation=entry["aggregation"],
                formula=entry["formula"],
                source=entry["source"],
                description_fr=entry.get("description_fr", ""),
                description_en=entry.get("description_en", ""),
                also_objectives=tuple(entry.get("also_objectives", ())),
                importance=entry.get("importance", "secondary"),
                watch=float(entry.get("watch", DEFAULT_WATCH)),
                test=test,
                parsed=parsed,
            )
        )
    if problems:
        raise CatalogError(
            "The KPI catalog is invalid:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return Catalog(kpis, engagement, sources)


def _test_spec(entry: dict, parsed: Formula) -> TestSpec:
    """The entry's ``test`` (checked), or the one its formula implies.

    ``ratio(a, b)`` is a ratio of sums over posts, ``mean_ratio(a, b)`` a mean of per-post
    ratios, and a formula that is one summed measure a daily count; anything else must say
    how it is tested.
    """
    from .units import DAY_COLUMNS, MENTION_COLUMNS, POST_UNIT_COLUMNS

    raw = entry.get("test")
    if raw is None:
        f = entry["formula"].replace(" ", "")
        m = re.fullmatch(r"(ratio|mean_ratio)\((\w+),(\w+)\)", f)
        if m and m.group(1) == "ratio":
            raw = {"kind": "ratio", "unit": "post", "num": m.group(2), "den": m.group(3)}
        elif m:
            raw = {"kind": "values", "unit": "post", "num": m.group(2), "den": m.group(3)}
        elif f in DAY_COLUMNS or (f in MEASURES and MEASURES[f].table == "posts"):
            raw = {"kind": "count", "unit": "day", "value": f}
        else:
            raise CatalogError("needs a `test:` (its formula does not imply one)")
    if not isinstance(raw, dict):
        raise CatalogError(f"test must be a mapping, not {raw!r}")
    unknown = set(raw) - set(TestSpec.__dataclass_fields__)
    if unknown:
        raise CatalogError(f"unknown test field(s) {sorted(unknown)}")
    spec = TestSpec(**raw)
    if spec.kind not in TEST_KINDS:
        raise CatalogError(f"test.kind must be one of {TEST_KINDS}, not {spec.kind!r}")
    if spec.kind == "none":
        if not spec.reason:
            raise CatalogError("a test of kind none needs a reason")
        return spec
    if spec.unit not in TEST_UNITS:
        raise CatalogError(f"test.unit must be one of {TEST_UNITS}, not {spec.unit!r}")
    columns = {"post": POST_UNIT_COLUMNS, "mention": MENTION_COLUMNS, "day": DAY_COLUMNS}
    for name in ("num", "den", "value"):
        col = getattr(spec, name)
        if col and col not in columns[spec.unit]:
            raise CatalogError(f"test.{name}: {col!r} is not a {spec.unit} column")
    need = {
        "proportion": ("num", "den"),
        "ratio": ("num", "den"),
        "count": ("value",),
        "values": ("value",) if spec.value else ("num", "den"),
    }[spec.kind]
    for name in need:
        if not getattr(spec, name):
            raise CatalogError(f"a test of kind {spec.kind} needs {name}")
    if spec.statistic not in ("mean", "median") or spec.method not in ("mann_whitney", "welch"):
        raise CatalogError("test.statistic must be mean|median, test.method mann_whitney|welch")
    return spec


@cache
def get_catalog() -> Catalog:
    """The packaged catalog (parsed once)."""
    return load_catalog()
