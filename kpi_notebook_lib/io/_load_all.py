"""Import every importer module so that it registers itself.

Add one line here per new importer module.
"""

from . import (
    ga4,  # noqa: F401
    linkedin,  # noqa: F401
    meta,  # noqa: F401
    template,  # noqa: F401
    tiktok,  # noqa: F401
    x,  # noqa: F401
    youtube,  # noqa: F401
)
