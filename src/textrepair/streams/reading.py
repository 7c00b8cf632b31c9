"""Inputs as bytes: files or stdin, gunzipped when they start with the gzip magic.

Reading never raises part-way: a `Source` yields every byte it could read (for a damaged
.gz, everything ``gzip -dc`` recovers) and keeps the failure in `Source.error`, so the
caller writes what there was, reports, and goes on with the next input.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from .errors import STDIN, StreamError

# How much is read from an input, and at most how much gunzipped output is made, at a
# time: it bounds the memory per read whatever the compression ratio (a gzip bomb).
READ_SIZE = 256 * 1024

GZIP_MAGIC = b"\x1f\x8b"
_GZIP = 16 + zlib.MAX_WBITS  # zlib's `wbits` for a gzip header and trailer

# After a read failed in a compressed stream, the failing piece is decompressed again
# this many bytes at a time (and the piece that fails, byte by byte), to keep all the
# output that came before the damage, as `gzip -dc` writes it.
SALVAGE_STEP = 64

# What reading a damaged input raises (an I/O error, a truncated or corrupt .gz).
READ_ERRORS = (OSError, EOFError, zlib.error)


def binary(stream: Any) -> Any:
    """The byte stream under a text stream (sys.stdin/stdout), or the stream itself."""
    return getattr(stream, "buffer", stream)


class Source:
    """One input, read as chunks of bytes (gunzipped), recording how far the file is read.

    `position` counts the bytes taken from the file itself (compressed bytes for a .gz),
    for progress; `error` is what stopped the reading early, if anything.
    """

    def __init__(self, name: str, stream: BinaryIO, size: int | None) -> None:
        self.name = name
        self.stream = stream
        self.size = size  # of the file, when known (regular files)
        self.position = 0
        self.error: BaseException | None = None
        self.compressed = False

    def _raw(self) -> Iterator[bytes]:
        read = getattr(self.stream, "read1", self.stream.read)
        while chunk := read(READ_SIZE):
            self.position += len(chunk)
            yield chunk

    def chunks(self) -> Iterator[bytes]:
        """Every byte of the input, in order; a read failure ends it and sets `error`."""
        raw = self._raw()
        try:
            head = b""
            for chunk in raw:
                head += chunk
                if len(head) >= len(GZIP_MAGIC):
                    break
            if head.startswith(GZIP_MAGIC):
                self.compressed = True
                yield from gunzip(prepend(head, raw))
            else:
                if head:
                    yield head
                yield from raw
        except READ_ERRORS as error:
            self.error = error

    def close(self) -> None:
        if self.stream is not binary(sys.stdin):
            self.stream.close()


def prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    """`first` (unless empty), then the chunks of `rest`: bytes read ahead, put back."""
    if first:
        yield first
    yield from rest


def gunzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Decompress gzip data (every member), READ_SIZE bytes of output at most at a time.

    On damage (a truncated file, a corrupt block, a bad checksum) it first yields all the
    output that precedes the damage, as ``gzip -dc`` writes it, then raises.
    """
    decompressor: Any = None  # None between members
    for chunk in chunks:
        data = chunk
        while data:
            if decompressor is None:
                if not data.strip(b"\0"):  # zero padding after the last member
                    break
                decompressor = zlib.decompressobj(_GZIP)
            before = decompressor.copy()
            try:
                output = decompressor.decompress(data, READ_SIZE)
            except zlib.error:
                yield from _salvage(before, data)
                raise
            if output:
                yield output
            if decompressor.eof:
                data, decompressor = decompressor.unused_data, None
            else:
                data = decompressor.unconsumed_tail
                while not data and len(output) == READ_SIZE:  # output still pending
                    output = decompressor.decompress(b"", READ_SIZE)
                    if output:
                        yield output
                    data = decompressor.unconsumed_tail
    if decompressor is not None:
        yield decompressor.flush()
        raise EOFError("compressed file ended before the end of its data (truncated?)")


def _salvage(decompressor: Any, data: bytes, step: int = SALVAGE_STEP) -> Iterator[bytes]:
    """The output `decompressor` gives on `data` before the point where it fails.

    `data` is fed `step` bytes at a time; the piece that fails is fed again, from a copy
    taken before it, one byte at a time, so only the output of the failing byte is lost.
    """
    for start in range(0, len(data), step):
        piece = data[start : start + step]
        before = decompressor.copy()
        outputs = []
        try:
            while piece:
                outputs.append(decompressor.decompress(piece, READ_SIZE))
                if decompressor.eof:
                    yield from outputs
                    return
                piece = decompressor.unconsumed_tail
        except zlib.error:
            if step > 1:
                yield from _salvage(before, data[start : start + step], 1)
            return
        yield from outputs


def open_source(name: str) -> Source:
    """Open an input by name ('-' is stdin); raises StreamError if it cannot be opened."""
    if name == "-":
        stream = binary(sys.stdin)
        if stream is None:
            raise StreamError(STDIN, "standard input is closed")
        return Source(STDIN, stream, None)
    try:
        stream = open(name, "rb")  # noqa: SIM115  (closed by Source.close)
        size = os.fstat(stream.fileno()).st_size
    except OSError as error:
        raise StreamError(name, error.strerror or str(error)) from None
    return Source(name, stream, size)


def file_identity(path: str | None = None, descriptor: int | None = None) -> tuple[int, int] | None:
    """(device, inode) of a regular file, by path or descriptor; None for anything else.

    Pipes, terminals and devices are not files that a write could destroy (two commands
    may share /dev/null), so only regular files are compared.
    """
    try:
        info = os.stat(path) if path is not None else os.fstat(descriptor or 0)
    except (OSError, ValueError, TypeError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None
