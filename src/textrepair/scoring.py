"""Context scoring: candidates from one scan, decided jointly with a language model.

A spinner replaces an original phrase o with a paraphrase s. Seeing s, the noisy
channel asks which is likelier: the author wrote s, or wrote o and the spinner made s:

    keep s:       P_LM(s | context)
    restore o:    P_LM(o | context) * rho * weight(source) * prior(o -> s)

where `rho` is how heavily this document was spun (from the spin score: tiny for
clean text, so only near-certain repairs happen there), `weight` says how much a
lexicon source is trusted and `prior` is the lexicon's own plausibility of the pair.

Spun words cluster ("latest assaults" for "recent attacks"), so a decision made one
word at a time with spun neighbours as context goes wrong. Candidates whose contexts
overlap form a cluster, and each cluster is decoded jointly (Viterbi over the
trigram model's state, the last two words), which is exact for a trigram model.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import time
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .language_model import LanguageModel
from .lexicon import Lexicon, Substitution, document_words

# Words (with inner apostrophes and hyphens) and sentence ends: what the model reads.
# The standard library's engine: it is called per candidate on short spans, where its
# per-call cost is far lower than the regex module's.
# Other punctuation carries no weight in the shipped model and is skipped.
_WORD = r"\w+(?:['\u2019\-]\w+)*"
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

# Language-model answers remembered per process (about 150 bytes each: 2M is ~300 MB
# at worst, far more than a corpus of news needs; the memory is cleared when full).
MAX_CACHED_ANSWERS = 1_000_000

# A multi-word spun name written with capitals ("Basis for Protection of Democracies",
# "Lawyer Basic") is a fact about one institution or title. The model knows few names
# and scores their words as common nouns, often preferring the spun ones, so such rows
# are trusted this much (log10) over the model.
NAME_TRUST = 4.0

# A candidate is a "giveaway" when restoring it is this much likelier (log10: about
# 300x) than keeping it, in its own context, at an even prior. Genuine English almost
# never scores that high, so giveaways are the spin score's evidence. At 2.0 (100x), a
# clean text dense with genuine "within the", "the place", "12 months" and "had been"
# (corpus/clean/culture-village-archive) scored as spun and lost 12 words; from 2.0 to
# 2.5 no spun text in corpus/ changed its output, and the lowest spun score went from
# 0.95 to 0.92 while the highest clean one fell from 0.44 to 0.33.
GIVEAWAY_LOG_RATIO = 2.5

# Sources at or above this weight are evidence that a spinner was at work.
TRUSTED = 0.5

# A candidate whose best restoration, judged alone, falls this far short (log10: 100x)
# is not decoded jointly: neighbours changing their words shift a trigram score by far
# less than that in practice, and skipping it keeps the decoder to real contenders.
PRUNE_LOG_RATIO = -2.0

# Where a spun form has several originals ("method" for "way" or "manner", "extra" for
# "more" or "additional"), the chosen one must read at least this much better (log10:
# about 1.6x) than the next, or the span is left as it is: a wrong original is a wrong
# change, while abstaining only misses a repair. Measured on all 16 spun pairs of
# corpus/ at 0.1, 0.2, 0.3 and 0.5: from 0.2 up it removes wrong originals (seed 6 -> 4,
# team pairs 75 -> 73); above 0.2 it starts costing right ones.
ORIGINAL_TIE_LOG_RATIO = 0.2

# Joint decoding is exact within a cluster; spinner clusters are two to five candidates
# long. A longer run (word lists, pathological input) is cut into pieces of this size:
# confidence re-decodes a cluster once per restored candidate, so this bounds the work
# per candidate and keeps the stage linear in the input.
MAX_CLUSTER = 8


# The readings of a spun form (as written: case decides which rows apply) are the same in
# every document unless a row has a context condition; they are kept per lexicon. The
# bound only matters for input written in every capitalisation at once.
MAX_SHARED_OPTIONS = 100_000
_SHARED_OPTIONS: weakref.WeakKeyDictionary[Lexicon, dict[str, tuple[Option, ...]]] = (
    weakref.WeakKeyDictionary()
)


class CachedModel:
    """A language model that remembers its answers.

    Evidence, decoding and confidence ask the same questions many times, within a
    document and across documents; the answer depends only on the word and the last
    ``order - 1`` words of context. The memory is bounded by `MAX_CACHED_ANSWERS`.
    """

    def __init__(self, model: LanguageModel) -> None:
        self.model = model
        self.order = model.order
        self._answers: dict[tuple[str, ...], float] = {}

    def logprob(self, word: str, context: Sequence[str]) -> float:
        return self.sequence(tuple(context[len(context) - self.order + 1 :]), (word,))

    def sequence(self, context: tuple[str, ...], words: Sequence[str]) -> float:
        """log10 probability of `words` following `context`, word by word."""
        keep = self.order - 1
        history = context[len(context) - keep :] if keep else ()
        answers = self._answers
        total = 0.0
        for word in words:
            # The key is the history and the word in one flat tuple: the word's own
            # n-gram, whose last `keep` words are the next history.
            key = (*history, word)
            answer = answers.get(key)
            if answer is None:
                if len(answers) >= MAX_CACHED_ANSWERS:
                    answers.clear()
                answer = answers[key] = self.model.logprob(word, history)
            total += answer
            history = key[-keep:] if keep else ()
        return total


@functools.cache
def shared_model(model: LanguageModel) -> CachedModel:
    """One remembering wrapper per model per process."""
    return CachedModel(model)


@dataclass(frozen=True, slots=True)
class Option:
    """One reading of a candidate span: the words it would read as, and at what cost."""

    text: str  # replacement text ("" for keeping the span as it is)
    words: tuple[str, ...]  # lowercased words the model scores
    log_cost: float  # log10 of the channel term; 0.0 for keeping
    substitution: Substitution | None  # None for keeping
    # log10 of the row's prior when its source is evidence of a spinner (see `evidence`).
    trusted_log_prior: float | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span of the text that a spinner may have produced, and its readings."""

    start: int
    end: int
    text: str
    options: tuple[Option, ...]  # options[0] keeps the span
    left: tuple[str, ...]  # context words before, in the observed text
    right: tuple[str, ...]  # words after, in the observed text (scored)


def words_of(text: str, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    """Lowercased model tokens of `text` (or of ``text[start:end]``)."""
    return tuple(WORD_OR_BOUNDARY.findall(text[start:end].lower()))


def count_words(text: str) -> int:
    """How many words (model tokens other than sentence ends) `text` has."""
    return len(WORD.findall(text))


@functools.lru_cache(maxsize=65_536)
def _phrase_words(phrase: str) -> tuple[str, ...]:
    """Model tokens of a lexicon phrase; the same few thousand phrases recur."""
    return words_of(phrase)


def find_candidates(text: str, lexicon: Lexicon, deadline: float | None = None) -> list[Candidate]:
    """Every span of `text` the lexicon knows, with its options (rho not yet applied).

    With a `deadline` (a `time.monotonic()` value), the search stops once it is passed
    and returns what it found; callers check the clock themselves.
    """
    candidates: list[Candidate] = []
    document: frozenset[str] | None = None
    shared = _SHARED_OPTIONS.setdefault(lexicon, {})
    # Options that depend on this document's words (rows with a context condition).
    local: dict[str, tuple[Option, ...]] = {}
    next_two = NEXT_TWO_TOKENS.match
    backwards = text[::-1]
    length = len(text)
    for count, match in enumerate(lexicon.finditer(text)):
        if (
            deadline is not None
            and count % DEADLINE_CHECK_EVERY == 0
            and time.monotonic() > deadline
        ):
            break
        if _inside_address(text, match.start, match.end):
            continue
        options = shared.get(match.text) or local.get(match.text)
        if options is None:
            conditional = any(sub.context for sub in match.substitutions)
            if conditional and document is None:
                document = document_words(text)
            options = _options(match.text, match.substitutions, lexicon, document)
            cache = local if conditional else shared
            if len(cache) >= MAX_SHARED_OPTIONS:
                cache.clear()
            cache[match.text] = options
        if len(options) == 1:
            continue
        before = next_two(backwards, length - match.start, length - match.start + CONTEXT_CHARS)
        after = next_two(text, match.end, match.end + CONTEXT_CHARS)
        candidates.append(
            Candidate(
                match.start,
                match.end,
                match.text,
                options,
                _left_context(before),
                _right_context(after),
            )
        )
    return candidates


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
        if " " in substitution.spun and substitution.spun != substitution.spun.lower():
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
    return (Option("", keep_words, 0.0, None), *best.values())


def _inside_address(text: str, start: int, end: int) -> bool:
    """Whether a match sits inside a URL, e-mail address, handle or file name."""
    before = text[start - 1] if start else " "
    after = text[end : end + 2]
    return (
        before in "/@#._\\" or (after[:1] in "/@_\\") or (after[:1] == "." and after[1:].isalnum())
    )


def gains(model: LanguageModel, candidate: Candidate) -> tuple[float, ...]:
    """log10 of how much likelier each restoration reads than the span as it stands.

    Judged in the observed context, one candidate at a time; one value per option
    after the first (which keeps the span).
    """
    keep = _sequence_logprob(model, candidate.left, candidate.options[0].words + candidate.right)
    return tuple(
        _sequence_logprob(model, candidate.left, option.words + candidate.right) - keep
        for option in candidate.options[1:]
    )


def evidence(candidate: Candidate, option_gains: Sequence[float]) -> tuple[float, Option] | None:
    """The strongest sign of spinning a candidate gives, from trusted sources only.

    Returns (log10 ratio, option), or None when no trusted source offers an original:
    a thesaurus saying two words are synonyms is no evidence that a spinner was at work.
    """
    best: tuple[float, Option] | None = None
    for gain, option in zip(option_gains, candidate.options[1:], strict=True):
        if option.trusted_log_prior is not None:
            ratio = gain + option.trusted_log_prior
            if best is None or ratio > best[0]:
                best = (ratio, option)
    return best


def worth_decoding(candidate: Candidate, option_gains: Sequence[float], log_rho: float) -> bool:
    """Whether any restoration comes within reach of winning (see `PRUNE_LOG_RATIO`)."""
    return any(
        gain + option.log_cost + log_rho > PRUNE_LOG_RATIO
        for gain, option in zip(option_gains, candidate.options[1:], strict=True)
    )


def _sequence_logprob(model: LanguageModel, context: Sequence[str], words: Sequence[str]) -> float:
    if isinstance(model, CachedModel):
        return model.sequence(tuple(context), words)
    history = list(context)
    total = 0.0
    for word in words:
        total += model.logprob(word, history)
        history.append(word)
    return total


@dataclass(frozen=True, slots=True)
class Decision:
    """The chosen option for a candidate, with how sure the decoder is of it."""

    candidate: Candidate
    option: Option
    confidence: float


def clusters(candidates: Sequence[Candidate], text: str) -> Iterator[list[Candidate]]:
    """Groups of candidates close enough to change each other's scores.

    With a trigram model, a choice can affect the next two words only; candidates with
    two or more words between them are independent and decoded separately. Groups are
    cut at `MAX_CLUSTER` so that decoding stays linear in the input.
    """
    group: list[Candidate] = []
    for candidate in candidates:
        if (
            group
            and len(group) < MAX_CLUSTER
            and len(WORD_OR_BOUNDARY.findall(text, group[-1].end, candidate.start)) < CONTEXT_WORDS
        ):
            group.append(candidate)
        else:
            if group:
                yield group
            group = [candidate]
    if group:
        yield group


def decide_alone(
    candidate: Candidate, option_gains: Sequence[float], log_rates: Sequence[float]
) -> Decision | None:
    """The decision for a candidate no other candidate is near, from its gains.

    Alone, its context is the observed text, so the gains already hold every reading's
    score against keeping the span: no decoding is needed.
    """
    totals = [0.0] + [
        gain + option.log_cost + log_rate
        for gain, option, log_rate in zip(
            option_gains, candidate.options[1:], log_rates[1:], strict=True
        )
    ]
    best = max(range(len(totals)), key=totals.__getitem__)
    if best == 0 or _originals_tied(totals, best):
        return None
    confidence = 1.0 / sum(10.0 ** (total - totals[best]) for total in totals)
    return Decision(candidate, candidate.options[best], confidence)


def _originals_tied(scores: Sequence[float], chosen: int) -> bool:
    """Whether another original reads almost as well as the chosen one (`scores[0]` is
    keeping the span; see `ORIGINAL_TIE_LOG_RATIO`)."""
    rivals = [score for index, score in enumerate(scores) if index not in (0, chosen)]
    return bool(rivals) and scores[chosen] - max(rivals) < ORIGINAL_TIE_LOG_RATIO


def decide(
    model: LanguageModel,
    group: Sequence[Candidate],
    text: str,
    log_rates: Sequence[Sequence[float]],
) -> list[Decision]:
    """Jointly choose an option for every candidate of a cluster.

    `log_rates[i][j]` is log10 of the spin rate assumed for option j of candidate i
    (entry 0, keeping the span, is not used).

    Confidence is the chosen reading's share among all readings of its span, each with
    the rest of the cluster decoded at its best. A near-tie between two originals
    ("price" or "value"?) gives a low confidence: restoring the wrong one costs
    precision and recall alike, while abstaining costs recall only.
    """
    gaps = [words_of(text, a.end, b.start) for a, b in itertools.pairwise(group)]
    decisions = []
    marginals = _max_marginals(model, group, gaps, log_rates)
    for candidate, readings in zip(group, marginals, strict=True):
        chosen = max(range(len(readings)), key=readings.__getitem__)
        if chosen == 0 or _originals_tied(readings, chosen):
            continue
        best = readings[chosen]
        confidence = 1.0 / sum(10.0 ** (score - best) for score in readings)
        decisions.append(Decision(candidate, candidate.options[chosen], confidence))
    return decisions


def _max_marginals(
    model: LanguageModel,
    group: Sequence[Candidate],
    gaps: Sequence[tuple[str, ...]],
    log_rates: Sequence[Sequence[float]],
) -> list[list[float]]:
    """For each candidate and option, the best total score of the cluster with that
    option chosen (log10), exact for a trigram model.

    The cluster is a lattice whose states are the last two words: a forward pass scores
    every transition once and keeps the best score into each state, a backward pass the
    best score from each state to the end; an option's best total is then the best
    forward + transition + backward over its transitions.
    """
    # layers[i]: transitions of slot i as (from state, option, score, to state).
    layers: list[list[tuple[tuple[str, ...], int, float, tuple[str, ...]]]] = []
    forward: list[dict[tuple[str, ...], float]] = [{group[0].left[-CONTEXT_WORDS:]: 0.0}]
    for index, candidate in enumerate(group):
        following = gaps[index] if index < len(gaps) else candidate.right
        transitions = []
        reached: dict[tuple[str, ...], float] = {}
        for history, so_far in forward[-1].items():
            for option_index, option in enumerate(candidate.options):
                cost = option.log_cost + (log_rates[index][option_index] if option_index else 0.0)
                words = option.words + following
                score = cost + _sequence_logprob(model, history, words)
                state = (history + words)[-CONTEXT_WORDS:]
                transitions.append((history, option_index, score, state))
                if reached.get(state, -math.inf) < so_far + score:
                    reached[state] = so_far + score
        layers.append(transitions)
        forward.append(reached)
    backward: dict[tuple[str, ...], float] = dict.fromkeys(forward[-1], 0.0)
    marginals: list[list[float]] = []
    for index in range(len(group) - 1, -1, -1):
        best = [-math.inf] * len(group[index].options)
        to_end: dict[tuple[str, ...], float] = {}
        for history, option_index, score, state in layers[index]:
            rest = score + backward[state]
            if to_end.get(history, -math.inf) < rest:
                to_end[history] = rest
            total = forward[index][history] + rest
            if total > best[option_index]:
                best[option_index] = total
        marginals.append(best)
        backward = to_end
    return marginals[::-1]
