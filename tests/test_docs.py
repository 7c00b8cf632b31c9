"""The pictures in docs/ are the ones their scripts draw."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_architecture_picture_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "draw_architecture", ROOT / "tools" / "draw_architecture.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    svg = module.draw()
    assert svg.startswith("<svg") and "gate.spin_rates" in svg and "decoding.decide" in svg
    assert (ROOT / "docs" / "architecture.svg").read_text(encoding="utf-8") == svg
