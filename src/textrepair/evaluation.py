"""Restoration quality over a corpus of spun texts with references, and clean texts.

Scoring follows the corpus README: texts become tokens (words with inner apostrophes
and hyphens, and single punctuation marks) after typography is folded; the spun text
is aligned with its reference and with the tool's output; every place where either
differs from the spun text is a spot (touching spots merge). A spot is a true
positive when the tool changed it to the reference, WRONG when it changed a spun
spot to something else, a false positive when it changed a spot the reference keeps,
and a false negative when the reference differs and the tool left it. Spots touching
an uncertain ``{spun|alternative}`` mark in the reference are not counted.

    precision = TP / (TP + WRONG + FP)        recall = TP / (TP + WRONG + FN)

HARM counts words, not spots: the author's words (the spinner left them, the reference
has them) that the output changed, in FP spots and inside WRONG ones.

On clean texts every change is a false positive, reported per 1,000 words. The real
clean corpus (``real/``, published texts with a manifest) is reported the same way, per
register and per part (training and held-out, see `real_part`), and once more with each
paragraph repaired on its own (short texts). Real spun pairs (``real/spun/``: a
content-farm page beside the openly licensed original it copied) are scored as the
team's spun pairs are, in a table of their own.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

# The real clean corpus (corpus/real/) is split once, by a hash of each file's name, so the
# split never depends on the order files arrive in: about 70% of the texts may be used to
# fit anything (the genuine-rate table, the gate's constants), and the rest is held out and
# only ever measured. Both parts are reported.
TRAIN_SHARE = 0.7

TOKEN = regex.compile(r"\w+(?:['\-]\w+)*|[^\w\s]")
UNCERTAIN = regex.compile(r"\{([^{}|]*)((?:\|[^{}|]*)+)\}")
TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def real_part(name: str) -> str:
    """ "train" or "held-out": the fixed part of the real corpus a file belongs to.

    >>> real_part("clean/police-example.txt") in ("train", "held-out")
    True
    """
    digest = hashlib.sha256(Path(name).name.encode("utf-8")).digest()
    return "train" if int.from_bytes(digest[:4], "big") < TRAIN_SHARE * 2**32 else "held-out"


# The real corpus's spun pairs: listed in the same manifest, but no clean texts.
REAL_SPUN_FOLDER = "spun/"


def real_texts(directory: str | Path) -> list[dict[str, str]]:
    """The clean texts of a real corpus manifest (``manifest.tsv``: file, url, licence,
    register, ...; the rows of `REAL_SPUN_FOLDER` left out), each with its ``part``;
    files the manifest lists but the folder lacks are skipped."""
    root = Path(directory)
    with open(root / "manifest.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        {**row, "part": real_part(row["file"])}
        for row in rows
        if not row["file"].startswith(REAL_SPUN_FOLDER) and (root / row["file"]).is_file()
    ]


def tokens(text: str) -> list[str]:
    """Scoring tokens of `text`, typography folded."""
    return TOKEN.findall(text.translate(TYPOGRAPHY))


@dataclass
class Spot:
    """One place where the reference or the output differs from the spun text."""

    kind: str  # "TP", "WRONG", "FP" or "FN"
    spun: str
    reference: str
    output: str


@dataclass
class Score:
    """Counts over one or more texts."""

    tp: int = 0
    wrong: int = 0
    fp: int = 0
    fn: int = 0
    words: int = 0
    changed_words: int = 0
    # In a spun text: words the spinner left as the author wrote them (the reference
    # has them too) that the output changed, inside FP and WRONG spots alike. A WRONG
    # spot may be a partial repair ("bulk chief said") or harm beside a repair ("army
    # chief" -> "military leader" where the author wrote "military chief"): this counts
    # the harm alone.
    true_words_changed: int = 0
    spots: list[Spot] = field(default_factory=list)

    @property
    def precision(self) -> float:
        changed = self.tp + self.wrong + self.fp
        return self.tp / changed if changed else 1.0

    @property
    def recall(self) -> float:
        needed = self.tp + self.wrong + self.fn
        return self.tp / needed if needed else 1.0

    @property
    def changes_per_1000_words(self) -> float:
        return 1000 * self.changed_words / self.words if self.words else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.wrong += other.wrong
        self.fp += other.fp
        self.fn += other.fn
        self.words += other.words
        self.changed_words += other.changed_words
        self.true_words_changed += other.true_words_changed
        self.spots.extend(other.spots)


def parse_reference(reference: str) -> tuple[str, list[tuple[int, int]]]:
    """The reference with each uncertain mark replaced by its first (spun) option.

    Returns that text and the token ranges the uncertain marks cover in it.
    """
    parts: list[str] = []
    uncertain: list[tuple[int, int]] = []
    position = 0
    count = 0
    for match in UNCERTAIN.finditer(reference):
        before = reference[position : match.start()]
        parts.append(before)
        count += len(tokens(before))
        first = match.group(1)
        size = len(tokens(first))
        uncertain.append((count, count + size))
        parts.append(first)
        count += size
        position = match.end()
    parts.append(reference[position:])
    return "".join(parts), uncertain


def _regions(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [op[1:] for op in matcher.get_opcodes() if op[0] != "equal"]


def _replaced(regions: Sequence[tuple[int, int, int, int]]) -> set[int]:
    """The tokens of the first sequence that the diff regions replace or delete."""
    return {i for i1, i2, _, _ in regions for i in range(i1, i2)}


def _mapper(a: Sequence[str], b: Sequence[str]) -> Callable[[int, bool], int]:
    """Map a position in `a` that lies outside every diff region to a position in `b`.

    At a boundary where `b` has an insertion, a spot's start maps before the insertion
    and its end after it, so the spot covers the inserted tokens.
    """
    blocks = [(0, 0, 0), *difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()]

    def position(i: int, is_end: bool = False) -> int:
        found = [block for block in blocks if block[0] <= i <= block[0] + block[2]]
        if not found:
            raise ValueError(f"position {i} is inside a changed region")
        block_a, block_b, _ = found[-1] if is_end else found[0]
        return block_b + (i - block_a)

    return position


def score_pair(spun: str, reference: str, output: str) -> Score:
    """Score one output against the reference of a spun text."""
    plain_reference, uncertain_ref = parse_reference(reference)
    s, r, o = tokens(spun), tokens(plain_reference), tokens(output)
    ref_regions = _regions(s, r)
    out_regions = _regions(s, o)
    to_ref, to_out = _mapper(s, r), _mapper(s, o)
    spun_by_reference, changed_by_output = _replaced(ref_regions), _replaced(out_regions)
    # Uncertain marks in spun coordinates: the reference's equal blocks map them back.
    ref_to_spun = _mapper(r, s)
    uncertain = []
    for start, end in uncertain_ref:
        try:
            uncertain.append((ref_to_spun(start), ref_to_spun(end, True)))
        except ValueError:
            uncertain.append((-1, len(s) + 1))  # an uncertain mark inside a change: skip all
    spans = sorted([(i1, i2) for i1, i2, _, _ in ref_regions + out_regions])
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])

    result = Score(words=sum(1 for t in s if t[0].isalnum()))
    for start, end in merged:
        if any(u_start <= end and start <= u_end for u_start, u_end in uncertain):
            continue
        spun_part = s[start:end]
        ref_part = r[to_ref(start) : to_ref(end, True)]
        out_part = o[to_out(start) : to_out(end, True)]
        ref_changed, out_changed = ref_part != spun_part, out_part != spun_part
        result.true_words_changed += sum(
            1
            for i in range(start, end)
            if s[i][0].isalnum() and i in changed_by_output and i not in spun_by_reference
        )
        if out_changed and ref_changed:
            kind = "TP" if out_part == ref_part else "WRONG"
        elif out_changed:
            kind = "FP"
        else:
            kind = "FN"
        setattr(result, kind.lower(), getattr(result, kind.lower()) + 1)
        result.spots.append(Spot(kind, " ".join(spun_part), " ".join(ref_part), " ".join(out_part)))
    return result


def score_clean(text: str, output: str) -> Score:
    """Score the output for a clean text: every changed word counts against the tool."""
    s, o = tokens(text), tokens(output)
    result = Score(words=sum(1 for t in s if t[0].isalnum()))
    for i1, i2, j1, j2 in _regions(s, o):
        result.fp += 1
        result.changed_words += max(
            sum(1 for t in s[i1:i2] if t[0].isalnum()), sum(1 for t in o[j1:j2] if t[0].isalnum())
        )
        result.spots.append(Spot("FP", " ".join(s[i1:i2]), " ".join(s[i1:i2]), " ".join(o[j1:j2])))
    return result


@dataclass
class CorpusReport:
    """Scores per file and in total, for spun pairs, clean texts and real clean texts.

    `real` holds the texts of ``real/`` (a corpus of published clean text, see
    `real_texts`), `real_rows` their manifest rows (register, part, url, ...).
    """

    spun: dict[str, Score]
    clean: dict[str, Score]
    real: dict[str, Score] = field(default_factory=dict)
    # Real spun pages (real/spun/) against references built from their originals.
    real_spun: dict[str, Score] = field(default_factory=dict)
    real_rows: dict[str, dict[str, str]] = field(default_factory=dict)
    # The same texts repaired one paragraph (line) at a time, as short texts.
    real_paragraphs: dict[str, Score] = field(default_factory=dict)

    def total(self, which: str) -> Score:
        return _sum(getattr(self, which).values())

    def real_groups(self) -> list[tuple[str, list[Score]]]:
        """The real texts' scores by register and part, then by part, then all."""
        groups: dict[str, list[Score]] = {}
        for name, score in self.real.items():
            row = self.real_rows[name]
            groups.setdefault(f"{row.get('register', '?')} ({row['part']})", []).append(score)
        parts: dict[str, list[Score]] = {}
        for label, scores in (("ALL REAL", self.real), ("by paragraph", self.real_paragraphs)):
            for part in ("train", "held-out"):
                parts[f"{label} ({part})"] = [
                    score for name, score in scores.items() if self.real_rows[name]["part"] == part
                ]
        everything = ("ALL REAL", list(self.real.values()))
        return [*sorted(groups.items()), *parts.items(), everything]


def evaluate_corpus(directory: str | Path, repair: Callable[[str], str]) -> CorpusReport:
    """Run `repair` over ``spun/*.spun.txt`` (with references), ``clean/*.txt`` and the
    texts listed in ``real/manifest.tsv`` (when there is one)."""
    root = Path(directory)
    spun_files = sorted((root / "spun").glob("*.spun.txt"))
    clean_files = sorted((root / "clean").glob("*.txt"))
    real_rows = real_texts(root / "real") if (root / "real" / "manifest.tsv").is_file() else []
    real_spun_files = sorted((root / "real" / REAL_SPUN_FOLDER).glob("*.spun.txt"))
    if not spun_files and not clean_files and not real_rows and not real_spun_files:
        raise FileNotFoundError(f"no corpus in {root}: expected spun/*.spun.txt and clean/*.txt")
    spun_scores = _spun_scores(spun_files, repair)
    clean_scores = {}
    for path in clean_files:
        text = path.read_text(encoding="utf-8")
        clean_scores[path.name] = score_clean(text, repair(text))
    real_scores, paragraph_scores = {}, {}
    for row in real_rows:
        text = (root / "real" / row["file"]).read_text(encoding="utf-8")
        real_scores[row["file"]] = score_clean(text, repair(text))
        paragraph_scores[row["file"]] = _sum(
            score_clean(paragraph, repair(paragraph))
            for paragraph in text.split("\n")
            if paragraph.strip()
        )
    rows = {row["file"]: row for row in real_rows}
    real_spun = _spun_scores(real_spun_files, repair)
    return CorpusReport(spun_scores, clean_scores, real_scores, real_spun, rows, paragraph_scores)


def _spun_scores(paths: Iterable[Path], repair: Callable[[str], str]) -> dict[str, Score]:
    """Each NAME.spun.txt scored against the NAME.reference.txt beside it."""
    scores = {}
    for path in paths:
        reference_path = path.with_name(path.name.replace(".spun.txt", ".reference.txt"))
        spun_text = path.read_text(encoding="utf-8")
        reference = reference_path.read_text(encoding="utf-8")
        scores[path.name] = score_pair(spun_text, reference, repair(spun_text))
    return scores


def format_report(report: CorpusReport, *, details: bool = False) -> str:
    """A plain-text table of the report, with misses and wrong changes if asked."""
    lines = _spun_table("spun text", "ALL SPUN", report.spun)
    if report.real_spun:
        lines.append("")
        lines.extend(_spun_table("real spun text (real/spun)", "ALL REAL SPUN", report.real_spun))
    lines.append("")
    lines.append(f"{'clean text':48} {'words':>6} {'changed':>8} {'per 1000':>9}")
    for name, score in report.clean.items():
        lines.append(
            f"{name:48} {score.words:6} {score.changed_words:8} {score.changes_per_1000_words:9.2f}"
        )
    clean_total = report.total("clean")
    lines.append(
        f"{'ALL CLEAN':48} {clean_total.words:6} {clean_total.changed_words:8} "
        f"{clean_total.changes_per_1000_words:9.2f}"
    )
    if report.real:
        lines.append("")
        lines.append(_real_header())
        lines.extend(_real_line(name, scores) for name, scores in report.real_groups())
    if details:
        for title, which, kinds in (
            ("wrong changes and damage in spun texts", "spun", ("WRONG", "FP")),
            ("misses in spun texts", "spun", ("FN",)),
            ("wrong changes and damage in real spun texts", "real_spun", ("WRONG", "FP")),
            ("misses in real spun texts", "real_spun", ("FN",)),
            ("changes to clean texts", "clean", ("FP",)),
            ("changes to real clean texts", "real", ("FP",)),
            (
                "changes to real clean texts repaired paragraph by paragraph",
                "real_paragraphs",
                ("FP",),
            ),
        ):
            if which.startswith("real") and not getattr(report, which):
                continue
            lines.append("")
            lines.append(f"{title}:")
            for name, score in getattr(report, which).items():
                for spot in score.spots:
                    if spot.kind in kinds:
                        lines.append(
                            f"  {spot.kind:5} {name}: {spot.spun!r} -> {spot.output!r}"
                            f" (reference {spot.reference!r})"
                        )
    return "\n".join(lines)


def _spun_table(title: str, total_label: str, scores: dict[str, Score]) -> list[str]:
    """Lines of a spun-text table: one per pair, then the pooled total."""
    lines = [f"{title:48} {'P':>6} {'R':>6} {'TP':>4} {'WR':>4} {'FP':>4} {'FN':>4} {'HARM':>5}"]
    for name, score in [*scores.items(), (total_label, _sum(scores.values()))]:
        lines.append(
            f"{name:48} {score.precision:6.3f} {score.recall:6.3f} "
            f"{score.tp:4} {score.wrong:4} {score.fp:4} {score.fn:4} "
            f"{score.true_words_changed:5}"
        )
    return lines


def _real_header() -> str:
    return (
        f"{'real clean text (register, part)':40} {'texts':>6} {'changed':>8} {'words':>7} "
        f"{'changed':>8} {'per 1000':>9}"
    )


def _sum(scores: Iterable[Score]) -> Score:
    """The counts of several scores added up."""
    total = Score()
    for score in scores:
        total.add(score)
    return total


def _real_line(name: str, scores: list[Score]) -> str:
    """One row of the real-corpus table: texts, texts with any change, words, changed
    words and changed words per 1,000."""
    total = _sum(scores)
    touched = sum(1 for score in scores if score.changed_words)
    return (
        f"{name:40} {len(scores):6} {touched:8} {total.words:7} {total.changed_words:8} "
        f"{total.changes_per_1000_words:9.2f}"
    )
