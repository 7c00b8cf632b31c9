"""Encoding stage: mojibake, HTML entities and other encoding damage, through ftfy.

ftfy fixes whole segments; this stage turns each fixed segment into small explained
edits. Typography (quotes, line breaks) and control characters are left to the
normalise stage so that each is a separate, documented choice.
"""

from __future__ import annotations

import codecs
import re
import threading

import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec used below

from ..edits import Edit, diff_edits
from ..options import Options

NAME = "encoding"

# What ftfy may do here. Everything else ftfy can do is either done by the normalise
# stage with edits of its own (line breaks, control characters, NFC) or is typography
# that textrepair keeps by default (curly quotes).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html="auto",
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)

# ftfy's own segment bound: a line longer than this is fixed in pieces.
MAX_SEGMENT = FTFY_CONFIG.max_decode_length

# Bytes that are not UTF-8 are read as Windows-1252, byte by byte, so that nothing is
# lost and Latin-1 or cp1252 text inside UTF-8 (a common mix) comes out readable.
BYTES_ERROR_HANDLER = "textrepair-windows-1252"


# Typography common in web text that ftfy, as configured here, never changes and never
# reads as mojibake: ftfy's "common" characters (no-break space, soft hyphen, acute
# accent, middle dot, dashes, horizontal bar, ellipsis, right single quote) and the
# other curly quotes. Every pattern of ftfy's badness heuristic needs at least one
# character outside this set and ASCII (an accented letter, a currency, numeric, box,
# law or "bad" sign, or a specific letter such as Ã or Ø), and none of these is a C1
# control, ligature, wide form or surrogate. A test checks this against ftfy itself.
UNCHANGED_TYPOGRAPHY = "\u00a0\u00ad\u00b4\u00b7\u2013\u2014\u2015\u2018\u2019\u201c\u201d\u2026"

# Anything else ftfy might act on: non-ASCII beyond that typography, "&" (an HTML
# entity may follow) and ESC (a terminal escape). Lines without any skip ftfy, which
# costs ~0.25 ms per line even when it changes nothing.
_NEEDS_FTFY = re.compile(f"[^\\x00-\\x1a\\x1c-\\x25\\x27-\\x7f{UNCHANGED_TYPOGRAPHY}]")


_stray_bytes = threading.local()


def _decode_stray_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    _stray_bytes.count = getattr(_stray_bytes, "count", 0) + len(stray)
    return stray.decode("sloppy-windows-1252"), error.end


codecs.register_error(BYTES_ERROR_HANDLER, _decode_stray_bytes)

_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_bytes(data: bytes) -> tuple[str, int]:
    """Decode bytes of unknown encoding; return the text and how many bytes were not UTF-8.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are recognised; every other
    byte that is not valid UTF-8 is read as Windows-1252, so no byte is dropped.

    >>> decode_bytes(b"caf\\xe9 ok")
    ('café ok', 1)
    """
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom) and len(data) % 2 == 0:
            try:
                return data[len(bom) :].decode(encoding), 0
            except UnicodeDecodeError:
                break
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    _stray_bytes.count = 0
    text = data.decode("utf-8", errors=BYTES_ERROR_HANDLER)
    return text, _stray_bytes.count


def find_edits(text: str, options: Options) -> list[Edit]:
    """Edits that undo encoding damage in `text`, segment by segment as ftfy works."""
    if _plain(text):
        return []
    edits: list[Edit] = []
    for start, segment in _segments(text):
        if _plain(segment):
            continue
        fixed, steps = ftfy.fix_and_explain(segment, FTFY_CONFIG)
        if fixed != segment:
            reason = "ftfy: " + ", ".join(f"{step.action} {step.parameter}" for step in steps or ())
            edits.extend(diff_edits(segment, fixed, offset=start, stage=NAME, reason=reason))
    return edits


def _plain(text: str) -> bool:
    """Whether ftfy (as configured here) would certainly leave `text` as it is."""
    return _NEEDS_FTFY.search(text) is None


def _segments(text: str):
    """Lines of `text` (with their ends), as ftfy splits them, with their offsets."""
    position = 0
    while position < len(text):
        end = text.find("\n", position) + 1 or len(text)
        end = min(end, position + MAX_SEGMENT)
        yield position, text[position:end]
        position = end
