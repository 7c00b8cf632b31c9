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
from collections.abc import Iterable

# The two word sets taken from symspellpy's bigram list, built by
# tools/build_glue_pairs.py: a header, then the sorted article followers and common
# pairs, one per line, each set after its section line.
PAIRS_FILE = "glue-pairs.txt.gz"
FOLLOWERS_SECTION = "[article-followers]\n"
PAIRS_SECTION = "\n[common-pairs]\n"

# A large word set is kept as the keys of a dict (values None): membership costs the
# same, and a dict holding only strings is outside the garbage collector, where a set
# of 72k strings is walked item by item in every full collection (8 ms each).
WordSet = dict[str, None]


def word_set(words: Iterable[str]) -> WordSet:
    """`words` as a `WordSet`."""
    return dict.fromkeys(words)


@functools.cache
def pair_lists() -> tuple[WordSet, WordSet]:
    """Both word sets taken from symspellpy's bigram list, read from the shipped table."""
    path = importlib.resources.files("textrepair") / "data" / PAIRS_FILE
    return parse_pair_table(gzip.decompress(path.read_bytes()).decode("utf-8"))


def parse_pair_table(table: str) -> tuple[WordSet, WordSet]:
    """The article followers and common pairs of a table tools/build_glue_pairs.py wrote."""
    _, body = table.split(FOLLOWERS_SECTION, 1)
    followers, pairs = body.split(PAIRS_SECTION, 1)
    return word_set(followers.splitlines()), word_set(pairs.splitlines())
