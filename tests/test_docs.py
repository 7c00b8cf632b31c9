"""The pictures in docs/ are the ones their scripts draw."""

from __future__ import annotations

from pathlib import Path

from tests.tools import load_tool

ROOT = Path(__file__).resolve().parent.parent


def test_architecture_picture_is_up_to_date() -> None:
    svg = load_tool("draw_architecture").draw()
    assert svg.startswith("<svg") and "gate.spin_rates" in svg and "decoding.decide" in svg
    assert (ROOT / "docs" / "architecture.svg").read_text(encoding="utf-8") == svg
