"""Glue stage: split tokens a scraper glued together when it joined HTML elements.

Three shapes are split, each only on evidence ("do no harm": a wrong split is worse
than a missed one):

- camel glue, "airstrikesFeb" -> "airstrikes Feb": a lowercase word runs into a
  capitalised one. Both must be known words, the whole must not be one, and the
  capitalised one must be a month, weekday, sentence opener or name (not a common
  word, as in the identifiers localStorage or firstName). A name is split off only on
  evidence of glue: the language model reads a sentence boundary between the two
  words, or knows them as a pair ("presidentBiden"); a brand (airBaltic, musicMagpie),
  a handle (johnDoe) or a function name (sayHello) gives none and stays whole.
- sentence glue, "reporters.The" -> "reporters. The": the next sentence starts with a
  common sentence-opening word right after the full stop.
- run-together words, "governmentofficials" -> "government officials": a long unknown
  lowercase token that segments into two or three common words forming known phrases.

Names and code stay whole by rule (iPhone, YouTube, macOS, setTimeout, myFile.txt,
#hashtags, @handles, URLs): the glued token, stripped of surrounding quotes, brackets
and punctuation, must be letters in exactly one of the shapes above, so anything with
digits, dots, slashes, "@", "#", "_" or a second capital hump is never touched. A short
hand-curated list (data/glue-keep.txt) holds the few names the rules would still split.

Clean text costs two compiled-regex scans in C (see `_CAMEL_SCAN`) and a set lookup
per long word; the word lists load once, lazily, when a candidate appears, and a long
unknown lowercase token is segmented only when it could be split into common words at
all.
"""

from __future__ import annotations

import functools
import importlib.resources
import itertools
import math
import re

import regex

from ..edits import Edit
from ..language_model import default_model
from ..options import Options
from ..wordcounts import unigram_counts
from .glue_tables import WordSet, pair_lists, word_set

NAME = "glue"


def _word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of a readable block, as a set."""
    return frozenset(words.split())


# Run-together lowercase tokens shorter than this are left alone. Measured on the
# 207,376 alphabetic words in wordfreq's top 400k English list that symspellpy's 82k
# list lacks (real words the list cannot protect): at 10 letters the rules below would
# split 265 of them, at 12 letters 79 of the 10,388 that long (mostly hashtag-style
# glue such as "sanfrancisco"; about 15 closed compounds such as "recordkeeping" or
# "decisionmaking"), at 14 letters 22.
# Short glue ("ofthe") is too often a real word, name or abbreviation to risk.
MIN_RUN_LENGTH = 12

# Every part of a run-together split must be at least this common in symspellpy's
# unigram counts (Google Books scale; "officials" has 30 million, the list's rarest
# word 12,714), so rare fragments such as "crypt" or "dis" never make a split.
MIN_PART_COUNT = 10_000_000

# ... and at least this long: one-letter parts ("o", "a") are how segmentation
# explains away an unknown word ("crypt o currency").
MIN_PART_LENGTH = 2

# A run-together token splits into at most this many words: longer chains are more
# likely a rare word or name carved into fragments than glue.
MAX_RUN_PARTS = 3

# The word count symspellpy's probabilities are relative to (its `SymSpell.N`, the size
# of the corpus its unigram list was counted in).
SYMSPELL_N = 1024908267229

# Every adjacent pair of a run-together split must be a known phrase with at least this
# count in symspellpy's bigram list. This is how "far more likely than the unknown
# word" is measured: the glued whole is missing from the unigram list, so its count is
# below that list's floor (12,714), while a pair this common is over a thousand times
# that even if the bigram counts run a few times higher than the unigram ones (as
# "los angeles" suggests). Unigram probabilities alone cannot show it: two
# independent common words are rarer than one rare word.
MIN_PAIR_COUNT = 30_000_000

# Camel glue needs at least this many letters on each side: one- and two-letter
# prefixes are how names and identifiers start (iPhone, eBay, onClick, arXiv, mRNA).
MIN_CAMEL_SIDE = 3

# Tokens (space-delimited runs) longer than this are URLs, base64 or other junk.
MAX_TOKEN_LENGTH = 64

# Camel-case code identifiers in prose start with these verbs and prefixes
# (DOM and Node APIs, React hooks, getters and setters, CSS-in-JS properties:
# setTimeout, readFile, useState, parseInt, forEach, keepAlive, backgroundColor); a
# glued token starting with one is left alone. The same words before a full stop mark
# member access (this.Name, self.State, time.Since).
CODE_PREFIXES = _word_set(
    """
    get set use read write parse add remove create init load fetch handle update
    render make find has can should will for inner outer new old max min num str
    keep auto mouse key touch background border font text line margin padding base
    node child parent scroll offset client page display user access
    this self that obj args props state time math list json console document window
    strings bytes errors sync http
    say print show hide open close start stop run call send save delete check toggle
    draw calc compute format convert validate log click submit test
    """
)

# The evidence a lowercase word + capitalised name was glued rather than written as one
# token (a brand such as airBaltic or musicMagpie), as log10 ratios in the language model
# (see `_glued_by_evidence`). A scraper glues the end of one element to the start of
# the next, so the first test is a boundary: the left word ending a sentence and the
# right one starting the next at most 3x less likely than the two running on. Measured:
# the glue of the tests ("targetIran-backed" -0.15, "strikesDamascus" -0.31,
# "attacksIran" +0.06) passes, the brands airBaltic (-0.81), musicMagpie (-0.75),
# gitHub (-0.86), blueHost (-1.23) and skyScanner (-1.04) do not.
BOUNDARY_LOG_RATIO = -0.5
# The second is a pair the counts know: the name at least 10x likelier after the word
# than anywhere ("president biden" 1.95); "home away" (0.1), "air baltic" (-0.58) and
# "music magpie" (0.0) are not such pairs. Of the 481 "word Name" pairs of corpus/clean
# glued by hand (mid-sentence, where real glue is rarer than at element ends), 138 were
# split without these tests and 44 are with them (dates and openers included).
PAIR_LOG_RATIO = 1.0

# Words that precede common nouns and verbs but not names (see `_name_like`).
NOT_BEFORE_NAMES = ("the", "a", "an", "to")

# Months and weekdays as a scraper glues them to a dateline ("contractorFeb 25").
MONTHS = _word_set(
    """
    Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec January February March April
    June July August September October November December
    """
)
WEEKDAYS = _word_set(
    """
    Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday
    """
)

# Months that may follow a capitalised word ("SyriaFeb 15"): only with a day number
# after them, and never "Mar" or "May", which end names (LaMar, DeMay).
DATELINE_MONTHS = MONTHS - {"Mar", "May"}

# Common sentence openers: a full stop glued to one of these ("reporters.The") is a
# sentence boundary, not a file name or member access. Words that are also API names
# (Since, After, Until, Once in Go's time and sync packages) are left out on purpose.
SENTENCE_OPENERS = _word_set(
    """
    The This That These Those There They Their He She His Her We Our It Its In On At
    By For From With But And Or So Yet An However Meanwhile According Although While
    When Where During Despite Some Many Most
    """
)

# The openers that may also follow a lowercase word with no stop between: the ones no
# camelCase identifier ends in (prepositions and conjunctions do: startsWith,
# createdAt, sortedBy, volumesFrom, unwrapOr).
CAMEL_OPENERS = _word_set(
    """
    The This These Those They Their He She His Her We Our Its However Meanwhile
    According
    """
)

# Endings replaced before asking whether a word is a name, so that inflected and
# American forms meet the base forms the (British-leaning) bigram list has:
# "Summaries" is "summary", "Enabled" is "enable", "Flagged" is "flag", "Color" is
# "colour", "Center" is "centre".
INFLECTIONS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("or", "our"),
    ("ors", "our"),
    ("er", "re"),
    ("ers", "re"),
    ("gged", "g"),
    ("tted", "t"),
    ("pped", "p"),
    ("nned", "n"),
)

# Confidences, by the strength of the evidence:
# a month or weekday followed by a day number is a dateline beyond reasonable doubt;
DATELINE_CONFIDENCE = 0.95
# a month, weekday or sentence opener glued on is nearly always element glue;
OPENER_CONFIDENCE = 0.9
# a full stop glued to a sentence opener, after a known non-code word;
SENTENCE_CONFIDENCE = 0.85
# two known words, whole unknown, the right one a name; the pair could still be a
# brand the rules and the keep list do not know (deviantArt before it was listed);
CAMEL_CONFIDENCE = 0.8
# run-together words: about 15 real closed compounds in 10k long unknown words would
# be split (see MIN_RUN_LENGTH).
RUN_CONFIDENCE = 0.75

# The candidate scans, ASCII only as symspellpy's lists are: a capital after a
# lowercase letter, optionally across sentence punctuation; and a long lowercase run.
# Each pattern lets its engine skip ahead in C (to the next capital; word by word), so
# two scans cost less than one: a single pattern with both alternatives measured
# 8-14 MB/s on clean English, these two about 45 MB/s (with `re` for the second: the
# `regex` module runs it at half the speed).
_CAMEL_SCAN = regex.compile(r"[A-Z](?<=[a-z][.!?]?[A-Z])")
_RUN_SCAN = re.compile(rf"\b[a-z]{{{MIN_RUN_LENGTH},}}\b", re.ASCII)

# Quotes, brackets and punctuation that may surround a glued token.
_OPENERS = "\"'([{\u201c\u2018\u00ab"
_CLOSERS = "\"')]}\u201d\u2019\u00bb,;:.!?"

# The shapes a token's core may have; anything else is left alone. A hyphenated or
# possessive continuation (Iran-backed, Iran's) may follow the glued pair.
_TAIL = r"(?:[-'\u2019]\p{Ll}+)*"
_CAMEL = regex.compile(rf"(\p{{Ll}}+)(\p{{Lu}}\p{{Ll}}+){_TAIL}")
_DATELINE = regex.compile(r"(\p{Lu}\p{Ll}+)(\p{Lu}\p{Ll}+)")
_SENTENCE = regex.compile(rf"(\p{{Ll}}+)([.!?])(\p{{Lu}}\p{{Ll}}*){_TAIL}")
_RUN = regex.compile(r"([a-z]+)(?:['\u2019]s)?")


def prepare(options: Options) -> None:
    """Load the word lists and the language model now instead of on first need.

    All of them, the pair lists too: read from the shipped table they take a few
    hundredths of a second, and loaded before a fork they are shared by the workers. The
    model (for `_glued_by_evidence`) is the one the unspin stage uses: loaded once.
    """
    for load in (_words, _longest_word, _common_words, _keep, pair_lists, default_model):
        load()


def find_edits(text: str, options: Options) -> list[Edit]:
    """Edits that split glued tokens in `text`."""
    candidates = [match.start() for match in _CAMEL_SCAN.finditer(text)]
    runs = [match for match in _RUN_SCAN.finditer(text)]
    if runs:
        words = _words()  # long known words are the common case: drop them here
        candidates.extend(match.start() for match in runs if match.group() not in words)
    if not candidates:
        return []
    edits: list[Edit] = []
    done = -1  # end of the last token examined: one decision per token
    for position in sorted(candidates):
        if position < done:
            continue
        start, end = _token_span(text, position)
        done = end
        if end - start <= MAX_TOKEN_LENGTH:
            edit = _token_edit(text, start, end)
            if edit is not None:
                edits.append(edit)
    return edits


def _token_span(text: str, position: int) -> tuple[int, int]:
    """The whitespace-delimited token around `position`."""
    start = position
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = position
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _token_edit(text: str, start: int, end: int) -> Edit | None:
    """The split for the token `text[start:end]`, if it is glue by every rule."""
    while start < end and text[start] in _OPENERS:
        start += 1
    while end > start and text[end - 1] in _CLOSERS:
        end -= 1
    core = text[start:end]
    if not core:
        return None
    if match := _CAMEL.fullmatch(core):
        left, right = match.group(1), match.group(2)
        decision = _camel(left, right, _dateline_follows(text, end))
        if decision is None:
            return None
        reason, confidence = decision
        after = f"{left} {right}"
    elif match := _DATELINE.fullmatch(core):
        left, right = match.group(1), match.group(2)
        if not _dateline_follows(text, end) or not _capitalised_dateline(left, right):
            return None
        reason = "glued tokens split: word + month of a dateline"
        confidence = DATELINE_CONFIDENCE
        after = f"{left} {right}"
    elif match := _SENTENCE.fullmatch(core):
        left, stop, right = match.group(1), match.group(2), match.group(3)
        if not _sentence(left, right):
            return None
        reason = "glued sentences split: space after sentence punctuation"
        confidence = SENTENCE_CONFIDENCE
        after = f"{left}{stop} {right}"
    elif match := _RUN.fullmatch(core):
        parts = _run_parts(match.group(1))
        if parts is None:
            return None
        reason = f"run-together words split into {len(parts)} common words"
        confidence = RUN_CONFIDENCE
        after = " ".join(parts)
    else:
        return None
    glued_end = start + match.end(match.lastindex or 0)
    before = text[start:glued_end]
    if before.lower() in _keep():
        return None
    return Edit(start, glued_end, before, after, NAME, reason, confidence)


def _dateline_follows(text: str, end: int) -> bool:
    """Whether a day number follows the token ("Feb 15")."""
    return text[end : end + 1] == " " and text[end + 1 : end + 2].isdigit()


def _camel(left: str, right: str, dateline: bool) -> tuple[str, float] | None:
    """Reason and confidence for splitting lowercase `left` from capitalised `right`."""
    if len(left) < MIN_CAMEL_SIDE or len(right) < MIN_CAMEL_SIDE or left in CODE_PREFIXES:
        return None
    words = _words()
    lower = right.lower()
    if left not in words or lower not in words or left + lower in words:
        return None
    if right in MONTHS or right in WEEKDAYS:
        if dateline:
            return "glued tokens split: word + date", DATELINE_CONFIDENCE
        return "glued tokens split: word + month or weekday", OPENER_CONFIDENCE
    if right in CAMEL_OPENERS:
        return "glued tokens split: word + sentence opener", OPENER_CONFIDENCE
    if not _name_like(lower):
        return None  # an identifier ending in a common word: localStorage, firstName
    if _name_like(left):
        return None  # a handle, a name run into a name: johnDoe, janeSmith
    if not _glued_by_evidence(left, lower):
        return None  # written as one token: airBaltic, musicMagpie
    return "glued tokens split: lowercase word + capitalised name", CAMEL_CONFIDENCE


def _glued_by_evidence(left: str, right: str) -> bool:
    """Whether the language model says lowercase `left` and `right` were two words
    glued: a sentence boundary between them, or a pair it knows (see
    `BOUNDARY_LOG_RATIO`, `PAIR_LOG_RATIO`)."""
    model = default_model()
    running = model.logprob(right, (left,))
    boundary = model.logprob(".", (left,)) + model.logprob(right, ("<s>",))
    return (
        boundary - running >= BOUNDARY_LOG_RATIO
        or running - model.logprob(right, ()) >= PAIR_LOG_RATIO
    )


def _name_like(word: str) -> bool:
    """Whether lowercase `word` behaves as a proper name in symspellpy's bigram list.

    That list keeps only pairs counted over 6.4 million times. Names never reach it
    after an article or "to" (no "the iran", "a syria", "to biden"), while the nouns,
    verbs and adjectives that end camelCase identifiers do, in their base form at
    least ("the storage" 155 million, "the child" 1.6 billion, "to enable").
    """
    followers = _article_followers()
    if word in followers:
        return False
    return not any(
        word[: -len(suffix)] + stem in followers
        for suffix, stem in INFLECTIONS
        if word.endswith(suffix) and len(word) > len(suffix) + 2
    )


def _capitalised_dateline(left: str, right: str) -> bool:
    """Whether capitalised `left` + month `right` (followed by a day) is glue."""
    if right not in DATELINE_MONTHS or len(left) < MIN_CAMEL_SIDE:
        return False
    words = _words()
    return left.lower() in words and (left + right).lower() not in words


def _sentence(left: str, right: str) -> bool:
    """Whether "left.Right" is two sentences glued together."""
    return (
        len(left) >= MIN_CAMEL_SIDE
        and right in SENTENCE_OPENERS
        and left not in CODE_PREFIXES
        and left in _words()
    )


def _run_parts(token: str) -> list[str] | None:
    """The common words a long unknown lowercase `token` is made of, if that is clear."""
    if len(token) < MIN_RUN_LENGTH or token in _words():
        return None
    common = _common_words()
    if not _splits_into(token, common, MAX_RUN_PARTS):
        return None  # no split can pass, so skip the segmenter (and building it)
    parts = _segment(token)
    if "".join(parts) != token or not 2 <= len(parts) <= MAX_RUN_PARTS:
        return None
    if any(part not in common for part in parts):
        return None
    pairs = _common_pairs()
    if any(f"{first} {second}" not in pairs for first, second in itertools.pairwise(parts)):
        return None
    return parts


def _splits_into(token: str, common: WordSet, parts: int) -> bool:
    """Whether `token` is two to `parts` words of `common`."""
    return any(
        token[:cut] in common
        and (token[cut:] in common or (parts > 2 and _splits_into(token[cut:], common, parts - 1)))
        for cut in range(MIN_PART_LENGTH, len(token) - MIN_PART_LENGTH + 1)
    )


def _words() -> dict[str, int]:
    """symspellpy's 82,765 English words (lowercase) with their counts."""
    return unigram_counts()


@functools.cache
def _common_words() -> WordSet:
    """The known words common enough to be part of a run-together split."""
    return word_set(
        word
        for word, count in _words().items()
        if count >= MIN_PART_COUNT and len(word) >= MIN_PART_LENGTH
    )


def _article_followers() -> WordSet:
    """Words symspellpy's bigram list has after "the", "a", "an" or "to"."""
    return pair_lists()[0]


def _common_pairs() -> WordSet:
    """Word pairs ("first second") counted at least `MIN_PAIR_COUNT` times in
    symspellpy's bigram list; one string per pair keeps the set at a third of the
    memory of pairs of strings."""
    return pair_lists()[1]


def _segment(token: str) -> list[str]:
    """The likeliest split of lowercase `token` into words.

    The dynamic programme of symspellpy's `word_segmentation` at edit distance 0, run
    over `_words()` instead of a SymSpell dictionary (which takes a second and 30 MB
    to build): a part is scored log10(count / N), an unknown part log10(10 / N /
    10**length) and counts its length as edits; each inserted space is one edit. The
    split with fewer edits wins, and within one space of the same edits the likelier.
    """
    words, longest = _words(), _longest_word()
    # best[end]: (edits, log10 probability, parts) of the best split of token[:end].
    best: list[tuple[int, float, tuple[str, ...]] | None] = [None] * (len(token) + 1)
    for start in range(len(token)):
        for end in range(start + 1, min(len(token), start + longest) + 1):
            part = token[start:end]
            count = words.get(part)
            if count is None:
                edits, log_prob = len(part), math.log10(10.0 / SYMSPELL_N / 10.0 ** len(part))
            else:
                edits, log_prob = 0, math.log10(count / SYMSPELL_N)
            if start == 0:
                best[end] = (edits, log_prob, (part,))
                continue
            before = best[start]
            assert before is not None  # every end before `end` has been reached
            current = best[end]
            total = (before[0] + 1 + edits, before[1] + log_prob)
            if (
                current is None
                or total[0] < current[0]
                or (current[0] in (total[0] - 1, total[0]) and current[1] < total[1])
            ):
                best[end] = (*total, (*before[2], part))
    found = best[len(token)]
    return list(found[2]) if found else []


@functools.cache
def _longest_word() -> int:
    return max(map(len, _words()), default=0)


@functools.cache
def _keep() -> frozenset[str]:
    """The hand-curated names to keep whole, lowercased."""
    path = importlib.resources.files("textrepair") / "data" / "glue-keep.txt"
    names = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return frozenset(name.lower() for name in names if name)
