"""The --explain log: one JSON line per edit, per stretch of non-text bytes, per input.

Three kinds of record (docs/cli.md): edits (`stage` is the pipeline stage), ``decode``
records (bytes that were not read as UTF-8, kept as hex, so the exact input can be
rebuilt) and one ``end`` record per input. `rebuild_bytes` turns repaired text and its
records back into the input bytes; `undo` does it for a whole log.
"""

from __future__ import annotations

import codecs
import json
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

from ..edits import Edit, undo_edits
from .errors import STDERR, StreamError

# Stray bytes closer than this many bytes to each other share one decode record (with
# the valid bytes between them): random bytes would otherwise need a record per byte,
# a log a hundred times the input.
MERGE_GAP = 32

EditTuple = tuple[int, int, str, str, str, str, float]


def edit_tuple(edit: Edit, shift: int = 0) -> EditTuple:
    """An edit as a plain tuple (cheap to send back from a worker), moved by `shift`."""
    return (
        edit.start + shift,
        edit.end + shift,
        edit.before,
        edit.after,
        edit.stage,
        edit.reason,
        edit.confidence,
    )


def edit_record(edit: EditTuple, shift: int = 0) -> dict[str, Any]:
    start, end, before, after, stage, reason, confidence = edit
    return {
        "start": start + shift,
        "end": end + shift,
        "before": before,
        "after": after,
        "stage": stage,
        "reason": reason,
        "confidence": round(confidence, 4),
    }


def decode_record(start: int, raw: bytes, text: str, **extra: Any) -> dict[str, Any]:
    """Bytes `raw` were read as `text` at characters `start:` of the decoded input."""
    reason = "byte order mark removed" if not text else "not UTF-8: read as Windows-1252"
    return {
        "start": start,
        "end": start + len(text),
        "bytes": raw.hex(),
        "text": text,
        "stage": "decode",
        "reason": reason,
        "confidence": 1.0,
        **extra,
    }


# The spans the error handler below finds, per thread (Dask runs threads in a worker).
_found = threading.local()


def _collect_span(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _found.spans.append((error.start, error.end))
    return "", error.end


def _as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("sloppy-windows-1252"), error.end


codecs.register_error("textrepair-stray-spans", _collect_span)
codecs.register_error("textrepair-log-windows-1252", _as_windows_1252)


def stray_spans(data: bytes) -> list[tuple[int, int]]:
    """Byte spans of `data` that are not valid UTF-8, nearby ones merged (MERGE_GAP)."""
    _found.spans = []
    data.decode("utf-8", errors="textrepair-stray-spans")
    spans: list[tuple[int, int]] = []
    for start, end in _found.spans:
        if spans and start - spans[-1][1] < MERGE_GAP:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    _found.spans = []
    return spans


def read_mixed(data: bytes) -> str:
    """UTF-8 where valid, every other byte as Windows-1252, as `decode_bytes` reads it."""
    return data.decode("utf-8", errors="textrepair-log-windows-1252")


def decode_records(data: bytes, text_offset: int) -> list[dict[str, Any]]:
    """Decode records for the stray bytes of one UTF-8 piece whose text starts at `text_offset`.

    Each stray byte is one character (Windows-1252, the five undefined bytes read as C1
    controls); valid bytes between the strays of one record are read as UTF-8.
    """
    records = []
    byte_position, char_position = 0, text_offset
    for start, end in stray_spans(data):
        char_position += len(data[byte_position:start].decode("utf-8"))
        text = read_mixed(data[start:end])
        records.append(decode_record(char_position, data[start:end], text))
        char_position += len(text)
        byte_position = end
    return records


def end_record(name: str, **fields: Any) -> dict[str, Any]:
    return {"input": name, "stage": "end", **fields}


class LogWriter:
    """Writes records as JSON lines to a text stream, naming it in any write failure."""

    def __init__(self, name: str, stream: IO[str]) -> None:
        self.name = name
        self.stream = stream

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        try:
            self.stream.write(text)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as error:
            raise StreamError(self.name, _why(error)) from None

    def close(self) -> None:
        try:
            self.stream.close()
        except OSError as error:
            raise StreamError(self.name, _why(error)) from None


def open_log(path: str | None) -> LogWriter | None:
    """The --explain log: the file `path`, '-' for stderr, or None for no log."""
    if path is None:
        return None
    if path == "-":
        return LogWriter(STDERR, sys.stderr)
    try:
        return LogWriter(path, open(path, "w", encoding="utf-8"))
    except OSError as error:
        raise StreamError(path, _why(error)) from None


def _why(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)


def rebuild_bytes(output: str, records: Iterable[dict[str, Any]]) -> bytes:
    """The exact input bytes of one input, from its repaired text and its --explain records.

    The edits are undone first (giving the decoded input), then the text is encoded
    again, with each "decode" record putting back the bytes it stands for.
    """
    edits: list[Edit] = []
    decodes: list[dict[str, Any]] = []
    encoding = "utf-8"
    for record in records:
        if record["stage"] == "end":
            encoding = record["encoding"]
        elif record["stage"] == "decode":
            decodes.append(record)
        else:
            fields = ("start", "end", "before", "after", "stage", "reason")
            edits.append(Edit(*(record[name] for name in fields)))
    edits.sort(key=lambda edit: (edit.start, edit.end))
    decoded = undo_edits(output, edits)
    parts: list[bytes] = []
    position = 0
    for record in sorted(decodes, key=lambda record: (record["start"], record["end"])):
        parts.append(decoded[position : record["start"]].encode(encoding, errors="surrogatepass"))
        parts.append(bytes.fromhex(record["bytes"]))
        position = record["end"]
    parts.append(decoded[position:].encode(encoding, errors="surrogatepass"))
    return b"".join(parts)


def read_log(name: str) -> Iterator[dict[str, Any]]:
    """The records of an --explain log, checked to be JSON objects with a stage."""
    try:
        with open(name, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as error:
                    raise StreamError(name, f"line {number}: not JSON ({error})") from None
                if not isinstance(record, dict) or "stage" not in record or "input" not in record:
                    raise StreamError(name, f"line {number}: not an --explain record")
                yield record
    except OSError as error:
        raise StreamError(name, _why(error)) from None
    except UnicodeDecodeError:
        raise StreamError(name, "not UTF-8: not an --explain log") from None


def undo(log: str, take: Callable[[int], str]) -> Iterator[bytes]:
    """The original bytes of every input in `log`, input by input.

    `take(n)` returns the next `n` characters of the repaired text (fewer at its end),
    so only one input's text is held at a time.
    """
    by_input: dict[str, list[dict[str, Any]]] = {}
    position = 0
    for record in read_log(log):
        by_input.setdefault(record["input"], []).append(record)
        if record["stage"] == "end":
            length = record.get("output_chars", 0)
            text = take(length) if isinstance(length, int) else ""
            position += len(text)
            if len(text) != length:
                raise StreamError(
                    log, f"describes more than the {position} characters of output given"
                )
            try:
                yield rebuild_bytes(text, by_input.pop(record["input"]))
            except (KeyError, TypeError, ValueError, UnicodeError) as error:
                raise StreamError(log, f"does not match the repaired text: {error}") from None
    rest = len(take(-1))
    if rest:
        raise StreamError(
            log, f"describes {position} characters of output, but {position + rest} were given"
        )
