#!/usr/bin/env python3
"""Mine a spinner's substitutions from (original, spun) page pairs: ``sources/mined-pairs.tsv``.

Each pair is a folder entry ``NAME.original.txt`` (or ``NAME.reference.txt``) beside
``NAME.spun.txt``; an optional ``urls.tsv`` (``NAME<TAB>spun URL<TAB>original URL``) gives
the provenance. Pages are often only partly the same story (a page cut short, an original
updated after it was copied), so the texts are first matched sentence by sentence and
only sentences that clearly correspond are compared, with the project's own aligner
(:func:`textrepair.learn.learn`), which skips deletions, numbers, punctuation and
case-only changes, and takes the words the spinner inserted with a word on each side
("will probably be" for "will be").

For every (spun form, original) pair the output row says how often the spinner made the
swap (``swaps``), on how many pages, and how often the original phrase stood in an
aligned sentence and came through unchanged (``kept``): ``swaps / (swaps + kept)`` is the
spinner's measured rate for that original. ``genuine`` counts the spun form written by
the authors themselves and left alone by the spinner (the chance that a reader meets it
as plain English). Only facts are written: phrase pairs, counts and URLs, no page text.

``--word-counts`` writes, instead, how often each word stands in the originals
(``sources/original-words.tsv``): which of a spun form's originals news copy writes at all
("shortage" 23 times, "problem" twice), which the decoder weighs against the language
model's own word rates (`decoding.choose_original`).

Run: ``python tools/mine_pairs.py PAIRS_DIR [-o sources/mined-pairs.tsv]``. The same
pairs give the same bytes. ``--references`` writes, instead, each pair's
``NAME.reference.txt`` (the spun text with its aligned sentences as the original wrote
them, `reference_for`), which ``textrepair eval`` scores against: how the shipped real
spun pairs of ``corpus/real/spun/`` are built.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from textrepair.learn import TOKEN, learn  # noqa: E402
from textrepair.stages.unspin.candidates import words_of  # noqa: E402

# Two sentences are the same sentence of the story when this share of their tokens aligns
# (difflib ratio). Spun sentences keep their structure and names and lose about a third
# of their words at most; unrelated sentences of the same story share well under half.
MIN_SENTENCE_SIMILARITY = 0.5

# Sentences shorter than this (tokens) are captions, datelines and bylines: too little
# to anchor an alignment.
MIN_SENTENCE_TOKENS = 5

# The longest phrase a pair may have on either side (the aligner's own limit).
MAX_PHRASE_WORDS = 4

# Titles and abbreviations that end in a full stop inside a sentence ("Sens. Thom Tillis").
_ABBREVIATIONS = (
    "Sen",
    "Sens",
    "Rep",
    "Reps",
    "Gov",
    "Gen",
    "Lt",
    "Col",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "St",
    "Jr",
    "No",
    "Sgt",
    "Capt",
    "Adm",
    "Corp",
    "Inc",
    "Dept",
    "U.S",
    "U.N",
)
SENTENCE_END = re.compile(
    "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS)
    + r"(?<=[.!?\u201d\"])\s+(?=[\"\u201c(A-Z0-9])|\n+"
)
HEADER = ("spun", "original", "swaps", "kept", "genuine", "pages", "spun_urls", "original_urls")


@dataclass(frozen=True, slots=True)
class Page:
    name: str
    original: str
    spun: str
    spun_url: str = ""
    original_url: str = ""


@dataclass
class Tally:
    swaps: int = 0
    kept: int = 0
    genuine: int = 0
    pages: set[str] = field(default_factory=set)


def read_pairs(folder: Path) -> list[Page]:
    """The (original, spun) pairs of a folder, sorted by name, with their URLs."""
    urls: dict[str, tuple[str, str]] = {}
    manifest = folder / "urls.tsv"
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 3 and not line.startswith("#"):
                urls[cols[0]] = (cols[1], cols[2])
    pages = []
    for spun_path in sorted(folder.glob("*.spun.txt")):
        name = spun_path.name.removesuffix(".spun.txt")
        for suffix in (".original.txt", ".reference.txt"):
            original_path = folder / (name + suffix)
            if original_path.exists():
                break
        else:
            print(f"warning: no original for {spun_path}", file=sys.stderr)
            continue
        spun_url, original_url = urls.get(name, ("", ""))
        pages.append(
            Page(
                name,
                original_path.read_text(encoding="utf-8"),
                spun_path.read_text(encoding="utf-8"),
                spun_url,
                original_url,
            )
        )
    return pages


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]


def _words(text: str) -> list[str]:
    return [t.lower() for t in TOKEN.findall(text.replace("\u2019", "'"))]


def aligned_sentences(original: str, spun: str) -> list[tuple[str, str]]:
    """(original sentence, spun sentence) pairs that are the same sentence of the story."""
    candidates = [(s, _words(s)) for s in sentences(original)]
    out = []
    for spun_sentence in sentences(spun):
        spun_words = _words(spun_sentence)
        if len(spun_words) < MIN_SENTENCE_TOKENS:
            continue
        best, best_ratio = None, MIN_SENTENCE_SIMILARITY
        for sentence, words in candidates:
            if len(words) < MIN_SENTENCE_TOKENS:
                continue
            ratio = difflib.SequenceMatcher(None, spun_words, words, autojunk=False).ratio()
            if ratio >= best_ratio:
                best, best_ratio = sentence, ratio
        if best is not None:
            out.append((best, spun_sentence))
    return out


def reference_for(original: str, spun: str) -> str:
    """The spun text with each aligned sentence put back as the original wrote it.

    Sentences without a counterpart in the original are marked uncertain
    (``{sentence|unaligned}``, see corpus/README.md), so scoring leaves them out. A mark
    cannot hold the characters of its own syntax, so a sentence with spintax residue
    ("trillions of {dollars}") is marked piece by piece around them.
    """
    aligned = dict((s, o) for o, s in aligned_sentences(original, spun))
    parts = re.split(f"({SENTENCE_END.pattern})", spun)
    out = []
    for part in parts:
        sentence = part.strip() if part else ""
        if not sentence or SENTENCE_END.fullmatch(part):
            out.append(part or "")
        elif sentence in aligned:
            out.append(part.replace(sentence, aligned[sentence]))
        else:
            out.append(MARK_SYNTAX_FREE.sub(lambda piece: _unaligned(piece.group()), part))
    return "".join(out)


# The runs of a sentence free of the uncertain mark's own characters.
MARK_SYNTAX_FREE = re.compile(r"[^{}|]+")


def _unaligned(text: str) -> str:
    """`text` marked uncertain, its surrounding whitespace left outside the mark."""
    core = text.strip()
    return text.replace(core, "{" + core + "|unaligned}", 1) if core else text


def _kept_phrases(original: str, spun: str) -> tuple[Counter[str], Counter[str]]:
    """Phrases of one to four words that came through unchanged, lowercased and as written."""
    ours = TOKEN.findall(original.replace("\u2019", "'"))
    theirs = TOKEN.findall(spun.replace("\u2019", "'"))
    matcher = difflib.SequenceMatcher(
        None, [t.lower() for t in ours], [t.lower() for t in theirs], autojunk=False
    )
    lower: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    for i, _, size in matcher.get_matching_blocks():
        block = ours[i : i + size]
        for n in range(1, MAX_PHRASE_WORDS + 1):
            for k in range(len(block) - n + 1):
                phrase = block[k : k + n]
                if all(t[0].isalnum() for t in phrase):
                    text = " ".join(phrase)
                    lower[text.lower()] += 1
                    exact[text] += 1
    return lower, exact


def _count(counts: tuple[Counter[str], Counter[str]], phrase: str) -> int:
    lower, exact = counts
    return lower[phrase] if phrase == phrase.lower() else exact[phrase]


def plausible(spun: str, original: str, vocabulary: set[str] | None) -> bool:
    """A substitution, not a name or fact that differs between versions of a story.

    With a vocabulary (lowercase common words), every word of the original must be in
    it, and every word of the spun side in it or lowercase: "Scalise" for "Johnson" is
    an updated story, not spinning. A possessive counts as its word. Pairs of closed-class
    words alone are counted too: "because" for as is the spinner's on 44 pages, while
    "is" for "will" is a rewritten sentence; the table build tells them apart by their
    counts (``MIN_FUNCTION_WORD_PAGES`` in ``build_lexicon.py``).
    """
    if vocabulary is None:
        return True
    # A word no list has on the spun side, in lowercase, is the spinner's own coinage
    # ("recordsdata" for files, on 6 pages): names and facts that change are capitalised
    # or figures. The build asks two pages of such a row (`build_lexicon.fold_mined`).
    spun_words = [_base(w) for w in TOKEN.findall(spun.replace("\u2019", "'"))]
    return all(_base(w) in vocabulary for w in _words(original)) and all(
        w.lower() in vocabulary or w.islower() for w in spun_words
    )


def _base(word: str) -> str:
    """A word less its possessive ending: word lists have "nation", not "nation's"."""
    return word[:-2] if word.endswith("'s") and len(word) > 2 else word


def inserted(spun: str, original: str) -> bool:
    """Whether `original` is `spun` with words left out (the spinner inserted them)."""
    spun_words, original_words = spun.lower().split(), original.lower().split()
    remaining = iter(spun_words)
    return len(original_words) < len(spun_words) and all(w in remaining for w in original_words)


@functools.lru_cache(maxsize=4096)
def _page_facts(
    original: str, spun: str
) -> tuple[tuple[tuple[str, str, int], ...], Counter[str], Counter[str]]:
    """One page's swaps (spun, original, count) and its phrases that came through
    unchanged (lowercased, as written), over its aligned sentences. Remembered: a
    leave-one-page-out run mines every page once per page left out. Read, never changed."""
    swaps = []
    lower: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    for original_sentence, spun_sentence in aligned_sentences(original, spun):
        kept_lower, kept_exact = _kept_phrases(original_sentence, spun_sentence)
        lower.update(kept_lower)
        exact.update(kept_exact)
        learned = learn(original_sentence, spun_sentence, insertions=True)
        swaps += [(p.spun, p.original, p.count) for p in learned]
    return tuple(swaps), lower, exact


def mine(
    pages: Sequence[Page],
    vocabulary: set[str] | None = None,
    known: Iterable[tuple[str, str]] = (),
) -> dict[tuple[str, str], Tally]:
    """Per (spun, original): swaps, kept and genuine counts, and the pages of the swaps.

    `known` pairs (mined from other pages before) get their kept and genuine counts on
    these pages too, even where these pages show no swap of them.
    """
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for pair in known:
        tallies[pair] = Tally()
    # Phrases that came through unchanged, summed over every aligned sentence of every
    # page: one lookup per pair below, not one per pair and sentence (which made a
    # leave-one-page-out run over 238 pages take half an hour).
    kept: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    for page in pages:
        swaps, lower, exact = _page_facts(page.original, page.spun)
        kept[0].update(lower)
        kept[1].update(exact)
        for spun, original, count in swaps:
            if plausible(spun, original, vocabulary):
                tally = tallies[(spun, original)]
                tally.swaps += count
                tally.pages.add(page.name)
    for (spun, original), tally in tallies.items():
        tally.kept += _count(kept, original)
        tally.genuine += _count(kept, spun)
    return dict(tallies)


# A row of the mined-pairs file: swaps, kept, genuine, and the spun and original URLs of
# the pages with the swap, in the order they were mined.
FileRow = tuple[int, int, int, list[str], list[str]]


def format_rows(
    tallies: dict[tuple[str, str], Tally],
    pages: Iterable[Page],
    before: dict[tuple[str, str], FileRow] | None = None,
) -> str:
    """The mined-pairs file of `tallies` (pages named by their URLs), added to the rows
    `before` (as `read_rows` gives them) where there are any."""
    by_name = {p.name: p for p in pages}
    rows = dict(before or {})
    for key, t in tallies.items():
        swaps, kept, genuine, spun_urls, original_urls = rows.get(key, (0, 0, 0, [], []))
        names = sorted(t.pages)
        rows[key] = (
            swaps + t.swaps,
            kept + t.kept,
            genuine + t.genuine,
            spun_urls + [by_name[n].spun_url or n for n in names],
            original_urls + [by_name[n].original_url or n for n in names],
        )
    lines = [
        "# Substitutions mined from real spun pages and their originals by tools/mine_pairs.py.",
        "# Facts only (phrase pairs, counts, URLs); see sources/README.md.",
        "\t".join(HEADER),
    ]
    for (spun, original), (swaps, kept, genuine, spun_urls, original_urls) in sorted(
        rows.items(), key=lambda kv: (kv[0][0].lower(), kv[0][0], kv[0][1])
    ):
        if not spun_urls:
            continue  # a known pair these pages never swapped, and no row before
        fields = (spun, original, swaps, kept, genuine, len(spun_urls))
        lines.append("\t".join([*map(str, fields), " ".join(spun_urls), " ".join(original_urls)]))
    return "\n".join(lines) + "\n"


def read_rows(path: Path) -> dict[tuple[str, str], FileRow]:
    """Every row of a mined-pairs file, with both URL lists (missing file: none)."""
    rows: dict[tuple[str, str], FileRow] = {}
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("spun\t"):
            continue
        spun, original, swaps, kept, genuine, _, spun_urls, original_urls = line.split("\t")
        rows[(spun, original)] = (
            int(swaps),
            int(kept),
            int(genuine),
            spun_urls.split(),
            original_urls.split(),
        )
    return rows


# Channel priors. A row's prior is the chance that the spinner, meeting the original,
# wrote this spun form: swaps / (every occurrence of the original in aligned text, swapped
# to any form or kept). Few pages measure few occurrences, so the rate is shrunk towards
# the hand-set prior the row had before (1/n for curated rows) as if that prior had been
# seen PRIOR_PSEUDO_COUNT times: one swap and nothing else gives (1 + 2p) / 3, while ten
# swaps and ten kept give (10 + 2p) / 22, close to the measured half.
PRIOR_PSEUDO_COUNT = 2.0

# The measured rate sets the priors of new (mined) rows only. A curated row's prior is on
# another scale (the share of one spun form's originals, 1/n), which the scorer's
# thresholds were set with. Replacing the 22 curated priors that ten or more occurrences
# measure was tried: the seed lost a repair ("army" -> military fell from 1 to 0.62, the
# spinner writing both army and navy for it) and leave-one-page-out on the real pages
# moved from 0.783/0.541 to 0.782/0.541 (benchmarks/lopo_mined.py), so they stay hand-set.

# A prior below this would make a row useless (the scorer takes its log) without saying
# more than "rarely": 1 in 50 is the floor.
MIN_PRIOR = 0.02


@dataclass(frozen=True, slots=True)
class MinedRow:
    spun: str
    original: str
    swaps: int
    kept: int
    genuine: int
    pages: tuple[str, ...]  # spun URLs (or page names) of the swaps


def read_mined(path: Path) -> list[MinedRow]:
    """Rows of a mined-pairs TSV (as written by this tool), `decomposed`; missing file ->
    none."""
    return decomposed(
        MinedRow(spun, original, swaps, kept, genuine, tuple(spun_urls))
        for (spun, original), (swaps, kept, genuine, spun_urls, _) in read_rows(path).items()
    )


def decomposed(rows: Iterable[MinedRow]) -> list[MinedRow]:
    """The rows with the swaps of a multi-word pair credited to its parts where both are
    rows of their own, over every page (`learn` does it within one sentence).

    The aligner makes one pair of neighbouring swaps: "doesn't wish" for "does not want"
    is "doesn't" for "does not" (a contraction the spinner made) and "wish" for "want".
    The parts apply far more often than the whole, and the whole, where only one of its
    parts is spun, restores the other wrongly (the seed's "doesn't wish" -> "does not
    want", where the author wrote "doesn't want"). A row left with no swaps is dropped.
    """
    by_pair = {(row.spun, row.original): row for row in rows}
    parts = {pair: _parts(*pair, by_pair) for pair in by_pair}
    swaps: Counter[tuple[str, str]] = Counter()
    pages: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    # A row's own pages first, then those of the pairs credited to it.
    for pair in sorted(by_pair, key=lambda pair: parts[pair] != [pair]):
        for part in parts[pair]:
            swaps[part] += by_pair[pair].swaps
            pages[part].update(dict.fromkeys(by_pair[pair].pages))
    return [
        replace(row, swaps=swaps[pair], pages=tuple(pages[pair]))
        for pair, row in by_pair.items()
        if swaps[pair]
    ]


def _parts(spun: str, original: str, rows: Container[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pair split into parts that are `rows` (each split again), or the pair itself.

    A part the spinner left as it was is no row and gets no credit: an inserted word is
    mined with its neighbours ("court docket allowed" for "court allowed"), and where
    the rest is a row ("court docket" for "court"), the swap is that row's.
    """
    spun_words, original_words = spun.split(" "), original.split(" ")
    for i in range(1, len(spun_words)):
        for j in range(1, len(original_words)):
            halves = [
                (" ".join(spun_words[:i]), " ".join(original_words[:j])),
                (" ".join(spun_words[i:]), " ".join(original_words[j:])),
            ]
            swapped = [half for half in halves if half[0] != half[1]]
            if swapped and all(half in rows for half in swapped):
                return [part for half in swapped for part in _parts(*half, rows)]
    return [(spun, original)]


def channel_priors(
    rows: Iterable[MinedRow], hand_prior: dict[tuple[str, str], float]
) -> dict[tuple[str, str], tuple[float, int]]:
    """Per mined (spun, original): the swap rate shrunk to the hand-set prior, and how many
    occurrences of the original measured it."""
    rows = list(rows)
    occurrences: Counter[str] = Counter()  # swaps of an original to any spun form
    kept: dict[str, int] = {}
    for row in rows:
        occurrences[row.original] += row.swaps
        kept[row.original] = row.kept  # the same for every row of that original
    priors = {}
    for row in rows:
        seen = occurrences[row.original] + kept[row.original]
        base = hand_prior.get((row.spun, row.original), 1.0)
        rate = (row.swaps + PRIOR_PSEUDO_COUNT * base) / (seen + PRIOR_PSEUDO_COUNT)
        priors[(row.spun, row.original)] = (max(MIN_PRIOR, min(1.0, rate)), seen)
    return priors


WORD_COUNTS = REPO / "sources" / "original-words.tsv"


def original_word_counts(pages: Iterable[Page]) -> tuple[Counter[str], int]:
    """How often each word (a lowercase model token) stands in the pages' originals, and
    how many originals those are: each counted once, though several pages copy it."""
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for page in pages:
        key = page.original_url or page.original
        if key in seen:
            continue
        seen.add(key)
        text = page.original.replace("\u2019", "'")
        counts.update(word for word in words_of(text) if word[0].isalpha())
    return counts, len(seen)


def format_word_counts(counts: Counter[str], originals: int) -> str:
    """The ``sources/original-words.tsv`` text: one word per line, sorted."""
    lines = [
        "# Words of the originals of the mined pages (tools/mine_pairs.py --word-counts):",
        f"# {originals} originals, {sum(counts.values())} words; their URLs are in"
        " sources/mined-pages.tsv. Facts only: counts, no text.",
        "word\tcount",
    ]
    lines += [f"{word}\t{count}" for word, count in sorted(counts.items())]
    return "\n".join(lines) + "\n"


def read_word_counts(path: Path = WORD_COUNTS) -> Counter[str]:
    """The counts `format_word_counts` wrote (empty where there is no such file)."""
    counts: Counter[str] = Counter()
    if not path.exists():
        return counts
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("#") or "\t" not in line:
            continue
        word, count = line.split("\t")
        if word != "word":
            counts[word] = int(count)
    return counts


def default_vocabulary() -> set[str] | None:
    """Lowercase words of the symspellpy frequency list (Google Web 1T derived)."""
    import importlib.util

    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "frequency_dictionary_en_82_765.txt"
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as f:
        return {line.split()[0] for line in f if line.strip()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pairs", type=Path, help="folder of NAME.original.txt / NAME.spun.txt")
    ap.add_argument("-o", "--out", type=Path, default=REPO / "sources/mined-pairs.tsv")
    ap.add_argument(
        "--any-word", action="store_true", help="keep pairs with words outside the vocabulary"
    )
    ap.add_argument(
        "--add",
        action="store_true",
        help="add these pages' counts to the rows already in OUT (the pages mined before"
        " need not be at hand)",
    )
    ap.add_argument(
        "--references",
        action="store_true",
        help="write each pair's NAME.reference.txt beside it instead of mining",
    )
    ap.add_argument(
        "--word-counts",
        type=Path,
        nargs="?",
        const=WORD_COUNTS,
        metavar="OUT",
        help=f"write how often each word stands in the originals instead of mining"
        f" (default OUT: {WORD_COUNTS.relative_to(REPO)})",
    )
    args = ap.parse_args(argv)
    pages = read_pairs(args.pairs)
    if not pages:
        ap.error(f"no NAME.spun.txt with NAME.original.txt in {args.pairs}")
    if args.references:
        for page in pages:
            path = args.pairs / f"{page.name}.reference.txt"
            path.write_text(reference_for(page.original, page.spun), encoding="utf-8")
            print(f"wrote {path}")
        return 0
    if args.word_counts:
        counts, originals = original_word_counts(pages)
        args.word_counts.write_text(format_word_counts(counts, originals), encoding="utf-8")
        print(f"wrote {args.word_counts}: {len(counts)} words of {originals} originals")
        return 0
    vocabulary = None if args.any_word else default_vocabulary()
    before = read_rows(args.out) if args.add else {}
    mined_before = {url for row in before.values() for url in row[3]}
    again = [page.name for page in pages if (page.spun_url or page.name) in mined_before]
    if again:
        ap.error(f"already counted in {args.out}: {', '.join(again)}")
    tallies = mine(pages, vocabulary, before)
    args.out.write_text(format_rows(tallies, pages, before), encoding="utf-8")
    swapped = [t.swaps for t in tallies.values() if t.swaps]
    print(f"wrote {args.out}: {len(swapped)} pairs, {sum(swapped)} swaps from {len(pages)} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
