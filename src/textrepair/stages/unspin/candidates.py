"""Candidates: every span of a text the lexicon knows, from one scan, with its readings.

Each candidate carries the options a spinner may have started from (options[0] keeps
the span), each with its channel cost: how much its lexicon source is trusted times the
row's own prior. Nothing here asks the language model.
"""

from __future__ import annotations

import functools
import math
import re
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ...lexicon import Lexicon, Substitution, document_words

# Words (with inner apostrophes and hyphens) and sentence ends: what the model reads.
# The standard library's engine: it is called per candidate on short spans, where its
# per-call cost is far lower than the regex module's.
# Other punctuation carries no weight in the shipped model and is skipped.
_WORD = r"\w+(?:['\u2019\-]\w+)*"

# A possessive or contraction after a word ("Division's", "they're"): the lexicon's
# boundaries stop at it, so grammar.py scans the text again with it masked to spaces (same
# length: every position stays), and decoding.py lets the pages push a contraction both
# ways.
SUFFIX = re.compile(r"['\u2019](s|t|ll|re|ve|d|m)\b")
WORD_OR_BOUNDARY = re.compile(rf"{_WORD}|[.!?]")
WORD = re.compile(_WORD)

# The next two model tokens from a position, skipping what the model does not read. A
# word reads the same backwards ("don't" reversed is still one word), so the same
# anchored match on the reversed text gives the two tokens before a position: two
# cheap matches per candidate instead of tokenising its surroundings.
# (The second word may not start inside the first: that keeps backtracking linear.)
NEXT_TWO_TOKENS = re.compile(rf"[^\w.!?]*({_WORD}|[.!?])(?:[^\w.!?]*((?<!\w){_WORD}|[.!?]))?")

# How far (characters) to look for context words around a candidate: two words of
# left context and two scored words of right context fit comfortably in this.
CONTEXT_CHARS = 120
CONTEXT_WORDS = 2

# How much each lexicon source is trusted, as a multiplier on its prior. The curated
# tables are facts about real spinners; the reversed thesauri only say that two words
# can mean the same, so they need a thousand times stronger context evidence. Measured
# on corpus/: at 0.05 they cost 2-3 points of precision for under one point of recall;
# at 0.001 they still restore rare giveaways the curated tables lack.
SOURCE_WEIGHT = {
    "news": 1.0,
    "other": 0.5,
    "user": 1.0,
    "mined": 1.0,  # counted on real spun pages (sources/mined-pairs.tsv): facts like "news"
    "pps": 1.0,
    "moby": 0.001,
    "wordnet": 0.001,
}
DEFAULT_SOURCE_WEIGHT = 0.001

# How many lexicon matches are handled between two looks at the clock (time budgets).
DEADLINE_CHECK_EVERY = 256

# A multi-word spun name written with capitals ("Basis for Protection of Democracies",
# "Lawyer Basic") is a fact about one institution or title. The model knows few names
# and scores their words as common nouns, often preferring the spun ones, so such rows
# are trusted this much (log10) over the model.
NAME_TRUST = 4.0

# Sources at or above this weight are evidence that a spinner was at work.
TRUSTED = 0.5

# The readings of a spun form (as written: case decides which rows apply) are the same in
# every document unless a row has a context condition; they are kept per lexicon. The
# bound only matters for input written in every capitalisation at once.
MAX_SHARED_OPTIONS = 100_000
_SHARED_OPTIONS: weakref.WeakKeyDictionary[Lexicon, dict[str, tuple[Option, ...]]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True, slots=True)
class Option:
    """One reading of a candidate span: the words it would read as, and at what cost."""

    text: str  # replacement text ("" for keeping the span as it is)
    words: tuple[str, ...]  # lowercased words the model scores
    log_cost: float  # log10 of the channel term; 0.0 for keeping
    substitution: Substitution | None  # None for keeping
    # log10 of the row's prior when its source is evidence of a spinner (see `evidence`).
    trusted_log_prior: float | None = None
    # Whether a row written with capitals gives this reading (see `capital_readings`).
    from_capitals: bool = False


class Candidate(NamedTuple):
    """A span of the text that a spinner may have produced, and its readings.

    A named tuple rather than a frozen dataclass: the scan makes one per lexicon match of
    every text, and a frozen dataclass takes two and a half times as long to build.
    """

    start: int
    end: int
    text: str
    options: tuple[Option, ...]  # options[0] keeps the span
    left: tuple[str, ...]  # context words before, in the observed text
    right: tuple[str, ...]  # words after, in the observed text (scored)


def words_of(text: str, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    """Lowercased model tokens of `text` (or of ``text[start:end]``)."""
    return tuple(WORD_OR_BOUNDARY.findall(text[start:end].lower()))


# The gate counts a text's words, and each paragraph's, in its first look, its early stop
# and its verdict: remembered for the last few texts (a regex pass costs about a tenth of
# ftfy's time on the same text).
COUNTED_TEXTS = 256


@functools.lru_cache(maxsize=COUNTED_TEXTS)
def count_words(text: str) -> int:
    """How many words (model tokens other than sentence ends) `text` has."""
    return len(WORD.findall(text))


@functools.lru_cache(maxsize=65_536)
def _phrase_words(phrase: str) -> tuple[str, ...]:
    """Model tokens of a lexicon phrase; the same few thousand phrases recur."""
    return words_of(phrase)


def find_candidates(text: str, lexicon: Lexicon, deadline: float | None = None) -> list[Candidate]:
    """Every span of `text` the lexicon knows, with its options and context words."""
    return in_context(text, scan(text, lexicon, deadline))


def scan(
    text: str,
    lexicon: Lexicon,
    deadline: float | None = None,
    ending: Callable[[int], object] | None = None,
) -> list[Candidate]:
    """Every span of `text` the lexicon knows, with its options but no context words yet
    (the gate's first look needs none; `in_context` adds them).

    With a `deadline` (a `time.monotonic()` value), the search stops once it is passed
    and returns what it found; callers check the clock themselves. With `ending`, only
    the spans whose end it accepts are made candidates (the same ones the full list
    would hold: each match is judged on its own).
    """
    candidates: list[Candidate] = []
    document: frozenset[str] | None = None
    shared = _SHARED_OPTIONS.setdefault(lexicon, {})
    # Options that depend on this document's words (rows with a context condition).
    local: dict[str, tuple[Option, ...]] = {}
    for count, (start, end, substitutions) in enumerate(lexicon.spans(text)):
        if (
            deadline is not None
            and count % DEADLINE_CHECK_EVERY == 0
            and time.monotonic() > deadline
        ):
            break
        if ending is not None and not ending(end):
            continue
        spun = text[start:end]
        if (
            _inside_address(text, start, end)
            or _in_capitals(spun)
            or _inside_compound(text, start, end)
        ):
            continue
        options = shared.get(spun) or local.get(spun)
        if options is None:
            conditional = any(sub.context for sub in substitutions)
            if conditional and document is None:
                document = document_words(text)
            options = _options(spun, substitutions, lexicon, document)
            cache = local if conditional else shared
            if len(cache) >= MAX_SHARED_OPTIONS:
                cache.clear()
            cache[spun] = options
        if len(options) > 1:
            candidates.append(Candidate(start, end, spun, options, (), ()))
    return candidates


def in_context(text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """`candidates` of `text` with the words around each, as the model reads them."""
    next_two = NEXT_TWO_TOKENS.match
    backwards = text[::-1]
    length = len(text)
    found = []
    for candidate in candidates:
        start, end = candidate.start, candidate.end
        before = next_two(backwards, length - start, length - start + CONTEXT_CHARS)
        after = next_two(text, end, end + CONTEXT_CHARS)
        found.append(
            Candidate(
                start,
                end,
                candidate.text,
                candidate.options,
                _left_context(before),
                _right_context(after),
            )
        )
    return found


def _left_context(before: re.Match[str] | None) -> tuple[str, ...]:
    """The two tokens before a candidate, in reading order, from a reversed-text match."""
    if before is None:
        return ()
    nearest, further = before.groups()
    if further is None:
        return (nearest[::-1].lower(),)
    return (further[::-1].lower(), nearest[::-1].lower())


def _right_context(after: re.Match[str] | None) -> tuple[str, ...]:
    """The (up to) two tokens after a candidate; scoring stops at a sentence end."""
    if after is None:
        return ()
    first, second = after.groups()
    if second is None or first in ".!?":
        return (first.lower(),)
    return (first.lower(), second.lower())


def _options(
    spun: str,
    substitutions: Sequence[Substitution],
    lexicon: Lexicon,
    document: frozenset[str] | None,
) -> tuple[Option, ...]:
    """The readings of a spun span: keep it, or one option per distinct original.

    Where several rows give the same original (a user row and a thesaurus row, say),
    the most trusted one speaks for it.
    """
    keep_words = _phrase_words(spun.lower())
    best: dict[tuple[str, ...], Option] = {}
    cased: set[tuple[str, ...]] = set()  # originals a row written with capitals gives
    for substitution in substitutions:
        if substitution.context and not lexicon.context_allows(
            substitution, document or frozenset()
        ):
            continue
        original_words = _phrase_words(substitution.original.lower())
        if original_words == keep_words or not original_words:
            continue
        weight = SOURCE_WEIGHT.get(substitution.source, DEFAULT_SOURCE_WEIGHT)
        log_cost = math.log10(weight * substitution.prior)
        if substitution.spun != substitution.spun.lower():
            cased.add(original_words)
            if " " in substitution.spun:
                log_cost += NAME_TRUST
        known = best.get(original_words)
        if known is None or log_cost > known.log_cost:
            trusted = SOURCE_WEIGHT.get(substitution.source, 0.0) >= TRUSTED
            best[original_words] = Option(
                substitution.original,
                original_words,
                log_cost,
                substitution,
                math.log10(substitution.prior) if trusted else None,
            )
    readings = (
        Option(o.text, o.words, o.log_cost, o.substitution, o.trusted_log_prior, o.words in cased)
        for o in best.values()
    )
    return (Option("", keep_words, 0.0, None), *readings)


# A capitalised word between two lowercase ones ("millions of Individuals who") is
# capitalised because the author's word was: the spinner keeps a word's case. Of its
# readings, only those of rows written with capitals explain that ("Individuals" ->
# "Americans"); a lowercase row ("individuals" -> "people") explains a sentence start or a
# title-case heading, where neighbours are capitalised too. On 77 real spun pages
# (benchmarks/lopo_mined.py) "Individuals" stood so in 11 scored spots, each time for
# "Americans"; the lowercase reading had won 8 of them, and now none.
# (Spaces are bounded so that no search can backtrack over a long run of them.)
_LOWERCASE_WORD_BEFORE = re.compile(r"(?<![\w'\u2019-])[a-z][\w'\u2019-]*,? {1,3}\Z")
_LOWERCASE_AFTER = re.compile(r"[,;:]? {1,3}[a-z]|[.,;:!?)\"'\u201d\u2019]")
# Characters before a span searched for the lowercase word: longer than any such word.
_LOOK_BEHIND = 40


def lowercase_word_before(text: str, start: int) -> bool:
    """Whether a lowercase word (and maybe a comma) stands right before `start`."""
    return bool(_LOWERCASE_WORD_BEFORE.search(text, max(0, start - _LOOK_BEHIND), start))


def capital_readings(text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """`candidates`, where a capitalised span stands between lowercase words, with only
    the readings that rows written with capitals give (where there are any)."""
    found = []
    for candidate in candidates:
        options = candidate.options
        if (
            candidate.text[:1].isupper()
            and any(option.from_capitals for option in options)
            and not all(option.from_capitals for option in options[1:])
            and _LOWERCASE_AFTER.match(text, candidate.end)
            and lowercase_word_before(text, candidate.start)
        ):
            kept = (options[0], *(option for option in options[1:] if option.from_capitals))
            candidate = candidate._replace(options=kept)
        found.append(candidate)
    return found


def _in_capitals(span: str) -> bool:
    """Whether a span is written all in capitals ("FILE -", "WATCH", "TV", "US").

    The spinner leaves such words alone: on 99 real spun pages (benchmarks/lopo_mined.py)
    every one of the 6 scored spots of a capitals-only candidate was the author's word
    ("FILE" -> REPORT, "TV" -> TELEVISION), none the spinner's, and "US" is the country,
    never the lowercase rows' pronoun.
    """
    return span.isupper() and sum(char.isalpha() for char in span) >= 2


def _inside_compound(text: str, start: int, end: int) -> bool:
    """Whether a lowercase match is one part of a hyphenated word ("nation-shaping",
    "Medicaid-related", "post-earnings").

    The spinner takes such a word whole. In the originals of 99 real spun pages, 93
    lowercase compounds had a part the spinner swaps elsewhere ("short-term",
    "government-issued"), and the spun copy kept every one; of the 10 scored spots where
    this stage changed such a part, 8 were the author's words (benchmarks/lopo_mined.py).
    A capitalised part is a name the spinner did swap ("Home-passed" for House-passed, 4
    of 4). Rows whose spun side is the whole word ("on-line") still match. The team-written
    pairs of corpus/spun/ assumed otherwise ("gentle-years"): 4 of their repairs are lost.
    """
    # Most matches have no hyphen beside them: two one-character reads decide.
    hyphen_before = start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()
    hyphen_after = text[end : end + 1] == "-" and text[end + 1 : end + 2].isalnum()
    return (hyphen_before or hyphen_after) and text[start].islower()


def _inside_address(text: str, start: int, end: int) -> bool:
    """Whether a match sits inside a URL, e-mail address, handle or file name."""
    # The ends of the text are plain boundaries ('' is in every string, so test them).
    before = text[start - 1] if start else " "
    after = text[end : end + 2] or " "
    return (
        before in "/@#._\\" or (after[:1] in "/@_\\") or (after[:1] == "." and after[1:].isalnum())
    )
