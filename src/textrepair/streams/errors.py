"""Exit statuses and the one way a command reports a failure: ``textrepair: FILE: what``."""

from __future__ import annotations

import contextlib
import sys
import zlib

PROG = "textrepair"

EXIT_OK = 0
EXIT_INPUT = 1  # some input could not be read or had malformed records, or output failed
EXIT_USAGE = 2  # argparse's own code for usage errors
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as `cat` would report it
EXIT_TERMINATED = 143  # 128 + SIGTERM

# Names for the standard streams in messages.
STDIN = "<stdin>"
STDOUT = "<stdout>"
STDERR = "<stderr>"


class StreamError(Exception):
    """A failure the user can fix, already tied to the file it concerns."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class Terminated(BaseException):
    """SIGTERM arrived; raised in the main process so that workers can be ended first."""


def describe(error: BaseException) -> str:
    """What went wrong, in words, without the file name (messages add that themselves)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, MemoryError):
        return "out of memory"
    if isinstance(error, zlib.error):
        return f"corrupt gzip data ({error})"
    return str(error) or type(error).__name__


def error_name(error: BaseException, default: str) -> str:
    """The file an error is about: its own filename if it names one, else `default`."""
    filename = getattr(error, "filename", None)
    return str(filename) if filename else default


def report(name: str, message: str) -> None:
    """Print ``textrepair: NAME: MESSAGE`` on stderr (never raises: stderr may be gone).

    Without a name (an error that names no file) it is ``textrepair: MESSAGE``.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(
            f"{PROG}: {name}: {message}" if name else f"{PROG}: {message}",
            file=sys.stderr,
            flush=True,
        )
