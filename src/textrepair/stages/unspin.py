"""Unspin stage: restore the words a synonym spinner replaced.

Candidates come from one scan of the lexicon over the text; only if there are any is
the language model loaded, the document's spin score computed, and each cluster of
candidates decided jointly (see `textrepair.scoring`).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Callable

import regex

from ..edits import Edit
from ..language_model import default_model
from ..lexicon import selected_lexicon
from ..options import Options
from ..scoring import (
    Candidate,
    Decision,
    Option,
    clusters,
    decide,
    decide_alone,
    find_candidates,
    gains,
    shared_model,
    words_of,
    worth_decoding,
)
from ..spinscore import assess

NAME = "unspin"

# Weight of the document's spin rate as a prior on each pair's own rate (see
# _pair_rates). Measured on corpus/: 1, 2 and 5 differ by under a point; 2 lets two
# occurrences of a pair in a document count as much as the document's overall evidence.
PAIR_PRIOR_WEIGHT = 2.0

# How many candidates are scored between two looks at the clock (Options.time_budget).
BUDGET_CHECK_EVERY = 256


def _past(deadline: float | None, index: int = 0) -> bool:
    """Whether the time budget has run out (looking at the clock every so often)."""
    return deadline is not None and index % BUDGET_CHECK_EVERY == 0 and time.monotonic() > deadline


# An article right before a candidate: "an professional" -> "an expert".
# (The standard library's engine: one short search per restoration. \Z, not $, which
# would also match before a line break and let the edit swallow it.)
ARTICLE_BEFORE = re.compile(r"(?<!\w)(an?|An?|AN)([ \t]+)\Z")
VOWEL_SOUND = regex.compile(
    r"(?i)^(?:[aeio]|u(?!ni|s[eu]|ti|r[aeiou])|h(?:our|onest|onou?r|eir)|[fhlmnrsx]\b)"
)


def prepare(options: Options) -> None:
    """Load the lexicon (with its automaton) and the language model now."""
    selected_lexicon(options.lexicon, options.thesaurus).prepare()
    default_model().prepare()


def find_edits(text: str, options: Options) -> list[Edit]:
    """Edits that restore spun phrases in `text`."""
    deadline = None if options.time_budget is None else time.monotonic() + options.time_budget
    lexicon = selected_lexicon(options.lexicon, options.thesaurus)
    candidates = find_candidates(text, lexicon, deadline)
    if not candidates:
        return []
    model = shared_model(default_model())
    option_gains = []
    for index, candidate in enumerate(candidates):
        # Out of time before the document could even be scored: leave its words.
        if _past(deadline, index):
            return []
        option_gains.append(gains(model, candidate))
    spin = assess(text, candidates, option_gains)
    if spin.rho == 0.0 or _past(deadline):
        return []  # no spin evidence (do no harm), or out of time
    contenders = [
        candidate
        for candidate, candidate_gains in zip(candidates, option_gains, strict=True)
        if worth_decoding(candidate, candidate_gains, math.log10(spin.rho))
    ]
    pair_rate = _pair_rates(text, candidates, spin.rho)
    gains_of = {candidate.start: g for candidate, g in zip(candidates, option_gains, strict=True)}
    decisions: list[Decision] = []
    for group in clusters(contenders, text):
        if deadline is not None and time.monotonic() > deadline:
            break
        log_rates = [
            [0.0] + [math.log10(pair_rate(c, option)) for option in c.options[1:]] for c in group
        ]
        if len(group) == 1:
            alone = decide_alone(group[0], gains_of[group[0].start], log_rates[0])
            decisions.extend([alone] if alone else [])
        else:
            decisions.extend(decide(model, group, text, log_rates))
    return [
        _edit(text, decision, spin.level)
        for decision in decisions
        if decision.confidence >= options.min_confidence
    ]


def _pair_rates(
    text: str, candidates: list[Candidate], rho: float
) -> Callable[[Candidate, Option], float]:
    """Spin rates per (spun form, original) pair, from how often each occurs here.

    A spinner maps an original the same way throughout a document. Where the original
    never appears ("said" nowhere, "stated" fourteen times) nearly every spun form is
    spun; where it is common and unspun ("in" thirty times beside "within" six), the spun
    form is likely genuine. The estimate (m + w*rho) / (m + k + w) counts m spun forms and
    k originals, with the document's rate as a prior of weight PAIR_PRIOR_WEIGHT.
    """
    tokens = words_of(text)
    word_counts = Counter(tokens)  # most originals are one word: counted in one pass
    joined = " " + " ".join(tokens) + " "
    spun_counts = Counter(candidate.options[0].words for candidate in candidates)
    original_counts: dict[tuple[str, ...], int] = {}

    def rate(candidate: Candidate, option: Option) -> float:
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


def _edit(text: str, decision: Decision, level: str) -> Edit:
    candidate, option = decision.candidate, decision.option
    substitution = option.substitution
    assert substitution is not None  # decisions only hold restorations
    replacement = _match_case(candidate.text, option.text, substitution.spun)
    start = candidate.start
    article = ARTICLE_BEFORE.search(text, max(0, start - 4), start)
    if article:
        fixed = _article_for(replacement, article.group(1))
        if fixed != article.group(1):
            start = article.start()
            replacement = fixed + article.group(2) + replacement
    reason = (
        f"spun form of {substitution.original!r} ({substitution.source} lexicon); "
        f"document spin level {level}"
    )
    return Edit(
        start,
        candidate.end,
        text[start : candidate.end],
        replacement,
        NAME,
        reason,
        round(decision.confidence, 4),
    )


def _match_case(observed: str, original: str, table_form: str) -> str:
    """Carry the observed capitalisation over to the restored phrase."""
    if table_form != table_form.lower():
        return original  # a case-sensitive name: the table gives the exact form
    if len(observed) > 1 and observed.isupper():
        return original.upper()
    if observed[:1].isupper():
        return original[:1].upper() + original[1:]
    return original


def _article_for(word: str, article: str) -> str:
    """The indefinite article `word` takes, in the case of `article`."""
    wanted = "an" if VOWEL_SOUND.match(word) else "a"
    if article.isupper() and len(article) > 1:
        return wanted.upper()
    return wanted.capitalize() if article[:1].isupper() else wanted
