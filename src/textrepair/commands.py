"""Subcommands of the `textrepair` command line: score, diff, learn, eval, report.

Each takes its argument list and returns an exit status; it may raise StreamError (or
OSError, ValueError, ...), which `textrepair.cli.main` reports as ``textrepair: FILE:
what went wrong``. `score` and `diff` read through the streaming layer unit by unit,
so their memory does not grow with the input. To add a subcommand, decorate a function
``name_command(argv: list[str]) -> int`` with ``@subcommand("name")`` (see docs/cli.md).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .options import Options
from .streams.errors import EXIT_INPUT, EXIT_OK, EXIT_USAGE, StreamError, describe, report
from .streams.output import Output, refuse_outputs_that_are_inputs
from .streams.reading import open_source
from .streams.units import TextInput, Unit

Subcommand = Callable[[list[str]], int]

# `textrepair NAME ...` runs SUBCOMMANDS[NAME]; anything else is the default filter.
SUBCOMMANDS: dict[str, Subcommand] = {}


def subcommand(name: str) -> Callable[[Subcommand], Subcommand]:
    """Register a function as `textrepair NAME`."""

    def register(function: Subcommand) -> Subcommand:
        SUBCOMMANDS[name] = function
        return function

    return register


def confidence(value: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return number


# `--stages` names each stage as its edits do (Edit.stage), mapped to its Options field.
STAGE_FLAGS = {
    "encoding": "fix_encoding",
    "normalise": "normalise",
    "glue": "split_glued",
    "unspin": "unspin",
}


def stage_list(value: str) -> frozenset[str]:
    """An argparse type: a comma-separated list of stage names (may be empty)."""
    names = frozenset(name.strip() for name in value.split(",") if name.strip())
    unknown = sorted(names - set(STAGE_FLAGS))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown stage(s) {', '.join(unknown)}; known: {', '.join(STAGE_FLAGS)}"
        )
    return names


def seconds(value: str) -> float:
    """An argparse type: a number of seconds, 0 or more."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number >= 0.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be 0 seconds or more, not {value}")
    return number


def add_repair_arguments(parser: argparse.ArgumentParser) -> None:
    """The switches that choose the library `Options`, shared by the filter, diff, report."""
    stages = parser.add_argument_group("stages").add_argument
    stages(
        "--stages",
        type=stage_list,
        metavar="LIST",
        help=f"run only these stages, comma-separated ({','.join(STAGE_FLAGS)}; default: all)",
    )
    stages("--no-encoding", action="store_true", help="keep mojibake and HTML entities")
    stages(
        "--no-normalise",
        action="store_true",
        help="keep line endings, invisible characters, odd spaces and non-NFC text",
    )
    stages("--no-glue", action="store_true", help="do not split glued tokens")
    stages("--no-unspin", action="store_true", help="do not undo synonym spinning")
    stages("--fold-quotes", action="store_true", help="curly quotes to straight ones")
    stages("--fold-dashes", action="store_true", help='en and em dashes to "-"')
    stages(
        "--min-confidence",
        type=confidence,
        metavar="X",
        default=Options().min_confidence,
        help="apply unspin edits only at or above this confidence (default: %(default)s)",
    )
    stages(
        "--lexicon",
        metavar="PATH",
        help="user lexicon (TSV spun<TAB>original) on top of the shipped one",
    )
    stages(
        "--thesaurus",
        action="store_true",
        help="also try originals from the reversed WordNet and Moby thesauri",
    )
    stages(
        "--time-budget",
        type=seconds,
        metavar="SECONDS",
        help="seconds the unspin stage may spend on one input unit (default: no limit)",
    )


def options_from(args: argparse.Namespace) -> Options:
    """The library options the command-line switches ask for."""
    enabled = set(STAGE_FLAGS) if args.stages is None else set(args.stages)
    for name, switched_off in (
        ("encoding", args.no_encoding),
        ("normalise", args.no_normalise),
        ("glue", args.no_glue),
        ("unspin", args.no_unspin),
    ):
        if switched_off:
            enabled.discard(name)
    return Options(
        **{field: name in enabled for name, field in STAGE_FLAGS.items()},
        fold_quotes=args.fold_quotes,
        fold_dashes=args.fold_dashes,
        min_confidence=args.min_confidence,
        time_budget=args.time_budget,
        thesaurus=args.thesaurus,
        lexicon=args.lexicon,
    )


def inputs(names: list[str]) -> Iterator[TextInput | None]:
    """Each input, ready to `read()` unit by unit (None if it could not be opened).

    Open failures are reported here; a read failure part-way is left in
    ``state.source.error`` for `read_failed` to report after the last unit.
    """
    for name in names:
        try:
            source = open_source(name)
        except StreamError as error:
            report(error.name, error.message)
            yield None
            continue
        try:
            yield TextInput(source)
        finally:
            source.close()


def outputs_clash(names: list[str], outputs: list[tuple[str, str | None]]) -> bool:
    """Report an output that is also an input (exit status 2, as for the filter)."""
    try:
        refuse_outputs_that_are_inputs(names, outputs)
    except StreamError as error:
        report(error.name, error.message)
        return True
    return False


def read_failed(state: TextInput) -> bool:
    """Report the read failure of an input, if it had one."""
    if state.source.error is None:
        return False
    report(state.name, describe(state.source.error))
    return True


def read_text(name: str) -> str:
    """A whole input's text (any encoding, gzip), for the commands that need it whole."""
    source = open_source(name)
    try:
        text = "".join(unit.text + unit.separator for unit in TextInput(source).read())
    finally:
        source.close()
    if source.error is not None:
        raise StreamError(source.name, describe(source.error))
    return text


# --------------------------------------------------------------------------- score


@subcommand("score")
def score_command(argv: list[str]) -> int:
    """textrepair score [FILE...]: one line per document with its spin score."""
    parser = argparse.ArgumentParser(
        prog="textrepair score",
        description="Print how spun each document is: score in [0, 1], level, evidence.",
        epilog="example: textrepair score corpus/spun/*.txt corpus/clean/*.txt | sort -k2 -n",
    )
    parser.add_argument("files", nargs="*", default=["-"], metavar="FILE", help="'-' is stdin")
    parser.add_argument("--format", choices=("tsv", "json"), default="tsv")
    args = parser.parse_args(argv)
    out = Output.open(None)
    status = EXIT_OK
    for state in inputs(args.files):
        if state is None:
            status = EXIT_INPUT
            continue
        line = _score_line(state.name, state.read(), args.format)
        if read_failed(state):
            status = EXIT_INPUT
        out.write(line.encode("utf-8", errors="surrogatepass"))
    out.close()
    return status


def _score_line(name: str, units: Iterator[Unit], form: str) -> str:
    """A document's score line: its most spun unit's score and level (each unit is gated on
    its own, as the filter repairs it), with the words and giveaways of every unit."""
    from .spinscore import score

    words = giveaways = 0
    strongest: list[tuple[float, str, str]] = []  # the three strongest, across units
    value, level = 0.0, "clean"
    for unit in units:
        result = score(unit.text)
        if result.score > value:
            value, level = result.score, result.level
        words += result.words
        giveaways += len(result.evidence)
        strongest += [(item.log_ratio, item.text, item.original) for item in result.evidence]
        strongest = sorted(strongest, key=lambda item: -item[0])[:3]
    density = round(100.0 * giveaways / max(words, 1), 3)
    if form == "json":
        record = {
            "input": name,
            "score": value,
            "level": level,
            "words": words,
            "giveaways_per_100_words": density,
            "evidence": [
                {"text": text, "original": original, "log10_ratio": ratio}
                for ratio, text, original in strongest
            ],
        }
        return json.dumps(record, ensure_ascii=False) + "\n"
    evidence = "; ".join(f"{text} -> {original}" for _, text, original in strongest)
    return f"{name}\t{value:.4f}\t{level}\t{density:.2f}\t{evidence}\n"


# --------------------------------------------------------------------------- diff

# Markers of a word-level diff: `git diff --word-diff=plain` style when piped, colour on
# a terminal (red for what was removed, green for what was written).
PLAIN_MARKS = ("[-", "-]", "{+", "+}")
COLOUR_MARKS = ("\x1b[31m", "\x1b[0m", "\x1b[32m", "\x1b[0m")


@subcommand("diff")
def diff_command(argv: list[str]) -> int:
    """textrepair diff [FILE...]: show what the repair changes, word by word."""
    parser = argparse.ArgumentParser(
        prog="textrepair diff",
        description="Print each input with every change marked: [-removed-]{+written+} "
        "when piped, in colour on a terminal.",
    )
    parser.add_argument("files", nargs="*", default=["-"], metavar="FILE", help="'-' is stdin")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument(
        "--min-confidence", type=confidence, default=Options().min_confidence, metavar="X"
    )
    args = parser.parse_args(argv)
    out = Output.open(None)
    isatty = getattr(sys.stdout, "isatty", None)
    colour = args.color == "always" or (args.color == "auto" and isatty is not None and isatty())
    marks = COLOUR_MARKS if colour else PLAIN_MARKS
    status = EXIT_OK
    for state in inputs(args.files):
        if state is None:
            status = EXIT_INPUT
            continue
        for unit in state.read():
            for piece in (unit.text, unit.separator):
                marked = _marked(piece, args.min_confidence, marks)
                out.write(marked.encode("utf-8", errors="surrogatepass"))
        if read_failed(state):
            status = EXIT_INPUT
    out.close()
    return status


def _marked(text: str, min_confidence: float, marks: tuple[str, str, str, str]) -> str:
    """`text` with every edit of its repair marked."""
    import textrepair

    if not text:
        return text
    removed_open, removed_close, added_open, added_close = marks
    parts, position = [], 0
    for edit in textrepair.repair(text, min_confidence=min_confidence).edits:
        parts.append(text[position : edit.start])
        if edit.before:
            parts.append(f"{removed_open}{edit.before}{removed_close}")
        if edit.after:
            parts.append(f"{added_open}{edit.after}{added_close}")
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


# --------------------------------------------------------------------------- learn, eval


@subcommand("learn")
def learn_command(argv: list[str]) -> int:
    """textrepair learn ORIGINAL SPUN -o LEXICON: a user lexicon from a spun copy."""
    from .learn import learn, write_lexicon

    parser = argparse.ArgumentParser(
        prog="textrepair learn",
        description="Align an original with its spun copy and write the substitutions as a "
        "lexicon for --lexicon / clean(lexicon=...).",
    )
    parser.add_argument("original")
    parser.add_argument("spun")
    parser.add_argument("-o", "--output", required=True, help="lexicon TSV to write")
    parser.add_argument("--min-count", type=int, default=1, help="drop rarer pairs")
    args = parser.parse_args(argv)
    if outputs_clash([args.original, args.spun], [(args.output, args.output)]):
        return EXIT_USAGE
    original, spun = read_text(args.original), read_text(args.spun)
    pairs = learn(original, spun, min_count=args.min_count)
    try:
        count = write_lexicon(pairs, args.output, origin=f"{args.original} {args.spun}")
    except OSError as error:  # a full disk shows at close, where no file name is given
        raise StreamError(args.output, describe(error)) from None
    report(args.output, f"{count} pairs written")
    return EXIT_OK


@subcommand("eval")
def eval_command(argv: list[str]) -> int:
    """textrepair eval [DIR]: restoration precision/recall and clean-text damage."""
    import textrepair

    from .evaluation import evaluate_corpus, format_report

    parser = argparse.ArgumentParser(
        prog="textrepair eval",
        description="Score restoration over a corpus: spun/*.spun.txt with *.reference.txt, "
        "and clean/*.txt (see corpus/README.md).",
    )
    parser.add_argument("corpus", nargs="?", default="corpus", type=Path)
    parser.add_argument("--details", action="store_true", help="list misses and wrong changes")
    args = parser.parse_args(argv)
    try:
        result = evaluate_corpus(args.corpus, textrepair.clean)
    except FileNotFoundError as error:
        raise StreamError(str(args.corpus), str(error)) from None
    out = Output.open(None)
    out.write((format_report(result, details=args.details) + "\n").encode("utf-8"))
    out.close()
    return EXIT_OK


# --------------------------------------------------------------------------- report


@subcommand("report")
def report_command(argv: list[str]) -> int:
    """textrepair report FILE... -o report.html: one HTML page showing every edit."""
    from .report import write_report

    parser = argparse.ArgumentParser(
        prog="textrepair report",
        description="Write one self-contained HTML page with each input's repair: every "
        "edit highlighted, the spin score per paragraph, counts per stage, the restored text.",
        epilog="example: textrepair report page.txt -o report.html",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="'-' is stdin")
    parser.add_argument("-o", "--output", metavar="OUT", help="the page (default: stdout)")
    add_repair_arguments(parser)
    args = parser.parse_args(argv)
    options = options_from(args)
    if outputs_clash(args.files, [(args.output or "<stdout>", args.output)]):
        return EXIT_USAGE
    documents = [(name, read_text(name)) for name in args.files]  # errors before -o empties
    page = io.StringIO()
    write_report(documents, page, options)
    out = Output.open(args.output)
    out.write(page.getvalue().encode("utf-8", errors="surrogatepass"))
    out.close()
    return EXIT_OK
