"""Helpers of the importer tests: the export fixtures folder and a reader.

(A plain module rather than a ``conftest.py``: a second ``conftest`` module would shadow
``tests/conftest.py`` for tests that import it by name.)
"""

from __future__ import annotations

from pathlib import Path

from kpi_notebook_lib.io import ImportContext, ParsedFile, detect, read_head

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def read_export(rel: str | Path, importer: str | None = None, **ctx) -> ParsedFile:
    """Detect ``EXPORTS / rel`` (checking the importer name when given) and read it.

    ``ctx`` fills :class:`ImportContext` (client ``dupont`` in ``Europe/Paris`` by default).
    """
    path = EXPORTS / rel
    head = read_head(path)
    imp = detect(path, head)
    if importer is not None:
        assert imp.name == importer, imp.name
    ctx.setdefault("client", "dupont")
    ctx.setdefault("timezone", "Europe/Paris")
    return imp.read(path, head, ImportContext(**ctx))
