"""The streaming layer under the command line and `textrepair.dask`.

- `reading`: inputs as bytes (files, stdin, gzip with all a damaged file still holds);
- `units`: bytes of any encoding cut into units with offsets and decode records;
- `jsonl`: JSON lines in bounded memory, one field repaired per record;
- `log`: the --explain / --undo log format;
- `executor`: tasks in worker processes, in order, with bounded memory;
- `progress`: the tqdm bar on a terminal;
- `output`: outputs that name themselves in errors, and the output-is-an-input guard;
- `filter`: the default filter, tying these together.
"""

from __future__ import annotations

from .errors import StreamError
from .log import rebuild_bytes
from .reading import Source, open_source
from .units import TextInput, Unit, split_units

__all__ = [
    "Source",
    "StreamError",
    "TextInput",
    "Unit",
    "open_source",
    "rebuild_bytes",
    "split_units",
]
