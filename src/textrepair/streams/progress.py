"""The progress bar on a terminal: bytes read of the input files, and documents per second.

Drawn by tqdm on stderr, only when stderr is a terminal and every input is a file (a
pipe's size is unknown). It is told positions that were recorded when each unit was
read, never asked to look at a file, which may be closed by the time a result arrives.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import IO, Any

# The bar is redrawn at most this often (seconds).
PROGRESS_INTERVAL = 0.2

# The size assumed for a terminal that reports none (a pseudo-terminal whose size was
# never set reports 0 x 0, and tqdm then draws nothing).
FALLBACK_COLUMNS, FALLBACK_ROWS = 80, 24


def _columns(stream: IO[str]) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 0


class Progress:
    """Bytes of all inputs read so far, and documents (units or JSON lines) repaired."""

    def __init__(self, total: int, stream: IO[str] | None = None) -> None:
        from tqdm import tqdm

        stream = stream if stream is not None else sys.stderr
        self.bar: Any = tqdm(
            total=total,
            ncols=None if _columns(stream) else FALLBACK_COLUMNS,
            nrows=None if _columns(stream) else FALLBACK_ROWS,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc="textrepair",
            file=stream,
            mininterval=PROGRESS_INTERVAL,
            leave=False,
            dynamic_ncols=bool(_columns(stream)),
        )
        self.done_before = 0  # bytes of the inputs already finished
        self.documents = 0
        self.started = time.monotonic()

    @classmethod
    def for_inputs(cls, names: list[str], stderr_used: bool) -> Progress | None:
        """A bar for these inputs, or None when there should be none (see module doc)."""
        isatty = getattr(sys.stderr, "isatty", None)
        if stderr_used or "-" in names or isatty is None or not isatty():
            return None
        total = 0
        for name in names:
            with contextlib.suppress(OSError):
                total += os.path.getsize(name)
        return cls(total)

    def update(self, position: int, documents: int) -> None:
        """The current input has been read up to byte `position`; `documents` more done."""
        self.documents += documents
        elapsed = max(time.monotonic() - self.started, 1e-9)
        self.bar.set_postfix_str(
            f"{self.documents} docs, {self.documents / elapsed:.1f} docs/s", refresh=False
        )
        self.bar.update(self.done_before + position - self.bar.n)

    def next_input(self, size: int) -> None:
        self.done_before += size

    def close(self) -> None:
        self.bar.close()
