"""Hugging Face datasets: repair a text column with ``Dataset.map(batched=True)``.

>>> repair_batch({"text": ["CafÃ© menu", None]}, with_edits=True)
{'text': ['Café menu', None], 'textrepair_edits': [1, None]}

With a real dataset (``pip install "textrepair[datasets]"``)::

    dataset = dataset.map(repair_batch, batched=True, fn_kwargs={"with_score": True})

Options go in ``fn_kwargs`` too (``{"unspin": False}``). The function needs nothing
from ``datasets`` itself, so it works on any dict of columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import textrepair

from ..lexicon import selected_lexicon
from ..options import Options, resolve_options

__all__ = ["repair_batch"]

# The names of the optional columns (the metadata keys the datatrove blocks write).
SCORE_COLUMN = "spin_score"
LEVEL_COLUMN = "spin_level"
EDITS_COLUMN = "textrepair_edits"


def repair_batch(
    batch: Mapping[str, Sequence[Any]],
    column: str = "text",
    *,
    output_column: str | None = None,
    with_score: bool = False,
    with_level: bool = False,
    with_edits: bool = False,
    options: Options | None = None,
    **overrides: Any,
) -> dict[str, list[Any]]:
    """Repair ``batch[column]``; returns the new columns for ``Dataset.map`` to merge.

    The repaired text replaces `column`, or goes to `output_column` if given. Optional
    columns: ``spin_score`` and ``spin_level`` (`textrepair.score` of the text as it
    was, before repair) and ``textrepair_edits`` (how many edits the repair made). A
    missing value (None) stays None in every column. Other keyword arguments are
    `textrepair.Options` fields, as in `textrepair.clean`.
    """
    resolved = resolve_options(options, overrides)
    scored = with_score or with_level
    rows = [_repair_one(value, resolved, scored) for value in batch[column]]
    columns: dict[str, list[Any]] = {output_column or column: [row[0] for row in rows]}
    if with_score:
        columns[SCORE_COLUMN] = [row[2] for row in rows]
    if with_level:
        columns[LEVEL_COLUMN] = [row[3] for row in rows]
    if with_edits:
        columns[EDITS_COLUMN] = [row[1] for row in rows]
    return columns


def _repair_one(
    value: str | bytes | None, options: Options, scored: bool
) -> tuple[str | None, int | None, float | None, str | None]:
    """(repaired text, edit count, spin score, spin level) of one value."""
    if value is None:
        return None, None, None, None
    result = textrepair.repair(value, options)
    if not scored:
        return result.text, len(result.edits), None, None
    lexicon = selected_lexicon(options.lexicon, options.thesaurus)  # as the repair's
    spin = textrepair.score(result.undo(), lexicon)  # the input, decoded if it was bytes
    return result.text, len(result.edits), spin.score, spin.level
