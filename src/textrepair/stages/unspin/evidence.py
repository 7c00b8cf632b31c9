"""Evidence, per candidate: how much likelier each restoration reads in its context.

The gains are the only language-model questions asked before the document gate; the
gate (`gate.py`) reads them as evidence, the decoder (`decoding.py`) as a starting point.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...language_model import LanguageModel
from .candidates import Candidate, Option
from .model import sequence_logprob

# A candidate is a "giveaway" when restoring it is this much likelier (log10: about
# 300x) than keeping it, in its own context, at an even prior. Genuine English almost
# never scores that high, so giveaways are the spin score's evidence. At 2.0 (100x), a
# clean text dense with genuine "within the", "the place", "12 months" and "had been"
# (corpus/clean/culture-village-archive) scored as spun and lost 12 words; from 2.0 to
# 2.5 no spun text in corpus/ changed its output, and the lowest spun score went from
# 0.95 to 0.92 while the highest clean one fell from 0.44 to 0.33.
GIVEAWAY_LOG_RATIO = 2.5


def gains(model: LanguageModel, candidate: Candidate) -> tuple[float, ...]:
    """log10 of how much likelier each restoration reads than the span as it stands.

    Judged in the observed context, one candidate at a time; one value per option
    after the first (which keeps the span).
    """
    keep = sequence_logprob(model, candidate.left, candidate.options[0].words + candidate.right)
    return tuple(
        sequence_logprob(model, candidate.left, option.words + candidate.right) - keep
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
