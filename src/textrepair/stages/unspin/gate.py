"""The gate: is a document spun? A score in [0, 1], a level, and the evidence.

Evidence is the density of giveaways: candidate spans whose restoration is
about 300 times likelier than the text as it stands, in its own context (see
`evidence.GIVEAWAY_LOG_RATIO`). Genuine English rarely produces them; a spinner
produces many. The score also sets how boldly the unspin stage repairs: a document
without spin evidence (level clean or low) is left alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...language_model import LanguageModel, default_model
from ...lexicon import Lexicon, selected_lexicon
from .candidates import Candidate, count_words, find_candidates
from .evidence import GIVEAWAY_LOG_RATIO, evidence, gains
from .model import shared_model

# Giveaways per 100 words at which the score reaches 1 - 1/e (about 0.63). Spun news
# carries 10-15 substitutions per 100 words, of which several are giveaways; clean
# text very rarely has more than one giveaway in a few hundred words.
DENSITY_SCALE = 1.5

# Texts shorter than this many words are scored as if they were this long: one
# giveaway in a ten-word snippet is weak evidence that the whole text is spun.
MIN_WORDS = 150

# Level boundaries on the score.
LEVELS = ((0.8, "high"), (0.5, "suspicious"), (0.25, "low"), (0.0, "clean"))

# The spin rate the decoder assumes. Below the "suspicious" level it is zero: the
# document is left alone. The model prefers a frequent word over a rare genuine one by
# up to a million to one ("also" over "additionally", and more on word salad), so any
# non-zero rate in a document without spin evidence damages original text. From there
# it rises along a steep logistic centred on RHO_MIDPOINT to RHO_SPUN, the rate in a
# heavily spun document (where about two thirds of known spinner outputs are spun).
RHO_FROM_SCORE = 0.5
RHO_SPUN = 0.6
RHO_MIDPOINT = 0.7
RHO_STEEPNESS = 0.05


@dataclass(frozen=True, slots=True)
class Evidence:
    """One giveaway: the spun text, its likeliest original, and the log10 ratio."""

    start: int
    end: int
    text: str
    original: str
    log_ratio: float


@dataclass(frozen=True, slots=True)
class SpinScore:
    """The spin score of a document."""

    score: float  # in [0, 1]
    level: str  # clean | low | suspicious | high
    words: int
    density: float  # giveaways per 100 words
    evidence: tuple[Evidence, ...]

    @property
    def rho(self) -> float:
        """The spin rate the decoder assumes for this document."""
        if self.score < RHO_FROM_SCORE:
            return 0.0
        return RHO_SPUN / (1.0 + math.exp(-(self.score - RHO_MIDPOINT) / RHO_STEEPNESS))


def assess(
    text: str, candidates: list[Candidate], option_gains: list[tuple[float, ...]]
) -> SpinScore:
    """Score a document from its candidates and their gains (see `evidence.gains`)."""
    giveaways = []
    for candidate, candidate_gains in zip(candidates, option_gains, strict=True):
        strongest = evidence(candidate, candidate_gains)
        if strongest is not None and strongest[0] >= GIVEAWAY_LOG_RATIO:
            giveaways.append(
                Evidence(
                    candidate.start,
                    candidate.end,
                    candidate.text,
                    strongest[1].text,
                    round(strongest[0], 3),
                )
            )
    words = count_words(text)
    density = 100.0 * len(giveaways) / max(words, 1)
    effective_density = 100.0 * len(giveaways) / max(words, MIN_WORDS)
    value = 1.0 - math.exp(-effective_density / DENSITY_SCALE)
    level = next(name for bound, name in LEVELS if value >= bound)
    return SpinScore(round(value, 4), level, words, round(density, 3), tuple(giveaways))


def score(
    text: str, lexicon: Lexicon | None = None, model: LanguageModel | None = None
) -> SpinScore:
    """The spin score of `text`, with the shipped lexicon (as `clean` uses it) and model.

    >>> score("The committee met on Tuesday.").level
    'clean'
    """
    lexicon = lexicon if lexicon is not None else selected_lexicon()
    candidates = find_candidates(text, lexicon)
    if not candidates:
        return SpinScore(0.0, "clean", count_words(text), 0.0, ())
    cached = shared_model(model if model is not None else default_model())
    return assess(text, candidates, [gains(cached, candidate) for candidate in candidates])
