"""Doctest collection of src/: leave out the modules whose optional tool is missing.

``textrepair.integrations.datatrove`` subclasses datatrove's blocks, so it can only be
imported where the extra is installed (its tests skip themselves in that case too).
"""

from __future__ import annotations

import importlib.util

collect_ignore = [
    f"src/textrepair/integrations/{module}.py"
    for module in ("datatrove",)
    if importlib.util.find_spec(module) is None
]
