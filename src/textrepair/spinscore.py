"""The spin score where callers have always imported it from.

The score is the unspin stage's gate: see `textrepair.stages.unspin.gate`.
"""

from __future__ import annotations

from .stages.unspin.gate import Evidence, SpinScore, score

__all__ = ["Evidence", "SpinScore", "score"]
