"""Import every importer module so that it registers itself.

Add one line here per new importer module.
"""

from . import template  # noqa: F401
