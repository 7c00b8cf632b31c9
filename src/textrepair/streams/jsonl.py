"""JSON lines: reading lines in bounded memory, repairing one string field per record.

A line longer than MAX_RECORD_BYTES is never held whole: it comes out in pieces, to be
passed through unchanged (and reported), since a record that large is not a document
the repair could take as one unit anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import textrepair

from ..options import Options
from ..stages.encoding import UTF16_BOMS

# The largest line repaired as a record: a unit's worth of input (units.MAX_UNIT_CHARS).
MAX_RECORD_BYTES = 1024 * 1024

# Lines are sent to workers in batches of about this many bytes.
JSONL_BATCH_BYTES = 64 * 1024

LINE, PART, LAST_PART = "line", "part", "last part"


def split_lines(chunks: Iterable[bytes]) -> Iterator[tuple[str, bytes]]:
    """(kind, bytes) for every line, its line break kept; kind is LINE for a whole line.

    A line longer than MAX_RECORD_BYTES comes as PART pieces ending with a LAST_PART.
    """
    buffer = bytearray()
    in_long_line = False
    for chunk in chunks:
        buffer += chunk
        start = 0
        while (end := buffer.find(b"\n", start)) >= 0:
            yield (LAST_PART if in_long_line else LINE), bytes(buffer[start : end + 1])
            in_long_line = False
            start = end + 1
        del buffer[:start]
        if len(buffer) > MAX_RECORD_BYTES:
            yield PART, bytes(buffer)
            buffer.clear()
            in_long_line = True
    if buffer or in_long_line:
        yield (LAST_PART if in_long_line else LINE), bytes(buffer)


def parse_record(text: str, field_name: str) -> tuple[str, dict[str, Any] | None]:
    """A parsed JSON object with a string `field_name`, or what is wrong with the line."""
    try:
        value = json.loads(text)
    except ValueError as error:
        return f"not JSON ({getattr(error, 'msg', error)})", None
    if not isinstance(value, dict):
        return f"not a JSON object but {type(value).__name__}", None
    if field_name not in value:
        return f"no field {field_name!r}", None
    if not isinstance(value[field_name], str):
        return f"field {field_name!r} is not a string", None
    return "", value


def decode_line(data: bytes) -> tuple[str, int]:
    """`textrepair.decode_bytes` for one line of a UTF-8 stream: never read as UTF-16.

    A line that happens to start with a UTF-16 byte order mark is not UTF-16 (the
    stream's start decides that), so its first byte is read as Windows-1252.
    """
    if data[:2] in UTF16_BOMS:
        text, stray = textrepair.decode_bytes(data[1:])
        return data[:1].decode("sloppy-windows-1252") + text, stray + 1
    return textrepair.decode_bytes(data)


BatchResult = tuple[bytes, list[tuple[int, str]], int, list[dict[str, Any]], list[int]]


def repair_batch(
    lines: list[bytes], field_name: str, options: Options, explain: bool
) -> BatchResult:
    """Repair one field in each JSON line of a batch (in a worker).

    Returns the output, the malformed lines (index in batch, message), how many bytes
    were not UTF-8, the edits as explain records (line index in "line"), and where
    each output line ends (so --strict can write exactly the lines before a bad one).
    """
    output: list[bytes] = []
    ends: list[int] = []
    problems: list[tuple[int, str]] = []
    non_utf8 = 0
    records: list[dict[str, Any]] = []
    size = 0
    for index, raw in enumerate(lines):
        content = raw.rstrip(b"\r\n")
        line = raw
        if content.strip():
            text, stray = decode_line(content)
            non_utf8 += stray
            problem, value = parse_record(text, field_name)
            if problem or value is None:
                problems.append((index, problem))
            else:
                result = textrepair.repair(value[field_name], options)
                value[field_name] = result.text
                line = _dump(value) + raw[len(content) :]
                if explain:
                    records += [
                        {"line": index, "field": field_name, **edit.as_dict()}
                        for edit in result.edits
                    ]
        output.append(line)
        size += len(line)
        ends.append(size)
    return b"".join(output), problems, non_utf8, records, ends


def _dump(value: dict[str, Any]) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates in the input: keep them escaped
        return json.dumps(value).encode("ascii")
