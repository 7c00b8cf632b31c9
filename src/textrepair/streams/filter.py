"""The default filter: every input's units (or JSON lines) repaired, written in order.

`Filter` turns inputs into executor tasks and handles their results: output, the
--explain log, progress and the exit status. Sources are read lazily; results arrive
later, so nothing a result handler uses refers back to a file that may be closed.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import textrepair

from ..options import Options
from . import jsonl
from .errors import EXIT_INPUT, EXIT_OK, StreamError, describe, report
from .executor import Task
from .log import MERGE_GAP, EditTuple, LogWriter, edit_record, edit_tuple, end_record, undo
from .output import Output
from .progress import Progress
from .reading import Source, open_source
from .units import TextInput, Unit, utf8_chunks


class Stop(Exception):
    """Raised by a result handler to stop everything (--strict)."""


def repair_pair(
    text: str, separator: str, options: Options
) -> tuple[textrepair.Repair, textrepair.Repair | None]:
    """The repair of a unit's text, and of its separator on its own (None if empty)."""
    result = textrepair.repair(text, options)
    return result, (textrepair.repair(separator, options) if separator else None)


def clean_units(units: Iterable[tuple[str, str]], options: Options) -> str:
    """The repaired text of (text, separator) units, joined: what the filter writes."""
    parts = []
    for text, separator in units:
        result, separator_result = repair_pair(text, separator, options)
        parts.append(result.text + (separator_result.text if separator_result else ""))
    return "".join(parts)


def repair_unit(
    text: str,
    separator: str,
    options: Options,
    explain: bool,
    opaque: Sequence[tuple[int, int]] = (),
) -> tuple[bytes, int, list[EditTuple]]:
    """Repair one unit (in a worker): UTF-8 output, its length in characters, edits.

    The separator is repaired on its own, so only its line endings can change (and only
    when the normalise stage is on), whatever the stages do to the text. `opaque` are
    the spans of the text read from bytes that were not text (see `merge_edits`).
    """
    result, separator_result = repair_pair(text, separator, options)
    output = result.text + (separator_result.text if separator_result else "")
    edits: list[EditTuple] = []
    if explain:
        edits = merge_edits(text, [edit_tuple(edit) for edit in result.edits], opaque)
        if separator_result:
            edits += [edit_tuple(edit, len(text)) for edit in separator_result.edits]
    # Lone surrogates can only come from broken UTF-16 with --no-normalise; keep them.
    return output.encode("utf-8", errors="surrogatepass"), len(output), edits


def merge_edits(
    text: str, edits: list[EditTuple], opaque: Sequence[tuple[int, int]]
) -> list[EditTuple]:
    """Edits with runs of nearby ones inside an opaque span (bytes that were not text)
    made one.

    Random bytes get an edit for nearly every control character; one record per run
    keeps the --explain log a few times the input instead of tens of times, and still
    says exactly what the span was and became. Edits closer than MERGE_GAP characters
    to each other form a run, so the edits of real text are left as they are.
    """
    merged: list[EditTuple] = []
    run: list[EditTuple] = []
    spans = iter(opaque)
    span = next(spans, None)
    run_span = None

    def flush() -> None:
        if len(run) > 1:
            start, end = run[0][0], run[-1][1]
            pieces, position = [], start
            for edit in run:
                pieces += [text[position : edit[0]], edit[3]]
                position = edit[1]
            stages = "+".join(dict.fromkeys(edit[4] for edit in run))
            reason = f"{len(run)} edits of bytes that were not text, merged"
            confidence = min(edit[6] for edit in run)
            merged.append(
                (start, end, text[start:end], "".join(pieces), stages, reason, confidence)
            )
        else:
            merged.extend(run)
        run.clear()

    for edit in edits:
        while span is not None and span[1] < edit[1]:
            span = next(spans, None)
        inside = span is not None and span[0] <= edit[0] and edit[1] <= span[1]
        if not inside or span != run_span or (run and edit[0] - run[-1][1] >= MERGE_GAP):
            flush()
        if inside:
            run.append(edit)
            run_span = span
        else:
            merged.append(edit)
            run_span = None
    flush()
    return merged


class Filter:
    """One run of the filter: the outputs, the progress bar, the exit status."""

    def __init__(
        self,
        options: Options,
        out: Output,
        log: LogWriter | None = None,
        progress: Progress | None = None,
        field: str = "text",
        strict: bool = False,
    ) -> None:
        self.options = options
        self.out = out
        self.log = log
        self.progress = progress
        self.field = field
        self.strict = strict
        self.status = EXIT_OK

    def fail(self, name: str, message: str) -> None:
        report(name, message)
        self.status = EXIT_INPUT

    def _sources(self, names: list[str]) -> Iterator[Source]:
        for name in names:
            try:
                source = open_source(name)
            except StreamError as error:
                self.fail(error.name, error.message)
                continue
            try:
                yield source
            finally:
                source.close()

    def _advance(self, position: int, documents: int) -> None:
        if self.progress is not None:
            self.progress.update(position, documents)

    def text_tasks(self, names: list[str]) -> Iterator[Task]:
        """Units of every input, as tasks, then an end-of-input task for each."""
        for source in self._sources(names):
            state = TextInput(source, explain=self.log is not None)
            for unit in state.read():
                opaque = [
                    (record["start"] - unit.offset, record["end"] - unit.offset)
                    for record in unit.records
                    if record["end"] > record["start"]
                ]
                arguments = (unit.text, unit.separator, self.options, state.explain, opaque)
                done = self._unit_done(state, unit)
                size = len(unit.text) + len(unit.separator)
                yield Task(repair_unit, arguments, done, state.name, size)
            yield Task(None, (), self._input_done(state, source.error))

    def _unit_done(self, state: TextInput, unit: Unit) -> Callable[[Any], None]:
        def done(result: tuple[bytes, int, list[EditTuple]]) -> None:
            output, length, edits = result
            self.out.write(output)
            state.output_chars += length
            if self.log is not None:
                head = {"input": state.name, "unit": unit.number, "offset": unit.offset}
                lines = [{**head, **record} for record in unit.records]
                lines += [{**head, **edit_record(edit, unit.offset)} for edit in edits]
                self.log.write(lines)
            self._advance(unit.position, 1)

        return done

    def _input_done(self, state: Any, error: BaseException | None) -> Callable[[Any], None]:
        size = state.source.size or 0

        def done(_: None) -> None:
            if error is not None:
                self.fail(state.name, describe(error))
            if state.non_utf8:
                plural = "s" * (state.non_utf8 != 1)
                report(
                    state.name,
                    f"warning: {state.non_utf8} byte{plural} not valid UTF-8, read as Windows-1252",
                )
            if self.log is not None:
                fields = {"units": state.units, "chars": state.chars}
                fields.update(output_chars=state.output_chars, non_utf8_bytes=state.non_utf8)
                fields.update(encoding=state.encoding, complete=error is None)
                self.log.write([end_record(state.name, **fields)])
            if self.progress is not None:
                self.progress.next_input(size)

        return done

    def jsonl_tasks(self, names: list[str]) -> Iterator[Task]:
        """Batches of JSON lines of every input, as tasks; over-long lines passed through."""
        for source in self._sources(names):
            state = TextInput(source, explain=self.log is not None)
            state.encoding, chunks = utf8_chunks(source)
            batch: list[bytes] = []
            size, line = 0, 1  # bytes in the batch, number of its first line
            first_piece = True
            for kind, data in jsonl.split_lines(chunks):
                if kind == jsonl.LINE:
                    batch.append(data)
                    size += len(data)
                    if size < jsonl.JSONL_BATCH_BYTES:
                        continue
                if batch:
                    yield self._batch_task(state, batch, line, source.position)
                    line, batch, size = line + len(batch), [], 0
                if kind != jsonl.LINE:
                    done = self._piece_done(state, data, line, first_piece, source.position)
                    yield Task(None, (), done, size=len(data))
                    first_piece = kind == jsonl.LAST_PART
                    line += first_piece
            if batch:
                yield self._batch_task(state, batch, line, source.position)
            yield Task(None, (), self._input_done(state, source.error))

    def _batch_task(self, state: TextInput, batch: list[bytes], line: int, position: int) -> Task:
        arguments = (batch, self.field, self.options, self.log is not None)
        done = self._batch_done(state, line, position)
        return Task(jsonl.repair_batch, arguments, done, state.name, sum(map(len, batch)))

    def _batch_done(
        self, state: TextInput, first_line: int, position: int
    ) -> Callable[[Any], None]:
        def done(result: jsonl.BatchResult) -> None:
            output, problems, non_utf8, records, ends = result
            state.non_utf8 += non_utf8
            state.units += len(ends)
            if problems and self.strict:
                index, message = problems[0]
                self.out.write(output[: ends[index - 1] if index else 0])
                self.fail(state.name, f"line {first_line + index}: {message}")
                raise Stop
            self.out.write(output)
            for index, message in problems:
                self.fail(
                    state.name, f"line {first_line + index}: {message}; passed through unchanged"
                )
            if self.log is not None:
                self.log.write(
                    {"input": state.name, **record, "line": first_line + record["line"]}
                    for record in records
                )
            self._advance(position, len(ends))

        return done

    def _piece_done(
        self, state: TextInput, data: bytes, line: int, first: bool, position: int
    ) -> Callable[[Any], None]:
        def done(_: None) -> None:
            if first:
                limit = f"longer than {jsonl.MAX_RECORD_BYTES} bytes"
                if self.strict:
                    self.fail(state.name, f"line {line}: {limit}")
                    raise Stop
                self.fail(state.name, f"line {line}: {limit}; passed through unchanged")
                state.units += 1
            self.out.write(data)
            self._advance(position, int(first))

        return done


def undo_inputs(log: str, names: list[str], out: Output) -> None:
    """--undo: the original bytes of every input in `log`, from the repaired `names`.

    The repaired text is read as the log asks for it, one input's worth at a time.
    """
    characters = _Characters(names)
    for data in undo(log, characters.take):
        out.write(data)


class _Characters:
    """The text of the inputs, in order, handed out a number of characters at a time."""

    def __init__(self, names: list[str]) -> None:
        self.chunks = self._chunks(names)
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogatepass")
        self.buffer = ""
        self.name = names[0] if names else ""

    def _chunks(self, names: list[str]) -> Iterator[bytes]:
        for name in names:
            source = open_source(name)
            self.name = source.name
            try:
                yield from source.chunks()
            finally:
                source.close()
            if source.error is not None:
                raise StreamError(source.name, describe(source.error))

    def take(self, count: int) -> str:
        """The next `count` characters (all that is left for a negative count)."""
        while count < 0 or len(self.buffer) < count:
            chunk = next(self.chunks, None)
            try:
                self.buffer += self.decoder.decode(chunk or b"", final=chunk is None)
            except UnicodeDecodeError as error:
                message = f"not UTF-8 ({error.reason}), so not repaired output"
                raise StreamError(self.name, message) from None
            if chunk is None:
                break
        cut = len(self.buffer) if count < 0 else count
        text, self.buffer = self.buffer[:cut], self.buffer[cut:]
        return text
