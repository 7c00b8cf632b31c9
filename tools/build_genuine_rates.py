#!/usr/bin/env python3
"""Build ``src/textrepair/data/genuine-rates.tsv.gz``: how often clean text writes each phrase.

For every phrase on either side of a trusted lexicon row (the spun forms and their
originals), the table gives its rate per word in genuine English from two clean samples:

* the training part of the real clean corpus (``corpus/real/``, see
  `textrepair.evaluation.real_part`; the held-out part is never read here), which is
  register-heavy: police, court, military and government copy that genuinely writes
  "stated", "individuals" and "residence";
* symspellpy's Google Web 1T word counts (MIT licence) for single words, and for phrases
  the shipped language model's own probability (Web 1T's word-pair list is cut at a count
  threshold and tokenised differently, so against the model it overstates every pair).

For every spun form, it also gives how high the form's restoration ratio reaches where clean
text writes it: the count, mean and spread of the per-occurrence log10 ratios
(`evidence.evidence`, before any discount) of the form's occurrences in the training part,
and on the row ``*`` the same over all forms pooled. Clean text writes "residence",
"individuals" and "stated" in police copy where the model prefers "home", "people" and
"said" a thousand to one; it writes "Home" 117 times and never where "House" reads even
twice as well.

And for every spun form that real spun pages show (``sources/mined-pairs.tsv``, written by
``tools/mine_pairs.py``; rows of ``sources/mined-rejected.tsv`` left out), how often those
pages have it as the spinner's output and how often as the authors' own word left alone:
"roughly" is the spinner's twice and the authors' ten times, "laws" the spinner's 38 times
and never the authors'. The decoder keeps a form the more readily, the more often spun
pages show it as written (`decoding.keep_log_bonus`). For every single word, last, how
often the originals of those pages write it (``sources/original-words.tsv``, by
``tools/mine_pairs.py --word-counts``; on the row ``*``, their size in words): where a spun
form has several originals, the decoder weighs how much more or less often news copy
writes each than the language model expects (`decoding.choose_original`).

The spin gate reads it three times: a spun form that clean text writes more often than the
language model expects is discounted as evidence, but only as far as clean text reaches such
a ratio with that form; and the rates of a form and its original give the cheap,
context-free first look at a document (see the gate's module docstring).

Run from the repository root: ``python tools/build_genuine_rates.py [--real DIR]``. The
output is deterministic: the same corpus and lexicon give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import math
import statistics
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tools")]

from build_lexicon import read_rejected  # noqa: E402
from mine_pairs import MinedRow, read_mined, read_word_counts  # noqa: E402

from textrepair.evaluation import real_texts  # noqa: E402
from textrepair.language_model import default_model, phrase_logprob  # noqa: E402
from textrepair.lexicon import default_lexicon, selected_lexicon  # noqa: E402
from textrepair.stages.unspin.candidates import (  # noqa: E402
    SOURCE_WEIGHT,
    TRUSTED,
    find_candidates,
    words_of,
)
from textrepair.stages.unspin.evidence import evidence, gains  # noqa: E402
from textrepair.stages.unspin.model import shared_model  # noqa: E402
from textrepair.wordcounts import unigram_counts  # noqa: E402

OUT = REPO / "src" / "textrepair" / "data" / "genuine-rates.tsv.gz"
MINED = REPO / "sources" / "mined-pairs.tsv"
MINED_REJECTED = REPO / "sources" / "mined-rejected.tsv"
ORIGINAL_WORDS = REPO / "sources" / "original-words.tsv"
HEADER = (
    "phrase",
    "real_count",
    "sample_log10",
    "lm_log10",
    "genuine_log10",
    "clean_ratios",
    "clean_ratio_mean",
    "clean_ratio_sd",
    "spun_page_swaps",
    "spun_page_genuine",
    "original_count",
)

# The phrase of the row that pools the clean ratios of every form.
POOLED = "*"

# The real corpus and the web sample are blended as counts, the web rate weighing as much
# as WEB_WEIGHT times the real corpus's size: the real texts are few but in the registers
# where spun forms are genuinely common, the web counts are huge but generic. Equal weight
# lets a form the real corpus writes often (police "residence") lift its rate to about half
# the real rate, while a form it never writes keeps half its web rate.
WEB_WEIGHT = 1.0


def trusted_phrases() -> set[tuple[str, ...]]:
    """Model tokens of every spun form and original of the trusted shipped rows."""
    phrases = set()
    for row in default_lexicon():
        if SOURCE_WEIGHT.get(row.source, 0.0) >= TRUSTED:
            phrases.add(words_of(row.spun))
            phrases.add(words_of(row.original))
    phrases.discard(())
    return phrases


def real_counts(directory: Path, longest: int) -> tuple[Counter[tuple[str, ...]], int]:
    """n-gram counts (n <= longest) over the training part of the real corpus, and its
    size in words."""
    counts: Counter[tuple[str, ...]] = Counter()
    words = 0
    for row in real_texts(directory):
        if row["part"] != "train":
            continue
        tokens = words_of((directory / row["file"]).read_text(encoding="utf-8"))
        words += sum(1 for token in tokens if token not in ".!?")
        for n in range(1, longest + 1):
            counts.update(zip(*(tokens[i:] for i in range(n)), strict=False))
    return counts, words


def clean_ratios(directory: Path) -> dict[str, list[float]]:
    """Per spun form (as the table spells it), the restoration ratio of each of its
    occurrences in the training part of the real corpus, as the gate's evidence reads it."""
    lexicon, model = selected_lexicon(), shared_model(default_model())
    ratios: dict[str, list[float]] = {}
    for row in real_texts(directory):
        if row["part"] != "train":
            continue
        text = (directory / row["file"]).read_text(encoding="utf-8")
        for candidate in find_candidates(text, lexicon):
            found = evidence(candidate, gains(model, candidate))
            if found is not None:
                ratios.setdefault(" ".join(candidate.options[0].words), []).append(found[0])
    return ratios


def ratio_spread(values: list[float], pooled: tuple[float, float]) -> tuple[float, float]:
    """Mean and standard deviation of a form's clean ratios, with one pseudo-occurrence
    from the pooled distribution (mean and spread `pooled`), so that a form seen once or
    twice never looks narrower than clean text in general."""
    mean = (sum(values) + pooled[0]) / (len(values) + 1)
    squares = sum((value - mean) ** 2 for value in values) + pooled[1] ** 2
    return mean, math.sqrt(squares / max(len(values), 1))


def spun_page_counts(
    rows: Iterable[MinedRow], rejected: set[tuple[str, str]]
) -> dict[tuple[str, ...], tuple[int, int]]:
    """Per spun form (model tokens): its swaps on real spun pages, and how often those
    pages have it as the authors wrote it (`MinedRow.genuine`).

    Swaps add up over every original and spelling of a form. A lowercase form's genuine
    count already takes every capitalisation (``mine_pairs._count``), a capitalised one's
    only its own, so a form's count is its lowercase spelling's where there is one and
    the sum of its capitalised spellings' otherwise.
    """
    swaps: Counter[tuple[str, ...]] = Counter()
    genuine: dict[tuple[str, ...], dict[str, int]] = {}
    for row in rows:
        if (row.spun, row.original) in rejected:
            continue
        phrase = words_of(row.spun)
        swaps[phrase] += row.swaps
        genuine.setdefault(phrase, {})[row.spun] = row.genuine  # the same for every row
    counts = {}
    for phrase, spellings in genuine.items():
        lowercase = [count for spelling, count in spellings.items() if spelling == spelling.lower()]
        counts[phrase] = (swaps[phrase], lowercase[0] if lowercase else sum(spellings.values()))
    return counts


def web_rates() -> tuple[dict[tuple[str, ...], float], float]:
    """Web 1T counts of single words, and the total they are a share of.

    Words with an apostrophe are left out of the lookup (not of the total): Web 1T split
    "it's" into "it" "'s", so the few such tokens its list holds are oddities, 10**-6.3
    where the model has "it's" at 10**-2.3. They are rated by the model, as phrases are;
    rated by the list, every contraction a spinner writes ("can't" for cannot) looked a
    hundred times rarer than it is, and the gate's first look let clean text with
    contractions through to the model.
    """
    counts = unigram_counts()
    rates: dict[tuple[str, ...], float] = {
        (word,): count for word, count in counts.items() if "'" not in word
    }
    return rates, sum(counts.values())


def build(
    directory: Path,
    mined: Path = MINED,
    mined_rejected: Path = MINED_REJECTED,
    original_words: Path = ORIGINAL_WORDS,
) -> tuple[bytes, int, int, int]:
    """The gzipped table, how many phrases it has, the real corpus's words and how many of
    its phrases the real corpus contains."""
    phrases = trusted_phrases()
    on_spun_pages = spun_page_counts(read_mined(mined), read_rejected(mined_rejected))
    in_originals = read_word_counts(original_words)
    # A possessive the pages counted is a form of its own, not its word's (`gate.form_of`):
    # they have "nation's" as written 29 times and spun 11, "nation" spun more often.
    phrases |= {
        phrase
        for phrase in on_spun_pages
        if phrase[-1].endswith("'s") and (*phrase[:-1], phrase[-1][:-2]) in phrases
    }
    real, real_words = real_counts(directory, max(len(p) for p in phrases))
    web, web_total = web_rates()
    model = default_model()
    ratios = clean_ratios(directory)
    everything = [value for values in ratios.values() for value in values]
    pooled = (0.0, 1.0)  # a unit spread where there is too little to measure one
    if len(everything) > 1 and statistics.pstdev(everything) > 0.0:
        pooled = (statistics.fmean(everything), statistics.pstdev(everything))
    lines = ["\t".join(HEADER)]
    lines.append(
        f"{POOLED}\t0\t0\t0\t0\t{len(everything)}\t{pooled[0]:.3f}\t{pooled[1]:.3f}\t0\t0"
        f"\t{sum(in_originals.values())}"
    )
    seen = 0
    for phrase in sorted(phrases):
        lm = phrase_logprob(model, phrase)
        count = web.get(phrase)
        sample = math.log10(count / web_total) if count else lm
        found = real[phrase]
        seen += found > 0
        weight = WEB_WEIGHT * real_words
        genuine = math.log10((found + weight * 10.0**sample) / (real_words + weight))
        name = " ".join(phrase)
        mean, spread = ratio_spread(ratios.get(name, []), pooled)
        page_swaps, page_genuine = on_spun_pages.get(phrase, (0, 0))
        lines.append(
            f"{name}\t{found}\t{sample:.3f}\t{lm:.3f}\t{genuine:.3f}"
            f"\t{len(ratios.get(name, []))}\t{mean:.3f}\t{spread:.3f}"
            f"\t{page_swaps}\t{page_genuine}"
            f"\t{in_originals[phrase[0]] if len(phrase) == 1 else 0}"
        )
    buffer = io.BytesIO()
    # mtime=0 and no file name: the same rows give the same bytes (reproducible builds).
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    return buffer.getvalue(), len(phrases), real_words, seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real", type=Path, default=REPO / "corpus" / "real")
    parser.add_argument("--mined", type=Path, default=MINED)
    parser.add_argument("--mined-rejected", type=Path, default=MINED_REJECTED)
    parser.add_argument("--original-words", type=Path, default=ORIGINAL_WORDS)
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args()
    data, phrases, words, seen = build(
        args.real, args.mined, args.mined_rejected, args.original_words
    )
    args.out.write_bytes(data)
    print(
        f"wrote {args.out} ({len(data):,} bytes gzipped, {phrases:,} phrases; real corpus "
        f"training part {words:,} words, containing {seen:,} of the phrases)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
