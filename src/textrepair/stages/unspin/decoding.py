"""Decoding: the joint choice of words over each cluster of nearby candidates.

A spinner replaces an original phrase o with a paraphrase s. Seeing s, the noisy
channel asks which is likelier: the author wrote s, or wrote o and the spinner made s:

    keep s:       P_LM(s | context) * bonus(s)
    restore o:    P_LM(o | context) * rho * weight(source) * prior(o -> s)

where `rho` is how heavily this document was spun (set by the gate), `weight` says how
much a lexicon source is trusted and `prior` is the lexicon's own plausibility of the
pair (both in the option's `log_cost`, see `candidates.py`). `bonus` is 1 unless real
spun pages show the form as the authors' own more often than `rho` predicts
(`keep_log_bonus`).

Spun words cluster ("latest assaults" for "recent attacks"), so a decision made one
word at a time with spun neighbours as context goes wrong. Candidates whose contexts
overlap form a cluster, and each cluster is decoded jointly (Viterbi over the
trigram model's state, the last two words), which is exact for a trigram model.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ...language_model import LanguageModel
from .candidates import CONTEXT_WORDS, SUFFIX, WORD_OR_BOUNDARY, Candidate, Option, words_of
from .gate import POOLED, form_of, genuine_rates, rates_of
from .model import sequence_logprob

# Weight of the paragraph's spin rate as a prior on each pair's own rate (see
# _pair_rates). Measured on corpus/: 1, 2 and 5 differ by under a point; 2 lets two
# occurrences of a pair in a document count as much as the document's overall evidence.
PAIR_PRIOR_WEIGHT = 2.0

# A candidate whose best restoration, judged alone, falls this far short (log10: 100x)
# is not decoded jointly: neighbours changing their words shift a trigram score by far
# less than that in practice, and skipping it keeps the decoder to real contenders.
PRUNE_LOG_RATIO = -2.0

# Where a spun form has several originals ("method" for "way" or "manner", "extra" for
# "more" or "additional"), the chosen one must read at least this much better (log10:
# about 1.6x; as `choose_original` weighs the readings) than the next, or the span is
# left as it is: a wrong original is a wrong change, while abstaining only misses a
# repair. Measured on all 16 spun pairs of corpus/ at 0.1, 0.2, 0.3 and 0.5: from 0.2 up
# it removes wrong originals (seed 6 -> 4, team pairs 75 -> 73); above 0.2 it starts
# costing right ones. On the 343 real pages (benchmarks/lopo_mined.py,
# leave-one-page-out) 0.2 gives 0.777 / 0.586, 0.4 0.777 / 0.583 and 0.7 0.779 / 0.574:
# a wider tie buys no precision there either.
ORIGINAL_TIE_LOG_RATIO = 0.2

# Occurrences a word counts for beside its count in the mined pages' originals
# (`news_log_weight`): a word they never write weighs half where the model expects it
# twice in them, and a fiftieth where it expects it a hundred times. Leave-one-page-out on
# the 356 real pages, 2 did best on pages 001-249 against 10 and against 2 with the weight
# 1.5 times as strong (0.791 / 0.595, 0.790 / 0.593, 0.791 / 0.594; docs/evaluation.md).
ORIGINAL_PSEUDO_COUNT = 2.0

# The model's reading of an original that news copy writes less often than it expects
# (`news_log_weight` below 0) is marked down by this share of that weight when deciding
# whether to restore at all; never marked up, for a restored true word costs more than a
# missed repair. Leave-one-page-out on the 356 real pages: 0 (not marked) 0.789 / 0.597,
# 640 true words changed; 0.5 0.790 / 0.595, 633; 1 0.791 / 0.592, 625. On pages 001-249,
# 0.5 keeps the recall those pages had before the weights (0.590) and 1 does not (0.588).
NEWS_DAMPING = 0.5

# Joint decoding is exact within a cluster; spinner clusters are two to five candidates
# long. A longer run (word lists, pathological input) is cut into pieces of this size:
# confidence re-decodes a cluster once per restored candidate, so this bounds the work
# per candidate and keeps the stage linear in the input.
MAX_CLUSTER = 8


# How many occurrences the document's spin rate counts for beside a form's counts on real
# spun pages (`keep_log_bonus`): as for the pair rates and the mined priors, two.
PAGE_PRIOR_WEIGHT = 2.0


def keep_log_bonus(candidate: Candidate, rho: float) -> float:
    """log10 of how much likelier the span is the author's own than `rho` says, from how
    real spun pages show its form (0 where they show it no more often as written, save
    for a contraction: below 0 where they show it more often as the spinner's).

    The mined pages have "penalties" as the spinner's output 3 times and as the authors'
    own 7 times, "residence" 8 and 11 times: where the gate puts a paragraph's rate at
    0.6, such a form is likelier genuine, and the model alone would restore it wherever
    "consequences" or "home" reads a little better. (A form the pages show as mostly
    written beyond doubt, such as "roughly", 3 and 34, is no row at all:
    ``tools/build_lexicon.py``, `mostly_written`.) The share of spinner output,
    (swaps + w*rho) / (swaps + genuine + w), with the rate as a prior of weight
    `PAGE_PRIOR_WEIGHT`, stands for the rate: the odds of keeping are (1 - share) / share
    instead of (1 - rho) / rho. (Until 2026-12-08 only the keeping side took the share;
    taking it on both sides changed 19 fewer true words of 356 real pages for 20 fewer
    repairs, leave-one-page-out, FP 299 -> 286; the team pairs lost one repair, the
    shipped real pair one true word less changed, the seed nothing; on the documents of
    benchmarks/simulated.py fewer true words changed in every setting, clean or spun,
    where any changed.) Forms the pages show
    mostly as spinner output are not pushed the other way: on the team-written pairs,
    whose authors write "need", "extra" and "through" freely, that restored true words
    (leave-one-page-out on 95 real pages 0.763/0.536 -> 0.766/0.565, team pairs
    0.854 -> 0.825 precision, the seed 0.952 -> 0.944; benchmarks/lopo_mined.py).

    Contractions are: the trigram model reads a contraction and its expansion alike
    ("said they're confident the" -8.22, "said they are confident the" -8.35), so only
    the pages can tell them apart, and they show the spinner contracting ("they're" 11
    times its output, twice the author's). On 308 real pages (leave-one-page-out) this
    and the rows "didn't" and "they've" no longer rejected restored 25 more contractions
    and changed no more true words; the team-written pairs, which have no contraction the
    spinner made, lost one true "won't" (to "will not": the pages show "won't" as the
    spinner's three times, never as written), and clean text nothing.
    """
    form = form_of(candidate)
    rates = rates_of(form)
    if rates is None or rho <= 0.0:
        return 0.0
    swaps, genuine = rates.page_swaps, rates.page_genuine
    spun = (swaps + PAGE_PRIOR_WEIGHT * rho) / (swaps + genuine + PAGE_PRIOR_WEIGHT)
    bonus = math.log10((1.0 - spun) / (1.0 - rho))
    if spun < rho:  # the share stands for the rate on the restoring side too
        bonus += math.log10(rho / spun)
    contraction = any(SUFFIX.search(word) for word in form)
    return bonus if contraction else max(0.0, bonus)


def worth_decoding(
    candidate: Candidate, option_gains: Sequence[float], log_rho: float, log_keep: float
) -> bool:
    """Whether any restoration comes within reach of winning (see `PRUNE_LOG_RATIO`)
    against keeping the span at `log_keep` (`keep_log_bonus`)."""
    return any(
        gain + option.log_cost + log_rho > PRUNE_LOG_RATIO + log_keep
        for gain, option in zip(option_gains, candidate.options[1:], strict=True)
    )


def pair_rates(
    text: str, candidates: list[Candidate]
) -> Callable[[Candidate, Option, float], float]:
    """Spin rates per (spun form, original) pair, from how often each occurs here.

    A spinner maps an original the same way throughout a document. Where the original
    never appears ("said" nowhere, "stated" fourteen times) nearly every spun form is
    spun; where it is common and unspun ("in" thirty times beside "within" six), the spun
    form is likely genuine. The estimate (m + w*rho) / (m + k + w) counts m spun forms and
    k originals, with the paragraph's rate rho as a prior of weight PAIR_PRIOR_WEIGHT.
    """
    tokens = words_of(text)
    word_counts = Counter(tokens)  # most originals are one word: counted in one pass
    joined = " " + " ".join(tokens) + " "
    spun_counts = Counter(candidate.options[0].words for candidate in candidates)
    original_counts: dict[tuple[str, ...], int] = {}

    def rate(candidate: Candidate, option: Option, rho: float) -> float:
        originals = original_counts.get(option.words)
        if originals is None:
            phrase = option.words
            if len(phrase) == 1:
                originals = word_counts[phrase[0]]
            else:
                originals = joined.count(f" {' '.join(phrase)} ")
            original_counts[phrase] = originals
        spun = spun_counts[candidate.options[0].words]
        return (spun + PAIR_PRIOR_WEIGHT * rho) / (spun + originals + PAIR_PRIOR_WEIGHT)

    return rate


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
    totals = [log_rates[0]] + [
        gain + option.log_cost + log_rate
        for gain, option, log_rate in zip(
            option_gains, candidate.options[1:], log_rates[1:], strict=True
        )
    ]
    return _decision(candidate, totals)


def _decision(candidate: Candidate, readings: Sequence[float]) -> Decision | None:
    """The decision for a candidate from its readings (log10 scores of keeping the span
    and of each option), or None to keep it.

    Whether to restore is read with the originals that news copy writes less often than
    the model expects marked down (`NEWS_DAMPING`), and so is the confidence; which
    original, with all of them weighed (`choose_original`).
    """
    weights = [news_log_weight(option.words) for option in candidate.options[1:]]
    damped = [readings[0]] + [
        score + NEWS_DAMPING * min(0.0, weight)
        for score, weight in zip(readings[1:], weights, strict=True)
    ]
    best = max(range(len(damped)), key=damped.__getitem__)
    if best == 0:
        return None
    chosen, weighed = choose_original(readings, weights)
    if _originals_tied(weighed, chosen):
        return None
    confidence = 1.0 / sum(10.0 ** (score - damped[best]) for score in damped)
    return Decision(candidate, candidate.options[chosen], confidence)


def choose_original(readings: Sequence[float], weights: Sequence[float]) -> tuple[int, list[float]]:
    """Which original to restore, where `readings` (log10 scores of keeping the span and of
    each option) say that the span is to be restored; and the readings as the choice
    weighs them.

    The model prefers its own frequent words ("problem" over "shortage", "way" over
    "process"), and what news copy writes is another matter: each single-word original's
    reading gains its `weights` entry, log10 of how much more (or less) often the
    originals of the real spun pages write it than the model expects (`news_log_weight`).
    The chosen original then takes the best reading's score, so that a near-tie among the
    weighed originals still leaves the span alone (`ORIGINAL_TIE_LOG_RATIO`).
    """
    best = max(range(1, len(readings)), key=readings.__getitem__)
    if len(weights) < 2 or not any(weights):
        return best, list(readings)
    weighed = [score + weight for score, weight in zip(readings[1:], weights, strict=True)]
    chosen = max(range(len(weighed)), key=weighed.__getitem__)
    shift = readings[best] - weighed[chosen]
    return chosen + 1, [readings[0], *(score + shift for score in weighed)]


def news_log_weight(words: tuple[str, ...]) -> float:
    """log10 of how much more often news copy writes a word than the model expects:
    (c + k) / (N * p + k) for c times in the N words of the mined pages' originals
    (``sources/original-words.tsv``), where the model's unigram rate is p, with k =
    `ORIGINAL_PSEUDO_COUNT`. 0 for a phrase and for a word the table lacks (a thesaurus
    or user row's original)."""
    row = rates_of(words) if len(words) == 1 else None
    size = genuine_rates()[POOLED].original_count
    if row is None or not size:
        return 0.0
    count = ORIGINAL_PSEUDO_COUNT
    return math.log10((row.original_count + count) / (size * 10.0**row.model + count))


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

    `log_rates[i][j]` is log10 of the spin rate assumed for option j of candidate i;
    entry 0, keeping the span, is its `keep_log_bonus`.

    Confidence is the chosen reading's share among all readings of its span, each with
    the rest of the cluster decoded at its best. A near-tie between two originals
    ("price" or "value"?) gives a low confidence: restoring the wrong one costs
    precision and recall alike, while abstaining costs recall only.
    """
    gaps = [words_of(text, a.end, b.start) for a, b in itertools.pairwise(group)]
    decisions = []
    marginals = _max_marginals(model, group, gaps, log_rates)
    for candidate, readings in zip(group, marginals, strict=True):
        decision = _decision(candidate, readings)
        if decision is not None:
            decisions.append(decision)
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
                cost = option.log_cost + log_rates[index][option_index]
                words = option.words + following
                score = cost + sequence_logprob(model, history, words)
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
