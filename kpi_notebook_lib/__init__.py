"""kpi_notebook_lib: measure social-media actions with KPIs, in Python and Jupyter.

The public API is small::

    from kpi_notebook_lib import open_workspace
    ws = open_workspace("data_samples")
    c = ws.client("boulangerie-dupont")
    c.kpis(period="2026-10", compare_to="previous")

Everything else lives in modules named after their job: ``catalog``, ``periods``, ``kpis``,
``compare``, ``workspace``, ``ingest``, ``io`` (importers), ``formatting``, ``safety``.
"""

from .catalog import KPI, Catalog, get_catalog
from .compare import compare
from .exceptions import (
    CatalogError,
    ImportFormatError,
    KPIError,
    NoDataError,
    ParameterError,
    SchemaError,
    SettingsError,
)
from .kpis import compute_kpis, compute_measures
from .periods import Period, parse_period
from .workspace import Client, Workspace, open_workspace

__version__ = "0.1.0"

__all__ = [
    "KPI",
    "Catalog",
    "CatalogError",
    "Client",
    "ImportFormatError",
    "KPIError",
    "NoDataError",
    "ParameterError",
    "Period",
    "SchemaError",
    "SettingsError",
    "Workspace",
    "compare",
    "compute_kpis",
    "compute_measures",
    "get_catalog",
    "open_workspace",
    "parse_period",
]
