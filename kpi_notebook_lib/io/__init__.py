"""Importers: one module per platform, all writing to the canonical tables.

See :mod:`kpi_notebook_lib.io.base` for the contract. Importer modules register themselves
when imported; :mod:`kpi_notebook_lib.io._load_all` imports them all.
"""

from .base import (
    FileHead,
    ImportContext,
    Importer,
    ParsedFile,
    detect,
    file_sha256,
    read_head,
    register,
    registered,
)

__all__ = [
    "FileHead",
    "ImportContext",
    "Importer",
    "ParsedFile",
    "detect",
    "file_sha256",
    "read_head",
    "register",
    "registered",
]
