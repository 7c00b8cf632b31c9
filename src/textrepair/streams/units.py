"""Cutting a stream into units, and decoding them with every byte accounted for.

Input is cut into *units* at blank-line boundaries, so memory stays flat however long
the input is, while each repair still sees whole paragraphs (and, for a typical
article, the whole article) as its context.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..stages.encoding import UTF16_BOMS, decode_bytes
from .log import decode_record, decode_records, read_mixed
from .reading import Source, prepend

# A unit groups consecutive paragraphs up to this many bytes of input (characters, for
# ASCII text). 256 KiB holds a typical web article many times over, so the repair sees
# the whole article as its context, while memory per unit stays small and fixed.
UNIT_CHARS = 256 * 1024

# A paragraph longer than UNIT_CHARS is cut at a line break; a single line longer than
# this is cut at the last whitespace before it (or, failing that, right here, at a
# character boundary). It bounds the read buffer, hence the memory, per input.
MAX_UNIT_CHARS = 1024 * 1024

# The last paragraph break before UNIT_CHARS is looked for in about this many characters
# before it first: going through every break of the unit from its start (a thousand
# per unit of prose) was the main process's largest cost with --jobs.
BREAK_WINDOW = 16 * 1024

# A paragraph break: the line break that ends a line, then one or more blank lines
# (which may hold spaces or tabs). Trailing spaces of the last line stay in the text.
_PARAGRAPH_BREAK: dict[type, re.Pattern[Any]] = {
    bytes: re.compile(rb"\r?\n(?:[ \t]*\r?\n)+"),
    str: re.compile(r"\r?\n(?:[ \t]*\r?\n)+"),
}


def split_units(chunks: Iterable[Any], empty: Any) -> Iterator[tuple[Any, Any]]:
    """Cut a stream of bytes (or str) chunks into units: (text, separator) pairs.

    A unit is as many whole paragraphs as fit in UNIT_CHARS; the separator is the
    blank-line run (or line break, or space) that followed it, kept apart so it is
    written back as it was. Joining every text and separator gives the input back.
    """
    pattern = _PARAGRAPH_BREAK[type(empty)]
    newline, cr, blanks = ("\n", "\r", " \t") if isinstance(empty, str) else (b"\n", b"\r", b" \t")
    buffer = bytearray() if isinstance(empty, bytes) else ""
    source = iter(chunks)
    at_end = False
    while True:
        while not at_end and len(buffer) <= MAX_UNIT_CHARS:
            chunk = next(source, None)
            if chunk is None:
                at_end = True
            else:
                buffer += chunk
        if not buffer:
            return
        body_end, separator_end = _cut(buffer, at_end, pattern, newline, cr, blanks)
        yield type(empty)(buffer[:body_end]), type(empty)(buffer[body_end:separator_end])
        buffer = buffer[separator_end:]


def _cut(
    buffer: Any, at_end: bool, pattern: re.Pattern[Any], newline: Any, cr: Any, blanks: Any
) -> tuple[int, int]:
    """Where the next unit's text and separator end in `buffer`."""
    size = len(buffer)
    if at_end and size <= UNIT_CHARS:
        return _whole(buffer, newline, cr)
    last_break = last_break_before(buffer, pattern, UNIT_CHARS, newline + cr + blanks)
    if last_break is not None:
        return last_break.start(), last_break.end()
    line_end = buffer.rfind(newline, 0, UNIT_CHARS)
    if line_end < 0:
        if at_end and size <= MAX_UNIT_CHARS:
            return _whole(buffer, newline, cr)
        line_end = buffer.find(newline, UNIT_CHARS, MAX_UNIT_CHARS)
    if line_end >= 0:
        start = line_end - 1 if line_end > 0 and buffer[line_end - 1 : line_end] == cr else line_end
        return start, line_end + 1
    space = max(
        buffer.rfind(blanks[:1], 0, MAX_UNIT_CHARS), buffer.rfind(blanks[1:], 0, MAX_UNIT_CHARS)
    )
    if space > 0:
        return space, space + 1
    cut = MAX_UNIT_CHARS
    if isinstance(buffer, bytearray):  # never split a UTF-8 sequence
        while cut > MAX_UNIT_CHARS - 3 and 0x80 <= buffer[cut] < 0xC0:
            cut -= 1
    return cut, cut


def last_break_before(
    buffer: Any, pattern: re.Pattern[Any], limit: int, spacing: Any, window: int = BREAK_WINDOW
) -> re.Match[Any] | None:
    """The last match of `pattern` starting at or before `limit`, as a scan from the start
    of `buffer` finds it, but scanning only the last `window` characters or so.

    Every character of a match is in `spacing`; a scan from just after a character that is
    not meets the same matches from there on as a scan from the start (none can straddle
    the point). Without a match there, the window grows until it reaches the start.
    """
    while True:
        start = len(buffer[: max(limit - window, 0)].rstrip(spacing))
        last = None
        for match in pattern.finditer(buffer, start):
            if match.start() > limit:
                break
            last = match
        if last is not None or start == 0:
            return last
        window *= 8


def _whole(buffer: Any, newline: Any, cr: Any) -> tuple[int, int]:
    """All of the (final) buffer: its text, and its trailing line breaks as separator."""
    body_end = len(buffer.rstrip(newline + cr))
    return body_end, len(buffer)


@dataclass
class Unit:
    """A piece of one input: its text, the separator after it, where it sits.

    `offset` is the unit's position in the input's decoded text, `records` the decode
    records of its bytes (for --explain), `position` how far the file had been read
    when the unit was cut (for progress).
    """

    number: int
    offset: int
    text: str
    separator: str
    records: list[dict[str, Any]] = field(default_factory=list)
    position: int = 0


@dataclass
class TextInput:
    """The units of one input, with what is known about it while it streams."""

    source: Source
    explain: bool = False
    encoding: str = "utf-8"
    non_utf8: int = 0
    units: int = 0
    chars: int = 0  # decoded characters read so far: the offset of the next unit
    output_chars: int = 0
    consumed: int = 0  # bytes of the UTF-8 units cut so far

    @property
    def name(self) -> str:
        return self.source.name

    def read(self) -> Iterator[Unit]:
        """Every unit of the input; the source's error (if any) ends it early."""
        chunks = self.source.chunks()
        first = next(chunks, b"")
        if first[:2] in UTF16_BOMS:
            pieces = self._utf16(first, chunks)
        else:
            pieces = self._utf8(split_units(prepend(first, chunks), b""))
        for text, records, separator in pieces:
            # How far the file is done: the bytes of the units so far, where those are
            # the file's own bytes; else how far it has been read (a .gz, UTF-16).
            done = self.source.position if self.source.compressed else self.consumed
            unit = Unit(self.units, self.chars, text, separator, records, done)
            self.units += 1
            self.chars += len(text) + len(separator)
            yield unit

    def _utf8(
        self, raw: Iterator[tuple[bytes, bytes]]
    ) -> Iterator[tuple[str, list[dict[str, Any]], str]]:
        for body, separator in raw:
            self.consumed += len(body) + len(separator)
            yield (*self._decode(body), separator.decode("latin-1"))

    def _decode(self, data: bytes) -> tuple[str, list[dict[str, Any]]]:
        """Decode one UTF-8 unit with `textrepair.decode_bytes`, keeping every byte."""
        prefix, records = "", []
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            if self.chars == 0:  # a byte order mark: dropped, but recorded
                records.append(decode_record(0, codecs.BOM_UTF8, ""))
            else:  # inside the stream it is a character, which the repair explains
                prefix = "\ufeff"
        if data[:2] in UTF16_BOMS:  # decode_bytes would read the unit as UTF-16
            prefix += read_mixed(data[:1])
            self.non_utf8 += 1
            if self.explain:
                records.append(decode_record(self.chars + len(prefix) - 1, data[:1], prefix[-1]))
            data = data[1:]
        text, stray = decode_bytes(data)
        self.non_utf8 += stray
        if stray and self.explain:
            records.extend(decode_records(data, self.chars + len(prefix)))
        return prefix + text, records

    def _utf16(
        self, first: bytes, chunks: Iterator[bytes]
    ) -> Iterator[tuple[str, list[dict[str, Any]], str]]:
        """Units of a stream that starts with a UTF-16 byte order mark, decoded as it reads."""
        bom, first = first[:2], first[2:]
        self.encoding = UTF16_BOMS[bom]
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="surrogatepass")
        leftover = b""

        def text_chunks() -> Iterator[str]:
            nonlocal leftover
            for chunk in prepend(first, chunks):
                yield decoder.decode(chunk)
            leftover = decoder.getstate()[0]
            if leftover:  # an odd final byte: keep it, read as Windows-1252
                self.non_utf8 += len(leftover)
                yield read_mixed(leftover)

        records = [decode_record(0, bom, "", encoding=self.encoding)]
        units = split_units(text_chunks(), "")
        current = next(units, None)
        while current is not None:
            following = next(units, None)  # one unit ahead, to know which is the last
            text, separator = current
            if following is None and leftover:
                tail = read_mixed(leftover)
                end = self.chars + len(text) + len(separator)
                records.append(decode_record(end - len(tail), leftover, tail))
            yield text, records, separator
            records, current = [], following


def utf8_chunks(source: Source) -> tuple[str, Iterator[bytes]]:
    """The input's encoding and its bytes as UTF-8 (UTF-16 with a BOM is transcoded)."""
    chunks = source.chunks()
    first = next(chunks, b"")
    if first[:2] not in UTF16_BOMS:
        return "utf-8", prepend(first, chunks)
    encoding = UTF16_BOMS[first[:2]]
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogatepass")

    def transcoded() -> Iterator[bytes]:
        for chunk in prepend(first[2:], chunks):
            yield decoder.decode(chunk).encode("utf-8", errors="surrogatepass")
        yield read_mixed(decoder.getstate()[0]).encode("utf-8")

    return encoding, transcoded()
