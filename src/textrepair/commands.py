"""Subcommands of the `textrepair` command line: score, eval, learn.

Each takes its argument list and returns an exit status; `textrepair.cli` dispatches to
them by name. They only parse arguments and print: the work is the library's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import score as spin_score
from .cli import EXIT_INPUT, EXIT_OK, SUBCOMMANDS, _read_all, _report
from .stages.encoding import decode_bytes


def _read_text(name: str) -> str | None:
    """An input's text (any encoding, see `decode_bytes`), or None after reporting why not."""
    try:
        return decode_bytes(_read_all(name))[0]
    except OSError as error:
        _report(name, error.strerror or str(error))
        return None


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
    status = EXIT_OK
    for name in args.files:
        text = _read_text(name)
        if text is None:
            status = EXIT_INPUT
            continue
        result = spin_score(text)
        top = sorted(result.evidence, key=lambda item: -item.log_ratio)[:3]
        if args.format == "json":
            record = {
                "input": name,
                "score": result.score,
                "level": result.level,
                "words": result.words,
                "giveaways_per_100_words": result.density,
                "evidence": [
                    {"text": item.text, "original": item.original, "log10_ratio": item.log_ratio}
                    for item in top
                ],
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            evidence = "; ".join(f"{item.text} -> {item.original}" for item in top)
            print(f"{name}\t{result.score:.4f}\t{result.level}\t{result.density:.2f}\t{evidence}")
    return status


def eval_command(argv: list[str]) -> int:
    """textrepair eval [DIR]: restoration precision/recall and clean-text damage."""
    from .evaluation import evaluate_corpus, format_report

    parser = argparse.ArgumentParser(
        prog="textrepair eval",
        description="Score restoration over a corpus: spun/*.spun.txt with *.reference.txt, "
        "and clean/*.txt (see corpus/README.md).",
    )
    parser.add_argument("corpus", nargs="?", default="corpus", type=Path)
    parser.add_argument("--details", action="store_true", help="list misses and wrong changes")
    args = parser.parse_args(argv)
    import textrepair

    try:
        report = evaluate_corpus(args.corpus, textrepair.clean)
    except FileNotFoundError as error:
        _report(str(args.corpus), str(error))
        return EXIT_INPUT
    print(format_report(report, details=args.details))
    return EXIT_OK


def learn_command(argv: list[str]) -> int:
    """textrepair learn ORIGINAL SPUN -o LEXICON: a user lexicon from a spun copy."""
    from .learn import learn, write_lexicon

    parser = argparse.ArgumentParser(
        prog="textrepair learn",
        description="Align an original with its spun copy and write the substitutions as a "
        "lexicon for --lexicon / clean(lexicon=...).",
    )
    parser.add_argument("original", type=Path)
    parser.add_argument("spun", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True, help="lexicon TSV to write")
    parser.add_argument("--min-count", type=int, default=1, help="drop rarer pairs")
    args = parser.parse_args(argv)
    original, spun = _read_text(str(args.original)), _read_text(str(args.spun))
    if original is None or spun is None:
        return EXIT_INPUT
    pairs = learn(original, spun, min_count=args.min_count)
    count = write_lexicon(pairs, args.output, origin=f"{args.original} {args.spun}")
    print(f"textrepair: {count} pairs written to {args.output}", file=sys.stderr)
    return EXIT_OK


# Markers of a word-level diff: `git diff --word-diff=plain` style when piped, colour on
# a terminal (red for what was removed, green for what was written).
PLAIN_MARKS = ("[-", "-]", "{+", "+}")
COLOUR_MARKS = ("\x1b[31m", "\x1b[0m", "\x1b[32m", "\x1b[0m")


def diff_command(argv: list[str]) -> int:
    """textrepair diff [FILE...]: show what the repair changes, word by word."""
    from . import Options, repair

    parser = argparse.ArgumentParser(
        prog="textrepair diff",
        description="Print each input with every change marked: [-removed-]{+written+} "
        "when piped, in colour on a terminal.",
    )
    parser.add_argument("files", nargs="*", default=["-"], metavar="FILE", help="'-' is stdin")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--min-confidence", type=float, default=Options().min_confidence)
    args = parser.parse_args(argv)
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    removed_open, removed_close, added_open, added_close = COLOUR_MARKS if colour else PLAIN_MARKS
    status = EXIT_OK
    for name in args.files:
        text = _read_text(name)
        if text is None:
            status = EXIT_INPUT
            continue
        parts, position = [], 0
        for edit in repair(text, min_confidence=args.min_confidence).edits:
            parts.append(text[position : edit.start])
            if edit.before:
                parts.append(f"{removed_open}{edit.before}{removed_close}")
            if edit.after:
                parts.append(f"{added_open}{edit.after}{added_close}")
            position = edit.end
        parts.append(text[position:])
        sys.stdout.write("".join(parts))
    return status


SUBCOMMANDS.update(score=score_command, eval=eval_command, learn=learn_command, diff=diff_command)
