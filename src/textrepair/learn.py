"""Learn a user lexicon from an original text and a spun copy of it.

Spinners differ, and the shipped lexicon only knows the ones seen so far. Given one
article and what a spinner made of it, :func:`learn` aligns the two word by word and
collects what was replaced by what; :func:`write_lexicon` writes the pairs as a TSV that
``textrepair.clean(text, lexicon=path)`` (``Options.lexicon``) loads on top of the
shipped table, so the unspin stage can undo that spinner in other texts.

>>> pairs = learn("The storm hit the harbour.", "The tempest hit the anchorage.")
>>> [(p.spun, p.original, p.count) for p in pairs]
[('anchorage', 'harbour', 1), ('tempest', 'storm', 1)]
"""

from __future__ import annotations

import datetime
import difflib
import itertools
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import regex

__all__ = ["LearnedPair", "learn", "write_lexicon"]

# Words (with inner apostrophes and hyphens: "country's", "Iran-backed") and single
# punctuation marks. Punctuation is kept as tokens so that it anchors the alignment.
TOKEN = regex.compile(r"\w+(?:['\u2019\-]\w+)*|[^\w\s]")

# The longest phrase kept on either side of a replacement. Spinners replace phrases of
# one to four words ("as a result of" for "because"); longer differing stretches are
# rewritten sentences, not substitutions, and would only ever match themselves.
MAX_PHRASE_WORDS = 4

# The longest run of words a spinner is taken to have inserted ("will probably be" for
# "will be"; `learn(..., insertions=True)`): longer runs are added clauses.
MAX_INSERTED_WORDS = 2

# The texts are aligned in windows of this many tokens per side: difflib is quadratic
# or worse (the seed pair of the tests repeated to 328 KB took over 120 s, two unrelated
# binary files 6.5 minutes and 914 MB). A pair of texts this short is aligned in one
# window, exactly as difflib aligns it; a longer pair window by window, each starting
# where the previous one's alignment was still certain (see `_replacements`). A spun copy
# keeps the order of its original, so a window holds what corresponds. Measured on the
# 16 pairs of corpus/spun, alone and joined into one 7,000-token pair, windows of 200 to
# 1,000 tokens learn exactly what one difflib alignment learns; 400 costs 1.2 s on the
# joined pair against 4.3 s for one alignment.
WINDOW_TOKENS = 400

# A window pair sharing fewer of its word pairs (bigrams) than this is not aligned at
# all: half of each is passed over. Measured on 400-token windows: the 16 corpus/spun
# pairs share 0.60-0.79 of their bigrams, unrelated corpus/clean articles 0.02-0.07,
# random bytes 0.01; difflib is slowest on exactly such unrelated windows.
MIN_SHARED_BIGRAMS = 0.2

# Closed-class words. A replacement of equal length on both sides is learned word by
# word ("latest assaults" -> "recent attacks" gives latest -> recent and assaults ->
# attacks, which also apply when the two are not neighbours), unless it contains one of
# these: "based on" for "according to" is a phrase, and "on" -> "to" would be a disaster.
_FUNCTION_WORDS = """
    a an the this that these those some any each every no all both either neither
    of in on at to for from by with about into onto over under after before between
    through during without within among against upon off out up down than as
    and or but nor so yet if then because while although though when where whether
    i me my we us our you your he him his she her it its they them their
    is are was were be been being am do does did have has had will would shall
    should can could may might must not
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())

# Tokens that end a sentence: the next word is capitalised by position, not as a name.
SENTENCE_ENDS = frozenset(".!?:")
QUOTES_AND_BRACKETS = frozenset("\"'\u2018\u2019\u201c\u201d([")

# What the TSV loader (`Lexicon.from_file`) reads; "user" rows are trusted as much as
# the curated news table (`scoring.SOURCE_WEIGHT`).
HEADER = ("spun", "original", "source", "prior", "context")
SOURCE = "user"


@dataclass(frozen=True, slots=True)
class LearnedPair:
    """A substitution seen in the spun copy: ``original`` was replaced by ``spun``."""

    spun: str
    original: str
    count: int  # how often the pair was seen


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    sentence_start: bool  # capitalised by position (first word of a sentence or line)


def learn(
    original: str, spun: str, *, min_count: int = 1, insertions: bool = False
) -> list[LearnedPair]:
    """The substitutions that turn `original` into `spun`, most frequent first.

    The texts are aligned on their tokens (case-insensitively, with difflib, in
    windows of `WINDOW_TOKENS`, so time and memory grow linearly). Each
    differing stretch of one to `MAX_PHRASE_WORDS` words on both sides is a pair; pure
    insertions and deletions, stretches with punctuation or digits in them, and case-only
    changes are not substitutions and are skipped (punctuation at the ends of a
    stretch is left out of it). With `insertions`, words the spinner inserted are
    learned too, with a word on each side as their anchor ("will probably be" for "will
    be"; `MAX_INSERTED_WORDS`), and an insertion on each side of one word as one phrase
    ("make use of" for "use"). Pairs seen fewer than `min_count`
    times are dropped. A pair is lowercased (it then matches any capitalisation) unless
    a word in it is capitalised mid-sentence, as names are ("Center East").
    """
    found = [
        pair
        for spun_stretch, original_stretch in _replacements(
            _tokens(spun), _tokens(original), insertions
        )
        for pair in _pairs(spun_stretch, original_stretch)
    ]
    # Neighbouring substitutions make one stretch ("a number of vessels" for "several
    # boats"); where the stretch splits into two pairs seen on their own elsewhere, the
    # parts are learned instead, as they apply far more often than the whole.
    seen_alone = {
        _case_pair(spun_phrase, original_phrase) for spun_phrase, original_phrase in found
    }
    counts: Counter[tuple[str, str]] = Counter()
    for spun_phrase, original_phrase in found:
        counts.update(_decompose(spun_phrase, original_phrase, seen_alone))
    pairs = [
        LearnedPair(spun_form, original_form, count)
        for (spun_form, original_form), count in counts.items()
        if count >= min_count
    ]
    return sorted(pairs, key=lambda p: (-p.count, p.spun.lower(), p.original.lower()))


def write_lexicon(
    pairs: Iterable[LearnedPair], path: str | os.PathLike[str], *, origin: str = ""
) -> int:
    """Write `pairs` as a lexicon TSV for ``Options.lexicon``; return the number of rows.

    The prior of a row is 1 / (number of originals learned for its spun form): a spun
    word seen for two different originals is evidence for each only half the time.
    `origin` (e.g. the two file names) goes into the comment header, so a user can tell
    later where a lexicon came from.
    """
    rows = sorted(pairs, key=lambda p: (p.spun.lower(), -p.count, p.original.lower()))
    originals: defaultdict[str, set[str]] = defaultdict(set)
    for pair in rows:
        originals[pair.spun].add(pair.original)
    today = datetime.date.today().isoformat()
    lines = [
        "# textrepair user lexicon: spun phrase -> the original it replaced.",
        f"# Learned by textrepair.learn on {today}"
        + (f" from {' '.join(origin.split())}" if origin.strip() else "")
        + f"; {len(rows)} pairs.",
        "# Load with textrepair.clean(text, lexicon=PATH); edit or delete rows freely.",
        "\t".join(HEADER),
    ]
    for pair in rows:
        prior = 1.0 / len(originals[pair.spun])
        lines.append("\t".join((pair.spun, pair.original, SOURCE, f"{prior:.4g}", "")))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    return len(rows)


def _tokens(text: str) -> Iterator[_Token]:
    sentence_start = True
    previous_end = 0
    for match in TOKEN.finditer(text):
        word = match.group()
        if "\n" in text[previous_end : match.start()]:
            sentence_start = True  # a new line: a heading, list item or paragraph
        yield _Token(word, match.start(), sentence_start)
        if word in SENTENCE_ENDS:
            sentence_start = True
        elif word not in QUOTES_AND_BRACKETS:
            sentence_start = False
        previous_end = match.end()


def _replacements(
    spun: Iterator[_Token], original: Iterator[_Token], insertions: bool = False
) -> Iterator[tuple[list[_Token], list[_Token]]]:
    """The stretches difflib aligns as replaced (spun stretch, original stretch), in order,
    and with `insertions` the anchored stretches of `_inserted`.

    Each window aligns up to `WINDOW_TOKENS` tokens of each side and keeps its alignment
    up to the first equal run that starts in the window's second half (on either side),
    where the next window starts: half a window or more is consumed every time.
    """
    theirs: list[_Token] = []
    ours: list[_Token] = []
    while True:
        theirs.extend(itertools.islice(spun, WINDOW_TOKENS - len(theirs)))
        ours.extend(itertools.islice(original, WINDOW_TOKENS - len(ours)))
        if not theirs and not ours:
            return
        last = len(theirs) < WINDOW_TOKENS and len(ours) < WINDOW_TOKENS
        a, b = [_folded(t.text) for t in theirs], [_folded(t.text) for t in ours]
        if not last and _shared_bigrams(a, b) < MIN_SHARED_BIGRAMS:
            half = WINDOW_TOKENS // 2
            opcodes, cut = [], (min(half, len(a)), min(half, len(b)))
        else:
            opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            if not last:
                cut = _window_cut(opcodes, len(a), len(b))
                opcodes = [op for op in opcodes if op[2] <= cut[0] and op[4] <= cut[1]]
        for operation, i1, i2, j1, j2 in opcodes:
            if operation == "replace":  # not equal, nor a pure insertion or deletion
                yield theirs[i1:i2], ours[j1:j2]
        if insertions:
            for i1, i2, j1, j2 in _inserted(opcodes, a, b):
                yield theirs[i1:i2], ours[j1:j2]
        if last:
            return
        del theirs[: cut[0]], ours[: cut[1]]


def _inserted(
    opcodes: Sequence[tuple[str, int, int, int, int]], theirs: Sequence[str], ours: Sequence[str]
) -> Iterator[tuple[int, int, int, int]]:
    """Spans (spun i1:i2, original j1:j2) around the words only the spun side has: a run
    of at most `MAX_INSERTED_WORDS` between two aligned tokens, taken with one on each
    side ("will [probably] be" for "will be"), or two such runs around one aligned word,
    taken with it ("[make] use [of]" for "use"). A word the original has close by was
    moved, not inserted ("to not be" for "not to be"), and is no insertion."""

    def moved(i1: int, i2: int, j: int) -> bool:
        nearby = ours[max(0, j - MAX_PHRASE_WORDS) : j + MAX_PHRASE_WORDS]
        return any(word in nearby for word in theirs[i1:i2])

    index = 0
    while index < len(opcodes):
        operation, i1, i2, j1, _ = opcodes[index]
        index += 1
        if operation != "delete" or i2 - i1 > MAX_INSERTED_WORDS or moved(i1, i2, j1):
            continue
        after = opcodes[index : index + 2]
        if (
            len(after) == 2
            and after[0][0] == "equal"
            and after[0][2] - after[0][1] == 1
            and after[1][0] == "delete"
            and after[1][2] - after[1][1] <= MAX_INSERTED_WORDS
            and not moved(after[1][1], after[1][2], after[1][3])
        ):
            yield i1, after[1][2], after[0][3], after[0][4]
            index += 2
        elif index >= 2 and opcodes[index - 2][0] == "equal" and after and after[0][0] == "equal":
            yield i1 - 1, i2 + 1, j1 - 1, j1 + 1


def _shared_bigrams(a: Sequence[str], b: Sequence[str]) -> float:
    """The share of word pairs the shorter of two token windows has in common with the other."""
    first, second = set(itertools.pairwise(a)), set(itertools.pairwise(b))
    return len(first & second) / max(1, min(len(first), len(second)))


def _window_cut(
    opcodes: Sequence[tuple[str, int, int, int, int]], theirs: int, ours: int
) -> tuple[int, int]:
    """Where a window's alignment stops being kept (see `_replacements`)."""
    half = WINDOW_TOKENS // 2
    equal = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in opcodes if tag == "equal"]
    for i1, _, j1, _ in equal:
        if i1 >= half or j1 >= half:
            return i1, j1
    # Nothing equal starts in the second half: one unequal stretch runs to the end of
    # the window, half a window or longer on a full side, so no substitution. Keep the
    # alignment to the last equal run if that is far enough, else pass half a window.
    if equal and (equal[-1][1] >= half or equal[-1][3] >= half):
        return equal[-1][1], equal[-1][3]
    return min(half, theirs), min(half, ours)


def _pairs(
    spun: Sequence[_Token], original: Sequence[_Token]
) -> Iterable[tuple[Sequence[_Token], Sequence[_Token]]]:
    """The substitution pairs in one differing stretch (see `learn` and `FUNCTION_WORDS`)."""
    # Punctuation at either end changed on its own ("rained," -> "poured"): leave it out.
    spun, original = _strip_punctuation(spun), _strip_punctuation(original)
    if not (0 < len(spun) <= MAX_PHRASE_WORDS and 0 < len(original) <= MAX_PHRASE_WORDS):
        return []
    if not all(_is_plain_word(t.text) for t in (*spun, *original)):
        return []
    if len(spun) == len(original) > 1 and not any(
        t.text.lower() in FUNCTION_WORDS for t in (*spun, *original)
    ):
        candidates = [([s], [o]) for s, o in zip(spun, original, strict=True)]
    else:
        candidates = [(list(spun), list(original))]
    return [
        (s, o)
        for s, o in candidates
        if [_folded(t.text) for t in s] != [_folded(t.text) for t in o]
    ]


def _folded(token: str) -> str:
    """A token as alignment compares it: case and the apostrophe's typography do not
    count ("We\u2019re" and "we're" are the same word; a page and its copy often differ so)."""
    return token.lower().replace("\u2019", "'")


def _strip_punctuation(tokens: Sequence[_Token]) -> Sequence[_Token]:
    start, end = 0, len(tokens)
    while start < end and not tokens[start].text[0].isalnum():
        start += 1
    while end > start and not tokens[end - 1].text[0].isalnum():
        end -= 1
    return tokens[start:end]


def _decompose(
    spun: Sequence[_Token], original: Sequence[_Token], seen_alone: set[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The pair, or its two parts when both were seen as pairs of their own."""
    for i in range(1, len(spun)):
        for j in range(1, len(original)):
            left = _case_pair(spun[:i], original[:j])
            right = _case_pair(spun[i:], original[j:])
            if left in seen_alone and right in seen_alone:
                return [left, right]
    return [_case_pair(spun, original)]


def _is_plain_word(token: str) -> bool:
    """A word without digits: numbers that differ are facts, not spinning."""
    return token[0].isalpha() and not any(char.isdigit() for char in token)


def _case_pair(spun: Sequence[_Token], original: Sequence[_Token]) -> tuple[str, str]:
    """The pair as lexicon text: lowercased unless a side has a name-like capital."""
    spun_text = " ".join(t.text for t in spun).replace("\u2019", "'")
    original_text = " ".join(t.text for t in original).replace("\u2019", "'")
    if _has_name_capital(spun) or _has_name_capital(original):
        return spun_text, original_text
    return spun_text.lower(), original_text.lower()


def _has_name_capital(tokens: Sequence[_Token]) -> bool:
    """Whether a capital letter is there for a name, not for the start of a sentence."""
    for index, token in enumerate(tokens):
        positional = index == 0 and token.sentence_start
        letters = token.text[1:] if positional else token.text
        if any(char.isupper() for char in letters):
            return True
    return False
