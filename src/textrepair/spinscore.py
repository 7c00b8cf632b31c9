"""The spin score where callers have always imported it from.

The score is the unspin stage's gate (`textrepair.stages.unspin.gate`), on the candidates
the stage itself weighs (`textrepair.stages.unspin.score`).
"""

from __future__ import annotations

from .stages.unspin import score
from .stages.unspin.gate import Evidence, SpinScore

__all__ = ["Evidence", "SpinScore", "score"]
