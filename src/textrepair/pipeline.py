"""The stages in order, with every edit carried back to the caller's input."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from types import ModuleType

from .edits import Edit, apply_edits, compose, undo_edits
from .options import Options
from .stages import encoding, glue, normalise, unspin

# Character-level stages run again while they still change something: removing an
# invisible character can reveal mojibake, and fixing mojibake can reveal an entity.
# ftfy itself loops the same way; three rounds cover every case seen in its tests.
# Each stage's own output needs nothing more from it (ftfy loops to a fixed point), so
# the loop stops as soon as every stage has seen the current text: a document whose
# only damage was mojibake is read by ftfy once, not twice.
MAX_CHARACTER_ROUNDS = 3

CHARACTER_STAGES: tuple[tuple[ModuleType, str], ...] = (
    (encoding, "fix_encoding"),
    (normalise, "normalise"),
)
WORD_STAGES: tuple[tuple[ModuleType, str], ...] = (
    (glue, "split_glued"),
    (unspin, "unspin"),
)


@dataclass(frozen=True, slots=True)
class Repair:
    """The result of `textrepair.repair`: the repaired text and every edit made.

    `edits` are spans of the input, sorted and non-overlapping; `undo()` rebuilds the
    input from `text` and `edits` alone, so nothing is ever lost.
    """

    text: str
    edits: tuple[Edit, ...]

    def undo(self) -> str:
        """The exact input this repair was made from."""
        return undo_edits(self.text, self.edits)


def prepare(options: Options) -> None:
    """Load every table the enabled stages use, which they otherwise load on first need.

    Worth calling before forking worker processes: the workers then share the tables
    with the parent instead of each reading its own copy.
    """
    for stage, flag in CHARACTER_STAGES + WORD_STAGES:
        if getattr(options, flag) and hasattr(stage, "prepare"):
            stage.prepare(options)


def run(text: str, options: Options) -> Repair:
    """Run every enabled stage over `text`."""
    character, word = _plan(options)
    current = text
    edits: list[Edit] = []

    def apply(stage: ModuleType) -> bool:
        nonlocal current, edits
        new = stage.find_edits(current, options)
        if new:
            edits = compose(text, edits, current, new)
            current = apply_edits(current, new)
        return bool(new)

    seen_by = 0  # how many stages in a row have seen the current text
    for turn in range(MAX_CHARACTER_ROUNDS * len(character)):
        if seen_by >= len(character):
            break
        seen_by = 1 if apply(character[turn % len(character)]) else seen_by + 1
    for stage in word:
        apply(stage)
    return Repair(current, tuple(edits))


# The stages' switches, read in one call: the plan of a call is looked up, not rebuilt.
_FLAGS = tuple(flag for _, flag in CHARACTER_STAGES + WORD_STAGES)
_SWITCHES = operator.attrgetter(*_FLAGS)


def _plan(options: Options) -> tuple[tuple[ModuleType, ...], tuple[ModuleType, ...]]:
    """The enabled character stages and word stages, in order."""
    return _plan_of(_SWITCHES(options))


@functools.cache
def _plan_of(switches: tuple[bool, ...]) -> tuple[tuple[ModuleType, ...], tuple[ModuleType, ...]]:
    enabled = dict(zip(_FLAGS, switches, strict=True))
    return (
        tuple(stage for stage, flag in CHARACTER_STAGES if enabled[flag]),
        tuple(stage for stage, flag in WORD_STAGES if enabled[flag]),
    )
