"""Unspin stage: restore the words a synonym spinner replaced.

Candidates come from one scan of the lexicon over the text; only if there are any is
the language model loaded, the document's spin score computed, and each cluster of
candidates decided jointly (see `textrepair.scoring`).
"""

from __future__ import annotations

import functools
import math
import time
from collections import Counter
from collections.abc import Callable

import regex

from ..edits import Edit
from ..language_model import default_model
from ..lexicon import Lexicon, default_lexicon
from ..options import Options
from ..scoring import (
    CachedModel,
    Candidate,
    Decision,
    clusters,
    decide,
    find_candidates,
    gains,
    worth_decoding,
)
from ..spinscore import assess

NAME = "unspin"

# Document-level consistency: a spun form restored with at least this confidence, at
# least this many times and in at least this share of its occurrences in one document,
# is taken to be one this document's spinner produces, and gets CONSISTENT_RATE as its
# own spin rate; each occurrence is still decided in its context, so a genuine use that
# the model clearly prefers is kept.
CONSISTENT_CONFIDENCE = 0.9
CONSISTENT_MIN_RESTORED = 2
CONSISTENT_MIN_SHARE = 0.25
CONSISTENT_RATE = 0.9

# An article right before a candidate: "an professional" -> "an expert".
ARTICLE_BEFORE = regex.compile(r"(?<!\w)(an?|An?|AN)([ \t]+)$")
VOWEL_SOUND = regex.compile(
    r"(?i)^(?:[aeio]|u(?!ni|s[eu]|ti|r[aeiou])|h(?:our|onest|onou?r|eir)|[fhlmnrsx]\b)"
)


@functools.cache
def lexicon_for(user_lexicon: str | None) -> Lexicon:
    """The shipped lexicon, with a user's lexicon on top when one is given."""
    shipped = default_lexicon()
    return shipped.merged(Lexicon.from_file(user_lexicon)) if user_lexicon else shipped


def find_edits(text: str, options: Options) -> list[Edit]:
    """Edits that restore spun phrases in `text`."""
    candidates = find_candidates(text, lexicon_for(options.lexicon))
    if not candidates:
        return []
    model = CachedModel(default_model())
    option_gains = [gains(model, candidate) for candidate in candidates]
    spin = assess(text, candidates, option_gains)
    if spin.rho == 0.0:
        return []  # no spin evidence: do no harm
    deadline = None if options.time_budget is None else time.monotonic() + options.time_budget
    log_rho = math.log10(spin.rho)
    contenders = [
        candidate
        for candidate, candidate_gains in zip(candidates, option_gains, strict=True)
        if worth_decoding(candidate, candidate_gains, log_rho)
    ]
    groups = list(clusters(contenders, text))
    decisions = _decide_all(model, groups, text, lambda _: log_rho, deadline)
    # A spinner maps a word the same way throughout a document: a form restored again
    # and again here is likely spun where it was kept too. Those clusters are decided
    # again with that form's own rate, estimated from this document.
    pair_rates = _pair_rates(candidates, decisions, spin.rho)
    if pair_rates:
        rates = {key: math.log10(rate) for key, rate in pair_rates.items()}

        def log_rho_of(candidate: Candidate) -> float:
            return rates.get(_form(candidate), log_rho)

        boosted = [
            group for group in groups if any(_form(candidate) in rates for candidate in group)
        ]
        redecided = _decide_all(model, boosted, text, log_rho_of, deadline)
        decisions = {**decisions, **redecided}
    return [
        _edit(text, decision, spin.level)
        for _, decision in sorted(decisions.items())
        if decision is not None and decision.confidence >= options.min_confidence
    ]


def _decide_all(
    model: CachedModel,
    groups: list[list[Candidate]],
    text: str,
    log_rho_of: Callable[[Candidate], float],
    deadline: float | None,
) -> dict[int, Decision | None]:
    """Decisions by candidate start (None: keep), stopping at the deadline if any."""
    decisions: dict[int, Decision | None] = {}
    for group in groups:
        if deadline is not None and time.monotonic() > deadline:
            break
        chosen = {
            decision.candidate.start: decision
            for decision in decide(model, group, text, [log_rho_of(c) for c in group])
        }
        for candidate in group:
            decisions[candidate.start] = chosen.get(candidate.start)
    return decisions


def _form(candidate: Candidate) -> str:
    return candidate.text.lower()


def _pair_rates(
    candidates: list[Candidate], decisions: dict[int, Decision | None], rho: float
) -> dict[str, float]:
    """Spin rates of spun forms this document restores repeatedly (see CONSISTENT_*)."""
    seen: Counter[str] = Counter(_form(candidate) for candidate in candidates)
    restored: Counter[str] = Counter(
        _form(decision.candidate)
        for decision in decisions.values()
        if decision is not None and decision.confidence >= CONSISTENT_CONFIDENCE
    )
    return {
        form: max(rho, CONSISTENT_RATE)
        for form, count in restored.items()
        if count >= CONSISTENT_MIN_RESTORED and count >= CONSISTENT_MIN_SHARE * seen[form]
    }


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
