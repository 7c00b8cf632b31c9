#!/usr/bin/env python3
"""Build the glue stage's word-pair table from symspellpy's bigram counts.

The glue stage asks two questions of symspellpy's 243,342-line bigram list (MIT
licence): which words follow "the", "a", "an" or "to" (names never do), and which word
pairs are common enough to explain a run-together token. Parsing the list into those
two sets took 0.21-0.55 s and 28 MB in every process and every ``--jobs`` worker;
this script does it once, at build time, and writes the two sets, sorted, to

    src/textrepair/data/glue-pairs.txt.gz

which the stage reads in a few hundredths of a second. Re-run it (from the repository
root, with symspellpy installed) whenever symspellpy's list or the thresholds in
``textrepair.stages.glue`` change; ``tests/test_glue.py`` runs ``--check``.

    python tools/build_glue_pairs.py           # write the table
    python tools/build_glue_pairs.py --check   # exit 1 if the shipped table is stale
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from textrepair.stages.glue import MIN_PAIR_COUNT, NOT_BEFORE_NAMES  # noqa: E402
from textrepair.stages.glue_tables import (  # noqa: E402
    FOLLOWERS_SECTION,
    PAIRS_FILE,
    PAIRS_SECTION,
    parse_pair_table,
)
from textrepair.wordcounts import BIGRAMS, read  # noqa: E402

DEFAULT_OUT = ROOT / "src" / "textrepair" / "data" / PAIRS_FILE

# Lines of symspellpy's bigram list ("first second count"), parsed with one scan each.
ARTICLE_PAIR_LINE = re.compile(rf"^(?:{'|'.join(NOT_BEFORE_NAMES)}) (\S+) \d+$", re.MULTILINE)
COMMON_PAIR_LINE = re.compile(rf"^(\S+ \S+) (\d{{{len(str(MIN_PAIR_COUNT))},}})$", re.MULTILINE)


def build_pair_table() -> str:
    """The pair table, from the installed symspellpy's bigram list."""
    text = read(BIGRAMS)
    followers = sorted(set(ARTICLE_PAIR_LINE.findall(text)))
    common = {
        pair for pair, count in COMMON_PAIR_LINE.findall(text) if int(count) >= MIN_PAIR_COUNT
    }
    header = (
        f"# Built by tools/build_glue_pairs.py from symspellpy's {BIGRAMS} (MIT licence):\n"
        f"# words after {', '.join(repr(word) for word in NOT_BEFORE_NAMES)}, and word pairs"
        f" counted at least {MIN_PAIR_COUNT:,} times.\n"
    )
    body = FOLLOWERS_SECTION + "\n".join(followers) + PAIRS_SECTION + "\n".join(sorted(common))
    return header + body + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    args = parser.parse_args(argv)
    table = build_pair_table()
    if args.check:
        current = gzip.decompress(args.out.read_bytes()).decode("utf-8")
        if current != table:
            print(f"{args.out} is stale: run tools/build_glue_pairs.py", file=sys.stderr)
            return 1
        return 0
    # mtime=0: the same input gives the same bytes.
    args.out.write_bytes(gzip.compress(table.encode("utf-8"), compresslevel=9, mtime=0))
    followers, pairs = parse_pair_table(table)
    print(
        f"wrote {args.out}: {len(followers):,} article followers, {len(pairs):,} common pairs,"
        f" {args.out.stat().st_size:,} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
