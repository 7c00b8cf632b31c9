"""The gate: is a document spun, and which of its paragraphs? Evidence, score, level.

Register-plausible words cannot open the gate. Police copy genuinely writes "officers
stated that the individuals left the residence"; a spinner writes "imaginative and
prescient", "Lawyer Basic" and one word in five of everything else. So the evidence is
weighed per distinct spun form, by how often clean text writes that form genuinely:

* each form counts once, by its strongest occurrence (a word used genuinely once is
  used again: eight genuine "residence"s are one piece of evidence, not eight);
* a form's weight is the log10 odds that it is spinner output,
  ``log10(1 + RHO_SPUN * 10**(ratio - EVEN_LOG_RATIO))``, where `ratio` is how much
  likelier its original reads in context (`evidence.evidence`), less how much more often
  real clean text writes the form than the language model expects (the genuine-rate
  table, ``data/genuine-rates.tsv.gz``, built by ``tools/build_genuine_rates.py``);
* that genuine rate is conditioned on the context: the table also says how high the
  ratio reaches where clean text writes the form, and a ratio clean text rarely shows with
  that form counts in full and more ("The Home voted": clean text writes "Home" 117 times,
  never where "House" reads better than 1.6 to 1), while police copy's "individuals"
  and "stated", which clean text writes where the model prefers "people" and "said" a
  thousand to one, keep their discount (`_discount`);
* clean text supplies some evidence by chance, in proportion to its length
  (`CHANCE_PER_WORD`); only the excess counts, against a prior that few documents are
  spun (`PRIOR_LOG_ODDS`). A short text thus needs strong evidence of its own: there is
  no word-count floor.

Cheap first: the same sum with context-free ratios from the table alone (the genuine
rates of a form and its original) needs no language model. Where even that cannot reach
the gate, the document is clean and the model is never asked (`looks_clean`). After it,
a short text is asked about only as many candidates as a proof needs: a form not asked
counts at the most one form can give, and once that bound leaves the document and each
paragraph short of the gate, the verdict is that of asking all (`gains_for_gate`). The
bound is the same for every form (the model's ratio has no other ceiling), so a text
can spare only about one form per paragraph and one per 150 words: that pays on a
sentence, hardly on a page.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .candidates import Candidate, count_words
from .evidence import GIVEAWAY_LOG_RATIO, evidence

# The spin rate a spun document shows: about two thirds of the spinner outputs the
# lexicon knows are spun there (one word in five of the running text).
RHO_SPUN = 0.6

# The language model prefers a frequent original over a genuine rarer word by up to
# about 100x in ordinary prose, so a form's restoration ratio (log10) counts as even odds
# of spinning at this level. Measured at 1.5, 2.0 and 2.5 with the shipped table: at 2.0
# the least spun text of corpus/spun scores +5.5 (log10 odds), the most spun-looking clean
# text of corpus/clean and the real corpus's training part -1.6, and the police and court
# sentences of tests/test_unspin.py -0.9 at most; at 1.5 one of those sentences opens the
# gate (+0.1); at 2.5 the least spun text falls to +1.7 and a 119-word text spun one word
# in ten (tests/test_learn.py) reads as clean (-0.6).
EVEN_LOG_RATIO = 2.0

# Evidence (log10 odds, summed over forms) that clean text supplies by chance per word:
# the largest rate among the clean texts of at least 150 words in corpus/clean and the
# training part of corpus/real, rounded up (`python tools/calibrate_gate.py` prints it:
# 0.0113 over 262 texts with the shipped table and the discount conditioned on the
# ratio; 0.0102 over 205 without that conditioning).
CHANCE_PER_WORD = 0.012

# log10 prior odds that a document is spun: 1 in 100. A document (or paragraph) is spun
# when its evidence beyond chance outweighs this.
PRIOR_LOG_ODDS = -2.0

# Where a document reads clean as a whole, each of its k paragraphs with candidates is
# still judged alone (a spun comment on a clean page), so the page has k chances to lose
# words: each paragraph then gets the document's prior spread over them (PRIOR_LOG_ODDS
# - log10 k, `paragraph_prior`), and a long clean page is no likelier to lose words in
# some paragraph than a short one is to lose words at all. In a document that reads spun
# the paragraphs keep the plain prior (they decide which of them follow it). Measured on
# unique clean documents of the Python and Perl manuals (benchmarks/unique.py's prose and
# dense kinds, 1 KB and 10 KB documents, 1.2 M words): without it, four paragraphs of 27
# to 50 words opened alone, at +0.15 to +1.14, in documents that read clean ("The
# largest roadblock ..." -> "biggest", "method's" -> "way's"); with it, one does.

# The language model's ratio is not trusted beyond this (log10, over EVEN_LOG_RATIO):
# it scores a rare genuine word ("additionally", "nonetheless") a million times below a
# common original, so one form alone can never open the gate: with at most
# log10(1 + RHO_SPUN * 10**MAX_FORM_RATIO) of evidence per form, a text needs two.
MAX_FORM_RATIO = 2.0

# The context-free first look (`looks_clean`) weighs each form by the table's ratio of its
# original's genuine rate to its own (no context), read as an in-context ratio this much
# higher (log10), with the other constants of the full gate, and stops where the excess
# stays below CHEAP_FLOOR: a full unit (10x) below the weakest first look among the spun
# texts of corpus/spun and their paragraphs taken one at a time that the full gate opens
# (`python tools/calibrate_gate.py`). Measured at 1.25, 1.5, 1.75 and 2.0 on corpus/clean
# and the real corpus's training part: at 1.5 the most texts stop (322 of 401; of the
# held-out part, 139 of 191; at 2.0, 262 and 116).
FIRST_LOOK_SHIFT = 1.5
CHEAP_FLOOR = 0.0

# The most evidence (log10 odds) one form can give (`MAX_FORM_RATIO`): what a form the
# language model has not been asked about may still add (`gains_for_gate`).
MAX_FORM_ODDS = math.log10(1.0 + RHO_SPUN * 10.0**MAX_FORM_RATIO)

# Log10 odds bounded below -PROOF_MARGIN cannot open the gate. The score is rounded to
# four places, so odds down to -0.00009 already read as even (0.5); the margin keeps the
# proof clear of that and of rounding in the sums.
PROOF_MARGIN = 1e-3

# The proof keeps books on every candidate it asks (a quarter of a model question's cost,
# measured on clean text dense in spinner-output words) and spares at most the forms the
# document's allowance holds at MAX_FORM_ODDS each, so it is tried only where that many
# make at least this share of the document's forms (a sentence or a short text); longer
# texts have every candidate asked at once, with the same verdict.
PROOF_SHARE = 0.25

# Level boundaries on the score.
LEVELS = ((0.8, "high"), (0.5, "suspicious"), (0.25, "low"), (0.0, "clean"))

# The spin rate the decoder assumes: RHO_SPUN times the probability that the text is
# spun, and zero below even odds, where the text is left alone. The model prefers a
# frequent word over a rare genuine one by up to a million to one ("also" over
# "additionally", and more on word salad), so any non-zero rate in a text without spin
# evidence damages original text.
RHO_FROM_SCORE = 0.5

# The other paragraphs of a spun document follow it where the paragraphs spun on their
# own hold this share of its words, or where the others, taken together, do not read
# clean: at least FOLLOW_LOG_ODDS (10 times likelier clean than spun). Measured: the rest
# of every text of corpus/spun scores -0.36 or more, while a clean page of corpus/clean,
# or the police sentences of tests/test_unspin.py, with a spun comment below it scores
# -1.88 or less (see `spin_rates`).
FOLLOW_SHARE = 0.5
FOLLOW_LOG_ODDS = -1.0

# Paragraphs are separated by line breaks.
PARAGRAPH = re.compile(r"[^\n]+")

_RATES = "genuine-rates.tsv.gz"
# The table's row that pools every form's clean ratios and gives the originals' size.
POOLED = "*"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One giveaway: the spun text, its likeliest original, and the log10 ratio (after
    the genuine-rate discount)."""

    start: int
    end: int
    text: str
    original: str
    log_ratio: float


@dataclass(frozen=True, slots=True)
class SpinScore:
    """The spin score of a document (or paragraph)."""

    score: float  # in [0, 1]: the posterior that the text is spun
    level: str  # clean | low | suspicious | high
    words: int
    density: float  # giveaways per 100 words
    evidence: tuple[Evidence, ...]
    log_odds: float = 0.0  # log10 odds behind the score

    @property
    def rho(self) -> float:
        """The spin rate the decoder assumes for this text."""
        return RHO_SPUN * self.score if self.score >= RHO_FROM_SCORE else 0.0


class Rates(NamedTuple):
    """One row of the genuine-rate table (see ``tools/build_genuine_rates.py``)."""

    genuine: float  # log10 rate per word in clean text
    model: float  # log10 rate the language model expects
    clean_ratios: int  # occurrences of the form in the real corpus's training part...
    ratio_mean: float  # ...and the mean and spread of their restoration ratios (log10)
    ratio_sd: float
    page_swaps: int  # on real spun pages: the form as the spinner's output...
    page_genuine: int  # ...and as the authors' own word, left alone
    # How often the originals of those pages write the word (0 for a phrase); on the row
    # ``*``, their size in words.
    original_count: int


@functools.cache
def genuine_rates() -> dict[str, Rates]:
    """phrase -> its row of the genuine-rate table (``*``: all forms' ratios pooled).

    The table is keyed with straight apostrophes, as the lexicon's rows are; a text's
    words keep its curly ones, so each such phrase is also entered with "\u2019" (once,
    here, rather than straightened on every look-up).
    """
    data = importlib.resources.files("textrepair") / "data" / _RATES
    lines = gzip.decompress(data.read_bytes()).decode("utf-8").splitlines()
    rates = {}
    for line in lines[1:]:
        phrase, _, _, model_rate, genuine, count, mean, spread, swaps, written, originals = (
            line.split("\t")
        )
        rates[phrase] = Rates(
            float(genuine),
            float(model_rate),
            int(count),
            float(mean),
            float(spread),
            int(swaps),
            int(written),
            int(originals),
        )
    rates.update({p.replace("'", "\u2019"): row for p, row in rates.items() if "'" in p})
    return rates


def rates_of(phrase: tuple[str, ...]) -> Rates | None:
    """The table's row for a phrase (model tokens), if it has one."""
    return genuine_rates().get(" ".join(phrase))


def form_of(candidate: Candidate) -> tuple[str, ...]:
    """The spun form a candidate is evidence of: its words, less a possessive the table
    does not list. "method's" is the form "method" with its genuine rate, not a second
    form: counted apart, "The largest roadblock is ... that method's" opened a paragraph
    of the Python manual on two forms (to the model, "way's" reads over 10,000x better
    than "method's") although "method" itself showed nothing (benchmarks/simulated.py)."""
    words = candidate.options[0].words
    last = words[-1]
    if len(last) > 2 and last[-2:] in ("'s", "\u2019s") and rates_of(words) is None:
        return (*words[:-1], last[:-2])
    return words


def _discount(phrase: tuple[str, ...], ratio: float) -> float:
    """How much more often (log10) clean text writes `phrase` than the model expects,
    where its restoration ratio reaches `ratio` (it may be negative).

    The table's rate is over every occurrence; conditioned on the ratio, it falls by how
    much rarer clean text shows this form at such a ratio than it shows forms in general
    (`_log_tail` of the form's and the pooled clean ratios). That log10 factor is at
    least 0 (where clean text writes the form at high ratios, its genuine rate already
    says so) and at most log10(n + 1) for a form seen n times (n occurrences cannot show
    it rarer than that).
    """
    row = rates_of(phrase)
    if row is None:
        return 0.0
    discount = max(0.0, row.genuine - row.model)
    if not row.clean_ratios:
        return discount
    pooled = genuine_rates()[POOLED]
    rarer = _log_tail(ratio, pooled.ratio_mean, pooled.ratio_sd) - _log_tail(
        ratio, row.ratio_mean, row.ratio_sd
    )
    return discount - min(max(rarer, 0.0), math.log10(row.clean_ratios + 1))


def _log_tail(value: float, mean: float, spread: float) -> float:
    """log10 of the chance that a logistic variable (`mean`, standard deviation `spread`)
    reaches `value`. Its tail falls off exponentially, not as fast as a normal one, so a
    genuine occurrence out in the tail is less of a surprise: of the real corpus's clean
    occurrences, a normal tail gave 4 of the training part's and 8 of the held-out part's
    more than 0.3 log10 odds each; this one gives 1 and 5 (`tools/calibrate_gate.py`)."""
    scaled = (value - mean) * math.pi / (spread * math.sqrt(3.0))
    return -math.log10(1.0 + math.exp(min(scaled, 700.0)))


def _odds(ratio: float) -> float:
    """log10 odds of spinning that a form with this (log10) restoration ratio gives."""
    return math.log10(1.0 + RHO_SPUN * 10.0 ** min(ratio - EVEN_LOG_RATIO, MAX_FORM_RATIO))


def _context_free_ratio(candidate: Candidate) -> float:
    """The best trusted original's genuine rate over the form's, times the row's prior
    (log10), from the table alone; -inf without a trusted original, +inf where the table
    lacks a phrase (a user's row: only the model can judge it)."""
    form = rates_of(candidate.options[0].words)
    best = -math.inf
    for option in candidate.options[1:]:
        if option.trusted_log_prior is None:
            continue
        original = rates_of(option.words)
        if form is None or original is None:
            return math.inf
        best = max(best, original.genuine - form.genuine + option.trusted_log_prior)
    return best


def too_few_forms(candidates: Sequence[Candidate]) -> bool:
    """Whether the candidates' forms, each at the most a form can give (`MAX_FORM_ODDS`),
    fall short of the least evidence any document or paragraph needs (-PRIOR_LOG_ODDS):
    then the gate stays shut whatever the model says. One form alone never opens it, and
    a third of the short clean sentences past the first look have only one."""
    forms = {form_of(candidate) for candidate in candidates}
    return len(forms) * MAX_FORM_ODDS < -PRIOR_LOG_ODDS - PROOF_MARGIN


def looks_clean(text: str, candidates: Sequence[Candidate]) -> bool:
    """Whether the table alone shows too little evidence for the gate to open (so the
    language model need not be asked)."""
    return first_look(text, candidates) < CHEAP_FLOOR


def first_look(text: str, candidates: Sequence[Candidate]) -> float:
    """The evidence beyond chance the table alone shows (no language model)."""
    strongest: dict[tuple[str, ...], float] = {}
    for candidate in candidates:
        form = candidate.options[0].words
        if form not in strongest:
            strongest[form] = _odds(_context_free_ratio(candidate) + FIRST_LOOK_SHIFT)
    return sum(strongest.values()) - CHANCE_PER_WORD * count_words(text)


# Per candidate: its spun form, its ratio (after the genuine-rate discount) and, for a
# giveaway, the evidence to report.
_Reading = tuple[tuple[str, ...], float, "Evidence | None"]


def _reading(candidate: Candidate, candidate_gains: Sequence[float]) -> _Reading:
    form = form_of(candidate)
    found = evidence(candidate, candidate_gains)
    if found is None:
        return form, -math.inf, None
    ratio = found[0] - _discount(form, found[0])
    giveaway = None
    if ratio >= GIVEAWAY_LOG_RATIO:
        giveaway = Evidence(
            candidate.start, candidate.end, candidate.text, found[1].text, round(ratio, 3)
        )
    return form, ratio, giveaway


def _readings(
    candidates: Sequence[Candidate], option_gains: Sequence[Sequence[float]]
) -> list[_Reading]:
    return [_reading(c, g) for c, g in zip(candidates, option_gains, strict=True)]


def _with_candidates(
    text: str, candidates: Sequence[Candidate]
) -> list[tuple[int, int, re.Match[str]]]:
    """(first, end, paragraph) per paragraph with candidates: ``candidates[first:end]``
    are its own (`candidates` in text order)."""
    paragraphs = []
    index = 0
    for paragraph in PARAGRAPH.finditer(text):
        first = index
        while index < len(candidates) and candidates[index].start < paragraph.end():
            index += 1
        if first < index:
            paragraphs.append((first, index, paragraph))
    return paragraphs


def _paragraphs(text: str, candidates: Sequence[Candidate]) -> list[tuple[int, int, int]]:
    """(first, end, words) per paragraph with candidates (see `_with_candidates`)."""
    return [
        (first, end, count_words(paragraph.group()))
        for first, end, paragraph in _with_candidates(text, candidates)
    ]


def spun_paragraphs(
    text: str, candidates: Sequence[Candidate], rates: Sequence[float]
) -> list[tuple[int, int]]:
    """(start, end) of each paragraph whose candidates `spin_rates` decodes (rate > 0)."""
    return [
        paragraph.span()
        for first, end, paragraph in _with_candidates(text, candidates)
        if any(rates[first:end])
    ]


def paragraph_prior(paragraphs: int) -> float:
    """log10 prior odds that one of `paragraphs` paragraphs, judged alone, is spun."""
    return PRIOR_LOG_ODDS - math.log10(max(paragraphs, 1))


def _weigh(readings: Sequence[_Reading], words: int, prior: float = PRIOR_LOG_ODDS) -> SpinScore:
    """The score of a text from the readings of its candidates (`prior`: its log10
    prior odds of being spun)."""
    strongest: dict[tuple[str, ...], float] = {}
    for form, ratio, _ in readings:
        if ratio > strongest.get(form, -math.inf):
            strongest[form] = ratio
    odds = sum(_odds(ratio) for ratio in strongest.values())
    log_odds = min(max(prior + odds - CHANCE_PER_WORD * words, -300.0), 300.0)
    value = 1.0 / (1.0 + 10.0**-log_odds)
    level = next(name for bound, name in LEVELS if value >= bound)
    giveaways = tuple(giveaway for _, _, giveaway in readings if giveaway is not None)
    density = 100.0 * len(giveaways) / max(words, 1)
    return SpinScore(
        round(value, 4), level, words, round(density, 3), giveaways, round(log_odds, 3)
    )


def assess(
    text: str, candidates: Sequence[Candidate], option_gains: Sequence[Sequence[float]]
) -> SpinScore:
    """Score a text from its candidates and their gains (see `evidence.gains`)."""
    return _weigh(_readings(candidates, option_gains), count_words(text))


def spin_rates(
    text: str, candidates: Sequence[Candidate], option_gains: Sequence[Sequence[float]]
) -> tuple[SpinScore, list[float]]:
    """The document's score, and the spin rate each candidate is decoded with (0: keep).

    Each paragraph is first judged alone (where the document reads clean, at its share of
    the prior: `paragraph_prior`). A spinner rewrites whole articles, so where the
    paragraphs spun on their own make up most of a spun document (`FOLLOW_SHARE` of its
    words), or where the other paragraphs taken together do not read clean, those follow
    the document: each alone is too short to show it. Otherwise (a spun comment on a clean
    page) only the spun paragraphs are unspun, and the rest keep their words.
    """
    readings = _readings(candidates, option_gains)
    document = _weigh(readings, count_words(text))
    rates = [0.0] * len(candidates)
    odds = document.log_odds - PRIOR_LOG_ODDS + CHANCE_PER_WORD * document.words
    if not document.rho and odds < -PRIOR_LOG_ODDS:
        return document, rates  # no paragraph can show more evidence than the whole
    spans = _paragraphs(text, candidates)
    prior = PRIOR_LOG_ODDS if document.rho else paragraph_prior(len(spans))
    paragraphs = [
        (first, end, _weigh(readings[first:end], words, prior)) for first, end, words in spans
    ]
    follow = 0.0
    if document.rho:
        spun_words = sum(own.words for _, _, own in paragraphs if own.rho)
        rest = [r for first, index, own in paragraphs if not own.rho for r in readings[first:index]]
        rest_log_odds = _weigh(rest, document.words - spun_words).log_odds
        if spun_words >= FOLLOW_SHARE * document.words or rest_log_odds >= FOLLOW_LOG_ODDS:
            follow = document.rho
    for first, index, own in paragraphs:
        rates[first:index] = [max(own.rho, follow)] * (index - first)
    return document, rates


class _Bound:
    """The evidence of a document or paragraph while its candidates are being asked:
    at least `floor`, at most `known` plus `MAX_FORM_ODDS` per form not fully asked."""

    __slots__ = ("best", "floor", "known", "needed", "unasked")

    def __init__(
        self, words: int, forms: Iterable[tuple[str, ...]], prior: float = PRIOR_LOG_ODDS
    ) -> None:
        self.unasked: dict[tuple[str, ...], int] = {}  # form -> its occurrences not asked yet
        for form in forms:
            self.unasked[form] = self.unasked.get(form, 0) + 1
        self.best: dict[tuple[str, ...], float] = {}  # form -> its strongest odds so far
        self.known = 0.0  # the odds of the forms no longer in `unasked`
        self.floor = 0.0  # the sum of `best`
        # The evidence that opens the gate, less the margin.
        self.needed = CHANCE_PER_WORD * words - prior - PROOF_MARGIN

    def add(self, form: tuple[str, ...], odds: float) -> None:
        before = self.best.get(form, 0.0)
        best = self.best[form] = max(before, odds)
        self.floor += best - before
        left = self.unasked.get(form)
        if left is None:
            return  # settled already at the cap
        if left == 1 or best >= MAX_FORM_ODDS:  # nothing more to learn about this form
            del self.unasked[form]
            self.known += best
        else:
            self.unasked[form] = left - 1

    def may_open(self) -> bool:
        return self.known + MAX_FORM_ODDS * len(self.unasked) >= self.needed


def gains_for_gate(
    text: str,
    candidates: Sequence[Candidate],
    ask: Callable[[Candidate], tuple[float, ...] | None],
) -> list[tuple[float, ...]] | None:
    """Every candidate's gains from `ask` (`evidence.gains`), or None where the gate
    stays shut for the document and for each paragraph (or where `ask` gives up: None).

    Only a gate that opens needs them all (the decoder reads them). Until it is clear
    whether it may, the candidates are asked weakest first by the table's estimate
    (`_context_free_ratio`), and a form not fully asked counts at the most a form can
    give (`MAX_FORM_ODDS`); as soon as even that leaves the document and its paragraphs
    short of the gate (`spin_rates` then gives every candidate rate 0), the rest are not
    asked. A candidate without a trusted original gives no evidence, asked or not.
    """
    forms = [form_of(candidate) for candidate in candidates]
    bounds = [_Bound(count_words(text), forms)]
    if bounds[0].needed < PROOF_SHARE * MAX_FORM_ODDS * len(bounds[0].unasked):
        return _ask_all(candidates, [None] * len(candidates), ask)  # the proof cannot pay
    own = [0] * len(candidates)  # each candidate's paragraph, in `bounds`
    # One line is one paragraph, the document itself.
    spans = _paragraphs(text, candidates) if "\n" in text else []
    # Paragraphs are bounded at the prior a shut document gives them: a document that may
    # open stays doubtful itself, and one that opens has every candidate asked.
    prior = paragraph_prior(len(spans))
    for first, end, words in spans:
        own[first:end] = [len(bounds)] * (end - first)
        bounds.append(_Bound(words, forms[first:end], prior))
    doubtful = {index for index, bound in enumerate(bounds) if bound.may_open()}
    if not doubtful:
        return None  # not even every form at its most could open the gate
    asked: list[tuple[float, ...] | None] = [None] * len(candidates)
    estimates = [_context_free_ratio(candidate) for candidate in candidates]
    for index in sorted(range(len(candidates)), key=estimates.__getitem__):
        if not doubtful:
            return None  # neither the document nor any paragraph can reach the gate
        candidate, units = candidates[index], (0, own[index]) if own[index] else (0,)
        if doubtful.isdisjoint(units):
            continue
        odds = 0.0
        if estimates[index] > -math.inf:  # a trusted original: the model's turn
            found = asked[index] = ask(candidate)
            if found is None:
                return None
            odds = _odds(_reading(candidate, found)[1])
        for unit in units:
            bounds[unit].add(forms[index], odds)
            if not bounds[unit].may_open():
                doubtful.discard(unit)
        if any(bounds[unit].floor >= bounds[unit].needed for unit in units):
            break  # this one may open the gate for certain: every candidate is needed
    return None if not doubtful else _ask_all(candidates, asked, ask)


def _ask_all(
    candidates: Sequence[Candidate],
    asked: list[tuple[float, ...] | None],
    ask: Callable[[Candidate], tuple[float, ...] | None],
) -> list[tuple[float, ...]] | None:
    """`asked`, completed by asking the rest (None where `ask` gives up)."""
    for index, candidate in enumerate(candidates):
        if asked[index] is None:
            asked[index] = ask(candidate)
            if asked[index] is None:
                return None
    return asked  # type: ignore[return-value]
