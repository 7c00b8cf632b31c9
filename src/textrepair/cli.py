"""The ``textrepair`` command: a streaming Unix filter over the library.

This module only parses arguments, streams bytes in and out, runs units in worker
processes and reports; every repair decision is made by `textrepair.repair`.

Input is read as bytes and cut into *units* at blank-line boundaries, so memory stays
flat however long the input is, while each repair still sees whole paragraphs (and,
for a typical article, the whole article) as its context.
"""

from __future__ import annotations

import argparse
import codecs
import collections
import concurrent.futures
import gc
import gzip
import io
import json
import multiprocessing
import os
import re
import signal
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO, TextIO

import textrepair
from textrepair import Options
from textrepair.edits import Edit, undo_edits
from textrepair.pipeline import prepare
from textrepair.stages.encoding import decode_bytes  # the same as textrepair.decode_bytes

PROG = "textrepair"

# A unit groups consecutive paragraphs up to this many bytes of input (characters, for
# ASCII text). 256 KiB holds a typical web article many times over, so the repair sees
# the whole article as its context, while memory per unit stays small and fixed.
UNIT_CHARS = 256 * 1024

# A paragraph longer than UNIT_CHARS is cut at a line break; a single line longer than
# this is cut at the last whitespace before it (or, failing that, right here, at a
# character boundary). It bounds the read buffer, hence the memory, per input.
MAX_UNIT_CHARS = 1024 * 1024

# How much is read from an input at a time.
READ_SIZE = 256 * 1024

# Units in flight per worker process: enough to keep workers busy while the main
# process reads and writes, few enough that memory stays bounded (in-flight units x
# MAX_UNIT_CHARS at worst).
IN_FLIGHT_PER_JOB = 4

# Without --jobs, regular input files of at least this many bytes in all are repaired on
# every core: a few units per worker, so that worker start-up is small against the work.
# Standard input and smaller files run in one process (a pipe's size is unknown).
AUTO_JOBS_BYTES = 4 * UNIT_CHARS

# In --jsonl mode, lines are sent to workers in batches of about this many bytes.
JSONL_BATCH_BYTES = 64 * 1024

# The progress line on a terminal is redrawn at most this often (seconds).
PROGRESS_INTERVAL = 0.2

EXIT_OK = 0
EXIT_INPUT = 1  # some input could not be read, had malformed records, or output failed
EXIT_USAGE = 2  # argparse's own code for usage errors
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as `cat` would report it

# What reading a damaged input raises (a truncated or corrupt .gz, an I/O error).
READ_ERRORS = (OSError, EOFError, zlib.error)

GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}

# A paragraph break: the line break that ends a line, then one or more blank lines
# (which may hold spaces or tabs). Trailing spaces of the last line stay in the text.
_PARAGRAPH_BREAK: dict[type, re.Pattern[Any]] = {
    bytes: re.compile(rb"\r?\n(?:[ \t]*\r?\n)+"),
    str: re.compile(r"\r?\n(?:[ \t]*\r?\n)+"),
}

# Subcommands (`textrepair NAME ...`), name -> function(argv) -> exit status. Anything
# else is the default `clean` filter; a file named like a subcommand is passed as ./NAME.
Subcommand = Callable[[list[str]], int]
SUBCOMMANDS: dict[str, Subcommand] = {}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (never raises SystemExit)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    from . import commands  # noqa: F401  (registers the subcommands)

    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            return SUBCOMMANDS[arguments[0]](arguments[1:])
        return clean_command(arguments)
    except SystemExit as exit_:  # argparse: --help, --version, usage errors
        code = exit_.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE


# --------------------------------------------------------------------------- parsing

_EPILOG = """\
examples:
  textrepair < scraped.txt > clean.txt
  textrepair -o clean.txt part1.txt part2.txt.gz
  textrepair --jsonl --field body --jobs 0 crawl.jsonl.gz > clean.jsonl
  textrepair --explain edits.jsonl page.txt > clean.txt
  textrepair --undo edits.jsonl clean.txt > page.txt   # the exact input bytes again
  textrepair score corpus/spun/*.txt        # spin score per document (--format json)
  textrepair eval corpus                    # precision/recall on spun/, damage on clean/
  textrepair diff page.txt | less -R        # every change marked, word by word
  textrepair learn original.txt spun.txt -o my.tsv && textrepair --lexicon my.tsv ...

exit status: 0 all input processed; 1 some input could not be read or had malformed
records (the rest was processed); 2 usage error; 130 interrupted.
See docs/cli.md for the full reference.
"""


def _confidence(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return number


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 (all cores) or more")
    return number


def _worker_count(requested: int | None, inputs: Sequence[str]) -> int:
    """How many worker processes to use (see AUTO_JOBS_BYTES for the default)."""
    if requested is None:
        try:
            size = sum(os.stat(name).st_size for name in inputs if name != "-")
        except OSError:
            return 1  # the input is reported when it is opened
        large = "-" not in inputs and size >= AUTO_JOBS_BYTES
        return (os.cpu_count() or 1) if large else 1
    return requested or os.cpu_count() or 1


def build_parser() -> argparse.ArgumentParser:
    """The parser of the default `clean` filter."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Repair damaged web text (mojibake, HTML entities, odd characters, glued "
            "tokens, synonym spinning). Reads FILEs (or stdin) and writes UTF-8 text."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="input files, read in order; '-' is stdin (default); .gz is read transparently",
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    parser.add_argument("--version", action="version", version=f"%(prog)s {textrepair.__version__}")

    stages = parser.add_argument_group("stages")
    stages.add_argument(
        "--no-encoding", action="store_true", help="keep mojibake and HTML entities"
    )
    stages.add_argument(
        "--no-normalise",
        action="store_true",
        help="keep line endings, invisible characters, odd spaces and non-NFC text",
    )
    stages.add_argument("--no-glue", action="store_true", help="do not split glued tokens")
    stages.add_argument("--no-unspin", action="store_true", help="do not undo synonym spinning")
    stages.add_argument("--fold-quotes", action="store_true", help="curly quotes to straight ones")
    stages.add_argument("--fold-dashes", action="store_true", help='en and em dashes to "-"')
    stages.add_argument(
        "--min-confidence",
        type=_confidence,
        metavar="X",
        default=Options().min_confidence,
        help="apply unspin edits only at or above this confidence (default: %(default)s)",
    )
    stages.add_argument(
        "--lexicon",
        metavar="PATH",
        help="user lexicon (TSV spun<TAB>original) on top of the shipped one",
    )

    jsonl = parser.add_argument_group("JSON lines")
    jsonl.add_argument(
        "--jsonl", action="store_true", help="each line is a JSON object; repair one string field"
    )
    jsonl.add_argument(
        "--field", default="text", metavar="NAME", help="the field to repair (default: text)"
    )
    jsonl.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first malformed line (default: pass it through)",
    )

    other = parser.add_argument_group("explaining, undoing, speed")
    other.add_argument(
        "--explain",
        metavar="FILE",
        help="write every edit as a JSON line to FILE ('-' for stderr)",
    )
    other.add_argument(
        "--undo",
        metavar="LOG",
        help="read repaired text and write the original input bytes back, using an --explain LOG",
    )
    other.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help=(
            "repair in N worker processes, order kept (0: all cores; default: all cores "
            f"for input files of {AUTO_JOBS_BYTES // 2**20} MiB or more, else 1)"
        ),
    )
    return parser


def options_from(args: argparse.Namespace) -> Options:
    """The library options the command-line switches ask for."""
    return Options(
        fix_encoding=not args.no_encoding,
        normalise=not args.no_normalise,
        split_glued=not args.no_glue,
        unspin=not args.no_unspin,
        fold_quotes=args.fold_quotes,
        fold_dashes=args.fold_dashes,
        min_confidence=args.min_confidence,
        lexicon=args.lexicon,
    )


def clean_command(argv: list[str]) -> int:
    """The default filter: repair every input and write the text."""
    parser = build_parser()
    args = parser.parse_args(argv)
    given = set(argv)
    if not args.jsonl and (
        {"--field", "--strict"} & given or any(a.startswith("--field=") for a in argv)
    ):
        parser.error("--field and --strict need --jsonl")
    if args.undo and (args.jsonl or args.explain):
        parser.error("--undo cannot be combined with --jsonl or --explain")
    if args.lexicon and not os.path.isfile(args.lexicon):
        parser.error(f"--lexicon: no such file: {args.lexicon}")
    inputs = args.files or ["-"]
    if args.output and os.path.exists(args.output):
        for name in inputs:
            if name != "-" and os.path.exists(name) and os.path.samefile(name, args.output):
                parser.error(f"output {args.output} is also an input; it would be overwritten")
    jobs = _worker_count(args.jobs, inputs)

    try:
        out = open(args.output, "wb") if args.output else _binary(sys.stdout)  # noqa: SIM115
    except OSError as error:
        _report(args.output, _describe(error))
        return EXIT_INPUT
    explain: TextIO | None = None
    try:
        if args.explain == "-":
            explain = sys.stderr
        elif args.explain:
            explain = open(args.explain, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        _report(args.explain, _describe(error))
        return EXIT_INPUT

    run = _Run(options_from(args), out, explain, args)
    try:
        if args.undo:
            return _undo_command(args.undo, inputs, out)
        run.progress = _Progress.for_inputs(inputs, explain is sys.stderr)
        tasks = run.jsonl_tasks(inputs) if args.jsonl else run.text_tasks(inputs)
        _execute(tasks, jobs, run.options)
        return run.status
    except _Stop:
        return EXIT_INPUT
    finally:
        if run.progress:
            run.progress.finish()
        if explain is not None and explain is not sys.stderr:
            explain.close()
        if args.output:
            out.close()
        else:
            out.flush()


# --------------------------------------------------------------------------- reading


def _binary(stream: Any) -> Any:
    """The byte stream under a text stream (sys.stdin/stdout), or the stream itself."""
    return getattr(stream, "buffer", stream)


def _open_input(name: str) -> tuple[Any, BinaryIO | None]:
    """Open an input for reading bytes, gunzipping it if it starts with the gzip magic.

    Returns the stream to read and the underlying file (for progress), or None for stdin.
    """
    if name == "-":
        raw: BinaryIO | None = None
        stream: Any = _binary(sys.stdin)
    else:
        raw = open(name, "rb")  # noqa: SIM115
        stream = raw
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    if stream.peek(2)[:2] == GZIP_MAGIC:
        stream = gzip.GzipFile(fileobj=stream, mode="rb")
    return stream, raw


def _chunks(read: Callable[[int], Any], size: int = READ_SIZE) -> Iterator[Any]:
    while chunk := read(size):
        yield chunk


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
    last_break = None
    for match in pattern.finditer(buffer):
        if match.start() > UNIT_CHARS:
            break
        last_break = match
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


def _whole(buffer: Any, newline: Any, cr: Any) -> tuple[int, int]:
    """All of the (final) buffer: its text, and its trailing line breaks as separator."""
    body_end = len(buffer.rstrip(newline + cr))
    return body_end, len(buffer)


_stray_spans: list[tuple[int, int]] = []


def _record_stray(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _stray_spans.append((error.start, error.end))
    return "", error.end


codecs.register_error("textrepair-cli-spans", _record_stray)


def _decode_records(data: bytes, text_offset: int) -> list[dict[str, Any]]:
    """Where `decode_bytes` read bytes that were not UTF-8 (one per run), with the bytes.

    Positions are characters of the decoded text plus `text_offset`; each stray byte is
    one character (Windows-1252, with the five undefined bytes read as C1 controls).
    """
    _stray_spans.clear()
    data.decode("utf-8", errors="textrepair-cli-spans")
    records: list[dict[str, Any]] = []
    byte_position, char_position = 0, text_offset
    for start, end in _stray_spans:
        char_position += len(data[byte_position:start].decode("utf-8"))
        stray = data[start:end]
        records.append(_decode_record(char_position, stray, stray.decode("sloppy-windows-1252")))
        char_position += end - start
        byte_position = end
    _stray_spans.clear()
    return records


def _decode_record(start: int, raw: bytes, text: str, **extra: Any) -> dict[str, Any]:
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


def decode_utf8(data: bytes) -> tuple[str, int]:
    """`textrepair.decode_bytes` for a piece of a UTF-8 stream: never read as UTF-16.

    A piece that happens to start with a UTF-16 byte order mark is not UTF-16 (the
    stream's start decides that), so its first byte is read as Windows-1252.
    """
    if data[:2] in _UTF16_BOMS:
        text, stray = decode_bytes(data[1:])
        return data[:1].decode("sloppy-windows-1252") + text, stray + 1
    return decode_bytes(data)


@dataclass
class _Input:
    """What is known about one input while it streams."""

    name: str
    encoding: str = "utf-8"
    non_utf8: int = 0
    units: int = 0
    chars: int = 0  # decoded characters read so far: the offset of the next unit
    output_chars: int = 0
    failed: bool = False

    def decode(self, data: bytes, explain: bool) -> tuple[str, list[dict[str, Any]]]:
        """Decode one UTF-8 unit with `textrepair.decode_bytes`, keeping every byte."""
        prefix, records = "", []
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            if self.chars == 0:  # a byte order mark: dropped, but recorded
                records.append(_decode_record(0, codecs.BOM_UTF8, ""))
            else:  # inside the stream it is a character, which the repair explains
                prefix = "\ufeff"
        if data[:2] in _UTF16_BOMS:  # decode_bytes would read the unit as UTF-16
            prefix += data[:1].decode("sloppy-windows-1252")
            self.non_utf8 += 1
            if explain:
                records.append(_decode_record(self.chars + len(prefix) - 1, data[:1], prefix[-1]))
            data = data[1:]
        text, stray = decode_bytes(data)
        self.non_utf8 += stray
        if stray and explain:
            records.extend(_decode_records(data, self.chars + len(prefix)))
        return prefix + text, records


# --------------------------------------------------------------------------- running


class _Stop(Exception):
    """Raised by a result handler to stop everything (--strict)."""


@dataclass
class _Task:
    """Work for a worker (`function(*arguments)`), then `done(result)` in input order.

    A task without a function only runs `done(None)` in order (end of an input).
    """

    function: Callable[..., Any] | None
    arguments: tuple[Any, ...]
    done: Callable[[Any], None]


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the main process, which stops them without tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _execute(tasks: Iterator[_Task], jobs: int, options: Options) -> None:
    """Run tasks, in worker processes if jobs > 1, handling results in input order.

    At most IN_FLIGHT_PER_JOB x jobs tasks are pending at once, and tasks are drawn from
    the (lazy) iterator only as results are handled, so memory does not grow with input.
    Where processes can fork, the tables are loaded once here first and the workers
    share them (frozen out of the garbage collector, so that its visits do not copy
    the pages into each worker).
    """
    if jobs <= 1:
        for task in tasks:
            task.done(task.function(*task.arguments) if task.function else None)
        return
    context = None
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        prepare(options)
        gc.freeze()
    pending: collections.deque[tuple[concurrent.futures.Future[Any] | None, _Task]] = (
        collections.deque()
    )
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, initializer=_ignore_sigint, mp_context=context
    )
    try:
        for task in tasks:
            future = executor.submit(task.function, *task.arguments) if task.function else None
            pending.append((future, task))
            while len(pending) >= IN_FLIGHT_PER_JOB * jobs:
                _finish(*pending.popleft())
        while pending:
            _finish(*pending.popleft())
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _finish(future: concurrent.futures.Future[Any] | None, task: _Task) -> None:
    task.done(future.result() if future is not None else None)


def repair_unit(
    text: str, separator: str, options: Options, explain: bool
) -> tuple[bytes, int, list[tuple[Any, ...]]]:
    """Repair one unit (in a worker): UTF-8 output, its length in characters, edits.

    The separator is repaired on its own, so only its line endings can change (and only
    when the normalise stage is on), whatever the stages do to the text.
    """
    result = textrepair.repair(text, options)
    separator_result = textrepair.repair(separator, options) if separator else None
    output = result.text + (separator_result.text if separator_result else "")
    edits: list[tuple[Any, ...]] = []
    if explain:
        edits = [_edit_tuple(edit, 0) for edit in result.edits]
        if separator_result:
            edits += [_edit_tuple(edit, len(text)) for edit in separator_result.edits]
    return _encode(output), len(output), edits


def _edit_tuple(edit: Edit, shift: int) -> tuple[Any, ...]:
    return (
        edit.start + shift,
        edit.end + shift,
        edit.before,
        edit.after,
        edit.stage,
        edit.reason,
        edit.confidence,
    )


def _encode(text: str) -> bytes:
    # Lone surrogates can only come from broken UTF-16 with --no-normalise; keep them.
    return text.encode("utf-8", errors="surrogatepass")


def repair_jsonl_batch(
    lines: list[bytes], field_name: str, options: Options, explain: bool
) -> tuple[bytes, list[tuple[int, str]], int, list[dict[str, Any]], list[int]]:
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
            text, stray = decode_utf8(content)
            non_utf8 += stray
            problem, value = _json_record(text, field_name)
            if problem or value is None:
                problems.append((index, problem))
            else:
                result = textrepair.repair(value[field_name], options)
                value[field_name] = result.text
                ending = raw[len(content) :]
                try:
                    line = json.dumps(value, ensure_ascii=False).encode("utf-8") + ending
                except UnicodeEncodeError:  # lone surrogates in the input: keep them escaped
                    line = json.dumps(value).encode("ascii") + ending
                if explain:
                    records += [
                        {"line": index, "field": field_name, **e.as_dict()} for e in result.edits
                    ]
        output.append(line)
        size += len(line)
        ends.append(size)
    return b"".join(output), problems, non_utf8, records, ends


def _json_record(text: str, field_name: str) -> tuple[str, dict[str, Any] | None]:
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


class _Run:
    """One run of the filter: the inputs' state, the outputs, the exit status."""

    def __init__(
        self, options: Options, out: BinaryIO, explain: TextIO | None, args: argparse.Namespace
    ):
        self.options = options
        self.out = out
        self.explain = explain
        self.args = args
        self.status = EXIT_OK
        self.progress: _Progress | None = None

    def fail(self, name: str, message: str) -> None:
        _report(name, message)
        self.status = EXIT_INPUT

    def _inputs(self, names: list[str]) -> Iterator[tuple[_Input, Any, BinaryIO | None]]:
        for name in names:
            label = "<stdin>" if name == "-" else name
            try:
                stream, raw = _open_input(name)
            except OSError as error:
                self.fail(label, _describe(error))
                continue
            try:
                yield _Input(label), stream, raw
            finally:
                if raw is not None:
                    raw.close()

    def _read_failed(self, state: _Input, error: BaseException) -> None:
        """An input broke while being read (e.g. a truncated .gz): say so, go on."""
        self.fail(state.name, _describe(error))
        state.failed = True

    def text_tasks(self, names: list[str]) -> Iterator[_Task]:
        """Units of every input, as tasks, then an end-of-input task for each."""
        explain = self.explain is not None
        for state, stream, raw in self._inputs(names):
            units = self._utf16_units(state, stream) if stream.peek(2)[:2] in _UTF16_BOMS else None
            if units is None:
                units = (
                    (*state.decode(body, explain), separator.decode("latin-1"))
                    for body, separator in split_units(_chunks(stream.read), b"")
                )
            try:
                for text, records, separator in units:
                    number, offset = state.units, state.chars
                    state.units += 1
                    state.chars += len(text) + len(separator)
                    done = self._unit_done(state, number, offset, records, raw)
                    yield _Task(repair_unit, (text, separator, self.options, explain), done)
            except READ_ERRORS as error:
                self._read_failed(state, error)
            yield _Task(None, (), self._input_done(state))

    def _utf16_units(
        self, state: _Input, stream: BinaryIO
    ) -> Iterator[tuple[str, list[dict[str, Any]], str]]:
        """Units of a stream that starts with a UTF-16 byte order mark, decoded as it reads."""
        bom = stream.read(2)
        state.encoding = _UTF16_BOMS[bom]
        decoder = codecs.getincrementaldecoder(state.encoding)(errors="surrogatepass")
        leftover = b""

        def text_chunks() -> Iterator[str]:
            nonlocal leftover
            for chunk in _chunks(stream.read):
                yield decoder.decode(chunk)
            leftover = decoder.getstate()[0]
            if leftover:  # an odd final byte: keep it, read as Windows-1252
                state.non_utf8 += len(leftover)
                yield leftover.decode("sloppy-windows-1252")

        records = [_decode_record(0, bom, "", encoding=state.encoding)]
        units = split_units(text_chunks(), "")
        current = next(units, None)
        while current is not None:
            following = next(units, None)  # one unit ahead, to know which is the last
            text, separator = current
            if following is None and leftover:
                tail = leftover.decode("sloppy-windows-1252")
                end = state.chars + len(text) + len(separator)
                records.append(_decode_record(end - len(tail), leftover, tail))
            yield text, records, separator
            records, current = [], following

    def _unit_done(
        self,
        state: _Input,
        number: int,
        offset: int,
        records: list[dict[str, Any]],
        raw: BinaryIO | None,
    ) -> Callable[[Any], None]:
        def done(result: tuple[bytes, int, list[tuple[Any, ...]]]) -> None:
            output, length, edits = result
            self.out.write(output)
            state.output_chars += length
            if self.explain is not None:
                head = {"input": state.name, "unit": number, "offset": offset}
                lines = [{**head, **record} for record in records]
                for start, end, before, after, stage, reason, confidence in edits:
                    lines.append(
                        {
                            **head,
                            "start": start + offset,
                            "end": end + offset,
                            "before": before,
                            "after": after,
                            "stage": stage,
                            "reason": reason,
                            "confidence": round(confidence, 4),
                        }
                    )
                self._explain(lines)
            if self.progress and raw is not None:
                self.progress.update(raw.tell())

        return done

    def _input_done(self, state: _Input) -> Callable[[Any], None]:
        def done(_: None) -> None:
            if state.non_utf8:
                _report(
                    state.name,
                    f"warning: {state.non_utf8} byte{'s' * (state.non_utf8 != 1)} not valid UTF-8, "
                    "read as Windows-1252",
                )
            if self.explain is not None:
                self._explain(
                    [
                        {
                            "input": state.name,
                            "stage": "end",
                            "units": state.units,
                            "chars": state.chars,
                            "output_chars": state.output_chars,
                            "non_utf8_bytes": state.non_utf8,
                            "encoding": state.encoding,
                            "complete": not state.failed,
                        }
                    ]
                )
            if self.progress:
                self.progress.next_input()

        return done

    def jsonl_tasks(self, names: list[str]) -> Iterator[_Task]:
        """Batches of JSON lines of every input, as tasks."""
        explain = self.explain is not None
        for state, stream, raw in self._inputs(names):
            lines: Iterable[bytes] = stream
            if stream.peek(2)[:2] in _UTF16_BOMS:
                state.encoding = _UTF16_BOMS[stream.peek(2)[:2]]
                wrapper = io.TextIOWrapper(
                    stream, encoding="utf-16", errors="surrogatepass", newline=""
                )
                lines = (line.encode("utf-8", errors="surrogatepass") for line in wrapper)
            first_line = 1
            try:
                for batch in _batches(lines):
                    done = self._batch_done(state, first_line, len(batch), raw)
                    yield _Task(
                        repair_jsonl_batch, (batch, self.args.field, self.options, explain), done
                    )
                    first_line += len(batch)
            except READ_ERRORS as error:
                self._read_failed(state, error)
            yield _Task(None, (), self._input_done(state))

    def _batch_done(
        self, state: _Input, first_line: int, count: int, raw: BinaryIO | None
    ) -> Callable[[Any], None]:
        def done(
            result: tuple[bytes, list[tuple[int, str]], int, list[dict[str, Any]], list[int]],
        ) -> None:
            output, problems, non_utf8, records, ends = result
            state.non_utf8 += non_utf8
            state.units += count
            if problems and self.args.strict:
                index, message = problems[0]
                self.out.write(output[: ends[index - 1] if index else 0])
                self.fail(state.name, f"line {first_line + index}: {message}")
                raise _Stop
            self.out.write(output)
            for index, message in problems:
                self.fail(
                    state.name, f"line {first_line + index}: {message}; passed through unchanged"
                )
            if self.explain is not None:
                self._explain(
                    [
                        {"input": state.name, **record, "line": first_line + record["line"]}
                        for record in records
                    ]
                )
            if self.progress and raw is not None:
                self.progress.update(raw.tell())

        return done

    def _explain(self, records: list[dict[str, Any]]) -> None:
        assert self.explain is not None
        self.explain.write(
            "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        )


def _batches(lines: Iterable[bytes]) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    size = 0
    for line in lines:
        batch.append(line)
        size += len(line)
        if size >= JSONL_BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


# --------------------------------------------------------------------------- undoing


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
            edits.append(
                Edit(
                    record["start"],
                    record["end"],
                    record["before"],
                    record["after"],
                    record["stage"],
                    record["reason"],
                )
            )
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


def _read_all(name: str) -> bytes:
    stream, raw = _open_input(name)
    try:
        data: bytes = stream.read()
        return data
    finally:
        if raw is not None:
            raw.close()


def _undo_command(log: str, inputs: list[str], out: BinaryIO) -> int:
    """--undo: split the repaired text by input (from the log) and rebuild each input."""
    try:
        with open(log, encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        data = b"".join(_read_all(name) for name in inputs)
    except (OSError, ValueError) as error:
        _report(log, _describe(error))
        return EXIT_INPUT
    text = data.decode("utf-8", errors="surrogatepass")
    by_input: dict[str, list[dict[str, Any]]] = {}
    position = 0
    try:
        for record in records:
            by_input.setdefault(record["input"], []).append(record)
            if record["stage"] == "end":
                end = position + record["output_chars"]
                out.write(rebuild_bytes(text[position:end], by_input.pop(record["input"])))
                position = end
    except (KeyError, ValueError) as error:
        _report(log, f"does not match the repaired text: {error}")
        return EXIT_INPUT
    if position != len(text):
        _report(log, f"describes {position} characters of output, but {len(text)} were given")
        return EXIT_INPUT
    return EXIT_OK


# --------------------------------------------------------------------------- reporting


def _report(name: str, message: str) -> None:
    print(f"{PROG}: {name}: {message}", file=sys.stderr, flush=True)


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


@dataclass
class _Progress:
    """Bytes read of the input files on a terminal; only made when stderr is one."""

    total: int
    stream: IO[str] = field(default_factory=lambda: sys.stderr)
    done_before: int = 0  # bytes of finished inputs
    current: int = 0
    last_draw: float = 0.0
    sizes: list[int] = field(default_factory=list)

    @classmethod
    def for_inputs(cls, names: list[str], explain_on_stderr: bool) -> _Progress | None:
        if explain_on_stderr or "-" in names or not sys.stderr.isatty():
            return None
        sizes = []
        for name in names:
            try:
                sizes.append(os.path.getsize(name))
            except OSError:
                sizes.append(0)
        return cls(sum(sizes), sizes=sizes)

    def update(self, position: int) -> None:
        self.current = position
        now = time.monotonic()
        if now - self.last_draw >= PROGRESS_INTERVAL:
            self.last_draw = now
            done = self.done_before + position
            percent = 100 * done / self.total if self.total else 100.0
            self.stream.write(
                f"\r{PROG}: {done / 1e6:.1f} / {self.total / 1e6:.1f} MB ({percent:.0f}%)"
            )
            self.stream.flush()

    def next_input(self) -> None:
        self.done_before += self.sizes.pop(0) if self.sizes else self.current
        self.current = 0

    def finish(self) -> None:
        if self.last_draw:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
