"""textrepair: turn damaged web text back into the text its author wrote.

>>> import textrepair
>>> textrepair.clean("CafÃ© menu")
'Café menu'
>>> result = textrepair.repair("CafÃ© menu")
>>> [(e.before, e.after, e.stage) for e in result.edits]
[('CafÃ©', 'Café', 'encoding')]
>>> result.undo()
'CafÃ© menu'
"""

from __future__ import annotations

from typing import Any

from .edits import Edit
from .options import Options, resolve_options
from .pipeline import Repair, run
from .spinscore import SpinScore, score
from .stages.encoding import decode_bytes

__all__ = ["Edit", "Options", "Repair", "SpinScore", "clean", "decode_bytes", "repair", "score"]
__version__ = "0.1.0"


def repair(text: str | bytes, options: Options | None = None, **overrides: Any) -> Repair:
    """Repair `text` and explain every change.

    `text` may be bytes of unknown encoding: UTF-8 is tried first, and bytes that are
    not UTF-8 are read as Windows-1252 so that none is lost. Keyword arguments
    override single fields of `options` (see `Options`).
    """
    resolved = resolve_options(options, overrides)
    return run(_as_text(text), resolved)


def clean(text: str | bytes, options: Options | None = None, **overrides: Any) -> str:
    """Return the repaired text: ``repair(text, ...).text``.

    >>> clean("The &quot;proof&quot; was there")
    'The "proof" was there'
    """
    return repair(text, options, **overrides).text


def _as_text(text: str | bytes) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return decode_bytes(bytes(text))[0]
    raise TypeError(f"textrepair works on str or bytes, not {type(text).__name__}")
