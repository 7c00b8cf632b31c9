"""The glue stage's word-pair table: shipped, built by tools/build_glue_pairs.py.

Two word sets taken from symspellpy's bigram list (MIT licence): the words that follow
"the", "a", "an" or "to" there (names never do), and the word pairs common enough to
explain a run-together token. Parsing the 243k-line list in every process took 0.2-0.5 s
and 28 MB; the built table reads in a few hundredths of a second.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources

# The two word sets taken from symspellpy's bigram list, built by
# tools/build_glue_pairs.py: a header, then the sorted article followers and common
# pairs, one per line, each set after its section line.
PAIRS_FILE = "glue-pairs.txt.gz"
FOLLOWERS_SECTION = "[article-followers]\n"
PAIRS_SECTION = "\n[common-pairs]\n"


@functools.cache
def pair_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Both word sets taken from symspellpy's bigram list, read from the shipped table."""
    path = importlib.resources.files("textrepair") / "data" / PAIRS_FILE
    return parse_pair_table(gzip.decompress(path.read_bytes()).decode("utf-8"))


def parse_pair_table(table: str) -> tuple[frozenset[str], frozenset[str]]:
    """The article followers and common pairs of a table tools/build_glue_pairs.py wrote."""
    _, body = table.split(FOLLOWERS_SECTION, 1)
    followers, pairs = body.split(PAIRS_SECTION, 1)
    return frozenset(followers.splitlines()), frozenset(pairs.splitlines())
