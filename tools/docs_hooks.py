"""mkdocs hooks: build the pictures the docs show (see tools/draw_architecture.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

_DRAW = Path(__file__).resolve().parent / "draw_architecture.py"


def on_pre_build(config: Any) -> None:
    """Draw docs/architecture.svg before the pages are read."""
    spec = importlib.util.spec_from_file_location("draw_architecture", _DRAW)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(Path(config["docs_dir"]) / "architecture.svg")
