"""Encoding stage: mojibake, HTML entities and other encoding damage, through ftfy.

ftfy fixes whole segments; this stage turns each fixed segment into small explained
edits. Typography (quotes, line breaks) and control characters are left to the
normalise stage so that each is a separate, documented choice; C1 controls, which in web
text are Windows-1252 characters, are read as such here (ftfy's `fix_c1_controls`).
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Iterator

from ..edits import MAX_WIDEN, Edit, diff_edits
from ..options import Options

NAME = "encoding"

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
    import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")

    stray = error.object[error.start : error.end]
    _stray_bytes.count = getattr(_stray_bytes, "count", 0) + len(stray)
    return stray.decode("sloppy-windows-1252"), error.end


codecs.register_error(BYTES_ERROR_HANDLER, _decode_stray_bytes)

UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def decode_bytes(data: bytes) -> tuple[str, int]:
    """Decode bytes of unknown encoding; return the text and how many bytes were not UTF-8.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are recognised; every other
    byte that is not valid UTF-8 is read as Windows-1252, so no byte is dropped.

    >>> decode_bytes(b"caf\\xe9 ok")
    ('café ok', 1)
    """
    for bom, encoding in UTF16_BOMS.items():
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


def prepare(options: Options) -> None:
    """Import ftfy now rather than with the first line that needs it (before a fork)."""
    from . import ftfy_fix  # noqa: F401


def find_edits(text: str, options: Options) -> list[Edit]:
    """Edits that undo encoding damage in `text`, segment by segment as ftfy works."""
    if _plain(text):
        return []
    from . import ftfy_fix

    edits: list[Edit] = []
    for start, segment in _segments(text, ftfy_fix.MAX_SEGMENT):
        if _plain(segment):
            continue
        fixed, steps = ftfy_fix.fix(segment)
        if fixed != segment:
            reason = "ftfy: " + ", ".join(f"{action} {parameter}" for action, parameter in steps)
            paired = _paired_edits(segment, fixed, start, reason)
            if paired is None:
                paired = diff_edits(segment, fixed, offset=start, stage=NAME, reason=reason)
            edits.extend(paired)
    return edits


# A line and its fix cut at whitespace: words at even indexes, the spaces between at odd.
_SPACES = re.compile(r"(\s+)")


def _paired_edits(segment: str, fixed: str, offset: int, reason: str) -> list[Edit] | None:
    """One edit per changed word, or None where ftfy changed the spacing.

    Mojibake and entity fixes keep whitespace, so the words of a line and of its fix
    pair one to one, and each changed word is the edit `diff_edits` would make (it widens
    a change to its word, up to `MAX_WIDEN` characters); difflib (quadratic, slower
    than ftfy itself on mojibake) is left for lines whose words or spaces differ, and
    for long words.
    """
    before, after = _SPACES.split(segment), _SPACES.split(fixed)
    if len(before) != len(after) or before[1::2] != after[1::2]:
        return None
    edits: list[Edit] = []
    position = offset
    for old, new in zip(before, after, strict=True):
        if old != new:
            if len(old) <= MAX_WIDEN:
                edits.append(Edit(position, position + len(old), old, new, NAME, reason))
            else:
                edits.extend(diff_edits(old, new, offset=position, stage=NAME, reason=reason))
        position += len(old)
    return edits


def _plain(text: str) -> bool:
    """Whether ftfy (as configured here) would certainly leave `text` as it is."""
    return _NEEDS_FTFY.search(text) is None


def _segments(text: str, longest: int) -> Iterator[tuple[int, str]]:
    """Lines of `text` (with their ends), as ftfy splits them (none over `longest`
    characters), with their offsets."""
    position = 0
    while position < len(text):
        end = text.find("\n", position) + 1 or len(text)
        end = min(end, position + longest)
        yield position, text[position:end]
        position = end
