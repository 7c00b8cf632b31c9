"""Outputs: byte streams that name themselves in any failure, and the guard that no
output is also an input (which writing would destroy, as `cat` refuses too)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from typing import Any, BinaryIO

from .errors import STDIN, STDOUT, StreamError
from .reading import binary, file_identity


class Output:
    """Bytes to a file or stdout; a failed write raises StreamError naming the output.

    Large writes go out in pieces of at most WRITE_SIZE bytes: one `write` call of
    2 GiB or more is cut short by Linux, and a short write must never pass unnoticed.
    """

    WRITE_SIZE = 1 << 24

    def __init__(self, name: str, stream: BinaryIO, owned: bool) -> None:
        self.name = name
        self.stream = stream
        self.owned = owned

    @classmethod
    def open(cls, path: str | None) -> Output:
        """The file `path` (created or emptied), or stdout for None."""
        if path is None:
            stream = binary(sys.stdout)
            if stream is None:
                raise StreamError(STDOUT, "standard output is closed")
            return cls(STDOUT, stream, owned=False)
        try:
            return cls(path, open(path, "wb"), owned=True)
        except OSError as error:
            raise StreamError(path, error.strerror or str(error)) from None

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            for start in range(0, len(view), self.WRITE_SIZE):
                self.stream.write(view[start : start + self.WRITE_SIZE])
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as error:
            raise StreamError(self.name, getattr(error, "strerror", None) or str(error)) from None

    def close(self) -> None:
        """Flush (and close a file we opened); a failure here is a failed write too."""
        try:
            if self.owned:
                self.stream.close()  # flushes, and closes the file even if that fails
            else:
                self.stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as error:
            raise StreamError(self.name, getattr(error, "strerror", None) or str(error)) from None


class TextOutput:
    """An `Output` as a text file object (``write(str)``, ``flush()``), writing UTF-8.

    For code that prints text (``print(..., file=TextOutput(out))``) while every failed
    write still names the output.
    """

    def __init__(self, output: Output) -> None:
        self.output = output

    def write(self, text: str) -> int:
        self.output.write(text.encode("utf-8", errors="surrogatepass"))
        return len(text)

    def flush(self) -> None:
        """Nothing to do: `Output.close` flushes."""


def stream_identity(stream: Any) -> tuple[int, int] | None:
    """`file_identity` of a standard stream (sys.stdin, sys.stdout), if it is a file."""
    try:
        return file_identity(descriptor=binary(stream).fileno())
    except (AttributeError, OSError, ValueError):
        return None


def refuse_outputs_that_are_inputs(
    inputs: Iterable[str], outputs: Iterable[tuple[str, str | None]]
) -> None:
    """Raise StreamError if an output is the same file as an input or another output.

    `inputs` are names ('-' for stdin); `outputs` are (name, path) pairs, path None for
    stdout. Files are compared by device and inode, so links and other spellings of a
    path are caught too.
    """
    known: dict[tuple[int, int], str] = {}
    for name in inputs:
        identity = stream_identity(sys.stdin) if name == "-" else file_identity(name)
        if identity is not None:
            known.setdefault(identity, f"an input ({STDIN if name == '-' else name})")
    for name, path in outputs:
        identity = stream_identity(sys.stdout) if path is None else file_identity(os.fspath(path))
        if identity is None:
            continue
        if identity in known:
            raise StreamError(name, f"is also {known[identity]}; it would be overwritten")
        known[identity] = f"another output ({name})"


def silence_stdout() -> None:
    """After a failed write, point stdout at /dev/null so Python's exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
