"""datatrove blocks: repair documents, and score (and optionally drop) spun ones.

``TextRepairFormatter`` drops in where datatrove's ``FTFYFormatter`` stands, with the
same habit of keyword switches (here the fields of `textrepair.Options`)::

    pipeline = [
        JsonlReader("crawl/"), SpinScoreFilter(), TextRepairFormatter(), JsonlWriter("out/")
    ]

Put `SpinScoreFilter` before the formatter: it scores the text as it arrives, and a
repaired text no longer carries the spinner's giveaways. Both blocks report through
datatrove's own stats (``stat_update``), so their counts appear in the executor's
summary and in ``logging_dir/stats``. Install with ``pip install "textrepair[datatrove]"``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.typeshelper import StatHints

import textrepair

from ..lexicon import selected_lexicon
from ..options import Options, resolve_options

__all__ = ["SpinScoreFilter", "TextRepairFormatter"]

# The metadata keys the blocks write (flat scalars, so Parquet writers take them too).
EDITS_KEY = "textrepair_edits"
SCORE_KEY = "spin_score"
LEVEL_KEY = "spin_level"
GIVEAWAYS_KEY = "spin_giveaways"


class TextRepairFormatter(BaseFormatter):
    """Repair each document's text with `textrepair.repair`.

    Takes an `Options` and/or its fields as keyword arguments, as `textrepair.clean`
    does: ``TextRepairFormatter(unspin=False)`` is encoding, normalisation and glue
    repair only. Options are checked here, when the pipeline is built, not in a worker.

    Each document's number of edits goes to ``doc.metadata["textrepair_edits"]``.
    Stats: ``changed`` (documents with at least one edit), ``edits`` and
    ``edits_<stage>`` (edits per document, so datatrove shows their mean and total).
    """

    name = "🩹 textrepair"

    def __init__(self, options: Options | None = None, **overrides: Any) -> None:
        super().__init__()
        self.options = resolve_options(options, overrides)

    def format(self, text: str) -> str:
        """The repaired text (what ``FTFYFormatter.format`` returns for ftfy)."""
        return textrepair.clean(text, self.options)

    def run(
        self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1
    ) -> Iterator[Document]:
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                result = textrepair.repair(doc.text, self.options)
            doc.text = result.text
            doc.metadata[EDITS_KEY] = len(result.edits)
            if result.edits:
                self.stat_update("changed")
            self.stat_update("edits", value=len(result.edits))
            for stage, count in Counter(edit.stage for edit in result.edits).items():
                self.stat_update(f"edits_{stage}", value=count)
            yield doc


class SpinScoreFilter(BaseFilter):
    """Record each document's spin score, and drop spun (or unspun) documents.

    Writes ``spin_score`` (0 to 1), ``spin_level`` (clean, low, suspicious, high) and
    ``spin_giveaways`` (spun phrases found) to ``doc.metadata``. With `threshold` None
    (the default) every document is kept: an annotator. With a threshold, ``drop="spun"``
    removes documents scoring at or above it (a corpus builder's choice) and
    ``drop="clean"`` removes those below it (a screener collecting spun copies).
    Dropped documents go to `exclusion_writer` if one is given, with
    ``metadata["filter_reason"]`` set, and are counted as ``dropped_spun`` or
    ``dropped_not_spun``. 0.5 is where the ``suspicious`` level, and repair, starts.
    `lexicon` and `thesaurus` are the `textrepair.Options` fields of the same names: give
    the formatter's, so that the score is the one its repair decides on.
    """

    name = "🌀 spin score"

    def __init__(
        self,
        threshold: float | None = None,
        drop: Literal["spun", "clean"] = "spun",
        exclusion_writer: DiskWriter | None = None,
        *,
        lexicon: str | None = None,
        thesaurus: bool = False,
    ) -> None:
        super().__init__(exclusion_writer)
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1] or None, not {threshold!r}")
        if drop not in ("spun", "clean"):
            raise ValueError(f"drop must be 'spun' or 'clean', not {drop!r}")
        self.threshold = threshold
        self.drop = drop
        self.lexicon = lexicon
        self.thesaurus = thesaurus

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        spin = textrepair.score(doc.text, selected_lexicon(self.lexicon, self.thesaurus))
        doc.metadata[SCORE_KEY] = spin.score
        doc.metadata[LEVEL_KEY] = spin.level
        doc.metadata[GIVEAWAYS_KEY] = len(spin.evidence)
        self.stat_update(f"level_{spin.level}")
        if self.threshold is None:
            return True
        spun = spin.score >= self.threshold
        if self.drop == "spun" and spun:
            return False, "spun"
        if self.drop == "clean" and not spun:
            return False, "not_spun"
        return True
