"""Names as units: whole institutions and titles, one reading per document, "Might 12".

A spinner swaps the words of a name one by one ("Government Workplace for United States
Attorneys"), and a restoration of one of its words alone leaves a hybrid ("Government
Office ..." for "Executive Office ..."). Here:

* `name_candidates`: a capitalised span whose words map through the lexicon to a name
  of the gazetteer (``data/gazetteer.tsv.gz``, built by ``tools/build_gazetteer.py``)
  becomes one candidate for the whole name, in place of the lexicon's pieces of it;
* `consistent`: a spun name of several words restored once in a document is restored
  the same way wherever else it occurs;
* `month_edits`: "Might" or "Could" written where a date needs "May" ("on Might 3, 2021").

All candidates here still go through the gate and the decoder; `consistent` and
`month_edits` only run once the gate has found the document spun.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import importlib.resources
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

import regex

from ...edits import Edit, with_unclaimed
from ...lexicon import Lexicon, Substitution
from .candidates import (
    NAME_TRUST,
    SOURCE_WEIGHT,
    TRUSTED,
    Candidate,
    Option,
    lowercase_word_before,
    words_of,
)
from .decoding import Decision

_GAZETTEER = "gazetteer.tsv.gz"

# Small words that may sit inside a name ("Department of Justice"), never at its ends.
CONNECTORS = ("of", "the", "and", "for", "on")
# Words that start a capitalised run at the head of a sentence but are no part of a name.
ARTICLES = ("The", "A", "An")

# A capitalised word ("Justice", "U.S.", "Hard-line") and a run of them, connectors
# allowed inside: the spans a name can occupy.
_CAPITALISED = r"(?:[A-Z][a-z]*\.){2,}|[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*"
NAME_RUN = re.compile(
    rf"(?<![\w.'\u2019-])(?:{_CAPITALISED})"
    rf"(?:[ ](?:(?:{'|'.join(CONNECTORS)})[ ])*(?:{_CAPITALISED}))+"
)
WORD_IN_RUN = re.compile(r"\S+")
# A possessive ending a name ("the Antitrust Division's"): the name is the gazetteer's.
POSSESSIVE_END = re.compile(r"['\u2019]s?\Z")
# A capitalised word right after or before a span: the span is part of a longer name.
CAPITALISED_AFTER = re.compile(r" [A-Z]")
CAPITALISED_BEFORE = re.compile(r"(?<![\w.])([A-Z][\w.]*) \Z")

# Longest name tried, in words, and most spellings tried per span: a six-word span of
# words with three readings each is 729 spellings; more is a run of headline capitals.
MAX_WORDS = 6
MAX_SPELLINGS = 1024

# "Might" or "Could" (both spinners' forms of the month) where a date needs "May":
# mid-sentence (after a lowercase word or a comma, where the modal is never capitalised)
# before a day or a year, or after a word that leads a month ("in Might,", "since early
# Could.") before punctuation, or anywhere before a day that a year or punctuation
# follows ("Could 3, 2021."; "Might 12 people" is a question and stays).
_DAY = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b"
_YEAR = r"(?:1[89]|20)\d\d\b"
_BEFORE_MONTH = r"(?:in|early|late|since|until|by|last|next|this|through|from|mid-)"
MONTH = regex.compile(  # regex, not re: a look-behind of several lengths
    rf"(?<=[a-z,] )(?:Might|Could)(?= (?:{_DAY}|{_YEAR}))"
    rf"|(?<=\b{_BEFORE_MONTH} |\bmid-)(?:Might|Could)(?=[.,;:)])"
    rf"|(?<![\w-])(?:Might|Could)(?= (?:{_DAY}(?:,? {_YEAR}|[.,;:)]|$)|{_YEAR}))"
)
# On the 343 real spun pages of benchmarks/lopo_mined.py MONTH finds 33 words (19 "Might",
# 14 "Could"), every one the month; it finds nothing in their originals, corpus/, the
# real clean texts or the kernel and Perl manuals. So it is set as sure as the glue
# stage's sentence-opener rule; only Options.min_confidence reads it.
MONTH_CONFIDENCE = 0.9


class Gazetteer(NamedTuple):
    """Names restored whole, and word swaps a spinner was seen to make inside one name
    only ("Photographs" for "Images" in "Getty Photographs"): those are offered only
    where a whole name results."""

    names: frozenset[str]
    swaps: dict[str, tuple[str, ...]]

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[str]]) -> Gazetteer:
        """From rows (name, source, provenance, spun form or "")."""
        names: set[str] = set()
        swaps: dict[str, tuple[str, ...]] = {}
        for name, _, _, spun in rows:
            names.add(name)
            for written, original in zip(spun.split(" "), name.split(" "), strict=False):
                if spun and written != original and original not in swaps.get(written, ()):
                    swaps[written] = (*swaps.get(written, ()), original)
        return cls(frozenset(names), swaps)


@functools.cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once."""
    data = importlib.resources.files("textrepair") / "data" / _GAZETTEER
    lines = gzip.decompress(data.read_bytes()).decode("utf-8").splitlines()
    return Gazetteer.from_rows(line.split("\t") for line in lines[1:])


def name_candidates(
    text: str, lexicon: Lexicon, found: Sequence[Candidate], table: Gazetteer | None = None
) -> list[Candidate]:
    """`found` with each spun name made one candidate for the whole name, in text order.

    The lexicon's candidates inside a whole-name span give way to it, and those inside a
    gazetteer name written right are dropped, as is the name's last word standing alone
    with its capital (the same body named short): in a spun copy of a Justice Department
    page, "the Civil Rights Division's units" and "the Division was created in 1957"
    stay as they are. `table`: the shipped gazetteer unless given (its build passes the
    one it is making).
    """
    table = table or gazetteer()
    offered = {(c.start, c.end, o.text) for c in found for o in c.options[1:]}
    names: list[Candidate] = []
    written_right: list[tuple[int, int]] = []
    for run in _runs_worth_trying(text, found, table):
        restored, right = _names_in_run(run, lexicon, table)
        written_right.extend(right)
        # a lexicon row for the same name speaks for it (its source explains the edit)
        names.extend(c for c in restored if (c.start, c.end, c.options[1].text) not in offered)
    if not names and not written_right:
        return list(found)
    heads = {
        POSSESSIVE_END.sub("", text[start:end].rsplit(" ", 1)[-1]) for start, end in written_right
    }
    kept = [
        c
        for c in found
        if not any(c.start < n.end and n.start < c.end for n in names)
        and not any(start <= c.start and c.end <= end for start, end in written_right)
        and POSSESSIVE_END.sub("", c.text) not in heads
    ]
    return sorted(kept + names, key=lambda c: c.start)


def _runs_worth_trying(
    text: str, found: Sequence[Candidate], table: Gazetteer
) -> Iterator[re.Match[str]]:
    """The capitalised runs a spinner may have touched: a lexicon candidate overlaps it,
    or it holds a word swapped inside a name. (A word with a lexicon reading is always a
    candidate of the scan or inside one, so no run with a spun name is skipped.)"""
    starts = [c.start for c in found]
    ends = [c.end for c in found]
    for run in NAME_RUN.finditer(text):
        # the first candidate ending after the run starts: does it start before its end?
        index = bisect.bisect_right(ends, run.start())
        group = run.group()
        if (index < len(starts) and starts[index] < run.end()) or any(
            word in group for word in table.swaps
        ):
            yield run


def _names_in_run(
    run: re.Match[str], lexicon: Lexicon, table: Gazetteer
) -> tuple[list[Candidate], list[tuple[int, int]]]:
    """Whole-name candidates in one capitalised run, longest first, not overlapping, and
    the spans of the gazetteer's names written right in it (a spun word inside one, such
    as "Division" in "Civil Rights Division", is the name's own and stays)."""
    known = table.names
    words = list(WORD_IN_RUN.finditer(run.group()))
    readings = [_word_readings(w.group(), lexicon, table.swaps) for w in words]
    found: list[Candidate] = []
    written_right: list[tuple[int, int]] = []
    taken: set[int] = set()
    spans = sorted(
        (
            (i, j)
            for i in range(len(words))
            for j in range(i + 2, min(len(words), i + MAX_WORDS) + 1)
        ),
        key=lambda span: (span[0] - span[1], span[0]),
    )
    for i, j in spans:
        if taken.intersection(range(i, j)):
            continue
        span = [w.group() for w in words[i:j]]
        if span[0] in CONNECTORS or span[0] in ARTICLES or span[-1] in CONNECTORS:
            continue
        phrase = " ".join(span)
        if phrase in known or POSSESSIVE_END.sub("", phrase) in known:
            taken.update(range(i, j))  # a real name, written right: leave it whole
            written_right.append((run.start() + words[i].start(), run.start() + words[j - 1].end()))
            continue
        restored = _restored_name(readings[i:j], known)
        if restored is None:
            continue
        name, log_prior = restored
        start, end = run.start() + words[i].start(), run.start() + words[j - 1].end()
        substitution = Substitution(phrase, name, "gazetteer", 10**log_prior, "")
        options = (
            Option("", words_of(phrase), 0.0, None),
            Option(name, words_of(name), log_prior + NAME_TRUST, substitution, log_prior),
        )
        found.append(Candidate(start, end, phrase, options, (), ()))
        taken.update(range(i, j))
    return found, written_right


def _restored_name(
    readings: Sequence[list[tuple[str, float | None]]], known: frozenset[str]
) -> tuple[str, float] | None:
    """The gazetteer name a span's word readings spell (and its log10 prior), or None."""
    if all(len(r) == 1 for r in readings):
        return None
    if math.prod(len(r) for r in readings) > MAX_SPELLINGS:
        return None
    best: tuple[str, float] | None = None
    for spelling in itertools.product(*readings):
        if all(cost is None for _, cost in spelling):
            continue  # the span as written
        name = " ".join(word for word, _ in spelling)
        if name in known:
            log_prior = sum(cost for _, cost in spelling if cost is not None)
            if best is None or log_prior > best[1]:
                best = (name, log_prior)
    return best


def _word_readings(
    word: str, lexicon: Lexicon, swaps: dict[str, tuple[str, ...]]
) -> list[tuple[str, float | None]]:
    """The word as written (cost None) and each trusted original, capitalised as written."""
    readings: list[tuple[str, float | None]] = [(word, None)]
    if word in CONNECTORS:
        return readings
    for original in swaps.get(word, ()):
        readings.append((original, 0.0))  # seen on real spun pages: a prior of 1
    for row in lexicon.candidates(word):
        weight = SOURCE_WEIGHT.get(row.source, 0.0)
        if weight < TRUSTED or " " in row.original:
            continue
        original = row.original[:1].upper() + row.original[1:]
        if original != word and all(original != seen for seen, _ in readings):
            readings.append((original, math.log10(weight * row.prior)))
    return readings


def consistent(
    text: str, candidates: Sequence[Candidate], decisions: Sequence[Decision]
) -> list[Decision]:
    """`decisions` and, for every spun name (capitalised, several words) restored, its
    other occurrences the same way (at the confidence of the first), in text order; so
    too a capitalised word restored `MIN_SINGLE_RESTORED` times inside a sentence, at its
    other places inside a sentence.

    An occurrence inside a longer capitalised run is part of another name and stays ("Home"
    may be "House", but not in "Home Depot"), and a single word at a sentence start is
    left to the decoder.
    """
    restored: dict[str, Decision] = {}
    singles: dict[str, list[Decision]] = {}
    for decision in decisions:
        spun = decision.candidate.text
        if not spun[:1].isupper() or spun == spun.upper():
            continue
        if " " in spun:
            restored.setdefault(spun, decision)
        elif _mid_sentence(text, decision.candidate.start):
            singles.setdefault(spun, []).append(decision)
    for spun, found in singles.items():
        if len(found) >= MIN_SINGLE_RESTORED and len({d.option.text for d in found}) == 1:
            restored.setdefault(spun, found[0])
    decided = {d.candidate.start for d in decisions}
    extra = []
    for candidate in candidates:
        first = restored.get(candidate.text)
        if first is None or candidate.start in decided:
            continue
        if _in_longer_run(text, candidate.start, candidate.end):
            continue
        if " " not in candidate.text and not _mid_sentence(text, candidate.start):
            continue
        option = next((o for o in candidate.options if o.text == first.option.text), None)
        if option is not None:
            extra.append(Decision(candidate, option, first.confidence))
    return sorted([*decisions, *extra], key=lambda d: d.candidate.start)


# A capitalised word inside a sentence that the decoder restored this many times, the same
# way each time ("the Home voted", "Home Republicans" -> House), is restored so at its
# other places inside a sentence too: in a spun document it names the same body. On the
# 356 real pages (leave-one-page-out) 2 gave 6 more repairs and no more true words changed,
# 3 nothing.
MIN_SINGLE_RESTORED = 2


def _mid_sentence(text: str, start: int) -> bool:
    """Whether a lowercase word or an article stands right before `start`."""
    if lowercase_word_before(text, start):
        return True
    article = CAPITALISED_BEFORE.search(text, max(0, start - 40), start)
    return article is not None and article.group(1) in ARTICLES


def _in_longer_run(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word (other than an article) touches `text[start:end]`."""
    before = CAPITALISED_BEFORE.search(text, max(0, start - 40), start)
    return bool(CAPITALISED_AFTER.match(text, end)) or (
        before is not None and before.group(1) not in ARTICLES
    )


def month_edits(text: str, edits: Sequence[Edit], stage: str) -> list[Edit]:
    """`edits` and one for each "Might" or "Could" that stands for the month May, in
    text order. The month rule wins over a lexicon edit of the same word: "might" for
    could is a swap of the modal, and would turn "Might 12" into "Could 12"."""
    months = [
        Edit(
            m.start(),
            m.end(),
            m.group(),
            "May",
            stage,
            "spun form of the month 'May' before a date",
            MONTH_CONFIDENCE,
        )
        for m in MONTH.finditer(text)
    ]
    spans = {(month.start, month.end) for month in months}
    return with_unclaimed([e for e in edits if (e.start, e.end) not in spans], months)
