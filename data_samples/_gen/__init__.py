"""Machinery of the seeded sample-workspace generator (see ``data_samples/generate.py``).

Modules by job: ``specs`` (plain data types) and ``client_*`` (the three clients), ``timeline``
(calendar, seasonality, seeds), ``ids`` (platform-shaped ids), ``texts*`` (caption and mention
banks), ``authors``, ``build_*`` (numpy builders of the five canonical tables), ``build``
(one client's tables), ``writers`` (template CSV files), ``targets`` and ``extras`` (client.yml,
logo, targets, annotations).
"""

from __future__ import annotations

from .build import build_client
from .client_bakery import BAKERY
from .client_fashion import FASHION
from .client_software import SOFTWARE
from .extras import write_client_files
from .specs import ClientSpec
from .writers import write_template_exports

__all__ = ["CLIENTS", "ClientSpec", "build_client", "write_client_files", "write_template_exports"]

#: The sample clients, by id.
CLIENTS: dict[str, ClientSpec] = {c.id: c for c in (BAKERY, SOFTWARE, FASHION)}
