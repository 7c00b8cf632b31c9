"""The ``textrepair`` command: argument parsing, readers and writers, exit statuses.

Wiring only. The streaming is `textrepair.streams`, the subcommands `textrepair.commands`,
and every repair decision `textrepair.repair`. Every failure the user can cause ends
here as one line, ``textrepair: FILE: what went wrong``, and a documented exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import textrepair

from .commands import SUBCOMMANDS, add_repair_arguments, options_from, outputs_clash
from .options import Options
from .pipeline import prepare
from .streams.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    PROG,
    StreamError,
    Terminated,
    describe,
    error_name,
    report,
)
from .streams.executor import AUTO_JOBS_BYTES, execute, worker_count
from .streams.filter import Filter, Stop, undo_inputs
from .streams.log import open_log
from .streams.output import Output, silence_stdout
from .streams.progress import Progress

__all__ = [
    "AUTO_JOBS_BYTES",
    "EXIT_BROKEN_PIPE",
    "SUBCOMMANDS",
    "build_parser",
    "main",
    "options_from",
    "worker_count",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (never raises SystemExit)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            return SUBCOMMANDS[arguments[0]](arguments[1:])
        return clean_command(arguments)
    except SystemExit as exit_:  # argparse: --help, --version, usage errors
        code = exit_.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Terminated:
        return EXIT_TERMINATED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except StreamError as error:
        report(error.name, error.message)
    except (OSError, UnicodeError, ValueError, TypeError, MemoryError, EOFError) as error:
        report(error_name(error, ""), describe(error))
    silence_stdout()  # what could not be written must not fail again at exit
    return EXIT_INPUT


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
  textrepair report page.txt -o report.html  # every edit highlighted, in one HTML page

exit status: 0 all input processed; 1 some input could not be read or had malformed
records (the rest was processed), or an output could not be written; 2 usage error
(including an output that is also an input); 130 interrupted (Ctrl-C); 141 the reader
of the output went away (as `cat | head`); 143 terminated (SIGTERM).
Messages on stderr read "textrepair: FILE: what went wrong".
See docs/cli.md for the full reference.
"""


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 (all cores) or more")
    return number


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
    add = parser.add_argument
    add(
        "files",
        nargs="*",
        metavar="FILE",
        help="input files, read in order; '-' is stdin (default); gzip is read transparently",
    )
    add("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    add("--version", action="version", version=f"%(prog)s {textrepair.__version__}")

    add_repair_arguments(parser)

    records = parser.add_argument_group("JSON lines").add_argument
    records(
        "--jsonl", action="store_true", help="each line is a JSON object; repair one string field"
    )
    records("--field", default="text", metavar="NAME", help="the field to repair (default: text)")
    records(
        "--strict",
        action="store_true",
        help="stop at the first malformed line (default: pass it through)",
    )

    other = parser.add_argument_group("explaining, undoing, speed").add_argument
    other(
        "--explain", metavar="FILE", help="write every edit as a JSON line to FILE ('-' for stderr)"
    )
    other(
        "--undo",
        metavar="LOG",
        help="read repaired text and write the original input bytes back, using an --explain LOG",
    )
    other(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="repair in N worker processes, order kept (0: all cores; default: all cores "
        f"for input files of {AUTO_JOBS_BYTES // 2**20} MiB or more, else 1)",
    )
    return parser


def clean_command(argv: list[str]) -> int:
    """The default filter: repair every input and write the text."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.jsonl and (
        {"--field", "--strict"} & set(argv) or any(a.startswith("--field=") for a in argv)
    ):
        parser.error("--field and --strict need --jsonl")
    if args.undo and (args.jsonl or args.explain):
        parser.error("--undo cannot be combined with --jsonl or --explain")
    if args.lexicon and not os.path.isfile(args.lexicon):
        parser.error(f"--lexicon: no such file: {args.lexicon}")
    inputs = args.files or ["-"]
    outputs = [(args.output or "<stdout>", args.output)]
    if args.explain and args.explain != "-":
        outputs.append((args.explain, args.explain))
    if outputs_clash([*inputs, *filter(None, [args.undo])], outputs):
        return EXIT_USAGE
    if args.undo:
        out = Output.open(args.output)
        undo_inputs(args.undo, inputs, out)
        out.close()
        return EXIT_OK
    options = options_from(args)
    _load_tables(options)  # before -o empties its file: a bad lexicon must cost nothing
    out = Output.open(args.output)
    log = open_log(args.explain)
    progress = Progress.for_inputs(inputs, stderr_used=args.explain == "-")
    run = Filter(options, out, log, progress, field=args.field, strict=args.strict)
    try:
        tasks = run.jsonl_tasks(inputs) if args.jsonl else run.text_tasks(inputs)
        execute(tasks, worker_count(args.jobs, inputs), options)
    except Stop:
        pass
    finally:
        if progress is not None:
            progress.close()
    out.close()
    if log is not None and args.explain != "-":
        log.close()
    return run.status


def _load_tables(options: Options) -> None:
    """Load the tables now, so that a bad --lexicon is reported before any output."""
    try:
        prepare(options)
    except ValueError as error:  # a malformed lexicon row (LexiconError: "FILE:LINE: ...")
        message = str(error)
        if options.lexicon and not message.startswith(options.lexicon):
            raise StreamError(options.lexicon, message) from None
        raise
