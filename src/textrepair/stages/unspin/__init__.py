"""Unspin stage: restore the words a synonym spinner replaced.

The work happens in this order; each module uses only those listed before it (and
`model`, the language model with remembered answers):

1. `candidates.scan`: one pass of the lexicon over the text finds every span a spinner
   may have written, with its readings. No candidate: nothing else runs.
2. `gate.looks_clean`: a first look from the genuine-rate table alone; most clean text
   stops here, before the language model is asked anything. So does a text whose
   candidates, names and possessives included, hold one form (`gate.too_few_forms`).
3. `evidence.gains`: the language model's gain for each reading, in its own context,
   asked through `gate.gains_for_gate`, which stops as soon as a bound proves that the
   gate stays shut (a sentence with a spinner form or two) and else asks them all.
4. `gate.spin_rates`: whether the document, and each paragraph, is spun, and how
   heavily (the decoder's rate for each candidate).
5. `decoding`: the joint choice of words over each cluster of nearby candidates, keeping
   a form the more readily the more often real spun pages show it as written.
6. `names` and `grammar`: before 3, whole-name candidates, possessives, broken
   contractions, was/were agreement and the name readings of a capital inside a sentence
   (`candidates.capital_readings`); after 5, one restoration per spun name through
   the document, "Might" before a date and, in a spun paragraph, a figure the spinner
   wrote for a number word.
7. `grammar.to_edits`: capitals and articles; each choice becomes an explained edit.

`find_edits` below reads top to bottom in that order.
"""

from __future__ import annotations

import math
import time

from ...edits import Edit
from ...language_model import LanguageModel, default_model
from ...lexicon import Lexicon, selected_lexicon
from ...options import Options
from .candidates import Candidate, capital_readings, count_words, in_context, scan
from .decoding import (
    Decision,
    clusters,
    decide,
    decide_alone,
    keep_log_bonus,
    pair_rates,
    worth_decoding,
)
from .evidence import gains
from .gate import (
    SpinScore,
    assess,
    gains_for_gate,
    genuine_rates,
    looks_clean,
    spin_rates,
    spun_paragraphs,
    too_few_forms,
)
from .grammar import agreeing, numeral_edits, residue_edits, suffix_candidates, to_edits
from .model import shared_model
from .names import consistent, gazetteer, month_edits, name_candidates

NAME = "unspin"

# How many candidates are scored between two looks at the clock (Options.time_budget).
BUDGET_CHECK_EVERY = 256


def prepare(options: Options) -> None:
    """Load the lexicon (with its automaton), the genuine rates, the gazetteer and the
    language model now."""
    selected_lexicon(options.lexicon, options.thesaurus).prepare()
    genuine_rates()
    gazetteer()
    default_model().prepare()


def find_edits(text: str, options: Options) -> list[Edit]:
    """Edits that restore spun phrases in `text`."""
    deadline = None if options.time_budget is None else time.monotonic() + options.time_budget
    lexicon = selected_lexicon(options.lexicon, options.thesaurus)
    found = scan(text, lexicon, deadline)
    if not found or looks_clean(text, found):
        return []  # the cheap first look: no language model for clean text
    # Whole names, possessives and broken contractions come after the first look, so clean
    # text pays nothing for them; they still go through the gate.
    found = _whole_spans(text, lexicon, found)
    if too_few_forms(found):
        return []  # what the gate would say, before the context and the model are read
    candidates = _in_context(text, found)
    model = shared_model(default_model())
    asked = 0

    def ask(candidate: Candidate) -> tuple[float, ...] | None:
        nonlocal asked
        asked += 1
        # Out of time before the document could even be scored: leave its words.
        return None if _past(deadline, asked - 1) else gains(model, candidate)

    option_gains = gains_for_gate(text, candidates, ask)
    if option_gains is None:
        return []  # the gate stays shut, for the document and each paragraph
    spin, rates = spin_rates(text, candidates, option_gains)
    if not any(rates) or _past(deadline):
        return []  # no spin evidence (do no harm), or out of time
    rate_of = {candidate.start: rate for candidate, rate in zip(candidates, rates, strict=True)}
    # Only candidates with a rate are decoded: the rest need no keep bonus.
    keep_of = {c.start: keep_log_bonus(c, r) for c, r in zip(candidates, rates, strict=True) if r}
    contenders = [
        candidate
        for candidate, candidate_gains, rate in zip(candidates, option_gains, rates, strict=True)
        if rate
        and worth_decoding(candidate, candidate_gains, math.log10(rate), keep_of[candidate.start])
    ]
    pair_rate = pair_rates(text, candidates)
    gains_of = {candidate.start: g for candidate, g in zip(candidates, option_gains, strict=True)}
    decisions: list[Decision] = []
    for group in clusters(contenders, text):
        if _past(deadline):
            break
        log_rates = [
            [keep_of[c.start]]
            + [math.log10(pair_rate(c, option, rate_of[c.start])) for option in c.options[1:]]
            for c in group
        ]
        if len(group) == 1:
            alone = decide_alone(group[0], gains_of[group[0].start], log_rates[0])
            decisions.extend([alone] if alone else [])
        else:
            decisions.extend(decide(model, group, text, log_rates))
    decisions = consistent(text, candidates, decisions)
    confident = [d for d in decisions if d.confidence >= options.min_confidence]
    edits = month_edits(text, to_edits(text, confident, spin.level, NAME), NAME)
    edits = residue_edits(text, edits, NAME)
    edits = numeral_edits(text, edits, spun_paragraphs(text, candidates, rates), NAME)
    return [edit for edit in edits if edit.confidence >= options.min_confidence]


def score(
    text: str, lexicon: Lexicon | None = None, model: LanguageModel | None = None
) -> SpinScore:
    """The spin score of `text`: the document's verdict in `find_edits`, from the same
    candidates, every one of them asked (no first look, no early stop).

    >>> score("The committee met on Tuesday.").level
    'clean'
    """
    lexicon = lexicon if lexicon is not None else selected_lexicon()
    found = scan(text, lexicon)
    if not found:
        return SpinScore(0.0, "clean", count_words(text), 0.0, ())
    candidates = _in_context(text, _whole_spans(text, lexicon, found))
    cached = shared_model(model if model is not None else default_model())
    return assess(text, candidates, [gains(cached, candidate) for candidate in candidates])


def _whole_spans(text: str, lexicon: Lexicon, found: list[Candidate]) -> list[Candidate]:
    """The scan's candidates with whole names, possessives and broken contractions
    (names.py, grammar.py)."""
    return name_candidates(text, lexicon, suffix_candidates(text, lexicon, found))


def _in_context(text: str, found: list[Candidate]) -> list[Candidate]:
    """The candidates with their context words, the name readings of a capital inside a
    sentence and was/were agreement: what the gate weighs and the decoder decides."""
    return agreeing(text, capital_readings(text, in_context(text, found)))


def _past(deadline: float | None, index: int = 0) -> bool:
    """Whether the time budget has run out (looking at the clock every so often)."""
    return deadline is not None and index % BUDGET_CHECK_EVERY == 0 and time.monotonic() > deadline
