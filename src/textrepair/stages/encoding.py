"""Encoding stage: mojibake, HTML entities and other encoding damage, through ftfy.

ftfy fixes whole segments; this stage turns each fixed segment into small explained
edits. Typography (quotes, line breaks) and control characters are left to the
normalise stage so that each is a separate, documented choice; C1 controls, which in web
text are Windows-1252 characters, are read as such here (ftfy's `fix_c1_controls`).
"""

from __future__ import annotations

import codecs
import functools
import re
import threading

import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec used below
from ftfy.chardata import HTML_ENTITY_RE, LIGATURES, WIDTH_MAP
from ftfy.fixes import (
    fix_character_width,
    fix_latin_ligatures,
    remove_terminal_escapes,
    unescape_html,
)

from ..edits import MAX_WIDEN, Edit, diff_edits
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


# ftfy repeats all its fixes until nothing changes and decodes one level of HTML
# entities per round, so '&' + 'amp;' * k costs k rounds over the whole line: quadratic
# (a 160 KB line took 27 s, 1 MB never finished). Text escaped up to this many times
# (double escaping, "&amp;amp;", is common; triple is rare) goes to ftfy as it is, so the
# result is ftfy's own; deeper nesting is first decoded in one linear pass
# (`_unescape_fully`), which reaches the same fixed point. Nesting also counts when built
# through the fixes that make ASCII out of other characters in each round (wide forms,
# ligatures, terminal escapes: a wide "amp;", "&#65286;" + "#65286;" * k).
MAX_ENTITY_ROUNDS = 3

# The longest text ftfy's entity pattern can match: "&#", 24 characters, ";".
_LONGEST_ENTITY = 27

# "&" followed by entities of "&" ("amp;", "#38;", "#x26;"): each decodes to the "&"
# before the next, so the whole run decodes to one "&". Collapsed by the regex engine
# first, as it is by far the most common nesting.
_AMPERSAND_RUN = re.compile(r"&(?:(?:amp|AMP|#0*38|#[xX]0*26);)+")

_stray_bytes = threading.local()


def _decode_stray_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
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


def find_edits(text: str, options: Options) -> list[Edit]:
    """Edits that undo encoding damage in `text`, segment by segment as ftfy works."""
    if _plain(text):
        return []
    edits: list[Edit] = []
    for start, segment in _segments(text):
        if _plain(segment):
            continue
        fixed, steps = _fix(segment)
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


def _fix(segment: str) -> tuple[str, list[tuple[str, str]]]:
    """ftfy's fix of one segment and its steps, in time linear in the segment."""
    steps: list[tuple[str, str]] = []
    if _deeply_nested(segment):
        segment = _unescape_fully(segment)
        steps.append(("apply", "unescape_html"))
    fixed, ftfy_steps = ftfy.fix_and_explain(segment, FTFY_CONFIG)
    steps.extend((step.action, step.parameter) for step in ftfy_steps or ())
    return fixed, steps


def _deeply_nested(segment: str) -> bool:
    """Whether decoding the entities of `segment` takes over `MAX_ENTITY_ROUNDS` rounds.

    Only where ftfy decodes entities at all: its "auto" mode leaves a line with "<" as
    it is.
    """
    if "<" in segment or ("&" not in segment and "\uff06" not in segment):
        return False
    segment = _to_ascii(segment)
    for _ in range(MAX_ENTITY_ROUNDS + 1):
        if "&" not in segment:
            return False
        decoded = _to_ascii(unescape_html(segment))
        if decoded == segment:
            return False
        segment = decoded
    return True


# The characters those two translations change: a search for them (C speed) spares the
# translations, ~50 ns a character even when nothing maps, on the usual non-ASCII line.
_WIDE_OR_LIGATURE = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted({*LIGATURES, *WIDTH_MAP})) + "]"
)


def _to_ascii(text: str) -> str:
    """The fixes of an ftfy round that can turn other characters into an entity's ASCII."""
    if _WIDE_OR_LIGATURE.search(text):
        text = fix_character_width(fix_latin_ligatures(text))
    return remove_terminal_escapes(text) if "\x1b" in text else text


@functools.lru_cache(maxsize=1024)
def _value_to_ascii(value: str) -> str:
    """A decoded entity's wide forms and ligatures made ASCII (translate costs ~30 us)."""
    return fix_character_width(fix_latin_ligatures(value))


def _unescape_fully(text: str) -> str:
    """`text` with ftfy's entity decoding repeated until nothing changes, in one pass.

    An entity ends at the first ";" after its "&" and holds neither, so two entities
    never overlap and the order of decoding does not change the result. Scanning left
    to right, each ";" is checked against the last "&" before it; a decoded entity is
    scanned again, as its value may start or complete another ("&amp;amp;",
    "&amp&semi;"). Each decoding shortens the text, so the work is linear.

    Wide forms and ligatures are made ASCII first, in the text and in every decoded
    value, as ftfy's rounds would ("&#65286;" is a wide "&").

    >>> _unescape_fully("&amp;amp;amp;lt; &amp&semi; &#38;#38;eacute; &#65286;#65286;amp;")
    '< & é &'
    """
    text = _AMPERSAND_RUN.sub("&", _to_ascii(text))
    done: list[str] = []  # decoded text so far, as characters
    again: list[str] = []  # decoded values still to scan, last character first
    position = 0
    while again or position < len(text):
        if again:
            done.append(again.pop())
        else:
            end = text.find(";", position)
            end = len(text) if end < 0 else end + 1
            done.extend(text[position:end])
            position = end
        if done[-1] != ";":
            continue
        tail = "".join(done[-_LONGEST_ENTITY:])
        candidate = tail[tail.rfind("&") :] if "&" in tail else ""
        if HTML_ENTITY_RE.fullmatch(candidate):
            value = unescape_html(candidate)
            if not value.isascii():
                value = _value_to_ascii(value)
            if value != candidate:
                del done[-len(candidate) :]
                again.extend(reversed(value))
    return "".join(done)


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
